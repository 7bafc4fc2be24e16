"""A short follow-up about the procedure just answered ("thế còn người nước ngoài?", "quá 60 ngày thì
sao"): the sentences of that answer which use every topic word of the message.

Matched on its own, such a message finds whatever else names its words — a visa topic the office
declines, another procedure's penalty — though the citizen is still asking about the answer on screen.
Only the staff's own sentences are shown, never anything composed: when no sentence of the answer
uses all the message's topic words, the follow-up is matched as any other message.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from faq.normalize import clean, fold_accents, fold_word, has_accents
from faq.schema import Entry

FOLLOW_UP_WORDS = 8
"""A message of more words than this is a question of its own, not a follow-up."""
UNPLACED_WORDS = 16
"""The same for a message nothing in the FAQ was found for: "Có cần mang theo giấy tờ gì của cụ không
ạ", "Mẹ con già rồi không tự đi được thì con đi làm thay được không chú" (elderly writers and dictated
messages say more words) are still about the answer on screen rather than nothing at all."""
MAX_PASSAGES = 2
"""Sentences shown at most (the answer's buttons lead to the rest)."""
SHARED_WORDS = 2
"""Words of the message a sentence must use, counting the topic words (fewer if the message has fewer)."""
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def split_outside_brackets(text: str) -> list[str]:
    """A text cut into sentences after ".", ";", "!" or "?", but never inside brackets: "(văn bản
    giám định ADN hoặc của cơ quan y tế; hoặc chứng cứ khác kèm…)" is one alternative, and cut there
    it read as if DNA were required (QA round 16)."""
    out: list[str] = []
    start = depth = 0
    cuts = {m.start(): m.end() for m in _SENTENCE.finditer(text)}
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif i in cuts and depth == 0:
            out.append(text[start:i])
            start = cuts[i]
    out.append(text[start:])
    return out


def passages(entry: Entry) -> list[str]:
    """The sentences an entry's answer is made of, in the order the answer shows them."""
    found: list[str] = []

    def add(texts: Iterable[str]) -> None:
        for text in texts:
            found.extend(s.strip() for s in split_outside_brackets(text) if s.strip())

    add([entry.summary])
    add(entry.documents)
    add([entry.fee, entry.processing_time, entry.where])
    if entry.online is not None:
        add([entry.online.note])
    if entry.postal is not None:
        add([entry.postal.submit, entry.postal.receive])
    add(entry.steps)
    return [s for s in found if s]


def _at_most(found: Iterable[str]) -> tuple[str, ...]:
    """The sentences found, each once, in order, at most MAX_PASSAGES of them."""
    return tuple(dict.fromkeys(found))[:MAX_PASSAGES]


def _saying(entry: Entry, pattern: re.Pattern[str]) -> tuple[str, ...]:
    """The sentences of an entry's answer that `pattern` finds, at most MAX_PASSAGES."""
    return _at_most(s for s in passages(entry) if pattern.search(s))


def _same(typed: str, written: str) -> bool:
    """Whether a word typed matches a word of the answer: as written, or accents off when typed bare."""
    return typed == written or (not has_accents(typed) and typed == fold_word(written))


ASIDE_WORDS = 12
"""A message of more words than this is not read as still being about the answer on screen when a
topic the office declines is nearer ("chồng em đang làm việc ở Nhật thì làm sao ạ" during kết hôn)."""


def aside(text: str) -> bool:
    """Whether a message is short enough to be about the answer on screen though a declined topic is
    nearer (ASIDE_WORDS words at most)."""
    return len(text.split()) <= ASIDE_WORDS


_WHAT_ABOUT = re.compile(
    r"(?:(?:the|vay|the thi|vay thi|a|u|o)\s)*(?:con|neu|con neu|the neu)\s"
    r".*\bthi (?:sao|the nao|lam sao|ra sao)\b.*"
)


def what_about(text: str) -> bool:
    """Whether a message asks about a case of what was just said ("thế còn bố là người nước ngoài thì
    sao", "nếu tôi ở xa thì làm sao"): an aside about the answer on screen."""
    return short(text, UNPLACED_WORDS) and _WHAT_ABOUT.fullmatch(_folded(text)) is not None


_CASE = r"(?:neu|truong hop|khi)"
"""The words that put a case ("nếu", "trường hợp", "khi"), accents off."""
_IF_THEN = re.compile(
    rf"(?:(?:the|vay|a|u|o|con)\s)*(?:{_CASE}\s.*|.*\b(?:da|dang|chua|bi|khong co|ko co|o)\s.*)\sthi\s.+"
)
_IF = re.compile(rf"\b{_CASE}\b")


_CONSEQUENT = re.compile(rf"(?:(?:the|vay|a|u|o|con)\s)*{_CASE}\s.+?\sthi\s(.+)")


def consequent(text: str) -> str | None:
    """What a case put asks ("nếu tôi chỉ tạm trú ở đây thì đăng ký xe ở đâu" -> "dang ky xe o dau",
    accents off), None when the message puts no case."""
    m = _CONSEQUENT.fullmatch(_folded(text))
    return m.group(1) if m else None


def puts_if(text: str) -> bool:
    """Whether a message says "nếu", "trường hợp" or "khi": a case put, not a state told."""
    return _IF.search(_folded(text)) is not None


def if_then(text: str) -> bool:
    """Whether a short question puts a case to what was just said ("nếu trước đây tôi đã ly hôn thì
    cần thêm gì", "trường hợp bố mất rồi thì ai ký", "một người đã ly hôn thì cần thêm gì"): a
    question about the answer on screen."""
    return (
        short(text, UNPLACED_WORDS)
        and _IF_THEN.fullmatch(_folded(text)) is not None
        and asks_more(text, UNPLACED_WORDS)
    )


def _numbered(words: Sequence[str]) -> dict[str, set[str]]:
    """The numbered things words name ("phiếu số 2" -> {"phieu": {"2"}}), accents off."""
    folded = [fold_word(w) for w in words]
    found: dict[str, set[str]] = {}
    for what, so, number in zip(folded, folded[1:], folded[2:], strict=False):
        if so == "so" and number.isdigit():
            found.setdefault(what, set()).add(number)
    return found


def short(text: str, words: int = FOLLOW_UP_WORDS) -> bool:
    """Whether a message is short enough to be a follow-up (`words` words at most)."""
    return len(text.split()) <= words


def explaining(
    entry: Entry, topic: Sequence[str], words: Sequence[str], *, relaxed: bool = False
) -> tuple[str, ...]:
    """The sentences of an entry's answer that use every one of `topic`, at most MAX_PASSAGES of those
    that share most of the message's `words` and word pairs (then the shortest). None when there is
    no topic word or no sentence fits. `relaxed`: see below (only for a message nothing else was found
    for, right after that entry's answer)."""
    topic = [t for t in topic if t.lower() not in _ADDRESS]
    if not topic:
        return ()
    asked = _numbered(words)
    fitting = []
    for order, sentence in enumerate(passages(entry)):
        written = clean(sentence).split()
        said = _numbered(written)
        if any(what in said and not numbers & said[what] for what, numbers in asked.items()):
            continue  # "Phiếu số 1" is not what "phiếu số 2 thì xin thay được không" asks (QA round 18)
        missing = sum(not any(_same(t, w) for w in written) for t in topic)
        hits = [any(_same(t, w) for w in written) for t in words]
        # One topic word may be said otherwise ("đi lại khó" / "không đi lại được") when the
        # sentence shares much of the rest: three topic words at least, and four more words.
        if missing > int(relaxed) or (missing == 1 and (len(topic) < 3 or sum(hits) < len(topic) + 3)):
            continue
        if sum(hits) < min(SHARED_WORDS, len(words)):
            continue  # one topic word met by chance ("khác tỉnh" in "mức HĐND tỉnh")
        pairs = sum(
            any(_same(a, x) and _same(b, y) for x, y in itertools.pairwise(written))
            for a, b in itertools.pairwise(words)
        )
        fitting.append((-(sum(hits) + pairs), len(written), order, sentence))
    fitting.sort()
    best = [f for f in fitting if f[0] == fitting[0][0]] if fitting else []
    return tuple(sentence for *_, sentence in best[:MAX_PASSAGES])


_ADDRESS = frozenset({"bác", "chú", "cô", "dì", "cụ", "bac", "chu", "ad", "admin"})
"""How citizens address the office or call themselves ("bác già đi không được thì sao"): never what
a sentence must say. Kin words that are content ("vợ chồng", "ông bà", "con") stay, and so do
unaccented words that are others' too ("co" is "có", "di" is "đi")."""


def _folded(text: str) -> str:
    """A message cleaned and accents off, as the patterns below are written."""
    return fold_accents(clean(text))


_LATE = re.compile(
    r"\b(?:bi phat|phat (?:bao nhieu|bao nhiu|bnhieu|bn|nhieu|nhiu|the nao|ntn|sao|gi|j|ko|khong|k)|phat tien"
    r"|nop phat|muc phat"
    r"|qua han|tre han|lo han|de lau|lam muon|lam tre|den muon|muon qua|cham qua|qua thoi han"
    r"|qua \d+ (?:ngay|thang|nam))\b"
)


_AWAITED = re.compile(r"\b(?:nop|hen|gui)\b.*\bchua (?:co|nhan|thay|xong|tra)\b")
"""The citizen filed and the result has not come ("nộp quá 3 ngày rồi mà chưa có"): the office is late."""


def asks_if_late(text: str, words: int = FOLLOW_UP_WORDS) -> bool:
    """Whether a short message asks what happens when it is done late or what the penalty is ("có
    bị phạt không", "quá hạn thì sao", "làm muộn có sao không"): after an answer, about that procedure.
    Not when the result is what is late ("nộp quá 3 ngày rồi mà chưa có thì hỏi ai", QA round 17: it
    got tạm trú's penalty sentence)."""
    folded = _folded(text)
    return short(text, words) and _LATE.search(folded) is not None and _AWAITED.search(folded) is None


_ON_BEHALF = re.compile(
    r"\b(?:lam thay|lam ho(?! (?:chieu|khau|kinh|tich|ngheo|so))|lam gium|lam dum|lam giup|di thay|nop thay"
    r"|nop ho(?! so)|nop gium|nop dum|di ho(?! (?:chieu|so))|di gium"
    r"|nho (?:nguoi|ai|ong|ba|bo|me|con|chau|anh|chi|em|vo|chong|ban)|thay (?:cho|minh|em|toi|tui)"
    r"|xin thay|xin ho(?! (?:chieu|khau|so))|xin gium|xin dum|lay thay|lay ho(?! (?:chieu|khau|so))"
    r"|lay gium|lay dum|nhan thay|nhan ho(?! (?:chieu|khau|so|kinh))|nhan gium|nhan dum"
    r"|ai (?:di )?(?:lam|nop|xin|lay|nhan|di|dang ky)(?: \w+)? (?:cung duoc|duoc khong|duoc ko|dc ko|dc k)"
    r"|uy quyen (?:cho )?(?:nguoi|ng|ai|con|em|anh|chi|ba|me|bo|vo|chong)"
    r"|(?:lam|xin|nop|lay|di|dang ky)(?: \w+){0,3} giup (?:cho )?"
    r"(?:chau|con|anh|chi|bo|me|ba|ong|nguoi|hang xom))\b"
)
_BY_MEANS = re.compile(
    r"\b(?:tren|qua|bang)\s(?:app\s|ung dung\s|trang\s)?"
    r"(?:vneid|vn eid|dinh danh|cong dich vu cong|dich vu cong|dvc|dvcqg|cong dvc|mang|online"
    r"|dien thoai|zalo)\b"
)


def by_means(text: str, words: int = UNPLACED_WORDS) -> bool:
    """Whether a short message asks about doing something through a channel ("làm trên vneid được
    không", "nộp qua dịch vụ công được ko"): the channel is how, not what, it asks about."""
    return short(text, words) and _BY_MEANS.search(_folded(text)) is not None


AUTHORITY = ("ủy", "quyền")
"""How an answer says that someone else may do it for the citizen."""


_WHOM = re.compile(r"\b(?:hoi|lien he|lien lac|gap|goi|tim|bao|nho) ai(?: day| bay gio)?\s*$")


def asks_whom(text: str) -> bool:
    """Whether a short message asks whom to turn to ("vậy thì hỏi ai", "liên hệ ai ạ")."""
    return short(text) and _WHOM.search(_POLITE_END.sub("", _folded(text).rstrip(" ?.!"))) is not None


def on_behalf(text: str, words: int = FOLLOW_UP_WORDS) -> bool:
    """Whether a short message asks if someone else can do it for the citizen ("người nhà làm thay
    được không", "nhờ người khác nộp hộ được không"): answers say that as "ủy quyền"."""
    return short(text, words) and _ON_BEHALF.search(_folded(text)) is not None


_WHO_DOES_WORDS = r"ai (?:phai |can |se )?(?:lam|di|nop|ky|den|ra|dung ten|co mat)"
"""Who does it asked ("ai phải đi làm", "ai ký"), accents off."""
_ASKING = re.compile(
    r"\b(?:khong|ko|k|hong|hok|chua|sao|gi|chi|nao|dau|ai|may|bao|nhieu|ha|hay|nhi|ntn|the|rang|mo"
    r"|duoc|dc|co phai|phai (?:khong|ko|k))\s*$|\b(?:thi sao|the nao|lam sao|ra sao|duoc khong|duoc ko"
    r"|co (?:can|phai|duoc|bi|mat|ton|the)|hay khong|hay ko|bao lau|khi nao|luc nao|o dau"
    rf"|{_WHO_DOES_WORDS}"
    r"|thi ai)\b"
)


_POLITE_END = re.compile(r"(?:\s(?:a|ah|ak|nhe|nha|ad|anh|chi|em|chu|co|bac))+$")
"""Politeness at the end of a message ("… được không ạ", "… là được ạ", "… nhé anh"), accents off."""
_ASKING_PARTICLE = re.compile(r"\s(?:à|hả|hở|chứ)\s*[?.!]*$", re.IGNORECASE)
"""A question particle ending a message as typed ("phải cả hai vợ chồng ký à"): "à" is no "ạ"."""


def asks_more(text: str, words: int = FOLLOW_UP_WORDS) -> bool:
    """Whether a short message is a question ("bé có phải đi không", "điện thoại hỏng thì sao",
    "phải về quê làm hả", "cháu đi cùng bố mẹ là được ạ"): after an answer, one about that procedure
    unless it names another."""
    if not short(text, words):
        return False
    folded = _folded(text).rstrip(" .!")
    return (
        "?" in text
        or _ASKING.search(folded) is not None
        or _ASKING.search(_POLITE_END.sub("", folded)) is not None
        or _ASKING_PARTICLE.search(text) is not None
    )


class Limit(StrEnum):
    """Which time limit a question asks: by when to do it, or how long the result is good for."""

    DEADLINE = "deadline"
    VALIDITY = "validity"


_ASKS_DEADLINE = re.compile(
    r"\b(?:(?:bao lau|may ngay|bao nhieu ngay|may thang)(?: thi)? (?:phai|bat buoc)"
    r"|phai (?:\w+ ){0,3}(?:trong|truoc) (?:bao lau|may ngay|bao nhieu ngay|thoi gian nao)"
    r"|(?:lam|gia han|nop|khai|dang ky|doi) truoc (?:bao lau|may ngay|bao nhieu ngay|may thang)"
    r"|trong (?:vong )?bao lau (?:phai|thi phai)|han chot|han cuoi"
    r"|(?<!thoi )(?<!gia )han (?:la )?(?:bao lau|may ngay|bao nhieu ngay|may thang)"
    r"|(?:con|co) kip (?:khong|ko|k|hong|hok)"
    r"|cham nhat (?:la )?(?:bao lau|may ngay|khi nao)"
    r"|tre nhat (?:la )?(?:bao lau|may ngay|khi nao)|thoi han (?:dang ky|khai|khai bao|nop|lam|bao))\b"
)
_ASKS_VALIDITY = re.compile(
    r"\b(?:(?:dung|xai|su dung) (?:duoc )?(?:trong )?(?:bao lau|may thang|may nam)"
    r"|(?:co )?gia tri (?:trong )?(?:bao lau|may thang|may nam)"
    r"|hieu luc (?:trong )?(?:bao lau|may thang|may nam)"
    r"|han su dung|duoc bao lau|het han khi nao|bao lau (?:thi )?het han"
    r"|co (?:thoi han|han|het han|gia tri mai)(?: su dung)? (?:khong|ko|k|hong|mai khong|vinh vien khong))\b"
)
_STATES_DEADLINE = re.compile(
    r"\b(?:trong|trong vòng) (?:\d+|\w+) (?:ngày|tháng|năm)|\d+ (?:ngày|tháng) kể từ|trước khi hết hạn"
    r"|\d+ (?:ngày|tháng|năm)(?: liên tục)? trở lên",
    re.IGNORECASE,
)
_STATES_VALIDITY = re.compile(
    r"có giá trị|có thời hạn|thời hạn dùng|thời hạn tạm trú|hết giá trị|giá trị sử dụng", re.IGNORECASE
)


def asks_limit(text: str, words: int = FOLLOW_UP_WORDS) -> Limit | None:
    """Which time limit a short message asks ("bao lâu phải khai", "giấy này dùng được bao lâu"), if
    one: not the processing time, which "bao lâu" alone asks."""
    if not short(text, words):
        return None
    folded = _folded(text)
    if _ASKS_DEADLINE.search(folded):
        return Limit.DEADLINE
    if _ASKS_VALIDITY.search(folded):
        return Limit.VALIDITY
    return None


def limit_sentences(entry: Entry, limit: Limit) -> tuple[str, ...]:
    """The sentences of an entry's answer that state that limit (for a deadline its processing time and
    fee aside: "không quá 10 ngày kể từ ngày nhận đủ hồ sơ" is how long the office takes; a validity
    may be said there: "Giấy có giá trị 01 năm kể từ ngày cấp")."""
    office_side = {
        s.strip()
        for text in ((entry.processing_time, entry.fee) if limit is Limit.DEADLINE else ())
        for s in _SENTENCE.split(text or "")
        if s.strip()
    }
    pattern = _STATES_DEADLINE if limit is Limit.DEADLINE else _STATES_VALIDITY
    found = [s for s in passages(entry) if s not in office_side and pattern.search(s)]
    return _at_most(found)


_LACKING = r"(?:khong|chua|hong|ko|k|chang|cha|mat|thieu)\s(?:co\s|mang\s|duoc\s|xin\s)?(?:\w+\s){0,2}"
"""Words that say a paper is missing, then up to two words before its name ("không có giấy chứng
sinh", "hổng có cái giấy chứng sinh", "mất bản chính …"), accents off."""
_WITHOUT_IT = re.compile(
    r"không có\b|nếu không\b|thay cho\b|thay thế\b|giấy tờ thay\b|nếu sinh ở nhà", re.IGNORECASE
)
"""How an item of papers or steps says what to do without the paper it names."""
_PLAIN = frozenset(
    {"ban", "chinh", "sao", "giay", "to", "cua", "do", "va", "hoac", "cac", "nhung", "chuan", "bi"}
)
"""Words of an item's paper that name no paper in particular ("bản chính", "giấy tờ", "chuẩn bị")."""


def without_paper(entry: Entry, text: str) -> tuple[str, ...]:
    """The items of an entry's papers and steps that say what stands in for a paper the message says
    it lacks ("hổng có giấy chứng sinh, dzậy làm khai sanh sao đây": «Bản chính giấy chứng sinh; không
    có thì văn bản của người làm chứng…»), whole, at most MAX_PASSAGES; none when it lacks none."""
    typed = _folded(text)
    if not short(text, UNPLACED_WORDS * 2) or not re.search(_LACKING, typed):
        return ()
    found: list[str] = []
    for item in (*entry.documents, *entry.steps):
        head, parted, rest = item.partition(";")
        if not parted:
            head = rest = item  # "Giấy báo tử hoặc giấy tờ thay giấy báo tử"
        if not _WITHOUT_IT.search(rest):
            continue
        words = _folded(head).split()
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(words) if a not in _PLAIN or b not in _PLAIN]
        if any(re.search(rf"\b{_LACKING}{re.escape(pair)}\b", typed) for pair in pairs):
            found.append(item)
    return _at_most(found)


