"""handlers.typed: typed messages that are not questions, recognised before the matcher."""

from __future__ import annotations

import unicodedata

import pytest

from handlers.typed import (
    Gesture,
    NotAQuestion,
    Rejection,
    after_rejection,
    asked_again,
    before_complaint,
    not_a_question,
    number_list,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("Danh mục thủ tục", NotAQuestion(Gesture.MENU), id="menu-label"),
        pytest.param("📋 Danh mục thủ tục", NotAQuestion(Gesture.MENU), id="menu-label-with-emoji"),
        pytest.param("danh mục", NotAQuestion(Gesture.MENU), id="danh-muc"),
        pytest.param("danh muc", NotAQuestion(Gesture.MENU), id="danh-muc-no-accents"),
        pytest.param("thủ tục", NotAQuestion(Gesture.MENU), id="thu-tuc"),
        pytest.param("Menu", NotAQuestion(Gesture.MENU), id="menu"),
        pytest.param("menu ạ", NotAQuestion(Gesture.MENU), id="menu-polite"),
        pytest.param("cho em xem danh mục thủ tục với", NotAQuestion(Gesture.MENU), id="menu-sentence"),
        pytest.param("các thủ tục hành chính", NotAQuestion(Gesture.MENU), id="all-procedures"),
        pytest.param("hướng dẫn", NotAQuestion(Gesture.HELP), id="help"),
        pytest.param("trợ giúp", NotAQuestion(Gesture.HELP), id="tro-giup"),
        pytest.param("bắt đầu", NotAQuestion(Gesture.START), id="start"),
        pytest.param("📞 Liên hệ cơ quan", NotAQuestion(Gesture.CONTACT), id="contact-label"),
        pytest.param("99", NotAQuestion(Gesture.NUMBER, 99), id="number"),
        pytest.param(" số 3 ", NotAQuestion(Gesture.NUMBER, 3), id="so-3"),
        pytest.param("👍", NotAQuestion(Gesture.THANKS), id="thumbs-up"),
        pytest.param("👍🏻👍🏻", NotAQuestion(Gesture.THANKS), id="thumbs-up-skin-tone"),
        pytest.param("🙏", NotAQuestion(Gesture.THANKS), id="folded-hands"),
        pytest.param("❤️", NotAQuestion(Gesture.THANKS), id="heart"),
        pytest.param("👎", NotAQuestion(Gesture.SORRY), id="thumbs-down"),
        pytest.param("?", NotAQuestion(Gesture.INVITE), id="question-mark"),
        pytest.param("🤔", NotAQuestion(Gesture.INVITE), id="thinking"),
        pytest.param("👍👎", NotAQuestion(Gesture.INVITE), id="mixed-signals"),
        pytest.param("Gặp cán bộ", NotAQuestion(Gesture.STAFF), id="staff-label"),
        pytest.param("cho em gặp cán bộ", NotAQuestion(Gesture.STAFF), id="staff-polite"),
        pytest.param("gap nguoi that dc ko", NotAQuestion(Gesture.STAFF), id="a-real-person-no-accents"),
        pytest.param(
            "tôi muốn nói chuyện với người thật", NotAQuestion(Gesture.STAFF), id="talk-to-a-person"
        ),
        pytest.param("kết nối với cán bộ một cửa giúp em", NotAQuestion(Gesture.STAFF), id="connect-me"),
        pytest.param("bot ơi cho e gặp người thật", NotAQuestion(Gesture.STAFF), id="staff-after-bot-oi"),
        pytest.param(
            "Tôi cần nói chuyện với cán bộ hộ tịch", NotAQuestion(Gesture.STAFF), id="staff-of-a-field"
        ),  # it offered hộ tịch procedures (QA round 14, O12)
        pytest.param(
            "thôi cho gặp người thật đi", NotAQuestion(Gesture.STAFF), id="staff-after-thoi"
        ),  # QA round 13, O12: it got the goodbye
        pytest.param(
            "Dạ, anh chị ơi cho em gặp cán bộ với", NotAQuestion(Gesture.STAFF), id="staff-after-anh-chi-oi"
        ),
        pytest.param("t muốn gặp cán bộ", NotAQuestion(Gesture.STAFF), id="staff-t-pronoun"),
        pytest.param(
            "hỏi mãi không được, cho tôi gặp người thật",
            NotAQuestion(Gesture.STAFF),
            id="staff-after-a-complaint",
        ),
        pytest.param("bot ngu quá. cho gặp cán bộ", NotAQuestion(Gesture.STAFF), id="staff-last-sentence"),
        pytest.param("gặp cán bộ ở đâu để làm căn cước", None, id="where-to-meet-is-a-question"),
        pytest.param(
            "trả lời dài quá bác đọc không nổi", NotAQuestion(Gesture.TOO_LONG), id="too-long-elder"
        ),
        pytest.param("dài dòng quá", NotAQuestion(Gesture.TOO_LONG), id="too-long-short"),
        pytest.param("khó hiểu quá", NotAQuestion(Gesture.TOO_LONG), id="too-hard"),
        pytest.param("nói ngắn gọn thôi", NotAQuestion(Gesture.TOO_LONG), id="shorter-please"),
        pytest.param("làm căn cước dài quá không", None, id="too-long-about-a-procedure-is-a-question"),
        pytest.param("dài quá ko đọc nổi", NotAQuestion(Gesture.TOO_LONG), id="too-long-cannot-read"),
        pytest.param("ko hiểu", NotAQuestion(Gesture.UNCLEAR), id="not-understood"),
        pytest.param("không hiểu lắm", NotAQuestion(Gesture.UNCLEAR), id="not-understood-well"),
        pytest.param("đọc không hiểu gì hết", NotAQuestion(Gesture.UNCLEAR), id="read-and-not-understood"),
        pytest.param("nói rõ hơn đi", NotAQuestion(Gesture.UNCLEAR), id="say-it-clearer"),
        pytest.param("nói rõ hơn được không", NotAQuestion(Gesture.UNCLEAR), id="say-it-clearer-please"),
        pytest.param("nói dễ hiểu thôi", NotAQuestion(Gesture.UNCLEAR), id="say-it-simply"),
        pytest.param("hả?", NotAQuestion(Gesture.UNCLEAR), id="what"),
        pytest.param("vậy thôi hả", NotAQuestion(Gesture.UNCLEAR), id="is-that-all"),
        pytest.param(
            "không hiểu sao hồ sơ bị trả lại", None, id="not-understanding-a-rejection-is-a-question"
        ),
        pytest.param("nói rõ hơn về lệ phí khai sinh", None, id="clearer-about-a-part-is-a-question"),
        pytest.param("sai rồi", NotAQuestion(Gesture.WRONG), id="wrong"),
        pytest.param("bot hiểu sai rồi", NotAQuestion(Gesture.WRONG), id="understood-wrong"),
        pytest.param("không đúng ý em", NotAQuestion(Gesture.WRONG), id="not-what-i-meant"),
        pytest.param("em hỏi cái khác", NotAQuestion(Gesture.WRONG), id="asked-something-else"),
        pytest.param("ko phải", NotAQuestion(Gesture.WRONG), id="no-teencode"),
        pytest.param("không phải, ý em là tạm trú", None, id="correction-naming-the-procedure"),
        pytest.param("sai tên trên căn cước", None, id="sai-of-a-wrong-name-is-a-question"),
        pytest.param("không phải đăng ký", None, id="not-needed-is-a-statement-to-match"),
        pytest.param(
            "mình cần nói chuyện với người thật, không phải bot", NotAQuestion(Gesture.STAFF), id="not-a-bot"
        ),
        pytest.param("ad ơi danh mục thủ tục", NotAQuestion(Gesture.MENU), id="menu-after-ad-oi"),
        pytest.param("cho e xem danh mục", NotAQuestion(Gesture.MENU), id="menu-e-pronoun"),
        pytest.param("bot ơi hướng dẫn sử dụng", NotAQuestion(Gesture.HELP), id="help-after-bot-oi"),
        pytest.param("ad oi e hieu roi", NotAQuestion(Gesture.OKAY), id="okay-after-ad-oi"),
        pytest.param("bot ơi làm căn cước ở đâu", None, id="a-question-after-bot-oi"),
        pytest.param("ad ơi", None, id="only-a-call"),
        pytest.param("quay lại", NotAQuestion(Gesture.MENU), id="back"),
        pytest.param("trở lại từ đầu ạ", NotAQuestion(Gesture.MENU), id="back-to-the-start"),
        pytest.param("về danh mục", NotAQuestion(Gesture.MENU), id="back-to-the-menu"),
        pytest.param("về quê làm căn cước được không", None, id="ve-is-also-a-question"),
        pytest.param("2 ạ", NotAQuestion(Gesture.NUMBER, 2), id="number-a"),
        pytest.param("em chọn 2", NotAQuestion(Gesture.NUMBER, 2), id="number-em-chon"),
        pytest.param("1 nhé", NotAQuestion(Gesture.NUMBER, 1), id="number-nhe"),
        pytest.param("2 con", None, id="number-in-a-question"),
        pytest.param("cái thứ 2", NotAQuestion(Gesture.NUMBER, 2), id="number-ordinal"),
        pytest.param("đúng rồi", NotAQuestion(Gesture.YES), id="yes"),
        pytest.param("ừ đúng cái đó", NotAQuestion(Gesture.YES), id="yes-that-one"),
        pytest.param("đúng rồi, làm căn cước ở đâu", None, id="yes-then-a-question"),
        pytest.param("cả hai", NotAQuestion(Gesture.BOTH), id="both"),
        pytest.param("không phải số 1", NotAQuestion(Gesture.WRONG), id="not-that-option"),
        # "chưa có thông tin" or the assistant's self-introduction (QA round 7).
        pytest.param(
            "không hiểu gì cả, nói dễ hiểu hơn được không", NotAQuestion(Gesture.UNCLEAR), id="unclear-twice"
        ),
        pytest.param("TRẢ LỜI ĐÚNG TRỌNG TÂM ĐI", NotAQuestion(Gesture.WRONG), id="to-the-point"),
        pytest.param("sao hỏi mãi không trả lời", NotAQuestion(Gesture.WRONG), id="asked-and-asked"),
        pytest.param("cứ trả lời lung tung", NotAQuestion(Gesture.WRONG), id="answers-anything"),
        pytest.param("không hiểu, làm căn cước ở đâu", None, id="unclear-then-a-question"),
        pytest.param("cả 2 luôn ạ", NotAQuestion(Gesture.BOTH), id="both-too"),
        pytest.param("em xem tất cả", NotAQuestion(Gesture.BOTH), id="all"),
        pytest.param("cả hai vợ chồng có phải đi không", None, id="a-couple-is-a-question"),
        pytest.param("ko có cái nào đúng hết", NotAQuestion(Gesture.WRONG), id="none-is-right"),
        pytest.param("bot ngu quá", NotAQuestion(Gesture.WRONG), id="annoyed"),
        pytest.param("trả lời như không", NotAQuestion(Gesture.WRONG), id="answered-nothing"),
        pytest.param("bot ngủ rồi à", None, id="asleep-is-not-annoyed"),
        pytest.param("ủa", NotAQuestion(Gesture.INVITE), id="ua"),
        pytest.param("ờ", NotAQuestion(Gesture.INVITE), id="o"),
        pytest.param("test", NotAQuestion(Gesture.INVITE), id="test"),
        pytest.param("ủa sao vậy", None, id="ua-then-a-question"),
        pytest.param("gặp cán bộ tư pháp để làm chứng thực", None, id="staff-named-in-a-question"),
        pytest.param("cán bộ", None, id="staff-word-left-to-the-faq"),
        pytest.param("gặp người nhà", None, id="not-staff"),
        pytest.param("em hiểu rồi", NotAQuestion(Gesture.OKAY), id="understood"),
        pytest.param("em hiểu rồiiii ạaa", NotAQuestion(Gesture.OKAY), id="understood-stretched"),
        pytest.param("[Hình ảnh]", NotAQuestion(Gesture.ATTACHMENT), id="picture-marker"),
        pytest.param(
            unicodedata.normalize("NFD", "[Hình ảnh]"),
            NotAQuestion(Gesture.ATTACHMENT),
            id="picture-marker-decomposed",
        ),
        pytest.param("[Sticker] [Sticker]", NotAQuestion(Gesture.ATTACHMENT), id="two-sticker-markers"),
        pytest.param("Đã gửi một ảnh", NotAQuestion(Gesture.ATTACHMENT), id="sent-a-photo"),
        pytest.param("[Hình ảnh] làm căn cước cần gì", None, id="marker-with-a-question"),
        pytest.param("gửi ảnh cccd được không", None, id="question-about-photos"),
        pytest.param("ad ơiii còn đó khônggg", NotAQuestion(Gesture.INVITE), id="anyone-there-stretched"),
        pytest.param("ok e hieu r", NotAQuestion(Gesture.OKAY), id="understood-teencode"),
        pytest.param("dạ vâng, vậy thôi ạ", NotAQuestion(Gesture.OKAY), id="that-is-all"),
        pytest.param("thôi không cần nữa", NotAQuestion(Gesture.OKAY), id="no-longer-needed"),
        pytest.param("để em hỏi lại sau", NotAQuestion(Gesture.OKAY), id="later"),
        pytest.param("em hiểu rồi nhưng nộp ở đâu", None, id="understood-then-a-question"),
        pytest.param("em không hiểu", NotAQuestion(Gesture.UNCLEAR), id="not-understood-is-no-okay"),
        pytest.param("không cần giấy xác nhận à", None, id="a-question-starting-like-no-need"),
        pytest.param("ad ơi còn đó không", NotAQuestion(Gesture.INVITE), id="anyone-there"),
        pytest.param("còn ai trực không ạ", NotAQuestion(Gesture.INVITE), id="anyone-on-duty"),
        pytest.param("có ai biết làm khai sinh ở đâu không", None, id="anyone-who-knows-is-a-question"),
        pytest.param("thủ tục khai sinh", None, id="a-procedure"),
        pytest.param("danh mục giấy tờ làm hộ chiếu", None, id="a-question-starting-with-danh-muc"),
        pytest.param("hướng dẫn làm căn cước", None, id="guidance-on-a-procedure"),
        pytest.param("liên hệ", None, id="contact-word-left-to-the-faq"),
        pytest.param("0912345678", None, id="phone-number"),
        pytest.param("làm căn cước cần gì 👍", None, id="question-with-emoji"),
        pytest.param("", None, id="empty"),
    ],
)
def test_not_a_question(typed: str, expected: NotAQuestion | None) -> None:
    assert not_a_question(typed) == expected


