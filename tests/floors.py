"""Shared by the quality tests: floors as pytest parameters, and one figure checked against its floor."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pytest

Key = TypeVar("Key")


def floor_params(
    floors: Mapping[Key, Mapping[str, tuple[float, bool]]], name: Callable[[Key], str]
) -> list[Any]:
    """One pytest parameter (key, metric, bound, higher_is_better) per floor, named "<key>-<metric>"."""
    return [
        pytest.param(key, metric, bound, higher, id=f"{name(key)}-{metric}")
        for key, metrics in floors.items()
        for metric, (bound, higher) in metrics.items()
    ]


def check_floor(label: str, metric: str, value: float, bound: float, higher_is_better: bool) -> None:
    """Fail when the figure is below its floor (or above its ceiling, when lower is better)."""
    if higher_is_better:
        assert value >= bound, f"{label}: {metric} fell to {value:.3f} (floor {bound})"
    else:
        assert value <= bound, f"{label}: {metric} rose to {value:.3f} (ceiling {bound})"
