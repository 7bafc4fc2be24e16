"""Small guards against what outsiders send: rate-limited log lines, text that can always be encoded."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

DEFAULT_INTERVAL = 60.0
"""Seconds between two log lines of the same kind; the lines held back in between are counted."""
_HELD = " (%d similar lines held back in the last %.0f s)"


class _Gate:
    """Lets one event per key through every `interval` seconds and counts the rest (thread-safe)."""

    def __init__(self, interval: float, clock: Callable[[], float]) -> None:
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._next: dict[Hashable, float] = {}
        self._held: dict[Hashable, int] = {}

    def passes(self, key: Hashable) -> int | None:
        """None when `key` is held back; else how many were held back since it last passed."""
        now = self._clock()
        with self._lock:
            if now < self._next.get(key, float("-inf")):
                self._held[key] = self._held.get(key, 0) + 1
                return None
            self._next[key] = now + self.interval
            if len(self._next) > 1024:
                # Keys are kinds of failure, so few; still, never let them grow without bound.
                self._next = {k: t for k, t in self._next.items() if t > now}
            return self._held.pop(key, 0)


class LogThrottle:
    """At most one line per key every `interval` seconds; the next line says how many were held back.

    A flood of the same failure (a wrong webhook secret, "Too many open files") then costs a line a
    minute instead of filling the disk. Safe to use from any thread.
    """

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._gate = _Gate(interval, clock)

    def log(self, key: Hashable, level: int, msg: str, *args: Any, exc_info: Any = None) -> bool:
        """Log `msg % args` unless a line with this key went out less than `interval` ago; True if logged."""
        held = self._gate.passes(key)
        if held is None:
            return False
        if held:
            msg += _HELD
            args = (*args, held, self._gate.interval)
        self._logger.log(level, msg, *args, exc_info=exc_info)
        return True


class ThrottlingFilter(logging.Filter):
    """A logging filter passing one record per (logger, message template) every `interval` seconds.

    For libraries that log a line per bad connection (tornado's "Malformed HTTP message from ...").
    """

    def __init__(
        self, interval: float = DEFAULT_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._gate = _Gate(interval, clock)

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a repeat within the interval; the next passing record says how many were held."""
        held = self._gate.passes((record.name, str(record.msg)))
        if held is None:
            return False
        if held:
            record.msg = record.getMessage() + _HELD % (held, self._gate.interval)
            record.args = None
        return True


def encodable(text: str) -> str:
    """`text` as valid Unicode: each lone surrogate (JSON can carry "\\ud83d" alone) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Through UTF-16: a surrogate pair split in two code points is joined, a lone one replaced.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text
