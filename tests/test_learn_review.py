"""Issue 17 in the staff group: /hoc, the review buttons, "Lưu vào FAQ" — end to end on the fake Bot API.

The app is built as `faqbot run` builds it (real PTB Application, real interaction log, live FAQ
reload) against tests/fakes/telegram_api.py on 127.0.0.1; the FAQ is a commented copy of the test FAQ.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import AppConfig, FaqConfig, LearningConfig, StaffConfig, StorageConfig, TelegramConfig
from bot.learn import (
    ConcurrentEdit,
    LearnFileError,
    asking_phrasing,
    audit_path,
    load_rejections,
    rejected_path,
)
from bot.learn_review import ADMINS_ONLY, _failure, _slug, _unique_id, tidy_gaps
from bot.storage import InteractionLog
from faq.loader import load_faq
from handlers.messages import Incoming, InKind, Outcome, Reply
from tests.fakes.telegram_api import FakeTelegramServer, Outgoing
from tests.test_handoff_e2e import run_until
from tests.test_writeback import only_inserted

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
STAFF_GROUP = -100500
STAFF_MEMBER = 900
ADMIN = 777
CITIZEN = 42
PHONE = "0912345678"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def commented_faq(tmp_path: Path) -> Path:
    """The test FAQ with staff comments in and around the lists the review writes to."""
    text = MINI_FAQ.read_text(encoding="utf-8").replace(
        "  - id: ket-hon\n", "  # Kết hôn: sửa ngày 01/12 (chị Lan)\n  - id: ket-hon   # hay hỏi\n"
    )
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def config(tmp_path: Path, telegram: FakeTelegramServer, faq: Path) -> AppConfig:
    return AppConfig(
        faq=FaqConfig(path=str(faq), watch=True, watch_interval=60),
        telegram=TelegramConfig(
            enabled=True, token=telegram.token, base_url=telegram.base_url,
            base_file_url=telegram.base_file_url, poll_timeout=5,
        ),
        storage=StorageConfig(path=str(tmp_path / "faqbot.sqlite3"), salt="test-salt"),
        staff=StaffConfig(
            telegram_chat_id=STAFF_GROUP,
            admin_user_ids=(str(ADMIN),),
            working_days=(0, 1, 2, 3, 4, 5, 6),
            working_hours=("00:00-24:00",),
        ),
    )  # fmt: skip


def seed(db: Path) -> None:
    """An hour of questions, written through the real log (masking, hashing)."""
    now = time.time() - 3600
    ticks = iter(range(1000))
    log = InteractionLog(db, salt="test-salt", clock=lambda: now + next(ticks), linger=0)

    def ask(user: str, text: str, kind: str, entry_id: str | None = None) -> None:
        msg = Incoming("telegram", user, user, InKind.TEXT, text)
        log.record(msg, Reply("…", outcome=Outcome(kind, entry_id, 50.0, None, text)))

    def pick(user: str, entry_id: str) -> None:
        msg = Incoming("telegram", user, user, InKind.BUTTON, f"s:{entry_id}:1")
        log.record(msg, Reply("…", outcome=Outcome("suggest:accepted", entry_id)))

    ask("u1", "thủ tục cưới vợ ở phường", "suggest", "khai-sinh")
    pick("u1", "ket-hon")
    ask("u2", "thủ tục cưới vợ ở phường?", "suggest", "khai-sinh")
    pick("u2", "ket-hon")
    ask("u3", "làm giấy khai sinh cho con", "suggest", "ho-chieu")
    pick("u3", "ho-chieu")  # a wrong pick: lint refuses it, staff reject it
    ask("u4", "đăng ký cho người thuê trọ ở cùng", "none")
    log.close()


def group_command(telegram: FakeTelegramServer, text: str, user_id: int) -> None:
    """An admin's (or anyone's) command typed in the staff group."""
    message = {
        "message_id": telegram._next_message_id(STAFF_GROUP),
        "from": {"id": user_id, "is_bot": False, "first_name": "Chị Hoa"},
        "chat": {"id": STAFF_GROUP, "type": "supergroup", "title": "Cán bộ Một cửa"},
        "date": int(time.time()),
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
    }
    telegram.add_update({"message": message})


def tap(telegram: FakeTelegramServer, post: Outgoing, label_part: str, user_id: int) -> None:
    telegram.add_callback(
        post.chat_id, post.message_id, post.button(label_part)["callback_data"], user_id=user_id
    )


async def edited(telegram: FakeTelegramServer, post: Outgoing, count: int = 1) -> Outgoing:
    """The `count`-th edit of a posted message."""

    def edits() -> list[Outgoing]:
        return [o for o in telegram.outbox if o.kind == "edit" and o.message_id == post.message_id
                and o.chat_id == post.chat_id]  # fmt: skip

    await telegram.wait_for(lambda: len(edits()) >= count)
    return edits()[count - 1]


async def answered(telegram: FakeTelegramServer, count: int) -> dict[str, str]:
    """The parameters of the `count`-th callback answer."""
    await telegram.wait_for(lambda: len(telegram.calls_to("answerCallbackQuery")) >= count)
    return telegram.calls_to("answerCallbackQuery")[count - 1].params


def audit(faq: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in audit_path(faq).read_text(encoding="utf-8").splitlines()]


async def test_review_round_trip_in_the_staff_group(tmp_path: Path, telegram: FakeTelegramServer) -> None:
    faq = commented_faq(tmp_path)
    original = faq.read_text(encoding="utf-8")
    seed(tmp_path / "faqbot.sqlite3")

    async def review() -> None:
        group_command(telegram, "/hoc", user_id=STAFF_MEMBER)  # not an admin: told so, nothing posted
        [refused] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert "chỉ quản trị viên" in refused.text
        group_command(telegram, "/hoc", user_id=ADMIN)
        posts = await telegram.wait_sent(STAFF_GROUP, 4)
        assert len(posts) == 4, "the staff member's /hoc posted no candidate"
        marry, wrong, new = posts[1:]
        assert "«thủ tục cưới vợ ở phường»" in marry.text and "2 người dân" in marry.text
        assert marry.labels == [
            "✅ Thêm vào «Đăng ký kết hôn»",
            "↪️ Chuyển sang mục khác",
            "🚫 Từ chối (không đề xuất lại)",
        ]
        assert "«làm giấy khai sinh cho con»" in wrong.text
        assert "chưa có mục nào" in new.text and new.labels == [
            "↪️ Thêm vào một mục có sẵn",
            "🚫 Từ chối (không đề xuất lại)",
        ]
        for post in posts:
            for label in post.labels:
                assert len(post.button(label)["callback_data"].encode()) <= 64

        # A staff member who is not an admin cannot decide: told so, nothing changes.
        tap(telegram, marry, "Thêm vào", STAFF_MEMBER)
        refusal = await answered(telegram, 1)
        assert refusal["text"] == ADMINS_ONLY and refusal["show_alert"] == "true"
        assert faq.read_text(encoding="utf-8") == original

        tap(telegram, marry, "Thêm vào", ADMIN)
        done = await edited(telegram, marry)
        assert "✅ Đã thêm vào mục «Đăng ký kết hôn» — Công dân." in done.text and done.keyboard == []
        added = faq.read_text(encoding="utf-8")
        assert only_inserted(original, added) == ["      - thủ tục cưới vợ ở phường\n"]
        [record] = audit(faq)
        assert record["by"] == f"Công dân (Telegram {ADMIN})" and record["entry"] == "ket-hon"
        # A second tap (another admin, a double tap) does nothing more.
        tap(telegram, marry, "Thêm vào", ADMIN)
        assert (await answered(telegram, 3))["text"] == "Nội dung này đã được xử lý rồi."
        assert faq.read_text(encoding="utf-8") == added

        # The running bot answers the new phrasing at once (live reload).
        telegram.add_text(CITIZEN, "thủ tục cưới vợ ở phường")
        [answer] = await telegram.wait_sent(CITIZEN, 1)
        assert "Đăng ký kết hôn" in answer.text and "Có phải" not in answer.text

        # Lint refuses the wrong pick: the reason is shown, the buttons stay, the file is unchanged.
        tap(telegram, wrong, "Thêm vào", ADMIN)
        refused = await edited(telegram, wrong)
        assert "Không thêm được, tệp hỏi đáp giữ nguyên" in refused.text and "gần trùng" in refused.text
        assert refused.labels == wrong.labels
        assert faq.read_text(encoding="utf-8") == added
        tap(telegram, refused, "Từ chối", ADMIN)
        rejected = await edited(telegram, wrong, 2)
        assert "🚫 Đã từ chối — Công dân" in rejected.text
        remembered = load_rejections(rejected_path(tmp_path / "faqbot.sqlite3"))
        assert [(i["entry"], i["text"]) for i in remembered.items] == [
            ("ho-chieu", "làm giấy khai sinh cho con")
        ]

        # Move: the unanswered question goes to the entry staff pick from the short list.
        tap(telegram, new, "Thêm vào một mục", ADMIN)
        choices = await edited(telegram, new)
        assert "Chọn mục" in choices.text and "➕ Đăng ký tạm trú" in choices.labels
        assert choices.labels[-1] == "↩️ Quay lại"
        tap(telegram, choices, "➕ Đăng ký tạm trú", ADMIN)
        moved = await edited(telegram, new, 2)
        assert "✅ Đã thêm vào mục «Đăng ký tạm trú»" in moved.text
        assert only_inserted(added, faq.read_text(encoding="utf-8")) == [
            "      - đăng ký cho người thuê trọ ở cùng\n"
        ]

        # Accepted and rejected ones are not proposed again.
        sent = len(telegram.sent_to(STAFF_GROUP))
        group_command(telegram, "/hoc", user_id=ADMIN)
        [*_, nothing] = await telegram.wait_sent(STAFF_GROUP, sent + 1)
        assert nothing.text == "Dạ, hiện không có cách hỏi mới nào cần duyệt." and nothing.keyboard == []

    await run_until(config(tmp_path, telegram, faq), telegram, review)
    book = load_faq(faq)
    assert [a["action"] for a in audit(faq)] == ["add", "reject", "add"]
    assert book.entry("tam-tru") is not None


async def test_save_a_staff_answer_as_a_new_entry(tmp_path: Path, telegram: FakeTelegramServer) -> None:
    faq = commented_faq(tmp_path)
    original = faq.read_text(encoding="utf-8")
    question = f"em bị phạt nguội thì tra cứu ở đâu, sđt em {PHONE}"

    async def conversation() -> None:
        telegram.add_text(CITIZEN, question)
        [post] = await telegram.wait_sent(STAFF_GROUP, 1)
        answer_text = "Anh tra cứu phạt nguội trên trang csgt.vn, hoặc gọi 0987654321 ạ."
        telegram.add_group_reply(STAFF_GROUP, answer_text, post, user_id=STAFF_MEMBER)
        [_, confirmation] = await telegram.wait_sent(STAFF_GROUP, 2)
        assert "Đã gửi" in confirmation.text and confirmation.labels == ["💾 Lưu vào FAQ"]

        # Any staff member may draft; only an admin may save.
        tap(telegram, confirmation, "Lưu vào FAQ", STAFF_MEMBER)
        draft = await edited(telegram, confirmation)
        assert "Bản nháp mục hỏi đáp mới (từ câu hỏi #0001)" in draft.text
        assert "Tiêu đề: Em bị phạt nguội thì tra cứu ở đâu" in draft.text
        assert "0987654321" not in draft.text and PHONE not in draft.text and "đã được bỏ ra" in draft.text
        assert draft.labels == ["✅ Lưu", "❌ Bỏ"]
        tap(telegram, draft, "✅ Lưu", STAFF_MEMBER)
        assert (await answered(telegram, 2))["text"] == ADMINS_ONLY
        tap(telegram, draft, "✅ Lưu", ADMIN)
        saved = await edited(telegram, confirmation, 2)
        assert "✅ Đã lưu thành mục mới" in saved.text and saved.keyboard == []

        added = only_inserted(original, faq.read_text(encoding="utf-8"))
        assert added[:2] == ["\n", "  - id: em-bi-phat-nguoi-thi-tra\n"]
        assert '    summary: "Anh tra cứu phạt nguội trên trang csgt.vn, hoặc gọi ạ."\n' in added
        assert not any(PHONE in line or "0987654321" in line for line in added)

        # The citizen's next question with the same words is answered from the new entry.
        telegram.add_text(CITIZEN + 1, "bị phạt nguội thì tra cứu ở đâu")
        [answer] = await telegram.wait_sent(CITIZEN + 1, 1)
        assert "csgt.vn" in answer.text

    await run_until(config(tmp_path, telegram, faq), telegram, conversation)
    [record] = audit(faq)
    assert record["action"] == "add_entry" and record["ticket"] == "#0001"
    assert record["by"] == f"Công dân (Telegram {ADMIN})"


async def test_periodic_post_sends_each_candidate_once(
    tmp_path: Path, telegram: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    faq = commented_faq(tmp_path)
    seed(tmp_path / "faqbot.sqlite3")
    base = config(tmp_path, telegram, faq)
    every_second = dataclasses.replace(
        base,
        telegram=dataclasses.replace(base.telegram, poll_timeout=1),
        learning=LearningConfig(review_interval_days=1 / 86400),
    )

    def rounds(posted: int) -> int:
        return sum(f"learning review: {posted} candidates posted" in r.getMessage() for r in caplog.records)

    async def wait_two_rounds() -> None:
        posts = await telegram.wait_sent(STAFF_GROUP, 3)
        assert [p.labels[-1] for p in posts] == ["🚫 Từ chối (không đề xuất lại)"] * 3
        # Later rounds find nothing new: the same candidates are not posted again, and an empty
        # round says nothing (no "nothing to review" in the group every interval).
        await telegram.wait_for(lambda: rounds(0) >= 2)  # re-checked at each 1 s long poll
        assert rounds(3) == 1 and len(telegram.sent_to(STAFF_GROUP)) == 3

    caplog.set_level(logging.INFO, logger="bot.channels.telegram_review")
    await run_until(every_second, telegram, wait_two_rounds)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("thủ tục cưới vợ ở phường?", "thủ tục cưới vợ ở phường", id="short-question"),
        pytest.param(
            "Dạ em chào anh chị ạ. Em tên là Nguyễn Văn An, sđt 0912345678, em ở trọ tại phường được hai năm "
            "rồi và đã tạm trú đầy đủ. Giờ em muốn hỏi là em có được đăng ký thường trú ở nhà trọ không ạ? "
            "Em cảm ơn ạ.",
            "Giờ em muốn hỏi là em có được đăng ký thường trú ở nhà trọ không ạ",
            id="letter-last-asking-sentence",
        ),
        pytest.param(
            "em muốn hỏi " + "rất " * 60 + "lâu",
            "em muốn hỏi " + " ".join(["rất"] * 34),
            id="long-without-question-mark-cut-at-a-word",
        ),
        pytest.param(f"số cccd 001203004567 sđt {PHONE}", "số cccd sđt", id="numbers-dropped"),
    ],
)
def test_asking_phrasing(question: str, expected: str) -> None:
    assert asking_phrasing(question) == expected


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        pytest.param("Tra cứu phạt nguội ở đâu", (), "tra-cuu-phat-nguoi-o-dau", id="accents-off"),
        pytest.param(
            "Đăng ký kết hôn với người nước ngoài ở đâu ạ",
            (),
            "dang-ky-ket-hon-voi-nguoi",
            id="six-words-d-stroke",
        ),
        pytest.param("Khai sinh", ("khai-sinh", "khai-sinh-2"), "khai-sinh-3", id="unique"),
        pytest.param("???", (), "muc-moi", id="nothing-left"),
    ],
)
def test_new_entry_id(title: str, taken: tuple[str, ...], expected: str) -> None:
    assert _unique_id(_slug(title), set(taken)) == expected


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        pytest.param(ConcurrentEdit(), "vừa được sửa ở nơi khác", id="concurrent-edit"),
        pytest.param(
            PermissionError(13, "Permission denied", "/srv/faq.yaml"), "Không ghi được", id="not-writable"
        ),
        pytest.param(LearnFileError("tệp hỏi đáp đang có lỗi"), "tệp hỏi đáp đang có lỗi", id="broken-file"),
    ],
)
def test_write_failures_are_told_in_vietnamese(error: Exception, shown: str) -> None:
    assert shown in _failure(error)


@pytest.mark.parametrize(
    ("masked", "tidy"),
    [
        pytest.param(
            "liên hệ nhà văn hóa (chị Hoa, , email ) để thuê ạ.", "liên hệ nhà văn hóa (chị Hoa) để thuê ạ.",
            id="label-and-commas",
        ),
        pytest.param("gọi chị Lan ,  số  , hoặc quầy 2.", "gọi chị Lan, hoặc quầy 2.", id="bare-label"),
        pytest.param("Lệ phí 50.000 đồng, nộp tại quầy 2.", "Lệ phí 50.000 đồng, nộp tại quầy 2.", id="kept"),
    ],
)  # fmt: skip
def test_a_draft_has_no_gaps_where_personal_data_was(masked: str, tidy: str) -> None:
    assert tidy_gaps(masked) == tidy
