"""Words whose sense the words around them decide, read in that sense for the sentence model.

"mất" is "died" after a relative ("bố tôi mới mất tuần rồi", "mẹ em mất hôm qua") but "lost" before
a thing ("mẹ em mất căn cước"), and "takes" before a span ("mất bao lâu"). Read as typed, a citizen's
"ba tui mới mất tuần rồi" sat as near to "tạm vắng" as to "khai tử" for the sentence model; "qua đời"
says it once. Only the relative-then-"mất"-then-a-time-or-clause-word shape is rewritten, and only in
the model's text: the lexical stage matches the staff's own words ("bố mất", "người mất") as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

DIED = ("qua", "đời")

# Whose death it can be. Accent-less forms only where the folded word has no other likely sense
# beside "mất": "vo" is also "vỡ" ("thẻ vỡ mất rồi"), "chong" also "chóng" ("chóng mặt").
_KIN = frozenset(
    {"bố", "mẹ", "cha", "ba", "má", "ông", "bà", "cụ", "chồng", "vợ", "ổng", "bả", "người", "nội", "ngoại"}
)
_KIN_FOLDED = frozenset({"bo", "me", "cha", "ba", "ong", "cu", "nguoi", "noi", "ngoai"})
# "con trai", "em gái": a relative only with the word that says so (bare, they are how people talk).
_KIN_PREFIXES = frozenset({"con", "anh", "chị", "em", "cháu", "chi", "chau"})
_GENDERED = frozenset({"trai", "gái"})
_GENDERED_FOLDED = frozenset({"trai", "gai"})
# What may stand between the relative and "mất": whose, which one, when.
_BETWEEN = frozenset(
    {
        "tôi",
        "tui",
        "em",
        "mình",
        "cháu",
        "con",
        "anh",
        "chị",
        "tao",
        "tớ",
        "ta",
        "của",
        "nhà",
        "ruột",
        "đẻ",
        "cả",
        "út",
        "già",
        "thân",
        "mới",
        "vừa",
        "đã",
        "cũng",
        "đột",
        "ngột",
    }
)
_BETWEEN_FOLDED = frozenset({"toi", "tui", "em", "minh", "chau", "moi", "vua", "da", "cung", "cua"})
_MAX_BETWEEN = 3
# What follows "mất" when it is a death: a time, a place, a cause, or the next clause. A thing
# ("mất căn cước", "mất ví") or a span ("mất bao lâu") is not in this list.
_AFTER = frozenset(
    {
        "rồi",
        "hôm",
        "tuần",
        "tháng",
        "năm",
        "ngày",
        "lúc",
        "vào",
        "từ",
        "được",
        "cách",
        "ở",
        "tại",
        "do",
        "vì",
        "bởi",
        "khi",
        "thì",
        "nên",
        "để",
        "mà",
        "giờ",
        "nay",
        "lâu",
        "trước",
        "sau",
        "chưa",
        "phải",
        "muốn",
        "cần",
        "còn",
        "đi",
        "đột",
        "không",
        "và",
        "cũng",
        "sáng",
        "chiều",
        "tối",
        "đêm",
        "hồi",
        "gia",
        "các",
        "con",
        "em",
        "tôi",
        "mình",
        "nhưng",
        "đã",
    }
)
_AFTER_FOLDED = frozenset(
    {
        "roi",
        "hom",
        "tuan",
        "thang",
        "ngay",
        "luc",
        "vao",
        "duoc",
        "cach",
        "khi",
        "thi",
        "nen",
        "gio",
        "lau",
        "truoc",
        "sau",
        "chua",
        "phai",
        "muon",
        "dot",
        "nay",
        "toi",
        "minh",
        "nhung",
    }
)


def read_senses(tokens: Sequence[str]) -> list[str]:
    """Tokens with "mất" after a relative, ending the clause, read as "qua đời"."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token in ("mất", "mat") and _died(tokens, i):
            out.extend(DIED)
        else:
            out.append(token)
    return out


def _died(tokens: Sequence[str], i: int) -> bool:
    """Whether the "mất" at i follows a relative and ends its clause."""
    if i + 1 < len(tokens) and not _is(tokens[i + 1], _AFTER, _AFTER_FOLDED):
        return False
    for j in range(i - 1, max(-1, i - 2 - _MAX_BETWEEN), -1):
        if _relative(tokens, j):
            return True
        if not _is(tokens[j], _BETWEEN, _BETWEEN_FOLDED):
            return False
    return False


def _relative(tokens: Sequence[str], j: int) -> bool:
    """Whether the word at j names a relative ("mẹ", "bà nội", "con trai")."""
    word = tokens[j]
    if _is(word, _KIN, _KIN_FOLDED):
        return True
    gendered = _is(word, _GENDERED, _GENDERED_FOLDED)
    return gendered and j > 0 and _is(tokens[j - 1], _KIN_PREFIXES, _KIN_PREFIXES)


def _is(word: str, accented: frozenset[str], folded: frozenset[str]) -> bool:
    """A word of the set as typed, or typed without accents and one of the set's safe folded forms."""
    return word in accented or (word in folded and word.isascii())


_PAPERS = frozenset({"giấy", "tờ", "hồ", "sơ", "giay", "to", "ho", "so", "hs"})
"""Words for papers in general ("giấy tờ", "hồ sơ"), accented or not."""
_AMOUNT = frozenset({"hết", "het", "sạch", "sach", "cả", "ca", "luôn", "luon"})


def lost_papers(tokens: Sequence[str]) -> set[int]:
    """Positions of "mất" (and "hết" after it) that mean papers lost in general ("tôi bị mất giấy
    tờ", "mất hết giấy tờ"): no death, and no paper the FAQ could be asked about by name."""
    found: set[int] = set()
    for i, token in enumerate(tokens):
        if token not in ("mất", "mat"):
            continue
        j = i + 1
        while j < len(tokens) and j - i <= 2 and tokens[j] in _AMOUNT:
            j += 1
        if j < len(tokens) and tokens[j] in _PAPERS:
            found.update(range(i, j))  # "mất" and "hết" between
            found.update(_whose(tokens, j))
    return found


_PERSONAL = (("tùy", "thân"), ("tuỳ", "thân"), ("tuy", "than"), ("cá", "nhân"), ("ca", "nhan"))
"""What says papers are one's own without naming one ("giấy tờ tùy thân", "giấy tờ cá nhân")."""


def _whose(tokens: Sequence[str], j: int) -> range:
    """Positions of "tùy thân" or "cá nhân" after the paper words starting at j (none if absent)."""
    k = j
    while k < len(tokens) and tokens[k] in _PAPERS:
        k += 1
    if tuple(tokens[k : k + 2]) in _PERSONAL:
        return range(k, k + 2)
    return range(0)
