"""Mask personal data before anything is stored, relayed to staff or logged.

Personal: ID numbers (9-digit CMND, 12-digit CCCD, passports, health-insurance cards), phone
numbers, e-mails (also "abc (at) gmail (dot) com"), vehicle plates, bank accounts, names after a
self-introduction, street addresses below the ward or commune, and dates of birth. Not personal,
and left as typed: fees, dates of events, decree numbers, procedure codes, form names, times,
counts, ages, areas, years, and the names of wards, communes, districts and provinces.

Each detector is a regular expression with bounded repetition (plus a few bounded look-arounds
done in Python), run once over the text; the spans they find are merged once, earliest first. The
work is therefore linear in the length of the text, and `limit` caps that length.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import NamedTuple

from faq.normalize import fold_accents

ID_MASK = "[số giấy tờ]"
PHONE_MASK = "[số điện thoại]"
EMAIL_MASK = "[email]"
PLATE_MASK = "[biển số xe]"
ACCOUNT_MASK = "[số tài khoản]"
NAME_MASK = "[tên]"
ADDRESS_MASK = "[địa chỉ]"
BIRTH_DATE_MASK = "[ngày sinh]"
MASKS = (ID_MASK, PHONE_MASK, EMAIL_MASK, PLATE_MASK, ACCOUNT_MASK, NAME_MASK, ADDRESS_MASK, BIRTH_DATE_MASK)
"""Every placeholder mask_personal_data writes."""
MAX_MASK_CHARS = 50_000
"""Longer texts are cut before masking (a chat message is at most 4,096 characters on Telegram)."""
CUT_MARK = " …"
"""Appended where a text longer than the limit was cut."""


class _Span(NamedTuple):
    start: int
    end: int
    rank: int
    """Among spans of the same extent, the lowest rank wins (0: keep, 1: by context, 2: by shape)."""
    mask: str | None
    """The placeholder; None keeps the text as typed (a procedure code)."""


_Detector = Callable[[str], Iterator[_Span]]

# -- building blocks -----------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _toneless(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


def _vi(*phrases: str) -> str:
    """A regex alternation matching each phrase as typed with or without its accents."""
    alternatives = []
    for phrase in phrases:
        parts = []
        for ch in phrase:
            if ch == " ":
                parts.append(r"\s{1,3}")
                continue
            forms = dict.fromkeys((ch, _toneless(ch), fold_accents(ch)))
            parts.append(f"[{''.join(forms)}]" if len(forms) > 1 else re.escape(ch))
        alternatives.append("".join(parts))
    alternatives.sort(key=len, reverse=True)
    return "(?:" + "|".join(alternatives) + ")"


def _exact(*phrases: str) -> str:
    """A regex alternation of phrases that are ambiguous without their accents (tổ, ấp, bản)."""
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) + ")"


_WORD_AFTER = re.compile(r"[ \t\u00a0]{0,3}([^\W\d_]{1,20})(?![\w@])")
"""The next word (letters only) after a single short gap."""


def _is_title(word: str) -> bool:
    return word[0].isupper() and (len(word) == 1 or word[1:].islower())


# Words that end a name or a place name: function words, particles, pronouns, verbs citizens
# write right after their name. Unaccented forms only where no common name syllable folds to them
# (so not "van" for Văn, "minh", "tam", "hien", "dang", "nhung"...).
_NOT_NAME_WORDS = """
    à ạ ạh ạk ơi nhé nha nhá hả hở vậy thế nào sao gì đâu ai muốn cần hỏi xin cho làm được đc phải
    sẽ đã đang rồi chưa không ko k kg có là và với mà thì nên nhưng hoặc hay của ở tại từ đến tới
    về trong trên dưới theo bị sai nay này đó đấy kia ấy nữa cũng vẫn còn đi lên xuống ra vào khi
    lúc nếu vì để sinh năm tháng ngày tuổi hiện quê sống thường trú tạm nhà số sđt sdt đt dt zalo
    email mail gmail điện thoại cccd cmnd cmt căn cước mã giấy tờ em e tôi mình mk mik tớ tui con
    cháu chị cj bố mẹ má vợ vk chồng ck ông bà chú bác bé họ tên đệm lót đầy đủ thật gọi khai đăng
    ký kí lại thủ tục hồ sơ hs đổi sửa cấp người dân dạ vâng ok oke cảm ơn chào hello hi alo viên
    hộ chủ việc xã phường quận huyện tỉnh trấn tp tổ thôn xóm ấp ngõ ngách hẻm kiệt đường phố khu
    bản làng buôn khóm gần đối diện cạnh sau trước mất chết học cán trưởng phó giám kế luật đảng
    ubnd hđnd cb cbcc sv gv bs
    a oi nhe vay nao gi muon can hoi duoc dc phai se roi chua khong co la va voi nen hoac cua o den
    toi ve tren duoi bi nua di len xuong ra vao khi neu de ngay tuoi tru so email thoai cuoc giay
    tui bo me chong ong ten dem lot du that goi tuc doi sua cap nguoi on chao xa xom thon hem pho
    khu tt mat chet hoc
