"""faq.follow_up: what the answer just given says of a short follow-up, only in the staff's own words."""

from __future__ import annotations

import pytest

from faq.follow_up import (
    Limit,
    alone_sentences,
    asks_if_late,
    asks_limit,
    asks_more,
    asks_whom,
    by_means,
    cannot_come,
    consequent,
    explaining,
    goes_alone,
    home_sentences,
    if_then,
    late_sentences,
    limit_sentences,
    names_someone,
    on_behalf,
    passages,
    split_outside_brackets,
    tax_sentences,
    what_about,
    who_comes,
    without_paper,
)
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
        pytest.param("phat bn", True, id="how-much-fine-abbreviated"),
        pytest.param("phạt ntn vậy", True, id="how-fined-abbreviated"),
        pytest.param("quá hạn thì sao", True, id="past-the-deadline"),
        pytest.param("làm muộn có sao không", True, id="done-late"),
        pytest.param("để lâu có sao ko", True, id="left-long"),
        pytest.param("thẻ hết hạn rồi làm lại", False, id="an-expired-card-is-a-topic"),
        pytest.param("tra cứu phạt nguội", False, id="traffic-fines-are-a-topic"),
        pytest.param("mất bao lâu", False, id="time-is-a-part"),
        pytest.param("nộp quá 3 ngày rồi mà chưa có", False, id="the-result-is-late"),
        pytest.param("quá hạn chưa nộp thì sao", True, id="not-yet-filed-is-late"),
        pytest.param(
            "con tôi 2 tuổi mà chưa làm khai sinh thì có bị phạt không ạ", False, id="long-is-a-question"
        ),
    ],
)
def test_asks_if_late(text: str, late: bool) -> None:
    assert asks_if_late(text) is late


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        pytest.param("bé có phải đi không", True, id="yes-no"),
        pytest.param("điện thoại hỏng thì sao", True, id="thi-sao"),
        pytest.param("phải về quê làm hả", True, id="ha"),
        pytest.param("2 việc này làm cùng lúc được không", True, id="duoc-khong"),
        pytest.param("người đi khai là ai cũng được?", True, id="question-mark"),
        pytest.param("lam o dau vay", True, id="where-no-accents"),
        pytest.param("làm ở đâu", True, id="where"),
        pytest.param("ra phường nộp hay sao", True, id="hay-sao"),
        pytest.param("phải cả hai vợ chồng ký à", True, id="question-particle-a"),
        pytest.param("cháu đi cùng bố mẹ là được ạ", True, id="polite-ending-after-duoc"),
        pytest.param("cần mang gì không anh", True, id="address-at-the-end"),
        pytest.param("cảm ơn em", False, id="thanks"),
        pytest.param("em cảm ơn ạ", False, id="polite-thanks"),
        pytest.param("tôi ở Hà Nội ạ", False, id="polite-statement"),
        pytest.param("ok để em thử", False, id="statement"),
        pytest.param("con tôi 3 tuổi", False, id="a-fact"),
        pytest.param("hihi", False, id="laugh"),
        pytest.param(
            "tôi đã nộp hồ sơ từ tuần trước mà tới giờ vẫn chưa thấy ai gọi thì sao", False, id="long"
        ),
    ],
)
def test_asks_more(text: str, asking: bool) -> None:
    assert asks_more(text) is asking


@pytest.mark.parametrize(
    ("entry_id", "text", "starts"),
    [
        pytest.param(
            "khai-sinh", "hổng có giấy chứng sinh, dzậy làm khai sanh sao đây",
            "Bản chính giấy chứng sinh; không có",
            id="southern-hong-co",
        ),
        pytest.param(
            "khai-sinh", "ko co giay chung sinh cua benh vien dc ko", "Bản chính giấy chứng sinh; không có",
            id="no-accents",
        ),
        pytest.param(
            "khai-tu", "mất ở nhà chưa có giấy báo tử thì khai tử được không",
            "Giấy báo tử hoặc giấy tờ thay",
            id="stands-in-within-the-item",
        ),
        pytest.param("khai-sinh", "làm khai sinh cần giấy chứng sinh không", None, id="not-lacking"),
        pytest.param("khai-sinh", "không có bản chính thì sao", None, id="no-paper-in-particular"),
        pytest.param(
            "can-cuoc", "không có giấy khai sinh thì làm căn cước được không", None, id="says-nothing-of-it"
        ),
    ],
)  # fmt: skip
def test_without_paper(book: FaqBook, entry_id: str, text: str, starts: str | None) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    found = without_paper(entry, text)
    if starts is None:
        assert found == ()
    else:
        assert found and found[0].startswith(starts)


