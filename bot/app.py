"""Composition root: builds the FAQ, the conversation and the enabled channels, and runs them together.

Extension points (for the Zalo and staff-tools work):
  - build_knowledge(): the one place the KnowledgeSource is made (swap in a live reloader here);
  - build_channels(): one branch per channel kind, each built from bot/channels/* with the shared
    ChannelContext; `App.channels` (also `ChannelContext.channels`) is the name → channel registry,
    so a staff reply can be sent on the citizen's own channel;
  - ChannelContext.observers: async (Incoming, Reply, delivered) callbacks run after each reply;
  - App.background: coroutines `fn(stop_event)` run next to the channels (e.g. the FAQ watcher);
  - TelegramChannel.add_handler(): extra PTB handlers (admin commands, staff group).
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import logging.handlers
import re
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TextIO
from urllib.parse import unquote

from bot.channels.base import Channel, ChannelContext, ChannelStartError
from bot.config import ENV_SECRETS, AppConfig, LoggingConfig
from bot.files import private_file
from bot.handoff import ticket_book
from bot.health import Health, offer_health, serve_health
from bot.notices import ON_STDERR
from bot.offices import Offices, build_offices, overlay_broken
from bot.reload import FaqReloader, LastGood, ReloadResult, last_good_path, served_last_good
from bot.report import channel_name, office_timezone
from bot.semantic import cold_cache_text, semantic_setup
from bot.staff import Background, StaffNotifier, handoff_possible, install_staff_tools, open_storage
from bot.state import build_store
from bot.storage_sql import url_password
from faq.knowledge import Indexer, KnowledgeSource, StaticKnowledge, load_knowledge
from faq.lint import placeholders
from faq.schema import FaqBook
from handlers.conversation import Conversation
from handlers.dedup import SeenEvents
from handlers.flood import FloodGate
from handlers.options import OptionMemory
from handlers.privacy import mask_log_text
from handlers.store import StateStore

log = logging.getLogger(__name__)

FLOOD_WINDOW = 60.0
"""conversation.flood_limit_per_minute counts over this many seconds."""
UNSALTED = (
    "Cảnh báo: chưa đặt storage.salt (biến môi trường FAQBOT_SALT), nên mã người dân trong nhật ký hỏi "
    "đáp được băm bằng khóa mặc định và có thể bị dò ngược. Hãy đặt FAQBOT_SALT bằng một chuỗi ngẫu "
    "nhiên dài (và giữ nguyên chuỗi đó về sau) rồi khởi động lại bot."
)
"""Told to the operator when the bot starts without a salt."""


@dataclass(slots=True)
class App:
    """Everything built from one AppConfig; `channels` is the name → channel registry."""

    config: AppConfig
    knowledge: KnowledgeSource
    conversation: Conversation
    context: ChannelContext
    channels: dict[str, Channel]
    background: list[Background] = field(default_factory=list)
    closers: list[Callable[[], None]] = field(default_factory=list)
    """Run once the channels have stopped (flush the interaction log...)."""
    notices: list[str] = field(default_factory=list)
    """Vietnamese lines for the operator at start: what runs degraded and why (e.g. no log)."""
    health: Health | None = None
    """GET /healthz (bot.health): served on the webhook servers and on health.port."""


def build_indexer(config: AppConfig, console: TextIO | None = None) -> Indexer | None:
    """The semantic indexer, loaded once; None (lexical-only, said once in the log) if it cannot run.

    `console`: where the operator is told, in Vietnamese, of a long first embedding (the channels
    open only after it) and of a vector cache that cannot be written."""

    def announce(count: int) -> None:
        if console is not None:
            print(cold_cache_text(count), file=console, flush=True)

    setup = semantic_setup(config.semantic, announce=announce)
    if setup.indexer is None:
        log.warning("semantic stage unavailable, matching with the lexical stage only: %s", setup.reason)
    else:
        log.debug("semantic stage: %s", setup.model_id)
    if setup.cache_note and console is not None:
        print(f"Lưu ý: {setup.cache_note}", file=console, flush=True)
    return setup.indexer


def build_knowledge(
    config: AppConfig,
    on_failure: Callable[[ReloadResult], Awaitable[None]] | None = None,
    indexer: Indexer | None = None,
    console: TextIO | None = None,
    on_mended: Callable[[str], Awaitable[None]] | None = None,
) -> KnowledgeSource:
    """Load the FAQ and index it (raises faq.loader.FaqError listing every problem).

    A FAQ file of the office's own (faq.path) is watched for edits; the shipped one never changes.
    `console`: where the outcome of each reload is told to the operator, in Vietnamese; `on_failure`
    and `on_mended`: staff, of a broken edit and of its fix.
    """
    if config.faq.path and config.faq.watch:
        return FaqReloader(
            config.faq.path,
            config.matching,
            on_failure=on_failure,
            indexer=indexer,
            console=console,
            on_mended=on_mended,
            last_good=LastGood(last_good_path(config.storage.sqlite_path, config.faq.path)),
        )
    return StaticKnowledge(load_knowledge(config.faq.path, config.matching, indexer))


def build_channels(
    config: AppConfig, context: ChannelContext, store: StateStore | None = None
) -> dict[str, Channel]:
    """The channels enabled in config, by name (transport modules are imported only when enabled);
    each office's own accounts are named "<kind>:<office id>".

    `store`: the state store, for what channels share across processes (polling lease, OA tokens).
    """
    channels: dict[str, Channel] = {}
    accounts = [("", config.telegram, config.zalo_bot, config.zalo_oa)]
    accounts += [(o.id, o.telegram, o.zalo_bot, o.zalo_oa) for o in config.offices]
    for office, telegram, zalo_bot, zalo_oa in accounts:
        suffix = f":{office}" if office else ""
        if telegram.enabled:
            from bot.channels.telegram import TelegramChannel

            channels["telegram" + suffix] = TelegramChannel(
                telegram, context, store=store, name="telegram" + suffix
            )
        if zalo_bot.enabled:
            from bot.channels.zalo_bot import build_zalo_bot_channel

            channels["zalo_bot" + suffix] = build_zalo_bot_channel(
                zalo_bot, context, store, "zalo_bot" + suffix
            )
        if zalo_oa.enabled:
            from bot.channels.zalo_oa import build_zalo_oa_channel

            channels["zalo_oa" + suffix] = build_zalo_oa_channel(zalo_oa, context, store, "zalo_oa" + suffix)
    return channels


def build_app(
    config: AppConfig,
    knowledge: KnowledgeSource | None = None,
    console: TextIO | None = None,
    store: StateStore | None = None,
) -> App:
    """Wire knowledge → conversation → channels → staff tools; nothing is started yet.

    `console`: the operator's terminal (FAQ reloads are told there in Vietnamese), None when unattended.
    `store`: the state store (default: the one `state.backend` names; Redis is pinged, raising
    handlers.store.StateStoreError when it does not answer).
    """
    if store is None:
        # First: an unreachable Redis stops the start before the FAQ and the model are loaded.
        store = build_store(config.state)
    channels: dict[str, Channel] = {}
    notifier = StaffNotifier(config, channels)
    offices: Offices | None = None
    source: KnowledgeSource
    if config.offices and knowledge is None:
        # A province: one shared FAQ, an overlay per office, each file reloaded on its own.
        offices = build_offices(
            config,
            build_indexer(config, console),
            notifier.reload_failed,
            console=console,
            on_mended=notifier,
        )
        source = offices.source
    else:
        source = (
            knowledge
            if knowledge is not None
            else build_knowledge(
                config,
                notifier.reload_failed,
                build_indexer(config, console),
                console=console,
                on_mended=notifier,
            )
        )
    # Opened before the conversation: without a usable storage.path there is no handoff to offer.
    storage = open_storage(config)
    tickets = ticket_book(store, storage.tickets, time.time()) if handoff_possible(config) else None
    conversation = Conversation(
        source,
        context_ttl=config.conversation.context_ttl,
        handoff_enabled=tickets is not None,
        store=store,
        offices=offices.routing if offices is not None else None,
    )
    flood = FloodGate(limit=config.conversation.flood_limit_per_minute, window=FLOOD_WINDOW, store=store)
    context = ChannelContext(
        conversation=conversation,
        flood=flood,
        options=OptionMemory(store=store),
        seen=SeenEvents(store),
        channels=channels,
    )
    channels.update(build_channels(config, context, store))
    log_health = storage.interactions.health if storage.interactions is not None else None
    health = Health(
        source, store, log_health, overlays=offices.source.served if offices is not None else None
    )
    notices = list(storage.notices)
    office_tz = office_timezone(config.staff.timezone)
    if isinstance(source, FaqReloader) and source.broken_at_start:
        notices.append(served_last_good(source.path, source.broken_at_start, source.last_good, office_tz))
    if offices is not None:
        shared = offices.source
        if shared.shared_broken_at_start and config.faq.path:
            notices.append(
                served_last_good(config.faq.path, shared.shared_broken_at_start, shared.last_good, office_tz)
            )
        notices += [overlay_broken(office, problems) for office, problems in offices.source.broken.items()]
    app = App(config, source, conversation, context, channels, notices=notices, health=health)
    close = getattr(store, "close", None)
    if callable(close):
        app.closers.append(close)
    staff_route = None
    if offices is not None:
        province = offices
        desk = conversation.offices
        if config.faq.watch:
            app.background.append(lambda stop: province.source.watch(stop, config.faq.watch_interval))

        def staff_route(channel: str, chat_id: str) -> str | None:
            office = desk.office_of(channel, chat_id) if desk is not None else None
            chat = province.staff_chats.get(office) if office is not None else None
            return str(chat) if chat is not None else None

    install_staff_tools(
        config,
        source,
        context,
        app.background,
        app.closers,
        replace(storage, notices=tuple(notices)),  # every start-up notice reaches the staff group too
        store,
        tickets=tickets,
        staff_route=staff_route,
        office_staff_chats=tuple(offices.staff_chats.values()) if offices is not None else (),
    )
    return app


async def start_channels(app: App, err: TextIO) -> list[Channel]:
    """Start every channel at once; report each failure on `err` and in the log; return the started."""
    channels = list(app.channels.values())
    results = await asyncio.gather(*(c.start() for c in channels), return_exceptions=True)
    started: list[Channel] = []
    for channel, result in zip(channels, results, strict=True):
        if not isinstance(result, BaseException):
            started.append(channel)
            continue
        if isinstance(result, ChannelStartError):
            line = f"Kênh {channel.name} không khởi động được: {result}"
            log.error("%s", line, extra={ON_STDERR: True})
        else:
            line = f"Kênh {channel.name} không khởi động được ({type(result).__name__}); xem nhật ký."
            log.error("channel %s failed to start", channel.name, exc_info=result)
        print(line, file=err, flush=True)
        await _stop_quietly(channel)
    return started


CHANNEL_RETRY = (15.0, 30.0, 60.0, 120.0, 300.0)
"""Seconds before each new attempt to start a channel that failed at start (the last one repeats)."""


async def retry_channels(
    app: App,
    down: list[Channel],
    started: list[Channel],
    stop: asyncio.Event,
    err: TextIO,
    delays: Sequence[float] = CHANNEL_RETRY,
) -> None:
    """Start again, with growing pauses until `stop`, the channels that failed at start (the network not
    up yet at boot, a port still held): the process is alive, so no service manager would restart it."""
    if app.health is not None:
        app.health.channels_down.update(c.name for c in down)
    attempt = 0
    while down:
        try:
            await asyncio.wait_for(stop.wait(), delays[min(attempt, len(delays) - 1)])
            return
        except TimeoutError:
            pass
        attempt += 1
        for channel in list(down):
            try:
                await channel.start()
            except Exception as exc:
                log.warning("channel %s still not started (attempt %d): %s", channel.name, attempt + 1, exc)
                await _stop_quietly(channel)
                continue
            down.remove(channel)
            started.append(channel)
            if app.health is not None:
                app.health.channels_down.discard(channel.name)
                offer_health(channel, app.health)
            line = f"Kênh {channel.name} đã khởi động được (lần thử thứ {attempt + 1})."
            log.info("%s", line, extra={ON_STDERR: True})
            print(line, file=err, flush=True)


async def run_app(app: App, stop: asyncio.Event | None = None, err: TextIO | None = None) -> int:
    """Run the channels until SIGINT/SIGTERM (or `stop`); 2 when no channel could start."""
    err = err if err is not None else sys.stderr
    stop = stop if stop is not None else asyncio.Event()
    if not app.channels:
        print(
            "Chưa bật kênh nào: hãy đặt 'enabled: true' cho telegram, zalo_bot hoặc zalo_oa "
            "trong tệp cấu hình.",
            file=err,
        )
        return 2
    warn_placeholders(app.knowledge.current().book, err)
    for notice in app.notices:
        log.error("%s", notice, extra={ON_STDERR: True})
        print(notice, file=err, flush=True)
    started = await start_channels(app, err)
    if not started:
        for close in app.closers:
            await asyncio.to_thread(close)
        return 2
    if not app.config.storage.salt:
        print(UNSALTED, file=err, flush=True)
        log.warning("storage.salt is empty: user ids are hashed with a default key", extra={ON_STDERR: True})
    installed = _install_signal_handlers(stop)
    health = await serve_health(app.config.health, app.health, started)
    if health is None and app.config.health.port and app.health is not None:
        # Logged in English by bot.health; the operator watching the console is told too.
        where = f"{app.config.health.listen}:{app.config.health.port}"
        print(
            f"Cổng kiểm tra tình trạng {where} (health.port) đang bị chiếm hoặc không mở được: bot vẫn chạy, "
            "nhưng /healthz chỉ có trên cổng webhook (nếu có) — hãy đổi health.port hoặc dừng chương "
            "trình đang giữ cổng đó.",
            file=err,
            flush=True,
        )
    tasks = [asyncio.create_task(job(stop)) for job in app.background]
    down = [c for c in app.channels.values() if c not in started]
    if down:
        print(
            f"Bot vẫn chạy các kênh khác và sẽ tự thử lại {', '.join(c.name for c in down)} (sau "
            f"{CHANNEL_RETRY[0]:.0f} giây, rồi thưa dần tới {CHANNEL_RETRY[-1] / 60:.0f} phút một lần); "
            "trong lúc đó /healthz báo kênh chưa chạy.",
            file=err,
            flush=True,
        )
        tasks.append(asyncio.create_task(retry_channels(app, down, started, stop, err)))
    log.info("faqbot running on %s", ", ".join(c.name for c in started), extra={ON_STDERR: True})
    print(running_text(app, started), file=err, flush=True)
    try:
        await stop.wait()
    finally:
        log.info("stopping", extra={ON_STDERR: True})
        print("Đang dừng bot…", file=err, flush=True)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if health is not None:
            await health.stop()
        for channel in reversed(started):
            await _stop_quietly(channel)
        for close in app.closers:
            await asyncio.to_thread(close)
        _remove_signal_handlers(installed)
    return 0


def running_text(app: App, started: Sequence[Channel]) -> str:
    """The operator's one line once the bot serves: on which channels, which FAQ, how to stop it."""
    kinds = []
    for channel in started:
        kind, _, office = channel.name.partition(":")  # "telegram:hoang-liet": an office's own account
        kinds.append(channel_name(kind) + (f" ({office})" if office else ""))
    book = app.knowledge.current().book
    faq = book.source or "tệp hỏi đáp mẫu"
    return (
        f"Bot đang chạy trên {', '.join(kinds)}; tệp hỏi đáp {faq} ({len(book.entries)} mục). "
        "Nhấn Ctrl+C để dừng."
    )


