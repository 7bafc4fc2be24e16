"""Numbered options for channels without buttons: what "2" means depends on what was last shown, and
a number keeps its meaning from one reply to the next."""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Sized
from dataclasses import dataclass, replace

from faq.normalize import unstretch
from handlers.messages import Button, Reply
from handlers.store import MemoryStore, StateStore, StateStoreError

log = logging.getLogger(__name__)

_NUMBER_WORDS = {
    "mot": 1, "nhat": 1, "dau tien": 1, "dau": 1, "hai": 2, "nhi": 2, "ba": 3, "bon": 4, "tu": 4,
    "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
}  # fmt: skip
"""Numbers in words, read only after "số", "cái", "thứ"… ("số hai", "thứ nhất", "cái đầu", "ý đầu"):
alone, "ba" is a father and "tạm" a residence."""
_MARKED = r"(?:(?:cai|so|muc|cau|y|thu|lua chon|phuong an)\s)"
_BEFORE = r"(?:(?:da|vang|u|uh|uhm|ok|oke|a|nham|xin loi|khong|ko|thoi|the|vay|la)\s)*"
"""Said before a choice: yes, or a correction ("à nhầm, cái số 1", "không, số 2"; but "không phải số 1"
says which one it is not)."""
_AFTER = r"(?:\s(?:a|ah|ak|nhe|nha|nhen|ad|di|voi|ha|nhi|ne|do|day|ay|nay|kia|thoi|nhe a|a nhe))*"
"""Said after it: politeness, or pointing ("số 1 đó", "cái đầu ấy")."""
_NUMBER = re.compile(
    _BEFORE + r"(?:(?:(?:em|e|minh|toi|tui|chau|con|cho|xin)\s)*(?:chon|lay|xem|bam)\s)?"
    rf"(?:(?:{_MARKED}{{0,2}})(\d{{1,3}})|{_MARKED}{{1,2}}({'|'.join(_NUMBER_WORDS)}))" + _AFTER
)
"""An option number as typed, folded: "2", "2.", "#2", "số 2", "2 ạ", "1 nhé", "em chọn 2", "cái 3 ạ",
"cái thứ 2", "số hai", "thứ nhất", "ý đầu", "vâng ạ, cái số 2 ạ", "số 1 đó", "à nhầm, cái số 1"."""
_POINTED = re.compile(r"(?:(?:a|nham|a nham|khong|ko)\s)*(?:cai|y|muc|cau|phan)\s(?P<words>.+?)" + _AFTER)
"""An option pointed at by some of its label's words: "cái độc thân ấy", "ý khai sinh đó"."""


def option_number(text: str) -> int | None:
    """The option number a typed message is, if it is nothing else ("2 con" is a question, not 2)."""
    m = _NUMBER.fullmatch(fold(text))
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) is not None else _NUMBER_WORDS[m.group(2)]


