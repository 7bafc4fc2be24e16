"""The conversation: one Incoming in, one Reply out, answered from one FAQ snapshot.

Outcome kinds (for the interaction log): "answer", "suggest", "none" (the fallback, also after
"Không phải các ý trên"), "clarify" (a facet asked with no procedure in context), "preamble",
"start", "menu", "help", "contact", "unknown_command", "non_text", "category", "related",
"browse" (an entry opened from a list), "declined" (nearest a topic the office does not handle:
told who handles it), "suggest:accepted", "alternative:accepted" (a runner-up beside an answer),
"facet", "step", "back",
"feedback:up", "feedback:down", "handoff", "handoff:none" (nothing to hand over),
"handoff:disabled", "stale" (a button or payload that no longer means anything),
"both" ("cả hai" under choices: one at a time), "thanks" / "sorry" (a lone 👍 / 👎 typed),
"option:missing" (a number no option on screen stands for), "option:none" (a number typed with no
numbered options).
On a province's shared account (handlers/offices.py) also: "office:ask" (which commune/ward? the
question is put aside), "office:choices" (several units match the name typed), "office:set" (an
office chosen with no question put aside), "office:change" ("đổi xã"); "declined" also covers a
shared procedure the citizen's office does not handle.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from faq.ages import speaks_to, stated_ages
from faq.decision import Kind, MatchResult
from faq.facets import asks_how_far
from faq.follow_up import (
    UNPLACED_WORDS,
    asks_limit,
    asks_more,
    asks_whom,
    limit_sentences,
    short,
    tax_sentences,
)
from faq.knowledge import ASKED_WORDS, Knowledge, KnowledgeSource
from faq.reading import Closing, closing
from faq.schema import Category, Entry, Facet, FaqBook
from faq.senses import lost_papers
from handlers import browse, first_answer, texts
from handlers import payloads as p
from handlers.address import address_of, addressed, mentions_default
from handlers.answers import Row, answer, answer_buttons, answers_facet, facet_text, with_alternatives
from handlers.answers import btn as _btn
from handlers.answers import existing as _existing
from handlers.answers import row as _row
from handlers.answers import rows as _rows
from handlers.gestures import OnScreen, gesture_reply
from handlers.in_context import (
    InContext,
    Reading,
    places_nowhere,
    read_in_context,
    way_back,
)
from handlers.messages import HIDDEN_CONTENT, Incoming, InKind, Outcome, Reply
from handlers.offices import OfficeDesk, OfficeRouting
from handlers.options import fold
from handlers.safety import Danger, danger_in, warned
from handlers.state import ChatStates
from handlers.store import MemoryStore, StateStore
from handlers.typed import (
    Gesture,
    NotAQuestion,
    Rejection,
    after_rejection,
    asked_again,
    before_complaint,
    not_a_question,
)
from handlers.under_choices import Move, adds_to, read_under_choices

log = logging.getLogger(__name__)


_COMMANDS = {
    "start": "start",
    "batdau": "start",
    "menu": "menu",
    "danhmuc": "menu",
    "help": "help",
    "trogiup": "help",
    "huongdan": "help",
    "lienhe": "contact",
    "contact": "contact",
}

_FIELDS_PER_CHAT = 9
"""At most this many values are remembered per chat (handlers.state.Field)."""


class Conversation:
    """Turns each Incoming into a Reply; keeps only small per-chat context."""

    def __init__(
        self,
        knowledge: KnowledgeSource,
        *,
        context_ttl: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        handoff_enabled: bool = False,
        max_chats: int = 10_000,
        store: StateStore | None = None,
        offices: OfficeRouting | None = None,
    ) -> None:
        """`store`: where per-chat context lives (shared by every process when it is Redis); by
        default a memory store of this conversation's own, bounded to about `max_chats` chats.
        `offices`: a province's offices (each message is answered by the chat's office)."""
        self._knowledge = knowledge
        self._handoff_enabled = handoff_enabled
        if store is None:
            store = MemoryStore(max_keys=max_chats * _FIELDS_PER_CHAT, clock=clock)
        self._states = ChatStates(store, context_ttl)
        self._desk = OfficeDesk(offices, store) if offices is not None else None

    @property
    def knowledge(self) -> KnowledgeSource:
        """Where each message's FAQ snapshot comes from."""
        return self._knowledge

    @property
    def offices(self) -> OfficeDesk | None:
        """Which office answers each chat (None: one office)."""
        return self._desk

    def handle(self, msg: Incoming) -> Reply:
        """The reply to one message, from one knowledge snapshot (the chat's office's)."""
        key = (msg.channel, msg.chat_id)
        if self._desk is not None:
            reply = self._desk.handle(msg, key, self._handle)
        else:
            reply = self._handle(self._knowledge.current(), key, msg)
        return self._addressed(key, msg, reply)

    def _addressed(self, key: tuple[str, str], msg: Incoming, reply: Reply) -> Reply:
        """The reply in the form the citizen calls themselves by ("bác", "bà"…), remembered per chat."""
        form = address_of(msg.text) if msg.kind is InKind.TEXT else None
        if form is not None:
            self._states.set(key, "address", form)
        elif mentions_default(reply):
            form = self._states.get(key, "address")
        return addressed(reply, form) if form is not None else reply

    def _handle(self, k: Knowledge, key: tuple[str, str], msg: Incoming) -> Reply:
        if msg.kind is InKind.TEXT:
            reply = self._on_text(k, key, msg.text, msg.options)
            danger = danger_in(msg.text)
            return warned(reply, danger) if danger is not None else reply
        if msg.kind is InKind.BUTTON:
            return self._on_button(k, key, msg.text)
        if msg.kind is InKind.COMMAND:
            return self._on_command(k.book, msg.text)
        if msg.kind is InKind.FOLLOW:
            return browse.start(k.book)
        if msg.text == HIDDEN_CONTENT:
            # Zalo hides what protected users (children, people with disabilities...) send.
            return Reply(
                texts.hidden_content(k.book.agency),
                buttons=browse.menu_row(),
                outcome=Outcome("non_text", question=""),
            )
        return self._non_text()

    def _non_text(self) -> Reply:
        """A picture, sticker or file (or only the text a platform puts for one): text only, please."""
        return Reply(texts.NON_TEXT, buttons=browse.menu_row(), outcome=Outcome("non_text", question=""))

    # -- commands ---------------------------------------------------------------------------

    def _on_command(self, book: FaqBook, text: str) -> Reply:
        name = text.strip().lstrip("/").split("@", 1)[0].split(maxsplit=1)
        action = _COMMANDS.get(name[0].lower() if name else "")
        if action == "start":
            return browse.start(book)
        if action == "menu":
            return browse.menu(book, texts.MENU, "menu")
        if action == "help":
            return browse.help_reply("help")
        if action == "contact":
            return browse.contact(book)
        return browse.help_reply("unknown_command", texts.UNKNOWN_COMMAND)

    # -- typed questions --------------------------------------------------------------------

    def _on_text(self, k: Knowledge, key: tuple[str, str], text: str, options: tuple[int, ...]) -> Reply:
        if not text.strip():
            return Reply(texts.PREAMBLE, outcome=Outcome("preamble"))
        again = asked_again(text)
        if again != text and self._context_entry(k.book, key) is not None:
            # "Tôi hỏi là tôi có được đăng ký luôn cho vợ và con không, hay vợ phải tự đi?" after tạm trú
            # (QA round 18): the question is what follows; those words only made it too long to be read
            # as a follow-up (it was declined as adoption). The store is read only for such a message.
            text = again
        ages = stated_ages(text)
        if ages:
            self._states.set(key, "ages", ",".join(map(str, ages)))
        typed = not_a_question(text)
        if typed is not None:
            return self._not_a_question(k.book, key, typed, text, options)
        # A part asked earlier, before the procedure was known, leads this answer unless it asks its own.
        pending = self._take_facet(key)
        # "… mà cứ trả lời lung tung": the question, not the complaint (it found the self-introduction).
        question = before_complaint(text) or text
        rejection = after_rejection(question)
        rejected = self._rejected(k, key, rejection) if rejection is not None else None
        if rejection is not None and (rejected is not None or rejection.names):
            # What it names as not meant does not pull the match ("ko phai khai sinh, khai tu a").
            question = rejection.question
        result = k.match(question)
        if rejected is not None and not (result.facet_only or result.names_nothing):
            # "không phải tạm vắng, tôi hỏi khai báo tạm trú cho người nước ngoài": not what was just
            # shown, whatever its words are nearest (it got «Khai báo tạm vắng» again).
            result = _without(result, rejected)
            self._states.set(key, "entry", None)
        elif (
            rejection is not None
            and rejection.names
            and result.entry is not None
            and k.names(result.entry, rejection.rejected)
        ):
            # "Tôi hỏi đăng ký xe máy chứ không phải tạm trú. Người tạm trú có đăng ký xe ở nơi tạm trú
            # được không?" after the vehicle answer got tạm trú (QA round 18): named as not meant, it is
            # not the answer, whatever else of the message names it.
            result = _without(result, result.entry)
        unsure = self._take_unsure(key)
        if unsure is not None and adds_to(k, result, text):
            under = read_under_choices(
                k,
                result,
                unsure,
                text,
                context=lambda: self._context_entry(k.book, key),
                offered_again=lambda: self._states.get(key, "offered_again") == unsure,
            )
            choices = under.choices
            if under.move is Move.SAME_CHOICES and choices is not None and under.asked is not None:
                which = texts.which_of_these(under.asked)
                return self._suggest(key, choices, unsure, under.asked, lead=which, again=True)
            if under.move is Move.FIRST_CHOICE and choices is not None:
                first, *others = choices.suggestions
                self._states.set(key, "offered_again", None)
                reply = self._answered(k.book, key, first, under.asked, choices, text)
                return with_alternatives(_before(reply, texts.first_choice(first.title)), others, under.asked)
            if under.move is Move.WHICH_FOR_DETAIL and choices is not None:
                return self._suggest(key, choices, unsure, None, lead=texts.WHICH_FOR_DETAIL, detail=text)
            result = under.result
        nothing = result.preamble_only or (result.kind is Kind.NONE and result.declined is None)
        if _small_talk(result) and closing(text) is Closing.THANKS and not _WHO.search(fold(text)):
            # "cảm ơn em nhiều nhé, bot dễ thương ghê" found the self-introduction ("bot"): thanks that
            # ask nothing are thanks, whichever small talk their other words are near.
            thanks = _thanks_entry(k.book)
            if thanks is None:
                nothing = True
            elif result.entry is not thanks:
                return self._answered(k.book, key, thanks, None, result, text)
        ending = closing(text) if nothing else None
        if ending is not None:
            # A FAQ without a thanks or goodbye entry: still not "chưa có thông tin" to either.
            if ending is Closing.THANKS:
                return Reply(texts.THANKS, keeps_options=True, outcome=Outcome("thanks", question=text))
            return Reply(texts.GOODBYE, keeps_options=True, outcome=Outcome("goodbye", question=text))
        if result.preamble_only:
            return Reply(texts.PREAMBLE, outcome=Outcome("preamble", question=text))
        limit = asks_limit(text, ASKED_WORDS)
        context = self._context_entry(k.book, key)
        if (
            limit
            and short(text, UNPLACED_WORDS)
            and context is not None
            and not _names_other(k, result, context, text)
        ):
            # "bao lâu phải khai" after khai tử, "dùng được bao lâu" after a certificate: the time limit
            # its answer states (15 days from the death; valid 6 months), not how long the office takes.
            found = limit_sentences(context, limit)
            if found and result.facet not in (None, Facet.TIME) and answers_facet(context, result.facet):
                # "nộp hồ sơ ở đâu, hạn bao lâu" after unemployment benefit (QA round 13): the limit
                # and the part asked beside it ("bao lâu" of the limit asks no processing time).
                shown = self._answered(k.book, key, context, result.facet, result, text, with_summary=False)
                return _leading(shown, *self._fitting(key, found))
            if found:
                return self._follow_up(k.book, key, context, found, result, text)
        named = _named_category(k.book, text) if result.kind is not Kind.ANSWER else None
        if named is not None:
            # "đất" alone was declined as property trading: the land group, as its button would open.
            return browse.category(k.book, named.id)
        if result.facet_only:
            if context is not None and answers_facet(context, result.facet):
                # The citizen has just read this answer's summary: give only the part asked.
                return self._part(k, key, context, result, text)
            if context is not None:
                # A fee asked right after the office's contact details: about some other procedure.
                return self._clarify(k.book, key, result, text)
        part = result.facet_only or result.names_nothing
        whom = asks_whom(text) and not k.topic(text)
        # An answered message is no question about the topic declined before: the state is not read.
        asking = (
            context is None
            and rejection is None
            and (whom or result.kind is not Kind.ANSWER)
            and asks_more(text, UNPLACED_WORDS)
        )
        before = self._declined_shown(k.book, key) if context is None and (part or asking) else None
        about_it = asking and before is not None and (whom or places_nowhere(k, result, text))
        topic = before if part or about_it else None
        if topic is not None:
            # "mất bao lâu" right after «Cấp lại sổ đỏ…» was declined (QA round 11): not "which
            # procedure?" and the menu, but that the guide has no such part, and who handles it.
            # "ra phường có giải quyết không" after divorce, "được hưởng những gì" after the
            # poor-household topic (QA round 12): about that topic; who handles it again, and the phone.
            # Likewise when only choices it does not name were found ("Muốn tạm hoãn để đi học thì cần
            # giấy gì?" after military service got tạm trú and tạm vắng, QA round 14).
            return Reply(
                texts.declined_part(
                    topic.title,
                    result.facet if part else None,
                    topic.summary,
                    None if part else k.book.agency,
                ),
                buttons=(*self._staff_rows(), *browse.menu_buttons(k.book, result)),
                outcome=_outcome("declined", result, text, entry_id=topic.id),
            )
        if whom and context is None:
            # "vậy thì hỏi ai" with nothing on screen found the greeting: the office's contact.
            return browse.contact(k.book)
        if result.names_nothing and context is None:
            # "thủ tục thế nào", "lệ phí bao nhiêu", "làm giấy tờ cho mẹ" with no answer on screen:
            # which procedure is meant (the part asked leads the answer once it is named).
            return self._clarify(k.book, key, result, text)
        after = read_in_context(k, context, result, text) if context is not None else None
        if context is not None and after is not None:
            return self._in_context(k, key, context, after, result, text)
        facet = result.facet or pending
        if facet is Facet.DOCUMENTS and asks_how_far(text):
            # "Hồ sơ sang tên sổ đỏ của tôi nộp từ tháng 3 tới giờ chưa xong": how far the file is,
            # not the papers it needs ("hồ sơ").
            facet = Facet.TIME
        if result.kind is Kind.ANSWER and result.entry is not None:
            if result.entry.id in k.not_handled:
                return self._not_handled(k, key, result.entry, result, text)
            entry = k.book.entry(result.entry.id) or result.entry
            sent = first_answer.sent_through(k, entry, facet, text)
            if sent is not None:
                # "căn cước gửi bưu điện được không" found «Cước phí bưu chính công ích…» ("cước" of
                # «căn cước», QA rounds 11 and 12): the card's own postal part.
                entry = sent
                result = replace(result, entry=sent, suggestions=(result.entry, *result.suggestions))
            taxed = tax_sentences(entry, text) if facet is Facet.FEE else ()
            if taxed:
                # "đăng ký hộ kinh doanh xong rồi, thuế thì nộp thế nào" got the registration fee
                # (QA rounds 11 and 12): the tax is not the fee; what the answer says of it leads.
                return with_alternatives(
                    _leading(
                        self._answered(k.book, key, entry, None, result, text), *self._fitting(key, taxed)
                    ),
                    result.suggestions,
                    None,
                )
            stated = limit_sentences(entry, limit) if limit and entry.is_procedure else ()
            if stated:
                # "khai tử trong bao lâu phải làm": the answer with its summary, led by the limit it
                # states where the summary does not already say it.
                lead = tuple(sentence for sentence in stated if sentence not in entry.summary)
                return with_alternatives(
                    _leading(
                        self._answered(k.book, key, entry, None, result, text), *self._fitting(key, lead)
                    ),
                    result.suggestions,
                    None,
                )
            reply = self._answered(k.book, key, entry, facet, result, text)
            second = first_answer.second_part(k, entry, facet, text) if entry.is_procedure else None
            if facet is not None and second is not None:
                # "căn cước làm lại thì nộp ở đâu, mất bao nhiêu tiền" got where only (QA round 13).
                reply = _with_part(reply, facet_text(entry, facet), facet_text(entry, second))
            if facet in (None, Facet.STEPS, Facet.ONLINE) and entry.is_procedure:
                # "quên mật khẩu vneid thì sao": the sentence that says it, before the overview ("thế
                # nào" or an online word asks no part in particular).
                # "hổng có giấy chứng sinh, dzậy làm khai sanh sao đây": what stands in for it.
                reply = _leading(reply, *self._fitting(key, first_answer.lead(k, entry, text)))
            if entry.is_procedure:
                said, parts = first_answer.letter_parts(k, entry, text)
                reply = _each_question(reply, entry, parts, *self._fitting(key, said))
            return with_alternatives(reply, result.suggestions, facet)
        if result.facet_only:
            return self._clarify(k.book, key, result, text)
        if result.kind is Kind.SUGGEST and result.suggestions:
            return self._suggest(key, result, text, facet)
        if result.declined is not None:
            # Nearest to a declined topic it does not name, during a procedure: who handles that, and the
            # way back to the procedure.
            still = way_back(k, context, result.declined, text)
            beside = _named_beside(result, text) if still is None and context is None else None
            return self._declined(k.book, key, result.declined, result, text, still, beside)
        if result.legal_opinion:
            return self._legal_opinion(k.book, key, result, text)
        return self._fallback(k.book, key, text, result)

    def _in_context(
        self,
        k: Knowledge,
        key: tuple[str, str],
        context: Entry,
        after: InContext,
        result: MatchResult,
        text: str,
    ) -> Reply:
        """The reply to a message read as being about the answer just given (handlers.in_context)."""
        book = k.book
        match after.reading:
            case Reading.PART:
                return self._part(k, key, context, result, text)
            case Reading.SENTENCES:
                return self._follow_up(book, key, context, after.sentences, result, text)
            case Reading.SENTENCES_BESIDE:
                reply = self._follow_up(book, key, context, after.sentences, result, text)
                beside = (result.entry,) if result.entry is not None else ()
                return with_alternatives(reply, beside, result.facet)
            case Reading.RELATED if after.entry is not None:
                reply = self._answered(book, key, after.entry, result.facet, result, text)
                beside = (result.entry,) if result.entry is not None else ()
                return with_alternatives(reply, beside, result.facet)
            case Reading.LATE:
                return self._not_covered(book, key, context, result, text, late=True)
            case Reading.PAPERS:
                return self._answered(book, key, context, Facet.DOCUMENTS, result, text, with_summary=False)
            case Reading.WHERE:
                return self._answered(book, key, context, Facet.WHERE, result, text, with_summary=False)
            case Reading.AGAIN:
                return self._answered(book, key, context, None, result, text)
        return self._not_covered(book, key, context, result, text)

    def _part(
        self, k: Knowledge, key: tuple[str, str], entry: Entry, result: MatchResult, text: str
    ) -> Reply:
        """The part a follow-up asks of the answer on screen, and a second part it asks beside it."""
        reply = self._answered(k.book, key, entry, result.facet, result, text, with_summary=False)
        second = first_answer.second_part(k, entry, result.facet, text)
        if result.facet is None or second is None:
            return reply
        # "Đăng ký thì nộp ở đâu, mất mấy ngày?" after hộ kinh doanh got where only (QA round 14).
        return _with_part(reply, facet_text(entry, result.facet), facet_text(entry, second))

    def _answered(
        self,
        book: FaqBook,
        key: tuple[str, str],
        entry: Entry,
        facet: Facet | None,
        result: MatchResult,
        text: str,
        *,
        with_summary: bool = True,
    ) -> Reply:
        if entry.is_small_talk:
            return Reply(
                entry.summary or entry.title,
                buttons=browse.menu_row(),
                outcome=Outcome("answer", entry.id, result.score, None, text),
            )
        self._states.set(key, "entry", entry.id)
        self._states.set(key, "declined", None)
        # Choices shown before are settled: a "đúng rồi" now agrees with this answer.
        self._states.set(key, "suggested_for", None)
        if text:
            # Kept so that a 👎 followed by "Gặp cán bộ" can put this question through to staff.
            self._keep_for_staff(key, text, texts.told_answer(entry.title))
        reply = answer(book, entry, facet, with_summary=with_summary)
        if text and entry.is_procedure and asks_how_far(text):
            # "hồ sơ của tôi đến đâu rồi": the processing time, and how to look the file up.
            reply = _with_line(reply, texts.track_file(book.agency))
        return _with_outcome(reply, Outcome("answer", entry.id, result.score, _facet(facet), text))

    def _not_a_question(
        self, book: FaqBook, key: tuple[str, str], typed: NotAQuestion, text: str, options: tuple[int, ...]
    ) -> Reply:
        """A menu label, "menu", a lone 👍, a bare number, "gặp cán bộ": answered without the matcher."""
        gesture = typed.gesture
        if gesture is Gesture.STAFF:
            return self._ask_staff(book, key)
        if gesture is Gesture.ATTACHMENT:
            return self._non_text()
        if gesture is Gesture.WRONG:
            # "không phải cái đó", then "mất bao lâu": not the time of the answer just rejected (QA
            # round 11, F35).
            self._states.set(key, "entry", None)
        # The chat's state is read only where the gesture refers to it (a Redis call each).
        seen = OnScreen(
            options=options,
            choices=gesture in (Gesture.YES, Gesture.BOTH) and bool(self._states.get(key, "suggested_for")),
            context=self._context_entry(book, key)
            if gesture in (Gesture.TOO_LONG, Gesture.UNCLEAR)
            else None,
            handoff=self._handoff_enabled,
        )
        return gesture_reply(book, typed, text, seen)

    def _not_covered(
        self,
        book: FaqBook,
        key: tuple[str, str],
        entry: Entry,
        result: MatchResult,
        text: str,
        *,
        late: bool = False,
    ) -> Reply:
        """A follow-up about the procedure just answered that its answer does not cover."""
        # Kept so that "Gặp cán bộ" puts this question through to staff.
        self._keep_for_staff(key, text, texts.told_not_covered(entry.title))
        return Reply(
            texts.not_covered(entry.title, book.agency, self._handoff_enabled, late=late),
            title=entry.title,
            buttons=(
                *self._staff_rows(),
                *answer_buttons(book, entry, None),
                *(() if late else browse.menu_row()),
            ),
            outcome=Outcome("none", entry.id, result.score, None, text),
        )

    def _follow_up(
        self,
        book: FaqBook,
        key: tuple[str, str],
        entry: Entry,
        found: tuple[str, ...],
        result: MatchResult,
        text: str,
    ) -> Reply:
        """The sentences of the answer just given that a short follow-up asks about, with its buttons
        (and a note when they hold for another age than the child's stated: _fitting)."""
        found, note = self._fitting(key, found)
        return Reply(
            texts.follow_up(found, note),
            title=entry.title,
            buttons=answer_buttons(book, entry, None),
            outcome=Outcome("follow-up", entry.id, result.score, None, text),
        )

    def _clarify(self, book: FaqBook, key: tuple[str, str], result: MatchResult, text: str) -> Reply:
        """A part was asked ("còn lệ phí thì sao?"), or papers lost ("tôi bị mất giấy tờ"), with no
        procedure named."""
        if lost_papers(fold(text).split()):
            # "giấy tờ" here names what was lost, not a list of papers to bring.
            return Reply(
                texts.ASK_WHICH_PAPER_LOST,
                buttons=browse.menu_buttons(book),
                outcome=_outcome("clarify", result, text),
            )
        # Remembered, so that the procedure picked next (from the menu, or typed) leads with it.
        self._states.set(key, "facet", _facet(result.facet))
        return Reply(
            texts.ask_which_procedure(result.facet),
            buttons=browse.menu_buttons(book),
            outcome=_outcome("clarify", result, text),
        )

    def _suggest(
        self,
        key: tuple[str, str],
        result: MatchResult,
        text: str,
        facet: Facet | None,
        lead: str = "",
        *,
        again: bool = False,
        detail: str | None = None,
    ) -> Reply:
        """Choices for `text`; `again`: the same choices offered again for a part asked under them;
        `detail`: a detail asked under them, which the choice picked answers."""
        # The part asked travels in the payload: "cần giấy tờ gì" → the pick leads with documents.
        rows = [
            _row(_btn(e.title, p.PickSuggestion(e.id, facet), p.PickSuggestion(e.id)))
            for e in result.suggestions
        ]
        one = len(result.suggestions) == 1
        rows.append(_row(_btn(texts.BTN_NOT_THIS if one else texts.BTN_NONE_OF_THESE, p.NoneOfThese())))
        self._states.set(key, "suggested_for", text)
        self._states.set(key, "offered_again", text if again else None)
        self._states.set(key, "detail", detail)
        self._states.set(key, "declined", None)  # the choices are what is on screen now
        # "Gặp cán bộ" now hands over this question, with the choices it got (not an earlier one's).
        self._keep_for_staff(key, text, texts.told_suggested([e.title for e in result.suggestions]))
        if facet is not None:
            # A choice typed in words ("sao y") instead of pressed keeps the part asked, as the button does.
            self._states.set(key, "facet", _facet(facet))
        # One choice and "none of these" under "có phải anh/chị muốn hỏi:" read as a list of one.
        lead = lead or (texts.suggest_one(result.suggestions[0].title) if one else texts.SUGGEST)
        if result.legal_opinion:
            lead = f"{texts.LEGAL_OPINION}\n\n{texts.SUGGEST_AFTER_LEGAL_OPINION}"
        return Reply(
            lead,
            buttons=_rows(rows),
            outcome=_outcome("suggest", result, text, entry_id=result.suggestions[0].id),
        )

    def _declined(
        self,
        book: FaqBook,
        key: tuple[str, str],
        topic: Entry,
        result: MatchResult,
        text: str,
        still: Entry | None = None,
        named: Entry | None = None,
    ) -> Reply:
        """A topic the office does not handle: who does; `still`: the procedure the citizen may still be
        asking about, offered first; `named`: a procedure the message names beside the topic, likewise."""
        # Not forwarded to staff: the citizen is told who handles it; "Gặp cán bộ" stays possible.
        self._keep_for_staff(key, text, texts.told_declined(topic.title))
        self._states.set(key, "declined", topic.id)
        # Procedures the topic points to ("nộp phạt trực tuyến" -> thanh toán trực tuyến) come first.
        back = [e for e in (still, named) if e is not None]
        related = [e for e in _existing(book, topic.related) if e not in back]
        pointed = _rows(_row(_btn(e.title, p.ShowAnswer(e.id))) for e in (*back, *related))
        said = texts.declined(topic.title, topic.summary, book.agency)
        if still is not None:
            said = f"{said}\n\n{texts.still_about(still.title, self._handoff_enabled)}"
        elif named is not None:
            said = f"{said}\n\n{texts.named_beside(named.title)}"
        return Reply(
            said,
            buttons=(*pointed, *self._staff_rows(), *browse.menu_buttons(book, result)),
            outcome=_outcome("declined", result, text, entry_id=topic.id),
        )

    def _not_handled(
        self, k: Knowledge, key: tuple[str, str], entry: Entry, result: MatchResult | None, text: str
    ) -> Reply:
        """A shared procedure this office does not handle: who does (staff stay reachable)."""
        who = k.not_handled[entry.id].handled_by
        self._keep_for_staff(key, text, texts.told_declined(entry.title))
        return Reply(
            texts.not_handled(entry.title, who, k.book.agency),
            buttons=(*self._staff_rows(), *browse.menu_buttons(k.book)),
            outcome=_outcome("declined", result, text, entry_id=entry.id),
        )

    def _legal_opinion(self, book: FaqBook, key: tuple[str, str], result: MatchResult, text: str) -> Reply:
        """A legal opinion asked with no procedure the matcher was sure of: where to ask instead."""
        # Not forwarded: no procedure answers it; staff stay reachable, as for a declined topic.
        self._keep_for_staff(key, text, texts.TOLD_LEGAL_OPINION)
        buttons = (*self._staff_rows(), *browse.menu_buttons(book, result))
        outcome = _outcome("none", result, text)
        return Reply(texts.legal_opinion(book.agency), buttons=buttons, outcome=outcome)

    def _fallback(self, book: FaqBook, key: tuple[str, str], text: str, result: MatchResult | None) -> Reply:
        outcome = _outcome("none", result, text)
        if not (self._handoff_enabled and text):
            if danger_in(text) is Danger.EMERGENCY:
                # Under the emergency numbers (handlers.safety), "chưa có thông tin" and a menu of
                # procedures read as a brush-off: the office's phone, for later.
                return Reply(texts.after_emergency(book.agency), outcome=outcome)
            buttons = browse.menu_buttons(book, result)
            return Reply(texts.no_answer(book.agency), buttons=buttons, outcome=outcome)
        # Forwarded right away, so there is nothing left for a "Gặp cán bộ" button to send.
        self._keep_for_staff(key, None, "")
        return Reply(
            texts.no_answer_forwarded(book.agency),
            buttons=browse.menu_row(),
            outcome=outcome,
            handoff=True,
        )

    # -- buttons ----------------------------------------------------------------------------

    def _on_button(self, k: Knowledge, key: tuple[str, str], data: str) -> Reply:
        book = k.book
        action = p.decode(data)
        match action:
            case p.ShowMenu():
                return browse.menu(book, texts.MENU, "menu")
            case p.ShowContact():
                return browse.contact(book)
            case p.ShowCategory(category_id):
                return browse.category(book, category_id)
            case p.NoneOfThese():
                question = self._states.get(key, "suggested_for") or ""
                self._states.set(key, "suggested_for", None)
                if self._handoff_enabled and question:
                    # Staff see the choices that missed, not only the question.
                    told = self._states.get(key, "told") or ""
                    forwarded = self._fallback(book, key, question, None)
                    if forwarded.outcome is not None and told:
                        forwarded = replace(forwarded, outcome=replace(forwarded.outcome, told=told))
                    return forwarded
                # Not "chưa có thông tin": the citizen only said the guesses missed; ask again.
                return Reply(
                    texts.misunderstood(book.agency, self._handoff_enabled),
                    buttons=(*self._staff_rows(), *browse.menu_buttons(book)),
                    outcome=_outcome("none", None, question),
                )
            case p.AskStaff():
                return self._ask_staff(book, key)
            case p.Feedback(entry_id, up):
                # An acknowledgement under the answer: its options stay usable by number.
                if up:
                    up_outcome = Outcome("feedback:up", entry_id)
                    return Reply(texts.FEEDBACK_UP, keeps_options=True, outcome=up_outcome)
                return Reply(
                    texts.feedback_down(book.agency),
                    buttons=(*self._staff_rows(), *browse.menu_row()),
                    keeps_options=True,
                    outcome=Outcome("feedback:down", entry_id),
                )
            case None:
                return browse.stale(book)
        if action.entry_id in k.not_handled:
            shared = k.matcher.book.entry(action.entry_id)
            if shared is not None:
                return self._not_handled(k, key, shared, None, "")
        entry = book.entry(action.entry_id)
        if entry is None or entry.is_out_of_scope:
            return browse.stale(book)
        if entry.is_small_talk:
            # Suggestions may include chit-chat ("chào"); it has no parts, steps or relations.
            if isinstance(action, p.ShowAnswer | p.PickSuggestion):
                return Reply(
                    entry.summary or entry.title,
                    buttons=browse.menu_row(),
                    outcome=Outcome("answer", entry.id),
                )
            return browse.stale(book)
        self._states.set(key, "entry", entry.id)
        pending = self._take_facet(key)
        match action:
            case p.ShowAnswer(_, back):
                facet = None if back else pending
                reply = answer(book, entry, facet, with_summary=True)
                kind = "back" if back else "browse"
                return _with_outcome(reply, Outcome(kind, entry.id, facet=_facet(facet)), edit=back)
            case p.PickSuggestion(_, asked, beside):
                self._states.set(key, "suggested_for", None)
                detail = self._states.get(key, "detail")
                self._states.set(key, "detail", None)
                said = self._detail_of(k, key, entry, detail) if detail else None
                kind = "alternative:accepted" if beside else "suggest:accepted"
                if said is not None:
                    # "có bị phạt không" was asked before this choice was picked; the choices promised
                    # to open its answer for it (QA round 14: the summary alone, the question dropped).
                    return _with_outcome(said, Outcome(kind, entry.id))
                facet = asked or pending
                reply = answer(book, entry, facet, with_summary=True)
                return _with_outcome(reply, Outcome(kind, entry.id, facet=_facet(facet)))
            case p.ShowFacet(_, facet):
                reply = answer(book, entry, facet, with_summary=False)
                return _with_outcome(reply, Outcome("facet", entry.id, facet=str(facet)))
            case p.ShowStep(_, n):
                return browse.step(entry, n)
            case p.ShowRelated():
                return browse.related(book, entry)
        return browse.stale(book)

    def _ask_staff(self, book: FaqBook, key: tuple[str, str]) -> Reply:
        if not self._handoff_enabled:
            return Reply(
                texts.handoff_disabled(book.agency),
                buttons=browse.menu_row(),
                outcome=Outcome("handoff:disabled"),
            )
        question = self._states.get(key, "unanswered")
        if not question:
            return Reply(texts.HANDOFF_NOTHING, outcome=Outcome("handoff:none"))
        told = self._states.get(key, "told") or ""
        self._keep_for_staff(key, None, "")
        return Reply(texts.HANDOFF, handoff=True, outcome=Outcome("handoff", question=question, told=told))

    def _detail_of(self, k: Knowledge, key: tuple[str, str], entry: Entry, detail: str) -> Reply | None:
        """What the answer of the choice picked says of a detail asked before it was picked, if it says
        it (None: the answer itself, as any pick)."""
        if not entry.is_procedure:
            return None
        result = k.match(detail)
        after = read_in_context(k, entry, result, detail)
        said = (Reading.SENTENCES, Reading.PAPERS, *((Reading.PART,) if result.facet is not None else ()))
        if after is None or after.reading not in said:
            return None
        return self._in_context(k, key, entry, after, result, detail)

    def _keep_for_staff(self, key: tuple[str, str], text: str | None, told: str) -> None:
        """The question "Gặp cán bộ" would put through to staff, and what the bot said to it."""
        self._states.set(key, "unanswered", text or None)
        self._states.set(key, "told", told if text else None)

    # -- building blocks --------------------------------------------------------------------

    def _take_facet(self, key: tuple[str, str]) -> Facet | None:
        """The part asked before the procedure was known, forgotten once used."""
        value = self._states.get(key, "facet")
        if value is None:
            return None
        self._states.set(key, "facet", None)
        return Facet(value) if value in Facet.__members__.values() else None

    def _take_unsure(self, key: tuple[str, str]) -> str | None:
        """The question choices were offered for just before, forgotten once a message follows."""
        question = self._states.get(key, "suggested_for")
        if question:
            self._states.set(key, "suggested_for", None)
        return question or None

    def _fitting(self, key: tuple[str, str], sentences: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """The sentences that hold for the children's ages the chat stated (faq.ages), and a note when
        none does: "Trẻ dưới 14 tuổi — cha, mẹ … làm thủ tục thay" quoted alone to the parent of a
        16-year-old read as the answer (QA round 18); said with the note, it tells them it is not."""
        value = self._states.get(key, "ages")
        ages = tuple(int(a) for a in value.split(",") if a.isdigit()) if value else ()
        fitting = tuple(s for s in sentences if speaks_to(s, ages))
        if fitting or not sentences:
            return fitting, ""
        return sentences, texts.other_ages(ages)

    def _context_entry(self, book: FaqBook, key: tuple[str, str]) -> Entry | None:
        entry_id = self._states.get(key, "entry")
        entry = book.entry(entry_id) if entry_id else None
        return entry if entry is not None and entry.is_procedure else None

    def _declined_shown(self, book: FaqBook, key: tuple[str, str]) -> Entry | None:
        """The topic the last reply declined, if it did."""
        declined = self._states.get(key, "declined")
        return book.entry(declined) if declined else None

    def _rejected(self, k: Knowledge, key: tuple[str, str], rejection: Rejection) -> Entry | None:
        """What a rejection rejects: the topic the last reply declined, or the procedure it answered
        when named ("không phải tạm vắng, …"; a bare "không phải, em hỏi bằng lái ô tô" after the
        licence answer asks within it)."""
        entry = self._declined_shown(k.book, key)
        if entry is not None:
            return entry
        shown = self._context_entry(k.book, key)
        if shown is None or not rejection.names:
            return None
        # "không phải tạm vắng, …" after «Khai báo tạm vắng»: the words rejected name the answer.
        return shown if k.names(shown, rejection.rejected) else None

    def _staff_rows(self) -> tuple[Row, ...]:
        """The "Gặp cán bộ" row, where a staff relay is set up."""
        return browse.staff_rows(self._handoff_enabled)


def _with_line(reply: Reply, line: str) -> Reply:
    """The reply with one more paragraph after its text (before any numbered options)."""
    numbered = reply.numbered_text
    if numbered and numbered.startswith(reply.text):
        numbered = f"{reply.text}\n\n{line}{numbered[len(reply.text) :]}"
    return replace(reply, text=f"{reply.text}\n\n{line}", numbered_text=numbered)


def _facet(facet: Facet | None) -> str | None:
    return None if facet is None else str(facet)


def _outcome(kind: str, result: MatchResult | None, text: str, *, entry_id: str | None = None) -> Outcome:
    if result is None:
        return Outcome(kind, entry_id, question=text)
    return Outcome(kind, entry_id, result.score, _facet(result.facet), text)


def _with_outcome(reply: Reply, outcome: Outcome, *, edit: bool = False) -> Reply:
    return replace(reply, edit=edit, outcome=outcome)


def _named_category(book: FaqBook, text: str) -> Category | None:
    """The one category whose title starts with what a message of one or two words says ("đất" →
    «Đất đai, xây dựng», "bảo hiểm" → «Bảo hiểm, an sinh xã hội»)."""
    said = fold(text)
    if not said or len(said.split()) > 2:
        return None
    found = [
        c for c in book.categories if f"{fold(c.title)} ".startswith(f"{said} ") and book.entries_in(c.id)
    ]
    return found[0] if len(found) == 1 else None


def _names_other(k: Knowledge, result: MatchResult, context: Entry, text: str) -> bool:
    """Whether the matcher answered another procedure that the message names ("khai sinh trong bao
    lâu phải làm" after tạm trú is about the birth)."""
    other = result.entry if result.kind is Kind.ANSWER else None
    return other is not None and other.id != context.id and k.names(other, text)


def _without(result: MatchResult, rejected: Entry) -> MatchResult:
    """The decision with the entry the citizen has just said is not it taken out: the other choices,
    or nothing."""
    if rejected not in (result.entry, result.declined, *result.suggestions):
        return result
    others = tuple(e for e in result.suggestions if e.id != rejected.id)
    if result.declined is not None and result.declined.id != rejected.id:
        return replace(result, suggestions=others)
    kind = Kind.SUGGEST if others else Kind.NONE
    return replace(result, kind=kind, entry=None, declined=None, suggestions=others)


_WHO = re.compile(r"\bai\b")
"""Who is asked about ("cảm ơn, bạn là ai"): a question the self-introduction answers."""


def _named_beside(result: MatchResult, text: str) -> Entry | None:
    """A procedure among the nearest that a message declined as another topic names by its whole title
    ("vợ em đi xuất khẩu lao động Nhật, em muốn đăng ký khai sinh cho con…": «Đăng ký khai sinh» beside
    labour export). A word of a title or keyword is not enough: "trợ cấp người già" is no
    «Hưởng trợ cấp thất nghiệp»."""
    said = f" {fold(text)} "
    for c in result.candidates[:3]:
        title = fold(c.entry.title.split("(")[0].split(",")[0])
        if c.entry.is_procedure and len(title.split()) >= 2 and f" {title} " in said:
            return c.entry
    return None


def _small_talk(result: MatchResult) -> bool:
    """Whether the decision answers with a small-talk entry."""
    return result.kind is Kind.ANSWER and result.entry is not None and result.entry.is_small_talk


def _thanks_entry(book: FaqBook) -> Entry | None:
    """The FAQ's own reply to thanks: the small-talk entry whose title thanks ("Cảm ơn")."""
    return next((e for e in book.entries if e.is_small_talk and closing(e.title) is Closing.THANKS), None)


def _with_part(reply: Reply, first: str, second: str) -> Reply:
    """The reply with a second part asked right after the first part it opens with."""
    if not reply.text.startswith(first):
        return reply
    text = f"{first}\n\n{second}{reply.text[len(first) :]}"
    numbered = reply.numbered_text
    if numbered.startswith(first):
        numbered = f"{first}\n\n{second}{numbered[len(first) :]}"
    return replace(reply, text=text, numbered_text=numbered)


def _each_question(
    reply: Reply, entry: Entry, parts: tuple[Facet, ...], said: tuple[str, ...], note: str = ""
) -> Reply:
    """A letter's reply with what its questions ask that the reply does not show yet: the parts
    asked first, in the order asked, and the sentences asked before them."""
    for facet in reversed(parts):
        part = facet_text(entry, facet)
        if part not in reply.text:
            reply = _before(reply, part)
    return _leading(reply, tuple(s for s in said if s not in reply.text), note)


def _leading(reply: Reply, asked: tuple[str, ...], note: str = "") -> Reply:
    """The reply with the sentences a particular question asks about first, when there are any (and
    the note on them, _fitting)."""
    return _before(reply, texts.asked_of(asked, note)) if asked else reply


def _before(reply: Reply, lead: str) -> Reply:
    """The reply with a paragraph before it."""
    numbered = f"{lead}\n\n{reply.numbered_text}" if reply.numbered_text else ""
    return replace(reply, text=f"{lead}\n\n{reply.text}", numbered_text=numbered)
