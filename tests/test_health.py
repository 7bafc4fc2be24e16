"""GET /healthz over real HTTP: on its own listener (polling mode) and on the webhook server, 200 while
the worker can serve and 503 once its Redis is gone (a real redis-server, stopped by the test)."""

from __future__ import annotations

import dataclasses
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import build_app
from bot.channels.telegram import TelegramChannel
from bot.config import AppConfig, HealthConfig, SemanticConfig, StateConfig, TelegramWebhookConfig
from bot.health import Health, HealthServer
from bot.state import RedisStore
from bot.storage import InteractionLog
from faq.knowledge import Knowledge
from handlers.store import MemoryStore
from tests.fakes.exchanges import mini_knowledge
from tests.fakes.telegram_api import FakeTelegramServer
from tests.redis_server import start_redis
from tests.test_telegram_e2e import config_for, running

SECRET = "health-webhook-secret"


class Broken:
    """A knowledge source whose FAQ never loaded."""

    def current(self) -> Knowledge:
        raise RuntimeError("no FAQ")


def dead_redis() -> RedisStore:
    with socket.socket() as s:  # a port nobody listens on: what a stopped Redis looks like
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return RedisStore.from_url(f"redis://127.0.0.1:{port}/0")


@pytest.mark.parametrize(
    ("knowledge", "store", "status", "problems"),
    [
        pytest.param(mini_knowledge(), MemoryStore(), 200, [], id="memory-state"),
        pytest.param(mini_knowledge(), dead_redis(), 503, ["state store unreachable"], id="redis-gone"),
        pytest.param(Broken(), MemoryStore(), 503, ["faq not loaded"], id="no-faq"),
    ],
)
async def test_the_worker_is_unavailable_only_when_it_cannot_answer(
    knowledge: object, store: object, status: int, problems: list[str]
) -> None:
    code, body = await Health(knowledge, store).check()  # type: ignore[arg-type]
    assert (code, body["status"] == "ok", body["problems"]) == (status, status == 200, problems)


async def test_the_report_names_the_faq_the_store_and_the_log_backlog(redis_url: str, tmp_path: Path) -> None:
    store = RedisStore.from_url(redis_url)
    interactions = InteractionLog(tmp_path / "log.sqlite3", salt="s")
    try:
        code, body = await Health(mini_knowledge(), store, interactions.health).check()
        _, again = await Health(mini_knowledge(), MemoryStore()).check()
    finally:
        interactions.close()
        store.close()
    assert code == 200
    assert body["faq"]["loaded"] and body["faq"]["entries"] == 13 and body["faq"]["semantic"] is False
    assert body["faq"]["fingerprint"] == again["faq"]["fingerprint"], "same FAQ, same fingerprint"
    assert body["state"]["backend"] == "shared" and body["state"]["reachable"]
    assert body["log"] == {
        "enabled": True,
        "writer_alive": True,
        "queued": 0,
        "written": 0,
        "dropped": 0,
        "failed": 0,
    }
    assert again["log"] == {"enabled": False} and again["state"] == {"backend": "memory", "reachable": True}


@pytest.fixture
async def listener() -> AsyncIterator[str]:
    server = HealthServer("127.0.0.1", 0, Health(mini_knowledge(), MemoryStore()))
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}/healthz"
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("method", "status"),
    [
        pytest.param("GET", 200, id="get"),
        pytest.param("HEAD", 200, id="head"),
        pytest.param("POST", 405, id="post-refused"),
    ],
)
async def test_the_listener_answers_get_and_head_only(
    listener: str, method: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.request(method, listener)
    assert response.status_code == status
    # A wrong method is the caller's mistake, not a failing check: nothing an operator must act on.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == "bot.health"]
    if method == "GET":
        assert response.json()["status"] == "ok"
        assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_polling_worker_on_redis_turns_503_when_redis_stops(
    fake: FakeTelegramServer, tmp_path: Path
) -> None:
    redis = start_redis(tmp_path)
    port = free_port()
    config = dataclasses.replace(
        config_for(fake),
        semantic=SemanticConfig(backend="none"),
        state=StateConfig(backend="redis", redis_url=redis.url),
        health=HealthConfig(listen="127.0.0.1", port=port),
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        async with running(build_app(config), fake), httpx.AsyncClient() as client:
            up = await client.get(url)
            redis.stop()
            down = await client.get(url)
    finally:
        redis.stop()
    assert up.status_code == 200 and up.json()["state"]["reachable"] is True
    assert down.status_code == 503 and down.json()["problems"] == ["state store unreachable"]


async def test_webhook_worker_answers_health_on_its_webhook_port(fake: FakeTelegramServer) -> None:
    hook = TelegramWebhookConfig(
        listen="127.0.0.1", port=0, url="https://bot.example.invalid/telegram", secret_token=SECRET
    )
    config: AppConfig = config_for(fake, mode="webhook", webhook=hook)
    app = build_app(config)
    async with running(app, fake, ready="setWebhook"), httpx.AsyncClient() as client:
        channel = app.channels["telegram"]
        assert isinstance(channel, TelegramChannel) and channel.webhook_port
        base = f"http://127.0.0.1:{channel.webhook_port}"
        health = await client.get(f"{base}/healthz")
        webhook_without_secret = await client.post(f"{base}/telegram", content=b"{}")
        other = await client.get(f"{base}/elsewhere")
    assert health.status_code == 200 and health.json()["faq"]["loaded"] is True
    assert webhook_without_secret.status_code == 403
    assert other.status_code == 404
