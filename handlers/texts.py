"""Every Vietnamese string citizens see, in one place (the bot says "em", the citizen is "anh/chị")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from faq.schema import Agency, Entry, Facet, OnlineLevel, Postal

# Buttons under an answer.
BTN_STEPS = "Hướng dẫn từng bước"
BTN_DOCUMENTS = "Giấy tờ cần chuẩn bị"
BTN_FEE_TIME = "Lệ phí và thời gian"
BTN_ONLINE = "Nộp trực tuyến"
BTN_POSTAL = "Nộp/nhận qua bưu điện"
BTN_RELATED = "Thủ tục liên quan"
BTN_LIKE = "👍 Hữu ích"
BTN_DISLIKE = "👎 Chưa hữu ích"

# Navigation.
BTN_PREV = "‹ Trước"
BTN_NEXT = "Tiếp ›"
BTN_BACK = "↩ Quay lại"
BTN_MENU = "📋 Danh mục thủ tục"
BTN_CONTACT = "📞 Liên hệ cơ quan"
BTN_PORTAL = "Cổng dịch vụ công"
BTN_NONE_OF_THESE = "Không phải các ý trên"
BTN_NOT_THIS = "Không phải"
"""Beside the one choice of a yes-or-no question (the same as BTN_NONE_OF_THESE)."""
BTN_ASK_STAFF = "Gặp cán bộ"

EMERGENCY = (
    "⚠️ Nếu anh/chị hoặc người khác đang gặp nguy hiểm, hãy gọi ngay 113 (Công an), 114 (cứu hỏa, cứu "
    "nạn) hoặc 115 (cấp cứu); trẻ em bị bạo lực, xâm hại hoặc đi lạc: gọi thêm Tổng đài quốc gia bảo vệ "
    "trẻ em 111. Các số này gọi miễn phí, cả ngày lẫn đêm. Em chỉ hướng dẫn thủ tục nên không xử lý được "
    "việc khẩn cấp ạ."
)
"""Put before the reply to a message that tells of violence, a missing person or a fire (handlers.safety)."""


def after_emergency(agency: Agency) -> str:
    """After the emergency numbers, in place of "chưa có thông tin" and the menu: the office's contact."""
    return (
        "Khi đã an toàn, nếu cần cán bộ hỗ trợ thêm về giấy tờ, thủ tục, anh/chị gọi "
        f"{agency.name} qua số {agency.phone} ạ.\n{_hours(agency)}"
    )


SCAM_WARNING = (
    "⚠️ Cán bộ và công an không bao giờ gọi điện, nhắn tin xin mã OTP, mật khẩu, bắt cài ứng dụng, bấm "
    "đường link hay chuyển tiền để làm thủ tục. Anh/chị đừng làm theo; nếu lỡ làm rồi, hãy đổi mật khẩu "
    "ngay và báo Công an xã/phường hoặc gọi 113."
)
"""Put before the reply to a message about someone asking for a code, a password, money or an app."""

OPTIONS_HINT = "Anh/chị gõ số tương ứng để chọn:"
"""Shown above numbered options on channels without buttons."""
OPTIONS_HINT_MORE = "Anh/chị gõ số tương ứng để chọn (các số trong danh sách trước vẫn dùng được):"
"""Above options added to the earlier list (after 👎), whose numbers still work."""


def greeting(agency: Agency, example: str | None) -> str:
    """The /start message (the category menu follows as buttons)."""
    lines = [
        f"Dạ, xin chào anh/chị! Em là trợ lý tự động của {agency.name}.",
        "",
        "Em giúp trả lời các câu hỏi thường gặp về thủ tục hành chính: cần giấy tờ gì, lệ phí, "
        "thời gian giải quyết, nộp ở đâu, nộp trực tuyến hay qua bưu điện, và hướng dẫn từng bước.",
        "",
    ]
    if example:
        lines.append(f"Anh/chị cứ nhắn câu hỏi bằng lời của mình, ví dụ: «{example}».")
    else:
        lines.append("Anh/chị cứ nhắn câu hỏi bằng lời của mình.")
    lines.append("Hoặc chọn một lĩnh vực dưới đây:")
    return "\n".join(lines)


MENU = "Dạ, anh/chị chọn lĩnh vực cần tìm hiểu ạ:"
MENU_EMPTY = "Dạ, hiện chưa có thủ tục nào trong danh mục. Anh/chị vui lòng nhắn câu hỏi ạ."

