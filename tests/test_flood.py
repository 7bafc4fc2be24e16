"""FloodGate: above the limit, one notice, then silence until the window has passed."""

from __future__ import annotations

import threading

import pytest

from handlers.flood import FloodGate


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_notice_once_then_drop_then_recover() -> None:
    clock = Clock()
    gate = FloodGate(limit=3, window=60, clock=clock)
    verdicts = [gate.check("c") for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "notify", "drop", "drop"]
    clock.now += 59
    assert gate.check("c") == "drop"
    clock.now += 1
    assert [gate.check("c") for _ in range(4)] == ["ok", "ok", "ok", "notify"]


def test_sliding_window_allows_a_steady_pace() -> None:
    clock = Clock()
    gate = FloodGate(limit=20, window=60, clock=clock)
    verdicts = []
    for _ in range(200):  # one message every 3 s is exactly 20 a minute
        verdicts.append(gate.check("c"))
        clock.now += 3
    assert set(verdicts) == {"ok"}


def test_chats_are_independent() -> None:
    gate = FloodGate(limit=1, window=60, clock=Clock())
    assert gate.check("a") == "ok"
    assert gate.check("a") == "notify"
    assert gate.check("b") == "ok"


def test_bounded_number_of_chats() -> None:
    gate = FloodGate(limit=1, window=60, clock=Clock(), max_chats=10)
    for i in range(100):
        gate.check(str(i))
    assert len(gate) == 10


def test_rejects_zero_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        FloodGate(limit=0)


def test_thread_safe_count() -> None:
    gate = FloodGate(limit=50, window=60, clock=Clock())
    verdicts: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait(timeout=10)
        for _ in range(25):
            v = gate.check("shared")
            with lock:
                verdicts.append(v)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert verdicts.count("ok") == 50
    assert verdicts.count("notify") == 1
    assert verdicts.count("drop") == 200 - 51