_LATE_SAID = re.compile(r"quá hạn|trễ hạn|muộn|xử phạt|bị phạt|phạt tiền", re.IGNORECASE)
_ON_TIME_SAID = re.compile(r"đúng hạn", re.IGNORECASE)


def late_sentences(entry: Entry) -> tuple[str, ...]:
    """The sentences of an entry's answer that say what lateness costs ("Khai sinh quá hạn … nộp lệ phí
    theo mức HĐND tỉnh", "Không đăng ký tạm trú có thể bị xử phạt…"), else what doing it on time
    spares; at most MAX_PASSAGES."""
    said = passages(entry)
    found = [s for s in said if _LATE_SAID.search(s)] or [s for s in said if _ON_TIME_SAID.search(s)]
    return _at_most(found)


_CANNOT_COME = re.compile(
    r"\b(?:liet giuong|nam liet|nam vien|benh nang|gia yeu|xe lan|bai liet|di lai kho|khong the di"
    r"|(?:khong|ko|k|hong|chang) (?:tu )?(?:di|ra|len) (?:lai )?(?:duoc|dc|noi)"
    r"|(?:khong|ko|k) phai (?:dua|cho) .{1,30}\b(?:di|ra|len)\b)"
)
_COMES_TO_THEM = re.compile(r"không đi lại được|ngoài trụ sở|đến làm tại nhà", re.IGNORECASE)


