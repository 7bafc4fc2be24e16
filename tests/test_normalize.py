"""Vietnamese normalisation: folding, tone placement, abbreviations, synonyms, fillers."""

from __future__ import annotations

import unicodedata

import pytest

from faq.facets import asks_how_far, detect_facet
from faq.normalize import (
    Normalizer,
    clean,
    fewer_marks,
    fold_accents,
    normalize,
    place_tone,
    read_on_behalf,
    strip_fillers,
    synonym_map,
    tokens,
    unstretch,
)
from faq.schema import Facet

SYNONYMS = synonym_map(
    [
        ("căn cước", ["cccd", "cmnd", "căn cước công dân", "chứng minh nhân dân"]),
        ("thường trú", ["hộ khẩu", "hk"]),
        ("hộ chiếu", ["passport"]),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Đăng Ký Tạm Trú", "Dang Ky Tam Tru", id="case-kept-d-folded"),
        pytest.param("đường hoà bình", "duong hoa binh", id="lower"),
        pytest.param(unicodedata.normalize("NFD", "Thường trú"), "Thuong tru", id="nfd-input"),
        pytest.param("khuỷu tay, thuở nhỏ", "khuyu tay, thuo nho", id="two-marks"),
        pytest.param("ĐĐ đđ", "DD dd", id="d-stroke"),
        pytest.param("abc 123", "abc 123", id="ascii-unchanged"),
        pytest.param("中文 café", "中文 cafe", id="other-scripts"),
    ],
)
def test_fold_accents(text: str, expected: str) -> None:
    assert fold_accents(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("hoà", "hòa", id="oa-open"),
        pytest.param("thuỷ", "thủy", id="uy-open"),
        pytest.param("khoẻ", "khỏe", id="oe-open"),
        pytest.param("qúy", "quý", id="qu-is-consonant"),
        pytest.param("quý", "quý", id="qu-already-right"),
        pytest.param("hoàng", "hoàng", id="closed-syllable-second-vowel"),
        pytest.param("hòang", "hoàng", id="closed-syllable-fixed"),
        pytest.param("ngoaì", "ngoài", id="three-vowels-middle"),
        pytest.param("thuở", "thuở", id="marked-vowel-wins"),
        pytest.param("gìn", "gìn", id="gi-before-consonant"),
        pytest.param("giữ", "giữ", id="gi-before-vowel"),
        pytest.param("trườ", "trườ", id="uo-horn"),
        pytest.param("tam", "tam", id="no-tone"),
        pytest.param("cuớc", "cước", id="uo-horn-left-off"),  # "cấp lại căn cuớc" found nothing
        pytest.param("nguời", "người", id="uo-horn-left-off-glide"),
        pytest.param("đuơng", "đương", id="uo-horn-left-off-no-tone"),
        pytest.param("huơ", "huơ", id="uo-open-is-a-word"),
        pytest.param("quở", "quở", id="qu-then-o"),
    ],
)
def test_place_tone(word: str, expected: str) -> None:
    assert place_tone(word) == unicodedata.normalize("NFC", expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("  ĐĂNG KÝ   tạm trú!!! ", "đăng ký tạm trú", id="case-punctuation-space"),
        pytest.param("Hoà Bình, THUỶ lợi, khoẻ", "hòa bình thủy lợi khỏe", id="old-tones"),
        pytest.param(unicodedata.normalize("NFD", "Khai sinh"), "khai sinh", id="nfd"),
        pytest.param("tạm trú 😀🙏 nhé", "tạm trú nhé", id="emoji"),
        pytest.param("a\x00b\tc\u200bd", "a b cd", id="control-and-zero-width"),
        pytest.param("x\ud800y", "x y", id="lone-surrogate"),
        pytest.param("ＡＢＣ１２", "abc12", id="fullwidth"),
        pytest.param("lệ phí 1.000đ/trang", "lệ phí 1 000đ trang", id="numbers"),
        pytest.param("", "", id="empty"),
        pytest.param("alooo ad ơiiii làm tạm trú sao ạaaa", "alo ad ơi làm tạm trú sao ạ", id="stretched"),
        pytest.param("con 14t, bà 80T", "con 14 tuổi bà 80 tuổi", id="age-glued"),
        pytest.param("phí 2tr hay 50k", "phí 2tr hay 50k", id="sums-stay-one-token"),
        pytest.param("t7 có làm ko", "t7 có làm ko", id="weekday-not-an-age"),
        pytest.param("mẫu ct01", "mẫu ct01", id="form-code-not-an-age"),
        pytest.param("sinh năm 2001t", "sinh năm 2001t", id="four-digits-not-an-age"),
    ],
)
def test_clean(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("ơiiii", "ơi", id="vowel-run"),
        pytest.param("béeee", "bé", id="accented-then-bare"),
        pytest.param("ạaaa", "ạ", id="tone-first"),
        pytest.param("sinhhhh", "sinh", id="final-consonant-run"),
        pytest.param("khôngggg", "không", id="final-ng"),
        pytest.param("alooo", "alo", id="alo"),
        pytest.param("cccd", "cccd", id="abbreviation-kept"),
        pytest.param("xoong", "xoong", id="double-vowel-kept"),
        pytest.param("ưu", "ưu", id="two-u-letters-kept"),
        pytest.param("1000", "1000", id="digits-kept"),
        pytest.param("0983xxx112", "0983xxx112", id="masked-number-kept"),
        pytest.param("nhaa", "nhaa", id="two-is-not-a-stretch"),
    ],
)
def test_unstretch(word: str, expected: str) -> None:
    assert unstretch(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ko biết dc k", "không biết được không", id="khong-duoc"),
        pytest.param("dk ks ntn", "đăng ký khai sinh như thế nào", id="dk-ks-ntn"),
        pytest.param("đk kết hôn hết bn", "đăng ký kết hôn hết bao nhiêu", id="dk-accented"),
        pytest.param("hs cần j", "hồ sơ cần gì", id="hs-j"),
        pytest.param("cho e hỏi sđt", "cho em hỏi số điện thoại", id="e-sdt"),
        pytest.param("a/c ơi mik hỏi", "anh chị ơi mình hỏi", id="ac-mik"),
        pytest.param("ck vs vk", "chồng với vợ", id="ck-vk-vs"),
        pytest.param("ng nhà", "người nhà", id="ng"),
        pytest.param("giấy xn độc thân", "giấy xác nhận độc thân", id="xn"),
        pytest.param("lam cccd", "lam căn cước", id="faq-synonym"),
        pytest.param("căn cước công dân", "căn cước", id="synonym-longest-first"),
        pytest.param("can cuoc cong dan", "căn cước", id="synonym-accents-off"),
        pytest.param("nhập hộ khẩu", "nhập thường trú", id="multiword-synonym"),
        pytest.param("hkd", "hkd", id="no-partial-word"),
        pytest.param("passport", "hộ chiếu", id="english"),
        pytest.param("thứ 7 có làm không", "thứ bảy có làm không", id="weekday-digit"),
        pytest.param("thu 7 co lam k", "thứ bảy co lam không", id="weekday-accents-off"),
        pytest.param("thứ bẩy", "thứ bảy", id="weekday-regional"),
        pytest.param("làm online được ko mn", "làm online được không mọi người", id="mn"),
        pytest.param("sinh ở bv tỉnh", "sinh ở bệnh viện tỉnh", id="bv"),
        pytest.param("tk định danh mức 2", "tài khoản định danh mức 2", id="tk"),
        pytest.param("đi xklđ nhật", "đi xuất khẩu lao động nhật", id="xkld-accented"),
        pytest.param("di xkld han", "di xuất khẩu lao động han", id="xkld-accents-off"),
        pytest.param("làm lại dc hok dzậy", "làm lại được không vậy", id="southern-vay"),
        # "hông" (không) is not expanded: typed bare it is also "hồng" of "sổ hồng".
        pytest.param("so hong", "so hong", id="bare-hong-is-not-khong"),
        pytest.param("chj ơi t7 có làm ko", "chị ơi thứ bảy có làm không", id="chj-t7"),
        pytest.param("bao lâu có kq", "bao lâu có kết quả", id="kq"),
        pytest.param("xin llp số 2", "xin lý lịch tư pháp số 2", id="llp"),
        pytest.param("lam vneid dc hk", "lam vneid được không", id="hk-question-tag"),
        pytest.param("nop online la xong phai hk", "nop online la xong phải không", id="hk-after-phai"),
        pytest.param("cho hoi chuyen hk co hk", "cho hoi chuyen thường trú có không", id="hk-both"),
        pytest.param("đkkh ở đâu", "đăng ký kết hôn ở đâu", id="dkkh-accented"),
        pytest.param("dkks cho con", "đăng ký khai sinh cho con", id="dkks-accents-off"),
        pytest.param("xin xnct", "xin xác nhận cư trú", id="xnct"),
        pytest.param("làm cc gắn chip", "làm căn cước gắn chip", id="cc-in-context"),
        pytest.param("cc", "cc", id="cc-alone-not-expanded"),
        pytest.param("bot làm cc gì vậy", "bot làm cc gì vậy", id="cc-swear-not-expanded"),
        pytest.param("con 15t chua lam cc", "con 15 tuổi chưa làm căn cước", id="cc-not-yet-made"),
        pytest.param("mat cc roi", "mất căn cước roi", id="cc-lost"),
        pytest.param("e lam mat sdd r", "em lam mat sổ đỏ rồi", id="sdd"),
        pytest.param("quên mk vneid", "quên mật khẩu vneid", id="mk-password-after-quen"),
        pytest.param("doi mk dvc sao", "đổi mật khẩu dvc sao", id="mk-password-accents-off"),
        pytest.param("mk muốn hỏi tạm trú", "mình muốn hỏi tạm trú", id="mk-alone-is-minh"),
        pytest.param("ba tui mới mất", "bố tui mới mất", id="ba-beside-whose-is-bo"),
        pytest.param("ba má cho đất", "bố mẹ cho đất", id="ba-ma-is-bo-me"),
        pytest.param("ba mat roi", "bố mất roi", id="ba-mat-accents-off"),
        pytest.param("ba anh em tôi", "ba anh em tôi", id="ba-counting-stays"),
        pytest.param("có cần khám sk ko", "có cần khám sức khỏe không", id="sk-beside-a-check-up"),
        pytest.param("thì răng rứa", "thì sao vậy", id="central-rang-rua"),
        pytest.param("làm răng giả", "làm răng giả", id="dental-work-stays"),
        pytest.param("nộp ở mô", "nộp ở đâu", id="central-mo"),
        pytest.param("cần giấy chi", "cần giấy gì", id="central-chi"),
        pytest.param("đau răng", "đau răng", id="a-tooth-stays"),
        pytest.param("chi phí bao nhiêu", "chi phí bao nhiêu", id="chi-alone-stays"),
        pytest.param("ba năm", "ba năm", id="ba-number-stays"),
        pytest.param("lam roi ma tui chua nhan", "lam roi ma tui chua nhan", id="bare-ma-is-not-me"),
        pytest.param("e mun lm ho chieu", "em muốn làm ho chieu", id="mun-is-muon"),
        pytest.param("ko bít lm o dau", "không biết làm o dau", id="bit-is-biet"),
        pytest.param("bme e mat r", "bố mẹ em mat rồi", id="bme-is-bo-me"),
        pytest.param("di nc ngoai lam", "di nước ngoài lam", id="nc-ngoai"),
        pytest.param("h lm lai dc ko", "giờ làm lai được không", id="bare-h-is-gio"),
        pytest.param("8h sáng", "8h sáng", id="h-of-an-hour-stays"),
        pytest.param("má tui mới mất", "mẹ tui mới mất", id="ma-tui-is-me-tui"),
        pytest.param("ma tui muon hoi", "ma tui muon hoi", id="ma-without-accents-may-be-ma"),
        pytest.param("ông già tui mới mất", "bố tui mới mất", id="ong-gia-with-whose-is-bo"),
        pytest.param("tía em", "bố em", id="tia-is-bo"),
        pytest.param("phải mần giấy gì hông", "phải làm giấy gì không", id="man-and-hong"),
        pytest.param("so hong", "so hong", id="hong-without-accents-is-hong"),
        pytest.param("nhập dzô nhà", "nhập vào nhà", id="dzo-is-vao"),
        pytest.param("đăng ký tạm chú online", "đăng ký tạm trú online", id="voice-tam-chu"),
        pytest.param("thuong chu o dau", "thường trú o dau", id="voice-thuong-chu-accents-off"),
        pytest.param("chú tôi ở tạm", "chú tôi ở tạm", id="chu-an-uncle-stays"),
        pytest.param("làm căn cứ cho con", "làm căn cước cho con", id="voice-can-cu-for-a-child"),
        pytest.param("chưa có thẻ căn cứ", "chưa có thẻ căn cước", id="voice-can-cu-card"),
        pytest.param("lam can cu mat bao lau", "làm căn cước mất bao lau", id="voice-can-cu-accents-off"),
        pytest.param("căn cứ vào đâu mà phạt", "căn cứ vào đâu mà phạt", id="can-cu-a-basis-stays"),
        pytest.param("xin giây xác nhận cư chú", "xin giây xác nhận cư trú", id="voice-cu-chu"),
        pytest.param("lấy liền dc hông", "lấy ngay được không", id="southern-lien-is-ngay"),
        pytest.param("bnhieu ngay", "bao nhiêu ngay", id="bnhieu"),
        pytest.param("hộ khâu", "thường trú", id="a-forgotten-tone-in-a-phrase"),
        pytest.param("hô khâu", "hô khâu", id="no-word-as-written-is-no-phrase"),
        pytest.param(
            "giấy tờ làm căn cứ có thông tin đúng",
            "giấy tờ làm căn cứ có thông tin đúng",
            id="documents-as-a-basis-stay",
        ),
    ],
)
def test_normalize_abbreviations_and_synonyms(text: str, expected: str) -> None:
    assert normalize(text, SYNONYMS) == expected


