"""A channel that fails to start (the network not up yet at boot) is started again while the process
serves the others, and /healthz says it is missing meanwhile."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.app import retry_channels
from bot.channels.base import ChannelStartError
from bot.channels.telegram import TelegramChannel
from bot.config import TelegramConfig
from tests.fakes.exchanges import Exchanges, channel_context
from tests.fakes.faults import Fault, FaultProxy
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_run_command import StubChannel, stub_app


class FailsThenStarts(StubChannel):
    """Fails its first `failures` starts, then starts; `up` is set once it has."""

    def __init__(self, name: str, failures: int) -> None:
        super().__init__(name, fail=True)
        self.failures = failures
        self.up = asyncio.Event()

    async def start(self) -> None:
        self.failures -= 1
        self.fail = self.failures >= 0
        await super().start()
        self.up.set()


class WatchedTelegram(TelegramChannel):
    """The real channel, with an event once a start succeeded."""

    up: asyncio.Event

    async def start(self) -> None:
        await super().start()
        self.up.set()


async def test_a_channel_failing_at_start_is_tried_again_and_health_says_so_meanwhile() -> None:
    flaky = FailsThenStarts("telegram", failures=3)
    app = stub_app()
    assert app.health is not None
    with pytest.raises(ChannelStartError):
        await flaky.start()  # what start_channels saw
    await flaky.stop()
    err = io.StringIO()
    started: list[object] = []
    stop = asyncio.Event()
    task = asyncio.create_task(retry_channels(app, [flaky], started, stop, err, delays=(0.05,)))  # type: ignore[list-item, arg-type]
    await asyncio.sleep(0)  # let the task mark the channel down
    status, body = await app.health.check()
    assert status == 503 and body["problems"] == ["channel telegram not started (retrying)"]
    await asyncio.wait_for(flaky.up.wait(), 30)
    stop.set()
    await asyncio.wait_for(task, 30)
    assert started == [flaky]
    assert flaky.events == ["start", "stop", "start", "stop", "start", "stop", "start"]
    assert err.getvalue().strip() == "Kênh telegram đã khởi động được (lần thử thứ 4)."
    status, _ = await app.health.check()
    assert status == 200


async def test_the_real_telegram_channel_starts_on_a_later_attempt_and_answers() -> None:
    async with FakeTelegramServer() as fake, FaultProxy(fake.port) as proxy:
        proxy.rules = [Fault("/getMe", "status", times=1, status=502)]  # the Bot API not reachable yet
        config = TelegramConfig(
            enabled=True,
            token=fake.token,
            base_url=proxy.url_for(fake.base_url),
            base_file_url=fake.base_file_url,
            poll_timeout=1,
        )
        channel = WatchedTelegram(config, channel_context(Exchanges()))
        channel.up = asyncio.Event()
        with pytest.raises(ChannelStartError):
            await channel.start()
        await channel.stop()
        err = io.StringIO()
        started: list[object] = []
        stop = asyncio.Event()
        task = asyncio.create_task(retry_channels(stub_app(), [channel], started, stop, err, delays=(0.01,)))  # type: ignore[list-item]
        try:
            await asyncio.wait_for(channel.up.wait(), 30)
            fake.add_text(7, "làm căn cước cần gì")
            (sent,) = await fake.wait_sent(7, 1, timeout=30)
            assert "căn cước" in sent.text.lower()
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await channel.stop()
        assert started == [channel]
        assert "Kênh telegram đã khởi động được (lần thử thứ 2)." in err.getvalue()
