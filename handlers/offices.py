"""Which office answers a chat: fixed by the account it wrote to, or asked once on a shared one.

An office's own account (its Telegram bot, Zalo Bot, Zalo OA) always answers as that office. A
province's shared account answers what does not depend on the office at once (how VNeID works,
small talk, a topic no office handles) and, for what does (the office's contact, hours or address,
a procedure some office answers its own way, an entry only offices have), asks once which
commune or ward the citizen deals with, then answers the question it had put aside. The choice is
remembered per chat in the state store (every bot process sees it) for a long time, and changed
with "đổi xã", "đổi phường" or a button.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from faq.knowledge import Knowledge
from faq.offices import SEPARATOR, Province
from faq.schema import CONTACT_CATEGORY, Facet
from faq.units import Unit, UnitDirectory
from handlers import payloads as p
from handlers import texts
from handlers.messages import Button, Incoming, InKind, Outcome, Reply
from handlers.store import StateStore
from handlers.typed import Gesture, not_a_question

OFFICE_TTL = 180 * 24 * 3600.0
"""Seconds a citizen's office is remembered after it was last confirmed (half a year)."""
ASK_TTL = 1800.0
"""Seconds the question put aside while asking for the office waits for the answer."""
PREFIX = "office:"
"""Keys: office:<channel>:<chat id> (the office id) and office-ask:<channel>:<chat id> (the question
put aside: "t:<text>", "c:" for the contact, "" for none)."""
ASK_PREFIX = "office-ask:"
PICK = "o:"
"""Button payloads: "o:<unit code>" picks an office, "o:?" asks to change it."""
CHANGE = f"{PICK}?"
_CHANGE_WORDS = re.compile(
    r"^\s*(?:xin\s+)?(?:đổi|doi|thay đổi|thay doi|chọn lại|chon lai)\s+"
    r"(?:xã|xa|phường|phuong|nơi làm thủ tục|noi lam thu tuc|đơn vị|don vi)\b",
    re.IGNORECASE,
)

Answer = Callable[[Knowledge, tuple[str, str], Incoming], Reply]
"""How the conversation answers a message from one office's knowledge."""


class ProvinceSource(Protocol):
    """Anything that hands out the current Province (static, or reloaded on file change)."""

    def province(self) -> Province:
        """The snapshot to answer the next message with."""
        ...


@dataclass(frozen=True, slots=True)
class StaticProvince:
    """A ProvinceSource that never changes (tests, one-shot commands)."""

    snapshot: Province

    def province(self) -> Province:
        """The one snapshot."""
        return self.snapshot

    def current(self) -> Knowledge:
        """The province's own knowledge (what a KnowledgeSource hands out)."""
        return self.snapshot.province


@dataclass(frozen=True, slots=True)
class OfficeRouting:
    """How chats find their office; built by bot/app.py from the `offices:` config."""

    source: ProvinceSource
    units: UnitDirectory
    """The province's own offices' units (resolve() finds one by any of its names)."""
    office_of_unit: Mapping[str, str]
    """Unit code -> office id."""
    office_of_channel: Mapping[str, str]
    """Channel name of an office's own account -> office id (shared accounts are absent)."""


