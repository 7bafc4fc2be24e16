"""A loaded FAQ together with the matcher built from it, swapped as one unit on reload."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from faq.decision import Candidate, MatchResult, MatchSettings
from faq.follow_up import (
    AUTHORITY,
    FOLLOW_UP_WORDS,
    explaining,
    names,
    names_beyond,
    naming,
    on_behalf,
    passages,
    short,
)
from faq.loader import load_faq
from faq.matcher import Matcher, View
from faq.normalize import clean, fold_accents, fold_word
from faq.schema import Entry, FaqBook, NotHandled
from faq.semantic import SemanticIndex

log = logging.getLogger(__name__)

Indexer = Callable[[FaqBook], SemanticIndex]
"""Builds the semantic index of one FAQ snapshot (bot.semantic owns the model and its cache)."""


@dataclass(frozen=True, slots=True)
class Knowledge:
    """One consistent FAQ snapshot: a message is answered entirely from one of these."""

    book: FaqBook
    matcher: Matcher
    view: View | None = None
    """One office's entries within a matcher shared by a whole province (None: all of them)."""
    own: Mapping[str, Entry] = field(default_factory=dict)
    """Indexed entry id -> this office's entry, where they differ (its own and replacing entries)."""
    not_handled: Mapping[str, NotHandled] = field(default_factory=dict)
    """Shared entry id -> who handles that procedure instead of this office."""
    office: str = ""
    """The office answering ("" : the only one, or the province before the citizen named theirs)."""

    def match(self, text: str) -> MatchResult:
        """The matcher's decision for a message, within this office's entries and as it writes them."""
        if self.view is None:
            return self.matcher.match(text)
        result = self.matcher.match(text, self.view)
        if not self.own:
            return result
        mine = self.own.get
        return replace(
            result,
            entry=mine(result.entry.id, result.entry) if result.entry is not None else None,
            suggestions=tuple(mine(e.id, e) for e in result.suggestions),
            candidates=tuple(Candidate(mine(c.entry.id, c.entry), c.score) for c in result.candidates),
            declined=mine(result.declined.id, result.declined) if result.declined is not None else None,
        )

    def follow_up(
        self, text: str, entry: Entry, limit: int = FOLLOW_UP_WORDS, *, relaxed: bool = False
    ) -> tuple[str, ...]:
        """The sentences of `entry`'s answer a follow-up of at most `limit` words asks about
        (faq.follow_up), if any; `relaxed` for a message nothing else was found for."""
        if not short(text, limit):
            return ()
        topic, words = self.matcher.lexical.topic_words(text)
        found = explaining(entry, topic, words, relaxed=relaxed)
        if not found and on_behalf(text, limit):
            # "người nhà làm thay được không": the answer's words for it are "ủy quyền".
            found = explaining(entry, AUTHORITY, (*AUTHORITY, *words))
        return found

    def delegated(self, entry: Entry, text: str) -> tuple[str, ...]:
        """When a question asks whether someone else may do it ("ủy quyền cho người khác đi làm khai
        sinh hộ được không"): what the entry's answer says of it ("ủy quyền"), if anything."""
        if not on_behalf(text, ASKED_WORDS):
            return ()
        return explaining(entry, AUTHORITY, (*AUTHORITY, *self.matcher.lexical.topic_words(text)[1]))

    def asked_of(self, entry: Entry, text: str) -> tuple[str, ...]:
        """The sentences of the entry's answer about what a question asks beyond naming the entry
        ("quên mật khẩu vneid thì sao": the step that says what to do then), none for a letter or a
        question that only names it."""
        if len(text.split()) > ASKED_WORDS:
            return ()
        topic, words = self.matcher.lexical.topic_words(text)
        own = _own_words(entry)
        # For whom it is done ("làm căn cước cho mẹ") is not what is asked: "cha mẹ" in the sentence
        # about children under 14 would lead the answer. A relative who does something stays.
        said = text.lower().split()
        for_whom = {b for a, b in itertools.pairwise(said) if a == "cho" and b in _KIN}
        beyond = [t for t in topic if fold_word(t) not in own and t.lower() not in for_whom]
        if not beyond:
            return ()
        first = passages(entry)[:1]
        return tuple(s for s in explaining(entry, beyond, words) if s not in first)

    def topic(self, text: str) -> tuple[str, ...]:
        """The words of a message that say what it is about (faq.lexical.topic_words)."""
        return tuple(self.matcher.lexical.topic_words(text)[0])

    def only_names(self, entry: Entry, text: str, also: frozenset[str] = frozenset()) -> bool:
        """Whether every topic word of a short message is a word of the entry's title or keywords ("bao
        lâu thì có sổ" after «Đăng ký đất đai, cấp sổ đỏ lần đầu»), or one of `also` (accents off): it
        asks a part of that entry."""
        if not short(text):
            return False
        topic, _ = self.matcher.lexical.topic_words(text)
        own = _own_words(entry) | also
        return bool(topic) and all(fold_word(t) in own for t in topic)

    def names(self, entry: Entry, text: str) -> bool:
        """Whether a message names `entry` (its title's words or a keyword; faq.follow_up.names)."""
        return names(entry, self._content(text))

    def names_only_delegating(self, entry: Entry, text: str) -> bool:
        """Whether a message names `entry` only by the words for delegating ("cần giấy ủy quyền
        không" names «Chứng thực chữ ký (giấy ủy quyền…)»): after another procedure's answer it asks
        whether that one may be done by someone else."""
        found = naming(entry, self._content(text))
        return bool(found) and all(set(phrase.split()) <= _DELEGATING for phrase in found)

    def said_of_not_done(self, entry: Entry, context: Entry, text: str) -> tuple[str, ...]:
        """When a message names `entry` only as something not yet done ("bọn em chưa đăng ký kết hôn
        thì sao"; "không, chứng thực chữ ký cơ" is a correction, not a negation), the sentences of
        `context`'s answer that speak of it so ("cha mẹ chưa đăng ký kết hôn vẫn khai sinh được cho
        con"): a circumstance of the question on screen, not a question about `entry`."""
        found, typed = self._named_in(entry, text)
        negated = [
            p
            for p in found
            if re.search(rf"\bchua(?: \w+){{0,2}} {re.escape(p)}\b", typed)
            # "có cần đăng kí kết hôn r mới lm dc ko" after khai sinh: whether it must come first
            or re.search(
                rf"\b(?:can|phai)(?: \w+){{0,3}} {re.escape(p)}(?: \w+){{0,2}} (?:roi|truoc) moi\b", typed
            )
        ]
        if not found or len(negated) < len(found):
            return ()
        said = [(s, fold_word(" ".join(clean(s).split()))) for s in passages(context)]
        return tuple(s for s, f in said if _NOT.search(f) and any(p in f for p in negated))

    def names_only_as_done(self, entry: Entry, text: str) -> bool:
        """Whether a message names `entry` only as something already done ("cần giấy tờ j, e đk kết
        hôn r" during permanent residence): a circumstance of the question, not a question about it."""
        found, typed = self._named_in(entry, text)
        done = [p for p in found if re.search(rf"\b{re.escape(p)}(?: \w+){{0,2}} (?:roi|r|xong)\b", typed)]
        return bool(found) and len(done) == len(found)

    def names_beyond(self, entry: Entry, other: Entry, text: str) -> bool:
        """Whether a message names `entry` by a phrase that does not also name `other` ("mất biển số"
        names «Cấp số nhà, gắn biển số nhà» only through "biển số", which names vehicle registration)."""
        return names_beyond(entry, other, self._content(text))

    def turns_to(self, entry: Entry, other: Entry, text: str) -> bool:
        """Whether a message opens "còn …" ("and what about …") with a phrase that names `entry` and
        not `other`, and names `other` by no phrase `entry` lacks ("Còn sổ đỏ bị cháy thì làm lại ở
        đâu?" after the ID card: "làm lại" names both «cấp lại …»)."""
        # The opening as typed: the analyser expands "sổ đỏ" to the certificate's full name.
        opening = fold_accents(text).lower()
        if not opening.startswith("con "):
            return False
        content = self._content(text)
        mine, theirs = naming(entry, content), naming(other, content)
        return any(
            opening.startswith(f"con {phrase}") and not any(phrase in t for t in theirs)
            for phrase in naming(entry, opening.split())
        ) and all(any(t in phrase for phrase in mine) for t in theirs)

    def _named_in(self, entry: Entry, text: str) -> tuple[tuple[str, ...], str]:
        """The phrases of a message that name `entry`, and the message's content words accents off."""
        content = self._content(text)
        return naming(entry, content), " ".join(fold_word(w) for w in content)

    def _content(self, text: str) -> tuple[str, ...]:
        return tuple(
            self.matcher.lexical.normalizer.analyze(text[: self.matcher.settings.max_input_chars]).content
        )