def test_synonyms_are_normalised_like_messages() -> None:
    # Staff may write an abbreviation in the variant; citizens type another one.
    norm = Normalizer({"đk kinh doanh": "hộ kinh doanh"})
    assert norm.normalize("dk kinh doanh") == "hộ kinh doanh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("dạ cho em hỏi làm căn cước ạ", "làm căn cước", id="da-cho-em-hoi"),
        pytest.param("ad ơi tạm trú", "tạm trú", id="ad-oi"),
        pytest.param("anh chị ơi, tạm trú với ạ", "tạm trú", id="vocative-and-trailing"),
        pytest.param("xin hỏi thủ tục kết hôn nha", "thủ tục kết hôn", id="xin-hoi-trailing-nha"),
        pytest.param("khai sinh cho con nhen", "khai sinh cho con", id="southern-trailing-nhen"),
        pytest.param("chu nha tro", "chu nha tro", id="nha-inside-kept"),
        pytest.param("cho mình hỏi chút, hộ chiếu", "hộ chiếu", id="cho-minh-hoi-chut"),
        pytest.param(
            "cần làm thủ tục gì với chính quyền", "cần làm thủ tục gì", id="whom-it-is-addressed-to"
        ),
    ],
)
def test_strip_fillers(text: str, expected: str) -> None:
    assert strip_fillers(text) == expected


