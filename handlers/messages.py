"""Immutable messages between channels and the conversation: Incoming in, Reply out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

HIDDEN_CONTENT = "unsupported"
"""NON_TEXT `text` when the platform hid the content (Zalo's protected users)."""


class InKind(StrEnum):
    """What a citizen sent."""

    TEXT = "text"
    """A typed message; `text` holds it."""
    COMMAND = "command"
    """A slash command; `text` is the name without slash ("start"), `args` the rest."""
    BUTTON = "button"
    """A button press; `text` is the button's payload."""
    NON_TEXT = "non_text"
    """Photo, sticker, voice, file, location...; `text` names the kind ("photo")."""
    FOLLOW = "follow"
    """The citizen followed or opened the bot (Zalo OA follow); answered with a greeting."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a citizen, already stripped of its transport."""

    channel: str
    """"telegram", "zalo_bot", "zalo_oa" or "console"."""
    chat_id: str
    """Where to answer; conversation state is kept per (channel, chat_id)."""
    user_id: str
    kind: InKind
    text: str = ""
    args: str = ""
    message_id: str = ""
    options: tuple[int, ...] = ()
    """TEXT on channels that number buttons: the option numbers valid right now, so that a bare
    number matching none of them ("99") is told which ones are (empty elsewhere)."""


@dataclass(frozen=True, slots=True)
class Button:
    """A button: pressing it sends `payload` back, or opens `url`."""

    label: str
    payload: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.payload is None) == (self.url is None):
            raise ValueError("a Button has exactly one of payload or url")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot decided for a message, for the interaction log and reports."""

    kind: str
    """"answer", "suggest", "none", or a non-matching action ("menu", "step", "feedback:up"...)."""
    entry_id: str | None = None
    score: float = 0.0
    facet: str | None = None
    question: str = ""
    """The citizen's text that was matched (masked before it is stored)."""
    office: str | None = None
    """The office that answered, when the bot knows it (a province's office id; None otherwise)."""
    told: str = ""
    """For a handoff: what the bot had already told the citizen about `question` (staff see it)."""


@dataclass(frozen=True, slots=True)
class Reply:
    """Channel-neutral answer: each channel renders it within its own limits."""

    text: str
    """Plain text (never markup); paragraphs separated by blank lines."""
    title: str = ""
    """A heading shown first and emphasised where the channel can (bold on Telegram)."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    """Rows of buttons; channels without buttons show them as numbered options."""
    keeps_options: bool = False
    """Where buttons are numbered options, the options shown before stay valid and this reply's own
    are numbered after them (a 👍/👎 acknowledgement under an answer)."""
    numbered_text: str = ""
    """The text to show instead where the buttons become numbered options, when `text` tells the
    citizen to press a button ("bấm nút" → "gõ số"); empty: `text` reads right either way."""
    edit: bool = False
    """Replace the message whose button was pressed, where the channel can (Telegram)."""
    outcome: Outcome | None = None
    handoff: bool = False
    """The citizen should be put through to staff (question in outcome.question)."""
    address: str = ""
    """How the citizen is addressed when not "anh/chị" ("bác"…), for what a channel adds around the
    text (handlers.address)."""

    def text_for(self, numbered: bool) -> str:
        """The text as a channel shows it: with buttons, or with numbered options."""
        return self.numbered_text if numbered and self.numbered_text else self.text

    @property
    def flat_buttons(self) -> tuple[Button, ...]:
        """All buttons in reading order."""
        return tuple(b for row in self.buttons for b in row)
