"""A real PostgreSQL for the tests: initdb + postgres on a free 127.0.0.1 port in a temp dir, stopped after.

The binaries are looked up on PATH, then under /usr/lib/postgresql/NN/bin (where Debian's
`apt-get install postgresql` puts them, off PATH). PostgreSQL refuses to run as root: as root the
server runs as the `postgres` user (else `nobody`), in a directory it owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

START_TIMEOUT = 30.0
READY = b"database system is ready to accept connections"
USER = "faqbot"
DATABASE = "faqbot_test"


def find_binary(name: str) -> str | None:
    """`name` on PATH, else in the newest /usr/lib/postgresql/NN/bin; None when neither has it."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
    )
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged account to run as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and there is neither a 'postgres' nor a 'nobody' user")


class PostgresServer:
    """One postgres process (trust auth, loopback only, no Unix socket); `url` points at its database."""

    def __init__(self, workdir: Path, account: pwd.struct_passwd | None) -> None:
        initdb, postgres = find_binary("initdb"), find_binary("postgres")
        if initdb is None or postgres is None:
            raise RuntimeError(
                "PostgreSQL server binaries (initdb, postgres) not found on PATH or under "
                "/usr/lib/postgresql/*/bin (apt-get install postgresql)"
            )
        self._postgres = postgres
        self._account = account
        self.workdir = workdir
        self.data = workdir / "data"
        self.logfile = workdir / "postgres.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._run([initdb, "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"])

    @property
    def url(self) -> str:
        """The test database's URL."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def admin_url(self) -> str:
        """The URL of the always-present `postgres` database (to create others)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _user_kwargs(self) -> dict[str, object]:
        if self._account is None:
            return {}
        return {"user": self._account.pw_uid, "group": self._account.pw_gid, "extra_groups": []}

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(argv, capture_output=True, timeout=120, **self._user_kwargs())  # type: ignore[call-overload]
        if done.returncode != 0:
            raise RuntimeError(
                f"{argv[0]} failed: {(done.stdout + done.stderr).decode(errors='replace')[-800:]}"
            )

    def start(self) -> None:
        """Start (or restart, on the same port) the server; return once it accepts connections."""
        if self.port == 0:
            self.port = _free_port()
        ready = threading.Event()
        self.process = subprocess.Popen(  # type: ignore[call-overload]
            [
                self._postgres,
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
                "-k",
                "",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "lc_messages=C",  # READY is matched in English
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **self._user_kwargs(),
        )
        reader = threading.Thread(target=self._copy_log, args=(self.process, ready), daemon=True)
        reader.start()
        # The server says when it accepts connections; its output ending means it exited.
        if not ready.wait(START_TIMEOUT):
            raise RuntimeError(f"postgres did not become ready in {START_TIMEOUT:.0f} s: {self.log_tail()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"postgres exited: {self.log_tail()}")

    def _copy_log(self, process: subprocess.Popen[bytes], ready: threading.Event) -> None:
        """Copy the server's output into its log file; set `ready` once it accepts connections (or
        when the output ends: the server exited)."""
        assert process.stdout is not None
        with open(self.logfile, "ab") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                if READY in line:
                    ready.set()
        ready.set()

    def stop(self) -> None:
        """Stop the server at once ("immediate" shutdown: connections are cut as in a crash)."""
        if self.process is None:
            return
        self.process.send_signal(3)  # SIGQUIT: immediate shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self) -> str:
        """The end of the server's log (for failure messages)."""
        try:
            return self.logfile.read_text(encoding="utf-8", errors="replace")[-800:]
        except OSError:
            return ""

    def create_database(self, name: str) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def cleanup(self) -> None:
        """Stop the server and delete its directory."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """A running server with an empty DATABASE; RuntimeError with the reason when it cannot start."""
    account = _run_as()
    # Not under pytest's tmp dir: as root that is mode 0700 and the postgres account could not enter it.
    workdir = Path(tempfile.mkdtemp(prefix="faqbot-pg-"))
    if account is not None:
        os.chown(workdir, account.pw_uid, account.pw_gid)
    try:
        server = PostgresServer(workdir, account)
        server.start()
        server.create_database(DATABASE)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return server
