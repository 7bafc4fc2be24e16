"""Two real `faqbot run` processes polling one Telegram bot, sharing one real redis-server (issue 15
item 3): exactly one polls at a time (the lease), the other takes over within seconds when the holder
dies (kill -9) or stops, and no update is skipped; an update is answered twice only if the dead holder
had begun it (the survivor counts and logs each such update)."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.lease import LEASE_TTL, RETRY_INTERVAL
from bot.state import RedisStore
from tests.fakes.bot_process import BotProcess, telegram_config
from tests.fakes.telegram_api import FakeTelegramServer

BACKLOG = 120
FIRST_CHAT = 710_000
TAKEN = "lease telegram-poll:telegram:1000 taken"
POSSIBLE_DUPLICATE = re.compile(r"update \d+ was begun by a process that stopped")


@pytest.fixture
def clean_redis(redis_url: str) -> str:
    store = RedisStore.from_url(redis_url)
    store._client.flushdb()
    store.close()
    return redis_url


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def answers(fake: FakeTelegramServer) -> Counter[int]:
    return Counter(o.chat_id for o in fake.outbox if o.kind == "send")


async def two_workers(
    fake: FakeTelegramServer, tmp_path: Path, redis_url: str
) -> tuple[BotProcess, BotProcess]:
    """Both started on a backlog; (leader, standby) once one holds the lease and has answered some."""
    fake.send_delay = 0.05
    for i in range(BACKLOG):
        fake.add_text(FIRST_CHAT + i, "xin chào")
    workers = [
        BotProcess(
            telegram_config(tmp_path, name, token=fake.token, base_url=fake.base_url, redis_url=redis_url)
        )
        for name in ("a", "b")
    ]
    try:
        await fake.wait_for(lambda: len(answers(fake)) >= BACKLOG // 4, timeout=60)
        # The standby has started too and is waiting for the lease.
        await fake.wait_for(lambda: all("faqbot running" in w.log_text() for w in workers), timeout=60)
    except TimeoutError:
        for w in workers:
            w.kill()
        pytest.fail("\n".join(w.describe() for w in workers))
    leaders = [w for w in workers if TAKEN in w.log_text()]
    assert len(leaders) == 1, "\n".join(w.describe() for w in workers)
    (standby,) = [w for w in workers if w is not leaders[0]]
    return leaders[0], standby


async def test_kill_9_of_the_poller_hands_over_without_losing_an_update(
    fake: FakeTelegramServer, tmp_path: Path, clean_redis: str
) -> None:
    leader, standby = await two_workers(fake, tmp_path, clean_redis)
    # Only one process polled so far: Telegram would answer 409 Conflict to overlapping polls.
    assert fake.overlapping_polls == 0
    leader.kill()
    killed = time.monotonic()
    unconfirmed = fake.pending_chats()
    at_kill = answers(fake)
    try:
        await fake.wait_for(lambda: TAKEN in standby.log_text(), timeout=30)
        took_over = time.monotonic() - killed
        await fake.wait_for(lambda: len(answers(fake)) == BACKLOG, timeout=60)
        await fake.wait_for(lambda: fake.pending_updates == 0, timeout=30)
    except TimeoutError:
        pytest.fail(standby.describe())
    finally:
        code = await asyncio.to_thread(standby.terminate)
    assert code == 0, standby.describe()

    got = answers(fake)
    twice = sorted(chat for chat, n in got.items() if n > 1)
    logged = len(POSSIBLE_DUPLICATE.findall(standby.log_text()))
    assert set(got) == {FIRST_CHAT + i for i in range(BACKLOG)}  # none skipped
    assert max(got.values()) <= 2
    assert set(twice) <= unconfirmed
    # Every double answer is one the survivor knew the dead process had begun, and said so.
    assert len(twice) <= logged, standby.log_text()[-3000:]
    assert took_over <= LEASE_TTL + RETRY_INTERVAL + 3
    print(
        f"\nkill -9 of the poller after {sum(at_kill.values())}/{BACKLOG} replies: taken over in "
        f"{took_over:.1f} s, {len(twice)} answered twice ({logged} logged as possible duplicates)"
    )


async def test_a_clean_stop_of_the_poller_hands_over_at_once_and_exactly_once(
    fake: FakeTelegramServer, tmp_path: Path, clean_redis: str
) -> None:
    leader, standby = await two_workers(fake, tmp_path, clean_redis)
    stopping = time.monotonic()
    assert await asyncio.to_thread(leader.terminate) == 0, leader.describe()
    try:
        await fake.wait_for(lambda: TAKEN in standby.log_text(), timeout=30)
        took_over = time.monotonic() - stopping
        await fake.wait_for(lambda: len(answers(fake)) == BACKLOG, timeout=60)
    except TimeoutError:
        pytest.fail(standby.describe())
    finally:
        await asyncio.to_thread(standby.terminate)
    got = answers(fake)
    assert set(got) == {FIRST_CHAT + i for i in range(BACKLOG)}
    assert set(got.values()) == {1}, [c for c, n in got.items() if n > 1]
    assert fake.overlapping_polls == 0
    # Released on the way out: no waiting for the lease to expire.
    assert took_over < LEASE_TTL
    print(f"\nclean stop of the poller: taken over in {took_over:.1f} s, every citizen answered once")
