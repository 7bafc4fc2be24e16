"""Issue 17, first slice: candidates from a seeded interaction log, and their safe write-back."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.learn import (
    Candidate,
    ConcurrentEdit,
    FaqFile,
    Refused,
    Rejections,
    audit_path,
    clean_phrasing,
    find_candidates,
    load_rejections,
    rejected_path,
)
from bot.storage import Interaction, InteractionLog
from faq.decision import MatchSettings
from faq.loader import load_faq
from faq.matcher import Matcher
from handlers.messages import Incoming, InKind, Outcome, Reply
from handlers.privacy import MASKS

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
CCCD = "001203004567"
PHONE = "0912345678"


class Seeder:
    """Writes exchanges through the real InteractionLog.record (masking, hashing), one second apart."""

    def __init__(self, path: Path) -> None:
        self.now = 1_760_000_000.0
        self.log = InteractionLog(path, salt="s", clock=self.clock, linger=0)

    def clock(self) -> float:
        self.now += 1
        return self.now

    def ask(self, user: str, text: str, kind: str, entry_id: str | None = None) -> None:
        """A typed question and what the bot decided."""
        msg = Incoming("telegram", user, user, InKind.TEXT, text)
        self.log.record(msg, Reply("…", outcome=Outcome(kind, entry_id, 50.0, None, text)))

    def press(self, user: str, kind: str, entry_id: str) -> None:
        """A button (pick of a suggestion, 👍, 👎): logged with its payload, as the channels do."""
        payload = {"suggest:accepted": f"s:{entry_id}:1", "feedback:up": f"f:{entry_id}:1"}.get(kind, "x")
        msg = Incoming("telegram", user, user, InKind.BUTTON, payload)
        self.log.record(msg, Reply("…", outcome=Outcome(kind, entry_id)))

    def rows(self) -> list[Interaction]:
        return self.log.rows()


@pytest.fixture
def seeder(tmp_path: Path) -> Iterator[Seeder]:
    s = Seeder(tmp_path / "var" / "faqbot.sqlite3")
    yield s
    s.log.close()


def seed_office(s: Seeder) -> None:
    """A week at the office, told in exchanges."""
    # Two citizens pick "kết hôn" among the suggestions for the same wording; one also presses 👍.
    s.ask("u1", "thủ tục cưới vợ ở phường", "suggest", "khai-sinh")
    s.press("u1", "suggest:accepted", "ket-hon")
    s.press("u1", "feedback:up", "ket-hon")
    s.ask("u2", "Thủ tục cưới vợ ở phường?", "suggest", "khai-sinh")
    s.press("u2", "suggest:accepted", "ket-hon")
    # A pick followed by 👎: not a confirmation.
    s.ask("u3", "giấy tờ nhà đất cần gì", "suggest", "chung-thuc-ban-sao")
    s.press("u3", "suggest:accepted", "chung-thuc-ban-sao")
    s.press("u3", "feedback:down", "chung-thuc-ban-sao")
    # Answered, then 👍, with a personal number and a phone in the question.
    s.ask("u4", f"cccd {CCCD} bị mất thì làm lại ở đâu gọi {PHONE}", "answer", "can-cuoc")
    s.press("u4", "feedback:up", "can-cuoc")
    # Answered without 👍: nothing learnt.
    s.ask("u5", "làm hộ chiếu cho con nhỏ", "answer", "ho-chieu")
    # A pick from an older list, after another question: which question it answers is unknown.
    s.ask("u6", "đăng ký tạm trú cho người thuê", "suggest", "tam-tru")
    s.ask("u6", "cảm ơn nhiều nhé", "answer", "cam-on")
    s.press("u6", "suggest:accepted", "tam-tru")
    # Already in the FAQ (one of khai-sinh's questions, typed without accents): not offered.
    s.ask("u7", "lam giay khai sinh cho be", "suggest", "khai-sinh")
    s.press("u7", "suggest:accepted", "khai-sinh")
    # Unanswered, three times in two wordings, one with a phone number.
    s.ask("u8", "xin cấp phép xây dựng nhà ở", "none")
    s.ask("u9", "xin cap phep xay dung nha o", "none")
    s.ask("u10", f"xin cấp phép xây dựng nhà ở, sđt {PHONE}", "none")


def test_candidates_from_a_seeded_log(seeder: Seeder) -> None:
    seed_office(seeder)
    book = load_faq(MINI_FAQ)
    found = find_candidates(seeder.rows(), book, Rejections())
    summary = [(c.entry_id, c.phrasing, c.citizens, c.picks, c.thumbs_up) for c in found]
    assert summary == [
        ("ket-hon", "thủ tục cưới vợ ở phường", 2, 2, 1),
        ("can-cuoc", "cccd bị mất thì làm lại ở đâu gọi", 1, 0, 1),
        (None, "xin cấp phép xây dựng nhà ở", 3, 0, 0),
    ]
    assert found[0].examples == ("thủ tục cưới vợ ở phường", "Thủ tục cưới vợ ở phường")
    assert found[2].is_new and not found[0].is_new


CORRECTION = "thủ tục đi đăng ký kết hôn cho hai đứa"


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        pytest.param(
            [("alternative:accepted", "ket-hon")],
            [("ket-hon", CORRECTION)],
            id="runner-up-beside-the-answer-picked",
        ),
        pytest.param(
            [("feedback:down", "khai-sinh")], [(None, CORRECTION)], id="disliked-answer-is-unanswered"
        ),
        pytest.param(
            [("alternative:accepted", "khai-sinh")], [], id="the-answer-opened-again-confirms-nothing-new"
        ),
        pytest.param(
            [("feedback:down", "khai-sinh"), ("alternative:accepted", "ket-hon")],
            [("ket-hon", CORRECTION)],
            id="disliked-then-corrected",
        ),
    ],
)
def test_what_a_citizen_did_after_a_wrong_answer_teaches(
    seeder: Seeder, after: list[tuple[str, str]], expected: list[tuple[str | None, str]]
) -> None:
    # The clerk's citizen got «khai sinh» for a marriage question, then chose the runner-up offered
    # beside it, or pressed 👎: neither reached `faqbot learn`.
    seeder.ask("u1", CORRECTION, "answer", "khai-sinh")
    for kind, entry_id in after:
        seeder.press("u1", kind, entry_id)
    found = find_candidates(seeder.rows(), load_faq(MINI_FAQ), Rejections())
    assert [(c.entry_id, c.phrasing) for c in found] == expected


def test_a_pick_followed_by_that_is_wrong_is_no_confirmation(seeder: Seeder) -> None:
    seeder.ask("u1", "thủ tục cưới vợ ở phường", "suggest", "khai-sinh")
    seeder.press("u1", "suggest:accepted", "ket-hon")
    seeder.ask("u1", "sai rồi", "wrong")
    seeder.ask("u2", "giấy tờ cưới xin ở phường", "suggest", "khai-sinh")
    seeder.press("u2", "suggest:accepted", "ket-hon")

    found = find_candidates(seeder.rows(), load_faq(MINI_FAQ), Rejections())

    assert [(c.phrasing, c.citizens) for c in found if c.entry_id == "ket-hon"] == [
        ("giấy tờ cưới xin ở phường", 1)
    ]


def test_a_personal_number_never_reaches_a_candidate(seeder: Seeder) -> None:
    seed_office(seeder)
    # An older log row written before masking existed: masked again on the way out.
    seeder.log.add(
        Interaction(seeder.clock(), "telegram", "old", f"số cccd {CCCD} mất làm lại", "answer", "can-cuoc")
    )
    seeder.log.add(Interaction(seeder.clock(), "telegram", "old", "", "feedback:up", "can-cuoc"))
    found = find_candidates(seeder.rows(), load_faq(MINI_FAQ), Rejections())
    assert any(c.phrasing == "số cccd mất làm lại" for c in found)
    text = json.dumps([[c.phrasing, *c.examples, c.key] for c in found], ensure_ascii=False)
    for secret in (CCCD, PHONE, "012030", "091234"):
        assert secret not in text
    for mask in MASKS:  # the masks themselves are not phrasings either
        assert mask not in text


def test_rejected_before_and_min_citizens(seeder: Seeder) -> None:
    seed_office(seeder)
    book = load_faq(MINI_FAQ)
    first = find_candidates(seeder.rows(), book, Rejections())
    rejections = Rejections()
    rejections.add(first[0], "cb", "2026-01-01")
    rejections.add(first[2], "cb", "2026-01-01")
    again = find_candidates(seeder.rows(), book, rejections)
    assert [c.entry_id for c in again] == ["can-cuoc"]
    assert [c.phrasing for c in find_candidates(seeder.rows(), book, Rejections(), min_citizens=2)] == [
        "thủ tục cưới vợ ở phường",
        "xin cấp phép xây dựng nhà ở",
    ]


def test_a_phrasing_meaning_nothing_alone_is_left_out(seeder: Seeder) -> None:
    # A follow-up answered from the context, then 👍 (politeness alone has no key: never offered).
    seeder.ask("u1", "làm giấy kết hôn ở đâu", "answer", "ket-hon")
    seeder.ask("u1", "còn lệ phí thì sao", "answer", "ket-hon")
    seeder.press("u1", "feedback:up", "ket-hon")
    seeder.ask("u2", "cho em hỏi với ạ", "suggest", "khai-sinh")
    seeder.press("u2", "suggest:accepted", "khai-sinh")
    # "thủ tục thế nào" names no procedure: answered from the context too, never a phrasing of it.
    seeder.ask("u3", "đăng ký khai tử ở đâu", "answer", "khai-tu")
    seeder.ask("u3", "thủ tục thế nào", "answer", "khai-tu")
    seeder.press("u3", "feedback:up", "khai-tu")
    book = load_faq(MINI_FAQ)
    without = find_candidates(seeder.rows(), book, Rejections())
    assert sorted(c.phrasing for c in without) == ["còn lệ phí thì sao", "thủ tục thế nào"]
    assert find_candidates(seeder.rows(), book, Rejections(), matcher=Matcher(book, MatchSettings())) == ()


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        pytest.param("làm khai sinh ở đâu ạ?", "làm khai sinh ở đâu ạ", id="trailing-mark"),
        pytest.param(f"mất cccd {CCCD} làm sao", "mất cccd làm sao", id="number-masked-and-dropped"),
        pytest.param("tôi tên [tên] muốn hỏi  khai tử", "tôi tên muốn hỏi khai tử", id="mask-dropped"),
        pytest.param(
            f"tôi là Nguyễn Văn An, nhà ở số 5 ngõ 7, số cccd {CCCD}, hỏi trợ cấp thất nghiệp",
            "hỏi trợ cấp thất nghiệp",
            id="clauses-with-personal-data-left-out",
        ),
        pytest.param(
            "chào ad, cho em hỏi làm căn cước cho con 10 tuổi được không ạ",
            "cho em hỏi làm căn cước cho con 10 tuổi được không ạ",
            id="greeting-set-aside",
        ),
        pytest.param("s:ket-hon:1", None, id="button-payload"),
        pytest.param("khai\x1b[31m sinh\u202e con", "khai sinh con", id="escapes-dropped"),
        pytest.param("alo", None, id="one-word"),
        pytest.param("xin hỏi " * 40, None, id="a-letter"),
        pytest.param("", None, id="empty"),
    ],
)
def test_clean_phrasing(logged: str, expected: str | None) -> None:
    assert clean_phrasing(logged) == expected


# -- write-back ---------------------------------------------------------------------------------


@pytest.fixture
def faq_path(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "faq.yaml"
    path.parent.mkdir()
    text = MINI_FAQ.read_text(encoding="utf-8").replace(
        "    keywords: [kết hôn,", "      # thêm cách hỏi mới ở trên dòng này\n    keywords: [kết hôn,", 1
    )
    assert "# thêm cách hỏi mới" in text
    path.write_text(text, encoding="utf-8")
    return path


def test_write_back_adds_one_line(faq_path: Path) -> None:
    before = faq_path.read_bytes()
    faq = FaqFile.read(faq_path)
    after = faq.add_phrasing("ket-hon", "thủ tục cưới vợ ở phường")
    written = faq_path.read_bytes()
    assert after.data == written and after.sha256 != faq.sha256
    old_lines, new_lines = before.split(b"\n"), written.split(b"\n")
    added = [line for line in new_lines if line not in old_lines]
    assert added == ["      - thủ tục cưới vợ ở phường".encode()]
    assert [line for line in new_lines if line not in added] == old_lines
    entry = after.book.entry("ket-hon")
    assert entry is not None and entry.questions[-1] == "thủ tục cưới vợ ở phường"
    assert not list(faq_path.parent.glob(".*.tmp"))


def test_a_concurrent_hand_edit_is_detected(faq_path: Path) -> None:
    faq = FaqFile.read(faq_path)
    hand_edit = faq_path.read_text(encoding="utf-8").replace("UBND phường Mẫu", "UBND phường Mới")
    faq_path.write_text(hand_edit, encoding="utf-8")
    with pytest.raises(ConcurrentEdit):
        faq.add_phrasing("ket-hon", "thủ tục cưới vợ ở phường")
    assert faq_path.read_text(encoding="utf-8") == hand_edit
    assert not list(faq_path.parent.glob(".*.tmp"))


def test_a_phrasing_that_breaks_lint_is_refused(faq_path: Path) -> None:
    before = faq_path.read_bytes()
    faq = FaqFile.read(faq_path)
    # khai-sinh's own question, offered for ket-hon: the two entries would answer alike.
    with pytest.raises(Refused) as refused:
        faq.add_phrasing("ket-hon", "làm giấy khai sinh cho con cần những gì")
    reasons = "\n".join(refused.value.reasons)
    assert "khai-sinh" in reasons and "ket-hon" in reasons
    # Located in the real file (not the temporary one) with its line, as `faqbot check` says it.
    assert reasons.startswith(f"{faq_path}:") and ".tmp" not in reasons
    assert faq_path.read_bytes() == before
    assert not list(faq_path.parent.glob(".*.tmp"))


def test_an_unknown_entry_is_refused(faq_path: Path) -> None:
    with pytest.raises(Refused, match="không tìm thấy"):
        FaqFile.read(faq_path).add_phrasing("khong-co", "câu hỏi nào đó")


# -- the command --------------------------------------------------------------------------------


def write_config(tmp_path: Path, faq_path: Path, db_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq:\n  path: {faq_path}\nstorage:\n  path: {db_path}\n  salt: s\nsemantic:\n  backend: none\n",
        encoding="utf-8",
    )
    return config


def seeded_config(tmp_path: Path, faq_path: Path, seeder: Seeder) -> Path:
    """A config over `faq_path` and a log holding seed_office's week (closed, as after the bot stops)."""
    seed_office(seeder)
    seeder.log.close()
    return write_config(tmp_path, faq_path, seeder.log.path)