HELP = (
    "Cách dùng trợ lý:\n"
    "• Nhắn câu hỏi bằng lời của mình, có dấu hay không dấu đều được, "
    "ví dụ: «làm căn cước cần gì», «đăng ký tạm trú online».\n"
    "• Sau khi em trả lời, anh/chị có thể hỏi tiếp «lệ phí bao nhiêu?», «nộp ở đâu?»…\n"
    "• Bấm các nút bên dưới tin nhắn để xem thêm.\n"
    "• /menu: danh mục thủ tục\n"
    "• /lienhe: địa chỉ, số điện thoại và giờ làm việc của cơ quan\n"
    "• /help: xem lại hướng dẫn này"
)
HELP_NUMBERED = HELP.replace(
    "• Bấm các nút bên dưới tin nhắn để xem thêm.",
    "• Gõ số của lựa chọn trong danh sách bên dưới để xem thêm.",
)
"""HELP where buttons are shown as numbered options (console, Zalo Bot): there is nothing to press."""
UNKNOWN_COMMAND = "Dạ, em chưa hiểu lệnh này ạ."


def contact(agency: Agency) -> str:
    """The office's contact details."""
    lines = [
        agency.name,
        f"Địa chỉ: {agency.address}",
        f"Điện thoại: {agency.phone}",
        f"Giờ làm việc: {agency.hours}",
    ]
    if agency.email:
        lines.append(f"Email: {agency.email}")
    if agency.portal:
        lines.append(f"Cổng dịch vụ công: {agency.portal}")
    return "\n".join(lines)


CONTACT_TITLE = "Thông tin liên hệ"

NON_TEXT = (
    "Dạ, hiện em chỉ đọc được tin nhắn chữ thôi ạ. "
    "Anh/chị vui lòng nhắn câu hỏi bằng chữ, em sẽ trả lời ngay."
)


def asked_of(sentences: tuple[str, ...], note: str = "") -> str:
    """What the answer says of the particular thing a question asks, shown before the overview."""
    return "Dạ, về điều anh/chị hỏi, hướng dẫn có ghi:\n" + _quoted(sentences, note)


def follow_up(sentences: tuple[str, ...], note: str = "") -> str:
    """What the answer just given says of a short follow-up ("thế còn người nước ngoài?")."""
    return "Dạ, trong hướng dẫn của thủ tục này có ghi:\n" + _quoted(sentences, note)


def other_ages(ages: tuple[int, ...]) -> str:
    """Said under quoted sentences that hold for another age than the child's the citizen stated."""
    told = sorted(set(ages))
    who = "cháu" if len(told) == 1 else "các cháu"
    said = " và ".join(str(a) for a in told)
    return (
        f"Lưu ý: điều trên nói về một độ tuổi khác — anh/chị cho biết {who} {said} tuổi, nên trường hợp "
        f"của {who} không theo điều này; anh/chị vui lòng hỏi thêm cán bộ để được hướng dẫn đúng ạ."
    )


def _quoted(sentences: tuple[str, ...], note: str = "") -> str:
    """Quoted sentences as bullets; one cut from a list at its ";" ends as a sentence does; a note on
    them (other_ages) below."""
    bullets = "\n".join(f"• {s[:-1] + '.' if s.endswith(';') else s}" for s in sentences)
    return f"{bullets}\n{note}" if note else bullets


PREAMBLE = "Dạ, em nghe đây ạ. Anh/chị cứ nhắn câu hỏi về thủ tục cần tìm hiểu nhé."
GOODBYE = "Dạ, em chào anh/chị ạ. Khi cần hỏi thủ tục, anh/chị cứ nhắn cho em nhé."
"""A goodbye that asks nothing, when the FAQ has no goodbye entry of its own."""
OKAY = "Dạ vâng ạ. Khi cần hỏi thêm thủ tục nào, anh/chị cứ nhắn cho em nhé."
"""An acknowledgement typed ("em hiểu rồi", "vậy thôi ạ"): nothing was asked, nothing is missing."""
THANKS = "Dạ, em cảm ơn anh/chị ạ! Anh/chị cần hỏi thêm thủ tục nào cứ nhắn cho em nhé."
"""A lone 👍 or 🙏, or a thank-you that asks nothing, when the FAQ has no thanks entry of its own."""


def _to_staff(agency: Agency, staff: bool) -> str:
    """How to reach a person: the "Gặp cán bộ" button where a staff relay is set up, else the phone."""
    return "bấm «Gặp cán bộ»" if staff else f"gọi {agency.phone}"


