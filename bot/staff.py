"""Wires the staff tools into a built app: interaction log, handoff, admin commands, digest, alerts."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Collection, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.admin import AdminCommands
from bot.channels.base import Channel, ChannelContext
from bot.config import POSTGRES_SCHEMES, SQLITE_SCHEME, AppConfig, StorageConfig
from bot.handoff import HandoffDesk, OfficeHours, Tickets, TicketStore
from bot.learn import rejected_path
from bot.learn_review import ReviewDesk
from bot.migrations import SchemaTooNew
from bot.reload import FaqReloader, ReloadResult, Reloads, reload_text
from bot.report import Report, build_report, format_digest, office_timezone
from bot.storage import InteractionLog, one_line
from bot.storage_sql import DriverMissing, hide_password, log_where, refusal
from faq.knowledge import KnowledgeSource
from faq.schema import FaqBook
from handlers.messages import Reply
from handlers.store import MemoryStore, StateStore

log = logging.getLogger(__name__)

DAY = 86400.0
Background = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
STAFF_CHANNEL = "telegram"
"""The staff group lives on Telegram (citizens may be on any channel)."""


class StaffNotifier:
    """Posts a line to the staff group, when one is configured and its channel runs."""

    def __init__(self, config: AppConfig, channels: Mapping[str, Channel]) -> None:
        self._chat_id = config.staff.telegram_chat_id
        self._channels = channels

    async def __call__(self, text: str) -> None:
        """Send `text` to the staff group (silently nothing when there is none)."""
        if self._chat_id is None or STAFF_CHANNEL not in self._channels:
            log.info("no staff chat to notify")
            return
        await self._channels[STAFF_CHANNEL].send(str(self._chat_id), Reply(text))

    async def reload_failed(self, result: ReloadResult) -> None:
        """FaqReloader's on_failure: tell staff which lines to fix."""
        await self(reload_text(result))


def handoff_possible(config: AppConfig) -> bool:
    """Handoff needs a staff group and the Telegram channel it lives on."""
    return config.staff.telegram_chat_id is not None and config.telegram.enabled


STORAGE_UNUSABLE = (
    "Không mở được nhật ký hỏi đáp {path} ({reason}). Bot vẫn trả lời người dân, nhưng không ghi lại "
    "câu hỏi, chưa có số liệu /stats và không chuyển câu hỏi cho cán bộ. Hãy kiểm tra thư mục, quyền "
    "ghi và dung lượng ổ đĩa (khóa storage.path) rồi khởi động lại bot."
)
"""The line the operator (start-up output) and the staff group get when the log cannot be opened."""
DATABASE_UNUSABLE = (
    "Không mở được nhật ký hỏi đáp {path}: {reason} Bot vẫn trả lời người dân, nhưng không ghi lại "
    "câu hỏi và chưa có số liệu /stats. Hãy sửa khóa storage.url (biến môi trường FAQBOT_DATABASE_URL) "
    "rồi khởi động lại bot."
)
"""The same when storage.url names a database that cannot be used (driver missing, newer schema)."""
TICKETS_UNUSABLE = (
    "Không mở được sổ chuyển câu hỏi cho cán bộ {path} ({reason}), nên bot tạm không chuyển câu hỏi "
    "cho cán bộ. Hãy kiểm tra ổ đĩa (khóa storage.path) rồi khởi động lại bot."
)


@dataclass(frozen=True, slots=True)
class Storage:
    """What staff tools keep, each None when it could not be opened (the bot serves on)."""

    interactions: InteractionLog | None
    tickets: TicketStore | None
    notices: tuple[str, ...] = ()
    """Vietnamese lines for the operator and the staff group on what is missing and why."""


def open_storage(config: AppConfig) -> Storage:
    """Open the interaction log (storage.url, else storage.path) and the handoff tickets when configured.

    An unusable SQLite file (read-only directory, full disk, a file in the way), a missing PostgreSQL
    driver or a schema newer than this code are logged and reported in `notices`: the bot then serves
    without the log (and, without a usable SQLite file, without handoff) instead of failing to start.
    A PostgreSQL server that does not answer yet is no such problem: the log keeps rows until it does.
    Tickets stay in the local SQLite file (storage.path, or the sqlite:/// file of storage.url).
    """
    storage: StorageConfig = config.storage
    refused = refusal(storage.url) if storage.url.startswith(POSTGRES_SCHEMES) else None
    if refused is not None:
        # Retrying will not mend a wrong password or a missing database: said now, not as a timeout.
        said = hide_password(one_line(refused), storage.url)
        return _without_log(config, f"máy chủ PostgreSQL từ chối ({said}).", refused)
    try:
        interactions = InteractionLog(
            storage.log_url,
            salt=storage.salt,
            retention_days=storage.retention_days,
            max_queued=storage.buffer_rows,
        )
    except (SchemaTooNew, DriverMissing) as exc:
        return _without_log(config, str(exc), exc)
    except (OSError, sqlite3.Error) as exc:
        path = storage.sqlite_path
        log.error("interaction log %s unusable, serving without it or handoff: %s", path, exc)
        return Storage(None, None, (STORAGE_UNUSABLE.format(path=path, reason=_reason(exc)),))
    except Exception as exc:
        if not storage.url.startswith(POSTGRES_SCHEMES):
            raise
        # The server answered but refused (no right to create the tables, no such database...).
        said = hide_password(f"{type(exc).__name__}: {exc}", storage.url)
        return _without_log(config, f"máy chủ PostgreSQL từ chối ({said}).", exc)
    return _with_tickets(config, interactions, ())


