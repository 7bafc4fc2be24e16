"""faq.loader: good files load into frozen objects; bad ones report every problem with its line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import textwrap
import unicodedata
from pathlib import Path

import pytest

from faq.loader import (
    DEFAULT_FAQ,
    CheckReport,
    FaqError,
    Problem,
    check_faq,
    load_faq,
    parse_faq,
)
from faq.schema import Online, OnlineLevel, Postal

MINI_FAQ = Path(__file__).resolve().parent / "data" / "mini_faq.yaml"

DATA = Path(__file__).parent / "data" / "loader"
GOOD = DATA / "good.yaml"
TODAY = dt.date(2026, 1, 1)

HEADER = """\
version: 1
agency:
  name: UBND phường Thử
  address: Số 1 đường Mẫu
  hours: Thứ Hai – Thứ Sáu
  phone: "0200 000 000"
  portal: https://dichvucong.gov.vn
categories:
  - {id: ho-tich, title: Hộ tịch}
  - {id: cu-tru, title: Cư trú}
  - {id: small-talk, title: Trò chuyện}
"""
ENTRIES = """\
entries:
  - id: khai-sinh
    category: ho-tich
    title: Đăng ký khai sinh
    questions: [làm giấy khai sinh]
    summary: Đăng ký tại UBND cấp xã.
    steps: [Nộp tờ khai.]
    updated: 2025-07-01
  - id: tam-tru
    category: cu-tru
    title: Đăng ký tạm trú
    questions: [đăng ký tạm trú]
    summary: Đăng ký tại công an xã.
    steps: [Nộp tờ khai CT01.]
    updated: 2025-07-01
"""
MARK = "#<"


def with_entry(snippet: str) -> str:
    """The base FAQ plus one more entry (snippet written at entry level, without indentation)."""
    body = textwrap.indent(textwrap.dedent(snippet).strip("\n"), "    ")
    return HEADER + ENTRIES + "  -" + body[3:] + "\n"


def marked_line(text: str) -> int:
    """1-based line of the first line carrying the #< marker."""
    for number, line in enumerate(text.splitlines(), start=1):
        if MARK in line:
            return number
    raise AssertionError("case has no #< marker")


NEW_ENTRY = """\
id: ket-hon
category: ho-tich
title: Đăng ký kết hôn
questions: [đăng ký kết hôn]
summary: Tại UBND cấp xã.
steps: [Nộp tờ khai.]
updated: 2025-07-01
"""


def entry_with(**replace: str) -> str:
    """NEW_ENTRY with some `key: value` lines replaced (value "" drops the key)."""
    lines = []
    for line in NEW_ENTRY.splitlines():
        key = line.split(":", 1)[0]
        if key in replace:
            if replace[key]:
                lines.append(replace[key])
        else:
            lines.append(line)
    lines.extend(v for k, v in replace.items() if k not in NEW_ENTRY and v)
    return with_entry("\n".join(lines))


