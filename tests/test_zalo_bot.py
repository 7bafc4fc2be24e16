"""Zalo Bot API channel end to end: real httpx client ↔ fake Bot Platform on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.channels.base import ChannelContext, ChannelStartError
from bot.channels.zalo_bot import ZaloBotChannel, backoff_delay, build_zalo_bot_channel, updates_in
from bot.config import HealthConfig, ZaloBotConfig
from bot.health import Health, serve_health
from handlers import texts
from handlers.messages import InKind, Reply
from handlers.store import MemoryStore
from tests.fakes.exchanges import Exchanges, channel_context, mini_knowledge
from tests.fakes.zalo_bot_api import BOT_ID, TOKEN, FakeZaloBotApi

SECRET = "webhook-secret-123"
CHAT = "6ede9afa66b88fe6d6a9"


class Sleeps:
    """Injected sleep: records the delays asked for and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._changed = asyncio.Condition()

    async def __call__(self, seconds: float) -> None:
        async with self._changed:
            self.delays.append(seconds)
            self._changed.notify_all()

    async def wait(self, count: int, timeout: float = 5.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.delays) >= count), timeout)


@pytest.fixture
def exchanges() -> Exchanges:
    return Exchanges()


@pytest.fixture
def context(exchanges: Exchanges) -> ChannelContext:
    return channel_context(exchanges)


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloBotApi]:
    async with FakeZaloBotApi(hold=0.01) as fake:
        yield fake


