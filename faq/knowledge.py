"""A loaded FAQ together with the matcher built from it, swapped as one unit on reload."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faq.decision import MatchSettings
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook
from faq.semantic import SemanticIndex

log = logging.getLogger(__name__)

Indexer = Callable[[FaqBook], SemanticIndex]
"""Builds the semantic index of one FAQ snapshot (bot.semantic owns the model and its cache)."""


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


def build_matcher(book: FaqBook, settings: MatchSettings, indexer: Indexer | None = None) -> Matcher:
    """The matcher of a book: lexical, plus the semantic stage when an indexer is given and works."""
    semantic = None
    if indexer is not None:
        try:
            semantic = indexer(book)
        except Exception:
            # A model that fails on this FAQ must not take the bot down: lexical-only, loudly.
            log.exception("semantic index could not be built; answering with the lexical stage only")
    return Matcher(book, settings, semantic=semantic)


def load_knowledge(
    path: str | Path | None, settings: MatchSettings, indexer: Indexer | None = None
) -> Knowledge:
    """Load one FAQ file (None: the shipped one) and index it; FaqError lists every problem."""
    book = load_faq(path)
    return Knowledge(book=book, matcher=build_matcher(book, settings, indexer))
