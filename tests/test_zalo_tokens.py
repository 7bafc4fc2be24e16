"""OA token store against the fake OAuth server: rotation, persistence, restart, one refresh at once."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.zalo_tokens import OATokens, TokenError, TokenPair, write_private_atomically
from tests.fakes.zalo_oa_api import FakeZaloOA

NOW = 1_750_000_000.0


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


def make_store(
    oa: FakeZaloOA,
    client: httpx.AsyncClient,
    path: Path,
    clock: Clock,
    initial: TokenPair | None = None,
) -> OATokens:
    return OATokens(
        app_id=oa.state.app_id,
        app_secret=oa.state.app_secret,
        oauth_base=oa.base_url,
        token_file=path,
        initial=initial or TokenPair("AT1", "RT1"),
        client=client,
        clock=clock,
    )


async def test_refresh_rotates_the_pair_and_persists_it_private(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    path = tmp_path / "var" / "tokens.json"
    store = make_store(oa, client, path, Clock())

    assert await store.refresh() == "AT2"

    assert oa.state.refresh_requests == [
        {"refresh_token": "RT1", "app_id": oa.state.app_id, "grant_type": "refresh_token"}
    ]
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (saved["access_token"], saved["refresh_token"]) == ("AT2", "RT2")
    assert saved["expires_at"] == NOW + 90000
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["tokens.json"]


async def test_a_restart_reuses_the_saved_pair_not_the_dead_config_one(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    path = tmp_path / "tokens.json"
    await make_store(oa, client, path, Clock()).refresh()

    restarted = make_store(oa, client, path, Clock())  # the config still says AT1/RT1
    assert restarted.load() is True
    assert restarted.pair.access_token == "AT2"
    assert await restarted.refresh() == "AT3"
    assert oa.state.used_refresh_tokens == ["RT1", "RT2"]


async def test_a_new_pair_in_the_config_wins_over_an_older_file(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    path = tmp_path / "tokens.json"
    await make_store(oa, client, path, Clock()).refresh()  # file grew from RT1

    reauthorised = make_store(oa, client, path, Clock(), TokenPair("ATX", "RTX"))
    assert reauthorised.load() is False
    assert reauthorised.pair.access_token == "ATX"


async def test_concurrent_refreshes_spend_the_refresh_token_once(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    store = make_store(oa, client, tmp_path / "t.json", Clock())

    tokens = await asyncio.gather(*(store.refresh("AT1") for _ in range(5)))

    assert tokens == ["AT2"] * 5
    assert len(oa.state.refresh_requests) == 1


@pytest.mark.parametrize(
    ("expires_at", "refreshed"),
    [
        pytest.param(NOW + 90000, False, id="fresh-token-kept"),
        pytest.param(NOW + 60, True, id="about-to-expire-renewed"),
        pytest.param(None, True, id="unknown-age-renewed"),
    ],
)
async def test_access_token_renews_before_expiry(
    oa: FakeZaloOA,
    client: httpx.AsyncClient,
    tmp_path: Path,
    expires_at: float | None,
    refreshed: bool,
) -> None:
    store = make_store(oa, client, tmp_path / "t.json", Clock(), TokenPair("AT1", "RT1", expires_at))

    token = await store.access_token()

    assert token == ("AT2" if refreshed else "AT1")
    assert len(oa.state.refresh_requests) == (1 if refreshed else 0)


async def test_a_rejected_refresh_token_tells_staff_to_reauthorise(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    store = make_store(oa, client, tmp_path / "t.json", Clock(), TokenPair("AT0", "RT-dead"))

    with pytest.raises(TokenError) as caught:
        await store.refresh()

    assert caught.value.permanent
    assert "cấp quyền lại" in str(caught.value)
    assert "-14014" in str(caught.value)
    assert not (tmp_path / "t.json").exists()


async def test_an_unreachable_oauth_server_is_a_temporary_error(tmp_path: Path) -> None:
    async with FakeZaloOA() as oa:
        base = oa.base_url
    async with httpx.AsyncClient(timeout=2.0) as client:
        store = OATokens(
            app_id="a",
            app_secret="s",
            oauth_base=base,
            token_file=tmp_path / "t.json",
            initial=TokenPair("AT1", "RT1"),
            client=client,
        )
        with pytest.raises(TokenError) as caught:
            await store.refresh()
    assert not caught.value.permanent


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("{not json", id="not-json"),
        pytest.param('{"access_token": "A"}', id="no-refresh-token"),
        pytest.param('["A", "R"]', id="not-an-object"),
    ],
)
async def test_a_damaged_token_file_is_reported(
    client: httpx.AsyncClient, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(content, encoding="utf-8")
    store = OATokens(
        app_id="a",
        app_secret="s",
        oauth_base="http://127.0.0.1:9",
        token_file=path,
        initial=TokenPair("AT1", "RT1"),
        client=client,
    )
    with pytest.raises(TokenError, match="xóa tệp"):
        store.load()


class Stop(Exception):
    pass


async def test_keep_fresh_renews_then_sleeps_until_shortly_before_expiry(
    oa: FakeZaloOA, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    store = make_store(oa, client, tmp_path / "t.json", Clock(), TokenPair("AT1", "RT1", None))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise Stop

    with pytest.raises(Stop):
        await store.keep_fresh(sleep)

    assert store.pair.access_token == "AT2"
    assert waits == [90000 - 1800]


def test_atomic_write_replaces_and_keeps_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)

    write_private_atomically(path, b"new")

    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]
