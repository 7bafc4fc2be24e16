"""Per-chat flood limit: above `limit` messages in a window of `window` seconds, one notice, then
silence for a window.

Counted in the state store (an atomic counter that expires a window after a chat's first message,
and a pause marker), so that every bot process behind a load balancer counts the same chat together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sized
from typing import Literal

from handlers.store import MemoryStore, StateStore

Verdict = Literal["ok", "notify", "drop"]

PREFIX = "flood:"
"""Keys in the store: flood:<chat key> (the count) and flood:<chat key>:paused (the pause)."""


class FloodGate:
    """A fixed-window message counter per chat in a state store (by default a bounded memory one)."""

    def __init__(
        self,
        limit: int = 20,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_chats: int = 10_000,
        store: StateStore | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._window = window
        self._store: StateStore = store if store is not None else MemoryStore(max_chats, clock)

    def check(self, chat_key: str) -> Verdict:
        """ "ok" to answer; above the limit "notify" once, then "drop" until the window passes."""
        paused = f"{PREFIX}{chat_key}:paused"
        if self._store.get(paused) is not None:
            # Dropped messages are not counted, so the chat starts afresh when the pause is over.
            return "drop"
        count = self._store.incr(PREFIX + chat_key, self._window)
        if count <= self._limit:
            return "ok"
        # One notice (whichever process sets the pause first), then silence for a whole window. The
        # count began before the pause, so it has expired too when the pause ends.
        return "notify" if self._store.add(paused, "1", self._window) else "drop"

    def __len__(self) -> int:
        """Keys held, when the store can count (a memory store); else 0."""
        return len(self._store) if isinstance(self._store, Sized) else 0
