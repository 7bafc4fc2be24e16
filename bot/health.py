"""The health check of one worker: `GET /healthz` → 200 or 503 with a small JSON body.

What it says: the FAQ snapshot served (entries, a fingerprint that is the same on every worker serving
the same FAQ — in a province, the same shared FAQ and the same overlays —, the offices served the
shared FAQ because their overlay was broken at start), whether the semantic stage runs, whether the
state store answers, and the interaction log writer's backlog. 503 means "send this worker no
traffic": the state store does not answer (every message would get the apology) or no FAQ is loaded.
A slow or stopped log writer is reported but keeps 200, because replies never wait on the log.

Served on a small listener of its own (`health.listen`/`health.port`, polling or webhook mode), and in
webhook mode also on each webhook server that offers `webhook_server` (same port as the webhooks, so
the reverse proxy can check exactly what it forwards to).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.config import HealthConfig
from bot.storage import LogHealth
from faq.knowledge import KnowledgeSource
from faq.schema import FaqBook, Overlay
from handlers.store import MemoryStore, StateStore, StateStoreError

log = logging.getLogger(__name__)

PATH = "/healthz"
PROBE_KEY = "health:probe"
"""A key only read (never written), so that a probe costs one GET."""
_NO_OVERLAYS: Mapping[str, Overlay] = MappingProxyType({})
IDLE_TIMEOUT = 10.0
"""Seconds a health-check connection may stay idle."""


class Health:
    """Builds the health report of this worker from what build_app made."""

    def __init__(
        self,
        knowledge: KnowledgeSource,
        store: StateStore,
        log_health: Callable[[], LogHealth] | None = None,
        clock: Callable[[], float] = time.monotonic,
        overlays: Callable[[], tuple[Mapping[str, Overlay], Iterable[str]]] | None = None,
    ) -> None:
        """`overlays`, in a province: the offices' overlays served now and the offices whose overlay
        is broken (served the shared FAQ)."""
        self._knowledge = knowledge
        self._overlays = overlays
        self._store = store
        self._log_health = log_health
        self._clock = clock
        self._started = clock()
        self._fingerprints: tuple[FaqBook, Mapping[str, Overlay], str] | None = None
        self.channels_down: set[str] = set()
        """Channels that failed to start and are being retried (bot/app.py): this worker is not whole."""

    async def check(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body): 200 when this worker can answer citizens, 503 when it cannot."""
        problems: list[str] = []
        faq = self._faq(problems)
        state = await self._state(problems)
        problems += [f"channel {name} not started (retrying)" for name in sorted(self.channels_down)]
        body = {
            "status": "unavailable" if problems else "ok",
            "problems": problems,
            "faq": faq,
            "state": state,
            "log": self._log(),
            "uptime_s": round(self._clock() - self._started, 1),
        }
        return (503 if problems else 200), body

    def _faq(self, problems: list[str]) -> dict[str, Any]:
        try:
            knowledge = self._knowledge.current()
        except Exception as exc:
            problems.append("faq not loaded")
            return {"loaded": False, "error": type(exc).__name__}
        book = knowledge.book
        overlays, broken = self._overlays() if self._overlays is not None else (_NO_OVERLAYS, ())
        report: dict[str, Any] = {
            "loaded": True,
            "entries": len(book.entries),
            "format_version": book.version,
            "fingerprint": self._fingerprint(book, overlays),
            "semantic": getattr(knowledge.matcher, "semantic", None) is not None,
        }
        if self._overlays is not None:
            report["offices"] = len(overlays)
            report["office_entries"] = sum(len(o.entries) for o in overlays.values())
            report["offices_on_shared_faq"] = sorted(broken)
        return report

    def _fingerprint(self, book: FaqBook, overlays: Mapping[str, Overlay]) -> str:
        # Worked out once per loaded snapshot (a reload makes a new book or a new overlays mapping).
        known = self._fingerprints
        if known is None or known[0] is not book or known[1] is not overlays:
            served = (book.agency, book.synonyms, book.entries, sorted(overlays.items()))
            known = self._fingerprints = (
                book,
                overlays,
                hashlib.sha256(repr(served).encode()).hexdigest()[:12],
            )
        return known[2]

    async def _state(self, problems: list[str]) -> dict[str, Any]:
        if isinstance(self._store, MemoryStore):
            return {"backend": "memory", "reachable": True}
        started = time.perf_counter()
        try:
            # The shared store's client blocks (short socket timeouts): off the event loop.
            await asyncio.to_thread(self._store.get, PROBE_KEY)
        except StateStoreError as exc:
            log.warning("health check: state store unreachable: %s", exc)
            problems.append("state store unreachable")
            return {"backend": "shared", "reachable": False}
        return {"backend": "shared", "reachable": True, "ms": round((time.perf_counter() - started) * 1e3, 2)}

    def _log(self) -> dict[str, Any]:
        if self._log_health is None:
            return {"enabled": False}
        h = self._log_health()
        return {
            "enabled": True,
            "writer_alive": h.alive,
            "queued": h.queued,
            "written": h.written,
            "dropped": h.dropped,
            "failed": h.failed,
        }


