"""Webhook plumbing: a small HTTP server (tornado on the running loop), de-duplication, after-work,
and what both Zalo channels share (text limit, HTTP client, JSON object reading)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
"""Webhook bodies are small JSON events; anything bigger is not from the platform."""
ZALO_TEXT_LIMIT = 2000
"""Characters in one Zalo text message (Bot API and OA alike)."""
HTTP_TIMEOUT = 15.0
"""Seconds allowed for each phase (connect, read, write, pool) of a Zalo API call."""


def new_client() -> httpx.AsyncClient:
    """The HTTP client a Zalo channel makes for itself when none is given."""
    return httpx.AsyncClient(timeout=httpx.Timeout(HTTP_TIMEOUT))


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (for fields that may be missing or odd)."""
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class WebRequest:
    """One received POST: headers (case-insensitive lookups) and the exact body bytes."""

    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class WebResponse:
    """What to answer: a status and a small JSON body."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: {"message": "Success"})


Route = Callable[[WebRequest], Awaitable[WebResponse]]


class _RouteHandler(tornado.web.RequestHandler):
    """Hands every POST on one path to its route; other methods get 405 from tornado."""

    def initialize(self, route: Route) -> None:
        """Keep the route this handler serves."""
        self._route = route

    async def post(self) -> None:
        """Answer with whatever the route decides; a crash becomes a plain 500."""
        request = WebRequest(self.request.headers, self.request.body)
        try:
            response = await self._route(request)
        except Exception:
            log.exception("webhook route %s failed", self.request.path)
            response = WebResponse(500, {"message": "Internal error"})
        self.set_status(response.status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(response.body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Log handler errors without the request body (it may hold a citizen's text)."""
        name = typ.__name__ if typ else "error"
        log.warning("webhook request on %s failed: %s", self.request.path, name)


class WebhookServer:
    """Listens on (listen, port) and serves POST routes by exact path."""

    def __init__(self, listen: str, port: int, routes: Mapping[str, Route]) -> None:
        self._listen = listen
        self._port = port
        self._routes = dict(routes)
        self._server: tornado.httpserver.HTTPServer | None = None
        self._bound_port = 0

    @property
    def port(self) -> int:
        """The port actually bound (useful when configured as 0)."""
        return self._bound_port

    async def start(self) -> None:
        """Bind and serve on the running loop (OSError if the port is taken)."""
        app = tornado.web.Application(
            [(_path(p), _RouteHandler, {"route": r}) for p, r in self._routes.items()],
            log_function=_quiet_access_log,
        )
        sockets = tornado.netutil.bind_sockets(self._port, self._listen or None)
        server = tornado.httpserver.HTTPServer(
            app, max_body_size=MAX_BODY_BYTES, idle_connection_timeout=60
        )
        server.add_sockets(sockets)
        self._server = server
        self._bound_port = sockets[0].getsockname()[1]
        log.info("webhook server listening on %s:%d", self._listen, self._bound_port)

    async def stop(self) -> None:
        """Stop accepting and close open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stop()
        await server.close_all_connections()


def _path(path: str) -> str:
    # tornado routes are regular expressions; a webhook path is a literal.
    return re.escape("/" + path.lstrip("/"))


def _quiet_access_log(handler: tornado.web.RequestHandler) -> None:
    status = handler.get_status()
    level = logging.DEBUG if status < 400 else logging.WARNING
    log.log(level, "%d %s %s", status, handler.request.method, handler.request.path)


class SeenKeys:
    """Remembers the last `size` event keys, so a re-sent or re-polled event is handled once."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._keys: OrderedDict[str, None] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """True the first time `key` is seen (and remembers it), False for a repeat."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        while len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return True


class Background:
    """Work done after the webhook already answered: tracked tasks, in arrival order per chat."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._tasks: set[asyncio.Task[None]] = set()
        self._chats: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    def spawn(self, chat_key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` soon, after any earlier work for the same chat; errors are logged."""
        task = asyncio.get_running_loop().create_task(self._run(chat_key, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, chat_key: str, work: Callable[[], Awaitable[None]]) -> None:
        lock, users = self._chats.setdefault(chat_key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: handling an event failed", self._name)
        finally:
            users[0] -= 1
            if users[0] == 0:
                self._chats.pop(chat_key, None)

    async def close(self, grace: float = 5.0) -> None:
        """Let running work finish for up to `grace` seconds, then cancel the rest."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)


async def shut_down(
    task: asyncio.Task[Any] | None,
    server: WebhookServer | None,
    work: Background,
    own_client: httpx.AsyncClient | None,
) -> None:
    """A channel's stop: cancel its loop task, stop its server, let replies finish, close its client."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    if server is not None:
        await server.stop()
    await work.close()
    if own_client is not None:
        await own_client.aclose()
