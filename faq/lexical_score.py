"""How a message scores against one FAQ entry by their words: pure, once each word has its weight.

In words:
- Both sides are compared on accents-off words; a word typed *with* accents that the FAQ writes with
  other accents (phường/phương) gets little credit. A word found only in the entry's answer
  (summary, steps, documents, where) counts, with partial credit, toward (b) below.
- Each word weighs its IDF over entries (faq.lexical computes it) times a factor for what it is.
  Generic words (làm, thủ tục, cần, gì), numbers and facet words (bao nhiêu tiền, ở đâu, online)
  weigh less and are *optional*: left unmatched they count only part of their weight (OPTIONAL_COST;
  all of it for small talk, which is about the whole message), because every procedure answers
  "where" or "how much" from its own fields, not from its phrasings. Adjacent topic words matched
  in order add evidence; a pair missing on the other side counts a little against.
- The score mixes (a) the best single phrasing (title, question or keyword): the F-measure of
  how much of the message it explains and how much of it the message says; (b) how much of the
  message the entry's phrasings explain together; (c) rapidfuzz's ratio to the best phrasing.
- Upper bounds of an entry's score and of each phrasing's F-measure come cheaply from the words and
  pairs they share with the message: within an entry, phrasings are taken best bound first and the
  F-measure of one whose bound cannot beat the best found is not computed (the bounds never change
  a score).
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from faq.normalize import fold_accents, fold_word

# Words that say nothing about the topic, whatever the FAQ (as written, with accents).
GENERIC_WORDS = frozenset(
    str.split(
        "là có không được bị và với của cho thì mà nếu khi nào gì sao thế như vậy rồi đã đang "
        "sẽ cũng còn nữa mới lại ra vào lên xuống đi đến tới về ở tại trong ngoài trên dưới này kia "
        "đó ấy đây các những mọi một nhiều ít rất lắm quá hơn nhất phải cần nên muốn làm xin hỏi "
        "biết giúp hay hoặc bao nhiêu mấy ai đâu chưa vẫn đều thể việc cái người ta họ nó "
        "em anh chị tôi mình tui cháu bạn ạ ơi vâng dạ ok thủ tục giấy tờ hồ sơ nộp lấy "
        "đăng ký cách bước bây giờ chỗ nơi kiểu thôi luôn cả nhé nha à "
        # Function and time words: rare in a small FAQ's phrasings, so their IDF says "topic",
        # but they never name a procedure.
        "trước sau tuần ngày tháng lần khác thêm vừa xong vì nhưng để chứ nhỉ hả bởi tuy"
    )
)
_GENERIC_FOLDED = frozenset(fold_accents(w) for w in GENERIC_WORDS)


@lru_cache(maxsize=1 << 16)
def is_generic(token: str) -> bool:
    """A word that says nothing about the topic (typed without accents: any word it may be)."""
    return token in GENERIC_WORDS or (token.isascii() and token in _GENERIC_FOLDED)


# The people a message is for ("làm giấy tờ cho mẹ"): they name no procedure. Typed without accents
# only those that are nothing else as well ("bo" may be bỏ, "chu" chữ, "ma" mã).
PEOPLE_WORDS = frozenset(
    str.split("cha mẹ má bố ba tía con vợ chồng ông bà cháu bé cô chú dì cậu bác nội ngoại già")
)
_PEOPLE_FOLDED = frozenset({"cha", "me", "con", "vo", "chong", "ong", "chau", "noi", "ngoai", "gia"})


def is_person(token: str) -> bool:
    """A word for the person a message is about (typed without accents: only unambiguous ones)."""
    return token in PEOPLE_WORDS or (token.isascii() and token in _PEOPLE_FOLDED)


GENERIC_FACTOR = 0.45
FACET_FACTOR = 0.8
DIGIT_FACTOR = 0.3
ACCENT_MISMATCH = 0.6
"""Credit when an accented word matches only once accents are removed (cưới vs cuối)."""
PAIR_FACTOR = 0.8
"""Weight of two adjacent topic words matched in order, relative to the words themselves."""
ANSWER_CREDIT = 0.6
"""Credit for a word found only in the entry's answer (summary, steps, documents, where)."""
PAIR_COST = 0.1
"""Share of a pair's weight counted against a phrasing that does not have it."""
SPLIT_COST = 0.3
"""The same when both words are there, but apart: likely another meaning."""
OPTIONAL_COST = 0.5
"""Share of an optional word's weight still counted against a phrasing that lacks it."""
BETA2 = 1.0
"""F-measure beta squared: above 1, explaining the whole message matters more than the phrasing."""
W_COVER, W_PHRASE, W_RATIO = 0.25, 0.65, 0.1
"""Score = entry coverage of the message, best phrasing's F-measure, best rapidfuzz ratio."""