class HealthHandler(tornado.web.RequestHandler):
    """GET (and HEAD) /healthz for tornado: the report as JSON, never cached."""

    SUPPORTED_METHODS = ("GET", "HEAD")  # type: ignore[assignment]

    def initialize(self, health: Health) -> None:
        """Keep the worker's Health."""
        self._health = health

    async def get(self) -> None:
        """Answer with the report (503 when the worker cannot serve)."""
        status, body = await self._health.check()
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    async def head(self) -> None:
        """The status alone."""
        status, _ = await self._health.check()
        self.set_status(status)
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """A failing check is one log line, not a traceback per probe; a wrong request is not a failure."""
        if isinstance(value, tornado.web.HTTPError):
            log.debug("health check request refused: %s", value)
            return
        log.error("health check failed: %s", typ.__name__ if typ else "error")


class HealthServer:
    """The health listener of its own (health.listen/health.port), for polling mode and load balancers."""

    def __init__(self, listen: str, port: int, health: Health) -> None:
        self._listen = listen
        self._port = port
        self._health = health
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port = 0
        """The port bound (useful when configured as 0)."""

    async def start(self) -> None:
        """Bind and serve on the running loop (OSError when the port is taken)."""
        app = tornado.web.Application([(PATH, HealthHandler, {"health": self._health})], log_function=_quiet)
        sockets = tornado.netutil.bind_sockets(self._port, self._listen or None)
        server = tornado.httpserver.HTTPServer(
            app, idle_connection_timeout=IDLE_TIMEOUT, body_timeout=IDLE_TIMEOUT, max_body_size=4096
        )
        server.add_sockets(sockets)
        self._server = server
        self.port = sockets[0].getsockname()[1]
        log.info("health check on http://%s:%d%s", self._listen, self.port, PATH)

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
            await server.close_all_connections()


def _quiet(handler: tornado.web.RequestHandler) -> None:
    if handler.get_status() >= 500:
        log.debug("health check answered %d", handler.get_status())


def offer_health(channel: object, health: Health) -> None:
    """Answer /healthz on the channel's webhook server, if it has one."""
    server = getattr(channel, "webhook_server", None)
    if server is not None:
        server.add_page(PATH, HealthHandler, health=health)


async def serve_health(
    config: HealthConfig, health: Health | None, channels: Iterable[object]
) -> HealthServer | None:
    """Offer /healthz on every running webhook server and, when health.port is set, on its own
    listener (returned, to be stopped); a listener that cannot bind is logged, the bot serves on."""
    if health is None:
        return None
    for channel in channels:
        offer_health(channel, health)
    if not config.port:
        return None
    listener = HealthServer(config.listen, config.port, health)
    try:
        await listener.start()
    except OSError as exc:
        log.error("health check listener %s:%d not started: %s", config.listen, config.port, exc.strerror)
        return None
    return listener
