"""Typed messages that are not questions: a menu label, "menu", a lone 👍, a bare option number,
"gặp cán bộ".

Recognised before the matcher, which would otherwise answer "danh mục" with the nearest procedure or
say it has no information about "99".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from handlers import texts
from handlers.options import fold, option_number


class Gesture(StrEnum):
    """What a typed message that is not a question asks for."""

    MENU = "menu"
    """The category menu ("danh mục", "menu", "thủ tục", "📋 Danh mục thủ tục")."""
    HELP = "help"
    """How to use the assistant ("hướng dẫn", "trợ giúp")."""
    START = "start"
    """The greeting ("bắt đầu")."""
    CONTACT = "contact"
    """The office's contact details (the "📞 Liên hệ cơ quan" label typed out)."""
    STAFF = "staff"
    """A person, not the assistant ("gặp cán bộ", "cho em nói chuyện với người thật"): what the
    "Gặp cán bộ" button does."""
    NUMBER = "number"
    """A bare option number ("99", "số 3") that no option on screen stands for."""
    OKAY = "okay"
    """An acknowledgement that asks nothing ("em hiểu rồi", "vậy thôi ạ", "để em hỏi lại sau")."""
    THANKS = "thanks"
    """Only approving emoji (👍, 🙏, ❤️)."""
    SORRY = "sorry"
    """Only disapproving emoji (👎, 😞)."""
    WRONG = "wrong"
    """The last reply missed without saying what was meant ("sai rồi", "không phải", "em hỏi cái
    khác"): a correction that names a procedure ("không phải, ý em là tạm trú") is a question."""
    TOO_LONG = "too-long"
    """The reply was too long or too hard to read ("dài quá bác đọc không nổi", "khó hiểu quá")."""
    UNCLEAR = "unclear"
    """The reply was not understood ("ko hiểu", "nói rõ hơn đi", "nói dễ hiểu thôi", "hả?"): the
    answer's parts one by one, an invitation to say what is unclear, or a person."""
    BOTH = "both"
    """Every choice on screen ("cả hai", "cả 2 luôn", "tất cả"): one at a time."""
    YES = "yes"
    """A "yes" that names nothing ("đúng rồi", "ừ đúng cái đó"): with choices on screen, which one is
    not said."""
    INVITE = "invite"
    """Only other emoji or punctuation ("?", "🙂", "..."), or "is anyone there?": nothing asked yet."""
    ATTACHMENT = "attachment"
    """Only the text a platform puts for a picture, sticker or file ("[Hình ảnh]", "đã gửi một ảnh"),
    as a forwarded or copied message carries it: nothing the assistant can read."""


@dataclass(frozen=True, slots=True)
class NotAQuestion:
    """A typed message to answer without the matcher."""

    gesture: Gesture
    number: int = 0
    """The number typed, for Gesture.NUMBER."""


