"""The two databases the interaction log can live in: an SQLite file or PostgreSQL (psycopg 3, a pool).

Each engine owns its connections, its SQL dialect and which of its errors mean "the database is away
for now" (rows are kept and retried) rather than "this row is wrong" (the row is counted as failed).
psycopg is imported only when a postgresql:// URL is opened (an optional extra, `.[postgres]`).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bot.config import POSTGRES_SCHEMES, SQLITE_SCHEME, StorageConfig
from bot.migrations import migrate_postgresql, migrate_sqlite
from bot.safety import ThrottlingFilter

log = logging.getLogger(__name__)

COLUMNS = (
    "at",
    "channel",
    "user_hash",
    "question",
    "kind",
    "entry_id",
    "score",
    "facet",
    "delivered",
    "office",
)
_SQLITE_AWAY = ("locked", "busy", "disk is full", "unable to open", "disk i/o")
"""sqlite3.OperationalError messages that pass (another writer, a full or lost disk), not bad rows."""
CONNECT_TIMEOUT = 5
"""Seconds to reach PostgreSQL before a connection attempt counts as an outage."""


RECONNECT_CHAIN = 10.0
"""Seconds the pool keeps one chain of reconnection attempts going."""


class DriverMissing(Exception):
    """A postgresql:// URL on a machine without psycopg; the message is for the operator."""


class Engine(ABC):
    """One database holding the interaction log; safe to use from several threads."""

    where: str
    """How the operator names it: the file path, or the URL without its password."""
    dialect: str

    @abstractmethod
    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection in autocommit mode (a transaction only inside `transaction`)."""

    @abstractmethod
    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """Commit what runs inside, or roll it all back."""

    @abstractmethod
    def migrate(self) -> int:
        """Bring the schema up to date; returns the version found."""

    @abstractmethod
    def away(self, exc: BaseException) -> bool:
        """True when `exc` means the database is unreachable for now (keep the rows and retry)."""

    def sql(self, text: str) -> str:
        """`text` with `?` placeholders in this engine's style."""
        return text

    def insert_sql(self, extra: Sequence[str] = ()) -> str:
        """INSERT of one interaction row (plus `extra` columns)."""
        names = (*COLUMNS, *extra)
        marks = ", ".join("?" for _ in names)
        return self.sql(f"INSERT INTO interactions ({', '.join(names)}) VALUES ({marks})")

    def close(self) -> None:  # noqa: B027 - SQLite keeps no connection open: nothing to release
        """Release the connections (nothing for SQLite)."""


class SqliteEngine(Engine):
    """An SQLite file in WAL mode; a connection per use (a file has no server to keep one for)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        self.where = str(self.path)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            try:
                db.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as exc:
                # Switching the journal mode needs the file to itself, and SQLite answers "locked" at
                # once (no busy wait) while another process opens it; the mode belongs to the file, so
                # this connection works in the current one and the next connection switches it.
                if "locked" not in str(exc):
                    raise
            db.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection, closed afterwards."""
        with closing(self._connect()) as db:
            yield db

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """BEGIN … COMMIT (ROLLBACK on an error)."""
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def migrate(self) -> int:
        """Create the folder and the file, or upgrade an older file in place."""
        # OSError or sqlite3.Error when the file cannot be used (bot.staff.open_storage degrades).
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as db:
            return migrate_sqlite(db, self.where)

    def away(self, exc: BaseException) -> bool:
        """A locked, full or vanished disk passes; other errors are about the row."""
        return isinstance(exc, sqlite3.OperationalError) and any(m in str(exc).lower() for m in _SQLITE_AWAY)


