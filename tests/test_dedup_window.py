"""De-duplication windows are measured in time, not in a count of events (issue 18 item 3).

The window (handlers.dedup.SEEN_TTL, 24 h) is Telegram's own: it keeps and re-sends an update it could
not hand over for up to 24 hours. A re-delivery inside it is answered once however many other events
came in between; after it, an event is new again. The memory store keeps a key its whole TTL: expired
keys go first, and only a store past its memory guard drops live keys (counted and logged).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.channels.base import ChannelContext
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo_bot import ZaloBotChannel
from bot.channels.zalo_oa import ZaloOAChannel
from bot.config import TelegramWebhookConfig
from handlers.conversation import Conversation
from handlers.dedup import SEEN_TTL, SeenEvents
from handlers.flood import FloodGate
from handlers.store import MemoryStore
from tests.fakes.exchanges import Exchanges, mini_knowledge
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_bot_api import TOKEN as ZALO_BOT_TOKEN
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.fakes.zalo_oa_api import FakeZaloOA
from tests.test_telegram_e2e import CHAT, config_for, running
from tests.test_telegram_webhook import SECRET as TG_SECRET
from tests.test_telegram_webhook import post
from tests.test_zalo_oa import oa_config
from tests.test_zalo_oa import running as oa_running

HOUR = 3600.0
BUSY_DAY = 20_000
"""Other events between a delivery and its repeat: twice the old memory bound (10,000 keys)."""
ZB_SECRET = "webhook-secret-123"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


# -- the window, as a table -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "others", "answered_again"),
    [
        pytest.param(0.0, 0, False, id="repeat-at-once"),
        pytest.param(30.0, 0, False, id="repeat-after-30s-telegram-retry"),
        pytest.param(HOUR, BUSY_DAY, False, id="repeat-after-an-hour-and-20000-events"),
        pytest.param(SEEN_TTL - 1, BUSY_DAY, False, id="repeat-just-inside-the-window"),
        pytest.param(SEEN_TTL, 0, True, id="repeat-when-the-window-ends"),
        pytest.param(SEEN_TTL + HOUR, 5, True, id="repeat-after-the-window"),
    ],
)
def test_a_repeat_inside_the_window_is_not_handled_again(
    after: float, others: int, answered_again: bool
) -> None:
    clock = Clock()
    seen = SeenEvents(MemoryStore(clock=clock))
    assert seen.first_time("telegram", "update:7")
    for i in range(others):
        clock.now += after / (others + 1)
        assert seen.first_time("zalo_oa", f"msg:{i}")
    clock.now = 1_000.0 + after
    assert seen.first_time("telegram", "update:7") is answered_again


@pytest.mark.parametrize(
    ("writes", "max_keys", "live_after", "evicted"),
    [
        pytest.param([("a", 10), ("b", 10)], 2, {"a", "b"}, 0, id="room-for-both"),
        pytest.param(
            [("a", 100), ("x", 1), ("wait", 2), ("b", 10), ("c", 10)],
            3,
            {"a", "b", "c"},
            0,
            id="expired-go-first",
        ),
        pytest.param([("a", 10), ("b", 10), ("c", 10)], 2, {"b", "c"}, 1, id="full-of-live-keys"),
        pytest.param([("a", 10), ("a", 10), ("b", 10)], 2, {"a", "b"}, 0, id="rewrite-is-one-key"),
    ],
)
def test_memory_store_drops_expired_keys_before_live_ones(
    writes: list[tuple[str, float]], max_keys: int, live_after: set[str], evicted: int
) -> None:
    clock = Clock()
    store = MemoryStore(max_keys=max_keys, clock=clock)
    for key, ttl in writes:
        if key == "wait":
            clock.now += ttl
            continue
        store.set(key, "1", ttl)
    assert {k for k in "abc" if store.get(k) is not None} == live_after
    assert store.evicted_live == evicted


def test_the_default_seen_events_keep_a_busy_day() -> None:
    seen = SeenEvents()
    assert seen.first_time("zalo_oa", "msg:m-1")
    for i in range(BUSY_DAY):
        seen.first_time("zalo_oa", f"msg:other-{i}")
    assert not seen.first_time("zalo_oa", "msg:m-1")


def test_memory_store_forgets_expired_keys_without_being_read() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    for i in range(5_000):
        store.set(f"old:{i}", "1", 10)
    clock.now += 11
    for i in range(5_000):
        store.set(f"new:{i}", "1", 10)
    # Only the live keys are held: the sweep removed the expired ones, nobody read them.
    assert len(store._items) <= 5_000 + 1024
    assert len(store) == 5_000


def test_a_full_memory_store_says_so(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryStore(max_keys=3)
    with caplog.at_level(logging.WARNING):
        for key in "abcde":
            store.set(key, "1", 60)
    assert store.evicted_live == 2
    assert "live keys evicted" in caplog.text


# -- end to end, one per platform -------------------------------------------------------------------


def _busy_day(seen: SeenEvents, clock: Clock) -> None:
    """Twenty thousand other events over 23 hours, as the webhooks record them."""
    for i in range(BUSY_DAY):
        seen.first_time("zalo_oa", f"msg:other-{i}")
    clock.now += 23 * HOUR


@pytest.fixture
async def telegram_webhook() -> AsyncIterator[tuple[FakeTelegramServer, App, Clock, str]]:
    clock = Clock()
    async with FakeTelegramServer() as fake:
        hook = TelegramWebhookConfig(
            listen="127.0.0.1",
            port=0,
            url="https://bot.example.invalid/tg",
            path="tg",
            secret_token=TG_SECRET,
        )
        app = build_app(config_for(fake, mode="webhook", webhook=hook), store=MemoryStore(clock=clock))
        async with running(app, fake, ready="setWebhook"):
            channel = app.channels["telegram"]
            assert isinstance(channel, TelegramChannel)
            yield fake, app, clock, f"http://127.0.0.1:{channel.webhook_port}/tg"


async def test_telegram_update_re_sent_a_day_later_is_answered_once_then_new(
    telegram_webhook: tuple[FakeTelegramServer, App, Clock, str],
) -> None:
    fake, app, clock, url = telegram_webhook
    update = {"update_id": 7, **fake.text_update(CHAT, "xin chào")}
    assert await post(url, update, TG_SECRET) == 200
    await fake.wait_sent(CHAT, 1)
    _busy_day(app.context.seen, clock)
    assert await post(url, update, TG_SECRET) == 200  # inside the window: ignored
    assert await post(url, {"update_id": 8, **fake.text_update(CHAT, "/start")}, TG_SECRET) == 200
    sent = await fake.wait_sent(CHAT, 2)
    clock.now += 2 * HOUR  # 25 h after the first delivery: past the window
    assert await post(url, update, TG_SECRET) == 200
    sent = await fake.wait_sent(CHAT, 3)
    texts_sent = [o.text for o in sent]
    assert texts_sent[0] == texts_sent[2] != texts_sent[1]


def _context(exchanges: Exchanges, clock: Clock) -> ChannelContext:
    store = MemoryStore(clock=clock)
    return ChannelContext(
        Conversation(mini_knowledge()),
        FloodGate(limit=1000),
        seen=SeenEvents(store),
        observers=[exchanges],
    )


async def test_zalo_bot_event_re_sent_after_a_busy_day_is_answered_once() -> None:
    from bot.config import ZaloBotConfig

    clock, exchanges = Clock(), Exchanges()
    context = _context(exchanges, clock)
    async with FakeZaloBotApi(hold=0.01) as api:
        config = ZaloBotConfig(
            enabled=True,
            token=ZALO_BOT_TOKEN,
            base_url=api.base_url,
            mode="webhook",
            listen="127.0.0.1",
            port=0,
            secret_token=ZB_SECRET,
        )
        channel = ZaloBotChannel(config, context)
        await channel.start()
        try:
            url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
            event = api.update("xin chào", message_id="a" * 20)
            await api.push(url, event, secret=ZB_SECRET)
            await exchanges.wait(1)
            _busy_day(context.seen, clock)
            await api.push(url, event, secret=ZB_SECRET)
            await api.push(url, api.update("cảm ơn", message_id="b" * 20), secret=ZB_SECRET)
            await exchanges.wait(2)
            clock.now += 2 * HOUR
            await api.push(url, event, secret=ZB_SECRET)
            await exchanges.wait(3)
        finally:
            await channel.stop()
    assert exchanges.message_ids == ["a" * 20, "b" * 20, "a" * 20]


async def test_zalo_oa_event_re_sent_after_many_events_is_answered_once(tmp_path: Path) -> None:
    # Zalo OA events older than zalo_oa.max_event_age (5 min) are dropped before de-duplication, so
    # only the inside of the window can be seen end to end here.
    clock, exchanges = Clock(), Exchanges()
    context = _context(exchanges, clock)
    async with FakeZaloOA() as oa:
        channel = ZaloOAChannel(oa_config(oa, tmp_path), context)
        async with oa_running(channel) as url:
            event = oa.event(text="xin chào", msg_id="m-dup")
            await oa.push(url, event)
            await exchanges.wait(1)
            for i in range(BUSY_DAY):
                context.seen.first_time("telegram", f"update:{i}")
            clock.now += 4 * 60
            again = await oa.push(url, event)
            await oa.push(url, oa.event(text="cảm ơn", msg_id="m-sentinel"))
            await exchanges.wait(2)
    assert again.json()["message"] == "Duplicate ignored"
    assert exchanges.message_ids == ["m-dup", "m-sentinel"]
