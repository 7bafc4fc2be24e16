"""Per-chat conversation memory: the procedure last answered, the question suggestions were for..."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Memo:
    """Something remembered about a chat, with when."""

    value: str
    at: float


@dataclass(slots=True)
class _ChatState:
    touched: float
    entry: _Memo | None = None
    """The procedure last answered: a facet-only follow-up refers to it."""
    suggested_for: _Memo | None = None
    """The question suggestions were offered for ("Không phải các ý trên" falls back on it)."""
    unanswered: _Memo | None = None
    """The last question without an answer ("Gặp cán bộ" hands it to staff)."""
    facet: _Memo | None = None
    """A part asked before the procedure was known ("lệ phí bao nhiêu?" → "thủ tục nào ạ?"): the
    procedure the citizen then picks leads with it."""


class ChatStates:
    """Per-(channel, chat) memory, bounded in size and age; thread-safe."""

    def __init__(self, ttl: float, max_chats: int, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._max_chats = max_chats
        self._clock = clock
        self._lock = threading.Lock()
        self._states: OrderedDict[tuple[str, str], _ChatState] = OrderedDict()

    def get(self, key: tuple[str, str], field: str) -> str | None:
        """A remembered value if still fresh."""
        with self._lock:
            state = self._states.get(key)
            memo: _Memo | None = getattr(state, field) if state else None
            if memo is None:
                return None
            if self._clock() - memo.at > self._ttl:
                setattr(state, field, None)
                return None
            return memo.value

    def set(self, key: tuple[str, str], field: str, value: str | None) -> None:
        """Remember (or with None forget) a value for this chat."""
        now = self._clock()
        with self._lock:
            state = self._states.pop(key, None)
            if state is None:
                if value is None:
                    return
                state = _ChatState(touched=now)
            state.touched = now
            setattr(state, field, None if value is None else _Memo(value, now))
            self._states[key] = state
            while self._states and (
                len(self._states) > self._max_chats
                or now - next(iter(self._states.values())).touched > self._ttl
            ):
                self._states.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._states)
