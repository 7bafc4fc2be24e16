"""Commune-level units (xã, phường, đặc khu) and a resolver for how citizens name theirs. Pure, no I/O.

Since 1 July 2025 most communes are mergers of former ones, and citizens name theirs by the new
or the former name, with or without accents, with typos, with or without the unit-type word,
sometimes with the old district. `UnitDirectory.resolve` finds the unit in such a text and says
when it cannot choose (candidates) or when the text names no unit at all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from faq.normalize import GREETINGS, THANKS, clean, fold_accents, fold_word


@dataclass(frozen=True, slots=True)
class FormerUnit:
    """A unit before 1 July 2025 that merged (whole or in part) into a current one."""

    name: str
    """"Phường Đại Kim"."""
    district: str = ""
    """Its district before 2025, "Quận Hoàng Mai"; empty when unknown."""
    partial: bool = False
    """Only part of it went to this unit (it was split between several)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One commune-level unit since 1 July 2025."""

    code: str
    """Official code of the commune-level unit, e.g. "00283"."""
    name: str
    """"Phường Hoàng Liệt"."""
    province: str
    """"Thành phố Hà Nội"."""
    former_names: tuple[str, ...]
    """Units merged into it on 1 July 2025 ("Phường Đại Kim", "Thị trấn Tân Thanh")."""
    former: tuple[FormerUnit, ...] = ()
    """The same former units with their district and whether they were split, when known."""

    def formers(self) -> tuple[FormerUnit, ...]:
        """The former units, with districts when known, else from `former_names` alone."""
        return self.former or tuple(FormerUnit(name) for name in self.former_names)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """What a text names: one confident unit, a few candidates, or nothing."""

    unit: Unit | None
    """One confident unit."""
    candidates: tuple[Unit, ...]
    """Ambiguous: best first (≤3); empty when nothing near."""
    former_name: str | None
    """The former name the citizen used, if they used one."""


MAX_CANDIDATES = 3
FUZZY_CUTOFF = 84.0
"""Least rapidfuzz ratio (accents-off) for a misspelt name after a unit-type word ("xa hoang liec")."""
FUZZY_CUTOFF_BARE = 90.0
"""Least ratio for a misspelt name alone (only when the text answers "which commune?")."""
FUZZY_TIE = 3.0
"""Fuzzy scores this close to the best are taken as equally likely."""
_MIN_FUZZY_CHARS = 5
_MIN_BARE_FUZZY_CHARS = 7
_MAX_NAME_TOKENS = 7

# Unit-type words as typed (accents-off tokens) and the type they name.
_UNIT_TYPES: dict[tuple[str, ...], str] = {
    ("xa",): "xã", ("x",): "xã",
    ("phuong",): "phường", ("p",): "phường", ("f",): "phường", ("ph",): "phường",
    ("thi", "tran"): "thị trấn", ("tt",): "thị trấn", ("ttr",): "thị trấn",
    ("dac", "khu"): "đặc khu",
}  # fmt: skip
# Words before a district or province name: what follows them is where, not which unit.
_REGION_WORDS = frozenset(
    {("huyen",), ("h",), ("quan",), ("q",), ("thi", "xa"), ("tx",), ("thanh", "pho"), ("tp",),
     ("tinh",), ("t",)}
)  # fmt: skip
_TYPE_PREFIXES = ("thị trấn", "đặc khu", "xã", "phường")
_REGION_PREFIXES = ("thành phố", "thị xã", "quận", "huyện", "tỉnh")
# "… cũ", "trước đây …": the citizen uses a former name; "nay là …": a current one.
_FORMER_AFTER = frozenset({("cu",), ("truoc", "day"), ("truoc", "kia"), ("ngay", "xua"), ("hoi", "truoc")})
_CURRENT_BEFORE = frozenset({("nay", "la"), ("bay", "gio", "la"), ("moi", "la"), ("nay", "thuoc"), ("moi",)})
# Words that may surround a place name in an answer without naming anything ("em ở xã … ạ").
_AROUND_WORDS = (
    "o tai em e anh chi minh toi tui chau con nha song thuoc khu vuc dia ban cua la a da nhe "
    "oi ad ah vay thi dang hien nay moi cu truoc day kia ngay xua hoi gio bay va voi nhe nha "
    "ben phia trong thon ap xom to dan pho cho hoi biet roi"
)
_AROUND = frozenset(_AROUND_WORDS.split())
_WORD_SPLIT = frozenset("pfqxh")
# Words of a question or a request: a text with them is a sentence, not an answer naming a place.
_ASKING_WORDS = (
    "khong duoc gi nao sao lam can mang bao lau nhieu phai chua muon hoi giay xin cap nop dau ai "
    "thu tuc ho so dang ky the nhu the nao vi tai sao"
)
_QUESTION_WORDS = frozenset(_ASKING_WORDS.split())
# Short chat that a misspelt bare name must never be taken for ("cam on" is not "Cam Cọn").
_CHAT = frozenset(
    " ".join(fold_accents(p).split()) for p in (*GREETINGS, *THANKS, "ok", "vâng", "dạ", "có", "không")
)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One way to name a unit: its current name or one of its former names."""

    unit: int
    kind_type: str
    """The unit type this name carries: "xã", "phường", "thị trấn", "đặc khu" or ""."""
    words: tuple[str, ...]
    """The bare name (no type word), cleaned, with accents."""
    former: FormerUnit | None
    region_keys: frozenset[str]
    """Accents-off bare names of its province and (former names) district."""


