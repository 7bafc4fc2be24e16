"""Reading a whole message before matching: sentences, what to set aside, where the question is.

Citizens often write a letter: a greeting, who they are (name, birth year, address, ID number), the
story, and the question last ("Vậy tôi phải làm thủ tục gì?"). Matching all of it would let names
and numbers count as topic words and drown the question in the story; matching only the first
characters would miss the question. So a message is read whole, in linear time:
- split into sentences, and each sentence into clauses;
- greetings, self-introductions and closing thanks are set aside, and so are personal data (names
  after "tên là", capitalised full names, ID and phone numbers, dates, e-mails, street addresses);
- the sentences that ask are found by how question-like they are (a "?", question words);
- what is matched keeps the asking sentences and the story nearest to them, within a budget, in
  the order they were written.
Pure and deterministic: faq.matcher calls it, and tests can call it alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from faq.normalize import fold_accents

_SENTENCE = re.compile(r"(?<=[.!?…;])\s+|\n+|(?<=[?!])(?=\S)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CLAUSE = re.compile(r",\s*")
# Personal data and noise that never names a procedure (each pattern linear: no nested repeats).
_EMAIL = re.compile(r"[^\s@]{1,64}@[^\s@]{1,255}")
"""Bounded on both sides: an unbounded \\S+ before '@' backtracks over a long run without spaces."""
_LINK = re.compile(
    r"(?i:\b(?:https?://|www\.)[^\s<>\"']{1,2000}"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,4}\.(?:vn|com|net|org|gov|edu|info|me|io)\b"
    r"(?:/[^\s<>\"']{0,2000})?)"
)
"""A pasted link ("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html", "vneid.gov.vn"): read as its
site's name ("dichvucong", which the FAQ's synonyms know), since its path's words (p, home, trang, chu,
html) are no one's question and its '?' and '.' would split sentences."""


def _site(link: re.Match[str]) -> str:
    """The name of a link's site: the first label of its host that is not www."""
    host = re.sub(r"(?i)^(?:https?://)?", "", link.group())
    labels = [label for label in re.split(r"[/?#:]", host, maxsplit=1)[0].split(".") if label]
    named = [label for label in labels if label.lower() not in ("www", "m")]
    return f" {named[0]} " if named else " "


_DATE = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?\b")
_LONG_NUMBER = re.compile(r"(?:\+?\d[\d .-]{6,}\d)")
_INTRODUCER = re.compile(
    r"(?i:\b(?:tên(?: là)?|ten(?: la)?|họ tên|ho ten|tôi là|toi la|em là|em la|mình là|minh la|"
    r"cháu là|chau la|con là|con la|vợ tôi|chồng tôi|ông|bà|anh|chị|cháu|bé|cô|chú|viện|trường|công ty|"
    r"phường|xã|tỉnh|thành phố|tp|quận|huyện|thị xã|thị trấn|thôn|ấp|làng|bản|tổ dân phố|đường|phố|"
    r"phuong|xa|tinh|thanh pho|quan|huyen|thi xa|thi tran|thon|ap|lang|duong|pho))(?=\s)"
)
"""A word that introduces a name or a place: the capitalised words just after it (up to four) are a
name and are set aside (see _drop_names); every introducer is tried ("vợ tôi tên Thu Hà")."""
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh", "Đào", "Trương", "Lâm", "Mai", "Cao", "Tô", "Trịnh", "Hà", "Lưu",
    "Tạ", "Châu", "Thái", "Lương", "Quách", "Kiều", "Đoàn", "Tăng", "Triệu", "Nông", "Lò", "Hứa",
    "Chu", "Vương", "Khổng",
)  # fmt: skip
_SURNAME = "|".join(sorted({*_SURNAMES, *(fold_accents(n) for n in _SURNAMES)}, key=len, reverse=True))
_FULL_NAME = re.compile(rf"\b(?:{_SURNAME})(?:\s+[^\W\d_]+){{1,3}}")
_ADDRESS = re.compile(
    r"(?i)\b(?:số nhà|so nha|số|so|ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet|tổ|to|thôn|thon|ấp|ap|"
    r"khu phố|khu pho|xóm|xom|đường|duong|phố|pho)\s+\d+[\w/]*"
)

