"""Fault injection on the send endpoint of every channel (issue 18, item 6).

Each scenario: N citizens write once, through tests/fakes/faults.FaultProxy in front of the fake
platform, which scripts a fault on the send endpoint. Counted: citizens answered, extra copies they got
(duplicates), and what the observers (interaction log, handoff) were told: delivered True only for
replies the platform accepted.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.channels.base import ChannelContext
from bot.channels.delivery import DeliveryStats, RetryPolicy
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo_bot import ZaloBotChannel
from bot.channels.zalo_oa import ZaloOAChannel
from bot.config import TelegramConfig, ZaloBotConfig, ZaloOAConfig
from bot.storage import InteractionLog
from handlers import texts
from tests.fakes.exchanges import Exchanges, channel_context
from tests.fakes.faults import Fault, FaultProxy
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_bot_api import TOKEN as ZALO_BOT_TOKEN
from tests.fakes.zalo_bot_api import FakeZaloBotApi
from tests.fakes.zalo_oa_api import FakeZaloOA

CITIZENS = 12
TEXT = "xin chào"
FAST = RetryPolicy(first_delay=0.05, max_delay=0.2, budget=1.0, jitter=0.0)
"""The production schedule (0.5 s, 1 s, 2 s … within 60 s), shrunk so a scenario takes a second."""
READ_TIMEOUT = 1.0
SLOW = 2.0
"""A slow send's answer comes after this many seconds: past READ_TIMEOUT."""
PLATFORMS = ("telegram", "zalo_bot", "zalo_oa")
SEND_PATH = {"telegram": "/sendMessage", "zalo_bot": "/sendMessage", "zalo_oa": "/message/cs"}


def _json(body: object) -> bytes:
    return json.dumps(body).encode()


def api_error(platform: str, status: int) -> bytes:
    """The platform API's own error answer for an HTTP status."""
    if platform == "zalo_oa":
        return _json({"error": -32 if status == 429 else -500, "message": "Error"})
    description = "Too Many Requests: retry after 1" if status == 429 else "Internal Server Error"
    body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
    if status == 429 and platform == "telegram":
        body["parameters"] = {"retry_after": 1}
    return _json(body)


@dataclass
class Result:
    """What the citizens got and what the observers were told."""

    answered: int
    duplicates: int
    logged_delivered: int
    logged_failed: int
    stats: DeliveryStats
    log: str


SendAll = Callable[[], Awaitable[None]]
_telegram_fakes: list[FakeTelegramServer] = []
"""The fake each telegram() harness started, last one last (for tests that drive it further)."""


@asynccontextmanager
async def telegram(
    context: ChannelContext, rules: list[Fault]
) -> AsyncIterator[tuple[SendAll, Callable[[], Counter[str]], DeliveryStats]]:
    async with FakeTelegramServer() as fake, FaultProxy(fake.port) as proxy:
        _telegram_fakes.append(fake)
        proxy.rules = rules
        config = TelegramConfig(
            enabled=True,
            token=fake.token,
            base_url=proxy.url_for(fake.base_url),
            base_file_url=fake.base_file_url,
            poll_timeout=1,
        )
        channel = TelegramChannel(config, context, policy=FAST, send_read_timeout=READ_TIMEOUT)

        async def send_all() -> None:
            for i in range(CITIZENS):
                fake.add_text(100 + i, TEXT)

        def answers() -> Counter[str]:
            return Counter(str(o.chat_id) for o in fake.outbox if o.kind == "send")

        await channel.start()
        try:
            yield send_all, answers, channel.delivery
        finally:
            await channel.stop()


@asynccontextmanager
async def zalo_bot(
    context: ChannelContext, rules: list[Fault]
) -> AsyncIterator[tuple[SendAll, Callable[[], Counter[str]], DeliveryStats]]:
    async with FakeZaloBotApi(hold=0.05) as fake, FaultProxy(fake.port) as proxy:
        proxy.rules = rules
        config = ZaloBotConfig(
            enabled=True, token=ZALO_BOT_TOKEN, base_url=proxy.url_for(fake.base_url), poll_timeout=1
        )
        channel = ZaloBotChannel(
            config,
            context,
            min_poll_interval=0.0,
            policy=FAST,
            send_read_timeout=READ_TIMEOUT,
        )

        async def send_all() -> None:
            for i in range(CITIZENS):
                fake.queue(fake.update(TEXT, chat_id=f"citizen-{i}"))

        def answers() -> Counter[str]:
            return Counter(m["chat_id"] for m in fake.state.outbox)

        await channel.start()
        try:
            yield send_all, answers, channel.delivery
        finally:
            await channel.stop()


