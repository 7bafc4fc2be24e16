"""Zalo OA channel end to end: signed webhook events from the fake, cs replies and tokens to it."""

from __future__ import annotations

import asyncio
import json
import stat
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.channels.base import ChannelContext, ChannelStartError
from bot.channels.zalo_oa import (
    ZaloOAChannel,
    build_zalo_oa_channel,
    cs_messages,
    event_signature,
    signature_ok,
)
from bot.config import ZaloOAConfig
from handlers import texts
from handlers.messages import Button, InKind, Reply
from tests.fakes.abuse import raw_post
from tests.fakes.exchanges import Exchanges, channel_context
from tests.fakes.zalo_oa_api import FakeZaloOA, zalo_signature

USER = "6142494823000000000"
QUESTION = "làm giấy khai sinh cho con cần những gì"


@pytest.fixture
def exchanges() -> Exchanges:
    return Exchanges()


@pytest.fixture
def context(exchanges: Exchanges) -> ChannelContext:
    return channel_context(exchanges)


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA() as fake:
        yield fake


def oa_config(oa: FakeZaloOA, tmp_path: Path, **changes: Any) -> ZaloOAConfig:
    values: dict[str, Any] = {
        "enabled": True,
        "app_id": oa.state.app_id,
        "app_secret": oa.state.app_secret,
        "oa_secret_key": oa.oa_secret_key,
        "access_token": "AT1",
        "refresh_token": "RT1",
        "token_file": str(tmp_path / "var" / "zalo_oa_tokens.json"),
        "api_base": oa.base_url,
        "oauth_base": oa.base_url,
        "listen": "127.0.0.1",
        "port": 0,
    }
    values.update(changes)
    return ZaloOAConfig(**values)


@asynccontextmanager
async def running(channel: ZaloOAChannel) -> AsyncIterator[str]:
    """The started channel's webhook URL."""
    await channel.start()
    try:
        yield f"http://127.0.0.1:{channel.webhook_port}/zalo-oa"
    finally:
        await channel.stop()