@dataclass(frozen=True, slots=True)
class _Span:
    """Where a name was found in the text and what surrounds it."""

    start: int
    end: int
    typed: str
    """The unit type typed just before it, or ""."""
    anchored: bool
    former_hint: bool
    current_hint: bool


def _split(name: str, prefixes: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """(type word, bare name tokens) of a cleaned name: "phường hoàng liệt" → ("phường", (hoàng, liệt))."""
    words = clean(name)
    for prefix in prefixes:
        if words.startswith(prefix + " "):
            return prefix, tuple(words[len(prefix) + 1 :].split())
    return "", tuple(words.split())


def _key(words: Sequence[str]) -> str:
    return " ".join(fold_word(w) for w in words)


def _tokens(text: str) -> list[str]:
    """Cleaned tokens with "p12", "q1", "f7" split into the letter and the number."""
    out: list[str] = []
    for token in clean(text).split():
        if len(token) > 1 and token[0] in _WORD_SPLIT and token[1:].isdigit():
            out.extend((token[0], token[1:]))
        else:
            out.append(token)
    return out


def _phrase_at(folded: Sequence[str], i: int, phrases: Iterable[tuple[str, ...]]) -> int:
    """Length of the longest phrase starting at i, 0 when none."""
    best = 0
    for phrase in phrases:
        n = len(phrase)
        if n > best and tuple(folded[i : i + n]) == phrase:
            best = n
    return best


def _phrase_before(folded: Sequence[str], i: int, phrases: Iterable[tuple[str, ...]]) -> int:
    """Length of the longest phrase ending just before i, 0 when none."""
    best = 0
    for phrase in phrases:
        n = len(phrase)
        if n > best and i - n >= 0 and tuple(folded[i - n : i]) == phrase:
            best = n
    return best


def _accents_agree(typed: Sequence[str], words: Sequence[str]) -> bool:
    """The name as typed, when typed with accents ("Tân Thanh" is not "Tân Thạnh"); True when typed bare."""
    if len(typed) != len(words) or all(t == fold_word(t) for t in typed):
        return True
    return all(t == w for t, w in zip(typed, words, strict=True))


def _accent_clash(typed: Sequence[str], words: Sequence[str]) -> bool:
    """A token typed with accents that is the name's word with other accents ("làm" is not "Lâm")."""
    return len(typed) == len(words) and any(
        t != w and t != fold_word(t) and fold_word(t) == fold_word(w)
        for t, w in zip(typed, words, strict=True)
    )


def _is_sentence(folded: Sequence[str]) -> bool:
    """The text asks or says something beyond naming a place: names in it need their type word to agree."""
    return any(w in _QUESTION_WORDS for w in folded) or sum(w not in _AROUND for w in folded) > 6


def _plausible(entry: _Entry, span: _Span, tokens: Sequence[str], sentence: bool, asked: bool) -> bool:
    """Whether this reading of the span can be the citizen's unit at all.

    Other accents on a name alone ("tiền điện" for "Tiên Điền") or in a sentence ("phường làm…"
    for "Thị trấn Lâm") rule it out; after "xã/phường" or as the answer to "which commune?" they
    are only a worse fit (a wrong tone mark is a typo too).
    """
    clash = _accent_clash(tokens[span.start : span.end], entry.words)
    if sentence or (span.typed and len(entry.words) == 1):
        # "em ở phường ba lần rồi": a one-word name of another type is a word, not that place.
        return not clash and span.anchored and span.typed == entry.kind_type
    return not clash or span.anchored


class UnitDirectory:
    """The units of one deployment (the whole country or one province), indexed for `resolve`."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: tuple[Unit, ...] = tuple(units)
        self._by_code = {u.code: u for u in self._units}
        self._names: dict[str, list[_Entry]] = {}
        self._regions: set[str] = set()
        for i, unit in enumerate(self._units):
            province = _key(_split(unit.province, _REGION_PREFIXES)[1])
            districts = {
                f.district: _key(_split(f.district, _REGION_PREFIXES)[1])
                for f in unit.formers()
                if f.district
            }
            # A unit lies in the old districts of the units merged into it: "hoàng liệt, hoàng mai".
            within = frozenset({province, *districts.values()})
            self._regions.update(within)
            kind, words = _split(unit.name, _TYPE_PREFIXES)
            self._add(_Entry(i, kind, words, None, within))
            for former in unit.formers():
                kind, words = _split(former.name, _TYPE_PREFIXES)
                regions = {province, districts[former.district]} if former.district else {province}
                self._add(_Entry(i, kind, words, former, frozenset(regions)))
        self._accented: dict[str, list[_Entry]] = {}
        for entries in self._names.values():
            for entry in entries:
                self._accented.setdefault(" ".join(entry.words), []).append(entry)
        # Sorted by length: a ratio of at least FUZZY_CUTOFF needs lengths within a factor, so each
        # query is compared with a slice of the names only.
        self._choices = sorted(self._names, key=len)
        self._accented_choices = sorted(self._accented, key=len)
        self._choice_lengths = [len(k) for k in self._choices]
        self._accented_lengths = [len(k) for k in self._accented_choices]
        self._longest = max((len(k.split()) for k in self._names), default=1)
        self._region_longest = max((len(k.split()) for k in self._regions), default=1)

    def _add(self, entry: _Entry) -> None:
        if entry.words:
            self._names.setdefault(_key(entry.words), []).append(entry)

    def __len__(self) -> int:
        """How many units."""
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        """The units, in the order given."""
        return iter(self._units)

    def by_code(self, code: str) -> Unit | None:
        """The unit with this official code, or None."""
        return self._by_code.get(code)

    def resolve(self, text: str, *, asked: bool = False) -> UnitMatch:
        """The unit a citizen's text names: confident, a few candidates, or none.

        `asked`: the text answers "which commune?", so a misspelt name alone ("hoang liec") is
        looked for too; elsewhere only after "xã/phường…", as two-word phrases ("thường trú",
        "tạm vắng") are one typo away from some commune.
        """
        tokens = _tokens(text)
        folded = [fold_word(t) for t in tokens]
        spans, regions, covered = self._find(folded)
        sentence = _is_sentence([w for k, w in enumerate(folded) if k not in covered])
        scored = [
            (entry, 100.0, span)
            for span in spans
            for entry in self._names[" ".join(folded[span.start : span.end])]
            if _plausible(entry, span, tokens, sentence, asked)
        ]
        if not scored and not sentence:
            # In a sentence a typo-near name is more often ordinary words ("phường ba lần" is not
            # "Phường Ba Láng"): only exact names count there.
            scored = self._fuzzy(tokens, folded, asked)
        return self._decide(tokens, scored, regions)

    def _find(self, folded: Sequence[str]) -> tuple[list[_Span], set[str], set[int]]:
        """Exact name spans to consider as units, the districts/provinces the text mentions, and the
        positions of every name and place found."""
        found: list[_Span] = []
        regions: set[str] = set()
        mentioned: list[tuple[int, int]] = []
        i = 0
        while i < len(folded):
            after_region = _phrase_before(folded, i, _REGION_WORDS)
            if after_region:
                n = self._region_at(folded, i)
                if n:
                    regions.add(" ".join(folded[i : i + n]))
                    i += n
                    continue
            # A type word is one when a name follows it ("thị trấn tân thanh", not a name "thị").
            word = _phrase_at(folded, i, _UNIT_TYPES) or _phrase_at(folded, i, _REGION_WORDS)
            if word and self._name_at(folded, i + word):
                i += word
                continue
            n = self._name_at(folded, i)
            region = self._region_at(folded, i)
            # "hoàng liệt, hoàng mai": after a name, a district's name says where, not which unit.
            if region > n or (region and region == n and found):
                mentioned.append((i, i + region))
                regions.add(" ".join(folded[i : i + region]))
                i += region
                continue
            if not n:
                n = region
                if n:
                    mentioned.append((i, i + n))
                    regions.add(" ".join(folded[i : i + n]))
                i += max(n, 1)
                continue
            typed_len = _phrase_before(folded, i, _UNIT_TYPES)
            typed = _UNIT_TYPES[tuple(folded[i - typed_len : i])] if typed_len else ""
            found.append(
                _Span(
                    i,
                    i + n,
                    typed,
                    bool(typed_len),
                    bool(_phrase_at(folded, i + n, _FORMER_AFTER)),
                    bool(_phrase_before(folded, i - typed_len, _CURRENT_BEFORE)),
                )
            )
            i += n
        anchored = [s for s in found if s.anchored]
        bare = [s for s in found if not s.anchored]
        # Without "xã/phường" a name counts only when the text is little more than names; after the
        # first, a bare name that is a district or province says where (", Hoàng Mai, Hà Nội").
        kept = anchored
        if (
            not anchored
            and bare
            and self._only_names(folded, [*((s.start, s.end) for s in bare), *mentioned])
        ):
            kept = bare[:1]
            for span in bare[1:]:
                key = " ".join(folded[span.start : span.end])
                if key in self._regions:
                    regions.add(key)
                else:
                    kept.append(span)
        elif anchored:
            regions.update(
                " ".join(folded[s.start : s.end])
                for s in bare
                if " ".join(folded[s.start : s.end]) in self._regions
            )
        covered = {k for s in found for k in range(s.start, s.end)}
        covered.update(k for start, end in mentioned for k in range(start, end))
        return kept, regions, covered

    def _name_at(self, folded: Sequence[str], i: int) -> int:
        """Length of the longest unit name (current or former) at i, 0 when none."""
        for n in range(min(self._longest, len(folded) - i), 0, -1):
            if " ".join(folded[i : i + n]) in self._names:
                return n
        return 0

    def _region_at(self, folded: Sequence[str], i: int) -> int:
        """Length of the longest known district/province name at i, 0 when none."""
        for n in range(min(self._region_longest, len(folded) - i), 0, -1):
            if " ".join(folded[i : i + n]) in self._regions:
                return n
        return 0

    def _only_names(self, folded: Sequence[str], spans: Sequence[tuple[int, int]]) -> bool:
        """Every token is inside a name, a region word, a hint or a word that names nothing."""
        inside = {k for start, end in spans for k in range(start, end)}
        return all(
            k in inside or folded[k] in _AROUND or (folded[k],) in _REGION_WORDS for k in range(len(folded))
        )

    def _fuzzy(
        self, tokens: Sequence[str], folded: Sequence[str], asked: bool
    ) -> list[tuple[_Entry, float, _Span]]:
        """Misspelt names: after a unit-type word, or the whole short text when it answers "which commune"."""
        queries: list[tuple[_Span, float]] = []
        for i in range(len(folded) + 1):
            typed_len = _phrase_before(folded, i, _UNIT_TYPES)
            if not typed_len:
                continue
            typed = _UNIT_TYPES[tuple(folded[i - typed_len : i])]
            stop = i
            while (
                stop < len(folded)
                and stop - i < self._longest
                and not _phrase_at(folded, stop, _REGION_WORDS)
                and not _phrase_at(folded, stop, _FORMER_AFTER)
                and folded[stop] not in _AROUND
                and folded[stop] not in _QUESTION_WORDS
            ):
                stop += 1
            former = bool(_phrase_at(folded, stop, _FORMER_AFTER))
            for end in range(i + 1, stop + 1):
                queries.append((_Span(i, end, typed, True, former, False), FUZZY_CUTOFF))
        if not queries and asked:
            words = [
                k
                for k in range(len(folded))
                if folded[k] not in _AROUND and (folded[k],) not in _REGION_WORDS
            ]
            bare = " ".join(folded[k] for k in words)
            if (
                0 < len(words) <= self._longest
                and words == list(range(words[0], words[-1] + 1))
                and bare not in _CHAT
                and len(bare.replace(" ", "")) >= _MIN_BARE_FUZZY_CHARS
            ):
                former = bool(_phrase_at(folded, words[-1] + 1, _FORMER_AFTER))
                queries.append((_Span(words[0], words[-1] + 1, "", False, former, False), FUZZY_CUTOFF_BARE))
        scored: list[tuple[_Entry, float, _Span]] = []
        for span, cutoff in queries:
            query = " ".join(folded[span.start : span.end])
            if len(query.replace(" ", "")) < _MIN_FUZZY_CHARS:
                continue
            # Typed with accents, a name is compared with its accents: "thường trú" is far from
            # "Thượng Trưng" though one letter apart without them.
            typed = " ".join(tokens[span.start : span.end])
            names, choices, lengths = (
                (self._accented, self._accented_choices, self._accented_lengths)
                if typed != query
                else (self._names, self._choices, self._choice_lengths)
            )
            # ratio = 2·matches / (len a + len b) ≥ cutoff bounds the other length.
            low = bisect_left(lengths, len(typed) * cutoff / (200 - cutoff))
            high = bisect_right(lengths, len(typed) * (200 - cutoff) / cutoff)
            for key, score, _ in process.extract(
                typed, choices[low:high], scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
            ):
                scored.extend((entry, score, span) for entry in names[key])
        return scored

    def _decide(
        self, tokens: Sequence[str], scored: Sequence[tuple[_Entry, float, _Span]], regions: set[str]
    ) -> UnitMatch:
        """One unit when the best way of reading the text points at one, else candidates."""
        if not scored:
            return UnitMatch(None, (), None)

        def fit(item: tuple[_Entry, float, _Span]) -> tuple[bool, bool, bool]:
            entry, _, span = item
            typed = tokens[span.start : span.end]
            return (
                not span.typed or span.typed == entry.kind_type,
                not regions or bool(regions & entry.region_keys),
                _accents_agree(typed, entry.words),
            )

        best_fit = max(fit(item) for item in scored)
        fitting = [item for item in scored if fit(item) == best_fit]
        top = max(score for _, score, _ in fitting)
        close = [item for item in fitting if item[1] >= top - FUZZY_TIE]

        def tier(item: tuple[_Entry, float, _Span]) -> int:
            entry, _, span = item
            if entry.former is None:
                if span.current_hint:
                    return 3  # "xã A cũ nay là xã B": B is what they mean
                return 1 if span.former_hint else 2
            return 2 if span.former_hint else 1

        best_tier = max(tier(item) for item in close)
        chosen = sorted(
            (item for item in close if tier(item) == best_tier),
            key=lambda item: (-item[1], item[0].former is not None and item[0].former.partial, item[0].unit),
        )
        units: list[int] = []
        for entry, _, _ in chosen:
            if entry.unit not in units:
                units.append(entry.unit)
        formers = {e.former.name for e, _, _ in chosen if e.former is not None}
        former_name = formers.pop() if len(formers) == 1 and all(e.former for e, _, _ in chosen) else None
        if len(units) == 1:
            return UnitMatch(self._units[units[0]], (), former_name)
        return UnitMatch(None, tuple(self._units[i] for i in units[:MAX_CANDIDATES]), former_name)
