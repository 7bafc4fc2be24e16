"""A short message sent right after "Có phải anh/chị hỏi về…" choices: how it reads with them.

Read alone, "cần giấy gì" or "giờ làm sao lấy lại tài khoản" finds whatever its few words are near;
read with the question the choices were offered for, it is a part or a detail of one of them, or it
settles which one is meant. `read_under_choices` says which, and the conversation acts on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from faq.decision import Kind, MatchResult
from faq.follow_up import UNPLACED_WORDS, asks_more, by_means, short
from faq.knowledge import Knowledge
from faq.schema import CONTACT_CATEGORY, Entry, Facet
from handlers import first_answer


class Move(StrEnum):
    """What a message under choices leads to, when it is not simply answered."""

    SAME_CHOICES = "same-choices"
    """The same choices again, for the part asked ("cần giấy gì" under tạm trú / thường trú)."""
    FIRST_CHOICE = "first-choice"
    """A second part asked under the same choices, still unpicked: the first choice's part, the
    others still offered."""
    WHICH_FOR_DETAIL = "which-for-detail"
    """A detail of one of the choices, naming none: the same choices, to say which one's."""


@dataclass(frozen=True, slots=True)
class UnderChoices:
    """How a message reads under the choices offered just before it."""

    result: MatchResult
    """The message's decision, read with the question the choices were for where that names the
    procedure meant."""
    move: Move | None = None
    choices: MatchResult | None = None
    """The choices to offer again, or to take the first of (with `move`)."""
    asked: Facet | None = None
    """The part asked of them (SAME_CHOICES, FIRST_CHOICE)."""


def adds_to(k: Knowledge, result: MatchResult, text: str) -> bool:
    """Whether a message may add to the question before it: a short one, answered with no procedure
    it names (nothing, choices, a declined topic, or a procedure its words only come near)."""
    if not short(text, UNPLACED_WORDS) or result.preamble_only:
        return False
    if result.kind is not Kind.ANSWER or result.entry is None:
        return True
    return result.entry.is_procedure and not k.names(result.entry, text)


def read_under_choices(
    k: Knowledge,
    result: MatchResult,
    unsure: str,
    text: str,
    *,
    context: Callable[[], Entry | None],
    offered_again: Callable[[], bool],
) -> UnderChoices:
    """How `text` (for which `adds_to` holds) reads under the choices offered for `unsure`.

    `context` gives the answer on screen before the choices, `offered_again` whether these choices
    were already offered again for a part; both are read only when needed (a store call each)."""
    # "mình vừa bị mất điện thoại nên không đăng nhập được VNeID nữa", then "giờ làm sao lấy lại tài
    # khoản", which alone is nearest the bank topic: both read together.
    joined = k.match(f"{unsure}\n{text}")
    if (
        joined.kind is Kind.SUGGEST
        and len(joined.suggestions) == 1
        and (not k.topic(text) or k.only_names(joined.suggestions[0], text))
    ):
        # "thủ tục thế nào" under "có phải … «Đăng ký hộ kinh doanh» không ạ?" (alone it found what
        # online levels are), "cấp lại mất bao lâu" under «Thẻ bảo hiểm y tế (cấp mới, gia hạn, cấp
        # lại)»: nothing beyond the choice is said, so the one choice is taken.
        joined = replace(joined, kind=Kind.ANSWER, entry=joined.suggestions[0], suggestions=())
    asked = result.facet if result.facet_only or result.names_nothing else None
    if (
        asked is None
        and result.facet is not None
        and result.entry is not None
        and (by_means(text) or first_answer.channel(result.entry, result.facet))
        and result.facet in (Facet.ONLINE, Facet.POSTAL)
    ):
        # "làm qua vneid được không" under tạm vắng / tạm trú found the VNeID account (QA round 13):
        # the way of doing it is the part asked of the choices.
        asked = result.facet
    if asked is not None and joined.kind is Kind.NONE:
        # "cần giấy gì" under tạm trú / thường trú: joined, the part asked was read as the whole
        # question (it names nothing), and the choices were lost to "which procedure?".
        alone = k.match(unsure)
        joined = alone if alone.kind is Kind.SUGGEST else joined
    if (
        asked is not None
        and joined.kind is Kind.SUGGEST
        and len(joined.suggestions) > 1
        and not _among(context(), joined.suggestions)
    ):
        # "cần giấy gì", "mất bao lâu" under choices: the same choices, for that part (they got "which
        # procedure?" and the whole menu, the choices lost). With the answer before the choices among
        # them, the part is that answer's, as before. A second part asked under the same choices
        # ("xin qua điện thoại được không", then "mấy ngày có" under lý lịch tư pháp…, QA round 13):
        # the first choice's part, said to be that one's.
        move = Move.FIRST_CHOICE if offered_again() else Move.SAME_CHOICES
        return UnderChoices(result, move, joined, asked)
    if asked is None and _detail_under(k, result, joined, text):
        alone = k.match(unsure)
        took = result.entry if result.kind is Kind.ANSWER else None
        if alone.kind is Kind.SUGGEST and not _among(took, alone.suggestions):
            # "làm bây giờ có được không, có bị phạt không" under «Đăng ký khai tử» / «trích lục» got
            # tạm trú and online payment; "bố cháu ở nước ngoài thì mẹ ký một mình được không" under
            # the passport got paternity and marriage (QA round 12): a detail of one of the choices,
            # naming nothing new. The same choices: which one's (unless alone it found one of them:
            # "chủ nhật có làm ko" under the office's hours).
            return UnderChoices(result, Move.WHICH_FOR_DETAIL, alone)
    meant = joined.entry if joined.kind is Kind.ANSWER else None
    if meant is not None and meant.is_procedure and (result.entry is None or meant.id != result.entry.id):
        # The part this message asks, if it asks one, not the one asked before.
        return UnderChoices(replace(joined, facet=result.facet or joined.facet))
    return UnderChoices(result)


def _among(entry: Entry | None, entries: tuple[Entry, ...]) -> bool:
    """Whether an entry (by id) is one of these."""
    return entry is not None and any(e.id == entry.id for e in entries)


def _detail_under(k: Knowledge, result: MatchResult, joined: MatchResult, text: str) -> bool:
    """Whether a short question asked right after choices asks a detail of them: read with the
    question before it, it found no answer, and it names none of the procedures it was offered then or
    when matched alone."""
    if joined.kind is Kind.ANSWER or not asks_more(text, UNPLACED_WORDS):
        return False
    offered = (*result.suggestions, *joined.suggestions)
    if any(e.category == CONTACT_CATEGORY for e in result.suggestions[:1]):
        return False  # "vậy em gọi số nào ạ": the office's phone, whatever the choices were
    return not any(k.names(e, text) for e in offered) and (
        result.entry is None or not k.names(result.entry, text)
    )
