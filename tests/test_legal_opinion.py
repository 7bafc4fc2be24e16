"""A question that asks a legal opinion gets the procedure as a choice, never as the answer."""

from __future__ import annotations

import pytest

from faq.decision import Kind, MatchResult
from faq.legal_opinion import asks_advice_only, asks_legal_opinion, decided_for_legal_opinion
from faq.matcher import Matcher
from faq.schema import Entry


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("hợp đồng thuê nhà viết tay có giá trị không", True, id="validity"),
        pytest.param("cưới rồi, làm gì để được công nhận vợ chồng hợp pháp", False, id="lawful-is-aim"),
        pytest.param("làm giấy tờ cho hợp pháp thì làm sao", False, id="cho-hop-phap"),
        pytest.param(
            "Muốn đăng ký cho đúng luật thì làm thế nào ạ?", False, id="cho-dung-luat-then-how"
        ),  # the legal-aid pointer before marriage registration (QA round 14, E06)
        pytest.param("thu tiền như vậy có đúng luật không", True, id="co-dung-luat"),
        pytest.param("làm vậy là cho đúng luật chưa", True, id="cho-dung-luat-asked"),
        pytest.param("sống chung 10 năm rồi có hợp pháp không", True, id="lawful-is-asked"),
        pytest.param("hop dong thue nha viet tay co gia tri ko", True, id="validity-accents-off"),
        pytest.param("công ty bắt nộp giấy độc thân, họ có quyền đòi không", True, id="a-right"),
        pytest.param("đóng bhxh 20 năm rồi nghỉ, có nên rút 1 lần ko ad", True, id="advisable"),
        pytest.param("nghỉ thai sản xong bị cho nghỉ việc, có đúng luật ko", True, id="lawful"),
        pytest.param("bị phạt 500k vì chưa khai tạm trú, phạt vậy đúng ko", True, id="vay-dung-ko"),
        pytest.param("đăng ký kết hôn rồi thì là vợ chồng hợp pháp chưa", True, id="hop-phap"),
        pytest.param("giấy xác nhận cư trú có giá trị bao lâu", False, id="how-long-valid"),
        pytest.param("xây nhà 3 tầng có cần xin giấy phép xây dựng không", False, id="xay-dung-khong"),
        pytest.param("hợp pháp hóa lãnh sự giấy khai sinh ở đâu", False, id="hop-phap-hoa-is-a-procedure"),
        pytest.param("thẻ căn cước cũ còn dùng được không", False, id="dung-duoc-is-use"),
        pytest.param("làm giấy ủy quyền có chứng thực ở đâu", False, id="procedure-question"),
        pytest.param("chia đất thế nào cho đúng luật", True, id="cho-dung-luat"),
        pytest.param("trưởng thôn thu tiền sai quy định, tố cáo ở đâu", False, id="told-not-asked"),
        pytest.param("nghe nói từ năm nay bỏ sổ hộ khẩu rồi, có đúng không", False, id="a-rule-heard-of"),
        pytest.param("thấy bảo 60 tuổi phải đổi thẻ căn cước, đúng ko", False, id="a-rule-heard-of-short"),
        pytest.param("nghe nói công ty có quyền giữ bằng gốc, có đúng không", True, id="heard-of-a-right"),
        pytest.param(
            "có người xưng cán bộ đòi mã OTP để duyệt hồ sơ, có nên đưa không", False, id="scam-otp"
        ),
        pytest.param("người lạ gọi bảo cài app để nâng cấp định danh, có đúng không", False, id="scam-app"),
    ],
)
def test_asks_legal_opinion(question: str, expected: bool) -> None:
    assert asks_legal_opinion(question) is expected


def _entry(entry_id: str, category: str = "tu-phap") -> Entry:
    return Entry(id=entry_id, category=category, title=entry_id, questions=("q",))


PROXY = _entry("chung-thuc-chu-ky")
COPY = _entry("chung-thuc-ban-sao")
HELLO = _entry("chao-hoi", "small-talk")


@pytest.mark.parametrize(
    ("result", "kind", "choices", "flagged"),
    [
        pytest.param(
            MatchResult(Kind.ANSWER, 90.0, entry=PROXY, suggestions=(COPY,)),
            Kind.SUGGEST,
            (PROXY, COPY),
            True,
            id="answer-becomes-first-choice",
        ),
        pytest.param(
            MatchResult(Kind.SUGGEST, 50.0, suggestions=(COPY, PROXY)),
            Kind.NONE,
            (),
            True,
            id="unsure-choices-dropped",
        ),
        pytest.param(MatchResult(Kind.NONE, 10.0), Kind.NONE, (), True, id="nothing-stays-nothing"),
        pytest.param(
            MatchResult(Kind.ANSWER, 95.0, entry=HELLO), Kind.ANSWER, (), False, id="small-talk-kept"
        ),
    ],
)
def test_decided_for_legal_opinion(
    result: MatchResult, kind: Kind, choices: tuple[Entry, ...], flagged: bool
) -> None:
    out = decided_for_legal_opinion(result, max_suggestions=3)
    assert (out.kind, out.suggestions, out.legal_opinion) == (kind, choices, flagged)
    assert out.kind is not Kind.ANSWER or out.entry == result.entry


