"""The lexical stage: pure ranking of FAQ entries by weighted fuzzy token matching, and its own
two-gate decision (used alone when the semantic stage cannot run).

How a message is scored against an entry, in words:
- Both sides are normalised the same way (faq.normalize) and compared on accents-off words, so
  "dang ky tam tru" finds "đăng ký tạm trú"; a word typed *with* accents that the FAQ writes with
  other accents (phường/phương) gets little credit. Unknown words are looked up as typos
  (one edit away) or dialect spellings (tr/ch, s/x, d/gi/r...), with partial credit.
- Each word weighs its IDF over entries: rare words (tạm trú, khai sinh) outweigh words found
  everywhere. Generic words (làm, thủ tục, cần, gì) and facet words (bao nhiêu tiền, ở đâu,
  online) weigh less and are *optional*: left unmatched they cost nothing, because every
  procedure answers "where" or "how much" from its own fields, not from its phrasings.
- The score mixes (a) the best single phrasing (title, question or keyword): the F-measure of
  how much of the message it explains and how much of it the message says; (b) how much of the
  message the entry's phrasings explain together; (c) rapidfuzz's ratio to the best phrasing.
- Only a shortlist of entries sharing topic words with the message is considered. Each gets an
  upper bound of its score from the words and pairs its phrasings share with the message; entries
  are scored best bound first, and within an entry only phrasings whose bound can still beat the
  best found, stopping once nothing left can enter the kept top (the pruning never changes the
  ranking). Rankings of recent messages are kept in a small LRU.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from faq.answer_terms import answer_texts
from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.facets import FacetFinder
from faq.normalize import Normalizer, fold_accents, fold_word, has_accents
from faq.schema import Entry, Facet, FaqBook

# Words that say nothing about the topic, whatever the FAQ (as written, with accents).
GENERIC_WORDS = frozenset(
    str.split(
        "là có không được bị và với của cho thì mà nếu khi nào gì sao thế như vậy rồi đã đang "
        "sẽ cũng còn nữa mới lại ra vào lên xuống đi đến về ở tại trong ngoài trên dưới này kia "
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
GENERIC_FACTOR = 0.45
UNKNOWN_FACTOR = 1.0
"""Weight of a word no entry has, relative to a word only one entry has."""
FACET_FACTOR = 0.8
DIGIT_FACTOR = 0.3
ACCENT_MISMATCH = 0.6
"""Credit when an accented word matches only once accents are removed (cưới vs cuối)."""
TYPO_CREDIT = 0.7
PHONETIC_CREDIT = 0.75
CACHE_SIZE = 1024
"""Messages whose ranking is remembered (least recently used dropped first)."""
SHORTLIST = 30
"""Entries fully scored per message at most, chosen by the rare words they share with it."""
COMMON_SHARE = 0.08
"""Words in more than this share of entries are left out of shortlisting (not of scoring)."""
SUGGEST_WINDOW = 25.0
"""Suggestions stay within this many points of the best one."""
ALTERNATIVE_WINDOW = 10.0
"""Runners-up within this many points of a confident answer are offered beside it."""
MAX_TOKENS = 60
KEEP = 5
"""Candidates reported per message."""
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


def _combine(cover: float, phrase: float, ratio: float) -> float:
    return 100.0 * (W_COVER * cover + W_PHRASE * phrase + W_RATIO * ratio)


class _Ranking(NamedTuple):
    """What ranking found for one message (cached by its meaningful words)."""

    candidates: tuple[Candidate, ...]
    facet: Facet | None
    facet_only: bool
    preamble_only: bool
    foreign: bool
    """The message names a word no entry uses (see Matcher.foreign_words)."""


@dataclass(frozen=True, slots=True)
class _Phrase:
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


@dataclass(frozen=True, slots=True)
class _Query:
    tokens: list[_QueryToken]
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
class _QueryToken:
    accented: str | None
    """The typed accented form, None when typed without accents (any accent is fine)."""
    weight: float
    optional: bool
    targets: tuple[tuple[str, float], ...]
    """(accents-off vocabulary word, credit) this word may stand for."""
    generic: bool = False
    """Says nothing about the topic (làm, gì, thủ tục): not used to shortlist entries."""


_NUMBER = re.compile(r"\d+[^\W\d_]{0,2}|\d+x+")


@lru_cache(maxsize=1 << 16)
def _role(token: str, in_facet: bool) -> tuple[float, bool]:
    """(weight factor, optional) of a word from what it is."""
    if _NUMBER.fullmatch(token):  # "14", "14t" (tuổi), "09xx": numbers say little
        return DIGIT_FACTOR, True
    if is_generic(token):
        return GENERIC_FACTOR, True
    return (FACET_FACTOR, True) if in_facet else (1.0, False)


@lru_cache(maxsize=1 << 16)
def _pairable(token: str) -> bool:
    return not token.isdigit() and not is_generic(token)


_PHONETIC_INITIALS = (("tr", "ch"), ("gi", "d"), ("r", "d"), ("s", "x"), ("l", "n"))
_PHONETIC_FINALS = (("ng", "n"), ("nh", "n"), ("ch", "t"), ("c", "t"), ("y", "i"))


def phonetic_key(folded: str) -> str:
    """A key merging common dialect spellings (tr/ch, s/x, d/gi/r, l/n, -n/-ng, -t/-c)."""
    for old, new in _PHONETIC_INITIALS:
        if folded.startswith(old):
            folded = new + folded[len(old) :]
            break
    for old, new in _PHONETIC_FINALS:
        if folded.endswith(old):
            folded = folded[: -len(old)] + new
            break
    return folded


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Subset:
    """The entries one office may be answered from, as indexes into the indexed book."""

    key: str
    """Names the subset in the ranking cache (one office id)."""
    indexes: frozenset[int]


class LexicalMatcher:
    """Ranks the entries of one FaqBook for a message by their words; everything is precomputed here."""

    def __init__(
        self,
        book: FaqBook,
        settings: MatchSettings = MatchSettings(),  # noqa: B008 (frozen)
        cache_size: int = CACHE_SIZE,
        families: Sequence[str] | None = None,
    ) -> None:
        """`families`: per entry, what it stands for (an office's version of a shared entry stands for
        that entry); entries of one family count once in word weights. None: every entry its own."""
        self.book = book
        self.settings = settings
        self.normalizer = Normalizer.for_pairs(book.synonyms)
        # Recent messages, by their meaningful words (the same question often comes back).
        self._cache: OrderedDict[tuple[str, ...], _Ranking] = OrderedDict()
        self._cache_size = cache_size
        self._facets = FacetFinder(self.normalizer)
        entries = book.entries
        self._terms = self._find_terms(book)
        raw: list[tuple[int, tuple[str, ...], tuple[str, ...], frozenset[int]]] = []
        entry_vocab: list[dict[str, tuple[str, ...]]] = [{} for _ in entries]
        glued: dict[str, int] = {}
        answer_vocab: list[dict[str, set[str]]] = [{} for _ in entries]
        for index, entry in enumerate(entries):
            vocab = entry_vocab[index]
            for text in _phrases(entry):
                words = tuple(sys.intern(t) for t in self.normalizer.analyze(text).content)
                if not words:
                    continue
                for (a, b) in itertools.pairwise(words):
                    if not is_generic(a) and not is_generic(b):
                        fa, fb = fold_word(a), fold_word(b)
                        glued.setdefault(fa + fb, len(fa))
                content = words
                positions, _ = self._facet_positions(content)
                folded = tuple(fold_word(t) for t in content)
                raw.append((index, content, folded, frozenset(positions)))
                for token, fold in zip(content, folded, strict=True):
                    forms = vocab.get(fold, ())
                    if token not in forms:
                        vocab[fold] = (*forms, token)
        for index, entry in enumerate(entries):
            if entry.is_out_of_scope:
                continue  # its summary points elsewhere: its words are no evidence for it
            # Words of the answer itself (summary, steps, documents...) are weaker evidence.
            vocab = entry_vocab[index]
            for token in self.normalizer.tokens(" . ".join(answer_texts(entry))):
                fold = fold_word(token)
                if fold not in vocab and not is_generic(token) and not token.isdigit():
                    answer_vocab[index].setdefault(fold, set()).add(token)
        df: dict[str, int] = {}
        postings: dict[str, list[int]] = {}
        answer_df: dict[str, int] = {}
        outside: set[str] = set()
        # A hundred offices' versions of one procedure must not make its words look common.
        family: Sequence[object] = families if families is not None else range(len(entries))
        counted: set[tuple[str, object]] = set()
        answer_counted: set[tuple[str, object]] = set()
        for index, vocab in enumerate(entry_vocab):
            for fold in vocab:
                postings.setdefault(fold, []).append(index)
                if entries[index].is_out_of_scope:
                    outside.add(fold)
                elif (fold, family[index]) not in counted:
                    counted.add((fold, family[index]))
                    df[fold] = df.get(fold, 0) + 1
            for fold in answer_vocab[index]:
                if (fold, family[index]) not in answer_counted:
                    answer_counted.add((fold, family[index]))
                    answer_df[fold] = answer_df.get(fold, 0) + 1
        # Weights come from the office's own entries only: an out-of-scope topic competes for a
        # message but never changes how procedures score against each other.
        n = max(len({family[i] for i, e in enumerate(entries) if not e.is_out_of_scope}), 1)
        self._unknown_idf = math.log(1.0 + n / 0.75)
        # Answer-only words get an IDF too (so they can be matched), from answers alone; the
        # weights of phrasing words stay those of the phrasings. A word only out-of-scope topics
        # use weighs as one no entry has.
        self._idf = dict.fromkeys(outside, self._unknown_idf)
        self._idf.update({fold: math.log(1.0 + n / count) for fold, count in answer_df.items()})
        self._idf.update({fold: math.log(1.0 + n / count) for fold, count in df.items()})
        self._procedure_words = frozenset(df) | frozenset(answer_df)
        self._postings = {fold: tuple(indexes) for fold, indexes in postings.items()}
        self._common = max(30, int(COMMON_SHARE * n))
        self._entry_vocab = entry_vocab
        self._answer_vocab = [
            {fold: tuple(sorted(forms)) for fold, forms in vocab.items()} for vocab in answer_vocab
        ]
        # Small talk is about the whole message: "xong rồi" must not answer a long question.
        self._optional_cost = [1.0 if e.is_small_talk else OPTIONAL_COST for e in entries]
        self._glued = {word: k for word, k in glued.items() if word not in df}
        self._phrases_of: list[list[_Phrase]] = [[] for _ in entries]
        for index, content, folded, in_facet in raw:
            self._phrases_of[index].append(self._phrase(content, folded, in_facet))
        # Where each word and pair ("a b") sits in an entry's phrasings, as compact codes
        # (phrase index << shift | position, pairs marked by a bit): a message then touches only the
        # phrasings that share something with it, and bounds their scores cheaply.
        longest = max((len(p.folds) for ps in self._phrases_of for p in ps), default=1)
        self._pair_code = 1 << longest.bit_length()
        self._shift = longest.bit_length() + 1
        self._places: list[dict[str, tuple[int, ...]]] = []
        self._floors: list[tuple[float, ...]] = []
        for index, phrases in enumerate(self._phrases_of):
            places: dict[str, list[int]] = {}
            for k, phrase in enumerate(phrases):
                code = k << self._shift
                for j, fold in enumerate(phrase.folds):
                    places.setdefault(fold, []).append(code | j)
                for j, key in enumerate(phrase.pairs):
                    places.setdefault(key, []).append(code | self._pair_code | j)
            self._places.append({key: tuple(codes) for key, codes in places.items()})
            cost = self._optional_cost[index]
            # The least a phrasing's weight can be (the denominator of its own cover).
            self._floors.append(tuple(
                p.required + cost * p.optional_total + PAIR_COST * sum(p.pair_weights)
                for p in phrases
            ))  # fmt: skip
        by_delete: dict[str, set[str]] = {}
        by_sound: dict[str, set[str]] = {}
        for fold in postings:
            if len(fold) >= 3 and fold.isalpha():
                for key in (fold, *_deletes(fold)):
                    by_delete.setdefault(key, set()).add(fold)
            if len(fold) >= 2 and fold.isalpha():
                by_sound.setdefault(phonetic_key(fold), set()).add(fold)
        self._by_delete = {key: tuple(sorted(words)) for key, words in by_delete.items()}
        self._by_sound = {key: tuple(sorted(words)) for key, words in by_sound.items()}

    def _find_terms(self, book: FaqBook) -> dict[str, frozenset[tuple[str, str]]]:
        """Two-word terms the FAQ names on their own in synonyms and keywords ("căn cước",
        "khai sinh", "tạm trú"): accents-off pair -> the accented forms."""
        items = [self.normalizer.tokens(canonical) for canonical, _ in book.synonyms]
        items += [self.normalizer.tokens(k) for e in book.entries for k in e.keywords]
        found: dict[str, set[tuple[str, str]]] = {}
        for words in items:
            if len(words) != 2:
                continue
            a, b = words
            if a.isdigit() or b.isdigit() or (is_generic(a) and is_generic(b)):
                continue
            found.setdefault(f"{fold_word(a)} {fold_word(b)}", set()).add((a, b))
        return {key: frozenset(forms) for key, forms in found.items()}

    def _term_at(self, words: Sequence[str], i: int) -> bool:
        """Whether words i and i+1 are one of the FAQ's two-word terms (accents, if typed, fit)."""
        a, b = words[i], words[i + 1]
        forms = self._terms.get(f"{fold_word(a)} {fold_word(b)}")
        if forms is None:
            return False
        fa, fb = fold_word(a), fold_word(b)
        return any((a in (x, fa)) and (b in (y, fb)) for x, y in forms)

    def _phrase(
        self, content: Sequence[str], folded: Sequence[str], in_facet: frozenset[int]
    ) -> _Phrase:
        best: dict[str, tuple[str, float, bool]] = {}
        for i, (token, fold) in enumerate(zip(content, folded, strict=True)):
            factor, optional = _role(token, i in in_facet)
            weight = self._idf[fold] * factor
            # A word repeated in a phrase counts once, at its highest weight.
            if fold not in best or best[fold][1] < weight:
                best[fold] = (token, weight, optional)
        values = best.values()
        required = sum(w for _, w, optional in values if not optional)
        everything_optional = required <= 0
        pairs: dict[str, tuple[float, tuple[int, int]]] = {}
        order = {fold: j for j, fold in enumerate(best)}
        for (a, b), (fa, fb) in zip(
            itertools.pairwise(content), itertools.pairwise(folded), strict=True
        ):
            if _pairable(a) and _pairable(b) and fa != fb:
                weight = PAIR_FACTOR * (best[fa][1] + best[fb][1]) / 2
                key = sys.intern(f"{fa} {fb}")
                if key not in pairs or pairs[key][0] < weight:
                    pairs[key] = (weight, (order[fa], order[fb]))
        return _Phrase(
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

    def _facet_positions(self, tokens: Sequence[str]) -> tuple[set[int], Facet | None]:
        hit = self._facets.find(tokens)
        return {i for start, end in hit.spans for i in range(start, end)}, hit.facet

    # -- query side -------------------------------------------------------------------------

    def foreign_words(self, text: str) -> tuple[str, ...]:
        """Topic words no FAQ entry uses, even misspelt (numbers and codes such as "14t" are none)."""
        return self._foreign(self.normalizer.analyze(text[: self.settings.max_input_chars]).content)

    def _foreign(self, content: Sequence[str]) -> tuple[str, ...]:
        content = self._split(content)
        facet_positions, _ = self._facet_positions(content)
        return tuple(
            token
            for i, token in enumerate(content)
            if i not in facet_positions
            and len(token) > 1
            and _latin(token)
            and not any(c.isdigit() for c in token)
            and not is_generic(token)
            and not self._procedure_word(fold_word(token))
        )

    def _procedure_word(self, fold: str) -> bool:
        """Whether an in-scope entry uses this word, or one a typo or dialect spelling away."""
        return fold in self._procedure_words or any(
            word in self._procedure_words for word in self._near(fold)
        )

    def _lookup(self, fold: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words a typed word may stand for, with the credit each gets."""
        if fold in self._idf:
            return ((fold, 1.0),)
        return tuple(sorted(self._near(fold).items()))

    def _near(self, fold: str) -> dict[str, float]:
        """Vocabulary words one typo or one dialect spelling away from a word, with their credit."""
        found: dict[str, float] = {}
        if len(fold) >= 3 and fold.isalpha():
            near: set[str] = set(self._by_delete.get(fold, ()))
            for key in _deletes(fold):
                near.update(self._by_delete.get(key, ()))
            for word in sorted(near):
                if OSA.distance(fold, word, score_cutoff=1) <= 1:
                    found[word] = TYPO_CREDIT
        if len(fold) >= 2 and fold.isalpha():
            for word in self._by_sound.get(phonetic_key(fold), ()):
                found[word] = max(found.get(word, 0.0), PHONETIC_CREDIT)
        return found

    def _split(self, tokens: Sequence[str]) -> list[str]:
        """Words glued together ("khaisinh") split back when the FAQ has the pair."""
        out: list[str] = []
        for token in tokens:
            fold = fold_word(token)
            k = self._glued.get(fold) if fold not in self._idf else None
            if k is None:
                out.append(token)
            else:
                out.extend((fold[:k], fold[k:]))
        return out

    def _query(self, content: Sequence[str]) -> _Query:
        content = self._split(content)[:MAX_TOKENS]
        positions, _ = self._facet_positions(content)
        in_term: dict[int, int] = {}
        for i in range(len(content) - 1):
            if self._term_at(content, i):
                in_term[i], in_term[i + 1] = i + 1, i
        by_fold: dict[str, _QueryToken] = {}
        for i, token in enumerate(content):
            fold = fold_word(token)
            if fold in by_fold:
                continue
            targets = self._lookup(fold)
            # A typo may stand for several words: weigh it as the commonest of them.
            idf = min((self._idf[t] for t, _ in targets), default=self._unknown_idf * UNKNOWN_FACTOR)
            factor, optional = _role(token, i in positions)
            generic = optional and i not in positions and is_generic(token)
            if generic and i in in_term and not has_accents(token):
                # "can cuoc" is căn cước, not cần: a word of an FAQ term is no generic word,
                # and weighs as the term's rarer word.
                factor, optional, generic = 1.0, False, False
                idf = max(idf, self._idf.get(fold_word(content[in_term[i]]), 0.0))
            accented = token if has_accents(token) else None
            by_fold[fold] = _QueryToken(accented, idf * factor, optional, targets, generic)
        tokens = list(by_fold.values())
        if all(q.optional for q in tokens):
            # Nothing but generic or facet words ("mất mấy ngày"): then they are all we have.
            tokens = [_QueryToken(q.accented, q.weight, False, q.targets) for q in tokens]
        pairs = []
        index = {fold: i for i, fold in enumerate(by_fold)}
        for a, b in itertools.pairwise(content):
            fa, fb = fold_word(a), fold_word(b)
            if _pairable(a) and _pairable(b) and fa != fb:
                qa, qb = by_fold[fa], by_fold[fb]
                # Only words the FAQ has as typed: typo guesses make spurious pairs.
                keys = tuple(
                    (f"{ta} {tb}", 1.0)
                    for ta, ca in qa.targets
                    for tb, cb in qb.targets
                    if ca == cb == 1.0
                )
                if keys:
                    weight = PAIR_FACTOR * (qa.weight + qb.weight) / 2
                    pairs.append((keys, weight, index[fa], index[fb]))
        by_target: dict[str, list[tuple[int, float, str | None]]] = {}
        for i, q in enumerate(tokens):
            for target, credit in q.targets:
                by_target.setdefault(target, []).append((i, credit, q.accented))
        pair_hits: dict[str, list[tuple[int, float]]] = {}
        for k, (keys, _, _, _) in enumerate(pairs):
            for key, credit in keys:
                pair_hits.setdefault(key, []).append((k, credit))
        target_top = {
            target: max(tokens[i].weight * credit for i, credit, _ in hits)
            for target, hits in by_target.items()
        }
        return _Query(
            tokens,
            pairs,
            required=sum(q.weight for q in tokens if not q.optional),
            optional_total=sum(q.weight for q in tokens if q.optional),
            by_target=by_target,
            pair_hits=pair_hits,
            target_top=target_top,
            pair_top={
                key: max(pairs[k][1] * credit for k, credit in hits)
                for key, hits in pair_hits.items()
            },
            pair_floor=PAIR_COST * sum(weight for _, weight, _, _ in pairs),
        )

    # -- scoring ----------------------------------------------------------------------------

    def _shortlist(self, query: Sequence[_QueryToken], subset: Subset | None = None) -> list[int]:
        """Entries (of the subset, if one is given) sharing the most (rare) weight with the message,
        best first."""
        allowed = subset.indexes if subset is not None else None
        postings = self._postings
        # Entries that share only generic words with the message seldom explain it: they are
        # shortlisted only when no entry shares anything else.
        rare = [
            q
            for q in query
            if not q.generic and any(len(postings.get(t, ())) <= self._common for t, _ in q.targets)
        ]
        for group in (rare, query):
            scores: dict[int, float] = {}
            for q in group:
                best: dict[int, float] = {}
                for target, credit in q.targets:
                    for index in postings.get(target, ()):
                        if credit > best.get(index, 0.0):
                            best[index] = credit
                for index, credit in best.items():
                    if allowed is None or index in allowed:
                        scores[index] = scores.get(index, 0.0) + q.weight * credit
            if scores:
                break
        ranked = sorted(scores, key=lambda i: (-scores[i], i))
        return ranked[:SHORTLIST]

    def _entry_cover(self, index: int, query: _Query) -> tuple[float, float]:
        """(share of the message's weight found anywhere in the entry, an upper bound of the
        entry's score from the words and pairs its phrasings have)."""
        vocab = self._entry_vocab[index]
        answer = self._answer_vocab[index]
        cost = self._optional_cost[index]
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
            places = self._places[index]
            q_top += sum(top for key, top in query.pair_top.items() if key in places)
        q_floor = query.required + cost * query.optional_total
        share = min(1.0, q_top / (q_floor + query.pair_floor)) if q_floor > 0 else 1.0
        f = (1 + BETA2) * share / (BETA2 + share) if share > 0 else 0.0
        return cover, _combine(cover, f, 1.0)

    def _bounds(self, index: int, query: _Query) -> list[tuple[float, int]]:
        """(minus an upper bound of the F-measure, phrase index) of each phrasing of an entry
        that shares a word with the message, in no order."""
        places = self._places[index]
        phrases = self._phrases_of[index]
        tops: dict[int, list[float]] = {}
        shift, mask = self._shift, self._pair_code - 1
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
        cost = self._optional_cost[index]
        q_floor = query.required + cost * query.optional_total + query.pair_floor
        floors = self._floors[index]
        out = []
        for k, (q_top, p_top) in tops.items():
            q = q_top / q_floor if q_floor > 0 else 1.0
            p = p_top / floors[k] if floors[k] > 0 else 1.0
            q = 1.0 if q > 1.0 else q
            p = 1.0 if p > 1.0 else p
            out.append((-(1 + BETA2) * q * p / (BETA2 * p + q) if q + p > 0 else 0.0, k))
        return out

    def _score(
        self,
        index: int,
        query: _Query,
        cover: float,
        text: str,
        bounds: list[tuple[float, int]],
    ) -> float:
        best_phrase = 0.0
        best_ratio = 0.0
        cost = self._optional_cost[index]
        phrases = self._phrases_of[index]
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
        return _combine(cover, best_phrase, best_ratio)

    def rank(
        self, text: str, subset: Subset | None = None
    ) -> tuple[list[Candidate], Facet | None, bool, bool]:
        """Scored candidates best first, the facet, facet_only and preamble_only for a message."""
        r = self._ranking(text, decisive=False, subset=subset)
        return list(r.candidates), r.facet, r.facet_only, r.preamble_only

    def _ranking(self, text: str, decisive: bool = True, subset: Subset | None = None) -> _Ranking:
        analysis = self.normalizer.analyze(text[: self.settings.max_input_chars])
        if analysis.preamble_only:
            return _Ranking((), None, False, True, False)
        content = analysis.content
        key = (*content, "\x00") if decisive else content  # the two kinds of ranking differ
        if subset is not None:
            key = (*key, "\x01", subset.key)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        candidates, facet, facet_only, _ = self._rank(content, decisive, subset)
        # Judged once per distinct message, and only when it can stop an answer.
        foreign = (
            self._confident(candidates)
            and candidates[0].entry.is_procedure
            and bool(self._foreign(content))
        )
        found = _Ranking(tuple(candidates), facet, facet_only, False, foreign)
        if self._cache_size > 0:
            self._cache[key] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def _rank(
        self, content: tuple[str, ...], decisive: bool = False, subset: Subset | None = None
    ) -> tuple[list[Candidate], Facet | None, bool, bool]:
        """Top candidates; when `decisive`, only those that can change match()'s decision."""
        positions, facet = self._facet_positions(content)
        facet_only = facet is not None and all(
            i in positions or is_generic(t) or t.isdigit()
            for i, t in enumerate(content)
        )
        folded = " ".join(fold_word(t) for t in content)
        query = self._query(content)
        if not query.tokens or query.required <= 0:
            return [], facet, facet_only, False
        bounded = []
        for index in self._shortlist(query.tokens, subset):
            cover, bound = self._entry_cover(index, query)
            bounded.append((bound, cover, index))
        # Best bound first: once an entry's bound cannot enter the kept top, no later one can.
        bounded.sort(key=lambda bci: (-bci[0], bci[2]))
        s = self.settings
        keep = max(KEEP, s.max_suggestions + 1)
        scored: list[tuple[float, int]] = []
        # When decisive, entries below `floor` can change no decision: never suggested, and
        # further below the top than the answer margin. It only rises as better ones are found.
        floor = -math.inf
        for bound, cover, index in bounded:
            if bound < floor or (len(scored) >= keep and bound < scored[keep - 1][0]):
                break
            bounds = self._bounds(index, query)
            best_f = -min(bounds)[0] if bounds else 0.0
            best = _combine(cover, best_f, 1.0)
            if best < floor or (len(scored) >= keep and best < scored[keep - 1][0]):
                continue  # this entry cannot enter the kept top; a later one still may
            score = round(self._score(index, query, cover, folded, bounds), 2)
            scored.append((score, index))
            scored.sort(key=lambda si: (-si[0], si[1]))
            if decisive:
                floor = min(s.suggest_threshold, scored[0][0] - s.answer_margin)
        entries = self.book.entries
        candidates = [Candidate(entries[i], score) for score, i in scored[:keep]]
        return candidates, facet, facet_only, False

    def match(self, text: str, subset: Subset | None = None) -> MatchResult:
        """The decision for one message: answer, suggest or none, with facet and candidates."""
        return self._decide(self._ranking(text, subset=subset))

    def match_ranked(self, text: str, subset: Subset | None = None) -> MatchResult:
        """match(), with every one of the top candidates scored (for a decision that weighs them)."""
        return self._decide(self._ranking(text, decisive=False, subset=subset))

    def _confident(self, scored: Sequence[Candidate]) -> bool:
        """Whether the top candidate passes both gates (the unknown-word gate aside)."""
        if not scored:
            return False
        s = self.settings
        top = scored[0].score
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        return top >= s.answer_threshold and top - runner_up >= s.answer_margin

    def _decide(self, ranking: _Ranking) -> MatchResult:
        scored, facet, facet_only = ranking.candidates, ranking.facet, ranking.facet_only
        preamble_only = ranking.preamble_only
        s = self.settings
        if preamble_only or not scored:
            return MatchResult(
                Kind.NONE, 0.0, facet=facet, facet_only=facet_only, preamble_only=preamble_only
            )
        kept = tuple(scored[: max(KEEP, s.max_suggestions)])
        top = scored[0]
        if top.entry.is_out_of_scope:
            # Nearer to something the office does not handle than to any of its procedures:
            # saying so (and who handles it) beats guessing the nearest procedure.
            return MatchResult(
                Kind.NONE, top.score, candidates=kept, facet=facet, facet_only=facet_only,
                declined=top.entry if top.score >= s.suggest_threshold else None,
            )  # fmt: skip
        # A message naming something the FAQ never mentions ("facebook", "điểm thi") is not
        # answered: the nearest procedure is only a guess, so it is offered, not asserted.
        if self._confident(scored) and (top.entry.is_small_talk or not ranking.foreign):
            # Close runners-up are offered beside the answer: near-twins (nộp / nhận / cước qua bưu
            # điện) are where a confident answer is most often the wrong one.
            alternatives = tuple(
                c.entry
                for c in scored[1:]
                if c.score >= s.suggest_threshold
                and c.score >= top.score - ALTERNATIVE_WINDOW
                and c.entry.is_procedure
            )[: s.max_suggestions - 1] if top.entry.is_procedure else ()
            return MatchResult(
                Kind.ANSWER, top.score, entry=top.entry, suggestions=alternatives, candidates=kept,
                facet=facet, facet_only=facet_only,
            )  # fmt: skip
        suggestions = tuple(
            c.entry
            for c in scored
            if c.score >= s.suggest_threshold
            and c.score >= top.score - SUGGEST_WINDOW
            and c.entry.is_procedure
        )[: s.max_suggestions]
        kind = Kind.SUGGEST if suggestions else Kind.NONE
        return MatchResult(
            kind, top.score, suggestions=suggestions, candidates=kept, facet=facet,
            facet_only=facet_only,
        )  # fmt: skip


def _latin(token: str) -> bool:
    """Written in Vietnamese/Latin letters (another script is not a word the FAQ could know)."""
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in token)


def _accent_credit(typed: str | None, forms: Iterable[str]) -> float:
    """Full credit unless the word was typed with accents that the FAQ never writes it with."""
    if typed is None:
        return 1.0
    for form in forms:
        if form == typed or form == fold_word(form):
            return 1.0
    return ACCENT_MISMATCH


def _phrase_cover(phrase: _Phrase, query: _Query, cost: float) -> tuple[float, float]:
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
            missing = PAIR_COST + (SPLIT_COST - PAIR_COST) * min(
                q_best.get(a, 0.0), q_best.get(b, 0.0)
            )
            q_got += weight * got
            q_total += weight * (got + missing * (1.0 - got))
        for k, (weight, (a, b)) in enumerate(
            zip(phrase.pair_weights, phrase.pair_words, strict=True)
        ):
            got = p_pair.get(k, 0.0)
            missing = PAIR_COST + (SPLIT_COST - PAIR_COST) * min(
                p_best.get(a, 0.0), p_best.get(b, 0.0)
            )
            p_got += weight * got
            p_total += weight * (got + missing * (1.0 - got))
    return q_got / q_total, p_got / p_total


def _phrases(entry: Entry) -> Iterable[str]:
    """Every phrasing of an entry: its title, questions and keywords."""
    yield entry.title
    yield from entry.questions
    yield from entry.keywords


def entry_texts(entry: Entry) -> Iterable[str]:
    """Every text of an entry: its phrasings, then its answer."""
    yield from _phrases(entry)
    yield from answer_texts(entry)
