"""The state store contract, run on both implementations: MemoryStore and RedisStore on a real server.

Time passing is simulated the same way on both: the memory store's clock moves; in Redis every key's
remaining TTL is shortened by the same amount (PEXPIRE to what is left), so Redis's own expiry decides.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from bot.state import RedisStore
from handlers.dedup import SeenEvents
from handlers.store import MemoryStore, StateStore, StateStoreError

PREFIX = "test:"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Subject:
    """A store under test and a way to let `seconds` pass for it."""

    store: StateStore
    advance: Callable[[float], None]


def _redis_advance(store: RedisStore) -> Callable[[float], None]:
    client = store._client

    def advance(seconds: float) -> None:
        for key in client.scan_iter(match=PREFIX + "*"):
            left = client.pttl(key)
            if left >= 0:
                # PEXPIRE with 0 or less deletes the key, as its expiry would.
                client.pexpire(key, left - round(seconds * 1000))

    return advance


@pytest.fixture
def redis_store(redis_url: str) -> Iterator[RedisStore]:
    store = RedisStore.from_url(redis_url, prefix=PREFIX)
    store._client.flushdb()
    yield store
    store.close()


@pytest.fixture(params=["memory", "redis"])
def subject(request: pytest.FixtureRequest) -> Subject:
    if request.param == "memory":
        clock = Clock()

        def advance(seconds: float) -> None:
            clock.now += seconds

        return Subject(MemoryStore(clock=clock), advance)
    store = request.getfixturevalue("redis_store")
    return Subject(store, _redis_advance(store))


# -- the contract, on both stores ---------------------------------------------------------------


def test_absent_key_is_none(subject: Subject) -> None:
    assert subject.store.get("nothing") is None


def test_set_get_replace_delete(subject: Subject) -> None:
    s = subject.store
    s.set("k", "một", 60)
    assert s.get("k") == "một"
    s.set("k", "hai", 60)
    assert s.get("k") == "hai"
    s.delete("k")
    assert s.get("k") is None
    s.delete("k")  # absent: no error


def test_value_expires_after_its_ttl(subject: Subject) -> None:
    subject.store.set("k", "v", 10)
    subject.advance(9.9)
    assert subject.store.get("k") == "v"
    subject.advance(0.2)
    assert subject.store.get("k") is None


def test_set_again_restarts_the_ttl(subject: Subject) -> None:
    subject.store.set("k", "v1", 10)
    subject.advance(8)
    subject.store.set("k", "v2", 10)
    subject.advance(8)
    assert subject.store.get("k") == "v2"


def test_add_only_when_absent(subject: Subject) -> None:
    s = subject.store
    assert s.add("seen:1", "a", 30) is True
    assert s.add("seen:1", "b", 30) is False
    assert s.get("seen:1") == "a"
    subject.advance(31)
    assert s.add("seen:1", "c", 30) is True
    assert s.get("seen:1") == "c"


def test_counter_counts_and_expires_from_its_first_increment(subject: Subject) -> None:
    s = subject.store
    assert [s.incr("n", 10) for _ in range(3)] == [1, 2, 3]
    subject.advance(6)
    assert s.incr("n", 10) == 4  # a later increment does not move the expiry
    subject.advance(4.5)
    assert s.incr("n", 10) == 1
    assert s.get("n") == "1"


def test_counters_are_independent(subject: Subject) -> None:
    s = subject.store
    s.incr("a", 10)
    s.incr("a", 10)
    assert s.incr("b", 10) == 1


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("Đăng ký khai sinh — lệ phí 0 đ", id="vietnamese"),
        pytest.param(json.dumps({"s": [[1, "Tiếp ›", "s:ket-hon:2"]]}, ensure_ascii=False), id="json"),
        pytest.param("", id="empty"),
        pytest.param("x" * 10_000, id="long"),
    ],
)
def test_values_round_trip(subject: Subject, value: str) -> None:
    subject.store.set("k", value, 60)
    assert subject.store.get("k") == value


def test_add_is_atomic_across_threads(subject: Subject) -> None:
    won: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait(timeout=10)
        result = subject.store.add("event:42", "x", 60)
        with lock:
            won.append(result)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(won) == [False] * 7 + [True]


def test_counter_is_atomic_across_threads(subject: Subject) -> None:
    seen: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait(timeout=10)
        for _ in range(25):
            n = subject.store.incr("flood", 60)
            with lock:
                seen.append(n)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(seen) == list(range(1, 201))


# -- leases, on both stores ------------------------------------------------------------------------


def test_a_lease_has_one_holder_until_it_expires(subject: Subject) -> None:
    store = subject.store
    assert store.claim("lease", "a", 6) is True
    assert store.claim("lease", "b", 6) is False
    assert store.claim("lease", "a", 6) is False  # taking is not renewing
    subject.advance(6)
    assert store.claim("lease", "b", 6) is True
    assert store.get("lease") == "b"


def test_only_the_holder_extends(subject: Subject) -> None:
    store = subject.store
    store.claim("lease", "a", 6)
    subject.advance(5)
    assert store.extend("lease", "b", 6) is False
    assert store.extend("lease", "a", 6) is True
    subject.advance(5)  # 10 s after taking it, 5 s after renewing: still a's
    assert store.claim("lease", "b", 6) is False
    assert store.get("lease") == "a"
    subject.advance(1)
    assert store.extend("lease", "a", 6) is False  # expired: gone, not revived
    assert store.get("lease") is None


def test_only_the_holder_releases(subject: Subject) -> None:
    store = subject.store
    store.claim("lease", "a", 6)
    assert store.release("lease", "b") is False
    assert store.get("lease") == "a"
    assert store.release("lease", "a") is True
    assert store.release("lease", "a") is False
    assert store.claim("lease", "b", 6) is True


def test_a_lease_is_taken_by_one_of_many_racing_threads(subject: Subject) -> None:
    winners: list[str] = []
    lock = threading.Lock()

    def race(owner: str) -> None:
        if subject.store.claim("lease", owner, 60):
            with lock:
                winners.append(owner)

    threads = [threading.Thread(target=race, args=(f"p{i}",)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1
    assert subject.store.get("lease") == winners[0]


# -- Redis only -----------------------------------------------------------------------------------


def test_redis_ttl_is_redis_own(redis_store: RedisStore) -> None:
    """No sweep of ours: the key carries its expiry in Redis, and a counter is never left without one."""
    redis_store.set("k", "v", 10)
    redis_store.incr("n", 60)
    redis_store.add("seen", "1", 30)
    client = redis_store._client
    assert 9_000 < client.pttl(PREFIX + "k") <= 10_000
    assert 59_000 < client.pttl(PREFIX + "n") <= 60_000
    assert 29_000 < client.pttl(PREFIX + "seen") <= 30_000


def test_redis_key_expires_in_real_time(redis_store: RedisStore) -> None:
    redis_store.set("k", "v", 0.001)
    # Waits on the event itself (the key gone), bounded; Redis expires on access past the TTL.
    client = redis_store._client
    assert client.pttl(PREFIX + "k") <= 1
    for _ in range(100_000):
        if redis_store.get("k") is None:
            break
    assert redis_store.get("k") is None


def test_redis_keys_carry_the_prefix(redis_store: RedisStore) -> None:
    redis_store.set("ctx:telegram:1:entry", "khai-sinh", 60)
    assert redis_store._client.get(PREFIX + "ctx:telegram:1:entry") == "khai-sinh"


# -- the memory store alone -----------------------------------------------------------------------


def test_memory_store_is_bounded_least_recently_written_first() -> None:
    store = MemoryStore(max_keys=3)
    for key in "abcd":
        store.set(key, key, 60)
    assert [store.get(k) for k in "abcd"] == [None, "b", "c", "d"]
    store.set("b", "b2", 60)  # written again: now the newest
    store.set("e", "e", 60)
    assert [store.get(k) for k in "bcde"] == ["b2", None, "d", "e"]


@pytest.mark.parametrize(
    ("ops", "expected_len"),
    [
        pytest.param([("set", "a", 10), ("set", "b", 10)], 2, id="two-live"),
        pytest.param([("set", "a", 10), ("set", "a", 10)], 1, id="same-key"),
        pytest.param([("set", "a", 1), ("set", "b", 10)], 1, id="one-expired"),
        pytest.param([("incr", "a", 10), ("incr", "a", 10), ("add", "b", 1)], 1, id="counter-add"),
    ],
)
def test_memory_store_len_counts_live_keys(ops: list[tuple[str, str, float]], expected_len: int) -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    for op, key, ttl in ops:
        if op == "incr":
            store.incr(key, ttl)
        else:
            getattr(store, op)(key, "v", ttl)
    clock.now += 5
    assert len(store) == expected_len


def test_memory_store_expiry_is_exact_at_the_boundary() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.set("k", "v", 10)
    clock.now += 9.999
    assert store.get("k") == "v"
    clock.now += 0.001
    assert store.get("k") is None


def test_memory_store_rejects_zero_size() -> None:
    with pytest.raises(ValueError, match="max_keys"):
        MemoryStore(max_keys=0)


# -- de-duplication on the store ------------------------------------------------------------------


def test_seen_events_once_per_channel_until_the_ttl(subject: Subject) -> None:
    seen = SeenEvents(subject.store, ttl=3600)
    assert seen.first_time("zalo_oa", "msg:1") is True
    assert seen.first_time("zalo_oa", "msg:1") is False
    assert seen.first_time("zalo_bot", "msg:1") is True  # another channel's id space
    subject.advance(3601)
    assert seen.first_time("zalo_oa", "msg:1") is True


def test_seen_events_fail_open_when_the_store_is_down() -> None:
    class Down(MemoryStore):
        def add(self, key: str, value: str, ttl: float) -> bool:
            raise StateStoreError("down")

    seen = SeenEvents(Down())
    assert seen.first_time("zalo_oa", "msg:1") is True
    assert seen.first_time("zalo_oa", "msg:1") is True