_POLITE_TAIL = r"(?: (?:a|nhe|nha|voi|di|ad|ban|em))*"
_CALLED = re.compile(
    r"(?:(?:da|vang|alo)\s)?"
    r"(?:(?:bot|ad|admin|shop|ban|anh chi|anh|chi|em|e|co|chu|bac|moi nguoi)\soi\s)?"
)
"""Who is called before what is asked ("bot ơi", "dạ anh chị ơi"): set aside before the shapes below."""
_ME = r"(?:em|e|minh|mik|toi|tui|t|chau|con)"
_MENU = re.compile(
    rf"(?:(?:cho )?(?:{_ME} )?)?(?:(?:xem|mo|hien|gui) )?(?:(?:cac|tat ca|danh sach|danh muc) )?"
    r"(?:thu tuc|linh vuc|danh muc|menu|muc luc)(?: (?:thu tuc|hanh chinh))*" + _POLITE_TAIL
)
_BACK = re.compile(
    r"(?:(?:quay|tro) (?:lai|ve)(?: (?:danh muc|menu|muc luc|trang chu|tu dau|ban dau))?"
    r"|ve (?:danh muc|menu|muc luc|trang chu))(?: thu tuc)?" + _POLITE_TAIL
)
""""quay lại", "về danh mục" typed when no "Quay lại" option is on screen: the category menu."""
_HELP = re.compile(
    rf"(?:(?:cho )?(?:{_ME} )?xem )?"
    r"(?:help|tro giup|huong dan(?: su dung)?|cach (?:su )?dung(?: bot| tro ly)?)" + _POLITE_TAIL
)
_START = re.compile(r"(?:bat dau|start|khoi dong)" + _POLITE_TAIL)
_CONTACT = re.compile(re.escape(fold(texts.BTN_CONTACT)))
_STAFF = re.compile(
    rf"(?:(?:thoi|vay|the|thi|cho|xin|muon|can|{_ME}|duoc|ad|oi|a|co the|lam on)\s)*"
    r"(?:gap|noi chuyen(?: truc tiep)? voi|chat voi|lien he voi|ket noi(?: voi)?|chuyen(?: cho| sang)?)\s"
    r"(?:(?:voi|mot|1|cac|truc tiep)\s)*"
    r"(?:can bo|cb|nguoi that(?: su)?|ng that|nhan vien|nguoi truc|admin|tong dai vien)"
    r"(?: (?:that|truc tiep|phu trach|mot cua|phuong|xa|o phuong|o xa|giup(?: em| minh| toi)?"
    r"|ho tich|tu phap|dia chinh|xay dung|van hoa|xa hoi|cong an|cu tru|lao dong|thuong binh))*"
    r"(?: (?:duoc|dc) (?:khong|ko|k|hong|hok))?"
    r"(?: (?:khong phai|ko phai|k phai|chu khong phai) (?:bot|may|tro ly ao|tro ly tu dong))?" + _POLITE_TAIL
)
_OKAY = re.compile(
    r"(?:(?:da|vang|ok|oke|okay|oki|okie|uh|uhm|um|a|the|vay|thi|thoi)\s)*"
    r"(?:(?:(?:em|e|minh|toi|tui|chau|con)\s)?(?:hieu|biet|ro|nam duoc)\s(?:roi|r)"
    r"|(?:duoc|dc)\s(?:roi|r)"
    r"|vay thoi"
    r"|(?:(?:em|minh|toi|tui|chau|con)\s)?(?:khong|ko|k)\scan(?:\s(?:nua|dau|hoi nua))?"
    r"|de\s(?:em|minh|toi|tui|chau|con)\s(?:hoi|xem|tim hieu|suy nghi|chuan bi|hoi lai)"
    r"(?:\s(?:lai|them))?\s(?:sau|da|nhe))" + _POLITE_TAIL
)
_WRONG = re.compile(
    r"(?:(?:da|vang|ua|o|the|nhung|ma|thoi|hic|huhu)\s)*"
    rf"(?:(?:{_ME}|bot|ban|ad)\s)?"
    r"(?:(?:hieu|tra loi|noi|chon|bam|hoi)\s)?"
    r"(?:sai(?:\s(?:roi|r|bet|het))?"
    r"|khong (?:phai|dung|lien quan)(?:\s(?:roi|r|vay|the|cai do|cai nay|dau|y (?:em|minh|toi|tui)|"
    r"(?:dieu|cai|viec) (?:em|minh|toi|tui) (?:hoi|can)))*"
    r"|(?:ko|k|hong) (?:phai|dung)(?:\s(?:roi|r|vay|the))*"
    r"|(?:khong|ko|k|hong) phai (?:so|cai|y|muc)(?: so)? (?:\d{1,2}|dau|nay|do|kia)"
    r"|chua dung(?:\s(?:y|cau hoi) (?:em|minh|toi|tui))?"
    r"|(?:(?:em|minh|toi|tui|e)\s)?(?:muon\s)?hoi (?:cai|viec|chuyen|thu tuc) khac"
    r"|(?:khong|ko|k) co (?:cai|y|muc) nao (?:dung|phai)(?:\s(?:het|ca|roi|r|y (?:em|minh|toi|tui)))*"
    r"|(?:ngu|do|te|kem|vo dung|chan)(?:\s(?:qua|the|vay|z|that|vl|ghe))+"
    r"|(?:(?:cu|lai|toan)\s)?(?:tra loi|noi) (?:nhu khong|linh tinh|lung tung|vo van|chang dung|khong dung gi"
    r"|sai|lac de|khong dung (?:trong tam|y))"
    r"|(?:tra loi|noi) (?:dung|cho dung|vao) (?:trong tam|cau hoi|y (?:em|minh|toi|tui))"
    r"(?:\s(?:di|gium|giup|coi))*"
    r"|(?:sao\s)?hoi mai (?:ma\s)?(?:khong|ko|k|chang) (?:tra loi|duoc|thay)(?:\s(?:vay|the|gi|z))*)"
    + _POLITE_TAIL
)
_WHO = rf"(?:{_ME}|bac|co|chu|ong|ba|anh|chi)"
"""The writer as elders and others call themselves ("bác đọc không nổi")."""
_CANNOT_READ = (
    rf"(?:{_WHO}\s)?(?:(?:doc|xem|hieu)\s(?:khong|ko|k|chang|hong)\s(?:noi|het|hieu|ra|kip|duoc|dc)"
    r"|(?:khong|ko|k|chang|hong)\s(?:doc|xem)\s(?:noi|het|kip|duoc|dc|ra))"
)
_TOO_LONG = re.compile(
    r"(?:(?:da|vang|ua|o|the|nhung|ma|thoi|hic|huhu|oi)\s)*"
    r"(?:(?:(?:tra loi|cau tra loi|chu|tin nhan|viet|noi|huong dan|doan nay|cai nay)\s)?"
    r"(?:dai|dai dong|nhieu chu|lang nhang|kho hieu|roi)(?:\s(?:qua|the|vay|z|ghe|lam|that|vl))+"
    rf"(?:\s{_CANNOT_READ}(?:\s(?:gi|dau))?)?"
    rf"|{_CANNOT_READ}(?:\s(?:gi|dau))?"
    r"|(?:noi|viet|tra loi)\s(?:ngan|gon|ngan gon)(?:\s(?:thoi|lai|hon|di|giup|thoi nhe))*)" + _POLITE_TAIL
)
"""The reply was too long or too hard to read: its parts are offered one by one."""
_UNCLEAR = re.compile(
    r"(?:(?:da|vang|ua|o|the|nhung|ma|thoi|hic|huhu|oi|xin loi)\s)*"
    rf"(?:(?:{_WHO}|bot|ad)\s)?(?:van\s|doc\s|nghe\s)?"
    r"(?:(?:khong|ko|k|hong|chua|chang)\s(?:hieu|ro)"
    r"(?:\s(?:ro|lam|gi|het|ca|noi|duoc|dc|y|nay|cai nay|cho lam|nhieu))*"
    r"|(?:noi|giai thich|viet|tra loi|huong dan)\s(?:ro|de hieu|cu the|don gian|chi tiet|lai)"
    r"(?:\s(?:hon|ra|lai|thoi|di|giup|duoc khong|dc ko|duoc ko|giup (?:em|toi|minh|bac)))*"
    r"|(?:ha|gi co|sao co|cai gi co|la sao|nghia la sao|y la sao|the la sao|vay la sao|vay thoi ha"
    r"|the thoi ha|co vay thoi ha))" + _POLITE_TAIL
)
"""The reply was not understood, or "what?" after it."""
_YES = re.compile(
    r"(?:(?:da|vang|u|uh|uhm|ok|oke|a|the)\s)*"
    r"(?:(?:dung|chuan|chinh xac|phai)\s(?:roi|r|vay|the|y (?:em|minh|toi|tui))"
    r"(?:\s(?:roi|r|vay|the|cai do|cai nay|do))*"
    r"|(?:dung\s)?(?:cai|y|muc) (?:do|nay)(?: do| day)?)" + _POLITE_TAIL
)
_BOTH = re.compile(
    r"(?:(?:da|vang|u|uh|ok|oke|a|em|minh|toi|tui|chon|xem|hoi)\s)*"
    r"(?:ca (?:hai|2|ba|3|bon|4)|tat ca|het ca|hai cai|ca hai cai|ca 2 cai)"
    r"(?:\s(?:cai|viec|y|muc|luon|deu|nha|nhe|a|ad))*"
)
"""Every choice on screen asked for at once (read by `Conversation` only with choices on screen)."""
_CLAUSE = re.compile(r"[,.;!?…]+\s*(?=\S)")
"""Where one clause of a typed message ends and another begins."""
_ANYONE = re.compile(
    r"(?:(?:alo|ad|admin|bot|ban|em|oi|a|cho|xin|hoi)\s)*"
    r"(?:con|co)\s(?:ai\s)?(?:o\s)?(?:do|day|ai|truc)(?:\s(?:truc|do|day|khong|ko|k|hong|hok))*"
    + _POLITE_TAIL
)
""""Is anyone there?" ("ad ơi còn đó không", "còn ai trực không"): an invitation to ask."""
_MURMUR = re.compile(
    r"(?:ua|u|o|uhm|hm|hmm|test|test thu|thu|thu xem|alo alo|hello|hi|hey)(?:\s(?:a|nhe|nha|ad|bot))*"
)
""""ủa", "ờ", "test": a sound or a try, nothing asked yet (it got "chưa có thông tin")."""
_THING = (
    r"(?:hình ảnh|ảnh|hình|sticker|nhãn dán|video|tệp|file|tập tin|tin nhắn thoại|tin nhắn âm thanh|voice"
    r"|gif|vị trí|danh thiếp)"
)
_ATTACHMENT = re.compile(
    rf"(?:\[{_THING}\]|(?:(?:bạn |anh |chị |em )?đã gửi (?:một |1 )?{_THING}))"
    rf"(?:\s*(?:\[{_THING}\]|{_THING}))*",
    re.IGNORECASE,
)
"""What Zalo, Messenger or a copied chat show for what is not text ("[Hình ảnh]", "[Sticker]",
"Đã gửi một ảnh")."""
_APPROVING = frozenset("👍👌🙏❤♥💕💖😊🥰😍☺🙂💯👏🤝🌹💐🎉")
_DISAPPROVING = frozenset("👎😞😢😭😡😠☹🙁😕")
_DECORATION = frozenset("\ufe0f\u200d") | {chr(c) for c in range(0x1F3FB, 0x1F400)}
"""Variation selectors, joiners and skin tones: parts of an emoji, never a meaning of their own."""


