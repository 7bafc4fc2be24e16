"""Handoff tickets in the state store: numbers unique across workers, a staff reply on any worker.

The ticket rules run on a MemoryStore with a clock the test moves; the two-worker case runs two apps
built by bot.app.build_app on one real redis-server, with Telegram in webhook mode against the fake
Bot API, the test playing the load balancer.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from bot.app import App, build_app
from bot.channels.telegram import TelegramChannel
from bot.config import (
    AppConfig,
    FaqConfig,
    SemanticConfig,
    StateConfig,
    StorageConfig,
    TelegramConfig,
    TelegramWebhookConfig,
)
from bot.handoff import COUNTER_TTL, TICKET_TTL, SharedTickets, TicketStore, ticket_book
from bot.state import RedisStore
from handlers.store import MemoryStore
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_handoff_e2e import ALWAYS_OPEN, CITIZEN, MINI_FAQ, STAFF_GROUP, STAFF_MEMBER, UNANSWERABLE
from tests.test_telegram_e2e import running

SECRET = "handoff-webhook-secret"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tickets(clock: Clock) -> SharedTickets:
    return SharedTickets(MemoryStore(clock=clock))


def test_numbers_follow_one_counter_and_the_same_open_question_is_one_ticket(
    tickets: SharedTickets, clock: Clock
) -> None:
    first, new = tickets.open("zalo_oa", "u1", "câu hỏi", clock.now)
    again, new_again = tickets.open("zalo_oa", "u1", "câu hỏi", clock.now + 100)
    other_chat, _ = tickets.open("zalo_oa", "u2", "câu hỏi", clock.now)
    other_channel, _ = tickets.open("telegram", "u1", "câu hỏi", clock.now)
    other_question, _ = tickets.open("zalo_oa", "u1", "câu khác", clock.now)

    assert (first.ref, new) == ("#0001", True)
    assert (again, new_again) == (first, False)
    assert [t.number for t in (other_chat, other_channel, other_question)] == [2, 3, 4]
    assert tickets.get(1) == first
    assert tickets.get(99) is None


def test_an_answered_question_asked_again_opens_a_new_ticket(tickets: SharedTickets, clock: Clock) -> None:
    first, _ = tickets.open("telegram", "5", "câu hỏi", clock.now)
    tickets.mark_answered(first.number, clock.now + 60)
    second, new = tickets.open("telegram", "5", "câu hỏi", clock.now + 120)
    assert new and second.number == 2
    assert tickets.get(first.number) == first, "an answered ticket still takes a later staff reply"


@pytest.mark.parametrize(
    ("later", "same_ticket"),
    [
        pytest.param(599.0, True, id="within-ten-minutes"),
        pytest.param(601.0, False, id="after-ten-minutes"),
    ],
)
def test_the_same_question_is_one_ticket_for_ten_minutes(
    tickets: SharedTickets, clock: Clock, later: float, same_ticket: bool
) -> None:
    first, _ = tickets.open("telegram", "5", "câu hỏi", clock.now)
    clock.now += later
    second, new = tickets.open("telegram", "5", "câu hỏi", clock.now)
    assert (second.number == first.number, new) == (same_ticket, not same_ticket)


def test_a_ticket_is_forgotten_after_its_ttl_but_its_number_is_never_reused(
    tickets: SharedTickets, clock: Clock
) -> None:
    first, _ = tickets.open("telegram", "5", "câu hỏi", clock.now)
    clock.now += TICKET_TTL + 1
    assert tickets.get(first.number) is None
    second, _ = tickets.open("telegram", "5", "câu hỏi", clock.now)
    assert second.number == 2
    assert COUNTER_TTL > 50 * TICKET_TTL


def test_nothing_but_the_hash_of_a_question_is_in_a_key_name(clock: Clock) -> None:
    store = MemoryStore(clock=clock)
    SharedTickets(store).open("zalo_bot", "chat-77", "phạt nguội", clock.now)
    keys = list(store._items)
    assert len(keys) == 3 and not any("phạt" in k or "chat-77" in k for k in keys)


def test_open_tickets_of_the_sqlite_file_are_adopted_once(tmp_path: Path, clock: Clock) -> None:
    legacy = TicketStore(tmp_path / "faqbot.sqlite3")
    old, _ = legacy.open("telegram", "1", "rất cũ", clock.now - TICKET_TTL - 10)
    answered, _ = legacy.open("telegram", "2", "đã trả lời", clock.now - 50)
    legacy.mark_answered(answered.number, clock.now - 40)
    waiting, _ = legacy.open("zalo_oa", "3", "đang chờ", clock.now - 30)
    store = MemoryStore(clock=clock)
    shared = SharedTickets(store)

    assert shared.adopt(legacy, clock.now) == 1
    assert shared.adopt(legacy, clock.now) == 0, "a second worker starting adopts nothing again"
    assert shared.get(waiting.number) == waiting
    assert shared.get(old.number) is None and shared.get(answered.number) is None
    fresh, _ = shared.open("telegram", "4", "mới", clock.now)
    assert fresh.number == waiting.number + 1


def test_adopting_raises_a_counter_that_is_behind_the_file(tmp_path: Path, clock: Clock) -> None:
    legacy = TicketStore(tmp_path / "faqbot.sqlite3")
    for i in range(5):
        legacy.open("telegram", str(i), "hỏi", clock.now)
    store = MemoryStore(clock=clock)
    shared = SharedTickets(store)
    shared.open("telegram", "x", "trước khi chuyển", clock.now)  # counter at 1, file at 5
    shared.adopt(legacy, clock.now)
    assert shared.open("telegram", "y", "sau", clock.now)[0].number == 6


def test_in_process_state_keeps_the_sqlite_tickets_and_a_shared_store_gets_shared_ones(
    tmp_path: Path, clock: Clock
) -> None:
    legacy = TicketStore(tmp_path / "faqbot.sqlite3")
    assert ticket_book(MemoryStore(), legacy, clock.now) is legacy
    assert ticket_book(MemoryStore(), None, clock.now) is None
    shared = ticket_book(RedisStore.from_url("redis://127.0.0.1:1/0"), None, clock.now)
    assert isinstance(shared, SharedTickets)


# -- two workers, one Redis ------------------------------------------------------------------------


def worker_config(fake: FakeTelegramServer, redis_url: str, name: str, tmp_path: Path) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=str(MINI_FAQ), watch=False),
        semantic=SemanticConfig(backend="none"),
        state=StateConfig(backend="redis", redis_url=redis_url),
        storage=StorageConfig(path=str(tmp_path / f"{name}.sqlite3"), salt="test-salt"),
        staff=ALWAYS_OPEN,
        telegram=TelegramConfig(
            enabled=True,
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            mode="webhook",
            webhook=TelegramWebhookConfig(
                listen="127.0.0.1", port=0, url=f"https://bot.example.invalid/{name}", secret_token=SECRET
            ),
        ),
    )


@pytest.fixture
async def two_workers(redis_url: str, tmp_path: Path) -> AsyncIterator[tuple[FakeTelegramServer, str, str]]:
    flush = RedisStore.from_url(redis_url)
    flush._client.flushdb()
    flush.close()
    async with AsyncExitStack() as stack:
        fake = await stack.enter_async_context(FakeTelegramServer())
        urls = []
        for name in ("a", "b"):
            app: App = build_app(worker_config(fake, redis_url, name, tmp_path))
            calls = len(fake.calls_to("setWebhook"))
            await stack.enter_async_context(running(app, fake, ready="setWebhook"))
            await fake.wait_for(lambda n=calls: len(fake.calls_to("setWebhook")) > n)  # type: ignore[misc]
            channel = app.channels["telegram"]
            assert isinstance(channel, TelegramChannel) and channel.webhook_port
            urls.append(f"http://127.0.0.1:{channel.webhook_port}/telegram")
        yield fake, urls[0], urls[1]


async def deliver(url: str, update_id: int, body: dict[str, object]) -> None:
    """What Telegram does: POST one update to the worker the load balancer picked."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url, content=json.dumps({"update_id": update_id, **body}), headers=headers
        )
    assert response.status_code == 200


