"""Rendering: splitting within limits, Telegram HTML escaping, plain text with numbered options."""

from __future__ import annotations

import html
import re

import pytest

from handlers.messages import Button, Reply
from handlers.options import OptionMemory
from handlers.render import render_html, render_plain, split_text

LINE = "Nộp tờ khai đăng ký khai sinh tại bộ phận một cửa UBND cấp xã."  # 63 chars


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("ngắn", 10, ["ngắn"], id="fits"),
        pytest.param("", 10, [], id="empty"),
        pytest.param("  \n\n ", 10, [], id="blank"),
        pytest.param("aaaa\n\nbbbb", 9, ["aaaa", "bbbb"], id="paragraphs"),
        pytest.param("aaaa\n\nbbbb", 10, ["aaaa\n\nbbbb"], id="paragraphs-fit-exactly"),
        pytest.param("aa\nbb\ncc", 5, ["aa\nbb", "cc"], id="lines"),
        pytest.param("một hai ba bốn", 7, ["một hai", "ba bốn"], id="words"),
        pytest.param("abcdefghij", 4, ["abcd", "efgh", "ij"], id="hard-cut"),
        pytest.param("ab 🙂🙂 cd", 4, ["ab", "🙂🙂", "cd"], id="emoji-counts-two"),
        pytest.param("xx\n\nyyyyyy zz", 6, ["xx", "yyyyyy", "zz"], id="mixed-levels"),
    ],
)
def test_split_text(text: str, limit: int, expected: list[str]) -> None:
    assert split_text(text, limit) == expected


def test_split_long_answer_on_line_breaks() -> None:
    text = "\n".join(f"{i}. {LINE}" for i in range(1, 121))  # about 8,000 characters
    chunks = split_text(text, 4096)
    assert len(chunks) == 2
    assert all(utf16(c) <= 4096 for c in chunks)
    # Nothing lost, nothing reordered, and every cut falls on a line break.
    assert "\n".join(chunks) == text
    assert all(re.fullmatch(r"\d+\. .*", line) for c in chunks for line in c.split("\n"))


@pytest.mark.parametrize("limit", [2, 3, 7, 50, 333], ids=lambda n: f"limit-{n}")
def test_split_never_exceeds_limit(limit: int) -> None:
    text = ("Lệ phí 50.000 đồng 🙂\n" * 40 + "x" * 700 + "\n\n") * 3
    chunks = split_text(text, limit)
    assert chunks
    assert max(utf16(c) for c in chunks) <= limit
    assert "".join("".join(c.split()) for c in chunks) == "".join(text.split())


def test_split_rejects_zero_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        split_text("abc", 0)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        pytest.param(
            Reply("Phí <50.000> & lệ phí", title="A < B & C"),
            ["<b>A &lt; B &amp; C</b>\n\nPhí &lt;50.000&gt; &amp; lệ phí"],
            id="escape-text-and-title",
        ),
        pytest.param(Reply("x <b>y</b>"), ["x &lt;b&gt;y&lt;/b&gt;"], id="markup-is-text"),
        pytest.param(Reply('"quoted"'), ['"quoted"'], id="quotes-unchanged"),
        pytest.param(Reply("", title="Chỉ tiêu đề"), ["<b>Chỉ tiêu đề</b>"], id="title-only"),
    ],
)
def test_render_html(reply: Reply, expected: list[str]) -> None:
    assert render_html(reply) == expected


def test_render_html_long_escaped_answer_stays_within_limit() -> None:
    # Escaping grows "&" to "&amp;": the limit applies to what is actually sent.
    text = "\n".join(f"Bước {i}: A & B <C> " + "&" * 30 for i in range(400))
    chunks = render_html(Reply(text, title="Đăng ký <khai sinh>"), limit=4096)
    assert len(chunks) > 1
    assert all(utf16(c) <= 4096 for c in chunks)
    assert chunks[0].startswith("<b>Đăng ký &lt;khai sinh&gt;</b>\n\n")
    body = "\n".join(chunks)[len("<b>Đăng ký &lt;khai sinh&gt;</b>\n\n") :]
    assert html.unescape(body) == text
    assert all("<" not in c.replace("<b>", "").replace("</b>", "") for c in chunks)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nộp hồ sơ tại một cửa. " * 60, id="vietnamese"),
        pytest.param("Phí & lệ phí <tùy tỉnh> " * 60, id="escaped-characters"),
        pytest.param("Xong rồi 👍 cảm ơn. " * 60, id="emoji-two-units"),
    ],
)
def test_render_html_splits_exactly_at_the_limit(text: str) -> None:
    # Long enough to be measured as a whole: one message when it fits to the unit, two when not.
    sent = utf16(html.escape(text.strip(), quote=False))
    assert sent > 1000
    assert render_html(Reply(text), limit=sent) == [html.escape(text.strip(), quote=False)]
    shorter = render_html(Reply(text), limit=sent - 1)
    assert len(shorter) == 2
    assert all(utf16(c) <= sent - 1 for c in shorter)