PLACEHOLDERS_SHOWN = 10
"""At most this many placeholder lines are printed at start; `faqbot check` lists them all."""


def warn_placeholders(book: FaqBook, err: TextIO) -> int:
    """Print (and log) a Vietnamese warning when template placeholders remain; their number."""
    found = placeholders(book)
    if not found:
        return 0
    log.warning(
        "FAQ %s still has %d template placeholders; citizens see them verbatim",
        book.source or "<faq>",
        len(found),
        extra={ON_STDERR: True},
    )
    lines = [
        f"Cảnh báo: tệp FAQ còn {len(found)} chỗ mẫu chưa thay (như «[0xx xxxx xxxx]», "
        "«thay bằng tên đơn vị») — người dân sẽ thấy nguyên văn trong lời chào, thông tin liên hệ "
        "và câu trả lời. Hãy sửa khối 'agency' (và các chỗ dưới đây) rồi kiểm tra bằng "
        f"'faqbot check {book.source}':",
        *(f"  {p}" for p in found[:PLACEHOLDERS_SHOWN]),
    ]
    if len(found) > PLACEHOLDERS_SHOWN:
        lines.append(f"  … và {len(found) - PLACEHOLDERS_SHOWN} chỗ khác.")
    print("\n".join(lines), file=err, flush=True)
    return len(found)


