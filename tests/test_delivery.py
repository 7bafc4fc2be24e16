"""The retry decision alone: the schedule, and each channel's reading of a send error."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.admin import delivery_text
from bot.channels import telegram, zalo_bot, zalo_oa
from bot.channels.delivery import (
    DEFAULT_POLICY,
    DeliveryFailed,
    DeliveryStats,
    Fate,
    RetryPolicy,
    Verdict,
    send_with_retry,
)
from bot.channels.telegram_request import server_error
from bot.channels.zalo_tokens import TokenError


def test_the_default_schedule_doubles_from_half_a_second_within_a_minute() -> None:
    delays = [DEFAULT_POLICY.delay(n, lambda: 0.0) for n in range(1, 9)]
    assert delays == [0.5, 1, 2, 4, 8, 16, 16, 16]
    assert DEFAULT_POLICY.budget == 60.0
    assert DEFAULT_POLICY.delay(1, lambda: 1.0) == pytest.approx(0.6)  # jitter stretches by ≤ 20 %


def _chained(error: NetworkError, cause: Exception) -> NetworkError:
    error.__cause__ = cause
    return error


REQUEST = httpx.Request("POST", "http://127.0.0.1/x")


@pytest.mark.parametrize(
    ("error", "fate"),
    [
        (RetryAfter(3), Fate.NOT_SENT),
        (server_error(500, b'{"ok":false,"error_code":500,"description":"Internal"}'), Fate.NOT_SENT),
        (server_error(502, b"<html>Bad Gateway</html>"), Fate.UNKNOWN),
        (_chained(NetworkError("x"), httpx.ConnectError("refused", request=REQUEST)), Fate.NOT_SENT),
        (_chained(TimedOut(), httpx.PoolTimeout("pool", request=REQUEST)), Fate.NOT_SENT),
        (_chained(TimedOut(), httpx.ReadTimeout("slow", request=REQUEST)), Fate.UNKNOWN),
        (_chained(NetworkError("x"), httpx.RemoteProtocolError("dropped", request=REQUEST)), Fate.UNKNOWN),
        (BadRequest("can't parse entities"), Fate.REFUSED),
        (Forbidden("bot was blocked by the user"), Fate.REFUSED),
    ],
)
def test_telegram_send_verdicts(error: Exception, fate: Fate) -> None:
    verdict = telegram.send_verdict(error)
    assert verdict is not None and verdict.fate is fate


def test_telegram_retry_after_is_honoured() -> None:
    verdict = telegram.send_verdict(RetryAfter(7))
    assert verdict is not None and verdict.wait == 7.0


def test_a_5xx_carrying_retry_after_is_left_to_ptb() -> None:
    assert server_error(503, b'{"ok":false,"parameters":{"retry_after":2}}') is None
    assert server_error(400, b'{"ok":false}') is None


@pytest.mark.parametrize(
    ("error", "fate"),
    [
        (zalo_bot.ZaloBotError(429, "quota", status=200), Fate.NOT_SENT),
        (zalo_bot.ZaloBotError(429, "quota", status=429), Fate.NOT_SENT),
        (zalo_bot.ZaloBotError(500, "internal", status=500), Fate.NOT_SENT),
        (zalo_bot.ZaloBotError(502, "not JSON", status=502, answered=False), Fate.UNKNOWN),
        (zalo_bot.ZaloBotError(400, "bad chat", status=400), Fate.REFUSED),
        (httpx.ConnectError("refused", request=REQUEST), Fate.NOT_SENT),
        (httpx.ReadError("reset", request=REQUEST), Fate.UNKNOWN),
    ],
)
def test_zalo_bot_send_verdicts(error: Exception, fate: Fate) -> None:
    verdict = zalo_bot.send_verdict(error)
    assert verdict is not None and verdict.fate is fate


@pytest.mark.parametrize(
    ("error", "fate"),
    [
        (zalo_oa.OASendError(-32, "rate", status=200), Fate.NOT_SENT),
        (zalo_oa.OASendError(-230, "no interaction", status=200), Fate.REFUSED),
        (zalo_oa.OASendError(-201, "internal", status=500), Fate.NOT_SENT),
        (zalo_oa.OASendError(500, "no error field", status=500, answered=False), Fate.UNKNOWN),
        (zalo_oa.OASendError(429, "gateway", status=429, answered=False), Fate.NOT_SENT),
        (TokenError("network", permanent=False), Fate.NOT_SENT),
        (TokenError("authorise again"), Fate.REFUSED),
    ],
)
def test_zalo_oa_send_verdicts(error: Exception, fate: Fate) -> None:
    verdict = zalo_oa.send_verdict(error)
    assert verdict is not None and verdict.fate is fate


async def test_an_unknown_error_is_not_swallowed_and_a_refusal_is_not_retried() -> None:
    async def broken() -> None:
        raise KeyError("a bug, not a sending error")

    with pytest.raises(KeyError):
        await send_with_retry(broken, lambda exc: None, channel="test")

    calls = 0

    async def refused() -> None:
        nonlocal calls
        calls += 1
        raise ValueError("refused")

    stats = DeliveryStats()
    with pytest.raises(DeliveryFailed) as failed:
        await send_with_retry(refused, lambda exc: Verdict(Fate.REFUSED, "400"), channel="test", stats=stats)
    assert calls == 1 and stats.failed == 1 and len(failed.value.error_id) == 8


async def test_a_retry_after_beyond_the_remaining_budget_gives_up() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def limited() -> None:
        raise ValueError("429")

    with pytest.raises(DeliveryFailed):
        await send_with_retry(
            limited,
            lambda exc: Verdict(Fate.NOT_SENT, "429", wait=45.0),
            channel="test",
            policy=RetryPolicy(budget=60.0),
            sleep=sleep,
        )
    assert slept == [45.0]  # a second 45 s wait would overrun the 60 s budget


class _Channel:
    def __init__(self, stats: DeliveryStats) -> None:
        self.delivery = stats


def test_stats_tell_staff_about_retries_and_replies_given_up_only_when_there_were_some() -> None:
    quiet = {"telegram": _Channel(DeliveryStats(sent=40))}
    assert delivery_text(quiet) == ""
    troubled = {
        "telegram": _Channel(DeliveryStats(sent=40)),
        "zalo_oa": _Channel(DeliveryStats(sent=12, retries=5, possible_duplicates=1, failed=2)),
    }
    text = delivery_text(troubled)
    assert "Telegram" not in text
    assert "Zalo OA: 12 tin đã gửi, 5 lần gửi lại, 1 tin có thể bị trùng, 2 tin không gửi được." in text
    assert "mã lỗi" in text  # staff are pointed at the error ids in the log
