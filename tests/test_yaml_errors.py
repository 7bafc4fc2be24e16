"""faq.yaml_errors: a YAML syntax error is blamed on the line where the mistake is, in plain words."""

from __future__ import annotations

import pytest
import yaml

from faq.loader import parse_faq
from faq.yaml_errors import explain_yaml_error, split_lines

ENTRY = """\
version: 1
entries:
  - id: giam-ho
    title: Đăng ký giám hộ
    summary: "Việc giám hộ do UBND cấp xã đăng ký."
    questions:
      - đăng ký giám hộ cho cháu
      - làm giám hộ ở đâu
      - giam ho can giay to gi
      - ông bà làm giám hộ cho cháu được không
    documents:
      - Tờ khai đăng ký giám hộ
      - Văn bản cử người giám hộ
    fee: "Miễn lệ phí."
    processing_time: "03 ngày làm việc."
    steps:
      - "Nộp tờ khai tại bộ phận một cửa."
      - "Nhận trích lục đăng ký giám hộ."
    updated: 2025-07-01
"""


def edit(old: str, new: str, text: str = ENTRY) -> tuple[str, int]:
    """`text` with line `old` replaced by `new`, and the line number `new` lands on (no marker
    comment: a comment would end a plain text and change how YAML reads the mistake)."""
    assert text.count(old + "\n") == 1, old
    return text.replace(old + "\n", new + "\n"), text[: text.index(old + "\n")].count("\n") + 1


def blame(text: str) -> tuple[int, str]:
    report = parse_faq(text, "faq.yaml")
    assert report.errors, "the case must be a YAML error"
    return report.errors[0].line, report.errors[0].message


