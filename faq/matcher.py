"""Pure ranking of FAQ entries for one message: weighted fuzzy token matching, two-gate decision."""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.facets import find_facet
from faq.normalize import Normalizer, fold_accents, fold_word, has_accents
from faq.schema import Entry, Facet, FaqBook

# Words that say nothing about the topic: they weigh this fraction of their IDF, whatever the FAQ.
GENERIC_WORDS = frozenset(
    fold_accents(w)
    for w in str.split(
        "là có không được bị và với của cho thì mà nếu khi nào gì sao thế như vậy rồi đã đang "
        "sẽ cũng còn nữa mới lại ra vào lên xuống đi đến về ở tại trong ngoài trên dưới này kia "
        "đó ấy đây các những mọi một nhiều ít rất lắm quá hơn nhất phải cần nên muốn làm xin hỏi "
        "biết giúp hay hoặc hết mất bao nhiêu mấy ai đâu chưa vẫn đều thể việc cái người ta họ nó "
        "em anh chị tôi mình tui cháu bạn ạ ơi vâng dạ ok thủ tục giấy tờ hồ sơ nộp gửi nhận lấy "
        "đăng ký cách bước thế nào làm sao được không ạ nhé nha vậy thế bây giờ giờ bị muốn "
        "thì là ở chỗ nơi đâu cần phải có những gì nào ra sao"
    )
)
GENERIC_FACTOR = 0.3
FACET_FACTOR = 0.5
DIGIT_FACTOR = 0.3
ACCENT_MISMATCH = 0.6
"""Credit when an accented word matches only once accents are removed (cưới vs cuối)."""
TYPO_CREDIT = 0.7
PHONETIC_CREDIT = 0.75
SHORTLIST = 30
"""Entries fully scored per message, chosen by the rare words they share with it."""
COMMON_SHARE = 0.08
"""Words in more than this share of entries are left out of shortlisting (not of scoring)."""
SUGGEST_WINDOW = 25.0
"""Suggestions stay within this many points of the best one."""
MAX_TOKENS = 60
KEEP = 5
"""Candidates reported per message."""
W_COVER, W_PHRASE, W_RATIO = 0.45, 0.45, 0.10
"""Score = entry coverage of the query, best phrasing's F-measure, best rapidfuzz ratio."""


def _combine(cover: float, phrase: float, ratio: float) -> float:
    return 100.0 * (W_COVER * cover + W_PHRASE * phrase + W_RATIO * ratio)


