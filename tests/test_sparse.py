"""The lexical-only thresholds follow how many phrasings a FAQ's entries have (faq.sparse)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from faq.decision import Kind, MatchSettings
from faq.lexical import LexicalMatcher
from faq.matcher import Matcher
from faq.schema import FaqBook, titles_only
from faq.sparse import lexical_only_settings, phrasings_median, sparseness


def with_phrasings(book: FaqBook, count: int) -> FaqBook:
    """The book with every entry cut to its title and count - 1 questions."""
    return replace(book, entries=tuple(replace(e, questions=e.questions[: count - 1]) for e in book.entries))


@pytest.mark.parametrize(
    ("phrasings", "expected"),
    [
        pytest.param(1, 1.0, id="titles-only"),
        pytest.param(2, 1.0, id="title-and-one-question"),
        pytest.param(4, 2 / 3, id="four-phrasings"),
        pytest.param(8, 1 / 3, id="eight-phrasings"),
        pytest.param(16, 0.0, id="sixteen-phrasings"),
    ],
)
def test_sparseness_by_median_phrasings(shipped_book: FaqBook, phrasings: int, expected: float) -> None:
    book = with_phrasings(shipped_book, phrasings)
    assert phrasings_median(book) == phrasings
    assert sparseness(book) == pytest.approx(expected)


def test_the_shipped_faq_keeps_the_configured_thresholds(shipped_book: FaqBook) -> None:
    assert phrasings_median(shipped_book) >= 16
    settings = MatchSettings()
    assert lexical_only_settings(settings, shipped_book) is settings


@pytest.mark.parametrize(
    ("configured", "answer", "suggest", "margin"),
    [
        pytest.param(MatchSettings(), 56.0, 46.0, 6.0, id="defaults"),
        pytest.param(
            MatchSettings(answer_threshold=70, suggest_threshold=60, answer_margin=5), 63.0, 50.0, 7.0,
            id="operator-set-stays-relative",
        ),
        pytest.param(
            MatchSettings(answer_threshold=8, suggest_threshold=8, answer_margin=0), 1.0, 0.0, 2.0,
            id="never-below-zero",
        ),
        pytest.param(
            MatchSettings(answer_threshold=60, suggest_threshold=59, answer_margin=4), 53.0, 49.0, 6.0,
            id="suggest-stays-below-answer",
        ),
    ],
)  # fmt: skip
def test_full_drop_on_a_titles_only_faq(
    shipped_book: FaqBook, configured: MatchSettings, answer: float, suggest: float, margin: float
) -> None:
    fitted = lexical_only_settings(configured, titles_only(shipped_book))
    thresholds = (fitted.answer_threshold, fitted.suggest_threshold, fitted.answer_margin)
    assert thresholds == (answer, suggest, margin)
    assert fitted.suggest_threshold <= fitted.answer_threshold
    assert fitted.max_suggestions == configured.max_suggestions


def test_only_the_lexical_only_matcher_lowers_its_thresholds(
    shipped_book: FaqBook, titles_matcher: Matcher
) -> None:
    assert titles_matcher.semantic is not None
    assert titles_matcher.lexical.settings == MatchSettings()  # the fused decision is calibrated
    alone = Matcher(titles_only(shipped_book))
    assert alone.lexical.settings.suggest_threshold < MatchSettings().suggest_threshold


@pytest.mark.parametrize(
    ("text", "kind", "entry_id"),
    [
        pytest.param("con toi moi sinh, lam khai sinh o dau", Kind.SUGGEST, "khai-sinh", id="offered-now"),
        pytest.param("muon dang ky tam tru cho nguoi thue tro", Kind.ANSWER, "tam-tru", id="answered-now"),
        pytest.param("toi nay xem bong da o dau", Kind.NONE, None, id="out-of-scope-still-none"),
    ],
)
def test_a_first_faq_answers_without_the_model(
    shipped_book: FaqBook, text: str, kind: Kind, entry_id: str | None
) -> None:
    book = titles_only(shipped_book)
    result = Matcher(book).match(text)
    assert result.kind is kind
    if kind is Kind.ANSWER:
        assert result.entry is not None and result.entry.id == entry_id
    elif kind is Kind.SUGGEST:
        assert entry_id in [e.id for e in result.suggestions]
    if kind is not Kind.NONE:
        # The thresholds set for a FAQ with many phrasings say less: nothing, or only a choice.
        strict = LexicalMatcher(book, MatchSettings()).match(text)
        assert strict.kind is (Kind.NONE if kind is Kind.SUGGEST else Kind.SUGGEST)
