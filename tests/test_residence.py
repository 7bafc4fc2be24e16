"""Residence named as where the citizen lives, not as what they ask (faq.residence)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from faq.decision import Kind
from faq.lexical import LexicalMatcher
from faq.matcher import Matcher
from faq.normalize import fold_word, tokens
from faq.residence import context_positions, read_residence
from faq.schema import FaqBook

_NAMED = {("khai", "sinh"), ("can", "cuoc"), ("ket", "hon")}


def _named(words: list[str]) -> Callable[[int], bool]:
    folded = [fold_word(w) for w in words]
    return lambda i: tuple(folded[i : i + 2]) in _NAMED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("con sinh ở nơi tạm trú làm khai sinh ở đây được không",
                     "con sinh ở nơi sống làm khai sinh ở đây được không", id="place-of-temporary-residence"),
        pytest.param("dang tam tru o day lam can cuoc duoc ko",
                     "dang sống o day lam can cuoc duoc không", id="currently-no-accents"),
        pytest.param("thường trú ở Nam Định muốn làm căn cước ở đây",
                     "thường trú ở nam định muốn làm căn cước ở đây", id="before-a-place-is-left-as-typed"),
        pytest.param("địa chỉ thường trú khác nơi ở thì kết hôn ở đâu",
                     "địa chỉ sống khác nơi ở thì kết hôn ở đâu", id="address-of-residence"),
        pytest.param("đăng ký tạm trú rồi làm căn cước được không",
                     "đăng ký tạm trú rồi làm căn cước được không", id="registering-is-the-procedure"),
        pytest.param("đăng tạm trú ở đây rồi làm khai sinh được không",
                     "đăng tạm trú ở đây rồi làm khai sinh được không", id="accented-dang-is-register"),
        pytest.param("đăng ký thường trú ở đây cần gì làm căn cước",
                     "đăng ký thường trú ở đây cần gì làm căn cước", id="a-verb-before-the-place"),
        pytest.param("đang tạm trú hết hạn rồi phải làm sao",
                     "đang tạm trú hết hạn rồi phải làm sao", id="nothing-else-named"),
        pytest.param("nơi tạm trú với nơi thường trú khác nhau sao",
                     "nơi tạm trú với nơi thường trú khác nhau sao", id="only-residence-named"),
    ],
)  # fmt: skip
def test_residence_that_only_says_where_one_lives_is_read_as_living(text: str, expected: str) -> None:
    words = tokens(text)
    assert " ".join(read_residence(words, context_positions(words, _named(words)))) == expected


@pytest.fixture(scope="module")
def lexical(shipped_book: FaqBook) -> LexicalMatcher:
    return LexicalMatcher(shipped_book)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("con tôi sinh ở nơi tạm trú, đk khai sinh ở đây được không", "khai-sinh", id="birth"),
        pytest.param("dang tam tru o day lam can cuoc duoc ko", "can-cuoc", id="id-card-no-accents"),
        pytest.param("đang tạm trú hết hạn rồi phải làm sao", "tam-tru", id="the-residence-itself"),
        pytest.param("đang ở trọ, muốn đăng ký tạm trú online", "tam-tru", id="registering-it"),
    ],
)  # fmt: skip
def test_the_lexical_stage_ranks_what_is_asked_above_where_one_lives(
    lexical: LexicalMatcher, text: str, expected: str
) -> None:
    assert lexical.match_ranked(text).candidates[0].entry.id == expected


def test_the_model_reads_where_one_lives_as_living(shipped_matcher: Matcher) -> None:
    result = shipped_matcher.match("dang tam tru o day lam can cuoc duoc ko")
    assert shipped_matcher.model_text("dang tam tru o day lam can cuoc duoc ko").startswith("đang sống ở đây")
    assert (result.kind, result.entry.id if result.entry else None) == (Kind.ANSWER, "can-cuoc")
