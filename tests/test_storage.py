"""The interaction log keeps every row, masks before writing, and forgets after retention."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from bot.storage import Interaction, InteractionLog
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
