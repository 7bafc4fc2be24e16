"""SweepingPool behaves as httpcore's own pool: every scenario runs on both, against a local server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import httpcore
import httpx
import pytest

from bot.channels import http_pool
from bot.channels.http_pool import SweepingPool, pooled_transport
from bot.channels.telegram_request import JsonBodyRequest

MakeTransport = Callable[..., httpx.AsyncHTTPTransport]
TRANSPORTS = [
    pytest.param(httpx.AsyncHTTPTransport, id="httpcore-pool"),
    pytest.param(pooled_transport, id="sweeping-pool"),
]


class Origin:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 that counts its connections.

    `hold`: the first requests wait until that many are in progress at once (forces concurrency).
    `close_after_response`: the server closes each connection after one response, without saying
    so in a header (as when its keep-alive timeout passes).
    """

    def __init__(self, *, hold: int = 0, close_after_response: bool = False) -> None:
        self.hold = hold
        self.close_after_response = close_after_response
        self.accepted = self.open = self.peak = self.closed = self.in_flight = 0
        self._changed = asyncio.Condition()
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """The URL of the server's only resource."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/"

    async def __aenter__(self) -> Origin:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *_: Any) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def wait_for(self, predicate: Callable[[], bool]) -> None:
        """Wait (at most 5 s) until `predicate()` holds."""
        async with asyncio.timeout(5), self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.open += 1
        self.peak = max(self.peak, self.open)
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                self.in_flight += 1
                await self._notify()
                if self.hold:
                    await self.wait_for(lambda: self.in_flight >= self.hold)
                    self.hold = 0
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
                self.in_flight -= 1
                if self.close_after_response:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self.open -= 1
            self.closed += 1
            await self._notify()


async def _get_all(client: httpx.AsyncClient, url: str, count: int) -> list[int]:
    responses = await asyncio.gather(*(client.get(url) for _ in range(count)))
    return [r.status_code for r in responses]


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_sequential_requests_reuse_one_connection(make: MakeTransport) -> None:
    async with Origin() as origin, httpx.AsyncClient(transport=make()) as client:
        for _ in range(5):
            assert (await client.get(origin.url)).text == "ok"
        assert origin.accepted == 1


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_a_connection_the_server_closed_is_never_reused(make: MakeTransport) -> None:
    async with (
        Origin(close_after_response=True) as origin,
        httpx.AsyncClient(transport=make()) as client,
    ):
        for n in range(1, 4):
            assert (await client.get(origin.url)).status_code == 200
            await origin.wait_for(lambda n=n: origin.closed == n)  # type: ignore[misc]
        assert origin.accepted == 3


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_concurrent_requests_stay_within_max_connections(make: MakeTransport) -> None:
    limits = httpx.Limits(max_connections=3)
    async with Origin(hold=3) as origin, httpx.AsyncClient(transport=make(limits=limits)) as client:
        assert await _get_all(client, origin.url, 8) == [200] * 8
        assert origin.peak == 3


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_idle_connections_over_the_keepalive_limit_are_closed(make: MakeTransport) -> None:
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=1)
    async with Origin(hold=3) as origin, httpx.AsyncClient(transport=make(limits=limits)) as client:
        assert await _get_all(client, origin.url, 3) == [200] * 3
        await origin.wait_for(lambda: origin.closed == 2)
        assert (await client.get(origin.url)).status_code == 200
        assert origin.accepted == 3  # the one kept was reused


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_expired_connections_are_closed_not_reused(make: MakeTransport) -> None:
    limits = httpx.Limits(keepalive_expiry=0)
    async with Origin() as origin, httpx.AsyncClient(transport=make(limits=limits)) as client:
        for _ in range(3):
            assert (await client.get(origin.url)).status_code == 200
        await origin.wait_for(lambda: origin.closed == 2)
        assert origin.accepted == 3


@pytest.mark.parametrize("make", TRANSPORTS)
async def test_expired_connections_to_another_origin_are_swept(
    make: MakeTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_pool, "SWEEP_INTERVAL", 0.0)  # sweep on every request, as httpcore does
    limits = httpx.Limits(keepalive_expiry=0)
    async with (
        Origin(hold=2) as first,
        Origin() as second,
        httpx.AsyncClient(transport=make(limits=limits)) as client,
    ):
        assert await _get_all(client, first.url, 2) == [200] * 2
        assert (await client.get(second.url)).status_code == 200
        await first.wait_for(lambda: first.closed == 2)


@pytest.mark.parametrize(
    ("kwargs", "sweeping"),
    [
        pytest.param({}, True, id="direct"),
        pytest.param({"limits": httpx.Limits(max_connections=7)}, True, id="with-limits"),
        pytest.param({"proxy": httpx.Proxy("http://127.0.0.1:9")}, False, id="proxy-kept-as-is"),
    ],
)
def test_pooled_transport_swaps_only_the_plain_pool(kwargs: dict[str, Any], sweeping: bool) -> None:
    pool = pooled_transport(**kwargs)._pool
    assert isinstance(pool, SweepingPool) is sweeping
    assert isinstance(pool, httpcore.AsyncConnectionPool)
    if "limits" in kwargs:
        assert pool._max_connections == 7


def test_telegram_requests_use_the_sweeping_pool_with_ptb_limits() -> None:
    request = JsonBodyRequest(connection_pool_size=5)
    pool = request._client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, SweepingPool)
    assert pool._max_connections == 5