@asynccontextmanager
async def zalo_oa(
    context: ChannelContext, rules: list[Fault], tmp_path: Path
) -> AsyncIterator[tuple[SendAll, Callable[[], Counter[str]], DeliveryStats]]:
    async with FakeZaloOA() as fake, FaultProxy(fake.port) as proxy:
        proxy.rules = rules
        via_proxy = proxy.url_for(fake.base_url)
        config = ZaloOAConfig(
            enabled=True,
            app_id=fake.state.app_id,
            app_secret=fake.state.app_secret,
            oa_secret_key=fake.oa_secret_key,
            access_token="AT1",
            refresh_token="RT1",
            token_file=str(tmp_path / "zalo_oa_tokens.json"),
            api_base=via_proxy,
            oauth_base=via_proxy,
            listen="127.0.0.1",
            port=0,
        )
        channel = ZaloOAChannel(config, context, policy=FAST, send_read_timeout=READ_TIMEOUT)

        async def send_all() -> None:
            url = f"http://127.0.0.1:{channel.webhook_port}/zalo-oa"
            for i in range(CITIZENS):
                response = await fake.push(url, fake.event(text=TEXT, user_id=f"u{i}", msg_id=f"m-{i}"))
                assert response.status_code == 200

        def answers() -> Counter[str]:
            return Counter(str(m.recipient.get("message_id")) for m in fake.state.outbox)

        await channel.start()
        try:
            yield send_all, answers, channel.delivery
        finally:
            await channel.stop()