def test_a_legal_opinion_keeps_to_the_most_choices() -> None:
    result = MatchResult(Kind.ANSWER, 90.0, entry=PROXY, suggestions=(COPY, _entry("x"), _entry("y")))
    assert decided_for_legal_opinion(result, max_suggestions=2).suggestions == (PROXY, COPY)


def test_a_legal_opinion_on_the_shipped_faq_is_offered_the_procedure_not_answered(
    shipped_matcher: Matcher,
) -> None:
    # Without the rule this is answered with the signature procedure at a confidence of 0.99.
    asked = shipped_matcher.match(
        "tờ ủy quyền tự viết tay, không ra phường chứng thực chữ ký thì có giá trị không ạ"
    )
    assert asked.kind is Kind.SUGGEST and asked.legal_opinion, asked
    assert asked.suggestions[0].id == "chung-thuc-chu-ky"
    # How long a certified copy is valid is a fact its answer gives: answered.
    valid = shipped_matcher.match("sao y bản chính xong có giá trị bao lâu")
    assert valid.kind is Kind.ANSWER and not valid.legal_opinion
    # The same words asking for the procedure are answered.
    plain = shipped_matcher.match("giấy ủy quyền viết tay đi chứng thực chữ ký ở đâu")
    assert plain.kind is Kind.ANSWER and plain.entry is not None and not plain.legal_opinion
    assert plain.entry.id == "chung-thuc-chu-ky"


def test_a_letter_that_says_hop_phap_on_the_way_is_not_a_legal_opinion(shipped_matcher: Matcher) -> None:
    letter = (
        "Chào phường. Vợ chồng tôi là vợ chồng hợp pháp, có giấy kết hôn từ năm 2015. "
        "Con tôi sinh ngày 3/11 tại bệnh viện huyện, đã có giấy chứng sinh. "
        "Giờ tôi đi làm giấy khai sinh cho cháu thì cần mang những gì ạ?"
    )
    result = shipped_matcher.match(letter)
    assert not result.legal_opinion
    assert result.kind is Kind.ANSWER and result.entry is not None and result.entry.id == "khai-sinh"


@pytest.mark.parametrize(
    ("question", "entry_id", "kind"),
    [
        pytest.param(
            "nộp lệ phí online xong thì biên lai có giá trị như biên lai giấy không",
            "dvc-thanh-toan", Kind.ANSWER, id="staff-wrote-it",
        ),
        pytest.param(
            "Nộp lệ phí ONLINE xong thì biên lai có giá trị như biên lai giấy không???",
            "dvc-thanh-toan", Kind.ANSWER, id="staff-wrote-it-case-and-punctuation",
        ),
        pytest.param(
            "nop le phi online xong thi bien lai co gia tri nhu bien lai giay khong",
            "dvc-thanh-toan", Kind.ANSWER, id="staff-wrote-it-without-accents",
        ),
        pytest.param(
            "đóng phí trên mạng rồi thì cái biên lai điện tử có giá trị không",
            "dvc-thanh-toan", Kind.SUGGEST, id="citizens-own-words-stay-an-opinion",
        ),
    ],
)  # fmt: skip
def test_a_question_staff_wrote_under_an_entry_is_answered_by_it(
    shipped_matcher: Matcher, question: str, entry_id: str, kind: Kind
) -> None:
    # Staff who write "… có giá trị … không" under an entry have written its answer too.
    result = shipped_matcher.match(question)
    assert result.kind is kind, result
    assert (result.entry if kind is Kind.ANSWER else result.suggestions[0]).id == entry_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("con em sốt 39 độ có nên cho đi viện không", True, id="a-doctors-question"),
        pytest.param("đóng bhxh 20 năm rồi nghỉ, có nên rút 1 lần ko", False, id="insurance-is-the-offices"),
        pytest.param("có nên kiện ra tòa không", False, id="a-lawsuit"),
        pytest.param("giấy ủy quyền viết tay có giá trị không", False, id="validity-is-no-advice"),
        pytest.param("làm căn cước ở đâu", False, id="no-opinion-asked"),
    ],
)
def test_asks_advice_only(question: str, expected: bool) -> None:
    assert asks_advice_only(question) is expected


def test_advice_about_nothing_the_faq_has_gets_no_legal_aid_pointer(shipped_matcher: Matcher) -> None:
    # It got "có nên làm hay không là những điều cần tư vấn pháp luật" (QA round 11).
    result = shipped_matcher.match("con em sốt 39 độ từ hôm qua có nên cho đi viện không ạ")
    assert (result.kind, result.legal_opinion, result.suggestions) == (Kind.NONE, False, ())