def test_render_html_title_shares_the_first_chunk() -> None:
    chunks = render_html(Reply("y" * 20, title="T"), limit=20)
    assert chunks == ["<b>T</b>\n\n" + "y" * 10, "y" * 10]


ANSWER = Reply(
    "Tóm tắt.",
    title="Đăng ký kết hôn",
    buttons=(
        (Button("Hướng dẫn từng bước", payload="s:ket-hon:1"),),
        (Button("Nộp trực tuyến", url="https://dichvucong.gov.vn"),),
        (Button("👍 Hữu ích", payload="fb:ket-hon:u"), Button("👎", payload="fb:ket-hon:d")),
    ),
)


CONTACT = Reply(
    "Điện thoại: 0200 000 000\nCổng dịch vụ công: https://dichvucong.gov.vn",
    title="Liên hệ",
    buttons=(
        (Button("Cổng dịch vụ công", url="https://dichvucong.gov.vn"),),
        (Button("📋 Danh mục thủ tục", payload="m"),),
    ),
)
PRESS_OR_TYPE = Reply(
    "Bấm nút bên dưới.", numbered_text="Gõ số bên dưới.", buttons=((Button("Hộ tịch", payload="c:ho-tich"),),)
)


@pytest.mark.parametrize(
    ("reply", "numbered", "expected"),
    [
        pytest.param(
            ANSWER,
            True,
            "Đăng ký kết hôn\n\nTóm tắt.\n\nNộp trực tuyến: https://dichvucong.gov.vn\n\n"
            "Anh/chị gõ số tương ứng để chọn:\n"
            "1. Hướng dẫn từng bước\n2. 👍 Hữu ích\n3. 👎",
            id="numbered-link-before-the-options",
        ),
        pytest.param(
            CONTACT,
            True,
            "Liên hệ\n\nĐiện thoại: 0200 000 000\nCổng dịch vụ công: https://dichvucong.gov.vn\n\n"
            "Anh/chị gõ số tương ứng để chọn:\n1. 📋 Danh mục thủ tục",
            id="link-already-in-the-text-not-repeated",
        ),
        pytest.param(
            PRESS_OR_TYPE,
            True,
            "Gõ số bên dưới.\n\nAnh/chị gõ số tương ứng để chọn:\n1. Hộ tịch",
            id="numbered-wording",
        ),
        pytest.param(PRESS_OR_TYPE, False, "Bấm nút bên dưới.", id="button-wording"),
        pytest.param(ANSWER, False, "Đăng ký kết hôn\n\nTóm tắt.", id="not-numbered"),
        pytest.param(Reply("Chỉ chữ."), True, "Chỉ chữ.", id="no-buttons"),
        pytest.param(
            Reply("Xem:", buttons=((Button("Cổng", url="https://a.vn"),),)),
            True,
            "Xem:\n\nCổng: https://a.vn",
            id="url-only-no-hint",
        ),
    ],
)
def test_render_plain(reply: Reply, numbered: bool, expected: str) -> None:
    assert render_plain(reply, numbered=numbered) == [expected]


def test_render_plain_numbers_match_option_memory() -> None:
    memory = OptionMemory()
    memory.remember("c", ANSWER)
    (text,) = render_plain(ANSWER)
    for line in text.splitlines():
        m = re.fullmatch(r"(\d+)\. (.+)", line)
        if m:
            pressed = memory.resolve("c", m.group(1))
            label = next(b.label for b in ANSWER.flat_buttons if b.payload == pressed)
            assert label == m.group(2)


def test_render_plain_splits_within_zalo_limit() -> None:
    reply = Reply("\n".join(LINE for _ in range(80)), title="Dài")
    chunks = render_plain(reply, limit=2000)
    assert len(chunks) == 3
    assert all(len(c) <= 2000 for c in chunks)
