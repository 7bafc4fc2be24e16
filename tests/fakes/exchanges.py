"""What the channel tests share: an exchange observer to wait on, and a context on the mini FAQ."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from bot.channels.base import ChannelContext
from faq.decision import MatchSettings
from faq.knowledge import StaticKnowledge, load_knowledge
from handlers.conversation import Conversation
from handlers.flood import FloodGate
from handlers.messages import Incoming, Reply


class Exchanges:
    """Records (message, reply) pairs, and whether each was delivered, as a ChannelContext observer;
    tests wait for a count."""

    def __init__(self) -> None:
        self.items: list[tuple[Incoming, Reply]] = []
        self.delivered: list[bool] = []
        self._changed = asyncio.Condition()

    async def __call__(self, msg: Incoming, reply: Reply, delivered: bool) -> None:
        async with self._changed:
            self.items.append((msg, reply))
            self.delivered.append(delivered)
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


MINI_FAQ = Path(__file__).resolve().parents[1] / "data" / "mini_faq.yaml"


@lru_cache(maxsize=1)
def mini_knowledge() -> StaticKnowledge:
    """The mini test FAQ, loaded and indexed once per test run."""
    return StaticKnowledge(load_knowledge(MINI_FAQ, MatchSettings()))


def channel_context(exchanges: Exchanges) -> ChannelContext:
    """What the app gives a channel, on the mini FAQ, with `exchanges` observing every reply."""
    return ChannelContext(
        conversation=Conversation(mini_knowledge()), flood=FloodGate(limit=1000), observers=[exchanges]
    )
