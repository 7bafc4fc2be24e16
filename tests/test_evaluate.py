"""Labelled case files (reading, errors with lines) and the figures of `faqbot eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.decision import Kind, MatchResult
from faq.evaluate import (
    Case,
    CasesError,
    evaluate,
    load_cases,
    near_copies,
    parse_cases,
    unknown_ids,
)
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import Entry, Facet, FaqBook

DATA = Path(__file__).parent / "data"


def test_reads_cases_with_lines_and_facets() -> None:
    text = (
        "# comment\n"
        "- {q: làm căn cước cần gì, expect: [can-cuoc], facet: documents}\n"
        "- q: đăng ký sim chính chủ\n"
        "  expect: []\n"
        "- {q: 'hộ chiếu', expect: [ho-chieu, can-cuoc], facet: null}\n"
    )
    assert parse_cases(text) == (
        Case("làm căn cước cần gì", ("can-cuoc",), Facet.DOCUMENTS, 2),
        Case("đăng ký sim chính chủ", (), None, 3),
        Case("hộ chiếu", ("ho-chieu", "can-cuoc"), None, 5),
    )


def test_the_shipped_mini_cases_load() -> None:
    cases = load_cases(DATA / "mini_cases.yaml")
    assert len(cases) >= 30
    assert any(not c.expect for c in cases) and any(c.facet for c in cases)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("- {q: a, expect: [x]\n", "dòng 2: tệp không đúng cú pháp YAML", id="bad-yaml"),
        pytest.param("q: a\nexpect: []\n", "dòng 1: tệp phải là một danh sách", id="not-a-list"),
        pytest.param("- hello\n", "dòng 1: mỗi mục phải có dạng", id="item-not-a-mapping"),
        pytest.param("- {expect: [x]}\n", "dòng 1: thiếu câu hỏi 'q'", id="missing-q"),
        pytest.param("- {q: '  ', expect: [x]}\n", "dòng 1: 'q' phải là một câu hỏi", id="empty-q"),
        pytest.param("- {q: a}\n", "dòng 1: thiếu 'expect'", id="missing-expect"),
        pytest.param("- {q: a, expect: x}\n", "dòng 1: 'expect' phải là danh sách", id="expect-str"),
        pytest.param(
            "- {q: a, expect: [x], facet: price}\n", "dòng 1: 'facet' không hợp lệ 'price'",
            id="bad-facet",
        ),
        pytest.param(
            "- q: a\n  expect: [x]\n  exepct: [y]\n", "dòng 3: khóa không rõ 'exepct'",
            id="unknown-key",
        ),
    ],
)  # fmt: skip
def test_bad_files_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(CasesError) as caught:
        parse_cases(text, "cases.yaml")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
    assert all(problem.startswith("cases.yaml") for problem in caught.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(CasesError) as caught:
        parse_cases("- {q: a}\n- {expect: [x]}\n- {q: b, expect: [y], facet: z}\n", "c.yaml")
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "c.yaml dòng 1", "c.yaml dòng 2", "c.yaml dòng 3"
    ]  # fmt: skip


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CasesError, match="không tìm thấy tệp"):
        load_cases(tmp_path / "nope.yaml")


def test_unknown_ids_are_warned() -> None:
    book = load_faq(DATA / "mini_faq.yaml")
    cases = (Case("x", ("can-cuoc", "khong-co"), None, 7),)
    assert unknown_ids(cases, book) == ["dòng 7: mã mục 'khong-co' không có trong FAQ."]


class _Scripted:
    """Stands in for a Matcher: answers each question with a scripted result."""

    def __init__(self, script: dict[str, tuple[Kind, tuple[str, ...], Facet | None]]) -> None:
        self.script = script
        self.book = load_faq(DATA / "mini_faq.yaml")

    def match(self, text: str) -> MatchResult:
        kind, ids, facet = self.script[text]
        entries = tuple(Entry(id=i, category="c", title=i, questions=(i,)) for i in ids)
        if kind is Kind.ANSWER:
            return MatchResult(kind, 90.0, entry=entries[0], facet=facet)
        return MatchResult(kind, 60.0, suggestions=entries, facet=facet)


def test_figures_follow_the_definitions() -> None:
    script = {
        "right": (Kind.ANSWER, ("a",), Facet.FEE),
        "wrong": (Kind.ANSWER, ("b",), None),
        "suggested": (Kind.SUGGEST, ("b", "a"), Facet.TIME),
        "missed": (Kind.NONE, (), None),
        "out-none": (Kind.NONE, (), None),
        "out-suggest": (Kind.SUGGEST, ("a",), None),
        "out-answer": (Kind.ANSWER, ("a",), None),
        "out-none-2": (Kind.NONE, (), None),
    }
    cases = [
        Case("right", ("a",), Facet.FEE),
        Case("wrong", ("a",)),
        Case("suggested", ("a", "c"), Facet.FEE),
        Case("missed", ("a",)),
        Case("out-none", ()),
        Case("out-suggest", ()),
        Case("out-answer", ()),
        Case("out-none-2", ()),
    ]
    report = evaluate(_Scripted(script), cases)  # type: ignore[arg-type]
    figures = report.to_dict()
    failures = figures.pop("failures")
    assert figures == {
        "answered_correct": 0.25,
        "helped": 0.5,
        "wrong_answer": 0.25,
        "rejected": 0.5,
        "false_answer": 0.25,
        "facet_accuracy": 0.5,
        "in_scope": 4,
        "out_of_scope": 4,
        "near_copies": 0,
        "without_near_copies": None,
    }
    assert {f["q"]: f["reasons"] for f in failures} == {
        "wrong": ["wrong_answer", "not_helped"],
        "suggested": ["not_answered", "facet"],
        "missed": ["not_answered", "not_helped"],
        "out-suggest": ["suggested"],
        "out-answer": ["false_answer"],
    }


def test_empty_sets_give_zero_not_an_error() -> None:
    report = evaluate(_Scripted({}), [])  # type: ignore[arg-type]
    assert (report.in_scope, report.out_of_scope, report.helped, report.failures) == (0, 0, 0.0, ())


def test_mini_faq_quality() -> None:
    book: FaqBook = load_faq(DATA / "mini_faq.yaml")
    report = evaluate(Matcher(book), load_cases(DATA / "mini_cases.yaml"))
    assert report.wrong_answer == 0.0 and report.false_answer == 0.0
    assert report.helped >= 0.85 and report.rejected >= 0.9 and report.answered_correct >= 0.6


@pytest.mark.parametrize(
    ("question", "copied"),
    [
        pytest.param("làm giấy khai sinh cho con cần những gì", True, id="verbatim"),
        pytest.param("lam giay khai sinh cho con can nhung gi", True, id="accents-off"),
        pytest.param("Làm giấy khai sinh cho con cần những gì ạ?", True, id="particle-and-punctuation"),
        pytest.param("LAM GIAY KHAI SINH CHO BE", True, id="upper-case-accents-off"),
        pytest.param("Đăng ký khai sinh", True, id="the-title"),
        pytest.param("con tôi sinh ở bệnh viện tỉnh thì làm khai sinh ở phường nào", False, id="own-words"),
        pytest.param("làm giấy khai sinh", False, id="shorter-than-any-phrasing"),
        pytest.param("đăng ký kết hôn cần những giấy tờ gì ở xã của vợ", False, id="copy-with-more-said"),
    ],
)
def test_near_copies_of_the_faqs_phrasings(question: str, copied: bool) -> None:
    book = load_faq(DATA / "mini_faq.yaml")
    case = Case(question, ("khai-sinh",))
    assert near_copies(book, [case]) == ((case,) if copied else ())


def test_figures_are_also_given_without_the_near_copies() -> None:
    book = load_faq(DATA / "mini_faq.yaml")
    copy = Case("lam giay khai sinh cho be", ("khai-sinh",))
    own = Case("mẹ tôi mất hôm qua, giờ làm giấy báo tử ở đâu", ("khai-tu",))
    out = Case("giá vàng hôm nay bao nhiêu", ())
    report = evaluate(Matcher(book), [copy, own, out])
    assert report.near_copies == 1
    rest = report.without_near_copies
    assert rest is not None
    assert (rest.in_scope, rest.out_of_scope) == (1, 1)
    assert rest.figures() == evaluate(Matcher(book), [own, out]).figures()
    assert report.to_dict()["without_near_copies"] == rest.figures()


def test_no_near_copy_means_no_second_report() -> None:
    book = load_faq(DATA / "mini_faq.yaml")
    report = evaluate(Matcher(book), [Case("mẹ tôi mất hôm qua, giờ làm giấy báo tử ở đâu", ("khai-tu",))])
    assert (report.near_copies, report.without_near_copies) == (0, None)
