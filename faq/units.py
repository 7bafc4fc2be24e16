"""STAND-IN (branch wt-offices) for the administrative-unit directory written on branch wt-units.

Same API, minimal resolver: the lead keeps wt-units' module. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from faq.normalize import fold_accents


@dataclass(frozen=True, slots=True)
class Unit:
    """One commune-level unit since 1 July 2025."""

    code: str
    name: str
    province: str
    former_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """What a text names: one confident unit, a few candidates, or nothing."""

    unit: Unit | None
    candidates: tuple[Unit, ...]
    former_name: str | None


_TYPES = re.compile(r"^(?:xa|phuong|thi tran|dac khu)\s+")
_NOISE = re.compile(r"\b(?:xa|phuong|thi tran|dac khu|cu|nay la|o|tai|em|toi|minh|a|nhe|lam thu tuc)\b")
CUTOFF = 85.0


def _core(name: str) -> str:
    """A unit name without its type word, accents off, lower case."""
    return _TYPES.sub("", " ".join(re.findall(r"\w+", fold_accents(name.lower()))))


class UnitDirectory:
    """The units one deployment knows, found by how citizens write their names."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units = tuple(units)
        self._by_code = {u.code: u for u in self._units}

    def __len__(self) -> int:
        return len(self._units)

    def by_code(self, code: str) -> Unit | None:
        """The unit with this code, or None."""
        return self._by_code.get(code)

    def resolve(self, text: str) -> UnitMatch:
        """The unit a text names (accents or none, with or without its type word, typos, former names)."""
        folded = " ".join(re.findall(r"\w+", fold_accents(text.lower())))
        bare = " ".join(_NOISE.sub(" ", folded).split())
        if not bare:
            return UnitMatch(None, (), None)
        scored: dict[str, tuple[float, Unit, str | None]] = {}
        for unit in self._units:
            for label, former in ((unit.name, None), *((f, f) for f in unit.former_names)):
                core = _core(label)
                exact = f" {core} " in f" {folded} "
                score = 100.0 if exact else fuzz.ratio(bare, core)
                # A current name beats a former one that sounds the same.
                score += 5.0 if former is None else 0.0
                if score >= CUTOFF and score > scored.get(unit.code, (0.0, unit, None))[0]:
                    scored[unit.code] = (score, unit, former)
        ranked = sorted(scored.values(), key=lambda s: -s[0])
        if not ranked:
            return UnitMatch(None, (), None)
        top = ranked[0]
        close = [s for s in ranked if s[0] >= top[0] - 2.0]
        if len(close) == 1:
            return UnitMatch(top[1], (), top[2])
        return UnitMatch(None, tuple(s[1] for s in close[:3]), None)
