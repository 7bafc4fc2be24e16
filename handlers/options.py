"""Numbered options for channels without buttons: what "2" means depends on what was last shown."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from handlers.messages import Button, Reply

_NUMBER = re.compile(r"(?:số|so|chọn|chon|#)?\s*(\d{1,3})\s*[.)]?", re.IGNORECASE)


def pressable(reply: Reply) -> tuple[Button, ...]:
    """The buttons that carry a payload, in reading order: option n is item n-1 of this."""
    return tuple(b for b in reply.flat_buttons if b.payload is not None)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation or emoji, single spaces ("Tiếp ›" -> "tiep")."""
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    kept = []
    for ch in text:
        if unicodedata.combining(ch):
            continue
        kept.append(ch if ch.isalnum() else " ")
    return " ".join("".join(kept).split())


@dataclass(slots=True)
class _Shown:
    at: float
    options: tuple[tuple[str, str], ...]
    """(folded label, payload) in option order."""


class OptionMemory:
    """The numbered options last shown to each chat, bounded in size and age; thread-safe."""

    def __init__(
        self,
        ttl: float = 900.0,
        max_chats: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_chats = max_chats
        self._clock = clock
        self._lock = threading.Lock()
        self._shown: OrderedDict[str, _Shown] = OrderedDict()

    def remember(self, chat_key: str, reply: Reply) -> None:
        """The numbered options just shown to this chat (a reply without options forgets them)."""
        options = tuple((fold(b.label), b.payload) for b in pressable(reply) if b.payload)
        with self._lock:
            self._shown.pop(chat_key, None)
            if not options:
                return
            self._shown[chat_key] = _Shown(self._clock(), options)
            while len(self._shown) > self._max_chats:
                self._shown.popitem(last=False)

    def resolve(self, chat_key: str, text: str) -> str | None:
        """The payload a typed "2", " 2.", "số 2" or an option's own words stands for, else None."""
        with self._lock:
            shown = self._shown.get(chat_key)
            if shown is None:
                return None
            if self._clock() - shown.at > self._ttl:
                del self._shown[chat_key]
                return None
            options = shown.options
        m = _NUMBER.fullmatch(text.strip())
        if m is not None:
            n = int(m.group(1))
            return options[n - 1][1] if 1 <= n <= len(options) else None
        words = fold(text)
        if not words:
            return None
        exact = [payload for label, payload in options if label == words]
        if exact:
            return exact[0]
        # A unique option starting with what was typed ("giấy tờ" for "Giấy tờ cần chuẩn bị").
        if len(words) >= 4:
            prefixed = [p for label, p in options if (label + " ").startswith(words + " ")]
            if len(prefixed) == 1:
                return prefixed[0]
        return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._shown)