def not_a_question(text: str) -> NotAQuestion | None:
    """What a typed message asks for when it is not a question for the matcher, else None."""
    stripped = text.strip()
    if not stripped:
        return None
    if _ATTACHMENT.fullmatch(unicodedata.normalize("NFC", stripped)):
        return NotAQuestion(Gesture.ATTACHMENT)
    number = option_number(stripped)
    if number is not None:
        return NotAQuestion(Gesture.NUMBER, number)
    words = fold(stripped)
    if not words:
        return NotAQuestion(_emoji_gesture(stripped))
    words = _CALLED.sub("", words, count=1) or words
    for pattern, gesture in (
        (_MENU, Gesture.MENU),
        (_BACK, Gesture.MENU),
        (_HELP, Gesture.HELP),
        (_START, Gesture.START),
        (_CONTACT, Gesture.CONTACT),
        (_STAFF, Gesture.STAFF),
        (_OKAY, Gesture.OKAY),
        (_WRONG, Gesture.WRONG),
        (_TOO_LONG, Gesture.TOO_LONG),
        (_UNCLEAR, Gesture.UNCLEAR),
        (_YES, Gesture.YES),
        (_BOTH, Gesture.BOTH),
        (_ANYONE, Gesture.INVITE),
        (_MURMUR, Gesture.INVITE),
    ):
        if pattern.fullmatch(words):
            return NotAQuestion(gesture)
    # A person asked for after a complaint ("hỏi mãi không được, cho tôi gặp người thật"): the last
    # clause says what is wanted.
    clauses = _CLAUSE.split(stripped)
    for pattern, gesture in ((_UNCLEAR, Gesture.UNCLEAR), (_TOO_LONG, Gesture.TOO_LONG)):
        # "không hiểu gì cả, nói dễ hiểu hơn được không": each clause says the same.
        if len(clauses) > 1 and all(pattern.fullmatch(fold(c)) for c in clauses):
            return NotAQuestion(gesture)
    last = fold(clauses[-1]) if len(clauses) > 1 else ""
    if last and _STAFF.fullmatch(_CALLED.sub("", last, count=1) or last):
        return NotAQuestion(Gesture.STAFF)
    return None


