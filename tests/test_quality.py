"""Matching quality on the labelled citizen questions must not fall below the recorded floors.

The floors are the figures recorded when they were last raised; a figure may fall at most a case and
a half of its set below its floor (tests/floors.py), and the development sets' totals may not fall.
Raise them with tools/record_floors.py when the matcher improves; never lower them to make a change
pass (session 29 re-recorded every floor once, when the slack became counted in cases: README). The
labelled set was written without looking at the FAQ's own phrasings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.evaluate import EvalReport, evaluate, load_cases
from faq.loader import load_faq
from faq.matcher import Matcher
from tests.floors import check_floor, check_total, floor_params, totals

DATA = Path(__file__).parent / "data"
CASES = DATA / "questions.yaml"
HOLDOUT = DATA / "questions_holdout.yaml"
"""Written later by someone who saw neither the FAQ nor the first set; never tune against it."""
MORE_OUT_OF_SCOPE = DATA / "questions_oos_more.yaml"
"""120 more out-of-scope questions (mostly near-misses), written from the entry titles only."""
BLIND = DATA / "questions_blind.yaml"
"""Written from the topic list only, with no access to the FAQ, the other sets or the tests. Never
tune against it."""
BLIND2 = DATA / "questions_blind2.yaml"
"""A second blind set, written the same way; evaluated once, with the settings already chosen."""
DEV2 = DATA / "questions_dev2.yaml"
"""Session 7's development set (written blind; the semantic decision is fitted on it)."""
BLIND3 = DATA / "questions_blind3.yaml"
"""A third (session 6), a third of it long letters: the hardest; never tune against it."""
BLIND4 = DATA / "questions_blind4.yaml"
"""A fourth (session 10), written blind from ids and titles when the settings were already fixed."""