def run_learn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], answers: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    code = main(["learn", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


OUT_OF_SCOPE_ENTRY = """
  - id: khoi-kien
    category: out-of-scope
    title: Khởi kiện, tranh chấp
    questions:
      - muốn kiện ra tòa thì làm sao
    summary: Việc khởi kiện do Tòa án nhân dân giải quyết.
"""


def test_cli_adds_a_wording_to_a_topic_the_office_does_not_handle(
    tmp_path: Path,
    faq_path: Path,
    seeder: Seeder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = faq_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + OUT_OF_SCOPE_ENTRY
    faq_path.write_text(text, encoding="utf-8")
    config = seeded_config(tmp_path, faq_path, seeder)
    code, out, _ = run_learn(
        monkeypatch, capsys, "m\nkhoi-kien\n", "--config", str(config), "--since", "3650d"
    )
    assert code == 0, out
    # It said "Không có mục 'khoi-kien'" though `check` accepts the entry.
    assert "Mục 'khoi-kien' là việc ngoài phạm vi" in out
    entry = load_faq(faq_path).entry("khoi-kien")
    assert entry is not None and "thủ tục cưới vợ ở phường" in entry.questions


def test_cli_end_to_end(
    tmp_path: Path,
    faq_path: Path,
    seeder: Seeder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = seeded_config(tmp_path, faq_path, seeder)
    before = faq_path.read_text(encoding="utf-8")
    code, out, _ = run_learn(monkeypatch, capsys, "", "--config", str(config), "--list", "--since", "3650d")
    assert code == 0
    assert "Cách hỏi mới cho mục 'ket-hon' — Đăng ký kết hôn" in out
    assert "Bằng chứng: 2 người dân (2 lần chọn gợi ý này, 1 lần bấm 👍 sau câu trả lời)" in out
    assert "Có 3 cách hỏi cần duyệt" in out
    assert faq_path.read_text(encoding="utf-8") == before

    # Accept the first, misunderstand then reject the second, attach the group to an entry, after a typo.
    answers = "c\nx\nt\nm\nxay-dung\ntam-tru\n"
    code, out, _ = run_learn(
        monkeypatch, capsys, answers, "--config", str(config), "--since", "3650d", "--by", "Chị Lan"
    )
    assert code == 0, out
    assert "Đã thêm «thủ tục cưới vợ ở phường» vào mục 'ket-hon'." in out
    assert "Chưa hiểu lựa chọn này" in out
    assert "Không có mục 'xay-dung'. Có phải:" in out
    assert "Đã thêm 2 cách hỏi, từ chối 1, bỏ qua 0." in out
    book = load_faq(faq_path)
    ket_hon = book.entry("ket-hon")
    assert ket_hon is not None and "thủ tục cưới vợ ở phường" in ket_hon.questions
    audit = [json.loads(line) for line in audit_path(faq_path).read_text(encoding="utf-8").splitlines()]
    # Office time, like the staff group's decisions in the same file (it was UTC).
    assert all(a["at"].endswith("+07:00") for a in audit)
    assert [(a["action"], a["entry"], a["by"]) for a in audit][:2] == [
        ("add", "ket-hon", "Chị Lan"),
        ("reject", "can-cuoc", "Chị Lan"),
    ]
    rejected = load_rejections(rejected_path(seeder.log.path))
    assert [(i["entry"], i["text"]) for i in rejected.items] == [
        ("can-cuoc", "cccd bị mất thì làm lại ở đâu gọi")
    ]
    tam_tru = book.entry("tam-tru")
    assert tam_tru is not None and tam_tru.questions[-1] == "xin cấp phép xây dựng nhà ở"

    # Nothing accepted or rejected comes back.
    code, out, _ = run_learn(monkeypatch, capsys, "", "--config", str(config), "--list", "--since", "3650d")
    assert "ket-hon" not in out and "can-cuoc" not in out and "xây dựng" not in out
    assert "Không có cách hỏi mới nào cần duyệt." in out


def test_cli_stops_at_end_of_input_and_on_a_concurrent_edit(
    tmp_path: Path,
    faq_path: Path,
    seeder: Seeder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = seeded_config(tmp_path, faq_path, seeder)
    code, out, _ = run_learn(monkeypatch, capsys, "b\n", "--config", str(config), "--since", "3650d")
    assert code == 0
    assert "Hết dữ liệu nhập: dừng duyệt." in out and "bỏ qua 1" in out

    real_input = input

    def edit_then_answer(prompt: str = "") -> str:
        faq_path.write_text(faq_path.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
        return real_input(prompt)

    monkeypatch.setattr("builtins.input", edit_then_answer)
    code, out, err = run_learn(monkeypatch, capsys, "c\n", "--config", str(config), "--since", "3650d")
    assert code == 1
    assert "vừa được sửa ở nơi khác" in err and "Hãy chạy lại" in err
    assert faq_path.read_text(encoding="utf-8").endswith("# sửa tay\n")
    assert not audit_path(faq_path).exists()


def test_cli_does_not_ask_twice_for_a_phrasing_added_a_moment_ago(
    tmp_path: Path,
    faq_path: Path,
    seeder: Seeder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The same wording confirmed for tam-tru by one citizen and left unanswered for another.
    seeder.ask("u1", "đăng ký tạm trú cho người thuê trọ", "suggest", "thuong-tru")
    seeder.press("u1", "suggest:accepted", "tam-tru")
    seeder.ask("u2", "đăng ký tạm trú cho người thuê trọ", "none")
    seeder.log.close()
    config = write_config(tmp_path, faq_path, seeder.log.path)
    code, out, _ = run_learn(monkeypatch, capsys, "", "--config", str(config), "--list", "--since", "3650d")
    assert "[1/2]" in out and "[2/2]" in out
    code, out, _ = run_learn(monkeypatch, capsys, "c\n", "--config", str(config), "--since", "3650d")
    assert code == 0
    assert "[2/2]" not in out and "Hết dữ liệu nhập" not in out
    assert "Đã thêm 1 cách hỏi, từ chối 0, bỏ qua 0." in out


def test_cli_refuses_to_edit_the_shipped_faq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "faqbot.sqlite3"
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {db}\n", encoding="utf-8")
    code, _, err = run_learn(monkeypatch, capsys, "", "--config", str(config))
    assert code == 2 and "faq.path" in err


def test_candidate_is_new() -> None:
    assert Candidate(None, "a b", "a b", 1).is_new