@pytest.mark.parametrize(
    ("entry_id", "said"),
    [
        pytest.param("khai-sinh", ("Khai sinh quá hạn hoặc có yếu tố nước ngoài nộp lệ phí",), id="late-fee"),
        pytest.param("tam-tru", ("Không đăng ký tạm trú có thể bị xử phạt",), id="fine"),
        pytest.param("ho-chieu", (), id="says-nothing-of-it"),
    ],
)
def test_late_sentences(book: FaqBook, entry_id: str, said: tuple[str, ...]) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    found = late_sentences(entry)
    assert len(found) == len(said)
    assert all(f.startswith(s) for f, s in zip(found, said, strict=True))


@pytest.mark.parametrize(
    ("entry_id", "text", "said"),
    [
        pytest.param(
            "ho-kinh-doanh", "đăng ký xong rồi, thuế thì nộp thế nào", "Liên hệ cơ quan thuế", id="tax"
        ),
        pytest.param("sang-ten-so-do", "sang tên mất thuế bao nhiêu", None, id="the-fee-is-the-tax"),
        pytest.param("ho-kinh-doanh", "lệ phí và thuế bao nhiêu", None, id="the-fee-asked-too"),
        pytest.param("ho-kinh-doanh", "nha thue co dang ky duoc khong", None, id="rent-typed-bare"),
    ],
)
def test_tax_sentences(book: FaqBook, entry_id: str, text: str, said: str | None) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    found = tax_sentences(entry, text)
    assert found[0].startswith(said) if said else found == (), found


@pytest.mark.parametrize(
    ("text", "someone"),
    [
        pytest.param("ai phải đi làm", True, id="who"),
        pytest.param("bố mẹ có phải đi cùng không", True, id="parents"),
        pytest.param("hai bên có phải cùng có mặt không", True, id="both-parties"),
        pytest.param("có phải đến trực tiếp không", False, id="in-person-asks-how-not-who"),
        pytest.param("có cần đi làm không", False, id="co-and-di-are-no-aunts"),
    ],
)
def test_names_someone(text: str, someone: bool) -> None:
    assert names_someone(text) is someone


@pytest.mark.parametrize(
    ("text", "whom"),
    [
        pytest.param("vậy thì hỏi ai", True, id="whom-to-ask"),
        pytest.param("liên hệ ai ạ", True, id="whom-to-contact-politely"),
        pytest.param("thế giờ em phải gặp ai?", True, id="whom-to-see"),
        pytest.param("tiền điện tháng này sao cao thế, hỏi ai", False, id="a-topic-of-its-own-too-long"),
        pytest.param("hỏi ai cũng không biết, chán quá", False, id="a-complaint"),
        pytest.param("ai ký", False, id="who-signs-is-not-whom-to-ask"),
    ],
)
def test_asks_whom(text: str, whom: bool) -> None:
    assert asks_whom(text) is whom


