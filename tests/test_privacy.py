"""Personal data is masked before storage or relay; fees, dates and counts are left alone.

The big tables of messages as citizens type them are in test_privacy_corpus.py.
"""

from __future__ import annotations

import pytest

from handlers.privacy import (
    BIRTH_DATE_MASK,
    EMAIL_MASK,
    ID_MASK,
    NAME_MASK,
    PHONE_MASK,
    PLATE_MASK,
    hash_user_id,
    mask_personal_data,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("cccd của em là 001203004567 ạ", f"cccd của em là {ID_MASK} ạ", id="cccd-12-digits"),
        pytest.param("số cccd 001 203 004 567 bị sai tên", f"số cccd {ID_MASK} bị sai tên", id="cccd-spaced"),
        pytest.param("cmnd cũ 012345678", f"cmnd cũ {ID_MASK}", id="cmnd-9-digits"),
        pytest.param("sđt 0912345678 nhé", f"sđt {PHONE_MASK} nhé", id="mobile-plain"),
        pytest.param("gọi 0912.345.678 giúp em", f"gọi {PHONE_MASK} giúp em", id="mobile-dots"),
        pytest.param("số em 0912 345 678", f"số em {PHONE_MASK}", id="mobile-spaces"),
        pytest.param("liên hệ +84 912 345 678", f"liên hệ {PHONE_MASK}", id="mobile-intl-spaced"),
        pytest.param("zalo +84912345678 ạ", f"zalo {PHONE_MASK} ạ", id="mobile-intl"),
        pytest.param("bàn 024.3825.1234", f"bàn {PHONE_MASK}", id="landline-11-digits"),
        pytest.param("mail: an.nguyen@gmail.com", f"mail: {EMAIL_MASK}", id="email"),
        pytest.param("xe biển 29A-123.45 mất", f"xe biển {PLATE_MASK} mất", id="plate-car"),
        pytest.param("xe máy 59X1 234.56", f"xe máy {PLATE_MASK}", id="plate-motorbike"),
        pytest.param("biển 30e12345 sang tên", f"biển {PLATE_MASK} sang tên", id="plate-lowercase"),
        pytest.param("biển 29LD-01234", f"biển {PLATE_MASK}", id="plate-two-letters"),
        pytest.param("lệ phí 50.000 đồng nhé", "lệ phí 50.000 đồng nhé", id="fee-kept"),
        pytest.param("hết 1.500.000đ", "hết 1.500.000đ", id="fee-millions-kept"),
        pytest.param("phạt 12,000,000 đồng", "phạt 12,000,000 đồng", id="fee-commas-kept"),
        pytest.param("nộp ngày 12/05/2024", "nộp ngày 12/05/2024", id="date-kept"),
        pytest.param("sinh ngày 12/05/2024", f"sinh ngày {BIRTH_DATE_MASK}", id="birth-date"),
        pytest.param("ngày 12-05-2024 nộp", "ngày 12-05-2024 nộp", id="date-hyphens-kept"),
        pytest.param("ở trọ 2 tháng, mất 15 ngày", "ở trọ 2 tháng, mất 15 ngày", id="counts-kept"),
        pytest.param("mẫu CT01 và CT07", "mẫu CT01 và CT07", id="form-names-kept"),
        pytest.param("năm 2025 quận 10", "năm 2025 quận 10", id="years-kept"),
        pytest.param("mã TTHC 1.001193", "mã TTHC 1.001193", id="procedure-code-kept"),
        pytest.param(
            "em tên An sđt 0987654321 cccd 079204001234",
            f"em tên {NAME_MASK} sđt {PHONE_MASK} cccd {ID_MASK}",
            id="several",
        ),
    ],
)
def test_mask_personal_data(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


def test_hash_is_salted_and_stable() -> None:
    a = hash_user_id("telegram", "12345", "salt-a")
    assert a == hash_user_id("telegram", "12345", "salt-a")
    assert a != hash_user_id("telegram", "12345", "salt-b")
    assert a != hash_user_id("zalo_oa", "12345", "salt-a")
    assert "12345" not in a
