"""faq.follow_up: what the answer just given says of a short follow-up, only in the staff's own words."""

from __future__ import annotations

import pytest

from faq.follow_up import asks_if_late, passages
from faq.knowledge import Knowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook


@pytest.fixture(scope="module")
def book() -> FaqBook:
    return load_faq(None)


@pytest.fixture(scope="module")
def matcher(book: FaqBook) -> Matcher:
    return Matcher(book)


FOREIGN = "Kết hôn với người nước ngoài nộp tại UBND"
LONG = "vợ sắp cưới của tôi là người nước ngoài, hiện đang sống ở Hàn Quốc, thì làm sao"


@pytest.mark.parametrize(
    ("entry_id", "text", "says"),
    [
        pytest.param("ket-hon", "thế còn với người nước ngoài?", FOREIGN, id="foreigner"),
        pytest.param("ket-hon", "the con voi nguoi nuoc ngoai", FOREIGN, id="no-accents"),
        pytest.param("tam-tru", "có bị phạt không", "Không đăng ký tạm trú có thể bị xử phạt", id="penalty"),
        pytest.param("khai-sinh", "nhờ ông bà đi làm thay được không", "nhờ người khác", id="someone-else"),
        pytest.param("khai-sinh", "người nhà làm thay được không", "Văn bản ủy quyền", id="on-behalf"),
        pytest.param("khai-tu", "người nhà làm thay được không", None, id="no-uy-quyen-in-the-answer"),
        pytest.param("can-cuoc", "nguoi gia ko di dc thi sao", "Người già yếu", id="elderly-no-accents"),
        pytest.param("ket-hon", "2 người khác tỉnh thì sao", None, id="one-word-met-by-chance"),
        pytest.param("khai-tu", "hạn mấy ngày", None, id="too-little-shared"),
        pytest.param("khai-sinh", "có bị phạt không", None, id="answer-says-nothing-of-it"),
        pytest.param("ket-hon", "thì sao", None, id="no-topic-word"),
        pytest.param("ket-hon", LONG, None, id="a-question-of-its-own"),
    ],
)  # fmt: skip
def test_follow_up(matcher: Matcher, book: FaqBook, entry_id: str, text: str, says: str | None) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    found = Knowledge(book=book, matcher=matcher).follow_up(text, entry)
    if says is None:
        assert found == ()
    else:
        assert found and says in found[0]
        assert all(sentence in passages(entry) for sentence in found)  # the staff's words, unchanged


def test_passages_cover_every_part_of_the_answer(book: FaqBook) -> None:
    entry = book.entry("tam-tru")
    assert entry is not None
    said = " ".join(passages(entry))
    parts = (entry.summary, entry.documents[0], entry.steps[-1], entry.where, entry.fee)
    for part in parts:
        assert part[:40] in said, part


@pytest.mark.parametrize(
    ("text", "late"),
    [
        pytest.param("có bị phạt không", True, id="fined"),
        pytest.param("phạt nhiêu", True, id="how-much-fine"),
        pytest.param("quá hạn thì sao", True, id="past-the-deadline"),
        pytest.param("làm muộn có sao không", True, id="done-late"),
        pytest.param("để lâu có sao ko", True, id="left-long"),
        pytest.param("thẻ hết hạn rồi làm lại", False, id="an-expired-card-is-a-topic"),
        pytest.param("tra cứu phạt nguội", False, id="traffic-fines-are-a-topic"),
        pytest.param("mất bao lâu", False, id="time-is-a-part"),
        pytest.param(
            "con tôi 2 tuổi mà chưa làm khai sinh thì có bị phạt không ạ", False, id="long-is-a-question"
        ),
    ],
)
def test_asks_if_late(text: str, late: bool) -> None:
    assert asks_if_late(text) is late
