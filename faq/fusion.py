"""One decision from the lexical and the semantic signals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from faq.decision import MatchResult, MatchSettings
from faq.reading import Reading
from faq.schema import FaqBook


@dataclass(frozen=True, slots=True)
class Signals:
    """What the two stages found for one message."""

    lexical: MatchResult
    similarities: np.ndarray
    reading: Reading


def decide(book: FaqBook, settings: MatchSettings, signals: Signals) -> MatchResult:
    """The decision for one message from both signals."""
    return signals.lexical
