"""Telegram long polling that acknowledges an update only once it is handled.

getUpdates has one `offset`: asking with offset N both fetches updates ≥ N and confirms (deletes on
Telegram's side) every update below N. python-telegram-bot's updater confirms a batch as soon as it has
fetched it, so a crash loses the fetched backlog. Here the offset asked for is always the lowest update
not yet handled (the low-water mark): Telegram keeps re-sending the updates above it that are handled
or in progress (they are recognised and skipped), and confirms each one only when every update at or
below it is handled. A crash (kill -9) loses nothing: the next poller gets every unconfirmed update again.

The price is that one slow update (a reply being retried for up to a minute) holds the confirmation of
the 99 updates behind it, and while updates are in progress the poller asks with timeout 0 after each
completion instead of a long poll (a long poll would return at once with the updates in progress).

Several processes (state.backend: redis): a lease (bot.lease) lets exactly one of them poll a token.
Each update is marked in the state store when handling begins ("begun", 24 h), claimed while in
progress (a short key renewed with the lease), and marked when handled ("seen", 24 h). A successor
skips an update marked handled, waits for one another live process still claims, and handles again one
begun by a process that died before finishing: that last case is the only duplicate (the reply may have
gone out before the crash), counted in `stats.possible_duplicates` and logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.lease import Lease
from handlers.dedup import SeenEvents
from handlers.store import StateStore, StateStoreError

log = logging.getLogger(__name__)

CHANNEL = "telegram"
FETCH_LIMIT = 100
"""Updates per getUpdates call (Telegram's maximum)."""
READ_MARGIN = 10.0
"""Seconds the client waits beyond the long-poll timeout before calling Telegram silent."""
BUSY_INTERVAL = 0.5
"""While updates are in progress: the longest wait between two short polls (news, confirmations)."""
MIN_INTERVAL = 0.05
"""The shortest wait between two polls while busy (completions in a burst share one poll)."""
BACKOFF_CAP = 30.0


class _State(enum.Enum):
    RUNNING = "running"
    DONE = "done"
    ELSEWHERE = "claimed by another process"


@dataclass(slots=True)
class PollStats:
    """How polling went: updates handled, re-sent ones skipped, possible duplicates after a crash."""

    handled: int = 0
    skipped_handled: int = 0
    """Updates fetched again that the store says were handled already (not answered twice)."""
    possible_duplicates: int = 0
    """Updates a process began and did not finish (it died): handled again, maybe answered twice."""
    waited_elsewhere: int = 0
    """Times an update another live process was still handling was left to it."""
    confirmed: int = 0
    """The highest update_id confirmed to Telegram (every update below it is handled)."""


def _key(update_id: int) -> str:
    return f"update:{update_id}"


class AckingPoller:
    """Fetches updates for one bot and hands each to `process`; confirms only handled updates."""

    def __init__(
        self,
        bot: Bot,
        process: Callable[[Update], Awaitable[None]],
        seen: SeenEvents,
        store: StateStore,
        lease: Lease,
        *,
        concurrency: int = 32,
        poll_timeout: float = 30.0,
        busy_interval: float = BUSY_INTERVAL,
        grace: float = 10.0,
        channel: str = CHANNEL,
    ) -> None:
        self._bot = bot
        self._channel = channel
        """The app's name of this channel: an office's own bot ("telegram:hoang-liet") has update ids
        of its own, so its marks must not meet another bot's."""
        self._process = process
        self._seen = seen
        self._store = store
        self._lease = lease
        self._poll_timeout = poll_timeout
        self._busy_interval = busy_interval
        self._grace = grace
        self._concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._window: dict[int, _State] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._offset: int | None = None
        self._wake = asyncio.Event()
        self._lost = asyncio.Event()
        self._fetching: asyncio.Future[list[dict[str, Any]]] | None = None
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self._claim_prefix = f"tg-claim:{lease.key}:"
        self.stats = PollStats()

    def start(self) -> None:
        """Begin polling in the background (waiting for the lease first)."""
        self._stopping = False
        self._runner = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """A clean stop: stop fetching, finish updates in progress, confirm them, release the lease."""
        self._stopping = True
        self._wake.set()
        if self._fetching is not None:
            self._fetching.cancel()
        runner, self._runner = self._runner, None
        if runner is not None:
            # A cancelled HTTP connect can swallow the cancellation (anyio under httpcore): the flag
            # ends the loop anyway; the cancel is for a poller still waiting for the lease.
            done, _ = await asyncio.wait([runner], timeout=2.0)
            if not done:
                runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        await self._settle(self._grace)
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        if self._lease.held and self._advance():
            with contextlib.suppress(TelegramError, asyncio.TimeoutError):
                # Confirm what was handled since the last poll, so a restart does not see it again.
                await asyncio.wait_for(self._fetch(0, 1), 5.0)
        if self._lease.held:
            self._lease.release()

    async def _run(self) -> None:
        """Poll while holding the lease, until stopped."""
        while not self._stopping:
            await self._lease.acquire()
            if self._stopping:
                return
            self._lost.clear()
            heartbeat = asyncio.create_task(self._heartbeat())
            try:
                await self._poll_while_held()
                if self._stopping:
                    return
                # Lost the lease: let the updates in progress finish (their claims still renewed,
                # each marked handled in the store, so the new holder skips it), then wait to take
                # over again.
                await self._settle(self._grace)
            finally:
                heartbeat.cancel()
                await asyncio.gather(heartbeat, return_exceptions=True)
            self._window.clear()
            self._offset = None

    # -- polling -----------------------------------------------------------------------------

    async def _poll_while_held(self) -> None:
        failures = 0
        loop = asyncio.get_running_loop()
        while self._lease.held and not self._stopping:
            busy = bool(self._tasks) or any(s is _State.ELSEWHERE for s in self._window.values())
            if busy:
                began = loop.time()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._busy_interval)
                spent = loop.time() - began
                if spent < MIN_INTERVAL:
                    await asyncio.sleep(MIN_INTERVAL - spent)
                if not self._lease.held or self._stopping:
                    break
            self._wake.clear()
            self._advance()
            try:
                if not busy:
                    updates = await self._fetch_unless_lost(self._poll_timeout, FETCH_LIMIT)
                else:
                    # Updates waiting for a free slot: this poll only confirms (one update back, not
                    # the hundred in progress again); with room to spare it fetches news too.
                    room = len(self._tasks) < self._concurrency
                    updates = await self._fetch_unless_lost(0, FETCH_LIMIT if room else 1)
            except RetryAfter as exc:
                await asyncio.sleep(_retry_after(exc))
                continue
            except (NetworkError, Conflict) as exc:
                failures += 1
                level = logging.ERROR if isinstance(exc, Conflict) else logging.WARNING
                log.log(level, "telegram: getUpdates failed: %s (failure %d)", type(exc).__name__, failures)
                await asyncio.sleep(min(BACKOFF_CAP, 0.5 * 2 ** min(failures, 8)))
                continue
            except InvalidToken:
                log.error("telegram: getUpdates refused the token; polling stopped")
                raise
            except TelegramError as exc:
                failures += 1
                log.warning("telegram: getUpdates error: %s (failure %d)", type(exc).__name__, failures)
                await asyncio.sleep(min(BACKOFF_CAP, 0.5 * 2 ** min(failures, 8)))
                continue
            if failures:
                log.info("telegram: polling recovered after %d failures", failures)
                failures = 0
            for raw in updates:
                if not self._lease.held or self._stopping:
                    break  # the successor will see it; starting it here could answer it twice
                self._admit(raw)

    async def _fetch_unless_lost(self, timeout: float, limit: int) -> list[dict[str, Any]]:
        """`_fetch`, abandoned when the lease is lost meanwhile (two pollers make Telegram answer 409)."""
        fetch = self._fetching = asyncio.ensure_future(self._fetch(timeout, limit))
        try:
            return await fetch
        except asyncio.CancelledError:
            task = asyncio.current_task()
            ours = fetch.cancelled() and (self._lost.is_set() or self._stopping)
            if ours and not (task and task.cancelling()):
                return []  # cancelled by the heartbeat or stop(), not by a cancel of the poller
            raise
        finally:
            self._fetching = None

    async def _fetch(self, timeout: float, limit: int = FETCH_LIMIT) -> list[dict[str, Any]]:
        """One getUpdates call from the low-water mark (which confirms every update below it)."""
        kwargs: dict[str, Any] = {"timeout": int(timeout), "limit": limit}
        if self._offset is not None:
            kwargs["offset"] = self._offset
        result = await self._bot.do_api_request(
            "getUpdates", api_kwargs=kwargs, read_timeout=timeout + READ_MARGIN
        )
        if self._offset is not None:
            self.stats.confirmed = max(self.stats.confirmed, self._offset - 1)
        if not isinstance(result, list):
            return []
        return [u for u in result if isinstance(u, dict) and isinstance(u.get("update_id"), int)]

    def _advance(self) -> bool:
        """Move the offset to the lowest update not handled; True when it moved."""
        window = self._window
        if not window:
            return False
        pending = [uid for uid, state in window.items() if state is not _State.DONE]
        low = min(pending) if pending else max(window) + 1
        for uid in [uid for uid in window if uid < low]:
            del window[uid]
        moved = self._offset is None or low > self._offset
        if moved:
            self._offset = low
        return moved

    def _admit(self, raw: dict[str, Any]) -> None:
        """Start handling a fetched update unless it is handled, in progress, or another's."""
        uid = int(raw["update_id"])
        if self._offset is not None and uid < self._offset:
            return
        state = self._window.get(uid)
        if state is _State.RUNNING or state is _State.DONE:
            return
        if self._seen.known(self._channel, _key(uid)):
            if state is None:
                self.stats.skipped_handled += 1
                log.info("telegram: update fetched again was already handled; skipped")
            self._window[uid] = _State.DONE
            return
        try:
            mine = self._store.claim(self._claim_prefix + str(uid), self._lease.owner, self._lease.ttl)
        except StateStoreError as exc:
            log.warning("telegram: update claim skipped, state store unavailable: %s", exc)
            mine = True
        if not mine:
            if state is None:
                self.stats.waited_elsewhere += 1
                log.info("telegram: update still in progress in another process; left to it")
            self._window[uid] = _State.ELSEWHERE
            return
        self._window[uid] = _State.RUNNING
        self._tasks[uid] = asyncio.create_task(self._handle(uid, raw))

    async def _handle(self, uid: int, raw: dict[str, Any]) -> None:
        try:
            async with self._slots:
                if not self._seen.first_time(self._channel, f"begun:{uid}"):
                    self.stats.possible_duplicates += 1
                    log.warning(
                        "telegram: update %d was begun by a process that stopped before finishing; "
                        "handling it again (a possible duplicate reply)", uid,
                    )  # fmt: skip
                update = self._parse(raw)
                if update is not None:
                    try:
                        await self._process(update)
                    except Exception:
                        log.exception("telegram: update %d failed", uid)
                self._seen.remember(self._channel, _key(uid))
                self.stats.handled += 1
                self._window[uid] = _State.DONE
        finally:
            self._tasks.pop(uid, None)
            with contextlib.suppress(StateStoreError):
                self._store.release(self._claim_prefix + str(uid), self._lease.owner)
            self._wake.set()

    def _parse(self, raw: dict[str, Any]) -> Update | None:
        try:
            update = Update.de_json(raw, self._bot)
        except Exception as exc:
            # Never the body: it is the citizen's message. Confirmed like any other, or it would
            # come back forever and hold every later update.
            log.error("telegram: update %s could not be read (%s); skipped", raw.get("update_id"),
                      type(exc).__name__)  # fmt: skip
            return None
        if isinstance(self._bot, ExtBot):
            self._bot.insert_callback_data(update)
        return update

    async def _heartbeat(self) -> None:
        """Renew the lease and the claims of updates in progress every third of the TTL (the claims
        also after the lease is lost, until those updates are finished)."""
        holding = True
        while True:
            await asyncio.sleep(self._lease.ttl / 3)
            if holding and not self._lease.renew():
                holding = False
                self._lost.set()
                self._wake.set()
                if self._fetching is not None:
                    self._fetching.cancel()
            for uid in list(self._tasks):
                with contextlib.suppress(StateStoreError):
                    self._store.extend(self._claim_prefix + str(uid), self._lease.owner, self._lease.ttl)

    async def _settle(self, grace: float) -> None:
        """Wait up to `grace` seconds for the updates in progress."""
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=grace)


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22.2+ warns that retry_after becomes a timedelta in v23; both forms are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait: Any = exc.retry_after
    return float(wait.total_seconds()) if hasattr(wait, "total_seconds") else float(wait)