@pytest.mark.parametrize(
    ("text", "only_who"),
    [
        pytest.param("bố mẹ có phải đi cùng không", True, id="parents-come"),
        pytest.param("hai bên có phải cùng có mặt không", True, id="both-parties-present"),
        pytest.param("bố mẹ có phải ký không", True, id="parents-sign"),
        pytest.param("bố mẹ có phải làm khai sinh lại không", False, id="names-a-procedure"),
        pytest.param("chồng em người Hàn thì sao", False, id="a-foreigner"),
        pytest.param("ai phải đi làm", True, id="who-goes-naming-no-one"),
        pytest.param("bố đi làm xa, mẹ đi một mình được không", True, id="one-parent-far-away"),
        pytest.param("bố không đến xã được thì sao", False, id="the-commune-is-no-distance"),
        pytest.param("ai ký", True, id="who-signs"),
        pytest.param("bao lâu thì có", False, id="no-one-asked-of"),
        pytest.param("vậy cháu tự đi được không, có cần bố mẹ ký gì", True, id="going-oneself"),
    ],
)
def test_who_comes(matcher: Matcher, book: FaqBook, text: str, only_who: bool) -> None:
    assert who_comes(Knowledge(book, matcher).topic(text), text) is only_who


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        pytest.param("vậy mẹ em phải tự đi à", True, id="oneself"),
        pytest.param("tôi đi một mình được không", True, id="alone"),
        pytest.param("chong khong co mat thi toi tu di dang ky duoc khong", True, id="no-accents"),
        pytest.param("cán bộ tự tra cứu được không", False, id="someone-else-looks-it-up"),
        pytest.param("bố mẹ có phải đi cùng không", False, id="others-come-along"),
    ],
)
def test_goes_alone(text: str, alone: bool) -> None:
    assert goes_alone(text) is alone


@pytest.mark.parametrize(
    ("words", "said"),
    [
        pytest.param(("phiếu", "số", "2", "ủy", "quyền"), "Phiếu số 2", id="the-number-asked"),
        pytest.param(("phiếu", "số", "1", "ủy", "quyền"), "Phiếu số 1", id="the-other-number"),
        pytest.param(("phieu", "so", "2", "uy", "quyen"), "Phiếu số 2", id="no-accents"),
    ],
)  # fmt: skip
def test_a_sentence_on_another_numbered_form_is_not_what_is_asked(
    book: FaqBook, words: tuple[str, ...], said: str
) -> None:
    entry = book.entry("ly-lich-tu-phap")
    assert entry is not None
    found = explaining(entry, (words[3], words[4]), words)
    assert found and all(said in s for s in found), found


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        pytest.param("Nếu tôi chỉ đăng ký tạm trú ở đây thì đăng ký xe ở đâu?", "dang ky xe o dau", id="nếu"),
        pytest.param("trường hợp bố mất rồi thì ai ký", "ai ky", id="trường-hợp"),
        pytest.param("đăng ký xe ở đâu", None, id="no-case-put"),
    ],
)  # fmt: skip
def test_consequent(text: str, asked: str | None) -> None:
    assert consequent(text) == asked


def test_alone_sentences_say_who_comes_not_whose_death(book: FaqBook) -> None:
    entry = book.entry("xac-nhan-tinh-trang-hon-nhan")
    assert entry is not None
    said = alone_sentences(entry)
    # who_sentences takes "nếu vợ hoặc chồng đã mất — trích lục khai tử" for who does it.
    assert not any("đã mất" in s for s in said)
    khai_sinh = book.entry("khai-sinh")
    assert khai_sinh is not None and any("Cha hoặc mẹ" in s for s in alone_sentences(khai_sinh))
    # "nộp trực tiếp" is the channel, not being there in person: the fee was quoted (QA round 18).
    tam_tru = book.entry("tam-tru")
    assert tam_tru is not None and not any("trực tiếp" in s for s in alone_sentences(tam_tru))


@pytest.mark.parametrize(
    ("text", "unable"),
    [
        pytest.param("mẹ tôi nằm liệt giường rồi", True, id="bedridden"),
        pytest.param("bố em già yếu không đi được thì sao", True, id="frail"),
        pytest.param("có cách nào làm mà không phải đưa bà đi không", True, id="without-bringing"),
        pytest.param("ba tui ko di dc", True, id="no-accents"),
        pytest.param("em đi làm không ra phường được", False, id="busy-is-not-unable"),
        pytest.param("công an có đến nhà không", False, id="asks-only"),
    ],
)
def test_cannot_come(text: str, unable: bool) -> None:
    assert cannot_come(text) is unable


