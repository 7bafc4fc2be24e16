"""The office on each logged interaction: put on the outcome by the office desk, stored in its own
column (migration 4, old rows NULL), read back by reports and copied by `faqbot migrate-log`."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from bot import migrations
from bot.app import build_app, run_app
from bot.cli import main
from bot.config import AppConfig, OfficeConfig, OfficeStaffConfig, StaffConfig
from bot.report import QUESTION_KINDS
from bot.staff import DigestTarget, digest_targets, post_digests
from bot.storage import Interaction, InteractionLog
from faq.offices import Province
from handlers.messages import Incoming, InKind, Outcome, Reply
from tests import test_offices_e2e as e2e
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_offices import conversation, say, shared  # noqa: F401 - fixtures
from tests.test_offices import province as province
from tests.test_offices_e2e import fakes  # noqa: F401 - fixture
from tests.test_report import MINI_FAQ, SEED, VN
from tests.test_storage import OLD_SCHEMA, exchange
from tests.test_storage_postgres import log_url, pg, pg_url  # noqa: F401 - fixtures

OFFICES = Path(__file__).parent / "data" / "offices"
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


# -- faqbot report --office, and one line per office ---------------------------------------------

OFFICE_SEED: list[Interaction] = [
    *(dataclasses.replace(r, office="hoang-liet") for r in SEED[:8]),
    *(dataclasses.replace(r, office="dinh-cong") for r in SEED[8:15]),
    *SEED[15:],
]


def province_config(tmp_path: Path, url: str) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"faq:\n  path: {MINI_FAQ}\nstorage:\n  url: {url}\noffices:\n"
        f"  - id: hoang-liet\n    unit: '00337'\n    overlay: {OFFICES / 'hoang-liet.yaml'}\n"
        f"  - id: dinh-cong\n    unit: Phường Định Công\n    overlay: {OFFICES / 'dinh-cong.yaml'}\n",
        encoding="utf-8",
    )
    return str(path)


def seed(url: str, rows: list[Interaction]) -> None:
    log = InteractionLog(url, salt="s", linger=3600)
    for r in rows:
        log.add(r)
    log.close()


def figures(rows: list[Interaction], kinds: tuple[str, ...]) -> int:
    return sum(1 for r in rows if r.kind in kinds)


def test_report_per_office_and_for_the_province_on_both_engines(
    tmp_path: Path,
    log_url: str,  # noqa: F811 - the fixture
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(log_url, OFFICE_SEED)
    config = province_config(tmp_path, log_url)
    base = ["report", "--config", config, "--since", "2025-07-01"]

    assert main([*base, "--office", "hoang-liet"]) == 0
    hl = capsys.readouterr().out
    assert hl.startswith("BÁO CÁO HỎI ĐÁP — ĐƠN VỊ hoang-liet ")
    # Its 8 rows only: 1 start, 3 answers, 4 suggestions → 7 questions, and no other office's.
    assert "Tổng số lượt trao đổi: 8," in hl and "Số câu hỏi người dân gửi: 7," in hl
    assert "THEO ĐƠN VỊ" not in hl and "sổ đỏ" not in hl

    assert main([*base, "--office", "dinh-cong"]) == 0
    dc = capsys.readouterr().out
    assert "Tổng số lượt trao đổi: 7," in dc and "«làm sổ đỏ ở đâu ạ» — 4 lượt" in dc

    assert main(base) == 0
    whole = capsys.readouterr().out
    assert whole.startswith("BÁO CÁO HỎI ĐÁP từ ")
    assert f"Tổng số lượt trao đổi: {len(SEED)}," in whole
    assert "- hoang-liet: 7 / 3 / 0" in whole
    assert "- dinh-cong: 4 / 0 / 4" in whole
    rest = SEED[15:]
    unknown = (figures(rest, QUESTION_KINDS), figures(rest, ("answer",)), figures(rest, ("none",)))
    assert (
        f"- chưa rõ đơn vị (người dân chưa chọn xã/phường): {unknown[0]} / {unknown[1]} / {unknown[2]}"
        in whole
    )

    assert main([*base, "--csv"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "đơn vị,hoang-liet,,7,3,0," in table and "đơn vị,dinh-cong,,4,0,4," in table


@pytest.mark.parametrize(
    ("offices", "fragment"),
    [
        pytest.param(
            True, "Các đơn vị đã khai báo (khóa offices[].id): hoang-liet, dinh-cong.", id="province"
        ),
        pytest.param(False, "cấu hình chưa khai báo đơn vị nào", id="one-office"),
    ],
)
def test_an_unknown_office_is_one_vietnamese_line_listing_the_configured_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offices: bool, fragment: str
) -> None:
    url = f"sqlite:///{tmp_path}/faqbot.sqlite3"
    seed(url, OFFICE_SEED)
    if offices:
        config = province_config(tmp_path, url)
    else:
        (tmp_path / "config.yaml").write_text(f"storage:\n  url: {url}\n", encoding="utf-8")
        config = str(tmp_path / "config.yaml")
    assert main(["report", "--config", config, "--office", "hoang-lie"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Lỗi: ") and "'hoang-lie'" in line and fragment in line


def test_migrate_log_copies_the_office(tmp_path: Path, pg_url: str) -> None:  # noqa: F811
    path = tmp_path / "faqbot.sqlite3"
    seed(str(path), OFFICE_SEED)
    assert main(["migrate-log", "--from", f"sqlite:///{path}", "--to", pg_url]) == 0
    copied = InteractionLog(pg_url, salt="s")
    rows = copied.rows()
    copied.close()
    assert [r.office for r in rows] == [r.office for r in OFFICE_SEED]
    assert rows == OFFICE_SEED


# -- the weekly digest per office ----------------------------------------------------------------


def test_digest_targets_are_the_province_group_then_each_office_with_its_own() -> None:
    config = AppConfig(
        staff=StaffConfig(telegram_chat_id=e2e.PROVINCE_STAFF),
        offices=(
            OfficeConfig(id="hoang-liet", staff=OfficeStaffConfig(telegram_chat_id=e2e.HOANG_LIET_STAFF)),
            OfficeConfig(id="dinh-cong"),
        ),
    )
    assert digest_targets(config) == (
        DigestTarget(None, e2e.PROVINCE_STAFF),
        DigestTarget("hoang-liet", e2e.HOANG_LIET_STAFF),
    )
    assert digest_targets(dataclasses.replace(config, offices=())) == (
        DigestTarget(None, e2e.PROVINCE_STAFF),
    )


async def test_the_weekly_digest_goes_to_each_offices_own_group_and_the_province_wide_one_to_the_province(
    tmp_path: Path,
    fakes: tuple[FakeTelegramServer, FakeTelegramServer, FakeTelegramServer],  # noqa: F811
) -> None:
    bot, hl, dc = fakes
    config = e2e.province_config(tmp_path, bot, hl, dc)
    config = dataclasses.replace(config, staff=dataclasses.replace(config.staff, weekly_digest=True))
    recent = time.time() - 3600
    rows = [dataclasses.replace(r, at=recent + i) for i, r in enumerate(OFFICE_SEED)]
    log = InteractionLog(config.storage.log_url, salt="s", linger=3600)
    for r in rows:
        log.add(r)
    assert log.flush()

    async def body() -> None:
        posted = await post_digests(
            log, app.knowledge, app.channels, digest_targets(config), VN, [o.id for o in config.offices]
        )
        assert posted == 2
        [province_wide] = await bot.wait_sent(e2e.PROVINCE_STAFF, 1)
        [own] = await bot.wait_sent(e2e.HOANG_LIET_STAFF, 1)
        assert province_wide.text.startswith("Bản tin tuần từ ")
        assert f"Tổng số lượt trao đổi: {len(rows)}," in province_wide.text
        assert (
            "- hoang-liet: 7 / 3 / 0" in province_wide.text and "- dinh-cong: 4 / 0 / 4" in province_wide.text
        )
        assert own.text.startswith("Bản tin tuần — đơn vị hoang-liet ")
        assert "Tổng số lượt trao đổi: 8," in own.text and "sổ đỏ" not in own.text
        # Định Công has no group of its own: its rows are in the province's digest only.
        assert dc.sent_to(e2e.PROVINCE_STAFF) == [] and hl.sent_to(e2e.HOANG_LIET_STAFF) == []

    app = build_app(config)
    stop = asyncio.Event()
    err = io.StringIO()
    task = asyncio.create_task(run_app(app, stop=stop, err=err))
    try:
        await bot.wait_for(lambda: bool(bot.calls_to("getUpdates")) or task.done())
        assert not task.done(), err.getvalue()
        await body()
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
        log.close()