ERROR_CASES = [
    # unknown keys
    pytest.param(
        entry_with(questions="quesitons: [a]  #<"),
        "khóa 'quesitons' không hợp lệ — có phải ý bạn là 'questions'?",
        id="typo-key-with-hint",
    ),
    pytest.param(
        entry_with(extra="câu hỏi: [a]  #<"),
        "có phải ý bạn là 'questions'?",
        id="vietnamese-key-name",
    ),
    pytest.param(
        entry_with(extra="ghichu: x  #<"),
        "khóa 'ghichu' không hợp lệ trong mục 'ket-hon' — các khóa được dùng: id, category",
        id="unknown-key-lists-allowed",
    ),
    pytest.param(
        HEADER.replace("  portal:", "  portl: x  #<\n  portal:") + ENTRIES,
        "có phải ý bạn là 'portal'?",
        id="typo-key-in-agency",
    ),
    pytest.param(
        HEADER + "entrie: []  #<\n" + ENTRIES,
        "có phải ý bạn là 'entries'?",
        id="typo-top-level-key",
    ),
    # YAML syntax
    pytest.param(
        entry_with(title="title: Đăng ký: kết hôn  #<"),
        "lỗi cú pháp YAML: có dấu ':' theo sau là dấu cách",
        id="yaml-colon-in-value",
    ),
    pytest.param(
        entry_with(title="\ttitle: Đăng ký kết hôn  #<"),
        "thụt lề bằng phím Tab",
        id="yaml-tab-indent",
    ),
    pytest.param(
        entry_with(title="title Đăng ký kết hôn  #<"),
        "thiếu dấu ':' sau tên khóa",
        id="yaml-missing-colon",
    ),
    pytest.param(
        entry_with(title='title: "Đăng ký kết hôn  #<'),
        "chưa được đóng",
        id="yaml-unclosed-quote",
    ),
    pytest.param(
        entry_with(questions="questions: [a, b  #<"),
        "chưa được đóng bằng ']'",
        id="yaml-unclosed-bracket",
    ),
    pytest.param(
        entry_with(title="   title: Đăng ký kết hôn  #<"),
        "thụt lề",
        id="yaml-bad-indent",
    ),
    pytest.param(
        entry_with(title="title: '@kết hôn' x  #<"),
        "lỗi cú pháp YAML",
        id="yaml-text-after-quote",
    ),
    pytest.param(
        entry_with(title="title: @ket-hon  #<"),
        "không được bắt đầu bằng ký tự '@'",
        id="yaml-at-sign",
    ),
    pytest.param(
        HEADER + ENTRIES + "---  #<\nversion: 1\n",
        "tệp chỉ được có một khối nội dung",
        id="yaml-two-documents",
    ),
    pytest.param(
        HEADER.replace("version: 1", "version: 1\nx: &a [1]")
        + ENTRIES.replace("questions: [làm giấy khai sinh]", "questions: *a  #<"),
        "bí danh YAML '*a'",
        id="yaml-alias",
    ),
    pytest.param(
        entry_with(title="title: Kết\x07hôn  #<"),
        "ký tự điều khiển không hợp lệ (U+0007)",
        id="control-character",
    ),
    # duplicates
    pytest.param(
        with_entry(NEW_ENTRY.replace("id: ket-hon", "id: khai-sinh  #<")),
        "mã mục 'khai-sinh' bị trùng (đã dùng ở dòng 13)",
        id="duplicate-id",
    ),
    pytest.param(
        entry_with(extra="title: Kết hôn lần hai  #<"),
        "khóa 'title' xuất hiện hai lần trong cùng một khối (lần đầu ở dòng",
        id="duplicate-key",
    ),
    pytest.param(
        HEADER.replace("  - {id: cu-tru", "  - {id: ho-tich, title: Lặp}  #<\n  - {id: cu-tru") + ENTRIES,
        "mã nhóm 'ho-tich' bị trùng",
        id="duplicate-category",
    ),
    # references
    pytest.param(
        entry_with(category="category: ho-tic  #<"),
        "nhóm 'ho-tic' chưa được khai báo trong phần 'categories' — có phải ý bạn là 'ho-tich'?",
        id="unknown-category",
    ),
    pytest.param(
        entry_with(extra="related:\n  - khai-sinh\n  - tam-tu  #<"),
        "mục liên quan 'tam-tu' không tồn tại — có phải ý bạn là 'tam-tru'?",
        id="unknown-related",
    ),
    pytest.param(
        entry_with(extra="related: [ket-hon]  #<"),
        "mục 'ket-hon' tự liên kết tới chính nó",
        id="self-related",
    ),
    # empty or missing
    pytest.param(
        entry_with(title="title:  #<"), "khóa 'title' (tên thủ tục) đang để trống", id="empty-title"
    ),
    pytest.param(entry_with(title='title: "  "  #<'), "đang để trống", id="blank-title"),
    pytest.param(
        with_entry(
            NEW_ENTRY.replace("id: ket-hon", "id: ket-hon  #<").replace("title: Đăng ký kết hôn\n", "")
        ),
        "mục 'ket-hon' thiếu khóa 'title' (tên thủ tục)",
        id="missing-title",
    ),
    pytest.param(
        entry_with(questions="questions: []  #<"), "khóa 'questions' (những cách", id="empty-questions"
    ),
    pytest.param(
        entry_with(questions="questions:\n  - đăng ký kết hôn\n  -  #<\n  - kết hôn"),
        "ý thứ 2 của 'questions' đang để trống",
        id="empty-question-item",
    ),
    pytest.param(
        entry_with(questions="questions:\n  - thủ tục: kết hôn  #<"),
        "hiểu nhầm thành khóa con — hãy đặt cả câu trong dấu ngoặc kép",
        id="question-with-colon",
    ),
    pytest.param(
        entry_with(questions="questions: đăng ký kết hôn  #<"),
        "phải là một danh sách, mỗi ý viết trên một dòng riêng bắt đầu bằng '- '",
        id="string-instead-of-list",
    ),
    pytest.param(
        entry_with(title="title:\n  - Kết hôn  #<"),
        "khóa 'title' phải là một đoạn chữ, không phải danh sách",
        id="list-instead-of-text",
    ),
    pytest.param(
        entry_with(summary="summary:  #<", id="id: chao-lai", category="category: small-talk"),
        "mục trò chuyện cần có 'summary'",
        id="small-talk-without-summary",
    ),
    pytest.param(HEADER + "entries: []  #<\n", "phần 'entries' chưa có mục hỏi đáp nào", id="no-entries"),
    pytest.param(
        HEADER + "entries:\n  - khai-sinh  #<\n",
        "mục thứ 1 trong 'entries' phải là một khối khóa con",
        id="entry-not-a-mapping",
    ),
    pytest.param(
        HEADER + "entries:\n  id: khai-sinh  #<\n",
        "phần 'entries' phải là một danh sách mục",
        id="entries-not-a-list",
    ),
    # formats
    pytest.param(
        entry_with(extra="online:\n  url: dichvucong.gov.vn  #<\n  level: toàn trình"),
        "đường dẫn 'url' không hợp lệ ('dichvucong.gov.vn') — phải có dạng http:// hoặc https://",
        id="url-without-scheme",
    ),
    pytest.param(
        entry_with(extra="online: {url: 'ftp://dichvucong.gov.vn', level: không}  #<"),
        "không hợp lệ ('ftp://dichvucong.gov.vn')",
        id="url-wrong-scheme",
    ),
    pytest.param(
        entry_with(extra="online: {url: 'https://dich vu cong', level: một phần}  #<"),
        "đường dẫn 'url' không hợp lệ",
        id="url-with-spaces",
    ),
    pytest.param(
        HEADER.replace("portal: https://dichvucong.gov.vn", "portal: https://  #<") + ENTRIES,
        "phần 'agency': đường dẫn 'portal' không hợp lệ",
        id="agency-portal-no-host",
    ),
    pytest.param(
        entry_with(extra="online:\n  url: https://dichvucong.gov.vn\n  level: toàn phần  #<"),
        "mức trực tuyến 'toàn phần' không hợp lệ — chỉ dùng một trong ba giá trị: "
        "toàn trình, một phần, không",
        id="bad-online-level",
    ),
    pytest.param(
        entry_with(extra="online:  #<\n  level: một phần"),
        "thiếu khóa 'url'",
        id="online-without-url",
    ),
    pytest.param(
        entry_with(extra="online: https://dichvucong.gov.vn  #<"),
        "phần 'online' phải là một khối khóa con (url, level, note)",
        id="online-as-text",
    ),
    pytest.param(
        entry_with(extra="postal:  #<\n  submit: Gửi qua bưu điện."),
        "phần 'postal' thiếu khóa 'receive'",
        id="postal-missing-receive",
    ),
    pytest.param(
        entry_with(updated="updated: 01/07/2025  #<"),
        "ngày '01/07/2025' không đúng dạng năm-tháng-ngày",
        id="date-wrong-format",
    ),
    pytest.param(
        entry_with(updated="updated: 2025-02-30  #<"),
        "ngày '2025-02-30' không có trên lịch",
        id="date-impossible",
    ),
    pytest.param(
        with_entry(NEW_ENTRY.replace("id: ket-hon", "id: Ket_Hon  #<")),
        "mã mục 'Ket_Hon' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, "
        "ví dụ 'ket-hon'",
        id="id-not-slug",
    ),
    pytest.param(
        with_entry(NEW_ENTRY.replace("id: ket-hon", "id: kết-hôn  #<")),
        "ví dụ 'ket-hon'",
        id="id-with-accents",
    ),
    pytest.param(
        HEADER.replace("  - {id: cu-tru, title: Cư trú}", "  - id: Cư trú  #<\n    title: Cư trú")
        + ENTRIES.replace("category: cu-tru", "category: ho-tich"),
        "mã nhóm 'Cư trú' không hợp lệ",
        id="category-id-not-slug",
    ),
    # top level
    pytest.param(
        HEADER.replace("version: 1", "version: 2  #<") + ENTRIES,
        "phiên bản định dạng '2' chưa được hỗ trợ — hãy ghi 'version: 1'",
        id="unsupported-version",
    ),
    pytest.param(
        "# no version  #<\n" + HEADER.replace("version: 1\n", "") + ENTRIES,
        "tệp FAQ thiếu phần 'version'",
        id="missing-version",
    ),
    pytest.param(
        "agency: null #<\n" + HEADER.split("categories:")[1].join(["categories:", ""]) + ENTRIES,
        "thiếu khóa 'name'",
        id="agency-empty",
    ),
    pytest.param(
        "# #<\n" + HEADER.replace("categories:", "x_categories:") + ENTRIES,
        "tệp FAQ thiếu phần 'categories'",
        id="missing-categories",
    ),
    pytest.param("# #<\n" + HEADER, "tệp FAQ thiếu phần 'entries'", id="missing-entries"),
    pytest.param(
        HEADER.replace('  phone: "0200 000 000"\n', "").replace("agency:", "agency:  #<") + ENTRIES,
        "phần 'agency' thiếu khóa 'phone' (số điện thoại)",
        id="agency-missing-phone",
    ),
    pytest.param(
        HEADER.replace("  portal:", "  email: mot cua  #<\n  portal:") + ENTRIES,
        "địa chỉ thư điện tử 'mot cua' không hợp lệ",
        id="agency-bad-email",
    ),
    pytest.param(
        HEADER + "synonyms:\n  căn cước: cccd  #<\n" + ENTRIES,
        "phần 'synonyms': khóa 'căn cước' phải là một danh sách",
        id="synonyms-string",
    ),
    pytest.param(
        HEADER + "synonyms:\n  - cccd  #<\n" + ENTRIES,
        "phần 'synonyms' phải gồm các dòng 'cụm từ chuẩn: [cách viết 1, cách viết 2]'",
        id="synonyms-list",
    ),
    pytest.param("- a  #<\n- b\n", "tệp FAQ phải gồm các phần 'version'", id="top-level-list"),
    pytest.param("chỉ là một dòng chữ  #<\n", "đang là một đoạn chữ", id="top-level-text"),
]


