"""Handoff to staff: unanswered questions go to the staff group, staff replies go back to one citizen."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.channels.base import Channel
from bot.config import StaffConfig, parse_span
from bot.files import private_sqlite
from bot.report import office_timezone
from bot.safety import encodable
from handlers import texts
from handlers.messages import Incoming, Reply
from handlers.privacy import mask_personal_data

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    question TEXT NOT NULL,
    created_at REAL NOT NULL,
    answered_at REAL
);
"""
_REF = re.compile(r"#(\d{4,})")
_DEDUP_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class Ticket:
    """One question put through to staff; `chat_id` never leaves this module towards staff."""

    number: int
    channel: str
    chat_id: str
    question: str
    created_at: float

    @property
    def ref(self) -> str:
        """The reference shown to citizen and staff, e.g. "#0042"."""
        return f"#{self.number:04d}"


def parse_ref(text: str) -> int | None:
    """The ticket number quoted in a staff-group message, if any."""
    m = _REF.search(text or "")
    return int(m.group(1)) if m else None


class TicketStore:
    """Tickets in SQLite, so a staff reply still reaches the citizen after a restart."""

    def __init__(self, path: str | Path) -> None:
        self.path = private_sqlite(Path(path).resolve())  # questions and chat ids: owner-only
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)
        private_sqlite(self.path)  # the -wal/-shm files made by an older version or another opener

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def open(self, channel: str, chat_id: str, question: str, now: float) -> tuple[Ticket, bool]:
        """A ticket for this question; (existing ticket, False) when the same one is still open."""
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT id, created_at FROM handoffs WHERE channel = ? AND chat_id = ? AND question = ?"
                " AND answered_at IS NULL AND created_at >= ? ORDER BY id DESC LIMIT 1",
                (channel, chat_id, question, now - _DEDUP_SECONDS),
            ).fetchone()
            if row:
                return Ticket(row[0], channel, chat_id, question, row[1]), False
            cur = db.execute(
                "INSERT INTO handoffs (channel, chat_id, question, created_at) VALUES (?, ?, ?, ?)",
                (channel, chat_id, question, now),
            )
            assert cur.lastrowid is not None
            return Ticket(cur.lastrowid, channel, chat_id, question, now), True

    def get(self, number: int) -> Ticket | None:
        """The ticket with this number, or None."""
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT id, channel, chat_id, question, created_at FROM handoffs WHERE id = ?", (number,)
            ).fetchone()
        return Ticket(*row) if row else None

    def mark_answered(self, number: int, now: float) -> None:
        """Record that staff answered (a later answer is still relayed)."""
        with closing(self._connect()) as db:
            db.execute("UPDATE handoffs SET answered_at = ? WHERE id = ?", (now, number))


class OfficeHours:
    """When staff are at their desks, from the staff section of the config."""

    def __init__(self, config: StaffConfig) -> None:
        # The default zone falls back to a fixed UTC+7 where the system has no time-zone data.
        self.zone = office_timezone(config.timezone)
        self.days = frozenset(config.working_days)
        self.spans = tuple(sorted(parse_span(s) for s in config.working_hours))

    def is_open(self, when: dt.datetime) -> bool:
        """True during a working span of a working day."""
        local = when.astimezone(self.zone)
        t = local.time()
        return local.weekday() in self.days and any(a <= t < b for a, b in self.spans)

    def next_opening(self, when: dt.datetime) -> dt.datetime | None:
        """The next time the office opens: None when it is open now or has no opening hours."""
        if self.is_open(when):
            return None
        local = when.astimezone(self.zone)
        for day in range(8):
            date = local.date() + dt.timedelta(days=day)
            if date.weekday() not in self.days:
                continue
            for start, _ in self.spans:
                opening = dt.datetime.combine(date, start, tzinfo=self.zone)
                if opening > local:
                    return opening
        return None


class HandoffDesk:
    """Puts citizens through to the staff group and relays staff replies back, on any channel."""

    def __init__(
        self,
        store: TicketStore,
        *,
        staff_channel: str,
        staff_chat_id: str,
        channels: Mapping[str, Channel],
        hours: OfficeHours,
        clock: Callable[[], float] = time.time,
        route: Callable[[str, str], str | None] | None = None,
    ) -> None:
        """`route(channel, chat_id)`: the staff chat of that citizen's office (a province's offices),
        None for the default `staff_chat_id`."""
        self.route = route
        self.store = store
        self.staff_channel = staff_channel
        self.staff_chat_id = staff_chat_id
        self.channels = channels
        self.hours = hours
        self.clock = clock

    async def observe(self, msg: Incoming, reply: Reply, delivered: bool = True) -> None:
        """Exchange observer: open a ticket when the conversation asked for a handoff.

        Whether the bot's own reply got through does not matter: the citizen asked for staff.
        """
        if not reply.handoff:
            return
        question = mask_personal_data((reply.outcome.question if reply.outcome else "") or msg.text)
        question = encodable(question)  # a lone surrogate would fail the ticket insert and the post
        if not question.strip():
            return
        now = self.clock()
        ticket, is_new = await asyncio.to_thread(self.store.open, msg.channel, msg.chat_id, question, now)
        when = dt.datetime.fromtimestamp(now, tz=self.hours.zone)
        if is_new:
            staff = self.channels[self.staff_channel]
            target = (
                self.route(msg.channel, msg.chat_id) if self.route is not None else None
            ) or self.staff_chat_id
            await staff.send(
                target,
                Reply(texts.staff_ticket(ticket.ref, _CHANNEL_NAMES.get(msg.channel, msg.channel), question)),
            )
            log.info("handoff ticket %s opened from %s", ticket.ref, msg.channel)
        notice = texts.handoff_ticket(ticket.ref, self.hours.is_open(when), self.hours.next_opening(when))
        await self.channels[msg.channel].send(msg.chat_id, Reply(notice))

    async def relay(self, number: int, text: str) -> str:
        """Send a staff reply to the ticket's citizen; returns the confirmation for the staff group."""
        ticket = await asyncio.to_thread(self.store.get, number)
        if ticket is None:
            return texts.staff_unknown_ticket(number)
        channel = self.channels.get(ticket.channel)
        if channel is None:
            return texts.staff_channel_down(ticket.ref)
        try:
            await channel.send(ticket.chat_id, Reply(texts.staff_answer(text)))
        except Exception:
            log.exception("relaying the staff reply for ticket %s failed", ticket.ref)
            return texts.staff_relay_failed(ticket.ref)
        await asyncio.to_thread(self.store.mark_answered, number, self.clock())
        log.info("staff reply relayed for ticket %s", ticket.ref)
        return texts.staff_relayed(ticket.ref)


_CHANNEL_NAMES = {"telegram": "Telegram", "zalo_bot": "Zalo", "zalo_oa": "Zalo OA", "console": "console"}
