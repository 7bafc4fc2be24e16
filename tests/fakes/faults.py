"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1, put between a channel and a fake platform server.

Requests are forwarded unchanged to the fake. A rule scripts a fault on matching requests (the send
endpoint), `times` per chat (the chat is read from the JSON body: `chat_id`, or the OA's
`recipient.user_id` / `recipient.message_id`):
- "status": answer `status` with `body` (e.g. 429 with retry_after, 500, 502), the fake never sees it;
- "reset_before": the request is read, then the connection is reset; the fake never sees it;
- "reset_after": the fake processes (records) the request, then the connection is reset;
- "delay": the fake processes the request at once, its answer is held `delay` seconds (past the
  client's read timeout).
With `for_seconds`, every matching request fails that way for that long (an outage), then none.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, Self

import httpx

FaultKind = Literal["status", "reset_before", "reset_after", "delay"]
_HOP_HEADERS = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "accept-encoding"}


@dataclass
class Fault:
    """One scripted fault on requests whose path contains `path`, applied `times` per chat."""

    path: str
    kind: FaultKind
    times: int = 1
    status: int = 500
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    for_seconds: float | None = None
    """When set, every matching request fails for this long after the first one (`times` unused)."""


@dataclass
class ProxyLog:
    """What the proxy saw: requests per path fragment, faults applied per chat."""

    requests: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)


def chat_key(body: bytes) -> str:
    """The chat a send is for, read from its JSON body ('' when there is none)."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    if "chat_id" in data:
        return str(data["chat_id"])
    recipient = data.get("recipient")
    if isinstance(recipient, dict):
        return str(recipient.get("user_id") or recipient.get("message_id") or "")
    return ""


class FaultProxy:
    """`async with FaultProxy(upstream_port) as proxy:` forwards 127.0.0.1:proxy.port to the fake."""

    def __init__(self, upstream_port: int) -> None:
        self._upstream = f"http://127.0.0.1:{upstream_port}"
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(60.0))
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self.rules: list[Fault] = []
        self._began: dict[int, float] = {}
        self.log = ProxyLog()
        self.port = 0

    def url_for(self, upstream_url: str) -> str:
        """`upstream_url` (a URL on the fake) rewritten to go through the proxy."""
        return upstream_url.replace(self._upstream, f"http://127.0.0.1:{self.port}")

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._client.aclose()

    def _fault_for(self, path: str, body: bytes) -> Fault | None:
        now = time.monotonic()
        for i, rule in enumerate(self.rules):
            if rule.path in path and rule.for_seconds is not None:
                began = self._began.setdefault(i, now)
                if now - began < rule.for_seconds:
                    self.log.faults[rule.path] += 1
                    return rule
            elif rule.path in path:
                key = f"{rule.path}:{chat_key(body)}"
                if self.log.faults[key] < rule.times:
                    self.log.faults[key] += 1
                    return rule
        return None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the proxy is closing: end quietly (asyncio logs a cancelled connection callback)
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.log.requests[path] += 1
        fault = self._fault_for(path, body)
        if fault is not None and fault.kind == "reset_before":
            _reset(writer)
            return False
        if fault is not None and fault.kind == "status":
            await _answer(writer, fault.status, fault.content_type, fault.body)
            return True
        forwarded = {k: v for k, v in headers.items() if k not in _HOP_HEADERS}
        response = await self._client.request(method, self._upstream + path, headers=forwarded, content=body)
        if fault is not None and fault.kind == "reset_after":
            _reset(writer)
            return False
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        content_type = response.headers.get("content-type", "application/json")
        await _answer(writer, response.status_code, content_type, response.content)
        return True


async def _answer(writer: asyncio.StreamWriter, status: int, content_type: str, body: bytes) -> None:
    writer.write(
        f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a crashed or overloaded server does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
