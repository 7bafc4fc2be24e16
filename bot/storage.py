"""The interaction log: SQLite, written by one background thread so replies never wait on disk.

The writer must outlive anything a row or the disk can throw at it: text is made encodable before
it is queued, a batch that fails is retried row by row (one bad row costs itself only), any other
error is counted and logged (rate-limited), and the thread goes on. The queue is bounded: when the
disk cannot keep up, new rows are dropped and counted rather than eating memory. `health()` says
what was written, dropped and failed; /stats shows it.

What a crash loses: rows are committed in batches of at most MAX_BATCH, gathered for at most
LINGER_SECONDS after the first of a burst. A killed process loses the rows still queued (normally
under half a second of traffic; at most MAX_QUEUED when the disk is slower than the traffic).
Committed rows survive a process crash; with synchronous=NORMAL in WAL mode a power cut can also
lose the last committed batches.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.safety import LogThrottle, encodable
from handlers.messages import Incoming, Reply
from handlers.privacy import hash_user_id, mask_personal_data

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    channel TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    entry_id TEXT,
    score REAL NOT NULL DEFAULT 0,
    facet TEXT,
    delivered INTEGER
);
CREATE INDEX IF NOT EXISTS interactions_at ON interactions (at);
"""
SCHEMA_VERSION = 2
"""PRAGMA user_version of an up-to-date file; 2 added `delivered` (NULL on older rows: not recorded)."""
_COLUMNS = "at, channel, user_hash, question, kind, entry_id, score, facet, delivered"
_INSERT = f"INSERT INTO interactions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_MAX_QUESTION_CHARS = 500
LINGER_SECONDS = 0.5
"""How long the writer gathers rows after the first of a burst before writing them in one transaction."""
MAX_BATCH = 500
"""Rows written in one transaction at most."""
MAX_QUEUED = 10_000
"""Rows waiting for the disk at most; beyond that new rows are dropped and counted."""
READ_FLUSH_TIMEOUT = 5.0
"""How long a read waits for queued rows to reach the disk before reading what is there."""


@dataclass(frozen=True, slots=True)
class Interaction:
    """One logged exchange; the question is already masked and the user id hashed.

    `delivered`: True once the reply reached the platform, False when sending it failed, None on
    rows written before this was recorded.
    """

    at: float
    channel: str
    user_hash: str
    question: str
    kind: str
    entry_id: str | None = None
    score: float = 0.0
    facet: str | None = None
    delivered: bool | None = None


