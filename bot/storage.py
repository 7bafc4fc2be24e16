"""The interaction log: SQLite or PostgreSQL, written by one background thread so replies never wait.

The writer must outlive anything a row or the database can throw at it: text is made storable before
it is queued, a batch that fails is retried row by row (one bad row costs itself only), any other
error is counted and logged (rate-limited), and the thread goes on. When the database is away (the
PostgreSQL server down or unreachable, the SQLite file locked or its disk full) the rows stay queued
and the writer retries with a growing pause, logging the outage once; they are written when it
returns. The queue is bounded: when the database cannot keep up or stays away, new rows are dropped
and counted rather than eating memory. `health()` says what was written, queued, dropped and failed,
and since when the database is away; /stats shows it.

What a crash loses: rows are committed in batches of at most MAX_BATCH, gathered for at most
LINGER_SECONDS after the first of a burst. A killed process loses the rows still queued: normally
under half a second of traffic; during a database outage every row since it began (at most
`max_queued`). Committed rows survive a process crash; SQLite in WAL mode with synchronous=NORMAL can
also lose the last committed batches on a power cut.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.migrations import SCHEMA_VERSION
from bot.safety import LogThrottle, encodable
from bot.storage_sql import COLUMNS, Engine, SqliteEngine, open_engine
from handlers.messages import Incoming, Reply
from handlers.privacy import hash_user_id, mask_personal_data

log = logging.getLogger(__name__)

__all__ = ["SCHEMA_VERSION", "Interaction", "InteractionLog", "LogHealth", "LogUnavailable"]

_MAX_QUESTION_CHARS = 500
LINGER_SECONDS = 0.5
"""How long the writer gathers rows after the first of a burst before writing them in one transaction."""
MAX_BATCH = 500
"""Rows written in one transaction at most."""
MAX_QUEUED = 10_000
"""Rows waiting for the database at most; beyond that new rows are dropped and counted."""
READ_FLUSH_TIMEOUT = 5.0
"""How long a read waits for queued rows to reach the database before reading what is there."""
RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0, 5.0)
"""Pauses between attempts while the database is away (the last one repeats)."""
CLOSE_GRACE = 5.0
"""How long closing waits for an away database before giving up on the queued rows."""


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
    office: str | None = None
    """The office of a province that answered (None: one office, or not known yet)."""


@dataclass(frozen=True, slots=True)
class LogHealth:
    """What the writer did since the log was opened (for /stats and the ops log)."""

    alive: bool
    queued: int
    """Rows waiting for the database (the backlog during an outage)."""
    written: int
    dropped: int
    """Rows refused because the queue was full (or the log already closed, or closed during an outage)."""
    failed: int
    """Rows the database refused (each one tried on its own)."""
    last_error: str | None = None
    away_since: float | None = None
    """Epoch seconds since when the database is unreachable; None while it answers."""

    @property
    def ok(self) -> bool:
        """True when the writer runs, the database answers and no row was lost."""
        return self.alive and self.away_since is None and not self.dropped and not self.failed


class LogUnavailable(Exception):
    """The log cannot be read now: its database is away (rows being written wait in memory)."""


class InteractionLog:
    """Append-only log of exchanges with retention; safe to call from any thread or task.

    `target`: an SQLite path, an sqlite:/// or postgresql:// URL, or an Engine. `wait_for_server`:
    a PostgreSQL server that does not answer at start is waited for (the bot); False raises
    LogUnavailable instead (one-shot commands).
    """

    def __init__(
        self,
        target: str | Path | Engine,
        *,
        salt: str,
        retention_days: int = 90,
        clock: Callable[[], float] = time.time,
        linger: float = LINGER_SECONDS,
        max_queued: int = MAX_QUEUED,
        max_batch: int = MAX_BATCH,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        wait_for_server: bool = True,
    ) -> None:
        if isinstance(target, Engine):
            self._engine = target
        elif isinstance(target, Path):
            self._engine = SqliteEngine(target)
        else:
            self._engine = open_engine(target)
        self.where = self._engine.where
        self._salt = salt
        self._retention = retention_days * 86400.0
        self._clock = clock
        self._linger = linger
        self._max_queued = max_queued
        self._max_batch = max_batch
        self._delays = retry_delays
        self._throttle = LogThrottle(log)
        self._cond = threading.Condition()
        self._rows: deque[Interaction] = deque()
        self._inflight = 0
        """Rows the writer took and is trying to write (still waiting, for health())."""
        self._accepted = 0
        self._processed = 0
        self._urgent = False
        self._closing = False
        self._closing_at = 0.0
        self._written = 0
        self._dropped = 0
        self._failed = 0
        self._last_error: str | None = None
        self._away_since: float | None = None
        self._migrated = False
        try:
            self._migrate()
        except Exception as exc:
            if isinstance(self._engine, SqliteEngine) or not self._engine.away(exc):
                self._engine.close()
                raise
            if not wait_for_server:
                self._engine.close()
                raise LogUnavailable(one_line(exc)) from exc
            # A server that is not up yet (all workers started together): serve, keep rows, retry.
            self._database_away(exc)
        self._writer = threading.Thread(target=self._write_forever, name="interaction-log", daemon=True)
        self._writer.start()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return self._engine.path if isinstance(self._engine, SqliteEngine) else None

    def _migrate(self) -> None:
        if not self._migrated:
            self._engine.migrate()
            self._migrated = True

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
                office=outcome.office,
            )
        )

    async def observe(self, msg: Incoming, reply: Reply, delivered: bool = True) -> None:
        """Exchange observer for the channels: never blocks the event loop."""
        self.record(msg, reply, delivered)

    def add(self, row: Interaction) -> None:
        """Queue a prepared row (its question must already be masked); dropped and counted when full."""
        row = storable_row(row)
        with self._cond:
            if self._closing or len(self._rows) + self._inflight >= self._max_queued:
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
            "interaction log: queue full (%d rows waiting for the database), row dropped; %d dropped so far",
            self._max_queued,
            dropped,
        )

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every row queued so far is written (or failed); False on timeout, a dead writer
        or an away database (at once: its rows wait for it, not for the caller)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._accepted
            self._urgent = True
            self._cond.notify_all()
            while self._processed < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._writer.is_alive() or self._away_since is not None:
                    return False
                self._cond.wait(min(remaining, 0.5))
            return True

    def wait_written(self, rows: int, timeout: float = 10.0) -> bool:
        """Wait until at least `rows` rows have been written since the log opened (a row recorded
        after a reply may still be on its way to the queue); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._written < rows:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.5))
            return True

    def close(self) -> None:
        """Write what is queued and stop the writer thread (rows added afterwards are dropped)."""
        with self._cond:
            self._closing = True
            self._closing_at = time.monotonic()
            self._cond.notify_all()
        self._writer.join(timeout=30)
        self._engine.close()
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
        """The writer's counters, whether it runs, and since when the database is away."""
        with self._cond:
            return LogHealth(
                alive=self._writer.is_alive(),
                queued=len(self._rows) + self._inflight,
                written=self._written,
                dropped=self._dropped,
                failed=self._failed,
                last_error=self._last_error,
                away_since=self._away_since,
            )

    def purge(self, now: float | None = None) -> int:
        """Delete rows older than the retention period; returns how many went."""
        cutoff = (self._clock() if now is None else now) - self._retention
        with self._reading(), self._engine.connection() as db:
            deleted = db.execute(self._engine.sql("DELETE FROM interactions WHERE at < ?"), (cutoff,))
            return int(deleted.rowcount)

    def rows(self, since: float = 0.0, office: str | None = None) -> list[Interaction]:
        """Every row at or after `since` (epoch seconds), oldest first, including rows still queued;
        only `office`'s rows when given.

        LogUnavailable while the database is away.
        """
        self.flush(READ_FLUSH_TIMEOUT)
        where = "at >= ?" if office is None else "office = ? AND at >= ?"
        params: tuple[object, ...] = (since,) if office is None else (office, since)
        query = self._engine.sql(
            f"SELECT {', '.join(COLUMNS)} FROM interactions WHERE {where} ORDER BY at, id"
        )
        with self._reading(), self._engine.connection() as db:
            return [_row(r) for r in db.execute(query, params).fetchall()]

    def _reading(self) -> _Reading:
        if self._away_since is not None:
            raise LogUnavailable(self._last_error or "database away")
        return _Reading(self)

    # -- the writer thread -------------------------------------------------------------------

    def _write_forever(self) -> None:
        attempt = 0
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            held: list[Interaction] = []
            try:
                held = self._deliver(batch)
            finally:
                with self._cond:
                    self._inflight = 0
                    if held:
                        self._rows.extendleft(reversed(held))
                    self._processed += len(batch) - len(held)
                    self._cond.notify_all()
            if not held:
                attempt = 0
                continue
            if self._give_up_on_close():
                continue
            # New rows must not cut the pause short (one attempt per row at peak); closing does.
            deadline = time.monotonic() + self._delays[min(attempt, len(self._delays) - 1)]
            with self._cond:
                while not self._closing and (left := deadline - time.monotonic()) > 0:
                    self._cond.wait(left)
            attempt += 1

    def _deliver(self, batch: list[Interaction]) -> list[Interaction]:
        """Write the batch; the rows still unwritten when the database is away (empty otherwise)."""
        written_before = self._written
        try:
            self._migrate()
            with self._engine.connection() as db:
                self._write(db, batch)
        except _Away as away:
            self._database_away(away.error)
            return away.rows
        except Exception as exc:
            if self._engine.away(exc):
                self._database_away(exc)
                return batch[self._written - written_before :]
            # Anything else (a bug, a broken file): count, log, carry on with the next batch.
            self._note_failure(len(batch), exc)
            return []
        self._database_back()
        return []

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
            self._inflight = count
            if not self._rows:
                self._urgent = False
            return batch

    def _write(self, db: Any, batch: list[Interaction]) -> bool:
        """Write the batch in one transaction, else row by row; False when no row went in."""
        insert = self._engine.insert_sql()
        try:
            with self._engine.transaction(db):
                db.executemany(insert, [_values(r) for r in batch])
        except Exception as exc:
            if self._engine.away(exc):
                raise
            # One bad row must not cost its neighbours: try each on its own.
            log.debug("interaction log batch of %d failed (%s), writing row by row", len(batch), exc)
            written = 0
            for i, row in enumerate(batch):
                try:
                    db.execute(insert, _values(row))
                    written += 1
                except Exception as row_exc:
                    if self._engine.away(row_exc):
                        with self._cond:
                            self._written += written
                        raise _Away(batch[i:], row_exc) from row_exc
                    self._note_failure(1, row_exc)
            with self._cond:
                self._written += written
            return written > 0
        with self._cond:
            self._written += len(batch)
        return True

    def _give_up_on_close(self) -> bool:
        """While closing with the database away past CLOSE_GRACE: drop what is queued (True), logged."""
        with self._cond:
            if not self._closing or time.monotonic() - self._closing_at < CLOSE_GRACE:
                return False
            lost = len(self._rows)
            self._rows.clear()
            self._dropped += lost
            self._processed += lost
            self._cond.notify_all()
        log.error(
            "interaction log: database %s still away at shutdown, %d queued rows lost", self.where, lost
        )
        return True

    def _database_away(self, exc: BaseException) -> None:
        reason = one_line(exc)
        with self._cond:
            first = self._away_since is None
            if first:
                self._away_since = self._clock()
            self._last_error = reason
            queued = len(self._rows) + self._inflight
        if first:
            log.error(
                "interaction log: database %s unreachable (%s); keeping rows in memory (at most %d) and "
                "retrying; replies go on",
                self.where,
                reason,
                self._max_queued,
            )
        else:
            self._throttle.log(
                "away",
                logging.WARNING,
                "interaction log: database %s still away, %d rows waiting, %d dropped",
                self.where,
                queued,
                self._dropped,
            )

    def _database_back(self) -> None:
        with self._cond:
            since = self._away_since
            if since is None:
                return
            self._away_since = None
            queued = len(self._rows)
        log.warning(
            "interaction log: database %s back after %.0f s; %d rows still queued, %d dropped so far",
            self.where,
            self._clock() - since,
            queued,
            self._dropped,
        )

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


