"""An httpx transport whose connection pool does less bookkeeping per request.

httpcore 1.0's pool re-examines every pooled connection on each request: it polls each idle
socket to see whether the server closed it, and counts the pool once per idle connection (a
quadratic loop). A bot answering 32 chats at once keeps ~32 connections to the Bot API, so
that bookkeeping becomes the largest single cost of sending a message (about a third of the
bot's CPU on bench/bench_telegram.py). Upstream knows it (encode/httpcore#928, encode/httpx#3215)
but has not released a fix.

SweepingPool keeps httpcore's behaviour and guarantees; only *when* it checks changes:
- a connection is checked for a server-side close (the socket poll) right before it is reused,
  so a closed connection is still never handed out;
- the other idle connections are swept for expiry at most once per SWEEP_INTERVAL, not on
  every request (an expired idle connection may stay open up to that much longer);
- the keep-alive limit compares the pool's size once per connection, as httpcore means to.

It overrides one private method of httpcore's pool. `pooled_transport()` checks that the pool
looks as expected and otherwise keeps httpcore's own, so an httpcore upgrade can cost speed,
never correctness.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpcore
import httpx

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 1.0
"""Seconds between two checks of every idle connection for expiry or a server-side close."""
_POOL_ATTRIBUTES = ("_connections", "_requests", "_max_connections", "_max_keepalive_connections")


class SweepingPool(httpcore.AsyncConnectionPool):
    """httpcore's AsyncConnectionPool, checking idle connections on reuse and sweeping them now and then."""

    _next_sweep = 0.0

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        now = time.monotonic()
        sweep = now >= self._next_sweep
        if sweep:
            self._next_sweep = now + SWEEP_INTERVAL
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif (sweep and connection.has_expired()) or (
                connection.is_idle() and len(self._connections) > self._max_keepalive_connections
            ):
                self._connections.remove(connection)
                closing.append(connection)

        for pool_request in [request for request in self._requests if request.is_queued()]:
            origin = pool_request.request.url.origin
            reusable = self._reusable(origin, closing)
            if reusable is not None:
                pool_request.assign_to_connection(reusable)
                continue
            if len(self._connections) >= self._max_connections:
                idle = next((c for c in self._connections if c.is_idle()), None)
                if idle is None:
                    continue  # the request waits for a connection to be released
                self._connections.remove(idle)
                closing.append(idle)
            connection = self.create_connection(origin)
            self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing

    def _reusable(
        self, origin: httpcore.Origin, closing: list[httpcore.AsyncConnectionInterface]
    ) -> httpcore.AsyncConnectionInterface | None:
        """The first connection that can take a request to `origin` now; expired ones met are closed."""
        for connection in list(self._connections):
            if connection.can_handle_request(origin) and connection.is_available():
                if not connection.has_expired():
                    return connection
                self._connections.remove(connection)
                closing.append(connection)
        return None


def pooled_transport(**kwargs: Any) -> httpx.AsyncHTTPTransport:
    """httpx.AsyncHTTPTransport(**kwargs) with a SweepingPool when this httpcore allows it."""
    transport = httpx.AsyncHTTPTransport(**kwargs)
    pool = getattr(transport, "_pool", None)
    if (
        type(pool) is httpcore.AsyncConnectionPool
        and hasattr(httpcore.AsyncConnectionPool, "_assign_requests_to_connections")
        and all(hasattr(pool, a) for a in _POOL_ATTRIBUTES)
    ):
        # Same class layout, one method changed: switching the class keeps every setting httpx
        # gave the pool (TLS context, limits, retries, socket options).
        pool.__class__ = SweepingPool
    else:
        log.info("httpcore's pool is not the expected one; keeping it as it is")
    return transport
