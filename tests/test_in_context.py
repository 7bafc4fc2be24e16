"""Short messages after an answer that only say for whom, how old, or whether a paper is needed
(handlers.in_context)."""

from __future__ import annotations

import pytest

from handlers.in_context import Whom, for_whom, needs_paper, paper_asked_last


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("à không, cho mẹ tôi", Whom.PERSON, id="for-mother-instead"),
        pytest.param("à nhầm, cho em gái tôi", Whom.PERSON, id="for-sister-by-mistake"),
        pytest.param("làm cho con", Whom.PERSON, id="for-a-child"),
        pytest.param("con tôi 3 tuổi", Whom.AGE, id="how-old"),
        pytest.param("e 22 tuổi nam", Whom.AGE, id="own-age"),  # QA round 12, D25: "chưa có thông tin"
        pytest.param("tôi năm nay 19 tuổi", Whom.AGE, id="own-age-this-year"),
        pytest.param("cháu mới 2 tuổi", Whom.AGE, id="just-two"),
        pytest.param("à không, con tôi 16 tuổi rồi", Whom.AGE, id="age-corrected"),
        pytest.param("ý tôi là cho con 10 tuổi", Whom.AGE, id="for-a-child-of-ten"),
        pytest.param("sai rồi, tôi hỏi cho con tôi 5 tuổi cơ", Whom.AGE, id="wrong-i-asked-for-my-child"),
        pytest.param("tôi cần cho bố tôi", Whom.PERSON, id="i-need-it-for-my-father"),
        pytest.param("cho mẹ tôi thì cần gì", None, id="a-question-about-the-mother"),
        pytest.param("mẹ tôi mất rồi", None, id="news-about-the-mother"),
        pytest.param("con tôi bị ốm", None, id="news-about-the-child"),
        pytest.param("tôi 30 tuổi rồi thì sao", None, id="own-age-asking"),
    ],
)
def test_for_whom_is_only_a_person_or_an_age(text: str, expected: Whom | None) -> None:
    assert for_whom(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("cần giấy khai sinh ko", True, id="birth-certificate"),
        pytest.param("có phải mang sổ hộ khẩu không", True, id="household-book"),
        pytest.param("mang bản gốc ko", True, id="original"),
        pytest.param("có cần bản sao không ạ", True, id="copy-polite"),
        pytest.param("cần giấy khai sinh ko để làm gì", False, id="then-what-for"),
        pytest.param("giấy khai sinh làm ở đâu", False, id="where-to-get-the-paper"),
        pytest.param("có cần mang con theo không", False, id="a-child-is-no-paper"),
        pytest.param("có cần làm thẻ bhyt không", False, id="making-a-card-is-a-procedure"),
        pytest.param(
            "con tôi mới 8 tuổi thì có cần mang theo giấy khai sinh bản gốc không",
            True,
            id="for-a-child-of-eight",
        ),
        pytest.param("làm hộ chiếu thì có cần giấy khai sinh không", False, id="another-procedure-first"),
        pytest.param("có cần mang cccd k", True, id="the-id-card-abbreviated"),
        pytest.param("cháu có phải mang giấy khai sinh không", True, id="whose-first"),  # QA round 13, E09
        pytest.param("Cháu không cần mang giấy khai sinh à?", True, id="not-needed-then"),  # round 14, E08
        pytest.param("Có phải mang theo quyết định ly hôn của tòa không?", True, id="a-court-decision"),
        pytest.param("giấy đăng ký kết hôn có cần phô tô công chứng không", True, id="the-paper-first"),
        pytest.param(
            "Giấy đăng ký kết hôn em để ở quê, nộp bản chụp được không", True, id="a-copy-handed-in"
        ),
        pytest.param("thế còn sửa chữa nhà có cần phép không", False, id="the-is-no-card"),
        pytest.param("có phải nộp lại bản gốc không", True, id="hand-back-the-original"),
        pytest.param("có cần mang theo hộ chiếu không", True, id="the-passport"),
        pytest.param("có mẫu đơn ko", True, id="the-form"),
        pytest.param("tờ khai lấy ở đâu", True, id="where-the-form-is"),
        pytest.param("mẫu đơn xin xác nhận cư trú", False, id="a-form-of-a-named-procedure"),
    ],
)
def test_needs_paper_only_asks_whether_a_paper_is_needed(text: str, expected: bool) -> None:
    assert needs_paper(text) is expected


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        pytest.param("tôi đã ly hôn từ năm 2015 thì có cần mang quyết định ly hôn không ạ",
                     "toi da ly hon tu nam 2015 thi", id="after-a-circumstance"),
        pytest.param("em đi nộp một mình được không, có cần mang giấy đăng ký kết hôn không",
                     "em di nop mot minh duoc khong", id="after-another-question"),
        pytest.param("làm hộ chiếu thì có cần giấy khai sinh không", "lam ho chieu thi",
                     id="after-a-procedure-the-caller-checks"),
        pytest.param("dị ảnh ở Cần Thơ thì có cần ảnh dìa không", None, id="anh-is-him-not-a-photo"),
        pytest.param("có cần giấy khai sinh không", None, id="nothing-before-it"),
        pytest.param("giấy khai sinh làm ở đâu", None, id="no-paper-asked"),
    ],
)  # fmt: skip
def test_paper_asked_last_gives_the_clause_before_it(text: str, lead: str | None) -> None:
    assert paper_asked_last(text) == lead