def not_covered(title: str, agency: Agency, staff: bool, *, late: bool = False) -> str:
    """A follow-up about the procedure just answered ("có bị phạt không", "bé có phải đi không") that its
    guidance does not cover, or not in words the bot could find."""
    person = _to_staff(agency, staff)
    if late:
        return (
            f"Dạ, hướng dẫn về «{title}» không nói đến việc này (làm muộn, quá hạn hay mức phạt) ạ. "
            f"Để được trả lời chính xác, anh/chị {person} để hỏi cán bộ."
        )
    return (
        f"Dạ, em chưa tìm được câu trả lời cho điều anh/chị vừa hỏi trong hướng dẫn về «{title}» ạ. "
        f"Anh/chị xem các mục bên dưới (từng bước, giấy tờ, lệ phí…) hoặc {person} để hỏi cán bộ. "
        "Nếu anh/chị hỏi sang việc khác, anh/chị nhắn giúp em tên việc đó (ví dụ «đăng ký tạm trú») "
        "hoặc bấm «Danh mục thủ tục» ạ."
    )


def named_beside(title: str) -> str:
    """After a declined topic, when the message also names a procedure of the office."""
    return f"Nếu anh/chị hỏi về «{title}», anh/chị bấm «{title}» bên dưới để xem hướng dẫn ạ."


def still_about(title: str, staff: bool) -> str:
    """After a declined topic, when the message may still be about the procedure just answered."""
    person = "bấm «Gặp cán bộ»" if staff else "gọi số ở trên"
    return (
        f"Nếu anh/chị vẫn hỏi về «{title}»: hướng dẫn em có chưa nói đến trường hợp này, anh/chị {person} "
        f"để hỏi cán bộ, hoặc bấm «{title}» để xem lại hướng dẫn ạ."
    )


def misunderstood(agency: Agency, staff: bool) -> str:
    """A correction that does not say what was meant ("sai rồi", "em hỏi cái khác")."""
    person = _to_staff(agency, staff)
    return (
        "Dạ, em xin lỗi vì chưa hiểu đúng ý anh/chị. Anh/chị nhắn lại giúp em việc cần làm bằng vài "
        "chữ (ví dụ: «đăng ký tạm trú», «làm căn cước cho con»), chọn lĩnh vực trong danh mục dưới "
        f"đây, hoặc {person} để được cán bộ hỗ trợ ạ."
    )


def too_long(agency: Agency, staff: bool, *, parts: bool, numbered: bool, unclear: bool = False) -> str:
    """The last reply was too long or too hard to read ("dài quá bác đọc không nổi"), or, `unclear`,
    not understood ("ko hiểu", "nói rõ hơn đi", "hả?")."""
    person = _to_staff(agency, staff)
    press = "gõ số của từng phần" if numbered else "bấm từng nút"
    sorry = "Dạ, em xin lỗi vì trả lời chưa rõ ạ." if unclear else "Dạ, em xin lỗi vì câu trả lời dài quá ạ."
    if parts and unclear:
        return (
            f"{sorry} Anh/chị {press} bên dưới (các bước, giấy tờ, lệ phí…) để xem từng phần ngắn, nhắn "
            "cho em điều còn chưa rõ (ví dụ «cần mang giấy gì», «nộp ở đâu»), hoặc "
            f"{person} để cán bộ hướng dẫn trực tiếp ạ."
        )
    if parts:
        return (
            f"{sorry} Anh/chị {press} bên dưới (các bước, giấy tờ, lệ phí…) để xem từng phần ngắn, hoặc "
            f"{person} để cán bộ hướng dẫn trực tiếp ạ."
        )
    return (
        f"{sorry} Anh/chị {person} để cán bộ hướng dẫn trực tiếp, hoặc nhắn cho em một việc cụ thể (ví "
        "dụ «lệ phí làm căn cước») để em trả lời ngắn gọn, dễ hiểu hơn ạ."
    )


NO_OPTIONS = (
    "Dạ, hiện không có danh sách nào để chọn theo số ạ. Anh/chị nhắn câu hỏi bằng lời "
    "(ví dụ: «làm căn cước cần gì»), hoặc chọn trong danh mục dưới đây."
)
"""A bare number typed with no numbered options on screen."""


def pick_one(valid: str) -> str:
    """A "yes" ("đúng rồi") while choices are on screen: which one; `valid` the numbers, "" for buttons."""
    if valid:
        return f"Dạ, anh/chị gõ số của mục đúng ý ({valid}) giúp em để em mở hướng dẫn ạ."
    return "Dạ, anh/chị bấm vào mục đúng ý trong danh sách phía trên giúp em để em mở hướng dẫn ạ."


