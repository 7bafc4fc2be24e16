"""The one error boundary per message: a crash becomes a logged id and a polite apology."""

from __future__ import annotations

import logging
import secrets
import traceback

from faq.schema import Agency
from handlers import texts
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind, Outcome, Reply
from handlers.store import StateStoreError

_default_log = logging.getLogger(__name__)

# Shorter texts could collide with words of the traceback itself; they say little anyway.
_MIN_REDACT = 3


def new_error_id() -> str:
    """A short reference citizens can quote to staff ("E-3F9A1C")."""
    return "E-" + secrets.token_hex(3).upper()


def safe_handle(conversation: Conversation, msg: Incoming, logger: logging.Logger | None = None) -> Reply:
    """conversation.handle(msg), or an apology with a short error id if anything goes wrong."""
    try:
        return conversation.handle(msg)
    except StateStoreError as exc:
        # The shared store is down (a documented outage, reported by /healthz): one line per message,
        # not the driver's sixty-line stack for every citizen who writes meanwhile.
        error_id = new_error_id()
        (logger or _default_log).error(
            "error %s while answering channel=%s kind=%s: state store unavailable: %s",
            error_id,
            msg.channel,
            msg.kind,
            str(exc).replace(msg.text, "<message text>") if len(msg.text) >= _MIN_REDACT else exc,
        )
        return apology(conversation, error_id, msg)
    except Exception as exc:
        error_id = new_error_id()
        trace = "".join(traceback.format_exception(exc))
        if len(msg.text) >= _MIN_REDACT:
            # An exception message may quote the citizen's text; it never reaches the log.
            trace = trace.replace(msg.text, "<message text>")
        (logger or _default_log).error(
            "error %s while answering channel=%s kind=%s\n%s",
            error_id,
            msg.channel,
            msg.kind,
            trace,
        )
        return apology(conversation, error_id, msg)


def apology(conversation: Conversation, error_id: str, msg: Incoming) -> Reply:
    """The polite apology, with the office contact when the FAQ can still be read."""
    question = msg.text if msg.kind is InKind.TEXT else ""
    return Reply(
        texts.apology(error_id, _agency(conversation)),
        outcome=Outcome("error", question=question),
    )


def _agency(conversation: Conversation) -> Agency | None:
    try:
        return conversation.knowledge.current().book.agency
    except Exception:
        return None
