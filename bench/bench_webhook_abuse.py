"""What an outsider can do to the Telegram webhook: oversized bodies, idle-connection floods.

Runs the bot in webhook mode (against the fake Bot API of the tests) in a child process limited to
1,024 file descriptors, like a default server, and measures from outside:

  oversize  ten concurrent 90 MB POSTs without the secret: statuses, time, the child's peak RSS;
  idle      1,100 idle connections, then one valid update: its status and time, bytes of log;
  sustained four threads opening idle connections for 5 s while a valid update goes every 0.25 s.

Usage: python bench/bench_webhook_abuse.py [oversize|idle|sustained ...]   (default: all three)
Linux only (bash's ulimit, /proc).
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-s3cret"
CHAT = 555001

_SERVER = """
import asyncio, logging, sys
sys.path.insert(0, sys.argv[2])
from bot.app import build_app, run_app
from bot.config import TelegramWebhookConfig
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_telegram_e2e import config_for

async def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    async with FakeTelegramServer() as fake:
        hook = TelegramWebhookConfig(listen="127.0.0.1", port=0, url="https://bench.invalid/t",
                                     path="telegram", secret_token=sys.argv[1])
        app = build_app(config_for(fake, mode="webhook", webhook=hook))
        stop = asyncio.Event()
        task = asyncio.create_task(run_app(app, stop=stop, err=sys.stderr))
        await fake.wait_for(lambda: bool(fake.calls_to("setWebhook")))
        print(app.channels["telegram"].webhook_port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        print("answered", len(fake.sent_to(555001)), flush=True)
        stop.set()
        await task

asyncio.run(main())
"""


class Bot:
    """The bot in a child process with `ulimit -n 1024`; its stderr goes to a temporary file."""

    def __init__(self) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="faqbot-bench-", suffix=".log", delete=False)  # noqa: SIM115
        command = f"ulimit -n 1024; exec {sys.executable} -c '{_SERVER}' {SECRET} {ROOT}"
        self.proc = subprocess.Popen(
            ["bash", "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, text=True, encoding="utf-8", cwd=tempfile.mkdtemp(prefix="faqbot-bench-"),
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def status(self, key: str) -> int:
        """A /proc/<pid>/status figure in MB (VmRSS, VmHWM)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text("utf-8").splitlines():
            if line.startswith(key):
                return int(line.split()[1]) // 1024
        return -1

    def log_bytes(self) -> int:
        """Bytes the bot has logged so far."""
        self.log.flush()
        return os.path.getsize(self.log.name)

    def stop(self) -> str:
        """Stop the bot; its last line (how many replies the fake API received)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return "did not stop"
        return self.proc.stdout.read().strip()


def valid_update(port: int, update_id: int, timeout: float = 8.0) -> tuple[str, float]:
    """POST one genuine update; (status line or error, seconds)."""
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "A"}, "text": "xin chào",
        },
    }  # fmt: skip
    body = json.dumps(update).encode()
    head = (
        "POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(head.encode() + body)
            status = conn.recv(200).split(b"\r\n")[0].decode()
    except OSError as exc:
        status = type(exc).__name__
    return status, time.monotonic() - started


def oversize() -> None:
    bot = Bot()
    size, chunk = 90 * 1024 * 1024, b"x" * 1024 * 1024
    results: list[tuple[str, float]] = []

    def attack() -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", bot.port)) as conn:
            conn.sendall(
                b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {size}\r\n\r\n".encode()
            )
            try:
                for _ in range(size // len(chunk)):
                    conn.sendall(chunk)
            except OSError:
                pass  # the bot closed the connection: the rest is never sent
            conn.settimeout(30)
            try:
                status = conn.recv(100).split(b"\r\n")[0].decode()
            except OSError as exc:
                status = type(exc).__name__
        results.append((status, time.monotonic() - started))

    before = bot.status("VmRSS")
    threads = [threading.Thread(target=attack) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"oversize: RSS before {before} MB, peak {bot.status('VmHWM')} MB")
    for status, seconds in sorted(results, key=lambda r: r[1]):
        print(f"  {status!r} after {seconds:.2f} s")
    bot.stop()


def idle() -> None:
    bot = Bot()
    held = []
    started = time.monotonic()
    for _ in range(1100):
        with contextlib.suppress(OSError):
            held.append(socket.create_connection(("127.0.0.1", bot.port), timeout=2))
    print(f"idle: {len(held)} idle connections opened in {time.monotonic() - started:.2f} s")
    time.sleep(1)  # let the bot take them in
    status, seconds = valid_update(bot.port, 1)
    print(f"  valid update: {status!r} after {seconds * 1000:.1f} ms; log so far {bot.log_bytes()} bytes")
    for conn in held:
        conn.close()
    print(f"  bot: {bot.stop()}")


def sustained(duration: float = 5.0) -> None:
    bot = Bot()
    stop_at = time.monotonic() + duration
    opened = [0]

    def attacker() -> None:
        held: collections.deque[socket.socket] = collections.deque()
        while time.monotonic() < stop_at:
            try:
                held.append(socket.create_connection(("127.0.0.1", bot.port), timeout=2))
                opened[0] += 1
            except OSError:
                pass
            while len(held) > 250:
                held.popleft().close()
        for conn in held:
            conn.close()

    threads = [threading.Thread(target=attacker) for _ in range(4)]
    for t in threads:
        t.start()
    answers = []
    update_id = 0
    while time.monotonic() < stop_at - 0.3:
        update_id += 1
        answers.append(valid_update(bot.port, update_id, timeout=3))
        time.sleep(0.25)
    for t in threads:
        t.join()
    ok = sorted(s for status, s in answers if " 200 " in status + " ")
    print(f"sustained: {opened[0]} attacking connections in {duration:.0f} s")
    if ok:
        print(
            f"  valid updates answered: {len(ok)}/{len(answers)}, median {ok[len(ok) // 2] * 1000:.1f} ms,"
            f" worst {ok[-1] * 1000:.1f} ms; log {bot.log_bytes()} bytes"
        )
    else:
        print(f"  no valid update answered: {[status for status, _ in answers]}")
    print(f"  bot: {bot.stop()}")


def main(argv: list[str]) -> None:
    runs = {"oversize": oversize, "idle": idle, "sustained": sustained}
    for name in argv or list(runs):
        runs[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
