"""Button payloads: small typed actions encoded in at most 64 bytes (Telegram callback_data)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from faq.schema import Facet

MAX_BYTES = 64
"""Telegram's limit for callback_data; the other channels are more generous."""

# Ids are written by staff as lowercase-hyphenated words; anything else in a payload is garbage.
_ID = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
_ID_RE = re.compile(_ID)
_STEP_MAX = 999

# Short codes keep room for long entry ids within 64 bytes.
FACET_CODES: dict[Facet, str] = {
    Facet.DOCUMENTS: "d",
    Facet.FEE: "f",
    Facet.TIME: "t",
    Facet.WHERE: "w",
    Facet.ONLINE: "o",
    Facet.POSTAL: "p",
    Facet.STEPS: "s",
}
_FACETS_BY_CODE = {code: facet for facet, code in FACET_CODES.items()}


class PayloadError(ValueError):
    """A payload cannot be encoded (an id is malformed or the result exceeds 64 bytes)."""


@dataclass(frozen=True, slots=True)
class ShowAnswer:
    """Show an entry's answer (`a:<id>`); `back` returns from step-by-step (`b:<id>`)."""

    entry_id: str
    back: bool = False


@dataclass(frozen=True, slots=True)
class PickSuggestion:
    """A "Có phải anh/chị muốn hỏi" suggestion was chosen (`g:<id>`, `g:<id>:<code>`), or a runner-up
    offered beside an answer (`v:…`, `beside`); shows the answer, leading with the part the citizen
    asked about when there is one."""

    entry_id: str
    facet: Facet | None = None
    beside: bool = False


@dataclass(frozen=True, slots=True)
class ShowFacet:
    """Show one part of an entry's answer (`f:<id>:<code>`)."""

    entry_id: str
    facet: Facet


@dataclass(frozen=True, slots=True)
class ShowStep:
    """Show step n (1-based) of an entry (`s:<id>:<n>`)."""

    entry_id: str
    n: int


@dataclass(frozen=True, slots=True)
class ShowCategory:
    """List the entries of a category (`c:<cat>`)."""

    category_id: str


@dataclass(frozen=True, slots=True)
class ShowRelated:
    """List the procedures related to an entry (`r:<id>`)."""

    entry_id: str


@dataclass(frozen=True, slots=True)
class Feedback:
    """👍 or 👎 on an entry's answer (`fb:<id>:u|d`)."""

    entry_id: str
    up: bool


@dataclass(frozen=True, slots=True)
class ShowMenu:
    """The category menu (`m`)."""


@dataclass(frozen=True, slots=True)
class NoneOfThese:
    """ "Không phải các ý trên" under suggestions (`x`)."""


@dataclass(frozen=True, slots=True)
class AskStaff:
    """ "Gặp cán bộ": hand the last unanswered question to staff (`h`)."""


@dataclass(frozen=True, slots=True)
class ShowContact:
    """The office's contact details (`l`)."""


Payload = (
    ShowAnswer
    | PickSuggestion
    | ShowFacet
    | ShowStep
    | ShowCategory
    | ShowRelated
    | Feedback
    | ShowMenu
    | NoneOfThese
    | AskStaff
    | ShowContact
)


def _check_id(value: str, what: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise PayloadError(f"{what} {value!r} is not lowercase-hyphenated")
    return value


def encode(payload: Payload) -> str:
    """The wire form of a payload; raises PayloadError if it would not fit in 64 bytes."""
    match payload:
        case ShowAnswer(entry_id, back):
            data = f"{'b' if back else 'a'}:{_check_id(entry_id, 'entry id')}"
        case PickSuggestion(entry_id, facet, beside):
            data = f"{'v' if beside else 'g'}:{_check_id(entry_id, 'entry id')}"
            if facet is not None:
                data += f":{FACET_CODES[facet]}"
        case ShowFacet(entry_id, facet):
            data = f"f:{_check_id(entry_id, 'entry id')}:{FACET_CODES[facet]}"
        case ShowStep(entry_id, n):
            if not 1 <= n <= _STEP_MAX:
                raise PayloadError(f"step {n} out of range 1..{_STEP_MAX}")
            data = f"s:{_check_id(entry_id, 'entry id')}:{n}"
        case ShowCategory(category_id):
            data = f"c:{_check_id(category_id, 'category id')}"
        case ShowRelated(entry_id):
            data = f"r:{_check_id(entry_id, 'entry id')}"
        case Feedback(entry_id, up):
            data = f"fb:{_check_id(entry_id, 'entry id')}:{'u' if up else 'd'}"
        case ShowMenu():
            data = "m"
        case NoneOfThese():
            data = "x"
        case AskStaff():
            data = "h"
        case ShowContact():
            data = "l"
        case _:
            raise PayloadError(f"unknown payload {payload!r}")
    size = len(data.encode("utf-8"))
    if size > MAX_BYTES:
        raise PayloadError(f"payload {data!r} is {size} bytes, over the {MAX_BYTES}-byte limit")
    return data


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"a:({_ID})"), "a"),
    (re.compile(rf"b:({_ID})"), "b"),
    (re.compile(rf"g:({_ID})(?::([a-z]))?"), "g"),
    (re.compile(rf"v:({_ID})(?::([a-z]))?"), "v"),
    (re.compile(rf"f:({_ID}):([a-z])"), "f"),
    (re.compile(rf"s:({_ID}):([1-9][0-9]{{0,2}})"), "s"),
    (re.compile(rf"c:({_ID})"), "c"),
    (re.compile(rf"r:({_ID})"), "r"),
    (re.compile(rf"fb:({_ID}):([ud])"), "fb"),
)
_SIMPLE: dict[str, Payload] = {
    "m": ShowMenu(),
    "x": NoneOfThese(),
    "h": AskStaff(),
    "l": ShowContact(),
}


def decode(data: str) -> Payload | None:
    """The payload behind a button's data, or None for anything malformed (never raises)."""
    if not isinstance(data, str) or len(data) > MAX_BYTES:
        return None
    simple = _SIMPLE.get(data)
    if simple is not None:
        return simple
    for pattern, tag in _PATTERNS:
        m = pattern.fullmatch(data)
        if m is None:
            continue
        first = m.group(1)
        match tag:
            case "a":
                return ShowAnswer(first)
            case "b":
                return ShowAnswer(first, back=True)
            case "g" | "v":
                beside = tag == "v"
                if m.group(2) is None:
                    return PickSuggestion(first, beside=beside)
                picked = _FACETS_BY_CODE.get(m.group(2))
                return PickSuggestion(first, picked, beside) if picked is not None else None
            case "f":
                facet = _FACETS_BY_CODE.get(m.group(2))
                return ShowFacet(first, facet) if facet is not None else None
            case "s":
                return ShowStep(first, int(m.group(2)))
            case "c":
                return ShowCategory(first)
            case "r":
                return ShowRelated(first)
            case "fb":
                return Feedback(first, up=m.group(2) == "u")
    return None