def config(api: FakeZaloBotApi, **changes: object) -> ZaloBotConfig:
    values: dict[str, object] = {
        "enabled": True,
        "token": TOKEN,
        "base_url": api.base_url,
        "poll_timeout": 1,
        "listen": "127.0.0.1",
        "port": 0,
        "secret_token": SECRET,
    }
    values.update(changes)
    return ZaloBotConfig(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def running(channel: ZaloBotChannel) -> AsyncIterator[ZaloBotChannel]:
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


def polling(api: FakeZaloBotApi, context: ChannelContext, sleeps: Sleeps) -> ZaloBotChannel:
    return ZaloBotChannel(config(api), context, sleep=sleeps, rng=lambda: 1.0, min_poll_interval=0.0)


# -- polling -----------------------------------------------------------------------------------


async def test_empty_polls_are_polled_again_at_once_and_a_question_is_answered(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    sleeps = Sleeps()
    async with running(polling(api, context, sleeps)):
        await api.wait_for(lambda s: s.empty_polls >= 3)
        api.queue(api.update("làm giấy khai sinh cho con cần những gì"))
        [(msg, reply)] = await exchanges.wait(1)
        sent = await api.wait_outbox(1)

    assert sleeps.delays == []
    assert (msg.channel, msg.chat_id, msg.kind) == ("zalo_bot", CHAT, InKind.TEXT)
    assert reply.outcome is not None and reply.outcome.entry_id == "khai-sinh"
    assert sent[0]["chat_id"] == CHAT
    assert "khai sinh" in sent[0]["text"].lower()
    assert {"chat_id": CHAT, "action": "typing"} in api.state.actions
    methods = [m for m, _ in api.state.calls]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert api.state.calls[2] == ("getUpdates", {"timeout": "1"})


async def test_a_server_answering_empty_at_once_is_not_polled_in_a_busy_loop(
    api: FakeZaloBotApi, context: ChannelContext
) -> None:
    api.state.hold = 0.0
    sleeps = Sleeps()
    channel = ZaloBotChannel(config(api), context, sleep=sleeps, min_poll_interval=1.0)
    async with running(channel):
        await api.wait_for(lambda s: s.empty_polls >= 3)

    assert len(sleeps.delays) >= 2
    assert all(0.5 < d <= 1.0 for d in sleeps.delays)


async def test_429_and_5xx_back_off_then_polling_recovers(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    api.state.fail_next = [
        (429, {"ok": False, "error_code": 429, "description": "Too Many Requests"}),
        (200, {"ok": False, "error_code": 429, "description": "Quota exceeded"}),
        (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
    ]
    api.queue(api.update("xin chào"))
    sleeps = Sleeps()
    async with running(polling(api, context, sleeps)):
        await exchanges.wait(1)

    assert sleeps.delays == [1.0, 2.0, 4.0]
    assert api.state.delivered == 1


async def test_an_unreachable_server_backs_off_without_spinning(context: ChannelContext) -> None:
    async with FakeZaloBotApi(hold=0.01) as api:
        sleeps = Sleeps()
        channel = polling(api, context, sleeps)
        await channel.start()
    try:
        # The server is gone now: getUpdates fails with a connection error each time.
        await sleeps.wait(4)
    finally:
        await channel.stop()
    assert sleeps.delays[:4] == [1.0, 2.0, 4.0, 8.0]


async def test_a_duplicated_update_is_answered_once(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    first = api.update("xin chào", message_id="aaaaaaaaaaaaaaaaaaaa")
    api.queue(first)
    api.queue(first)
    api.queue(api.update("cảm ơn", message_id="bbbbbbbbbbbbbbbbbbbb"))
    async with running(polling(api, context, Sleeps())):
        await exchanges.wait(2)
        await api.wait_for(lambda s: s.delivered == 3)

    assert [m.message_id for m, _ in exchanges.items] == ["a" * 20, "b" * 20]


async def test_the_bots_own_messages_are_ignored(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    api.queue(api.update("echo of a reply", from_id=BOT_ID))
    api.queue(api.update("xin chào", message_id="c" * 20))
    async with running(polling(api, context, Sleeps())):
        await exchanges.wait(1)

    assert [m.message_id for m, _ in exchanges.items] == ["c" * 20]


async def test_a_typed_number_presses_the_numbered_option(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    api.queue(api.update("/menu"))
    async with running(polling(api, context, Sleeps())):
        await exchanges.wait(1)
        menu = await api.wait_outbox(1)
        api.queue(api.update("2"))
        await exchanges.wait(2)

    assert texts.OPTIONS_HINT in menu[0]["text"]
    assert "\n1. Hộ tịch\n2. Cư trú\n" in menu[0]["text"]
    pressed, reply = exchanges.items[1]
    assert (pressed.kind, pressed.text) == (InKind.BUTTON, "c:cu-tru")
    assert reply.outcome is not None and reply.outcome.kind == "category"


@pytest.mark.parametrize(
    ("event_name", "kind_text"),
    [
        pytest.param("message.unsupported.received", "unsupported", id="protected-user"),
        pytest.param("message.image.received", "photo", id="image"),
        pytest.param("message.sticker.received", "sticker", id="sticker"),
        pytest.param("message.voice.received", "voice", id="voice"),
    ],
)
async def test_messages_we_cannot_read_get_a_polite_text(
    api: FakeZaloBotApi,
    context: ChannelContext,
    exchanges: Exchanges,
    event_name: str,
    kind_text: str,
) -> None:
    api.queue(api.update(event_name=event_name))
    async with running(polling(api, context, Sleeps())):
        [(msg, _)] = await exchanges.wait(1)
        sent = await api.wait_outbox(1)

    assert (msg.kind, msg.text) == (InKind.NON_TEXT, kind_text)
    if kind_text == "unsupported":
        # Zalo hid the content: the citizen gets the office phone, not "send text".
        assert sent[0]["text"].startswith("Dạ, em chưa xem được nội dung tin nhắn này")
    else:
        assert sent[0]["text"].startswith(texts.NON_TEXT)


async def test_a_long_reply_is_split_within_2000_characters(
    api: FakeZaloBotApi, context: ChannelContext
) -> None:
    paragraph = "Bước làm hồ sơ " * 60  # about 900 characters
    text = "\n\n".join(f"{n}. {paragraph.strip()}" for n in range(1, 6))
    async with running(polling(api, context, Sleeps())) as channel:
        await channel.send(CHAT, Reply(text=text))
        sent = await api.wait_outbox(1)

    assert len(sent) >= 3
    assert all(len(m["text"]) <= 2000 for m in sent)
    assert "\n\n".join(m["text"] for m in sent) == text


async def test_the_fakes_http_controls_queue_a_message_and_list_the_outbox(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    async with running(polling(api, context, Sleeps())), httpx.AsyncClient() as client:
        queued = await client.post(
            f"{api.base_url}/__fake/inbound", json={"chat_id": "c-42", "text": "xin chào"}
        )
        await exchanges.wait(1)
        await api.wait_outbox(1)
        outbox = await client.get(f"{api.base_url}/__fake/outbox")

    assert queued.json()["ok"] is True
    assert [m["chat_id"] for m in outbox.json()["result"]] == ["c-42"]


async def test_the_token_never_reaches_the_logs(
    api: FakeZaloBotApi,
    context: ChannelContext,
    exchanges: Exchanges,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    api.state.fail_next = [(503, {"ok": False, "error_code": 503, "description": "Unavailable"})]
    api.queue(api.update("xin chào"))
    async with running(polling(api, context, Sleeps())):
        await exchanges.wait(1)

    assert "getUpdates" in caplog.text  # httpx did log the calls...
    assert TOKEN not in caplog.text  # ...without the token
    assert TOKEN.split(":")[1] not in caplog.text


# -- start errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        pytest.param({"token": ""}, "ZALO_BOT_TOKEN", id="missing-token"),
        pytest.param({"token": "999:wrong"}, "401", id="rejected-token"),
        pytest.param({"mode": "webhook", "secret_token": "short"}, "secret_token", id="short-secret"),
    ],
)
async def test_start_errors_are_one_clear_vietnamese_line(
    api: FakeZaloBotApi, context: ChannelContext, changes: dict[str, object], needle: str
) -> None:
    channel = build_zalo_bot_channel(config(api, **changes), context)
    try:
        with pytest.raises(ChannelStartError) as caught:
            await channel.start()
    finally:
        await channel.stop()
    message = str(caught.value)
    assert needle in message and "\n" not in message
    assert "wrong" not in message


# -- webhook ------------------------------------------------------------------------------------


async def test_webhook_checks_the_secret_and_accepts_bare_and_wrapped_updates(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    cfg = config(api, mode="webhook", webhook_url="https://bot.example.vn/zalo-bot")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
        bare = await api.push(url, api.update("xin chào", message_id="1" * 20), secret=SECRET)
        await exchanges.wait(1)
        wrapped = await api.push(url, api.update("cảm ơn", message_id="2" * 20), secret=SECRET, wrapped=True)
        await exchanges.wait(2)
        wrong = await api.push(url, api.update("xin chào", message_id="3" * 20), secret="x" * 18)
        missing = await api.push(url, api.update("xin chào", message_id="4" * 20), secret=None)
        last = await api.push(url, api.update("xin chào", message_id="5" * 20), secret=SECRET)
        await exchanges.wait(3)
        await api.wait_outbox(3)

    assert (bare.status_code, wrapped.status_code, last.status_code) == (200, 200, 200)
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert [m.message_id for m, _ in exchanges.items] == ["1" * 20, "2" * 20, "5" * 20]
    assert api.state.webhook_url == "https://bot.example.vn/zalo-bot"
    assert ("setWebhook", {"url": cfg.webhook_url, "secret_token": SECRET}) in api.state.calls


async def test_webhook_rejects_other_methods_and_bad_json(
    api: FakeZaloBotApi, context: ChannelContext
) -> None:
    cfg = config(api, mode="webhook")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
        async with httpx.AsyncClient() as client:
            get = await client.get(url)
            bad = await client.post(url, content=b"{", headers={"X-Bot-Api-Secret-Token": SECRET})
    assert (get.status_code, bad.status_code) == (405, 400)


async def test_an_undelivered_reply_is_observed_as_such(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    cfg = config(api, mode="webhook")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
        api.state.fail_next = [(400, {"ok": False, "error_code": 400, "description": "Bad chat"})]
        await api.push(url, api.update("xin chào", message_id="1" * 20), secret=SECRET)
        await exchanges.wait(1)
        await api.push(url, api.update("cảm ơn", message_id="2" * 20), secret=SECRET)
        await exchanges.wait(2)
    assert exchanges.delivered == [False, True]


async def test_deeply_nested_json_gets_400_not_a_crash(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    cfg = config(api, mode="webhook")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
        headers = {"X-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient() as client:
            # Within the parser's own limit but deeper than allowed: updates_in recursed on it.
            nested = await client.post(url, content=b"[" * 900 + b"]" * 900, headers=headers)
            deeper = await client.post(url, content=b"[" * 100_000 + b"]" * 100_000, headers=headers)
        good = await api.push(url, api.update("xin chào", message_id="1" * 20), secret=SECRET)
        await exchanges.wait(1)
    assert (nested.status_code, deeper.status_code, good.status_code) == (400, 400, 200)


async def test_a_lone_surrogate_in_a_message_is_made_encodable(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    # Zalo can cut an emoji in half: the JSON then carries "\ud83d" alone.
    cfg = config(api, mode="webhook")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        url = f"http://127.0.0.1:{channel.webhook_port}/zalo-bot"
        await api.push(url, api.update("xin chào \ud83d", message_id="1" * 20), secret=SECRET)
        [(msg, _)] = await exchanges.wait(1)
    assert msg.text == "xin chào \ufffd"
    assert exchanges.delivered == [True]


# -- pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "jitter", "expected"),
    [
        pytest.param(1, 1.0, 1.0, id="first-failure"),
        pytest.param(3, 1.0, 4.0, id="doubles"),
        pytest.param(3, 0.0, 2.0, id="jitter-halves-at-most"),
        pytest.param(30, 1.0, 60.0, id="capped"),
    ],
)
def test_backoff_delay(failures: int, jitter: float, expected: float) -> None:
    assert backoff_delay(failures, lambda: jitter) == expected


UPDATE = {"event_name": "message.text.received", "message": {"message_id": "m"}}


@pytest.mark.parametrize(
    ("body", "count"),
    [
        pytest.param(UPDATE, 1, id="bare"),
        pytest.param({"ok": True, "result": UPDATE}, 1, id="wrapped"),
        pytest.param({"ok": True, "result": [UPDATE, UPDATE]}, 2, id="array"),
        pytest.param({"ok": True, "result": {}}, 0, id="empty-object"),
        pytest.param({"ok": True, "result": None}, 0, id="null"),
        pytest.param(["x", 3], 0, id="garbage"),
    ],
)
def test_updates_in(body: object, count: int) -> None:
    assert len(list(updates_in(body))) == count


async def test_a_number_keeps_its_meaning_from_step_to_step(
    api: FakeZaloBotApi, context: ChannelContext, exchanges: Exchanges
) -> None:
    api.queue(api.update("đăng ký kết hôn cần những giấy tờ gì"))
    async with running(polling(api, context, Sleeps())):
        await exchanges.wait(1)
        for n in (2, 3, 4):
            api.queue(api.update("1"))
            await exchanges.wait(n)
        sent = await api.wait_outbox(4)

    pressed = [msg.text for msg, _ in exchanges.items[1:]]
    assert pressed == ["s:ket-hon:1", "s:ket-hon:2", "s:ket-hon:3"]
    assert f"\n1. {texts.BTN_NEXT}\n2. {texts.BTN_BACK}\n3. {texts.BTN_PREV}" in sent[2]["text"]


async def test_a_webhook_worker_answers_health_checks_on_its_webhook_port(
    api: FakeZaloBotApi, context: ChannelContext
) -> None:
    health = Health(mini_knowledge(), MemoryStore())
    cfg = config(api, mode="webhook")
    async with running(build_zalo_bot_channel(cfg, context)) as channel:
        assert await serve_health(HealthConfig(), health, [channel]) is None  # no listener of its own
        base = f"http://127.0.0.1:{channel.webhook_port}"
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{base}/healthz")
            hook = await client.post(f"{base}/zalo-bot", content=b"{}")
    assert answer.status_code == 200 and answer.json()["faq"]["loaded"] is True
    assert hook.status_code == 403  # the webhook itself still wants its secret
