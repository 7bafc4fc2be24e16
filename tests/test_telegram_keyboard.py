"""Reply buttons become an inline keyboard whose wire form is exactly PTB's own."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram import keyboard
from handlers.messages import Button, Reply

LONG = "x" * 65


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ((Button("Hướng dẫn từng bước", payload="s:khai-sinh:1"),),),
            [[InlineKeyboardButton("Hướng dẫn từng bước", callback_data="s:khai-sinh:1")]],
            id="callback",
        ),
        pytest.param(
            ((Button("Nộp trực tuyến", url="https://dichvucong.gov.vn"), Button("👍", payload="f:1")),),
            [
                [
                    InlineKeyboardButton("Nộp trực tuyến", url="https://dichvucong.gov.vn"),
                    InlineKeyboardButton("👍", callback_data="f:1"),
                ]
            ],
            id="url-and-callback-in-one-row",
        ),
        pytest.param(
            ((Button("quá dài", payload=LONG),), (Button("Menu", payload="m"),)),
            [[InlineKeyboardButton("Menu", callback_data="m")]],
            id="payload-over-64-bytes-dropped",
        ),
    ],
)
def test_keyboard_wire_form_is_ptbs(rows, expected) -> None:
    markup = keyboard(Reply(text="...", buttons=rows))
    assert markup is not None
    assert markup.to_dict() == InlineKeyboardMarkup(expected).to_dict()
    assert markup.to_json() == InlineKeyboardMarkup(expected).to_json()


def test_no_buttons_no_keyboard() -> None:
    assert keyboard(Reply(text="...")) is None