def test_home_sentences_are_the_answers_own(book: FaqBook) -> None:
    card, passport = book.entry("can-cuoc"), book.entry("ho-chieu")
    assert card is not None and passport is not None
    (said,) = home_sentences(card)
    assert said.startswith(
        "Người già yếu, bệnh nặng không đi lại được có thể đề nghị công an đến làm tại nhà"
    )
    assert home_sentences(passport) == ()


@pytest.mark.parametrize(
    ("text", "case"),
    [
        pytest.param("nếu trước đây tôi đã ly hôn thì cần thêm gì", True, id="neu-thi"),
        pytest.param("trường hợp bố mất rồi thì ai ký", True, id="truong-hop"),
        pytest.param("thế nếu ở xa thì nộp qua đâu", True, id="the-neu"),
        pytest.param("ly hôn thì làm ở đâu", False, id="a-topic-of-its-own"),
        pytest.param("một người đã ly hôn thì cần thêm gì", True, id="a-state-then-a-question"),
        pytest.param("nếu được thì em làm luôn", False, id="a-statement-is-no-question"),
        pytest.param("vợ tôi không có lương hưu thì mua mức bao nhiêu", True, id="a-lack-then-a-question"),
        pytest.param("anh tôi ở nước ngoài thì ký ở đâu", True, id="a-place-then-a-question"),
        pytest.param("ly hôn thì làm ở đâu được", False, id="o-after-thi-is-the-question"),
    ],
)
def test_if_then(text: str, case: bool) -> None:
    assert if_then(text) is case


@pytest.mark.parametrize(
    ("entry_id", "text", "named"),
    [
        pytest.param("tam-tru", "còn tạm trú thì sao", True, id="title-words"),
        pytest.param("tam-tru", "con o tro thi sao", True, id="keyword-no-accents"),
        pytest.param("ho-chieu", "hc phi bnhiu", True, id="abbreviation-expanded"),
        pytest.param("khai-sinh", "ks cho con bao lâu thì lấy dc", True, id="ks"),
        pytest.param("tam-tru", "công an có tới nhà không", False, id="police-at-home"),
        pytest.param("tam-tru", "đăng ký thế nào", False, id="generic-words-only"),
        pytest.param("nhan-cha-me-con", "bố mẹ có phải đi cùng không", False, id="kin-words-of-a-title"),
        pytest.param("nhan-cha-me-con", "bố muốn nhận con", True, id="nhan-cha-still-names-it"),
        pytest.param("dvc-thanh-toan", "lệ phí nhiu", False, id="every-procedure-has-a-fee"),
        pytest.param("dvc-thanh-toan", "thanh toán lệ phí online", True, id="paying-names-it"),
        pytest.param("dvc-nop-ho-so", "nộp hồ sơ ở đâu", False, id="every-procedure-is-submitted"),
        pytest.param("dvc-nop-ho-so", "nộp hồ sơ trực tuyến thế nào", True, id="online-names-it"),
    ],
)
def test_names(matcher: Matcher, book: FaqBook, entry_id: str, text: str, named: bool) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    assert Knowledge(book, matcher).names(entry, text) is named