def one_at_a_time(valid: str) -> str:
    """Every choice asked for at once ("cả hai"): one at a time; `valid` the numbers, "" for buttons."""
    if valid:
        return (
            f"Dạ, em hướng dẫn từng việc một ạ. Anh/chị gõ số của việc muốn xem trước ({valid}); xem xong, "
            "anh/chị nhắn tên việc còn lại để em hướng dẫn tiếp ạ."
        )
    return (
        "Dạ, em hướng dẫn từng việc một ạ. Anh/chị bấm vào việc muốn xem trước trong danh sách phía trên; "
        "xem xong, anh/chị bấm tiếp việc còn lại ạ."
    )


def no_such_option(number: int, valid: str) -> str:
    """A bare number that no option on screen stands for; `valid` says which numbers are."""
    return (
        f"Dạ, trong danh sách phía trên không có lựa chọn số {number} ạ. Anh/chị gõ số {valid} "
        "để chọn, hoặc nhắn câu hỏi bằng lời."
    )


ASK_WHICH_PROCEDURE = (
    "Dạ, anh/chị đang hỏi về thủ tục nào ạ? Anh/chị nhắn tên thủ tục "
    "(ví dụ: «lệ phí làm hộ chiếu») hoặc chọn trong danh mục dưới đây."
)

_FACET_NOUNS = {
    Facet.DOCUMENTS: "giấy tờ cần chuẩn bị",
    Facet.FEE: "lệ phí",
    Facet.TIME: "thời gian giải quyết",
    Facet.WHERE: "nơi nộp hồ sơ",
    Facet.ONLINE: "cách nộp trực tuyến",
    Facet.POSTAL: "cách nộp, nhận qua bưu điện",
    Facet.STEPS: "các bước thực hiện",
}


def ask_which_procedure(facet: Facet | None) -> str:
    """A part was asked ("còn lệ phí thì sao?") with no procedure it could belong to."""
    noun = _FACET_NOUNS.get(facet) if facet is not None else None
    if noun is None:
        return ASK_WHICH_PROCEDURE
    return (
        f"Dạ, anh/chị muốn hỏi {noun} của thủ tục nào ạ? Anh/chị nhắn tên thủ tục "
        "(ví dụ: «làm hộ chiếu», «đăng ký tạm trú») hoặc chọn trong danh mục dưới đây."
    )


ASK_WHICH_PAPER_LOST = (
    "Dạ, anh/chị bị mất giấy tờ nào ạ? Anh/chị nhắn tên giấy tờ (ví dụ: «mất căn cước», «mất giấy khai "
    "sinh», «mất bằng lái xe») để em hướng dẫn làm lại, hoặc chọn trong danh mục dưới đây."
)

SUGGEST = "Dạ, có phải anh/chị muốn hỏi:"


def declined_part(title: str, facet: Facet | None, summary: str, agency: Agency | None = None) -> str:
    """A part asked right after a topic the office does not handle: the guide has no such part (and,
    given the office, its phone for what else the citizen asks of that topic)."""
    noun = _FACET_NOUNS.get(facet) if facet is not None else None
    asked = f"{noun} của việc này" if noun is not None else "việc này"
    contact = f"\n\n{_ask_more(agency)}" if agency is not None else ""
    return (
        f"Dạ, «{title}» không nằm trong các thủ tục em hướng dẫn nên em không có thông tin về {asked} ạ.\n\n"
        f"{summary}{contact}\n\nNếu anh/chị muốn hỏi thủ tục khác, anh/chị nhắn tên thủ tục hoặc chọn trong "
        "danh mục dưới đây."
    )


def which_of_these(facet: Facet) -> str:
    """A part asked right after choices, of none of them in particular: which one's."""
    return f"Dạ, anh/chị muốn xem {_FACET_NOUNS[facet]} của thủ tục nào dưới đây ạ?"


def first_choice(title: str) -> str:
    """Before the part asked of the first choice, when a second part was asked without picking one."""
    return (
        f"Dạ, em xin trả lời theo thủ tục gần nhất với câu hỏi của anh/chị là «{title}»; nếu anh/chị hỏi "
        "thủ tục khác, anh/chị chọn ở phía dưới giúp em ạ."
    )


