"""Out-of-scope topics: what the office does not handle is declined with a pointer, never guessed.

The mini FAQ plus two out-of-scope topics, loaded through the real loader; the matcher, the
conversation, lint, the report and eval each see them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.report import build_report, format_csv, format_text
from bot.storage import Interaction
from faq.decision import Kind, MatchSettings
from faq.evaluate import Case, evaluate
from faq.knowledge import Knowledge, StaticKnowledge
from faq.lint import lint
from faq.loader import check_faq, load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook
from handlers import payloads, texts
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind

MINI = Path(__file__).parent / "data" / "mini_faq.yaml"
TOPICS = """
  - id: phat-nguoi
    category: out-of-scope
    title: Vi phạm giao thông, phạt nguội
    questions:
      - xe bị phạt nguội xem ở đâu
      - nộp phạt lỗi vượt đèn đỏ
    keywords: [phạt nguội, vi phạm giao thông]
    summary: Vi phạm giao thông do Cảnh sát giao thông xử lý; tra cứu trên csgt.vn.
  - id: ngan-hang
    category: out-of-scope
    title: Ngân hàng, thẻ ATM
    questions:
      - thẻ atm bị nuốt
      - mở tài khoản ngân hàng
    summary: Việc tài khoản, thẻ do ngân hàng của anh/chị giải quyết.
    related: [can-cuoc]
