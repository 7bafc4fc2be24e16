"""Webhook plumbing: a small HTTP server (tornado on the running loop), de-duplication, after-work,
and what both Zalo channels share (text limit, HTTP client, JSON object reading).

Everything an outsider controls is bounded here, for every webhook (Telegram, Zalo Bot, Zalo OA):
  - the headers are checked before any of the body is read: a wrong secret (403) or a declared
    length over MAX_BODY_BYTES (413) is answered and the connection closed, the body never read;
  - at most MAX_CONNECTIONS connections per server: when full, the longest idle one (no request
    under way) is closed to make room, so a flood of idle connections cannot lock the platform out;
  - a connection has IDLE_TIMEOUT seconds to send a request's headers and BODY_TIMEOUT for its body;
  - running out of file descriptors pauses accepting briefly instead of spinning and logging;
  - a body that is not JSON, or nests deeper than MAX_JSON_DEPTH, gets 400 (never a 500);
  - log lines an outsider can trigger are rate-limited (bot.safety.LogThrottle).
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import json
import logging
import re
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.web
from tornado.ioloop import IOLoop

from bot.safety import LogThrottle, ThrottlingFilter

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
"""Webhook bodies are small JSON events (Telegram updates too); anything bigger is not from the platform."""
MAX_HEADER_BYTES = 16 * 1024
"""Request line and headers together."""
MAX_CONNECTIONS = 128
"""Open connections per webhook server (three servers and the outgoing pools fit in 1,024 descriptors)."""
IDLE_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's headers, and may stay idle between requests."""
BODY_TIMEOUT = 10.0
"""Seconds a client may take to send a request body once its headers are in."""
MAX_JSON_DEPTH = 32
"""Nesting of a webhook body's JSON (platform events nest four or five levels)."""
MIN_CONNECTIONS = 16
"""The cap never goes below this when it is lowered after running out of descriptors."""
DESCRIPTOR_MARGIN = 8
"""Descriptors freed (and kept free) when the process runs out of them."""
LISTEN_BACKLOG = 1024
"""Connections the kernel holds for us while the loop is busy (a burst beyond it waits 1 s to retry)."""
ACCEPT_PAUSE = 0.05
"""Seconds accepting stops after the process ran out of file descriptors."""
ZALO_TEXT_LIMIT = 2000
"""Characters in one Zalo text message (Bot API and OA alike)."""
HTTP_TIMEOUT = 15.0
"""Seconds allowed for each phase (connect, read, write, pool) of a Zalo API call."""
_OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_NOISY_LOGGERS = ("tornado.general", "tornado.application", "tornado.access")
"""tornado logs a line per malformed request, timeout or buffer overflow: rate-limited too."""


def new_client() -> httpx.AsyncClient:
    """The HTTP client a Zalo channel makes for itself when none is given."""
    return httpx.AsyncClient(timeout=httpx.Timeout(HTTP_TIMEOUT))


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (for fields that may be missing or odd)."""
    return value if isinstance(value, dict) else {}


class BadRequest(Exception):
    """A webhook body that cannot be used; str() says why in a few English words (answered 400)."""


def read_json(body: bytes) -> Any:
    """The JSON value of a webhook body; BadRequest when it is not JSON or nests too deep."""
    try:
        value = json.loads(body)
    except RecursionError:
        raise BadRequest("JSON nested too deeply") from None
    except ValueError:
        raise BadRequest("body is not JSON") from None
    if _depth_over(value, MAX_JSON_DEPTH):
        raise BadRequest("JSON nested too deeply")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    # Iterative, so a deep value cannot exhaust the stack here either.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Iterable[Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


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
HeaderCheck = Callable[[Mapping[str, str]], "WebResponse | None"]
"""Sees a request's headers before its body is read; a WebResponse refuses the request."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One webhook path: `admit` judges the headers before the body is read, `handle` the whole request."""

    handle: Route
    admit: HeaderCheck | None = None