@pytest.mark.parametrize(("text", "fragment"), ERROR_CASES)
def test_error_is_reported_with_its_line(text: str, fragment: str) -> None:
    report = parse_faq(text, "faq.yaml", today=TODAY)
    assert report.book is None
    assert not report.ok
    found = [(p.line, p.message) for p in report.errors if fragment in p.message]
    assert found, [str(p) for p in report.errors]
    assert found[0][0] == marked_line(text), [str(p) for p in report.errors]


def test_base_snippets_are_valid() -> None:
    report = parse_faq(with_entry(NEW_ENTRY), today=TODAY)
    assert report.errors == ()
    assert report.warnings == ()
    assert report.book is not None
    assert [e.id for e in report.book.entries] == ["khai-sinh", "tam-tru", "ket-hon"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "tệp FAQ trống", id="empty"),
        pytest.param("   \n\n", "tệp FAQ trống", id="whitespace"),
        pytest.param("# chỉ có chú thích\n", "tệp FAQ trống", id="only-comments"),
    ],
)
def test_empty_file(text: str, expected: str) -> None:
    report = parse_faq(text, "faq.yaml")
    assert [(p.line, expected in p.message) for p in report.errors] == [(0, True)]
    assert str(report.errors[0]).startswith("faq.yaml: tệp FAQ trống")