@pytest.mark.parametrize(
    ("entry_id", "other_id", "text", "beyond"),
    [
        pytest.param("so-nha", "dang-ky-xe", "mất biển số luôn thì sao", False, id="a-phrase-both-share"),
        pytest.param("so-nha", "dang-ky-xe", "xin biển số nhà ở đâu", True, id="a-phrase-of-its-own"),
        pytest.param("xuat-nhap-canh-nuoc-ngoai", "tam-tru", "tạm trú cho người nước ngoài", True,
                     id="another-words"),
        pytest.param("so-nha", "dang-ky-xe", "làm lại cà vẹt", False, id="not-named-at-all"),
    ],
)  # fmt: skip
def test_names_beyond(
    matcher: Matcher, book: FaqBook, entry_id: str, other_id: str, text: str, beyond: bool
) -> None:
    entry, other = book.entry(entry_id), book.entry(other_id)
    assert entry is not None and other is not None
    assert Knowledge(book, matcher).names_beyond(entry, other, text) is beyond


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        pytest.param("người nhà làm thay được không", True, id="lam-thay"),
        pytest.param("làm hộ được không", True, id="lam-ho"),
        pytest.param("nop ho cho me dc ko", True, id="nop-ho-bare"),
        pytest.param("nộp hồ sơ ở đâu", False, id="a-file-is-not-on-behalf"),
        pytest.param("nop ho so o dau", False, id="a-file-bare"),
        pytest.param("làm hộ chiếu được không", False, id="a-passport"),
        pytest.param("lam ho khau cho con", False, id="a-household-book"),
        pytest.param("nhờ bạn đi được không", True, id="a-friend"),
        pytest.param("xin thay cho mẹ được ko", True, id="xin-thay"),
        pytest.param("lấy hộ kết quả được không", True, id="lay-ho"),
        pytest.param("nhận giùm được không", True, id="nhan-gium"),
        pytest.param("ai đi làm cũng được à", True, id="anyone-may-go"),
        pytest.param("ai nộp cũng được không", True, id="anyone-may-file"),
        pytest.param("ai là người ký", False, id="who-signs-is-no-proxy"),
        pytest.param("xin hộ khẩu ở đâu", False, id="xin-a-household-book"),
        pytest.param("nhận hộ chiếu ở đâu", False, id="nhan-a-passport"),
        pytest.param("lay ho so o dau", False, id="lay-a-file"),
        pytest.param("ủy quyền cho ng khác đi được k", True, id="uy-quyen-cho"),
        pytest.param("làm giấy giúp cháu được không", True, id="lam-giup-chau"),
        pytest.param("giúp em với ạ", False, id="help-me-is-a-plea"),
    ],
)
def test_on_behalf(text: str, asking: bool) -> None:
    assert on_behalf(text) is asking


HOME = "bác già rồi đi lại khó, có ai đến nhà làm không"


@pytest.mark.parametrize(
    ("text", "relaxed", "says"),
    [
        pytest.param(HOME, True, "Người già yếu", id="one-word-said-otherwise"),
        pytest.param(HOME, False, None, id="strict-wants-every-word"),
        pytest.param("bác già đi không được thì sao", False, "Người già yếu", id="address-word-is-no-topic"),
        pytest.param("máy in hỏng thì có ai đến nhà sửa không", True, None, id="two-words-missing"),
    ],
)  # fmt: skip
def test_a_follow_up_nothing_else_found_may_say_one_word_otherwise(
    matcher: Matcher, book: FaqBook, text: str, relaxed: bool, says: str | None
) -> None:
    entry = book.entry("can-cuoc")
    assert entry is not None
    found = Knowledge(book=book, matcher=matcher).follow_up(text, entry, 16, relaxed=relaxed)
    assert (found[0] if found else None) is None if says is None else says in found[0]


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        pytest.param("bao lâu phải khai", Limit.DEADLINE, id="how-soon"),
        pytest.param("đi bao lâu thì phải báo", Limit.DEADLINE, id="how-long-away-before-declaring"),
        pytest.param("trong bao lâu phải đăng ký", Limit.DEADLINE, id="within-how-long"),
        pytest.param("hạn chót là khi nào", Limit.DEADLINE, id="last-day"),
        pytest.param("làm trước bao nhiêu ngày", Limit.DEADLINE, id="how-many-days-before"),
        pytest.param("gia hạn trước mấy ngày", Limit.DEADLINE, id="renew-how-many-days-before"),
        pytest.param("nộp hồ sơ ở đâu, hạn bao lâu", Limit.DEADLINE, id="deadline-how-long"),
        pytest.param("gia hạn bao lâu", None, id="renewal-time"),
        pytest.param("nghỉ 4 tháng rồi còn kịp hông", Limit.DEADLINE, id="still-in-time"),
        pytest.param("giấy này dùng được bao lâu", Limit.VALIDITY, id="how-long-usable"),
        pytest.param("giấy đó có thời hạn không", Limit.VALIDITY, id="does-it-expire"),
        pytest.param("có hết hạn không", Limit.VALIDITY, id="does-it-run-out"),
        pytest.param("có giá trị mấy tháng", Limit.VALIDITY, id="valid-for-months"),
        pytest.param("bao lâu thì có", None, id="processing-time"),
        pytest.param("mất bao lâu", None, id="how-long-it-takes"),
    ],
)
def test_asks_limit(text: str, limit: Limit | None) -> None:
    assert asks_limit(text) is limit


