"""Zalo Bot polling with two processes sharing one real redis-server: one polls, the other takes over
when it stops. (getUpdates has no offset or acknowledgement: see bot/channels/zalo_bot.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.zalo_bot import ZaloBotChannel
from bot.config import ZaloBotConfig
from bot.state import RedisStore
from tests.fakes.exchanges import Exchanges, channel_context
from tests.fakes.zalo_bot_api import TOKEN, FakeZaloBotApi

PREFIX = "zalo-lease-test:"


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloBotApi]:
    async with FakeZaloBotApi(hold=0.05) as fake:
        yield fake


def worker(api: FakeZaloBotApi, redis_url: str, exchanges: Exchanges) -> ZaloBotChannel:
    config = ZaloBotConfig(enabled=True, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    store = RedisStore.from_url(redis_url, prefix=PREFIX)
    return ZaloBotChannel(config, channel_context(exchanges), store=store, min_poll_interval=0.0)


async def test_one_process_polls_and_the_other_takes_over_when_it_stops(
    api: FakeZaloBotApi, redis_url: str
) -> None:
    cleaner = RedisStore.from_url(redis_url, prefix=PREFIX)
    cleaner._client.flushdb()
    cleaner.close()
    ex_a, ex_b = Exchanges(), Exchanges()
    a, b = worker(api, redis_url, ex_a), worker(api, redis_url, ex_b)
    await a.start()
    await b.start()
    try:
        api.queue(api.update("xin chào", message_id="a" * 20))
        await api.wait_outbox(1)
        assert a.lease.held != b.lease.held
        holder, standby = (a, b) if a.lease.held else (b, a)
        holder_ex, standby_ex = (ex_a, ex_b) if holder is a else (ex_b, ex_a)
        await holder_ex.wait(1)
        assert standby_ex.items == []

        await holder.stop()  # releases the lease: the standby takes it within its retry interval
        await api.wait_for(lambda _: standby.lease.held, timeout=10)
        # Queued only now: an update the server hands to a poll that was abandoned is lost (no offset,
        # no acknowledgement in this API), so nothing is asserted about the hand-over instant itself.
        api.queue(api.update("cảm ơn", message_id="b" * 20))
        await standby_ex.wait(1, timeout=10)
        assert standby_ex.message_ids == ["b" * 20]
    finally:
        await a.stop()
        await b.stop()