_GREETING = re.compile(
    r"(?:(?P<particle>da|vang|alo)\s+)?"  # "Dạ chào ad", "vâng thưa anh"
    r"(?:(?:em|e|toi|tui|minh|chau|con|anh|chi)\s+)?"  # "em chào", "e chao a", "cháu chào bác"
    r"(?P<polite>(?:(?:xin|kinh)\s+){1,2})?(?:(?P<verb>chao|gui|thua)\b|(?:hello|hi|alo|dear)\b)"
)
"""How a greeting starts (accents off): an optional "dạ"/"vâng", an optional "em"/"tôi"…, then
"(xin) (kính) chào", "kính gửi", "(kính) thưa", or "hello", "hi", "alo", "dear"."""
_INTRO_STARTS = ("toi la", "em la", "minh la", "chau la")
_NAME_STARTS = (
    "toi ten", "em ten", "minh ten", "chau ten", "con ten", "ten toi", "ten em", "ten minh", "ho ten",
)  # fmt: skip
"""These introduce only when a name follows (capitalised or a surname, after an optional "là") or the
clause is short: "tôi tên Nguyễn Văn An", "toi ten nguyen van an", "em tên Lan" do; "con tên trên giấy
khai sinh bị sai" and "tên tôi trên căn cước bị sai" say what the message is about."""
_SURNAME_FOLDS = frozenset(fold_accents(n).lower() for n in _SURNAMES)
_SHORT_NAME = 5
"""A clause of this many words at most that starts like "em tên" is a name ("em ten lan")."""
_FIELD_STARTS = (
    "toi sinh nam", "toi sinh ngay", "em sinh nam", "em sinh ngay", "sinh nam", "nam sinh", "toi nam nay",
    "em nam nay", "nam nay toi", "nam nay em", "toi hien", "em hien", "hien tru", "tru tai", "dia chi",
    "que quan", "que toi",
)  # fmt: skip
"""These introduce only when the clause gives a value — a number, a name, a place: "quê quán Nam Định",
"trú tại tổ 5", "em sinh năm 1995" do; "quê quán trong giấy khai sinh ghi sai" and "địa chỉ trên căn
cước bị sai" say what the message is about."""
_ID_STARTS = ("sdt", "so dien thoai", "so cccd", "so can cuoc", "cccd", "cmnd", "email")
"""These introduce only when the clause gives the number (eight digits or more) or address: "cccd
0012…" does; "cccd bị mất" and "cccd hết hạn năm 2025" name what the message is about."""
_PLACE_WORDS = frozenset(("thon", "phuong", "huyen", "ap", "xom", "kiet", "hem", "ngo", "khu"))
"""Words that start an address ("thôn Đông", "phuong hoang liet"), accents off; "tổ", "xã", "số" and
"tỉnh" are left out: without accents they are also "to", "xa", "so", "tinh"."""
_SHORT_FIELD = 4
"""A field this short is its value ("que quan nam dinh"): what a message is about takes more words."""
_VALUE_WINDOW = 3
"""The value follows its field within this many words ("trú tại tổ 5", "năm nay tôi 65 tuổi"); a number
further on belongs to the story ("năm nay tôi thuê đo đạc lại thì diện tích là 95m2")."""


_PROBLEM = re.compile(r"\b(?:bi|sai|nham|sua|het han|thay doi|cap nhat|khong khop|khong dung|chua co|thi)\b")
"""Words that make a field what the message is about ("địa chỉ trên VNeID bị sai số nhà", "sinh năm 2001
thì tới tuổi mấy phải đổi"), accents off."""


_ID_PROBLEM = re.compile(rf"{_PROBLEM.pattern}|\b(?:mat|khoa)\b")
"""The same for a number given ("sdt cũ 0912… mất sim rồi" is what the message is about: it was taken
for a self-introduction and the message for a greeting)."""


def _gives_value(clause: str, skip: int) -> bool:
    """Whether a clause that starts with a field (its first `skip` words) gives its value just after it
    — a number, an e-mail address, a name or a place — and names no problem with it."""
    if _PROBLEM.search(_fold(clause)):
        return False
    words = clause.replace(":", " ").split()
    if len(words) <= _SHORT_FIELD:
        return True
    value = words[skip : skip + _VALUE_WINDOW]
    if any(c.isdigit() or c == "@" for c in "".join(value)) or any(w[:1].isupper() for w in value):
        return True
    return any(_fold(w).strip() in _PLACE_WORDS for w in value)


