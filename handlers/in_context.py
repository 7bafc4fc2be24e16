"""What a message means right after an answer: a part of it, a sentence of it, or a question about
that procedure its guidance does not answer — rather than whatever the words alone are nearest to.

Pure reading over the matcher's result and the answer on screen; handlers/conversation.py turns the
reading into a reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from faq.decision import Kind, MatchResult
from faq.follow_up import (
    FOLLOW_UP_WORDS,
    UNPLACED_WORDS,
    alone_sentences,
    aside,
    asks_if_late,
    asks_more,
    asks_whom,
    by_means,
    cannot_come,
    consequent,
    goes_alone,
    home_sentences,
    if_then,
    late_sentences,
    names_someone,
    on_behalf,
    puts_if,
    short,
    what_about,
    who_comes,
    who_sentences,
    without_paper,
)
from faq.knowledge import Knowledge
from faq.schema import CONTACT_CATEGORY, Entry, Facet
from handlers.answers import answers_facet
from handlers.options import fold


class Reading(StrEnum):
    """How a message relates to the answer on screen."""

    PART = "part"
    """A part of that answer ("bao lâu thì có sổ", "có tốn tiền hông chị")."""
    PAPERS = "papers"
    """Whether a paper is needed for it ("cần giấy khai sinh ko" after a child's ID card): that answer's
    list of papers, not the procedure the paper is named after."""
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
    AGAIN = "again"
    """The same procedure for someone else ("à không, cho mẹ tôi"): that answer again."""
    WHERE = "where"
    """Whom to turn to ("vậy thì hỏi ai"): where that procedure is done."""


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
    if result.declined is not None and k.turns_to(result.declined, context, text):
        # "Còn sổ đỏ bị cháy thì làm lại ở đâu?" after the ID card (QA round 17) got the card's office:
        # "còn" and a topic the office declines, the answer on screen unnamed, is a question of its own.
        return None
    if (
        context.is_procedure
        and asks_if_late(text, UNPLACED_WORDS)
        and (other is None or other.id == context.id or not k.names(other, text))
        and (result.declined is None or not k.names(result.declined, text))
    ):
        # "quá hạn thì có bị phạt không" after khai sinh found tạm trú's penalty sentence, and "phạt bao
        # nhiêu tiền" the fee: lateness and fines of the procedure on screen, said where its answer says
        # them. "làm trễ như vậy có bị phạt tiền không ạ" after khai tử was declined as traffic fines.
        # What the answer says lateness costs, when it says it ("Khai sinh quá hạn … nộp lệ phí").
        found = late_sentences(context) or k.follow_up(text, context, UNPLACED_WORDS)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.LATE)
    if context.is_procedure and asks_whom(text) and not k.topic(text) and answers_facet(context, Facet.WHERE):
        # "vậy thì hỏi ai" found the greeting ("hỏi"): the office that does it.
        return InContext(Reading.WHERE)
    if context.is_procedure and answers_facet(context, Facet.DOCUMENTS):
        if needs_paper(text):
            # "cần giấy khai sinh ko" after a child's ID card got «Đăng ký khai sinh» and its papers.
            return _papers_saying(context, k.follow_up(text, context))
        lead = _clause_before_paper(text)
        if (
            lead is not None
            and (other is None or other.id == context.id or not k.names(other, lead))
            and (result.declined is None or not k.names(result.declined, text))
        ):
            # "Con tôi 14 tuổi đi làm lần đầu có cần mang giấy khai sinh không" after the ID card got
            # birth registration; "vợ em đang ở cữ, em đi nộp một mình được không, có cần mang giấy đăng
            # ký kết hôn không" after khai sinh got marriage (QA round 15): a paper asked of the answer
            # on screen after a clause that names no other procedure.
            return _papers_saying(context, k.follow_up(text, context, UNPLACED_WORDS, relaxed=True))
    if context.is_procedure and _LACKS_PAPER.fullmatch(fold(text)):
        # "nhà chưa có sổ hồng thì đăng ký được không" during permanent residence found the land title
        # («cấp sổ đỏ lần đầu»): what the answer on screen says of that paper, when it says it; else
        # that it does not ("người mất không có căn cước thì sao" after khai tử got the ID card).
        found = without_paper(context, text) or k.follow_up(text, context, UNPLACED_WORDS, relaxed=True)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.NOT_COVERED)
    if (
        facet is None
        and context.is_procedure
        and asks_more(text, UNPLACED_WORDS)
        and who_comes(k.topic(text), text)
    ):
        # "bố mẹ có phải đi cùng không" after a child's passport, "hai bên có phải cùng có mặt không"
        # after a land transfer (QA round 13): who must come is asked of the answer on screen, not of
        # «Đăng ký nhận cha, mẹ, con» or marriage, whose titles have those people. "ai phải đi làm"
        # (it got the self-introduction) names no one: what the answer says of who does it.
        # "vậy mẹ em phải tự đi à": whether one goes alone or oneself is who must come and who may
        # come instead ("ủy quyền"), not a sentence sharing "tự" ("cán bộ tự tra cứu được"; QA round 17).
        if goes_alone(text):
            found = alone_sentences(context)
        else:
            found = k.follow_up(text, context, UNPLACED_WORDS, relaxed=True)
            found = found or (who_sentences(context) if names_someone(text) else ())
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.NOT_COVERED)
    if context.is_procedure and cannot_come(text) and (other is None or not k.names(other, text)):
        # "bà nằm liệt giường rồi thì sao" after the ID card: what its answer says of someone who
        # cannot come (the police come to the home), when it says it.
        found = home_sentences(context)
        if found:
            return InContext(Reading.SENTENCES, found)
    whom = for_whom(text)
    if whom is not None and context.is_procedure:
        # "à không, cho mẹ tôi", "con tôi 3 tuổi" after an answer: the same procedure for that person,
        # and for an age what its answer says of ages. They got "chưa có thông tin", or death
        # registration and paternity among choices for a living mother.
        found = k.follow_up(AGE, context, relaxed=True) if whom is Whom.AGE else ()
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.AGAIN)
    if (
        context.is_procedure
        and on_behalf(text, UNPLACED_WORDS)
        and (other is None or other.id == context.id or other.is_small_talk or not k.names(other, text))
    ):
        # "ai đi làm cũng được à" after an answer found the assistant's self-introduction ("ai"): who
        # may do it for the citizen, as the answer says it ("ủy quyền"), or that it does not say.
        found = k.follow_up(text, context, UNPLACED_WORDS)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.NOT_COVERED)
    delegating = other if other is not None else _first_named(k, result, text)
    if (
        context.is_procedure
        and delegating is not None
        and delegating.id != context.id
        and short(text, UNPLACED_WORDS)
        and k.names_only_delegating(delegating, text)
    ):
        # "cần giấy ủy quyền không", "phiếu số 2 có ủy quyền được không" after LLTP answered «Chứng
        # thực chữ ký (giấy ủy quyền…)» three times out of three: whether this one may be delegated.
        # Offered it among choices likewise ("tôi là em ruột có cần ủy quyền không" after trích lục).
        found = k.follow_up(text, context, UNPLACED_WORDS, relaxed=True)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.NOT_COVERED)
    if facet is Facet.WHERE and answers_facet(context, facet) and _only_offices(k.topic(text)):
        # "làm ở phường được không" after tạm trú: where it is done, whatever the office is called.
        return InContext(Reading.PART)
    if (
        facet is None
        and context.is_procedure
        and context.where
        and asks_more(text)
        and _only_offices(tuple(t for t in k.topic(text) if fold(t) not in _HANDLING))
    ):
        # "ở phường có nhận không" after company registration (QA round 12, F35): whether that office
        # does it is where the answer says it is done.
        return InContext(Reading.SENTENCES, (context.where,))
    if facet is not None and answers_facet(context, facet) and k.only_names(context, text):
        # "bao lâu thì có sổ" after «cấp sổ đỏ lần đầu»: the part asked of the procedure on screen, not
        # a sentence that happens to say "sổ".
        return InContext(Reading.PART)
    if facet is Facet.POSTAL and answers_facet(context, facet) and k.only_names(context, text, _SENDING):
        # "trả thẻ qua bưu điện được ko" after the ID card found the postal fees entry: the card sent
        # home is this procedure's postal part.
        return InContext(Reading.PART)
    channel = other if other is not None else _first_named(k, result, text)
    if (
        facet is Facet.ONLINE
        and channel is not None
        and channel.id != context.id
        and answers_facet(context, facet)
        and by_means(text)
    ):
        # "làm trên vneid được không hay phải ra phường" after CT07 found the VNeID account: the
        # channel it names is how this procedure is done, and the answer has that part. Offered it
        # among choices likewise: "Em muốn làm luôn trên VNeID cho nhanh thì làm thế nào ạ?" after khai sinh
        # got the VNeID account, tạm trú and thường trú as choices (QA round 17).
        return InContext(Reading.PART)
    if result.kind is Kind.ANSWER:
        return _beside_another(k, context, result, text)
    declined = result.declined
    named = (
        declined is not None
        and context.is_procedure
        and short(text, UNPLACED_WORDS)
        and k.names(context, text)
    )
    if named and facet is Facet.DOCUMENTS and answers_facet(context, facet):
        # "bệnh viện đưa giấy chứng sinh rồi, còn cần gì nữa" after khai sinh was declined as a medical
        # topic ("bệnh viện"): it names the answer on screen ("giấy chứng sinh") and asks for its papers.
        # Only papers: "thuế khoán hộ kinh doanh một năm bao nhiêu" after hộ kinh doanh asks the tax.
        return InContext(Reading.PART)
    if named and declined is not None and not k.names_beyond(declined, context, text):
        # "mất biển số luôn thì sao" after vehicle registration («… (cà vẹt, biển số)») was declined as
        # house numbers («… biển số nhà»): the words that name the topic name the answer on screen too.
        found = k.follow_up(text, context, UNPLACED_WORDS, relaxed=True)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.NOT_COVERED)
    if declined is not None and context.is_procedure and if_then(text):
        # "nếu trước đây tôi đã ly hôn thì cần thêm gì" after the marital status certificate was
        # declined as divorce (QA round 12), "nếu nhà đó đang thế chấp ngân hàng thì có nhập được
        # không" during permanent residence as banking (round 13): a case put to the answer on screen,
        # which says it, or does not.
        # A state told ("cty chưa chốt sổ bhxh thì sao" during unemployment benefit) keeps the declined
        # topic when the answer does not speak of it: it is as likely that topic's question.
        found = k.follow_up(text, context, UNPLACED_WORDS)
        if found:
            return InContext(Reading.SENTENCES, found)
        if facet not in (None, Facet.STEPS) and answers_facet(context, facet):
            # "vợ tôi không có lương hưu thì mua theo hộ gia đình mức bao nhiêu" during the health
            # insurance card (QA round 14, declined as pensions): the part asked of the answer ("làm
            # sao" asks none in particular: "chồng em đang làm việc ở Nhật thì làm sao ạ").
            return InContext(Reading.PART)
        if puts_if(text):
            return InContext(Reading.NOT_COVERED)
    # Found nothing of its own: longer messages still ask about the answer on screen.
    unnamed = _choices_unnamed(k, result, text)
    # "bà tôi 85 tuổi không đi được thì sao" after the passport was asked "có phải … «Cấp, đổi, cấp lại
    # thẻ căn cước» không"; "bố đi làm xa thì mẹ đi một mình được không" after khai sinh got paternity,
    # death and marriage registration: choices only of other procedures it does not name place the
    # message nowhere new (until session 24 two or more choices stayed; QA round 9 found them wrong far
    # more often than right).
    elsewhere = unnamed and all(e.id != context.id for e in result.suggestions)
    unplaced = found_nothing(result) or _only_offers(result, context) or elsewhere
    limit = UNPLACED_WORDS if unplaced else FOLLOW_UP_WORDS
    # "thế còn người nước ngoài?": what that answer says of it, not the visa topic the words are near;
    # "bác già rồi đi lại khó, có ai đến nhà làm không": the sentence may say one word otherwise.
    found = k.follow_up(text, context, limit, relaxed=unplaced)
    if found:
        return InContext(Reading.SENTENCES, found)
    if _asks_part_of(context, result, text, unnamed):
        # "bn tiền 1 bản", "có tốn tiền hông chị": the part asked, with a word the matcher could not
        # place; nothing else was found, so it is this answer's part.
        return InContext(Reading.PART)
    if result.names_nothing and context.is_procedure and short(text) and not k.topic(text):
        # "có cần đăng ký gì không" after hộ kinh doanh: no word of it says what it is about, so it is
        # about the answer on screen (its part, or it again).
        return InContext(
            Reading.PART if facet is not None and answers_facet(context, facet) else Reading.AGAIN
        )
    if not _submitted(context):
        # After the office's contact card a question nothing was found for is no follow-up of it: "chưa
        # có thông tin", forwarded to staff where a relay is set up.
        return None
    if asks_if_late(text, limit):
        # "có bị phạt không" after "Đăng ký khai sinh", whose answer says nothing of it: matched alone it
        # found the traffic-fines topic (a longer message nothing was found for).
        found = late_sentences(context)
        return InContext(Reading.SENTENCES, found) if found else InContext(Reading.LATE)
    # Any question of up to UNPLACED_WORDS that nothing was found for ("con mèo nhà em biết bay không",
    # "bố đi làm xa thì mẹ đi một mình được không" after khai sinh) is about this answer: told that it
    # does not say, with its parts, a person, and a word on asking about something else. They got
    # "chưa có thông tin" and the whole menu, the procedure on screen lost. Longer ones are forwarded.
    asking = limit if found_nothing(result) or elsewhere else FOLLOW_UP_WORDS
    if on_behalf(text, limit) or (unplaced and asks_more(text, asking)):
        # "làm hộ được không" after kết hôn; "bé có phải đi không" after a child's ID card: about this
        # procedure, whatever else its words are near, and nothing in its answer says it.
        return InContext(Reading.NOT_COVERED)
    if found_nothing(result) and asks_more(text, TWO_QUESTIONS):
        # "Cháu tự đi làm được không hay bố mẹ phải đi cùng? Có mất tiền không ạ?" after the ID card,
        # "con trai tôi đồng ý rồi, cháu có phải ra công an cùng tôi không hay xác nhận online được?"
        # during permanent residence (QA round 15): a question of two parts, too long for a follow-up,
        # that nothing in the FAQ was found for, got "chưa có thông tin" and the whole menu, the
        # procedure lost. The plain part it asks of this answer, else that the answer does not say.
        if facet in _PLAIN_PARTS and answers_facet(context, facet):
            return InContext(Reading.PART)
        return InContext(Reading.NOT_COVERED)
    return None


def _on_screen(k: Knowledge, context: Entry, facet: Facet | None, text: str) -> InContext:
    """A message about the answer on screen: the part it asks, else what that answer says of it, else
    that answer again."""
    if facet is not None and answers_facet(context, facet):
        return InContext(Reading.PART)
    found = k.follow_up(text, context, UNPLACED_WORDS, relaxed=True)
    return InContext(Reading.SENTENCES, found) if found else InContext(Reading.AGAIN)


def _beside_another(k: Knowledge, context: Entry, result: MatchResult, text: str) -> InContext | None:
    """How a message the matcher answered with an entry relates to the answer on screen: None when that
    entry is the one on screen or the message names it (a message of its own)."""
    facet = result.facet
    answered = result.entry
    if (
        answered is not None
        and answered.is_small_talk
        and facet is not None
        and answers_facet(context, facet)
    ):
        # "làm ở phường được không" after tạm trú: the model found it nearest "bạn làm được gì", but
        # a part of the answer on screen is asked, and small talk has no parts.
        return InContext(Reading.PART)
    if answered is None or answered.id == context.id or answered.is_small_talk:
        return None
    said = k.said_of_not_done(answered, context, text)
    if said:
        # "bọn em chưa đăng ký kết hôn thì sao" after khai sinh got marriage registration: what the
        # answer on screen says of that circumstance ("cha mẹ chưa đăng ký kết hôn vẫn khai sinh được").
        return InContext(Reading.SENTENCES, said)
    asked = consequent(text)
    if (
        context.is_procedure
        and asked is not None
        and k.names(context, asked)
        and not k.names(answered, asked)
    ):
        # "Nếu tôi chỉ đăng ký tạm trú ở đây thì đăng ký xe ở đâu?" after vehicle registration got tạm
        # trú (QA round 18): the case put names another procedure, what it asks names the one on screen.
        return _on_screen(k, context, facet, text)
    if context.is_procedure and k.names_only_as_done(answered, text):
        # "cần giấy tờ j, e đk kết hôn r" during permanent residence got marriage registration's papers,
        # "con tôi làm khai sinh rồi nhưng chưa có thẻ, giờ làm riêng thẻ được không" during the health
        # insurance card got birth registration (QA round 16): what is done is a circumstance; the
        # part asked, or what the answer on screen says of it, or that answer again.
        return _on_screen(k, context, facet, text)
    if short(text) and k.names(context, text) and not k.names_beyond(answered, context, text):
        # "chứng thực ở phường được ko" after «Chứng thực chữ ký» found «Chứng thực bản sao», "làm ở
        # phường khác được ko, ks của con đăng ký ở quê" after the birth certificate copy («… (bản sao
        # giấy khai sinh…)») found birth registration: the words that name it name the answer on screen.
        return _on_screen(k, context, facet, text)
    if k.names(answered, text):
        return None
    topic = k.topic(text)
    if context.is_procedure and _submitted(answered) and short(text) and not topic:
        # "có cần đăng ký gì không" after hộ kinh doanh found marriage registration: no word of it
        # says what it is about, so it is about the answer on screen (its part, or it again).
        has_part = facet is not None and answers_facet(context, facet)
        return InContext(Reading.PART if has_part else Reading.AGAIN)
    related = [k.book.entry(i) for i in context.related if i != answered.id] if short(text) else []
    meant = [e for e in related if e is not None and k.only_names(e, text)]
    if len(meant) == 1:
        return InContext(Reading.RELATED, entry=meant[0])
    # A procedure the message does not name was found for it: a longer follow-up ("thế nó đi một
    # mình được không hay bố mẹ phải đi cùng" after a child's ID card found paternity registration
    # through "cha, mẹ") is still about the answer on screen when one of its sentences says every
    # topic word.
    found = k.follow_up(text, context, UNPLACED_WORDS)
    if not found and facet is not None and answers_facet(context, facet) and len(topic) <= 1:
        # "nhận ở đâu" after LLTP found paternity registration ("nhận"): a part asked with at most
        # one word that names nothing is a part of the answer on screen.
        return InContext(Reading.PART) if short(text) else None
    if facet in _PLAIN_PARTS and answers_facet(context, facet) and short(text, UNPLACED_WORDS):
        # "Nhà đứng tên bố chồng em, chồng em không phải chủ hộ thì cần giấy gì" during thường trú
        # found tách hộ, "Cần giấy tờ gì để chứng minh ngày sinh đúng?" during cải chính found birth
        # registration, "co mat thue truoc ba ko" during vehicle transfer found online payment (QA
        # rounds 11-14): papers, a fee, a time or a place asked without naming another procedure
        # are the answer's on screen.
        return InContext(Reading.PART)
    if not found and context.is_procedure and what_about(text):
        # "thế còn bố là người nước ngoài thì sao" after khai sinh found paternity registration: an
        # aside about the answer on screen, which does not say it.
        return InContext(Reading.NOT_COVERED)
    if not found:
        return None
    # "công an có tới nhà không" after a bedridden mother's ID card: alone it reads as the police
    # checking a rented room (tạm trú), but it names nothing of that, and the ID card's answer says
    # the police can come to the home.
    return InContext(Reading.SENTENCES_BESIDE, found)


TWO_QUESTIONS = 2 * UNPLACED_WORDS
"""Words of a question asked in two parts after an answer ("… được không hay …? Có mất tiền không?")."""
_PLAIN_PARTS = (Facet.DOCUMENTS, Facet.FEE, Facet.TIME, Facet.WHERE)
"""Parts a follow-up asks in so many words ("cần giấy gì", "bao nhiêu tiền", "mấy ngày", "ở đâu")."""


def way_back(k: Knowledge, context: Entry | None, declined: Entry, text: str) -> Entry | None:
    """The procedure a short message nearest a declined topic it does not name may still be about ("em
    đang ở Hàn Quốc thì xin được không" during lý lịch tư pháp: the visa topic is nearest)."""
    if context is None or not context.is_procedure or not aside(text) or k.names(declined, text):
        return None
    return context


def _asks_part_of(context: Entry, result: MatchResult, text: str, unnamed: bool) -> bool:
    """Whether a short message the matcher did not answer asks a part of the answer just given: it
    names a part that answer has, and nothing else was found for it (no choice it names other than
    that answer — `unnamed`: it names none of them —, no declined topic)."""
    if result.facet is None or not answers_facet(context, result.facet):
        return False
    # "lệ phí nhiu" after the single-status certificate was offered online payment, the postal fee and
    # permanent residence, "có làm ở phường không hay phải lên công an tỉnh" after the ID card tạm trú
    # and driving licences: the part's words, and none of the choices named.
    if not short(text, UNPLACED_WORDS if found_nothing(result) or unnamed else FOLLOW_UP_WORDS):
        return False
    if result.kind is Kind.SUGGEST:
        return unnamed or any(e.id == context.id for e in result.suggestions)
    return result.kind is Kind.NONE and result.declined is None


def _first_named(k: Knowledge, result: MatchResult, text: str) -> Entry | None:
    """The first of the matcher's choices the message names, if it offered choices."""
    if result.kind is not Kind.SUGGEST:
        return None
    return next((e for e in result.suggestions if k.names(e, text)), None)


def _only_offers(result: MatchResult, context: Entry) -> bool:
    """Whether the matcher's only choice is the answer already on screen ("có được hỗ trợ mai táng phí
    không" after khai tử): offering it again places the message nowhere new."""
    return result.kind is Kind.SUGGEST and [e.id for e in result.suggestions] == [context.id]


def _choices_unnamed(k: Knowledge, result: MatchResult, text: str) -> bool:
    """Whether the matcher offered choices and the message names none of them."""
    return result.kind is Kind.SUGGEST and not any(k.names(e, text) for e in result.suggestions)


_OFFICES = frozenset(
    {"phuong", "xa", "ubnd", "uy", "ban", "huyen", "quan", "tinh", "mot", "cua", "bo", "phan", "cong", "an"}
)
"""Words of the offices' names, accents off ("phường", "ủy ban", "bộ phận một cửa", "công an tỉnh")."""


_HANDLING = frozenset({"nhan", "lam", "nop", "giai", "quyet", "xu", "ly", "tiep", "cap"})
"""What an office does with a file ("nhận", "giải quyết", "xử lý"), accents off: no topic of its own."""


def _only_offices(topic: Sequence[str]) -> bool:
    """Whether a message's topic words only name an office."""
    return bool(topic) and all(fold(t) in _OFFICES for t in topic)


def _submitted(entry: Entry) -> bool:
    """Whether an entry is a procedure one submits (not the office's contact: "mấy giờ" asks its hours)."""
    return entry.is_procedure and entry.category != CONTACT_CATEGORY


def found_nothing(result: MatchResult) -> bool:
    """Whether the matcher found nothing at all for a message: no answer, choice or declined topic."""
    return (
        result.kind is Kind.NONE
        and result.declined is None
        and not result.legal_opinion
        and not result.preamble_only
    )


def places_nowhere(k: Knowledge, result: MatchResult, text: str) -> bool:
    """Whether the matcher found nothing for a message, or only choices it names none of."""
    return found_nothing(result) or _choices_unnamed(k, result, text)


class Whom(StrEnum):
    """What a correction of the person changes."""

    PERSON = "person"
    AGE = "age"


AGE = "tuổi"
"""The word an answer's sentences about ages share ("trẻ dưới 14 tuổi", "đủ 14, 25, 40 và 60 tuổi")."""
_KIN = (
    r"(?:con(?: trai| gai| nho| lon)?|be|chau(?: noi| ngoai| trai| gai)?|bo|me|cha|ba|ma|vo|chong"
    r"|ong(?: noi| ngoai)?|ba(?: noi| ngoai)?|anh(?: trai| ruot)?|chi(?: gai| ruot)?"
    r"|em(?: trai| gai| ruot| ho)?"
    r"|bo me|cha me|ba me|ong ba|nguoi nha|ban|ban than|hang xom)"
)
_WHOSE = r"(?:\s(?:toi|tui|em|minh|con|chau|nha (?:toi|em|minh)))?"
_YEARS = r"(?:\s(?:no|moi|da|duoc|nay|nam nay|chi|co))*\s\d{1,3}\s?(?:tuoi|t)(?:\s(?:roi|thoi|a|nhe|co))*"
_CORRECTING = (
    r"(?:(?:a|u|o|ah|khong|ko|nham|a nham|khong phai|ko phai|y la|y toi la|y em la|y minh la|la|the"
    r"|sai roi|sai|(?:toi|em|minh|tui) hoi|hoi|(?:toi|em|minh|tui) can|can)\s)*"
)
"""A correction before the person ("sai rồi, tôi hỏi cho con tôi 5 tuổi cơ")."""
_FOR_WHOM = re.compile(
    rf"{_CORRECTING}(?:lam\s)?(?:cho|cua)\s{_KIN}{_WHOSE}(?P<age1>{_YEARS})?(?:\s(?:a|nhe|nha|thoi|co))*"
)
_HOW_OLD = re.compile(rf"{_CORRECTING}{_KIN}{_WHOSE}(?P<age2>{_YEARS})")
_MY_AGE = re.compile(
    rf"{_CORRECTING}(?:e|em|toi|tui|minh|chau)(?P<age3>{_YEARS})(?:\s(?:nam|nu|a|ad|nhe|roi|thoi))*"
)
"""The writer's own age ("e 22 tuổi nam", "tôi năm nay 19 tuổi"): after an answer that speaks of ages."""


def for_whom(text: str) -> Whom | None:
    """Whether a short message only says for whom, or how old ("à không, cho mẹ tôi", "con tôi 3
    tuổi", "à nhầm, cho em gái tôi"), and which of the two it changes."""
    words = fold(text)
    m = _FOR_WHOM.fullmatch(words) or _HOW_OLD.fullmatch(words) or _MY_AGE.fullmatch(words)
    if m is None:
        return None
    ages = m.groupdict()
    return Whom.AGE if ages.get("age1") or ages.get("age2") or ages.get("age3") else Whom.PERSON


_NAMED_PAPER = (
    r"giay(?: to)?|ban sao|ban chinh|ban goc|hop dong|to khai|quyet dinh|ban an|trich luc|cccd|cmnd|can cuoc"
    r"|ho chieu|bang lai|gplx"
)
"""Words that are papers whatever their accents, accents off."""
_PAPER = rf"(?:{_NAMED_PAPER}|so|the|anh|hinh|xac nhan|chung nhan|don|cmt|chung minh|passport|ho khau)"
"""Papers after a word asking for them ("cần … sổ", "mang … thẻ"), where "sổ", "thẻ" cannot be "số", "thế"."""
_FOR_SOMEONE = rf"(?:(?:(?:neu|con|the|vay|nhung)\s)*{_KIN}{_WHOSE}(?:{_YEARS})?\sthi\s)?"
"""Whose paper, before the question ("con tôi mới 8 tuổi thì có cần mang theo giấy khai sinh không")."""


def _asks(paper: str) -> str:
    """Whether a paper must be brought ("có cần mang giấy khai sinh không"), accents off."""
    return (
        r"(?:co\s|khong\s|ko\s)?"  # "cháu không cần mang giấy khai sinh à"
        r"(?:can|phai co|phai mang|can mang|can co|mang|phai nop|can nop|bat buoc co|bat buoc phai co)"
        r"(?:\s(?:theo|them|ca|lai))?\s"
        + paper
        + r"(?:\s\S+){0,5}?\s(?:khong|ko|k|hong|hok|chua|ha|a)(?:\s(?:a|ad|nhi|vay|the|z|nhe))*"
    )


_NEEDS_PAPER = re.compile(
    _FOR_SOMEONE
    + r"(?:(?:the|vay|con|thi|a|u|o|lam|nop)\s)*"
    + rf"(?:{_KIN}{_WHOSE}\s)?"  # "cháu có phải mang giấy khai sinh không"
    + _asks(_PAPER)
)
_PAPER_LAST = re.compile(
    r"(?P<lead>(?:\S+\s){1,18}?)" + _asks(rf"(?:{_NAMED_PAPER}|so|the|xac nhan|chung nhan|don|ho khau)")
)
"""A message that ends asking whether a paper must be brought, after a clause of its own ("tôi đã ly hôn
từ năm 2015 thì có cần mang quyết định ly hôn không", "em đi nộp một mình được không, có cần mang giấy
đăng ký kết hôn không"). Not "ảnh", "hình": after a clause they are more often "anh ấy" ("dị ảnh ở Cần
Thơ thì có cần ảnh dìa không")."""

_PAPER_ASKED = re.compile(
    rf"(?:{_NAMED_PAPER}|so do|so hong|the can cuoc|so ho khau)"
    r"(?:\s\S+){0,8}?\s(?:"
    r"(?:co\s)?(?:can|phai)\s(?:\S+\s){0,4}?(?:khong|ko|k|hong|hok|a)"
    r"|(?:nop|dung|mang|gui|xai)\s(?:ban chup|ban sao|ban photo|photo|pho to|ban scan|anh chup)"
    r"\s(?:duoc|dc)\s(?:khong|ko|k|hong|hok))"
    r"(?:\s(?:a|ad|nhi|vay|the|z|nhe))*"
)
"""A paper named first, then asked of ("giấy đăng ký kết hôn có cần phô tô công chứng không", "giấy kết
hôn để ở quê, nộp bản chụp được không"); only words that are papers whatever their accents ("thẻ" is
"thế" typed bare: "thế còn sửa nhà có cần phép không")."""

_FORM = re.compile(
    r"(?:(?:the|vay|con|co|xin|lay|tai|cho xin|cho (?:em|toi|minh) xin|gui)\s)*(?:cai\s)?"
    r"(?:mau|mau don|mau to khai|to khai mau|to khai|mau giay|don mau)"
    r"(?:\s(?:khong|ko|k|hong|chua|o dau|dau|lay o dau|tai o dau|nao|a|ad|nhe|vay|z))*"
)
"""The form asked for ("có mẫu đơn ko", "xin mẫu tờ khai", "tờ khai lấy ở đâu"): the list of papers says
where it is (at the one-stop desk, or filled in online)."""


_LACKS_PAPER = re.compile(
    r"(?:\S+\s){0,3}(?:chua|khong|ko|k|hong|chang) co\s"
    + _PAPER
    + r"(?:\s\S+){0,4}?\s(?:thi|ma)\s(?:\S+\s){0,3}(?:sao|the nao|ntn|duoc khong|dc khong|duoc ko|dc ko)"
    r"(?:\s(?:a|ad|nhi|vay|the|z|nhe|khong|ko|chi|anh))*"
)
"""A paper one does not have, asked about ("nhà chưa có sổ hồng thì đăng ký được không")."""
_SENDING = frozenset({"tra", "gui", "nhan", "chuyen", "nop", "ship", "giao", "ve", "nha", "tan"})
"""Words of a result or file sent by post ("trả thẻ về nhà", "gửi hồ sơ"), accents off."""


def paper_asked_last(text: str) -> str | None:
    """The clause before a closing question whether a paper must be brought (accents off), if the
    message ends with one and is not only that question (needs_paper)."""
    return None if needs_paper(text) else _clause_before_paper(text)


def _clause_before_paper(text: str) -> str | None:
    """paper_asked_last for a message already known not to be only the question."""
    m = _PAPER_LAST.fullmatch(fold(text))
    return m.group("lead").strip() if m is not None else None


def _papers_saying(context: Entry, said: tuple[str, ...]) -> InContext:
    """The items of the answer's list of papers that the sentences found are part of (whole items, not
    their parts), else the whole list (a sentence elsewhere may only name the paper)."""
    found = tuple(d for d in context.documents if any(f in d for f in said))
    return InContext(Reading.SENTENCES, found) if found else InContext(Reading.PAPERS)


def needs_paper(text: str) -> bool:
    """Whether a short message only asks if a paper is needed ("cần giấy khai sinh ko", "có phải mang
    sổ hộ khẩu không", "mang bản gốc ko"), asks of a paper it names first ("giấy kết hôn có cần công
    chứng không") or asks for the form ("có mẫu đơn ko")."""
    words = fold(text)
    return any(p.fullmatch(words) is not None for p in (_NEEDS_PAPER, _PAPER_ASKED, _FORM))
