"""faq.writeback: a phrasing is added to an entry's questions and nothing else in the text changes."""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

import pytest

from faq.loader import parse_faq
from faq.writeback import NewEntry, WriteBackError, add_entry, add_questions, scalar

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"

HEAD = "version: 1\nentries:\n"


def only_inserted(before: str, after: str) -> list[str]:
    """The lines added to `before` to make `after`; fails when any line of `before` changed or went."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), f"line(s) {i1 + 1}-{i2} changed: {old[i1:i2]} -> {new[j1:j2]}"
        if op == "insert":
            added += new[j1:j2]
    return added


@pytest.mark.parametrize(
    ("text", "phrasings", "expected"),
    [
        pytest.param(
            HEAD + "  - id: a\n    questions:\n      - một\n      - hai\n    summary: s\n",
            ["ba bốn"],
            HEAD + "  - id: a\n    questions:\n      - một\n      - hai\n      - ba bốn\n    summary: s\n",
            id="block-list",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions:\n    - một   # chú thích\n    # - tắt đi\n    summary: s\n",
            ["ba", "bốn"],
            HEAD + "  - id: a\n    questions:\n    - một   # chú thích\n    - ba\n    - bốn\n"
            "    # - tắt đi\n    summary: s\n",
            id="block-list-own-indent-comments-kept",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions: [một, hai]  # ghi chú\n    summary: s\n",
            ["ba, bốn"],
            HEAD + '  - id: a\n    questions: [một, hai, "ba, bốn"]  # ghi chú\n    summary: s\n',
            id="flow-list-quoted-comma",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions: []\n    summary: s\n",
            ["ba"],
            HEAD + "  - id: a\n    questions: [ba]\n    summary: s\n",
            id="empty-flow-list",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions:\n      - 'một'\n      - \"hai\"\n",
            ["yes"],
            HEAD + '  - id: a\n    questions:\n      - \'một\'\n      - "hai"\n      - "yes"\n',
            id="last-line-of-file-quoted-bool",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions:\n      - một\n      - hai",
            ["ba"],
            HEAD + "  - id: a\n    questions:\n      - một\n      - hai\n      - ba",
            id="no-final-newline",
        ),
        pytest.param(
            (HEAD + "  - id: a\n    questions:\n      - một\n    summary: s\n").replace("\n", "\r\n"),
            ["ba"],
            (HEAD + "  - id: a\n    questions:\n      - một\n      - ba\n    summary: s\n").replace(
                "\n", "\r\n"
            ),
            id="crlf-kept",
        ),
        pytest.param(
            "\ufeff" + HEAD + "  - id: a\n    questions:\n      - một\n",
            ["ba"],
            "\ufeff" + HEAD + "  - id: a\n    questions:\n      - một\n      - ba\n",
            id="bom-kept",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions:\n      - một câu dài\n        viết hai dòng\n  - id: b\n"
            "    questions: [x]\n",
            ["ba"],
            HEAD + "  - id: a\n    questions:\n      - một câu dài\n        viết hai dòng\n      - ba\n"
            "  - id: b\n    questions: [x]\n",
            id="multi-line-item",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions: [x]\n  - id: b\n    questions:\n      - y\n",
            ["z"],
            HEAD + "  - id: a\n    questions: [x]\n  - id: b\n    questions:\n      - y\n      - z\n",
            id="second-entry",
        ),
    ],
)
def test_add_questions(text: str, phrasings: list[str], expected: str) -> None:
    entry = "b" if "id: b\n    questions:\n      - y" in text else "a"
    assert add_questions(text, entry, phrasings) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("làm khai sinh ở đâu", "làm khai sinh ở đâu", id="plain"),
        pytest.param("yes", '"yes"', id="bool-word"),
        pytest.param("2025-07-01", '"2025-07-01"', id="date"),
        pytest.param("123", '"123"', id="number"),
        pytest.param("hỏi: lệ phí", '"hỏi: lệ phí"', id="colon-space"),
        pytest.param("phí #2 là gì", '"phí #2 là gì"', id="comment-mark"),
        pytest.param("- gạch đầu", '"- gạch đầu"', id="dash-start"),
        pytest.param('nói "vâng"', '"nói \\"vâng\\""', id="double-quotes-escaped"),
        pytest.param("[số] mất", '"[số] mất"', id="bracket"),
    ],
)
def test_scalar(text: str, expected: str) -> None:
    assert scalar(text) == expected


@pytest.mark.parametrize(
    ("text", "entry", "fragment"),
    [
        pytest.param(HEAD + "  - id: a\n    questions: [x]\n", "zz", "không tìm thấy", id="unknown-entry"),
        pytest.param(
            HEAD + "  - id: a\n    questions: [x]\n  - id: a\n    questions: [y]\n",
            "a",
            "nhiều hơn một mục",
            id="duplicate-id",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions: một câu\n", "a", "không phải một danh sách", id="scalar"
        ),
        pytest.param(HEAD + "  - id: a\n    title: t\n", "a", "không tìm thấy", id="no-questions"),
        pytest.param("entries: [\n", "a", "lỗi cú pháp", id="broken-yaml"),
    ],
)
def test_refused(text: str, entry: str, fragment: str) -> None:
    with pytest.raises(WriteBackError, match=fragment):
        add_questions(text, entry, ["ba"])


def test_commented_faq_is_identical_outside_the_new_lines() -> None:
    original = MINI_FAQ.read_text(encoding="utf-8")
    # Comments everywhere staff put them: above, beside and below the list, and disabled items.
    commented = original.replace(
        "      - làm giấy khai sinh cho con cần những gì\n",
        "      # cách hỏi hay gặp nhất\n      - làm giấy khai sinh cho con cần những gì  # 2024\n",
    ).replace("    keywords: [khai sinh,", "      # - câu cũ, đã tắt\n    keywords: [khai sinh,", 1)
    assert commented != original
    phrasings = ["làm khai sinh cho con ở phường nào", "khai sinh: cần mang gì"]
    edited = add_questions(commented, "khai-sinh", phrasings)
    assert only_inserted(commented, edited) == [
        "      - làm khai sinh cho con ở phường nào\n",
        '      - "khai sinh: cần mang gì"\n',
    ]
    book = parse_faq(edited).book
    assert book is not None
    entry = book.entry("khai-sinh")
    assert entry is not None and entry.questions[-2:] == tuple(phrasings)
    # Removing the added lines gives back the file byte for byte.
    kept = [line for line in edited.splitlines(keepends=True) if line not in only_inserted(commented, edited)]
    assert "".join(kept).encode("utf-8") == commented.encode("utf-8")


def test_flow_list_of_the_test_faq_reads_back() -> None:
    original = MINI_FAQ.read_text(encoding="utf-8")
    edited = add_questions(original, "chao-hoi", ["chào em nhé", "yes"])
    book = parse_faq(edited).book
    assert book is not None
    entry = book.entry("chao-hoi")
    assert entry is not None and entry.questions[-2:] == ("chào em nhé", "yes")
    changed = [(a, b) for a, b in zip(original.splitlines(), edited.splitlines(), strict=True) if a != b]
    assert len(changed) == 1


NEW = NewEntry(
    "phat-nguoi", "c", "Tra cứu phạt nguội", ("tra cứu phạt nguội ở đâu",), "Xem trên trang: CSGT."
)
NEW_LINES = (
    "  - id: phat-nguoi\n    category: c\n    title: Tra cứu phạt nguội\n{q}"
    '    summary: "Xem trên trang: CSGT."\n'
)
BLOCK_Q = "    questions:\n      - tra cứu phạt nguội ở đâu\n"
FLOW_Q = "    questions: [tra cứu phạt nguội ở đâu]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            HEAD + "  - id: a\n    questions:\n      - x\n    summary: s\n",
            HEAD + "  - id: a\n    questions:\n      - x\n    summary: s\n" + NEW_LINES.format(q=BLOCK_Q),
            id="block-layout",
        ),
        pytest.param(
            HEAD + "  - id: a\n    questions: [x]\n    summary: s\n\n  - id: b\n    questions: [y]\n# cuối\n",
            HEAD
            + "  - id: a\n    questions: [x]\n    summary: s\n\n  - id: b\n    questions: [y]\n\n"
            + NEW_LINES.format(q=FLOW_Q)
            + "# cuối\n",
            id="flow-layout-blank-line-separated-comment-kept",
        ),
        pytest.param(
            HEAD + "- id: a\n  questions:\n  - x\n  summary: s",
            HEAD + "- id: a\n  questions:\n  - x\n  summary: s\n- id: phat-nguoi\n  category: c\n"
            "  title: Tra cứu phạt nguội\n  questions:\n  - tra cứu phạt nguội ở đâu\n"
            '  summary: "Xem trên trang: CSGT."\n',
            id="own-indent-no-final-newline",
        ),
        pytest.param(
            (HEAD + "  - id: a\n    questions:\n      - x\n").replace("\n", "\r\n"),
            (HEAD + "  - id: a\n    questions:\n      - x\n" + NEW_LINES.format(q=BLOCK_Q)).replace(
                "\n", "\r\n"
            ),
            id="crlf-kept",
        ),
    ],
)
def test_add_entry(text: str, expected: str) -> None:
    assert add_entry(text, NEW) == expected


@pytest.mark.parametrize(
    ("text", "entry", "fragment"),
    [
        pytest.param(HEAD + "  - id: phat-nguoi\n    questions: [x]\n", NEW, "đã có mục", id="duplicate-id"),
        pytest.param("version: 1\n", NEW, "entries", id="no-entries"),
        pytest.param(HEAD + "  - {id: a, questions: [x]}\n", NEW, "bằng tay", id="flow-entry"),
        pytest.param(
            HEAD + "  - id: a\n    questions: [x]\n",
            dataclasses.replace(NEW, summary="hai\ndòng"),
            "một dòng",
            id="multi-line-summary",
        ),
    ],
)
def test_add_entry_refused(text: str, entry: NewEntry, fragment: str) -> None:
    with pytest.raises(WriteBackError, match=fragment):
        add_entry(text, entry)


def test_new_entry_in_the_commented_test_faq_adds_only_lines() -> None:
    original = MINI_FAQ.read_text(encoding="utf-8").replace(
        "  - id: tam-biet\n", "  # lời chào cuối cùng\n  - id: tam-biet  # giữ nguyên\n"
    )
    entry = dataclasses.replace(NEW, category="cu-tru", updated="2026-12-01")
    edited = add_entry(original, entry)
    added = only_inserted(original, edited)
    assert (
        added[0] == "\n" and added[1] == "  - id: phat-nguoi\n" and added[-1] == "    updated: 2026-12-01\n"
    )
    report = parse_faq(edited)
    assert report.book is not None and report.ok
    new = report.book.entry("phat-nguoi")
    assert new is not None and new.summary == "Xem trên trang: CSGT." and new.questions == NEW.questions