_COMPLAINT_TAIL = re.compile(
    r"(?:ma|sao|ma sao|ma sao lai)\s(?:(?:cu|lai|toan|cu la|thi)\s)?(?:tra loi|noi|bao)\s"
    r"(?:lung tung|linh tinh|sai|khong dung|vo van|lac de|nhu khong|khong trung)\b.*"
)
"""A complaint about the replies after a question ("… mà cứ trả lời lung tung")."""
_COMPLAINT_LEADS = frozenset({"ma", "sao"})
"""The words a complaint about the replies begins with (_COMPLAINT_TAIL)."""


def before_complaint(text: str) -> str | None:
    """The question a message asks before a complaint about the replies ("TÔI HỎI LÀM CĂN CƯỚC Ở ĐÂU MÀ
    CỨ TRẢ LỜI LUNG TUNG" -> "TÔI HỎI LÀM CĂN CƯỚC Ở ĐÂU"), None when there is no such complaint."""
    if _COMPLAINT_TAIL.search(fold(text)) is None:
        return None
    tokens = text.split()
    kept = [(i, f) for i, f in ((i, fold(t)) for i, t in enumerate(tokens)) if f]
    joined = " ".join(f for _, f in kept)
    # Folded and joined once (every message comes through here); the complaint is tried only where a
    # word could begin it, after at least one word of question.
    at = 0
    for i, word in kept:
        if i > 0 and word in _COMPLAINT_LEADS:
            m = _COMPLAINT_TAIL.match(joined, at)
            if m is not None and m.end() == len(joined):
                asked = " ".join(tokens[:i]).rstrip(" ,;")
                return asked if fold(asked) else None
        at += len(word) + 1
    return None


