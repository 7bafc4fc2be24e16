"""A province end to end: offices on their own Telegram bots and on the province's shared bot, handoff
to each office's staff group, built exactly as `faqbot run` builds it against fake Bot APIs."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from bot.app import build_app, run_app
from bot.config import (
    AppConfig,
    FaqConfig,
    OfficeConfig,
    OfficeStaffConfig,
    StaffConfig,
    StorageConfig,
    TelegramConfig,
    ZaloBotConfig,
)
from handlers import texts
from tests.fakes.telegram_api import FakeTelegramServer, Outgoing
from tests.fakes.zalo_bot_api import TOKEN, FakeZaloBotApi

OFFICES = Path(__file__).parent / "data" / "offices"
PROVINCE_STAFF = -100500
HOANG_LIET_STAFF = -100600
CITIZEN = 4242
NONSENSE = "con mèo nhà em biết bay lên mặt trăng không"
ALWAYS_OPEN = StaffConfig(
    telegram_chat_id=PROVINCE_STAFF, working_days=(0, 1, 2, 3, 4, 5, 6), working_hours=("00:00-24:00",)
)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegramServer, FakeTelegramServer, FakeTelegramServer]]:
    """The province's shared bot, Hoàng Liệt's own bot, Định Công's own bot: one fake API each."""
    async with AsyncExitStack() as stack:
        servers = [await stack.enter_async_context(FakeTelegramServer()) for _ in range(3)]
        yield servers[0], servers[1], servers[2]


def telegram(fake: FakeTelegramServer) -> TelegramConfig:
    return TelegramConfig(
        enabled=True,
        token=fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        poll_timeout=5,
    )


def province_config(
    tmp_path: Path, shared: FakeTelegramServer, hl: FakeTelegramServer, dc: FakeTelegramServer
) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=None, watch=False),
        telegram=telegram(shared),
        storage=StorageConfig(path=str(tmp_path / "faqbot.sqlite3"), salt="test-salt"),
        staff=ALWAYS_OPEN,
        offices=(
            OfficeConfig(
                id="hoang-liet",
                unit="00337",
                overlay=str(OFFICES / "hoang-liet.yaml"),
                telegram=telegram(hl),
                staff=OfficeStaffConfig(telegram_chat_id=HOANG_LIET_STAFF),
            ),
            OfficeConfig(
                id="dinh-cong",
                unit="Phường Định Công",
                overlay=str(OFFICES / "dinh-cong.yaml"),
                telegram=telegram(dc),
            ),
        ),
    )


async def run_province(
    config: AppConfig, fakes: tuple[FakeTelegramServer, ...], body: Callable[[], Awaitable[None]]
) -> None:
    app = build_app(config)
    assert set(app.channels) == {"telegram", "telegram:hoang-liet", "telegram:dinh-cong"}
    stop = asyncio.Event()
    err = io.StringIO()
    task = asyncio.create_task(run_app(app, stop=stop, err=err))
    for fake in fakes:
        await fake.wait_for(lambda f=fake: bool(f.calls_to("getUpdates")) or task.done())  # type: ignore[misc]
    assert not task.done(), err.getvalue()
    try:
        await body()
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0


async def ask(fake: FakeTelegramServer, text: str, chat: int = CITIZEN) -> Outgoing:
    before = len(fake.sent_to(chat))
    fake.add_text(chat, text)
    return (await fake.wait_sent(chat, before + 1))[-1]


async def test_two_offices_on_their_own_bots_answer_with_their_own_contacts(
    tmp_path: Path, fakes: tuple[FakeTelegramServer, FakeTelegramServer, FakeTelegramServer]
) -> None:
    shared, hl, dc = fakes

    async def body() -> None:
        a = await ask(hl, "/lienhe")
        b = await ask(dc, "/lienhe")
        assert "024 3641 1111" in a.text and "Hoàng Liệt" in a.text
        assert "024 3664 2222" in b.text and "Định Công" in b.text
        # The same citizen on both bots: each bot keeps its own context.
        replaced = await ask(hl, "làm giấy khai sinh cho con")
        assert "quầy số 3" in replaced.text
        plain = await ask(dc, "làm giấy khai sinh cho con")
        assert "quầy số 3" not in plain.text and "khai sinh" in plain.text.lower()

    await run_province(province_config(tmp_path, shared, hl, dc), fakes, body)


async def test_handoff_goes_to_the_citizens_office_staff_group(
    tmp_path: Path, fakes: tuple[FakeTelegramServer, FakeTelegramServer, FakeTelegramServer]
) -> None:
    shared, hl, dc = fakes

    async def body() -> None:
        await ask(hl, NONSENSE)
        [post] = await shared.wait_sent(HOANG_LIET_STAFF, 1)  # posted by the province's bot
        assert "#0001" in post.text
        await ask(dc, NONSENSE)  # Định Công has no group of its own: the province's
        [post] = await shared.wait_sent(PROVINCE_STAFF, 1)
        assert "#0002" in post.text
        # On the shared bot, once the citizen named Hoàng Liệt, handoff goes to its group too.
        asked = await ask(shared, "cho em số điện thoại ủy ban")
        assert asked.text == texts.ASK_OFFICE
        chosen = await ask(shared, "phuong hoang liet")
        assert "024 3641 1111" in chosen.text
        await ask(shared, NONSENSE)
        posts = await shared.wait_sent(HOANG_LIET_STAFF, 2)
        assert "#0003" in posts[-1].text

    await run_province(province_config(tmp_path, shared, hl, dc), fakes, body)


async def test_an_office_on_its_own_zalo_bot_answers_as_that_office(tmp_path: Path) -> None:
    async with FakeTelegramServer() as shared, FakeZaloBotApi(hold=0.01) as zalo:
        own = ZaloBotConfig(enabled=True, token=TOKEN, base_url=zalo.base_url, poll_timeout=1)
        config = AppConfig(
            faq=FaqConfig(path=None, watch=False),
            telegram=telegram(shared),
            storage=StorageConfig(path=str(tmp_path / "faqbot.sqlite3"), salt="test-salt"),
            offices=(
                OfficeConfig(
                    id="hoang-liet", unit="00337", overlay=str(OFFICES / "hoang-liet.yaml"), zalo_bot=own
                ),
            ),
        )
        app = build_app(config)
        assert set(app.channels) == {"telegram", "zalo_bot:hoang-liet"}
        stop = asyncio.Event()
        task = asyncio.create_task(run_app(app, stop=stop, err=io.StringIO()))
        try:
            await zalo.wait_for(lambda s: s.empty_polls >= 1 or task.done())
            zalo.queue(zalo.update("/lienhe"))
            [contact] = await zalo.wait_outbox(1)
            zalo.queue(zalo.update("làm hộ chiếu cần những gì"))
            sent = await zalo.wait_outbox(2)
        finally:
            stop.set()
            assert await asyncio.wait_for(task, 15) == 0
    assert "024 3641 1111" in contact["text"]
    assert (
        "Thủ tục này do Phòng Quản lý xuất nhập cảnh Công an thành phố Hà Nội giải quyết" in sent[1]["text"]
    )
