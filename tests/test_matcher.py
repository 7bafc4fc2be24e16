"""The matcher on the small test FAQ: decisions, facets, typos, bad input, determinism."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest

from faq.decision import Kind, MatchSettings
from faq.evaluate import load_cases
from faq.lexical import LexicalMatcher
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.near_words import phonetic_key
from faq.schema import Entry, Facet, FaqBook

MINI = Path(__file__).parent / "data" / "mini_faq.yaml"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def book() -> FaqBook:
    return load_faq(MINI)


@pytest.fixture(scope="module")
def matcher(book: FaqBook) -> Matcher:
    return Matcher(book)


@pytest.mark.parametrize(
    ("text", "entry_id", "facet"),
    [
        pytest.param("làm căn cước cần gì", "can-cuoc", Facet.DOCUMENTS, id="short-with-facet"),
        pytest.param("dang ky tam tru online the nao", "tam-tru", Facet.ONLINE, id="accents-off"),
        pytest.param("Làm Hộ Chiếu Hết Bao Nhiêu Tiền", "ho-chieu", Facet.FEE, id="title-case"),
        pytest.param("hộ chiếu", "ho-chieu", None, id="keyword-alone"),
        pytest.param("tạm trú", "tam-tru", None, id="two-syllable-topic"),
        pytest.param("nhập hộ khẩu cho con", "thuong-tru", None, id="faq-synonym"),
        pytest.param("cmnd hết hạn đổi sang căn cước thế nào", "can-cuoc", Facet.STEPS, id="cmnd"),
        pytest.param("đăg ký kết hôn", "ket-hon", None, id="missing-letter"),
        pytest.param("khaisinh cho be", "khai-sinh", None, id="glued-words"),
        pytest.param(
            "người nhà em mới qua đời thì làm giấy chứng tử ở đâu", "khai-tu", Facet.WHERE,
            id="situation",
        ),
        pytest.param(
            unicodedata.normalize("NFD", "xin giấy xác nhận độc thân ở đâu"),
            "xac-nhan-tinh-trang-hon-nhan", Facet.WHERE, id="nfd-input",
        ),
        pytest.param("dạ cho em hỏi làm căn cước cần gì ạ", "can-cuoc", Facet.DOCUMENTS,
                     id="polite-preamble-ignored"),
        pytest.param("làm căn cước cần đem theo chi", "can-cuoc", Facet.DOCUMENTS, id="dem-theo-chi"),
        pytest.param("xin chào", "chao-hoi", None, id="greeting-small-talk"),
        pytest.param("cảm ơn ad nhiều nha", "cam-on", None, id="thanks-small-talk"),
    ],
)  # fmt: skip
def test_answers(matcher: Matcher, text: str, entry_id: str, facet: Facet | None) -> None:
    result = matcher.match(text)
    assert result.kind is Kind.ANSWER, result
    assert result.entry is not None and result.entry.id == entry_id
    assert result.facet is facet
    assert not result.facet_only and not result.preamble_only


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        pytest.param("tạm chú cho sinh viên", "tam-tru", id="dialect-tr-ch"),
        pytest.param("photo công chứng bằng đại học", "chung-thuc-ban-sao", id="colloquial-name"),
        pytest.param("lam giay khai sinh cho bé o dau", "khai-sinh", id="mixed-accents"),
        pytest.param("ho chieu het han thi doi o dau", "ho-chieu", id="accents-off-where"),
    ],
)
def test_best_candidate(matcher: Matcher, text: str, entry_id: str) -> None:
    result = matcher.match(text)
    assert result.candidates and result.candidates[0].entry.id == entry_id
    assert result.kind is not Kind.NONE
    offered = [result.entry] if result.entry else list(result.suggestions)
    assert offered[0] is not None and offered[0].id == entry_id


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("đăng ký học lái xe", id="hoc-lai-xe"),
        pytest.param("tra cứu điểm thi", id="diem-thi"),
        pytest.param("bưu điện mấy giờ mở cửa gửi hàng", id="buu-dien-gui-hang"),
        pytest.param("đăng ký sim chính chủ", id="sim-chinh-chu"),
        pytest.param("giá vàng hôm nay bao nhiêu", id="gia-vang"),
        pytest.param("thủ tục ly hôn thuận tình", id="ly-hon"),
    ],
)
def test_out_of_scope_is_never_answered(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.kind is not Kind.ANSWER, result
    assert result.entry is None


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        pytest.param("còn lệ phí thì sao ạ", Facet.FEE, id="fee"),
        pytest.param("mất mấy ngày", Facet.TIME, id="time"),
        pytest.param("nộp ở đâu ạ", Facet.WHERE, id="where"),
        pytest.param("làm online được không", Facet.ONLINE, id="online"),
        pytest.param("cần giấy tờ gì", Facet.DOCUMENTS, id="documents"),
        pytest.param("gửi qua bưu điện được không", Facet.POSTAL, id="postal"),
    ],
)
def test_facet_only(matcher: Matcher, text: str, facet: Facet) -> None:
    result = matcher.match(text)
    assert (result.facet, result.facet_only, result.preamble_only) == (facet, True, False)
    assert result.kind is not Kind.ANSWER


@pytest.fixture(scope="module")
def shipped_lexical() -> LexicalMatcher:
    return LexicalMatcher(load_faq(None))


@pytest.mark.parametrize(
    ("text", "people"),
    [
        pytest.param("thủ tục thế nào", (), id="procedure-how"),
        pytest.param("lệ phí bao nhiêu", (), id="fee-only"),
        pytest.param("đăng ký thế nào", (), id="register-how"),
        pytest.param("thu tuc gi", (), id="accents-off"),
        pytest.param("cho tôi hỏi thủ tục", (), id="asks-a-procedure"),
        pytest.param("làm giấy tờ cho mẹ", ("mẹ",), id="for-mother"),
        pytest.param("đăng ký cho con", ("con",), id="con-is-a-child-not-còn"),
        pytest.param("làm căn cước cho mẹ", None, id="procedure-named"),
        pytest.param("mẹ tôi mất", None, id="an-event-named"),
        pytest.param("nộp hồ sơ online thế nào", None, id="filing-online"),
        pytest.param("đăng ký online được ko", (), id="online-alone-names-nothing"),
        pytest.param("cái vneid", None, id="the-vneid-app"),
        pytest.param("tôi bị mất giấy tờ", (), id="papers-lost-none-named"),
        pytest.param("mất hết giấy tờ", (), id="all-papers-lost"),
        pytest.param("bị mất giấy tờ tùy thân", (), id="own-papers-lost-none-named"),
        pytest.param("mat giay to tuy than", (), id="own-papers-lost-accents-off"),
        pytest.param("tôi bị mất hết giấy tờ tùy thân, giờ làm sao", (), id="gio-lam-sao-is-now"),
        pytest.param("bnhieu ngay co", (), id="accents-from-abbreviations-were-not-typed"),
        pytest.param("bố tôi mất", None, id="a-death-names-its-registration"),
        pytest.param("mất giấy khai sinh", None, id="a-paper-named"),
        pytest.param("gửi qua bưu điện mất phí bao nhiêu", None, id="postal-channel"),
        pytest.param("dang ky tra ket qua ve nha", None, id="results-sent-home"),
        pytest.param("nộp hồ sơ ở đâu", None, id="submitting"),
        pytest.param("mấy giờ", None, id="office-hours"),
        pytest.param("tôi nộp hồ sơ 2 tuần rồi chưa có kết quả", None, id="own-file-progress"),
        pytest.param("lam so do het bao nhieu tien", None, id="generic-folds-naming-a-faq-pair"),
        pytest.param("có phải thi lại không", None, id="unaccented-word-among-accented-is-as-typed"),
    ],
)
def test_what_a_message_leaves_unnamed(
    shipped_lexical: LexicalMatcher, text: str, people: tuple[str, ...] | None
) -> None:
    assert shipped_lexical.unnamed(text) == people


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("thủ tục thế nào", id="procedure-how"),
        pytest.param("còn lệ phí thì sao ạ", id="fee"),
        pytest.param("đăng ký", id="register"),
        pytest.param("cho em hỏi thủ tục gì", id="which-procedure"),
    ],
)
def test_a_message_naming_nothing_gets_nothing(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert (result.kind, result.entry, result.suggestions, result.names_nothing) == (
        Kind.NONE,
        None,
        (),
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("tôi muốn đăng ký", id="was-declined-as-adoption"),
        pytest.param("nộp ở đâu", id="was-declined-as-court-disputes"),
    ],
)
def test_a_message_naming_nothing_is_not_declined(shipped_matcher: Matcher, text: str) -> None:
    result = shipped_matcher.match(text)
    assert (result.kind, result.declined, result.names_nothing) == (Kind.NONE, None, True)


def test_a_message_naming_only_a_person_is_at_most_offered_choices(shipped_matcher: Matcher) -> None:
    # Alone the shipped FAQ's matcher answered paternity registration ("mẹ" is in its title).
    result = shipped_matcher.match("làm giấy tờ cho mẹ")
    assert result.kind is Kind.SUGGEST and not result.names_nothing
    assert "nhan-cha-me-con" in [e.id for e in result.suggestions]
    assert shipped_matcher.match("làm lại căn cước cho mẹ").kind is Kind.ANSWER


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("dạ", id="da"),
        pytest.param("cho em hỏi với ạ", id="cho-em-hoi"),
        pytest.param("ad ơi", id="ad-oi"),
        pytest.param("alo", id="alo"),
        pytest.param("chào ad cho mình hỏi chút", id="chao-ad-cho-minh-hoi"),
        pytest.param("Kính gửi Ủy ban nhân dân phường", id="kinh-gui-only"),
        pytest.param("Xin chào, tôi tên Lan", id="greeting-and-name"),
        pytest.param("tôi là chủ hộ", id="introduction-only"),
        pytest.param("Dạ em chào anh chị, em là Hoa ở tổ 5", id="greeting-and-introduction"),
        pytest.param("em có việc muốn hỏi", id="co-viec-muon-hoi"),
        pytest.param("cho em hỏi chút việc", id="hoi-chut-viec"),
    ],
)
def test_preamble_only(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.preamble_only
    assert (result.kind, result.entry, result.suggestions, result.candidates) == (
        Kind.NONE, None, (), ()
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n\t ", id="whitespace"),
        pytest.param("😀🙏🎉", id="emoji-only"),
        pytest.param("0912345678 123", id="digits-only"),
        pytest.param("привет 你好 مرحبا", id="other-scripts"),
        pytest.param("\x00\x01\x1b[31m\x7f", id="control-chars"),
        pytest.param("\ud800\udfff\ud83d", id="lone-surrogates"),
        pytest.param("ạ" * 10_000, id="10k-fillers"),
        pytest.param("xyzzy " * 2_000, id="10k-nonsense"),
    ],
)
def test_bad_input_gives_none(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.kind is Kind.NONE
    assert result.entry is None and result.suggestions == ()


def test_a_long_message_is_read_whole(matcher: Matcher) -> None:
    story = "Nhà tôi ở gần chợ, hằng ngày tôi bán rau ngoài chợ từ sáng sớm tới trưa. " * 40  # ~3,000 chars
    late = matcher.match(story + "Vậy cho tôi hỏi làm hộ chiếu phổ thông cần giấy tờ gì?")
    assert late.candidates and late.candidates[0].entry.id == "ho-chieu"


def test_a_long_message_without_a_question_keeps_its_start(matcher: Matcher) -> None:
    filler = "xyzzy " * 100  # 600 characters, more than max_input_chars (500), nothing asks
    early = matcher.match("hộ chiếu " + filler)
    assert early.candidates and early.candidates[0].entry.id == "ho-chieu"


def test_mixed_scripts_still_match_the_vietnamese_part(matcher: Matcher) -> None:
    result = matcher.match("办理护照 hộ chiếu")
    assert result.entry is not None and result.entry.id == "ho-chieu"


def test_deterministic_and_ranked(matcher: Matcher, book: FaqBook) -> None:
    text = "đăng ký kết hôn với giấy xác nhận độc thân"
    first = matcher.match(text)
    assert Matcher(book).match(text) == first == matcher.match(text)
    scores = [c.score for c in first.candidates]
    assert scores == sorted(scores, reverse=True)
    assert len({c.entry.id for c in first.candidates}) == len(first.candidates)


def test_ties_break_by_file_order() -> None:
    twin = Entry(id="b", category="x", title="Đăng ký tạm trú", questions=("tạm trú",))
    book = FaqBook(
        version=1,
        agency=load_faq(MINI).agency,
        synonyms=(),
        categories=(),
        entries=(dataclasses.replace(twin, id="a"), twin),
    )
    result = Matcher(book).match("tạm trú")
    assert [c.entry.id for c in result.candidates] == ["a", "b"]
    assert result.kind is Kind.SUGGEST  # equal scores: no margin, so no confident answer


@pytest.mark.parametrize(
    ("settings", "kind"),
    [
        pytest.param(MatchSettings(), Kind.ANSWER, id="defaults"),
        pytest.param(MatchSettings(answer_threshold=101.0), Kind.SUGGEST, id="threshold-gate"),
        pytest.param(MatchSettings(answer_margin=101.0), Kind.SUGGEST, id="margin-gate"),
        pytest.param(
            MatchSettings(answer_threshold=101.0, suggest_threshold=101.0), Kind.NONE,
            id="below-suggest",
        ),
    ],
)  # fmt: skip
def test_two_gates_come_from_settings(book: FaqBook, settings: MatchSettings, kind: Kind) -> None:
    result = Matcher(book, settings).match("đăng ký kết hôn cần giấy tờ gì")
    assert result.kind is kind
    if kind is Kind.SUGGEST:
        assert result.suggestions[0].id == "ket-hon"


def test_suggestions_are_capped_and_exclude_small_talk(book: FaqBook) -> None:
    settings = MatchSettings(answer_threshold=101.0, suggest_threshold=0.0, max_suggestions=2)
    result = Matcher(book, settings).match("đăng ký khai sinh khai tử kết hôn")
    assert result.kind is Kind.SUGGEST
    assert len(result.suggestions) == 2
    assert not any(e.is_small_talk for e in result.suggestions)
    assert len(result.candidates) >= 2


def test_unaccented_faq_term_is_not_a_generic_word(matcher: Matcher) -> None:
    # "can" alone is mostly "cần" (generic); before "cuoc" it is the FAQ's term "căn cước".
    ranked, *_ = matcher.rank("can cuoc het han doi o dau")
    assert ranked[0].entry.id == "can-cuoc"
    assert ranked[0].score - ranked[1].score >= 5.0


MESSAGES = (
    "làm căn cước cần gì", "dang ky tam tru online the nao", "giá vàng hôm nay bao nhiêu",
    "đăng ký", "xin chào", "can cuoc het han doi o dau", "khaisinh cho be", "tạm chú cho sinh viên",
)  # fmt: skip


def test_cache_changes_nothing(book: FaqBook) -> None:
    cached, uncached = Matcher(book), Matcher(book, cache_size=0)
    first = [cached.match(m) for m in MESSAGES]
    again = [cached.match(m) for m in MESSAGES]
    assert first == again == [uncached.match(m) for m in MESSAGES]


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param(MatchSettings(), id="defaults"),
        pytest.param(MatchSettings(answer_threshold=60, answer_margin=15, suggest_threshold=40), id="wide"),
        pytest.param(MatchSettings(answer_threshold=90, answer_margin=1, suggest_threshold=85), id="strict"),
    ],
)
def test_pruning_for_the_decision_changes_no_decision(book: FaqBook, settings: MatchSettings) -> None:
    # match() skips entries that cannot change its decision; deciding on the full ranking agrees.
    matcher = LexicalMatcher(book, settings, cache_size=0)
    messages = [*MESSAGES, *(c.q for c in load_cases(DATA / "questions.yaml"))]
    pruned_somewhere = False
    for message in messages:
        fast = matcher.match(message)
        full = matcher.match_ranked(message)
        assert (fast.kind, fast.entry, fast.suggestions, fast.score, fast.facet) == (
            full.kind, full.entry, full.suggestions, full.score, full.facet,
        ), message  # fmt: skip
        pruned_somewhere |= len(fast.candidates) < len(full.candidates)
    assert pruned_somewhere


def test_cache_is_bounded(book: FaqBook) -> None:
    matcher = Matcher(book, cache_size=3)
    for message in MESSAGES:
        matcher.match(message)
    assert len(matcher.lexical._cache) == 3


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("tru", "chu", id="tr-ch"),
        pytest.param("sinh", "xinh", id="s-x"),
        pytest.param("gia", "da", id="gi-d"),
        pytest.param("ran", "dan", id="r-d"),
        pytest.param("lam", "nam", id="l-n"),
        pytest.param("bang", "ban", id="ng-n"),
        pytest.param("cac", "cat", id="c-t"),
    ],
)
def test_phonetic_key_merges_dialect_spellings(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


def test_large_faq_stays_correct() -> None:
    # 400 generated entries sharing common words; the rare topic word must still decide.
    base = load_faq(MINI)
    topics = [f"chủ đề{i:03d}" for i in range(400)]
    entries = tuple(
        Entry(
            id=f"e{i}",
            category="x",
            title=f"Đăng ký {t}",
            questions=(f"làm {t} cần giấy tờ gì", f"thủ tục {t} ở đâu", f"{t} mất bao lâu"),
        )
        for i, t in enumerate(topics)
    )
    book = dataclasses.replace(base, entries=entries, synonyms=())
    result = Matcher(book).match("cho em hỏi thủ tục chủ đề123 cần những gì ạ")
    assert result.kind is Kind.ANSWER and result.entry is not None
    assert result.entry.id == "e123"


def test_facets_survive_faq_synonyms(book: FaqBook) -> None:
    # The FAQ rewrites "vneid"; "trên vneid" must still read as the online facet.
    rewritten = dataclasses.replace(book, synonyms=(("định danh điện tử", ("vneid",)),))
    result = Matcher(rewritten).match("đăng ký tạm trú trên vneid")
    assert result.facet is Facet.ONLINE
    assert result.entry is not None and result.entry.id == "tam-tru"


@pytest.mark.parametrize(
    ("text", "foreign"),
    [
        pytest.param("đăng ký tạm trú trên facebook", ("facebook",), id="unknown-brand"),
        pytest.param("办理护照 hộ chiếu", (), id="other-script-is-not-a-word"),
        pytest.param("khaisinh cho be", (), id="glued-words"),
        pytest.param("dang ky tam tru online", (), id="all-known-unaccented"),
        pytest.param("đăng ký tạm trús", (), id="typo-of-known-word"),
        pytest.param("dạ cho em hỏi tạm trú cần gì ạ", (), id="fillers-and-facet-words"),
        pytest.param("tạm trú 2025", (), id="digits"),
        pytest.param("tạm trú cho con 14t", (), id="number-with-unit"),
        pytest.param("tạm trú mẫu ct01 a1", (), id="codes-with-digits"),
    ],
)
def test_foreign_words(matcher: Matcher, text: str, foreign: tuple[str, ...]) -> None:
    assert matcher.foreign_words(text) == foreign


def test_a_word_the_faq_never_uses_turns_an_answer_into_a_suggestion(book: FaqBook) -> None:
    matcher = Matcher(book, MatchSettings(answer_threshold=50, answer_margin=0, suggest_threshold=10))
    plain = matcher.match("đăng ký tạm trú cho người ở trọ")
    assert plain.kind is Kind.ANSWER and plain.entry is not None
    odd = matcher.match("đăng ký tạm trú cho người ở trọ trên facebook")
    assert odd.kind is Kind.SUGGEST
    assert plain.entry in odd.suggestions


@pytest.mark.parametrize(
    ("text", "answer", "alternatives"),
    [
        pytest.param("đăng ký thường trú cho con mới khai sinh", "thuong-tru", ["khai-sinh"],
                     id="runner-up-within-window"),
        pytest.param("nhập hộ khẩu tạm trú", "thuong-tru", ["tam-tru"], id="near-twin"),
        pytest.param("khai sinh cho con sau khi kết hôn", "khai-sinh", [], id="runner-up-too-far"),
        pytest.param("làm hộ chiếu cần căn cước không", "ho-chieu", [], id="runner-up-below-suggest"),
    ],
)  # fmt: skip
def test_close_runners_up_are_offered_beside_an_answer(
    matcher: Matcher, text: str, answer: str, alternatives: list[str]
) -> None:
    result = matcher.match(text)
    assert result.kind is Kind.ANSWER and result.entry is not None and result.entry.id == answer
    assert [e.id for e in result.suggestions] == alternatives
    top = result.candidates[0].score
    for entry in result.suggestions:
        (score,) = [c.score for c in result.candidates if c.entry.id == entry.id]
        assert top - 10.0 <= score < top


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("làm căn cước và hộ chiếu cùng lúc được không", {"can-cuoc", "ho-chieu"}, id="va"),
        pytest.param("cho em hỏi 2 việc: 1. đăng ký tạm trú cho con 2. làm hộ chiếu cho con",
                     {"tam-tru", "ho-chieu"}, id="numbered-list"),
        pytest.param("dang ky khai sinh, lam can cuoc cho be", {"khai-sinh", "can-cuoc"},
                     id="comma-accents-off"),
    ],
)  # fmt: skip
def test_every_procedure_a_message_lists_is_offered(matcher: Matcher, text: str, named: set[str]) -> None:
    result = matcher.match(text)
    assert result.kind in (Kind.ANSWER, Kind.SUGGEST)
    offered = {*(e.id for e in result.suggestions)} | ({result.entry.id} if result.entry else set())
    assert named <= offered, offered
    assert len(result.suggestions) <= matcher.settings.max_suggestions


def test_two_needs_neither_sure_alone_are_both_offered(shipped_matcher: Matcher) -> None:
    # With the model, no one procedure is confident for the whole message (it had "chưa có thông
    # tin"), but each part names one plainly.
    result = shipped_matcher.match(
        "chồng tôi mất được 10 ngày rồi, tôi muốn hỏi làm giấy khai tử cho ông ấy thế nào, "
        "và căn nhà đứng tên chồng tôi thì giờ sang tên cho tôi ra sao"
    )
    assert result.kind is Kind.SUGGEST
    assert [e.id for e in result.suggestions] == ["khai-tu", "sang-ten-so-do"]
    # Below the confidence that offers choices: they come from the parts.
    assert result.score < 100 * shipped_matcher.settings.suggest_confidence


def test_two_needs_asked_at_the_end_of_a_letter_are_both_offered(shipped_matcher: Matcher) -> None:
    # A letter got "chưa có thông tin" where the same two needs typed short were both offered: only
    # short messages were split into their parts.
    letter = (
        "Chào anh chị. Tôi là Phạm Văn Lộc, 49 tuổi. Mẹ tôi là cụ Phạm Thị Na mất ngày 01/12/2026 tại "
        "nhà, hưởng thọ 90 tuổi. Nhà đất đang ở đứng tên mẹ tôi, bố tôi mất từ năm 2010, ba anh em tôi "
        "đều đã thống nhất để lại cho tôi. Xin hỏi trước hết tôi phải làm giấy khai tử cho mẹ ở đâu, và "
        "sau đó muốn sang tên nhà đất cho tôi thì bắt đầu thế nào?"
    )
    result = shipped_matcher.match(letter)
    assert result.kind is Kind.SUGGEST
    assert [e.id for e in result.suggestions] == ["khai-tu", "sang-ten-so-do"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("làm lại giấy chứng nhận kết hôn bị mất", id="make-again"),
        pytest.param("mất giấy đăng ký kết hôn xin lại ở đâu", id="where"),
        pytest.param("giay ket hon bi chay roi xin lai o dau", id="burnt-no-accents"),
    ],
)
def test_a_lost_marriage_certificate_is_a_copy_not_a_new_marriage(
    shipped_matcher: Matcher, text: str
) -> None:
    # It was answered "Đăng ký kết hôn": registering the marriage again.
    result = shipped_matcher.match(text)
    assert result.kind is Kind.ANSWER and result.entry is not None
    assert result.entry.id == "trich-luc-ho-tich"


def test_procedures_named_in_passing_are_not_offered(shipped_matcher: Matcher) -> None:
    # A neighbour dispute that mentions a building permit and an ID card in passing: most of its
    # parts name no procedure, so none is offered as what was asked.
    result = shipped_matcher.match(
        "hàng xóm xây lấn sang đất nhà tôi, tường nứt hết, tôi muốn kiện đòi bồi thường, bên xây "
        "có giấy phép xây dựng, còn căn cước của ông ấy tôi có"
    )
    assert result.kind is Kind.NONE


def test_one_need_in_parts_adds_nothing(matcher: Matcher) -> None:
    result = matcher.match("làm căn cước cho con, cháu 14 tuổi, cần những gì")
    assert result.kind is Kind.ANSWER and result.entry is not None and result.entry.id == "can-cuoc"
    assert "can-cuoc" not in {e.id for e in result.suggestions}


def test_a_second_need_joined_by_dong_thoi_is_offered_beside_the_answer() -> None:
    result = Matcher(load_faq(None)).match("tôi muốn làm hộ chiếu đồng thời gia hạn thẻ bảo hiểm y tế")
    offered = {e.id for e in (result.entry, *result.suggestions) if e is not None}
    assert {"ho-chieu", "bhyt"} <= offered