_VERB_GREETINGS = ("gui", "thua")
"""Without accents "gửi" (to) and "thưa" (dear) are also "gửi hồ sơ" (send) and "thừa kế" (inherit):
they greet only before an addressee."""
_ADDRESSEES = frozenset((
    "anh", "chi", "em", "ad", "admin", "phuong", "xa", "ubnd", "quy", "ong", "ba", "co", "chu", "bac",
    "can bo", "bo phan", "uy ban", "luat su", "ban bien", "toa soan", "moi nguoi", "cac anh", "cac co",
    "cac chu", "cac can", "cac ban",
))  # fmt: skip
"""Whom a greeting addresses (accents off; a word, or two where one alone is ambiguous: "cán bộ" but
not "căn cước", "các anh" but not "các giấy tờ")."""


_CALL_WORDS = 4
"""A clause of this many words at most that ends in "ơi" calls someone ("Bà con ơi,", "ad ơi")."""
_CALL = re.compile(r"oi+")
""""ơi" accents off, stretched or not ("oiii"); not "ở" ("nhà tôi ở")."""


def _greets(clause: str, folded: str, words: list[str]) -> bool:
    """Whether a clause is a greeting: it starts like one, asks nothing, and a "gửi"/"thưa" in front is
    followed by whom it addresses (a word of _ADDRESSEES, or a capitalised one)."""
    if _asks(clause):
        return False
    if 2 <= len(words) <= _CALL_WORDS and _CALL.fullmatch(words[-1]):
        return True  # "Bà con ơi", "anh chị ơi", "phường ơi": a call, not content
    start = _GREETING.match(folded)
    if start is None:
        return False
    verb = start.group("verb")
    if verb == "gui" and start.group("particle") == "da":
        return False  # "da gui" is "đã gửi" (sent)
    if verb in _VERB_GREETINGS and not start.group("polite"):  # "kính gửi …" always greets
        after = len(folded[: start.end()].split())  # the words up to and including the verb
        written = clause.split()
        addressee = words[after : after + 1] and (
            words[after] in _ADDRESSEES or " ".join(words[after : after + 2]) in _ADDRESSEES
        )
        return bool(addressee) or (len(written) > after and written[after][:1].isupper())
    return True


def _name_follows(clause: str, skip: int, length: int) -> bool:
    """Whether the words after the first `skip` ones (and an optional "là") begin a name, or the clause is
    short enough to be one."""
    if length <= _SHORT_NAME or any(c.isdigit() for c in clause):
        return True
    rest = clause.split()[skip:]
    if rest and fold_accents(rest[0].lower()) == "la":
        rest = rest[1:]
    return bool(rest) and (rest[0][:1].isupper() or fold_accents(rest[0].lower()) in _SURNAME_FOLDS)


_THANKS_MARKS = ("cam on", "camon", "thanks", "thank", "tks", "thks", "thanh kiu")
_CLOSING_MARKS = (
    *_THANKS_MARKS, "xin tran trong", "tran trong", "mong nhan duoc", "mong duoc", "rat mong",
    "mong luat su", "mong ban", "mong quy", "mong anh chi", "mong cac",
)  # fmt: skip
_ASK_WORDS = (
    " gi", " sao", " nao", " khong", " ko", " k", " hong", " hok", " ko a", " chua", " bao nhieu",
    " bao lau", " o dau", " dau", " the nao", " ntn", " nhu nao", " lam sao", " duoc khong",
    " co duoc", " co phai", " hay khong", " xin hoi", " cho hoi", " muon hoi", " can hoi",
    " tu van", " huong dan", " giai dap", " phai lam", " can gi", " the nao", " ra sao", " khong a",
    " mat bao", " het bao", " bao gio", " bn", " dc ko", " duoc ko",
)  # fmt: skip


LETTER_SENTENCES = 2
"""A message of more sentences than this is a letter rather than a chat message."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What of a message is matched."""

    text: str
    """The sentences to match, cleaned of greetings, introductions and personal data, in order."""
    question: str
    """The most question-like sentence with the story just before it (equal to `text` for short
    messages)."""
    model: str
    """What the sentence model reads: like `text`, within the model's smaller budget."""
    sentences: int
    """Sentences in the message as written."""
    set_aside: int
    """Sentences or clauses set aside as greeting, introduction or closing."""
    empty: bool = False
    """Every sentence was a greeting, an introduction or a closing: the message asks nothing yet."""

    @property
    def is_letter(self) -> bool:
        """Whether the message tells a story in several sentences (LETTER_SENTENCES)."""
        return self.sentences > LETTER_SENTENCES


