"""Two bot processes ("workers") behind a load balancer, sharing one real Redis: each is built by
bot.app.build_app from a config with `state.backend: redis`, runs a Zalo Bot webhook on its own port,
and the test plays the load balancer, sending a chat's messages to one worker or the other."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.channels.base import ChannelContext
from bot.channels.zalo_bot import ZaloBotChannel
from bot.config import AppConfig, FaqConfig, SemanticConfig, StateConfig, StorageConfig, ZaloBotConfig
from bot.state import RedisStore
from handlers import texts
from handlers.conversation import Conversation
from handlers.flood import FloodGate
from handlers.messages import Button, Incoming, InKind, Reply
from handlers.options import OptionMemory
from tests.fakes.exchanges import MINI_FAQ, Exchanges, mini_knowledge
from tests.fakes.zalo_bot_api import TOKEN, FakeZaloBotApi

SECRET = "webhook-secret-123"
CHAT = "6ede9afa66b88fe6d6a9"
KEY = f"zalo_bot:{CHAT}"


@dataclass
class Worker:
    app: App
    url: str


@pytest.fixture
def clean_redis(redis_url: str) -> str:
    store = RedisStore.from_url(redis_url)
    store._client.flushdb()
    store.close()
    return redis_url


def worker_config(api: FakeZaloBotApi, redis_url: str, name: str, tmp_path: Path) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=str(MINI_FAQ), watch=False),
        semantic=SemanticConfig(backend="none"),
        state=StateConfig(backend="redis", redis_url=redis_url),
        storage=StorageConfig(path=str(tmp_path / f"{name}.sqlite3")),
        zalo_bot=ZaloBotConfig(
            enabled=True,
            token=TOKEN,
            base_url=api.base_url,
            mode="webhook",
            listen="127.0.0.1",
            port=0,
            webhook_url=f"https://bot.example.vn/{name}",
            secret_token=SECRET,
        ),
    )


@pytest.fixture
async def workers(
    clean_redis: str, tmp_path: Path, exchanges: Exchanges
) -> AsyncIterator[tuple[FakeZaloBotApi, Worker, Worker]]:
    async with AsyncExitStack() as stack:
        api = await stack.enter_async_context(FakeZaloBotApi(hold=0.01))
        started: list[Worker] = []
        for name in ("a", "b"):
            app = build_app(worker_config(api, clean_redis, name, tmp_path), knowledge=mini_knowledge())
            app.context.observers.append(exchanges)
            channel = app.channels["zalo_bot"]
            assert isinstance(channel, ZaloBotChannel)
            await channel.start()
            stack.push_async_callback(_stop, app)
            started.append(Worker(app, f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"))
        yield api, started[0], started[1]


async def _stop(app: App) -> None:
    for channel in app.channels.values():
        await channel.stop()
    for close in app.closers:
        close()


@pytest.fixture
def exchanges() -> Exchanges:
    return Exchanges()


async def test_each_worker_is_built_on_its_own_redis_store(
    workers: tuple[FakeZaloBotApi, Worker, Worker],
) -> None:
    _, a, b = workers
    store_a = a.app.context.conversation._states._store
    store_b = b.app.context.conversation._states._store
    assert isinstance(store_a, RedisStore) and isinstance(store_b, RedisStore)
    assert store_a is not store_b
    assert a.app.context.flood._store is store_a
    assert a.app.context.options._store is store_a


async def test_a_follow_up_on_the_other_worker_keeps_the_context(
    workers: tuple[FakeZaloBotApi, Worker, Worker], exchanges: Exchanges
) -> None:
    api, a, b = workers
    await api.push(a.url, api.update("làm giấy khai sinh cho con cần những gì"), secret=SECRET)
    await exchanges.wait(1)
    await api.push(b.url, api.update("còn lệ phí thì sao"), secret=SECRET)
    [(_, first), (_, follow_up)] = await exchanges.wait(2)
    sent = await api.wait_outbox(2)

    assert first.outcome is not None and first.outcome.entry_id == "khai-sinh"
    assert follow_up.outcome is not None
    assert (follow_up.outcome.kind, follow_up.outcome.entry_id) == ("answer", "khai-sinh")
    assert follow_up.outcome.facet == "fee"
    assert sent[1]["text"].startswith("Đăng ký khai sinh")
    assert "Lệ phí" in sent[1]["text"]


async def test_a_number_shown_by_one_worker_is_pressed_on_the_other(
    workers: tuple[FakeZaloBotApi, Worker, Worker], exchanges: Exchanges
) -> None:
    api, a, b = workers
    await api.push(a.url, api.update("làm giấy khai sinh cho con cần những gì"), secret=SECRET)
    await exchanges.wait(1)
    [shown] = await api.wait_outbox(1)
    # What worker A listed as option 2, read back from the shared store like any worker would.
    expected = OptionMemory(store=b.app.context.options._store).resolve(KEY, "2")
    assert expected is not None
    assert "2." in shown["text"] or "2)" in shown["text"]

    await api.push(b.url, api.update("2"), secret=SECRET)
    [_, (pressed, reply)] = await exchanges.wait(2)

    assert (pressed.kind, pressed.text) == (InKind.BUTTON, expected)
    assert reply.outcome is not None and reply.outcome.entry_id == "khai-sinh"
    assert reply.outcome.kind not in ("option:none", "option:missing", "stale")


async def test_the_flood_limit_counts_both_workers_together(clean_redis: str) -> None:
    def worker() -> Callable[[Incoming], Awaitable[Reply | None]]:
        store = RedisStore.from_url(clean_redis)
        conversation = Conversation(mini_knowledge(), store=store)
        context = ChannelContext(conversation, FloodGate(limit=3, window=60, store=store))
        return context.respond

    a, b = worker(), worker()
    replies = []
    for i, respond in enumerate([a, b, a, b, a, b]):
        msg = Incoming("zalo_bot", CHAT, CHAT, InKind.TEXT, "xin chào", message_id=str(i))
        replies.append(await respond(msg))

    assert all(r is not None and r.text != texts.FLOOD for r in replies[:3])
    assert replies[3] is not None and replies[3].text == texts.FLOOD
    assert replies[4:] == [None, None]


async def test_redis_gone_the_citizen_gets_the_apology_and_numbers_degrade(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as s:  # a port nobody listens on: what a stopped Redis looks like
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = RedisStore.from_url(f"redis://127.0.0.1:{port}/0")
    options = OptionMemory(store=store)
    context = ChannelContext(Conversation(mini_knowledge(), store=store), FloodGate(store=store), options)
    msg = Incoming("zalo_bot", CHAT, CHAT, InKind.TEXT, "làm giấy khai sinh cần gì")
    with caplog.at_level(logging.WARNING):
        reply = await context.respond(msg)
        numbering = options.remember(KEY, OptionMemory().number(KEY, _with_options()))
        resolved = options.resolve(KEY, "1")
    store.close()

    assert reply is not None and reply.outcome is not None and reply.outcome.kind == "error"
    assert reply.text.startswith("Dạ, em xin lỗi, em đang gặp sự cố")
    assert [o.number for o in numbering.shown] == [1]  # the reply still goes out numbered
    assert resolved is None
    logged = caplog.text
    assert "flood check skipped" in logged and "options not remembered" in logged


def _with_options() -> Reply:
    return Reply("x", buttons=((Button("Lệ phí", payload="f:khai-sinh:fee"),),))


async def test_an_event_delivered_to_both_workers_is_answered_once(
    workers: tuple[FakeZaloBotApi, Worker, Worker], exchanges: Exchanges
) -> None:
    api, a, b = workers
    event = api.update("xin chào", message_id="a" * 20)
    first = await api.push(a.url, event, secret=SECRET)
    again = await api.push(b.url, event, secret=SECRET)  # decided before B's webhook answers
    await api.push(b.url, api.update("cảm ơn", message_id="b" * 20), secret=SECRET)
    await exchanges.wait(2)
    await api.wait_outbox(2)

    assert (first.status_code, again.status_code) == (200, 200)
    assert [m.message_id for m, _ in exchanges.items] == ["a" * 20, "b" * 20]
