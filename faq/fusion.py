"""One decision from the lexical and the semantic signals.

How, in words:
1. **Fused ranking.** Each entry gets `lexical/100 + SEMANTIC_WEIGHT × (nearness − the message's
   median nearness)`, where nearness is the model's similarity plus ANSWER_TERMS_WEIGHT × how much the
   entry's answer uses the message's words (faq.answer_terms). Subtracting the median makes the
   semantic part relative to the message itself: a long letter is "near" every entry in absolute
   terms, a short one is near none.
   Entries the lexical stage did not rank count 0 lexically.
2. **Confidence that the fused top entry is right**: a logistic function of features that mean the
   same on any FAQ — the fused score and its margin to the runner-up, the lexical score and margin,
   the semantic lift and margin, whether each stage alone puts the same entry first, and whether
   the message names a word no entry uses. Its coefficients (`WEIGHTS`) were fitted once on
   labelled questions of two kinds (short chat, long letters) against four FAQs (the shipped one,
   the same stripped to titles only, a commune's and a city ward's FAQ written by other authors),
   so that one setting holds for a FAQ with many phrasings per entry, for a first FAQ with one and
   for other authors' styles; `bench/calibrate_fusion.py` refits them and prints the
   histograms of right and wrong top entries by confidence that the operating point comes from.
3. **The decision.** Confidence ≥ `answer_confidence` answers (close runners-up offered beside);
   else the best few near the top become "Có phải anh/chị hỏi về…" choices when confidence ≥
   `suggest_confidence` (DECLINED_LIFT more when a declined topic is among the nearest: suggest_bar),
   or when the best two, judged as one, reach it (split_between_two); else nothing is near. A message
   nearest an out-of-scope topic is declined
   with a pointer, as before; greetings and thanks are left to the lexical stage, which knows them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.reading import Reading
from faq.schema import Entry, FaqBook

SEMANTIC_WEIGHT = 10.0
"""Weight of the semantic lift (cosine above the message's median) against lexical/100."""
WEIGHTS: dict[str, float] = {
    "fused": 1.486,
    "fused_margin": 3.092,
    "lexical": 0.552,
    "lexical_margin": 0.961,
    "semantic_lift": 14.008,
    "lexical_agrees": 0.147,
    "semantic_agrees": 0.293,
    "semantic_margin": 22.693,
    "long": 0.313,
    "foreign": -0.841,
    "similarity": 32.112,
}
"""Logistic coefficients of the confidence (fitted by bench/calibrate_fusion.py, see its output)."""
BIAS = -31.173
ANSWER_TERMS_WEIGHT = 0.02
"""Added to an entry's similarity for the answer whose words the message uses most (a share of it
for the others): on a first FAQ with one phrasing per entry most of a citizen's words are only in the
answers. Fused top-1 on the development sets, without → with: shipped letters 0.926 → 0.953, dev2
0.892 → 0.922, titles-only letters 0.812 → 0.846, commune 0.776 → 0.816, city ward 0.880 → 0.910, shipped
chat 0.923 → 0.917; 0.03 and more cost the shipped chat set more (0.905 at 0.03)."""
DECLINED_LIFT = 0.1
"""Choices for a short message (two sentences at most) need this much more confidence when a topic the
office declines is among the nearest entries (the fused top KEEP): at a middling confidence such a
message is as often about the declined topic as about the procedures ("mở lớp dạy thêm ở nhà có cần
xin phép phường không" is near the building permit, and near schooling and business licences, which
the office declines), and "chưa có thông tin" with the office's contact and menu is the honest reply.
A letter is left alone: its story often brushes a declined topic (a death, then an inheritance) while
its question asks for a procedure.
Development sets (shipped, titles-only, three foreign FAQs): 14 more out-of-scope messages declined for
2 in-scope ones no longer offered their procedure. For letters too it was 22 for 6, and the titles-only
letters fell below their floor; a lift of 0.05 gave 6 for 5, 0.15 gave 33 for 17, 0.2 gave 45 for 24
(letters included); holding the two-procedure rule (split_between_two) to it as well, 25 for 15."""
ALTERNATIVE_WINDOW = 0.12
"""Runners-up within this much fused score of a confident answer are offered beside it."""
DECLINED_WINDOW = 0.25
"""A topic the office declines this near the best procedure makes the answer a choice instead: "lương
hưu" is nearly "bảo hiểm xã hội một lần", and the citizen asking the first must not get the second as
if it were what they asked. On the development sets 0.25 (against 0.15) cut out-of-scope letters
answered 0.044 → 0.015 for one answer fewer on three sets."""
SUGGEST_WINDOW = 0.35
"""Suggestions stay within this much fused score of the best."""
KEEP = 5
SEMANTIC_SHORTLIST = 30
"""Entries taken from the model's ranking into the fused one (the rest cannot reach its top)."""
NEAR_SIMILARITY = 0.86
"""Below this similarity (faq.semantic's blend of phrasing and answer cosines, multilingual-e5-small's
scale) and with little lexical evidence, the fused top entry is only the least far, not a near one:
nothing is offered. On the development sets what it drops is mostly out of scope."""
NEAR_LEXICAL = 0.4
SIBLING_LIKENESS = 0.93
"""Two procedures of one group whose titles are at least this alike to the model (cosine) are
siblings: when they split the confidence, the pair is judged as one (split_between_two)."""
PAIR_LIFT = 0.1
"""Any two procedures far ahead of the rest, both named in the message's words (lexical score at least
NEAR_LEXICAL each), are judged as one too, with this much more confidence needed than siblings need:
"bị công ty cho nghỉ, đóng bảo hiểm được 5 năm, giờ có được tiền gì không" is near both "trợ cấp thất
nghiệp" and "bảo hiểm xã hội một lần", and each alone stays unlikely because the other is as near.
Development sets (shipped, titles-only, three foreign FAQs): 5 more in-scope messages helped, 2 more
out-of-scope ones offered a choice (near misses: a Zalo password, a bank transfer scam), none
answered. Without the lexical condition it helped 18 for 6, but out-of-scope rejection fell below
the floors of two development sets (the shipped chat set, the mountain commune's) — and of two held-out
ones: a pair the model alone finds near is often nothing the office handles. Lowering
suggest_confidence to 0.35 instead helped 26 for 20."""


@dataclass(frozen=True, slots=True)
class Signals:
    """What the two stages found for one message."""

    lexical: MatchResult
    """The lexical stage's decision, with its top candidates all scored."""
    similarities: np.ndarray
    """Per entry (book order): the cosine of its nearest passage to the message."""
    reading: Reading
    lexical_scores: dict[str, float]
    """Entry id -> best lexical score (0-100) over the views of the message the lexical stage scored."""
    foreign: bool = False
    """The message names a topic word no entry uses."""
    inside: np.ndarray | None = None
    """Per entry, not small talk (the matcher works it out once per FAQ; None: worked out here)."""
    positions: dict[str, int] | None = None
    """Entry id -> index in the book (likewise)."""
    answer_terms: np.ndarray | None = None
    """Per entry, how much its answer text uses the message's words (faq.answer_terms, 0-1)."""
    likeness: Callable[[int, int], float] | None = None
    """How alike two entries (book indexes) are to the model (SemanticIndex.likeness); None: unknown."""


@dataclass(frozen=True, slots=True)
class Fused:
    """One entry's place in the fused ranking."""

    entry: Entry
    score: float
    lexical: float
    """0-1."""
    lift: float
    """Cosine above the message's median over in-scope entries (the model's alone: the answer-words
    evidence moves the ranking, not the confidence's semantic features)."""
    similarity: float
    """The cosine itself: an absolute anchor, so that in a small FAQ the least far entry is not
    taken for a near one."""


def fuse(book: FaqBook, signals: Signals) -> list[Fused]:
    """The entries that can matter, best fused score first: those the lexical stage scored and the
    SEMANTIC_SHORTLIST nearest by the model (any other has a lower fused score than all of these);
    small talk only when scored lexically."""
    lexical = {key: value / 100.0 for key, value in signals.lexical_scores.items()}
    sims = nearness(signals)
    pure = signals.similarities
    entries = book.entries
    inside = signals.inside if signals.inside is not None else inside_mask(book)
    median = float(np.median(sims[inside])) if inside.any() else 0.0
    pure_median = float(np.median(pure[inside])) if inside.any() else 0.0
    nearest = np.where(inside, sims, -np.inf)
    k = min(SEMANTIC_SHORTLIST, len(entries))
    shortlist = np.argpartition(-nearest, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
    positions = signals.positions if signals.positions is not None else positions_of(book)
    indexes = {int(i) for i in shortlist if inside[i]}
    indexes.update(positions[key] for key in lexical if key in positions)
    out = []
    for i in indexes:
        entry = entries[i]
        lex = lexical.get(entry.id, 0.0)
        score = lex + SEMANTIC_WEIGHT * (float(sims[i]) - median)
        out.append(Fused(entry, score, lex, float(pure[i]) - pure_median, float(pure[i])))
    out.sort(key=lambda f: (-f.score, f.entry.id))
    return out


def nearness(signals: Signals) -> np.ndarray:
    """Per entry, the semantic similarity plus ANSWER_TERMS_WEIGHT × its answer-words evidence."""
    if signals.answer_terms is None:
        return signals.similarities
    return signals.similarities + ANSWER_TERMS_WEIGHT * signals.answer_terms


def positions_of(book: FaqBook) -> dict[str, int]:
    """Entry id -> its index in the book."""
    return {e.id: i for i, e in enumerate(book.entries)}


def inside_mask(book: FaqBook) -> np.ndarray:
    """Which entries are not small talk (the median and the semantic ranking ignore small talk)."""
    return np.array([not e.is_small_talk for e in book.entries], dtype=bool)


def features(ranked: list[Fused], signals: Signals) -> dict[str, float]:
    """What the confidence is computed from, for the fused top entry (see WEIGHTS)."""
    top = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    scores = signals.lexical_scores
    lex = [*sorted((v / 100.0 for v in scores.values()), reverse=True), 0.0, 0.0]
    lexical_top = max(scores, key=lambda k: (scores[k], k)) if scores else None
    by_lift = sorted((f for f in ranked if not f.entry.is_small_talk), key=lambda f: -f.lift)
    semantic_top = by_lift[0].entry.id if by_lift else None
    semantic_margin = by_lift[0].lift - by_lift[1].lift if len(by_lift) > 1 else 0.0
    return {
        "fused": top.score,
        "fused_margin": top.score - second,
        "lexical": top.lexical,
        "lexical_margin": lex[0] - lex[1],
        "semantic_lift": top.lift,
        "lexical_agrees": float(top.entry.id == lexical_top),
        "semantic_agrees": float(top.entry.id == semantic_top),
        "semantic_margin": semantic_margin,
        "long": float(signals.reading.is_letter),
        "foreign": float(signals.foreign),
        "similarity": top.similarity,
    }


def confidence(values: dict[str, float]) -> float:
    """The logistic confidence (0-1) that the fused top entry is right, from its features."""
    z = BIAS + sum(WEIGHTS[name] * value for name, value in values.items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def suggest_bar(ranked: Sequence[Fused], signals: Signals, settings: MatchSettings) -> float:
    """The confidence the top entry needs for choices to be offered: suggest_confidence, and DECLINED_LIFT
    more for a short message when a topic the office declines is among the nearest."""
    declined = not signals.reading.is_letter and any(f.entry.is_out_of_scope for f in ranked[1:KEEP])
    return settings.suggest_confidence + (DECLINED_LIFT if declined else 0.0)


def decide(book: FaqBook, settings: MatchSettings, signals: Signals) -> MatchResult:
    """The decision for one message from both signals."""
    lexical = signals.lexical
    if lexical.preamble_only:
        return lexical
    if lexical.kind is Kind.ANSWER and lexical.entry is not None and lexical.entry.is_small_talk:
        return lexical  # "cảm ơn", "xin chào": the lexical stage knows small talk best
    ranked = fuse(book, signals)
    if not ranked:
        return lexical
    top = ranked[0]
    p = confidence(features(ranked, signals))
    score = round(100.0 * p, 2)
    candidates = tuple(Candidate(f.entry, round(100.0 * f.score, 2)) for f in ranked[:KEEP])
    common = {"facet": lexical.facet, "facet_only": lexical.facet_only, "candidates": candidates}
    if top.similarity < NEAR_SIMILARITY and top.lexical < NEAR_LEXICAL:
        return MatchResult(Kind.NONE, score, **common)  # type: ignore[arg-type]
    if top.entry.is_out_of_scope:
        # Nearer to something the office does not handle than to any of its procedures.
        declined = top.entry if p >= settings.suggest_confidence else None
        return MatchResult(Kind.NONE, score, declined=declined, **common)  # type: ignore[arg-type]
    procedures = [f for f in ranked if f.entry.is_procedure]
    if top.entry.is_small_talk and p >= settings.answer_confidence:
        # "bạn là người thật hay máy vậy": small talk the lexical stage scored but did not answer
        # alone, first in the fused ranking by a clear margin.
        return MatchResult(Kind.ANSWER, score, entry=top.entry, **common)  # type: ignore[arg-type]
    declined_near = any(
        f.entry.is_out_of_scope and f.score >= top.score - DECLINED_WINDOW for f in ranked[1:KEEP]
    )
    if top.entry.is_procedure and p >= settings.answer_confidence and not declined_near:
        close = tuple(f.entry for f in procedures[1:] if f.score >= top.score - ALTERNATIVE_WINDOW)
        alternatives = close[: settings.max_suggestions - 1]
        return MatchResult(
            Kind.ANSWER,
            score,
            entry=top.entry,
            suggestions=alternatives,
            **common,  # type: ignore[arg-type]
        )
    if p >= suggest_bar(ranked, signals, settings):
        suggestions = tuple(f.entry for f in procedures if f.score >= top.score - SUGGEST_WINDOW)
        if suggestions:
            return MatchResult(
                Kind.SUGGEST,
                score,
                suggestions=suggestions[: settings.max_suggestions],
                **common,  # type: ignore[arg-type]
            )
    elif pair := split_between_two(ranked, signals, settings, book):
        return MatchResult(Kind.SUGGEST, score, suggestions=pair, **common)  # type: ignore[arg-type]
    return MatchResult(Kind.NONE, score, **common)  # type: ignore[arg-type]


def siblings(first: Fused, second: Fused, signals: Signals, book: FaqBook) -> bool:
    """Whether two procedures are siblings: one group, titles alike to the model."""
    if signals.likeness is None or first.entry.category != second.entry.category:
        return False
    positions = signals.positions if signals.positions is not None else positions_of(book)
    return signals.likeness(positions[first.entry.id], positions[second.entry.id]) >= SIBLING_LIKENESS


def split_between_two(
    ranked: list[Fused], signals: Signals, settings: MatchSettings, book: FaqBook
) -> tuple[Entry, ...]:
    """The choices to offer when the best two entries are procedures that split the confidence
    between them, and judged as one they are near enough to offer (siblings at suggest_confidence,
    any other two PAIR_LIFT above it): those two and any other procedure as near as suggestions are."""
    # "Đăng ký kết hôn" and "Đăng ký lại kết hôn" both fit "giấy kết hôn bị cháy, sổ ở xã cũng mất":
    # the confidence that either alone is right stays low because the other is so close, yet together
    # they are a clear best few. Judged as one: the margin is to the third entry.
    if len(ranked) < 2:
        return ()
    first, second = ranked[0], ranked[1]
    if not (first.entry.is_procedure and second.entry.is_procedure):
        return ()
    bar = settings.suggest_confidence
    if not siblings(first, second, signals, book):
        # Two unrelated procedures must both be named in the message's words, not only near in meaning.
        if min(first.lexical, second.lexical) < NEAR_LEXICAL:
            return ()
        bar += PAIR_LIFT
    if confidence(features([first, *ranked[2:]], signals)) < bar:
        return ()
    near = (f.entry for f in ranked if f.entry.is_procedure and f.score >= first.score - SUGGEST_WINDOW)
    return tuple(near)[: max(settings.max_suggestions, 2)]
