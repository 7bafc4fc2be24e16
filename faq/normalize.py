"""Pure Vietnamese text folding: NFC, tone placement, case, abbreviations, synonyms, fillers."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from faq.keyboard_off import decode_keys
from faq.tones import place_tone

_WORD = re.compile(r"[^\W_]+")
_AC = re.compile(r"(?<![^\W_])a\s*/\s*c(?![^\W_])", re.IGNORECASE)

# Chat abbreviations and teencode, keyed by what is typed. Only unambiguous ones: "a" alone is
# left out on purpose (it is mostly "ạ"/"à"), and "hs" follows the brief (hồ sơ, not học sinh);
# "cc" is căn cước only beside "chip", "thẻ" or what one does with the card (alone it is also a
# swear word, and "bot làm cc gì vậy" is one: "làm cc" only when not yet done or for someone).
_ABBREVIATION_TABLE = (
    "ko|k|hok|kg|khong|khg|khum=không; j|ji=gì; dc|đc=được; dk|đk|dky|đky|đkí|đăng kí=đăng ký; "
    "kí=ký; ntn|ntnao=như thế nào; bn|bnh|bnhiu|bnhieu|bnhiêu|bao nhiu=bao nhiêu; hs=hồ sơ; "
    "sđt|sdt=số điện thoại; e=em; mik|mk=mình; vs=với; ck=chồng; vk=vợ; ng=người; ngta=người ta; "
    "sv=sinh viên; ms=mới; nx=nữa; lm=làm; r=rồi; z|v=vậy; bjo=bao giờ; trc=trước; cj=chị; "
    "bb|bai bai=bye bye; đkkh=đăng ký kết hôn; đkks=đăng ký khai sinh; xnct=xác nhận cư trú; "
    "cc gắn chip|cc chip=căn cước gắn chip; thẻ cc=thẻ căn cước; "
    "chưa làm cc|chua lam cc=chưa làm căn cước; làm cc cho|lam cc cho=làm căn cước cho; "
    "mất cc|mat cc=mất căn cước; đổi cc|doi cc=đổi căn cước; cấp lại cc|cap lai cc=cấp lại căn cước; "
    "sdd|sđđ=sổ đỏ; "
    "tthc=thủ tục hành chính; ubnd=ủy ban nhân dân; xn=xác nhận; gplx=giấy phép lái xe; onl=online; "
    "ak|ah=à; uh=ừ; oke|okie|okay=ok; ks=khai sinh; gks=giấy khai sinh; "
    "thanks|thank|tks|thanks you|thank you|cám ơn|cmon|camon=cảm ơn; "
    "thứ 2=thứ hai; thứ 3=thứ ba; thứ 4=thứ tư; thứ 5=thứ năm; thứ 6=thứ sáu; "
    "thứ 7|thứ bẩy=thứ bảy; mn|mng=mọi người; bv=bệnh viện; tk=tài khoản; "
    "xkld|xklđ=xuất khẩu lao động; dzậy|dzay=vậy; chj=chị; kq=kết quả; "
    "tg=thời gian; t2=thứ hai; t3=thứ ba; t4=thứ tư; t5=thứ năm; t6=thứ sáu; t7=thứ bảy; "
    "ltp|lltp|llp=lý lịch tư pháp; cty=công ty; mun|mún=muốn; bít=biết; bme|bố mẹ=bố mẹ; "
    "nc ngoài|nc ngoai|nuoc ngoai=nước ngoài; h=giờ; "
    # "sk" is "sức khỏe" beside a check-up or its paper (alone it may be "sự kiện").
    "khám sk|kham sk=khám sức khỏe; giấy sk|giay sk=giấy sức khỏe; "
    # "hk" is "hộ khẩu" in "chuyển hk" but "không" in the question tag "dc hk", "có hk".
    "dc hk|đc hk|được hk=được không; có hk=có không; phải hk=phải không; đúng hk=đúng không; "
    # "mk" is "mình" ("mk muốn hỏi") but "mật khẩu" beside what one does with a password.
    "quên mk|quen mk=quên mật khẩu; đổi mk|doi mk=đổi mật khẩu; sai mk=sai mật khẩu; "
    "nhập mk|nhap mk=nhập mật khẩu; lấy lại mk|lay lai mk=lấy lại mật khẩu; đặt mk|dat mk=đặt mật khẩu; "
    # Southern "ba" is "bố" beside whose it is ("ba tui mới mất"); alone it is also three ("ba anh em",
    # "ba năm"), so only these pairs. "má" + pronoun is left alone: typed bare it is also "mà tui…".
    "ba tui=bố tui; ba tôi=bố tôi; ba em=bố em; ba mình=bố mình; ba má=bố mẹ; ba mất=bố mất; "
    "ba chồng=bố chồng; ba vợ=bố vợ; ba ruột=bố ruột; má chồng=mẹ chồng; má vợ=mẹ vợ; má ruột=mẹ ruột; "
    # Voice typing and Southern speech write "trú" as "chú" ("đăng ký tạm chú", "thường chú").
    "tạm chú=tạm trú; thường chú=thường trú; tam chu=tạm trú; thuong chu=thường trú; "
    "cư chú=cư trú; cu chu=cư trú; "
    "lay lien=lấy ngay; "
    # Voice typing writes "căn cước" as "căn cứ" (a basis: "giấy tờ làm căn cứ cho việc cải chính"),
    # so only beside what one does with a card, or whom it is for.
    "thẻ căn cứ=thẻ căn cước; căn cứ công dân=căn cước công dân; căn cứ gắn chip=căn cước gắn chip; "
    "mất căn cứ=mất căn cước; đổi căn cứ=đổi căn cước; cấp căn cứ=cấp căn cước; "
    "làm lại căn cứ=làm lại căn cước; cấp lại căn cứ=cấp lại căn cước; "
    + "; ".join(
        f"{verb} căn cứ {rest}={verb} căn cước {rest}"
        for verb in ("làm", "đi làm")
        for rest in (
            "cho con",
            "cho bé",
            "cho cháu",
            "cho bố",
            "cho mẹ",
            "cho ông",
            "cho bà",
            "ở",
            "mất",
            "bao",
            "online",
            "trên",
            "lần",
            "gắn",
            "hết",
        )
    )
)
# Southern words for one's parents, read as the standard ones only when typed with accents: without
# them "ma tui" is as often "mà tui…", "tia" several words. "ông già tui", "bà già tui": my father,
# my mother (with the possessive only: alone they are any old man or woman).
_KIN_OF = ("tui", "tôi", "em", "mình", "con", "tao", "tớ")
# Southern "mần" (làm), "hông"/"hổng" (không), "dzô" (vào) likewise: typed without accents they are
# other words ("man", "hong" of "sổ hồng").
ACCENTED_WORDS: Mapping[str, str] = {
    **{
        f"{typed} {whose}": f"{meaning} {whose}"
        for typed, meaning in (("má", "mẹ"), ("tía", "bố"), ("ông già", "bố"), ("bà già", "mẹ"))
        for whose in _KIN_OF
    },
    # Southern "liền" is "ngay" after what one waits for ("lấy liền được hông"); typed without accents
    # only "lay lien" (ABBREVIATIONS): "co lien thong", "lam lien thong" are "liên thông".
    **{f"{verb} liền": f"{verb} ngay" for verb in ("lấy", "có", "làm", "nhận")},
    "mần": "làm",
    "hông": "không",
    "hổng": "không",
    "dzô": "vào",
    # Central speech: "răng" (sao), "mô" (đâu), "chi" (gì), "rứa" (vậy), "ni" (này) — beside the words
    # they follow in a question only: alone "răng" is a tooth, "mô" a tissue, "chi" to spend.
    # "làm răng" is also dental work ("bảo hiểm y tế có trả tiền làm răng không"): not rewritten.
    **{f"{verb} răng": f"{verb} sao" for verb in ("tính", "thì")},
    **{f"{where} mô": f"{where} đâu" for where in ("ở", "đi", "lên", "ra", "về", "tới", "đến", "nộp", "làm")},
    **{f"{what} chi": f"{what} gì" for what in ("cái", "giấy", "làm", "cần", "là", "mang", "giấy tờ")},
    **{f"{what} ni": f"{what} này" for what in ("cái", "giấy", "thủ tục", "bữa", "chỗ")},
    "chỗ mô": "chỗ nào",
    "nơi mô": "nơi nào",
    "răng rứa": "sao vậy",
    "rứa": "vậy",
}
ABBREVIATIONS: Mapping[str, str] = {
    typed: meaning
    for rule in _ABBREVIATION_TABLE.split("; ")
    for meaning in [rule.split("=")[1]]
    for typed in rule.split("=")[0].split("|")
}

# Politeness and filler phrases, dropped before matching (longest first at each position).
FILLERS: tuple[str, ...] = (
    "dạ", "ạ", "ạh", "à", "ơi", "nhé", "làm ơn", "vui lòng",
    "xin hỏi", "cho hỏi", "muốn hỏi", "cần hỏi", "hỏi chút", "hỏi tí", "hỏi xíu", "hỏi với",
    "hỏi cái", "hỏi", "với ạ", "giúp em", "giúp mình", "giúp tôi", "giúp cháu", "giúp với",
    "giúp", "alo", "ok", "vâng", "ừ", "ad", "admin", "shop", "ạ ạ", "chút", "tí", "xíu",
    "chút xíu", "dùm", "giùm", "ấy", "nhỉ", "ạk", "hihi", "hehe", "rõ rồi", "hiểu rồi",
    "ok rồi", "được rồi", "vậy thôi", "thế thôi", "thôi nhé",
    "ừm", "ờm", "thì là", "cái vụ",
    # Whom a message is addressed to, never what it asks ("cần làm thủ tục gì với chính quyền").
    "chính quyền", "chính quyền địa phương",
)  # fmt: skip
_ASKERS = ("em", "cháu", "mình", "tôi", "tui", "con", "anh", "chị", "tớ", "bọn em", "chúng tôi")
FILLERS += tuple(
    f"{lead}{who} {ask}".strip()
    for who in _ASKERS
    for lead, ask in (("cho ", "hỏi"), ("", "muốn hỏi"), ("", "xin hỏi"), ("", "cần hỏi"), ("", "hỏi"))
)
# Sentence-final particles, dropped only at the end ("nha" elsewhere is often "nhà" typed bare).
TRAILING: tuple[str, ...] = (
    "nha", "nhá", "nhé", "hả", "ha", "hen", "nhen", "nghen", "vậy", "thế", "với", "nhỉ",
)  # fmt: skip
# Phrases that announce a question is coming; alone they make the message "preamble only".
ASK_PREAMBLES: tuple[str, ...] = (
    "xin hỏi", "cho hỏi", "muốn hỏi", "cần hỏi", "hỏi chút", "hỏi tí", "hỏi xíu", "hỏi với",
    "hỏi cái", "hỏi",
)  # fmt: skip
# Who a message is addressed to: "ad ơi", "chị ơi". Pronouns are dropped only before "ơi".
_VOCATIVES = frozenset(
    {"ad", "admin", "shop", "bạn", "anh", "chị", "em", "bot", "cô", "chú", "bác", "cháu",
     "mọi người", "ơi", "ad ơi", "page", "ban", "anh chị", "cán bộ", "ủy ban", "cả nhà"}
)  # fmt: skip
# Pronouns that carry no topic; a message of only these and fillers is a preamble.
PRONOUNS = frozenset(
    {"em", "anh", "chị", "anh chị", "mình", "tôi", "tui", "tao", "cháu", "con", "bọn em",
     "chúng tôi", "chúng em", "bạn", "cô", "chú", "bác", "cho", "xin", "muốn", "cần", "có",
     "bot", "ad", "admin", "shop", "page", "cả nhà", "mọi người", "việc", "chuyện", "vấn đề", "chút việc"}
)  # fmt: skip
GREETINGS: tuple[str, ...] = tuple(
    f"{hello} {who}".strip()
    for hello in ("xin chào", "chào", "hello", "helo", "hi", "hey", "chào buổi sáng",
                  "chào buổi chiều", "chào buổi tối")
    for who in ("", "bạn", "ad", "admin", "bot", "anh", "chị", "em", "cả nhà", "mọi người", "shop")
)  # fmt: skip
THANKS: tuple[str, ...] = ("cảm ơn", "cảm ơn nhiều", "cảm ơn bạn", "cảm ơn ad", "tạm biệt", "bye")


def _fold_slow(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


# Precomposed Latin letters (all of Vietnamese after NFC) folded by one str.translate call.
_FOLD_TABLE = {
    code: _fold_slow(chr(code))
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))
    if _fold_slow(chr(code)) != chr(code)
}


def fold_accents(text: str) -> str:
    """The accents-off form: every diacritic removed, đ→d, Đ→D (case kept)."""
    folded = text.translate(_FOLD_TABLE)
    return folded if folded.isascii() else _fold_slow(folded)


@lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """fold_accents for one token, memoised (tokens repeat a lot)."""
    return sys.intern(fold_accents(word))


def has_accents(word: str) -> bool:
    """True when the word carries any Vietnamese diacritic (or đ)."""
    return fold_accents(word) != word


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def clean(text: str) -> str:
    """NFKC, lower case, stretched letters typed once, ages typed "14t" parted, Telex typed
    with the keyboard off read as Vietnamese, tone marks re-placed, punctuation/emoji/control chars
    to single spaces."""
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).lower()
    text = _AC.sub(" anh chị ", text)
    words = [unit for w in _WORD.findall(text) for unit in unglue(unstretch(w))]
    return " ".join(place_tone(w) for w in decode_keys(words))


# An age typed as in chat, "con 14t", "bà 80t": the age matters to many procedures (căn cước at 14,
# BHYT under 6). Sums ("2tr", "50k") stay one token: read as words they made fee texts look near.
_GLUED_AGE = re.compile(r"(\d{1,3})t")


def unglue(word: str) -> tuple[str, ...]:
    """An age with its "t" glued on read as two words ("14t" → "14 tuổi"); else the word."""
    glued = _GLUED_AGE.fullmatch(word)
    return (glued.group(1), "tuổi") if glued else (word,)


_BARE_VOWELS = frozenset("aeiouy")
_STRETCH = re.compile(r"([^\W\d_])\1\1")


def unstretch(word: str) -> str:
    """A letter typed three times or more for emphasis typed once: "ơiiii" → "ơi", "béeee" → "bé",
    "sinhhhh" → "sinh", "ạaaa" → "ạ"; a run of consonants only at the end ("cccd" stays)."""
    folded = fold_accents(word)
    if len(folded) != len(word) or _STRETCH.search(folded) is None:
        return word
    out: list[str] = []
    start = 0
    while start < len(word):
        end = start + 1
        while end < len(word) and folded[end] == folded[start]:
            end += 1
        letter = folded[start].isalpha()
        if end - start >= 3 and letter and (folded[start] in _BARE_VOWELS or end == len(word)):
            run = word[start:end]
            # The accented one of the run is the letter meant ("béeee": é).
            out.append(next((ch for ch in run if ch != folded[start]), run[0]))
        else:
            out.append(word[start:end])
        start = end
    return "".join(out)


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(clean(phrase).split())


def _token_matches(typed: str, wanted: str) -> bool:
    """A typed token matches a wanted one exactly, or by folding when it was typed without accents."""
    return typed == wanted or typed == fold_word(wanted)


def _letters(word: str) -> list[tuple[str, frozenset[str]]]:
    """Each letter of a word with the diacritics on it (đ is d with a stroke)."""
    out: list[tuple[str, frozenset[str]]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.category(ch) == "Mn" and out:
            base, marks = out[-1]
            out[-1] = (base, marks | {ch})
        elif ch in "đĐ":
            out.append((ch.lower().replace("đ", "d"), frozenset({"stroke"})))
        else:
            out.append((ch, frozenset()))
    return out


@lru_cache(maxsize=1 << 14)
def fewer_marks(typed: str, wanted: str) -> bool:
    """Whether `typed` is `wanted` with some of its diacritics left out ("giây", "đôc" for "giấy",
    "độc"): a tone forgotten on a phone keyboard, not a different mark."""
    a, b = _letters(typed), _letters(wanted)
    return len(a) == len(b) and all(x == y and m <= n for (x, m), (y, n) in zip(a, b, strict=True))


def _folds(tokens: Sequence[str]) -> list[str]:
    return [fold_word(t) for t in tokens]


class _Node:
    """A trie node keyed by accents-off words."""

    __slots__ = ("children", "ends")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.ends: list[tuple[tuple[str, ...], tuple[str, ...]]] = []


class _PhraseTable:
    """Multi-word phrases found on word boundaries, longest first, accents optional when untyped."""

    def __init__(
        self,
        phrases: Iterable[tuple[tuple[str, ...], tuple[str, ...]]],
        accents: bool = False,
        forgotten_marks: bool = False,
    ) -> None:
        """`accents`: a phrase matches only as written, never typed without its accents.
        `forgotten_marks`: a phrase of two words or more also matches with some diacritics left out of
        its words ("xin giây đôc thân"), as long as one word is as written or typed without accents."""
        self._accents = accents
        self._forgotten = forgotten_marks
        root = _Node()
        for key, value in phrases:
            if not key:
                continue
            node = root
            for word in _folds(key):
                node = node.children.setdefault(word, _Node())
            node.ends.append((key, value))
        for node in _walk(root):
            node.ends.sort()
        self._root = root
        self.first_words = frozenset(root.children)
        """Accents-off first words of the phrases: a quick test before match_at."""

    def match_at(
        self, tokens: Sequence[str], i: int, folded: Sequence[str] | None = None
    ) -> tuple[int, tuple[str, ...]] | None:
        """The longest phrase starting at i: (its length, its replacement), or None.

        A token typed without accents matches the phrase's word by its folded form.
        """
        if folded is None:
            folded = _folds(tokens)
        node: _Node | None = self._root
        best: tuple[int, tuple[str, ...]] | None = None
        j = i
        while j < len(tokens):
            node = node.children.get(folded[j]) if node is not None else None
            if node is None:
                break
            j += 1
            for key, value in node.ends:
                same = [
                    tokens[i + k] == key[k] or (not self._accents and tokens[i + k] == folded[i + k])
                    for k in range(j - i)
                ]
                if all(same) or (
                    self._forgotten
                    and j - i >= 2
                    and any(same)
                    and all(ok or fewer_marks(tokens[i + k], key[k]) for k, ok in enumerate(same))
                ):
                    best = (j - i, value)
                    break
        return best

    def replace(self, tokens: Sequence[str]) -> list[str]:
        """Every phrase replaced, scanning left to right (no chains)."""
        folded = _folds(tokens)
        out: list[str] = []
        first = self.first_words
        i = 0
        while i < len(tokens):
            hit = self.match_at(tokens, i, folded) if folded[i] in first else None
            if hit is None:
                out.append(tokens[i])
                i += 1
            else:
                out.extend(hit[1])
                i += hit[0]
        return out

    def spans(
        self, tokens: Sequence[str], folded: Sequence[str] | None = None, overlapping: bool = False
    ) -> list[tuple[int, int]]:
        """(start, end) of every phrase found, left to right (overlapping ones too if asked)."""
        if folded is None:
            folded = _folds(tokens)
        found: list[tuple[int, int]] = []
        first = self.first_words
        i = 0
        while i < len(tokens):
            hit = self.match_at(tokens, i, folded) if folded[i] in first else None
            if hit is None:
                i += 1
            else:
                found.append((i, i + hit[0]))
                i += 1 if overlapping else hit[0]
        return found


def _walk(node: _Node) -> Iterable[_Node]:
    yield node
    for child in node.children.values():
        yield from _walk(child)


def synonym_map(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Flatten a FaqBook's (canonical, variants) pairs into {variant: canonical}."""
    return {variant: canonical for canonical, variants in pairs for variant in variants}


