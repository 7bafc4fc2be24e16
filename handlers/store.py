"""The state store: small string values by key, each with its own expiry, seen by every bot process.

What a second process must see (follow-up context, numbered options on screen, flood windows,
de-duplication) goes through `StateStore`. `MemoryStore` here keeps it in this process (the default,
no server); `bot.state.RedisStore` keeps it in Redis so that several processes behind a load balancer
share it. Expiry is the store's job: a value set with a TTL is gone once the TTL has passed, without
a sweep by its users.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

_SWEEP_EVERY = 1024
"""Writes between two removals of expired keys from a MemoryStore (keeps its memory to live keys)."""


class StateStoreError(Exception):
    """The store could not be reached or answered badly (a shared store's server is down...)."""


class StateStore(Protocol):
    """Small string values by key with a TTL in seconds; every operation is atomic on its own."""

    def get(self, key: str) -> str | None:
        """The value, or None when absent or expired."""
        ...

    def set(self, key: str, value: str, ttl: float) -> None:
        """Store the value for `ttl` seconds, replacing any earlier one."""
        ...

    def delete(self, key: str) -> None:
        """Forget the key (no error when absent)."""
        ...

    def add(self, key: str, value: str, ttl: float) -> bool:
        """Store the value for `ttl` seconds only if the key is absent; True when this call stored it."""
        ...

    def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter and return it; a new counter (1) expires `ttl` seconds later."""
        ...

    def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take a lease for `owner` for `ttl` seconds if nobody holds it; True when this call took it."""
        ...

    def extend(self, key: str, owner: str, ttl: float) -> bool:
        """Renew the lease for `ttl` seconds only if `owner` still holds it; False when it does not."""
        ...

    def release(self, key: str, owner: str) -> bool:
        """Give the lease up only if `owner` holds it; True when this call released it."""
        ...


class MemoryStore:
    """`StateStore` in this process; thread-safe.

    Expired keys go first (a heap of expiry times), so a key lives its whole TTL however many keys were
    written meanwhile. `max_keys` only guards memory: beyond it the least recently written live keys
    go, counted in `evicted_live` and logged, since that shortens the windows their TTLs promise.
    """

    def __init__(self, max_keys: int = 500_000, clock: Callable[[], float] = time.monotonic) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[str, float]] = OrderedDict()
        """key → (value, expires at); ordered by last write."""
        self._expiries: list[tuple[float, str]] = []
        """(expires at, key) for every write; stale entries (key rewritten or deleted) are skipped."""
        self._writes = 0
        self.evicted_live = 0
        """Live keys dropped because the store was full (each shortened a TTL's promise)."""

    def get(self, key: str) -> str | None:
        """The value, or None when absent or expired."""
        with self._lock:
            return self._live(key, self._clock())

    def set(self, key: str, value: str, ttl: float) -> None:
        """Store the value for `ttl` seconds, replacing any earlier one."""
        with self._lock:
            self._put(key, value, self._clock() + ttl)

    def delete(self, key: str) -> None:
        """Forget the key (no error when absent)."""
        with self._lock:
            self._items.pop(key, None)

    def add(self, key: str, value: str, ttl: float) -> bool:
        """Store the value for `ttl` seconds only if the key is absent; True when this call stored it."""
        with self._lock:
            now = self._clock()
            if self._live(key, now) is not None:
                return False
            self._put(key, value, now + ttl)
            return True

    def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter and return it; a new counter (1) expires `ttl` seconds later."""
        with self._lock:
            now = self._clock()
            item = self._items.get(key)
            if item is None or now >= item[1]:
                count, expires = 1, now + ttl
            else:
                count, expires = int(item[0]) + 1, item[1]
            self._put(key, str(count), expires)
            return count

    def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take a lease for `owner` for `ttl` seconds if nobody holds it; True when this call took it."""
        return self.add(key, owner, ttl)

    def extend(self, key: str, owner: str, ttl: float) -> bool:
        """Renew the lease for `ttl` seconds only if `owner` still holds it; False when it does not."""
        with self._lock:
            now = self._clock()
            if self._live(key, now) != owner:
                return False
            self._put(key, owner, now + ttl)
            return True

    def release(self, key: str, owner: str) -> bool:
        """Give the lease up only if `owner` holds it; True when this call released it."""
        with self._lock:
            if self._live(key, self._clock()) != owner:
                return False
            del self._items[key]
            return True

    def __len__(self) -> int:
        """How many keys are live right now."""
        with self._lock:
            now = self._clock()
            return sum(1 for _, expires in self._items.values() if now < expires)

    def _live(self, key: str, now: float) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        if now >= item[1]:
            del self._items[key]
            return None
        return item[0]

    def _put(self, key: str, value: str, expires: float) -> None:
        self._items.pop(key, None)
        self._items[key] = (value, expires)
        heapq.heappush(self._expiries, (expires, key))
        self._writes += 1
        if len(self._items) > self._max_keys or self._writes % _SWEEP_EVERY == 0:
            self._drop_expired(self._clock())
        evicted = 0
        while len(self._items) > self._max_keys:
            self._items.popitem(last=False)
            evicted += 1
        if evicted:
            self.evicted_live += evicted
            if self.evicted_live == evicted or self.evicted_live % 1000 < evicted:
                log.warning(
                    "memory state store full (%d keys): %d live keys evicted so far; "
                    "windows shorter than their TTL",
                    self._max_keys,
                    self.evicted_live,
                )

    def _drop_expired(self, now: float) -> None:
        """Forget every expired key, and the heap entries of keys rewritten since."""
        heap = self._expiries
        while heap and heap[0][0] <= now:
            expires, key = heapq.heappop(heap)
            item = self._items.get(key)
            if item is not None and item[1] == expires:
                del self._items[key]
        if len(heap) > 4 * len(self._items) + _SWEEP_EVERY:
            # Mostly rewrites of long-lived keys: rebuild from the live items (rare, linear).
            self._expiries = [(item[1], k) for k, item in self._items.items()]
            heapq.heapify(self._expiries)
