"""The matcher the rest of the code calls: read the message, rank it two ways, decide once.

A short pipeline of parts that each own one thing:
- faq.reading: the whole message read; greetings, introductions and personal data set aside;
  the asking sentences found;
- faq.lexical: the lexical ranking (strong on accent-less text, abbreviations, typos);
- faq.semantic: the nearest entries by sentence embeddings (strong on long, paraphrased letters),
  when a model can run here;
- faq.fusion: one decision from both signals.
Without a semantic index the lexical stage decides alone, exactly as before it existed.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from faq.accents import AccentRestorer
from faq.answer_terms import AnswerTerms
from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.follow_up import names, names_beyond, naming
from faq.fusion import Signals, decide, inside_mask, positions_of
from faq.legal_opinion import asks_advice_only, asks_legal_opinion, decided_for_legal_opinion
from faq.lexical import CACHE_SIZE, LexicalMatcher, Subset, entry_texts
from faq.normalize import Normalizer, fold_accents
from faq.reading import Reading, closing, may_have_parts, parts, read
from faq.residence import read_residence
from faq.schema import Entry, Facet, FaqBook
from faq.semantic import SemanticIndex
from faq.senses import read_senses
from faq.sparse import lexical_only_settings

QUESTION_BUDGET = 160
"""Characters of the asking sentence (and the story just before it) scored on their own."""
NAMED_WORDS = 3
"""Words of the phrase that must name a procedure for it to be offered though a declined topic came
near (Matcher._named_choice)."""
VECTOR_CACHE = 256
"""Message vectors remembered (a citizen's retry, or the same question from many)."""
SURE_SCORE = 85.0
SURE_MARGIN = 10.0
"""A short message the lexical stage answers at this score or more, this far ahead of the runner-up,
is answered without asking the model (see Matcher.sure). On the development chat set this skips
the model for 46 % of messages and makes fewer wrong answers (0.022 → 0.016), not more: when the
lexical stage is that sure it is right more often than the fused decision; letters never qualify."""
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class View:
    """Some of the indexed entries (one office's): matching looks at no other, the index is shared."""

    subset: Subset
    inside: np.ndarray
    """Per indexed entry: in the view and not small talk (what the semantic stage ranks)."""


class Matcher:
    """Ranks and decides for one FaqBook: lexical always, semantic when an index is given."""

    def __init__(
        self,
        book: FaqBook,
        settings: MatchSettings = MatchSettings(),  # noqa: B008 (frozen)
        semantic: SemanticIndex | None = None,
        cache_size: int = CACHE_SIZE,
        families: Sequence[str] | None = None,
    ) -> None:
        """`families`: see LexicalMatcher (several offices' versions of one entry in one index)."""
        self.book = book
        self.settings = settings
        # Alone, the lexical stage decides, on thresholds fitted to how many phrasings entries have.
        lexical_settings = settings if semantic is not None else lexical_only_settings(settings, book)
        self.lexical = LexicalMatcher(book, lexical_settings, cache_size, families)
        self.semantic = semantic
        self._accents = (
            AccentRestorer.of_texts(t for e in book.entries for t in entry_texts(e))
            if semantic is not None
            else None
        )
        self._answer_terms = AnswerTerms(book) if semantic is not None else None
        self._inside = inside_mask(book)
        self._positions = positions_of(book)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @functools.cached_property
    def _own(self) -> dict[str, str]:
        """Every question staff wrote, accents and punctuation off -> its entry's id (built the first
        time a message asks a legal opinion, not at every start)."""
        return {_plain(q): e.id for e in self.book.entries for q in e.questions}

    def _staff_wrote(self, text: str, result: MatchResult) -> bool:
        """Whether the message is one of the questions staff wrote under the entry it is answered with:
        then that entry's answer says what was asked ("… có đúng không" under a warning about scams)."""
        return result.entry is not None and self._own.get(_plain(text)) == result.entry.id

    def view(self, key: str, indexes: Collection[int]) -> View:
        """A view of the entries at these indexes of the book, named `key` (unique per matcher)."""
        allowed = np.zeros(len(self.book.entries), dtype=bool)
        allowed[list(indexes)] = True
        return View(Subset(key, frozenset(indexes)), self._inside & allowed)

    @property
    def normalizer(self) -> Normalizer:
        """The FAQ's normaliser (abbreviations and synonyms)."""
        return self.lexical.normalizer

    def read(self, text: str) -> Reading:
        """What of the message is matched."""
        return read(text, self.settings.max_input_chars, QUESTION_BUDGET, self.settings.model_chars)

    def _views(self, reading: Reading) -> list[str]:
        """What the lexical stage scores: the asking part alone, and the whole read text when longer
        (a story around the question adds words no procedure explains; the best view decides)."""
        return [reading.question] if reading.question == reading.text else [reading.question, reading.text]

    def _lexical(self, reading: Reading, decisive: bool = True, view: View | None = None) -> MatchResult:
        """The lexical decision on the view that scores best."""
        return self._lexical_views(reading, decisive, view)[0]

    def _lexical_views(
        self, reading: Reading, decisive: bool = True, view: View | None = None
    ) -> tuple[MatchResult, dict[str, float]]:
        """The lexical decision on the view that scores best, and each entry's best score over views."""
        views = self._views(reading)
        run = self.lexical.match if decisive and len(views) == 1 else self.lexical.match_ranked
        subset = view.subset if view is not None else None
        results = [run(v, subset) for v in views]
        best: dict[str, float] = {}
        for result in results:
            for c in result.candidates:
                best[c.entry.id] = max(best.get(c.entry.id, 0.0), c.score)
        chosen = max(results, key=lambda r: (r.preamble_only, r.candidates[0].score if r.candidates else 0.0))
        return chosen, best

    def foreign_words(self, text: str) -> tuple[str, ...]:
        """Topic words no FAQ entry uses, even misspelt, in the asking part of the message."""
        return self.lexical.foreign_words(self.read(text).question)

    def rank(self, text: str, view: View | None = None) -> tuple[list[Candidate], Facet | None, bool, bool]:
        """Lexically scored candidates best first, the facet, facet_only and preamble_only."""
        result = self._lexical(self.read(text), decisive=False, view=view)
        return list(result.candidates), result.facet, result.facet_only, result.preamble_only

    def prepare(self, text: str) -> None:
        """Embed the message ahead of match() (call it off the event loop: it takes milliseconds),
        unless the lexical stage is sure of it alone."""
        if self.semantic is not None:
            reading = self.read(text)
            if self.sure(reading) is None:
                self._vector(reading.model)

    def sure(self, reading: Reading, view: View | None = None) -> MatchResult | None:
        """The lexical answer to a short message when it is sure on its own (high score, clear lead)."""
        if reading.is_letter or reading.question != reading.text:
            return None
        lexical = self._lexical(reading, view=view)
        if lexical.kind is not Kind.ANSWER or lexical.entry is None or lexical.score < SURE_SCORE:
            return None
        runner_up = lexical.candidates[1].score if len(lexical.candidates) > 1 else 0.0
        return lexical if lexical.score - runner_up >= SURE_MARGIN else None

    def _with_also_asked(
        self, text: str, reading: Reading, result: MatchResult, view: View | None
    ) -> MatchResult:
        """The answer or the choices with the procedures the message names in parts of their own
        ("làm căn cước và hộ chiếu", "1. tạm trú 2. bhyt") offered too, where there is room; when
        nothing was found, those procedures as the choices if they are most of what the asking text
        (a short message, or a letter's asking sentence) asks."""
        # Only parts the lexical stage answers on their own: a citizen who lists two needs sees
        # both, and a part that only resembles a procedure adds nothing.
        nothing = result.kind is Kind.NONE
        if nothing and (result.declined is not None or result.preamble_only):
            return result
        named, unnamed = self._asked_in_parts(text, reading, view)
        also = [e for e in named if e != result.entry]
        if nothing:
            # Two needs in one short message, each named plainly ("làm giấy khai tử cho ông ấy thế
            # nào, và căn nhà đứng tên chồng tôi thì sang tên ra sao"): no one procedure is confident,
            # but both are what was asked, when they are most of what the message says. Since session
            # 22 a letter's asking sentence too: the story before it had left such letters with nothing.
            if len(also) < 2 or unnamed >= len(also):
                return result
            offered = tuple(also[: self.settings.max_suggestions])
            return replace(result, kind=Kind.SUGGEST, suggestions=offered)
        # They take the room left, never an entry already offered (a close runner-up may be the
        # one meant: put first, they cost blind3 and the city ward a helped question each).
        room = self.settings.max_suggestions - (1 if result.kind is Kind.ANSWER else 0)
        added = [e for e in also if e not in result.suggestions]
        if not added or len(result.suggestions) >= room:
            return result
        return replace(result, suggestions=(*result.suggestions, *added)[:room])

    def _asked_in_parts(self, text: str, reading: Reading, view: View | None) -> tuple[list[Entry], int]:
        """The procedures the lexical stage answers on their own in the coordinated parts of the
        asking text, in order, and how many parts it answers with none."""
        if not may_have_parts(text):
            return [], 0  # most messages: nothing to split
        subset = view.subset if view is not None else None
        found: list[Entry] = []
        unnamed = 0
        for part in parts(reading.question):
            result = self.lexical.match(part, subset)
            entry = result.entry
            if result.kind is Kind.ANSWER and entry is not None and entry.is_procedure:
                if entry not in found:
                    found.append(entry)
            else:
                unnamed += 1
        return found, unnamed

    def model_text(self, text: str) -> str:
        """What the sentence model is given: normalised (abbreviations expanded) and, where typed
        without accents, accented as the FAQ writes its words."""
        typed = self.normalizer.tokens(text)
        tokens = read_senses(read_residence(typed, self.lexical.residence_context(typed)))
        return " ".join(self._accents.restore(tokens) if self._accents is not None else tokens)

    def _vector(self, text: str) -> np.ndarray | None:
        if self.semantic is None:
            return None
        question = self.model_text(text)
        if not question:
            return None
        with self._lock:
            cached = self._vectors.get(question)
            if cached is not None:
                self._vectors.move_to_end(question)
                return cached
        vector = self.semantic.embed_query(question)
        with self._lock:
            self._vectors[question] = vector
            if len(self._vectors) > VECTOR_CACHE:
                self._vectors.popitem(last=False)
        return vector

    def similarities(self, text: str) -> np.ndarray | None:
        """Per entry, the semantic similarity of its nearest passage to the message (None: no model)."""
        vector = self._vector(self.read(text).model)
        return None if vector is None or self.semantic is None else self.semantic.similarities(vector)

    def signals(self, text: str, view: View | None = None) -> Signals | MatchResult:
        """What both stages found for a message, or the lexical decision when the model has nothing
        to add (no model, nothing it can read, only a preamble); within `view` when one is given."""
        return self._signals(self.read(text), view)

    def _signals(self, reading: Reading, view: View | None) -> Signals | MatchResult:
        """signals() for a message already read."""
        if self.semantic is None:
            return self._lexical(reading, view=view)
        sure = self.sure(reading, view)
        if sure is not None:
            return sure
        lexical, scores = self._lexical_views(reading, decisive=False, view=view)
        vector = self._vector(reading.model)
        if vector is None or lexical.preamble_only:
            return lexical
        foreign = bool(self.lexical.foreign_words(reading.question))
        sims = self.semantic.similarities(vector)
        inside = self._inside if view is None else view.inside
        terms = self._answer_terms.scores(reading.model) if self._answer_terms is not None else None
        likeness = self.semantic.likeness
        return Signals(lexical, sims, reading, scores, foreign, inside, self._positions, terms, likeness)

    def match(self, text: str, view: View | None = None) -> MatchResult:
        """The decision for one message: answer, suggest or none, with facet and candidates (only
        among the entries of `view` when one is given)."""
        reading = self.read(text)
        found = self._signals(reading, view)
        result = found if isinstance(found, MatchResult) else decide(self.book, self.settings, found)
        if not isinstance(found, MatchResult) and not reading.is_letter:
            result = self._named_answer(reading, result)
            result = self._named_choice(reading, result)
        if result.kind is not Kind.ANSWER or (result.entry is not None and result.entry.is_procedure):
            result = self._with_also_asked(text, reading, result, view)
        if (
            not reading.is_letter
            and asks_legal_opinion(reading.question)
            and not self._staff_wrote(text, result)
        ):
            advice = asks_advice_only(reading.question)
            result = decided_for_legal_opinion(result, self.settings.max_suggestions, advice)
        # Small talk first in the ranking yet only suggested ("thôi e off nha bye") counts as nothing.
        unsure = (
            result.kind is Kind.SUGGEST
            and bool(result.candidates)
            and result.candidates[0].entry.is_small_talk
        )
        ending = closing(text) if (result.kind is Kind.NONE or unsure) and result.declined is None else None
        if ending is not None:
            # "cảm ơn nhé, để mai em ra": the plan after the thanks names no procedure, and "chưa có
            # thông tin" would be the wrong reply to a thank-you. The FAQ's own small talk answers.
            small_talk = self.lexical.match(ending.value, view.subset if view is not None else None)
            if (
                small_talk.kind is Kind.ANSWER
                and small_talk.entry is not None
                and small_talk.entry.is_small_talk
            ):
                return small_talk
        answered = result.entry if result.kind is Kind.ANSWER else None
        if answered is not None and answered.is_small_talk:
            return result
        if reading.empty:
            # "Kính gửi Ủy ban nhân dân phường", "tôi là chủ hộ", "Xin chào, tôi tên Lan": the question is
            # still to come; neither "chưa có thông tin" nor a procedure named by the introduction.
            return MatchResult(Kind.NONE, 0.0, preamble_only=True)
        if reading.is_letter or result.preamble_only:
            return result
        return self._unnamed(reading, result)

    def _named_choice(self, reading: Reading, result: MatchResult) -> MatchResult:
        """Nothing offered at a confidence that offers choices (faq.fusion.suggest_bar asks more when a
        declined topic is near), when the message names the best procedure by a phrase of its title or
        keywords of NAMED_WORDS words or more, and no other entry near: that procedure offered."""
        # "alo cho em hỏi là em muốn chứng thực bản sao cái bằng đại học thì ra phường làm được không
        # hay phải ra chỗ khác em cảm ơn" was near school records («… văn bằng», declined) and got
        # "chưa có thông tin" (QA round 18).
        if result.kind is not Kind.NONE or result.declined is not None or not result.candidates:
            return result
        if result.score < 100.0 * self.settings.suggest_confidence:
            return result
        first, *others = (c.entry for c in result.candidates)
        if not first.is_procedure:
            return result
        content = tuple(self.normalizer.analyze(reading.text).content)
        mine = naming(first, content)
        # Another entry named only by words of the first one's name ("chứng thực" of «Chứng thực chữ
        # ký») is not named beside it.
        named_too = any(names_beyond(e, first, content) for e in others)
        # Three words at least ("chứng thực bản sao"): two name near misses as often ("xây dựng" of
        # "xà bần đất cát xây dựng đổ ở đâu", "tra cứu" of a parcel's tracking, "mẹ mất" of guardianship).
        if not any(len(p.split()) >= NAMED_WORDS for p in mine) or named_too:
            return result
        return replace(result, kind=Kind.SUGGEST, suggestions=(first,))

    def _named_answer(self, reading: Reading, result: MatchResult) -> MatchResult:
        """Choices made only because a declined topic came near, when the message names the first of
        them by its title and nothing else near: that one, the others offered beside it."""
        # "Tôi muốn đăng ký tạm trú cho mẹ vợ lên ở với vợ chồng tôi chăm cháu khoảng 6 tháng" was
        # near adoption ("chăm cháu") and got tạm trú, tạm vắng and thường trú as choices (QA round 14).
        if result.kind is not Kind.SUGGEST or result.score < 100.0 * self.settings.answer_confidence:
            return result
        content = tuple(self.normalizer.analyze(reading.text).content)
        first, *others = result.suggestions
        near = [c.entry for c in result.candidates if c.entry is not first]
        if not first.is_procedure or not names(first, content) or any(names(e, content) for e in near):
            return result
        return replace(result, kind=Kind.ANSWER, entry=first, suggestions=tuple(others))

    def _unnamed(self, reading: Reading, result: MatchResult) -> MatchResult:
        """The decision for a message that names no procedure: nothing ("thủ tục thế nào", "lệ phí bao
        nhiêu": the nearest entry was a guess — the online-services overview, the payment entry — so
        which procedure is meant is asked; "tôi muốn đăng ký" was declined as adoption), or only people
        ("làm giấy tờ cho mẹ"): choices at most."""
        people = self.lexical.unnamed(reading.text)
        if people is None:
            return result
        if people and result.kind is Kind.SUGGEST:
            return result
        if people and result.kind is Kind.ANSWER and result.entry is not None:
            # "đăng ký cho con": the procedures near it are choices; asserting one (it was paternity
            # for "làm giấy tờ cho mẹ") is a guess.
            nearest = [result.entry, *(c.entry for c in result.candidates if c.entry.is_procedure)]
            choices = tuple(dict.fromkeys(nearest))[: self.settings.max_suggestions]
            return replace(result, kind=Kind.SUGGEST, entry=None, suggestions=choices)
        return MatchResult(
            Kind.NONE,
            result.score,
            candidates=result.candidates,
            facet=result.facet,
            facet_only=result.facet_only,
            names_nothing=True,
        )


def _plain(text: str) -> str:
    """A question's words, lower case, accents and punctuation off: how staff's questions are recognised."""
    return " ".join(_NOT_WORD.split(fold_accents(text.lower()))).strip()