def _without_log(config: AppConfig, reason: str, exc: BaseException) -> Storage:
    where = log_where(config.storage)
    log.error("interaction log %s unusable, serving without it: %s: %s", where, type(exc).__name__, exc)
    notice = DATABASE_UNUSABLE.format(path=where, reason=reason)
    if config.storage.url.startswith(SQLITE_SCHEME):
        return Storage(None, None, (notice,))
    return _with_tickets(config, None, (notice,))


def _with_tickets(
    config: AppConfig, interactions: InteractionLog | None, notices: tuple[str, ...]
) -> Storage:
    if not handoff_possible(config):
        return Storage(interactions, None, notices)
    path = config.storage.sqlite_path
    try:
        tickets = TicketStore(Path(path))
    except (OSError, sqlite3.Error) as exc:
        log.error("handoff tickets unusable, handoff disabled: %s", exc)
        return Storage(
            interactions, None, (*notices, TICKETS_UNUSABLE.format(path=path, reason=_reason(exc)))
        )
    return Storage(interactions, tickets, notices)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def install_staff_tools(
    config: AppConfig,
    knowledge: KnowledgeSource,
    context: ChannelContext,
    background: list[Background],
    closers: list[Callable[[], None]],
    storage: Storage,
    store: StateStore | None = None,
    tickets: Tickets | None = None,
    staff_route: Callable[[str, str], str | None] | None = None,
    office_staff_chats: Collection[int] = (),
) -> None:
    """Add the interaction log, FAQ watcher, admin commands, handoff, digest and learning review.

    `store`: the state store shared by the bot processes (the review's button → candidate map);
    `tickets`: where handoff tickets live (bot.handoff.ticket_book); None: no handoff.
    `staff_route`: a province's offices' own staff groups (see HandoffDesk.route), each also
    listened to for replies (`office_staff_chats`)."""
    interactions = storage.interactions
    if interactions is not None:
        closers.append(interactions.close)
        context.observers.append(interactions.observe)
        background.append(lambda stop: purge_daily(interactions, stop))
    if storage.notices:
        notify_problems = StaffNotifier(config, context.channels)
        background.append(lambda stop: announce(notify_problems, storage.notices))

    watched = knowledge if isinstance(knowledge, FaqReloader) else None
    if watched is not None and config.faq.watch:
        background.append(lambda stop: watched.watch(stop, config.faq.watch_interval))
    # A province's files are watched by bot/app.py; an admin's /reload reaches them all the same.
    reloader: Reloads | None = watched if watched is not None else _province_reloader(knowledge)

    telegram = context.channels.get(STAFF_CHANNEL)
    if telegram is None:
        return
    # Imported here: the Telegram transport is loaded only when that channel is enabled.
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_review import install_review, post_periodically
    from bot.channels.telegram_staff import install_admin_commands, install_staff_desk

    assert isinstance(telegram, TelegramChannel)
    tz = office_timezone(config.staff.timezone)
    admin = AdminCommands(
        config.staff.admin_user_ids,
        reloader=reloader,
        log=interactions,
        knowledge=knowledge,
        tz=tz,
        log_unusable=log_where(config.storage) if interactions is None else None,
        channels=context.channels,
    )
    groups = [c for c in (config.staff.telegram_chat_id, *office_staff_chats) if c is not None]
    install_admin_commands(telegram, config.staff.admin_user_ids, admin.handle, groups)
    targets = digest_targets(config)
    if config.staff.weekly_digest and interactions is not None and targets:
        offices = tuple(o.id for o in config.offices)
        channels = context.channels
        background.append(
            lambda stop: weekly_digest(interactions, knowledge, channels, targets, tz, offices, stop)
        )
    chat_id = config.staff.telegram_chat_id
    if chat_id is None:
        return
    review = ReviewDesk(
        faq_path=config.faq.path,
        settings=config.matching,
        knowledge=knowledge,
        interactions=interactions,
        rejections=rejected_path(Path(config.storage.path)),
        store=store if store is not None else MemoryStore(),
        config=config.learning,
        reload=(lambda: reloader.reload(True)) if reloader is not None else None,
        tz=tz,
    )
    install_review(telegram, chat_id, config.staff.admin_user_ids, review)
    interval = config.learning.review_interval_days
    if interval > 0:
        background.append(lambda stop: post_periodically(telegram, chat_id, review, interval, stop))
    if tickets is None:
        return
    desk = HandoffDesk(
        tickets,
        staff_channel=STAFF_CHANNEL,
        staff_chat_id=str(chat_id),
        channels=context.channels,
        hours=OfficeHours(config.staff),
        route=staff_route,
    )
    context.observers.append(desk.observe)
    install_staff_desk(telegram, chat_id, desk, review)
    for office_chat in office_staff_chats:
        install_staff_desk(telegram, office_chat, desk, review)