def combine(cover: float, phrase: float, ratio: float) -> float:
    """An entry's score (0-100) from its coverage, best phrasing's F-measure and best ratio."""
    return 100.0 * (W_COVER * cover + W_PHRASE * phrase + W_RATIO * ratio)


_NUMBER = re.compile(r"\d+[^\W\d_]{0,2}|\d+x+")


@lru_cache(maxsize=1 << 16)
def word_role(token: str, in_facet: bool) -> tuple[float, bool]:
    """(weight factor, optional) of a word from what it is."""
    if _NUMBER.fullmatch(token):  # "14", "14t" (tuổi), "09xx": numbers say little
        return DIGIT_FACTOR, True
    if is_generic(token):
        return GENERIC_FACTOR, True
    return (FACET_FACTOR, True) if in_facet else (1.0, False)


@lru_cache(maxsize=1 << 16)
def pairable(token: str) -> bool:
    """Whether a word can be one of a pair of adjacent topic words (no number, no generic word)."""
    return not token.isdigit() and not is_generic(token)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One title, question or keyword of an entry, ready for scoring (compact: 4,000 entries fit)."""

    folds: tuple[str, ...]
    """Distinct accents-off words."""
    forms: tuple[str, ...]
    """The accented form of each word, as written in the FAQ."""
    weights: tuple[float, ...]
    optional: tuple[bool, ...]
    required: float
    """Total weight of the words that must be matched (all of them if none is required)."""
    optional_total: float
    folded: str
    """The accents-off phrase, for rapidfuzz."""
    pairs: tuple[str, ...]
    """Adjacent topic words ("tam tru"): matched in order, they add evidence."""
    pair_weights: tuple[float, ...]
    pair_words: tuple[tuple[int, int], ...]
    """Indexes in `folds` of each pair's two words."""

    @classmethod
    def of_words(
        cls,
        content: Sequence[str],
        folded: Sequence[str],
        in_facet: frozenset[int],
        idf: Mapping[str, float],
    ) -> Phrase:
        """A phrasing from its words, their accents-off forms, which are facet words, and word IDFs."""
        best: dict[str, tuple[str, float, bool]] = {}
        for i, (token, fold) in enumerate(zip(content, folded, strict=True)):
            factor, optional = word_role(token, i in in_facet)
            weight = idf[fold] * factor
            # A word repeated in a phrase counts once, at its highest weight.
            if fold not in best or best[fold][1] < weight:
                best[fold] = (token, weight, optional)
        values = best.values()
        required = sum(w for _, w, optional in values if not optional)
        everything_optional = required <= 0
        pairs: dict[str, tuple[float, tuple[int, int]]] = {}
        order = {fold: j for j, fold in enumerate(best)}
        for (a, b), (fa, fb) in zip(itertools.pairwise(content), itertools.pairwise(folded), strict=True):
            if pairable(a) and pairable(b) and fa != fb:
                weight = PAIR_FACTOR * (best[fa][1] + best[fb][1]) / 2
                key = sys.intern(f"{fa} {fb}")
                if key not in pairs or pairs[key][0] < weight:
                    pairs[key] = (weight, (order[fa], order[fb]))
        return cls(
            folds=tuple(best),
            forms=tuple(form for form, _, _ in values),
            weights=tuple(w for _, w, _ in values),
            optional=tuple(optional and not everything_optional for _, _, optional in values),
            required=required if not everything_optional else sum(w for _, w, _ in values),
            optional_total=0.0 if everything_optional else sum(w for _, w, o in values if o),
            folded=" ".join(folded),
            pairs=tuple(pairs),
            pair_weights=tuple(w for w, _ in pairs.values()),
            pair_words=tuple(ab for _, ab in pairs.values()),
        )


@dataclass(frozen=True, slots=True)
class QueryToken:
    """One distinct word of a message, weighed, with the vocabulary words it may stand for."""

    accented: str | None
    """The typed accented form, None when typed without accents (any accent is fine)."""
    weight: float
    optional: bool
    targets: tuple[tuple[str, float], ...]
    """(accents-off vocabulary word, credit) this word may stand for."""
    generic: bool = False
    """Says nothing about the topic (làm, gì, thủ tục): not used to shortlist entries."""


@dataclass(frozen=True, slots=True)
class Query:
    """A message, ready for scoring: its words, its pairs, and what each vocabulary word can explain."""

    tokens: list[QueryToken]
    pairs: list[tuple[tuple[tuple[str, float], ...], float, int, int]]
    """(("a b" vocabulary pair, credit), ...), weight, index of a, index of b) for adjacent topic
    words of the message."""
    required: float
    optional_total: float
    by_target: dict[str, list[tuple[int, float, str | None]]]
    """Vocabulary word -> (index of the message word, credit, typed accented form)."""
    pair_hits: dict[str, list[tuple[int, float]]]
    """Vocabulary pair -> (index in `pairs`, credit)."""
    target_top: dict[str, float]
    """Vocabulary word -> the most message weight it can explain."""
    pair_top: dict[str, float]
    """Vocabulary pair -> the most message weight it can explain."""
    pair_floor: float
    """The least the message's pairs add to its weight (all missing, apart)."""


