"""Console channel: chat with the bot in a terminal, buttons shown as numbered options."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TextIO

from handlers import texts
from handlers.boundary import safe_handle
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind, Reply
from handlers.options import OptionMemory, fold
from handlers.render import render_plain

CHANNEL = "console"
QUIT_WORDS = frozenset({"thoat", "exit", "quit"})
"""Typed alone (any case, with or without accents), these end the chat."""
_LIMIT = 4000
"""A terminal has no message limit; long answers are still cut into readable blocks."""

log = logging.getLogger(__name__)


def parse_line(line: str, options: OptionMemory, chat_key: str) -> Incoming:
    """What a typed line means: a /command, a numbered option or its words, or a question."""
    text = line.strip()
    if text.startswith("/") and len(text) > 1:
        name, _, args = text[1:].partition(" ")
        return Incoming(CHANNEL, chat_key, chat_key, InKind.COMMAND, name, args.strip())
    payload = options.resolve(chat_key, text)
    if payload is not None:
        return Incoming(CHANNEL, chat_key, chat_key, InKind.BUTTON, payload)
    return Incoming(CHANNEL, chat_key, chat_key, InKind.TEXT, text, options=options.numbers(chat_key))


class ConsoleChat:
    """One chat session over a pair of text streams (a terminal, or piped input for scripts)."""

    def __init__(
        self,
        conversation: Conversation,
        *,
        stdin: TextIO,
        stdout: TextIO,
        interactive: bool,
        chat_id: str = "local",
        read_line: Callable[[str], str] | None = None,
        observe: Callable[[Incoming, Reply], None] | None = None,
    ) -> None:
        """`observe`: told of every exchange (`faqbot chat --log` records them in the interaction log)."""
        self._conversation = conversation
        self._stdin = stdin
        self._stdout = stdout
        self._interactive = interactive
        self._chat_id = chat_id
        self._options = OptionMemory()
        # input() gives line editing on a terminal; scripts read the stream plainly.
        self._read_line = read_line
        self._observe = observe

    def start(self) -> None:
        """Greet, as a chat opened for the first time is greeted."""
        greeting = Incoming(CHANNEL, self._chat_id, self._chat_id, InKind.COMMAND, "start")
        self._answer(greeting, after_input=False)

    def send(self, text: str) -> Reply:
        """Answer one message as typed, whole: a letter of several paragraphs is one message, as on
        Zalo and Telegram (stdin gives one line at a time)."""
        return self._answer(parse_line(text, self._options, self._chat_id), after_input=True)

    def run(self) -> int:
        """Greet, then answer line after line until «thoát», "exit" or end of input."""
        if self._interactive:
            self._write(texts.CONSOLE_INTRO)
        self.start()
        while True:
            line = self._next_line()
            if line is None or fold(line) in QUIT_WORDS:
                if self._interactive:
                    self._write(texts.CONSOLE_BYE)
                return 0
            if not line.strip():
                continue
            self.send(line)

    def _next_line(self) -> str | None:
        if self._read_line is not None:
            try:
                return self._read_line("> ")
            except EOFError:
                return None
        if self._interactive:
            self._stdout.write("> ")
            self._stdout.flush()
        line = self._stdin.readline()
        return line if line else None

    def _answer(self, msg: Incoming, *, after_input: bool) -> Reply:
        reply = safe_handle(self._conversation, msg, log)
        if self._observe is not None:
            self._observe(msg, reply)
        numbering = self._options.remember(self._chat_id, reply)
        text = "\n\n".join(render_plain(reply, limit=_LIMIT, numbered=True, numbering=numbering))
        # On a terminal, a blank line sets the answer apart from what was just typed.
        self._write(f"\n{text}" if self._interactive and after_input else text)
        return reply

    def _write(self, text: str) -> None:
        self._stdout.write(text + "\n\n")
        self._stdout.flush()
