"""bot.recheck and `faqbot check --config`: answered questions asked again of an edited FAQ."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.recheck import Changed, Recheck, answered_questions, format_recheck, recheck
from bot.storage import Interaction, InteractionLog
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook
from handlers.messages import Incoming, InKind, Outcome, Reply

ROOT = Path(__file__).resolve().parents[1]
MINI_FAQ = ROOT / "tests" / "data" / "mini_faq.yaml"
CAN_CUOC = "làm căn cước cho con 15 tuổi ở đâu"


@pytest.fixture(scope="module")
def book() -> FaqBook:
    return load_faq(MINI_FAQ)


def row(
    question: str, kind: str = "answer", entry_id: str | None = "can-cuoc", at: float = 1.0
) -> Interaction:
    return Interaction(
        at=at, channel="telegram", user_hash="u", question=question, kind=kind, entry_id=entry_id
    )


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        pytest.param([row(CAN_CUOC)], [CAN_CUOC], id="an-answer"),
        pytest.param(
            [row(CAN_CUOC, at=1), row(CAN_CUOC.upper(), at=2)], [CAN_CUOC.upper()], id="once-latest"
        ),
        pytest.param([row(CAN_CUOC, kind="suggest")], [], id="choices-are-not-answers"),
        pytest.param([row("bao lâu")], [], id="a-short-follow-up"),
        pytest.param([row(CAN_CUOC, entry_id="khong-con")], [], id="an-entry-since-removed"),
        pytest.param([row("xin chào bot nhé", entry_id="chao-hoi")], [], id="small-talk"),
    ],
)
def test_answered_questions(book: FaqBook, rows: list[Interaction], kept: list[str]) -> None:
    assert [r.question for r in answered_questions(rows, book)] == kept


def test_an_edit_that_takes_a_question_to_another_entry_is_listed(book: FaqBook, tmp_path: Path) -> None:
    rows = [row(CAN_CUOC), row("đăng ký tạm trú cho người thuê trọ", entry_id="tam-tru")]
    assert recheck(rows, Matcher(book)) == Recheck(2, ())
    edited = tmp_path / "faq.yaml"
    text = MINI_FAQ.read_text(encoding="utf-8")
    edited.write_text(
        text.replace("    questions:\n", f"    questions:\n      - {CAN_CUOC}\n", 1), encoding="utf-8"
    )
    found = recheck(rows, Matcher(load_faq(edited)))
    assert found == Recheck(2, (Changed(CAN_CUOC, "can-cuoc", "khai-sinh"),))
    lines = format_recheck(found, book, 30)
    assert lines[0].endswith("1 câu nay được trả lời khác —")
    assert lines[1].startswith(f"- «{CAN_CUOC}»: trước «") and "nay «Đăng ký khai sinh»" in lines[1]


def test_check_with_the_config_asks_the_log_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text(MINI_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "log.sqlite3"
    log = InteractionLog(db, salt="s", clock=time.time, linger=0)
    msg = Incoming("telegram", "u1", "u1", InKind.TEXT, CAN_CUOC)
    log.record(msg, Reply("…", outcome=Outcome("answer", "can-cuoc", 90.0, None, CAN_CUOC)))
    log.close()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq:\n  path: {faq}\nstorage:\n  path: {db}\nsemantic:\n  backend: none\n", encoding="utf-8"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    main(["check", "--config", str(config)])
    assert "Hỏi lại 1 câu người dân đã được trả lời trong 30 ngày qua" in capsys.readouterr().out
    edited = faq.read_text(encoding="utf-8").replace(
        "    questions:\n", f"    questions:\n      - {CAN_CUOC}\n", 1
    )
    faq.write_text(edited, encoding="utf-8")
    main(["check", "--config", str(config)])
    out = capsys.readouterr().out
    assert f"- «{CAN_CUOC}»: trước «" in out and "nay «Đăng ký khai sinh»" in out
