"""Answers built from one entry: the part asked, the summary or the office's contact, the buttons."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from faq.schema import CONTACT_CATEGORY, Entry, Facet, FaqBook, OnlineLevel
from handlers import payloads as p
from handlers import texts
from handlers.messages import Button, Reply

log = logging.getLogger(__name__)

Row = tuple[Button, ...]


def answer(book: FaqBook, entry: Entry, facet: Facet | None, *, with_summary: bool) -> Reply:
    """An entry's answer: the part asked first, then the summary (or, for the office's contact
    entries, the agency block), with its buttons."""
    parts = []
    contact = entry.category == CONTACT_CATEGORY
    if contact and facet is not None and not has_part(entry, facet):
        facet = None  # "địa chỉ ủy ban ở đâu": the contact details are the answer
    if facet is not None:
        parts.append(facet_text(entry, facet))
    numbered = ""
    if contact and (with_summary or facet is None):
        # Written once, in the agency block: the entry adds only what is not contact data.
        parts.append(texts.contact(book.agency))
        if entry.summary:
            parts.append(entry.summary)
    elif (with_summary or facet is None) and entry.summary:
        parts.append(entry.summary)
    elif with_summary or facet is None:
        numbered = "\n\n".join([*parts, texts.no_summary(numbered=True)])
        parts.append(texts.no_summary())
    return Reply(
        "\n\n".join(parts),
        title=entry.title,
        buttons=answer_buttons(book, entry, facet),
        numbered_text=numbered,
    )


def answer_buttons(book: FaqBook, entry: Entry, facet: Facet | None) -> tuple[Row, ...]:
    """The buttons under an answer: the parts not shown yet, online, related, 👍/👎."""
    found: list[Row] = []
    if entry.steps:
        found.append(row(btn(texts.BTN_STEPS, p.ShowStep(entry.id, 1))))
    if entry.documents and facet is not Facet.DOCUMENTS:
        found.append(row(btn(texts.BTN_DOCUMENTS, p.ShowFacet(entry.id, Facet.DOCUMENTS))))
    if (entry.fee or entry.processing_time) and facet not in (Facet.FEE, Facet.TIME):
        found.append(row(btn(texts.BTN_FEE_TIME, p.ShowFacet(entry.id, Facet.FEE))))
    online = entry.online
    if online is not None and online.url and online.level is not OnlineLevel.NONE:
        found.append((Button(texts.BTN_ONLINE, url=online.url),))
    if entry.postal is not None and facet is not Facet.POSTAL:
        found.append(row(btn(texts.BTN_POSTAL, p.ShowFacet(entry.id, Facet.POSTAL))))
    if existing(book, entry.related):
        found.append(row(btn(texts.BTN_RELATED, p.ShowRelated(entry.id))))
    found.append(
        row(
            btn(texts.BTN_LIKE, p.Feedback(entry.id, up=True)),
            btn(texts.BTN_DISLIKE, p.Feedback(entry.id, up=False)),
        )
    )
    return rows(found)


def with_alternatives(reply: Reply, alternatives: Sequence[Entry], facet: Facet | None) -> Reply:
    """The answer with close runners-up offered first, each opening at the part asked."""
    if not alternatives:
        return reply
    # Picked like a suggestion: the log then tells `faqbot learn` which entry the question meant.
    offered = [row(btn(e.title, *picking(e, facet))) for e in alternatives]
    titles = [e.title for e in alternatives]
    return replace(
        reply,
        text=f"{reply.text}\n\n{texts.alternatives(titles)}",
        numbered_text=f"{reply.text_for(numbered=True)}\n\n{texts.alternatives(titles, numbered=True)}",
        buttons=(*rows(offered), *reply.buttons),
    )


def has_part(entry: Entry, facet: Facet | None) -> bool:
    """Whether the entry has something of its own to say about a facet."""
    match facet:
        case Facet.DOCUMENTS:
            return bool(entry.documents)
        case Facet.FEE | Facet.TIME:
            return bool(entry.fee or entry.processing_time)
        case Facet.WHERE:
            return bool(entry.where)
        case Facet.ONLINE:
            return entry.online is not None
        case Facet.POSTAL:
            return entry.postal is not None
        case Facet.STEPS:
            return bool(entry.steps)
    return True


def answers_facet(entry: Entry, facet: Facet | None) -> bool:
    """Whether a facet-only follow-up ("còn lệ phí thì sao?") can be answered from this entry.

    A procedure without that part says so honestly ("chưa có thông tin"); the office's contact
    entry has no fee or documents of its own, so such a question is about some other procedure.
    """
    if entry.category != CONTACT_CATEGORY:
        return True
    return facet is Facet.WHERE or has_part(entry, facet)


def picking(entry: Entry, facet: Facet | None) -> tuple[p.Payload, ...]:
    """Payloads choosing a runner-up beside an answer, leading with the part asked, then (if too long)
    without."""
    if facet is None:
        return (p.PickSuggestion(entry.id, beside=True),)
    return (p.PickSuggestion(entry.id, facet, beside=True), p.PickSuggestion(entry.id, beside=True))


def facet_text(entry: Entry, facet: Facet) -> str:
    """One part of an entry's answer, as the citizen reads it."""
    if facet in (Facet.FEE, Facet.TIME):
        return texts.fee_and_time(entry)
    if facet is Facet.DOCUMENTS:
        return texts.documents(entry)
    if facet is Facet.WHERE:
        return texts.where(entry)
    if facet is Facet.ONLINE:
        return texts.online(entry)
    if facet is Facet.POSTAL:
        return texts.postal(entry.postal)
    return texts.steps_list(entry)


def existing(book: FaqBook, ids: Iterable[str]) -> list[Entry]:
    """The procedures among these ids that the FAQ still has."""
    found = (book.entry(i) for i in ids)
    return [e for e in found if e is not None and e.is_procedure]


def btn(label: str, payload: p.Payload, *fallbacks: p.Payload) -> Button | None:
    """A button for the first payload that fits in 64 bytes (a long id may leave no room for a
    facet code), or None."""
    for candidate in (payload, *fallbacks):
        try:
            return Button(label, payload=p.encode(candidate))
        except p.PayloadError as exc:
            # The loader should reject such ids; never let one break a reply.
            log.warning("button payload dropped: %s", exc)
    return None


def row(*buttons: Button | None) -> Row:
    """A row of the buttons that could be made."""
    return tuple(b for b in buttons if b is not None)


def rows(found: Iterable[Row]) -> tuple[Row, ...]:
    """The rows that are not empty."""
    return tuple(r for r in found if r)