@dataclass(frozen=True, slots=True)
class EntryWords:
    """One entry's phrasings and words, as scoring against a message needs them."""

    phrases: tuple[Phrase, ...]
    vocab: dict[str, tuple[str, ...]]
    """Accents-off word of the phrasings -> its accented forms, as written."""
    answer: dict[str, tuple[str, ...]]
    """The same for words found only in the entry's answer."""
    places: dict[str, tuple[int, ...]]
    """Word or pair ("a b") -> where it sits in the phrasings, as codes (see of_phrases)."""
    floors: tuple[float, ...]
    """The least each phrasing's weight can be (the denominator of its own cover)."""
    cost: float
    """Share of an optional word's weight counted when it is left unmatched."""
    shift: int
    mask: int

    @classmethod
    def of_phrases(
        cls,
        phrases: Sequence[Phrase],
        vocab: dict[str, tuple[str, ...]],
        answer: dict[str, tuple[str, ...]],
        cost: float,
        bits: int,
    ) -> EntryWords:
        """An entry's words; `bits`: the bit length of the longest phrasing's word count (any entry)."""
        # Where each word and pair sits in the entry's phrasings, as compact codes (phrase index
        # << shift | position, pairs marked by a bit): a message then touches only the phrasings
        # that share something with it, and bounds their scores cheaply.
        pair_code = 1 << bits
        shift = bits + 1
        places: dict[str, list[int]] = {}
        for k, phrase in enumerate(phrases):
            code = k << shift
            for j, fold in enumerate(phrase.folds):
                places.setdefault(fold, []).append(code | j)
            for j, key in enumerate(phrase.pairs):
                places.setdefault(key, []).append(code | pair_code | j)
        floors = tuple(
            p.required + cost * p.optional_total + PAIR_COST * sum(p.pair_weights) for p in phrases
        )
        return cls(
            phrases=tuple(phrases),
            vocab=vocab,
            answer=answer,
            places={key: tuple(codes) for key, codes in places.items()},
            floors=floors,
            cost=cost,
            shift=shift,
            mask=pair_code - 1,
        )

    def cover(self, query: Query) -> tuple[float, float]:
        """(share of the message's weight found anywhere in the entry, an upper bound of the
        entry's score from the words and pairs its phrasings have)."""
        vocab = self.vocab
        answer = self.answer
        cost = self.cost
        target_top = query.target_top
        got = 0.0
        total = query.required
        q_top = 0.0
        for q in query.tokens:
            best = 0.0
            for target, credit in q.targets:
                forms = vocab.get(target)
                if forms is None:
                    forms = answer.get(target)
                    if forms is None:
                        continue
                    credit *= ANSWER_CREDIT
                else:
                    q_top += target_top[target]
                if q.accented is not None and q.accented not in forms:
                    credit *= _accent_credit(q.accented, forms)
                if credit > best:
                    best = credit
            got += q.weight * best
            if q.optional:
                total += q.weight * (best + cost * (1.0 - best))
        cover = got / total if total > 0 else 0.0
        if query.pair_top:
            places = self.places
            q_top += sum(top for key, top in query.pair_top.items() if key in places)
        q_floor = query.required + cost * query.optional_total
        share = min(1.0, q_top / (q_floor + query.pair_floor)) if q_floor > 0 else 1.0
        f = (1 + BETA2) * share / (BETA2 + share) if share > 0 else 0.0
        return cover, combine(cover, f, 1.0)

    def bounds(self, query: Query) -> list[tuple[float, int]]:
        """(minus an upper bound of the F-measure, phrase index) of each phrasing of the entry
        that shares a word with the message, in no order."""
        places = self.places
        phrases = self.phrases
        tops: dict[int, list[float]] = {}
        shift, mask = self.shift, self.mask
        for target, top in query.target_top.items():
            for code in places.get(target, ()):
                k = code >> shift
                weight = phrases[k].weights[code & mask]
                seen = tops.get(k)
                if seen is None:
                    tops[k] = [top, weight]
                else:
                    seen[0] += top
                    seen[1] += weight
        for key, top in query.pair_top.items():
            for code in places.get(key, ()):
                k = code >> shift
                seen = tops.get(k)
                if seen is not None:
                    seen[0] += top
                    seen[1] += phrases[k].pair_weights[code & mask]
        cost = self.cost
        q_floor = query.required + cost * query.optional_total + query.pair_floor
        floors = self.floors
        out = []
        for k, (q_top, p_top) in tops.items():
            q = q_top / q_floor if q_floor > 0 else 1.0
            p = p_top / floors[k] if floors[k] > 0 else 1.0
            q = 1.0 if q > 1.0 else q
            p = 1.0 if p > 1.0 else p
            out.append((-(1 + BETA2) * q * p / (BETA2 * p + q) if q + p > 0 else 0.0, k))
        return out

    def score(self, query: Query, cover: float, text: str, bounds: list[tuple[float, int]]) -> float:
        """The entry's score for a message (`text`: its accents-off words), from its cover and the
        phrasings' bounds (sorted here, best first)."""
        best_phrase = 0.0
        best_ratio = 0.0
        cost = self.cost
        phrases = self.phrases
        bounds.sort()
        for minus_bound, k in bounds:
            bound = -minus_bound
            phrase = phrases[k]
            best_ratio = max(best_ratio, fuzz.ratio(text, phrase.folded) / 100.0)
            if bound <= best_phrase:
                continue  # cannot beat the best phrasing found
            q_cover, p_cover = _phrase_cover(phrase, query, cost)
            if q_cover + p_cover <= 0:
                continue
            f = (1 + BETA2) * q_cover * p_cover / (BETA2 * p_cover + q_cover)
            if f > best_phrase:
                best_phrase = f
        return combine(cover, best_phrase, best_ratio)


