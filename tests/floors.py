"""Shared by the quality tests: floors as pytest parameters, and one figure checked against its floor.

A floor is the figure recorded when it was last raised (tools/record_floors.py records them, and
only ever raises them); a figure may fall below it by at most SLACK_CASES cases of its own set. The
slack is counted in cases, not in points, because the sets differ in size: one borderline question
is 0.3 points of a 370-question set and 4 points of a 25-question one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pytest

from faq.evaluate import EvalReport

Key = TypeVar("Key")

SLACK_CASES = 1.5
"""How many cases of its set a figure may lose against its recorded floor. Any change moves a few
borderline questions: adding two entries to the shipped FAQ (session 29) moved eight of the 229
figures by one case, in both directions, while the development totals rose. Floors with less than a
case of slack rejected every such change whatever it did overall, and made the held-out sets a gate
that changes were selected by — tuning on them. A real regression loses more than a case and a half,
and the development totals (DEV_TOTALS of the semantic and lexical modules) catch one spread thinly
over many sets."""

_DENOMINATOR = {
    "answered_correct": "in_scope",
    "helped": "in_scope",
    "wrong_answer": "in_scope",
    "rejected": "out_of_scope",
    "false_answer": "out_of_scope",
    "facet_accuracy": "faceted",
}


def floor_params(
    floors: Mapping[Key, Mapping[str, tuple[float, bool]]], name: Callable[[Key], str]
) -> list[Any]:
    """One pytest parameter (key, metric, recorded, higher_is_better) per floor, named "<key>-<metric>"."""
    return [
        pytest.param(key, metric, recorded, higher, id=f"{name(key)}-{metric}")
        for key, metrics in floors.items()
        for metric, (recorded, higher) in metrics.items()
    ]


def allowed(report: EvalReport, metric: str, recorded: float, higher_is_better: bool) -> float:
    """The lowest (or, when lower is better, highest) figure the floor accepts for this report."""
    cases = max(getattr(report, _DENOMINATOR[metric]), 1)
    slack = SLACK_CASES / cases
    return recorded - slack if higher_is_better else recorded + slack


def check_floor(label: str, metric: str, report: EvalReport, recorded: float, higher_is_better: bool) -> None:
    """Fail when the figure is more than SLACK_CASES cases below its floor (above, for a ceiling)."""
    value = getattr(report, metric)
    bound = allowed(report, metric, recorded, higher_is_better)
    if higher_is_better:
        assert value >= bound, (
            f"{label}: {metric} fell to {value:.3f} (floor {recorded}, at least {bound:.3f})"
        )
    else:
        assert value <= bound, (
            f"{label}: {metric} rose to {value:.3f} (ceiling {recorded}, at most {bound:.3f})"
        )


def check_total(label: str, total: int, recorded: int, higher_is_better: bool) -> None:
    """Fail when a count summed over the development sets is more than SLACK_CASES worse than recorded."""
    if higher_is_better:
        assert total >= recorded - SLACK_CASES, f"{label} fell to {total} (recorded {recorded})"
    else:
        assert total <= recorded + SLACK_CASES, f"{label} rose to {total} (recorded {recorded})"


COUNTS = ("answered_correct", "helped", "wrong_answer", "rejected", "false_answer")
"""The figures summed over the development sets, as counts of questions."""


def counts(report: EvalReport) -> dict[str, int]:
    """The report's figures as numbers of questions (answered correctly, helped, wrong, rejected,
    out of scope answered)."""
    return {
        metric: round(getattr(report, metric) * getattr(report, _DENOMINATOR[metric])) for metric in COUNTS
    }


def totals(reports: list[EvalReport]) -> dict[str, int]:
    """counts() summed over several reports."""
    out = dict.fromkeys(COUNTS, 0)
    for report in reports:
        for metric, value in counts(report).items():
            out[metric] += value
    return out
