"""faq.lint: staff warnings on crafted FAQs, each naming the entry and pointing at its line."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from faq.decision import MatchSettings
from faq.lint import LintSettings, lint, placeholders
from faq.loader import Problem, load_faq, parse_faq
from faq.matcher import Matcher

TODAY = dt.date(2026, 1, 1)

BASE = """\
version: 1
agency:
  name: UBND phường Thử
  address: Số 1 đường Mẫu
  hours: Thứ Hai – Thứ Sáu
  phone: "0200 000 000"
  portal: https://dichvucong.gov.vn
synonyms:
  tạm trú: [kt3]
categories:
  - {id: ho-tich, title: Hộ tịch}
  - {id: cu-tru, title: Cư trú}
  - {id: xuat-canh, title: Xuất nhập cảnh}
  - {id: small-talk, title: Trò chuyện}
  - {id: out-of-scope, title: Ngoài phạm vi}
entries:
  - id: khai-sinh
    category: ho-tich
    title: Đăng ký khai sinh
    questions:
      - làm giấy khai sinh cho con cần gì
      - đăng ký khai sinh cho trẻ mới sinh
    summary: Cha hoặc mẹ đăng ký khai sinh cho con tại UBND cấp xã.
    steps: [Nộp tờ khai và giấy chứng sinh.]
    documents: [Tờ khai.]
    fee: Miễn phí.
    processing_time: Trong ngày.
    where: UBND cấp xã.
    online: {url: "https://dichvucong.gov.vn", level: toàn trình}
    postal: {submit: Gửi qua bưu điện., receive: Nhận tại nhà.}
    related: [tam-tru]
    updated: 2025-07-01
  - id: tam-tru
    category: cu-tru
    title: Đăng ký tạm trú
    questions:
      - đăng ký tạm trú cho người ở trọ
      - khai báo tạm trú online thế nào
    summary: Người ở trọ từ 30 ngày phải đăng ký tạm trú tại công an xã.
    steps: [Kê khai mẫu CT01.]
    documents: [Tờ khai.]
    fee: Miễn phí.
    processing_time: Trong ngày.
    where: UBND cấp xã.
    online: {url: "https://dichvucong.bocongan.gov.vn", level: toàn trình}
    postal: {submit: Không áp dụng., receive: Không áp dụng.}
    updated: 2025-07-01
  - id: ho-chieu
    category: xuat-canh
    title: Cấp hộ chiếu phổ thông
    questions:
      - làm hộ chiếu đi nước ngoài
      - cấp passport mất bao lâu
    summary: Công dân đủ 14 tuổi làm hộ chiếu tại công an tỉnh hoặc trên cổng dịch vụ công.
    steps: [Khai tờ khai X01.]
    documents: [Tờ khai.]
    fee: Miễn phí.
    processing_time: Trong ngày.
    where: UBND cấp xã.
    online: {url: "https://dichvucong.bocongan.gov.vn", level: toàn trình}
    postal: {submit: Không áp dụng., receive: Nhận hộ chiếu qua bưu điện.}
    updated: 2025-07-01
  - id: chao-hoi
    category: small-talk
    title: Chào hỏi
    questions: [xin chào]
    summary: Dạ, xin chào anh/chị ạ.
  - id: ly-hon
    category: out-of-scope
    title: Ly hôn, tranh chấp nuôi con
    questions: [thủ tục ly hôn]
    summary: Việc ly hôn do Tòa án nhân dân khu vực giải quyết, phường không nhận hồ sơ.
