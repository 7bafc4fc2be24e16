"""Word senses read from the words around them, for the sentence model (faq.senses)."""

from __future__ import annotations

import pytest

from faq.normalize import tokens
from faq.senses import read_senses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ba tui mới mất tuần rồi", "bố tui mới qua đời tuần rồi", id="southern-father"),
        pytest.param("má tui mất rồi", "mẹ tui qua đời rồi", id="southern-mother"),
        pytest.param("me em mat hom qua", "me em qua đời hom qua", id="no-accents"),
        pytest.param("ong noi em mat roi", "ong noi em qua đời roi", id="grandfather-no-accents"),
        pytest.param("con trai tôi mới mất", "con trai tôi mới qua đời", id="son-at-the-end"),
        pytest.param("bà nội em mất được 1 tuần", "bà nội em qua đời được 1 tuần", id="grandmother"),
        pytest.param("bố chồng em mất ở quê", "bố chồng em qua đời ở quê", id="father-in-law-place"),
        pytest.param("chồng tôi mất vì tai nạn", "chồng tôi qua đời vì tai nạn", id="husband-cause"),
        pytest.param("mẹ em mất căn cước", "mẹ em mất căn cước", id="lost-a-thing"),
        pytest.param("vợ em mất ví", "vợ em mất ví", id="lost-a-wallet"),
        pytest.param("bố tôi làm căn cước mất bao lâu", "bố tôi làm căn cước mất bao lâu", id="takes-time"),
        pytest.param("thẻ vỡ mất rồi", "thẻ vỡ mất rồi", id="broken-is-no-wife"),
        pytest.param("em mất thẻ rồi", "em mất thẻ rồi", id="i-lost-the-card"),
        pytest.param("tôi mất rồi", "tôi mất rồi", id="the-writer-is-no-relative"),
        pytest.param("mất giấy khai sinh", "mất giấy khai sinh", id="lost-at-the-start"),
        pytest.param("anh tôi mất rồi", "anh tôi mất rồi", id="bare-anh-is-how-people-talk"),
    ],
)  # fmt: skip
def test_died_is_read_only_after_a_relative_ending_the_clause(text: str, expected: str) -> None:
    assert " ".join(read_senses(tokens(text))) == expected


def test_reading_twice_changes_nothing() -> None:
    once = read_senses(tokens("mẹ em mất hôm qua"))
    assert read_senses(once) == once