WHICH_FOR_DETAIL = (
    "Dạ, anh/chị hỏi điều này về thủ tục nào dưới đây ạ? Anh/chị chọn giúp em, em mở đúng hướng dẫn của "
    "thủ tục đó để xem có nói đến điều anh/chị hỏi không ạ."
)
"""A detail asked right after choices, of none of them in particular (handlers.conversation)."""


def suggest_one(title: str) -> str:
    """The one procedure the assistant thinks is meant, asked as a yes-or-no question."""
    return f"Dạ, có phải anh/chị muốn hỏi về «{title}» không ạ?"


LEGAL_OPINION = (
    "Dạ, việc đúng hay sai theo luật, giấy tờ có giá trị hay không, ai có quyền gì, có nên làm hay không "
    "là những điều cần tư vấn pháp luật; em chỉ hướng dẫn thủ tục hành chính nên không trả lời được câu "
    "này ạ. Anh/chị có thể hỏi Trung tâm Trợ giúp pháp lý nhà nước của tỉnh, văn phòng luật sư, hoặc công "
    "chức tư pháp của xã/phường ạ."
)
"""Before the reply to a question that asks a legal opinion (faq.legal_opinion)."""
SUGGEST_AFTER_LEGAL_OPINION = "Nếu anh/chị cần làm thủ tục, có phải là:"


def legal_opinion(agency: Agency) -> str:
    """A legal-opinion question with no procedure near it: where to ask, and the office's contact."""
    return f"{LEGAL_OPINION}\n\n{_ask_more(agency)}"


STALE = (
    "Dạ, thông tin này đã được cập nhật nên nút vừa bấm không còn dùng được. "
    "Anh/chị vui lòng chọn lại trong danh mục hoặc nhắn câu hỏi ạ."
)
STALE_NUMBERED = STALE.replace("nút vừa bấm", "lựa chọn vừa gõ")
"""STALE where buttons are shown as numbered options."""


def _hours(agency: Agency) -> str:
    """Office hours on a line of their own: staff write them freely, "(nếu có)" included, and they
    are never wrapped in a second pair of parentheses."""
    return f"Giờ làm việc: {agency.hours}"


def track_file(agency: Agency) -> str:
    """Under the processing time, for a citizen asking how far along their own file is."""
    where = f" tại {agency.portal}" if agency.portal else " trên Cổng Dịch vụ công"
    return (
        "Để biết hồ sơ của mình đang ở bước nào, anh/chị tra cứu bằng mã hồ sơ (ghi trên giấy tiếp nhận, "
        f"phiếu hẹn hoặc tin nhắn, thư điện tử báo đã nộp){where}, hoặc trong ứng dụng VNeID nếu đã nộp qua "
        f"VNeID. Quá ngày hẹn mà chưa có kết quả, anh/chị gọi {agency.name} qua số {agency.phone} để được "
        "kiểm tra ạ."
    )


def no_answer(agency: Agency) -> str:
    """The honest fallback when the FAQ has no answer."""
    return (
        "Dạ, hiện em chưa có thông tin để trả lời câu hỏi này ạ.\n\n"
        f"Anh/chị vui lòng gọi {agency.name} qua số {agency.phone} để được cán bộ hướng dẫn, "
        f"hoặc xem danh mục thủ tục bên dưới.\n{_hours(agency)}"
    )


def alternatives(titles: list[str], numbered: bool = False) -> str:
    """Below an answer whose runners-up came close (numbered: options are typed, not pressed)."""
    named = " hoặc ".join(f"«{t}»" for t in titles)
    how = "gõ số tương ứng trong danh sách bên dưới" if numbered else "bấm vào nút tương ứng bên dưới"
    return f"Nếu anh/chị muốn hỏi về {named}, anh/chị {how} giúp em ạ."


def _ask_more(agency: Agency) -> str:
    """The closing line of a pointer elsewhere: the office's own phone and hours."""
    return f"Nếu cần hỏi thêm, anh/chị vui lòng gọi {agency.name} qua số {agency.phone}.\n{_hours(agency)}"


def declined(title: str, summary: str, agency: Agency) -> str:
    """When the question is about something the office does not handle: who does, and the contact."""
    return (
        f"Dạ, câu hỏi của anh/chị có vẻ thuộc việc «{title}» — việc này không nằm trong các thủ tục "
        "em hướng dẫn ạ.\n\n"
        f"{summary}\n\n" + _ask_more(agency)
    )