_REASKED = re.compile(
    r"(?:toi|tui|em|e|minh|chau|con) (?:da )?hoi (?:la |rang |ve |them la )?(?=\S+ \S+ \S+)"
)
"""How a message asking again begins ("Tôi hỏi là …", "e hoi la …"; three words at least after it)."""


def asked_again(text: str) -> str:
    """A message without the words that say it asks again ("Tôi hỏi là làm sao để công an đến nhà làm
    căn cước cho mẹ tôi?" -> "làm sao để công an …"): the question is what follows."""
    tokens = text.split()
    m = _REASKED.match(" ".join(fold(t) for t in tokens))
    if m is None:
        return text
    said = len(m.group(0).split())
    return " ".join(tokens[said:])


_REJECTING = re.compile(r"(?:(?:da|a|u|o|nhung|ma|ui)\s)*(?:khong|ko|k|kh|hong|hok) phai$")
"""What a message that says the last reply missed begins with ("không phải", "dạ ko phải")."""
_MEANT = re.compile(r"(?:toi|tui|em|e|minh|chau|con) (?:hoi|can|muon)|y (?:la|toi|tui|em|minh)")
"""What begins the question after it ("…, tôi hỏi …", "ý em là …")."""
_REJECT_WORDS = 8
"""The rejected thing is named in a few words ("không phải tạm vắng"); more is a question."""


_POINTING_WRITTEN = frozenset(
    {"cái", "đó", "này", "kia", "vậy", "thế", "đâu", "à", "ạ", "rồi", "ý", "mà", "nha", "nhé", "nhe"}
)
"""Words of a rejection that point back without naming what is rejected ("không phải cái đó")."""
_ONLY_POINTING = frozenset(fold(w) for w in _POINTING_WRITTEN) | {"r"}
"""The same, accents off ("r" is "rồi" typed short)."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A message that says the last reply missed, and asks its question."""

    question: str
    """What it asks besides the rejection ("tôi hỏi khai báo tạm trú cho người nước ngoài")."""
    rejected: str = ""
    """The words that name what it rejects ("tạm vắng"); empty for "không phải, …", "không phải cái đó"."""

    @property
    def names(self) -> bool:
        """Whether it names what it rejects."""
        return bool(self.rejected)