def _table(mapping: Mapping[str, str]) -> _PhraseTable:
    return _PhraseTable((_phrase_key(k), _phrase_key(v)) for k, v in mapping.items())


def _set_table(phrases: Iterable[str]) -> _PhraseTable:
    return _PhraseTable((_phrase_key(p), ()) for p in phrases)


ON_BEHALF = "thay"
"""How "hộ" reads after a verb when it means "for someone" ("làm hộ", "nộp hộ cho mẹ")."""
_DOING = frozenset({"làm", "nộp", "đi", "xin", "lấy", "nhận", "gửi", "viết", "điền", "ký", "khai", "đứng"})
_DOING_FOLDED = frozenset({"lam", "nop", "xin", "lay", "nhan", "gui", "viet", "dien"})
# "hộ" with these after it is a household or a passport: "làm hộ chiếu", "đăng ký hộ kinh doanh",
# "xin hộ nghèo", "nhập hộ khẩu".
_HOUSEHOLD = frozenset(
    {"chiếu", "khẩu", "kinh", "tịch", "nghèo", "cận", "gia", "cá", "dân", "tộc", "sản", "tên", "lý", "chủ",
     "đình", "doanh", "mới", "riêng", "tách", "kd"}
)  # fmt: skip
_HOUSEHOLD_FOLDED = frozenset(fold_word(w) for w in _HOUSEHOLD)


