"""`faqbot ask` and `faqbot eval` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini_faq.yaml")
CASES = str(DATA / "mini_cases.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "làm căn cước cần gì", "--faq", MINI, "--json")
    assert code == 0
    data = json.loads(out)
    documented = {"stages", "kind", "entry", "suggestions", "declined", "facet", "legal_opinion", "score"}
    assert set(data) == {*documented, "candidates"}
    assert data["legal_opinion"] is False
    assert data["stages"] == ["lexical", "semantic"]
    assert (data["kind"], data["entry"], data["facet"]) == ("answer", "can-cuoc", "documents")
    assert data["candidates"][0]["id"] == "can-cuoc"
    assert 70 <= data["score"] <= 100  # the confidence that can-cuoc is right, in percent
    assert all(set(c) == {"id", "score"} for c in data["candidates"])


def test_ask_lexical_only_scores_are_the_lexical_ranking(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "làm căn cước cần gì", "--faq", MINI, "--json", "--lexical-only")
    assert code == 0
    data = json.loads(out)
    assert data["stages"] == ["lexical"]
    assert data["candidates"][0] == {"id": "can-cuoc", "score": data["score"]}


def test_ask_json_for_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "😀", "--faq", MINI, "--json")
    assert code == 0
    assert json.loads(out) == {
        "stages": ["lexical", "semantic"], "kind": "none", "entry": None, "suggestions": [],
        "declined": None, "facet": None, "legal_opinion": False, "score": 0.0, "candidates": [],
    }  # fmt: skip


def test_ask_human_output_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "dang ky tam tru online the nao", "--faq", MINI)
    assert code == 0
    assert "Quyết định: trả lời, độ tin cậy " in out and "(trả lời thẳng từ 0,70, gợi ý từ 0,40)" in out
    assert "Mục trả lời: tam-tru — Đăng ký tạm trú" in out
    assert "Phần được hỏi: phần nộp trực tuyến (online)" in out
    assert "Các mục gần nhất (điểm gộp hai cách so khớp, 0–100):" in out


def test_ask_says_when_a_message_names_no_procedure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "thủ tục thế nào", "--faq", MINI, "--lexical-only")
    assert code == 0
    assert "Quyết định: không có câu trả lời" in out
    assert "Tin nhắn không nêu thủ tục nào" in out


def test_ask_with_a_bad_faq_lists_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "faq.yaml"
    bad.write_text("version: 1\nentries: [\n", encoding="utf-8")
    code, out, err = run(capsys, "ask", "hộ chiếu", "--faq", str(bad))
    assert code == 1
    assert out == ""
    assert "Tệp FAQ có lỗi" in err and "faq.yaml" in err


def test_eval_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eval", CASES, "--faq", MINI, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "answered_correct", "helped", "wrong_answer", "rejected", "false_answer",
        "facet_accuracy", "in_scope", "out_of_scope", "near_copies", "without_near_copies",
        "failures",
    }  # fmt: skip
    assert all(0.0 <= data[k] <= 1.0 for k in ("answered_correct", "helped", "rejected"))
    assert data["in_scope"] + data["out_of_scope"] >= 30
    assert all({"q", "expect", "kind", "reasons"} <= set(f) for f in data["failures"])


def test_eval_human_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eval", CASES, "--faq", MINI)
    assert code == 0
    assert "Trả lời đúng (trong phạm vi)" in out and "%" in out
    assert "Từ chối đúng (ngoài phạm vi)" in out


def test_eval_reports_near_copies_of_the_faqs_phrasings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- {q: lam giay khai sinh cho be, expect: [khai-sinh]}\n"
        "- {q: 'mẹ tôi mất hôm qua, giờ làm giấy báo tử ở đâu', expect: [khai-tu]}\n"
        "- {q: giá vàng hôm nay bao nhiêu, expect: []}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "eval", str(cases), "--faq", MINI)
    assert code == 0
    assert "Có 1 câu gần như chép nguyên một câu mẫu của FAQ" in out
    assert "Tính riêng 2 câu còn lại:" in out
    code, out, _ = run(capsys, "eval", str(cases), "--faq", MINI, "--json")
    data = json.loads(out)
    assert data["near_copies"] == 1
    assert (data["without_near_copies"]["in_scope"], data["without_near_copies"]["out_of_scope"]) == (1, 1)


def test_eval_bad_cases_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text("- {q: hộ chiếu, expect: [ho-chieu], facet: gia}\n", encoding="utf-8")
    code, _, err = run(capsys, "eval", str(cases), "--faq", MINI)
    assert code == 1
    assert "dòng 1" in err and "'facet' không hợp lệ 'gia'" in err


def test_eval_warns_about_ids_the_faq_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text("- {q: hộ chiếu, expect: [ho-chieu-moi]}\n", encoding="utf-8")
    code, _, err = run(capsys, "eval", str(cases), "--faq", MINI, "--json")
    assert code == 0
    assert "mã mục 'ho-chieu-moi' không có trong FAQ" in err


def test_console_script_from_the_install() -> None:
    script = Path(sys.executable).with_name("faqbot")
    done = subprocess.run(
        [str(script), "ask", "hộ chiếu", "--faq", MINI, "--json"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["entry"] == "ho-chieu"
