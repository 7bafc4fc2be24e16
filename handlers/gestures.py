"""Replies to typed messages that are not questions (handlers.typed): a menu label, a lone 👍, a bare
number, "đúng rồi", "cả hai", "sai rồi", "dài quá", "ko hiểu" — answered without the matcher."""

from __future__ import annotations

from dataclasses import dataclass

from faq.schema import Entry, FaqBook
from handlers import browse, texts
from handlers.answers import answer_buttons
from handlers.messages import Outcome, Reply
from handlers.typed import Gesture, NotAQuestion, number_list


@dataclass(frozen=True, slots=True)
class OnScreen:
    """What the chat has on screen, which some gestures refer to."""

    options: tuple[int, ...] = ()
    """The option numbers that may be typed (empty where options are real buttons)."""
    choices: bool = False
    """Whether "Có phải anh/chị muốn hỏi…" choices were the last thing offered."""
    context: Entry | None = None
    """The procedure just answered."""
    handoff: bool = False
    """Whether a staff relay is set up ("Gặp cán bộ")."""


def gesture_reply(book: FaqBook, typed: NotAQuestion, text: str, seen: OnScreen) -> Reply:
    """The reply to a gesture other than asking for staff or sending an attachment (the conversation's)."""
    staff = browse.staff_rows(seen.handoff)
    match typed.gesture:
        case Gesture.MENU:
            return browse.menu(book, texts.MENU, "menu")
        case Gesture.HELP:
            return browse.help_reply("help")
        case Gesture.START:
            return browse.start(book)
        case Gesture.CONTACT:
            return browse.contact(book)
        case Gesture.NUMBER if seen.options:
            # The list above stays on screen and valid: say which numbers it has.
            return Reply(
                texts.no_such_option(typed.number, number_list(seen.options)),
                keeps_options=True,
                outcome=Outcome("option:missing", question=text),
            )
        case Gesture.NUMBER:
            return Reply(
                texts.NO_OPTIONS,
                buttons=browse.menu_buttons(book),
                outcome=Outcome("option:none", question=text),
            )
        case Gesture.THANKS:
            return Reply(texts.THANKS, keeps_options=True, outcome=Outcome("thanks", question=text))
        case Gesture.YES if seen.choices:
            # "đúng rồi" under "Có phải anh/chị muốn hỏi…": which of the choices is not said.
            return Reply(
                texts.pick_one(number_list(seen.options)),
                keeps_options=True,
                outcome=Outcome("yes", question=text),
            )
        case Gesture.OKAY | Gesture.YES:
            return Reply(texts.OKAY, keeps_options=True, outcome=Outcome("okay", question=text))
        case Gesture.BOTH if seen.options or seen.choices:
            # "cả hai" under two choices was asked back as «Đăng ký kết hôn» ("hai" of a couple).
            return Reply(
                texts.one_at_a_time(number_list(seen.options)),
                keeps_options=True,
                outcome=Outcome("both", question=text),
            )
        case Gesture.WRONG:
            return Reply(
                texts.misunderstood(book.agency, seen.handoff),
                buttons=(*staff, *browse.menu_buttons(book)),
                outcome=Outcome("wrong", question=text),
            )
        case Gesture.TOO_LONG | Gesture.UNCLEAR:
            return _explained(book, typed, text, seen)
        case Gesture.SORRY:
            return Reply(
                texts.feedback_down(book.agency),
                buttons=(*staff, *browse.menu_row()),
                keeps_options=True,
                outcome=Outcome("sorry", question=text),
            )
    return Reply(texts.PREAMBLE, keeps_options=True, outcome=Outcome("preamble", question=text))


def _explained(book: FaqBook, typed: NotAQuestion, text: str, seen: OnScreen) -> Reply:
    """ "Dài quá", "ko hiểu": elders on a phone get the answer's parts one by one, or a person."""
    context = seen.context
    unclear = typed.gesture is Gesture.UNCLEAR
    if unclear and context is None:  # "hả?" with no answer before it: nothing to explain
        return Reply(texts.PREAMBLE, keeps_options=True, outcome=Outcome("preamble", question=text))
    parts = answer_buttons(book, context, None) if context is not None else ()
    shown = bool(parts)
    return Reply(
        texts.too_long(book.agency, seen.handoff, parts=shown, numbered=False, unclear=unclear),
        numbered_text=texts.too_long(book.agency, seen.handoff, parts=shown, numbered=True, unclear=unclear),
        title=context.title if shown and context is not None else "",
        buttons=(*browse.staff_rows(seen.handoff), *(parts or browse.menu_row())),
        outcome=Outcome("too_long", context.id if context is not None else None, question=text),
    )