async def run(platform: str, rules: list[Fault], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Result:
    """N citizens write once on `platform` with `rules` scripted; wait until every reply is observed."""
    caplog.set_level(logging.INFO, logger="bot")
    exchanges = Exchanges()
    context = channel_context(exchanges)
    interactions = InteractionLog(tmp_path / "interactions.sqlite", salt="test-salt")
    context.observers.append(interactions.observe)
    if platform == "telegram":
        harness = telegram(context, rules)
    elif platform == "zalo_bot":
        harness = zalo_bot(context, rules)
    else:
        harness = zalo_oa(context, rules, tmp_path)
    try:
        async with harness as (send_all, answers, stats):
            await send_all()
            await exchanges.wait(CITIZENS, timeout=15.0)
            counts = answers()
        assert interactions.flush()
        stored = [row.delivered for row in interactions.rows()]
    finally:
        interactions.close()
    assert len(exchanges.items) == CITIZENS  # each reply observed exactly once
    # The interaction log's `delivered` column says what the observers were told.
    assert sorted(stored, key=bool) == sorted(exchanges.delivered, key=bool)
    return Result(
        answered=len(counts),
        duplicates=sum(n - 1 for n in counts.values()),
        logged_delivered=exchanges.delivered.count(True),
        logged_failed=exchanges.delivered.count(False),
        stats=stats,
        log=caplog.text,
    )


def fault(platform: str, kind: str, times: int = 1) -> Fault:
    """The scripted fault `kind` on `platform`'s send endpoint, `times` per citizen."""
    path = SEND_PATH[platform]
    if kind in ("429", "500"):
        return Fault(path, "status", times, status=int(kind), body=api_error(platform, int(kind)))
    if kind == "502-gateway":
        return Fault(path, "status", times, status=502, body=b"<html>502 Bad Gateway</html>",
                     content_type="text/html")  # fmt: skip
    if kind == "delay":
        return Fault(path, "delay", times, delay=SLOW)
    if kind == "slow":
        return Fault(path, "delay", times, delay=READ_TIMEOUT / 4)
    return Fault(path, kind, times)  # type: ignore[arg-type]


# -- one transient fault per reply: every citizen is answered ---------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(
    ("kind", "times", "duplicates", "possible_duplicates"),
    [
        pytest.param("none", 0, 0, 0, id="no-fault"),
        pytest.param("429", 1, 0, 0, id="429"),
        pytest.param("500", 2, 0, 0, id="500-api-twice"),
        pytest.param("502-gateway", 1, 0, 1, id="502-gateway"),
        pytest.param("reset_before", 1, 0, 1, id="reset-before-processing"),
        pytest.param("reset_after", 1, 1, 1, id="reset-after-processing"),
        pytest.param("slow", 1, 0, 0, id="slow-within-timeout"),
        pytest.param("delay", 1, 1, 1, id="slow-past-timeout"),
    ],
)
async def test_a_transient_send_fault_still_answers_every_citizen(
    platform: str, kind: str, times: int, duplicates: int, possible_duplicates: int,
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    rules = [] if kind == "none" else [fault(platform, kind, times)]
    result = await run(platform, rules, tmp_path, caplog)

    assert result.answered == CITIZENS
    # A reply whose outcome was unknown is sent once more, never twice more.
    assert result.duplicates == duplicates * CITIZENS
    assert result.stats.possible_duplicates == possible_duplicates * CITIZENS
    assert (result.logged_delivered, result.logged_failed) == (CITIZENS, 0)
    assert result.stats.failed == 0
    assert TEXT not in result.log


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_an_outage_shorter_than_the_retry_budget_costs_no_reply(
    platform: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outage = Fault(SEND_PATH[platform], "status", status=500, body=api_error(platform, 500), for_seconds=0.5)
    result = await run(platform, [outage], tmp_path, caplog)
    assert (result.answered, result.duplicates, result.logged_delivered) == (CITIZENS, 0, CITIZENS)
    assert result.stats.retries >= CITIZENS and result.stats.possible_duplicates == 0


# -- a fault that lasts: nothing is recorded as answered that was not, nothing is sent 3 times -------


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(
    ("kind", "answered", "duplicates"),
    [
        pytest.param("500", 0, 0, id="500-api"),
        pytest.param("reset_before", 0, 0, id="reset-before-processing"),
        pytest.param("reset_after", CITIZENS, CITIZENS, id="reset-after-processing"),
    ],
)
async def test_a_lasting_send_fault_is_logged_undelivered_with_an_error_id(
    platform: str, kind: str, answered: int, duplicates: int,
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    result = await run(platform, [fault(platform, kind, times=1000)], tmp_path, caplog)

    assert result.answered == answered
    assert result.duplicates == duplicates  # at most one re-send after a reset, never two
    assert (result.logged_delivered, result.logged_failed) == (0, CITIZENS)
    assert result.stats.failed == CITIZENS
    given_up = [r for r in caplog.records if "not delivered" in r.getMessage()]
    assert len(given_up) == CITIZENS
    assert all(r.levelno == logging.WARNING and platform in r.getMessage() for r in given_up)
    assert all("[error " in r.getMessage() for r in given_up)
    assert TEXT not in result.log


async def test_the_retry_budget_bounds_how_long_a_reply_is_retried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    result = await run("zalo_bot", [fault("zalo_bot", "500", times=1000)], tmp_path, caplog)
    # 0.05, 0.1, 0.2, 0.2, 0.2, 0.2 = 0.95 s of waiting fits the 1 s budget; the next would not.
    assert result.stats.retries == 6 * CITIZENS


# -- Zalo OA specifics ------------------------------------------------------------------------------


async def test_oa_500_whose_json_lacks_error_is_not_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rule = Fault("/message/cs", "status", 1000, status=500, body=_json({"message": "Internal error"}))
    result = await run("zalo_oa", [rule], tmp_path, caplog)
    assert (result.answered, result.logged_delivered, result.logged_failed) == (0, 0, CITIZENS)


async def test_oa_rate_limit_minus_32_in_a_200_is_retried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rule = Fault("/message/cs", "status", 3, status=200, body=_json({"error": -32, "message": "Rate limit"}))
    result = await run("zalo_oa", [rule], tmp_path, caplog)
    assert (result.answered, result.duplicates, result.logged_delivered) == (CITIZENS, 0, CITIZENS)
    assert result.stats.retries == 3 * CITIZENS and result.stats.possible_duplicates == 0


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(Fault("/access_token", "status", 1, status=500, body=_json({"message": "x"})), id="500"),
        pytest.param(Fault("/access_token", "status", 1, status=502, body=b"bad gateway"), id="502"),
        pytest.param(Fault("/access_token", "reset_before", 1), id="reset"),
    ],
)
async def test_a_temporary_oauth_failure_is_not_told_as_authorise_again(
    rule: Fault, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # At start the pair's age is unknown, so the channel renews it: the OAuth server fails once.
    result = await run("zalo_oa", [rule], tmp_path, caplog)
    assert result.answered == CITIZENS
    assert "cấp quyền lại" not in result.log


# -- Telegram: an edit in place is idempotent ---------------------------------------------------------


async def test_a_telegram_edit_that_may_have_been_lost_is_made_again_not_sent_as_a_new_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = 555001
    exchanges = Exchanges()
    lost_edit = Fault("/editMessageText", "reset_after", 1)
    async with telegram(channel_context(exchanges), [lost_edit]) as (_, _answers, stats):
        fake = _telegram_fakes[-1]
        fake.add_text(chat, "làm giấy khai sinh cho con cần những gì")
        answer = (await fake.wait_sent(chat, 1))[-1]
        fake.press(answer, texts.BTN_STEPS)
        await exchanges.wait(2, timeout=10.0)
    kinds = [o.kind for o in fake.sent_to(chat)]
    # The edit was made again; the fake, like Telegram, answers "message is not modified" to it.
    assert len(fake.calls_to("editMessageText")) == 2
    assert kinds == ["send", "edit"]  # no new message for a lost edit
    assert exchanges.delivered == [True, True]
    assert stats.possible_duplicates == 0 and stats.retries == 1
