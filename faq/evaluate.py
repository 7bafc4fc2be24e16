"""Labelled question sets (the only reader of eval-case YAML) and the quality figures of a matcher."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from faq.decision import Kind, MatchResult
from faq.matcher import Matcher
from faq.normalize import clean, fold_accents
from faq.schema import Facet, FaqBook

_KEYS = ("q", "expect", "facet")
_FACETS = ", ".join(f.value for f in Facet)


class CasesError(Exception):
    """The case file cannot be used; `problems` lists every reason (Vietnamese, with line)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled question; an empty `expect` means out of scope (answer nothing)."""

    q: str
    expect: tuple[str, ...]
    facet: Facet | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Failure:
    """A case the matcher got wrong, and how."""

    case: Case
    result: MatchResult
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        r = self.result
        return {
            "q": self.case.q,
            "line": self.case.line,
            "expect": list(self.case.expect),
            "facet": self.case.facet.value if self.case.facet else None,
            "kind": r.kind.value,
            "entry": r.entry.id if r.entry else None,
            "suggestions": [e.id for e in r.suggestions],
            "got_facet": r.facet.value if r.facet else None,
            "score": r.score,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Quality figures over a case set (fractions 0–1) and the failures."""

    answered_correct: float
    helped: float
    wrong_answer: float
    rejected: float
    false_answer: float
    facet_accuracy: float
    in_scope: int
    out_of_scope: int
    failures: tuple[Failure, ...]
    faceted: int = 0
    """Cases that name the facet they ask (the denominator of facet_accuracy)."""
    near_copies: int = 0
    """Cases whose question nearly repeats a phrasing of the FAQ (near_copies)."""
    without_near_copies: EvalReport | None = None
    """The same figures over the other cases (None when there is no near copy)."""

    def figures(self) -> dict[str, Any]:
        """The figures and counts, without the failures."""
        return {
            "answered_correct": self.answered_correct,
            "helped": self.helped,
            "wrong_answer": self.wrong_answer,
            "rejected": self.rejected,
            "false_answer": self.false_answer,
            "facet_accuracy": self.facet_accuracy,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
        }

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys `faqbot eval --json` prints."""
        rest = self.without_near_copies
        return {
            **self.figures(),
            "near_copies": self.near_copies,
            "without_near_copies": rest.figures() if rest is not None else None,
            "failures": [f.to_dict() for f in self.failures],
        }


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def load_cases(path: str | Path) -> tuple[Case, ...]:
    """Read a YAML list of {q, expect, facet?}; raise CasesError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CasesError([f"{path}: không tìm thấy tệp."]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CasesError([f"{path}: không đọc được tệp ({exc})."]) from None
    return parse_cases(text, str(path))


def parse_cases(text: str, source: str = "<cases>") -> tuple[Case, ...]:
    """Parse case YAML text; raise CasesError listing every problem with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" dòng {mark.line + 1}" if mark is not None else ""
        raise CasesError([f"{source}{where}: tệp không đúng cú pháp YAML."]) from None
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode):
        raise CasesError([f"{source} dòng {_line(root)}: tệp phải là một danh sách các câu hỏi (- q: ...)."])
    cases: list[Case] = []
    problems: list[str] = []
    for item in root.value:
        case = _case(item, source, problems)
        if case is not None:
            cases.append(case)
    if problems:
        raise CasesError(problems)
    return tuple(cases)


def _case(node: yaml.Node, source: str, problems: list[str]) -> Case | None:
    where = f"{source} dòng {_line(node)}"
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{where}: mỗi mục phải có dạng {{q: câu hỏi, expect: [mã mục]}}.")
        return None
    fields: dict[str, yaml.Node] = {}
    before = len(problems)
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in _KEYS:
            problems.append(
                f"{source} dòng {_line(key_node)}: khóa không rõ '{key}' (chỉ dùng q, expect, facet)."
            )
        elif key in fields:
            problems.append(f"{source} dòng {_line(key_node)}: khóa '{key}' bị lặp.")
        else:
            fields[key] = value_node
    q_node = fields.get("q")
    q = ""
    if q_node is None:
        problems.append(f"{where}: thiếu câu hỏi 'q'.")
    elif not isinstance(q_node, yaml.ScalarNode) or not str(q_node.value).strip():
        problems.append(f"{source} dòng {_line(q_node)}: 'q' phải là một câu hỏi, không để trống.")
    else:
        q = str(q_node.value)
    expect: list[str] = []
    e_node = fields.get("expect")
    if e_node is None:
        problems.append(f"{where}: thiếu 'expect' (danh sách mã mục; để [] nếu ngoài phạm vi).")
    elif not isinstance(e_node, yaml.SequenceNode) or not all(
        isinstance(v, yaml.ScalarNode) and v.value.strip() for v in e_node.value
    ):
        problems.append(f"{source} dòng {_line(e_node)}: 'expect' phải là danh sách mã mục, ví dụ [tam-tru].")
    else:
        expect = [str(v.value).strip() for v in e_node.value]
    facet: Facet | None = None
    f_node = fields.get("facet")
    if f_node is not None and not (isinstance(f_node, yaml.ScalarNode) and f_node.tag.endswith("null")):
        value = str(f_node.value).strip() if isinstance(f_node, yaml.ScalarNode) else ""
        try:
            facet = Facet(value)
        except ValueError:
            problems.append(
                f"{source} dòng {_line(f_node)}: 'facet' không hợp lệ '{value}' (chọn một trong: {_FACETS})."
            )
    if len(problems) > before:
        return None
    return Case(q, tuple(expect), facet, _line(node))


def unknown_ids(cases: Iterable[Case], book: FaqBook) -> list[str]:
    """Warnings (Vietnamese) for expected ids the FAQ does not have."""
    return [
        f"dòng {c.line}: mã mục '{entry_id}' không có trong FAQ."
        for c in cases
        for entry_id in c.expect
        if book.entry(entry_id) is None
    ]


COPY_SIMILARITY = 90.0
"""A labelled question at least this alike (rapidfuzz ratio, 0-100, on the accents-off lower-case text)
to a title or phrasing of the FAQ is a near copy of it: "quen mat khau vneid thi lam sao" of "quên mật
khẩu vneid thì làm sao". Such a question measures only that the matcher finds its own phrasing."""


def _copy_key(text: str) -> str:
    return fold_accents(clean(text))


def near_copies(
    book: FaqBook, cases: Iterable[Case], similarity: float = COPY_SIMILARITY
) -> tuple[Case, ...]:
    """The cases whose question nearly repeats a title or phrasing of the FAQ (accents, case and
    punctuation ignored)."""
    phrasings = sorted({_copy_key(t) for e in book.entries for t in (e.title, *e.questions)})
    out = []
    for case in cases:
        key = _copy_key(case.q)
        if process.extractOne(key, phrasings, scorer=fuzz.ratio, score_cutoff=similarity) is not None:
            out.append(case)
    return tuple(out)


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def evaluate(matcher: Matcher, cases: Iterable[Case]) -> EvalReport:
    """Run every case through the matcher and compute the figures of `faqbot eval`, over all cases
    and over those that are not near copies of the FAQ's phrasings."""
    cases = tuple(cases)
    outcomes = [(case, matcher.match(case.q)) for case in cases]
    copies = {id(case) for case in near_copies(matcher.book, cases)}
    report = _report(outcomes)
    if not copies:
        return report
    rest = _report([(case, result) for case, result in outcomes if id(case) not in copies])
    return replace(report, near_copies=len(copies), without_near_copies=rest)


def _report(outcomes: Sequence[tuple[Case, MatchResult]]) -> EvalReport:
    """The figures over already matched cases."""
    in_scope = out_scope = correct = helped = wrong = rejected = false_answer = 0
    faceted = facet_right = 0
    failures: list[Failure] = []
    for case, result in outcomes:
        reasons: list[str] = []
        answer = result.entry.id if result.kind is Kind.ANSWER and result.entry else None
        if case.expect:
            in_scope += 1
            offered = {answer} | {e.id for e in result.suggestions}
            if answer in case.expect:
                correct += 1
            elif answer is not None:
                wrong += 1
                reasons.append("wrong_answer")
            else:
                reasons.append("not_answered")
            if offered & set(case.expect):
                helped += 1
            else:
                reasons.append("not_helped")
        else:
            out_scope += 1
            if result.kind is Kind.NONE:
                rejected += 1
            elif answer is not None:
                false_answer += 1
                reasons.append("false_answer")
            else:
                reasons.append("suggested")
        if case.facet is not None:
            faceted += 1
            if result.facet is case.facet:
                facet_right += 1
            else:
                reasons.append("facet")
        if reasons:
            failures.append(Failure(case, result, tuple(reasons)))
    return EvalReport(
        answered_correct=_share(correct, in_scope),
        helped=_share(helped, in_scope),
        wrong_answer=_share(wrong, in_scope),
        rejected=_share(rejected, out_scope),
        false_answer=_share(false_answer, out_scope),
        facet_accuracy=_share(facet_right, faceted),
        in_scope=in_scope,
        out_of_scope=out_scope,
        failures=tuple(failures),
        faceted=faceted,
    )