def secret_header(name: str, secret: str, channel: str) -> HeaderCheck:
    """A check refusing (403) requests whose `name` header is not `secret` (constant-time compare)."""
    expected = secret.encode("utf-8")
    throttle = LogThrottle(log)

    def check(headers: Mapping[str, str]) -> WebResponse | None:
        given = headers.get(name, "").encode("utf-8", "replace")
        if expected and hmac.compare_digest(given, expected):
            return None
        throttle.log(
            "secret", logging.WARNING, "%s: webhook call with a missing or wrong secret token", channel
        )
        return WebResponse(403, {"message": "Forbidden"})

    return check


@tornado.web.stream_request_body
class _RouteHandler(tornado.web.RequestHandler):
    """Hands every POST on one path to its endpoint; other methods get 405 from tornado.

    The body is streamed (stream_request_body) so that prepare() runs on the headers alone: a
    refused request is answered before its body is read, and tornado then closes the connection.
    """

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, endpoint: Endpoint, max_body: int, throttle: LogThrottle) -> None:
        """Keep the endpoint this handler serves."""
        self._endpoint = endpoint
        self._max_body = max_body
        self._throttle = throttle
        self._body = bytearray()

    def prepare(self) -> None:
        """Refuse on the headers alone: wrong secret (403), declared length too big (413) or bad (400)."""
        check = self._endpoint.admit
        refusal = check(self.request.headers) if check is not None else None
        if refusal is None:
            declared = self.request.headers.get("Content-Length")
            if declared is not None and not declared.strip().isdigit():
                refusal = WebResponse(400, {"message": "Bad Content-Length"})
            elif declared is not None and int(declared) > self._max_body:
                refusal = WebResponse(413, {"message": "Body too large"})
        if refusal is not None:
            self._answer(refusal)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body (chunked bodies are held to the same limit as declared ones)."""
        if self._finished:
            return
        if len(self._body) + len(chunk) > self._max_body:
            self._answer(WebResponse(413, {"message": "Body too large"}))
            return
        self._body += chunk

    async def post(self) -> None:
        """Answer with whatever the endpoint decides; a bad body is a 400, a crash a plain 500."""
        if self._finished:
            return  # refused while the body came in
        request = WebRequest(self.request.headers, bytes(self._body))
        try:
            response = await self._endpoint.handle(request)
        except BadRequest as exc:
            self._throttle.log(
                (self.request.path, "bad"),
                logging.WARNING,
                "webhook %s: bad request body (%s)",
                self.request.path,
                exc,
            )
            response = WebResponse(400, {"message": str(exc)})
        except Exception:
            self._throttle.log(
                (self.request.path, "crash"),
                logging.ERROR,
                "webhook route %s failed",
                self.request.path,
                exc_info=True,
            )
            response = WebResponse(500, {"message": "Internal error"})
        self._answer(response)

    def _answer(self, response: WebResponse) -> None:
        self.set_status(response.status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(response.body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Log handler errors without the request body (it may hold a citizen's text)."""
        name = typ.__name__ if typ else "error"
        self._throttle.log(
            (self.request.path, name),
            logging.WARNING,
            "webhook request on %s failed: %s",
            self.request.path,
            name,
        )


