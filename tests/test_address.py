"""How the bot addresses a citizen: the form an elder calls themselves by, never a relative's."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.decision import MatchSettings
from faq.knowledge import Knowledge, StaticKnowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from handlers.address import address_of, addressed
from handlers.conversation import Conversation
from handlers.messages import Button, Incoming, InKind, Reply
from handlers.render import render_plain

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"


@pytest.mark.parametrize(
    ("message", "form"),
    [
        pytest.param("cho bác hỏi làm căn cước ở đâu", "bác", id="asking"),
        pytest.param("cho bac hoi lam cccd o dau", "bác", id="asking-without-accents"),
        pytest.param("Bà muốn làm lại thẻ bảo hiểm y tế", "bà", id="subject-first"),
        pytest.param("Dạ bà năm nay 80 tuổi rồi, đi lại khó", "bà", id="after-da"),
        pytest.param("chú chào cháu, chú hỏi chút về tạm trú", "chú", id="greeting"),
        pytest.param("Chào cháu, bác năm nay 60 tuổi rồi, bác muốn đổi thẻ", "bác", id="clause-to-a-younger"),
        pytest.param("Ông xin hỏi thủ tục khai tử", "ông", id="asking-politely"),
        pytest.param("cô cần làm giấy xác nhận cư trú", "cô", id="cô"),
        pytest.param("Bà nội em 85 tuổi. Bà muốn làm lại căn cước", None, id="grandmother-spoken-of"),
        pytest.param("Mẹ tôi năm nay 80, bà muốn làm lại căn cước", None, id="mother-spoken-of"),
        pytest.param("ông nội em muốn làm căn cước", None, id="grandfather"),
        pytest.param("cô giáo bảo phải có giấy khai sinh", None, id="teacher"),
        pytest.param("bác sĩ bảo phải có giấy chứng sinh", None, id="doctor"),
        pytest.param("cho ba hoi lam cccd", None, id="ba-is-a-father-without-accents"),
        pytest.param("bà con ơi cho hỏi", None, id="bà-con"),
        pytest.param("bác ơi cho cháu hỏi", None, id="the-bot-called-bác"),
        pytest.param("cho em hỏi làm căn cước", None, id="em"),
    ],
)  # fmt: skip
def test_address_of(message: str, form: str | None) -> None:
    assert address_of(message) == form


def test_addressed_changes_every_anh_chi_a_citizen_reads() -> None:
    reply = Reply(
        "Anh/chị mang theo giấy tờ của anh/chị.",
        title="Có phải anh/chị hỏi về…",
        buttons=((Button("Anh/chị bấm đây", payload="x"),),),
    )
    out = addressed(reply, "bác")
    assert (out.text, out.title, out.buttons[0][0].label) == (
        "Bác mang theo giấy tờ của bác.",
        "Có phải bác hỏi về…",
        "Bác bấm đây",
    )
    assert render_plain(out)[0].endswith("Bác gõ số tương ứng để chọn:\n1. Bác bấm đây")
    assert addressed(reply, "anh/chị") is reply


@pytest.fixture
def conv() -> Conversation:
    book = load_faq(MINI_FAQ)
    return Conversation(StaticKnowledge(Knowledge(book=book, matcher=Matcher(book, MatchSettings()))))


def say(conv: Conversation, body: str, chat: str = "1") -> Reply:
    return conv.handle(Incoming("zalo_bot", chat, "u" + chat, InKind.TEXT, body))


def test_an_elder_is_addressed_as_they_call_themselves_for_the_whole_conversation(conv: Conversation) -> None:
    first = say(conv, "cho bác hỏi đăng ký tạm trú cho người thuê trọ")
    assert "anh/chị" not in first.text.lower() and first.address == "bác"
    later = say(conv, "xyz qwe")  # nothing found: the fallback says "anh/chị" in the default form
    assert "Bác vui lòng" in later.text or "bác" in later.text, later.text
    other_chat = say(conv, "xyz qwe", chat="2")
    assert "anh/chị" in other_chat.text.lower() and other_chat.address == ""
