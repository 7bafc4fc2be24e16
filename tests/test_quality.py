"""Matching quality on the labelled citizen questions must not fall below the recorded floors.

The floors are the figures measured when they were last raised, rounded down a little so that
noise-free refactors pass; raise them when the matcher improves, never lower them to make a change
pass. The labelled set was written without looking at the FAQ's own phrasings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.evaluate import EvalReport, evaluate, load_cases
from faq.loader import load_faq
from faq.matcher import Matcher
from tests.floors import check_floor, floor_params

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
        "answered_correct": (0.904, True),
        "helped": (0.968, True),
        "wrong_answer": (0.016, False),
        "rejected": (0.923, True),
        "false_answer": (0.05, False),
        "facet_accuracy": (0.99, True),
    },
    "questions_holdout": {
        "answered_correct": (0.908, True),
        "helped": (0.958, True),
        "wrong_answer": (0.01, False),
        "rejected": (0.809, True),
        "false_answer": (0.09, False),
        "facet_accuracy": (0.94, True),
    },
    "questions_oos_more": {
        "rejected": (0.92, True),
        "false_answer": (0.038, False),
    },
    "questions_blind": {
        "answered_correct": (0.907, True),
        "helped": (0.958, True),
        "wrong_answer": (0.016, False),
        "rejected": (0.96, True),
        "false_answer": (0.01, False),
        "facet_accuracy": (0.97, True),
    },
    "questions_blind2": {
        "answered_correct": (0.899, True),
        "helped": (0.971, True),
        "wrong_answer": (0.018, False),
        "rejected": (0.907, True),
        "false_answer": (0.06, False),
        "facet_accuracy": (0.9, True),
    },
    "questions_dev2": {
        "answered_correct": (0.697, True),
        "helped": (0.793, True),
        "wrong_answer": (0.024, False),
        "rejected": (0.905, True),
        "false_answer": (0.028, False),
    },
    "questions_dev3": {
        "answered_correct": (0.675, True),
        "helped": (0.888, True),
        "wrong_answer": (0.043, False),
        "rejected": (0.856, True),
        "false_answer": (0.069, False),
    },
    "questions_quirks": {
        "answered_correct": (0.684, True),
        "helped": (0.828, True),
        "wrong_answer": (0.023, False),
        "rejected": (0.812, True),
        "false_answer": (0.038, False),
    },
    "questions_events": {
        "answered_correct": (0.157, True),
        "helped": (0.39, True),
        "wrong_answer": (0.023, False),
        "rejected": (0.87, True),
        "false_answer": (0.05, False),
    },
    "questions_nearmiss": {
        "answered_correct": (0.758, True),
        "helped": (0.858, True),
        "wrong_answer": (0.025, False),
        "rejected": (0.875, True),
        "false_answer": (0.04, False),
    },
    "questions_blind6": {
        "answered_correct": (0.66, True),
        "helped": (0.803, True),
        "wrong_answer": (0.04, False),
        "rejected": (0.807, True),
        "false_answer": (0.075, False),
    },
    "questions_nearmiss2": {
        "answered_correct": (0.631, True),
        "helped": (0.819, True),
        "wrong_answer": (0.094, False),
        "rejected": (0.725, True),
        "false_answer": (0.14, False),
    },
    "questions_blind8": {
        "answered_correct": (0.532, True),
        "helped": (0.725, True),
        "wrong_answer": (0.032, False),
        "rejected": (0.808, True),
        "false_answer": (0.108, False),
    },
    "questions_blind7": {
        "answered_correct": (0.67, True),
        "helped": (0.812, True),
        "wrong_answer": (0.021, False),
        "rejected": (0.694, True),
        "false_answer": (0.144, False),
    },
    "questions_blind5": {
        "answered_correct": (0.111, True),
        "helped": (0.25, True),
        "wrong_answer": (0.02, False),
        "rejected": (0.89, True),
        "false_answer": (0.03, False),
    },
    "questions_blind4": {
        "answered_correct": (0.65, True),
        "helped": (0.779, True),
        "wrong_answer": (0.027, False),
        "rejected": (0.742, True),
        "false_answer": (0.076, False),
    },
    "questions_blind3": {
        "answered_correct": (0.529, True),
        "helped": (0.75, True),
        "wrong_answer": (0.05, False),
        "rejected": (0.86, True),
        "false_answer": (0.1, False),
        "facet_accuracy": (0.68, True),
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
    check_floor(name, metric, reports[name].to_dict()[metric], bound, higher_is_better)


@pytest.mark.parametrize("name", list(FLOORS))
def test_labelled_questions_are_not_copied_into_the_faq(name: str) -> None:
    book = load_faq(None)
    faq_questions = {" ".join(q.lower().split()) for e in book.entries for q in e.questions}
    cases = load_cases(DATA / f"{name}.yaml")
    copied = [c.q for c in cases if " ".join(c.q.lower().split()) in faq_questions]
    assert copied == []