def cannot_come(text: str) -> bool:
    """Whether a message says the person cannot come to the office ("mẹ tôi nằm liệt giường", "bố già
    yếu không đi được", "có cách nào làm mà không phải đưa bà đi không")."""
    return short(text, UNPLACED_WORDS * 2) and _CANNOT_COME.search(_folded(text)) is not None


def home_sentences(entry: Entry) -> tuple[str, ...]:
    """The sentences of an entry's answer about someone who cannot come ("Người già yếu, bệnh nặng không
    đi lại được có thể đề nghị công an đến làm tại nhà"), at most MAX_PASSAGES."""
    return _saying(entry, _COMES_TO_THEM)


_WHO_SAID = re.compile(
    r"cha hoặc mẹ|vợ hoặc chồng|hai bên nam|cả hai|người thân thích|đi cùng|có mặt"
    r"|(?:ký|thủ tục|nộp|xin|yêu cầu) thay(?! đổi)",
    re.IGNORECASE,
)


def names_someone(text: str) -> bool:
    """Whether a message says who ("ai", a person, both parties), not only how ("có phải đến trực tiếp
    không" asks whether one must come, which no sentence on who does it answers)."""
    return _SOMEONE.search(_folded(text)) is not None


_SOMEONE = re.compile(
    r"\b(?:ai|nguoi|ben|cha|me|bo|con|vo|chong|ong|chau|be|anh|em|bac|chu|ca hai|hai ben)\b"
)
"""People, accents off; not "cô", "dì", "chị", "cả", which are "có", "đi", "chỉ", "cá" typed bare."""


