"""handlers.first_answer: which questions of a letter ask for the list of papers."""

from __future__ import annotations

import pytest

from handlers.first_answer import asks_for_papers


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        pytest.param("Hồ sơ gồm những gì, nộp ở xã hay ở đâu?", True, id="ho-so-gom-nhung-gi"),
        pytest.param("Ho so can nhung gi vay ad", True, id="without-accents"),
        pytest.param("Cần chuẩn bị giấy tờ gì?", True, id="can-chuan-bi-giay-to-gi"),
        pytest.param("Nếu đến xã thì mang theo gì?", True, id="mang-theo-gi"),
        pytest.param("Tôi có thể xin giấy tờ gì để nộp cho trường không?", False, id="which-paper-to-get"),
        pytest.param("Làm một hồ sơ hay ba hồ sơ?", False, id="how-many-files"),
        pytest.param("Cần bản sao để làm hồ sơ hưu trí.", False, id="a-file-for-something-else"),
        pytest.param("Có cần mang quyết định ly hôn không?", True, id="is-this-paper-needed"),
        pytest.param("co can hop dong muon nha cua bo me khong", True, id="is-a-contract-needed"),
        pytest.param("Va can mang theo quyet dinh ly hon khong a?", True, id="bring-this-paper"),
        pytest.param("Có cần đi cùng không?", False, id="needed-but-no-paper"),
    ],
)  # fmt: skip
def test_asks_for_papers(question: str, asks: bool) -> None:
    assert asks_for_papers(question) is asks
