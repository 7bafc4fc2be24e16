"""End to end: the real PTB Application in polling mode against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes

from bot.app import App, build_app, run_app
from bot.channels.telegram import COMMANDS, TelegramChannel, to_incoming
from bot.config import AppConfig, FaqConfig, StorageConfig, TelegramConfig
from bot.storage import InteractionLog
from faq.decision import Kind
from handlers import texts
from handlers.messages import Incoming, InKind, Reply
from tests.fakes.telegram_api import FakeTelegramServer, Outgoing

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
CHAT = 555001
QUESTION = "làm giấy khai sinh cho con cần những gì"
NONSENSE = "con mèo nhà em biết bay lên mặt trăng không"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def config_for(fake: FakeTelegramServer, faq: Path = MINI_FAQ, **telegram: Any) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=str(faq), watch=False),
        telegram=TelegramConfig(
            enabled=True,
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            poll_timeout=5,
            **telegram,
        ),
        storage=StorageConfig(salt="test-salt"),  # as deployed: no startup warning about the salt
    )


@asynccontextmanager
async def running(app: App, fake: FakeTelegramServer, ready: str = "getUpdates") -> AsyncIterator[App]:
    """Run the app like `faqbot run` does, from the bot's first `ready` call until the block ends."""
    stop = asyncio.Event()
    err = io.StringIO()
    task = asyncio.create_task(run_app(app, stop=stop, err=err))
    await fake.wait_for(lambda: bool(fake.calls_to(ready)) or task.done())
    assert not task.done(), err.getvalue()
    try:
        yield app
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0


@asynccontextmanager
async def bot(fake: FakeTelegramServer, faq: Path = MINI_FAQ) -> AsyncIterator[App]:
    async with running(build_app(config_for(fake, faq)), fake) as app:
        yield app