class PostgresEngine(Engine):
    """A PostgreSQL database through a psycopg_pool.ConnectionPool (a few connections, checked on use)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, pooled: bool = True, max_size: int = 4) -> None:
        """`pooled`: a pool that reconnects in the background (the bot); False: one connection per
        use and nothing logged (one-shot commands, which say what went wrong themselves)."""
        try:
            import psycopg
            from psycopg_pool import ConnectionPool, PoolTimeout
        except ImportError as exc:
            raise DriverMissing(
                "storage.url trỏ tới PostgreSQL nhưng máy này chưa cài thư viện psycopg — hãy chạy "
                "pip install -c constraints.txt -e '.[postgres]'."
            ) from exc
        self._errors: tuple[type[BaseException], ...] = (psycopg.OperationalError, PoolTimeout)
        self.where = redact(url)
        self._url = url
        self._connect_args: dict[str, Any] = {
            "autocommit": True,
            "connect_timeout": CONNECT_TIMEOUT,
            "application_name": "faqbot",
        }
        self._pool: ConnectionPool[Any] | None = None
        if not pooled:
            return
        _quiet_pool_log()
        # Opened at once without waiting: a server not up yet is retried in the pool's background.
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            open=True,
            timeout=CONNECT_TIMEOUT,
            check=ConnectionPool.check_connection,
            kwargs=self._connect_args,
            name="faqbot-log",
            # The pool's retries back off without a cap (1, 2, 4 … s): give up a chain early instead, and
            # the writer's next request (every few seconds while the server is away) starts a new one,
            # so rows reach the server seconds after it returns, not minutes.
            reconnect_timeout=RECONNECT_CHAIN,
        )

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A checked connection from the pool (PoolTimeout when none can be had in CONNECT_TIMEOUT)."""
        if self._pool is None:
            import psycopg

            with psycopg.connect(self._url, **self._connect_args) as conn:
                yield conn
            return
        with self._pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """psycopg's transaction block."""
        with conn.transaction():
            yield

    def migrate(self) -> int:
        """Create or upgrade the schema (several workers at once migrate it once)."""
        with self.connection() as conn:
            return migrate_postgresql(conn, self.where)

    def away(self, exc: BaseException) -> bool:
        """A lost connection, a server shutting down or no connection within the timeout."""
        return isinstance(exc, self._errors)

    def sql(self, text: str) -> str:
        """psycopg's placeholders."""
        return text.replace("?", "%s")

    def close(self) -> None:
        """Close the pool's connections."""
        if self._pool is not None:
            self._pool.close(timeout=5)


_REFUSED = (
    "password authentication failed",
    "authentication failed",
    "does not exist",
    "no pg_hba.conf entry",
    "permission denied",
)
"""What a PostgreSQL server says when it answers and will keep refusing: a wrong password, no such
database or role, not allowed from this address."""


def refusal(url: str) -> BaseException | None:
    """Why a PostgreSQL URL will never work as it is (a wrong password, a missing database, a URL the
    driver cannot read), checked with one connection; None when it works, or the server is only away
    (not up yet, unreachable: the log waits for it)."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=True):
            return None
    except psycopg.ProgrammingError as exc:  # the URL itself ("unexpected spaces found in …")
        return exc
    except psycopg.OperationalError as exc:
        return exc if any(marker in str(exc).lower() for marker in _REFUSED) else None


def database_errors() -> tuple[type[Exception], ...]:
    """The exception classes either engine raises for a database problem (psycopg's when installed)."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def _quiet_pool_log() -> None:
    """psycopg_pool logs a warning per failed reconnection attempt: one a minute is enough."""
    logger = logging.getLogger("psycopg.pool")
    if not any(isinstance(f, ThrottlingFilter) for f in logger.filters):
        logger.addFilter(ThrottlingFilter())


def open_engine(url: str, *, pooled: bool = True) -> Engine:
    """The engine for an sqlite:/// or postgresql:// URL (a bare path means an SQLite file);
    `pooled=False` for one-shot commands (see PostgresEngine)."""
    if url.startswith(SQLITE_SCHEME):
        return SqliteEngine(url[len(SQLITE_SCHEME) :])
    if url.startswith(POSTGRES_SCHEMES):
        return PostgresEngine(url, pooled=pooled)
    if "://" in url:
        raise ValueError(f"unsupported storage URL scheme: {redact(url)}")
    return SqliteEngine(url)


def log_where(storage: StorageConfig) -> str:
    """How the operator names the log: storage.url without its password, else storage.path."""
    return redact(storage.url) if storage.url else storage.path


_USERINFO = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:@/]*)(?::(?P<password>.*))?@(?P<rest>[^@]*)$", re.S
)
"""scheme://user:password@host…, the password up to the last "@": a generated password may hold
"#", "/", "?" or a space, which urlsplit reads as the fragment, path or query."""


def url_password(url: str) -> str:
    """The password written in a database or Redis URL ("" when none)."""
    m = _USERINFO.match(url)
    found = m.group("password") if m is not None else None
    if not found:
        query = re.search(r"password=([^&\s]*)", url)
        return query.group(1) if query else ""
    return found


def hide_password(text: str, url: str) -> str:
    """`text` (a driver's error, say) with the URL's password blanked, as written and percent-decoded."""
    password = url_password(url)
    for form in sorted({password, unquote(password)}, key=len, reverse=True):
        if len(form) >= 3:
            text = text.replace(form, "***")
    return text


def redact(url: str) -> str:
    """The URL without its password (for logs and messages); a path is returned as it is."""
    if "://" not in url:
        return url
    url = re.sub(r"(password=)[^&\s]*", r"\1***", url)
    m = _USERINFO.match(url)
    if m is None or m.group("password") is None:
        return url
    return f"{m.group('scheme')}{m.group('user')}:***@{m.group('rest')}"
