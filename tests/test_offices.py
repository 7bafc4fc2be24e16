"""One province, many offices: overlays, per-office matching views, routing on shared accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.units import load_units
from faq.decision import Kind, MatchSettings
from faq.knowledge import Knowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.offices import Province, build_province
from faq.overlay_loader import load_overlay
from faq.schema import FaqBook
from faq.semantic import Embedder, SemanticIndex, VectorCache
from handlers import texts
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind, Reply
from handlers.offices import CHANGE, OfficeRouting, StaticProvince
from handlers.store import MemoryStore

OFFICES = Path(__file__).parent / "data" / "offices"
HOANG_LIET, DINH_CONG = "00337", "00316"
"""Official codes of Phường Hoàng Liệt and Phường Định Công (Hà Nội, since 1 July 2025)."""


@pytest.fixture(scope="module")
def shared() -> FaqBook:
    return load_faq(None)


@pytest.fixture(scope="module")
def province(shared: FaqBook) -> Province:
    overlays = {
        "hoang-liet": load_overlay(OFFICES / "hoang-liet.yaml", shared),
        "dinh-cong": load_overlay(OFFICES / "dinh-cong.yaml", shared),
    }
    return build_province(shared, overlays, MatchSettings())


def conversation(province: Province, own: dict[str, str] | None = None) -> Conversation:
    routing = OfficeRouting(
        source=StaticProvince(province),
        units=load_units(None, [HOANG_LIET, DINH_CONG]),
        office_of_unit={HOANG_LIET: "hoang-liet", DINH_CONG: "dinh-cong"},
        office_of_channel=own or {},
    )
    return Conversation(StaticProvince(province), store=MemoryStore(), offices=routing)


def say(conv: Conversation, body: str, channel: str = "telegram", chat: str = "1") -> Reply:
    return conv.handle(Incoming(channel, chat, "u" + chat, InKind.TEXT, body))


def press(conv: Conversation, payload: str, channel: str = "telegram", chat: str = "1") -> Reply:
    return conv.handle(Incoming(channel, chat, "u" + chat, InKind.BUTTON, payload))


def kind(reply: Reply) -> str:
    assert reply.outcome is not None
    return reply.outcome.kind


# -- matching: one index, per-office views ---------------------------------------------------------


NEWBORN = "con tôi mới sinh, giờ làm giấy khai sinh thế nào"
QUESTIONS = (
    "làm giấy khai sinh cho con",
    "dang ky tam tru",
    "cấp hộ chiếu cần gì",
    "vneid la gi",
    "xin chào",
    "muốn bán hàng ở chợ đêm Linh Đàm thì đăng ký ở đâu",
    "cho em hỏi số điện thoại ủy ban",
)


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_overlays_match_exactly_as_one_faq(shared: FaqBook, question: str) -> None:
    alone = Matcher(shared, MatchSettings()).match(question)
    province = build_province(shared, {}, MatchSettings())
    assert province.province.match(question) == alone


@pytest.mark.parametrize(
    ("office", "question", "entry_id", "summary_has"),
    [
        pytest.param("hoang-liet", "làm giấy khai sinh cho con", "khai-sinh", "quầy số 3", id="replaced"),
        pytest.param("dinh-cong", "làm giấy khai sinh cho con", "khai-sinh", "Cha hoặc mẹ", id="shared"),
        pytest.param(
            "hoang-liet", "muốn bán hàng ở chợ đêm Linh Đàm thì đăng ký ở đâu", "cho-dem-linh-dam", "HH4",
            id="own-entry",
        ),
        pytest.param(None, "làm giấy khai sinh cho con", "khai-sinh", "Cha hoặc mẹ", id="province"),
    ],
)  # fmt: skip
def test_each_office_matches_its_own_view(
    province: Province, office: str | None, question: str, entry_id: str, summary_has: str
) -> None:
    result = province.knowledge(office).match(question)
    assert result.kind is Kind.ANSWER and result.entry is not None
    assert result.entry.id == entry_id
    assert summary_has in result.entry.summary


@pytest.mark.parametrize("office", [None, "dinh-cong"])
def test_another_offices_entries_are_never_answered(province: Province, office: str | None) -> None:
    result = province.knowledge(office).match("muốn bán hàng ở chợ đêm Linh Đàm thì đăng ký ở đâu")
    found = [c.entry.id for c in result.candidates]
    assert not any("cho-dem" in i for i in found)


def test_the_shared_faq_is_indexed_once(province: Province, shared: FaqBook) -> None:
    overlays = sum(len(o.entries) + len(o.replaces) for o in province.overlays.values())
    assert len(province.matcher.book.entries) == len(shared.entries) + overlays
    assert all(k.matcher is province.matcher for k in province.offices.values())


@pytest.fixture(scope="module")
def semantic_province(
    shared: FaqBook, province: Province, embedder: Embedder, vector_cache: VectorCache
) -> Province:
    """The same province with the real sentence model's stage."""
    return build_province(
        shared, province.overlays, MatchSettings(), lambda book: SemanticIndex(book, embedder, vector_cache)
    )