class _GuardedHTTPServer(tornado.httpserver.HTTPServer):
    """tornado's HTTPServer with a cap on open connections and an accept loop that outlives EMFILE.

    A connection counts as idle from when it opens, and again after each response, until the next
    request's headers are in. At the cap the longest idle connection is closed for a new one; when
    none is idle the new one is closed instead.
    """

    def guard(self, max_connections: int, throttle: LogThrottle) -> None:
        """Set the cap and the log throttle (call once, before add_sockets)."""
        self.max_connections = max_connections
        self._throttle = throttle
        self._open: set[tornado.iostream.IOStream] = set()
        self._idle: OrderedDict[tornado.iostream.IOStream, None] = OrderedDict()
        self.evicted = 0
        self.refused = 0

    @property
    def open_connections(self) -> int:
        """Connections open now."""
        return len(self._open)

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        """As TCPServer.add_sockets (stop() removes them the same way), with our accept loop."""
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_on(sock)

    def _accept_on(self, sock: socket.socket) -> Callable[[], None]:
        loop = IOLoop.current()
        state = {"watching": True, "stopped": False}

        def readable(fd: Any, events: int) -> None:
            for _ in range(128):
                if state["stopped"]:
                    return
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as exc:
                    if exc.errno in _OUT_OF_DESCRIPTORS and self._out_of_descriptors(exc):
                        continue  # idle connections closed: there is room again
                    if exc.errno not in _OUT_OF_DESCRIPTORS:
                        self._throttle.log(
                            ("accept", exc.errno), logging.ERROR, "webhook server: accept failed: %s", exc
                        )
                    # The listening socket stays readable: stop watching it for a moment instead
                    # of spinning (and logging) on every turn of the loop.
                    pause()
                    return
                self._handle_connection(connection, address)

        def pause() -> None:
            loop.remove_handler(sock)
            state["watching"] = False
            loop.call_later(ACCEPT_PAUSE, resume)

        def resume() -> None:
            if not state["stopped"] and not state["watching"]:
                loop.add_handler(sock, readable, IOLoop.READ)
                state["watching"] = True

        def remove() -> None:
            state["stopped"] = True
            if state["watching"]:
                loop.remove_handler(sock)
                state["watching"] = False

        loop.add_handler(sock, readable, IOLoop.READ)
        return remove

    def handle_stream(self, stream: tornado.iostream.IOStream, address: tuple[Any, ...]) -> None:
        """Serve a new connection, making room for it (or refusing it) at the cap."""
        if len(self._open) >= self.max_connections and not self._evict_idle():
            self.refused += 1
            self._throttle.log(
                "refused",
                logging.WARNING,
                "webhook server: %d connections, all busy: new connection closed",
                self.max_connections,
            )
            stream.close()
            return
        self._open.add(stream)
        self._idle[stream] = None
        super().handle_stream(stream, address)

    def _out_of_descriptors(self, exc: OSError) -> bool:
        """The process hit its descriptor limit: lower the cap below it and close idle connections."""
        lowered = max(MIN_CONNECTIONS, len(self._open) - DESCRIPTOR_MARGIN)
        if lowered < self.max_connections:
            self.max_connections = lowered
        self._throttle.log(
            "descriptors",
            logging.ERROR,
            "webhook server: %s with %d connections open; at most %d from now on",
            exc.strerror,
            len(self._open),
            self.max_connections,
        )
        return self._evict_idle(DESCRIPTOR_MARGIN) > 0

    def _evict_idle(self, count: int = 1) -> int:
        """Close up to `count` of the longest idle connections; how many were closed."""
        closed = 0
        while self._idle and closed < count:
            stream, _ = self._idle.popitem(last=False)
            self._open.discard(stream)
            stream.close()
            closed += 1
        if not closed:
            return 0
        self.evicted += closed
        self._throttle.log(
            "evicted",
            logging.WARNING,
            "webhook server: connection limit (%d) reached, closing the longest idle connections",
            self.max_connections,
        )
        return closed

    def start_request(
        self, server_conn: object, request_conn: tornado.httputil.HTTPConnection
    ) -> tornado.httputil.HTTPMessageDelegate:
        """Each request begins idle (waiting for headers); its headers make it busy."""
        stream = getattr(server_conn, "stream", None)
        if stream is not None and stream in self._open:
            self._idle[stream] = None
            self._idle.move_to_end(stream)
        return _Busy(super().start_request(server_conn, request_conn), self._idle, stream)

    def on_close(self, server_conn: object) -> None:
        """Forget a closed connection."""
        stream = getattr(server_conn, "stream", None)
        if stream is not None:
            self._open.discard(stream)
            self._idle.pop(stream, None)
        super().on_close(server_conn)


