"""A real redis-server for the tests: started on a free 127.0.0.1 port in a temp dir, stopped after."""

from __future__ import annotations

import selectors
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

READY = b"Ready to accept connections"
START_TIMEOUT = 20.0


class RedisServer:
    """One redis-server process (no persistence, loopback only); `url` points at it."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        """Terminate the server and wait for it to exit."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(workdir: Path) -> RedisServer:
    """Start redis-server and return once it logs that it accepts connections; RuntimeError if not."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    last = ""
    for _ in range(3):  # another process may take the free port between the probe and the bind
        port = _free_port()
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(workdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                "",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output = _wait_ready(process)
        if output is None:
            # Keep reading what it logs, so that a full pipe can never block the server.
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return RedisServer(process, port)
        last = output
        process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    raise RuntimeError(f"redis-server did not start: {last[-500:]}")


def _wait_ready(process: subprocess.Popen[bytes]) -> str | None:
    """None once the server says it is ready; its output so far if it exits or times out first."""
    assert process.stdout is not None
    seen = b""
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as sel:
        sel.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(timeout=left):
                continue
            chunk = process.stdout.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                break  # the server exited
            seen += chunk
            if READY in seen:
                return None
    return seen.decode(errors="replace")


def _drain(process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None
    try:
        while process.stdout.read1(4096):  # type: ignore[attr-defined]
            pass
    except (OSError, ValueError):
        pass  # closed by stop()