# metric: (floor or ceiling, True when higher is better), per labelled set.
# Measured with the default settings (63 / 4 / 56), the unknown-word gate and out-of-scope topics
# (session 8: closings, chat abbreviations, eight more declined topics in the shipped FAQ):
#   questions.yaml           0.903, 0.970, 0.013, 0.944, 0.042, facet 1.00
#   questions_holdout.yaml   0.911, 0.966, 0.005, 0.840, 0.080, facet 0.957
#   questions_oos_more.yaml  rejected 0.900, false_answer 0.050 (out of scope only)
#   questions_blind.yaml     0.911, 0.962, 0.013, 0.980, 0.000, facet 0.977 (session 11)
#   questions_blind2.yaml    0.902, 0.974, 0.015, 0.929, 0.043, facet 0.913
#   questions_dev2.yaml      0.683, 0.791, 0.017, 0.922, 0.011
#   questions_dev3.yaml      0.668, 0.868, 0.036, 0.875, 0.062 (hard short chat)
#   questions_blind3.yaml    0.532, 0.742, 0.042, 0.853, 0.093, facet 0.699 (the lexical stage
#                            alone reads long letters poorly: this is the fallback's floor)
#   questions_blind4.yaml    0.653, 0.765, 0.024, 0.767, 0.050 (session 10, held out: written blind
#                            from ids and titles, a sixth of it letters)
#   questions_quirks.yaml    0.688, 0.838, 0.019, 0.825, 0.025 (session 11, development: typing quirks,
#                            Telex and VNI with the keyboard off, voice-to-text, links)
#   questions_events.yaml    0.160, 0.380, 0.013, 0.900, 0.020 (session 12, development: life events told
#                            instead of a procedure's name; the lexical stage alone reads them poorly)
#   questions_blind5.yaml    0.123, 0.254, 0.008, 0.920, 0.000 (session 12, held out: life events, written
#                            blind by another helper from ids and titles; run once, at the end)
#   questions_nearmiss.yaml  0.767, 0.883, 0.000, 0.886, 0.029 (session 13, development: short chat, mostly
#                            out-of-scope near misses, written blind from ids, kinds and titles)
#   questions_blind6.yaml    0.671, 0.807, 0.036, 0.833, 0.050, facet 0.850 (session 14, held out: a
#                            week of a ward's Zalo page, written blind from ids, kinds and titles)
#   questions_nearmiss2.yaml 0.637, 0.838, 0.075, 0.736, 0.129 (session 15, development: near misses of
#                            all lengths beside in-scope messages using the same nouns, written blind)
#   questions_blind7.yaml    0.667, 0.817, 0.008, 0.713, 0.125 (session 15, held out: a month of a rural
#                            commune's Zalo page, written blind from ids, kinds and titles; run once)
#   questions_blind8.yaml    0.543, 0.729, 0.021, 0.833, 0.083 (session 18, held out: a month of an urban
#                            ward's Zalo page, 40 life situations, written blind; run once, at the end)
FLOORS: dict[str, dict[str, tuple[float, bool]]] = {
    "questions": {
        "answered_correct": (0.909, True),
        "helped": (0.973, True),
        "wrong_answer": (0.011, False),
        "rejected": (0.944, True),
        "false_answer": (0.042, False),
        "facet_accuracy": (1, True),
    },
    "questions_holdout": {
        "answered_correct": (0.916, True),
        "helped": (0.966, True),
        "wrong_answer": (0.01, False),
        "rejected": (0.84, True),
        "false_answer": (0.08, False),
        "facet_accuracy": (0.957, True),
    },
    "questions_oos_more": {
        "rejected": (0.933, True),
        "false_answer": (0.025, False),
    },
    "questions_blind": {
        "answered_correct": (0.917, True),
        "helped": (0.968, True),
        "wrong_answer": (0.006, False),
        "rejected": (0.98, True),
        "false_answer": (0, False),
        "facet_accuracy": (0.977, True),
    },
    "questions_blind2": {
        "answered_correct": (0.902, True),
        "helped": (0.979, True),
        "wrong_answer": (0.01, False),
        "rejected": (0.929, True),
        "false_answer": (0.043, False),
        "facet_accuracy": (0.906, True),
    },
    "questions_dev2": {
        "answered_correct": (0.704, True),
        "helped": (0.8, True),
        "wrong_answer": (0.022, False),
        "rejected": (0.933, True),
        "false_answer": (0, False),
    },
    "questions_dev3": {
        "answered_correct": (0.682, True),
        "helped": (0.895, True),
        "wrong_answer": (0.036, False),
        "rejected": (0.875, True),
        "false_answer": (0.05, False),
    },
    "questions_quirks": {
        "answered_correct": (0.7, True),
        "helped": (0.838, True),
        "wrong_answer": (0.013, False),
        "rejected": (0.85, True),
        "false_answer": (0, False),
    },
    "questions_events": {
        "answered_correct": (0.167, True),
        "helped": (0.407, True),
        "wrong_answer": (0.013, False),
        "rejected": (0.9, True),
        "false_answer": (0.02, False),
    },
    "questions_nearmiss": {
        "answered_correct": (0.783, True),
        "helped": (0.883, True),
        "wrong_answer": (0, False),
        "rejected": (0.879, True),
        "false_answer": (0.029, False),
    },
    "questions_blind6": {
        "answered_correct": (0.679, True),
        "helped": (0.821, True),
        "wrong_answer": (0.036, False),
        "rejected": (0.833, True),
        "false_answer": (0.05, False),
    },
    "questions_nearmiss2": {
        "answered_correct": (0.662, True),
        "helped": (0.838, True),
        "wrong_answer": (0.062, False),
        "rejected": (0.736, True),
        "false_answer": (0.121, False),
    },
    "questions_blind8": {
        "answered_correct": (0.536, True),
        "helped": (0.729, True),
        "wrong_answer": (0.021, False),
        "rejected": (0.833, True),
        "false_answer": (0.083, False),
    },
    "questions_blind7": {
        "answered_correct": (0.7, True),
        "helped": (0.833, True),
        "wrong_answer": (0.017, False),
        "rejected": (0.713, True),
        "false_answer": (0.125, False),
    },
    "questions_blind5": {
        "answered_correct": (0.123, True),
        "helped": (0.262, True),
        "wrong_answer": (0.015, False),
        "rejected": (0.9, True),
        "false_answer": (0, False),
    },
    "questions_blind4": {
        "answered_correct": (0.659, True),
        "helped": (0.788, True),
        "wrong_answer": (0.024, False),
        "rejected": (0.767, True),
        "false_answer": (0.05, False),
    },
    "questions_blind3": {
        "answered_correct": (0.537, True),
        "helped": (0.758, True),
        "wrong_answer": (0.042, False),
        "rejected": (0.88, True),
        "false_answer": (0.08, False),
        "facet_accuracy": (0.699, True),
    },
}
SIZES = {
    "questions": (200, 50),
    "questions_holdout": (200, 50),
    "questions_oos_more": (0, 100),
    "questions_blind": (150, 50),
    "questions_blind2": (190, 70),
    "questions_dev2": (225, 85),
    "questions_dev3": (215, 75),
    "questions_blind3": (185, 70),
    "questions_blind4": (165, 55),
    "questions_quirks": (155, 40),
    "questions_events": (145, 45),
    "questions_blind5": (125, 45),
    "questions_nearmiss": (55, 135),
    "questions_blind6": (135, 55),
    "questions_nearmiss2": (75, 135),
    "questions_blind7": (115, 75),
    "questions_blind8": (135, 55),
}
"""(in scope, out of scope) each set must at least have."""


