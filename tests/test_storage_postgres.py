"""The interaction log on a real PostgreSQL (started by the tests) and on SQLite: one schema, the same
report, an outage that loses no reply and no row, and `faqbot migrate-log` copying each row once."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.admin import health_text
from bot.app import build_app, run_app
from bot.cli import main
from bot.config import AppConfig, FaqConfig, StorageConfig
from bot.migrations import SCHEMA_VERSION, SchemaTooNew
from bot.staff import open_storage
from bot.storage import Interaction, InteractionLog, LogUnavailable
from tests.fakes.telegram_api import FakeTelegramServer
from tests.postgres_server import PostgresServer, start_postgres
from tests.test_handoff_e2e import CITIZEN, config
from tests.test_learn import Seeder, run_learn, seed_office
from tests.test_report import MINI_FAQ, SEED
from tests.test_storage import OLD_SCHEMA, exchange

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this module; the tests skip when it cannot start."""
    try:
        server = start_postgres()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"no PostgreSQL server for the PostgreSQL tests: {exc}")
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def pg_url(pg: PostgresServer) -> str:
    """A fresh empty database on the server (restarted first if an earlier test stopped it)."""
    if pg.process is None:
        pg.start()
    return pg.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty log on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/var/faqbot.sqlite3"
    return str(request.getfixturevalue("pg_url"))


