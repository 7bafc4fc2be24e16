"""bot.lease: one holder at a time, renewed only by it, taken over when it stops renewing."""

from __future__ import annotations

import pytest

from bot.lease import Lease
from handlers.store import MemoryStore, StateStoreError


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def pair(clock: Clock, store: MemoryStore | None = None) -> tuple[Lease, Lease]:
    store = store if store is not None else MemoryStore(clock=clock)
    return (
        Lease(store, "poll", owner="a", ttl=6, clock=clock),
        Lease(store, "poll", owner="b", ttl=6, clock=clock),
    )


def test_one_holder_and_renewal_keeps_it(clock: Clock) -> None:
    a, b = pair(clock)
    assert a.try_acquire() and a.held
    assert not b.try_acquire() and not b.held
    for _ in range(5):
        clock.now += 2  # a third of the TTL, as the poller's heartbeat does
        assert a.renew()
        assert not b.try_acquire()
    assert a.held


def test_a_holder_that_stops_renewing_is_taken_over_and_knows_it(clock: Clock) -> None:
    a, b = pair(clock)
    a.try_acquire()
    clock.now += 6
    assert not a.held  # its own clock says the lease ran out: it stops polling
    assert b.try_acquire()
    assert not a.renew()
    assert not a.held and b.held


def test_a_clean_stop_hands_over_at_once(clock: Clock) -> None:
    a, b = pair(clock)
    a.try_acquire()
    a.release()
    assert not a.held
    assert b.try_acquire()


def test_taking_it_again_while_held_renews(clock: Clock) -> None:
    a, _ = pair(clock)
    a.try_acquire()
    clock.now += 5
    assert a.try_acquire()
    clock.now += 5
    assert a.held


class Flaky(MemoryStore):
    down = False

    def extend(self, key: str, owner: str, ttl: float) -> bool:
        if self.down:
            raise StateStoreError("down")
        return super().extend(key, owner, ttl)


@pytest.mark.parametrize(
    ("outage", "still_held"),
    [
        pytest.param(2.0, True, id="short-outage-keeps-the-proven-lease"),
        pytest.param(6.0, False, id="outage-past-the-ttl-loses-it"),
    ],
)
def test_an_unreachable_store_keeps_the_lease_only_until_its_proven_expiry(
    clock: Clock, outage: float, still_held: bool
) -> None:
    store = Flaky(clock=clock)
    a, _ = pair(clock, store)
    a.try_acquire()
    store.down = True
    clock.now += outage
    assert a.renew() is still_held
    assert a.held is still_held
