"""Telex and VNI typed with the Vietnamese input method off, read as Vietnamese (faq.keyboard_off)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faq.evaluate import load_cases
from faq.keyboard_off import decode_keys, from_telex, from_vni
from faq.loader import load_faq
from faq.normalize import clean, unstretch


@pytest.mark.parametrize(
    ("word", "syllable"),
    [
        pytest.param("ddawng", "đăng", id="dd-aw"),
        pytest.param("kys", "ký", id="tone-at-the-end"),
        pytest.param("tamj", "tạm", id="nang-after-the-final"),
        pytest.param("tajm", "tạm", id="nang-before-the-final"),
        pytest.param("giaays", "giấy", id="gi-aa-tone"),
        pytest.param("giaasy", "giấy", id="tone-before-the-glide"),
        pytest.param("dduwowcj", "được", id="uw-ow"),
        pytest.param("dduowcj", "được", id="uow"),
        pytest.param("nguwowif", "người", id="ngu-uow-i"),
        pytest.param("khoong", "không", id="oo"),
        pytest.param("ketes", "kết", id="second-e-after-the-final"),
        pytest.param("photo", None, id="loanword-without-a-tone-key"),
        pytest.param("hoir", "hỏi", id="hoi-tone"),
        pytest.param("quys", "quý", id="qu-onset"),
        pytest.param("owr", "ở", id="vowel-only"),
        pytest.param("sao", None, id="plain-word"),
        pytest.param("cccd", None, id="no-vowel"),
        pytest.param("ok", None, id="no-key"),
        pytest.param("register", None, id="english-not-a-syllable"),
        pytest.param("hộ", None, id="already-accented"),
        pytest.param("2tr", None, id="digits"),
    ],
)
def test_from_telex(word: str, syllable: str | None) -> None:
    assert from_telex(word) == syllable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ddawng kys tamj trus caanf giaays towf gif", "đăng ký tạm trú cần giấy tờ gì",
                     id="all-telex"),
        pytest.param("lamf cawn cuwowcs owr ddaau", "làm căn cước ở đâu", id="five-words"),
        pytest.param("em hoir veef thur tucj ketes hoon", "em hỏi về thủ tục kết hôn",
                     id="mixed-plain-words"),
        pytest.param("dang ky tam tru cho bus driver yes", "dang ky tam tru cho bus driver yes",
                     id="two-english-words"),
        pytest.param("how to register temporary residence", "how to register temporary residence",
                     id="english"),
        pytest.param("làm hộ chiếu ở đâu", "làm hộ chiếu ở đâu", id="accented"),
        pytest.param("tacsh hooj", "tách hộ", id="two-words"),
        pytest.param("visa", "visa", id="one-word-never"),
        pytest.param("mang bản photo sẵn đi chứng thực hay phải photo ở đó",
                     "mang bản photo sẵn đi chứng thực hay phải photo ở đó",
                     id="loanwords-in-an-accented-message"),
    ],
)  # fmt: skip
def test_a_message_is_read_as_telex_only_when_enough_of_it_is(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("word", "syllable"),
    [
        pytest.param("ca8n", "căn", id="breve"),
        pytest.param("can8", "căn", id="shape-key-after-the-final"),
        pytest.param("cu7o7c1", "cước", id="u7o7"),
        pytest.param("d9u7o7c5", "được", id="d9-and-nang"),
        pytest.param("gia61y", "giấy", id="circumflex-then-tone"),
        pytest.param("o73", "ở", id="vowel-only"),
        pytest.param("thi2", "thì", id="huyen"),
        pytest.param("t7", None, id="saturday"),
        pytest.param("14t", None, id="age"),
        pytest.param("g22", None, id="no-vowel"),
        pytest.param("ma611t", None, id="two-tones"),
    ],
)
def test_from_vni(word: str, syllable: str | None) -> None:
    assert from_vni(word) == syllable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ca8n cu7o7c1 bi5 ma61t thi2 la2m la5i o73 d9a6u", "căn cước bị mất thì làm lại ở đâu",
                     id="vni-message"),
        pytest.param("con e 14t lam cccd t7 dc ko", "con e 14 tuổi lam cccd t7 dc ko",
                     id="numbers-are-not-vni"),
        pytest.param("mp3 h2o", "mp3 h2o", id="one-vni-looking-word"),
    ],
)  # fmt: skip
def test_a_message_is_read_as_vni_only_when_enough_of_it_is(text: str, expected: str) -> None:
    assert clean(text) == expected


def test_decode_keys_keeps_words_that_are_not_keys() -> None:
    assert decode_keys(["tamj", "trus", "2025", "cccd"]) == ["tạm", "trú", "2025", "cccd"]


def _read_as_keys(text: str) -> bool:
    words = clean_words(text)
    return decode_keys(words) != words


def clean_words(text: str) -> list[str]:
    return [unstretch(w) for w in re.findall(r"[^\W_]+", text.lower())]


def test_no_text_typed_with_the_keyboard_on_is_decoded() -> None:
    # Every FAQ text and every labelled question but the quirks set's is typed with the input
    # method on (or without accents, on purpose): none may be taken for Telex or VNI ("photo" once
    # was "phôt" in "mang bản photo sẵn đi chứng thực hay phải photo ở đó").
    data = Path(__file__).parent / "data"
    texts = [
        t
        for path in (None, *sorted((data / "foreign").glob("faq_*.yaml")))
        for e in load_faq(path).entries
        for t in (e.title, *e.questions, *e.keywords, e.summary, *e.steps, *e.documents)
    ]
    for path in sorted(data.rglob("questions*.yaml")):
        if path.name != "questions_quirks.yaml":
            texts += [c.q for c in load_cases(path)]
    assert len(texts) > 8000
    assert [t for t in texts if _read_as_keys(t)] == []
