"""What the bot writes outside the chat: the staff report, its log lines, its files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Update

from bot.app import configure_logging
from bot.channels.zalo_tokens import write_private_atomically
from bot.config import LoggingConfig
from bot.files import private_dir, private_file
from bot.handoff import TicketStore
from bot.report import build_report, format_csv, format_text, printable
from bot.storage import Interaction
from handlers.privacy import LOG_ID_MASK, NAME_MASK, PHONE_MASK, mask_log_text

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
    unanswered = [r for r in csv.DictReader(io.StringIO(table)) if r["phần"] == "chưa trả lời được"]
    assert len(unanswered) == len(questions)  # one row each: no line broken inside a cell


# -- logs: no personal data at any level ---------------------------------------------------------

TOKEN = "7654321098:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CITIZEN = {"id": 5566778899, "is_bot": False, "first_name": "Bích", "last_name": "Trần Thị",
           "username": "bichtran92", "language_code": "vi"}  # fmt: skip
TEXT = "tôi tên là Trần Thị Bích, cccd 079203004567, sđt 0912 345 678, mail bich.tran@gmail.com"
PAYLOAD = {
    "update_id": 900000001,
    "message": {
        "message_id": 7,
        "date": 1751350000,
        "chat": {k: v for k, v in CITIZEN.items() if k in ("id", "first_name", "last_name", "username")}
        | {"type": "private"},
        "from": CITIZEN,
        "text": TEXT,
    },
}
SECRETS = (
    "Bích", "Trần", "bichtran92", "5566778899", "079203004567", "0912 345 678", "bich.tran", TOKEN[11:]
)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "User(first_name='An', id=123456789, is_bot=False, last_name='Nguyễn', username='an92')",
            f"User(first_name='{NAME_MASK}', id={LOG_ID_MASK}, is_bot=False, last_name='{NAME_MASK}', "
            f"username='{NAME_MASK}')",
            id="ptb-repr",
        ),
        pytest.param(
            '{"from": {"id": 1234567, "first_name": "An"}, "message_id": 42, "update_id": 8}',
            f'{{"from": {{"id": {LOG_ID_MASK}, "first_name": "{NAME_MASK}"}}, '
            '"message_id": 42, "update_id": 8}',
            id="json",
        ),
        pytest.param(
            "parameters `{'chat_id': 1234567, 'text': 'Chào anh'}`",
            f"parameters `{{'chat_id': {LOG_ID_MASK}, 'text': 'Chào anh'}}`",
            id="dict-repr",
        ),
        pytest.param(
            'Contact(phone_number="+84912345678", first_name="O\'Neil")',
            f'Contact(phone_number="{PHONE_MASK}", first_name="{NAME_MASK}")',
            id="contact-double-quotes",
        ),
        pytest.param(
            "zalo_oa: event {'sender': {'id': '2468013579'}, 'user_id_by_app': '1357'}",
            f"zalo_oa: event {{'sender': {{'id': '{LOG_ID_MASK}'}}, 'user_id_by_app': '{LOG_ID_MASK}'}}",
            id="zalo-ids",
        ),
        pytest.param(
            "handoff ticket #0042 opened from telegram",
            "handoff ticket #0042 opened from telegram",
            id="plain",
        ),
        pytest.param("message_id=42 update_id=900", "message_id=42 update_id=900", id="other-ids-kept"),
    ],
)
def test_mask_log_text(line: str, expected: str) -> None:
    assert mask_log_text(line) == expected


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = tmp_path / "logs" / "faqbot.log"
    configure_logging(LoggingConfig(level="DEBUG", file=str(path)), [TOKEN])
    yield path
    for handler in [h for h in root.handlers if getattr(h, "faqbot", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_logs_hold_no_personal_data_at_any_level(log_file: Path) -> None:
    update = Update.de_json(PAYLOAD, None)
    # What python-telegram-bot itself logs at DEBUG, and lines of our own at every level.
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", update)
    logging.getLogger("telegram.ext._utils.webhookhandler").debug(
        "Webhook received data: %s", json.dumps(PAYLOAD, ensure_ascii=False)
    )
    logging.getLogger("telegram.Bot").debug(
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "sendMessage",
        {"chat_id": 5566778899, "text": TEXT},
    )
    logging.getLogger("httpx").warning("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logging.getLogger("bot.test").info("question: %s", TEXT)
    try:
        raise ValueError(f"could not parse {TEXT!r}")
    except ValueError:
        logging.getLogger("bot.test").exception("update %s failed", 900000001)
    logging.getLogger("bot.test").error("citizen %s", TEXT, stack_info=True)

    text = log_file.read_text(encoding="utf-8")
    leaked = [s for s in SECRETS if s in text]
    assert leaked == []
    assert "Processing update" in text and "could not parse" in text and "Traceback" in text
    assert "cccd [số giấy tờ]" in text and "bot***" in text


def test_a_malformed_logging_call_is_still_masked(log_file: Path) -> None:
    logging.getLogger("bot.test").warning("two values %s %s", "0912345678")  # one missing
    text = log_file.read_text(encoding="utf-8")
    assert "two values" in text and "0912345678" not in text


# -- files the bot creates: 0600, in 0700 directories ------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files 0644, new directories 0755
    yield
    os.umask(old)


@posix_only
def test_log_file_and_its_directories_are_private(open_umask: None, log_file: Path) -> None:
    assert mode(log_file) == 0o600
    assert mode(log_file.parent) == 0o700


@posix_only
def test_every_file_a_rotation_starts_is_private(tmp_path: Path, open_umask: None) -> None:
    root = logging.getLogger()
    level = root.level
    path = tmp_path / "faqbot.log"
    configure_logging(LoggingConfig(level="INFO", file=str(path), max_size_mb=0.001, backup_count=2), [])
    try:
        for i in range(40):
            logging.getLogger("test.rotation").info("line %03d %s", i, "x" * 80)
    finally:
        for handler in [h for h in root.handlers if getattr(h, "faqbot", False)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    rotated = tmp_path / "faqbot.log.1"
    assert rotated.exists()  # it did rotate
    assert mode(path) == 0o600 and mode(rotated) == 0o600


@posix_only
def test_an_existing_log_file_is_tightened(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "faqbot.log"
    path.write_text("old line\n", encoding="utf-8")
    path.chmod(0o644)
    private_file(path)
    assert mode(path) == 0o600
    assert path.read_text(encoding="utf-8") == "old line\n"  # appended to, never truncated


def test_a_file_of_another_user_is_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "faqbot.sqlite3"
    path.write_bytes(b"")

    def not_owner(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", not_owner)
    assert private_file(path) == path  # `faqbot report` run by staff on the bot's database


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