WARNING_CASES = [
    pytest.param(entry_with(summary=""), "mục 'ket-hon' chưa có 'summary'", id="no-summary"),
    pytest.param(entry_with(steps=""), "mục 'ket-hon' chưa có 'steps'", id="no-steps"),
    pytest.param(entry_with(updated=""), "mục 'ket-hon' chưa có 'updated'", id="no-updated"),
    pytest.param(
        entry_with(summary="summary:  #<"),
        "mục 'ket-hon': 'summary' (tóm tắt câu trả lời) đang để trống",
        id="empty-summary",
    ),
    pytest.param(entry_with(extra='fee: ""  #<'), "'fee' (lệ phí) đang để trống", id="empty-fee"),
    pytest.param(
        entry_with(extra="where: Công an phường, phòng #<3 tầng 1"),
        "(«<3 tầng 1») là ghi chú của YAML nên bot bỏ đi: người dân chỉ thấy «Công an phường, phòng»",
        id="hash-cuts-the-text",
    ),
    pytest.param(
        entry_with(updated="updated: 2026-03-01  #<"),
        "ngày cập nhật 2026-03-01 nằm ở tương lai",
        id="future-date",
    ),
    pytest.param(
        entry_with(extra="related:\n  - tam-tru\n  - tam-tru  #<"),
        "mục liên quan 'tam-tru' được ghi hai lần",
        id="related-twice",
    ),
    pytest.param(
        # No marker here: a comment would end the multi-line text this case is about.
        entry_with(questions="questions:\n  - đăng ký kết hôn\n   - kết hôn cần gì"),
        "có thể một dòng '- ' bên dưới thụt lề sai",
        id="list-item-swallowed-by-bad-indent",
    ),
    pytest.param(
        HEADER.replace("  - {id: small-talk", "  - {id: dat-dai, title: Đất đai}  #<\n  - {id: small-talk")
        + ENTRIES,
        "nhóm 'dat-dai' (Đất đai) chưa có mục nào",
        id="unused-category",
    ),
]


