"""OptionMemory: what a typed "2" means, per chat, for a while."""

from __future__ import annotations

import pytest

from handlers.messages import Button, Reply
from handlers.options import Numbering, Option, OptionMemory, fold, number_options, pressable
from handlers.store import MemoryStore

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
        pytest.param("2 ạ", "s:ket-hon:3", id="polite-a"),
        pytest.param("em chọn 1", "s:ket-hon:1", id="em-chon"),
        pytest.param("cái 3 nhé", "b:ket-hon", id="cai-nhe"),
        pytest.param("2.5", None, id="a-decimal"),
        pytest.param("cái thứ 2", "s:ket-hon:3", id="ordinal"),
        pytest.param("cái số 2", "s:ket-hon:3", id="cai-so"),
        pytest.param("số hai", "s:ket-hon:3", id="number-in-words"),
        pytest.param("thứ nhất", "s:ket-hon:1", id="first-in-words"),
        pytest.param("cái đầu tiên", "s:ket-hon:1", id="the-first-one"),
        pytest.param("vâng ạ, cái số 2 ạ", "s:ket-hon:3", id="yes-then-number"),
        # "chưa có thông tin" (QA round 7).
        pytest.param("ý đầu", "s:ket-hon:1", id="the-first-idea"),
        pytest.param("cái đầu", "s:ket-hon:1", id="the-first-thing"),
        pytest.param("số 1 đó", "s:ket-hon:1", id="that-number-one"),
        pytest.param("à nhầm, cái số 1", "s:ket-hon:1", id="correcting-the-choice"),
        pytest.param("không, số 2", "s:ket-hon:3", id="no-number-two"),
        pytest.param("không phải số 1", None, id="not-number-one"),
        pytest.param("cái độc thân ấy", "a:xac-nhan", id="pointed-by-its-words"),
        pytest.param("cái xác nhận", "a:xac-nhan", id="pointed-by-one-label-only"),
        pytest.param("cái tiếp ấy", None, id="one-word-is-left-to-the-matcher"),
        pytest.param("cái giấy", None, id="pointed-at-two-labels"),
        pytest.param("đầu", None, id="a-head-is-no-number"),
        pytest.param("cái đầu bị đau", None, id="a-sentence-about-a-head"),
        pytest.param("độc thân", None, id="words-without-pointing-stay-a-question"),
        pytest.param("ba", None, id="a-father-is-no-number"),
        pytest.param("tạm", None, id="a-residence-is-no-number"),
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


CHOICES = Reply(
    "Dạ, có phải anh/chị muốn hỏi:",
    buttons=(
        (Button("Đăng ký nhận cha, mẹ, con", payload="p:nhan-cha-me-con"),),
        (Button("Đăng ký khai sinh", payload="p:khai-sinh"),),
        (Button("Không phải các ý trên", payload="none"),),
    ),
)


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        # After "cái thứ 2" opened khai sinh with its own list: the first choice was meant.
        pytest.param("à nhầm, cái số 1", "p:nhan-cha-me-con", id="taken-back"),
        pytest.param("nhầm, 1", "p:nhan-cha-me-con", id="taken-back-short"),
        pytest.param("cái số 1", "s:ket-hon:1", id="a-number-is-of-the-list-on-screen"),
        pytest.param("à nhầm, số 5", "a:xac-nhan", id="a-number-the-list-before-lacks"),
    ],
)
def test_a_choice_taken_back_presses_the_list_before(typed: str, payload: str) -> None:
    memory = OptionMemory()
    memory.remember("c", CHOICES)
    memory.remember("c", STEP)
    memory.remember("c", Reply("Dạ, em nghe đây ạ.", keeps_options=True))  # no list: both stay
    assert memory.resolve("c", typed) == payload


def test_a_list_stored_without_the_one_before_is_still_read() -> None:
    store = MemoryStore()
    store.set("opt:c", '{"d":true,"s":[[1,"Tiếp ›","s:ket-hon:3"]],"k":[]}', 60)
    memory = OptionMemory(store=store)
    assert memory.resolve("c", "à nhầm, số 1") == "s:ket-hon:3"


def test_options_are_per_chat() -> None:
    memory = OptionMemory()
    memory.remember("a", STEP)
    assert memory.resolve("b", "1") is None
    assert memory.resolve("a", "1") == "s:ket-hon:1"


def test_a_reply_without_options_keeps_the_old_ones() -> None:
    # "👍 Hữu ích" is acknowledged with a plain thank-you: the list above it is still on screen.
    memory = OptionMemory()
    memory.remember("a", STEP)
    memory.remember("a", Reply("Dạ, em cảm ơn anh/chị đã góp ý ạ!"))
    assert memory.resolve("a", "1") == "s:ket-hon:1"
    assert memory.numbers("a") == (1, 2, 3, 4, 5)


# -- numbers keep their meaning from one reply to the next -------------------------------------


def reply_of(*labels: str, keeps: bool = False) -> Reply:
    """A reply whose buttons are these labels (payload: the label folded), one per row."""
    rows = tuple((Button(label, payload="p:" + fold(label).replace(" ", "-")),) for label in labels)
    return Reply("…", buttons=rows, keeps_options=keeps)


def numbered(*labels: str, start: int = 1) -> tuple[tuple[int, str], ...]:
    return tuple(enumerate(labels, start=start))


