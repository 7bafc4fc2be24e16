"""Replies that browse the FAQ without the matcher: the menu, a group, related procedures, one step,
the office's contact, help, and a button that no longer means anything."""

from __future__ import annotations

from collections.abc import Sequence

from faq.decision import MatchResult
from faq.schema import CONTACT_CATEGORY, Category, Entry, Facet, FaqBook
from handlers import payloads as p
from handlers import texts
from handlers.answers import Row
from handlers.answers import btn as _btn
from handlers.answers import existing as _existing
from handlers.answers import row as _row
from handlers.answers import rows as _rows
from handlers.messages import Button, Outcome, Reply

NEAREST = 3
"""Ranked entries whose groups lead the menu under a reply that found no answer."""


def nearest_first(categories: Sequence[Category], near: MatchResult | None) -> list[Category]:
    """The menu's groups with those of the procedures ranked nearest the message first (in rank order),
    the rest as staff ordered them: "bố tôi mới mất, lên phường báo sao" found no answer, but its
    group, Hộ tịch, is where the citizen should look."""
    if near is None:
        return list(categories)
    ranked = [c.entry.category for c in near.candidates[:NEAREST] if c.entry.is_procedure]
    place = {category: i for i, category in enumerate(dict.fromkeys(ranked))}
    return sorted(categories, key=lambda c: place.get(c.id, len(place)))


def menu(book: FaqBook, text: str, kind: str, near: MatchResult | None = None) -> Reply:
    """The FAQ's groups as buttons (nearest the message first), under `text`."""
    categories = nearest_first(book.menu_categories, near)
    rows = [_row(_btn(c.title, p.ShowCategory(c.id))) for c in categories]
    if not any(c.id == CONTACT_CATEGORY for c in book.menu_categories):
        # A FAQ with its own contact category would otherwise show two contact buttons.
        rows.append(_row(_btn(texts.BTN_CONTACT, p.ShowContact())))
    if not book.menu_categories:
        text = f"{text}\n\n{texts.MENU_EMPTY}" if kind == "start" else texts.MENU_EMPTY
    return Reply(text, buttons=_rows(rows), outcome=Outcome(kind))


def menu_buttons(book: FaqBook, near: MatchResult | None = None) -> tuple[Row, ...]:
    """The menu's buttons alone, to put under another reply."""
    return menu(book, "", "menu", near).buttons


def menu_row() -> tuple[Row, ...]:
    """One button back to the menu."""
    return _rows([_row(_btn(texts.BTN_MENU, p.ShowMenu()))])


def staff_rows(handoff: bool) -> tuple[Row, ...]:
    """The "Gặp cán bộ" row, where a staff relay is set up."""
    return (_row(_btn(texts.BTN_ASK_STAFF, p.AskStaff())),) if handoff else ()


def start(book: FaqBook) -> Reply:
    """The greeting with an example question from the FAQ, over the menu."""
    example = next((e.questions[0] for e in book.entries if e.is_procedure and e.questions), None)
    return menu(book, texts.greeting(book.agency, example), "start")


def help_reply(kind: str, before: str = "") -> Reply:
    """How to ask, after `before` (e.g. "that command does not exist")."""
    head = f"{before}\n\n" if before else ""
    return Reply(
        head + texts.HELP,
        numbered_text=head + texts.HELP_NUMBERED,
        buttons=menu_row(),
        outcome=Outcome(kind),
    )


def contact(book: FaqBook) -> Reply:
    """The office's address, phone and hours, with its portal when it has one."""
    rows: list[Row] = []
    if book.agency.portal:
        rows.append((Button(texts.BTN_PORTAL, url=book.agency.portal),))
    rows.append(_row(_btn(texts.BTN_MENU, p.ShowMenu())))
    return Reply(
        texts.contact(book.agency),
        title=texts.CONTACT_TITLE,
        buttons=_rows(rows),
        outcome=Outcome("contact"),
    )


def stale(book: FaqBook) -> Reply:
    """A button or payload that no longer means anything: the menu again."""
    return Reply(
        texts.STALE,
        numbered_text=texts.STALE_NUMBERED,
        buttons=menu_buttons(book),
        outcome=Outcome("stale"),
    )


def category(book: FaqBook, category_id: str) -> Reply:
    """The procedures of one group as buttons (stale when the group is gone or empty)."""
    found = book.category(category_id)
    entries = [e for e in book.entries_in(category_id) if e.is_procedure]
    if found is None or not entries:
        return stale(book)
    rows = [_row(_btn(e.title, p.ShowAnswer(e.id))) for e in entries]
    rows.append(_row(_btn(texts.BTN_MENU, p.ShowMenu())))
    return Reply(texts.category_intro(found.title), buttons=_rows(rows), outcome=Outcome("category"))


def related(book: FaqBook, entry: Entry) -> Reply:
    """The procedures staff linked to `entry`, and the way back to it."""
    rows = [_row(_btn(r.title, p.ShowAnswer(r.id))) for r in _existing(book, entry.related)]
    rows.append(_row(_btn(texts.BTN_BACK, p.ShowAnswer(entry.id, back=True))))
    return Reply(texts.related_intro(entry.title), buttons=_rows(rows), outcome=Outcome("related", entry.id))


def step(entry: Entry, n: int) -> Reply:
    """Step `n` of `entry` with buttons to the steps beside it and back to the answer."""
    back = _row(_btn(texts.BTN_BACK, p.ShowAnswer(entry.id, back=True)))
    total = len(entry.steps)
    if total == 0:
        return Reply(
            texts.NO_STEPS,
            title=entry.title,
            buttons=_rows([back]),
            edit=True,
            outcome=Outcome("step", entry.id, facet=str(Facet.STEPS)),
        )
    # The FAQ may have lost steps since the button was drawn: show the nearest one.
    n = min(max(n, 1), total)
    nav = _row(
        _btn(texts.BTN_PREV, p.ShowStep(entry.id, n - 1)) if n > 1 else None,
        _btn(texts.BTN_NEXT, p.ShowStep(entry.id, n + 1)) if n < total else None,
    )
    return Reply(
        texts.step(n, total, entry.steps[n - 1]),
        title=entry.title,
        buttons=_rows([nav, back]),
        edit=True,
        outcome=Outcome("step", entry.id, facet=str(Facet.STEPS)),
    )