LONG_GAP = ENTRY.replace(
    "    questions:\n",
    "    questions:\n" + "".join(f"      - câu hỏi thứ {i} về giám hộ\n" for i in range(400)),
)


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        pytest.param(
            edit(
                '    summary: "Việc giám hộ do UBND cấp xã đăng ký."',
                '    summary: "Việc giám hộ do UBND cấp xã đăng ký.',
            ),
            'dấu ngoặc kép (") mở ở dòng này chưa được đóng',
            id="unclosed-quote-runs-to-the-next-quote",
        ),
        pytest.param(
            edit(
                '    summary: "Việc giám hộ do UBND cấp xã đăng ký."',
                '    summary: "Việc giám hộ do UBND cấp xã đăng ký.',
                LONG_GAP,
            ),
            "(đến dòng 414)",
            id="unclosed-quote-400-lines-before-the-next-quote",
        ),
        pytest.param(
            edit('    fee: "Miễn lệ phí."', "    fee: 'Miễn lệ phí."),
            "dấu nháy đơn (') mở ở dòng này chưa được đóng",
            id="unclosed-single-quote-to-the-end",
        ),
        pytest.param(
            edit('      - "Nộp tờ khai tại bộ phận một cửa."', '      - "Nộp tờ khai tại bộ phận một cửa.'),
            "chưa được đóng",
            id="unclosed-quote-in-a-list-item",
        ),
        pytest.param(
            edit("      - đăng ký giám hộ cho cháu", "  - đăng ký giám hộ cho cháu"),
            "thụt lề 2 dấu cách, không thẳng cột với các ý khác của cùng danh sách (các ý đó thụt lề "
            "6 dấu cách), nên các dòng sau (đến dòng 11) bị gộp vào ý này",
            id="first-item-moved-left-swallows-the-list",
        ),
        pytest.param(
            edit(
                "      - ông bà làm giám hộ cho cháu được không", "  - ông bà làm giám hộ cho cháu được không"
            ),
            "(các ý đó thụt lề 6 dấu cách), nên các dòng sau (đến dòng 11) bị gộp vào ý này",
            id="last-item-moved-left-swallows-the-next-key",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "     - làm giám hộ ở đâu"),
            "thụt lề 5 dấu cách, không thẳng cột với các ý khác của cùng danh sách (các ý đó thụt lề 6",
            id="item-one-column-left",
        ),
        pytest.param(
            edit(
                "      - Văn bản cử người giám hộ",
                "       - Văn bản cử người giám hộ",
                ENTRY.replace("- Tờ khai đăng ký giám hộ", '- "Tờ khai đăng ký giám hộ"'),
            ),
            "thụt lề 7 dấu cách, còn các ý khác của cùng danh sách thụt lề 6",
            id="two-items-tie-broken-by-the-key",
        ),
        pytest.param(
            edit('      - "Nhận trích lục đăng ký giám hộ."', '  - "Nhận trích lục đăng ký giám hộ."'),
            "thụt lề 2 dấu cách, còn các ý khác của cùng danh sách thụt lề 6",
            id="quoted-item-moved-left",
        ),
        pytest.param(
            edit(
                '      - "Nhận trích lục đăng ký giám hộ."',
                '  - "Nhận trích lục đăng ký giám hộ."',
                ENTRY.replace('      - "Nộp tờ khai tại bộ phận một cửa."\n', ""),
            ),
            "ít hơn khóa 'steps' ở dòng 16",
            id="only-item-left-of-its-key",
        ),
        pytest.param(
            edit("  - id: giam-ho", "   - id: giam-ho", ENTRY + "  - id: khai-sinh\n    title: Khai sinh\n"),
            "thụt lề 3 dấu cách, còn các ý khác của cùng danh sách thụt lề 2",
            id="entry-one-column-right",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "      làm giám hộ ở đâu"),
            "nằm giữa các ý của một danh sách nhưng thiếu '- ' ở đầu",
            id="question-without-its-dash",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "      làm giám hộ ở đâu:"),
            "thiếu '- ' ở đầu",
            id="colon-added-as-the-old-message-advised",
        ),
        pytest.param(
            edit('      - "Nhận trích lục đăng ký giám hộ."', "      Nhận trích lục đăng ký giám hộ."),
            "thiếu '- ' ở đầu",
            id="step-without-its-dash",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "      • làm giám hộ ở đâu"),
            "mở đầu bằng dấu '•' (thường do dán từ Word)",
            id="word-bullet",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "      – làm giám hộ ở đâu"),
            "mở đầu bằng dấu '–'",
            id="en-dash-bullet",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "      -làm giám hộ ở đâu"),
            "sau dấu gạch ngang đầu dòng cần một dấu cách",
            id="dash-without-space",
        ),
        pytest.param(
            edit('    fee: "Miễn lệ phí."', '    fee： "Miễn lệ phí."'),
            "dấu hai chấm của bộ gõ (：)",
            id="full-width-colon",
        ),
        pytest.param(
            edit('    fee: "Miễn lệ phí."', '   fee: "Miễn lệ phí."'),
            "khóa 'fee' ở dòng này thụt lề 3 dấu cách, còn các khóa cùng cấp quanh nó thụt lề 4",
            id="key-one-column-left",
        ),
        pytest.param(
            edit("    title: Đăng ký giám hộ", "     title: Đăng ký giám hộ"),
            "khóa 'title' ở dòng này thụt lề 5 dấu cách",
            id="first-key-one-column-right",
        ),
        pytest.param(
            edit("  - id: khai-sinh", "  id: khai-sinh", ENTRY + "  - id: khai-sinh\n    title: Khai sinh\n"),
            "dòng này thiếu '- ' ở đầu: mỗi mục bắt đầu bằng dấu gạch ngang",
            id="entry-without-its-dash",
        ),
        pytest.param(
            (
                "version: 1\nsynonyms:\n"
                + ENTRY.split("entries:\n", 1)[1]
                + "  căn cước: [cccd, cmnd]\nentries:\n  - id: khai-sinh\n    title: Khai sinh\n",
                3,
            ),
            "mục 'giam-ho' bắt đầu ở dòng này đang nằm trong phần 'synonyms:' (dòng 2)",
            id="entry-pasted-under-synonyms",
        ),
        pytest.param(
            (
                "version: 1\nagency:\n  name: UBND xã A\n  phone: '0123'\n\n"
                + ENTRY.split("entries:\n", 1)[1]
                + "entries:\n  - id: khai-sinh\n    title: Khai sinh\n",
                6,
            ),
            "mục 'giam-ho' bắt đầu ở dòng này đang nằm trong phần 'agency:' (dòng 2)",
            id="entry-pasted-after-the-agency-block",
        ),
    ],
)
def test_blamed_where_the_mistake_is(case: tuple[str, int], fragment: str) -> None:
    text, expected = case
    line, message = blame(text)
    assert (line, fragment in message) == (expected, True), message


@pytest.mark.parametrize(
    ("case", "folded"),
    [
        pytest.param(
            edit("      - đăng ký giám hộ cho cháu", "     - đăng ký giám hộ cho cháu"),
            [8, 9, 10],
            id="first-item-one-column-left",
        ),
        pytest.param(
            edit("      - làm giám hộ ở đâu", "       - làm giám hộ ở đâu"), [8], id="item-one-column-right"
        ),
    ],
)
def test_an_item_folded_into_the_one_above_is_a_warning(case: tuple[str, int], folded: list[int]) -> None:
    # Valid YAML, no error: the deeper `- ` lines silently become more words of the item above.
    text, _ = case
    warnings = [p for p in parse_faq(text, "faq.yaml").warnings if "bị gộp vào ý đó" in p.message]
    assert [p.line for p in warnings] == folded
    assert all("thụt lề sâu hơn ý ở dòng 7 " in p.message for p in warnings)