def who_sentences(entry: Entry) -> tuple[str, ...]:
    """The sentences of an entry's answer that say who does it or must come ("Cha hoặc mẹ đăng ký khai
    sinh cho con…", "cả hai phải cùng có mặt"), at most MAX_PASSAGES."""
    return _saying(entry, _WHO_SAID)


_TAX = re.compile(r"\bthuế\b")
_OTHER_FEE = re.compile(r"\b(?:phí|lệ phí|tiền|giá|tốn|cước)\b")


def tax_sentences(entry: Entry, text: str) -> tuple[str, ...]:
    """When a message asks about tax and no other charge ("thuế thì nộp thế nào") and the entry's fee
    does not speak of tax: the sentences of its answer that do (the tax is not the procedure's fee)."""
    said = clean(text)
    if _TAX.search(said) is None or _OTHER_FEE.search(said) or _TAX.search(entry.fee.lower()):
        return ()
    return _at_most(s for s in passages(entry) if _TAX.search(s.lower()))


_WHO_COMES = frozenset(
    (
        "cha", "me", "ma", "bo", "ba", "tia", "con", "vo", "chong", "ong", "chau", "be", "co", "chu",
        "di", "cau", "bac", "noi", "ngoai", "hai", "ben", "cac", "ca", "cung", "mat", "ky", "ten",
        "ra", "den", "theo", "phai", "can", "nop", "lam", "truc", "tiep", "nguoi", "xa", "vang", "minh",
        "ho", "dong", "y", "de", "tuoi", "khai", "tu", "mot"
    )
)  # fmt: skip
"""Words of a question about who must come or sign ("bố mẹ có phải đi cùng không", "hai bên có phải
cùng có mặt không"), accents off: about the answer on screen, whatever title has those people. Also
whose consent ("chủ hộ", "đồng ý", "bố mẹ đẻ") and who fills the form for a child of an age
("con dưới 14 tuổi thì ai ký tờ khai", QA round 15)."""