_TRAILING_WORDS = 5
"""At most this many words after "chứ không phải" when they only name what is rejected ("… chứ không phải
nhận cha ạ"); more is the sentence going on ("chứ không phải nhà của mình thì có đăng ký được không")."""


def after_rejection(text: str) -> Rejection | None:
    """The question of a message that rejects the last reply, first ("không phải tạm vắng, tôi hỏi khai
    báo tạm trú cho người nước ngoài") or last ("em hỏi làm khai sinh cho con chứ không phải nhận cha
    ạ"); None when it does not, or asks nothing beside it."""
    tokens = text.split()
    folded = [fold(t) for t in tokens]
    for i in range(1, len(tokens) - 1):
        # "… chứ không phải nhận cha ạ", "… cho hai mẹ con, không phải sang tên sổ đỏ."
        chu = folded[i] == "chu" and _REJECTING.fullmatch(" ".join(folded[i + 1 : i + 3]))
        # After a comma only behind a clause of its own ("Dạ, không phải …" opens a rejection: below).
        after_comma = (
            i >= 2 and tokens[i - 1].endswith(",") and _REJECTING.fullmatch(" ".join(folded[i : i + 2]))
        )
        if not (chu or after_comma):
            continue
        first = i + 3 if chu else i + 2
        # The rejected thing ends the sentence; a sentence after it is the question going on ("… chứ
        # không phải tạm trú. Người tạm trú có đăng ký xe ở nơi tạm trú được không?", QA round 18).
        end = next((j + 1 for j in range(first, len(tokens)) if tokens[j][-1:] in ".!?;"), len(tokens))
        named, rest = folded[first:end], tokens[end:]
        if len(named) > _TRAILING_WORDS or "thi" in named:
            if chu:
                return None
            continue
        before = tokens[:i] if chu else [*tokens[: i - 1], tokens[i - 1].rstrip(",")]
        return Rejection(" ".join([*before, *rest]), _naming(tokens[first:end]))
    start = next(
        (i + 1 for i in range(min(len(tokens), 5)) if _REJECTING.fullmatch(" ".join(folded[: i + 1]))),
        None,
    )
    if start is None:
        return None
    for i in range(start, min(len(tokens), start + _REJECT_WORDS + 1)):
        ends = i > start and tokens[i - 1][-1:] in ",.;:!?"
        if ends or _MEANT.fullmatch(" ".join(folded[i : i + 2])):
            if i == len(tokens):
                return None
            return Rejection(" ".join(tokens[i:]), _naming(tokens[start:i]))
    return None


def _naming(words: list[str]) -> str:
    """The words of a rejection that name something, as typed, without those that only point."""
    kept = (w.strip(",.;:!?") for w in words)
    return " ".join(w for w in kept if fold(w) and not _points(w))


def _points(word: str) -> bool:
    """A word that only points back ("cái đó"); typed with accents, only as those words are written
    ("đỏ" of "sổ đỏ" is no "đó")."""
    if fold(word) not in _ONLY_POINTING:
        return False
    return word.isascii() or word.lower() in _POINTING_WRITTEN


def _emoji_gesture(text: str) -> Gesture:
    marks = {ch for ch in text if not ch.isspace() and ch not in _DECORATION}
    if marks and marks <= _APPROVING:
        return Gesture.THANKS
    if marks and marks <= _DISAPPROVING:
        return Gesture.SORRY
    return Gesture.INVITE


def number_list(numbers: tuple[int, ...]) -> str:
    """The valid option numbers in words: "1", "1 hoặc 2", "từ 1 đến 7", "1, 2, 3, 5 hoặc 6"."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return str(numbers[0])
    if len(numbers) >= 3 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"từ {numbers[0]} đến {numbers[-1]}"
    return ", ".join(str(n) for n in numbers[:-1]) + f" hoặc {numbers[-1]}"