@pytest.mark.parametrize("question", QUESTIONS)
def test_with_the_semantic_stage_no_overlays_match_exactly_as_one_faq(
    shared: FaqBook, shipped_matcher: Matcher, embedder: Embedder, vector_cache: VectorCache, question: str
) -> None:
    alone = build_province(
        shared, {}, MatchSettings(), lambda book: SemanticIndex(book, embedder, vector_cache)
    )
    assert alone.province.match(question) == shipped_matcher.match(question)


@pytest.mark.parametrize(
    ("office", "question", "entry_id", "summary_has"),
    [
        pytest.param("hoang-liet", NEWBORN, "khai-sinh", "quầy số 3",
                     id="replaced"),
        pytest.param("dinh-cong", NEWBORN, "khai-sinh", "Cha hoặc mẹ",
                     id="shared"),
        pytest.param("hoang-liet", "tôi muốn thuê sạp bán hàng ở chợ đêm Linh Đàm", "cho-dem-linh-dam", "HH4",
                     id="own-entry"),
    ],
)  # fmt: skip
def test_with_the_semantic_stage_each_office_matches_its_own_view(
    semantic_province: Province, office: str, question: str, entry_id: str, summary_has: str
) -> None:
    result = semantic_province.knowledge(office).match(question)
    assert result.kind is Kind.ANSWER and result.entry is not None
    assert result.entry.id == entry_id and summary_has in result.entry.summary


def test_with_the_semantic_stage_another_offices_entry_is_never_offered(semantic_province: Province) -> None:
    result = semantic_province.knowledge("dinh-cong").match("tôi muốn thuê sạp bán hàng ở chợ đêm Linh Đàm")
    assert not any("cho-dem" in c.entry.id for c in result.candidates)
    assert not any("cho-dem" in e.id for e in result.suggestions)


# -- conversation -------------------------------------------------------------------------------------


def test_own_accounts_answer_with_their_office_contact(province: Province) -> None:
    own = {"telegram:hoang-liet": "hoang-liet", "telegram:dinh-cong": "dinh-cong"}
    conv = conversation(province, own)
    a = conv.handle(Incoming("telegram:hoang-liet", "1", "u1", InKind.COMMAND, "lienhe"))
    b = conv.handle(Incoming("telegram:dinh-cong", "1", "u1", InKind.COMMAND, "lienhe"))
    assert "024 3641 1111" in a.text and "Hoàng Liệt" in a.text
    assert "024 3664 2222" in b.text and "Định Công" in b.text