"""


def findings(text: str, settings: LintSettings | None = None) -> tuple[Problem, ...]:
    report = parse_faq(text, "faq.yaml", today=TODAY)
    assert report.errors == (), [str(p) for p in report.errors]
    assert report.book is not None
    return lint(report.book, Matcher(report.book, MatchSettings()), settings or LintSettings(today=TODAY))


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_clean_faq_has_no_finding() -> None:
    assert findings(BASE) == ()


def add_question(entry_id: str, question: str) -> str:
    anchor = f"  - id: {entry_id}\n"
    head, tail = BASE.split(anchor)
    marker = "    questions:\n"
    return head + anchor + tail.replace(marker, marker + f"      - {question}\n", 1)


CASES = [
    pytest.param(
        add_question("ho-chieu", "đăng ký tạm trú cho người ở trọ thế nào"),
        "ho-chieu",
        ("câu hỏi “đăng ký tạm trú cho người ở trọ thế nào” của mục 'ho-chieu'", "'tam-tru'"),
        id="question-answered-by-another-entry",
    ),
    pytest.param(
        add_question("ho-chieu", "cho em hỏi với ạ"),
        "ho-chieu",
        ("câu hỏi “cho em hỏi với ạ” của mục 'ho-chieu' bị bot coi là lời mở đầu lịch sự",),
        id="question-that-is-only-politeness",
    ),
    pytest.param(
        add_question("tam-tru", "làm hộ chiếu đi nước ngoài"),
        "tam-tru",
        ("câu hỏi “làm hộ chiếu đi nước ngoài” của mục 'tam-tru'", "mục 'ho-chieu' cũng gần"),
        id="question-shared-by-two-entries",
    ),
    pytest.param(
        add_question("tam-tru", "làm giấy khai sinh cho con cần gì ạ"),
        "tam-tru",
        (
            "gần trùng",
            "của mục 'tam-tru'",
            f"của mục 'khai-sinh' (dòng {line_of(BASE, '      - làm giấy khai sinh cho con cần gì')})",
        ),
        id="near-duplicate-across-entries",
    ),
    pytest.param(
        add_question("ho-chieu", "lam giay khai sinh cho con can gi"),
        "ho-chieu",
        ("gần trùng", "'khai-sinh'", "'ho-chieu'"),
        id="near-duplicate-without-accents",
    ),
    pytest.param(
        BASE.replace("related: [tam-tru]", "related: [tam-tru, chao-hoi]"),
        "khai-sinh",
        ("mục 'khai-sinh' liên kết (related) tới mục trò chuyện 'chao-hoi'",),
        id="related-to-small-talk",
    ),
    pytest.param(
        BASE.replace("    summary: Dạ, xin chào anh/chị ạ.", "    summary: Dạ.\n    fee: Miễn phí."),
        "chao-hoi",
        ("nằm trong nhóm trò chuyện (small-talk) nhưng có nội dung thủ tục (fee)",),
        id="procedure-filed-under-small-talk",
    ),
    pytest.param(
        BASE.replace("updated: 2025-07-01\n  - id: ho-chieu", "updated: 2024-12-01\n  - id: ho-chieu"),
        "tam-tru",
        ("mục 'tam-tru' được rà soát lần cuối ngày 2024-12-01 (396 ngày trước, quá 365 ngày)",),
        id="stale-entry",
    ),
    pytest.param(
        BASE.replace(
            "    summary: Người ở trọ từ 30 ngày",
            "    summary: " + "Rất dài. " * 230 + "Người ở trọ từ 30 ngày",
        ),
        "tam-tru",
        ("mục 'tam-tru': phần tóm tắt (summary) dài 2129 ký tự, quá 2000 ký tự của một tin nhắn Zalo",),
        id="summary-longer-than-a-zalo-message",
    ),
    pytest.param(
        BASE.replace("    steps: [Kê khai mẫu CT01.]", "    steps:\n" + "      - Bước khá dài. \n" * 150),
        "tam-tru",
        ("các bước (steps) dài",),
        id="steps-longer-than-a-zalo-message",
    ),
    pytest.param(
        BASE.replace(
            '    online: {url: "https://dichvucong.bocongan.gov.vn", level: toàn trình}\n'
            "    postal: {submit: Không áp dụng., receive: Không áp dụng.}\n",
            "",
        ),
        "tam-tru",
        ("thủ tục 'tam-tru' chưa có thông tin nộp trực tuyến (online) và bưu chính (postal)",),
        id="procedure-without-online-nor-postal",
    ),
    pytest.param(
        BASE.replace("    postal: {submit: Không áp dụng., receive: Không áp dụng.}\n", ""),
        "tam-tru",
        ("thủ tục 'tam-tru' chưa có thông tin bưu chính (postal)",),
        id="procedure-without-postal",
    ),
    pytest.param(
        BASE.replace("    fee: Miễn phí.\n", "", 1).replace("    where: UBND cấp xã.\n", "", 1),
        "khai-sinh",
        ("thủ tục 'khai-sinh' chưa có thông tin lệ phí (fee) và nơi nộp (where)", "«chưa có thông tin»"),
        id="procedure-without-fee-nor-place",
    ),
]


@pytest.mark.parametrize(("text", "entry_id", "fragments"), CASES)
def test_finding(text: str, entry_id: str, fragments: tuple[str, ...]) -> None:
    found = findings(text)
    assert found, "expected a finding"
    assert all(p.severity == "warning" and p.file == "faq.yaml" for p in found)
    matching = [p for p in found if all(f in p.message for f in fragments)]
    assert len(matching) == 1, [str(p) for p in found]
    entry_line = line_of(text, f"  - id: {entry_id}")
    quoted = re.search(r"câu hỏi “([^”…]+)", matching[0].message)
    if quoted is None:
        assert matching[0].line == entry_line
    else:
        # A finding about one question names that question's own line (entries have many).
        asked = [n for n, t in enumerate(text.splitlines(), 1) if n > entry_line and quoted.group(1) in t]
        assert matching[0].line == asked[0], (matching[0].line, asked)


def test_findings_are_in_file_order() -> None:
    text = BASE.replace("updated: 2025-07-01", "updated: 2020-01-01")
    lines = [p.line for p in findings(text)]
    assert len(lines) == 3
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("settings", "count"),
    [
        pytest.param(LintSettings(today=TODAY), 3, id="default-age"),
        pytest.param(LintSettings(today=TODAY, max_age_days=3000), 0, id="longer-age"),
        pytest.param(LintSettings(today=dt.date(2020, 6, 1)), 0, id="earlier-today"),
    ],
)
def test_max_age_is_configurable(settings: LintSettings, count: int) -> None:
    text = BASE.replace("updated: 2025-07-01", "updated: 2020-01-01")
    assert len([p for p in findings(text, settings) if "rà soát" in p.message]) == count


def test_max_part_chars_is_configurable() -> None:
    assert any(
        "quá 40 ký tự" in p.message for p in findings(BASE, LintSettings(today=TODAY, max_part_chars=40))
    )


def test_information_entries_without_steps_need_no_online_or_postal() -> None:
    contact = (
        "  - id: lien-he\n"
        "    category: cu-tru\n"
        "    title: Liên hệ Bộ phận Một cửa\n"
        "    questions: [số điện thoại bộ phận một cửa]\n"
        "    summary: Gọi 0200 000 000 trong giờ hành chính.\n"
        "    updated: 2025-07-01\n"
    )
    text = BASE.replace("  - id: chao-hoi\n", contact + "  - id: chao-hoi\n")
    assert [p for p in findings(text) if "lien-he" in p.message] == []


# -- template placeholders left in the file ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line_text", "fragments"),
    [
        pytest.param(
            '  phone: "0200 000 000"',
            '  phone: "[0xx xxxx xxxx]"',
            '  phone: "[0xx xxxx xxxx]"',
            ("phần 'agency', số điện thoại (phone)", "“[0xx xxxx xxxx]”"),
            id="agency-phone-brackets",
        ),
        pytest.param(
            "  name: UBND phường Thử",
            "  name: UBND phường Mẫu (thay bằng tên đơn vị)",
            "  name: UBND phường Mẫu (thay bằng tên đơn vị)",
            ("phần 'agency', tên cơ quan (name)", "“(thay bằng tên đơn vị)”"),
            id="agency-name-replace-me",
        ),
        pytest.param(
            "  address: Số 1 đường Mẫu",
            '  address: "[Số nhà, đường…]"',
            '  address: "[Số nhà, đường…]"',
            ("phần 'agency', địa chỉ (address)", "“[Số nhà, đường…]”"),
            id="agency-address",
        ),
        pytest.param(
            "    summary: Người ở trọ từ 30 ngày phải đăng ký tạm trú tại công an xã.",
            "    summary: Gọi [0xx xxxx xxxx] để hỏi trước.",
            "    summary: Gọi [0xx xxxx xxxx] để hỏi trước.",
            ("mục 'tam-tru', phần tóm tắt (summary)", "“[0xx xxxx xxxx]”"),
            id="entry-summary",
        ),
        pytest.param(
            "    steps: [Kê khai mẫu CT01.]",
            "    steps:\n      - Kê khai mẫu CT01.\n      - Nộp tại — thay bằng địa chỉ công an xã",
            "      - Nộp tại — thay bằng địa chỉ công an xã",
            ("mục 'tam-tru', các bước (steps)", "“— thay bằng địa chỉ công an xã”"),
            id="entry-second-step",
        ),
        pytest.param(
            "    postal: {submit: Không áp dụng., receive: Không áp dụng.}",
            "    postal:\n      submit: Không áp dụng.\n      receive: Bưu cục [tên bưu cục]",
            "      receive: Bưu cục [tên bưu cục]",
            ("mục 'tam-tru', phần bưu chính (postal)", "“[tên bưu cục]”"),
            id="entry-postal-receive",
        ),
    ],
)
def test_placeholder_left_in_the_file(old: str, new: str, line_text: str, fragments: tuple[str, ...]) -> None:
    assert old in BASE
    text = BASE.replace(old, new)
    found = [p for p in findings(text) if "còn chỗ mẫu chưa thay" in p.message]
    assert len(found) == 1, [str(p) for p in found]
    assert all(f in found[0].message for f in fragments), str(found[0])
    assert found[0].line == line_of(text, line_text)
    assert str(found[0]).startswith(f"faq.yaml:{found[0].line}: (cảnh báo) ")


@pytest.mark.parametrize(
    "prose",
    [
        pytest.param("Giấy chứng sinh có thể thay bằng văn bản người làm chứng.", id="thay-bang-prose"),
        pytest.param("Mang theo bản chính hoặc bản sao [ ].", id="empty-brackets"),
    ],
)
def test_prose_is_not_a_placeholder(prose: str) -> None:
    text = BASE.replace("Người ở trọ từ 30 ngày phải đăng ký tạm trú tại công an xã.", prose)
    assert [p for p in findings(text) if "còn chỗ mẫu" in p.message] == []


def test_the_shipped_template_warns_only_about_its_agency_block() -> None:
    book = load_faq(None)
    found = placeholders(book)
    assert {p.line for p in found} == {book.agency.line_of(k) for k in ("name", "address", "phone", "email")}
    assert all("phần 'agency'" in p.message for p in found)


@pytest.mark.parametrize(
    ("old", "new", "fragments", "line_text"),
    [
        pytest.param(
            "synonyms:\n  tạm trú: [kt3]\n", "", ("chưa có phần 'synonyms'", "faq/data/default.yaml"),
            "agency:", id="no-synonyms",
        ),
        pytest.param(
            "  - id: ly-hon\n    category: out-of-scope\n", "  - id: ly-hon\n    category: small-talk\n",
            ("chưa có mục nào thuộc nhóm 'out-of-scope'", "hộ chiếu", "chép những mục"), "  - id: khai-sinh",
            id="no-declined-topic",
        ),
    ],
)  # fmt: skip
def test_a_faq_without_synonyms_or_declined_topics_is_told(
    old: str, new: str, fragments: tuple[str, ...], line_text: str
) -> None:
    """Both cost citizens answers on FAQs written from scratch; the warning says what to add, and where."""
    assert old in BASE
    text = BASE.replace(old, new)
    found = [p for p in findings(text) if all(f in p.message for f in fragments)]
    assert len(found) == 1, [str(p) for p in findings(text)]
    assert found[0].severity == "warning"
    assert found[0].line == line_of(text, line_text)


def test_a_faq_of_small_talk_only_is_not_told_to_decline_topics() -> None:
    """No procedure, nothing to decline and no words to recognise: neither warning applies."""
    head, rest = BASE.split("entries:\n")
    small_talk = "  - id: chao-hoi\n" + rest.split("  - id: chao-hoi\n")[1].split("  - id: ly-hon\n")[0]
    text = head.replace("synonyms:\n  tạm trú: [kt3]\n", "") + "entries:\n" + small_talk
    assert "synonyms" not in text and "category: out-of-scope" not in text and "category: ho-tich" not in text
    assert findings(text) == ()


@pytest.mark.parametrize(
    ("synonym", "warned"),
    [
        pytest.param("  chuyển thường trú: [chuyển khẩu]", True, id="a-standard-phrase-no-entry-uses"),
        pytest.param("  đăng ký tạm trú: [đk tạm trú]", False, id="used-by-an-entry"),
        pytest.param("  người ở trọ: [nguoi o tro]", False, id="used-word-by-word-in-questions"),
    ],
)
def test_a_synonym_helps_only_through_a_standard_phrase_an_entry_uses(synonym: str, warned: bool) -> None:
    # The commune clerk kept the template's "chuyển thường trú: [chuyển khẩu]" while her entries said
    # "đăng ký thường trú": "chuyen khau tu Binh Phuoc ve" got nothing, and nothing said why.
    text = BASE.replace("  tạm trú: [kt3]\n", f"  tạm trú: [kt3]\n{synonym}\n")
    found = [p for p in findings(text) if "phần 'synonyms'" in p.message]
    assert bool(found) is warned, [str(p) for p in found]
    if warned:
        assert found[0].line == line_of(text, synonym) and "«chuyển thường trú»" in found[0].message
