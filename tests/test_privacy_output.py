"""What the bot writes outside the chat: the staff report, its log lines, its files."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from bot.report import build_report, format_csv, format_text, printable
from bot.storage import Interaction

VN = dt.timezone(dt.timedelta(hours=7))
SINCE = dt.datetime(2025, 7, 1, tzinfo=VN).timestamp()
NOW = dt.datetime(2025, 7, 8, tzinfo=VN).timestamp()

# -- faqbot report: no terminal escapes or control characters from citizens ----------------------

CONTROL = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))] + ["\u202e", "\u2066"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("làm \x1b[31msổ đỏ\x1b[0m ở đâu", "làm sổ đỏ ở đâu", id="colour"),
        pytest.param("hỏi\x1b]0;bị chiếm\x07 gì", "hỏi gì", id="window-title"),
        pytest.param("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb", id="hyperlink"),
        pytest.param("xoá\x1b[2J\x1b[H màn hình", "xoá màn hình", id="erase-screen"),
        pytest.param("reset\x1bc ngay", "reset ngay", id="two-byte"),
        pytest.param("dòng 1\rdòng 2", "dòng 1 dòng 2", id="carriage-return"),
        pytest.param("chuông\x07\x07", "chuông  ", id="bell"),
        pytest.param("c1\x9b31m", "c1 31m", id="c1-csi-alone"),
        pytest.param("tên\u202etxt.exe", "tên txt.exe", id="bidi-override"),
        pytest.param("thủ tục khai sinh 🙏", "thủ tục khai sinh 🙏", id="plain-kept"),
    ],
)
def test_printable(text: str, expected: str) -> None:
    assert printable(text) == expected


def test_report_prints_no_control_character() -> None:
    questions = [
        "làm sổ đỏ\x1b[31m ở đâu\x1b[0m",
        "xin giấy\x1b]0;hacked\x07 phép\r\nxây dựng",
        "".join(CONTROL) + "đổi bằng lái",
        "hỏi\x9b2J\x1bc gì",
    ]
    rows = [
        Interaction(at=SINCE + 60 * i, channel="telegram", user_hash=f"u{i}", question=q, kind="none")
        for i, q in enumerate(questions)
    ]
    report = build_report(rows, None, SINCE, now=NOW, tz=VN)
    text = format_text(report)
    table = format_csv(report)
    for output in (text, table):
        body = output.replace("\n", "")
        assert not any(c in body for c in CONTROL), repr(body)
    assert "làm sổ đỏ ở đâu" in text and "đổi bằng lái" in text
    unanswered = [r for r in csv.DictReader(io.StringIO(table)) if r["section"] == "unanswered"]
    assert len(unanswered) == len(questions)  # one row each: no line broken inside a cell