def fetch(url: str, query: str) -> list[tuple[object, ...]]:
    """Rows of `query` read straight from the database, not through the code under test."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url[len("sqlite:///") :])) as db:
            return db.execute(query).fetchall()
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


class Said(logging.Handler):
    """Sets `event` when the interaction log's writer logs a line containing `words` (it says so
    when it notices an outage and when the database is back: the events these tests wait for)."""

    def __init__(self, words: str) -> None:
        super().__init__(logging.WARNING)
        self.words = words
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.event.set()


@contextlib.contextmanager
def said(words: str) -> Iterator[threading.Event]:
    """An event set once bot.storage logs `words` while the block runs."""
    handler = Said(words)
    logger = logging.getLogger("bot.storage")
    logger.addHandler(handler)
    try:
        yield handler.event
    finally:
        logger.removeHandler(handler)


def write_config(tmp_path: Path, url: str) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(f"faq:\n  path: {MINI_FAQ}\nstorage:\n  url: {url}\n", encoding="utf-8")
    return str(path)


# -- schema and migrations ----------------------------------------------------------------------


def test_a_fresh_log_gets_every_migration_once(log_url: str) -> None:
    InteractionLog(log_url, salt="s").close()
    InteractionLog(log_url, salt="s").close()  # opening again applies nothing
    versions = fetch(log_url, "SELECT version FROM schema_version ORDER BY version")
    assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))
    assert len(fetch(log_url, "SELECT value FROM log_meta WHERE key = 'log_id'")) == 1


def test_workers_starting_together_migrate_once(log_url: str) -> None:
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            InteractionLog(log_url, salt="s").close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    versions = fetch(log_url, "SELECT version FROM schema_version ORDER BY version")
    assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize(
    ("schema", "delivered_column"),
    [
        pytest.param(OLD_SCHEMA, False, id="before-delivered"),
        pytest.param(
            OLD_SCHEMA.replace("facet TEXT\n", "facet TEXT,\n    delivered INTEGER\n")
            + "PRAGMA user_version = 2;",
            True,
            id="user-version-2",
        ),
    ],
)
def test_an_existing_sqlite_file_upgrades_in_place(
    tmp_path: Path, schema: str, delivered_column: bool
) -> None:
    path = tmp_path / "faqbot.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(schema)
        db.executemany(
            "INSERT INTO interactions (at, channel, user_hash, question, kind)"
            " VALUES (?, 't', 'h', ?, 'none')",
            [(float(i), f"cũ {i}") for i in range(50)],
        )
    log = InteractionLog(f"sqlite:///{path}", salt="s")
    log.record(*exchange("mới"), delivered=True)
    rows = log.rows()
    log.close()
    assert [r.question for r in rows[:50]] == [f"cũ {i}" for i in range(50)]
    assert (rows[-1].question, rows[-1].delivered) == ("mới", True)
    found = fetch(f"sqlite:///{path}", "SELECT version, description FROM schema_version ORDER BY version")
    assert [v for v, _ in found] == list(range(1, SCHEMA_VERSION + 1))
    assert ("found in place" in found[1][1]) is delivered_column


def test_a_newer_schema_is_refused_with_a_clear_message(log_url: str, tmp_path: Path) -> None:
    InteractionLog(log_url, salt="s").close()
    if log_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(log_url[len("sqlite:///") :])) as db, db:
            db.execute("INSERT INTO schema_version VALUES (99, 0, 'from the future')")
    else:
        with psycopg.connect(log_url) as conn:
            conn.execute("INSERT INTO schema_version VALUES (99, 0, 'from the future')")
    with pytest.raises(SchemaTooNew, match=f"phiên bản 99, mới hơn phiên bản {SCHEMA_VERSION}"):
        InteractionLog(log_url, salt="s")
    # The bot serves on without the log and says why; the report says it in one line.
    app_config = AppConfig(faq=FaqConfig(path=str(MINI_FAQ), watch=False), storage=StorageConfig(url=log_url))
    app_storage = open_storage(app_config)
    assert app_storage.interactions is None
    assert "mới hơn phiên bản" in app_storage.notices[0]


def test_a_database_that_will_never_answer_is_said_at_start_not_waited_for(
    pg: PostgresServer, pg_url: str
) -> None:
    missing = pg_url.rsplit("/", 1)[0] + "/khong_co_csdl_nay"
    app_config = AppConfig(faq=FaqConfig(path=str(MINI_FAQ), watch=False), storage=StorageConfig(url=missing))
    started = time.monotonic()
    app_storage = open_storage(app_config)
    # It was kept as "away" (rows held in memory, then lost at stop) with nothing on the console.
    assert app_storage.interactions is None
    (notice,) = app_storage.notices
    assert "máy chủ PostgreSQL từ chối" in notice and "khong_co_csdl_nay" in notice
    assert "FAQBOT_DATABASE_URL" in notice
    assert time.monotonic() - started < 5


# -- the same rows, the same report -------------------------------------------------------------


def test_the_same_rows_give_the_same_report_on_both_engines(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_url = f"sqlite:///{tmp_path}/var/faqbot.sqlite3"
    outputs = {}
    for name, url in (("sqlite", sqlite_url), ("postgresql", pg_url)):
        log = InteractionLog(url, salt="s", linger=3600)
        for r in SEED:
            log.add(r)
        assert log.rows() == SEED
        log.close()
        (tmp_path / name).mkdir()
        config_path = write_config(tmp_path / name, url)
        assert main(["report", "--config", config_path, "--since", "2025-07-01"]) == 0
        text = capsys.readouterr().out
        assert main(["report", "--config", config_path, "--since", "2025-07-01", "--csv"]) == 0
        table = capsys.readouterr().out
        # The period ends "now": the only part that may differ between the two runs.
        outputs[name] = (text.split("\n", 1)[1], [r for r in table.splitlines() if ",đến," not in r])
    assert "«làm sổ đỏ ở đâu ạ» — 4 lượt" in outputs["postgresql"][0]
    assert outputs["postgresql"] == outputs["sqlite"]


def test_questions_are_masked_and_ids_hashed_before_they_reach_postgresql(pg_url: str) -> None:
    log = InteractionLog(pg_url, salt="s3cret", linger=0)
    log.record(*exchange("em sđt 0912345678, cccd 001203004567 làm lại thẻ", user="777111"))
    assert log.flush(timeout=10)
    log.close()
    dump = repr(fetch(pg_url, "SELECT * FROM interactions"))
    for secret in ("0912345678", "001203004567", "777111"):
        assert secret not in dump
    assert "em sđt [số điện thoại], cccd [số giấy tờ] làm lại thẻ" in dump


# -- an outage -----------------------------------------------------------------------------------


def test_an_outage_keeps_rows_in_a_bounded_buffer_and_writes_them_when_the_server_returns(
    pg: PostgresServer, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    log = InteractionLog(pg_url, salt="s", linger=0, max_queued=20, retry_delays=(0.1, 0.2))
    log.add(Interaction(at=1.0, channel="t", user_hash="h", question="trước", kind="none"))
    assert log.flush(timeout=10)
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        pg.stop()
        try:
            with said("unreachable") as noticed:
                log.add(Interaction(at=10.0, channel="t", user_hash="h", question="trong 0", kind="none"))
                assert noticed.wait(30), "the outage was never noticed"
            assert log.health().away_since is not None
            for i in range(1, 25):
                log.add(
                    Interaction(at=10.0 + i, channel="t", user_hash="h", question=f"trong {i}", kind="none")
                )
            health = log.health()
            assert (health.queued, health.dropped, health.ok) == (20, 5, False)
            started = time.monotonic()
            assert not log.flush(timeout=10)
            assert time.monotonic() - started < 1, "flush does not wait on an away database"
            with pytest.raises(LogUnavailable):
                log.rows()
            text = health_text(health)
            assert "mất kết nối" in text and "20 lượt đang chờ" in text and "5 lượt không được ghi" in text
        finally:
            with said("back after") as back:
                pg.start()
                assert back.wait(30), "the database was never seen back"
        assert log.flush(timeout=30), "the backlog was not written"
        assert log.health().away_since is None and log.health().queued == 0
    assert [r.question for r in log.rows()] == ["trước", *(f"trong {i}" for i in range(20))]
    health = log.health()
    assert (health.written, health.dropped, health.failed, health.alive) == (21, 5, 0, True)
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1, "the outage is logged once"
    assert any("back after" in r.getMessage() for r in caplog.records)
    log.close()


def test_a_server_not_up_at_start_is_waited_for(pg: PostgresServer, pg_url: str) -> None:
    pg.stop()
    with said("back after") as back:
        try:
            log = InteractionLog(pg_url, salt="s", linger=0, retry_delays=(0.1,))
            assert log.health().away_since is not None
            log.add(Interaction(at=1.0, channel="t", user_hash="h", question="chờ máy chủ", kind="none"))
        finally:
            pg.start()
        assert back.wait(30), "the database was never seen back"
    assert log.flush(timeout=30), "the row was not written once the server was up"
    assert log.health().written == 1
    assert [r.question for r in log.rows()] == ["chờ máy chủ"]
    assert log.health().ok
    log.close()


def test_report_with_the_server_down_is_one_vietnamese_line(
    tmp_path: Path, pg: PostgresServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    InteractionLog(pg_url, salt="s").close()
    pg.stop()
    try:
        assert main(["report", "--config", write_config(tmp_path, pg_url)]) == 2
    finally:
        pg.start()
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Lỗi: không kết nối được cơ sở dữ liệu nhật ký hỏi đáp postgresql://")
    assert "FAQBOT_DATABASE_URL" in line


async def test_the_bot_answers_through_an_outage_and_logs_every_row_afterwards(
    tmp_path: Path, pg: PostgresServer, pg_url: str
) -> None:
    async with FakeTelegramServer() as telegram:
        app_config = config(tmp_path, telegram)
        app_config = dataclasses.replace(
            app_config, storage=dataclasses.replace(app_config.storage, url=pg_url)
        )
        app = build_app(app_config)
        interactions = next(
            o.__self__
            for o in app.context.observers
            if isinstance(getattr(o, "__self__", None), InteractionLog)
        )
        stop = asyncio.Event()
        err = io.StringIO()
        task = asyncio.create_task(run_app(app, stop=stop, err=err))
        count = "SELECT count(*) FROM interactions WHERE channel = 'telegram'"
        try:
            await telegram.wait_for(lambda: bool(telegram.calls_to("getUpdates")) or task.done())
            assert not task.done(), err.getvalue()
            telegram.add_text(CITIZEN, "làm giấy khai sinh cần gì")
            await telegram.wait_sent(CITIZEN, 1)
            assert await asyncio.to_thread(interactions.wait_written, 1, 30), "the first row"
            assert fetch(pg_url, count) == [(1,)]
            await asyncio.to_thread(pg.stop)
            try:
                for i, question in enumerate(("đăng ký kết hôn ở đâu", "lệ phí khai tử", "tạm trú online")):
                    telegram.add_text(CITIZEN, question)
                    replies = await telegram.wait_sent(CITIZEN, 2 + i)
                    assert replies[-1].text, "every message is answered while the database is down"
            finally:
                await asyncio.to_thread(pg.start)
            assert await asyncio.to_thread(interactions.wait_written, 4, 30), "the backlog"
            assert fetch(pg_url, count) == [(4,)]
        finally:
            stop.set()
            assert await asyncio.wait_for(task, 30) == 0
    questions = [q for (q,) in fetch(pg_url, "SELECT question FROM interactions ORDER BY at, id")]
    assert questions[1:] == ["đăng ký kết hôn ở đâu", "lệ phí khai tử", "tạm trú online"]


# -- faqbot migrate-log ---------------------------------------------------------------------------


def test_migrate_log_copies_each_row_once(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "faqbot.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(OLD_SCHEMA)  # a file from an older version, with one row it did not mask
        db.execute(
            "INSERT INTO interactions (at, channel, user_hash, question, kind)"
            " VALUES (1, 'zalo_bot', 'h', 'gọi em 0912345678 nhé', 'none')"
        )
    log = InteractionLog(path, salt="s")
    for r in SEED[:10]:
        log.add(r)
    log.close()
    source = f"sqlite:///{path}"
    command = ["migrate-log", "--from", source, "--to", pg_url]

    assert main(command) == 0
    assert capsys.readouterr().out.startswith(f"Đã chép 11 lượt hỏi đáp từ {path} sang ")
    assert main(command) == 0
    assert "Đã chép 0 lượt" in (out := capsys.readouterr().out) and "11 lượt đã có" in out

    log = InteractionLog(path, salt="s")
    for r in SEED[10:15]:
        log.add(r)
    log.close()
    assert main(command) == 0
    assert "Đã chép 5 lượt" in (out := capsys.readouterr().out) and "11 lượt đã có" in out

    copied = InteractionLog(pg_url, salt="s")
    rows = copied.rows()
    copied.close()
    assert rows[0].question == "gọi em [số điện thoại] nhé"
    assert rows[1:] == SEED[:15]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(
            ["--from", "sqlite:///khong-co.sqlite3", "--to", "postgresql://x@127.0.0.1:1/x"],
            "không có tệp nhật ký",
            id="missing-source",
        ),
        pytest.param(["--from", "sqlite:///log.sqlite3"], "chưa biết chép sang đâu", id="no-target"),
        pytest.param(
            ["--from", "sqlite:///log.sqlite3", "--to", "mysql://x@y/z"],
            "postgresql://",
            id="unsupported-target",
        ),
        pytest.param(
            ["--from", "sqlite:///log.sqlite3", "--to", "sqlite:///log.sqlite3"],
            "cùng một tệp",
            id="same-file",
        ),
    ],
)
def test_migrate_log_explains_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    InteractionLog(tmp_path / "log.sqlite3", salt="s").close()
    assert main(["migrate-log", *args]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Lỗi: ") and fragment in line


# -- faqbot learn reads the same log as faqbot report --------------------------------------------


def test_learn_reads_the_log_on_postgresql(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seeder = Seeder(pg_url)  # type: ignore[arg-type] - a URL is as good as a path to InteractionLog
    seed_office(seeder)
    seeder.log.close()
    faq = tmp_path / "faq.yaml"
    faq.write_text(MINI_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq:\n  path: {faq}\nstorage:\n  path: {tmp_path / 'faqbot.sqlite3'}\n  url: {pg_url}\n"
        "  salt: s\nsemantic:\n  backend: none\n",
        encoding="utf-8",
    )
    code, out, err = run_learn(monkeypatch, capsys, "", "--config", str(config), "--list", "--since", "3650d")
    assert (code, err) == (0, "")
    assert "Cách hỏi mới cho mục 'ket-hon' — Đăng ký kết hôn" in out
    assert "Có 3 cách hỏi cần duyệt" in out
    assert not (tmp_path / "faqbot.sqlite3").exists()  # read from PostgreSQL, no SQLite file made


def test_learn_with_the_server_down_is_one_vietnamese_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq:\n  path: {MINI_FAQ}\nstorage:\n  url: postgresql://faqbot@127.0.0.1:1/faqbot\n",
        encoding="utf-8",
    )
    code, out, err = run_learn(monkeypatch, capsys, "", "--config", str(config), "--list")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("Lỗi: không kết nối được cơ sở dữ liệu nhật ký hỏi đáp")