async def announce(notify: StaffNotifier, lines: tuple[str, ...]) -> None:
    """Post start-up problems to the staff group once the channels run (nothing when there is none)."""
    for line in lines:
        try:
            await notify(line)
        except Exception as exc:
            log.warning("could not tell the staff group about a start-up problem: %s", type(exc).__name__)


async def purge_daily(interactions: InteractionLog, stop: asyncio.Event) -> None:
    """Delete rows past retention now and then every day, and log the writer's health, until `stop`."""
    while not stop.is_set():
        try:
            removed = await asyncio.to_thread(interactions.purge)
        except Exception as exc:
            log.error("purging the interaction log failed: %s: %s", type(exc).__name__, exc)
        else:
            if removed:
                log.info("purged %d interaction rows past retention", removed)
        h = interactions.health()
        log.log(
            logging.INFO if h.ok else logging.WARNING,
            "interaction log: writer %s, database %s, %d rows written, %d queued, %d dropped, %d failed "
            "(last error: %s)",
            "running" if h.alive else "STOPPED",
            "answering" if h.away_since is None else f"AWAY since {time.ctime(h.away_since)}",
            h.written,
            h.queued,
            h.dropped,
            h.failed,
            h.last_error,
        )
        try:
            await asyncio.wait_for(stop.wait(), timeout=DAY)
        except TimeoutError:
            continue


def next_digest_time(now: dt.datetime) -> dt.datetime:
    """Monday 08:00 (office time) after `now`."""
    days = (7 - now.weekday()) % 7
    target = (now + dt.timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    return target if target > now else target + dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DigestTarget:
    """A staff group that gets a weekly digest: the province's (office None) or one office's own."""

    office: str | None
    chat_id: int


def digest_targets(config: AppConfig) -> tuple[DigestTarget, ...]:
    """The province's group (everything logged), then each office that has its own group (its rows)."""
    targets = []
    if config.staff.telegram_chat_id is not None:
        targets.append(DigestTarget(None, config.staff.telegram_chat_id))
    for office in config.offices:
        if office.staff.telegram_chat_id is not None:
            targets.append(DigestTarget(office.id, office.staff.telegram_chat_id))
    return tuple(targets)


def _province_reloader(knowledge: KnowledgeSource) -> Reloads | None:
    """A province's reloader when the knowledge is one (its shared FAQ and every office's overlay)."""
    from bot.offices import ProvinceReloader  # a province only: not loaded for one office

    return knowledge if isinstance(knowledge, ProvinceReloader) else None


def _book_for(knowledge: KnowledgeSource, office: str | None) -> FaqBook:
    """The FAQ an office's citizens see (a province's reloader has one per office)."""
    province = getattr(knowledge, "province", None)
    if office is not None and callable(province):
        book: FaqBook = province().knowledge(office).book
        return book
    return knowledge.current().book


def last_week(
    interactions: InteractionLog,
    knowledge: KnowledgeSource,
    tz: dt.tzinfo,
    office: str | None = None,
    offices: Sequence[str] = (),
) -> Report:
    """The report over the seven days up to now, only `office`'s rows when given (blocking: reads
    the database); `offices`: a province's office ids (one line each in the whole report)."""
    end = time.time()
    since = end - 7 * DAY
    return build_report(
        interactions.rows(since, office),
        _book_for(knowledge, office),
        since,
        now=end,
        tz=tz,
        office=office,
        offices=offices,
    )


async def post_digests(
    interactions: InteractionLog,
    knowledge: KnowledgeSource,
    channels: Mapping[str, Channel],
    targets: Sequence[DigestTarget],
    tz: dt.tzinfo,
    offices: Sequence[str] = (),
) -> int:
    """Post last week's digest to each target group; returns how many went (a failure costs only its own)."""
    staff = channels.get(STAFF_CHANNEL)
    if staff is None:
        log.info("no staff channel to post the weekly digest on")
        return 0
    posted = 0
    for target in targets:
        try:
            # A database away on Monday morning must not end the digest for good.
            report = await asyncio.to_thread(last_week, interactions, knowledge, tz, target.office, offices)
            await staff.send(str(target.chat_id), Reply(format_digest(report)))
            posted += 1
        except Exception:
            log.exception("could not post the weekly digest (office %s)", target.office or "-")
    return posted


async def weekly_digest(
    interactions: InteractionLog,
    knowledge: KnowledgeSource,
    channels: Mapping[str, Channel],
    targets: Sequence[DigestTarget],
    tz: dt.tzinfo,
    offices: Sequence[str],
    stop: asyncio.Event,
) -> None:
    """Post last week's digests every Monday morning, until `stop`: the province's group gets the
    province-wide one, each office with its own staff group the one of its rows."""
    while not stop.is_set():
        now = dt.datetime.now(tz)
        try:
            await asyncio.wait_for(stop.wait(), timeout=(next_digest_time(now) - now).total_seconds())
            return
        except TimeoutError:
            pass
        await post_digests(interactions, knowledge, channels, targets, tz, offices)