_ALONE = re.compile(r"\b(?:tu (?:di|lam|nop|minh)|mot minh)\b")


def goes_alone(text: str) -> bool:
    """Whether a message asks about going alone or oneself ("cháu tự đi được không", "tôi đi một mình
    được không")."""
    return _ALONE.search(_folded(text)) is not None


_ALONE_SAID = re.compile(
    r"cha hoặc mẹ|cả hai|đi cùng|có mặt|phải (?:\w+ ){0,2}trực tiếp|trực tiếp trước mặt"
    r"|sinh trắc học trực tiếp|ủy quyền|(?:ký|thủ tục|nộp|xin|yêu cầu) thay(?! đổi)",
    re.IGNORECASE,
)
"""What says who must come: "trực tiếp" only as in person ("phải đến trực tiếp", "ký trực tiếp trước
mặt"), not the channel ("15.000 đồng/lần khi nộp trực tiếp" was quoted to "hay vợ phải tự đi?" after
tạm trú, QA round 18)."""


def alone_sentences(entry: Entry) -> tuple[str, ...]:
    """The sentences of an entry's answer that say who must come or may come instead (for "phải tự đi
    à": not "vợ hoặc chồng đã mất", which who_sentences takes for who does it), at most MAX_PASSAGES."""
    return _saying(entry, _ALONE_SAID)


