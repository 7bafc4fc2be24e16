"""The error boundary: any crash becomes a logged id and a polite apology, never the citizen's text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from faq.decision import MatchResult
from faq.knowledge import Knowledge, StaticKnowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook
from handlers.boundary import safe_handle
from handlers.conversation import Conversation
from handlers.messages import Incoming, InKind
from handlers.store import StateStoreError

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
SECRET_QUESTION = "số căn cước của tôi là 001234567890 làm lại thẻ thế nào"


class BrokenSource:
    def current(self) -> Knowledge:
        raise RuntimeError("knowledge unavailable")


class ExplodingMatcher:
    def match(self, text: str) -> MatchResult:
        raise ValueError(f"cannot match {text!r}")


class BrokenMatcherSource:
    def __init__(self, book: FaqBook) -> None:
        self.book = book

    def current(self) -> Knowledge:
        return Knowledge(book=self.book, matcher=ExplodingMatcher())  # type: ignore[arg-type]


def question(body: str = SECRET_QUESTION) -> Incoming:
    return Incoming("telegram", "42", "7", InKind.TEXT, body)


def error_id(text: str) -> str:
    m = re.search(r"\(Mã lỗi: (E-[0-9A-F]{6})\)", text)
    assert m, text
    return m.group(1)


def test_broken_knowledge_gives_apology_with_id(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.boundary")
    with caplog.at_level(logging.ERROR, logger="test.boundary"):
        reply = safe_handle(Conversation(BrokenSource()), question(), logger)
    assert reply.text.startswith("Dạ, em xin lỗi")
    ref = error_id(reply.text)
    assert "bộ phận một cửa" in reply.text  # no FAQ to take the phone number from
    assert reply.outcome is not None and reply.outcome.kind == "error"
    (record,) = caplog.records
    assert ref in record.getMessage()
    assert "RuntimeError: knowledge unavailable" in record.getMessage()
    assert "Traceback" in record.getMessage()


def test_apology_names_the_office_and_hides_the_message(caplog: pytest.LogCaptureFixture) -> None:
    book = load_faq(MINI_FAQ)
    with caplog.at_level(logging.ERROR):
        reply = safe_handle(Conversation(BrokenMatcherSource(book)), question())
    assert book.agency.phone in reply.text
    assert book.agency.name in reply.text
    ref = error_id(reply.text)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ref in logged
    assert "ValueError: cannot match" in logged
    assert SECRET_QUESTION not in logged
    assert "001234567890" not in logged


def test_ids_differ_between_errors() -> None:
    conv = Conversation(BrokenSource())
    ids = {error_id(safe_handle(conv, question(), logging.getLogger("quiet")).text) for _ in range(20)}
    assert len(ids) == 20


def test_no_error_passes_the_reply_through() -> None:
    book = load_faq(MINI_FAQ)
    conv = Conversation(BrokenMatcherSource(book))
    reply = safe_handle(conv, Incoming("telegram", "1", "1", InKind.COMMAND, "lienhe"))
    assert reply.outcome is not None and reply.outcome.kind == "contact"


class DownStore:
    """A shared store whose server is away (what RedisStore raises then)."""

    def get(self, key: str) -> str | None:
        raise StateStoreError(
            "redis: ConnectionError: Error 111 connecting to 127.0.0.1:6390. Connection refused."
        )

    def set(self, key: str, value: str, ttl: float) -> None:
        raise StateStoreError(
            "redis: ConnectionError: Error 111 connecting to 127.0.0.1:6390. Connection refused."
        )

    def delete(self, key: str) -> None:
        raise StateStoreError("redis: ConnectionError")


def test_a_store_outage_is_one_log_line_per_message_not_a_stack(caplog: pytest.LogCaptureFixture) -> None:
    book = load_faq(MINI_FAQ)
    conversation = Conversation(StaticKnowledge(Knowledge(book, Matcher(book))), store=DownStore())  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        reply = safe_handle(conversation, question("làm căn cước cần gì"))
    ref = error_id(reply.text)
    (record,) = caplog.records
    said = record.getMessage()
    assert ref in said and "state store unavailable" in said and "Connection refused" in said
    assert "Traceback" not in said and "\n" not in said