async def _stop_quietly(channel: Channel) -> None:
    try:
        await channel.stop()
    except Exception:
        log.exception("channel %s did not stop cleanly", channel.name)


def _install_signal_handlers(stop: asyncio.Event) -> list[Callable[[], object]]:
    """Ctrl+C and SIGTERM set `stop`, so the channels stop cleanly; returns how to undo each.

    loop.add_signal_handler is missing on Windows (the Proactor loop raises NotImplementedError):
    there a plain signal.signal handler hands the stop to the loop thread-safely instead.
    """
    loop = asyncio.get_running_loop()
    undo: list[Callable[[], object]] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            undo.append(functools.partial(loop.remove_signal_handler, sig))
            continue
        except (NotImplementedError, RuntimeError, ValueError):
            pass
        try:
            previous = signal.signal(sig, lambda _signum, _frame: loop.call_soon_threadsafe(stop.set))
        except (ValueError, OSError):
            continue  # not the main thread: the caller stops the app through `stop`
        undo.append(functools.partial(signal.signal, sig, signal.SIG_DFL if previous is None else previous))
    return undo


def _remove_signal_handlers(undo: Iterable[Callable[[], object]]) -> None:
    for step in undo:
        step()


# -- logging ---------------------------------------------------------------------------------

_TOKEN_LIKE = re.compile(r"\d{6,}:[A-Za-z0-9_-]{20,}")
"""Telegram bot tokens (PTB and httpx put them in URLs)."""


