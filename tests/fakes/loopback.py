"""What every fake platform server shares: a tornado app on an ephemeral 127.0.0.1 port, and waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Self

import tornado.httpserver
import tornado.netutil
import tornado.web


class LoopbackFake:
    """`async with Fake() as fake:` serves `routes()` on 127.0.0.1; tests wait on `state` changes."""

    state: Any

    def __init__(self) -> None:
        self._changed = asyncio.Condition()
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port = 0

    def routes(self) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
        """The fake's URL patterns, handlers and handler arguments."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """What the client's base URL should be."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        app = tornado.web.Application(self.routes(), log_function=lambda handler: None)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    async def notify(self) -> None:
        """Wake whoever waits on the fake's state."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[Any], bool], timeout: float = 5.0) -> None:
        """Wait until predicate(state) holds."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.state)), timeout)
