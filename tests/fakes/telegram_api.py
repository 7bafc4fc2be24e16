"""A small fake Telegram Bot API server on 127.0.0.1 speaking the real wire format (tornado, asyncio).

Point a real python-telegram-bot client at `server.base_url`; inject citizen updates with
`add_text` / `add_callback` / `add_photo`; wait for the bot's messages with `wait_sent`. Like
Telegram, it rejects malformed HTML, over-long texts, bad callback data and a wrong token.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<>&]")
_CANT_PARSE = "Bad Request: can't parse entities: "


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def parse_html(text: str) -> str:
    """The plain text Telegram shows for an HTML-formatted message, or ApiError like Telegram's."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    for special in _SPECIAL.finditer(text):
        at = special.start()
        if at < i:
            continue  # inside a tag already consumed
        out.append(text[i:at])
        ch = text[at]
        if ch == "<":
            m = _TAG.match(text, at)
            if not m or m.group(2).lower() not in _ALLOWED_TAGS:
                raise ApiError(400, f"{_CANT_PARSE}Unsupported start tag at offset {at}")
            closing, name = m.group(1), m.group(2).lower()
            if closing:
                if not stack or stack.pop() != name:
                    raise ApiError(400, f"{_CANT_PARSE}Unmatched end tag at offset {at}")
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, at)
            if not m:
                raise ApiError(400, f"{_CANT_PARSE}Unescaped '&' at offset {at}")
            ref = m.group(1)
            if ref in _NAMED:
                out.append(_NAMED[ref])
            else:
                out.append(chr(int(ref[2:], 16) if ref[1] == "x" else int(ref[1:])))
            i = m.end()
        else:
            raise ApiError(400, f"{_CANT_PARSE}Unescaped '>' at offset {at}")
    out.append(text[i:])
    if stack:
        raise ApiError(400, f'{_CANT_PARSE}Can\'t find end tag for "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request the bot made: method name and parameters as sent on the wire (strings)."""

    method: str
    params: dict[str, str]
    body: str = "form"
    """How the parameters came: "json", "form" (url-encoded or multipart) or "query"."""


@dataclass(slots=True)
class Outgoing:
    """A message the bot sent (`kind="send"`) or edited (`kind="edit"`), as the citizen sees it."""

    kind: str
    chat_id: int
    message_id: int
    html: str
    text: str
    """Plain text after HTML parsing."""
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """Button labels in reading order."""
        return [b["text"] for row in self.keyboard for b in row]

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains `label_part`."""
        for row in self.keyboard:
            for b in row:
                if label_part in b["text"]:
                    return b
        raise KeyError(f"no button containing {label_part!r} in {self.labels}")


class FakeTelegramServer:
    """Fake Bot API: getUpdates long poll, sendMessage, editMessageText, answerCallbackQuery..."""

    def __init__(self, token: str = "123456:TEST-token_fake", *, bot_id: int = 1000) -> None:
        self.token = token
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Hỏi đáp TTHC",
            "username": "tthc_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.outbox: list[Outgoing] = []
        self.answered_callbacks: list[str] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.port = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[ApiError]] = {}
        self._changed: asyncio.Condition | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._closing = False
        self.send_delay = 0.0
        """Seconds sendMessage takes before it is processed (a slow platform; a process can die meanwhile)."""
        self.polls_open = 0
        self.overlapping_polls = 0
        """getUpdates calls that came while another was open: Telegram answers 409 Conflict to one."""

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on an ephemeral port of 127.0.0.1."""
        self._changed = asyncio.Condition()
        app = tornado.web.Application(
            [(r"/bot([^/]+)/([A-Za-z]+)", _Handler, {"fake": self})],
            log_function=lambda handler: None,  # API errors are part of the tests, not warnings
        )
        (sock,) = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sock.getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets([sock])

    async def stop(self) -> None:
        """Release long polls and close every connection."""
        self._closing = True
        await self._notify()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Value for PTB's base_url (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's base_file_url."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- test helpers: inject ----------------------------------------------------------------

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates offset beyond them."""
        return len(self._updates)

    def pending_chats(self) -> set[int]:
        """The chats of the message updates not yet confirmed."""
        return {u["message"]["chat"]["id"] for u in self._updates if "message" in u}

    def add_update(self, body: dict[str, Any]) -> int:
        """Queue one update (without update_id); returns the update_id given to it."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._notify_soon()
        return update_id

    def user_message(
        self, chat_id: int, extra: dict[str, Any], *, user_id: int | None = None, first_name: str = "Công dân"
    ) -> dict[str, Any]:
        """A citizen's message object in a private chat (used by the add_* helpers and webhooks)."""
        user = {"id": user_id or chat_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        message = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": {"id": chat_id, "type": "private", "first_name": first_name},
            "date": int(time.time()),
            **extra,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def text_update(self, chat_id: int, text: str, **kw: Any) -> dict[str, Any]:
        """An update body carrying a citizen's text (a bot_command entity for "/...")."""
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"message": self.user_message(chat_id, extra, **kw)}

    def add_text(self, chat_id: int, text: str, **kw: Any) -> int:
        """Queue a citizen's text message; returns its update_id."""
        return self.add_update(self.text_update(chat_id, text, **kw))

    def add_photo(self, chat_id: int, **kw: Any) -> int:
        """Queue a citizen's photo without caption."""
        photo = [{"file_id": "AgADphoto", "file_unique_id": "uniq1", "width": 90, "height": 90}]
        return self.add_update({"message": self.user_message(chat_id, {"photo": photo}, **kw)})

    def add_callback(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None) -> str:
        """Queue a press of an inline button with `data` on the bot's message; returns query id."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        query_id = str(next(self._callback_ids))
        self.add_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Công dân"},
                    "chat_instance": f"ci{chat_id}",
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def press(self, out: Outgoing, label_part: str) -> str:
        """Queue a press of the button of `out` whose label contains `label_part`."""
        return self.add_callback(out.chat_id, out.message_id, out.button(label_part)["callback_data"])

    def add_group_text(self, chat_id: int, text: str, *, user_id: int, first_name: str = "Cán bộ") -> int:
        """Queue a group member's text (a bot_command entity for "/...") in that group."""
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._messages[(chat_id, message["message_id"])] = message
        return self.add_update({"message": message})

    def add_group_reply(
        self,
        chat_id: int,
        text: str,
        reply_to: Outgoing,
        *,
        user_id: int,
        first_name: str = "Cán bộ",
        photo: bool = False,
    ) -> int:
        """Queue a group member's text (with `photo`: a photo captioned `text`) that replies to one of
        the bot's messages in that group."""
        content: dict[str, Any] = {"text": text}
        if photo:
            sizes = [{"file_id": "AgADform", "file_unique_id": "uniq2", "width": 90, "height": 90}]
            content = {"photo": sizes, "caption": text}
        message = {
            "message_id": self._next_message_id(chat_id),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "chat": _chat(chat_id),
            "date": int(time.time()),
            **content,
            "reply_to_message": self._messages[(chat_id, reply_to.message_id)],
        }
        self._messages[(chat_id, message["message_id"])] = message
        return self.add_update({"message": message})

    def fail_next(self, method: str, code: int, description: str) -> None:
        """Make the next call of `method` fail with this Bot API error."""
        self._failures.setdefault(method, []).append(ApiError(code, description))

    # -- test helpers: observe ---------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every recorded call of one method."""
        return [c for c in self.calls if c.method == method]

    def sent_to(self, chat_id: int) -> list[Outgoing]:
        """Messages sent or edited in one chat, in order."""
        return [o for o in self.outbox if o.chat_id == chat_id]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds (re-checked after every API call), or fail."""
        assert self._changed is not None, "server not started"
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 10.0) -> list[Outgoing]:
        """Wait until `count` messages were sent or edited in `chat_id`; returns them all."""
        await self.wait_for(lambda: len(self.sent_to(chat_id)) >= count, timeout)
        return self.sent_to(chat_id)

    # -- internals -------------------------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def _notify(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    def _notify_soon(self) -> None:
        if self._changed is not None:
            asyncio.get_running_loop().create_task(self._notify())

    async def dispatch(self, token: str, method: str, params: dict[str, str], body: str = "form") -> Any:
        """Answer one API call (the result part) or raise ApiError."""
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        self.calls.append(ApiCall(method, params, body))
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            if method == "getUpdates":
                if self.polls_open:
                    self.overlapping_polls += 1
                self.polls_open += 1
                try:
                    await self._notify()  # someone may wait for the bot to start polling
                    return await handler(params)
                finally:
                    self.polls_open -= 1
            if method == "sendMessage" and self.send_delay:
                await asyncio.sleep(self.send_delay)
            return handler(params)
        finally:
            if method != "getUpdates":
                await self._notify()

    def _api_getMe(self, p: dict[str, str]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, p: dict[str, str]) -> Any:
        offset = int(p.get("offset", "0") or 0)
        limit = int(p.get("limit", "100") or 100)
        timeout = float(p.get("timeout", "0") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._closing:
            assert self._changed is not None
            try:
                async with self._changed:
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing),
                        timeout,
                    )
            except TimeoutError:
                pass
        return self._updates[:limit]

    def _api_sendMessage(self, p: dict[str, str]) -> Any:
        chat_id = int(p["chat_id"])
        html, text = self._text(p)
        keyboard = self._keyboard(p)
        message_id = self._next_message_id(chat_id)
        message = self._bot_message(chat_id, message_id, text, keyboard)
        self._messages[(chat_id, message_id)] = message
        self.outbox.append(Outgoing("send", chat_id, message_id, html, text, keyboard))
        return message

    def _api_editMessageText(self, p: dict[str, str]) -> Any:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        old = self._messages.get((chat_id, message_id))
        if old is None or old["from"]["id"] != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        html, text = self._text(p)
        keyboard = self._keyboard(p)
        old_keyboard = old.get("reply_markup", {}).get("inline_keyboard", [])
        if old.get("text") == text and old_keyboard == keyboard:
            raise ApiError(400, NOT_MODIFIED)
        message = self._bot_message(chat_id, message_id, text, keyboard)
        message["edit_date"] = int(time.time())
        self._messages[(chat_id, message_id)] = message
        self.outbox.append(Outgoing("edit", chat_id, message_id, html, text, keyboard))
        return message

    def _api_answerCallbackQuery(self, p: dict[str, str]) -> Any:
        self.answered_callbacks.append(p["callback_query_id"])
        return True

    def _api_setMyCommands(self, p: dict[str, str]) -> Any:
        commands = json.loads(p["commands"])
        if not all(set(c) == {"command", "description"} for c in commands):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    def _api_sendChatAction(self, p: dict[str, str]) -> Any:
        return True

    def _api_deleteWebhook(self, p: dict[str, str]) -> Any:
        self.webhook_url = ""
        return True

    def _api_setWebhook(self, p: dict[str, str]) -> Any:
        self.webhook_url = p.get("url", "")
        self.webhook_secret = p.get("secret_token", "")
        return True

    def _api_getWebhookInfo(self, p: dict[str, str]) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _text(self, p: dict[str, str]) -> tuple[str, str]:
        html = p.get("text", "")
        text = parse_html(html) if p.get("parse_mode") == "HTML" else html
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return html, text

    @staticmethod
    def _keyboard(p: dict[str, str]) -> list[list[dict[str, Any]]]:
        if not p.get("reply_markup"):
            return []
        rows: list[list[dict[str, Any]]] = json.loads(p["reply_markup"])["inline_keyboard"]
        for row in rows:
            for b in row:
                data = b.get("callback_data")
                if data is not None and len(data.encode()) > MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if (data is None) == ("url" not in b):
                    raise ApiError(400, "Bad Request: can't parse inline keyboard button")
        return rows

    def _bot_message(
        self, chat_id: int, message_id: int, text: str, keyboard: list[list[dict[str, Any]]]
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if keyboard:
            message["reply_markup"] = {"inline_keyboard": keyboard}
        return message


def _chat(chat_id: int) -> dict[str, Any]:
    """Negative ids are groups (the staff group), positive ones citizens' private chats."""
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Cán bộ Một cửa"}
    return {"id": chat_id, "type": "private", "first_name": "Công dân"}


class _Handler(tornado.web.RequestHandler):
    """Routes /bot<token>/<method> to the fake; form, multipart, JSON or query parameters."""

    def initialize(self, fake: FakeTelegramServer) -> None:
        self.fake = fake

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        params = {k: v[-1].decode() for k, v in self.request.query_arguments.items()}
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            kind = "json"
            body = json.loads(self.request.body or b"{}")
            params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
        else:
            kind = "form" if self.request.body_arguments else "query"
            params.update({k: v[-1].decode() for k, v in self.request.body_arguments.items()})
        try:
            result = await self.fake.dispatch(token, method, params, kind)
        except ApiError as exc:
            self.set_status(exc.code)
            self.finish({"ok": False, "error_code": exc.code, "description": exc.description})
            return
        self.finish(json.dumps({"ok": True, "result": result}))
