"""Webhook mode: PTB's own server checks the secret token; updates with the right one are answered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import App, build_app
from bot.channels.telegram import TelegramChannel
from bot.config import TelegramWebhookConfig
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_telegram_e2e import CHAT, QUESTION, config_for, running

SECRET = "s3cret-Token_for_tests"
PUBLIC_URL = "https://bot.example.invalid/telegram"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def webhook_bot(fake: FakeTelegramServer) -> AsyncIterator[tuple[App, str]]:
    hook = TelegramWebhookConfig(
        listen="127.0.0.1", port=0, url=PUBLIC_URL, path="telegram", secret_token=SECRET
    )
    app = build_app(config_for(fake, mode="webhook", webhook=hook))
    async with running(app, fake, ready="setWebhook"):
        channel = app.channels["telegram"]
        assert isinstance(channel, TelegramChannel) and channel.webhook_port
        yield app, f"http://127.0.0.1:{channel.webhook_port}/telegram"


async def post(url: str, body: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient() as client:
        response = await client.post(url, content=json.dumps(body), headers=headers)
    return response.status_code


async def test_start_registers_the_webhook(
    fake: FakeTelegramServer, webhook_bot: tuple[App, str]
) -> None:
    assert fake.webhook_url == PUBLIC_URL
    assert fake.webhook_secret == SECRET
    assert not fake.calls_to("getUpdates")


async def test_right_secret_is_answered(
    fake: FakeTelegramServer, webhook_bot: tuple[App, str]
) -> None:
    _, url = webhook_bot
    update = {"update_id": 1, **fake.text_update(CHAT, QUESTION)}
    assert await post(url, update, SECRET) == 200
    (out,) = await fake.wait_sent(CHAT, 1)
    assert out.text.startswith("Đăng ký khai sinh")


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param("wrong-secret", id="wrong"),
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param(SECRET + "x", id="longer"),
    ],
)
async def test_wrong_or_missing_secret_is_rejected(
    fake: FakeTelegramServer, webhook_bot: tuple[App, str], secret: str | None
) -> None:
    _, url = webhook_bot
    rejected = {"update_id": 1, **fake.text_update(CHAT, "/start")}
    assert await post(url, rejected, secret) == 403
    # Answering a later, genuine update shows the rejected one was never queued.
    genuine = {"update_id": 2, **fake.text_update(CHAT, QUESTION)}
    assert await post(url, genuine, SECRET) == 200
    (out,) = await fake.wait_sent(CHAT, 1)
    assert out.text.startswith("Đăng ký khai sinh")