@pytest.mark.parametrize(
    ("text", "content", "preamble_only"),
    [
        pytest.param("dạ", (), True, id="da"),
        pytest.param("cho em hỏi với ạ", (), True, id="cho-em-hoi-voi-a"),
        pytest.param("ad ơi", (), True, id="ad-oi"),
        pytest.param("alo", (), True, id="alo"),
        pytest.param("chào ad cho mình hỏi chút", (), True, id="greeting-then-preamble"),
        pytest.param("xin chào", ("chào",), False, id="greeting-alone-is-small-talk"),
        pytest.param("hi bot", ("hi",), False, id="greeting-without-addressee"),
        pytest.param("cảm ơn ad nhiều nha", ("cảm", "ơn", "nhiều"), False, id="thanks"),
        pytest.param("chào bạn, cho hỏi làm hộ chiếu", ("làm", "hộ", "chiếu"), False, id="greeting-dropped"),
        pytest.param("😀😀", (), False, id="emoji-only-is-not-a-preamble"),
        pytest.param("", (), False, id="empty"),
        pytest.param("bạn là ai", ("bạn", "là", "ai"), False, id="who-are-you"),
    ],
)
def test_analyze(text: str, content: tuple[str, ...], preamble_only: bool) -> None:
    analysis = Normalizer().analyze(text)
    assert (analysis.content, analysis.preamble_only) == (content, preamble_only)


