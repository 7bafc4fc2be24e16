"""Telegram polling confirms an update only once it is handled: a real `faqbot run` killed with -9
in the middle of a backlog loses nothing; restarted, it answers the rest. Duplicates come only from
updates whose reply was sent (or being sent) when the process died."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.bot_process import BotProcess, telegram_config
from tests.fakes.telegram_api import FakeTelegramServer

BACKLOG = 120
CONCURRENCY = 4
FIRST_CHAT = 700_000


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def answers(fake: FakeTelegramServer) -> Counter[int]:
    """Replies each citizen got."""
    return Counter(o.chat_id for o in fake.outbox if o.kind == "send")


async def test_kill_9_mid_backlog_loses_no_update(fake: FakeTelegramServer, tmp_path: Path) -> None:
    fake.send_delay = 0.05  # a platform a little slow to accept each reply: the kill lands mid-send
    for i in range(BACKLOG):
        fake.add_text(FIRST_CHAT + i, "xin chào")
    config = telegram_config(
        tmp_path, "bot", token=fake.token, base_url=fake.base_url, concurrent_updates=CONCURRENCY
    )
    first = BotProcess(config)
    try:
        await fake.wait_for(lambda: len(answers(fake)) >= BACKLOG // 4, timeout=60)
    except TimeoutError:
        pytest.fail(first.describe())
    first.kill()
    unconfirmed = fake.pending_chats()
    before_restart = answers(fake)
    assert len(before_restart) < BACKLOG, "the backlog was finished before the kill"
    # What the dead process had not confirmed is still on the server: nothing was lost with it.
    assert fake.pending_updates >= BACKLOG - sum(before_restart.values())

    second = BotProcess(config)
    try:
        await fake.wait_for(lambda: len(answers(fake)) == BACKLOG, timeout=60)
        # Everything handled is confirmed once the poller is idle again.
        await fake.wait_for(lambda: fake.pending_updates == 0, timeout=30)
    except TimeoutError:
        pytest.fail(second.describe())
    finally:
        code = await asyncio.to_thread(second.terminate)
    assert code == 0, second.describe()

    got = answers(fake)
    twice = sorted(chat for chat, n in got.items() if n > 1)
    assert set(got) == {FIRST_CHAT + i for i in range(BACKLOG)}
    assert max(got.values()) <= 2
    # Only updates not yet confirmed when the process died can be answered again: those in progress
    # (at most CONCURRENCY) and those finished since the last poll (at most 50 ms of replies).
    assert set(twice) <= unconfirmed
    assert len(twice) <= 4 * CONCURRENCY, twice
    print(
        f"\nkill -9 after {sum(before_restart.values())}/{BACKLOG} replies: "
        f"{len(twice)} citizens answered twice, 0 unanswered"
    )


async def test_a_clean_stop_confirms_what_it_handled(fake: FakeTelegramServer, tmp_path: Path) -> None:
    fake.send_delay = 0.05
    for i in range(BACKLOG // 2):
        fake.add_text(FIRST_CHAT + i, "xin chào")
    config = telegram_config(tmp_path, "bot", token=fake.token, base_url=fake.base_url)
    first = BotProcess(config)
    try:
        await fake.wait_for(lambda: len(answers(fake)) >= 10, timeout=60)
    except TimeoutError:
        pytest.fail(first.describe())
    assert await asyncio.to_thread(first.terminate) == 0, first.describe()
    second = BotProcess(config)
    try:
        await fake.wait_for(lambda: len(answers(fake)) == BACKLOG // 2, timeout=60)
    except TimeoutError:
        pytest.fail(second.describe())
    finally:
        await asyncio.to_thread(second.terminate)
    got = answers(fake)
    assert set(got.values()) == {1}, [c for c, n in got.items() if n > 1]