@dataclass(frozen=True, slots=True)
class LogHealth:
    """What the writer did since the log was opened (for /stats and the ops log)."""

    alive: bool
    queued: int
    written: int
    dropped: int
    """Rows refused because the queue was full (or the log already closed)."""
    failed: int
    """Rows the database refused (each one tried on its own)."""
    last_error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the writer runs and no row was lost."""
        return self.alive and not self.dropped and not self.failed


class InteractionLog:
    """Append-only log of exchanges with retention; safe to call from any thread or task."""

    def __init__(
        self,
        path: str | Path,
        *,
        salt: str,
        retention_days: int = 90,
        clock: Callable[[], float] = time.time,
        linger: float = LINGER_SECONDS,
        max_queued: int = MAX_QUEUED,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.path = Path(path).resolve()
        self._salt = salt
        self._retention = retention_days * 86400.0
        self._clock = clock
        self._linger = linger
        self._max_queued = max_queued
        self._max_batch = max_batch
        self._throttle = LogThrottle(log)
        self._cond = threading.Condition()
        self._rows: deque[Interaction] = deque()
        self._accepted = 0
        self._processed = 0
        self._urgent = False
        self._closing = False
        self._written = 0
        self._dropped = 0
        self._failed = 0
        self._last_error: str | None = None
        # OSError or sqlite3.Error when the file cannot be used (bot.staff.open_storage degrades).
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            _migrate(db)
        self._writer = threading.Thread(target=self._write_forever, name="interaction-log", daemon=True)
        self._writer.start()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    def record(self, msg: Incoming, reply: Reply, delivered: bool | None = None) -> None:
        """Queue one exchange for writing (masking and hashing happen here, before anything leaves)."""
        outcome = reply.outcome
        if outcome is None:
            return
        question = mask_personal_data(outcome.question or msg.text)[:_MAX_QUESTION_CHARS]
        self.add(
            Interaction(
                at=self._clock(),
                channel=msg.channel,
                user_hash=hash_user_id(msg.channel, encodable(msg.user_id), self._salt),
                question=question,
                kind=outcome.kind,
                entry_id=outcome.entry_id,
                score=round(outcome.score, 1),
                facet=outcome.facet,
                delivered=delivered,
            )
        )

    async def observe(self, msg: Incoming, reply: Reply, delivered: bool = True) -> None:
        """Exchange observer for the channels: never blocks the event loop."""
        self.record(msg, reply, delivered)

    def add(self, row: Interaction) -> None:
        """Queue a prepared row (its question must already be masked); dropped and counted when full."""
        row = _encodable_row(row)
        with self._cond:
            if self._closing or len(self._rows) >= self._max_queued:
                self._dropped += 1
                dropped = self._dropped
            else:
                self._rows.append(row)
                self._accepted += 1
                if len(self._rows) == 1 or len(self._rows) >= self._max_batch:
                    self._cond.notify_all()
                return
        self._throttle.log(
            "dropped",
            logging.WARNING,
            "interaction log: queue full (%d rows waiting for the disk), row dropped; %d dropped so far",
            self._max_queued,
            dropped,
        )

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every row queued so far is written (or failed); False on timeout or a dead writer."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._accepted
            self._urgent = True
            self._cond.notify_all()
            while self._processed < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._writer.is_alive():
                    return False
                self._cond.wait(min(remaining, 0.5))
            return True

    def close(self) -> None:
        """Write what is queued and stop the writer thread (rows added afterwards are dropped)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._writer.join(timeout=30)
        health = self.health()
        if health.dropped or health.failed:
            log.warning(
                "interaction log closed: %d rows written, %d dropped, %d failed (last error: %s)",
                health.written,
                health.dropped,
                health.failed,
                health.last_error,
            )

    def health(self) -> LogHealth:
        """The writer's counters and whether it runs."""
        with self._cond:
            return LogHealth(
                alive=self._writer.is_alive(),
                queued=len(self._rows),
                written=self._written,
                dropped=self._dropped,
                failed=self._failed,
                last_error=self._last_error,
            )

    def purge(self, now: float | None = None) -> int:
        """Delete rows older than the retention period; returns how many went."""
        cutoff = (self._clock() if now is None else now) - self._retention
        with closing(self._connect()) as db:
            return db.execute("DELETE FROM interactions WHERE at < ?", (cutoff,)).rowcount

    def rows(self, since: float = 0.0) -> list[Interaction]:
        """Every row at or after `since` (epoch seconds), oldest first, including rows still queued."""
        self.flush(READ_FLUSH_TIMEOUT)
        with self._reader() as db:
            cur = db.execute(f"SELECT {_COLUMNS} FROM interactions WHERE at >= ? ORDER BY at, id", (since,))
            return [_row(r) for r in cur.fetchall()]

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            yield db
        finally:
            db.close()

    # -- the writer thread -------------------------------------------------------------------

    def _write_forever(self) -> None:
        db: sqlite3.Connection | None = None
        try:
            while True:
                batch = self._next_batch()
                if batch is None:
                    return
                try:
                    if db is None:
                        db = self._connect()
                    if not self._write(db, batch):
                        # Not one row went in: start the next batch on a fresh connection.
                        _close_quietly(db)
                        db = None
                except Exception as exc:
                    # Anything else (the file vanished, the connection broke): count, log, reconnect.
                    self._note_failure(len(batch), exc)
                    if db is not None:
                        _close_quietly(db)
                        db = None
                finally:
                    with self._cond:
                        self._processed += len(batch)
                        self._cond.notify_all()
        finally:
            if db is not None:
                _close_quietly(db)

    def _next_batch(self) -> list[Interaction] | None:
        """Wait for rows, linger for a burst, and take up to max_batch; None once closed and drained."""
        with self._cond:
            while not self._rows and not self._closing:
                self._urgent = False
                self._cond.wait()
            # Under load, one transaction per burst instead of a wake-up and a commit per row.
            deadline = time.monotonic() + self._linger
            while not (self._urgent or self._closing or len(self._rows) >= self._max_batch):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if not self._rows:
                return None  # closing, nothing left
            count = min(len(self._rows), self._max_batch)
            batch = [self._rows.popleft() for _ in range(count)]
            if not self._rows:
                self._urgent = False
            return batch

    def _write(self, db: sqlite3.Connection, batch: list[Interaction]) -> bool:
        """Write the batch in one transaction, else row by row; False when no row went in."""
        try:
            with db:
                db.execute("BEGIN")
                db.executemany(_INSERT, [_values(r) for r in batch])
        except Exception as exc:
            # One bad row must not cost its neighbours: try each on its own.
            log.debug("interaction log batch of %d failed (%s), writing row by row", len(batch), exc)
            written = 0
            for row in batch:
                try:
                    db.execute(_INSERT, _values(row))
                    written += 1
                except Exception as row_exc:
                    self._note_failure(1, row_exc)
            with self._cond:
                self._written += written
            return written > 0
        with self._cond:
            self._written += len(batch)
        return True

    def _note_failure(self, count: int, exc: BaseException) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        with self._cond:
            self._failed += count
            self._last_error = reason
            failed = self._failed
        self._throttle.log(
            "failed",
            logging.ERROR,
            "interaction log: %d row(s) not written (%s); %d failed so far",
            count,
            reason,
            failed,
        )