@pytest.mark.parametrize(
    ("entry_id", "limit", "says"),
    [
        pytest.param("khai-tu", Limit.DEADLINE, "trong 15 ngày kể từ ngày mất", id="death-within-15-days"),
        pytest.param("tam-vang", Limit.DEADLINE, "từ 12 tháng liên tục trở lên", id="away-12-months"),
        pytest.param(
            "xac-nhan-tinh-trang-hon-nhan", Limit.VALIDITY, "có giá trị 6 tháng", id="valid-6-months"
        ),
        pytest.param("ly-lich-tu-phap", Limit.DEADLINE, None, id="processing-time-is-no-deadline"),
    ],
)
def test_limit_sentences(book: FaqBook, entry_id: str, limit: Limit, says: str | None) -> None:
    entry = book.entry(entry_id)
    assert entry is not None
    found = limit_sentences(entry, limit)
    assert (says in " ".join(found)) if says else not found


@pytest.mark.parametrize(
    ("text", "means"),
    [
        pytest.param("làm trên vneid được không hay phải ra phường", True, id="on-vneid"),
        pytest.param("nộp qua dịch vụ công được ko", True, id="through-the-portal"),
        pytest.param("lam bang app vneid dc k", True, id="by-the-app"),
        pytest.param("đăng ký tài khoản vneid ở đâu", False, id="the-account-itself"),
        pytest.param("quên mật khẩu vneid", False, id="a-password"),
    ],
)
def test_by_means(text: str, means: bool) -> None:
    assert by_means(text) is means


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        pytest.param("thế còn bố là người nước ngoài thì sao", True, id="what-about-a-foreign-father"),
        pytest.param("nếu tôi ở xa thì làm sao", True, id="if-far-away"),
        pytest.param("còn tạm trú thì sao", True, id="what-about-another-procedure"),
        pytest.param("làm căn cước thì sao", False, id="a-question-of-its-own"),
        pytest.param("còn gì nữa không", False, id="no-case"),
    ],
)
def test_what_about(text: str, aside: bool) -> None:
    assert what_about(text) is aside


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("Một. Hai; ba! Bốn?", ["Một.", "Hai;", "ba!", "Bốn?"], id="after-each-stop"),
        pytest.param(
            "Chứng cứ (văn bản giám định ADN; hoặc chứng cứ khác kèm cam đoan). Tiếp theo.",
            ["Chứng cứ (văn bản giám định ADN; hoặc chứng cứ khác kèm cam đoan).", "Tiếp theo."],
            id="never-inside-brackets",
        ),
        pytest.param("Một) hai. Ba", ["Một) hai.", "Ba"], id="a-lone-closing-bracket-opens-nothing"),
        pytest.param("v1.2 và 3.000 đồng", ["v1.2 và 3.000 đồng"], id="a-stop-inside-a-number"),
    ],
)  # fmt: skip
def test_split_outside_brackets(text: str, sentences: list[str]) -> None:
    assert split_outside_brackets(text) == sentences


@pytest.mark.parametrize(
    ("text", "done"),
    [
        pytest.param("cần giấy tờ j, e đk kết hôn r", True, id="teencode-r"),
        pytest.param("bọn em đăng ký kết hôn rồi, giờ cần gì", True, id="roi"),
        pytest.param("đăng ký kết hôn xong thì nhập khẩu sao", True, id="xong"),
        pytest.param("đăng ký kết hôn cần giấy gì", False, id="asked-of-itself"),
        pytest.param("bọn em chưa đăng ký kết hôn thì sao", False, id="not-yet-is-not-done"),
        pytest.param("cần giấy tờ gì", False, id="not-named"),
    ],
)  # fmt: skip
def test_names_only_as_done(matcher: Matcher, book: FaqBook, text: str, done: bool) -> None:
    entry = book.entry("ket-hon")
    assert entry is not None
    assert Knowledge(book, matcher).names_only_as_done(entry, text) is done
