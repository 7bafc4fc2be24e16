"""handlers.texts: what citizens read about the office, whatever staff wrote in the agency block."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from faq.schema import Agency
from handlers import texts

AGENCY = Agency(
    name="UBND phường Mẫu",
    address="Số 1 đường Thử",
    hours="Thứ Hai đến Thứ Sáu: sáng 7:30–11:30, chiều 13:30–17:00; sáng thứ Bảy 7:30–11:30 (nếu có)",
    phone="0200 000 000",
    portal="https://dichvucong.gov.vn",
)


def depth(text: str) -> int:
    """The deepest nesting of round brackets in a text."""
    deepest = level = 0
    for ch in text:
        level += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, level)
    return deepest


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(texts.no_answer, id="no-answer"),
        pytest.param(texts.no_answer_forwarded, id="no-answer-forwarded"),
        pytest.param(lambda a: texts.declined("Thi bằng lái", "Sở Xây dựng tổ chức.", a), id="declined"),
        pytest.param(texts.handoff_disabled, id="handoff-disabled"),
        pytest.param(texts.hidden_content, id="hidden-content"),
        pytest.param(lambda a: texts.apology("E-ABC123", a), id="apology"),
        pytest.param(texts.contact, id="contact"),
    ],
)
def test_office_hours_are_never_in_nested_parentheses(render: Callable[[Agency], str]) -> None:
    text = render(AGENCY)
    assert AGENCY.hours in text
    assert depth(text) <= 1, text


@pytest.mark.parametrize(
    ("plain", "numbered"),
    [
        pytest.param(texts.HELP, texts.HELP_NUMBERED, id="help"),
        pytest.param(texts.STALE, texts.STALE_NUMBERED, id="stale"),
        pytest.param(
            texts.alternatives(["Tạm trú"]), texts.alternatives(["Tạm trú"], numbered=True), id="alternatives"
        ),
        pytest.param(texts.no_summary(), texts.no_summary(numbered=True), id="no-summary"),
    ],
)
def test_numbered_wording_never_asks_to_press_a_button(plain: str, numbered: str) -> None:
    assert "bấm" in plain.lower() or "nút" in plain
    assert "bấm" not in numbered.lower() and "nút" not in numbered
    assert "gõ" in numbered.lower()