@pytest.mark.parametrize(("text", "fragment"), WARNING_CASES)
def test_warning_keeps_the_file_usable(text: str, fragment: str) -> None:
    report = parse_faq(text, "faq.yaml", today=TODAY)
    assert report.errors == ()
    assert report.book is not None
    found = [p for p in report.warnings if fragment in p.message]
    assert found, [str(p) for p in report.warnings]
    assert all(p.severity == "warning" for p in report.warnings)
    if MARK in text:
        assert found[0].line == marked_line(text)
    elif "'questions'" in fragment or "thụt lề" in fragment:
        assert found[0].line == text.splitlines().index("      - đăng ký kết hôn") + 1
    else:
        assert found[0].line == report.book.entries[-1].line


def test_small_talk_needs_no_steps_nor_date() -> None:
    text = with_entry("id: cam-on\ncategory: small-talk\ntitle: Cảm ơn\nquestions: [cảm ơn]\nsummary: Dạ.")
    report = parse_faq(text, today=TODAY)
    assert (report.errors, report.warnings) == ((), ())


def test_good_file_loads_into_the_right_objects() -> None:
    book = load_faq(GOOD, today=TODAY)
    assert book.version == 1
    assert book.source == str(GOOD)
    assert book.agency.name == "UBND phường Thử Nghiệm"
    assert book.agency.hours == "Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00"
    assert book.agency.email == "motcua@thunghiem.example.vn"
    assert book.synonyms == (
        ("căn cước", ("cccd", "cmnd", "căn cước công dân")),
        ("khai sinh", ("gks", "giấy khai sinh")),
    )
    assert [(c.id, c.title) for c in book.categories] == [
        ("ho-tich", "Hộ tịch"),
        ("cu-tru", "Cư trú"),
        ("small-talk", "Trò chuyện"),
    ]
    assert [(e.id, e.line) for e in book.entries] == [("khai-sinh", 25), ("tam-tru", 55), ("chao-hoi", 65)]
    ks = book.entries[0]
    assert ks.title == "Đăng ký khai sinh"
    assert ks.questions == ("làm giấy khai sinh cho con cần những gì", "dang ky khai sinh: can gi")
    assert ks.summary == "Cha hoặc mẹ đăng ký khai sinh cho con trong 60 ngày kể từ ngày sinh."
    assert ks.steps == ("Chuẩn bị giấy chứng sinh.", "Nộp tờ khai tại bộ phận một cửa.")
    assert ks.documents == ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh")
    assert ks.online == Online(
        url="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?x=1",
        level=OnlineLevel.FULL,
        note="Liên thông khai sinh – thường trú – BHYT.",
    )
    assert ks.postal == Postal(submit="Gửi hồ sơ qua bưu chính công ích.", receive="Nhận kết quả tại nhà.")
    assert ks.procedure_code == "1.001193"
    assert ks.legal_basis == ("Luật Hộ tịch 2014",)
    assert ks.related == ("tam-tru",)
    assert ks.updated == dt.date(2025, 7, 1)
    tt = book.entry("tam-tru")
    assert tt is not None
    assert tt.online is not None and tt.online.level is OnlineLevel.PARTIAL
    assert tt.postal is None
    assert tt.updated == dt.date(2025, 6, 15)
    assert book.entries[2].is_small_talk
    assert [c.id for c in book.menu_categories] == ["ho-tich", "cu-tru"]