def no_answer_forwarded(agency: Agency) -> str:
    """The fallback when the question is forwarded to staff."""
    return (
        "Dạ, hiện em chưa có thông tin để trả lời câu hỏi này ạ.\n\n"
        "Em đã chuyển câu hỏi của anh/chị tới cán bộ; cán bộ sẽ trả lời anh/chị tại đây "
        "trong giờ làm việc. Nếu cần gấp, anh/chị vui lòng gọi "
        f"{agency.name} qua số {agency.phone} ạ.\n{_hours(agency)}"
    )


HANDOFF = (
    "Dạ, em đã chuyển câu hỏi của anh/chị tới cán bộ. Cán bộ sẽ trả lời anh/chị tại đây trong giờ làm việc ạ."
)
HANDOFF_NOTHING = "Dạ, anh/chị vui lòng nhắn lại câu hỏi cần hỏi cán bộ, em sẽ chuyển ngay ạ."


def handoff_disabled(agency: Agency) -> str:
    """ "Gặp cán bộ" where no staff relay is set up: give the phone instead."""
    return f"Dạ, anh/chị vui lòng gọi {agency.phone} để gặp cán bộ ạ.\n{_hours(agency)}"


FEEDBACK_UP = "Dạ, em cảm ơn anh/chị đã góp ý ạ!"


def feedback_down(agency: Agency) -> str:
    """Thanks for a 👎, with a way forward."""
    return (
        "Dạ, em cảm ơn anh/chị đã góp ý. Anh/chị có thể hỏi lại bằng cách khác, "
        f"hoặc gọi {agency.phone} để được cán bộ hướng dẫn ạ."
    )


def category_intro(title: str) -> str:
    """Above the list of a category's entries."""
    return f"Dạ, các thủ tục thuộc lĩnh vực «{title}»:"


def related_intro(title: str) -> str:
    """Above the list of procedures related to an entry."""
    return f"Dạ, các thủ tục liên quan đến «{title}»:"


def step(n: int, total: int, text: str) -> str:
    """One step of the step-by-step guidance."""
    return f"Bước {n}/{total}: {text}"


NO_STEPS = "Dạ, thủ tục này chưa có hướng dẫn từng bước ạ."


def fee_and_time(entry: Entry) -> str:
    """Fee and processing time together (citizens usually want both)."""
    fee = entry.fee or "Chưa có thông tin, anh/chị vui lòng hỏi cán bộ."
    time = entry.processing_time or "Chưa có thông tin, anh/chị vui lòng hỏi cán bộ."
    return f"Lệ phí: {fee}\nThời gian giải quyết: {time}"


def documents(entry: Entry) -> str:
    """The documents to prepare, one per line."""
    if not entry.documents:
        return "Giấy tờ cần chuẩn bị: chưa có thông tin, anh/chị vui lòng hỏi cán bộ."
    return "Giấy tờ cần chuẩn bị:\n" + "\n".join(f"• {d}" for d in entry.documents)


def where(entry: Entry) -> str:
    """Where the dossier is submitted."""
    return f"Nơi nộp hồ sơ: {entry.where or 'chưa có thông tin, anh/chị vui lòng hỏi cán bộ.'}"


_ONLINE_LEVEL = {
    OnlineLevel.FULL: "Nộp trực tuyến toàn trình (làm hết trên mạng)",
    OnlineLevel.PARTIAL: "Nộp trực tuyến một phần (vẫn cần đến nơi làm thủ tục)",
    OnlineLevel.NONE: "Thủ tục này chưa làm trực tuyến được",
}


def online(entry: Entry) -> str:
    """Whether and how the procedure can be done online."""
    if entry.online is None:
        return "Nộp trực tuyến: chưa có thông tin, anh/chị vui lòng hỏi cán bộ."
    lines = [_ONLINE_LEVEL[entry.online.level] + "."]
    if entry.online.level is not OnlineLevel.NONE and entry.online.url:
        lines.append(f"Địa chỉ: {entry.online.url}")
    if entry.online.note:
        lines.append(entry.online.note)
    return "\n".join(lines)


def postal(p: Postal | None) -> str:
    """Submitting and receiving through the public postal service."""
    if p is None:
        return "Qua bưu điện: chưa có thông tin, anh/chị vui lòng hỏi cán bộ."
    return f"Qua bưu điện:\n• Nộp hồ sơ: {p.submit}\n• Nhận kết quả: {p.receive}"


def steps_list(entry: Entry) -> str:
    """All steps, numbered."""
    if not entry.steps:
        return NO_STEPS
    return "Các bước thực hiện:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(entry.steps, start=1))


