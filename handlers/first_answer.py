"""What a first answer leads with, and which entry's part answers it: the answer's own sentences about
what the question asks beyond naming the procedure, and the procedure meant when the entry found is
only about the way of submitting."""

from __future__ import annotations

import re

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
from faq.reading import asking_sentences, letter_sentences
from faq.schema import Entry, Facet
from handlers.answers import answers_facet
from handlers.options import fold


def _circumstance(k: Knowledge, entry: Entry, text: str) -> tuple[str, ...]:
    """What the entry's answer says of the circumstance a question names: a paper it lacks, being
    late, someone who cannot come, someone else going."""
    late = late_sentences(entry) if asks_if_late(text, UNPLACED_WORDS) else ()
    home = home_sentences(entry) if cannot_come(text) else ()
    return without_paper(entry, text) or late or home or k.delegated(entry, text)


def lead(k: Knowledge, entry: Entry, text: str) -> tuple[str, ...]:
    """The sentences of the entry's answer a first question asks about, to put before the overview:
    what stands in for a paper it lacks ("hổng có giấy chứng sinh"), what lateness costs ("khai sanh
    trễ hạn có bị phạt hông"), what is done for someone who cannot come, who else may go, or the
    sentence that uses its words beyond the procedure's ("quên mật khẩu vneid thì sao")."""
    return _circumstance(k, entry, text) or k.asked_of(entry, text)


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


_ASKS_PAPERS = re.compile(
    r"\b(?:ho so|giay to|thu tuc)\s+(?:gom|can|phai co)\s+(?:nhung\s+)?(?:gi|nao)\b"
    r"|\b(?:can|mang|chuan bi)\s+(?:theo\s+)?(?:nhung\s+)?(?:giay to\s+|ho so\s+|giay\s+)?(?:gi|nhung gi)\b"
    r"|\b(?:co (?:can|phai) (?:mang |nop |co |lam )?|(?:can|phai) (?:mang|nop) )(?:theo )?"
    r"(?:ban|giay|quyet dinh|so|hop dong|the|van ban|bang)\b"
)
"""A letter's question asking what to prepare ("hồ sơ gồm những gì", "cần những giấy tờ gì", "mang
theo gì") or whether a paper is needed ("có cần mang quyết định ly hôn không"): the list of papers is
shown for it, not for every question that says "hồ sơ" (judged blind, session 29: a list nobody
asked for made six replies worse)."""


def asks_for_papers(question: str) -> bool:
    """Whether a question asks what papers to prepare (_ASKS_PAPERS)."""
    return _ASKS_PAPERS.search(fold(question)) is not None


def letter_parts(k: Knowledge, entry: Entry, text: str) -> tuple[tuple[str, ...], tuple[Facet, ...]]:
    """For a letter, what the answer says of the circumstances its story tells (lateness, someone who
    cannot come, who else may go, a missing paper) and the parts its questions ask ("nộp ở xã hay ở
    đâu", "mất bao lâu"), in the order written. A letter numbers three or four questions; the
    overview alone answered one of them (QA round 15)."""
    sentences: list[str] = []
    facets: list[Facet] = []
    # Not the sentence that merely shares a question's words (lead's last resort): among a letter's
    # many words that picks a step at random.
    told = letter_sentences(text)
    for sentence in told:
        sentences.extend(s for s in _circumstance(k, entry, sentence) if s not in sentences)
    for question in asking_sentences(told):
        facet = find_facet(k.matcher.normalizer.tokens(question)).facet
        if facet is Facet.TIME:
            facet = Facet.FEE  # one part says both
        if facet is Facet.DOCUMENTS and not asks_for_papers(question):
            continue  # "làm một hồ sơ hay ba hồ sơ?", "xin giấy tờ gì để nộp cho trường?"
        if (
            facet is not None
            and facet is not Facet.STEPS
            and facet not in facets
            and answers_facet(entry, facet)
        ):
            facets.append(facet)
    return tuple(sentences), tuple(facets)
