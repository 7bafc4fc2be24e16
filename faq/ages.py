"""The age of a child a conversation states, and whether a sentence of an answer speaks to it.

An answer's sentences often hold for an age range only ("Trẻ dưới 14 tuổi — cha, mẹ hoặc người giám
hộ đi cùng và làm thủ tục thay"). Quoted to a parent who said the child is 16, such a sentence reads
as the answer and misleads: the rule for a 16-year-old is the opposite. Only minors' ages are read
(under 18): an adult age in a message is mostly the writer's own or an elderly parent's, and the
ranges that decide who may act for whom are children's.
"""

from __future__ import annotations

import re

from faq.normalize import fold_accents

ADULT = 18
"""Ages from this on are not read (see the module's docstring)."""

_AGE = re.compile(r"(?<![\d/.,])(\d{1,2})\s*(?:tuoi|tui|t)\b")
"""A number of years said of someone: "16 tuổi", "15t", "14 tủi" (accents off)."""
_THRESHOLD = re.compile(r"\b(?:duoi|tren|chua du|tu du|tu|qua|hon)\s*$")
"""Words before a number that make it a limit, not someone's age ("dưới 14 tuổi"; not "tới", which
is "tôi" typed bare)."""
_BELOW = re.compile(r"\b(?:duoi|chua du|chua den)\s+(\d{1,2})\s+tuoi")
_FROM = re.compile(r"\b(?:tu du|tu|tren|du)\s+(\d{1,2})\s+tuoi(?:\s+tro len)?")


def stated_ages(text: str) -> tuple[int, ...]:
    """The minors' ages a message states ("con tôi 16 tuổi" -> (16,); "dưới 14 tuổi" -> ())."""
    folded = fold_accents(text.lower())
    ages = []
    for m in _AGE.finditer(folded):
        if _THRESHOLD.search(folded[max(0, m.start() - 12) : m.start()]):
            continue
        age = int(m.group(1))
        if age < ADULT:
            ages.append(age)
    return tuple(ages)


def speaks_to(sentence: str, ages: tuple[int, ...]) -> bool:
    """Whether a sentence holds for one of `ages`: True when it names no age range ("dưới 14 tuổi",
    "từ đủ 14 tuổi") or one of its ranges holds one of them, and when no age is known."""
    if not ages:
        return True
    folded = fold_accents(sentence.lower())
    below = [int(m.group(1)) for m in _BELOW.finditer(folded)]
    rest = _BELOW.sub(" ", folded)
    above = [int(m.group(1)) for m in _FROM.finditer(rest)]
    if not below and not above:
        return True
    return any(age < limit for age in ages for limit in below) or any(
        age >= limit for age in ages for limit in above
    )
