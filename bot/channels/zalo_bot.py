"""Zalo Bot Platform channel (token, Telegram-like): long polling or webhook in, sendMessage out.

Polling: getUpdates has no offset and no acknowledgement (the server keeps the read position and hands
out one update per call), so an update fetched by a process that then dies (kill -9) before answering
is lost: nothing can ask for it again. With several processes sharing a state store, a lease in the
store lets exactly one of them poll a bot token at a time (bot.lease), as for Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx

from bot.channels.base import ChannelContext, ChannelStartError
from bot.channels.delivery import (
    DEFAULT_POLICY,
    SEND_READ_TIMEOUT,
    DeliveryFailed,
    DeliveryStats,
    RetryPolicy,
    Verdict,
    send_with_retry,
    status_verdict,
    transport_verdict,
)
from bot.channels.webhook_server import (
    HTTP_TIMEOUT,
    ZALO_TEXT_LIMIT,
    Background,
    Endpoint,
    WebhookServer,
    WebRequest,
    WebResponse,
    as_dict,
    new_client,
    read_json,
    secret_header,
    shut_down,
)
from bot.config import ZaloBotConfig
from bot.lease import Lease
from bot.safety import LogThrottle, encodable
from handlers.messages import HIDDEN_CONTENT, Incoming, InKind, Reply
from handlers.options import OptionMemory
from handlers.render import render_plain
from handlers.store import MemoryStore, StateStore

log = logging.getLogger(__name__)

CHANNEL = "zalo_bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
READ_MARGIN = 7.0
"""Seconds the client waits beyond the poll timeout before calling the server silent."""
BACKOFF_BASE = 1.0
BACKOFF_CAP = 60.0

NON_TEXT_EVENTS = {
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.voice.received": "voice",
    "message.unsupported.received": HIDDEN_CONTENT,
}
"""event_name → Incoming.text for messages we cannot read ("unsupported": content hidden by Zalo)."""

Sleep = Callable[[float], Awaitable[object]]


class ZaloBotError(Exception):
    """The Bot API answered ok:false (or a non-JSON error); `code` is the error_code as an int.

    `status` is the HTTP status; `answered` is whether the body was the API's own ok:false envelope
    (a gateway's error page is not: the request may have reached the API).
    """

    def __init__(self, code: int, description: str = "", *, status: int = 200, answered: bool = True) -> None:
        super().__init__(f"Zalo Bot API error {code}: {description}")
        self.code = code
        self.status = status
        self.answered = answered


def send_verdict(exc: Exception) -> Verdict | None:
    """What a failed sendMessage proves: 429 and the API's own 5xx were not processed; see delivery."""
    if isinstance(exc, ZaloBotError):
        codes = (exc.code, exc.status)
        worst = 429 if 429 in codes else max(codes) if max(codes) >= 500 else exc.code
        return status_verdict(worst, exc.answered, f"error {exc.code} (HTTP {exc.status})")
    return transport_verdict(exc)


class _RedactToken(logging.Filter):
    """httpx logs request URLs at INFO, and Bot API URLs contain the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = ()
        return True


def backoff_delay(failures: int, rng: Callable[[], float] = random.random) -> float:
    """Capped exponential delay with jitter for the n-th failure in a row (n ≥ 1)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(failures - 1, 16))
    return ceiling / 2 + rng() * ceiling / 2


def updates_in(result: Any) -> Iterator[dict[str, Any]]:
    """The update objects in a getUpdates result or a webhook body, bare or wrapped, one or many."""
    if isinstance(result, list):
        for item in result:
            yield from updates_in(item)
    elif isinstance(result, dict):
        if "event_name" in result:
            yield result
        elif "result" in result:
            yield from updates_in(result["result"])


