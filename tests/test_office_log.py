"""The office on each logged interaction: put on the outcome by the office desk, stored in its own
column (migration 4, old rows NULL), read back by reports and copied by `faqbot migrate-log`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot import migrations
from bot.storage import InteractionLog
from faq.offices import Province
from handlers.messages import Incoming, InKind, Outcome, Reply
from tests.test_offices import conversation, say, shared  # noqa: F401 - fixtures
from tests.test_offices import province as province
from tests.test_storage import OLD_SCHEMA, exchange

OLD_ROW = "INSERT INTO interactions (at, channel, user_hash, question, kind) VALUES (?, 't', 'h', ?, 'none')"


def office(reply: object) -> str | None:
    outcome = getattr(reply, "outcome", None)
    assert outcome is not None
    return outcome.office  # type: ignore[no-any-return]


def test_an_offices_own_account_puts_its_office_on_every_outcome(province: Province) -> None:
    conv = conversation(province, {"telegram:hoang-liet": "hoang-liet"})
    contact = conv.handle(Incoming("telegram:hoang-liet", "1", "u1", InKind.COMMAND, "lienhe"))
    question = conv.handle(
        Incoming("telegram:hoang-liet", "1", "u1", InKind.TEXT, "làm giấy khai sinh cho con")
    )
    assert (office(contact), office(question)) == ("hoang-liet", "hoang-liet")


def test_a_shared_account_records_the_office_once_the_citizen_named_it(province: Province) -> None:
    conv = conversation(province)
    before = say(conv, "vneid là gì, cài thế nào")  # needs no office: answered, no office known yet
    asked = say(conv, "cho em số điện thoại ủy ban")
    chosen = say(conv, "phuong hoang liet")
    after = say(conv, "làm giấy khai sinh cho con")
    other_chat = say(conv, "vneid là gì, cài thế nào", chat="2")
    assert [office(r) for r in (before, asked, chosen, after, other_chat)] == [
        None,
        None,
        "hoang-liet",
        "hoang-liet",
        None,
    ]


def test_the_office_reaches_the_log_and_reads_back(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s", linger=0)
    msg, reply = exchange("làm khai sinh")
    log.record(msg, reply)
    log.record(msg, Reply("...", outcome=Outcome("answer", question="làm khai sinh", office="dinh-cong")))
    rows = log.rows()
    log.close()
    assert [r.office for r in rows] == [None, "dinh-cong"]


def _version_3_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An SQLite log exactly as the code before migration 4 left it, with rows."""
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        m.setattr(migrations, "SCHEMA_VERSION", 3)
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            migrations.migrate_sqlite(db, str(path))
            db.executemany(
                OLD_ROW,
                [(float(i), f"cũ {i}") for i in range(20)],
            )
        with closing(sqlite3.connect(path)) as db:
            columns = {r[1] for r in db.execute("PRAGMA table_info(interactions)")}
    assert "office" not in columns


@pytest.mark.parametrize(
    "make",
    [
        pytest.param("version-3", id="schema-version-3"),
        pytest.param("before-schema-version", id="user-version-0"),
    ],
)
def test_an_old_sqlite_file_gains_the_office_column_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: str
) -> None:
    path = tmp_path / "faqbot.sqlite3"
    if make == "version-3":
        _version_3_file(path, monkeypatch)
    else:
        with closing(sqlite3.connect(path)) as db, db:
            db.executescript(OLD_SCHEMA)
            db.executemany(
                OLD_ROW,
                [(float(i), f"cũ {i}") for i in range(20)],
            )
    log = InteractionLog(path, salt="s")
    msg, _ = exchange("mới")
    log.record(msg, Reply("...", outcome=Outcome("none", question="mới", office="hoang-liet")))
    rows = log.rows()
    log.close()
    assert [r.question for r in rows[:20]] == [f"cũ {i}" for i in range(20)]
    assert {r.office for r in rows[:20]} == {None}
    assert (rows[-1].question, rows[-1].office) == ("mới", "hoang-liet")
    with closing(sqlite3.connect(path)) as db:
        versions = [v for (v,) in db.execute("SELECT version FROM schema_version ORDER BY version")]
        indexes = {r[1] for r in db.execute("PRAGMA index_list(interactions)")}
    assert versions == [1, 2, 3, 4]
    assert "interactions_office" in indexes