class _Busy(tornado.httputil.HTTPMessageDelegate):
    """Passes a request through, marking its connection busy once the headers are in."""

    def __init__(
        self,
        inner: tornado.httputil.HTTPMessageDelegate,
        idle: OrderedDict[tornado.iostream.IOStream, None],
        stream: tornado.iostream.IOStream | None,
    ) -> None:
        self._inner = inner
        self._idle = idle
        self._stream = stream

    def headers_received(
        self,
        start_line: tornado.httputil.RequestStartLine | tornado.httputil.ResponseStartLine,
        headers: tornado.httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        """The connection is busy from here until its next request starts."""
        if self._stream is not None:
            self._idle.pop(self._stream, None)
        return self._inner.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        """Pass a body chunk on."""
        return self._inner.data_received(chunk)

    def finish(self) -> None:
        """Pass the end of the request on."""
        self._inner.finish()

    def on_connection_close(self) -> None:
        """Pass an early close on."""
        self._inner.on_connection_close()


class WebhookServer:
    """Listens on (listen, port) and serves POST endpoints by exact path, within the limits above."""

    def __init__(
        self,
        listen: str,
        port: int,
        routes: Mapping[str, Endpoint | Route],
        *,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self._listen = listen
        self._port = port
        self._routes = {p: r if isinstance(r, Endpoint) else Endpoint(r) for p, r in routes.items()}
        self._max_connections = max_connections
        self._idle_timeout = idle_timeout
        self._body_timeout = body_timeout
        self._max_body = max_body
        self._server: _GuardedHTTPServer | None = None
        self._app: tornado.web.Application | None = None
        self._bound_port = 0
        self._throttle = LogThrottle(log)

    @property
    def port(self) -> int:
        """The port actually bound (useful when configured as 0)."""
        return self._bound_port

    @property
    def open_connections(self) -> int:
        """Connections open now (0 when stopped)."""
        return self._server.open_connections if self._server else 0

    async def start(self) -> None:
        """Bind and serve on the running loop (OSError if the port is taken)."""
        limits = {"max_body": self._max_body, "throttle": self._throttle}
        app = tornado.web.Application(
            [(_path(p), _RouteHandler, {"endpoint": e, **limits}) for p, e in self._routes.items()],
            log_function=self._access_log,
        )
        sockets = tornado.netutil.bind_sockets(self._port, self._listen or None, backlog=LISTEN_BACKLOG)
        server = _GuardedHTTPServer(
            app,
            max_body_size=self._max_body,
            max_header_size=MAX_HEADER_BYTES,
            max_buffer_size=self._max_body + MAX_HEADER_BYTES + 64 * 1024,
            idle_connection_timeout=self._idle_timeout,
            body_timeout=self._body_timeout,
        )
        server.guard(self._max_connections, self._throttle)
        server.add_sockets(sockets)
        self._server, self._app = server, app
        self._bound_port = sockets[0].getsockname()[1]
        _quiet_tornado()
        log.info("webhook server listening on %s:%d", self._listen, self._bound_port)

    def add_page(self, path: str, handler: type[tornado.web.RequestHandler], **kwargs: Any) -> None:
        """Also serve `handler` (its own methods, e.g. GET /healthz) on `path`; once started."""
        if self._app is not None:
            self._app.wildcard_router.add_rules([(_path(path), handler, kwargs)])

    async def stop(self) -> None:
        """Stop accepting and close open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stop()
        await server.close_all_connections()

    def _access_log(self, handler: tornado.web.RequestHandler) -> None:
        status = handler.get_status()
        if status < 400:
            log.debug("%d %s %s", status, handler.request.method, handler.request.path)
            return
        self._throttle.log(
            (status, handler.request.path),
            logging.WARNING,
            "%d %s %s",
            status,
            handler.request.method,
            handler.request.path,
        )


def _path(path: str) -> str:
    # tornado routes are regular expressions; a webhook path is a literal.
    return re.escape("/" + path.lstrip("/"))


def _quiet_tornado() -> None:
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ThrottlingFilter) for f in logger.filters):
            logger.addFilter(ThrottlingFilter())


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