def test_tokens_helper_applies_synonyms() -> None:
    assert tokens("CMND hết hạn", SYNONYMS) == ("căn", "cước", "hết", "hạn")


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        pytest.param("làm căn cước cần gì", Facet.DOCUMENTS, id="can-gi"),
        pytest.param("hồ sơ gồm những gì", Facet.DOCUMENTS, id="ho-so-gom"),
        pytest.param("giấy tờ gì", Facet.DOCUMENTS, id="giay-to-gi"),
        pytest.param("dk ks mất bn tiền", Facet.FEE, id="bao-nhieu-tien-abbrev"),
        pytest.param("còn lệ phí thì sao ạ", Facet.FEE, id="le-phi"),
        pytest.param("mất mấy ngày", Facet.TIME, id="may-ngay"),
        pytest.param("bao lâu thì có", Facet.TIME, id="bao-lau"),
        pytest.param("mất bao nhiêu ngày", Facet.TIME, id="time-beats-fee"),
        pytest.param("nộp ở đâu ạ", Facet.WHERE, id="o-dau"),
        pytest.param("nộp chỗ nào", Facet.WHERE, id="cho-nao"),
        pytest.param("làm online được không", Facet.ONLINE, id="online"),
        pytest.param("nop qua vneid", Facet.ONLINE, id="vneid-accents-off"),
        pytest.param("trên dịch vụ công", Facet.ONLINE, id="dich-vu-cong"),
        pytest.param("gửi qua bưu điện được không", Facet.POSTAL, id="buu-dien"),
        pytest.param("gửi bưu điện được không", Facet.POSTAL, id="gui-buu-dien-without-qua"),
        pytest.param("bao giờ có kết quả", Facet.TIME, id="co-ket-qua"),
        pytest.param("mấy hôm thì ra kết quả", Facet.TIME, id="ra-ket-qua"),
        pytest.param("nhận tại nhà", Facet.POSTAL, id="nhan-tai-nha"),
        pytest.param("các bước đăng ký", Facet.STEPS, id="cac-buoc"),
        pytest.param("thủ tục thế nào", Facet.STEPS, id="thu-tuc-the-nao"),
        pytest.param("làm sao để đổi bằng lái ở đâu", Facet.WHERE, id="lam-sao-is-weak"),
        pytest.param("gia hạn tạm trú", None, id="gia-is-not-gia-tien"),
        pytest.param("đăng ký tạm trú", None, id="no-facet"),
        pytest.param("có được hỗ trợ mai táng phí không", None, id="funeral-allowance-is-no-fee"),
        pytest.param("co duoc ho tro mai tang phi ko", None, id="funeral-allowance-without-accents"),
        pytest.param("tiền mai táng nhận ở đâu", Facet.WHERE, id="funeral-money-where"),
        pytest.param("khai tử có mất phí không", Facet.FEE, id="death-registration-fee"),
        pytest.param("hồ sơ thường trú của tôi giờ tới đâu rồi", Facet.TIME, id="how-far-along-is-no-place"),
        pytest.param("nộp 10 ngày rồi chưa có kết quả", Facet.TIME, id="no-result-yet"),
        pytest.param("đi đến đâu để nộp", Facet.WHERE, id="where-to-go"),
        pytest.param("nộp thuế thế nào", Facet.FEE, id="tax-is-a-charge"),
        pytest.param("o nha thue co dang ky duoc ko", None, id="thue-bare-may-be-rent"),
        pytest.param("cân giây tơ gi", Facet.DOCUMENTS, id="tones-left-out"),  # QA round 12, D18
        pytest.param("chứng thực giây tờ ở đâu vây ạ", Facet.WHERE, id="tones-left-out-where"),
    ],
)
def test_detect_facet(text: str, facet: Facet | None) -> None:
    assert detect_facet(text) is facet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("làm hộ được không", "làm thay được không", id="do-it-for-me"),
        pytest.param("nộp hộ cho mẹ", "nộp thay cho mẹ", id="submit-for-mother"),
        pytest.param("lam ho duoc k", "lam thay duoc k", id="bare"),
        pytest.param("làm hộ chiếu", "làm hộ chiếu", id="passport"),
        pytest.param("đăng ký hộ kinh doanh", "đăng ký hộ kinh doanh", id="household-business"),
        pytest.param("xin hộ nghèo", "xin hộ nghèo", id="poor-household"),
        pytest.param("tách hộ", "tách hộ", id="split-household"),
        pytest.param("nop ho so", "nop ho so", id="bare-ho-so-is-a-file"),
        pytest.param("nop ho tuan roi", "nop ho tuan roi", id="bare-ho-before-other-words-is-left"),
        pytest.param("làm ho được không", "làm ho được không", id="ho-without-accent-among-accents"),
    ],
)
def test_read_on_behalf(text: str, expected: str) -> None:
    assert " ".join(read_on_behalf(text.split())) == expected


