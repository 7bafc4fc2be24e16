"""The interaction log keeps every row, masks before writing, and forgets after retention."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage import SCHEMA_VERSION, Interaction, InteractionLog
from handlers.messages import Incoming, InKind, Outcome, Reply

DAY = 86400.0


def exchange(text: str, user: str = "42", kind: str = "none", channel: str = "telegram"):
    msg = Incoming(channel=channel, chat_id=user, user_id=user, kind=InKind.TEXT, text=text)
    reply = Reply(text="...", outcome=Outcome(kind=kind, question=text))
    return msg, reply


def test_rows_are_masked_and_hashed_before_they_reach_disk(tmp_path: Path) -> None:
    db_path = tmp_path / "var" / "log.sqlite3"
    log = InteractionLog(db_path, salt="s3cret")
    log.record(*exchange("em sđt 0912345678, cccd 001203004567 làm lại thẻ", user="777111"))
    assert log.flush()
    raw = sqlite3.connect(db_path).execute("SELECT * FROM interactions").fetchall()
    dump = repr(raw)
    assert "0912345678" not in dump
    assert "001203004567" not in dump
    assert "777111" not in dump
    (row,) = log.rows()
    assert row.question == "em sđt [số điện thoại], cccd [số giấy tờ] làm lại thẻ"
    assert row.kind == "none"
    log.close()


def test_replies_without_outcome_are_not_logged(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s")
    msg, _ = exchange("xin chào")
    log.record(msg, Reply(text="hi"))
    assert log.flush()
    assert log.rows() == []
    log.close()


def test_concurrent_writers_lose_no_rows(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s")
    threads = [
        threading.Thread(
            target=lambda c=c: [
                log.record(*exchange(f"câu hỏi {i}", user=str(i), channel=c)) for i in range(250)
            ]
        )
        for c in ("telegram", "zalo_bot", "zalo_oa", "console")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.flush()
    rows = log.rows()
    assert len(rows) == 1000
    assert {r.channel for r in rows} == {"telegram", "zalo_bot", "zalo_oa", "console"}
    log.close()


def test_purge_drops_only_rows_past_retention(tmp_path: Path) -> None:
    now = 1_800_000_000.0
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", retention_days=30, clock=lambda: now)
    for age_days in (0, 29, 31, 400):
        log.add(Interaction(at=now - age_days * DAY, channel="t", user_hash="h", question="q", kind="none"))
    assert log.flush()
    assert log.purge() == 2
    assert sorted(round((now - r.at) / DAY) for r in log.rows()) == [0, 29]
    log.close()


def test_log_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    first = InteractionLog(path, salt="s")
    first.record(*exchange("tạm trú online", kind="answer"))
    first.close()
    second = InteractionLog(path, salt="s")
    assert [r.question for r in second.rows()] == ["tạm trú online"]
    second.close()


def test_rows_gathered_for_a_batch_are_readable_and_saved_at_once(tmp_path: Path) -> None:
    # A linger far longer than the flush timeout: reading and closing must cut it short.
    path = tmp_path / "log.sqlite3"
    log = InteractionLog(path, salt="s", linger=3600)
    log.record(*exchange("câu hỏi thứ nhất"))
    assert [r.question for r in log.rows()] == ["câu hỏi thứ nhất"]
    log.record(*exchange("câu hỏi thứ hai"))
    log.close()
    assert not log._writer.is_alive()
    assert [r.question for r in InteractionLog(path, salt="s").rows()] == [
        "câu hỏi thứ nhất",
        "câu hỏi thứ hai",
    ]


def test_a_lone_surrogate_neither_kills_the_writer_nor_loses_later_rows(tmp_path: Path) -> None:
    # Zalo webhooks can carry half an emoji ("\ud83d" alone): sqlite3 cannot encode it.
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=0)
    log.record(*exchange("em hỏi về hộ chiếu \ud83d", channel="zalo_bot"))
    assert log.flush(timeout=5)
    log.record(*exchange("câu hỏi sau đó"))
    assert log.flush(timeout=5)
    assert [r.question for r in log.rows()] == ["em hỏi về hộ chiếu \ufffd", "câu hỏi sau đó"]
    health = log.health()
    assert health.alive and health.ok and health.written == 2
    log.close()


def test_one_bad_row_costs_only_itself_not_its_batch(tmp_path: Path) -> None:
    # A long linger gathers all five rows into one transaction; the NULL `at` fails inside it.
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=3600)
    for i in range(5):
        at = None if i == 2 else float(i)
        log.add(Interaction(at=at, channel="t", user_hash="h", question=f"q{i}", kind="none"))  # type: ignore[arg-type]
    assert log.flush(timeout=5)
    assert [r.question for r in log.rows()] == ["q0", "q1", "q3", "q4"]
    health = log.health()
    assert (health.written, health.failed, health.alive) == (4, 1, True)
    assert health.last_error is not None and "NOT NULL" in health.last_error
    log.close()


def test_the_writer_survives_an_unexpected_error_and_keeps_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=0)
    real_write = log._write
    calls = 0

    def write_failing_once(db: sqlite3.Connection, batch: list[Interaction]) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("disk went away")
        return real_write(db, batch)

    monkeypatch.setattr(log, "_write", write_failing_once)
    log.record(*exchange("lost"))
    assert log.flush(timeout=5)
    log.record(*exchange("kept"))
    assert log.flush(timeout=5)
    assert [r.question for r in log.rows()] == ["kept"]
    health = log.health()
    assert (health.alive, health.written, health.failed) == (True, 1, 1)
    assert health.last_error == "RuntimeError: disk went away"
    log.close()


def test_a_full_queue_drops_new_rows_counts_them_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The writer lingers (a disk that cannot keep up): the queue holds five rows, no more.
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=3600, max_queued=5)
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        for i in range(8):
            log.add(Interaction(at=float(i), channel="t", user_hash="h", question=f"q{i}", kind="none"))
    health = log.health()
    assert (health.queued, health.dropped, health.ok) == (5, 3, False)
    drops = [r for r in caplog.records if "queue full" in r.getMessage()]
    assert len(drops) == 1, "repeated drops are rate-limited to one line"
    assert log.flush(timeout=5)
    assert [r.question for r in log.rows()] == ["q0", "q1", "q2", "q3", "q4"]
    log.close()


def test_flush_does_not_wait_on_a_dead_writer(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=3600)
    log.close()
    log._accepted += 1  # a row the writer will never take
    started = time.monotonic()
    assert not log.flush(timeout=10)
    assert time.monotonic() - started < 2


def test_delivery_is_recorded_and_old_files_are_migrated(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(OLD_SCHEMA)
        db.execute(
            "INSERT INTO interactions (at, channel, user_hash, question, kind)"
            " VALUES (1, 't', 'h', 'cũ', 'none')"
        )
    log = InteractionLog(path, salt="s")
    msg, reply = exchange("gửi được")
    asyncio.run(log.observe(msg, reply, True))
    msg, reply = exchange("không gửi được")
    asyncio.run(log.observe(msg, reply, False))
    assert [(r.question, r.delivered) for r in log.rows()] == [
        ("cũ", None),
        ("gửi được", True),
        ("không gửi được", False),
    ]
    log.close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    # Opening a migrated file again changes nothing.
    again = InteractionLog(path, salt="s")
    assert len(again.rows()) == 3
    again.close()


OLD_SCHEMA = """
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    channel TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    entry_id TEXT,
    score REAL NOT NULL DEFAULT 0,
    facet TEXT
);
CREATE INDEX interactions_at ON interactions (at);
"""


@pytest.mark.parametrize("where", ["under-a-file", "is-a-directory"])
def test_an_unusable_path_raises_at_once(tmp_path: Path, where: str) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    path = tmp_path / "afile" / "log.sqlite3" if where == "under-a-file" else tmp_path / "adir"
    with pytest.raises((OSError, sqlite3.Error)):
        InteractionLog(path, salt="s")
