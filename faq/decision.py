"""What the matcher decides for one message, and the settings that steer it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from faq.schema import Entry, Facet


class Kind(StrEnum):
    """The matcher's decision."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Thresholds of the two-gate decision (scores are 0-100)."""

    answer_threshold: float = 63.0
    """Answer only when the best score reaches this..."""
    answer_margin: float = 4.0
    """...and beats the runner-up entry by at least this much."""
    suggest_threshold: float = 56.0
    """Below this, say plainly that there is no answer."""
    answer_confidence: float = 0.7
    """With the semantic stage: answer when the confidence that the best entry is right reaches this
    (0-1; the thresholds above then serve only the lexical-only fallback)..."""
    suggest_confidence: float = 0.4
    """...offer choices above this, and below it say plainly that there is no answer."""
    max_suggestions: int = 3
    max_input_chars: int = 500
    """Only this many characters of a message are scored (bounded time on huge inputs)."""
    model_chars: int = 400
    """What the sentence model reads of a message, at most, in characters (the asking sentences first,
    then the story nearest them). Its time grows with what it reads (about 0.2 ms a character on a
    2-core machine), so a slow machine may read less, at a cost in understanding of long letters that
    the README measures (160 characters: letters answered 0.832 -> 0.631)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked entry with its score."""

    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision for one message."""

    kind: Kind
    score: float
    """Score of the best candidate (0 when there is none)."""
    entry: Entry | None = None
    """The answer, when kind is ANSWER."""
    suggestions: tuple[Entry, ...] = ()
    """Best first: the choices when kind is SUGGEST (at most max_suggestions); with an ANSWER, close
    runners-up offered beside it (fewer)."""
    candidates: tuple[Candidate, ...] = ()
    """Top ranked entries, best first, whatever the decision; entries that could not change the
    decision (below the suggest threshold and further than the answer margin from the best) are
    not scored, so may be missing. Matcher.rank gives the full top."""
    facet: Facet | None = None
    """The part of the answer asked about, if the message names one."""
    facet_only: bool = False
    """The message asks only a facet ("còn lệ phí thì sao?") with no topic of its own."""
    declined: Entry | None = None
    """A topic the office does not handle, when the message is nearest to it and at least as near
    as a suggestion would need to be (kind is then NONE)."""
    preamble_only: bool = False
    """The message is only politeness ("dạ", "cho em hỏi với ạ", "ad ơi"), nothing to match."""
    names_nothing: bool = False
    """The message names no procedure: only generic words, the part it asks and people ("thủ tục thế
    nào", "lệ phí bao nhiêu", "làm giấy tờ cho mẹ"); kind is then NONE, whatever entry was nearest."""
    legal_opinion: bool = False
    """The message asks whether something is lawful, valid, a right or advisable (faq.legal_opinion),
    which no procedure answers: a procedure near it is only offered as a choice."""