def _accent_credit(typed: str | None, forms: Iterable[str]) -> float:
    """Full credit unless the word was typed with accents that the FAQ never writes it with."""
    if typed is None:
        return 1.0
    for form in forms:
        if form == typed or form == fold_word(form):
            return 1.0
    return ACCENT_MISMATCH


def _phrase_cover(phrase: Phrase, query: Query, cost: float) -> tuple[float, float]:
    """(share of the message's weight the phrase explains, share of the phrase's weight matched).

    An optional word left unmatched counts only `cost` of its weight, on either side. Adjacent
    topic words matched in order add evidence; a pair missing on the other side counts a little
    against, more when both its words are there but apart ("mở cửa ... gửi hàng" is not
    "mở cửa hàng").
    """
    q_best: dict[int, float] = {}
    p_best: dict[int, float] = {}
    by_target = query.by_target
    forms = phrase.forms
    for j, fold in enumerate(phrase.folds):
        hits = by_target.get(fold)
        if hits is None:
            continue
        form = forms[j]
        for i, credit, accented in hits:
            if accented is not None and form != accented and form != fold:
                credit *= ACCENT_MISMATCH
            if credit > q_best.get(i, 0.0):
                q_best[i] = credit
            if credit > p_best.get(j, 0.0):
                p_best[j] = credit
    if not p_best:
        return 0.0, 0.0
    tokens = query.tokens
    q_got = q_optional = 0.0
    for i, credit in q_best.items():
        q = tokens[i]
        q_got += q.weight * credit
        if q.optional:
            q_optional += q.weight * credit
    # Unmatched optional words count `cost` of their weight, matched ones all of it.
    q_total = query.required + cost * query.optional_total + (1.0 - cost) * q_optional
    weights, optional = phrase.weights, phrase.optional
    p_got = p_optional = 0.0
    for j, credit in p_best.items():
        p_got += weights[j] * credit
        if optional[j]:
            p_optional += weights[j] * credit
    p_total = phrase.required + cost * phrase.optional_total + (1.0 - cost) * p_optional
    if phrase.pairs or query.pairs:
        p_pair: dict[int, float] = {}
        q_pair: dict[int, float] = {}
        pair_hits = query.pair_hits
        for k, key in enumerate(phrase.pairs):
            for qk, credit in pair_hits.get(key, ()):
                p_pair[k] = max(p_pair.get(k, 0.0), credit)
                q_pair[qk] = max(q_pair.get(qk, 0.0), credit)
        for qk, (_, weight, a, b) in enumerate(query.pairs):
            got = q_pair.get(qk, 0.0)
            missing = PAIR_COST + (SPLIT_COST - PAIR_COST) * min(q_best.get(a, 0.0), q_best.get(b, 0.0))
            q_got += weight * got
            q_total += weight * (got + missing * (1.0 - got))
        for k, (weight, (a, b)) in enumerate(zip(phrase.pair_weights, phrase.pair_words, strict=True)):
            got = p_pair.get(k, 0.0)
            missing = PAIR_COST + (SPLIT_COST - PAIR_COST) * min(p_best.get(a, 0.0), p_best.get(b, 0.0))
            p_got += weight * got
            p_total += weight * (got + missing * (1.0 - got))
    return q_got / q_total, p_got / p_total
