"""Webhook de-duplication: a platform event re-sent (a retry, a second delivery to another bot process)
is handled once, decided by the state store's atomic set-if-absent."""

from __future__ import annotations

import logging

from handlers.store import MemoryStore, StateStore, StateStoreError

log = logging.getLogger(__name__)

PREFIX = "seen:"
"""Keys in the store: seen:<channel>:<event key>."""
SEEN_TTL = 3600.0
"""Seconds an event key is remembered: longer than any platform keeps retrying a delivery."""


class SeenEvents:
    """Event keys already handled, in a state store (by default a bounded memory one of its own)."""

    def __init__(self, store: StateStore | None = None, ttl: float = SEEN_TTL) -> None:
        self._store: StateStore = store if store is not None else MemoryStore(max_keys=10_000)
        self._ttl = ttl

    def first_time(self, channel: str, key: str) -> bool:
        """True the first time any process sees `key` on `channel` (and remembers it); False for a repeat.

        When the store cannot be reached the event is handled (True): a rare double answer beats
        silence.
        """
        try:
            return self._store.add(f"{PREFIX}{channel}:{key}", "1", self._ttl)
        except StateStoreError as exc:
            log.warning("event de-duplication skipped, state store unavailable: %s", exc)
            return True
