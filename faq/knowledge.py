"""A loaded FAQ together with the matcher built from it, swapped as one unit on reload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faq.decision import MatchSettings
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook


@dataclass(frozen=True, slots=True)
class Knowledge:
    """One consistent FAQ snapshot: a message is answered entirely from one of these."""

    book: FaqBook
    matcher: Matcher


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


def load_knowledge(path: str | Path | None, settings: MatchSettings) -> Knowledge:
    """Load one FAQ file (None: the shipped one) and index it; FaqError lists every problem."""
    book = load_faq(path)
    return Knowledge(book=book, matcher=Matcher(book, settings))