def who_comes(topic: Sequence[str], text: str = "") -> bool:
    """Whether a message's topic words only say who must come, sign or be present, or it asks who does
    ("ai phải đi làm", "ai ký")."""
    if not topic:
        return _WHO_DOES.search(_folded(text)) is not None
    # "xa" is far ("bố đi làm xa"), "xã" the commune ("bố không đến xã được" is someone who cannot come).
    return all(fold_word(t) in _WHO_COMES and t.lower() != "xã" for t in topic)


_WHO_DOES = re.compile(rf"\b{_WHO_DOES_WORDS}\b")


_SAY_NOTHING = frozenset(
    {
        "dang ky",
        "thu tuc",
        "giay to",
        "ho so",
        "nop ho",
        "bao nhieu",
        "bay gio",
        "le phi",
        "phi le",
        "khai bao",
        "giay phep",
        "chu ho",
    }
)
"""Two title words in a row that name no entry in particular ("Đăng ký tạm trú"; "lệ phí" of «Thanh
toán phí, lệ phí trực tuyến» and "nộp hồ sơ" of «Nộp hồ sơ trực tuyến…», which every procedure has;
"khai báo" of «Khai báo tạm vắng»; "giấy phép" of a building permit and a driving licence alike, which
a company's registration certificate is called too; "chủ hộ", the person whose consent residence
procedures ask, in an office's title such as «Thay đổi chủ hộ»)."""