def _fold(text: str) -> str:
    return " " + fold_accents(text.lower()) + " "


def _strip_personal(text: str) -> str:
    """The text without e-mails, long numbers, dates, house addresses and people's names."""
    text = _EMAIL.sub(" ", text)
    text = _ADDRESS.sub(" ", text)
    text = _DATE.sub(" ", text)
    text = _LONG_NUMBER.sub(" ", text)
    text = _drop_names(text)
    text = _FULL_NAME.sub(_drop_full_name, text)
    return re.sub(r"\s{2,}", " ", text).lstrip(" ,.;:-").rstrip(" ,")


def _capitalised_lead(words: list[str]) -> int:
    """How many of the words, from the first, are capitalised (a name's syllables)."""
    n = 0
    while n < len(words) and words[n][:1].isupper():
        n += 1
    return n


def _drop_names(text: str) -> str:
    """The text without the capitalised words (up to four) that follow each introducing word."""
    spans: list[tuple[int, int]] = []
    for m in _INTRODUCER.finditer(text):
        position = m.end()
        for _ in range(4):
            word = _NEXT_WORD.match(text, position)
            if word is None or not word.group(1)[:1].isupper():
                break
            spans.append(word.span(1))
            position = word.end()
    if not spans:
        return text
    out, last = [], 0
    for start, end in sorted(set(spans)):
        if start >= last:
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    return "".join(out)


def _drop_full_name(m: re.Match[str]) -> str:
    """A surname and at least one capitalised given name dropped ("Nguyễn Văn An"), else kept."""
    words = m.group(0).split()
    n = _capitalised_lead(words)
    if n >= 2:
        return " " + " ".join(words[n:])
    return m.group(0)


def _kind(clause: str) -> str:
    """'greeting', 'intro', 'closing' or 'content' for one clause."""
    f = " ".join(_fold(clause).replace(":", " ").split()) + " "  # "Địa chỉ: số 5…" is "địa chỉ số 5…"
    words = f.split()
    if len(words) <= 8 and _greets(clause, f, words):
        return "greeting"
    if any(m in f for m in _CLOSING_MARKS) and not _asks(clause):
        return "closing"
    number = "@" in clause or bool(_LONG_NUMBER.search(clause))
    gives_id = number and any(f.startswith(m + " ") for m in _ID_STARTS) and not _ID_PROBLEM.search(f)
    field = next((m for m in _FIELD_STARTS if f.startswith(m + " ")), None)
    gives_field = field is not None and _gives_value(clause, len(field.split()))
    name_start = next((m for m in _NAME_STARTS if f.startswith(m + " ")), None)
    gives_name = name_start is not None and _name_follows(clause, len(name_start.split()), len(words))
    introduces = gives_id or gives_field or gives_name or any(f.startswith(m + " ") for m in _INTRO_STARTS)
    if introduces and len(words) <= 25 and not _asks(clause) and not _WANTS.search(f):
        return "intro"
    return "content"


_WANTS = re.compile(
    r"\b(?:muon|can|xin|de nghi|dinh|tinh)\s+(?:duoc\s+)?(?:dang ky|lam|cap|doi|gia han|chung thuc|sao y"
    r"|sang ten|tach|nhap|chuyen|khai|bao|xac nhan|nop|hoi|giay|the|so|ban sao|bang)\b"
)
"""What the writer wants done, said in the same clause as who they are ("Tôi là Lê Văn Tám, số CCCD …
muốn đăng ký tạm trú cho tôi tại số 12"): the clause is the request, not an introduction."""


def _asks(sentence: str) -> float:
    """How question-like a sentence is (0: not at all)."""
    f = _fold(sentence).replace("?", " ? ")
    score = 2.0 if "?" in sentence else 0.0
    score += sum(1.0 for w in _ASK_WORDS if (w + " ") in f)
    return score


_THANKS = re.compile(rf"\b(?:{'|'.join(_THANKS_MARKS)})\b")
_GOODBYE = re.compile(r"\b(?:bye|bai bai|tam biet|hen gap lai|off)\b")
CLOSING_LONGEST = 160
"""Characters at most of a message read as a thank-you or a goodbye that asks nothing."""