def no_summary(numbered: bool = False) -> str:
    """An entry without a summary (rare): point to the buttons, or to the numbered options."""
    if numbered:
        return "Anh/chị gõ số của lựa chọn trong danh sách bên dưới để xem chi tiết ạ."
    return "Anh/chị bấm các nút dưới đây để xem chi tiết ạ."


def apology(error_id: str, agency: Agency | None) -> str:
    """When answering failed: apologise, give the contact and a reference."""
    contact_line = (
        f" Nếu cần gấp, anh/chị vui lòng gọi {agency.name} qua số {agency.phone}.\n{_hours(agency)}"
        if agency is not None
        else " Nếu cần gấp, anh/chị vui lòng liên hệ trực tiếp bộ phận một cửa."
    )
    return (
        "Dạ, em xin lỗi, em đang gặp sự cố nên chưa trả lời được tin nhắn này. "
        "Anh/chị vui lòng thử lại sau ít phút ạ." + contact_line + f"\n\n(Mã lỗi: {error_id})"
    )


FLOOD = (
    "Dạ, em đang nhận nhiều tin nhắn liên tiếp nên xin phép tạm dừng khoảng một phút ạ. "
    "Anh/chị vui lòng đợi một chút rồi nhắn tiếp giúp em ạ."
)
"""Sent once when a chat goes over the per-minute limit."""

CONSOLE_BYE = "Dạ, em chào anh/chị ạ."
CONSOLE_INTRO = "Trò chuyện thử với trợ lý (gõ «thoát» để kết thúc; gõ số để chọn khi có danh sách)."


def hidden_content(agency: Agency) -> str:
    """Zalo hid the message (protected users): ask for text, give the phone."""
    return (
        "Dạ, em chưa xem được nội dung tin nhắn này ạ. "
        "Anh/chị vui lòng nhắn câu hỏi bằng chữ, hoặc gọi "
        f"{agency.phone} để được cán bộ hỗ trợ trực tiếp.\n{_hours(agency)}"
    )


# -- handoff to staff ---------------------------------------------------------------------------

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def handoff_ticket(ref: str, open_now: bool, opening: dt.datetime | None) -> str:
    """To the citizen once the question is with staff: the reference, and when to expect an answer."""
    text = f"Dạ, mã câu hỏi của anh/chị là {ref}. Cán bộ sẽ trả lời anh/chị ngay tại cuộc trò chuyện này."
    if open_now:
        return text
    if opening is None:
        return (
            f"{text}\n\nHiện đã ngoài giờ làm việc; cán bộ sẽ trả lời trong giờ hành chính. "
            "Mong anh/chị thông cảm ạ."
        )
    when = f"{opening:%H:%M} {_WEEKDAYS[opening.weekday()]}, ngày {opening:%d/%m}"
    return f"{text}\n\nHiện đã ngoài giờ làm việc; cán bộ sẽ trả lời từ {when}. Mong anh/chị thông cảm ạ."


STAFF_ADMINS_ONLY = (
    "Lệnh này chỉ quản trị viên của bot dùng được (danh sách staff.admin_user_ids trong tệp cấu hình)."
)
STAFF_REVIEW_IN_GROUP = "Lệnh /hoc gõ trong nhóm cán bộ: các đề xuất được gửi vào nhóm để mọi người cùng xem."

STAFF_TICKET_MARK = "📩 Câu hỏi "
"""How a ticket post starts: only replies to such a post are relayed to the citizen."""


def told_answer(title: str) -> str:
    """What staff read on a ticket after an answer the citizen still wanted a person for."""
    return f"Bot đã trả lời bằng mục «{title}»."


def told_not_covered(title: str) -> str:
    """… after a follow-up the answer on screen did not cover."""
    return f"Bot đã nói hướng dẫn của mục «{title}» không có điều này."


def told_declined(title: str) -> str:
    """… after a topic the office does not handle."""
    return f"Bot đã báo việc này không thuộc phạm vi của đơn vị («{title}») và chỉ nơi giải quyết."


def told_suggested(titles: Sequence[str]) -> str:
    """… after choices the citizen said were not what they meant."""
    return "Bot đã gợi ý " + ", ".join(f"«{t}»" for t in titles) + "; người dân chọn «Không phải các ý trên»."


TOLD_LEGAL_OPINION = "Bot đã báo đây là câu hỏi cần tư vấn pháp luật và chỉ nơi trợ giúp pháp lý."


