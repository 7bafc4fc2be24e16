"""Sending a reply you can count on: retry what surely failed, at most once what may have arrived.

Each channel says, for an error of one send, what it proves (`classify` → Verdict):
- NOT_SENT: the platform did not process the request (a connect error, a 429, a rate-limit error, a
  5xx whose body is the API's own "this failed" answer). Retried with exponential backoff, honouring
  the platform's `retry_after`, until `RetryPolicy.budget` seconds of waiting are spent.
- UNKNOWN: the request may have been processed (the connection dropped after it was sent, a read
  timeout, a 5xx from a gateway with no API answer). Retried at most `unknown_retries` times (once),
  each such retry counted and logged as a possible duplicate: neither Telegram nor Zalo takes an
  idempotency key, so a second send is the only way not to leave the citizen unanswered.
- REFUSED: a definite refusal retrying cannot fix (bad request, blocked bot, no interaction window).

A reply that is not delivered is never dropped silently: a warning names the channel, the reason and an
error id (never the text), and the caller's DeliveryFailed carries the same id.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

log = logging.getLogger(__name__)

T = TypeVar("T")

SEND_READ_TIMEOUT = 30.0
"""Seconds a send waits for the platform's answer: a slow answer waited for is not a duplicate."""


class Fate(enum.Enum):
    """What a failed send proves about whether the platform processed it."""

    NOT_SENT = "not sent"
    UNKNOWN = "unknown"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A channel's reading of one send error: its fate, a short reason (no text), the platform's wait."""

    fate: Fate
    reason: str
    wait: float | None = None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a reply is retried; tests pass short delays instead of sleeping."""

    first_delay: float = 0.5
    max_delay: float = 16.0
    budget: float = 60.0
    """Seconds of waiting between attempts, in all, before the reply is given up."""
    unknown_retries: int = 1
    """Re-sends allowed after an outcome that may have reached the citizen (possible duplicates)."""
    jitter: float = 0.2
    """Each delay is stretched by up to this fraction, so a burst of failures does not retry in step."""

    def delay(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        """The wait after the n-th failure in a row (n ≥ 1): 0.5, 1, 2, 4 … capped, with jitter."""
        base = min(self.max_delay, self.first_delay * 2 ** min(failures - 1, 30))
        return base * (1 + self.jitter * rng())


DEFAULT_POLICY = RetryPolicy()


@dataclass(slots=True)
class DeliveryStats:
    """Counts of one channel's sending: replies sent, retries, possible duplicates, replies given up."""

    sent: int = 0
    retries: int = 0
    possible_duplicates: int = 0
    failed: int = 0


class DeliveryFailed(Exception):
    """A message could not be delivered; `error_id` is the id in the log's warning."""

    def __init__(self, channel: str, reason: str, error_id: str, fate: Fate) -> None:
        super().__init__(f"{channel}: not delivered ({reason}) [error {error_id}]")
        self.channel = channel
        self.reason = reason
        self.error_id = error_id
        self.fate = fate


def new_error_id() -> str:
    """A short random id tying a log line to one undelivered reply."""
    return secrets.token_hex(4)


async def send_with_retry(
    attempt: Callable[[], Awaitable[T]],
    classify: Callable[[Exception], Verdict | None],
    *,
    channel: str,
    policy: RetryPolicy = DEFAULT_POLICY,
    stats: DeliveryStats | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    rng: Callable[[], float] = random.random,
) -> T:
    """Run `attempt` until it succeeds or `classify` says to stop; raises DeliveryFailed then.

    An exception `classify` does not know (None) is not a sending error and propagates unchanged.
    """
    stats = stats if stats is not None else DeliveryStats()
    error_id = new_error_id()
    failures = unknown = 0
    waited = 0.0
    while True:
        try:
            result = await attempt()
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                raise
            failures += 1
            give_up = verdict.fate is Fate.REFUSED
            if verdict.fate is Fate.UNKNOWN:
                give_up = give_up or unknown >= policy.unknown_retries
                unknown += 1
            delay = verdict.wait if verdict.wait is not None else policy.delay(failures, rng)
            if not give_up and waited + delay > policy.budget:
                give_up = True
            if give_up:
                stats.failed += 1
                log.warning(
                    "%s: message not delivered after %d attempt(s): %s (%s) [error %s]",
                    channel, failures, verdict.reason, verdict.fate.value, error_id,
                )  # fmt: skip
                raise DeliveryFailed(channel, verdict.reason, error_id, verdict.fate) from exc
            stats.retries += 1
            if verdict.fate is Fate.UNKNOWN:
                stats.possible_duplicates += 1
                log.warning(
                    "%s: send outcome unknown (%s); sending once more, a possible duplicate [error %s]",
                    channel, verdict.reason, error_id,
                )  # fmt: skip
            else:
                log.info(
                    "%s: send failed (%s); retry %d in %.1f s [error %s]",
                    channel, verdict.reason, failures, delay, error_id,
                )  # fmt: skip
            await sleep(delay)
            waited += delay
            continue
        stats.sent += 1
        if failures:
            log.info("%s: delivered after %d failed attempt(s) [error %s]", channel, failures, error_id)
        return result


_NOT_SENT_TRANSPORT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
"""httpx errors raised before any byte of the request left: the platform cannot have processed it."""


def transport_verdict(exc: BaseException) -> Verdict | None:
    """An httpx error's verdict (None for other errors): connect errors NOT_SENT, the rest UNKNOWN."""
    if isinstance(exc, _NOT_SENT_TRANSPORT):
        return Verdict(Fate.NOT_SENT, type(exc).__name__)
    if isinstance(exc, httpx.HTTPError):
        return Verdict(Fate.UNKNOWN, type(exc).__name__)
    return None


def status_verdict(status: int, api_answered: bool, reason: str) -> Verdict:
    """An error status's verdict: 429 and an API's own 5xx NOT_SENT, a gateway's 5xx UNKNOWN."""
    if status == 429:
        return Verdict(Fate.NOT_SENT, reason)
    if status >= 500:
        return Verdict(Fate.NOT_SENT if api_answered else Fate.UNKNOWN, reason)
    return Verdict(Fate.REFUSED, reason)
