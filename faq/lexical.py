"""The lexical stage: pure ranking of FAQ entries by weighted fuzzy token matching, and its own
two-gate decision (used alone when the semantic stage cannot run). It indexes the FAQ's words, reads
a message against them and keeps the best entries; how a message scores against one entry is
faq.lexical_score's.

In words:
- Both sides are normalised the same way (faq.normalize) and compared on accents-off words, so
  "dang ky tam tru" finds "đăng ký tạm trú". Unknown words are looked up as typos (one edit away)
  or dialect spellings (tr/ch, s/x, d/gi/r...), with partial credit (faq.near_words).
- Each word weighs its IDF over entries: rare words (tạm trú, khai sinh) outweigh words found
  everywhere.
- Only a shortlist of entries sharing topic words with the message is considered. Each gets an
  upper bound of its score from the words and pairs its phrasings share with the message; entries
  are scored best bound first, stopping once nothing left can enter the kept top (the pruning
  never changes the ranking). Rankings of recent messages are kept in a small LRU.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from faq.answer_terms import answer_texts
from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.facets import FacetFinder, asks_how_far
from faq.lexical_score import (
    GENERIC_WORDS,
    OPTIONAL_COST,
    PAIR_COST,
    PAIR_FACTOR,
    EntryWords,
    Phrase,
    Query,
    QueryToken,
    combine,
    is_generic,
    is_person,
    pairable,
    word_role,
)
from faq.near_words import NearWords
from faq.normalize import Normalizer, fold_word, has_accents
from faq.residence import RESIDENCE_TERMS, context_positions
from faq.schema import Entry, Facet, FaqBook
from faq.senses import lost_papers

UNKNOWN_FACTOR = 1.0
"""Weight of a word no entry has, relative to a word only one entry has."""
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
NAMED_MAX = 6
"""Longest of the FAQ's named terms looked for in a message, in words."""
RESIDENCE_FACTOR = 0.35
"""Weight of a residence term that only says where the citizen lives, relative to a topic word."""
MAX_TOKENS = 60
KEEP = 5
"""Candidates reported per message."""
_NAMES_AN_ENTRY = re.compile(
    r"\b(?:nop ho so|(?<!bay )gio(?! (?:lam sao|phai|minh|toi|em|thi|sao|tinh|con|lam gi|lam the nao)\b))\b"
)
"""Generic words the FAQ's general entries are about: submitting a file ("nộp ở đâu" alone names
nothing: it was declined as court disputes), the office's hours ("mấy giờ"; "giờ làm sao", "bây giờ"
are "now")."""
_SUBMITTING = re.compile(
    r"\b(?:nop|gui|nhan|tra cuu|cong|dich vu cong|tai khoan|dang nhap|vneid|dinh danh)\b"
)
"""Filing, the portal, an account or the VNeID app named as an online word: the FAQ's entries about them."""
_SENT_HOME = re.compile(r"\b(?:tra|gui|chuyen) (?:ket qua|kq|giay|giay to|ho so) ve\b")
"""Results sent home ("đăng ký trả kết quả về nhà"): the postal channel, in words no facet phrase has."""