"""


@pytest.fixture(scope="module")
def faq_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faq") / "faq.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").rstrip("\n") + "\n" + TOPICS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def book(faq_path: Path) -> FaqBook:
    return load_faq(faq_path)


@pytest.fixture(scope="module")
def matcher(book: FaqBook) -> Matcher:
    return Matcher(book)


def text(body: str) -> Incoming:
    return Incoming("telegram", "1", "u1", InKind.TEXT, body)


def press(payload: str) -> Incoming:
    return Incoming("telegram", "1", "u1", InKind.BUTTON, payload)


# -- matcher --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        pytest.param("xe máy bị phạt nguội thì xem ở đâu", "phat-nguoi", id="accented"),
        pytest.param("xe em co bi phat nguoi ko", "phat-nguoi", id="accents-off"),
        pytest.param("the atm bi nuot mat roi", "ngan-hang", id="other-topic"),
    ],
)  # fmt: skip
def test_a_message_nearest_a_topic_is_declined(matcher: Matcher, question: str, topic: str) -> None:
    result = matcher.match(question)
    assert result.kind is Kind.NONE
    assert result.declined is not None and result.declined.id == topic
    assert result.entry is None and result.suggestions == ()


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        pytest.param("làm căn cước cần gì", "can-cuoc", id="procedure"),
        pytest.param("dang ky tam tru online the nao", "tam-tru", id="procedure-accents-off"),
        pytest.param("xin chào", "chao-hoi", id="small-talk"),
    ],
)  # fmt: skip
def test_procedures_score_exactly_as_without_topics(matcher: Matcher, question: str, entry_id: str) -> None:
    plain = Matcher(load_faq(MINI)).match(question)
    result = matcher.match(question)
    assert result.kind is Kind.ANSWER and result.entry is not None and result.entry.id == entry_id
    assert result.declined is None
    ours = [(c.entry.id, c.score) for c in result.candidates if not c.entry.is_out_of_scope]
    assert ours == [(c.entry.id, c.score) for c in plain.candidates][: len(ours)]


def test_topics_are_never_suggested(book: FaqBook) -> None:
    # Every gate wide open: whatever is offered, an out-of-scope topic is not.
    wide = Matcher(book, MatchSettings(answer_threshold=101.0, suggest_threshold=0.0))
    for question in ("phạt nguội căn cước", "thẻ atm hộ chiếu", "căn cước ngân hàng"):
        result = wide.match(question)
        assert not any(e.is_out_of_scope for e in result.suggestions), question
        assert result.entry is None


def test_a_weak_nearest_topic_is_no_pointer(book: FaqBook) -> None:
    strict = Matcher(book, MatchSettings(suggest_threshold=100.0, answer_threshold=100.0))
    result = strict.match("xe bị phạt nguội xem ở đâu đây nhỉ")
    assert result.kind is Kind.NONE
    assert result.candidates[0].entry.id == "phat-nguoi"
    assert result.declined is None  # below the suggest threshold: the plain fallback


def test_a_word_only_topics_use_is_unknown_to_procedures(matcher: Matcher) -> None:
    # The topic knows "vượt … đỏ", and declines on them; for the unknown-word gate, which stops a
    # procedure being answered outright, they stay words no procedure uses.
    assert matcher.match("vượt đèn đỏ bị phạt").declined is not None
    plain = Matcher(load_faq(MINI))
    question = "căn cước vượt đèn đỏ"
    assert matcher.foreign_words(question) == plain.foreign_words(question) == ("vượt", "đỏ")


# -- loader and lint ------------------------------------------------------------------------------


def test_a_topic_needs_a_summary_with_its_line(tmp_path: Path) -> None:
    broken = TOPICS.replace("    summary: Việc tài khoản, thẻ do ngân hàng của anh/chị giải quyết.\n", "")
    path = tmp_path / "faq.yaml"
    source = MINI.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(source + broken, encoding="utf-8")
    report = check_faq(path)
    line = len(source.splitlines()) + broken.splitlines().index("  - id: ngan-hang") + 1
    assert [(e.line, "ngoài phạm vi" in e.message) for e in report.errors] == [(line, True)]


def test_topics_need_no_steps_and_stay_out_of_the_menu(faq_path: Path, book: FaqBook) -> None:
    report = check_faq(faq_path)
    assert not report.errors
    assert not any("phat-nguoi" in w.message or "ngan-hang" in w.message for w in report.warnings)
    assert "out-of-scope" not in {c.id for c in book.menu_categories}


def _topic_lint(book: FaqBook) -> list[str]:
    return [p.message for p in lint(book, Matcher(book)) if "ngoài phạm vi" in p.message]


def test_lint_warns_when_a_topic_takes_a_procedure_question(faq_path: Path, tmp_path: Path) -> None:
    # Written first, a topic holding a procedure's own question wins the tie (file order).
    atm = "      - thẻ atm bị nuốt\n"
    greedy = TOPICS.replace(atm, atm + "      - mất hộ chiếu phải làm sao\n")
    path = tmp_path / "faq.yaml"
    source = MINI.read_text(encoding="utf-8")
    path.write_text(source.replace("entries:\n", "entries:\n" + greedy), encoding="utf-8")
    messages = _topic_lint(load_faq(path))
    assert len(messages) == 1 and "mục 'ho-chieu'" in messages[0], messages
    assert "“mất hộ chiếu phải làm sao”" in messages[0]
    assert "ngoài phạm vi 'ngan-hang'" in messages[0]
    assert _topic_lint(load_faq(faq_path)) == []


def test_lint_warns_on_related_links_to_a_topic(book: FaqBook) -> None:
    linked = tuple(
        dataclasses.replace(e, related=("phat-nguoi",)) if e.id == "ho-chieu" else e for e in book.entries
    )
    book = dataclasses.replace(book, entries=linked)
    messages = _topic_lint(book)
    assert len(messages) == 1
    assert "mục 'ho-chieu' liên kết (related) tới mục ngoài phạm vi 'phat-nguoi'" in messages[0]


# -- conversation ---------------------------------------------------------------------------------


@pytest.fixture
def knowledge(book: FaqBook, matcher: Matcher) -> Knowledge:
    return Knowledge(book=book, matcher=matcher)


def test_the_citizen_is_told_who_handles_it(knowledge: Knowledge, book: FaqBook) -> None:
    reply = Conversation(StaticKnowledge(knowledge)).handle(text("xe em co bi phat nguoi ko"))
    assert "Vi phạm giao thông, phạt nguội" in reply.text
    assert "csgt.vn" in reply.text
    assert book.agency.phone in reply.text
    assert not reply.handoff
    assert reply.outcome is not None
    assert (reply.outcome.kind, reply.outcome.entry_id) == ("declined", "phat-nguoi")
    assert reply.outcome.question == "xe em co bi phat nguoi ko"
    assert texts.BTN_ASK_STAFF not in [b.label for b in reply.flat_buttons]
    menu = [b.payload for b in reply.flat_buttons]
    assert menu == [payloads.encode(payloads.ShowCategory(c.id)) for c in book.menu_categories] + [
        payloads.encode(payloads.ShowContact())
    ]


def test_procedures_a_topic_points_to_come_first(knowledge: Knowledge, book: FaqBook) -> None:
    reply = Conversation(StaticKnowledge(knowledge)).handle(text("thẻ atm bị nuốt mất rồi"))
    assert reply.outcome is not None and reply.outcome.entry_id == "ngan-hang"
    first = reply.flat_buttons[0]
    can_cuoc = book.entry("can-cuoc")
    assert can_cuoc is not None
    assert (first.label, first.payload) == (can_cuoc.title, payloads.encode(payloads.ShowAnswer("can-cuoc")))


def test_staff_can_still_be_asked(knowledge: Knowledge) -> None:
    conv = Conversation(StaticKnowledge(knowledge), handoff_enabled=True)
    reply = conv.handle(text("thẻ atm bị nuốt mất rồi"))
    assert not reply.handoff  # told who handles it, not forwarded unasked
    (ask,) = [b for b in reply.flat_buttons if b.label == texts.BTN_ASK_STAFF]
    assert ask.payload is not None
    staff = conv.handle(press(ask.payload))
    assert staff.handoff
    assert staff.outcome is not None and staff.outcome.question == "thẻ atm bị nuốt mất rồi"


def test_a_topic_cannot_be_opened_as_an_answer(knowledge: Knowledge) -> None:
    conv = Conversation(StaticKnowledge(knowledge))
    for action in (payloads.ShowAnswer("phat-nguoi"), payloads.ShowStep("phat-nguoi", 1)):
        reply = conv.handle(press(payloads.encode(action)))
        assert reply.outcome is not None and reply.outcome.kind == "stale", action


# -- report and eval ------------------------------------------------------------------------------


def test_the_report_counts_declined_topics(book: FaqBook) -> None:
    rows = [
        Interaction(at=100.0 + i, channel="telegram", user_hash="u", kind=kind, entry_id=eid,
                    score=70.0, facet=None, question=q)
        for i, (kind, eid, q) in enumerate([
            ("declined", "phat-nguoi", "phạt nguội"),
            ("declined", "phat-nguoi", "xe bị phạt nguội"),
            ("declined", "ngan-hang", "thẻ atm"),
            ("answer", "can-cuoc", "làm căn cước"),
        ])
    ]  # fmt: skip
    report = build_report(rows, book, since=0.0, now=200.0)
    assert [(e.entry_id, e.count) for e in report.declined] == [("phat-nguoi", 2), ("ngan-hang", 1)]
    assert report.questions == 4
    assert "phat-nguoi" not in {e.entry_id for e in report.never_reached}
    body = format_text(report)
    assert "ngoài phạm vi, đã chỉ nơi giải quyết: 3 (75,0%)" in body
    assert "1. Vi phạm giao thông, phạt nguội (phat-nguoi): 2 lượt" in body
    assert 'ngoài phạm vi,phat-nguoi,"Vi phạm giao thông, phạt nguội",2' in format_csv(report)


def test_eval_counts_a_declined_question_as_rejected(matcher: Matcher) -> None:
    cases = [
        Case("xe em co bi phat nguoi ko", (), None, 1),
        Case("thẻ atm bị nuốt mất rồi", ("can-cuoc",), None, 2),
    ]
    report = evaluate(matcher, cases)
    assert (report.rejected, report.false_answer) == (1.0, 0.0)
    assert (report.answered_correct, report.helped) == (0.0, 0.0)