_FOR_SOMEONE = frozenset(
    {"được", "duoc", "dc", "cho", "giúp", "giup", "gium", "dum", "với", "voi", "nha", "nhe", "không", "khong",
     "ko", "k", "hok", "hong", "a", "thì", "thi", "có", "co", "đi", "di"}
)  # fmt: skip
"""What follows a bare "ho" when it means "for someone" ("lam ho dc ko", "nop ho cho me")."""


def read_on_behalf(tokens: Sequence[str]) -> list[str]:
    """Tokens with "hộ" after a verb, not naming a household or passport, read as "thay" ("làm hộ được
    không" asks if someone else may do it; it had matched «Tách hộ»)."""
    out = list(tokens)
    for i in range(1, len(out)):
        if out[i] not in ("hộ", "ho") or not (out[i - 1] in _DOING or out[i - 1] in _DOING_FOLDED):
            continue
        after = out[i + 1] if i + 1 < len(out) else None
        if out[i] == "ho" and (has_accents(out[i - 1]) or (after is not None and after not in _FOR_SOMEONE)):
            # Bare, "ho" is also "hồ" (sơ), "họ": only in the shape "làm ho dc ko", "nop ho cho me".
            continue
        if after is not None and (after in _HOUSEHOLD or after in _HOUSEHOLD_FOLDED):
            continue
        out[i] = ON_BEHALF
    return out


