"""Interaction-log benchmark: SQLite (the baseline) against PostgreSQL on loopback, in the same run.

Run: .venv/bin/python bench/bench_log.py [--rows 20000] [--repeats 3]

Starts its own PostgreSQL (tests/postgres_server.py). Reported per engine, min/median/max over the
repeats: the cost of `record()` on the caller's side (what a reply pays: masking, hashing, queueing),
and how many rows a second the writer thread commits (rows queued at once, timed until all are
written), with the PostgreSQL/SQLite ratio. Then an outage: the server stopped for a few seconds
while rows keep coming, and how long after its return the backlog is written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.storage import InteractionLog  # noqa: E402
from handlers.messages import Incoming, InKind, Outcome, Reply  # noqa: E402
from tests.postgres_server import start_postgres  # noqa: E402

QUESTION = "cho em hỏi làm lại căn cước thì cần giấy tờ gì ạ, sđt em 0912345678"


def exchange(i: int) -> tuple[Incoming, Reply]:
    """A typical logged exchange (the question carries a phone number to mask)."""
    msg = Incoming(channel="zalo_oa", chat_id=str(i), user_id=str(i), kind=InKind.TEXT, text=QUESTION)
    return msg, Reply(text="...", outcome=Outcome(kind="answer", question=QUESTION, entry_id="can-cuoc"))


def run_once(url: str, rows: int) -> tuple[float, float]:
    """(µs per record() call, rows per second committed) for one fresh log."""
    log = InteractionLog(url, salt="s", max_queued=rows + 1)
    items = [exchange(i) for i in range(rows)]
    started = time.perf_counter()
    for msg, reply in items:
        log.record(msg, reply, True)
    queued = time.perf_counter()
    assert log.flush(timeout=600)
    done = time.perf_counter()
    assert log.health().written == rows
    log.close()
    return (queued - started) / rows * 1e6, rows / (done - started)


def summary(values: list[float]) -> str:
    """min / median / max."""
    return f"{min(values):,.1f} / {statistics.median(values):,.1f} / {max(values):,.1f}"


def main() -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    server = start_postgres()
    try:
        results: dict[str, tuple[list[float], list[float]]] = {"sqlite": ([], []), "postgresql": ([], [])}
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(args.repeats):
                for engine in results:
                    if engine == "sqlite":
                        url = f"sqlite:///{Path(tmp) / f'log{r}.sqlite3'}"
                    else:
                        url = server.create_database(f"bench{r}")
                    per_call, per_second = run_once(url, args.rows)
                    results[engine][0].append(per_call)
                    results[engine][1].append(per_second)
        print(f"{args.rows:,} rows, {args.repeats} repeats (min / median / max)")
        for engine, (calls, rates) in results.items():
            print(f"  {engine:10}  record(): {summary(calls)} µs   writer: {summary(rates)} rows/s")
        ratio = statistics.median(results["postgresql"][1]) / statistics.median(results["sqlite"][1])
        call_ratio = statistics.median(results["postgresql"][0]) / statistics.median(results["sqlite"][0])
        print(f"  PostgreSQL / SQLite: writer throughput ×{ratio:.2f}, record() cost ×{call_ratio:.2f}")
        outage(server)
    finally:
        server.cleanup()
    return 0


def outage(server) -> None:  # type: ignore[no-untyped-def]
    """Stop the server for 5 s under 50 rows a second; time from its return to an empty backlog."""
    url = server.create_database("outage")
    log = InteractionLog(url, salt="s")
    log.record(*exchange(0), True)
    assert log.flush(timeout=30)
    server.stop()
    stopped = time.monotonic()
    i = 1
    while time.monotonic() - stopped < 5:
        log.record(*exchange(i), True)
        i += 1
        time.sleep(0.02)
    backlog = log.health().queued
    server.start()
    back = time.monotonic()
    while log.health().queued or log.health().away_since is not None:
        time.sleep(0.01)
    written = time.monotonic() - back
    h = log.health()
    log.close()
    print(
        f"  outage: server down 5 s, {backlog} rows waiting; written {written:.1f} s after it returned; "
        f"{h.written} of {i} rows written, {h.dropped} dropped, {h.failed} failed"
    )


if __name__ == "__main__":
    sys.exit(main())
