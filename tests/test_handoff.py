"""Handoff parts that need no transport: office hours, tickets, references, the relay logic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import StaffConfig
from bot.handoff import HandoffDesk, OfficeHours, TicketStore, parse_ref, ticket_of_post
from handlers import texts
from handlers.messages import Incoming, InKind, Outcome, Reply

VN = dt.timezone(dt.timedelta(hours=7))
HOURS = OfficeHours(StaffConfig())  # Monday-Friday 07:30-11:30 and 13:30-17:00, Asia/Ho_Chi_Minh


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    """A moment in the week of Monday 2026-11-23, Vietnam time."""
    return dt.datetime(2026, 11, 23 + day, hh, mm, tzinfo=VN)


@pytest.mark.parametrize(
    ("when", "opening"),
    [
        pytest.param(at(0, 9), None, id="monday-morning-open"),
        pytest.param(at(0, 12), at(0, 13, 30), id="lunch-break"),
        pytest.param(at(0, 17, 30), at(1, 7, 30), id="after-closing"),
        pytest.param(at(0, 6), at(0, 7, 30), id="before-opening"),
        pytest.param(at(4, 17, 0), at(7, 7, 30), id="friday-closing-time-to-monday"),
        pytest.param(at(5, 10), at(7, 7, 30), id="saturday"),
        pytest.param(at(6, 23, 59), at(7, 7, 30), id="sunday-night"),
        pytest.param(at(0, 7, 30), None, id="opening-minute-is-open"),
    ],
)
def test_next_opening(when: dt.datetime, opening: dt.datetime | None) -> None:
    assert HOURS.next_opening(when) == opening


def test_next_opening_uses_office_time_whatever_the_server_zone() -> None:
    utc_evening = dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)  # 18:00 in Vietnam
    assert HOURS.next_opening(utc_evening) == at(1, 7, 30)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param(texts.staff_ticket("#0042", "Zalo", "hỏi gì đó"), 42, id="ticket-post"),
        pytest.param("📩 Câu hỏi #12345 (qua Telegram)", 12345, id="five-digits"),
        pytest.param("lệ phí 50.000 đồng", None, id="no-ref"),
        pytest.param("#12 quá ngắn", None, id="too-short"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_ref(text: str, number: int | None) -> None:
    assert parse_ref(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param(texts.staff_ticket("#0042", "Zalo", "hỏi gì đó"), 42, id="ticket-post"),
        pytest.param(texts.staff_relayed("#0042"), None, id="confirmation"),
        pytest.param("📝 Bản nháp mục hỏi đáp mới (từ câu hỏi #0042)", None, id="draft"),
        pytest.param(texts.staff_channel_down("#0042"), None, id="failure-notice"),
    ],
)
def test_only_a_ticket_post_is_replied_to_for_the_citizen(text: str, number: int | None) -> None:
    assert ticket_of_post(text) == number


def test_tickets_survive_reopen_and_deduplicate(tmp_path: Path) -> None:
    store = TicketStore(tmp_path / "db.sqlite3")
    first, new = store.open("zalo_oa", "u1", "câu hỏi", now=1000.0)
    assert new and first.ref == "#0001"
    again, new_again = store.open("zalo_oa", "u1", "câu hỏi", now=1100.0)
    assert (again.number, new_again) == (first.number, False)
    other, _ = store.open("zalo_oa", "u2", "câu hỏi", now=1100.0)
    assert other.number == 2
    reopened = TicketStore(tmp_path / "db.sqlite3")
    assert reopened.get(1) == first
    assert reopened.get(99) is None


class RecordingChannel:
    """A channel that keeps what it was asked to send."""

    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.sent: list[tuple[str, str]] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> None:
        if self.fail:
            raise ConnectionError("down")
        self.sent.append((chat_id, reply.text))


def desk(tmp_path: Path, now: dt.datetime, **channels: RecordingChannel) -> HandoffDesk:
    return HandoffDesk(
        TicketStore(tmp_path / "db.sqlite3"),
        staff_channel="telegram",
        staff_chat_id="-100777",
        channels=channels,
        hours=HOURS,
        clock=now.timestamp,
    )


async def test_question_goes_masked_to_staff_and_reply_comes_back(tmp_path: Path) -> None:
    telegram, zalo = RecordingChannel("telegram"), RecordingChannel("zalo_oa")
    d = desk(tmp_path, at(0, 9), telegram=telegram, zalo_oa=zalo)
    msg = Incoming("zalo_oa", "citizen-9", "citizen-9", InKind.TEXT, "sđt em 0912345678 hỏi về phạt nguội")
    question = "sđt em 0912345678 hỏi về phạt nguội"
    await d.observe(msg, Reply("...", handoff=True, outcome=Outcome("none", question=question)))

    [(staff_chat, post)] = telegram.sent
    assert staff_chat == "-100777"
    assert "0912345678" not in post and "[số điện thoại]" in post
    assert "citizen-9" not in post
    [(citizen_chat, notice)] = zalo.sent
    assert citizen_chat == "citizen-9"
    assert "#0001" in notice and "ngoài giờ" not in notice

    confirmation = await d.relay(parse_ref(post) or 0, "Dạ, anh tra cứu trên Cổng CSGT ạ.")
    assert confirmation == texts.staff_relayed("#0001")
    assert zalo.sent[-1] == ("citizen-9", texts.staff_answer("Dạ, anh tra cứu trên Cổng CSGT ạ."))


async def test_a_lone_surrogate_still_reaches_staff(tmp_path: Path) -> None:
    telegram, zalo = RecordingChannel("telegram"), RecordingChannel("zalo_bot")
    d = desk(tmp_path, at(0, 9), telegram=telegram, zalo_bot=zalo)
    question = "cho em gặp cán bộ \ud83d"
    msg = Incoming("zalo_bot", "c-1", "c-1", InKind.TEXT, question)
    await d.observe(msg, Reply("...", handoff=True, outcome=Outcome("none", question=question)), True)
    [(_, post)] = telegram.sent
    assert "cho em gặp cán bộ \ufffd" in post
    post.encode("utf-8")
    assert "#0001" in zalo.sent[0][1]


async def test_out_of_hours_citizen_is_told_when(tmp_path: Path) -> None:
    telegram = RecordingChannel("telegram")
    d = desk(tmp_path, at(5, 20), telegram=telegram)
    msg = Incoming("telegram", "5", "5", InKind.TEXT, "hỏi")
    await d.observe(msg, Reply("...", handoff=True, outcome=Outcome("none", question="câu hỏi khó")))
    notice = telegram.sent[-1][1]
    assert "ngoài giờ làm việc" in notice and "07:30 thứ Hai, ngày 30/11" in notice


async def test_replies_without_handoff_are_ignored(tmp_path: Path) -> None:
    telegram = RecordingChannel("telegram")
    d = desk(tmp_path, at(0, 9), telegram=telegram)
    await d.observe(Incoming("telegram", "5", "5", InKind.TEXT, "hi"), Reply("hi", outcome=Outcome("answer")))
    assert telegram.sent == []


@pytest.mark.parametrize(
    ("number", "channels", "expected"),
    [
        pytest.param(7, {}, texts.staff_unknown_ticket(7), id="unknown-ticket"),
        pytest.param(1, {}, texts.staff_channel_down("#0001"), id="channel-not-running"),
        pytest.param(
            1,
            {"zalo_bot": RecordingChannel("zalo_bot", fail=True)},
            texts.staff_relay_failed("#0001"),
            id="send-fails",
        ),
    ],
)
async def test_relay_problems_are_told_to_staff(
    tmp_path: Path, number: int, channels: dict[str, RecordingChannel], expected: str
) -> None:
    d = desk(tmp_path, at(0, 9), **channels)
    d.store.open("zalo_bot", "c1", "q", now=at(0, 9).timestamp())
    assert await d.relay(number, "trả lời") == expected
