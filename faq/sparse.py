"""The lexical-only decision's thresholds, fitted to how many phrasings the FAQ's entries have.

The thresholds of MatchSettings (answer 63, suggest 56, margin 4) were set on a FAQ with about twenty
phrasings per procedure. There, a message about something the office does not handle still scores
high against one of them (many phrasings, many chances), so the bar must be high. A first FAQ with
one or two phrasings per entry, as staff write it, scores every message lower, the out-of-scope ones
lowest of all, and the same bar turns almost every in-scope question away.

Measured lexical-only on the development sets with such FAQs (the shipped FAQ stripped to titles,
four question sets; the commune's, city ward's and mountain commune's FAQs, two phrasings each):
answered 478 → 604, helped 667 → 934, wrong 23 → 36 (of 1,605 in scope), out of scope rejected
496 → 467 and answered 6 → 9 (of 516), with the thresholds lowered by SPARSE_DROP. On the shipped FAQ
itself the same lowering would cost out-of-scope rejection 0.92 → 0.80, which is why it shrinks to
nothing as entries gain phrasings: linearly in log2 of the FAQ's median phrasings per procedure, full
at SPARSE_PHRASINGS or fewer, none from RICH_PHRASINGS. The shipped FAQ cut to 4 and 8 phrasings
(four development sets, lexical-only) lies between; of 971 in scope and 310 out of scope, at the
interpolated drop: 4 phrasings answered 507 → 548, helped 653 → 733, wrong 20 → 29, rejected 298 → 287;
8 phrasings answered 606 → 619, helped 745 → 783, wrong 24 → 24, rejected 296 → 292 (the full drop
there would cost 21 rejected).

With the semantic stage the decision is faq.fusion's, calibrated on both kinds of FAQ; these
thresholds then only serve the lexical stage's own uses and are left as configured.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import replace

from faq.decision import MatchSettings
from faq.schema import FaqBook

SPARSE_PHRASINGS = 2
"""At this median of phrasings per procedure (title included) or fewer, the full drop applies."""
RICH_PHRASINGS = 16
"""From this median on, the configured thresholds apply as they are."""
SPARSE_DROP = (7.0, 10.0, -2.0)
"""How much lower the answer and suggest thresholds are for the sparsest FAQ, and the answer margin
(negative: higher). Chosen from a grid on the development FAQs (answer 53-63, suggest 40-56, margin
4-8): suggest 45 helped 20 more than 46 but took titles-only dev3's rejection to 0.86; answer 55 gave
23 right answers more than 56 for 3 wrong more; margin 8 cut 3 wrong answers for 18 right ones."""


def phrasings_median(book: FaqBook) -> float:
    """The median number of phrasings (title and questions) of the book's procedures (0: none)."""
    counts = [1 + len(entry.questions) for entry in book.entries if entry.is_procedure]
    return float(statistics.median(counts)) if counts else 0.0


def sparseness(book: FaqBook) -> float:
    """1 for a FAQ with SPARSE_PHRASINGS per procedure or fewer, 0 from RICH_PHRASINGS, between by log2."""
    median = phrasings_median(book)
    if median <= SPARSE_PHRASINGS:
        return 1.0
    if median >= RICH_PHRASINGS:
        return 0.0
    span = math.log2(RICH_PHRASINGS) - math.log2(SPARSE_PHRASINGS)
    return (math.log2(RICH_PHRASINGS) - math.log2(median)) / span


def lexical_only_settings(settings: MatchSettings, book: FaqBook) -> MatchSettings:
    """The settings the lexical-only decision uses on this book: the configured thresholds, lowered
    in proportion to how few phrasings its entries have (see the module's docstring)."""
    share = sparseness(book)
    if share <= 0.0:
        return settings
    answer, suggest, margin = (round(share * drop, 2) for drop in SPARSE_DROP)
    answer_threshold = max(0.0, settings.answer_threshold - answer)
    return replace(
        settings,
        answer_threshold=answer_threshold,
        suggest_threshold=max(0.0, min(settings.suggest_threshold - suggest, answer_threshold)),
        answer_margin=settings.answer_margin - margin,
    )