def test_a_quote_closed_on_a_later_line_is_not_blamed() -> None:
    # A quoted text may go on over several lines, even with "word:" in it; the real mistake is later.
    text = ENTRY.replace(
        '    summary: "Việc giám hộ do UBND cấp xã đăng ký."',
        '    summary: "Việc giám hộ:\n      do UBND cấp xã đăng ký."',
    ).replace("    fee:", "   fee:")
    line, message = blame(text)
    assert line == text.splitlines().index('   fee: "Miễn lệ phí."') + 1
    assert "ngoặc kép" not in message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param("a: [1, 2\n", 1, "chưa được đóng bằng ']'", id="unclosed-bracket"),
        pytest.param("a: '1\n", 1, "chưa được đóng", id="quote-to-the-end"),
        pytest.param("a: 1\nb: @x\n", 2, "ký tự '@'", id="at-sign"),
        pytest.param("a: b: c\n", 1, "có dấu ':'", id="colon-in-value"),
        pytest.param("a: “Lệ phí: miễn”\n", 1, "dấu ngoặc kép cong “ ”", id="words-curly-quotes"),
        pytest.param("a: ‘Bước 1: nộp’\n", 1, "thay bằng dấu ngoặc kép thẳng", id="words-single-curly"),
    ],
)
def test_explain_without_the_faq_reader(text: str, line: int, fragment: str) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yaml.safe_load(text)
    blamed, message = explain_yaml_error(info.value, split_lines(text))
    assert (blamed, fragment in message) == (line, True), message


@pytest.mark.parametrize(
    ("text", "count"),
    [
        pytest.param("a\r\nb", 2, id="crlf"),
        pytest.param("a\u2028b\nc", 3, id="line-separator"),
        pytest.param("a\x0bb", 1, id="vertical-tab-is-not-a-break"),
    ],
)
def test_split_lines_counts_as_yaml_does(text: str, count: int) -> None:
    assert len(split_lines(text)) == count


def test_the_unedited_entry_is_good_yaml() -> None:
    assert all("cú pháp" not in p.message for p in parse_faq(ENTRY, "faq.yaml").errors)


@pytest.mark.parametrize(
    ("text", "error_line", "warned"),
    [
        pytest.param(
            edit("    questions:", "    questions: [chưa đóng")[0], 6, [], id="after-the-error-dropped"
        ),
        pytest.param(
            edit(
                '    fee: "Miễn lệ phí."',
                "    fee: [chưa đóng",
                edit("      - làm giám hộ ở đâu", "       - x")[0],
            )[0],
            14,
            [8],
            id="before-the-error-kept",
        ),
    ],
)
def test_warnings_past_a_syntax_error_are_not_shown(text: str, error_line: int, warned: list[int]) -> None:
    # "[" never closed makes every later "- …" look folded into it: those warnings describe text the
    # reader misread, so only the error is shown; a warning above the error is still a real one.
    problems = parse_faq(text, "faq.yaml")
    assert [p.line for p in problems.errors] == [error_line]
    assert [p.line for p in problems.warnings if "bị gộp vào ý đó" in p.message] == warned


@pytest.mark.parametrize(
    "line",
    [
        pytest.param('    fee:\u00a0"Miễn lệ phí."', id="after-the-colon"),
        pytest.param('\u00a0\u00a0\u00a0\u00a0fee: "Miễn lệ phí."', id="as-indentation"),
        pytest.param('    fee: "Miễn lệ phí."\u202f', id="narrow-at-the-end"),
    ],
)
def test_spaces_pasted_from_a_word_processor_are_spaces(line: str) -> None:
    text, _ = edit('    fee: "Miễn lệ phí."', line)
    # Read exactly as the unedited entry (which is not a whole FAQ, so both lack 'agency' and so on).
    assert parse_faq(text, "faq.yaml") == parse_faq(ENTRY, "faq.yaml")


def test_an_entry_without_its_dash_at_the_keys_column_is_one_error() -> None:
    # "    id: khai-sinh" in line with the keys above: YAML merges the two entries, every key repeats.
    text = ENTRY + "\n    id: khai-sinh\n    title: Khai sinh\n    questions:\n      - làm khai sinh\n"
    report = parse_faq(text, "faq.yaml")
    missing = [e.line for e in report.errors if "thiếu '- ' trước 'id:'" in e.message]
    assert missing == [text.splitlines().index("    id: khai-sinh") + 1]
    assert not [e for e in report.errors if "xuất hiện hai lần" in e.message]