class RedactingFormatter(logging.Formatter):
    """Formats a record, then blanks every known secret and anything shaped like a bot token."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record (with traceback) without secrets."""
        return redact(super().format(record), self._secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret and each token-shaped string replaced by ***."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return _TOKEN_LIKE.sub("***", text)


class PersonalDataFilter(logging.Filter):
    """Masks personal data in every record a handler writes, at every level (PTB and httpx included).

    python-telegram-bot prints whole updates at DEBUG (the citizen's name, username, ids, text),
    so the message, the traceback and the stack are masked, after the secrets are blanked: a masked
    digit run would otherwise break a token into a shape the secret redaction no longer knows.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record masked; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: keep what it said, masked
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = self._clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True

    def _clean(self, text: str) -> str:
        return mask_log_text(redact(text, self._secrets))


_TRACEBACKS = logging.Formatter()


class _NotOnStderr(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, ON_STDERR, False)


def config_secrets(config: AppConfig) -> list[str]:
    """Every secret value in the config (to keep out of logs)."""
    values = [getattr(getattr(config, section), key) for section, key in ENV_SECRETS]
    values.append(config.telegram.webhook.secret_token)
    # A driver's own message may quote the password alone ("unexpected spaces found in …").
    for url in (config.storage.url, config.state.redis_url):
        password = url_password(url)
        values += [password, unquote(password)]
    return [v for v in values if isinstance(v, str) and v]


LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file is owner-only: the file a rotation starts was created 0644."""

    def _open(self) -> io.TextIOWrapper:
        private_file(self.baseFilename)
        return super()._open()


def configure_logging(config: LoggingConfig, secrets: Iterable[str] = ()) -> None:
    """Root logging per config (stderr or a 0600 file), personal data masked, secrets redacted."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "faqbot", False)]:
        root.removeHandler(old)
        old.close()
    handler: logging.Handler
    if config.file:
        # Owner-only: even masked, the log says who asked what and when.
        handler = PrivateRotatingFileHandler(
            private_file(config.file),
            maxBytes=int(config.max_size_mb * 1024 * 1024),
            backupCount=config.backup_count,
            encoding="utf-8",
        )
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(_NotOnStderr())
    handler.addFilter(PersonalDataFilter(secrets))
    # The process id: several workers may share one config, hence one log file.
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    setattr(handler, "faqbot", True)  # noqa: B010 - marks our handler for the next reconfigure
    root.addHandler(handler)
    root.setLevel(config.level.upper())
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