def test_good_file_has_no_problem() -> None:
    report = check_faq(GOOD, today=TODAY)
    assert (report.errors, report.warnings) == ((), ())
    assert report.ok


def test_loaded_objects_are_frozen() -> None:
    book = load_faq(GOOD, today=TODAY)
    entry = book.entries[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "khác"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.entries = ()  # type: ignore[misc]
    assert isinstance(entry.questions, tuple)
    assert isinstance(book.synonyms[0][1], tuple)
    problem = Problem("f", 1, "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.line = 2  # type: ignore[misc]


def test_nfd_file_loads_as_nfc(tmp_path: Path) -> None:
    nfd = tmp_path / "nfd.yaml"
    nfd.write_text(unicodedata.normalize("NFD", GOOD.read_text(encoding="utf-8")), encoding="utf-8")
    assert nfd.read_bytes() != GOOD.read_bytes()
    book = load_faq(nfd, today=TODAY)
    reference = load_faq(GOOD, today=TODAY)
    assert book.entries == reference.entries
    assert book.synonyms == reference.synonyms
    assert unicodedata.is_normalized("NFC", book.entries[0].title)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    assert load_faq(path, today=TODAY).entries[0].id == "khai-sinh"


def test_load_faq_raises_with_every_error(tmp_path: Path) -> None:
    text = with_entry(
        NEW_ENTRY.replace("quesitons", "x")
        .replace("questions:", "quesitons:")
        .replace("category: ho-tich", "category: ho-tic")
        .replace("updated: 2025-07-01", "updated: 2025-13-01")
    )
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaqError) as caught:
        load_faq(path, today=TODAY)
    messages = str(caught.value).splitlines()
    assert len(caught.value.problems) == len(messages) >= 4
    assert all(m.startswith(f"{path}:") for m in messages)
    joined = "\n".join(messages)
    for fragment in ("'quesitons'", "'ho-tic'", "2025-13-01", "thiếu khóa 'questions'"):
        assert fragment in joined
    assert [p.line for p in caught.value.problems] == sorted(p.line for p in caught.value.problems)


def test_problem_text() -> None:
    assert str(Problem("faq.yaml", 12, "khóa 'x' không hợp lệ")) == "faq.yaml:12: khóa 'x' không hợp lệ"
    warning = Problem("faq.yaml", 3, "mục 'a' chưa có 'steps'", "warning")
    assert str(warning) == "faq.yaml:3: (cảnh báo) mục 'a' chưa có 'steps'"
    assert str(Problem("faq.yaml", 0, "tệp FAQ trống")) == "faq.yaml: tệp FAQ trống"


def test_accents_off_level_is_normalised() -> None:
    text = entry_with(extra="online: {url: 'https://a.gov.vn', level: MOT PHAN}")
    book = parse_faq(text, today=TODAY).book
    assert book is not None
    online = book.entries[-1].online
    assert online is not None and online.level is OnlineLevel.PARTIAL


def test_level_khong_needs_no_url() -> None:
    text = entry_with(extra="online: {level: không, note: Chưa hỗ trợ nộp trực tuyến.}")
    book = parse_faq(text, today=TODAY).book
    assert book is not None
    assert book.entries[-1].online == Online(
        url="", level=OnlineLevel.NONE, note="Chưa hỗ trợ nộp trực tuyến."
    )


CP1258_PHUONG = b"Ph\xfd\xf5\xccng"
"""'Phường' as a Windows-1258 editor saves it (ư, ơ, combining grave)."""


def _junk(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(_junk(1, 4096), "không được lưu bằng mã UTF-8", id="binary-junk"),
        pytest.param(b"name: " + CP1258_PHUONG + b"\n", "không được lưu bằng mã UTF-8", id="windows-1258"),
        pytest.param("version: 1\n".encode("utf-16"), "UTF-16", id="utf-16"),
        pytest.param(b"\x00\x01\x02", "ký tự điều khiển", id="nul-bytes"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "lồng nhau quá sâu", id="deep-nesting"),
        pytest.param(b"{" * 100_000, "lồng nhau quá sâu", id="deep-unclosed"),
        pytest.param(
            b"a:\n" + b"".join(b" " * i + b"b:\n" for i in range(1, 500)),
            "lồng nhau quá sâu",
            id="deep-block-nesting",
        ),
        pytest.param(b"- " + b"x" * 5_000_000 + b"\n", "tệp FAQ phải gồm", id="five-megabytes-of-text"),
        pytest.param(b"- [a, b]\n" * 50_000, "tệp FAQ phải gồm", id="long-top-level-list"),
        pytest.param(b"\t\tx: 1\n" * 1000, "còn 980 dòng khác thụt lề bằng Tab", id="many-tabs"),
    ],
)
def test_never_raises_on_junk(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(data)
    report = check_faq(path)
    assert isinstance(report, CheckReport)
    assert report.book is None
    assert any(fragment in p.message for p in report.errors), [str(p) for p in report.errors[:5]]


def test_not_utf8_points_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cp.yaml"
    path.write_bytes(b"version: 1\nagency:\n  name: " + CP1258_PHUONG + b"\n")
    (problem,) = check_faq(path).errors
    assert problem.line == 3


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        pytest.param(lambda p: p / "missing.yaml", "không tìm thấy tệp FAQ", id="missing"),
        pytest.param(lambda p: p, "là một thư mục", id="directory"),
    ],
)
def test_unreadable_path(tmp_path: Path, make, fragment: str) -> None:  # type: ignore[no-untyped-def]
    report = check_faq(make(tmp_path))
    assert report.book is None
    assert fragment in report.errors[0].message
    with pytest.raises(FaqError):
        load_faq(make(tmp_path))


