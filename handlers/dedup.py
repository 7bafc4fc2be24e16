"""Event de-duplication: a platform event re-sent (a webhook retry, a second delivery to another bot
process, an update fetched again after a crash) is handled once within a window measured in time,
decided by the state store's atomic set-if-absent."""

from __future__ import annotations

import logging

from handlers.store import MemoryStore, StateStore, StateStoreError

log = logging.getLogger(__name__)

PREFIX = "seen:"
"""Keys in the store: seen:<channel>:<event key>."""
SEEN_TTL = 24 * 3600.0
"""Seconds an event key is remembered. Telegram keeps an update it could not hand over for 24 hours
and re-delivers it until then, the longest of the platforms here: Zalo OA retries for hours at most
(and events older than zalo_oa.max_event_age are dropped before de-duplication), Zalo Bot does not
retry. A key costs ~200 bytes in a MemoryStore, so a day of a busy office fits easily."""


class SeenEvents:
    """Event keys already handled, in a state store (by default a memory one of its own)."""

    def __init__(self, store: StateStore | None = None, ttl: float = SEEN_TTL) -> None:
        self._store: StateStore = store if store is not None else MemoryStore()
        self._ttl = ttl

    @property
    def ttl(self) -> float:
        """The de-duplication window in seconds."""
        return self._ttl

    def first_time(self, channel: str, key: str) -> bool:
        """True the first time any process sees `key` on `channel` (and remembers it); False for a repeat.

        When the store cannot be reached the event is handled (True): a rare double answer beats
        silence.
        """
        try:
            return self._store.add(_key(channel, key), "1", self._ttl)
        except StateStoreError as exc:
            log.warning("event de-duplication skipped, state store unavailable: %s", exc)
            return True

    def known(self, channel: str, key: str) -> bool:
        """True when `key` was remembered on `channel` within the window (False if the store is down)."""
        try:
            return self._store.get(_key(channel, key)) is not None
        except StateStoreError as exc:
            log.warning("event de-duplication skipped, state store unavailable: %s", exc)
            return False

    def remember(self, channel: str, key: str) -> None:
        """Remember `key` as handled (for events marked once done rather than when they arrive)."""
        try:
            self._store.set(_key(channel, key), "1", self._ttl)
        except StateStoreError as exc:
            log.warning("event not remembered, state store unavailable: %s", exc)


def _key(channel: str, key: str) -> str:
    return f"{PREFIX}{channel}:{key}"
