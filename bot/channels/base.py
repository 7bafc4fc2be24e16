"""What every channel is and gets: the Channel protocol and the shared ChannelContext (no transport)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from handlers import texts
from handlers.boundary import safe_handle
from handlers.conversation import Conversation
from handlers.dedup import SeenEvents
from handlers.flood import FloodGate, Verdict
from handlers.messages import Incoming, InKind, Reply
from handlers.options import OptionMemory
from handlers.store import StateStoreError

log = logging.getLogger(__name__)

ExchangeObserver = Callable[[Incoming, Reply, bool], Awaitable[None]]
"""Called after sending a reply, with whether it was delivered (interaction log, handoff); its errors
are logged, never raised."""


class ChannelStartError(Exception):
    """A channel could not start; str() is one clear Vietnamese line for the operator (no secrets)."""


class Channel(Protocol):
    """One transport adapter (Telegram, Zalo Bot, Zalo OA...), kept by the app in a name → channel map.

    `start()` returns once the channel is receiving (it runs in the background until `stop()`), and
    raises ChannelStartError with an operator-facing line when it cannot start. `send()` is a
    proactive message to one citizen (staff handoff replies), rendered like any reply.
    """

    name: str

    async def start(self) -> None:
        """Connect and begin receiving messages in the background."""
        ...

    async def stop(self) -> None:
        """Stop receiving and release every resource; safe to call after a failed start."""
        ...

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send a reply to one chat on this channel without a message to answer."""
        ...


@dataclass(slots=True)
class ChannelContext:
    """Everything a channel needs from the app, built once by bot.app and shared by all channels.

    Channels call `respond()` for each incoming message and `observe()` once sending the reply
    succeeded (delivered=True) or failed (delivered=False).
    Extension points: append to `observers` (interaction log, handoff) before channels start;
    `channels` is the app's name → channel registry (send a staff reply on the citizen's channel).
    """

    conversation: Conversation
    flood: FloodGate
    options: OptionMemory = field(default_factory=OptionMemory)
    """The numbered options shown to each chat, for channels without buttons (keys carry the channel)."""
    seen: SeenEvents = field(default_factory=SeenEvents)
    """Webhook and polling events already handled (a re-sent event is answered once)."""
    observers: list[ExchangeObserver] = field(default_factory=list)
    channels: dict[str, Channel] = field(default_factory=dict)
    logger: logging.Logger = log

    async def respond(self, msg: Incoming) -> Reply | None:
        """The reply to one message, or None when the chat is over its flood limit (stay silent)."""
        verdict: Verdict
        try:
            verdict = self.flood.check(f"{msg.channel}:{msg.chat_id}")
        except StateStoreError as exc:
            # The shared store is down: answering unthrottled beats answering nobody.
            self.logger.warning("flood check skipped, state store unavailable: %s", exc)
            verdict = "ok"
        if verdict == "drop":
            return None
        if verdict == "notify":
            self.logger.info("flood limit reached on %s, chat paused", msg.channel)
            return Reply(text=texts.FLOOD)
        if msg.kind is InKind.TEXT and msg.text:
            matcher = self.conversation.knowledge.current().matcher
            if getattr(matcher, "semantic", None) is not None:
                # The sentence model takes milliseconds: it runs in a worker thread, never on the
                # event loop; the conversation then finds the message's vector ready.
                try:
                    await asyncio.to_thread(matcher.prepare, msg.text)
                except Exception:
                    self.logger.exception("embedding the message failed; the matcher will retry inline")
        # Conversation.handle itself is synchronous and fast: calling it inline beats a thread hop.
        return safe_handle(self.conversation, msg, self.logger)

    async def observe(self, msg: Incoming, reply: Reply, delivered: bool = True) -> None:
        """Tell every observer about one exchange; an observer's failure is logged and swallowed."""
        for observer in self.observers:
            try:
                await observer(msg, reply, delivered)
            except Exception:
                self.logger.exception("exchange observer %r failed", observer)