def test_large_valid_file_loads(tmp_path: Path) -> None:
    block = "\n".join(
        f"  - id: muc-{i}\n    category: ho-tich\n    title: Thủ tục số {i}\n"
        f"    questions: [câu hỏi {i} về thủ tục, cau hoi {i}]\n    summary: Tóm tắt {i}.\n"
        f"    steps: [Bước một.]\n    updated: 2025-01-01"
        for i in range(5_000)
    )
    path = tmp_path / "big.yaml"
    path.write_text(HEADER + "entries:\n" + block + "\n", encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    book = load_faq(path, today=TODAY)
    assert len(book.entries) == 5_000


def test_default_faq_location() -> None:
    assert DEFAULT_FAQ.name == "default.yaml"
    assert DEFAULT_FAQ.parent.name == "data"
    assert DEFAULT_FAQ.parent.parent.name == "faq"


def test_missing_categories_does_not_blame_every_entry() -> None:
    text = HEADER.replace("categories:", "x_categories:") + ENTRIES
    messages = [p.message for p in parse_faq(text, today=TODAY).errors]
    assert len(messages) == 2, messages
    assert "thiếu phần 'categories'" in messages[0]
    assert "có phải ý bạn là 'categories'?" in messages[1]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("version: 1\nagency: x\x0by\nentries: \x0c\n", 2, id="vertical-tab"),
        pytest.param("a: 1\r\nb: \x01\r\n", 2, id="crlf"),
        pytest.param("a: 1\u2028b: 2\nc: \x02\n", 3, id="unicode-line-separator"),
        pytest.param("a: \ud800\n", 1, id="lone-surrogate"),
    ],
)
def test_control_characters_are_located_as_yaml_counts_lines(text: str, line: int) -> None:
    report = parse_faq(text, "faq.yaml")
    assert report.errors[0].line == line
    assert "ký tự điều khiển" in report.errors[0].message


