"""Handoff end to end: citizen → staff group → staff reply → citizen, on Telegram and from Zalo.

The app is built exactly as `faqbot run` builds it, against a fake Telegram Bot API and a fake
Zalo Bot API on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.app import build_app, run_app
from bot.config import AppConfig, FaqConfig, StaffConfig, StorageConfig, TelegramConfig, ZaloBotConfig
from bot.storage import InteractionLog
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_bot_api import FakeZaloBotApi

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
STAFF_GROUP = -100500
STAFF_MEMBER = 900
ADMIN = 777
CITIZEN = 42
ZALO_CITIZEN = "a1b2c3d4e5f6a7b8c9d0"
UNANSWERABLE = "em bị phạt nguội thì tra cứu ở đâu, sđt em 0912345678"
ALWAYS_OPEN = StaffConfig(
    telegram_chat_id=STAFF_GROUP,
    admin_user_ids=(str(ADMIN),),
    working_days=(0, 1, 2, 3, 4, 5, 6),
    working_hours=("00:00-24:00",),
)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloBotApi]:
    async with FakeZaloBotApi() as api:
        yield api


def config(
    tmp_path: Path,
    telegram: FakeTelegramServer,
    zalo: FakeZaloBotApi | None = None,
    staff: StaffConfig = ALWAYS_OPEN,
) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=str(MINI_FAQ), watch=False),
        telegram=TelegramConfig(
            enabled=True,
            token=telegram.token,
            base_url=telegram.base_url,
            base_file_url=telegram.base_file_url,
            poll_timeout=5,
        ),
        zalo_bot=ZaloBotConfig(
            enabled=zalo is not None,
            token=zalo.state.token if zalo else "",
            base_url=zalo.base_url if zalo else "",
            poll_timeout=5,
        ),
        storage=StorageConfig(path=str(tmp_path / "faqbot.sqlite3"), salt="test-salt"),
        staff=staff,
    )


async def run_until(
    app_config: AppConfig, telegram: FakeTelegramServer, body: Callable[[], Awaitable[None]]
) -> None:
    """Run the real app on the fake Telegram server until `body` is done, then stop it cleanly."""
    app = build_app(app_config)
    stop = asyncio.Event()
    err = io.StringIO()
    task = asyncio.create_task(run_app(app, stop=stop, err=err))
    await telegram.wait_for(lambda: bool(telegram.calls_to("getUpdates")) or task.done())
    assert not task.done(), err.getvalue()
    try:
        await body()
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    # The operator watching the console knows it serves, and where, in Vietnamese.
    assert "Bot đang chạy trên Telegram" in err.getvalue() and "Nhấn Ctrl+C để dừng." in err.getvalue()


async def test_telegram_citizen_reaches_staff_and_gets_the_reply(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    async def conversation() -> None:
        telegram.add_text(CITIZEN, UNANSWERABLE)
        [post] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert "#0001" in post.text and "qua Telegram" in post.text
        assert "0912345678" not in post.text and "[số điện thoại]" in post.text
        assert str(CITIZEN) not in post.text

        replies = await telegram.wait_sent(CITIZEN, 2)
        assert "chưa có thông tin" in replies[0].text
        assert "#0001" in replies[1].text and "ngoài giờ" not in replies[1].text

        telegram.add_group_reply(
            STAFF_GROUP,
            "Anh tra cứu phạt nguội trên trang của CSGT ạ.",
            post,
            user_id=STAFF_MEMBER,
            first_name="Chị Lan",
        )
        replies = await telegram.wait_sent(CITIZEN, 3)
        assert "cán bộ trả lời" in replies[2].text
        assert "Anh tra cứu phạt nguội trên trang của CSGT ạ." in replies[2].text
        assert "Lan" not in replies[2].text
        [_, confirmation] = await telegram.wait_sent(STAFF_GROUP, 2)
        assert "Đã gửi" in confirmation.text and "#0001" in confirmation.text

        # Staff chatter in the group is neither answered by the bot nor relayed: not even a reply to the
        # confirmation, which quotes the ticket's number too.
        telegram.add_group_reply(STAFF_GROUP, "ok cảm ơn, chắc spam", confirmation, user_id=STAFF_MEMBER)
        telegram.add_text(CITIZEN, "/menu")
        await telegram.wait_sent(CITIZEN, 4)
        assert len(telegram.sent_to(STAFF_GROUP)) == 2
        assert not [m for m in telegram.sent_to(CITIZEN) if "chắc spam" in m.text]
        # A photo of the form cannot be relayed: the clerk is told, the citizen gets nothing half-said.
        telegram.add_group_reply(STAFF_GROUP, "Mẫu đơn đây ạ", post, user_id=STAFF_MEMBER, photo=True)
        [*_, told] = await telegram.wait_sent(STAFF_GROUP, 3)
        assert "chỉ chuyển được tin nhắn chữ" in told.text and "#0001" in told.text
        assert not [m for m in telegram.sent_to(CITIZEN) if "Mẫu đơn" in m.text]

    await run_until(config(tmp_path, telegram), telegram, conversation)


async def test_zalo_citizen_is_answered_from_the_telegram_staff_group(
    tmp_path: Path, telegram: FakeTelegramServer, zalo: FakeZaloBotApi
) -> None:
    async def conversation() -> None:
        zalo.queue(zalo.update(UNANSWERABLE, chat_id=ZALO_CITIZEN))
        [post] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert "qua Zalo" in post.text and ZALO_CITIZEN not in post.text
        sent = await zalo.wait_outbox(2)
        assert sent[1]["chat_id"] == ZALO_CITIZEN and "#0001" in sent[1]["text"]

        telegram.add_group_reply(
            STAFF_GROUP, "Dạ, bạn gọi đường dây nóng CSGT nhé.", post, user_id=STAFF_MEMBER
        )
        sent = await zalo.wait_outbox(3)
        assert sent[2]["chat_id"] == ZALO_CITIZEN
        assert "Dạ, bạn gọi đường dây nóng CSGT nhé." in sent[2]["text"]
        [_, confirmation] = await telegram.wait_sent(STAFF_GROUP, 2)
        assert "Đã gửi" in confirmation.text

    await run_until(config(tmp_path, telegram, zalo), telegram, conversation)


async def test_out_of_hours_citizen_is_told_when_to_expect_an_answer(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    never_open = StaffConfig(telegram_chat_id=STAFF_GROUP, working_days=())

    async def conversation() -> None:
        telegram.add_text(CITIZEN, UNANSWERABLE)
        replies = await telegram.wait_sent(CITIZEN, 2)
        assert "ngoài giờ làm việc" in replies[1].text
        await telegram.wait_sent(STAFF_GROUP, 1)

    await run_until(config(tmp_path, telegram, staff=never_open), telegram, conversation)


async def test_admin_commands_only_for_admins_and_the_log_is_masked(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    async def conversation() -> None:
        telegram.add_text(CITIZEN, UNANSWERABLE)
        await telegram.wait_sent(CITIZEN, 2)
        telegram.add_text(ADMIN, "/stats")
        [stats] = await telegram.wait_sent(ADMIN, 1)
        assert "7 ngày" in stats.text or "lượt" in stats.text
        telegram.add_text(CITIZEN, "/stats")
        replies = await telegram.wait_sent(CITIZEN, 3)
        assert replies[2].text != stats.text
        # In the staff group, where staff naturally type them: an admin is answered there, a colleague
        # who is no admin is told so (both were met with silence), and /hoc in private says where it works.
        await telegram.wait_sent(STAFF_GROUP, 1)  # the ticket of the unanswerable question
        telegram.add_group_text(STAFF_GROUP, "/stats", user_id=ADMIN)
        [*_, in_group] = await telegram.wait_sent(STAFF_GROUP, 2)
        # The same report's header; its times are to the minute, and a minute may turn between the two.
        assert in_group.text.startswith("Thống kê") and _untimed(in_group.text) == _untimed(stats.text)
        telegram.add_group_text(STAFF_GROUP, "/unanswered", user_id=STAFF_MEMBER)
        [*_, refused] = await telegram.wait_sent(STAFF_GROUP, 3)
        assert "chỉ quản trị viên" in refused.text
        telegram.add_text(ADMIN, "/hoc")
        [_, where] = await telegram.wait_sent(ADMIN, 2)
        assert "trong nhóm cán bộ" in where.text

    await run_until(config(tmp_path, telegram), telegram, conversation)
    rows = InteractionLog(tmp_path / "faqbot.sqlite3", salt="test-salt").rows()
    unanswered = [r for r in rows if r.kind == "none"]
    assert [r.question for r in unanswered] == ["em bị phạt nguội thì tra cứu ở đâu, sđt em [số điện thoại]"]
    assert all(str(CITIZEN) not in r.user_hash for r in rows)


def watched_faq(tmp_path: Path, telegram: FakeTelegramServer) -> tuple[Path, str, AppConfig]:
    """The mini FAQ copied where a test may break it, and a config that watches it."""
    faq = tmp_path / "faq.yaml"
    good = MINI_FAQ.read_text(encoding="utf-8")
    faq.write_text(good, encoding="utf-8")
    watching = FaqConfig(path=str(faq), watch=True, watch_interval=0.05)
    return faq, good, dataclasses.replace(config(tmp_path, telegram), faq=watching)


async def test_a_broken_faq_edit_is_reported_to_staff_and_never_served(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    faq, good, app_config = watched_faq(tmp_path, telegram)

    async def conversation() -> None:
        faq.write_text(good.replace("questions:", "quesitons:", 1), encoding="utf-8")
        [alert] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert "vẫn dùng nội dung cũ" in alert.text
        assert f"{faq}:" in alert.text and "quesitons" in alert.text
        telegram.add_text(CITIZEN, "/start")
        [greeting] = await telegram.wait_sent(CITIZEN, 1)
        assert greeting.labels, "the last good FAQ still serves its menu"
        # Colleagues who saw the alarm see it is over: a fix, then the same file put back as served.
        faq.write_text(good.replace("questions:", "questions:  ", 1), encoding="utf-8")
        [_, fixed] = await telegram.wait_sent(STAFF_GROUP, 2)
        assert fixed.text.startswith(f"Đã nạp lại tệp hỏi đáp {faq}: ")
        faq.write_text(good.replace("questions:", "quesitons:", 1), encoding="utf-8")
        await telegram.wait_sent(STAFF_GROUP, 3)
        faq.write_text(good.replace("questions:", "questions:  ", 1), encoding="utf-8")  # as served
        [*_, back] = await telegram.wait_sent(STAFF_GROUP, 4)
        assert "đã hợp lệ trở lại" in back.text

    await run_until(app_config, telegram, conversation)


async def test_a_restart_with_a_broken_faq_serves_its_last_good_copy_and_tells_staff(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    faq, good, app_config = watched_faq(tmp_path, telegram)
    build_app(app_config)  # a first start keeps the copy
    faq.write_text(good.replace("questions:", "quesitons:", 1), encoding="utf-8")  # then a reboot

    async def conversation() -> None:
        [notice] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert (
            notice.text.startswith(f"Tệp hỏi đáp {faq} có ")
            and "bot đang dùng bản hợp lệ gần nhất" in notice.text
        )
        assert f"{faq}:" in notice.text and "quesitons" in notice.text
        telegram.add_text(CITIZEN, "/start")
        [greeting] = await telegram.wait_sent(CITIZEN, 1)
        assert greeting.labels, "citizens are served, not met with silence"

    await run_until(app_config, telegram, conversation)


def _untimed(report: str) -> str:
    """A report's first line with its times and dates masked."""
    return re.sub(r"\d{1,2}:\d{2} \d{1,2}/\d{1,2}/\d{4}", "<time>", report.split("\n")[0])
