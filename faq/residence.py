"""Residence named as where the citizen lives, not as what they ask for.

"con tôi sinh ở nơi tạm trú, đăng ký khai sinh ở đây được không" asks about a birth; "nơi tạm trú"
only says where the family lives. Read as topic words, "tạm trú" is as rare and strong a word as
"khai sinh", and the residence entry won. So a residence term (tạm trú, thường trú, cư trú) is context
when a state word stands before it ("nơi", "chỗ", "địa chỉ", "đang", "hiện", "vẫn"), and only when
the message names another of the FAQ's terms; alone, it is all the message says. The lexical stage
weighs it as context, and the sentence model reads "sống" (lives) in its place.

Also tried (session 22): "thường trú" before a place ("hộ khẩu ở quê", "thường trú tại Nam Định") as
context too. Two development chat answers gained, one development letter lost and a floor with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from faq.normalize import fold_word

RESIDENCE_TERMS = frozenset({("tam", "tru"), ("thuong", "tru"), ("cu", "tru")})
_STATE = frozenset({"noi", "cho", "dang", "hien", "van"})
"""Folded words that make the following residence term a state ("nơi tạm trú", "đang tạm trú")."""
_NOT_STATE = frozenset({"đăng"})
"""Typed with its accent, "đăng" (register) is no "đang" (currently)."""


LIVES = "sống"
"""What the sentence model reads in place of a residence term that is context."""


def context_positions(tokens: Sequence[str], is_term: Callable[[int], bool]) -> set[int]:
    """Index of the first word of each residence term that only says where the citizen lives; empty
    unless another of the FAQ's terms (`is_term(i)`: one starts at word i) is named elsewhere."""
    folded = [fold_word(t) for t in tokens]
    found: set[int] = set()
    for i in range(len(tokens) - 1):
        if (folded[i], folded[i + 1]) not in RESIDENCE_TERMS:
            continue
        before = folded[i - 1] if i else ""
        state = i > 0 and before in _STATE and tokens[i - 1] not in _NOT_STATE
        state = state or (i > 1 and (folded[i - 2], before) == ("dia", "chi"))
        if state:
            found.add(i)
    if found and not any(is_term(i) for i in range(len(tokens) - 1) if i not in found and i - 1 not in found):
        return set()
    return found


def read_residence(tokens: Sequence[str], found: set[int]) -> list[str]:
    """Tokens with each residence term starting at an index of `found` read as LIVES."""
    out: list[str] = []
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
        elif i in found:
            out.append(LIVES)
            skip = True
        else:
            out.append(token)
    return out