ANSWER_LABELS = ("Hướng dẫn từng bước", "Giấy tờ", "Lệ phí", "Bưu điện", "Liên quan", "👍", "👎")
NO_POSTAL = ("Hướng dẫn từng bước", "Giấy tờ", "Lệ phí", "Liên quan", "👍", "👎")
NO_DOCUMENTS = ("Hướng dẫn từng bước", "Lệ phí", "Bưu điện", "Liên quan", "👍", "👎")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param((), ("Tiếp ›", "↩ Quay lại"), numbered("Tiếp ›", "↩ Quay lại"), id="first-list"),
        pytest.param(
            numbered("Tiếp ›", "↩ Quay lại"),
            ("‹ Trước", "Tiếp ›", "↩ Quay lại"),
            numbered("Tiếp ›", "↩ Quay lại", "‹ Trước"),
            id="step-1-to-2-next-stays-1",
        ),
        pytest.param(
            numbered("Tiếp ›", "↩ Quay lại", "‹ Trước"),
            ("‹ Trước", "↩ Quay lại"),
            ((2, "↩ Quay lại"), (3, "‹ Trước")),
            id="last-step-leaves-a-gap",
        ),
        pytest.param(
            numbered(*ANSWER_LABELS),
            NO_POSTAL,
            (*numbered(*NO_POSTAL[:3]), *numbered(*NO_POSTAL[3:], start=5)),
            id="after-postal-5-is-still-related",
        ),
        pytest.param(
            (*numbered(*NO_POSTAL[:3]), *numbered(*NO_POSTAL[3:], start=5)),
            NO_DOCUMENTS,
            ((1, "Hướng dẫn từng bước"), *numbered(*NO_DOCUMENTS[1:], start=3)),
            id="new-option-never-takes-a-number-just-used",
        ),
        pytest.param(
            numbered(*ANSWER_LABELS),
            ("Hộ tịch", "Cư trú", "Liên hệ"),
            numbered("Hộ tịch", "Cư trú", "Liên hệ"),
            id="unrelated-list-from-1",
        ),
        pytest.param(
            numbered(*(f"Nhóm {i}" for i in range(1, 12)), "Sang tên sổ đỏ", "Chứng thực chữ ký"),
            ("Sang tên sổ đỏ", "Sao y", "Khai tử", "Không phải các ý trên"),
            numbered("Sang tên sổ đỏ", "Sao y", "Khai tử", "Không phải các ý trên"),
            id="short-list-after-a-long-one-from-1",
        ),
    ],
)
def test_numbering_is_stable_across_replies(
    before: tuple[tuple[int, str], ...], after: tuple[str, ...], expected: tuple[tuple[int, str], ...]
) -> None:
    previous = Numbering(tuple(Option(n, label, "p:" + label) for n, label in before))
    numbering = number_options(previous, reply_of(*after))
    assert tuple((o.number, o.label) for o in numbering.shown) == expected
    assert numbering.kept == ()


def test_pressing_1_through_the_steps_always_goes_forward() -> None:
    memory = OptionMemory()
    steps = [
        reply_of("Tiếp ›", "↩ Quay lại"),
        reply_of("‹ Trước", "Tiếp ›", "↩ Quay lại"),
        reply_of("‹ Trước", "Tiếp ›", "↩ Quay lại"),
    ]
    for reply in steps:
        memory.remember("a", reply)
        assert memory.resolve("a", "1") == "p:tiep"


def test_feedback_keeps_the_answer_options_and_numbers_its_own_after_them() -> None:
    memory = OptionMemory()
    memory.remember("a", reply_of(*ANSWER_LABELS))
    down = memory.remember("a", reply_of("Gặp cán bộ", "📋 Danh mục thủ tục", keeps=True))
    assert [(o.number, o.label) for o in down.shown] == [(8, "Gặp cán bộ"), (9, "📋 Danh mục thủ tục")]
    assert memory.resolve("a", "2") == "p:giay-to"
    assert memory.resolve("a", "9") == "p:danh-muc-thu-tuc"
    assert memory.numbers("a") == tuple(range(1, 10))


def test_numbers_shown_as_real_buttons_are_not_kept_stable() -> None:
    # Zalo OA sends up to 5 options as buttons: their numbers were never on screen.
    memory = OptionMemory()
    memory.remember("a", reply_of("Tiếp ›", "↩ Quay lại"), displayed=False)
    numbering = memory.number("a", reply_of("‹ Trước", "Tiếp ›", "↩ Quay lại"))
    assert [o.label for o in numbering.shown] == ["‹ Trước", "Tiếp ›", "↩ Quay lại"]
    assert [o.number for o in numbering.shown] == [1, 2, 3]


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


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        pytest.param("1", "s:ket-hon:1", id="number"),
        pytest.param("9", None, id="no-such-number"),
        pytest.param("lệ phí bao nhiêu", None, id="a-question"),
    ],
)
def test_read_is_resolve_and_numbers_from_one_store_read(typed: str, payload: str | None) -> None:
    class Counting(MemoryStore):
        gets = 0

        def get(self, key: str) -> str | None:
            Counting.gets += 1
            return super().get(key)

    memory = OptionMemory(store=Counting())
    memory.remember("a", STEP)
    before = Counting.gets
    assert memory.read("a", typed) == (payload, memory.numbers("a"))
    assert memory.numbers("a") != ()
    assert Counting.gets - before == 3  # read once, then numbers twice in the asserts
    assert memory.read("b", typed) == (None, ())


def test_a_list_is_numbered_and_remembered_from_one_store_read() -> None:
    class Counting(MemoryStore):
        gets = 0

        def get(self, key: str) -> str | None:
            Counting.gets += 1
            return super().get(key)

    memory = OptionMemory(store=Counting())
    memory.remember("c", CHOICES)
    before = Counting.gets
    # As the Zalo channel does: numbered before sending, remembered once sent. The list it replaces is
    # kept for "à nhầm" from that one read.
    memory.remember("c", memory.number("c", STEP))
    assert Counting.gets - before == 1
    assert memory.resolve("c", "à nhầm, cái số 1") == "p:nhan-cha-me-con"
