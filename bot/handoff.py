"""Handoff to staff: unanswered questions go to the staff group, staff replies go back to one citizen."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.channels.base import Channel
from bot.config import StaffConfig, parse_span
from bot.files import private_sqlite
from bot.report import office_timezone
from bot.safety import encodable
from handlers import texts
from handlers.messages import Incoming, Reply
from handlers.privacy import mask_personal_data
from handlers.store import MemoryStore, StateStore, StateStoreError

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
"""The same question from the same chat within this many seconds, still unanswered, is one ticket."""
TICKET_TTL = 30 * 86400.0
"""How long a shared ticket (masked question, channel, chat id) is kept: a staff reply after a long
weekend or the Tết week still reaches the citizen; a month later the answer is moot, and the chat id
(personal data) is not kept longer than the job needs."""
COUNTER_TTL = 100 * 365 * 86400.0
"""The ticket counter must outlive every ticket, so that no number is ever handed out twice."""


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


class Tickets(Protocol):
    """Where tickets live: SQLite for one process (`TicketStore`), the state store for several."""

    def open(self, channel: str, chat_id: str, question: str, now: float) -> tuple[Ticket, bool]:
        """A ticket for this question; (existing ticket, False) when the same one is still open."""
        ...

    def get(self, number: int) -> Ticket | None:
        """The ticket with this number, or None."""
        ...

    def mark_answered(self, number: int, now: float) -> None:
        """Record that staff answered (a later answer is still relayed)."""
        ...


def parse_ref(text: str) -> int | None:
    """The ticket number quoted in a staff-group message, if any."""
    m = _REF.search(text or "")
    return int(m.group(1)) if m else None


def ticket_of_post(text: str) -> int | None:
    """The ticket number of a ticket post ("📩 Câu hỏi #0013 …"), the only staff-group message whose
    replies go to a citizen: a reply to a confirmation or a draft, which quote the number too, is
    colleagues talking among themselves."""
    return parse_ref(text) if (text or "").startswith(texts.STAFF_TICKET_MARK) else None


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

    def unanswered(self, since: float) -> tuple[list[Ticket], int]:
        """Tickets still open created at or after `since`, and the highest number ever given (0: none)."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id, channel, chat_id, question, created_at FROM handoffs"
                " WHERE answered_at IS NULL AND created_at >= ? ORDER BY id",
                (since,),
            ).fetchall()
            (highest,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM handoffs").fetchone()
        return [Ticket(*row) for row in rows], int(highest)


class SharedTickets:
    """Tickets in the state store, so that a staff reply reaching any worker finds its citizen.

    Keys: `handoff:next` (the counter: numbers are unique across processes), `handoff:ticket:<n>`
    (the ticket as JSON, kept TICKET_TTL) and `handoff:open:<channel>:<hash>` (the open ticket of one
    chat's question, kept _DEDUP_SECONDS, removed once staff answer).
    """

    def __init__(self, store: StateStore) -> None:
        self._store = store

    def open(self, channel: str, chat_id: str, question: str, now: float) -> tuple[Ticket, bool]:
        """A ticket for this question; (existing ticket, False) when the same one is still open."""
        key = _open_key(channel, chat_id, question)
        existing = self._still_open(key)
        if existing is not None:
            return existing, False
        ticket = Ticket(self._store.incr("handoff:next", COUNTER_TTL), channel, chat_id, question, now)
        self._put(ticket, None, TICKET_TTL)
        if self._store.add(key, str(ticket.number), _DEDUP_SECONDS):
            return ticket, True
        # Another worker opened the same question at the same moment: one ticket, one staff post.
        self._store.delete(_ticket_key(ticket.number))
        winner = self._still_open(key)
        return (winner, False) if winner is not None else (ticket, True)

    def get(self, number: int) -> Ticket | None:
        """The ticket with this number, or None (unknown, or older than TICKET_TTL)."""
        found = self._read(number)
        return found[0] if found else None

    def mark_answered(self, number: int, now: float) -> None:
        """Record that staff answered: the same question asked again opens a new ticket."""
        found = self._read(number)
        if found is None:
            return
        ticket, _ = found
        self._put(ticket, now, max(1.0, ticket.created_at + TICKET_TTL - now))
        self._store.delete(_open_key(ticket.channel, ticket.chat_id, ticket.question))

    def adopt(self, legacy: TicketStore, now: float) -> int:
        """Copy the open tickets of the SQLite file into the store (idempotent); how many were new.

        Run at start: tickets opened before the move to a shared store still reach their citizen,
        and the counter is raised past every number the file gave, so no number is used twice.
        """
        tickets, highest = legacy.unanswered(now - TICKET_TTL)
        if highest and not self._store.add("handoff:next", str(highest), COUNTER_TTL):
            current = int(self._store.get("handoff:next") or 0)
            for _ in range(max(0, highest - current)):
                self._store.incr("handoff:next", COUNTER_TTL)
        adopted = 0
        for ticket in tickets:
            ttl = ticket.created_at + TICKET_TTL - now
            if ttl > 0 and self._store.add(_ticket_key(ticket.number), _encode(ticket, None), ttl):
                adopted += 1
        return adopted

    def _still_open(self, key: str) -> Ticket | None:
        number = self._store.get(key)
        if number is None:
            return None
        found = self._read(int(number))
        if found is None or found[1] is not None:
            self._store.delete(key)
            return None
        return found[0]

    def _read(self, number: int) -> tuple[Ticket, float | None] | None:
        value = self._store.get(_ticket_key(number))
        if value is None:
            return None
        data = json.loads(value)
        ticket = Ticket(number, data["channel"], data["chat_id"], data["question"], data["created_at"])
        return ticket, data.get("answered_at")

    def _put(self, ticket: Ticket, answered_at: float | None, ttl: float) -> None:
        self._store.set(_ticket_key(ticket.number), _encode(ticket, answered_at), ttl)


def _ticket_key(number: int) -> str:
    return f"handoff:ticket:{number}"


def _open_key(channel: str, chat_id: str, question: str) -> str:
    # A hash, so that neither the chat id nor the (masked) question ends up in a key name.
    digest = hashlib.sha256(f"{chat_id}\n{question}".encode("utf-8", "replace")).hexdigest()[:24]
    return f"handoff:open:{channel}:{digest}"


def _encode(ticket: Ticket, answered_at: float | None) -> str:
    fields = {
        "channel": ticket.channel,
        "chat_id": ticket.chat_id,
        "question": ticket.question,
        "created_at": ticket.created_at,
        "answered_at": answered_at,
    }
    return json.dumps(fields, ensure_ascii=False)


def ticket_book(store: StateStore, legacy: TicketStore | None, now: float) -> Tickets | None:
    """Where this app keeps tickets: the SQLite file with in-process state (one process, survives a
    restart, as before), the shared store otherwise (adopting the file's open tickets once)."""
    if isinstance(store, MemoryStore):
        return legacy
    shared = SharedTickets(store)
    if legacy is not None:
        adopted = shared.adopt(legacy, now)
        if adopted:
            log.info("handoff: %d open tickets moved from %s into the state store", adopted, legacy.path)
    return shared


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
        store: Tickets,
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
                Reply(
                    texts.staff_ticket(
                        ticket.ref,
                        _CHANNEL_NAMES.get(msg.channel, msg.channel),
                        question,
                        reply.outcome.told if reply.outcome is not None else "",
                        asked=reply.outcome is not None and reply.outcome.kind == "handoff",
                    )
                ),
            )
            log.info("handoff ticket %s opened from %s", ticket.ref, msg.channel)
        notice = texts.handoff_ticket(ticket.ref, self.hours.is_open(when), self.hours.next_opening(when))
        await self.channels[msg.channel].send(msg.chat_id, Reply(notice))

    async def relay(self, number: int, text: str) -> str:
        """Send a staff reply to the ticket's citizen; returns the confirmation for the staff group."""
        try:
            ticket = await asyncio.to_thread(self.store.get, number)
        except StateStoreError as exc:
            log.error("ticket #%04d could not be read, staff reply not relayed: %s", number, exc)
            return texts.staff_relay_failed(f"#{number:04d}")
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
        try:
            await asyncio.to_thread(self.store.mark_answered, number, self.clock())
        except StateStoreError as exc:  # the citizen has the answer; only the bookkeeping is lost
            log.warning("ticket %s relayed but not marked answered: %s", ticket.ref, exc)
        log.info("staff reply relayed for ticket %s", ticket.ref)
        return texts.staff_relayed(ticket.ref)


_CHANNEL_NAMES = {"telegram": "Telegram", "zalo_bot": "Zalo", "zalo_oa": "Zalo OA", "console": "console"}
