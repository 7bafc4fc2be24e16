"""The shared webhook server bounds what an outsider controls: body, connections, time, JSON, logs."""

from __future__ import annotations

import asyncio
import logging
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.channels.webhook_server import (
    MAX_BODY_BYTES,
    Endpoint,
    WebhookServer,
    WebRequest,
    WebResponse,
    read_json,
    secret_header,
)
from tests.fakes.abuse import raw_post

SECRET = "s3cret-for-tests"
HUGE = 90 * 1024 * 1024


class Recorder:
    """The endpoint's handler: records bodies, answers what read_json makes of them."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, request: WebRequest) -> WebResponse:
        self.bodies.append(request.body)
        value = read_json(request.body)
        return WebResponse(200, {"type": type(value).__name__})


@asynccontextmanager
async def serving(recorder: Recorder, **limits: Any) -> AsyncIterator[WebhookServer]:
    endpoint = Endpoint(recorder, secret_header("X-Secret", SECRET, "test"))
    server = WebhookServer("127.0.0.1", 0, {"hook": endpoint}, **limits)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def json_headers(length: int, secret: str | None = SECRET) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Content-Length": str(length)}
    if secret is not None:
        headers["X-Secret"] = secret
    return headers


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param(json_headers(HUGE, secret=None), 403, id="no-secret"),
        pytest.param(json_headers(HUGE, secret="wrong"), 403, id="wrong-secret"),
        pytest.param(json_headers(HUGE), 413, id="right-secret-too-big"),
        pytest.param(json_headers(MAX_BODY_BYTES + 1), 413, id="one-byte-over"),
        pytest.param({**json_headers(0), "Content-Length": "lots"}, 400, id="bad-length"),
        pytest.param({**json_headers(HUGE), "Expect": "100-continue"}, 413, id="expect-continue"),
    ],
)
async def test_refused_on_the_headers_before_the_body_is_read(headers: dict[str, str], status: int) -> None:
    # Only 4 KB of the declared 90 MB are ever sent: an answer proves the server did not wait for
    # (or read) the rest, and it closes the connection rather than read on.
    recorder = Recorder()
    async with serving(recorder) as server:
        started = time.monotonic()
        answer = await raw_post(server.port, "hook", headers, b"x" * 4096, wait_close=2)
        elapsed = time.monotonic() - started
    assert (answer.status, answer.closed) == (status, True)
    assert elapsed < 2
    assert recorder.bodies == []


async def test_a_chunked_body_over_the_limit_is_cut_off() -> None:
    recorder = Recorder()
    chunk = b"%x\r\n%s\r\n" % (256 * 1024, b"x" * 256 * 1024)
    async with serving(recorder) as server:
        headers = {"X-Secret": SECRET, "Transfer-Encoding": "chunked"}
        try:
            answer = await raw_post(server.port, "hook", headers, chunk * 5 + b"0\r\n\r\n")
        except (ConnectionError, ValueError, IndexError):
            answer = None  # the server may cut the connection before its answer is read
    assert answer is None or answer.status in (400, 413)
    assert recorder.bodies == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{", id="truncated"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeper-than-the-parser"),
        pytest.param(b"[" * 40 + b"]" * 40, id="deeper-than-allowed"),
        pytest.param(b'{"a":' * 40 + b"1" + b"}" * 40, id="deep-objects"),
    ],
)
async def test_malformed_or_deeply_nested_json_is_400_without_a_traceback(
    body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    caplog.set_level(logging.DEBUG)
    async with serving(recorder) as server:
        bad = await raw_post(server.port, "hook", json_headers(len(body)), body)
        good = await raw_post(server.port, "hook", json_headers(2), b"{}")
    assert (bad.status, good.status) == (400, 200)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_an_idle_connection_is_closed_after_the_idle_timeout() -> None:
    async with serving(Recorder(), idle_timeout=0.3) as server:
        silent = await asyncio.open_connection("127.0.0.1", server.port)
        slow = await asyncio.open_connection("127.0.0.1", server.port)
        slow[1].write(b"POST /hook HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        started = time.monotonic()
        assert await asyncio.wait_for(silent[0].read(), 5) == b""
        assert await asyncio.wait_for(slow[0].read(), 5) == b""
        elapsed = time.monotonic() - started
        for _, writer in (silent, slow):
            writer.close()
    assert 0.2 < elapsed < 3


async def test_at_the_cap_the_longest_idle_connection_makes_room_never_a_busy_one() -> None:
    recorder = Recorder()
    async with serving(recorder, max_connections=2) as server:
        idle = await asyncio.open_connection("127.0.0.1", server.port)
        busy = await asyncio.open_connection("127.0.0.1", server.port)
        # Busy: headers in, body still coming.
        head = f"POST /hook HTTP/1.1\r\nHost: x\r\nX-Secret: {SECRET}\r\nContent-Length: 2\r\n\r\n"
        busy[1].write(head.encode() + b"{")
        await busy[1].drain()
        newcomer = await raw_post(server.port, "hook", json_headers(2), b"[]")
        assert newcomer.status == 200
        assert await asyncio.wait_for(idle[0].read(), 5) == b"", "the idle connection made room"
        busy[1].write(b"}")
        status_line = await asyncio.wait_for(busy[0].readline(), 5)
        assert b" 200 " in status_line, "the busy one was left to finish"
        for _, writer in (idle, busy):
            writer.close()
    assert sorted(recorder.bodies) == [b"[]", b"{}"]


async def test_repeated_refusals_cost_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.channels.webhook_server")
    async with serving(Recorder()) as server:
        for _ in range(30):
            answer = await raw_post(server.port, "hook", json_headers(2, "wrong"), b"{}")
            assert answer.status == 403
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([m for m in lines if "wrong secret" in m]) == 1
    assert len([m for m in lines if m.startswith("403 POST")]) == 1
    assert len(lines) == 2


_LOW_DESCRIPTOR_SERVER = textwrap.dedent(
    """
    import asyncio, logging, resource, sys
    from bot.channels.webhook_server import WebhookServer, WebResponse

    async def main():
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
        async def handle(request):
            return WebResponse(200, {"ok": True})
        server = WebhookServer("127.0.0.1", 0, {"hook": handle})  # cap 128, above what fits below
        await server.start()
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
        print(server.port, flush=True)
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.read), 30)
        await server.stop()

    asyncio.run(main())
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="descriptor limits are POSIX (resource module)")
async def test_running_out_of_descriptors_neither_spins_nor_floods_the_log() -> None:
    # A server allowed 64 descriptors meets 300 idle connections: before, "Too many open files"
    # was logged on every turn of the loop and nothing else was accepted.
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _LOW_DESCRIPTOR_SERVER,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    log_lines: list[str] = []
    drained = asyncio.create_task(_drain(proc.stderr, log_lines))  # a full pipe would stall the child
    answer = None
    try:
        port = int(await asyncio.wait_for(proc.stdout.readline(), 20))
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(300)]
        started = time.monotonic()
        answer = await raw_post(port, "hook", {"Content-Length": "2"}, b"{}")
        elapsed = time.monotonic() - started
        for _, writer in idle:
            writer.close()
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        await asyncio.wait_for(drained, 10)
    assert answer.status == 200 and elapsed < 3
    assert any("Too many open files" in line for line in log_lines)
    assert len(log_lines) <= 5, log_lines[:10]


async def _drain(stream: asyncio.StreamReader, lines: list[str]) -> None:
    while line := await stream.readline():
        lines.append(line.decode(errors="replace"))
