"""An exchange observer the channel tests wait on (what the bot answered, in order)."""

from __future__ import annotations

import asyncio

from handlers.messages import Incoming, Reply


class Exchanges:
    """Records (message, reply) pairs as a ChannelContext observer; tests wait for a count."""

    def __init__(self) -> None:
        self.items: list[tuple[Incoming, Reply]] = []
        self._changed = asyncio.Condition()

    async def __call__(self, msg: Incoming, reply: Reply) -> None:
        async with self._changed:
            self.items.append((msg, reply))
            self._changed.notify_all()

    async def wait(self, count: int, timeout: float = 5.0) -> list[tuple[Incoming, Reply]]:
        """Every pair so far, once there are at least `count` (fails after `timeout`)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.items) >= count), timeout)
        return list(self.items)

    @property
    def message_ids(self) -> list[str]:
        """Platform message ids of the answered messages, in order."""
        return [m.message_id for m, _ in self.items]