class ZaloBotChannel:
    """The Zalo Bot API adapter; build it with build_zalo_bot_channel()."""

    name = CHANNEL

    def __init__(
        self,
        config: ZaloBotConfig,
        context: ChannelContext,
        *,
        client: httpx.AsyncClient | None = None,
        options: OptionMemory | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        min_poll_interval: float = 1.0,
        policy: RetryPolicy = DEFAULT_POLICY,
        send_read_timeout: float = SEND_READ_TIMEOUT,
        store: StateStore | None = None,
        name: str = CHANNEL,
    ) -> None:
        """`name`: the channel's name in the app (an office's own account: "zalo_bot:<office>")."""
        self.name = name
        self._config = config
        self._context = context
        bot_id = config.token.split(":", 1)[0]  # the public part of the token, never the secret
        self.lease = Lease(store if store is not None else MemoryStore(), f"zalo-bot-poll:{name}:{bot_id}")
        """Held while this process polls (shared store: one poller per bot token)."""
        self._client = client
        self._own_client = client is None
        self._options = options if options is not None else context.options
        self._sleep = sleep
        self._rng = rng
        self._min_poll_interval = min_poll_interval
        self._base = config.base_url.rstrip("/") + "/bot" + config.token
        self._bot_id = ""
        self._work = Background(self.name)
        self._poller: asyncio.Task[None] | None = None
        self._server: WebhookServer | None = None
        self._redact = _RedactToken(config.token) if config.token else None
        self._throttle = LogThrottle(log)
        self._policy = policy
        self._send_read_timeout = send_read_timeout
        self.delivery = DeliveryStats()
        """How sending went: replies sent, retries, possible duplicates, replies given up."""

    @property
    def webhook_port(self) -> int:
        """The port the webhook server listens on (0 when not in webhook mode)."""
        return self._server.port if self._server else 0

    @property
    def webhook_server(self) -> WebhookServer | None:
        """The webhook server while it runs (webhook mode): /healthz is offered on it too."""
        return self._server

    async def start(self) -> None:
        """Check the token with getMe, then poll or serve the webhook in the background."""
        cfg = self._config
        if not cfg.token:
            raise ChannelStartError(
                "Chưa có token Zalo Bot: hãy đặt biến môi trường ZALO_BOT_TOKEN (hoặc khóa zalo_bot.token)."
            )
        if cfg.mode == "webhook" and not 8 <= len(cfg.secret_token) <= 256:
            raise ChannelStartError(
                "Chế độ webhook của Zalo Bot cần khóa zalo_bot.secret_token dài 8–256 ký tự "
                "(hoặc biến môi trường ZALO_BOT_SECRET_TOKEN)."
            )
        if self._redact is not None:
            logging.getLogger("httpx").addFilter(self._redact)
        if self._client is None:
            self._client = new_client()
        me = await self._start_call("getMe", {})
        self._bot_id = str(me.get("id", "")) if isinstance(me, dict) else ""
        if cfg.mode == "webhook":
            # The secret is checked on the headers, before any of the body is read.
            endpoint = Endpoint(self._on_webhook, secret_header(SECRET_HEADER, cfg.secret_token, self.name))
            self._server = WebhookServer(cfg.listen, cfg.port, {cfg.path: endpoint})
            try:
                await self._server.start()
            except OSError as exc:
                raise ChannelStartError(
                    f"Không mở được cổng {cfg.port} cho webhook Zalo Bot: {exc.strerror}."
                ) from exc
            if cfg.webhook_url:
                await self._start_call(
                    "setWebhook", {"url": cfg.webhook_url, "secret_token": cfg.secret_token}
                )
            log.info("zalo_bot: webhook mode on port %d", self._server.port)
        else:
            # getUpdates fails while a webhook is set.
            await self._start_call("deleteWebhook", {})
            self._poller = asyncio.get_running_loop().create_task(self._poll_forever())
            log.info("zalo_bot: polling started")

    async def stop(self) -> None:
        """Stop polling or serving, finish in-flight replies briefly, close the HTTP client."""
        await shut_down(self._poller, self._server, self._work, self._client if self._own_client else None)
        if self._poller is not None and self.lease.held:
            await asyncio.to_thread(self.lease.release)
        self._poller, self._server = None, None
        if self._own_client:
            self._client = None
        if self._redact is not None:
            logging.getLogger("httpx").removeFilter(self._redact)

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send a reply as plain text (≤ 2,000 characters a message, options numbered)."""
        key = f"{self.name}:{chat_id}"
        numbering = self._options.number(key, reply)
        for chunk in render_plain(reply, limit=ZALO_TEXT_LIMIT, numbered=True, numbering=numbering):
            await self._send_chunk({"chat_id": chat_id, "text": chunk})
        self._options.remember(key, numbering)

    async def _start_call(self, method: str, params: dict[str, Any]) -> Any:
        try:
            return await self._call(method, params)
        except ZaloBotError as exc:
            if exc.code == 401:
                raise ChannelStartError(
                    "Zalo từ chối token Zalo Bot (lỗi 401): hãy kiểm tra lại ZALO_BOT_TOKEN."
                ) from exc
            raise ChannelStartError(
                f"Zalo Bot API báo lỗi {exc.code} khi gọi {method}: hãy kiểm tra cấu hình zalo_bot."
            ) from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise ChannelStartError(
                f"Không kết nối được máy chủ Zalo Bot ({type(exc).__name__}): "
                "hãy kiểm tra mạng và khóa zalo_bot.base_url."
            ) from exc

    async def _call(self, method: str, params: dict[str, Any], read_timeout: float | None = None) -> Any:
        if self._client is None:
            raise RuntimeError("channel not started")
        timeout = self._client.timeout
        if read_timeout is not None:
            timeout = httpx.Timeout(HTTP_TIMEOUT, read=read_timeout)
        response = await self._client.post(f"{self._base}/{method}", json=params, timeout=timeout)
        try:
            body = response.json()
        except ValueError:
            status = response.status_code
            raise ZaloBotError(status, "response is not JSON", status=status, answered=False) from None
        status = response.status_code
        if not isinstance(body, dict) or "ok" not in body:
            raise ZaloBotError(status, "response is not the API's answer", status=status, answered=False)
        if body.get("ok") is True and status < 300:
            return body.get("result")
        try:
            code = int(body.get("error_code") or status)
        except (TypeError, ValueError):
            code = status
        raise ZaloBotError(code, str(body.get("description", "")), status=status)

    async def _send_chunk(self, params: dict[str, Any]) -> Any:
        """One sendMessage, retried as bot.channels.delivery decides (raises DeliveryFailed)."""
        return await send_with_retry(
            lambda: self._call("sendMessage", params, read_timeout=self._send_read_timeout),
            send_verdict,
            channel=self.name,
            policy=self._policy,
            stats=self.delivery,
            sleep=self._sleep,
            rng=self._rng,
        )

    async def _poll_forever(self) -> None:
        """Poll while this process holds the lease; wait for it again whenever it is lost."""
        while True:
            await self.lease.acquire()
            polling = asyncio.ensure_future(self._poll_while_held())
            try:
                while not polling.done():
                    await asyncio.wait([polling], timeout=self.lease.ttl / 3)
                    if not polling.done() and not self.lease.renew():
                        polling.cancel()
                        log.warning("zalo_bot: polling lease lost; another process polls now")
            finally:
                polling.cancel()
                await asyncio.gather(polling, return_exceptions=True)

    async def _poll_while_held(self) -> None:
        timeout = max(0, self._config.poll_timeout)
        failures = 0
        loop = asyncio.get_running_loop()
        while True:
            began = loop.time()
            try:
                result = await self._call(
                    "getUpdates", {"timeout": str(timeout)}, read_timeout=timeout + READ_MARGIN
                )
            except ZaloBotError as exc:
                if exc.code == 408:
                    failures = 0
                    await self._pace(began)
                    continue
                failures += 1
                level = logging.ERROR if exc.code == 401 else logging.WARNING
                log.log(level, "zalo_bot: getUpdates error %d (failure %d)", exc.code, failures)
                await self._sleep(backoff_delay(failures, self._rng))
                continue
            except (httpx.HTTPError, ValueError) as exc:
                failures += 1
                log.warning("zalo_bot: getUpdates failed: %s (failure %d)", type(exc).__name__, failures)
                await self._sleep(backoff_delay(failures, self._rng))
                continue
            if failures:
                log.info("zalo_bot: polling recovered after %d failures", failures)
            failures = 0
            found = False
            for update in updates_in(result):
                found = True
                self._dispatch(update)
            if not found:
                await self._pace(began)

    async def _pace(self, began: float) -> None:
        # A server that answers "empty" at once must not turn polling into a busy loop.
        elapsed = asyncio.get_running_loop().time() - began
        if elapsed < self._min_poll_interval:
            await self._sleep(self._min_poll_interval - elapsed)

    async def _on_webhook(self, request: WebRequest) -> WebResponse:
        # The secret was checked on the headers (secret_header); a bad body raises BadRequest (400).
        for update in updates_in(read_json(request.body)):
            self._dispatch(update)
        return WebResponse(200, {"message": "Success"})

    def _dispatch(self, update: dict[str, Any]) -> None:
        message = update.get("message")
        if not isinstance(message, dict):
            return
        event = str(update.get("event_name", ""))
        message_id = str(message.get("message_id", ""))
        if message_id and not self._context.seen.first_time(self.name, f"{event}:{message_id}"):
            log.debug("zalo_bot: duplicate %s ignored", event)
            return
        sender = as_dict(message.get("from"))
        if sender.get("is_bot") or (self._bot_id and str(sender.get("id", "")) == self._bot_id):
            return
        msg = self._incoming(event, message, sender)
        if msg is None:
            return
        self._work.spawn(msg.chat_id, lambda: self._answer(msg))

    def _incoming(self, event: str, message: dict[str, Any], sender: dict[str, Any]) -> Incoming | None:
        chat = as_dict(message.get("chat"))
        chat_id = str(chat.get("id") or sender.get("id") or "")
        if not chat_id:
            return None
        common: dict[str, Any] = {
            "channel": self.name,
            "chat_id": chat_id,
            "user_id": str(sender.get("id") or chat_id),
            "message_id": str(message.get("message_id", "")),
        }
        if event == "message.text.received":
            # Zalo can cut an emoji in half ("\ud83d" alone): make the text encodable first.
            text = encodable(str(message.get("text") or "").strip())
            if not text:
                return None
            kind, text, args, options = self._classify(chat_id, text)
            return Incoming(kind=kind, text=text, args=args, options=options, **common)
        if event in NON_TEXT_EVENTS or (event.startswith("message.") and event.endswith(".received")):
            name = NON_TEXT_EVENTS.get(event) or event.split(".")[1]
            return Incoming(kind=InKind.NON_TEXT, text=name, **common)
        return None

    def _classify(self, chat_id: str, text: str) -> tuple[InKind, str, str, tuple[int, ...]]:
        """Button, command or question; with a question, the option numbers on screen (a typed
        number no option stands for is told which are valid)."""
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return InKind.COMMAND, name.lower(), args.strip(), ()
        payload, numbers = self._options.read(f"{self.name}:{chat_id}", text)
        if payload is not None:
            return InKind.BUTTON, payload, "", ()
        return InKind.TEXT, text, "", numbers

    async def _answer(self, msg: Incoming) -> None:
        started = time.monotonic()
        reply = await self._context.respond(msg)
        if reply is None:
            return  # silenced (e.g. by the flood gate): no typing call either
        # The typing action goes beside the reply, never before it, so it cannot delay it.
        typing = asyncio.ensure_future(self._show_typing(msg.chat_id))
        try:
            await self._reply(msg, reply, started)
        except BaseException:
            # Leaving by an error or a cancellation: the typing call is moot, end it quietly.
            typing.cancel()
            await asyncio.gather(typing, return_exceptions=True)
            raise
        # Normally done by now; cancelling this task cancels it too.
        await typing

    async def _show_typing(self, chat_id: str) -> None:
        try:
            await self._call("sendChatAction", {"chat_id": chat_id, "action": "typing"})
        except (ZaloBotError, httpx.HTTPError, ValueError) as exc:
            log.debug("zalo_bot: typing action failed: %s", type(exc).__name__)

    async def _reply(self, msg: Incoming, reply: Reply, started: float) -> None:
        try:
            await self.send(msg.chat_id, reply)
        except DeliveryFailed:
            # Logged (with its error id) where it was given up.
            await self._context.observe(msg, reply, False)
            return
        log.debug("zalo_bot: answered in %.3f s", time.monotonic() - started)
        await self._context.observe(msg, reply, True)


def build_zalo_bot_channel(
    config: ZaloBotConfig,
    context: ChannelContext,
    store: StateStore | None = None,
    name: str = CHANNEL,
) -> ZaloBotChannel:
    """The Zalo Bot channel for the app (start() raises ChannelStartError with a Vietnamese line);
    `store`: the state store shared with other processes (the polling lease)."""
    return ZaloBotChannel(config, context, store=store, name=name)
