"""A lease in the state store: exactly one process at a time does a job (e.g. polls one bot token).

Taken with SET NX PX (`StateStore.claim`), renewed only by its holder (`extend`, a Lua
check-and-extend in Redis) every third of its TTL, given up on a clean stop (`release`). A holder
that dies stops renewing, so another process takes over at most `ttl` (+ one retry interval) later.
A holder that cannot renew (the store unreachable, its event loop stalled past the TTL) must assume
it lost the lease and stop the job: `renew()` says so.

On the memory backend there is one process, so the lease is simply always held.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable

from handlers.store import StateStore, StateStoreError

log = logging.getLogger(__name__)

LEASE_TTL = 6.0
"""Seconds a lease lasts unless renewed: how long a dead holder's job waits for a successor."""
RETRY_INTERVAL = 1.0
"""Seconds between two attempts to take a lease somebody else holds."""


def new_owner_id() -> str:
    """An id for this process's leases: host, pid and a random part (pids repeat across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Lease:
    """One named lease in a state store, held (or waited for) by this process."""

    def __init__(
        self,
        store: StateStore,
        key: str,
        *,
        owner: str | None = None,
        ttl: float = LEASE_TTL,
        retry_interval: float = RETRY_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self.key = key
        self.owner = owner or new_owner_id()
        self.ttl = ttl
        self.retry_interval = retry_interval
        self._clock = clock
        self._held_until = 0.0

    @property
    def held(self) -> bool:
        """True while this process holds the lease as far as it knows (renewed within the TTL)."""
        return self._clock() < self._held_until

    def try_acquire(self) -> bool:
        """Take the lease if it is free (or already ours); False when another process holds it."""
        started = self._clock()
        try:
            taken = self._store.claim(self.key, self.owner, self.ttl) or self._store.extend(
                self.key, self.owner, self.ttl
            )
        except StateStoreError as exc:
            log.warning("lease %s: state store unavailable: %s", self.key, exc)
            return False
        if taken:
            self._held_until = started + self.ttl
        return taken

    async def acquire(self) -> None:
        """Wait until this process holds the lease (retrying every `retry_interval` seconds)."""
        waited = False
        while not self.try_acquire():
            if not waited:
                log.info("lease %s held by another process; waiting to take over", self.key)
                waited = True
            await asyncio.sleep(self.retry_interval)
        log.info("lease %s taken", self.key)

    def renew(self) -> bool:
        """Extend the lease; False (and the lease counts as lost) when this process no longer holds it."""
        started = self._clock()
        try:
            kept = self._store.extend(self.key, self.owner, self.ttl)
        except StateStoreError as exc:
            # Unknown whether it was extended: still ours until the last proven expiry, then lost.
            log.warning("lease %s not renewed, state store unavailable: %s", self.key, exc)
            return self.held
        if kept:
            self._held_until = started + self.ttl
        else:
            self._held_until = 0.0
            log.warning("lease %s lost to another process", self.key)
        return kept

    def release(self) -> None:
        """Give the lease up (a clean stop), so a successor need not wait for the TTL."""
        self._held_until = 0.0
        try:
            if self._store.release(self.key, self.owner):
                log.info("lease %s released", self.key)
        except StateStoreError as exc:
            log.warning("lease %s not released (it expires by itself): %s", self.key, exc)
