"""Danger first: the emergency numbers and the scam warning before whatever else the reply says."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.decision import MatchSettings
from faq.knowledge import Knowledge, StaticKnowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from handlers import texts
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind
from handlers.safety import Danger, danger_in

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"


@pytest.mark.parametrize(
    ("message", "danger"),
    [
        pytest.param("Chồng tôi hay đánh tôi, tôi phải làm sao", Danger.EMERGENCY, id="beaten"),
        pytest.param("tôi bị chồng bạo hành, cần giúp đỡ gấp", Danger.EMERGENCY, id="abused"),
        pytest.param("chong toi hay danh toi", Danger.EMERGENCY, id="beaten-without-accents"),
        pytest.param("con tôi đi lạc từ chiều chưa về, báo ở đâu", Danger.EMERGENCY, id="child-lost"),
        pytest.param("bé nhà em mất tích từ trưa", Danger.EMERGENCY, id="child-missing"),
        pytest.param("nhờ phường đọc loa tìm ông ngoại em đi lạc", Danger.EMERGENCY, id="grandfather-lost"),
        pytest.param(
            "có người xưng cán bộ xin mã OTP để duyệt hồ sơ, tôi có nên đưa không", Danger.SCAM, id="otp"
        ),
        pytest.param("người lạ gọi điện bảo cài app để nâng mức định danh", Danger.SCAM, id="app"),
        pytest.param("co thang goi tu xung cong an bat chuyen tien", Danger.SCAM, id="money-without-accents"),
        pytest.param(
            "Bị lừa chuyển khoản 50 triệu qua mạng, giả danh công an, giờ làm sao lấy lại?", Danger.SCAM,
            id="already-scammed",  # "chưa có thông tin" (QA round 14, O20)
        ),
        pytest.param("quên mật khẩu vneid thì sao", None, id="own-password"),
        pytest.param("đổi số điện thoại rồi không nhận được mã otp", None, id="own-code"),
        pytest.param("con mèo nhà tôi đi lạc mấy hôm nay", None, id="a-pet"),
        pytest.param("chồng em mất vì tai nạn giao thông, làm khai tử thế nào", None, id="a-past-accident"),
        pytest.param("làm thủ tục tuyên bố mất tích cho chồng", None, id="a-court-procedure"),
        pytest.param("chồng tôi đi biển mất tích 3 năm rồi", None, id="missing-for-years"),
        pytest.param(
            "Mẹ tôi đi lạc rồi mất ở tỉnh khác, bên đó người ta đã lo chôn cất. Giờ cần giấy tờ", None,
            id="lost-then-died",  # told to call 113, and nothing else (QA round 14, E15)
        ),
        pytest.param("chong toi mat tich 2 nam roi", None, id="missing-for-years-accents-off"),
        pytest.param("sổ đỏ bị cháy trong vụ hỏa hoạn tháng trước", None, id="a-past-fire"),
        pytest.param("máy giặt còn bảo hành không", None, id="warranty"),
        pytest.param("tu lanh het bao hanh roi", None, id="warranty-without-accents"),
        pytest.param("xuất hóa đơn điện tử từ máy tính tiền", None, id="dien-tu-tu"),
    ],
)  # fmt: skip
def test_danger_in(message: str, danger: Danger | None) -> None:
    assert danger_in(message) is danger


@pytest.fixture
def conv() -> Conversation:
    book = load_faq(MINI_FAQ)
    return Conversation(StaticKnowledge(Knowledge(book=book, matcher=Matcher(book, MatchSettings()))))


def test_the_warning_comes_first_and_the_reply_still_follows(conv: Conversation) -> None:
    reply = conv.handle(
        Incoming("zalo_bot", "1", "u1", InKind.TEXT, "bác bị con trai đánh đập, bác phải làm sao")
    )
    assert reply.text.startswith(texts.EMERGENCY.replace("anh/chị", "bác")[:40])
    assert "113" in reply.text and "111" in reply.text
    assert reply.outcome is not None and reply.outcome.kind == "none"  # logged as unanswered
    # Not "chưa có thông tin" and a menu of procedures under the numbers: the office's phone, for later.
    assert "chưa có thông tin" not in reply.text and not reply.buttons
    assert reply.text.endswith(
        texts.after_emergency(conv.knowledge.current().book.agency).replace("anh/chị", "bác")
    )
    scam = conv.handle(
        Incoming(
            "zalo_bot", "2", "u2", InKind.TEXT, "có người gọi tự xưng công an xin mã OTP để đăng ký tạm trú"
        )
    )
    assert scam.text.startswith(f"{texts.SCAM_WARNING}\n\n") and len(scam.text) > len(texts.SCAM_WARNING) + 40
    plain = conv.handle(Incoming("zalo_bot", "3", "u3", InKind.TEXT, "đăng ký tạm trú cho người thuê trọ"))
    assert "⚠️" not in plain.text