def _migrate(db: sqlite3.Connection) -> None:
    """Create the table, or bring an older file up to SCHEMA_VERSION."""
    db.executescript(_SCHEMA)
    columns = {r[1] for r in db.execute("PRAGMA table_info(interactions)")}
    if "delivered" not in columns:
        try:
            db.execute("ALTER TABLE interactions ADD COLUMN delivered INTEGER")
        except sqlite3.OperationalError:
            # Another process (faqbot report, a second bot) may have added it meanwhile.
            columns = {r[1] for r in db.execute("PRAGMA table_info(interactions)")}
            if "delivered" not in columns:
                raise
    if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _row(r: tuple[Any, ...]) -> Interaction:
    at, channel, user_hash, question, kind, entry_id, score, facet, delivered = r
    return Interaction(
        at,
        channel,
        user_hash,
        question,
        kind,
        entry_id,
        score,
        facet,
        None if delivered is None else bool(delivered),
    )


def _values(r: Interaction) -> tuple[object, ...]:
    delivered = None if r.delivered is None else int(r.delivered)
    return (r.at, r.channel, r.user_hash, r.question, r.kind, r.entry_id, r.score, r.facet, delivered)


def _encodable_row(row: Interaction) -> Interaction:
    """The row with every text field encodable (a lone surrogate would fail the whole insert)."""
    fixed: dict[str, Any] = {}
    for name in ("channel", "user_hash", "question", "kind", "entry_id", "facet"):
        value = getattr(row, name)
        if isinstance(value, str) and (clean := encodable(value)) is not value:
            fixed[name] = clean
    return replace(row, **fixed) if fixed else row


def _close_quietly(db: sqlite3.Connection) -> None:
    try:
        db.close()
    except Exception:
        log.debug("closing the interaction log connection failed", exc_info=True)
