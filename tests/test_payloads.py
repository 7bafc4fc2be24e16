"""Button payloads: round trips, the 64-byte limit, and strict decoding of garbage."""

from __future__ import annotations

import pytest

from faq.schema import Facet
from handlers import payloads as p

LONGEST_OK_ID = "a" * 58  # "s:" + id + ":999" is exactly 64 bytes


@pytest.mark.parametrize(
    ("payload", "wire"),
    [
        pytest.param(p.ShowAnswer("khai-sinh"), "a:khai-sinh", id="answer"),
        pytest.param(p.ShowAnswer("khai-sinh", back=True), "b:khai-sinh", id="back"),
        pytest.param(p.PickSuggestion("tam-tru"), "g:tam-tru", id="suggestion"),
        pytest.param(p.PickSuggestion("tam-tru", Facet.DOCUMENTS), "g:tam-tru:d", id="suggestion-with-facet"),
        pytest.param(p.PickSuggestion("tam-tru", beside=True), "v:tam-tru", id="runner-up-beside-an-answer"),
        pytest.param(
            p.PickSuggestion("tam-tru", Facet.FEE, beside=True), "v:tam-tru:f", id="runner-up-with-facet"
        ),
        pytest.param(p.PickSuggestion("a" * 60, Facet.FEE), f"g:{'a' * 60}:f", id="suggestion-64-bytes"),
        pytest.param(p.ShowFacet("tam-tru", Facet.DOCUMENTS), "f:tam-tru:d", id="facet-docs"),
        pytest.param(p.ShowFacet("tam-tru", Facet.FEE), "f:tam-tru:f", id="facet-fee"),
        pytest.param(p.ShowFacet("tam-tru", Facet.POSTAL), "f:tam-tru:p", id="facet-postal"),
        pytest.param(p.ShowStep("ket-hon", 2), "s:ket-hon:2", id="step"),
        pytest.param(p.ShowStep("ket-hon", 999), "s:ket-hon:999", id="step-max"),
        pytest.param(p.ShowCategory("ho-tich"), "c:ho-tich", id="category"),
        pytest.param(p.ShowRelated("ket-hon"), "r:ket-hon", id="related"),
        pytest.param(p.Feedback("ket-hon", up=True), "fb:ket-hon:u", id="feedback-up"),
        pytest.param(p.Feedback("ket-hon", up=False), "fb:ket-hon:d", id="feedback-down"),
        pytest.param(p.ShowMenu(), "m", id="menu"),
        pytest.param(p.NoneOfThese(), "x", id="none-of-these"),
        pytest.param(p.AskStaff(), "h", id="ask-staff"),
        pytest.param(p.ShowContact(), "l", id="contact"),
        pytest.param(p.ShowStep(LONGEST_OK_ID, 999), f"s:{LONGEST_OK_ID}:999", id="64-bytes"),
    ],
)
def test_round_trip(payload: p.Payload, wire: str) -> None:
    assert p.encode(payload) == wire
    assert len(wire.encode()) <= p.MAX_BYTES
    assert p.decode(wire) == payload


@pytest.mark.parametrize("facet", list(Facet), ids=str)
def test_every_facet_round_trips(facet: Facet) -> None:
    payload = p.ShowFacet("can-cuoc", facet)
    assert p.decode(p.encode(payload)) == payload


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        pytest.param(p.ShowStep("a" * 59, 999), "64-byte", id="too-long"),
        pytest.param(p.Feedback("x" * 60, up=True), "64-byte", id="feedback-too-long"),
        pytest.param(p.PickSuggestion("a" * 61, Facet.FEE), "64-byte", id="suggestion-facet-too-long"),
        pytest.param(p.ShowAnswer("Khai Sinh"), "lowercase", id="not-lowercase"),
        pytest.param(p.ShowAnswer("khai:sinh"), "lowercase", id="colon-in-id"),
        pytest.param(p.ShowAnswer(""), "lowercase", id="empty-id"),
        pytest.param(p.ShowCategory("hộ-tịch"), "lowercase", id="accented-category"),
        pytest.param(p.ShowStep("ket-hon", 0), "out of range", id="step-zero"),
        pytest.param(p.ShowStep("ket-hon", 1000), "out of range", id="step-too-big"),
    ],
)
def test_encode_rejects(payload: p.Payload, message: str) -> None:
    with pytest.raises(p.PayloadError, match=message):
        p.encode(payload)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("", id="empty"),
        pytest.param("a:", id="no-id"),
        pytest.param("a:KHAI-SINH", id="upper-case"),
        pytest.param("a:khai sinh", id="space"),
        pytest.param("a:khai-sinh\n", id="trailing-newline"),
        pytest.param(" m", id="leading-space"),
        pytest.param("mm", id="unknown-simple"),
        pytest.param("z:khai-sinh", id="unknown-tag"),
        pytest.param("f:khai-sinh:z", id="unknown-facet"),
        pytest.param("g:khai-sinh:z", id="suggestion-unknown-facet"),
        pytest.param("g:khai-sinh:", id="suggestion-empty-facet"),
        pytest.param("f:khai-sinh", id="facet-missing"),
        pytest.param("s:ket-hon:0", id="step-zero"),
        pytest.param("s:ket-hon:-1", id="step-negative"),
        pytest.param("s:ket-hon:01", id="step-leading-zero"),
        pytest.param("s:ket-hon:1000", id="step-too-big"),
        pytest.param("s:ket-hon:٣", id="arabic-digit"),
        pytest.param("fb:ket-hon:x", id="feedback-bad"),
        pytest.param("fb:ket-hon", id="feedback-missing"),
        pytest.param("a:" + "a" * 70, id="over-64-bytes"),
        pytest.param("a:khai-sinh:extra", id="extra-field"),
        pytest.param("\ud800", id="lone-surrogate"),
        pytest.param("a:\x00", id="nul"),
        pytest.param("🙂", id="emoji"),
    ],
)
def test_decode_garbage_is_none(data: str) -> None:
    assert p.decode(data) is None


def test_decode_non_string_is_none() -> None:
    assert p.decode(None) is None  # type: ignore[arg-type]