_KIN = frozenset(
    {"mẹ", "bố", "ba", "má", "cha", "tía", "u", "vợ", "chồng", "ông", "bà", "cụ", "bác", "chú", "cô", "dì"}
)
_NOT = re.compile(r"\b(?:chua|khong)\b")
_DELEGATING = frozenset({"giay", "van", "ban", "uy", "quyen"})
"""Words of "giấy ủy quyền", "văn bản ủy quyền", accents off."""
ASKED_WORDS = 20
"""A question of more words than this is a story: its words are not looked for in the answer (16 until
session 23: "tôi ở nhà thuê chứ không phải nhà của mình thì có đăng ký thường trú được không", seventeen
words, got the same summary again instead of the sentence about rented homes)."""


def _own_words(entry: Entry) -> set[str]:
    """The words that name an entry (its title and keywords), accents off."""
    return {fold_word(w) for phrase in (entry.title, *entry.keywords) for w in clean(phrase).split()}


class KnowledgeSource(Protocol):
    """Anything that hands out the current Knowledge (static, or reloaded on file change)."""

    def current(self) -> Knowledge:
        """The snapshot to answer the next message with."""
        ...


@dataclass(frozen=True, slots=True)
class StaticKnowledge:
    """A KnowledgeSource that never changes (tests, console, one-shot commands)."""

    knowledge: Knowledge

    def current(self) -> Knowledge:
        """The one snapshot."""
        return self.knowledge


def build_matcher(
    book: FaqBook,
    settings: MatchSettings,
    indexer: Indexer | None = None,
    families: Sequence[str] | None = None,
) -> Matcher:
    """The matcher of a book: lexical, plus the semantic stage when an indexer is given and works."""
    semantic = None
    if indexer is not None:
        try:
            semantic = indexer(book)
        except Exception:
            # A model that fails on this FAQ must not take the bot down: lexical-only, loudly.
            log.exception("semantic index could not be built; answering with the lexical stage only")
    return Matcher(book, settings, semantic=semantic, families=families)


def load_knowledge(
    path: str | Path | None, settings: MatchSettings, indexer: Indexer | None = None
) -> Knowledge:
    """Load one FAQ file (None: the shipped one) and index it; FaqError lists every problem."""
    book = load_faq(path)
    return Knowledge(book=book, matcher=build_matcher(book, settings, indexer))