_KIN_WORDS = frozenset({"cha", "me", "bo", "con", "vo", "chong", "ong", "ba", "anh", "chi", "em", "chau"})
"""Two of these in a row ("cha mẹ" of «Đăng ký nhận cha, mẹ, con») say whose, not which procedure: "bố mẹ
có phải đi cùng không" after a child's ID card asks about that card."""


def names(entry: Entry, words: Sequence[str]) -> bool:
    """Whether a message's words (abbreviations expanded) name an entry: two words in a row of its
    title, or one of its keywords, accents off ("còn tạm trú thì sao" names «Đăng ký tạm trú»;
    "công an có tới nhà không" does not)."""
    return bool(naming(entry, words))


def naming(entry: Entry, words: Sequence[str]) -> tuple[str, ...]:
    """The phrases by which a message's words name an entry (see `names`), accents off."""
    typed = f" {fold_accents(' '.join(words))} "
    title = _folded(entry.title).split()
    phrases = [
        f"{a} {b}"
        for a, b in itertools.pairwise(title)
        if f"{a} {b}" not in _SAY_NOTHING and not (a in _KIN_WORDS and b in _KIN_WORDS)
    ]
    phrases += [_folded(k) for k in entry.keywords]
    return tuple(p for p in phrases if p and f" {p} " in typed)


def names_beyond(entry: Entry, other: Entry, words: Sequence[str]) -> bool:
    """Whether words name `entry` by a phrase that does not also name `other` ("mất biển số" names
    «Cấp số nhà, gắn biển số nhà» only through "biển số", which names vehicle registration)."""
    theirs = naming(other, words)
    return any(not any(mine in phrase for phrase in theirs) for mine in naming(entry, words))
