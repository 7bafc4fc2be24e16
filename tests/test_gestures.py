"""handlers.gestures: what a typed gesture gets, given what the chat has on screen."""

from __future__ import annotations

import pytest

from faq.schema import FaqBook
from handlers import texts
from handlers.gestures import OnScreen, gesture_reply
from handlers.typed import Gesture, NotAQuestion

CHOICES = OnScreen(options=(1, 2, 3), choices=True)


@pytest.mark.parametrize(
    ("gesture", "seen", "kind", "keeps"),
    [
        pytest.param(Gesture.YES, CHOICES, "yes", True, id="yes-under-choices-asks-which"),
        pytest.param(Gesture.YES, OnScreen(), "okay", True, id="yes-alone-is-okay"),
        pytest.param(Gesture.BOTH, CHOICES, "both", True, id="both-one-at-a-time"),
        pytest.param(Gesture.BOTH, OnScreen(choices=True), "both", True, id="both-under-buttons"),
        pytest.param(Gesture.BOTH, OnScreen(), "preamble", True, id="both-with-nothing-on-screen"),
        pytest.param(Gesture.UNCLEAR, OnScreen(), "preamble", True, id="unclear-with-no-answer-before"),
        pytest.param(Gesture.TOO_LONG, OnScreen(), "too_long", False, id="too-long-with-no-answer"),
        pytest.param(Gesture.WRONG, OnScreen(), "wrong", False, id="a-miss"),
        pytest.param(Gesture.SORRY, CHOICES, "sorry", True, id="thumbs-down-keeps-the-list"),
        pytest.param(Gesture.INVITE, OnScreen(), "preamble", True, id="nothing-asked-yet"),
    ],
)
def test_gesture_reply(
    shipped_book: FaqBook, gesture: Gesture, seen: OnScreen, kind: str, keeps: bool
) -> None:
    reply = gesture_reply(shipped_book, NotAQuestion(gesture), "…", seen)
    assert reply.outcome is not None and reply.outcome.kind == kind
    assert reply.keeps_options is keeps


def test_a_number_no_option_stands_for_names_the_valid_ones(shipped_book: FaqBook) -> None:
    reply = gesture_reply(shipped_book, NotAQuestion(Gesture.NUMBER, 9), "9", CHOICES)
    assert reply.text == texts.no_such_option(9, "từ 1 đến 3") and reply.keeps_options
    assert reply.outcome is not None and reply.outcome.kind == "option:missing"


def test_unclear_after_an_answer_offers_its_parts_and_staff(shipped_book: FaqBook) -> None:
    entry = shipped_book.entry("khai-sinh")
    assert entry is not None
    reply = gesture_reply(
        shipped_book, NotAQuestion(Gesture.UNCLEAR), "ko hiểu", OnScreen(context=entry, handoff=True)
    )
    labels = [b.label for b in reply.flat_buttons]
    assert reply.title == entry.title and texts.BTN_ASK_STAFF in labels and "Giấy tờ cần chuẩn bị" in labels