class _Away(Exception):
    """Raised inside the writer when the database goes away part-way through a batch."""

    def __init__(self, rows: list[Interaction], error: BaseException) -> None:
        super().__init__(str(error))
        self.rows = rows
        self.error = error


class _Reading:
    """Turns the database's "away" errors during a read into LogUnavailable."""

    def __init__(self, owner: InteractionLog) -> None:
        self._engine = owner._engine

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is not None and not isinstance(exc, LogUnavailable) and self._engine.away(exc):
            raise LogUnavailable(one_line(exc)) from exc


def one_line(exc: BaseException) -> str:
    """ "Type: message" on one line (psycopg's messages span several)."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def _row(r: tuple[Any, ...]) -> Interaction:
    at, channel, user_hash, question, kind, entry_id, score, facet, delivered, office = r
    return Interaction(
        float(at),
        channel,
        user_hash,
        question,
        kind,
        entry_id,
        float(score),
        facet,
        None if delivered is None else bool(delivered),
        office,
    )


def _values(r: Interaction) -> tuple[object, ...]:
    return (
        r.at,
        r.channel,
        r.user_hash,
        r.question,
        r.kind,
        r.entry_id,
        r.score,
        r.facet,
        r.delivered,
        r.office,
    )


def storable_row(row: Interaction) -> Interaction:
    """The row with every text field storable in both engines: a lone surrogate (which Zalo webhooks
    can carry) fails an SQLite insert, a NUL character a PostgreSQL one; both become U+FFFD."""
    fixed: dict[str, Any] = {}
    for name in ("channel", "user_hash", "question", "kind", "entry_id", "facet", "office"):
        value = getattr(row, name)
        if isinstance(value, str) and (clean := encodable(value).replace("\x00", "\ufffd")) != value:
            fixed[name] = clean
    return replace(row, **fixed) if fixed else row