def _best_possible(cover: float) -> float:
    """Upper bound of an entry's score from its coverage (a phrase covers no more than its entry)."""
    return _combine(cover, 2 * cover / (1 + cover) if cover > 0 else 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One title, question or keyword of an entry, ready for scoring (compact: 4,000 entries fit)."""

    folds: tuple[str, ...]
    """Distinct accents-off words."""
    forms: tuple[str, ...]
    """The accented form of each word, as written in the FAQ."""
    weights: tuple[float, ...]
    total: float
    folded: str
    """The accents-off phrase, for rapidfuzz."""


@dataclass(frozen=True, slots=True)
class _QueryToken:
    accented: str | None
    """The typed accented form, None when typed without accents (any accent is fine)."""
    weight: float
    targets: tuple[tuple[str, float], ...]
    """(folded vocabulary token, credit) this word may stand for."""


def _class_factor(folded: str, in_facet: bool) -> float:
    if folded.isdigit():
        return DIGIT_FACTOR
    if folded in GENERIC_WORDS:
        return GENERIC_FACTOR
    return FACET_FACTOR if in_facet else 1.0


def _facet_positions(tokens: Sequence[str]) -> tuple[set[int], Facet | None]:
    hit = find_facet(tokens)
    return {i for start, end in hit.spans for i in range(start, end)}, hit.facet


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


class Matcher:
    """Ranks the entries of one FaqBook for a message; everything is precomputed here."""

    def __init__(
        self, book: FaqBook, settings: MatchSettings = MatchSettings()  # noqa: B008 (frozen)
    ) -> None:
        self.book = book
        self.settings = settings
        self.normalizer = Normalizer.for_pairs(book.synonyms)
        entries = book.entries
        raw: list[tuple[int, tuple[str, ...], tuple[str, ...], frozenset[int]]] = []
        entry_vocab: list[dict[str, tuple[str, ...]]] = [{} for _ in entries]
        glued: dict[str, int] = {}
        for index, entry in enumerate(entries):
            vocab = entry_vocab[index]
            for text in _phrases(entry):
                content = tuple(sys.intern(t) for t in self.normalizer.analyze(text).content)
                if not content:
                    continue
                positions, _ = _facet_positions(content)
                folded = tuple(fold_word(t) for t in content)
                raw.append((index, content, folded, frozenset(positions)))
                for token, fold in zip(content, folded, strict=True):
                    forms = vocab.get(fold, ())
                    if token not in forms:
                        vocab[fold] = (*forms, token)
                for a, b in itertools.pairwise(folded):
                    if a not in GENERIC_WORDS and b not in GENERIC_WORDS:
                        glued.setdefault(a + b, len(a))
        df: dict[str, int] = {}
        postings: dict[str, list[int]] = {}
        for index, vocab in enumerate(entry_vocab):
            for fold in vocab:
                df[fold] = df.get(fold, 0) + 1
                postings.setdefault(fold, []).append(index)
        n = max(len(entries), 1)
        self._idf = {fold: math.log(1.0 + n / count) for fold, count in df.items()}
        self._unknown_idf = math.log(1.0 + n / 0.75)
        self._postings = {fold: tuple(indexes) for fold, indexes in postings.items()}
        self._common = max(30, int(COMMON_SHARE * n))
        self._entry_vocab = entry_vocab
        self._glued = {word: k for word, k in glued.items() if word not in df}
        weights: dict[tuple[str, bool], float] = {}
        self._phrases_of: list[list[_Phrase]] = [[] for _ in entries]
        for index, content, folded, in_facet in raw:
            best: dict[str, tuple[str, float]] = {}
            for i, (token, fold) in enumerate(zip(content, folded, strict=True)):
                role = (fold, i in in_facet)
                weight = weights.get(role)
                if weight is None:
                    weight = weights[role] = self._idf[fold] * _class_factor(*role)
                # A word repeated in a phrase counts once, at its highest weight.
                if fold not in best or best[fold][1] < weight:
                    best[fold] = (token, weight)
            self._phrases_of[index].append(
                _Phrase(
                    tuple(best),
                    tuple(form for form, _ in best.values()),
                    tuple(weight for _, weight in best.values()),
                    sum(weight for _, weight in best.values()),
                    " ".join(folded),
                )
            )
        by_delete: dict[str, set[str]] = {}
        by_sound: dict[str, set[str]] = {}
        for fold in df:
            if len(fold) >= 3 and fold.isalpha():
                for key in (fold, *_deletes(fold)):
                    by_delete.setdefault(key, set()).add(fold)
            if len(fold) >= 2 and fold.isalpha():
                by_sound.setdefault(phonetic_key(fold), set()).add(fold)
        self._by_delete = {key: tuple(sorted(words)) for key, words in by_delete.items()}
        self._by_sound = {key: tuple(sorted(words)) for key, words in by_sound.items()}

    # -- query side -------------------------------------------------------------------------

    def _lookup(self, fold: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words a typed word may stand for, with the credit each gets."""
        if fold in self._idf:
            return ((fold, 1.0),)
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
        return tuple(sorted(found.items()))

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

    def _query(self, content: Sequence[str]) -> list[_QueryToken]:
        content = self._split(content)
        positions, _ = _facet_positions(content)
        seen: set[str] = set()
        query: list[_QueryToken] = []
        for i, token in enumerate(content[:MAX_TOKENS]):
            fold = fold_accents(token)
            if fold in seen:
                continue
            seen.add(fold)
            targets = self._lookup(fold)
            idf = max((self._idf[t] for t, _ in targets), default=self._unknown_idf)
            query.append(
                _QueryToken(
                    token if has_accents(token) else None,
                    idf * _class_factor(fold, i in positions),
                    targets,
                )
            )
        return query

    # -- scoring ----------------------------------------------------------------------------

    def _shortlist(self, query: Sequence[_QueryToken]) -> list[int]:
        scores: dict[int, float] = {}
        rare = [
            q
            for q in query
            if any(len(self._postings.get(t, ())) <= self._common for t, _ in q.targets)
        ]
        for q in rare or query:
            best: dict[int, float] = {}
            for target, credit in q.targets:
                for index in self._postings.get(target, ()):
                    if credit > best.get(index, 0.0):
                        best[index] = credit
            for index, credit in best.items():
                scores[index] = scores.get(index, 0.0) + q.weight * credit
        ranked = sorted(scores, key=lambda i: (-scores[i], i))
        return ranked[:SHORTLIST]

    def _entry_cover(self, index: int, query: Sequence[_QueryToken], total_q: float) -> float:
        """Share of the query's weight found anywhere in the entry's phrasings."""
        vocab = self._entry_vocab[index]
        covered = 0.0
        for q in query:
            best = 0.0
            for target, credit in q.targets:
                forms = vocab.get(target)
                if forms is not None:
                    best = max(best, credit * _accent_credit(q.accented, forms))
            covered += q.weight * best
        return covered / total_q

    def _score(
        self, index: int, query: Sequence[_QueryToken], total_q: float, cover: float, folded: str
    ) -> float:
        best_phrase = 0.0
        best_ratio = 0.0
        for phrase in self._phrases_of[index]:
            q_cover, p_cover = _phrase_cover(phrase, query, total_q)
            if q_cover + p_cover <= 0:
                continue
            f = 2 * q_cover * p_cover / (q_cover + p_cover)
            if f > best_phrase:
                best_phrase = f
            best_ratio = max(best_ratio, fuzz.ratio(folded, phrase.folded) / 100.0)
        return _combine(cover, best_phrase, best_ratio)

    def rank(self, text: str) -> tuple[list[Candidate], Facet | None, bool, bool]:
        """Scored candidates best first, the facet, facet_only and preamble_only for a message."""
        analysis = self.normalizer.analyze(text[: self.settings.max_input_chars])
        if analysis.preamble_only:
            return [], None, False, True
        content = analysis.content
        positions, facet = _facet_positions(content)
        query = self._query(content)
        total_q = sum(q.weight for q in query)
        if not query or total_q <= 0:
            return [], facet, False, False
        topic = [
            t
            for i, t in enumerate(content)
            if i not in positions and fold_accents(t) not in GENERIC_WORDS
        ]
        facet_only = facet is not None and not topic
        folded = " ".join(fold_accents(t) for t in content)
        covers = sorted(
            ((self._entry_cover(i, query, total_q), i) for i in self._shortlist(query)),
            key=lambda ci: (-ci[0], ci[1]),
        )
        keep = max(KEEP, self.settings.max_suggestions + 1)
        scored: list[tuple[float, int]] = []
        for cover, index in covers:
            # Covers are sorted, so once the best possible score of this entry cannot enter
            # the kept top, no later entry can either.
            if len(scored) >= keep and _best_possible(cover) < scored[keep - 1][0]:
                break
            score = round(self._score(index, query, total_q, cover, folded), 2)
            scored.append((score, index))
            scored.sort(key=lambda si: (-si[0], si[1]))
        entries = self.book.entries
        return (
            [Candidate(entries[i], score) for score, i in scored[:keep]],
            facet,
            facet_only,
            False,
        )

    def match(self, text: str) -> MatchResult:
        """The decision for one message: answer, suggest or none, with facet and candidates."""
        scored, facet, facet_only, preamble_only = self.rank(text)
        s = self.settings
        kept = tuple(scored[: max(KEEP, s.max_suggestions)])
        if preamble_only or not scored:
            return MatchResult(
                Kind.NONE, 0.0, facet=facet, facet_only=facet_only,
                preamble_only=preamble_only,
            )  # fmt: skip
        top = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        common = {"facet": facet, "facet_only": facet_only, "candidates": kept}
        if top.score >= s.answer_threshold and top.score - runner_up >= s.answer_margin:
            return MatchResult(Kind.ANSWER, top.score, entry=top.entry, **common)  # type: ignore[arg-type]
        suggestions = tuple(
            c.entry
            for c in scored
            if c.score >= s.suggest_threshold
            and c.score >= top.score - SUGGEST_WINDOW
            and not c.entry.is_small_talk
        )[: s.max_suggestions]
        if suggestions:
            return MatchResult(Kind.SUGGEST, top.score, suggestions=suggestions, **common)  # type: ignore[arg-type]
        return MatchResult(Kind.NONE, top.score, **common)  # type: ignore[arg-type]


def _accent_credit(typed: str | None, forms: Iterable[str]) -> float:
    """Full credit unless the word was typed with accents that the FAQ never writes it with."""
    if typed is None:
        return 1.0
    for form in forms:
        if form == typed or form == fold_word(form):
            return 1.0
    return ACCENT_MISMATCH


def _phrase_cover(
    phrase: _Phrase, query: Sequence[_QueryToken], total_q: float
) -> tuple[float, float]:
    """(share of the query's weight the phrase explains, share of the phrase's weight matched)."""
    folds = phrase.folds
    q_got = 0.0
    p_best: dict[int, float] = {}
    for q in query:
        best = 0.0
        for target, credit in q.targets:
            if target not in folds:
                continue
            j = folds.index(target)
            form = phrase.forms[j]
            if q.accented is not None and form != q.accented and form != target:
                credit *= ACCENT_MISMATCH
            if credit > best:
                best = credit
            if credit > p_best.get(j, 0.0):
                p_best[j] = credit
        q_got += q.weight * best
    if not p_best or phrase.total <= 0:
        return 0.0, 0.0
    weights = phrase.weights
    p_got = sum(weights[j] * c for j, c in p_best.items())
    return q_got / total_q, p_got / phrase.total


def _phrases(entry: Entry) -> Iterable[str]:
    yield entry.title
    yield from entry.questions
    yield from entry.keywords
