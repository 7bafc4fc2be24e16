"""faq.answer_terms: which entries' answers use a message's words (BM25, accents off)."""

from __future__ import annotations

import dataclasses

import pytest

from faq.answer_terms import AnswerTerms, terms
from faq.loader import load_faq
from faq.schema import FaqBook


@pytest.fixture(scope="module")
def book() -> FaqBook:
    return load_faq(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Hợp đồng thuê nhà", ["hop", "dong", "thue", "nha", "hop_dong", "dong_thue", "thue_nha"],
                     id="words-and-pairs"),
        pytest.param("hop dong thue", ["hop", "dong", "thue", "hop_dong", "dong_thue"], id="accents-off"),
        pytest.param("Giấy chứng sinh", ["chung", "sinh", "chung_sinh"], id="giay-is-too-common"),
        pytest.param("của và ở", [], id="common-words-only"),
        pytest.param("a b", [], id="one-letter-words"),
        pytest.param("sạt lở và lũ", ["sat", "lo", "lu", "sat_lo", "lo_lu"], id="common-word-between"),
    ],
)  # fmt: skip
def test_terms(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_the_entry_whose_answer_names_the_words_scores_highest(book: FaqBook) -> None:
    index = AnswerTerms(book)
    scores = index.scores("giay chung sinh cua benh vien")
    # Among procedures: a declined topic whose pointer names "bệnh viện" (khám chữa bệnh) competes too,
    # by design (its words are what make the fused ranking decline it).
    procedures = [i for i, e in enumerate(book.entries) if e.is_procedure]
    best = book.entries[max(procedures, key=lambda i: scores[i])]
    assert best.id == "khai-sinh"
    assert scores.max() == pytest.approx(1.0)
    assert (scores >= 0).all()


def test_words_no_answer_uses_score_nothing(book: FaqBook) -> None:
    assert not AnswerTerms(book).scores("xyzzy quux").any()


def test_an_empty_book_scores_nothing(book: FaqBook) -> None:
    empty = dataclasses.replace(book, entries=())
    assert AnswerTerms(empty).scores("giấy chứng sinh").shape == (0,)