@pytest.mark.parametrize(
    ("text", "waiting"),
    [
        pytest.param("hồ sơ của tôi đến đâu rồi", True, id="how-far-along"),
        pytest.param("nop 10 ngay roi chua co ket qua", True, id="no-result-yet-unaccented"),
        pytest.param("làm xong chưa ad", True, id="done-yet"),
        pytest.param("nộp từ tháng 3 tới giờ chưa xong", True, id="not-done-since-march"),
        pytest.param("hồ sơ bị trễ hẹn", True, id="past-the-date"),
        pytest.param("chưa trả kết quả", True, id="no-result-given"),
        pytest.param("chưa xong giấy tờ thì nộp được không", False, id="papers-not-ready-yet"),
        pytest.param("khai sinh mất bao lâu", False, id="how-long-is-the-time-part"),
        pytest.param("đến đâu để nộp", False, id="where-to-go"),
    ],
)
def test_asks_how_far(text: str, waiting: bool) -> None:
    assert asks_how_far(text) is waiting


@pytest.mark.parametrize(
    ("typed", "wanted", "expected"),
    [
        pytest.param("giây", "giấy", True, id="tone-left-out"),
        pytest.param("đôc", "độc", True, id="dot-below-left-out"),
        pytest.param("dôc", "độc", True, id="stroke-left-out-too"),
        pytest.param("doc", "độc", True, id="all-left-out"),
        pytest.param("giấy", "giây", False, id="a-mark-added"),
        pytest.param("mắt", "mất", False, id="a-different-mark"),
        pytest.param("giấy", "giấy", True, id="as-written"),
        pytest.param("giay", "giấc", False, id="another-word"),
    ],
)
def test_fewer_marks(typed: str, wanted: str, expected: bool) -> None:
    assert fewer_marks(typed, wanted) is expected


def test_a_staff_phrase_typed_with_tones_forgotten_is_found() -> None:
    norm = Normalizer({"giấy độc thân": "xác nhận tình trạng hôn nhân"})
    assert norm.normalize("xin giây đôc thân") == "xin xác nhận tình trạng hôn nhân"
    assert norm.normalize("xin giây") == "xin giây"
