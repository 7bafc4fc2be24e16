"""Per-chat flood limit: above `limit` messages in `window` seconds, one notice, then silence."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["ok", "notify", "drop"]


@dataclass(slots=True)
class _Chat:
    times: deque[float] = field(default_factory=deque)
    blocked_until: float | None = None


class FloodGate:
    """Sliding-window message counter per chat; bounded in chats and thread-safe."""

    def __init__(
        self,
        limit: int = 20,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_chats: int = 10_000,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._window = window
        self._clock = clock
        self._max_chats = max_chats
        self._lock = threading.Lock()
        self._chats: OrderedDict[str, _Chat] = OrderedDict()

    def check(self, chat_key: str) -> Verdict:
        """ "ok" to answer; above the limit "notify" once, then "drop" until the window passes."""
        now = self._clock()
        with self._lock:
            chat = self._chats.pop(chat_key, None) or _Chat()
            self._chats[chat_key] = chat
            verdict: Verdict
            if chat.blocked_until is not None and now < chat.blocked_until:
                verdict = "drop"
            else:
                chat.blocked_until = None
                while chat.times and now - chat.times[0] >= self._window:
                    chat.times.popleft()
                if len(chat.times) < self._limit:
                    chat.times.append(now)
                    verdict = "ok"
                else:
                    # One notice, then silence for a whole window; dropped messages are not
                    # counted, so the chat starts afresh when the window has passed.
                    chat.blocked_until = now + self._window
                    chat.times.clear()
                    verdict = "notify"
            while len(self._chats) > self._max_chats:
                self._chats.popitem(last=False)
            return verdict

    def __len__(self) -> int:
        with self._lock:
            return len(self._chats)