async def test_a_ticket_opened_on_one_worker_is_answered_through_the_other(
    two_workers: tuple[FakeTelegramServer, str, str],
) -> None:
    fake, a, b = two_workers
    await deliver(a, 1, fake.text_update(CITIZEN, UNANSWERABLE))
    [post] = await fake.wait_sent(STAFF_GROUP, 1)
    assert "#0001" in post.text and "0912345678" not in post.text
    await fake.wait_sent(CITIZEN, 2)

    # The same question again, now through worker B, while the ticket is open: no second post.
    await deliver(b, 2, fake.text_update(CITIZEN, UNANSWERABLE))
    replies = await fake.wait_sent(CITIZEN, 4)
    assert "#0001" in replies[3].text

    reply = fake.add_group_reply(
        STAFF_GROUP, "Anh tra cứu trên trang của CSGT ạ.", post, user_id=STAFF_MEMBER
    )
    [queued] = [u for u in fake._updates if u["update_id"] == reply]
    await deliver(b, 3, {k: v for k, v in queued.items() if k != "update_id"})
    [_, confirmation] = await fake.wait_sent(STAFF_GROUP, 2)
    assert "Đã gửi" in confirmation.text and "#0001" in confirmation.text
    relayed = [o for o in fake.sent_to(CITIZEN) if "Anh tra cứu trên trang của CSGT ạ." in o.text]
    assert len(relayed) == 1
    assert len(fake.sent_to(STAFF_GROUP)) == 2

    # The staff reply delivered again (Telegram retries), to worker A this time: relayed once only.
    await deliver(a, 3, {k: v for k, v in queued.items() if k != "update_id"})
    await deliver(a, 4, fake.text_update(CITIZEN, "/menu"))
    await fake.wait_sent(CITIZEN, 6)
    relayed = [o for o in fake.sent_to(CITIZEN) if "Anh tra cứu trên trang của CSGT ạ." in o.text]
    assert len(relayed) == 1 and len(fake.sent_to(STAFF_GROUP)) == 2
