"""Zalo Official Account channel: signed webhook events in, consultation (cs) messages out."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from bot.channels.base import ChannelContext, ChannelStartError
from bot.channels.delivery import (
    DEFAULT_POLICY,
    SEND_READ_TIMEOUT,
    DeliveryFailed,
    DeliveryStats,
    Fate,
    RetryPolicy,
    Verdict,
    send_with_retry,
    status_verdict,
    transport_verdict,
)
from bot.channels.webhook_server import (
    ZALO_TEXT_LIMIT,
    Background,
    BadRequest,
    Endpoint,
    WebhookServer,
    WebRequest,
    WebResponse,
    as_dict,
    new_client,
    read_json,
    shut_down,
)
from bot.channels.zalo_tokens import OATokens, TokenError
from bot.config import ZaloOAConfig
from bot.safety import LogThrottle, encodable
from handlers import payloads
from handlers.messages import Button, Incoming, InKind, Reply
from handlers.options import Numbering, OptionMemory
from handlers.render import render_plain
from handlers.store import StateStore

log = logging.getLogger(__name__)

CHANNEL = "zalo_oa"
MAX_BUTTONS = 5
SIGNATURE_HEADER = "X-ZEvent-Signature"
PAYLOAD_MARK = "#"
"""Prefix of our query-button payloads, so a tap is never mistaken for typed text ("#a:khai-sinh")."""
TOKEN_ERRORS = frozenset({-216, -220, 216, -401, 401})
"""Answers meaning "renew the access token and try once more"."""
RATE_LIMIT_ERRORS = frozenset({-32})
"""Answers meaning "too many calls": the message was not sent, retry after a pause."""

NON_TEXT_EVENTS = {
    "user_send_image": "photo",
    "user_send_gif": "gif",
    "user_send_sticker": "sticker",
    "user_send_audio": "voice",
    "user_send_video": "video",
    "user_send_file": "file",
    "user_send_location": "location",
    "user_send_link": "link",
    "user_send_business_card": "business_card",
}


class OASendError(Exception):
    """The OA API refused a message; `code` is its `error` field (or the HTTP status when it has none).

    `status` is the HTTP status; `answered` is whether the body was the API's own envelope with a
    non-zero `error` (a gateway's error page is not: the request may have reached the API).
    """

    def __init__(self, code: int, message: str = "", *, status: int = 200, answered: bool = True) -> None:
        super().__init__(f"Zalo OA API error {code}: {message}")
        self.code = code
        self.status = status
        self.answered = answered


def send_verdict(exc: Exception) -> Verdict | None:
    """What a failed cs send proves: -32, 429 and the API's own 5xx were not processed; see delivery."""
    if isinstance(exc, OASendError):
        reason = f"error {exc.code} (HTTP {exc.status})"
        if exc.code in RATE_LIMIT_ERRORS:
            return Verdict(Fate.NOT_SENT, reason)
        if exc.status >= 400:
            return status_verdict(exc.status, exc.answered, reason)
        return Verdict(Fate.REFUSED, reason)
    if isinstance(exc, TokenError):
        # A network error or a 5xx while renewing the token: nothing was sent yet.
        return Verdict(Fate.REFUSED if exc.permanent else Fate.NOT_SENT, "token renewal failed")
    return transport_verdict(exc)


def event_signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """Lowercase hex sha256 of app_id + raw body + timestamp + OA secret key (no `mac=`)."""
    data = app_id.encode("utf-8") + body + timestamp.encode("utf-8") + oa_secret_key.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def signature_ok(header: str, expected_hex: str) -> bool:
    """Constant-time check of an X-ZEvent-Signature value, with or without its `mac=` prefix."""
    given = header.strip()
    if given[:4].lower() == "mac=":
        given = given[4:]
    return hmac.compare_digest(given.strip().lower().encode("ascii", "replace"), expected_hex.encode())


def button_json(button: Button) -> dict[str, Any]:
    """One OA quick-reply button: a hidden query carrying our payload, or an open-URL button."""
    if button.url is not None:
        return {"title": button.label, "type": "oa.open.url", "payload": {"url": button.url}}
    return {"title": button.label, "type": "oa.query.hide", "payload": PAYLOAD_MARK + str(button.payload)}


def quick_replies(reply: Reply) -> bool:
    """Whether the reply goes out with OA buttons (1 to 5 of them) rather than numbered options."""
    return 0 < len(reply.flat_buttons) <= MAX_BUTTONS


def cs_messages(reply: Reply, numbering: Numbering | None = None) -> list[dict[str, Any]]:
    """The `message` objects for one reply: text ≤ 2,000 each, buttons on the last one if ≤ 5.

    More buttons become numbered options, numbered as `numbering` says (from the OptionMemory).
    """
    buttons = reply.flat_buttons
    if not quick_replies(reply):
        chunks = render_plain(reply, limit=ZALO_TEXT_LIMIT, numbered=True, numbering=numbering)
        return [{"text": chunk} for chunk in chunks]
    chunks = render_plain(reply, limit=ZALO_TEXT_LIMIT, numbered=False) or [buttons[0].label]
    messages: list[dict[str, Any]] = [{"text": chunk} for chunk in chunks]
    # Shape unverified on a real OA (sources disagree): see docs/zalo.md.
    messages[-1]["attachment"] = {
        "type": "template",
        "payload": {"buttons": [button_json(b) for b in buttons]},
    }
    return messages


class ZaloOAChannel:
    """The Zalo OA adapter; build it with build_zalo_oa_channel()."""

    name = CHANNEL

    def __init__(
        self,
        config: ZaloOAConfig,
        context: ChannelContext,
        *,
        client: httpx.AsyncClient | None = None,
        options: OptionMemory | None = None,
        clock: Callable[[], float] = time.time,
        policy: RetryPolicy = DEFAULT_POLICY,
        send_read_timeout: float = SEND_READ_TIMEOUT,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        store: StateStore | None = None,
        name: str = CHANNEL,
    ) -> None:
        """`name`: the channel's name in the app (an office's own account: "zalo_oa:<office>")."""
        self.name = name
        self._config = config
        self._store = store
        """The state store shared with other bot processes: the OA token pair and its refresh lock."""
        self._context = context
        self._client = client
        self._own_client = client is None
        self._options = options if options is not None else context.options
        self._clock = clock
        self._cs_url = config.api_base.rstrip("/") + "/v3.0/oa/message/cs"
        self._tokens: OATokens | None = None
        self._work = Background(self.name)
        self._server: WebhookServer | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._throttle = LogThrottle(log)
        self._policy = policy
        self._send_read_timeout = send_read_timeout
        self._sleep = sleep
        self.delivery = DeliveryStats()
        """How sending went: messages sent, retries, possible duplicates, messages given up."""

    @property
    def webhook_port(self) -> int:
        """The port the webhook server listens on."""
        return self._server.port if self._server else 0

    @property
    def webhook_server(self) -> WebhookServer | None:
        """The webhook server while it runs (webhook mode): /healthz is offered on it too."""
        return self._server

    async def start(self) -> None:
        """Load the tokens (file first), renew them if needed, then serve the webhook."""
        cfg = self._config
        missing = [k for k, v in (("app_id", cfg.app_id), ("oa_secret_key", cfg.oa_secret_key)) if not v]
        if missing:
            raise ChannelStartError(
                f"Kênh Zalo OA thiếu khóa {', '.join('zalo_oa.' + k for k in missing)} "
                "(lấy trong trang quản lý ứng dụng tại developers.zalo.me)."
            )
        if self._client is None:
            self._client = new_client()
        tokens = OATokens.from_config(cfg, self._client, self._clock, store=self._store)
        try:
            tokens.load()
        except TokenError as exc:
            raise ChannelStartError(str(exc)) from exc
        tokens.sync()  # another process may hold a newer pair than the file and the config
        pair = tokens.pair
        if not pair.access_token and not pair.refresh_token:
            raise ChannelStartError(
                "Chưa có mã truy cập Zalo OA: hãy điền zalo_oa.access_token và zalo_oa.refresh_token "
                "(hoặc biến môi trường ZALO_OA_ACCESS_TOKEN, ZALO_OA_REFRESH_TOKEN)."
            )
        if pair.refresh_token and not cfg.app_secret:
            raise ChannelStartError(
                "Kênh Zalo OA cần khóa zalo_oa.app_secret (biến môi trường ZALO_OA_APP_SECRET) "
                "để làm mới mã truy cập."
            )
        if tokens.needs_refresh():
            try:
                await tokens.refresh()
            except TokenError as exc:
                if exc.permanent or not pair.access_token:
                    raise ChannelStartError(str(exc)) from exc
                # OAuth server unreachable: the current access token may still work meanwhile.
                log.warning("zalo_oa: token refresh failed at start, will retry in the background")
        self._tokens = tokens
        endpoint = Endpoint(self._on_webhook, admit=self._signed)
        self._server = WebhookServer(cfg.listen, cfg.port, {cfg.path: endpoint})
        try:
            await self._server.start()
        except OSError as exc:
            self._server = None
            raise ChannelStartError(
                f"Không mở được cổng {cfg.port} cho webhook Zalo OA: {exc.strerror}."
            ) from exc
        if pair.refresh_token:
            self._refresher = asyncio.get_running_loop().create_task(tokens.keep_fresh())
        log.info("zalo_oa: webhook listening on port %d", self._server.port)

    async def stop(self) -> None:
        """Stop the webhook and the token refresher, finish in-flight replies briefly."""
        await shut_down(self._refresher, self._server, self._work, self._client if self._own_client else None)
        self._refresher, self._server = None, None
        if self._own_client:
            self._client = None

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send a reply to a follower by user id (not a reply to a message)."""
        await self._deliver({"user_id": chat_id}, chat_id, reply)

    async def _deliver(self, recipient: dict[str, str], user_id: str, reply: Reply) -> None:
        key = f"{self.name}:{user_id}"
        numbering = self._options.number(key, reply)
        for message in cs_messages(reply, numbering):
            body = {"recipient": recipient, "message": message}
            await send_with_retry(
                functools.partial(self._post_cs, body),
                send_verdict,
                channel=self.name,
                policy=self._policy,
                stats=self.delivery,
                sleep=self._sleep,
            )
        self._options.remember(key, numbering, displayed=not quick_replies(reply))

    async def _post_cs(self, body: dict[str, Any]) -> None:
        if self._tokens is None or self._client is None:
            raise RuntimeError("channel not started")
        token = await self._tokens.access_token()
        timeout = httpx.Timeout(self._client.timeout.connect, read=self._send_read_timeout)
        for attempt in (1, 2):
            response = await self._client.post(
                self._cs_url, headers={"access_token": token}, json=body, timeout=timeout
            )
            status = response.status_code
            try:
                answer = response.json()
            except ValueError:
                raise OASendError(status, "response is not JSON", status=status, answered=False) from None
            code = _error_code(answer)
            if code == 0 and status < 300:
                return
            if code == 0 or not isinstance(answer, dict) or "error" not in answer:
                # An error status with a body that is not the API's answer (e.g. a gateway's JSON).
                raise OASendError(status, "error status without an API error", status=status, answered=False)
            if code in TOKEN_ERRORS and attempt == 1:
                log.info("zalo_oa: access token refused (%d), renewing", code)
                token = await self._tokens.refresh(token)
                continue
            raise OASendError(code, str(answer.get("message", "")), status=status)

    async def _on_webhook(self, request: WebRequest) -> WebResponse:
        # A missing signature was refused on the headers (_signed); the body is needed to check it.
        header = request.headers.get(SIGNATURE_HEADER, "")
        event = read_json(request.body)
        if not isinstance(event, dict):
            raise BadRequest("body is not a JSON object")
        app_id, timestamp = str(event.get("app_id", "")), str(event.get("timestamp", ""))
        expected = event_signature(app_id, request.body, timestamp, self._config.oa_secret_key)
        if not signature_ok(header, expected) or app_id != self._config.app_id:
            self._throttle.log("signature", logging.WARNING, "zalo_oa: webhook call with a wrong signature")
            return WebResponse(403, {"message": "Bad signature"})
        age = self._age(timestamp)
        if age is None or abs(age) > self._config.max_event_age:
            # Signed but old (a replay, or a retry after a long outage): acknowledged, not handled,
            # so Zalo stops retrying instead of disabling the webhook.
            self._throttle.log(
                "stale",
                logging.WARNING,
                "zalo_oa: stale event ignored (age %s s)",
                "?" if age is None else f"{age:.0f}",
            )
            return WebResponse(200, {"message": "Stale event ignored"})
        if not self._context.seen.first_time(self.name, _event_key(event)):
            log.info("zalo_oa: duplicate event ignored")
            return WebResponse(200, {"message": "Duplicate ignored"})
        msg = self._incoming(event)
        if msg is not None:
            self._work.spawn(msg.chat_id, lambda: self._answer(msg))
        return WebResponse(200, {"message": "Success"})

    def _signed(self, headers: Mapping[str, str]) -> WebResponse | None:
        """Refuse (401) an event without a signature header before its body is read."""
        if headers.get(SIGNATURE_HEADER, "").strip():
            return None
        self._throttle.log("unsigned", logging.WARNING, "zalo_oa: webhook call without a signature")
        return WebResponse(401, {"message": "Missing signature"})

    def _age(self, timestamp: str) -> float | None:
        try:
            return self._clock() - int(timestamp) / 1000
        except ValueError:
            return None

    def _incoming(self, event: dict[str, Any]) -> Incoming | None:
        name = str(event.get("event_name", ""))
        if name == "follow":
            user_id = str(as_dict(event.get("follower")).get("id", ""))
            if not user_id:
                return None
            return Incoming(self.name, chat_id=user_id, user_id=user_id, kind=InKind.FOLLOW)
        if name != "user_send_text" and name not in NON_TEXT_EVENTS:
            return None
        user_id = str(as_dict(event.get("sender")).get("id", ""))
        message = as_dict(event.get("message"))
        if not user_id:
            return None
        common: dict[str, Any] = {
            "chat_id": user_id,
            "user_id": user_id,
            "message_id": str(message.get("msg_id", "")),
        }
        if name in NON_TEXT_EVENTS:
            return Incoming(self.name, kind=InKind.NON_TEXT, text=NON_TEXT_EVENTS[name], **common)
        # Zalo can cut an emoji in half ("\ud83d" alone): make the text encodable first.
        text = encodable(str(message.get("text") or "").strip())
        if not text:
            return None
        kind, text, args, options = self._classify(user_id, text)
        return Incoming(self.name, kind=kind, text=text, args=args, options=options, **common)

    def _classify(self, user_id: str, text: str) -> tuple[InKind, str, str, tuple[int, ...]]:
        """Button, command or question; with a question, the option numbers on screen (a typed
        number no option stands for is told which are valid)."""
        if text.startswith(PAYLOAD_MARK) and payloads.decode(text[len(PAYLOAD_MARK) :]) is not None:
            return InKind.BUTTON, text[len(PAYLOAD_MARK) :], "", ()
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return InKind.COMMAND, name.lower(), args.strip(), ()
        payload, numbers = self._options.read(f"{self.name}:{user_id}", text)
        if payload is not None:
            return InKind.BUTTON, payload, "", ()
        return InKind.TEXT, text, "", numbers

    async def _answer(self, msg: Incoming) -> None:
        reply = await self._context.respond(msg)
        if reply is None:
            return
        # The reply form (the citizen's message id) uses the free reply quota.
        recipient = {"message_id": msg.message_id} if msg.message_id else {"user_id": msg.user_id}
        try:
            await self._deliver(recipient, msg.user_id, reply)
        except DeliveryFailed:
            # Logged (with its error id) where it was given up.
            await self._context.observe(msg, reply, False)
            return
        await self._context.observe(msg, reply, True)


def _error_code(answer: Any) -> int:
    if not isinstance(answer, dict):
        return -1
    try:
        return int(answer.get("error", 0))
    except (TypeError, ValueError):
        return -1


def _event_key(event: dict[str, Any]) -> str:
    msg_id = as_dict(event.get("message")).get("msg_id")
    if msg_id:
        return f"msg:{msg_id}"
    who = as_dict(event.get("follower")).get("id") or as_dict(event.get("sender")).get("id") or ""
    return f"{event.get('event_name')}:{who}:{event.get('timestamp')}"


def build_zalo_oa_channel(
    config: ZaloOAConfig,
    context: ChannelContext,
    store: StateStore | None = None,
    name: str = CHANNEL,
) -> ZaloOAChannel:
    """The Zalo OA channel for the app (start() raises ChannelStartError with a Vietnamese line);
    `store`: the state store shared with other bot processes (the token pair and its lock)."""
    return ZaloOAChannel(config, context, store=store, name=name)
