"""Telegram channel (python-telegram-bot v22): polling or webhook, HTML replies, inline buttons.

Extension point for staff tools: `add_handler()` (or `extra_handlers=`) registers PTB handlers in
EXTRA_HANDLER_GROUP, which runs before the citizen handlers. A handler that consumes an update (an
admin command, a staff reply in the staff group) must raise `ApplicationHandlerStop` so the citizen
conversation does not answer it too. Citizens are answered in private chats only; `bot` sends
anywhere (e.g. to the staff group).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

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
from bot.channels.telegram_poller import AckingPoller
from bot.channels.telegram_request import JsonBodyRequest, ServerError
from bot.channels.webhook_server import BadRequest as BadWebhookBody
from bot.channels.webhook_server import (
    Endpoint,
    WebhookServer,
    WebRequest,
    WebResponse,
    read_json,
    secret_header,
)
from bot.config import TelegramConfig
from bot.lease import Lease
from bot.safety import LogThrottle, encodable
from handlers import payloads
from handlers.messages import Button, Incoming, InKind, Reply
from handlers.render import render_html
from handlers.store import MemoryStore, StateStore

log = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
EXTRA_HANDLER_GROUP = -1
"""PTB handler group of added handlers: runs before CITIZEN_GROUP."""
CITIZEN_GROUP = 0
COMMANDS = (
    ("start", "Bắt đầu và xem danh mục thủ tục"),
    ("menu", "Danh mục thủ tục hành chính"),
    ("help", "Hướng dẫn sử dụng trợ lý"),
    ("lienhe", "Địa chỉ, số điện thoại, giờ làm việc của cơ quan"),
)
"""The command list shown by Telegram's menu button (setMyCommands at start-up)."""
_NON_TEXT_KINDS = (
    "photo", "sticker", "voice", "video", "video_note", "audio", "document", "animation",
    "location", "venue", "contact", "poll", "dice",
)  # fmt: skip
SEND_POOL_SIZE = 256
"""Connections for sending (python-telegram-bot's default); getUpdates has its own one."""
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_RAW_SEND_WARNING = r"Please use 'Bot\.(sendMessage|getUpdates)' instead"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def to_incoming(update: Update, channel: str = CHANNEL) -> Incoming | None:
    """The Incoming for a citizen's message or button press, or None when there is nothing to answer."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None or query.data is None:
            return None
        return Incoming(
            channel=channel,
            chat_id=str(message.chat.id),
            user_id=str(query.from_user.id),
            kind=InKind.BUTTON,
            text=query.data,
            message_id=str(message.message_id),
        )
    msg = update.message
    if msg is None:
        return None
    user = msg.from_user
    base: dict[str, Any] = {
        "channel": channel,
        "chat_id": str(msg.chat.id),
        "user_id": str(user.id) if user else "",
        "message_id": str(msg.message_id),
    }
    text = msg.text if msg.text is not None else msg.caption
    text = encodable(text) if text is not None else None
    if text is None:
        kind = next((k for k in _NON_TEXT_KINDS if getattr(msg, k, None)), "other")
        return Incoming(kind=InKind.NON_TEXT, text=kind, **base)
    if msg.text is not None and text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        return Incoming(kind=InKind.COMMAND, text=name, args=args.strip(), **base)
    return Incoming(kind=InKind.TEXT, text=text, **base)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Reply buttons as an inline keyboard (callback or URL buttons), None when there are none."""
    return _keyboard(reply.buttons) if reply.buttons else None


