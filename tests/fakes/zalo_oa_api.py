"""A fake Zalo OA Open API + OAuth server on 127.0.0.1, speaking the wire format of the protocol notes.

Endpoints (D2): POST /v4/oa/access_token (rotates single-use refresh tokens) and
POST /v3.0/oa/message/cs (checks the access_token header). It also pushes signed webhook events.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.web

from tests.fakes.loopback import LoopbackFake


def zalo_signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The X-ZEvent-Signature value: `mac=` + sha256(app_id + body + timestamp + OA secret key)."""
    digest = hashlib.sha256(app_id.encode() + body + timestamp.encode() + oa_secret_key.encode()).hexdigest()
    return "mac=" + digest


@dataclass
class SentMessage:
    """One consultation message the bot sent."""

    access_token: str
    recipient: dict[str, str]
    message: dict[str, Any]

    @property
    def text(self) -> str:
        """The message text."""
        return str(self.message.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Quick-reply buttons in either documented template shape."""
        payload = self.message.get("attachment", {}).get("payload", {})
        return list(payload.get("buttons", []))


@dataclass
class FakeOAState:
    """Everything the fake remembers; tests read and steer it."""

    app_id: str
    app_secret: str
    access_token: str
    refresh_token: str
    expires_in: str = "90000"
    generation: int = 1
    used_refresh_tokens: list[str] = field(default_factory=list)
    refresh_requests: list[dict[str, str]] = field(default_factory=list)
    outbox: list[SentMessage] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    """Error codes the next cs calls answer with (e.g. [-216] once)."""
    gate: asyncio.Event | None = None
    """When set to an Event, cs calls wait for it before answering (a slow API)."""
    cs_waiting: int = 0


class FakeZaloOA(LoopbackFake):
    """The fake server; `async with FakeZaloOA() as oa:` starts it on an ephemeral port."""

    def __init__(
        self,
        *,
        app_id: str = "2553928453557884079",
        app_secret: str = "app-secret-key",
        oa_secret_key: str = "oa-secret-key",
        access_token: str = "AT1",
        refresh_token: str = "RT1",
    ) -> None:
        super().__init__()
        self.oa_secret_key = oa_secret_key
        self.state = FakeOAState(app_id, app_secret, access_token, refresh_token)

    def routes(self) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
        """The OAuth token endpoint and the consultation-message endpoint (one fake serves both bases)."""
        return [
            (r"/v4/oa/access_token", _TokenHandler, {"fake": self}),
            (r"/v3.0/oa/message/cs", _CsHandler, {"fake": self}),
        ]

    async def wait_outbox(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Wait until at least `count` messages were sent; returns them all."""
        await self.wait_for(lambda s: len(s.outbox) >= count, timeout)
        return list(self.state.outbox)

    def event(
        self,
        event_name: str = "user_send_text",
        *,
        text: str = "",
        user_id: str = "6142494823000000000",
        msg_id: str = "",
        timestamp_ms: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """An event body in the documented shape (B2)."""
        ts = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        body: dict[str, Any] = {"app_id": self.state.app_id, "event_name": event_name, "timestamp": ts}
        if event_name in ("follow", "unfollow"):
            body.update(
                oa_id="3662729599332560487", follower={"id": user_id}, user_id_by_app="979122185046046317"
            )
        else:
            body.update(
                user_id_by_app="979122185046046317",
                sender={"id": user_id},
                recipient={"id": "3662729599332560487"},
                message={"text": text, "msg_id": msg_id or f"msg-{time.monotonic_ns()}"},
            )
            if event_name != "user_send_text":
                body["message"] = {
                    "msg_id": body["message"]["msg_id"],
                    "attachments": [
                        {
                            "type": event_name.removeprefix("user_send_"),
                            "payload": {"url": "https://example.invalid/x"},
                        }
                    ],
                }
        body.update(extra)
        return body

    async def push(
        self,
        url: str,
        event: dict[str, Any],
        *,
        signature: str | None = "auto",
        secret: str | None = None,
    ) -> httpx.Response:
        """POST an event to the bot's webhook like Zalo does; signature None sends no header."""
        raw = json.dumps(event, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            signature = zalo_signature(
                str(event.get("app_id", "")),
                raw,
                str(event.get("timestamp", "")),
                secret if secret is not None else self.oa_secret_key,
            )
        if signature is not None:
            headers["X-ZEvent-Signature"] = signature
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await client.post(url, content=raw, headers=headers)


class _Base(tornado.web.RequestHandler):
    def initialize(self, fake: FakeZaloOA) -> None:
        self.fake = fake

    def reply(self, body: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class _TokenHandler(_Base):
    async def post(self) -> None:
        state = self.fake.state
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(self.request.body.decode()).items()}
        state.refresh_requests.append(form)
        if self.request.headers.get("secret_key") != state.app_secret:
            self.reply({"error": -14002, "message": "Invalid secret key"})
        elif form.get("app_id") != state.app_id or form.get("grant_type") != "refresh_token":
            self.reply({"error": -14003, "message": "Invalid parameter"})
        elif form.get("refresh_token") != state.refresh_token:
            self.reply({"error": -14014, "message": "Invalid refresh token"})
        else:
            state.used_refresh_tokens.append(state.refresh_token)
            state.generation += 1
            state.access_token = f"AT{state.generation}"
            state.refresh_token = f"RT{state.generation}"
            self.reply(
                {
                    "access_token": state.access_token,
                    "refresh_token": state.refresh_token,
                    "expires_in": state.expires_in,
                }
            )
        await self.fake.notify()


class _CsHandler(_Base):
    async def post(self) -> None:
        state = self.fake.state
        if state.gate is not None:
            state.cs_waiting += 1
            await self.fake.notify()
            await state.gate.wait()
        token = self.request.headers.get("access_token", "")
        try:
            body = json.loads(self.request.body)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.reply({"error": -201, "message": "Body is not JSON"})
        elif state.fail_next:
            code = state.fail_next.pop(0)
            state.rejected.append(body)
            self.reply({"error": code, "message": "Access token is invalid"})
        elif token != state.access_token:
            state.rejected.append(body)
            self.reply({"error": -216, "message": "Access token is invalid"})
        elif len(body.get("message", {}).get("text", "")) > 2000 or not body.get("recipient"):
            state.rejected.append(body)
            self.reply({"error": -201, "message": "Parameter is invalid"})
        else:
            state.outbox.append(SentMessage(token, body["recipient"], body["message"]))
            recipient = body["recipient"]
            self.reply(
                {
                    "error": 0,
                    "message": "Success",
                    "data": {
                        "message_id": f"m{len(state.outbox)}",
                        "user_id": recipient.get("user_id", "6142494823000000000"),
                        "quota": {"quota_type": "reply"},
                    },
                }
            )
        await self.fake.notify()
