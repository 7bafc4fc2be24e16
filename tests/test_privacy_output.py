"""What the bot writes outside the chat: the staff report, its log lines, its files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import configure_logging
from bot.channels.zalo_tokens import write_private_atomically
from bot.config import LoggingConfig
from bot.files import private_dir, private_file
from bot.handoff import TicketStore
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


# -- files the bot creates: 0600, in 0700 directories ------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files 0644, new directories 0755
    yield
    os.umask(old)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = tmp_path / "logs" / "faqbot.log"
    configure_logging(LoggingConfig(level="DEBUG", file=str(path)))
    yield path
    for handler in [h for h in root.handlers if getattr(h, "faqbot", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@posix_only
def test_log_file_and_its_directories_are_private(open_umask: None, log_file: Path) -> None:
    assert mode(log_file) == 0o600
    assert mode(log_file.parent) == 0o700


@posix_only
def test_an_existing_log_file_is_tightened(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "faqbot.log"
    path.write_text("old line\n", encoding="utf-8")
    path.chmod(0o644)
    private_file(path)
    assert mode(path) == 0o600
    assert path.read_text(encoding="utf-8") == "old line\n"  # appended to, never truncated


@posix_only
def test_private_dir_makes_every_missing_parent_private(tmp_path: Path, open_umask: None) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    private_dir(shared / "a" / "b")
    assert [mode(shared / "a"), mode(shared / "a" / "b")] == [0o700, 0o700]
    assert mode(shared) == 0o755  # a directory that was there is not the bot's to change


@posix_only
def test_ticket_database_is_private(tmp_path: Path, open_umask: None) -> None:
    store = TicketStore(tmp_path / "var" / "faqbot.sqlite3")
    store.open("telegram", "42", "làm sổ đỏ ở đâu", 1.0)
    files = sorted(p for p in store.path.parent.iterdir())
    assert [p.name for p in files][:1] == ["faqbot.sqlite3"]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert mode(store.path.parent) == 0o700


@posix_only
def test_ticket_store_tightens_a_database_another_opener_made(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "faqbot.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    assert mode(path) == 0o644
    TicketStore(path)
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == {p.name: 0o600 for p in tmp_path.iterdir()}
    db.close()


@posix_only
def test_zalo_token_file_parents_are_private(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "var" / "oa" / "tokens.json"
    write_private_atomically(path, b"{}")
    assert [mode(path), mode(path.parent), mode(path.parent.parent)] == [0o600, 0o700, 0o700]
