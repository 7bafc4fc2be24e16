"""The children's ages a message states, and whether a sentence of an answer holds for them."""

from __future__ import annotations

import pytest

from faq.ages import speaks_to, stated_ages


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        pytest.param("Con tôi 16 tuổi, tôi làm hộ chiếu cho cháu được không?", (16,), id="an-age"),
        pytest.param("con tui 15t roi ma chua lam cc", (15,), id="teencode-without-accents"),
        pytest.param("Cháu 16 tuổi chứ không phải dưới 14", (16,), id="a-limit-is-no-age"),
        pytest.param("Cháu đã 14 tuổi rồi, không phải dưới 14.", (14,), id="the-limit-itself"),
        pytest.param("trẻ dưới 14 tuổi làm thế nào", (), id="only-a-limit"),
        pytest.param("người từ đủ 14 tuổi", (), id="a-lower-limit"),
        pytest.param("Tôi 45 tuổi, mẹ tôi 80 tuổi", (), id="adults-are-not-read"),
        pytest.param("cháu ngoại 10 tuổi", (10,), id="after-a-kin-word"),
        pytest.param("con 3 tuổi và bé 7 tuổi", (3, 7), id="two-children"),
        pytest.param("sinh ngày 25/04/2010", (), id="a-date-is-no-age"),
    ],
)  # fmt: skip
def test_stated_ages(text: str, ages: tuple[int, ...]) -> None:
    assert stated_ages(text) == ages


UNDER_14 = "Trẻ dưới 14 tuổi — cha, mẹ hoặc người giám hộ đi cùng và làm thủ tục thay"
BOTH = "Hộ chiếu của người từ đủ 14 tuổi có thời hạn 10 năm, của trẻ dưới 14 tuổi 5 năm."
FROM_9 = "Nếu đổi họ, tên cho con từ đủ 9 tuổi, hoặc xác định lại dân tộc cho con từ đủ 15 tuổi, lấy ý kiến."


@pytest.mark.parametrize(
    ("sentence", "ages", "holds"),
    [
        pytest.param(UNDER_14, (16,), False, id="under-14-for-a-16-year-old"),
        pytest.param(UNDER_14, (14,), False, id="under-14-for-a-14-year-old"),
        pytest.param(UNDER_14, (10,), True, id="under-14-for-a-10-year-old"),
        pytest.param(UNDER_14, (), True, id="no-age-known"),
        pytest.param(UNDER_14, (10, 16), True, id="one-of-two-children"),
        pytest.param(BOTH, (16,), True, id="both-ranges-named"),
        pytest.param(FROM_9, (7,), False, id="from-9-for-a-7-year-old"),
        pytest.param(FROM_9, (10,), True, id="from-9-for-a-10-year-old"),
        pytest.param("Thẻ phải đổi khi đủ 14, 25, 40 và 60 tuổi.", (16,), True, id="ages-listed-not-a-range"),
        pytest.param("Nộp tại Công an cấp xã.", (16,), True, id="no-range-at-all"),
    ],
)  # fmt: skip
def test_speaks_to(sentence: str, ages: tuple[int, ...], holds: bool) -> None:
    assert speaks_to(sentence, ages) is holds
