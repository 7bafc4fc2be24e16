"""tools/replay_conversations.py: testers' conversations replayed as the console shows them, and compared."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "replay_conversations", ROOT / "tools" / "replay_conversations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def lexical_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text("semantic:\n  backend: none\n", encoding="utf-8")
    return config


def test_each_message_gets_its_reply_in_its_own_chat(
    tool: ModuleType, tmp_path: Path, lexical_config: Path
) -> None:
    convs = tmp_path / "convs.yaml"
    convs.write_text(
        "- id: A\n  messages: [làm căn cước cần gì, lệ phí bao nhiêu]\n"
        "- id: B\n  messages: [lệ phí bao nhiêu]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    argv = ["run", str(convs), "-o", str(out), "--config", str(lexical_config)]
    assert tool.main([*argv, "--faq", str(DATA / "mini_faq.yaml")]) == 0
    runs = json.loads(out.read_text(encoding="utf-8"))["convs.yaml"]
    assert [ex["message"] for ex in runs["A"]] == ["làm căn cước cần gì", "lệ phí bao nhiêu"]
    # The follow-up in A is about the card; the same words opening chat B name no procedure.
    assert "căn cước" in runs["A"][1]["reply"].lower()
    assert runs["B"][0]["reply"] != runs["A"][1]["reply"]


def test_diff_prints_only_what_changed(tool: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    before = {"f.yaml": {"A": [{"message": "m1", "reply": "r1"}, {"message": "m2", "reply": "r2"}]}}
    after = {"f.yaml": {"A": [{"message": "m1", "reply": "r1"}, {"message": "m2", "reply": "r2 mới"}]}}
    assert tool.diff(before, after) == 1
    printed = capsys.readouterr().out
    assert "A #1: m2" in printed and "r2 mới" in printed and "A #0" not in printed
    assert "1 of 2 replies changed" in printed


def test_a_letter_of_several_paragraphs_is_one_message(
    tool: ModuleType, tmp_path: Path, lexical_config: Path
) -> None:
    # Through the console's stdin each line was a message of its own: the salutation line alone got
    # "em nghe đây", and every later reply was paired with the wrong message (QA round 15).
    letter = "Kính gửi Ủy ban nhân dân phường,\n\nTôi xin hỏi: làm căn cước cần gì ạ?\n\nTôi xin cảm ơn."
    convs = tmp_path / "convs.yaml"
    convs.write_text(
        yaml.safe_dump([{"id": "L", "messages": [letter, "lệ phí bao nhiêu"]}], allow_unicode=True),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    argv = ["run", str(convs), "-o", str(out), "--config", str(lexical_config)]
    assert tool.main([*argv, "--faq", str(DATA / "mini_faq.yaml")]) == 0
    runs = json.loads(out.read_text(encoding="utf-8"))["convs.yaml"]["L"]
    assert [ex["message"] for ex in runs] == [letter, "lệ phí bao nhiêu"]
    assert "căn cước" in runs[0]["reply"].lower()
    assert "lệ phí" in runs[1]["reply"].lower()