@pytest.mark.parametrize(
    ("numbers", "words"),
    [
        pytest.param((3,), "3", id="one"),
        pytest.param((1, 2), "1 hoặc 2", id="two"),
        pytest.param((1, 2, 3, 4, 5), "từ 1 đến 5", id="a-run"),
        pytest.param((1, 2, 3, 5, 6, 7), "1, 2, 3, 5, 6 hoặc 7", id="with-a-gap"),
        pytest.param((), "", id="none"),
    ],
)
def test_number_list(numbers: tuple[int, ...], words: str) -> None:
    assert number_list(numbers) == words


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        pytest.param("TÔI HỎI LÀM CĂN CƯỚC Ở ĐÂU MÀ CỨ TRẢ LỜI LUNG TUNG", "TÔI HỎI LÀM CĂN CƯỚC Ở ĐÂU",
                     id="shouted"),
        pytest.param("làm tạm trú online, sao lại trả lời sai vậy", "làm tạm trú online", id="wrong-again"),
        pytest.param("lam ho chieu o dau ma cu noi linh tinh", "lam ho chieu o dau", id="no-accents"),
        pytest.param("làm căn cước ở đâu", None, id="no-complaint"),
        pytest.param("mà cứ trả lời lung tung", None, id="only-the-complaint"),
        pytest.param("bác sĩ nói sai tên trong giấy chứng sinh thì sửa sao", None,
                     id="someone-else-said-wrong"),
    ],
)  # fmt: skip
def test_before_complaint(text: str, asked: str | None) -> None:
    assert before_complaint(text) == asked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "không phải tạm vắng, tôi hỏi khai báo tạm trú cho người nước ngoài",
            Rejection("tôi hỏi khai báo tạm trú cho người nước ngoài", "tạm vắng"),
            id="names-what-it-rejects",
        ),
        pytest.param(
            "không phải, em hỏi nuôi chó mà",
            Rejection("em hỏi nuôi chó mà"),
            id="bare-then-the-question",
        ),
        pytest.param("ko phai y em la tam tru", Rejection("y em la tam tru"), id="accents-off-y-em-la"),
        pytest.param(
            "dạ không phải cái đó, em cần làm hộ chiếu",
            Rejection("em cần làm hộ chiếu"),
            id="pointing-back-names-nothing",
        ),
        pytest.param(
            "em hỏi làm khai sinh cho con chứ không phải nhận cha ạ",
            Rejection("em hỏi làm khai sinh cho con", "nhận cha"),
            id="chu-khong-phai-last",
        ),
        pytest.param(
            "tôi ở nhà thuê chứ không phải nhà của mình thì có đăng ký thường trú được không",
            None,
            id="chu-khong-phai-inside-a-question",
        ),
        pytest.param(
            "Tôi hỏi đăng ký xe máy chứ không phải tạm trú. Người tạm trú có đăng ký xe ở đây được không?",
            Rejection("Tôi hỏi đăng ký xe máy Người tạm trú có đăng ký xe ở đây được không?", "tạm trú"),
            id="chu-khong-phai-then-the-question-goes-on",
        ),
        pytest.param(
            "Tôi hỏi đăng ký thường trú cho hai mẹ con, không phải sang tên sổ đỏ.",
            Rejection("Tôi hỏi đăng ký thường trú cho hai mẹ con", "sang tên sổ đỏ"),
            id="comma-khong-phai-last",
        ),
        pytest.param(
            "tôi ở nhà thuê, không phải nhà của mình thì có đăng ký thường trú được không",
            None,
            id="comma-khong-phai-inside-a-question",
        ),
        pytest.param(
            "Dạ, không phải cái đó, em cần làm hộ chiếu",
            Rejection("em cần làm hộ chiếu"),
            id="a-comma-after-da-opens-the-rejection",
        ),
        pytest.param("không phải", None, id="nothing-after-it"),
        pytest.param("không phải tạm vắng", None, id="no-question-after-it"),
        pytest.param("có phải làm không", None, id="a-question-with-phai"),
        pytest.param("không phải đăng ký tạm trú thì có bị phạt không", None, id="a-question-beginning-so"),
    ],
)
def test_after_rejection(text: str, expected: Rejection | None) -> None:
    assert after_rejection(text) == expected


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        pytest.param("Tôi hỏi là làm sao để công an đến nhà làm căn cước cho mẹ tôi?",
                     "làm sao để công an đến nhà làm căn cước cho mẹ tôi?", id="toi-hoi-la"),
        pytest.param("e hoi la quen mat khau vneid thi lay lai ntn", "quen mat khau vneid thi lay lai ntn",
                     id="no-accents"),
        pytest.param("em hỏi về thủ tục kết hôn", "thủ tục kết hôn", id="hoi-ve"),
        pytest.param("tôi hỏi chút", "tôi hỏi chút", id="nothing-after-it"),
        pytest.param("hỏi thủ tục kết hôn ở đâu", "hỏi thủ tục kết hôn ở đâu", id="no-one-asking"),
        pytest.param("bố tôi hỏi là làm căn cước ở đâu", "bố tôi hỏi là làm căn cước ở đâu",
                     id="someone-else"),
    ],
)  # fmt: skip
def test_asked_again(text: str, asked: str) -> None:
    assert asked_again(text) == asked