def test_random_edits_never_raise() -> None:
    base = GOOD.read_text(encoding="utf-8")
    rng = random.Random(2024)
    pieces = [*":-[]{}#&*!|>'\"\t \n,?%@`~", "đ", "ạ", "\u0301", "\x00", "\ud800", "- ", ": ", "yes"]
    for _ in range(300):
        chars = list(base)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[i : i + rng.randint(1, 20)]
            else:
                chars.insert(i, rng.choice(pieces))
        report = parse_faq("".join(chars), "faq.yaml", today=TODAY)
        assert report.book is None or not report.errors


@pytest.mark.parametrize("bullet", [pytest.param("•", id="round-bullet"), pytest.param("–", id="en-dash")])
def test_a_list_pasted_with_word_bullets_names_the_bullet_and_is_not_called_empty(bullet: str) -> None:
    text = MINI_FAQ.read_text(encoding="utf-8")
    steps = [
        "      - Chuẩn bị giấy chứng sinh do cơ sở y tế cấp và giấy tờ tùy thân của người đi đăng ký.",
        "      - Nộp tờ khai đăng ký khai sinh tại bộ phận một cửa UBND cấp xã hoặc trên Cổng Dịch vụ công.",
    ]
    for line in steps:
        assert line in text
        text = text.replace(line, line.replace("- ", f"{bullet} ", 1))
    report = parse_faq(text, "faq.yaml")
    messages = [p.message for p in (*report.errors, *report.warnings)]
    assert any(f"các ý đang bắt đầu bằng dấu '{bullet}'" in m for m in messages), messages
    assert not any("'steps'" in m and "đang để trống" in m for m in messages), messages
