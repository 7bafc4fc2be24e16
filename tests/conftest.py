"""Shared test setup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def _vector_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: the shipped FAQ's passage vectors are embedded once."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _isolated_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _vector_cache_home: Path
) -> Iterator[None]:
    """Relative paths of the default config (var/faqbot.sqlite3...) land in the test's own folder,
    and the vector cache never in the real user's home."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_vector_cache_home))
    yield


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a real redis-server started for this test run; the test skips if it cannot start."""
    from tests.redis_server import start_redis

    try:
        server = start_redis(tmp_path_factory.mktemp("redis"))
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"no redis-server for the Redis tests: {exc}")
    try:
        yield server.url
    finally:
        server.stop()
