"""What a first answer leads with, and which entry's part answers it: the answer's own sentences about
what the question asks beyond naming the procedure, and the procedure meant when the entry found is
only about the way of submitting."""

from __future__ import annotations

from faq.facets import find_facet
from faq.follow_up import (
    UNPLACED_WORDS,
    asks_if_late,
    cannot_come,
    home_sentences,
    late_sentences,
    without_paper,
)
from faq.knowledge import Knowledge
from faq.schema import Entry, Facet
from handlers.answers import answers_facet


def lead(k: Knowledge, entry: Entry, text: str) -> tuple[str, ...]:
    """The sentences of the entry's answer a first question asks about, to put before the overview:
    what stands in for a paper it lacks ("hổng có giấy chứng sinh"), what lateness costs ("khai sanh
    trễ hạn có bị phạt hông"), what is done for someone who cannot come, who else may go, or the
    sentence that uses its words beyond the procedure's ("quên mật khẩu vneid thì sao")."""
    late = late_sentences(entry) if asks_if_late(text, UNPLACED_WORDS) else ()
    home = home_sentences(entry) if cannot_come(text) else ()
    said = without_paper(entry, text) or late or home or k.delegated(entry, text)
    return said or k.asked_of(entry, text)


_CHANNELS = {Facet.POSTAL: ("bưu chính", "bưu điện"), Facet.ONLINE: ("trực tuyến", "dịch vụ công")}
"""What the title of an entry about a way of submitting says (the postal service, the online portal)."""


def channel(entry: Entry, facet: Facet) -> bool:
    """Whether an entry is about the way of submitting this part asks (its title says it)."""
    title = entry.title.lower()
    return any(words in title for words in _CHANNELS.get(facet, ()))


def sent_through(k: Knowledge, answered: Entry, facet: Facet | None, text: str) -> Entry | None:
    """The one procedure a message names when it asks of it through the channel the answered entry is
    about ("căn cước gửi bưu điện được không" answered with the postal fees): that procedure."""
    if facet is None or not channel(answered, facet):
        return None
    named = [
        e
        for e in k.book.entries
        if e.is_procedure
        and e.id != answered.id
        and not channel(e, facet)
        and answers_facet(e, facet)
        and k.names(e, text)
    ]
    return named[0] if len(named) == 1 else None


_SECOND = (Facet.WHERE, Facet.FEE, Facet.TIME, Facet.ONLINE)
"""Parts a question may ask beside the one it asks first ("nộp ở đâu, mất bao nhiêu tiền"); the fee
and the time are one part already."""


def second_part(k: Knowledge, entry: Entry, facet: Facet | None, text: str) -> Facet | None:
    """Another part a question asks of the entry beside `facet` ("căn cước làm lại thì nộp ở đâu, mất
    bao nhiêu tiền", "hộ chiếu làm online bn ngày có"), when the entry has it."""
    if facet is None:
        return None
    named = find_facet(k.matcher.normalizer.tokens(text)).named
    one = {Facet.FEE, Facet.TIME}
    for other in _SECOND:
        if facet is Facet.POSTAL and other is Facet.FEE and not channel(entry, Facet.POSTAL):
            continue  # "gửi về nhà mất bao nhiêu tiền ship": the postage, which the postal part says
        if other in named and other != facet and not (other in one and facet in one):
            return other if answers_facet(entry, other) else None
    return None