@dataclass(frozen=True, slots=True)
class Analysis:
    """One message taken apart for matching."""

    tokens: tuple[str, ...]
    """Normalised tokens (abbreviations and synonyms applied), fillers kept."""
    content: tuple[str, ...]
    """Tokens that carry meaning: fillers, vocatives and (when there is more) greetings dropped."""
    preamble_only: bool
    """The message is only politeness or "cho em hỏi", nothing to match."""

    @property
    def folded(self) -> tuple[str, ...]:
        """Accents-off content tokens."""
        return tuple(fold_word(t) for t in self.content)


class Normalizer:
    """The normalisation of one FAQ (built-in abbreviations plus the FAQ's synonyms), compiled once."""

    def __init__(self, synonyms: Mapping[str, str] | None = None) -> None:
        self._abbreviations = _table(ABBREVIATIONS)
        self._accented = _PhraseTable(
            ((_phrase_key(k), _phrase_key(v)) for k, v in ACCENTED_WORDS.items()), accents=True
        )
        # Synonyms are written by staff; normalise both sides with the abbreviations applied first
        # so "đk kinh doanh" in the file matches "dk kinh doanh" typed by a citizen.
        self._synonyms = _PhraseTable(
            (
                (
                    tuple(self._abbreviations.replace(_phrase_key(variant))),
                    tuple(self._abbreviations.replace(_phrase_key(canonical))),
                )
                for variant, canonical in (synonyms or {}).items()
            ),
            forgotten_marks=True,
        )
        self._fillers = _set_table(FILLERS)
        self._asks = _set_table(ASK_PREAMBLES)
        self._chitchat = _set_table((*GREETINGS, *THANKS))
        self._pronouns = _set_table(PRONOUNS)
        self._vocatives = _set_table(_VOCATIVES)
        self._trailing = frozenset((*TRAILING, *(fold_word(t) for t in TRAILING)))

    @classmethod
    def for_pairs(cls, pairs: Iterable[tuple[str, Iterable[str]]]) -> Normalizer:
        """A normaliser for a FaqBook's `synonyms` pairs."""
        return cls(synonym_map(pairs))

    def tokens(self, text: str) -> tuple[str, ...]:
        """Normalised tokens: cleaned, abbreviations expanded (ACCENTED_WORDS only as written), synonyms
        applied."""
        expanded = self._accented.replace(self._abbreviations.replace(clean(text).split()))
        return tuple(self._synonyms.replace(read_on_behalf(expanded)))

    def normalize(self, text: str) -> str:
        """The normalised, accented form of a text (fillers kept)."""
        return " ".join(self.tokens(text))

    def analyze(self, text: str) -> Analysis:
        """Tokens, meaningful content and whether the message is only a preamble."""
        tokens = self.tokens(text)
        asked = bool(self._asks.spans(tokens))
        kept = self._drop_fillers(tokens)
        bare = _drop(kept, self._chitchat.spans(kept))
        empty = not _drop(bare, self._pronouns.spans(bare))
        if not tokens:
            return Analysis(tokens, (), preamble_only=False)
        if not empty:
            return Analysis(tokens, tuple(bare), preamble_only=False)
        bare = _drop(kept, self._pronouns.spans(kept))
        if asked or not bare:
            return Analysis(tokens, (), preamble_only=True)
        # Only chit-chat ("hi bot", "cảm ơn ad"): match it without its addressee.
        return Analysis(tokens, tuple(bare), preamble_only=False)

    def strip_fillers(self, text: str) -> str:
        """The normalised text without politeness fillers (greetings kept)."""
        return " ".join(self._drop_fillers(self.tokens(text)))

    def _drop_fillers(self, tokens: Sequence[str]) -> list[str]:
        kept = self._drop_vocatives(tokens)
        kept = _drop(kept, self._fillers.spans(kept))
        while kept and kept[-1] in self._trailing:
            kept.pop()
        return kept

    def _drop_vocatives(self, tokens: Sequence[str]) -> list[str]:
        out = list(tokens)
        i = 0
        while i < len(out):
            if _token_matches(out[i], "ơi"):
                j = i
                # "ad ơi", "anh chị ơi": drop the addressee that precedes "ơi" as well.
                for n in (2, 1):
                    if i - n >= 0 and self._vocatives.match_at(out, i - n) == (n, ()):
                        j = i - n
                        break
                del out[j : i + 1]
                i = j
            else:
                i += 1
        return out


def _drop(tokens: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
    skip = {i for start, end in spans for i in range(start, end)}
    return [t for i, t in enumerate(tokens) if i not in skip]


def normalize(text: str, synonyms: Mapping[str, str] | None = None) -> str:
    """The normalised, accented form of a text: NFC, tones, case, abbreviations, synonyms."""
    return Normalizer(synonyms).normalize(text)


def tokens(text: str, synonyms: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Normalised tokens of a text."""
    return Normalizer(synonyms).tokens(text)


def strip_fillers(text: str, synonyms: Mapping[str, str] | None = None) -> str:
    """The normalised text without politeness fillers ("dạ", "ạ", "cho em hỏi", "ad ơi")."""
    return Normalizer(synonyms).strip_fillers(text)