@functools.lru_cache(maxsize=4096)
def _keyboard(button_rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    # The same answers come back again and again; PTB objects are immutable, so share them.
    rows = []
    for row in button_rows:
        buttons = []
        for b in row:
            if b.url is not None:
                buttons.append(InlineKeyboardButton(b.label, url=b.url))
            elif b.payload is not None and len(b.payload.encode()) <= payloads.MAX_BYTES:
                buttons.append(InlineKeyboardButton(b.label, callback_data=b.payload))
            else:
                # Telegram would reject the whole message; losing one button is the lesser harm.
                log.error("button payload over %d bytes dropped: %r", payloads.MAX_BYTES, b.label)
        if buttons:
            rows.append(buttons)
    return SerializedKeyboard(rows) if rows else None


def quiet_raw_send_warning() -> None:
    """Silence PTB's warning about do_api_request("sendMessage"/"getUpdates"), used on purpose (the
    poller needs the raw updates; _send_message skips parsing the answer)."""
    # Adding the same filter again replaces it, so calling this twice is harmless.
    warnings.filterwarnings("ignore", _RAW_SEND_WARNING, PTBUserWarning)


def send_verdict(exc: Exception) -> Verdict | None:
    """What a failed sendMessage proves: RetryAfter, connect errors and Telegram's own 5xx were not
    processed; a timeout or a dropped connection after sending may have been (see delivery)."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():
            # PTB 22.2+ warns that retry_after becomes a timedelta in v23; both forms are read below.
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = exc.retry_after
        seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        return Verdict(Fate.NOT_SENT, "429 retry_after", wait=seconds)
    if isinstance(exc, ServerError):
        return status_verdict(exc.status, exc.api_answered, f"HTTP {exc.status}")
    if isinstance(exc, BadRequest | Forbidden | InvalidToken | ChatMigrated | Conflict):
        return Verdict(Fate.REFUSED, type(exc).__name__)
    if isinstance(exc, NetworkError):  # TimedOut included; PTB chains the httpx error
        cause = transport_verdict(exc.__cause__) if exc.__cause__ is not None else None
        if cause is not None:
            return cause
        return Verdict(Fate.UNKNOWN, "TimedOut" if isinstance(exc, TimedOut) else "NetworkError")
    if isinstance(exc, TelegramError):
        return Verdict(Fate.REFUSED, type(exc).__name__)
    return None


def edit_verdict(exc: Exception) -> Verdict | None:
    """As send_verdict, but an edit is idempotent: a maybe-processed edit is simply made again, and a
    BadRequest is left to the caller (it falls back to a new message)."""
    if isinstance(exc, BadRequest):
        return None
    verdict = send_verdict(exc)
    if verdict is not None and verdict.fate is Fate.UNKNOWN:
        return Verdict(Fate.NOT_SENT, verdict.reason, verdict.wait)
    return verdict


class SerializedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard that works out its wire form once, as it is sent again and again."""

    __slots__ = ("_wire",)

    def __init__(self, inline_keyboard: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(inline_keyboard)
        with self._unfrozen():
            self._wire = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The keyboard as the Bot API's JSON object (computed at construction; PTB objects are frozen)."""
        return dict(self._wire) if recursive else super().to_dict(recursive)


class TelegramChannel:
    """The Telegram adapter: one PTB Application, started without owning the event loop."""

    name = CHANNEL

    def __init__(
        self,
        config: TelegramConfig,
        context: ChannelContext,
        *,
        extra_handlers: Iterable[BaseHandler[Any, Any, Any]] = (),
        policy: RetryPolicy = DEFAULT_POLICY,
        send_read_timeout: float = SEND_READ_TIMEOUT,
        store: StateStore | None = None,
        lease_ttl: float | None = None,
        name: str = CHANNEL,
    ) -> None:
        """`name`: the channel's name in the app (an office's own bot: "telegram:<office>")."""
        self.name = name
        self.config = config
        self.context = context
        self.store: StateStore = store if store is not None else MemoryStore()
        """Where the polling lease and the per-update claims live (shared: several processes)."""
        self._lease_ttl = lease_ttl
        self.poller: AckingPoller | None = None
        self.policy = policy
        self.send_read_timeout = send_read_timeout
        self.delivery = DeliveryStats()
        """How sending went: messages sent, retries, possible duplicates, messages given up."""
        self.application: AnyApplication = (
            Application.builder()
            .token(config.token.strip())
            .base_url(config.base_url)
            .base_file_url(config.base_file_url)
            .request(JsonBodyRequest(connection_pool_size=SEND_POOL_SIZE))
            .get_updates_request(JsonBodyRequest(connection_pool_size=1))
            .concurrent_updates(config.concurrent_updates)
            .build()
        )
        citizen_messages = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
        self.application.add_handler(MessageHandler(citizen_messages, self._on_message), group=CITIZEN_GROUP)
        self.application.add_handler(CallbackQueryHandler(self._on_button), group=CITIZEN_GROUP)
        self.application.add_error_handler(self._on_error)
        quiet_raw_send_warning()
        for handler in extra_handlers:
            self.add_handler(handler)
        self._webhook: WebhookServer | None = None
        self._throttle = LogThrottle(log)

    @property
    def bot(self) -> Bot:
        """The PTB bot, for sending outside a conversation (e.g. to the staff group)."""
        return self.application.bot

    @property
    def webhook_port(self) -> int | None:
        """The port the webhook server listens on (useful when configured as 0)."""
        return self._webhook.port if self._webhook else None

    @property
    def webhook_server(self) -> WebhookServer | None:
        """The webhook server while it runs (webhook mode)."""
        return self._webhook

    def add_handler(self, handler: BaseHandler[Any, Any, Any], group: int = EXTRA_HANDLER_GROUP) -> None:
        """Register a PTB handler that runs before the citizen conversation (see module docstring)."""
        self.application.add_handler(handler, group=group)

    async def start(self) -> None:
        """Check the token, publish the command list, and start polling or the webhook server."""
        app = self.application
        try:
            await app.initialize()
        except InvalidToken:
            # PTB's message quotes the token: never show it.
            raise ChannelStartError(
                "Telegram từ chối token của bot: hãy kiểm tra lại TELEGRAM_BOT_TOKEN "
                "(token lấy từ @BotFather)."
            ) from None
        except TelegramError as exc:
            raise ChannelStartError(
                f"Không kết nối được máy chủ Telegram ({type(exc).__name__}); "
                "hãy kiểm tra mạng và khóa 'telegram.base_url'."
            ) from None
        try:
            await app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        except TelegramError as exc:
            log.warning("could not set the Telegram command list: %s", type(exc).__name__)
        await app.start()
        try:
            if self.config.mode == "webhook":
                await self._start_webhook()
            else:
                await self._start_polling()
        except ChannelStartError:
            raise
        except TelegramError as exc:
            raise ChannelStartError(f"Không khởi động được kênh Telegram ({type(exc).__name__}).") from None
        log.info("telegram channel started (%s) as @%s", self.config.mode, app.bot.username)

    async def _start_polling(self) -> None:
        """Poll with our own loop, which confirms an update only once it is handled (see
        telegram_poller); with a shared store, only the holder of this bot's lease polls."""
        bot = self.application.bot
        await bot.delete_webhook(drop_pending_updates=False)  # getUpdates fails while one is set
        lease = Lease(self.store, f"telegram-poll:{self.name}:{bot.id}")
        if self._lease_ttl is not None:
            lease.ttl = self._lease_ttl
        self.poller = AckingPoller(
            bot,
            self.application.process_update,
            self.context.seen,
            self.store,
            lease,
            concurrency=self.config.concurrent_updates,
            poll_timeout=self.config.poll_timeout,
            channel=self.name,
        )
        self.poller.start()

    async def _start_webhook(self) -> None:
        """Serve the webhook on our own server, feeding PTB's update queue, then register it.

        PTB's Updater.start_webhook runs a tornado server that reads the whole body (up to 100 MB)
        before it checks the secret, keeps idle connections an hour, has no connection cap and
        answers bad JSON with a 500. The shared WebhookServer bounds all of that, as for Zalo.
        """
        hook = self.config.webhook
        endpoint = Endpoint(self._on_webhook, secret_header(SECRET_HEADER, hook.secret_token, self.name))
        server = WebhookServer(hook.listen, hook.port, {hook.path: endpoint})
        try:
            await server.start()
        except OSError as exc:
            raise ChannelStartError(
                f"Không mở được cổng webhook Telegram {hook.listen}:{hook.port} ({exc.strerror})."
            ) from None
        self._webhook = server
        await self.application.bot.set_webhook(url=hook.url, secret_token=hook.secret_token)

    async def _on_webhook(self, request: WebRequest) -> WebResponse:
        """One update from Telegram (secret already checked on the headers) into PTB's queue."""
        data = read_json(request.body)
        if not isinstance(data, dict):
            raise BadWebhookBody("body is not a JSON object")
        bot = self.application.bot
        try:
            update = Update.de_json(data, bot)
        except Exception as exc:
            raise BadWebhookBody(f"not an update ({type(exc).__name__})") from None
        if not self.context.seen.first_time(self.name, f"update:{update.update_id}"):
            # Re-sent after a slow answer (possibly to another bot process): answered once.
            log.info("telegram: duplicate update ignored")
            return WebResponse(200, {"ok": True})
        if isinstance(bot, ExtBot):
            bot.insert_callback_data(update)  # as PTB's own webhook handler does
        await self.application.update_queue.put(update)
        # No "method" key: Telegram would run a body that names one as a Bot API call.
        return WebResponse(200, {"ok": True})

    async def stop(self) -> None:
        """Stop receiving, finish the updates in progress, and close connections."""
        app = self.application
        was_running = app.running
        webhook, self._webhook = self._webhook, None
        if webhook is not None:
            await webhook.stop()
        if self.poller is not None:
            await self.poller.stop()  # kept afterwards: its stats stay readable
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if was_running:
            log.info("telegram channel stopped")

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send a reply to one chat without a message to answer (e.g. a staff reply)."""
        target: int | str = int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id
        await self._deliver(target, reply)

    async def _on_message(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        msg = to_incoming(update, self.name)
        if msg is None:
            return
        await self._answer(msg, None)

    async def _on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        # Telegram shows a spinner on the button until the query is answered: answer at once.
        acknowledged = asyncio.ensure_future(self._acknowledge(query))
        try:
            message = query.message
            if message is None or message.chat.type != ChatType.PRIVATE:
                return
            msg = to_incoming(update, self.name)
            if msg is not None:
                await self._answer(msg, message.message_id)
        finally:
            await acknowledged

    async def _answer(self, msg: Incoming, pressed_message_id: int | None) -> None:
        reply = await self.context.respond(msg)
        if reply is None:
            return
        delivered = False
        try:
            edit_id = pressed_message_id if reply.edit else None
            await self._deliver(int(msg.chat_id), reply, edit_id)
            delivered = True
        except DeliveryFailed:
            pass  # logged, with its error id, where it was given up
        finally:
            await self.context.observe(msg, reply, delivered)

    @staticmethod
    async def _acknowledge(query: CallbackQuery) -> None:
        try:
            await query.answer()
        except TelegramError as exc:
            log.info("callback query not answered: %s", type(exc).__name__)

    async def _deliver(self, chat_id: int | str, reply: Reply, edit_id: int | None = None) -> None:
        """Render and send; the keyboard goes on the last chunk; edit in place when asked and possible."""
        chunks = render_html(reply, limit=MessageLimit.MAX_TEXT_LENGTH)
        if not chunks:
            return
        markup = keyboard(reply)
        bot = self.application.bot
        if edit_id is not None and len(chunks) == 1:
            edit = functools.partial(
                bot.edit_message_text,
                chunks[0],
                chat_id=chat_id,
                message_id=edit_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=_NO_PREVIEW,
                read_timeout=self.send_read_timeout,
            )
            try:
                await send_with_retry(
                    edit, edit_verdict, channel=self.name, policy=self.policy, stats=self.delivery
                )
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return  # a double tap: the message already shows this
                log.info("edit failed (%s), sending a new message instead", exc.message)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            await send_with_retry(
                functools.partial(
                    self._send_message, bot, chat_id, chunk, markup if last else None, self.send_read_timeout
                ),
                send_verdict,
                channel=self.name,
                policy=self.policy,
                stats=self.delivery,
            )

    @staticmethod
    async def _send_message(
        bot: Bot,
        chat_id: int | str,
        html: str,
        markup: InlineKeyboardMarkup | None,
        read_timeout: float = SEND_READ_TIMEOUT,
    ) -> None:
        """One sendMessage call, no retry (`_deliver` retries)."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": html,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": _NO_PREVIEW,
        }
        if markup is not None:
            data["reply_markup"] = markup
        # Bot.send_message would parse Telegram's copy of the sent message (text, formatting
        # entities, keyboard) into PTB objects that nothing here reads: about a sixth of the bot's
        # CPU per reply. Same request, defaults and errors otherwise.
        await bot.do_api_request("sendMessage", api_kwargs=data, read_timeout=read_timeout)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log errors of update processing (rate-limited per kind); the application keeps running."""
        update_id = update.update_id if isinstance(update, Update) else None
        kind = type(context.error).__name__
        self._throttle.log(
            kind, logging.ERROR, "telegram update %s failed", update_id, exc_info=context.error
        )
