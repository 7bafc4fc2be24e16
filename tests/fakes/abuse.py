"""What an outsider does to a webhook, for the limit tests: raw HTTP over loopback, idle floods.

The flood runs in a child process so its sockets count against its own descriptor limit, not the
test's; the child stops by itself after FLOOD_LIFETIME seconds even if the test never ends it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

FLOOD_LIFETIME = 30.0

_FLOOD = r"""
import socket, sys, threading, time
port, count, lifetime = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
try:
    import resource  # POSIX: make room for `count` sockets if the soft limit is lower
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(count + 64, hard), hard))
except ImportError:
    pass
held = []
for _ in range(count):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError:
        pass
print("open", len(held), flush=True)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
done.wait(lifetime)
"""


@dataclass(frozen=True, slots=True)
class RawResponse:
    """A status line read off the wire, and whether the server then closed the connection."""

    status: int
    closed: bool


async def raw_post(
    port: int,
    path: str,
    headers: dict[str, str],
    body: bytes = b"",
    *,
    timeout: float = 3.0,
    wait_close: float = 0.0,
) -> RawResponse:
    """Send a POST's head and `body` (maybe less than Content-Length says); read the status line.

    `closed` tells whether the server closed the connection within `wait_close` seconds.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"POST /{path.lstrip('/')} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        writer.write(head.encode("latin-1") + body)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout)
        status = int(line.split()[1])
        closed = await _closed(reader, wait_close)
        return RawResponse(status, closed)
    finally:
        writer.close()


async def _closed(reader: asyncio.StreamReader, timeout: float) -> bool:
    """True when the server closes the connection within `timeout` (after the rest of its answer)."""
    try:
        while await asyncio.wait_for(reader.read(65536), timeout):
            pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


@asynccontextmanager
async def idle_flood(port: int, count: int) -> AsyncIterator[int]:
    """Hold `count` idle connections to 127.0.0.1:port from a child process; yields how many opened."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _FLOOD, str(port), str(count), str(FLOOD_LIFETIME),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 20)
        yield int(line.split()[1])
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


@contextmanager
def descriptor_limit(headroom: int) -> Iterator[None]:
    """Let this process open only `headroom` more descriptors (as on a server with ulimit -n 1024).

    Without it a machine with a high limit would never show what running out does. Linux only:
    elsewhere the limit is left alone.
    """
    if not os.path.isdir("/proc/self/fd"):
        yield
        return
    import resource  # POSIX only, like /proc

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = len(os.listdir("/proc/self/fd")) + headroom
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        yield
        return
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