async def test_a_question_is_answered_in_reply_form_and_a_number_presses_an_option(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        first = await oa.push(url, oa.event(text=QUESTION, msg_id="m-1"))
        await exchanges.wait(1)
        answer = await oa.wait_outbox(1)
        second = await oa.push(url, oa.event(text="1", msg_id="m-2"))
        await exchanges.wait(2)

    assert (first.status_code, second.status_code) == (200, 200)
    sent = answer[0]
    assert sent.recipient == {"message_id": "m-1"}
    assert sent.access_token == "AT2"  # the config pair had an unknown age: renewed at start
    assert "khai sinh" in sent.text.lower()
    # The answer has more than five options: numbered text instead of quick replies.
    assert texts.OPTIONS_HINT in answer[-1].text and sent.buttons == []
    pressed, reply = exchanges.items[1]
    assert (pressed.kind, pressed.text) == (InKind.BUTTON, "s:khai-sinh:1")
    assert reply.outcome is not None and reply.outcome.kind == "step"


async def test_follow_gets_the_greeting_with_quick_reply_buttons_that_come_back_as_presses(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        followed = await oa.push(url, oa.event("follow", user_id="777"))
        [(follow, greeting)] = await exchanges.wait(1)
        [sent] = await oa.wait_outbox(1)
        tap = sent.buttons[1]["payload"]
        await oa.push(url, oa.event(text=tap, user_id="777", msg_id="m-tap"))
        await exchanges.wait(2)

    assert followed.status_code == 200
    assert (follow.kind, follow.chat_id) == (InKind.FOLLOW, "777")
    assert sent.recipient == {"user_id": "777"}
    assert greeting.outcome is not None and greeting.outcome.kind == "start"
    assert texts.OPTIONS_HINT not in sent.text
    assert [b["type"] for b in sent.buttons] == ["oa.query.hide"] * 5
    assert [b["title"] for b in sent.buttons][:2] == ["Hộ tịch", "Cư trú"]
    assert tap == "#c:cu-tru"
    pressed, _ = exchanges.items[1]
    assert (pressed.kind, pressed.text) == (InKind.BUTTON, "c:cu-tru")


@pytest.mark.parametrize(
    ("signature", "status", "handled"),
    [
        pytest.param("good", 200, True, id="good"),
        pytest.param("bare-hex", 200, True, id="without-mac-prefix"),
        pytest.param("upper-hex", 200, True, id="uppercase-hex"),
        pytest.param(None, 401, False, id="missing"),
        pytest.param("", 401, False, id="empty"),
        pytest.param("other-secret", 403, False, id="wrong-secret"),
        pytest.param("mac=00", 403, False, id="garbage"),
        pytest.param("other-body", 403, False, id="tampered-body"),
    ],
)
async def test_webhook_signatures(
    oa: FakeZaloOA,
    context: ChannelContext,
    exchanges: Exchanges,
    tmp_path: Path,
    signature: str | None,
    status: int,
    handled: bool,
) -> None:
    event = oa.event(text="xin chào", msg_id="m-probe")
    raw = json.dumps(event, ensure_ascii=False).encode()
    good = zalo_signature(oa.state.app_id, raw, event["timestamp"], oa.oa_secret_key)
    header = {
        "good": good,
        "bare-hex": good.removeprefix("mac="),
        "upper-hex": "mac=" + good.removeprefix("mac=").upper(),
        "other-secret": zalo_signature(oa.state.app_id, raw, event["timestamp"], "nope"),
        "other-body": zalo_signature(oa.state.app_id, raw + b" ", event["timestamp"], oa.oa_secret_key),
    }.get(signature or "", signature)
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        response = await oa.push(url, event, signature=header)
        await oa.push(url, oa.event(text="cảm ơn", msg_id="m-sentinel"))
        await exchanges.wait(2 if handled else 1)

    assert response.status_code == status
    expected = ["m-probe", "m-sentinel"] if handled else ["m-sentinel"]
    assert exchanges.message_ids == expected


@pytest.mark.parametrize(
    ("signature", "status"),
    [pytest.param(None, 401, id="unsigned"), pytest.param("mac=00", 413, id="signed-too-big")],
)
async def test_an_oversized_event_is_refused_before_it_is_read(
    oa: FakeZaloOA, context: ChannelContext, tmp_path: Path, signature: str | None, status: int
) -> None:
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        headers = {"Content-Type": "application/json", "Content-Length": str(90 * 1024 * 1024)}
        if signature is not None:
            headers["X-ZEvent-Signature"] = signature
        answer = await raw_post(port, "zalo-oa", headers, b"x" * 4096, wait_close=2)
    assert (answer.status, answer.closed) == (status, True)


async def test_stale_events_and_repeated_msg_ids_are_not_handled(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    an_hour_ago = int((time.time() - 3600) * 1000)
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        stale = await oa.push(url, oa.event(text="xin chào", msg_id="m-old", timestamp_ms=an_hour_ago))
        once = await oa.push(url, oa.event(text="xin chào", msg_id="m-dup"))
        again = await oa.push(url, oa.event(text="xin chào", msg_id="m-dup"))
        await oa.push(url, oa.event(text="cảm ơn", msg_id="m-sentinel"))
        await exchanges.wait(2)

    # Acknowledged (so Zalo stops retrying) but never handled.
    assert (stale.status_code, once.status_code, again.status_code) == (200, 200, 200)
    assert stale.json()["message"] == "Stale event ignored"
    assert again.json()["message"] == "Duplicate ignored"
    assert exchanges.message_ids == ["m-dup", "m-sentinel"]


async def test_200_is_answered_before_slow_handling_finishes(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        oa.state.gate = asyncio.Event()
        response = await oa.push(url, oa.event(text=QUESTION, msg_id="m-slow"))
        await oa.wait_for(lambda s: s.cs_waiting == 1)
        answered_before = (response.status_code, len(oa.state.outbox), len(exchanges.items))
        oa.state.gate.set()
        await exchanges.wait(1)

    assert answered_before == (200, 0, 0)
    assert oa.state.outbox


async def test_token_renewed_mid_conversation_is_saved_and_reused_after_a_restart(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    cfg = oa_config(oa, tmp_path)
    async with running(build_zalo_oa_channel(cfg, context)) as url:
        await oa.push(url, oa.event(text="xin chào", msg_id="m-1"))
        await exchanges.wait(1)
        oa.state.fail_next = [-216]  # Zalo revokes the access token in the middle of a chat
        await oa.push(url, oa.event(text=QUESTION, msg_id="m-2"))
        await exchanges.wait(2)

    token_file = Path(cfg.token_file)
    saved = json.loads(token_file.read_text(encoding="utf-8"))
    assert (saved["access_token"], saved["refresh_token"]) == ("AT3", "RT3")
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert [m.access_token for m in oa.state.outbox] == ["AT2"] + ["AT3"] * (len(oa.state.outbox) - 1)
    assert oa.state.rejected[0]["recipient"] == {"message_id": "m-2"}
    refreshes = len(oa.state.refresh_requests)
    assert refreshes == 2

    # A restart with the same (now dead) config pair reuses the saved one: no re-authorisation.
    sent_before = len(oa.state.outbox)
    async with running(build_zalo_oa_channel(cfg, context)) as url:
        await oa.push(url, oa.event(text="cảm ơn", msg_id="m-3"))
        await exchanges.wait(3)
        after = await oa.wait_outbox(sent_before + 1)

    assert after[-1].access_token == "AT3"
    assert len(oa.state.refresh_requests) == refreshes
    assert oa.state.used_refresh_tokens == ["RT1", "RT2"]


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        pytest.param({"oa_secret_key": ""}, "zalo_oa.oa_secret_key", id="missing-oa-secret"),
        pytest.param({"app_id": ""}, "zalo_oa.app_id", id="missing-app-id"),
        pytest.param({"access_token": "", "refresh_token": ""}, "ZALO_OA_REFRESH_TOKEN", id="no-tokens"),
        pytest.param({"refresh_token": "RT-dead"}, "cấp quyền lại", id="refresh-token-rejected"),
        pytest.param({"app_secret": ""}, "zalo_oa.app_secret", id="missing-app-secret"),
    ],
)
async def test_start_errors_are_one_clear_vietnamese_line(
    oa: FakeZaloOA, context: ChannelContext, tmp_path: Path, changes: dict[str, Any], needle: str
) -> None:
    channel = build_zalo_oa_channel(oa_config(oa, tmp_path, **changes), context)
    try:
        with pytest.raises(ChannelStartError) as caught:
            await channel.start()
    finally:
        await channel.stop()
    message = str(caught.value)
    assert needle in message and "\n" not in message
    assert "RT-dead" not in message


# -- pure helpers -------------------------------------------------------------------------------

PRESS = [Button(f"Mục {n}", payload=f"a:muc-{n}") for n in range(1, 7)]
PORTAL = Button("Cổng dịch vụ công", url="https://dichvucong.gov.vn")


@pytest.mark.parametrize(
    ("reply", "texts_expected", "buttons_expected"),
    [
        pytest.param(Reply("Chào"), ["Chào"], None, id="text-only"),
        pytest.param(
            Reply("Chọn:", buttons=((PRESS[0], PRESS[1]), (PORTAL,))),
            ["Chọn:"],
            [
                {"title": "Mục 1", "type": "oa.query.hide", "payload": "#a:muc-1"},
                {"title": "Mục 2", "type": "oa.query.hide", "payload": "#a:muc-2"},
                {
                    "title": "Cổng dịch vụ công",
                    "type": "oa.open.url",
                    "payload": {"url": "https://dichvucong.gov.vn"},
                },
            ],
            id="quick-replies-with-url",
        ),
        pytest.param(
            Reply("Chọn:", buttons=tuple((b,) for b in PRESS)),
            ["Chọn:\n\n" + texts.OPTIONS_HINT + "\n" + "\n".join(f"{n}. Mục {n}" for n in range(1, 7))],
            None,
            id="six-options-numbered",
        ),
    ],
)
def test_cs_messages(
    reply: Reply, texts_expected: list[str], buttons_expected: list[dict[str, Any]] | None
) -> None:
    messages = cs_messages(reply)
    assert [m["text"] for m in messages] == texts_expected
    attachment = messages[-1].get("attachment")
    if buttons_expected is None:
        assert attachment is None
    else:
        assert attachment == {"type": "template", "payload": {"buttons": buttons_expected}}


def test_cs_messages_split_long_text_and_keep_buttons_on_the_last() -> None:
    text = "\n\n".join("Đoạn văn dài " * 70 for _ in range(4))
    messages = cs_messages(Reply(text, buttons=((PRESS[0],),)))
    assert len(messages) >= 2
    assert all(len(m["text"]) <= 2000 for m in messages)
    assert ["attachment" in m for m in messages] == [False] * (len(messages) - 1) + [True]


HEX = event_signature("app", b'{"a":1}', "1700000000000", "key")


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        pytest.param("mac=" + HEX, True, id="with-prefix"),
        pytest.param(HEX, True, id="bare"),
        pytest.param(" MAC=" + HEX.upper() + " ", True, id="case-and-spaces"),
        pytest.param("mac=" + HEX[:-1] + ("1" if HEX[-1] == "0" else "0"), False, id="one-digit-off"),
        pytest.param("mac=", False, id="empty-hex"),
        pytest.param("mac=ü" + HEX[2:], False, id="non-ascii"),
    ],
)
def test_signature_ok(header: str, ok: bool) -> None:
    assert signature_ok(header, HEX) is ok


async def test_a_numbered_option_keeps_its_number_after_a_part_is_shown(
    oa: FakeZaloOA, context: ChannelContext, exchanges: Exchanges, tmp_path: Path
) -> None:
    async with running(build_zalo_oa_channel(oa_config(oa, tmp_path), context)) as url:
        await oa.push(url, oa.event(text="đăng ký khai sinh cho trẻ mới sinh", msg_id="m-1"))
        await exchanges.wait(1)
        await oa.push(url, oa.event(text="4", msg_id="m-2"))  # Nộp/nhận qua bưu điện
        await exchanges.wait(2)
        sent = await oa.wait_outbox(2)
        await oa.push(url, oa.event(text="5", msg_id="m-3"))
        await exchanges.wait(3)

    assert f"\n3. {texts.BTN_FEE_TIME}\n5. {texts.BTN_RELATED}\n" in sent[-1].text
    pressed = [msg.text for msg, _ in exchanges.items[1:]]
    assert pressed == ["f:khai-sinh:p", "r:khai-sinh"]