def faq_with(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    """The mini FAQ plus extra entries, written to tmp_path."""
    data = yaml.safe_load(MINI_FAQ.read_text(encoding="utf-8"))
    data["entries"].extend(entries)
    path = tmp_path / "faq.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def ask(fake: FakeTelegramServer, text: str, chat: int = CHAT) -> Outgoing:
    before = len(fake.sent_to(chat))
    fake.add_text(chat, text)
    return (await fake.wait_sent(chat, before + 1))[-1]


async def press(fake: FakeTelegramServer, out: Outgoing, label: str) -> Outgoing:
    before = len(fake.sent_to(out.chat_id))
    query_id = fake.press(out, label)
    result = (await fake.wait_sent(out.chat_id, before + 1))[-1]
    await fake.wait_for(lambda: query_id in fake.answered_callbacks)
    return result


async def test_start_greets_and_offers_the_menu(fake: FakeTelegramServer) -> None:
    async with bot(fake):
        out = await ask(fake, "/start")
    assert "UBND phường Mẫu" in out.text
    assert {"Hộ tịch", "Cư trú"} <= set(out.labels)
    assert all("callback_data" in b for row in out.keyboard for b in row)
    # Start-up published the Vietnamese command list and cleared any webhook (polling mode).
    sent_commands = [c.params["commands"] for c in fake.calls_to("setMyCommands")]
    assert len(sent_commands) == 1
    assert [c["command"] for c in json.loads(sent_commands[0])] == [c for c, _ in COMMANDS]
    assert fake.calls_to("deleteWebhook")


async def test_command_with_bot_name_and_contact(fake: FakeTelegramServer) -> None:
    async with bot(fake):
        out = await ask(fake, "/lienhe@tthc_test_bot")
    assert "0200 000 000" in out.text
    assert out.keyboard[0][0].get("url") == "https://dichvucong.gov.vn"


async def test_question_answered_then_steps_walked_by_editing(
    fake: FakeTelegramServer, recwarn: pytest.WarningsRecorder
) -> None:
    async with bot(fake):
        answer = await ask(fake, QUESTION)
        assert answer.text.startswith("Đăng ký khai sinh")
        assert texts.BTN_STEPS in answer.labels
        online = answer.button(texts.BTN_ONLINE)
        assert online["url"].startswith("https://")

        step1 = await press(fake, answer, texts.BTN_STEPS)
        step2 = await press(fake, step1, texts.BTN_NEXT)
        back = await press(fake, step2, texts.BTN_PREV)

    for out, n in ((step1, 1), (step2, 2), (back, 1)):
        assert out.kind == "edit"
        assert out.message_id == answer.message_id
        assert f"Bước {n}/4" in out.text
    assert len([o for o in fake.sent_to(CHAT) if o.kind == "send"]) == 1
    # Parameters travel as JSON (cheaper to encode than a form for long Vietnamese texts).
    assert {c.body for c in fake.calls_to("sendMessage") + fake.calls_to("editMessageText")} == {"json"}
    assert {c.body for c in fake.calls_to("getUpdates")} == {"json"}
    sent = fake.calls_to("sendMessage")[0].params
    assert (sent["chat_id"], sent["parse_mode"]) == (str(CHAT), "HTML")
    assert json.loads(sent["link_preview_options"]) == {"is_disabled": True}
    # Replies are sent with do_api_request on purpose; PTB's warning about it stays silent.
    assert not [w for w in recwarn if "do_api_request" in str(w.message)]


async def test_double_tap_is_not_an_error(fake: FakeTelegramServer, caplog: pytest.LogCaptureFixture) -> None:
    async with bot(fake):
        answer = await ask(fake, QUESTION)
        step1 = await press(fake, answer, texts.BTN_STEPS)
        payload = step1.button(texts.BTN_NEXT)["callback_data"]
        with caplog.at_level(logging.INFO):
            first = fake.add_callback(CHAT, step1.message_id, payload)
            second = fake.add_callback(CHAT, step1.message_id, payload)
            await fake.wait_for(
                lambda: (
                    {first, second} <= set(fake.answered_callbacks)
                    and len(fake.calls_to("editMessageText")) == 3
                )
            )
            # A barrier: a later message is answered only after both presses were handled.
            await ask(fake, "/help")
    outs = fake.sent_to(CHAT)
    assert [o.kind for o in outs] == ["send", "edit", "edit", "send"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_failed_edit_falls_back_to_a_new_message(fake: FakeTelegramServer) -> None:
    async with bot(fake):
        answer = await ask(fake, QUESTION)
        fake.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
        step1 = await press(fake, answer, texts.BTN_STEPS)
    assert step1.kind == "send"
    assert "Bước 1/4" in step1.text


# Vague questions; the matcher's tuning decides which of them get suggestions.
VAGUE = ("đăng ký", "làm giấy", "đăng ký cho con", "cấp giấy", "giấy tờ", "xin giấy xác nhận")


def vague_question(app: App) -> str:
    """The first vague question the current matcher answers with suggestions."""
    matcher = app.knowledge.current().matcher
    found = [q for q in VAGUE if matcher.match(q).kind is Kind.SUGGEST]
    assert found, "none of the vague questions gets suggestions any more: extend VAGUE"
    return found[0]


async def test_suggestions_then_none_of_these(fake: FakeTelegramServer) -> None:
    async with bot(fake) as app:
        question = vague_question(app)
        out = await ask(fake, question)
        assert texts.SUGGEST in out.text
        assert texts.BTN_NONE_OF_THESE in out.labels
        suggestion = out.labels[0]
        picked = await press(fake, out, suggestion)
        assert picked.text.startswith(suggestion)
        again = await ask(fake, question)
        fallback = await press(fake, again, texts.BTN_NONE_OF_THESE)
    assert "0200 000 000" in fallback.text


async def test_fallback_never_guesses(fake: FakeTelegramServer) -> None:
    async with bot(fake):
        out = await ask(fake, NONSENSE)
    assert "chưa có thông tin" in out.text
    assert "0200 000 000" in out.text
    assert "Hộ tịch" in out.labels  # the menu is offered


async def test_photo_gets_a_polite_text_only_reply(fake: FakeTelegramServer) -> None:
    async with bot(fake):
        fake.add_photo(CHAT)
        (out,) = await fake.wait_sent(CHAT, 1)
    assert texts.NON_TEXT in out.text


LONG_ANSWER = "\n".join(
    f"Dòng {i}: hồ sơ cần nộp kèm bản sao có chứng thực của giấy tờ số {i}, ghi rõ họ tên." * 4
    for i in range(1, 41)
)


async def test_long_answer_is_split_with_buttons_on_the_last_part(
    fake: FakeTelegramServer, tmp_path: Path
) -> None:
    faq = faq_with(
        tmp_path,
        {
            "id": "dai-dong",
            "category": "chung-thuc",
            "title": "Thủ tục có câu trả lời rất dài",
            "questions": ["thủ tục xác nhận quá dài ngoằng"],
            "summary": LONG_ANSWER,
            "steps": ["Bước một.", "Bước hai."],
        },
    )
    assert len(LONG_ANSWER) > 4096 * 2
    async with bot(fake, faq):
        fake.add_text(CHAT, "thủ tục xác nhận quá dài ngoằng")
        await fake.wait_for(lambda: any(o.keyboard for o in fake.sent_to(CHAT)))
    parts = fake.sent_to(CHAT)
    assert len(parts) >= 3
    assert all(len(p.text.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert [bool(p.keyboard) for p in parts] == [False] * (len(parts) - 1) + [True]
    joined = "\n".join(p.text for p in parts)
    assert "Dòng 1:" in joined and "Dòng 40:" in joined


async def test_markup_characters_in_faq_text_are_escaped(fake: FakeTelegramServer, tmp_path: Path) -> None:
    summary = "Nộp tờ khai <mẫu 01> & bản sao; phí < 50.000 đồng, <b>không</b> in đậm."
    faq = faq_with(
        tmp_path,
        {
            "id": "ky-tu-dac-biet",
            "category": "chung-thuc",
            "title": "Chứng thực <bản sao> & chữ ký",
            "questions": ["chứng thực bản sao và chữ ký có ký tự đặc biệt"],
            "summary": summary,
        },
    )
    async with bot(fake, faq):
        out = await ask(fake, "chứng thực bản sao và chữ ký có ký tự đặc biệt")
    # The fake parses HTML like Telegram: a raw "<" or "&" would have been a 400 error.
    assert out.text.startswith("Chứng thực <bản sao> & chữ ký")
    assert summary in out.text
    assert "<b>Chứng thực &lt;bản sao&gt; &amp; chữ ký</b>" in out.html


async def test_flood_limit_one_notice_then_silence(fake: FakeTelegramServer) -> None:
    other = CHAT + 1
    async with bot(fake):
        for _ in range(21):
            fake.add_text(CHAT, "xin chào")
        outs = await fake.wait_sent(CHAT, 21)
        assert [o.text for o in outs].count(texts.FLOOD) == 1
        for _ in range(3):
            fake.add_text(CHAT, "xin chào")
        # Another chat is not limited, and answering it proves the three were handled (dropped).
        await ask(fake, "xin chào", chat=other)
        await ask(fake, "xin chào", chat=other)
    assert len(fake.sent_to(CHAT)) == 21
    assert texts.FLOOD not in [o.text for o in fake.sent_to(other)]


async def test_observers_see_each_exchange_and_a_failing_one_is_contained(
    fake: FakeTelegramServer,
) -> None:
    app = build_app(config_for(fake))
    seen: list[tuple[Incoming, Reply, bool]] = []

    async def broken(msg: Incoming, reply: Reply, delivered: bool) -> None:
        raise RuntimeError("observer bug")

    async def record(msg: Incoming, reply: Reply, delivered: bool) -> None:
        seen.append((msg, reply, delivered))

    app.context.observers.extend([broken, record])
    async with running(app, fake):
        out = await ask(fake, QUESTION)
        await press(fake, out, texts.BTN_FEE_TIME)
    kinds = [(m.kind.value, m.channel, m.chat_id, delivered) for m, _, delivered in seen]
    assert kinds == [("text", "telegram", str(CHAT), True), ("button", "telegram", str(CHAT), True)]
    assert seen[0][1].outcome is not None and seen[0][1].outcome.kind == "answer"


async def test_proactive_send_through_the_registry(fake: FakeTelegramServer) -> None:
    async with bot(fake) as app:
        await app.channels["telegram"].send(str(CHAT), Reply("Cán bộ trả lời: <đã nhận> & xử lý"))
        (out,) = await fake.wait_sent(CHAT, 1)
    assert out.text == "Cán bộ trả lời: <đã nhận> & xử lý"


async def test_extra_handler_runs_before_the_conversation(fake: FakeTelegramServer) -> None:
    app = build_app(config_for(fake))

    async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "pong")
        raise ApplicationHandlerStop

    channel = app.channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    channel.add_handler(CommandHandler("ping", ping))
    async with running(app, fake):
        await ask(fake, "/ping")
        await ask(fake, "/help")
    pong, help_ = fake.sent_to(CHAT)
    assert pong.text == "pong"
    assert help_.text.startswith("Cách dùng")


@pytest.mark.parametrize(
    ("content", "kind", "text", "args"),
    [
        pytest.param({"text": "làm căn cước"}, InKind.TEXT, "làm căn cước", "", id="text"),
        pytest.param({"text": "/start"}, InKind.COMMAND, "start", "", id="command"),
        pytest.param(
            {"text": "/Start@tthc_test_bot  ref-42 "},
            InKind.COMMAND,
            "start",
            "ref-42",
            id="command-with-bot-name-and-args",
        ),
        pytest.param(
            {"text": "a/b không phải lệnh"}, InKind.TEXT, "a/b không phải lệnh", "", id="slash-inside-text"
        ),
        pytest.param(
            {
                "photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}],
                "caption": "giấy này nộp ở đâu",
            },
            InKind.TEXT,
            "giấy này nộp ở đâu",
            "",
            id="photo-with-caption-is-a-question",
        ),
        pytest.param(
            {"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]},
            InKind.NON_TEXT,
            "photo",
            "",
            id="photo",
        ),
        pytest.param(
            {
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "u",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            InKind.NON_TEXT,
            "sticker",
            "",
            id="sticker",
        ),
        pytest.param(
            {"voice": {"file_id": "v", "file_unique_id": "u", "duration": 3}},
            InKind.NON_TEXT,
            "voice",
            "",
            id="voice",
        ),
        pytest.param(
            {"location": {"latitude": 10.8, "longitude": 106.7}},
            InKind.NON_TEXT,
            "location",
            "",
            id="location",
        ),
        pytest.param(
            {"document": {"file_id": "d", "file_unique_id": "u"}},
            InKind.NON_TEXT,
            "document",
            "",
            id="document",
        ),
        pytest.param({"new_chat_title": "x"}, InKind.NON_TEXT, "other", "", id="service-message"),
    ],
)
def test_to_incoming(content: dict[str, Any], kind: InKind, text: str, args: str) -> None:
    fake = FakeTelegramServer()
    body = {"update_id": 1, "message": fake.user_message(CHAT, content, user_id=77)}
    msg = to_incoming(Update.de_json(body, None))
    assert msg is not None
    assert (msg.kind, msg.text, msg.args) == (kind, text, args)
    assert (msg.channel, msg.chat_id, msg.user_id) == ("telegram", str(CHAT), "77")


def test_button_press_to_incoming() -> None:
    fake = FakeTelegramServer()
    message = fake.user_message(CHAT, {"text": "câu trả lời"})
    body = {
        "update_id": 1,
        "callback_query": {
            "id": "9",
            "from": {"id": 77, "is_bot": False, "first_name": "A"},
            "chat_instance": "c",
            "message": message,
            "data": "s:khai-sinh:2",
        },
    }
    msg = to_incoming(Update.de_json(body, None))
    assert msg is not None
    assert (msg.kind, msg.text, msg.message_id) == (InKind.BUTTON, "s:khai-sinh:2", "1")


async def test_the_log_says_whether_each_reply_was_delivered(
    fake: FakeTelegramServer, tmp_path: Path
) -> None:
    app = build_app(config_for(fake))
    observed: asyncio.Queue[bool] = asyncio.Queue()

    async def delivery(msg: Incoming, reply: Reply, delivered: bool) -> None:
        await observed.put(delivered)

    app.context.observers.append(delivery)
    async with running(app, fake):
        fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
        fake.add_text(CHAT, QUESTION)
        assert await asyncio.wait_for(observed.get(), 10) is False
        await ask(fake, NONSENSE)
        assert await asyncio.wait_for(observed.get(), 10) is True
    rows = InteractionLog(tmp_path / "var" / "faqbot.sqlite3", salt="").rows()
    assert [(r.question, r.delivered) for r in rows] == [(QUESTION, False), (NONSENSE, True)]
