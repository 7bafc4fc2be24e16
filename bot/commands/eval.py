"""`faqbot eval CASES.yaml [--faq PATH] [--config PATH] [--json]`: quality figures over labelled questions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.commands.ask import add_faq_options, load_matcher
from bot.oserrors import unreadable
from faq.decision import Kind, MatchResult
from faq.evaluate import CasesError, EvalReport, evaluate, load_cases, unknown_ids

_LABELS = (
    ("answered_correct", "Trả lời đúng (trong phạm vi)", "in_scope"),
    ("helped", "Có giúp được (trả lời hoặc gợi ý đúng)", "in_scope"),
    ("wrong_answer", "Trả lời sai (trong phạm vi)", "in_scope"),
    ("rejected", "Từ chối đúng (ngoài phạm vi)", "out_of_scope"),
    ("false_answer", "Trả lời nhầm (ngoài phạm vi)", "out_of_scope"),
)
_REASONS = {
    "wrong_answer": "trả lời sai mục",
    "not_answered": "chưa trả lời thẳng",
    "not_helped": "không đưa ra mục đúng",
    "false_answer": "trả lời một câu ngoài phạm vi",
    "suggested": "gợi ý cho một câu ngoài phạm vi",
    "facet": "nhận sai phần được hỏi",
}
"""Failure reasons of faq.evaluate, as staff read them."""


def register(subparsers: Any) -> None:
    """Add the `eval` subcommand."""
    parser = subparsers.add_parser(
        "eval",
        help="đo chất lượng trả lời trên một tệp câu hỏi đã gắn nhãn",
        description=(
            "Chạy bộ so khớp trên tệp câu hỏi mẫu (danh sách {q, expect, facet}) và in các tỉ lệ: "
            "trả lời đúng, giúp được, trả lời sai, từ chối đúng, trả lời nhầm."
        ),
    )
    parser.add_argument("cases", metavar="TỆP_CÂU_HỎI", help="tệp YAML các câu hỏi đã gắn nhãn")
    add_faq_options(parser)
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def _percent(value: float, count: int) -> str:
    return f"{value * 100:5.1f}%" if count else "    —"


def print_report(report: EvalReport) -> None:
    """The human-readable report (Vietnamese labels, figures as %)."""
    print(f"Số câu trong phạm vi: {report.in_scope}; ngoài phạm vi: {report.out_of_scope}")
    _print_figures(report)
    faceted = any(f.case.facet for f in report.failures) or report.facet_accuracy > 0
    print(f"  {'Nhận đúng phần được hỏi (facet)':<42} {_percent(report.facet_accuracy, faceted)}")
    rest = report.without_near_copies
    if rest is not None:
        print(
            f"\nCó {report.near_copies} câu gần như chép nguyên một câu mẫu của FAQ (không tính dấu, chữ "
            "hoa hay chữ thường);\ncác câu ấy chỉ cho biết bot nhận ra câu mẫu của chính nó. Tính riêng "
            f"{rest.in_scope + rest.out_of_scope} câu còn lại:"
        )
        _print_figures(rest)
    if report.failures:
        print(f"\nCác câu chưa đạt ({len(report.failures)}):")
    for failure in report.failures:
        expect = ", ".join(failure.case.expect) or "(ngoài phạm vi)"
        reasons = ", ".join(_REASONS.get(reason, reason) for reason in failure.reasons)
        print(
            f"  dòng {failure.case.line}: «{failure.case.q}»\n"
            f"      mong đợi: {expect}; nhận: {_decision(failure.result)}; lý do: {reasons}"
        )


def _print_figures(report: EvalReport) -> None:
    data = report.figures()
    for key, label, count_key in _LABELS:
        print(f"  {label:<42} {_percent(data[key], data[count_key])}")


def _decision(r: MatchResult) -> str:
    """What the matcher did, as staff read it."""
    if r.kind is Kind.ANSWER and r.entry is not None:
        return f"trả lời {r.entry.id} ({r.score:.1f})"
    if r.kind is Kind.SUGGEST:
        return f"gợi ý {', '.join(e.id for e in r.suggestions)} ({r.score:.1f})"
    if r.declined is not None:
        return f"ngoài phạm vi, chỉ sang {r.declined.id} ({r.score:.1f})"
    return f"không trả lời ({r.score:.1f})"


def run(args: argparse.Namespace) -> int:
    """Evaluate the cases and print the report; 0 even when figures are low (it is a report)."""
    # The cases first: a wrong path is told at once, not after the FAQ's vectors are prepared.
    problem = unreadable(args.cases, "tệp câu hỏi")
    if problem is not None:
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 1
    try:
        cases = load_cases(args.cases)
    except CasesError as exc:
        print("Tệp câu hỏi có lỗi:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    matcher = load_matcher(args)
    if isinstance(matcher, int):
        return matcher
    for warning in unknown_ids(cases, matcher.book):
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    report = evaluate(matcher, cases)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0
