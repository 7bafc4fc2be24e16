"""The Zalo OA token pair shared by several processes (issue 15 item 1): two OATokens, each on its own
client to one real redis-server (or one MemoryStore), against the fake OAuth server. Exactly one
refresh call is made; the other instance uses the new pair; a refresh token is never sent twice."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bot.channels.zalo_tokens import OATokens, TokenError, TokenPair
from bot.state import RedisStore
from handlers.store import MemoryStore, StateStore
from tests.fakes.zalo_oa_api import FakeZaloOA

NOW = 1_750_000_000.0
PREFIX = "tokens-test:"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA() as fake:
        yield fake


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as c:
        yield c


StoreFactory = Callable[[], StateStore]


@pytest.fixture(params=["memory", "redis"])
def stores(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """A factory of stores that share their data: one MemoryStore, or clients of one redis-server."""
    if request.param == "memory":
        shared = MemoryStore()
        yield lambda: shared
        return
    url = request.getfixturevalue("redis_url")
    opened: list[RedisStore] = []

    def make() -> StateStore:
        store = RedisStore.from_url(url, prefix=PREFIX)
        opened.append(store)
        return store

    first = RedisStore.from_url(url, prefix=PREFIX)
    first._client.flushdb()
    first.close()
    yield make
    for store in opened:
        store.close()


def process(
    oa: FakeZaloOA,
    client: httpx.AsyncClient,
    store: StateStore,
    path: Path,
    clock: Clock,
    oauth_base: str | None = None,
) -> OATokens:
    """What one bot process builds: the config's pair (AT1/RT1, age unknown), its own token file."""
    return OATokens(
        app_id=oa.state.app_id,
        app_secret=oa.state.app_secret,
        oauth_base=oauth_base or oa.base_url,
        token_file=path,
        initial=TokenPair("AT1", "RT1"),
        client=client,
        clock=clock,
        store=store,
    )


async def test_two_processes_racing_make_one_refresh_call(
    oa: FakeZaloOA, client: httpx.AsyncClient, stores: StoreFactory, tmp_path: Path
) -> None:
    clock = Clock()
    a = process(oa, client, stores(), tmp_path / "a.json", clock)
    b = process(oa, client, stores(), tmp_path / "b.json", clock)
    assert a.needs_refresh() and b.needs_refresh()

    tokens = await asyncio.gather(a.access_token(), b.access_token(), a.refresh("AT1"), b.refresh("AT1"))

    assert tokens == ["AT2"] * 4
    assert len(oa.state.refresh_requests) == 1
    assert a.refreshes + b.refreshes == 1
    assert a.pair == b.pair
    assert a.pair.refresh_token == "RT2"


async def test_the_other_process_uses_each_new_pair_without_refreshing(
    oa: FakeZaloOA, client: httpx.AsyncClient, stores: StoreFactory, tmp_path: Path
) -> None:
    clock = Clock()
    a = process(oa, client, stores(), tmp_path / "a.json", clock)
    b = process(oa, client, stores(), tmp_path / "b.json", clock)
    assert await a.refresh() == "AT2"
    assert await b.access_token() == "AT2"
    # The access token is refused on B's next send (Zalo -216): B asks to renew "AT2"; A already did.
    assert await a.refresh("AT2") == "AT3"
    assert await b.refresh("AT2") == "AT3"
    clock.now += 90000  # both pairs about to expire: each process wakes to renew it
    assert await asyncio.gather(a.refresh("AT3"), b.refresh("AT3")) == ["AT4", "AT4"]
    assert oa.state.used_refresh_tokens == ["RT1", "RT2", "RT3"]
    assert b.refreshes == 0 or a.refreshes == 2


async def test_a_refresh_token_spent_by_a_process_that_died_is_not_sent_again(
    oa: FakeZaloOA, client: httpx.AsyncClient, stores: StoreFactory, tmp_path: Path
) -> None:
    # A process sent RT1 and died before it could share the new pair: RT1 is dead at Zalo. Sending it
    # again would only be refused; staff must authorise again, and are told so.
    shared = stores()
    dead = process(oa, client, shared, tmp_path / "dead.json", Clock())
    dead.sync()
    shared.add(f"zalo_oa:spent:{_fingerprint('RT1')}", "dead", 3600)
    b = process(oa, client, stores(), tmp_path / "b.json", Clock())
    with pytest.raises(TokenError) as caught:
        await b.refresh()
    assert caught.value.permanent
    assert "cấp quyền lại" in str(caught.value)
    assert oa.state.refresh_requests == []


async def test_an_oauth_outage_leaves_the_refresh_token_usable(
    oa: FakeZaloOA, client: httpx.AsyncClient, stores: StoreFactory, tmp_path: Path
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead_base = f"http://127.0.0.1:{s.getsockname()[1]}"
    a = process(oa, client, stores(), tmp_path / "a.json", Clock(), oauth_base=dead_base)
    with pytest.raises(TokenError) as caught:
        await a.refresh()
    assert not caught.value.permanent
    b = process(oa, client, stores(), tmp_path / "b.json", Clock())
    assert await b.refresh() == "AT2"
    assert oa.state.used_refresh_tokens == ["RT1"]


async def test_new_pair_in_one_processs_config_reaches_the_others(
    oa: FakeZaloOA, client: httpx.AsyncClient, stores: StoreFactory, tmp_path: Path
) -> None:
    clock = Clock()
    a = process(oa, client, stores(), tmp_path / "a.json", clock)
    await a.refresh()  # AT2/RT2 shared
    # Staff authorised again (the fake issues AT9/RT9) and restarted one process with the new pair.
    oa.state.access_token, oa.state.refresh_token = "AT9", "RT9"
    restarted = OATokens(
        app_id=oa.state.app_id,
        app_secret=oa.state.app_secret,
        oauth_base=oa.base_url,
        token_file=tmp_path / "b.json",
        initial=TokenPair("AT9", "RT9"),
        client=client,
        clock=clock,
        store=stores(),
    )
    restarted.sync()
    assert restarted.pair.access_token == "AT9"
    a.sync()
    assert a.pair.refresh_token == "RT9"  # the new authorisation, not its own dead RT2
    # A pair typed into the config is of unknown age: renewed once, by one of the two.
    assert await asyncio.gather(a.access_token(), restarted.access_token()) == ["AT3", "AT3"]
    assert oa.state.used_refresh_tokens == ["RT1", "RT9"]


def _fingerprint(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]
