"""Admin commands: only the configured ids get them; /reload, /stats, /unanswered speak Vietnamese."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.admin import LOG_UNUSABLE, NO_LOG, NO_RELOADER, AdminCommands
from bot.reload import FaqReloader
from bot.storage import Interaction, InteractionLog
from faq.decision import MatchSettings
from faq.knowledge import Knowledge, StaticKnowledge
from handlers.messages import Incoming, InKind

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
NOW = 1_750_000_000.0
DAY = 86400.0
ADMIN = "123456789"
EXTRA_ENTRY = """
  - id: giay-phep-xay-dung
    category: chung-thuc
    title: Cấp giấy phép xây dựng nhà ở riêng lẻ
    questions: [xin giấy phép xây dựng nhà ở]
    summary: Nộp hồ sơ xin giấy phép xây dựng tại UBND cấp huyện.
"""


def command(name: str, user: str = ADMIN, channel: str = "telegram") -> Incoming:
    return Incoming(channel=channel, chat_id=user, user_id=user, kind=InKind.COMMAND, text=name)


@pytest.fixture
def faq_path(tmp_path: Path) -> Path:
    path = tmp_path / "faq.yaml"
    shutil.copyfile(MINI_FAQ, path)
    return path


@pytest.fixture
def reloader(faq_path: Path) -> FaqReloader:
    return FaqReloader(faq_path, MatchSettings())


@pytest.fixture
def log(tmp_path: Path) -> Iterator[InteractionLog]:
    log = InteractionLog(tmp_path / "log.sqlite3", salt="s")
    rows = [
        ("answer", "khai-sinh", "làm khai sinh", NOW - 3600),
        ("answer", "khai-sinh", "khai sinh cho con", NOW - 7200),
        ("suggest", "ket-hon", "giấy tờ cưới", NOW - 2 * DAY),
        ("none", None, "làm sổ đỏ ở đâu", NOW - DAY),
        ("none", None, "lam so do o dau", NOW - DAY),
        ("none", None, "đổi bằng lái xe", NOW - DAY),
        ("none", None, "câu hỏi cũ quá một tuần", NOW - 8 * DAY),
    ]
    for kind, entry_id, question, at in rows:
        log.add(
            Interaction(
                at=at, channel="telegram", user_hash="h", question=question, kind=kind, entry_id=entry_id
            )
        )
    assert log.flush()
    yield log
    log.close()


@pytest.fixture
def admin(reloader: FaqReloader, log: InteractionLog) -> AdminCommands:
    return AdminCommands([ADMIN, "987"], reloader=reloader, log=log, knowledge=reloader, clock=lambda: NOW)


@pytest.mark.parametrize(
    "msg",
    [
        pytest.param(command("reload", user="555"), id="stranger-reload"),
        pytest.param(command("stats", user="12345678"), id="prefix-of-an-admin-id"),
        pytest.param(command("unanswered", user=""), id="no-user-id"),
        pytest.param(command("start"), id="admin-citizen-command"),
        pytest.param(
            Incoming("telegram", ADMIN, ADMIN, InKind.TEXT, text="/reload"), id="admin-typed-text-not-command"
        ),
        pytest.param(Incoming("telegram", ADMIN, ADMIN, InKind.BUTTON, text="reload"), id="admin-button"),
    ],
)
async def test_everyone_else_gets_the_citizen_path(admin: AdminCommands, msg: Incoming) -> None:
    assert await admin.handle(msg) is None


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        pytest.param(ADMIN, True, id="admin"),
        pytest.param("987", True, id="second-admin"),
        pytest.param("9870", False, id="longer-id"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_admin_compares_ids_as_strings(admin: AdminCommands, user: str, expected: bool) -> None:
    assert admin.is_admin(command("stats", user=user)) is expected


async def test_admin_on_another_channel_with_a_bot_suffix(admin: AdminCommands) -> None:
    reply = await admin.handle(command("Stats@faq_bot", user="987", channel="zalo_bot"))
    assert reply is not None and reply.text.startswith("Thống kê")


async def test_reload_good_file(admin: AdminCommands, reloader: FaqReloader, faq_path: Path) -> None:
    before = len(reloader.current().book.entries)
    faq_path.write_text(
        faq_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA_ENTRY, encoding="utf-8"
    )

    reply = await admin.handle(command("reload"))

    assert reply is not None
    # The new entry has neither 'steps' nor 'updated', which `faqbot check` lists.
    assert reply.text == (
        f"Đã nạp lại tệp hỏi đáp: {before + 1} mục. "
        "Có 2 chỗ nên xem lại trong tệp (xem bằng lệnh faqbot check)."
    )
    assert reloader.current().book.entry("giay-phep-xay-dung") is not None
    assert reply.outcome is None  # staff commands are not citizen interactions


async def test_reload_broken_file_lists_problems_and_keeps_the_old_faq(
    admin: AdminCommands, reloader: FaqReloader, faq_path: Path
) -> None:
    before = reloader.current()
    text = faq_path.read_text(encoding="utf-8")
    line = text[: text.index("  - id: khai-tu\n")].count("\n") + 1
    faq_path.write_text(text.replace("  - id: khai-tu\n", "  - id: khai-sinh\n"), encoding="utf-8")

    reply = await admin.handle(command("reload"))

    assert reply is not None
    assert "vẫn dùng nội dung cũ" in reply.text
    assert f"{faq_path}:{line}:" in reply.text
    assert reloader.current() is before


async def test_reload_without_a_reloader(log: InteractionLog, reloader: FaqReloader) -> None:
    admin = AdminCommands([ADMIN], reloader=None, log=log, knowledge=StaticKnowledge(reloader.current()))
    reply = await admin.handle(command("reload"))
    assert reply is not None and reply.text == NO_RELOADER


async def test_stats_covers_the_last_seven_days(admin: AdminCommands) -> None:
    reply = await admin.handle(command("stats"))

    assert reply is not None
    assert "Số câu hỏi người dân gửi: 6" in reply.text
    assert "trả lời ngay: 2 (33,3%)" in reply.text
    assert "chưa trả lời được: 3 (50,0%)" in reply.text
    assert "1. Đăng ký khai sinh: 2 lượt" in reply.text


async def test_unanswered_groups_similar_questions(admin: AdminCommands) -> None:
    reply = await admin.handle(command("unanswered"))

    assert reply is not None
    assert "1. «làm sổ đỏ ở đâu» — 2 lượt" in reply.text
    assert "2. «đổi bằng lái xe» — 1 lượt" in reply.text
    assert "câu hỏi cũ" not in reply.text


@pytest.mark.parametrize("name", ["stats", "unanswered"])
async def test_figures_without_a_log(reloader: FaqReloader, name: str) -> None:
    knowledge: Knowledge = reloader.current()
    admin = AdminCommands([ADMIN], reloader=reloader, log=None, knowledge=StaticKnowledge(knowledge))
    reply = await admin.handle(command(name))
    assert reply is not None and reply.text == NO_LOG


async def test_stats_says_the_log_writes_normally(admin: AdminCommands) -> None:
    reply = await admin.handle(command("stats"))
    assert reply is not None and reply.text.endswith("Nhật ký hỏi đáp: ghi bình thường.")


async def test_stats_shows_lost_rows_at_once(reloader: FaqReloader, tmp_path: Path) -> None:
    # A row the database refuses, then a full queue: /stats answers at once and says what was lost.
    log = InteractionLog(tmp_path / "lossy.sqlite3", salt="s", linger=0, max_queued=1)
    log.add(Interaction(at=None, channel="t", user_hash="h", question="q", kind="none"))  # type: ignore[arg-type]
    assert log.flush(timeout=5)
    log.add(Interaction(at=NOW, channel="t", user_hash="h", question="làm sổ đỏ", kind="none"))
    log._dropped += 2  # what a full queue would have counted
    admin = AdminCommands([ADMIN], reloader=reloader, log=log, knowledge=reloader, clock=lambda: NOW)
    started = time.monotonic()
    reply = await admin.handle(command("stats"))
    assert time.monotonic() - started < 3
    assert reply is not None
    assert "Số câu hỏi người dân gửi: 1" in reply.text
    assert "số liệu trên có thể thiếu" in reply.text
    assert "- 2 lượt không được ghi vì ổ đĩa ghi không kịp;" in reply.text
    assert "- 1 lượt ghi bị lỗi (lỗi gần nhất: IntegrityError: NOT NULL" in reply.text
    log.close()


async def test_stats_explains_an_unusable_log(reloader: FaqReloader) -> None:
    admin = AdminCommands(
        [ADMIN], reloader=reloader, log=None, knowledge=reloader, log_unusable="/ro/faqbot.sqlite3"
    )
    reply = await admin.handle(command("stats"))
    assert reply is not None and reply.text == LOG_UNUSABLE.format(path="/ro/faqbot.sqlite3")
    assert "không ghi lại câu hỏi" in reply.text