def pressable(reply: Reply) -> tuple[Button, ...]:
    """The buttons that carry a payload, in reading order: option n is item n-1 of this."""
    return tuple(b for b in reply.flat_buttons if b.payload is not None)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation or emoji, stretched letters once, single spaces ("Tiếp ›"
    -> "tiep", "ơiii" -> "oi")."""
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    kept = []
    for ch in text:
        if unicodedata.combining(ch):
            continue
        kept.append(ch if ch.isalnum() else " ")
    return " ".join(unstretch(word) for word in "".join(kept).split())


@dataclass(frozen=True, slots=True)
class Option:
    """One numbered option: typing its number (or its label's words) presses its payload."""

    number: int
    label: str
    payload: str


SPREAD = 2
"""A list whose numbers kept from the list before would run past this many times its length is
numbered from 1 instead."""


@dataclass(frozen=True, slots=True)
class Numbering:
    """The numbers one reply's options are shown under, and the earlier options that stay valid."""

    shown: tuple[Option, ...] = ()
    """This reply's options, by number (the order they are listed in)."""
    kept: tuple[Option, ...] = ()
    """Options of the replies before, still on screen and still pressable (never re-listed)."""
    replaced: tuple[Option, ...] = ()
    """The options valid under the list this one replaced: "à nhầm, cái số 1" presses one of them."""

    @property
    def valid(self) -> tuple[Option, ...]:
        """Every option a typed number may press now, by number."""
        return tuple(sorted((*self.shown, *self.kept), key=lambda o: o.number))

    @staticmethod
    def fresh(reply: Reply) -> Numbering:
        """The reply's options numbered 1, 2, 3… in reading order, nothing kept."""
        buttons = enumerate(pressable(reply), start=1)
        return Numbering(tuple(Option(n, b.label, b.payload or "") for n, b in buttons))


def number_options(previous: Numbering | None, reply: Reply) -> Numbering:
    """Number a reply's options so that no number changes meaning from the options just shown.

    - A reply without options (👍 acknowledged, "em nghe đây") keeps the earlier ones valid.
    - A reply with `keeps_options` (👎) keeps them too; its own options are numbered after them.
    - Otherwise an option also offered just before keeps its number ("Tiếp ›" stays 1 from step to
      step, "Thủ tục liên quan" stays 5 after "Nộp/nhận qua bưu điện"), and new options take the
      smallest numbers that meant nothing just before. A list sharing nothing with the one before
      (the menu after an answer), or whose kept numbers would run past SPREAD times its length, is
      numbered from 1.
    """
    buttons = [b for b in pressable(reply) if b.payload]
    before = previous.valid if previous is not None else ()
    if not buttons:
        return Numbering((), before)
    if reply.keeps_options and before:
        # After the earlier list, so that no gap in it is filled with something else.
        taken = set(range(1, before[-1].number + 1))
        return Numbering(_fill([None] * len(buttons), buttons, taken), before)
    by_label: dict[str, int] = {}
    for option in before:
        by_label.setdefault(option.label, option.number)
    numbers: list[int | None] = []
    used: set[int] = set()
    for button in buttons:
        n = by_label.get(button.label)
        if n is not None and n not in used:
            used.add(n)
            numbers.append(n)
        else:
            numbers.append(None)
    if not used:
        return Numbering.fresh(reply)
    kept = Numbering(_fill(numbers, buttons, used | {o.number for o in before}))
    if kept.shown[-1].number > SPREAD * len(buttons):
        # A short list after a long one ("12, 14, 15, 16" under a reply that had 13 options): the
        # numbers read as a mistake on a phone, and typing "1" failed; from 1, as a new list.
        return Numbering.fresh(reply)
    return kept


def _fill(numbers: list[int | None], buttons: list[Button], taken: set[int]) -> tuple[Option, ...]:
    """Give each unnumbered button the smallest free number, in reading order; sorted by number."""
    taken = set(taken)
    options = []
    free = 1
    for n, button in zip(numbers, buttons, strict=True):
        if n is None:
            while free in taken:
                free += 1
            n = free
            taken.add(n)
        options.append(Option(n, button.label, button.payload or ""))
    return tuple(sorted(options, key=lambda o: o.number))


@dataclass(frozen=True, slots=True)
class _Shown:
    numbering: Numbering
    displayed: bool
    """False when the options went out as real buttons (Zalo OA quick replies): their numbers were
    never seen, so the next list does not keep them."""

    def dumps(self) -> str:
        """A compact JSON form for the state store."""
        return json.dumps(
            {
                "d": self.displayed,
                "s": [[o.number, o.label, o.payload] for o in self.numbering.shown],
                "k": [[o.number, o.label, o.payload] for o in self.numbering.kept],
                "b": [[o.number, o.label, o.payload] for o in self.numbering.replaced],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @staticmethod
    def loads(text: str) -> _Shown | None:
        """The value `dumps` wrote; None for anything else (a store shared with an older version)."""
        try:
            raw = json.loads(text)
            shown = tuple(Option(int(n), str(label), str(payload)) for n, label, payload in raw["s"])
            kept = tuple(Option(int(n), str(label), str(payload)) for n, label, payload in raw["k"])
            replaced = tuple(
                Option(int(n), str(label), str(payload)) for n, label, payload in raw.get("b", ())
            )
            return _Shown(Numbering(shown, kept, replaced), bool(raw["d"]))
        except (ValueError, TypeError, KeyError):
            return None


PREFIX = "opt:"
"""Keys of the options on screen in the store: opt:<chat key>."""


class OptionMemory:
    """The numbered options last shown to each chat, in a state store; each list expires `ttl` seconds
    after it was shown.

    The store is a memory one of its own by default (bounded to `max_chats` chats); a shared one
    (Redis) lets another bot process understand a number typed under options this one showed.
    """

    def __init__(
        self,
        ttl: float = 900.0,
        max_chats: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        store: StateStore | None = None,
    ) -> None:
        self._ttl = ttl
        self._store: StateStore = store if store is not None else MemoryStore(max_chats, clock)

    def number(self, chat_key: str, reply: Reply) -> Numbering:
        """How to number this reply's options for this chat (nothing is remembered yet)."""
        shown = self._fresh(chat_key)
        numbering = self._number(shown, reply)
        if shown is None:
            return numbering
        # A new list keeps the one it replaced for a correction; a reply without a list keeps both.
        replaced = shown.numbering.valid if numbering.shown else shown.numbering.replaced
        return replace(numbering, replaced=replaced)

    @staticmethod
    def _number(shown: _Shown | None, reply: Reply) -> Numbering:
        if shown is None:
            return number_options(None, reply)
        if not shown.displayed and pressable(reply) and not reply.keeps_options:
            return Numbering.fresh(reply)  # no number was on screen: nothing to keep stable
        return number_options(shown.numbering, reply)

    def remember(self, chat_key: str, shown: Reply | Numbering, *, displayed: bool = True) -> Numbering:
        """The options just shown to this chat (a Reply is numbered first); returns the numbering.

        `displayed=False`: the options went out as real buttons (their numbers were not shown).
        """
        if isinstance(shown, Reply):
            shown = self.number(chat_key, shown)
        try:
            if not shown.valid:
                self._store.delete(PREFIX + chat_key)
            else:
                self._store.set(PREFIX + chat_key, _Shown(shown, displayed).dumps(), self._ttl)
        except StateStoreError as exc:
            # The reply still goes out; a number typed under it is then not understood.
            log.warning("options not remembered, state store unavailable: %s", exc)
        return shown

    def numbers(self, chat_key: str) -> tuple[int, ...]:
        """The option numbers this chat may type right now (empty when none is on screen)."""
        shown = self._fresh(chat_key)
        return tuple(o.number for o in shown.numbering.valid) if shown is not None else ()

    def resolve(self, chat_key: str, text: str) -> str | None:
        """The payload a typed "2", " 2.", "số 2" or an option's own words stands for, else None."""
        return self.read(chat_key, text)[0]

    def read(self, chat_key: str, text: str) -> tuple[str | None, tuple[int, ...]]:
        """`resolve` and `numbers` of a typed message from one store read (one Redis call, not two)."""
        shown = self._fresh(chat_key)
        if shown is None:
            return None, ()
        return _resolve(shown.numbering, text), tuple(o.number for o in shown.numbering.valid)

    def _fresh(self, chat_key: str) -> _Shown | None:
        try:
            text = self._store.get(PREFIX + chat_key)
        except StateStoreError as exc:
            log.warning("options not read, state store unavailable: %s", exc)
            return None
        return _Shown.loads(text) if text is not None else None

    def __len__(self) -> int:
        """Chats with options on screen, when the store can count (a memory store); else 0."""
        return len(self._store) if isinstance(self._store, Sized) else 0


_CORRECTION = re.compile(r"(?:(?:a|u|o|thoi)\s)*(?:nham|chon nham|bam nham|go nham|xin loi nham)\b")
"""A choice taken back ("à nhầm, cái số 1"): the number is one of the list before."""


def _resolve(numbering: Numbering, text: str) -> str | None:
    """The payload `text` presses among these options, else None."""
    n = option_number(text)
    if n is not None:
        if _CORRECTION.match(fold(text)):
            # The list on screen came from the choice being taken back.
            earlier = next((o.payload for o in numbering.replaced if o.number == n), None)
            if earlier is not None:
                return earlier
        return next((o.payload for o in numbering.valid if o.number == n), None)
    words = fold(text)
    if not words:
        return None
    # The options just listed first: a label of an earlier list that is still valid comes after.
    options = [(fold(o.label), o.payload) for o in (*numbering.shown, *numbering.kept)]
    exact = [payload for label, payload in options if label == words]
    if exact:
        return exact[0]
    # A unique option starting with what was typed ("giấy tờ" for "Giấy tờ cần chuẩn bị").
    if len(words) >= 4:
        prefixed = {p for label, p in options if (label + " ").startswith(words + " ")}
        if len(prefixed) == 1:
            return prefixed.pop()
    pointed = _POINTED.fullmatch(words)
    if pointed is not None and len(pointed.group("words").split()) >= 2:
        # "cái độc thân ấy" under «Xác nhận tình trạng hôn nhân (giấy xác nhận độc thân)»: the one option
        # whose label says those words together (the matcher alone found nothing for it). One word is
        # left to the matcher: "cái VNeID ấy" under «Tài khoản Cổng Dịch vụ công (đăng nhập bằng VNeID)»
        # meant the VNeID account.
        said = f" {pointed.group('words')} "
        named = {p for label, p in options if said in f" {label} "}
        if len(named) == 1:
            return named.pop()
    return None