class OfficeDesk:
    """Per chat: which office answers; asks for it once on a shared account."""

    def __init__(self, routing: OfficeRouting, store: StateStore) -> None:
        self.routing = routing
        self._store = store
        self._unit_of_office = {office: code for code, office in routing.office_of_unit.items()}

    def office_of(self, channel: str, chat_id: str) -> str | None:
        """The office a chat deals with: its account's, else the one the citizen named, else None."""
        fixed = self.routing.office_of_channel.get(channel)
        if fixed is not None:
            return fixed
        return self._store.get(f"{PREFIX}{channel}:{chat_id}")

    def handle(self, msg: Incoming, key: tuple[str, str], answer: Answer) -> Reply:
        """The reply to one message, answered by the right office (or asking which one that is)."""
        province = self.routing.source.province()
        fixed = self.routing.office_of_channel.get(msg.channel)
        if fixed is not None:
            return _for_office(answer(province.knowledge(fixed), key, msg), fixed)
        if msg.kind is InKind.BUTTON and msg.text.startswith(PICK):
            return self._picked(province, key, msg.text[len(PICK) :], answer)
        if msg.kind is InKind.TEXT and _CHANGE_WORDS.match(msg.text):
            return self._change(key)
        office = self._store.get(_key(PREFIX, key))
        if office is not None and office in province.offices:
            reply = _for_office(answer(province.knowledge(office), key, msg), office)
            return _with_change_button(reply) if _is_contact(reply) else reply
        waiting = self._store.get(_key(ASK_PREFIX, key))
        if waiting is not None and msg.kind is InKind.TEXT:
            named = self._named(province, key, msg, waiting, answer)
            if named is not None:
                return named
        if self._needs_office(province, msg):
            return self._ask(key, _put_aside(msg))
        return answer(province.province, key, msg)

    # -- asking -----------------------------------------------------------------------------

    def _ask(self, key: tuple[str, str], aside: str, text: str = texts.ASK_OFFICE) -> Reply:
        self._store.set(_key(ASK_PREFIX, key), aside, ASK_TTL)
        return Reply(text, outcome=Outcome("office:ask", question=aside.removeprefix("t:")))

    def _change(self, key: tuple[str, str]) -> Reply:
        self._store.delete(_key(PREFIX, key))
        reply = self._ask(key, "")
        return replace(reply, text=f"{texts.OFFICE_FORGOTTEN} {reply.text}", outcome=Outcome("office:change"))

    def _named(
        self, province: Province, key: tuple[str, str], msg: Incoming, waiting: str, answer: Answer
    ) -> Reply | None:
        """The reply when the text names an office (or some); None when it names none and is a
        question of its own."""
        found = self.routing.units.resolve(msg.text, asked=True)  # the reply to "which commune?"
        known = self.routing.office_of_unit
        if found.unit is not None and found.unit.code in known:
            return self._chosen(province, key, found.unit, found.former_name, waiting, answer)
        choices = [u for u in found.candidates if u.code in known]
        if len(choices) == 1:
            return self._chosen(province, key, choices[0], None, waiting, answer)
        if choices:
            rows = tuple((Button(_label(u), payload=f"{PICK}{u.code}"),) for u in choices)
            return Reply(
                texts.CHOOSE_OFFICE,
                numbered_text=texts.CHOOSE_OFFICE_NUMBERED,
                buttons=rows,
                outcome=Outcome("office:choices", question=msg.text),
            )
        if self._looks_like_question(province, msg.text):
            return None
        return self._ask(key, waiting, texts.ASK_OFFICE_AGAIN)

    def _picked(self, province: Province, key: tuple[str, str], code: str, answer: Answer) -> Reply:
        if code == "?":
            return self._change(key)
        unit = self.routing.units.by_code(code)
        if unit is None or code not in self.routing.office_of_unit:
            return self._ask(key, self._store.get(_key(ASK_PREFIX, key)) or "", texts.ASK_OFFICE_AGAIN)
        return self._chosen(province, key, unit, None, self._store.get(_key(ASK_PREFIX, key)) or "", answer)

    def _chosen(
        self,
        province: Province,
        key: tuple[str, str],
        unit: Unit,
        former: str | None,
        waiting: str,
        answer: Answer,
    ) -> Reply:
        """Remember the office and answer the question put aside, if there was one."""
        office = self.routing.office_of_unit[unit.code]
        self._store.set(_key(PREFIX, key), office, OFFICE_TTL)
        self._store.delete(_key(ASK_PREFIX, key))
        confirm = texts.office_chosen(unit.name, former)
        channel, chat_id = key
        aside = _restored(waiting, channel, chat_id)
        if aside is None:
            return Reply(
                confirm,
                buttons=((Button(texts.BTN_MENU, payload=p.encode(p.ShowMenu())),),),
                outcome=Outcome("office:set", question=unit.code, office=office),
            )
        reply = _for_office(answer(province.knowledge(office), key, aside), office)
        head = f"{confirm}\n\n{reply.title}\n" if reply.title else f"{confirm}\n\n"
        numbered = reply.text_for(numbered=True)
        return replace(
            _with_change_button(reply),
            title="",
            text=head + reply.text,
            numbered_text=head + numbered if reply.numbered_text else "",
        )

    # -- what needs the office --------------------------------------------------------------

    def _needs_office(self, province: Province, msg: Incoming) -> bool:
        """Whether the answer depends on the office: its contact, or an entry some office answers
        its own way (or only offices have)."""
        if msg.kind is InKind.COMMAND:
            return msg.text.strip().lstrip("/").lower() in ("lienhe", "contact")
        if msg.kind is InKind.BUTTON:
            return isinstance(p.decode(msg.text), p.ShowContact)
        if msg.kind is not InKind.TEXT or not msg.text.strip():
            return False
        typed = not_a_question(msg.text)
        if typed is not None:
            return typed.gesture is Gesture.CONTACT
        # Matched over every office's entries too: a question only offices answer needs one.
        result = province.matcher.match(msg.text)
        top = result.entry or (result.suggestions[0] if result.suggestions else None)
        if top is None:
            return False
        return (
            SEPARATOR in top.id
            or top.category == CONTACT_CATEGORY
            or province.depends_on_office(top.id)
            or (result.facet is Facet.WHERE and top.is_procedure)
        )

    def _looks_like_question(self, province: Province, text: str) -> bool:
        """A message that asks something rather than naming a place."""
        result = province.matcher.match(text)
        return result.entry is not None or bool(result.suggestions)


def _key(prefix: str, key: tuple[str, str]) -> str:
    channel, chat_id = key
    return f"{prefix}{channel}:{chat_id}"


def _put_aside(msg: Incoming) -> str:
    """What to answer once the office is known: the question typed, or the contact."""
    if msg.kind is InKind.TEXT:
        typed = not_a_question(msg.text)
        return "c:" if typed is not None and typed.gesture is Gesture.CONTACT else f"t:{msg.text}"
    return "c:"


def _restored(aside: str, channel: str, chat_id: str) -> Incoming | None:
    """The message put aside, rebuilt."""
    if aside.startswith("t:") and aside[2:].strip():
        return Incoming(channel, chat_id, "", InKind.TEXT, text=aside[2:])
    if aside == "c:":
        return Incoming(channel, chat_id, "", InKind.COMMAND, text="lienhe")
    return None


def _label(unit: Unit) -> str:
    return unit.name


def _for_office(reply: Reply, office: str) -> Reply:
    """The reply with the answering office on its outcome (the interaction log records it)."""
    if reply.outcome is None:
        return reply
    return replace(reply, outcome=replace(reply.outcome, office=office))


def _is_contact(reply: Reply) -> bool:
    return reply.outcome is not None and reply.outcome.kind == "contact"


def _with_change_button(reply: Reply) -> Reply:
    return replace(reply, buttons=(*reply.buttons, (Button(texts.BTN_CHANGE_OFFICE, payload=CHANGE),)))
