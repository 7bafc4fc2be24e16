"""What a message means right after an answer: a part of it, a sentence of it, or a question about
that procedure its guidance does not answer — rather than whatever the words alone are nearest to.

Pure reading over the matcher's result and the answer on screen; handlers/conversation.py turns the
reading into a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from faq.decision import Kind, MatchResult
from faq.follow_up import FOLLOW_UP_WORDS, UNPLACED_WORDS, aside, asks_if_late, asks_more, on_behalf, short
from faq.knowledge import Knowledge
from faq.schema import Entry
from handlers.answers import answers_facet


class Reading(StrEnum):
    """How a message relates to the answer on screen."""

    PART = "part"
    """A part of that answer ("bao lâu thì có sổ", "có tốn tiền hông chị")."""
    SENTENCES = "sentences"
    """Sentences of that answer ("thế còn người nước ngoài?")."""
    SENTENCES_BESIDE = "sentences-beside"
    """Sentences of that answer, the procedure the words alone found offered beside them."""
    RELATED = "related"
    """A procedure the answer on screen lists as related, which the message's words name ("cước bao
    nhiêu" after the postal route: the postal fee, not the ID card, «căn cước»)."""
    LATE = "late"
    """Lateness or a penalty, which that answer does not mention."""
    NOT_COVERED = "not-covered"
    """A question about that procedure its answer does not cover."""


@dataclass(frozen=True, slots=True)
class InContext:
    """A reading of a message after an answer, with the sentences it found (SENTENCES…)."""

    reading: Reading
    sentences: tuple[str, ...] = ()
    entry: Entry | None = None
    """The related procedure meant (RELATED)."""


def read_in_context(k: Knowledge, context: Entry, result: MatchResult, text: str) -> InContext | None:
    """How a message relates to `context`, the answer just given; None when it is a message of its own."""
    facet = result.facet
    other = result.entry if result.kind is Kind.ANSWER and result.entry is not None else None
    if (
        context.is_procedure
        and asks_if_late(text)
        and (other is None or other.id == context.id or not k.names(other, text))
    ):
        # "quá hạn thì có bị phạt không" after khai sinh found tạm trú's penalty sentence, and "phạt bao
        # nhiêu tiền" the fee: lateness and fines of the procedure on screen, said where its answer says them.
        found = k.follow_up(text, context)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.LATE)
    if facet is not None and answers_facet(context, facet) and k.only_names(context, text):
        # "bao lâu thì có sổ" after «cấp sổ đỏ lần đầu»: the part asked of the procedure on screen, not
        # a sentence that happens to say "sổ".
        return InContext(Reading.PART)
    if result.kind is Kind.ANSWER:
        answered = result.entry
        if answered is None or answered.id == context.id or answered.is_small_talk or k.names(answered, text):
            return None
        related = [k.book.entry(i) for i in context.related if i != answered.id] if short(text) else []
        meant = [e for e in related if e is not None and k.only_names(e, text)]
        if len(meant) == 1:
            return InContext(Reading.RELATED, entry=meant[0])
        found = k.follow_up(text, context)
        if not found:
            return None
        # "công an có tới nhà không" after a bedridden mother's ID card: alone it reads as the police
        # checking a rented room (tạm trú), but it names nothing of that, and the ID card's answer says
        # the police can come to the home.
        return InContext(Reading.SENTENCES_BESIDE, found)
    # Found nothing of its own: longer messages still ask about the answer on screen.
    unplaced = _unplaced(result) or _only_offers(result, context)
    limit = UNPLACED_WORDS if unplaced else FOLLOW_UP_WORDS
    # "thế còn người nước ngoài?": what that answer says of it, not the visa topic the words are near;
    # "bác già rồi đi lại khó, có ai đến nhà làm không": the sentence may say one word otherwise.
    found = k.follow_up(text, context, limit, relaxed=unplaced)
    if found:
        return InContext(Reading.SENTENCES, found)
    if _asks_part_of(context, result, text):
        # "bn tiền 1 bản", "có tốn tiền hông chị": the part asked, with a word the matcher could not
        # place; nothing else was found, so it is this answer's part.
        return InContext(Reading.PART)
    if not context.is_procedure:
        return None
    if asks_if_late(text, limit):
        # "có bị phạt không" after "Đăng ký khai sinh", whose answer says nothing of it: matched alone it
        # found the traffic-fines topic (a longer message nothing was found for).
        return InContext(Reading.LATE)
    # Any question at all ("con mèo nhà em biết bay không") stays a short one: a longer message about
    # something else is forwarded to staff as it is, not told this answer does not cover it.
    if on_behalf(text, limit) or (unplaced and asks_more(text)):
        # "làm hộ được không" after kết hôn; "bé có phải đi không" after a child's ID card: about this
        # procedure, whatever else its words are near, and nothing in its answer says it.
        return InContext(Reading.NOT_COVERED)
    return None


def way_back(k: Knowledge, context: Entry | None, declined: Entry, text: str) -> Entry | None:
    """The procedure a short message nearest a declined topic it does not name may still be about ("em
    đang ở Hàn Quốc thì xin được không" during lý lịch tư pháp: the visa topic is nearest)."""
    if context is None or not context.is_procedure or not aside(text) or k.names(declined, text):
        return None
    return context


def _asks_part_of(context: Entry, result: MatchResult, text: str) -> bool:
    """Whether a short message the matcher did not answer asks a part of the answer just given: it
    names a part that answer has, and nothing else was found for it (no choice without that answer,
    no declined topic)."""
    limit = UNPLACED_WORDS if _unplaced(result) else FOLLOW_UP_WORDS
    if result.facet is None or not short(text, limit) or not answers_facet(context, result.facet):
        return False
    if result.kind is Kind.SUGGEST:
        return any(e.id == context.id for e in result.suggestions)
    return result.kind is Kind.NONE and result.declined is None


def _only_offers(result: MatchResult, context: Entry) -> bool:
    """Whether the matcher's only choice is the answer already on screen ("có được hỗ trợ mai táng phí
    không" after khai tử): offering it again places the message nowhere new."""
    return result.kind is Kind.SUGGEST and [e.id for e in result.suggestions] == [context.id]


def _unplaced(result: MatchResult) -> bool:
    """Whether the matcher found nothing at all for a message: no answer, choice or declined topic."""
    return (
        result.kind is Kind.NONE
        and result.declined is None
        and not result.legal_opinion
        and not result.preamble_only
    )