class _Ranking(NamedTuple):
    """What ranking found for one message (cached by its meaningful words)."""

    candidates: tuple[Candidate, ...]
    facet: Facet | None
    facet_only: bool
    preamble_only: bool
    foreign: bool
    """The message names a word no entry uses (see Matcher.foreign_words)."""


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
        named = self._named_phrases(book)
        self._terms = self._find_terms(named)
        self._named = self._find_named(named)
        raw: list[tuple[int, tuple[str, ...], tuple[str, ...], frozenset[int]]] = []
        entry_vocab: list[dict[str, tuple[str, ...]]] = [{} for _ in entries]
        glued: dict[str, int] = {}
        pairs: set[str] = set()
        answer_vocab: list[dict[str, set[str]]] = [{} for _ in entries]
        for index, entry in enumerate(entries):
            vocab = entry_vocab[index]
            for text in _phrases(entry):
                words = tuple(sys.intern(t) for t in self.normalizer.analyze(text).content)
                if not words:
                    continue
                for a, b in itertools.pairwise(words):
                    if not is_generic(a) and not is_generic(b):
                        fa, fb = fold_word(a), fold_word(b)
                        glued.setdefault(fa + fb, len(fa))
                        pairs.add(f"{fa} {fb}")
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
            answer = self.normalizer.tokens(" . ".join(answer_texts(entry)))
            pairs.update(
                f"{fold_word(a)} {fold_word(b)}"
                for a, b in itertools.pairwise(answer)
                if not is_generic(a) and not is_generic(b)
            )
            for token in answer:
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
        # Small talk is about the whole message: "xong rồi" must not answer a long question.
        costs = [1.0 if e.is_small_talk else OPTIONAL_COST for e in entries]
        self._glued = {word: k for word, k in glued.items() if word not in df}
        self._topic_pairs = frozenset(pairs)
        """Two adjacent words of a phrasing or answer, neither generic, accents off ("so do": sổ đỏ)."""
        phrases_of: list[list[Phrase]] = [[] for _ in entries]
        for index, content, folded, in_facet in raw:
            phrases_of[index].append(Phrase.of_words(content, folded, in_facet, self._idf))
        longest = max((len(p.folds) for ps in phrases_of for p in ps), default=1)
        self._words = [
            EntryWords.of_phrases(
                phrases,
                vocab,
                {fold: tuple(sorted(forms)) for fold, forms in answer.items()},
                cost,
                longest.bit_length(),
            )
            for phrases, vocab, answer, cost in zip(phrases_of, entry_vocab, answer_vocab, costs, strict=True)
        ]
        self._near_words = NearWords(postings)

    def _named_phrases(self, book: FaqBook) -> list[tuple[str, ...]]:
        """The synonyms' standard phrases and the entries' keywords, normalised."""
        items = [self.normalizer.tokens(canonical) for canonical, _ in book.synonyms]
        return items + [self.normalizer.tokens(k) for e in book.entries for k in e.keywords]

    def _find_terms(self, items: Sequence[tuple[str, ...]]) -> dict[str, frozenset[tuple[str, str]]]:
        """Two-word terms the FAQ names on their own in synonyms and keywords ("căn cước",
        "khai sinh", "tạm trú"): accents-off pair -> the accented forms."""
        found: dict[str, set[tuple[str, str]]] = {}
        for words in items:
            if len(words) != 2:
                continue
            a, b = words
            if a.isdigit() or b.isdigit() or (is_generic(a) and is_generic(b)):
                continue
            found.setdefault(f"{fold_word(a)} {fold_word(b)}", set()).add((a, b))
        return {key: frozenset(forms) for key, forms in found.items()}

    @staticmethod
    def _find_named(items: Sequence[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
        """The named phrases of two to NAMED_MAX words, accents off, save the residence terms themselves."""
        folded = {tuple(fold_word(w) for w in words) for words in items if 2 <= len(words) <= NAMED_MAX}
        return frozenset(f for f in folded if f not in RESIDENCE_TERMS)

    def _term_at(self, words: Sequence[str], i: int) -> bool:
        """Whether words i and i+1 are one of the FAQ's two-word terms (accents, if typed, fit)."""
        a, b = words[i], words[i + 1]
        forms = self._terms.get(f"{fold_word(a)} {fold_word(b)}")
        if forms is None:
            return False
        fa, fb = fold_word(a), fold_word(b)
        return any((a in (x, fa)) and (b in (y, fb)) for x, y in forms)

    def residence_context(self, tokens: Sequence[str]) -> set[int]:
        """Residence terms of normalised tokens that only say where the citizen lives (faq.residence)."""
        folded = [fold_word(t) for t in tokens]
        return context_positions(tokens, lambda i: self._names_at(folded, i))

    def _names_at(self, folded: Sequence[str], i: int) -> bool:
        """Whether one of the FAQ's named terms (synonyms' standard phrases, keywords) starts at i."""
        return any(tuple(folded[i : i + n]) in self._named for n in range(2, NAMED_MAX + 1))

    def _residence_aside(self, content: Sequence[str]) -> set[str]:
        """Folded residence words set aside as context (every time they occur)."""
        found = self.residence_context(content)
        context = {j for i in found for j in (i, i + 1)}
        folds = {fold_word(content[i]) for i in context}
        return folds - {fold_word(content[i]) for i in range(len(content)) if i not in context}

    def _facet_positions(self, tokens: Sequence[str]) -> tuple[set[int], Facet | None]:
        hit = self._facets.find(tokens)
        return {i for start, end in hit.spans for i in range(start, end)}, hit.facet

    # -- query side -------------------------------------------------------------------------

    def foreign_words(self, text: str) -> tuple[str, ...]:
        """Topic words no FAQ entry uses, even misspelt (numbers and codes such as "14t" are none)."""
        return self._foreign(self.normalizer.analyze(text[: self.settings.max_input_chars]).content)

    def topic_words(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What a message is about, as typed (lower case, accents where typed): its topic words (no
        filler, facet phrase such as "bao nhiêu tiền" or "ở đâu", generic word or number) and all its
        meaningful words in order ("thế còn người nước ngoài?" -> (nước,), (người, nước, ngoài))."""
        content = self._split(self.normalizer.analyze(text[: self.settings.max_input_chars]).content)
        facet_positions, _ = self._facet_positions(content)
        topic = tuple(
            token
            for i, token in enumerate(content)
            if i not in facet_positions and not is_generic(token) and not any(c.isdigit() for c in token)
        )
        return topic, tuple(content)

    def unnamed(self, text: str) -> tuple[str, ...] | None:
        """The people a message names when it names no procedure (every other word generic or part of
        a phrase asking a part: "lệ phí bao nhiêu", "thủ tục thế nào" -> (); "làm giấy tờ cho mẹ" ->
        (mẹ,)); None when it names something. Submitting a file ("nộp hồ sơ online thế nào"), the
        postal route ("gửi qua bưu điện"), office hours ("mấy giờ") and a file's progress name what
        the FAQ's entries about them answer; an online word alone does not ("đăng ký online được ko"
        was answered with marriage registration)."""
        content = self._split(self.normalizer.analyze(text[: self.settings.max_input_chars]).content)
        hit = self._facets.find(content)
        if not content or asks_how_far(text):
            return None
        folded = " ".join(fold_word(t) for t in content)
        if _NAMES_AN_ENTRY.search(folded) or _SENT_HOME.search(folded) or Facet.POSTAL in hit.named:
            return None
        if Facet.ONLINE in hit.named and _SUBMITTING.search(folded):
            return None  # "nộp hồ sơ online thế nào": the online filing entry; "đăng ký online" names nothing
        # "tôi bị mất giấy tờ": lost, no paper named (it was declined as elections, or death registration).
        lost = lost_papers(content)
        # Two generic words typed without accents may be the FAQ's topic words ("so do": sổ đỏ).
        if any(
            a.isascii()
            and b.isascii()
            and f"{fold_word(a)} {fold_word(b)}" in self._topic_pairs
            and not {i, i + 1} <= lost
            for i, (a, b) in enumerate(itertools.pairwise(content))
        ):
            return None
        asked = {i for start, end in hit.spans for i in range(start, end)} | lost
        # A word typed without accents among accented ones is as typed ("thi lại" is no "thì").
        # (Accents the abbreviations put in, "bnhieu" -> "bao nhiêu", were not typed.)
        generic = (lambda t: t in GENERIC_WORDS) if has_accents(text) else is_generic
        people = []
        for i, token in enumerate(content):
            if is_person(token):
                people.append(token)  # before generic words: "con" may be còn
            elif not (i in asked or generic(token) or token.isdigit()):
                return None
        return tuple(people)

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
            word in self._procedure_words for word in self._near_words.near(fold)
        )

    def _lookup(self, fold: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words a typed word may stand for, with the credit each gets."""
        if fold in self._idf:
            return ((fold, 1.0),)
        return tuple(sorted(self._near_words.near(fold).items()))

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

    def _query(self, content: Sequence[str]) -> Query:
        content = self._split(content)[:MAX_TOKENS]
        positions, _ = self._facet_positions(content)
        aside = self._residence_aside(content)
        in_term: dict[int, int] = {}
        for i in range(len(content) - 1):
            if self._term_at(content, i):
                in_term[i], in_term[i + 1] = i + 1, i
        by_fold: dict[str, QueryToken] = {}
        for i, token in enumerate(content):
            fold = fold_word(token)
            if fold in by_fold:
                continue
            targets = self._lookup(fold)
            # A typo may stand for several words: weigh it as the commonest of them.
            idf = min((self._idf[t] for t, _ in targets), default=self._unknown_idf * UNKNOWN_FACTOR)
            factor, optional = word_role(token, i in positions)
            if fold in aside:
                factor, optional = RESIDENCE_FACTOR, True
            generic = optional and i not in positions and is_generic(token)
            if generic and i in in_term and not has_accents(token):
                # "can cuoc" is căn cước, not cần: a word of an FAQ term is no generic word,
                # and weighs as the term's rarer word.
                factor, optional, generic = 1.0, False, False
                idf = max(idf, self._idf.get(fold_word(content[in_term[i]]), 0.0))
            accented = token if has_accents(token) else None
            by_fold[fold] = QueryToken(accented, idf * factor, optional, targets, generic)
        tokens = list(by_fold.values())
        if all(q.optional for q in tokens):
            # Nothing but generic or facet words ("mất mấy ngày"): then they are all we have.
            tokens = [QueryToken(q.accented, q.weight, False, q.targets) for q in tokens]
        pairs = []
        index = {fold: i for i, fold in enumerate(by_fold)}
        for a, b in itertools.pairwise(content):
            fa, fb = fold_word(a), fold_word(b)
            if pairable(a) and pairable(b) and fa != fb:
                qa, qb = by_fold[fa], by_fold[fb]
                # Only words the FAQ has as typed: typo guesses make spurious pairs.
                keys = tuple(
                    (f"{ta} {tb}", 1.0) for ta, ca in qa.targets for tb, cb in qb.targets if ca == cb == 1.0
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
        return Query(
            tokens,
            pairs,
            required=sum(q.weight for q in tokens if not q.optional),
            optional_total=sum(q.weight for q in tokens if q.optional),
            by_target=by_target,
            pair_hits=pair_hits,
            target_top=target_top,
            pair_top={
                key: max(pairs[k][1] * credit for k, credit in hits) for key, hits in pair_hits.items()
            },
            pair_floor=PAIR_COST * sum(weight for _, weight, _, _ in pairs),
        )

    # -- scoring ----------------------------------------------------------------------------

    def _shortlist(self, query: Sequence[QueryToken], subset: Subset | None = None) -> list[int]:
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
            self._confident(candidates) and candidates[0].entry.is_procedure and bool(self._foreign(content))
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
            i in positions or is_generic(t) or t.isdigit() for i, t in enumerate(content)
        )
        folded = " ".join(fold_word(t) for t in content)
        query = self._query(content)
        if not query.tokens or query.required <= 0:
            return [], facet, facet_only, False
        bounded = []
        for index in self._shortlist(query.tokens, subset):
            cover, bound = self._words[index].cover(query)
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
            words = self._words[index]
            bounds = words.bounds(query)
            best_f = -min(bounds)[0] if bounds else 0.0
            best = combine(cover, best_f, 1.0)
            if best < floor or (len(scored) >= keep and best < scored[keep - 1][0]):
                continue  # this entry cannot enter the kept top; a later one still may
            score = round(words.score(query, cover, folded, bounds), 2)
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
            alternatives = (
                tuple(
                    c.entry
                    for c in scored[1:]
                    if c.score >= s.suggest_threshold
                    and c.score >= top.score - ALTERNATIVE_WINDOW
                    and c.entry.is_procedure
                )[: s.max_suggestions - 1]
                if top.entry.is_procedure
                else ()
            )
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


def _phrases(entry: Entry) -> Iterable[str]:
    """Every phrasing of an entry: its title, questions and keywords."""
    yield entry.title
    yield from entry.questions
    yield from entry.keywords


def entry_texts(entry: Entry) -> Iterable[str]:
    """Every text of an entry: its phrasings, then its answer."""
    yield from _phrases(entry)
    yield from answer_texts(entry)