class Closing(StrEnum):
    """How a message that asks nothing ends the conversation."""

    THANKS = "cảm ơn"
    GOODBYE = "tạm biệt"


def closing(text: str) -> Closing | None:
    """A short message that thanks or says goodbye and asks nothing ("cảm ơn nhé, để mai em ra",
    "ok em hiểu rồi, cám ơn ad", "thôi e off nha bye"): whatever else it says is a plan or a wish,
    not a question for the FAQ. Thanks wins over goodbye ("cảm ơn, bye")."""
    if len(text) > CLOSING_LONGEST:
        return None
    folded = _fold(text)
    found = Closing.THANKS if _THANKS.search(folded) else Closing.GOODBYE if _GOODBYE.search(folded) else None
    if found is None or any(_asks(_PRAISE.sub(" ", _fold(sentence))) for sentence in split_sentences(text)):
        return None
    return found


_PRAISE = re.compile(
    r"\b(?:(?:vi |da )+(?:huong dan|chi dan|tu van|giai dap|tra loi)"
    r"|(?:huong dan|chi dan|tu van|giai dap|tra loi)(?: \w+)? (?:de hieu|ro rang|chi tiet|cu the"
    r"|nhiet tinh|tan tinh|hay|tot|ky))\b"
)
"""Guidance thanked for ("cảm ơn em đã hướng dẫn", "hướng dẫn dễ hiểu lắm"), which asks for none."""


_PART = re.compile(
    r"\s*(?:[,;:+\n]|\s(?:và|va|với cả|voi ca|còn|con nữa|đồng thời|dong thoi"
    r"|ngoài ra|ngoai ra)\s|\b\d[.)]\s)\s*",
    re.IGNORECASE,
)
PARTS_LONGEST = 300
"""Messages longer than this are letters: their clauses tell a story, not a list of needs."""


def may_have_parts(text: str) -> bool:
    """Whether a message could list several needs at all (a cheap test before reading it)."""
    return _PART.search(text) is not None


def parts(text: str) -> list[str]:
    """The coordinated parts of a short asking text ("làm căn cước và hộ chiếu", "1. tạm trú 2. bhyt"):
    each may name a procedure of its own; a long text gives none."""
    if len(text) > PARTS_LONGEST:
        return []
    found = [p.strip() for p in _PART.split(text) if p and p.strip()]
    return found if len(found) > 1 else []