"""
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())


def _name_words(text: str, pos: int, accept: Callable[[str], bool], most: int) -> tuple[int, int] | None:
    """The extent of up to `most` name-like words right after `pos` (None when there is none)."""
    start = end = -1
    for _ in range(most):
        m = _WORD_AFTER.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        if ((len(word) > 1 or word.islower()) and word.lower() in _NOT_NAME) or not accept(word):
            break  # a capital letter alone is an initial ("Nguyễn Văn A"), not "a" for "ạ"
        if start < 0:
            start = m.start(1)
        pos = end = m.end(1)
    return (start, end) if start >= 0 else None


# -- procedure codes (kept) ----------------------------------------------------------------------

# "1.001193", "1.004222.000.00.00.H12": read as a long digit run they looked like an ID number.
_PROCEDURE_CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?:\.\d{3}\.\d{2}\.\d{2}(?:\.[A-Za-z]\d{2,3})?)?(?!\d)")


def _procedure_codes(text: str) -> Iterator[_Span]:
    for m in _PROCEDURE_CODE.finditer(text):
        yield _Span(m.start(), m.end(), 0, None)


# -- e-mails --------------------------------------------------------------------------------------

_LOCAL = r"(?<![\w.+-])[\w.+-]{1,64}"
_LABEL = r"[\w-]{1,63}"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL}){{1,8}}")
_AT_WORD = r"(?:at|a\s?còng|a\s?cong|acong)"
_DOT_WORD = r"(?:dot|chấm|cham)"
_AT = (
    rf"(?:\s{{0,3}}(?:@|[(\[{{<]\s{{0,2}}(?:{_AT_WORD}|@)\s{{0,2}}[)\]}}>])\s{{0,3}}"
    rf"|\s{{1,3}}{_AT_WORD}\s{{1,3}})"
)
_DOT = (
    rf"(?:\s{{0,3}}(?:\.|[(\[{{<]\s{{0,2}}(?:{_DOT_WORD}|\.)\s{{0,2}}[)\]}}>])\s{{0,3}}"
    rf"|\s{{1,3}}{_DOT_WORD}\s{{1,3}})"
)
_TLD = r"(?:com|net|org|edu|gov|vn|info|biz|io|co|me|us|uk|jp|kr|au|de|fr|ca|cn|asia|xyz|online)(?!\w)"
_PROVIDER = r"(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|icloud|live|msn|proton(?:mail)?|zoho)(?!\w)"
# "abc @ gmail . com", "abc(at)gmail(dot)com", "abc a còng gmail chấm com", "abc@gmail": a spaced
# or spelled-out dot must be followed by a known top-level domain, so the next sentence is not eaten.
_EMAIL_LOOSE = re.compile(
    rf"{_LOCAL}{_AT}(?:{_LABEL}(?:{_DOT}{_LABEL}){{0,3}}{_DOT}{_TLD}|{_PROVIDER})", re.IGNORECASE
)


_AT_HINT = re.compile(rf"@|[(\[{{<]\s{{0,2}}at|(?<!\w){_AT_WORD}(?!\w)", re.IGNORECASE)


def _emails(text: str) -> Iterator[_Span]:
    if not _AT_HINT.search(text):
        return
    for pattern in (_EMAIL, _EMAIL_LOOSE):
        for m in pattern.finditer(text):
            yield _Span(m.start(), m.end(), 1, EMAIL_MASK)


# -- plates, passports, health-insurance cards --------------------------------------------------

# Vehicle plates: province code, series (letters, maybe a digit), then 4 or 5 digits
# ("29A-123.45", "51F1 234.56", "30e12345", "59-X1 123.45", "29LD-01234").
_PLATE = re.compile(
    r"(?<![\w.])\d{2}\s?-?\s?[A-Za-z]{1,2}\d?\s?[-.]?\s?(?:\d{3}\.\d{2}|\d{4,5})(?![\w.]|\.\d)"
)
# Passports: one letter and seven digits ("C1234567", "B 1234567").
_PASSPORT = re.compile(r"(?<![\w.])[A-Za-z] ?\d{7}(?![\w]|[.,]\d)")
# Health-insurance cards: two letters and 13 digits ("DN4010123456789", "HS 4 79 7931234567").
_HEALTH_CARD = re.compile(r"(?<![\w.])[A-Za-z]{2} ?\d(?:[ .]?\d){12}(?!\d)")


def _shaped_codes(text: str) -> Iterator[_Span]:
    for pattern, mask in ((_PLATE, PLATE_MASK), (_PASSPORT, ID_MASK), (_HEALTH_CARD, ID_MASK)):
        for m in pattern.finditer(text):
            yield _Span(m.start(), m.end(), 1, mask)


# -- numbers after a label: bank accounts, ID numbers of any length -------------------------------

_ACCOUNT_LABEL = _vi("số tài khoản", "tài khoản", "số tk", "stk", "tk", "số thẻ", "account", "acc")
_ID_LABEL = (
    _vi("cccd", "cmnd", "cmt", "căn cước", "chứng minh", "định danh", "hộ chiếu", "passport", "bhxh",
        "bhyt", "bảo hiểm", "mã thẻ", "gplx", "bằng lái", "mã số thuế", "mst")
)  # fmt: skip
# Up to eight words between label and number ("stk ngân hàng Agribank chi nhánh Ba Đình là 1500…"),
# never a phone label (the phone rule names those).
_GAP_WORD = r"(?!(?:s[đd]t|[đd]t|zalo|phone|tel|đi[ệe]n|dien)(?![^\W\d_]))[^\W\d_]{1,15}"
_LABELLED = re.compile(
    rf"(?<![^\W\d_])(?:(?P<account>{_ACCOUNT_LABEL})|{_ID_LABEL})(?![^\W\d_])"
    rf"[\s:#.\-]{{0,4}}(?:{_GAP_WORD}[\s:#.\-]{{1,4}}){{0,8}}"
    r"(?P<value>[A-Za-z]{0,3}\d(?:[ .\-]?\d){5,23})(?!\d)",
    re.IGNORECASE,
)
_DATE_SHAPE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}")
_CURRENCY_AFTER = re.compile(
    r"\s{0,2}(?:đ|đồng|dong|d|vnd|vnđ|₫|k|tr|triệu|trieu|nghìn|nghin|ngàn|ngan)(?!\w)", re.IGNORECASE
)
_MONEY_BEFORE = re.compile(
    rf"(?<!\w){_vi('phí', 'tiền', 'giá', 'phạt', 'lương', 'thu nhập', 'tổng')}"
    r"(?!\w)",
    re.IGNORECASE,
)


def _is_money(text: str, start: int, end: int, grouped: bool) -> bool:
    """A currency word right after the number, or (for 1.000.000-style groups) a money word before."""
    if _CURRENCY_AFTER.match(text, end):
        return True
    return grouped and bool(_MONEY_BEFORE.search(text, max(0, start - 30), start))


def _labelled_numbers(text: str) -> Iterator[_Span]:
    for m in _LABELLED.finditer(text):
        start, end = m.span("value")
        if _DATE_SHAPE.fullmatch(m.group("value")) or _CURRENCY_AFTER.match(text, end):
            continue
        yield _Span(start, end, 1, ACCOUNT_MASK if m.group("account") else ID_MASK)


# -- any long run of digits: phones, ID numbers --------------------------------------------------

# A run of digits broken by single spaces, dots or hyphens, maybe led by +, (+84) or an area code in
# brackets ("(028) 3829 1234"). It may follow
# letters ("cccd079203004567", "sdt0912345678"); it always runs to its last digit, so the engine
# never backtracks into it.
_DIGIT_RUN = re.compile(r"(?<![\d+])(?:\(\+?84\) ?|\(0\d{1,3}\) ?|\+)?\d(?:[ .\-]?\d)*")
_MONEY_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_YEARS = re.compile(r"(?:19|20)\d\d(?:[ \-](?:19|20)\d\d)*")
_RANGE_PART = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,4}")


def _digit_runs(text: str) -> Iterator[_Span]:
    for m in _DIGIT_RUN.finditer(text):
        mask = _digit_mask(text, m)
        if mask is not None:
            yield _Span(m.start(), m.end(), 2, mask)


def _digit_mask(text: str, m: re.Match[str]) -> str | None:
    raw = m.group(0)
    digits = "".join(ch for ch in raw if ch.isdigit())
    n = len(digits)
    if n < 9:
        return None
    if raw.startswith(("+84", "(")) or (digits.startswith("84") and n in (11, 12) and " " not in raw):
        return PHONE_MASK if 10 <= n <= 12 else ID_MASK
    if digits.startswith("0") and n in (10, 11):
        return PHONE_MASK
    if _YEARS.fullmatch(raw):
        return None  # "2019 2020 2021"
    parts = raw.split("-")
    if len(parts) == 2 and all(_RANGE_PART.fullmatch(p) for p in parts):
        return None  # "1.500.000-2.000.000", "2020-2025"
    grouped = bool(_MONEY_GROUPS.fullmatch(raw))
    plain = grouped or raw.isdigit()
    if plain and not digits.startswith("0") and _is_money(text, m.start(), m.end(), grouped):
        # "150.000.000 đồng", "tiền sử dụng đất 150.000.000": money. "123.456.789" alone: a CMND.
        return None
    # ID numbers (9-digit CMND, 12-digit CCCD) and other long numbers (bank accounts, card
    # numbers) are personal.
    return ID_MASK


# -- dates of birth ------------------------------------------------------------------------------

_SEP = r"\s{0,2}[/.\-]\s{0,2}"
_MONTH_WORDS = rf"\s{{1,3}}{_vi('tháng')}\s{{1,3}}\d{{1,2}}"
_YEAR_WORDS = rf"\s{{0,3}}(?:,|{_vi('năm')})?\s{{0,3}}(?:19|20)\d\d"
_DAY_MONTH = rf"\d{{1,2}}{_SEP}\d{{1,2}}"
_DATE = rf"(?:{_DAY_MONTH}(?:{_SEP}(?:19|20)?\d\d)?|\d{{1,2}}{_MONTH_WORDS}(?:{_YEAR_WORDS})?|\d{{8}})"
_FULL_DATE = rf"(?:{_DAY_MONTH}{_SEP}(?:19|20)?\d\d|\d{{1,2}}{_MONTH_WORDS}{_YEAR_WORDS}|\d{{8}})"
_BIRTH_GAP = rf"(?:\s{{0,3}}(?:{_vi('của')}\s{{1,3}}[^\W\d_]{{1,10}}|{_vi('là', 'vào')}|:|-))"
# "sinh ngày 12/03/1990", "ngày sinh: 12-3-1990", "dob 12.03.1990"; with a year only after "sinh",
# "sn", "ns" ("phát sinh 1.5 triệu", "sn 12/3" a house number). "giấy khai sinh ngày …" is the date
# of the register entry, not of the birth.
_BIRTH = re.compile(
    rf"(?<!\w)(?<!khai\s)(?:(?:{_vi('sinh ngày', 'ngày tháng năm sinh', 'ngày sinh', 'năm sinh')}|dob"
    rf"|d\.o\.b\.?|date\s of\s birth){_BIRTH_GAP}{{0,2}}\s{{0,3}}(?P<date>{_DATE})"
    rf"|(?:{_vi('sinh')}|sn|ns){_BIRTH_GAP}{{0,2}}\s{{0,3}}(?P<full>{_FULL_DATE}))(?![\d/])",
    re.IGNORECASE,
)


def _birth_dates(text: str) -> Iterator[_Span]:
    for m in _BIRTH.finditer(text):
        start, end = m.span("date") if m.group("date") else m.span("full")
        yield _Span(start, end, 1, BIRTH_DATE_MASK)


# -- names after a self-introduction -------------------------------------------------------------

_PRONOUN = _vi(
    "tôi", "tui", "em", "mình", "tớ", "cháu", "con", "anh", "chị", "bé", "ông", "bà", "bố", "mẹ", "cha",
    "vợ", "chồng", "chú", "bác", "cô", "dì", "cậu", "thím", "mợ", "e", "mk", "mik", "ck", "vk", "cj",
)  # fmt: skip
_WHO = rf"{_PRONOUN}(?:\s{{1,3}}(?:{_vi('nhà', 'của')}\s{{1,3}})?{_PRONOUN}){{0,2}}"
_TEN = _vi("tên")
_LA = _vi("là")
_COLON_OR_LA = rf"(?:\s{{0,3}}:|\s{{1,3}}{_LA}(?!\w)(?:\s{{0,3}}:)?)"
# Triggers after which a name may be typed in lower case or without accents: they say "tên".
_NAME_SAID = re.compile(
    rf"(?<!\w)(?:{_WHO}\s{{1,3}}{_TEN}(?:\s{{1,3}}{_vi('gọi là', 'là')})?(?!\w)(?:\s{{0,3}}:)?"  # em tên (là)
    rf"|{_vi('họ và tên', 'họ tên', 'tên khai sinh', 'tên đầy đủ', 'tên thật', 'tên')}"  # tên em là, tên:
    rf"(?:\s{{1,3}}(?:{_vi('của')}\s{{1,3}})?{_WHO})?{_COLON_OR_LA}"  # họ tên cha:, tên của con là
    rf"|{_vi('đặt tên')}(?:\s{{1,3}}{_vi('cho')})?(?:\s{{1,3}}{_WHO})?\s{{1,3}}{_LA}(?!\w))",
    re.IGNORECASE,
)
# Triggers after which only capitalised words are taken: "tôi là Nguyễn Văn An" but never
# "tôi là sinh viên", "em là chủ hộ"; "chủ tk NGUYEN VAN A".
_NAME_CAPITALISED = re.compile(
    rf"(?<!\w)(?:{_WHO}\s{{1,3}}{_LA}|{_vi('họ và tên', 'họ tên', 'chủ hộ', 'chủ tài khoản', 'chủ tk')}"
    rf"|{_vi('tên tài khoản', 'tên tk', 'đứng tên')}|ctk)(?!\w)(?:\s{{0,3}}[:\-]|\s{{1,3}}{_LA}(?!\w))?",
    re.IGNORECASE,
)
_HONORIFIC = frozenset(("anh", "chị", "cô", "chú", "bác", "ông", "bà", "em", "cháu", "bé", "con"))


_NAME_HINT = re.compile(rf"(?<!\w)(?:{_TEN}|{_LA}|{_vi('chủ')}|ctk)(?!\w)", re.IGNORECASE)


def _names(text: str) -> Iterator[_Span]:
    if not _NAME_HINT.search(text):
        return
    for m in _NAME_SAID.finditer(text):
        span = _name_words(text, m.end(), lambda w: True, 5)
        if span:
            yield _Span(*span, 1, NAME_MASK)
    for m in _NAME_CAPITALISED.finditer(text):
        shouting = m.group(0).isupper()
        pos = m.end()
        honorific = _WORD_AFTER.match(text, pos)
        if honorific and honorific.group(1) in _HONORIFIC:
            pos = honorific.end()  # "tôi là chị Hoa"

        def capitalised(word: str, shouting: bool = shouting) -> bool:
            return _is_title(word) or (not shouting and len(word) > 1 and word.isupper())

        span = _name_words(text, pos, capitalised, 5)
        if span:
            yield _Span(*span, 1, NAME_MASK)


# -- street addresses ----------------------------------------------------------------------------

# A house or lane number: "12", "45B", "12/3", "123/45/6A".
_NUM = re.compile(
    r"[ \t]{0,3}[:.]?[ \t]{0,3}(?P<number>\d{1,4}[A-Za-z]?(?:[ \t]?/[ \t]?\d{1,4}[A-Za-z]?){0,3})(?![\w/])"
)
_ADDRESS_KEY = re.compile(
    r"(?<![^\W\d_])(?:"
    rf"(?P<house>{_vi('số nhà')}|(?<=nh[àa]\s){_vi('số')})"
    rf"|(?P<label>{_vi('địa chỉ nhà', 'địa chỉ')})"
    rf"|(?P<bare>{_vi('số')})"
    rf"|(?P<lane>{_vi('ngõ', 'ngách', 'hẻm', 'hẽm', 'kiệt')})"
    rf"|(?P<group>{_vi('tổ dân phố')}|tdp|{_exact('tổ')})"
    rf"|(?P<quarter>{_vi('khu phố')}|kp|khu)"
    rf"|(?P<village>{_vi('thôn', 'xóm', 'khóm')}|{_exact('ấp')}|ap)"
    rf"|(?P<hamlet>{_exact('bản', 'làng', 'sóc')})"
    rf"|(?P<street>{_vi('đường', 'phố')})"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)
_ADDRESS_SEP = re.compile(r"[ \t]{0,3}[,\-–]?[ \t]{0,3}")
# A key word right after an administrative unit is part of its name ("phường Xóm Chiếu",
# "thành phố Hồ Chí Minh"), not a street address.
_UNIT_BEFORE = re.compile(
    rf"(?<!\w){_vi('phường', 'xã', 'quận', 'huyện', 'tỉnh', 'thị trấn', 'thị xã', 'thành phố', 'tp')}"
    r"\.?\s{1,3}$",
    re.IGNORECASE,
)
_PLACE_INTRO = re.compile(rf"(?:{_vi('ở', 'tại', 'thuộc', 'quê', 'về', 'chỉ')}|:)\s{{0,3}}$", re.IGNORECASE)
_STRONG = frozenset({"house", "label", "lane", "group", "quarter", "village", "hamlet"})
_NUMBERED = frozenset({"house", "label", "bare", "lane", "group", "quarter", "village", "street"})
_NAMED = frozenset({"lane", "quarter", "village", "hamlet", "street"})


def _address_part(text: str, pos: int) -> tuple[str, int] | None:
    """One address component at `pos`: its kind and where it ends."""
    key = _ADDRESS_KEY.match(text, pos)
    if key is None or _UNIT_BEFORE.search(text, max(0, pos - 14), pos):
        return None
    kind = key.lastgroup or ""
    # "khu 3", "kp4" take a number only: never "khu vực", "khu công nghiệp".
    named = kind in _NAMED and key.group(0).lower() not in ("khu", "kp")
    number = _NUM.match(text, key.end())
    if number and kind in _NUMBERED:
        end = number.end()
        if kind == "label":  # "địa chỉ: 12 Lê Lợi"
            street = _name_words(text, end, _is_title, 4)
            end = street[1] if street else end
        return kind, end
    if not named:
        return None
    lower_ok = kind == "village" and bool(_PLACE_INTRO.search(text, max(0, pos - 12), pos))
    words = _name_words(text, key.end(), (lambda w: True) if lower_ok else _is_title, 4)
    return (kind, words[1]) if words else None


def _addresses(text: str) -> Iterator[_Span]:
    resume = 0
    for key in _ADDRESS_KEY.finditer(text):
        start = key.start()
        if start < resume:
            continue
        kinds: list[str] = []
        end = pos = start
        if key.lastgroup == "label":  # "địa chỉ: 12 Lê Lợi" keeps its "địa chỉ:"
            number = _NUM.match(text, key.end())
            start = number.start("number") if number else start
        while len(kinds) < 8:
            part = _address_part(text, pos)
            if part is None:
                break
            kinds.append(part[0])
            end = part[1]
            sep = _ADDRESS_SEP.match(text, end)
            pos = sep.end() if sep else end
        if not kinds:
            continue
        resume = end
        if _STRONG.intersection(kinds) or (kinds[0] == "bare" and len(kinds) > 1):
            yield _Span(start, end, 1, ADDRESS_MASK)


# -- putting it together -------------------------------------------------------------------------

_WITH_DIGITS: tuple[_Detector, ...] = (
    _procedure_codes, _shaped_codes, _labelled_numbers, _birth_dates, _digit_runs
)  # fmt: skip
"""Detectors that find nothing in a text without digits."""
_ALWAYS: tuple[_Detector, ...] = (_emails, _names, _addresses)
_DIGIT = re.compile(r"\d")


def mask_personal_data(text: str, *, limit: int | None = MAX_MASK_CHARS) -> str:
    """Replace personal data (IDs, phones, e-mails, plates, accounts, names, addresses, birth dates)."""
    if limit is not None and len(text) > limit:
        text = _cut(text, limit)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    detectors = _ALWAYS + _WITH_DIGITS if _DIGIT.search(text) else _ALWAYS
    spans = sorted(
        (span for detect in detectors for span in detect(text)), key=lambda s: (s.start, -s.end, s.rank)
    )
    out: list[str] = []
    done = 0  # text[:done] is settled
    masked = False  # whether text[:done] ends with a placeholder
    for span in spans:
        if span.end <= done or (span.start < done and span.mask is None):
            continue
        if span.start < done and masked:
            done = span.end  # two overlapping finds: one placeholder covers both
            continue
        start = max(span.start, done)  # a find overlapping a kept code masks only what follows it
        _append(out, text[done:start], masked)
        if span.mask is None:
            out.append(text[start : span.end])
        else:
            # "cccd079203004567" → "cccd [số giấy tờ]": a placeholder never sticks to a word.
            out.append(" " + span.mask if start > 0 and text[start - 1].isalnum() else span.mask)
        done, masked = span.end, span.mask is not None
    _append(out, text[done:], masked)
    return "".join(out)


def _append(out: list[str], plain: str, after_mask: bool) -> None:
    out.append(" " + plain if after_mask and plain[:1].isalnum() else plain)


# -- log lines ------------------------------------------------------------------------------------

LOG_ID_MASK = "[id]"
"""Written in log lines for a chat or user id."""
_LOG_FIELD_MASKS = {
    **dict.fromkeys(("first_name", "last_name", "full_name", "display_name", "name", "username"), NAME_MASK),
    **dict.fromkeys(("phone_number", "phone"), PHONE_MASK),
    **dict.fromkeys(("email",), EMAIL_MASK),
    **dict.fromkeys(("vcard", "address", "latitude", "longitude"), ADDRESS_MASK),
    **dict.fromkeys(("id", "user_id", "chat_id", "sender_id", "user_id_by_app", "from_id"), LOG_ID_MASK),
}
# A field of a Telegram or Zalo update as python-telegram-bot, httpx or json print it:
# first_name='An', 'username': 'an', "id":123456789, "phone_number": "+84…".
_LOG_FIELD = re.compile(
    rf"(?P<key>(?<![\w.])[\"']?(?P<name>{'|'.join(sorted(_LOG_FIELD_MASKS, key=len, reverse=True))})[\"']?"
    r"\s{0,2}[:=]\s{0,2})"
    r"(?P<value>'(?:[^'\\\n]|\\.){0,256}'|\"(?:[^\"\\\n]|\\.){0,256}\"|-?\d[\d.]{0,24})"
)


def mask_log_text(text: str, *, limit: int | None = MAX_MASK_CHARS) -> str:
    """mask_personal_data for a log line, plus the names, ids and phones of printed updates."""
    return mask_personal_data(_LOG_FIELD.sub(_mask_field, text), limit=limit)


def _mask_field(m: re.Match[str]) -> str:
    value = m.group("value")
    quote = value[0] if value[0] in "'\"" else ""
    return f"{m.group('key')}{quote}{_LOG_FIELD_MASKS[m.group('name')]}{quote}"


_CUT_TAIL = re.compile(r"[\w.@+\-/ ]{0,100}$")


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, less a trailing word or number that the cut may have split."""
    head = text[:limit]
    tail = _CUT_TAIL.search(head, max(0, limit - 100))
    return (head[: tail.start()] if tail else head).rstrip() + CUT_MARK


def hash_user_id(channel: str, user_id: str, salt: str) -> str:
    """A salted, non-reversible id for one citizen on one channel (for counting, not contact)."""
    key = salt.encode("utf-8") or b"faqbot"
    return hmac.new(key, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]
