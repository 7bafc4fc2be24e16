"""State store cost per message: the Zalo Bot message path on a MemoryStore and on a real Redis.

Run: .venv/bin/python bench/bench_state.py [--redis-url redis://127.0.0.1:6379/0] [--rounds 300]

Without --redis-url a redis-server is started on a free loopback port (as the tests do). Each round is
one short conversation on its own chat — a question, a facet follow-up, a number typed under the
options shown — and every message goes the way a Zalo Bot message goes: flood check, options read,
Conversation.handle, options numbered and remembered. Reported: store calls per message, the raw
round trip of one GET, and the time per message on each store (the difference is what Redis costs).
Lexical matching only, so that the matcher's time stays small beside the store's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.state import RedisStore  # noqa: E402
from faq.decision import MatchSettings  # noqa: E402
from faq.knowledge import StaticKnowledge, load_knowledge  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402
from handlers.flood import FloodGate  # noqa: E402
from handlers.messages import Incoming, InKind  # noqa: E402
from handlers.options import OptionMemory  # noqa: E402
from handlers.store import MemoryStore, StateStore  # noqa: E402

SCRIPT = ("làm giấy khai sinh cho con cần những gì", "còn lệ phí thì sao", "2")


class Counting:
    """A StateStore that counts the calls it passes on."""

    def __init__(self, inner: StateStore) -> None:
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self.inner, name)

        def counted(*args: Any) -> Any:
            self.calls += 1
            return fn(*args)

        return counted


def run(store: StateStore, knowledge: StaticKnowledge, rounds: int, tag: str) -> tuple[list[float], int]:
    """Per-message seconds and the store calls made, over `rounds` conversations."""
    counting = Counting(store)
    s: Any = counting
    conversation = Conversation(knowledge, store=s)
    flood, options = FloodGate(store=s), OptionMemory(store=s)
    times: list[float] = []
    for r in range(rounds):
        chat = f"{tag}-{r}"
        key = f"zalo_bot:{chat}"
        for text in SCRIPT:
            started = time.perf_counter()
            flood.check(key)
            payload, numbers = options.read(key, text)
            if payload is not None:
                msg = Incoming("zalo_bot", chat, chat, InKind.BUTTON, payload)
            else:
                msg = Incoming("zalo_bot", chat, chat, InKind.TEXT, text, options=numbers)
            reply = conversation.handle(msg)
            options.remember(key, options.number(key, reply))
            times.append(time.perf_counter() - started)
    return times, counting.calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    server = None
    url = args.redis_url
    if not url:
        from tests.redis_server import start_redis

        server = start_redis(Path(tempfile.mkdtemp(prefix="bench-redis-")))
        url = server.url
    try:
        faq = ROOT / "tests" / "data" / "mini_faq.yaml"
        knowledge = StaticKnowledge(load_knowledge(faq, MatchSettings()))
        redis_store = RedisStore.from_url(url, prefix="bench:")
        pings = []
        for _ in range(2000):
            started = time.perf_counter()
            redis_store.get("nothing")
            pings.append(time.perf_counter() - started)
        run(MemoryStore(), knowledge, 20, "warm-m")
        run(redis_store, knowledge, 20, "warm-r")
        mem, mem_calls = run(MemoryStore(), knowledge, args.rounds, "m")
        red, red_calls = run(redis_store, knowledge, args.rounds, "r")
        messages = len(mem)
        print(f"messages per store: {messages} ({args.rounds} conversations of {len(SCRIPT)})")
        print(
            f"store calls per message: {mem_calls / messages:.2f} (memory), "
            f"{red_calls / messages:.2f} (redis)"
        )
        print(
            f"one Redis GET round trip: p50 {statistics.median(pings) * 1e3:.3f} ms, "
            f"p99 {statistics.quantiles(pings, n=100)[98] * 1e3:.3f} ms"
        )
        for name, times in (("memory", mem), ("redis", red)):
            print(
                f"{name:>6}: per message p50 {statistics.median(times) * 1e3:.3f} ms, "
                f"mean {statistics.fmean(times) * 1e3:.3f} ms"
            )
        delta = statistics.fmean(red) - statistics.fmean(mem)
        print(f"Redis costs {delta * 1e3:.3f} ms per message (mean difference)")
        redis_store._client.flushdb()
        redis_store.close()
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