def split_sentences(text: str, longest: int = 250) -> list[str]:
    """The sentences of a message, as written; a run-on one longer than `longest` is cut into clauses
    (at commas, else every few words) so that the asking part of it can be found."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip() if sentence else ""
        if len(sentence) <= longest:
            if sentence:
                out.append(sentence)
            continue
        piece = ""
        for clause in _CLAUSE.split(sentence):
            for word in clause.split():
                if len(piece) + len(word) + 1 > longest:
                    out.append(piece)
                    piece = ""
                piece = f"{piece} {word}" if piece else word
            if len(piece) >= longest // 3:
                out.append(piece)
                piece = ""
            elif piece:
                piece += ","
        if piece:
            out.append(piece.rstrip(","))
    return out


SHOUTING_SHARE = 0.8
"""A message with at least this share of its letters in capitals is typed in capitals ("KINH GUI PHUONG.
TOI LA …"): read in lower case, or every word after "anh", "số", "tổ"… would be taken for a name."""


def _shouts(text: str) -> bool:
    """Whether a message is typed in capitals (enough letters to tell, SHOUTING_SHARE of them upper)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= SHOUTING_SHARE * len(letters)


def _prepared(text: str) -> str:
    """A message as it is read: NFC, control characters as spaces (line breaks kept), links as their
    site, in lower case when typed in capitals (capitals say nothing of names when every word has them)."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(lambda m: "\n" if m.group() in "\n\r" else " ", text))
    text = _LINK.sub(_site, text)
    return text.lower() if _shouts(text) else text


def _without_lead(sentence: str) -> tuple[list[str], int]:
    """A sentence's clauses without the greetings and introductions that lead it ("Chào luật sư, tôi
    tên An, ..."), and how many were left out."""
    clauses = _CLAUSE.split(sentence)
    dropped = 0
    while len(clauses) > 1 and _kind(clauses[0]) in ("greeting", "intro"):
        clauses.pop(0)
        dropped += 1
    return clauses, dropped


def read(text: str, budget: int = 500, question_budget: int = 160, model_budget: int = 300) -> Reading:
    """What to match of a message: `budget` characters at most for the lexical stage, `model_budget`
    for the sentence model, `question_budget` for the asking part alone; asking sentences kept first."""
    text = _prepared(text)
    sentences = split_sentences(text, max(budget // 2, 80))
    kept: list[tuple[str, float]] = []
    aside = 0
    for sentence in sentences:
        # Greetings and introductions lead a sentence; closings end it.
        clauses, dropped = _without_lead(sentence)
        aside += dropped
        while len(clauses) > 1 and _kind(clauses[-1]) == "closing":
            clauses.pop()
            aside += 1
        body = ", ".join(clauses)
        if len(clauses) == 1 and _kind(body) != "content":
            aside += 1
            continue
        body = _strip_personal(body)
        if body:
            kept.append((body, _asks(body)))
    if not kept:
        whole = _strip_personal(text) or text
        cut = whole[:budget], whole[:question_budget], whole[:model_budget]
        return Reading(*cut, len(sentences), aside, empty=bool(sentences))
    focus = max(range(len(kept)), key=lambda i: (kept[i][1], i))  # the last of the most asking
    return Reading(
        _select(kept, budget),
        _around(kept, focus, question_budget),
        _select(kept, model_budget),
        len(sentences),
        aside,
    )


ASKED_MOST = 4
"""Questions of a letter answered one by one at most (asking_sentences)."""


def letter_sentences(text: str) -> list[str]:
    """The sentences of a letter as written, without greetings, introductions, closings or personal
    data (its story and its questions); none for a message of LETTER_SENTENCES sentences or fewer."""
    sentences = split_sentences(_prepared(text))
    if len(sentences) <= LETTER_SENTENCES:
        return []
    kept = []
    for sentence in sentences:
        body = _strip_personal(", ".join(_without_lead(sentence)[0]))
        if body and _kind(body) == "content":
            kept.append(body)
    return kept


def asking_sentences(sentences: Sequence[str], most: int = ASKED_MOST) -> list[str]:
    """Those of a letter's sentences (letter_sentences) that ask something ("1. … làm ở phường mình
    được không?", "Đăng ký quá hạn có bị phạt không?"), in the order written; the last `most` when there
    are more."""
    asked = [sentence for sentence in sentences if _asks(sentence) > 0]
    # A writer who marks questions marks them all: then "chưa làm giấy khai sinh." is the story.
    marked = [sentence for sentence in asked if "?" in sentence]
    return (marked or asked)[-most:]


def _select(kept: list[tuple[str, float]], budget: int) -> str:
    """The kept sentences within `budget` characters: all when they fit; else every asking one (most
    asking first) with the sentence before it, then the latest story; in the order written."""
    joined = " ".join(body for body, _ in kept)
    if len(joined) <= budget:
        return joined
    by_asking = sorted(range(len(kept)), key=lambda i: (-kept[i][1], -i))
    order = [i for i in by_asking if kept[i][1] > 0]
    if not order:
        # Nothing asks: a topic typed first and a long tail after it ("hộ chiếu …") is the common case.
        return joined[:budget].rsplit(" ", 1)[0]
    chosen: set[int] = set()
    used = 0
    for i in order:
        for j in (i, i - 1):
            if 0 <= j < len(kept) and j not in chosen and used + len(kept[j][0]) + 1 <= budget:
                chosen.add(j)
                used += len(kept[j][0]) + 1
    for j in range(len(kept) - 1, -1, -1):  # then the latest story, nearest the question
        if j not in chosen and used + len(kept[j][0]) + 1 <= budget:
            chosen.add(j)
            used += len(kept[j][0]) + 1
    if not chosen:
        return kept[order[0]][0][-budget:].split(" ", 1)[-1]
    return " ".join(kept[j][0] for j in sorted(chosen))


def _around(kept: list[tuple[str, float]], focus: int, budget: int) -> str:
    """The focus sentence with the sentences just before it, within the budget (cut at the front)."""
    parts = [kept[focus][0]]
    used = len(parts[0])
    j = focus - 1
    while j >= 0 and used + len(kept[j][0]) + 1 <= budget:
        parts.insert(0, kept[j][0])
        used += len(kept[j][0]) + 1
        j -= 1
    text = " ".join(parts)
    if len(text) > budget:
        text = text[-budget:].split(" ", 1)[-1]
    return text
