"""faq.accents.AccentRestorer: accents put back on bare words from the FAQ's own words and pairs."""

from __future__ import annotations

import pytest

from faq.accents import AccentRestorer
from faq.lexical import LexicalMatcher, entry_texts
from faq.schema import FaqBook

# A tiny FAQ vocabulary: "đầu" is the commonest form of "dau", but the FAQ writes the pair "con dấu";
# "can" is "căn" in "căn cước" and "cần" on its own; "cho con" is written without accents.
CORPUS = (
    "làm con dấu cho công ty",
    "đau đầu lần đầu đầu tiên",
    "ở đâu",
    "làm căn cước cần gì cần bao lâu",
    "tạm trú cho con",
    "đăng ký tạm trú",
    "mất bao lâu",
    "đăng ký khai tử",
    "kỹ thuật",
)


@pytest.fixture(scope="module")
def restorer() -> AccentRestorer:
    return AccentRestorer(text.split() for text in CORPUS)


@pytest.mark.parametrize(
    ("typed", "restored"),
    [
        pytest.param("dang ky tam tru", "đăng ký tạm trú", id="bare-words-restored"),
        pytest.param("dau", "đầu", id="single-word-takes-the-commonest-form"),
        pytest.param("con dau", "con dấu", id="pair-context-preferred-over-the-single-word-form"),
        pytest.param("lam con dau", "làm con dấu", id="pair-inside-a-longer-message"),
        pytest.param("o dau", "ở đâu", id="another-pair-another-form"),
        pytest.param("lan dau", "lần đầu", id="pair-agreeing-with-the-word-form"),
        pytest.param("can cuoc", "căn cước", id="pair-can-cuoc"),
        pytest.param("can gi", "cần gì", id="pair-can-gi"),
        pytest.param("cho con", "cho con", id="bare-in-the-faq-stays-bare"),
        pytest.param("tạm trú", "tạm trú", id="typed-with-accents-unchanged"),
        pytest.param("đâu", "đâu", id="accented-word-the-faq-never-writes-unchanged"),
        pytest.param("con đầu", "con đầu", id="typed-accents-win-over-the-pair-form"),
        pytest.param("con dâu", "con dâu", id="typed-accents-win-over-the-pair-form-2"),
        pytest.param("tam trú", "tạm trú", id="bare-word-beside-an-accented-one"),
        pytest.param("xyz qwerty", "xyz qwerty", id="unknown-words-unchanged"),
        pytest.param("tam tru xyz", "tạm trú xyz", id="known-and-unknown-words"),
        pytest.param("dang ky ket hon", "đăng ký ket hon", id="only-the-words-the-faq-knows"),
        pytest.param("đăng ký khai tữ", "đăng ký khai tử", id="hoi-and-nga-swapped-in-a-pair"),
        pytest.param("khai tữ", "khai tử", id="hoi-and-nga-swapped-pair-alone"),
        pytest.param("tữ", "tữ", id="a-swapped-word-alone-stays"),
        pytest.param("kỷ thuật", "kỹ thuật", id="nga-written-hoi"),
        pytest.param("khai tứ", "khai tứ", id="another-tone-is-another-word"),
        pytest.param("", "", id="nothing"),
    ],
)  # fmt: skip
def test_restore(restorer: AccentRestorer, typed: str, restored: str) -> None:
    assert " ".join(restorer.restore(typed.split())) == restored


def test_restore_keeps_the_number_of_words(restorer: AccentRestorer) -> None:
    typed = ["lam", "con", "dau", "o", "dau", "can", "bao", "lau", "xyz"]
    assert len(restorer.restore(typed)) == len(typed)


def test_texts_typed_without_accents_teach_nothing() -> None:
    # Staff write accent-less phrasings so that they match as citizens type; outnumbering the
    # accented text, their bare "mat" and "tien" must not become the words' forms.
    corpus = ["lệ phí có mất tiền không", *["dk ket hon co mat tien ko"] * 3, "khai sinh cho con"]
    restorer = AccentRestorer(text.split() for text in corpus)
    cases = (("ket hon co mat tien khong", "ket hon có mất tiền không"), ("khai sinh cho con",) * 2)
    for typed, restored in cases:
        assert " ".join(restorer.restore(typed.split())) == restored


def test_an_empty_faq_restores_nothing() -> None:
    assert AccentRestorer([]).restore(["dang", "ky"]) == ["dang", "ky"]


@pytest.fixture(scope="module")
def shipped_restorer(shipped_book: FaqBook) -> tuple[AccentRestorer, LexicalMatcher]:
    """The restorer as faq.matcher builds it for the shipped FAQ (its texts as written)."""
    lexical = LexicalMatcher(shipped_book)
    texts = (t for e in shipped_book.entries for t in entry_texts(e))
    return AccentRestorer.of_texts(texts), lexical


@pytest.mark.parametrize(
    ("typed", "restored"),
    [
        pytest.param("dang ky tam tru cho con", "đăng ký tạm trú cho con", id="tam-tru"),
        pytest.param("lam ho chieu o dau", "làm hộ chiếu ở đâu", id="ho-chieu-o-dau"),
        pytest.param("dang ky ket hon", "đăng ký kết hôn", id="ket-hon"),
        pytest.param("giay khai sinh", "giấy khai sinh", id="khai-sinh"),
        pytest.param("con dau", "con dấu", id="con-dau"),
        pytest.param("đăng ký tạm trú", "đăng ký tạm trú", id="accented-unchanged"),
    ],
)  # fmt: skip
def test_restore_with_the_shipped_faq(
    shipped_restorer: tuple[AccentRestorer, LexicalMatcher], typed: str, restored: str
) -> None:
    restorer, lexical = shipped_restorer
    assert " ".join(restorer.restore(lexical.normalizer.tokens(typed))) == restored


def test_the_commonest_question_without_accents(
    shipped_restorer: tuple[AccentRestorer, LexicalMatcher],
) -> None:
    restorer, lexical = shipped_restorer
    tokens = lexical.normalizer.tokens("lam can cuoc can gi")
    assert " ".join(restorer.restore(tokens)) == "làm căn cước cần gì"
