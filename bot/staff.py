"""Wires the staff tools into a built app: interaction log, handoff, admin commands, digest, alerts."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any

from bot.admin import AdminCommands
from bot.channels.base import Channel, ChannelContext
from bot.config import AppConfig
from bot.handoff import HandoffDesk, OfficeHours, TicketStore
from bot.reload import FaqReloader, ReloadResult, reload_text
from bot.report import Report, build_report, format_digest, office_timezone
from bot.storage import InteractionLog
from faq.knowledge import KnowledgeSource
from handlers.messages import Reply

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


def install_staff_tools(
    config: AppConfig,
    knowledge: KnowledgeSource,
    context: ChannelContext,
    background: list[Background],
    closers: list[Callable[[], None]],
) -> None:
    """Add the interaction log, FAQ watcher, admin commands, handoff and digest to a built app."""
    storage = config.storage
    interactions = InteractionLog(storage.path, salt=storage.salt, retention_days=storage.retention_days)
    closers.append(interactions.close)
    context.observers.append(interactions.observe)
    background.append(lambda stop: purge_daily(interactions, stop))

    reloader = knowledge if isinstance(knowledge, FaqReloader) else None
    if reloader is not None and config.faq.watch:
        background.append(lambda stop: reloader.watch(stop, config.faq.watch_interval))

    telegram = context.channels.get(STAFF_CHANNEL)
    if telegram is None:
        return
    # Imported here: the Telegram transport is loaded only when that channel is enabled.
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_staff import install_admin_commands, install_staff_desk

    assert isinstance(telegram, TelegramChannel)
    tz = office_timezone(config.staff.timezone)
    admin = AdminCommands(
        config.staff.admin_user_ids, reloader=reloader, log=interactions, knowledge=knowledge, tz=tz
    )
    install_admin_commands(telegram, config.staff.admin_user_ids, admin.handle)
    chat_id = config.staff.telegram_chat_id
    if chat_id is None:
        return
    desk = HandoffDesk(
        TicketStore(Path(storage.path)),
        staff_channel=STAFF_CHANNEL,
        staff_chat_id=str(chat_id),
        channels=context.channels,
        hours=OfficeHours(config.staff),
    )
    context.observers.append(desk.observe)
    install_staff_desk(telegram, chat_id, desk)
    if config.staff.weekly_digest:
        notify = StaffNotifier(config, context.channels)
        background.append(lambda stop: weekly_digest(interactions, knowledge, notify, tz, stop))


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
            "interaction log: writer %s, %d rows written, %d queued, %d dropped, %d failed (last error: %s)",
            "running" if h.alive else "STOPPED",
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


def last_week(interactions: InteractionLog, knowledge: KnowledgeSource, tz: dt.tzinfo) -> Report:
    """The report over the seven days up to now (blocking: reads SQLite)."""
    end = time.time()
    since = end - 7 * DAY
    return build_report(interactions.rows(since), knowledge.current().book, since, now=end, tz=tz)


async def weekly_digest(
    interactions: InteractionLog,
    knowledge: KnowledgeSource,
    notify: StaffNotifier,
    tz: dt.tzinfo,
    stop: asyncio.Event,
) -> None:
    """Post last week's digest to the staff group every Monday morning, until `stop`."""
    while not stop.is_set():
        now = dt.datetime.now(tz)
        try:
            await asyncio.wait_for(stop.wait(), timeout=(next_digest_time(now) - now).total_seconds())
            return
        except TimeoutError:
            pass
        report = await asyncio.to_thread(last_week, interactions, knowledge, tz)
        try:
            await notify(format_digest(report))
        except Exception:
            log.exception("could not post the weekly digest")