def staff_ticket(ref: str, channel: str, question: str, told: str = "", *, asked: bool = False) -> str:
    """Posted in the staff group: one citizen's question (already masked), and what the bot already
    told them when it said something (a declined topic, an answer they wanted a person for, choices
    that missed); `asked`: the citizen asked for a person after what the bot told them."""
    heading = "người dân muốn gặp cán bộ" if asked and told else "bot chưa trả lời được"
    said = f"{told}\n\n" if told else ""
    return (
        f"{STAFF_TICKET_MARK}{ref} (qua {channel}) {heading}:\n\n"
        f"«{question}»\n\n{said}"
        "Anh/chị trả lời (Reply) vào chính tin nhắn này, bot sẽ chuyển câu trả lời tới người dân. "
        "Người dân không thấy tên của anh/chị."
    )


def staff_text_only(ref: str) -> str:
    """A staff reply with a photo, file or sticker: nothing was sent."""
    return (
        f"Chưa gửi gì cho người dân ({ref}): bot chỉ chuyển được tin nhắn chữ. Anh/chị gõ câu trả lời "
        "(có thể kèm đường link tới biểu mẫu) rồi trả lời (Reply) lại vào tin 📩 Câu hỏi."
    )


def staff_answer(text: str) -> str:
    """A staff reply as the citizen sees it (no staff name)."""
    return f"Dạ, cán bộ trả lời câu hỏi của anh/chị như sau:\n\n{text}"


def staff_relayed(ref: str) -> str:
    """Confirmation in the staff group."""
    return f"✅ Đã gửi câu trả lời cho người dân ({ref})."


def staff_unknown_ticket(number: int) -> str:
    """A reply quoting a ticket that does not exist."""
    return f"Không tìm thấy câu hỏi #{number:04d}; anh/chị kiểm tra lại giúp em."


def staff_channel_down(ref: str) -> str:
    """The citizen's channel is not running in this process."""
    return f"Chưa gửi được câu trả lời {ref}: kênh người dân dùng hiện không hoạt động."


def staff_relay_failed(ref: str) -> str:
    """Sending to the citizen failed."""
    return f"Chưa gửi được câu trả lời {ref} do lỗi kết nối; anh/chị vui lòng gửi lại sau ít phút."


# -- one province, many offices (handlers/offices.py) ------------------------------------------

BTN_CHANGE_OFFICE = "🏠 Đổi xã/phường"
ASK_OFFICE = (
    "Dạ, để trả lời đúng địa chỉ, giờ làm việc và cách làm ở nơi anh/chị nộp hồ sơ, anh/chị làm thủ "
    "tục ở xã/phường nào ạ? Anh/chị cứ gõ tên xã/phường (tên mới hay tên cũ trước khi sáp nhập đều "
    "được), ví dụ «phường Hoàng Liệt»."
)
"""Asked once on a province's shared account, when the answer depends on the office."""
ASK_OFFICE_AGAIN = (
    "Dạ, em chưa tìm thấy xã/phường này trong các đơn vị của tỉnh ạ. Anh/chị gõ lại tên xã/phường "
    "giúp em (có thể kèm chữ «xã» hoặc «phường», tên cũ trước khi sáp nhập cũng được)."
)
CHOOSE_OFFICE = "Dạ, có mấy xã/phường gần với tên anh/chị gõ ạ. Anh/chị bấm chọn đúng nơi làm thủ tục:"
CHOOSE_OFFICE_NUMBERED = "Dạ, có mấy xã/phường gần với tên anh/chị gõ ạ. Anh/chị gõ số của nơi làm thủ tục:"
OFFICE_FORGOTTEN = "Dạ, em đã bỏ xã/phường anh/chị chọn trước đó."


def office_chosen(unit: str, former: str | None) -> str:
    """Confirms the office a citizen named on a shared account, and how to change it."""
    if former and _fold_name(former) != _fold_name(unit):
        head = f"Dạ, {former} cũ nay thuộc {unit}; em sẽ trả lời theo {unit} ạ."
    else:
        head = f"Dạ, em sẽ trả lời theo {unit} ạ."
    return f"{head} Muốn đổi nơi làm thủ tục, anh/chị gõ «đổi xã» hoặc «đổi phường»."


def not_handled(title: str, handled_by: str, agency: Agency) -> str:
    """A shared procedure this office does not handle: who does, and the office's own contact."""
    return (
        f"Dạ, thủ tục «{title}» không giải quyết tại {agency.name} ạ. Thủ tục này do {handled_by} "
        "giải quyết.\n\n" + _ask_more(agency)
    )


def _fold_name(text: str) -> str:
    return " ".join(text.lower().split())