@pytest.mark.parametrize(
    ("named", "former"),
    [
        pytest.param("phường Hoàng Liệt", None, id="accents"),
        pytest.param("phuong hoang liet", None, id="no-accents"),
        pytest.param("xã Tam Hiệp cũ", "Tam Hiệp", id="former-name"),
        pytest.param("phuong hoang lietj", None, id="typo"),
    ],
)
def test_shared_account_asks_once_then_answers_the_question_put_aside(
    province: Province, named: str, former: str | None
) -> None:
    conv = conversation(province)
    asked = say(conv, "cho em xin số điện thoại và giờ làm việc của ủy ban")
    assert kind(asked) == "office:ask"
    assert asked.text == texts.ASK_OFFICE
    reply = say(conv, named)
    assert "024 3641 1111" in reply.text
    assert "sáng 8:00–12:00" in reply.text  # the office's hours
    assert "Phường Hoàng Liệt" in reply.text
    if former is not None:
        assert f"{former} cũ nay thuộc Phường Hoàng Liệt" in reply.text
    # Remembered: the next question needing the office is answered at once.
    again = conv.handle(Incoming("telegram", "1", "u1", InKind.COMMAND, "lienhe"))
    assert kind(again) == "contact" and "024 3641 1111" in again.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("vneid là gì, cài thế nào", id="procedure-everywhere-the-same"),
        pytest.param("xin chào", id="small-talk"),
        pytest.param("tra cứu điểm thi tốt nghiệp ở đâu", id="out-of-scope"),
    ],
)
def test_shared_account_answers_what_needs_no_office_before_asking(province: Province, question: str) -> None:
    reply = say(province_conversation := conversation(province), question)
    assert kind(reply) != "office:ask"
    assert province_conversation.offices is not None
    assert province_conversation.offices.office_of("telegram", "1") is None


def test_shared_account_asks_for_an_entry_only_offices_have(province: Province) -> None:
    conv = conversation(province)
    assert kind(say(conv, "muốn bán hàng ở chợ đêm Linh Đàm thì đăng ký ở đâu")) == "office:ask"
    reply = say(conv, "hoang liet")
    assert "HH4" in reply.text


def test_an_office_that_does_not_handle_a_procedure_says_who_does(province: Province) -> None:
    conv = conversation(province, {"zalo_bot:hoang-liet": "hoang-liet"})
    reply = say(conv, "làm hộ chiếu cần những gì", channel="zalo_bot:hoang-liet")
    assert kind(reply) == "declined"
    assert "Thủ tục này do Phòng Quản lý xuất nhập cảnh Công an thành phố Hà Nội giải quyết" in reply.text
    assert "024 3641 1111" in reply.text
    # Another office handles it as the shared FAQ says.
    other = conversation(province, {"zalo_bot:dinh-cong": "dinh-cong"})
    assert kind(say(other, "làm hộ chiếu cần những gì", channel="zalo_bot:dinh-cong")) == "answer"


def test_ambiguous_name_offers_numbered_choices_and_a_pick_is_remembered(province: Province) -> None:
    conv = conversation(province)
    say(conv, "số điện thoại ủy ban là bao nhiêu")
    choices = say(conv, "Đại Kim")
    assert kind(choices) == "office:choices"
    labels = [b.label for b in choices.flat_buttons]
    assert sorted(labels) == ["Phường Hoàng Liệt", "Phường Định Công"]
    (pick,) = [b.payload for b in choices.flat_buttons if b.label == "Phường Định Công"]
    assert pick is not None
    reply = press(conv, pick)
    assert "024 3664 2222" in reply.text


@pytest.mark.parametrize("change", ["đổi phường", "doi xa", CHANGE])
def test_citizen_can_change_office(province: Province, change: str) -> None:
    conv = conversation(province)
    say(conv, "số điện thoại ủy ban")
    assert "024 3664 2222" in say(conv, "phường Định Công").text
    changed = press(conv, change) if change == CHANGE else say(conv, change)
    assert kind(changed) == "office:change"
    assert texts.ASK_OFFICE in changed.text
    assert kind(say(conv, "Hoàng Liệt")) == "office:set"
    reply = conv.handle(Incoming("telegram", "1", "u1", InKind.COMMAND, "lienhe"))
    assert "024 3641 1111" in reply.text


def test_a_question_while_asked_for_the_office_is_still_answered(province: Province) -> None:
    conv = conversation(province)
    assert kind(say(conv, "số điện thoại ủy ban")) == "office:ask"
    reply = say(conv, "đăng ký tạm trú cần giấy tờ gì")
    assert kind(reply) == "answer"


def test_office_knowledge_is_a_knowledge(province: Province) -> None:
    k = province.knowledge("hoang-liet")
    assert isinstance(k, Knowledge)
    assert k.book.agency.phone == "024 3641 1111"
    assert k.book.entry("ho-chieu") is None  # not handled: never in its menu
    assert k.book.entry("cho-dem-linh-dam") is not None
