"""A fake Zalo Bot Platform API on 127.0.0.1 (protocol notes D1): /bot<TOKEN>/<method> plus test controls.

Parameters are read from JSON, form or query. getUpdates holds up to `timeout` seconds (or `hold`, to
keep tests fast) and answers one update, or error 408 when nothing came. Test-only controls:
POST /__fake/inbound {chat_id, text} queues a user message; GET /__fake/outbox lists what was sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.web

from tests.fakes.loopback import LoopbackFake

TOKEN = "12345689:abc-xyz"
BOT_ID = "1459232241454765289"


@dataclass
class FakeBotState:
    """What the fake remembers; tests read and steer it."""

    token: str = TOKEN
    webhook_url: str = ""
    hold: float | None = None
    """Seconds an empty getUpdates waits; None: the client's `timeout`, as the real server does."""
    updates: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    empty_polls: int = 0
    delivered: int = 0
    fail_next: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(HTTP status, body) answered by the next getUpdates/sendMessage calls instead of the normal."""


class FakeZaloBotApi(LoopbackFake):
    """`async with FakeZaloBotApi() as api:` serves on an ephemeral 127.0.0.1 port."""

    def __init__(self, *, token: str = TOKEN, hold: float | None = None) -> None:
        super().__init__()
        self.state = FakeBotState(token=token, hold=hold)
        self._ids = itertools.count(1)

    def routes(self) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
        """Bot API methods, plus the test-only controls under /__fake."""
        return [
            (r"/__fake/inbound", _InboundHandler, {"fake": self}),
            (r"/__fake/outbox", _OutboxHandler, {"fake": self}),
            (r"/bot([^/]+)/([A-Za-z]+)", _MethodHandler, {"fake": self}),
        ]

    async def wait_outbox(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until at least `count` messages were sent; returns them all."""
        await self.wait_for(lambda s: len(s.outbox) >= count, timeout)
        return list(self.state.outbox)

    def update(
        self,
        text: str = "",
        *,
        chat_id: str = "6ede9afa66b88fe6d6a9",
        event_name: str = "message.text.received",
        message_id: str | None = None,
        from_id: str | None = None,
    ) -> dict[str, Any]:
        """An update in the documented shape (A3)."""
        sender = from_id or chat_id
        message: dict[str, Any] = {
            "from": {"id": sender, "display_name": "Ted", "is_bot": sender == BOT_ID},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "message_id": message_id or f"{next(self._ids):020x}",
            "date": int(time.time() * 1000),
        }
        if event_name == "message.text.received":
            message["text"] = text
        elif event_name == "message.image.received":
            message["photo"] = "https://example.invalid/p.jpg"
        return {"event_name": event_name, "message": message}

    def queue(self, update: dict[str, Any]) -> None:
        """Deliver `update` on a coming getUpdates."""
        self.state.updates.put_nowait(update)

    async def push(
        self, url: str, update: dict[str, Any], *, secret: str | None, wrapped: bool = False
    ) -> httpx.Response:
        """POST an update to the bot's webhook like the platform does (secret None: no header)."""
        body = {"ok": True, "result": update} if wrapped else update
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await client.post(url, content=json.dumps(body).encode(), headers=headers)


def _params(handler: tornado.web.RequestHandler) -> dict[str, Any]:
    request = handler.request
    params: dict[str, Any] = {k: v[-1].decode() for k, v in request.query_arguments.items()}
    content_type = request.headers.get("Content-Type", "")
    if request.body and content_type.startswith("application/json"):
        body = json.loads(request.body)
        if isinstance(body, dict):
            params.update(body)
    elif request.body:
        form = urllib.parse.parse_qs(request.body.decode())
        params.update({k: v[-1] for k, v in form.items()})
    return params


class _Base(tornado.web.RequestHandler):
    def initialize(self, fake: FakeZaloBotApi) -> None:
        self.fake = fake

    def answer(self, body: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


class _MethodHandler(_Base):
    async def post(self, token: str, method: str) -> None:
        state = self.fake.state
        if token != state.token:
            self.answer(_error(401, "Unauthorized"))
            return
        params = _params(self)
        state.calls.append((method, params))
        try:
            await self._method(method, params)
        finally:
            await self.fake.notify()

    async def _method(self, method: str, params: dict[str, Any]) -> None:
        state = self.fake.state
        if method in ("getUpdates", "sendMessage") and state.fail_next:
            status, body = state.fail_next.pop(0)
            self.answer(body, status)
            return
        if method == "getMe":
            self.answer(
                {
                    "ok": True,
                    "result": {
                        "id": BOT_ID,
                        "account_name": "bot.test",
                        "account_type": "BASIC",
                        "can_join_groups": False,
                    },
                }
            )
        elif method == "getUpdates":
            await self._get_updates(params)
        elif method == "sendMessage":
            text = str(params.get("text", ""))
            if not text or len(text) > 2000 or not params.get("chat_id"):
                self.answer(_error(400, "Bad Request"))
                return
            state.outbox.append({"chat_id": str(params["chat_id"]), "text": text})
            self.answer(
                {
                    "ok": True,
                    "result": {
                        "message_id": f"{len(state.outbox):020x}",
                        "date": int(time.time() * 1000),
                    },
                }
            )
        elif method == "sendChatAction":
            state.actions.append(dict(params))
            self.answer({"ok": True})
        elif method == "setWebhook":
            secret = str(params.get("secret_token", ""))
            if not 8 <= len(secret) <= 256:
                self.answer(_error(400, "Bad Request"))
                return
            state.webhook_url = str(params.get("url", ""))
            self.answer({"ok": True, "result": {"url": state.webhook_url, "updated_at": 1}})
        elif method in ("deleteWebhook", "getWebhookInfo"):
            if method == "deleteWebhook":
                state.webhook_url = ""
            self.answer({"ok": True, "result": {"url": state.webhook_url, "updated_at": 1}})
        else:
            self.answer(_error(404, "Not Found"))

    async def _get_updates(self, params: dict[str, Any]) -> None:
        state = self.fake.state
        if state.webhook_url:
            self.answer(_error(400, "Webhook is set"))
            return
        hold = state.hold if state.hold is not None else float(params.get("timeout", 30))
        try:
            update = await asyncio.wait_for(state.updates.get(), hold)
        except TimeoutError:
            state.empty_polls += 1
            self.answer(_error(408, "Request timeout"))
            return
        state.delivered += 1
        self.answer({"ok": True, "result": update})


class _InboundHandler(_Base):
    async def post(self) -> None:
        params = _params(self)
        update = self.fake.update(str(params.get("text", "")), chat_id=str(params["chat_id"]))
        self.fake.queue(update)
        self.answer({"ok": True, "result": update})


class _OutboxHandler(_Base):
    async def get(self) -> None:
        self.answer({"ok": True, "result": self.fake.state.outbox})