@pytest.fixture(scope="module")
def reports() -> dict[str, EvalReport]:
    book = load_faq(None)
    matcher = Matcher(book)
    return {name: evaluate(matcher, load_cases(DATA / f"{name}.yaml")) for name in FLOORS}


@pytest.mark.parametrize("name", list(FLOORS))
def test_labelled_set_is_big_enough(reports: dict[str, EvalReport], name: str) -> None:
    figures = reports[name].to_dict()
    in_scope, out_of_scope = SIZES[name]
    assert figures["in_scope"] >= in_scope
    assert figures["out_of_scope"] >= out_of_scope


@pytest.mark.parametrize(("name", "metric", "bound", "higher_is_better"), floor_params(FLOORS, str))
def test_quality_floor(
    reports: dict[str, EvalReport], name: str, metric: str, bound: float, higher_is_better: bool
) -> None:
    check_floor(name, metric, reports[name], bound, higher_is_better)


DEVELOPMENT = (
    "questions",
    "questions_dev2",
    "questions_dev3",
    "questions_quirks",
    "questions_events",
    "questions_nearmiss",
    "questions_nearmiss2",
)
"""The development sets among the above (the rest are held out)."""
DEV_TOTALS: dict[str, tuple[int, bool]] = {
    "answered_correct": (887, True),
    "helped": (1058, True),
    "wrong_answer": (26, False),
    "rejected": (527, True),
    "false_answer": (29, False),
}
"""Questions of the development sets answered correctly, helped, answered wrongly, rejected and
answered out of scope, summed: a loss spread a case at a time over many sets still shows here."""


@pytest.mark.parametrize("metric", list(DEV_TOTALS))
def test_development_totals(reports: dict[str, EvalReport], metric: str) -> None:
    recorded, higher_is_better = DEV_TOTALS[metric]
    summed = totals([reports[name] for name in DEVELOPMENT])
    check_total(f"development sets, {metric}", summed[metric], recorded, higher_is_better)


@pytest.mark.parametrize("name", list(FLOORS))
def test_labelled_questions_are_not_copied_into_the_faq(name: str) -> None:
    book = load_faq(None)
    faq_questions = {" ".join(q.lower().split()) for e in book.entries for q in e.questions}
    cases = load_cases(DATA / f"{name}.yaml")
    copied = [c.q for c in cases if " ".join(c.q.lower().split()) in faq_questions]
    assert copied == []
