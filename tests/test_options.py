"""OptionMemory: what a typed "2" means, per chat, for a while."""

from __future__ import annotations

import pytest

from handlers.messages import Button, Reply
from handlers.options import OptionMemory, fold, pressable

STEP = Reply(
    "Bước 2/4: …",
    buttons=(
        (Button("‹ Trước", payload="s:ket-hon:1"), Button("Tiếp ›", payload="s:ket-hon:3")),
        (Button("Nộp trực tuyến", url="https://dichvucong.gov.vn"),),
        (Button("↩ Quay lại", payload="b:ket-hon"),),
        (Button("Giấy tờ cần chuẩn bị", payload="f:ket-hon:d"),),
        (Button("Giấy xác nhận độc thân", payload="a:xac-nhan"),),
    ),
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        pytest.param("1", "s:ket-hon:1", id="one"),
        pytest.param(" 2.", "s:ket-hon:3", id="spaced-dot"),
        pytest.param("3)", "b:ket-hon", id="paren"),
        pytest.param("số 4", "f:ket-hon:d", id="so-4"),
        pytest.param("Số 4", "f:ket-hon:d", id="So-4-capital"),
        pytest.param("so 5", "a:xac-nhan", id="so-no-accent"),
        pytest.param("#1", "s:ket-hon:1", id="hash"),
        pytest.param("0", None, id="zero"),
        pytest.param("6", None, id="past-the-end"),
        pytest.param("tiếp", "s:ket-hon:3", id="label-word"),
        pytest.param("TIEP", "s:ket-hon:3", id="label-no-accent"),
        pytest.param("quay lại", "b:ket-hon", id="label-two-words"),
        pytest.param("giấy tờ", "f:ket-hon:d", id="unique-prefix"),
        pytest.param("giấy", None, id="ambiguous-prefix"),
        pytest.param("nộp trực tuyến", None, id="url-button-is-not-an-option"),
        pytest.param("2 con", None, id="number-in-a-question"),
        pytest.param("làm căn cước cần gì", None, id="a-question"),
        pytest.param("", None, id="empty"),
        pytest.param("🙂", None, id="emoji"),
    ],
)
def test_resolve(typed: str, payload: str | None) -> None:
    memory = OptionMemory()
    memory.remember("console:1", STEP)
    assert memory.resolve("console:1", typed) == payload


def test_numbering_skips_url_buttons() -> None:
    assert [b.payload for b in pressable(STEP)] == [
        "s:ket-hon:1",
        "s:ket-hon:3",
        "b:ket-hon",
        "f:ket-hon:d",
        "a:xac-nhan",
    ]


def test_options_are_per_chat() -> None:
    memory = OptionMemory()
    memory.remember("a", STEP)
    assert memory.resolve("b", "1") is None
    assert memory.resolve("a", "1") == "s:ket-hon:1"


def test_a_reply_without_options_forgets_the_old_ones() -> None:
    memory = OptionMemory()
    memory.remember("a", STEP)
    memory.remember("a", Reply("Cảm ơn"))
    assert memory.resolve("a", "1") is None


def test_options_expire() -> None:
    clock = Clock()
    memory = OptionMemory(ttl=60, clock=clock)
    memory.remember("a", STEP)
    clock.now += 59
    assert memory.resolve("a", "1") == "s:ket-hon:1"
    clock.now += 2
    assert memory.resolve("a", "1") is None
    assert len(memory) == 0


def test_memory_is_bounded() -> None:
    memory = OptionMemory(max_chats=3)
    for chat in "abcde":
        memory.remember(chat, STEP)
    assert len(memory) == 3
    assert memory.resolve("a", "1") is None
    assert memory.resolve("e", "1") == "s:ket-hon:1"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Tiếp ›", "tiep", id="arrow"),
        pytest.param("ĐĂNG KÝ", "dang ky", id="d-stroke-upper"),
        pytest.param("👍 Hữu ích!", "huu ich", id="emoji-punct"),
        pytest.param("hoà  thuỷ", "hoa thuy", id="old-tones"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
