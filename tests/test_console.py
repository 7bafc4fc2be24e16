"""`faqbot chat` through piped input: greeting, questions, numbered options, quitting, broken FAQs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.channels.console import ConsoleChat
from bot.semantic import SqliteVectors
from faq.decision import MatchSettings
from faq.knowledge import Knowledge, StaticKnowledge
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.semantic import Embedder, SemanticIndex
from handlers import texts
from handlers.conversation import Conversation

ROOT = Path(__file__).resolve().parents[1]
MINI_FAQ = ROOT / "tests" / "data" / "mini_faq.yaml"


def chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *lines: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    assert cli.main(["chat", "--faq", str(MINI_FAQ)]) == 0
    return capsys.readouterr().out


@pytest.fixture
def warm_mini_vectors(embedder: Embedder, vector_cache: SqliteVectors) -> None:
    """The mini FAQ's passage vectors in the session cache the subprocess reads: a cold cache makes
    `faqbot chat` print its wait notice on stderr, which this test otherwise asserts is empty (run
    alone, nothing earlier has embedded the mini FAQ)."""
    SemanticIndex(load_faq(MINI_FAQ), embedder, vector_cache)


@pytest.mark.usefixtures("warm_mini_vectors")
def test_piped_chat_subprocess() -> None:
    script = "làm căn cước cần gì\n1\ntiếp\n2\nthoát\nkhông được đọc tới dòng này\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--faq", str(MINI_FAQ)],
        input=script.encode(),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode() == ""
    # Greeting first, with the office name and the menu as numbered options.
    assert out.startswith("Dạ, xin chào anh/chị! Em là trợ lý tự động của UBND phường Mẫu")
    assert "1. Hộ tịch\n2. Cư trú\n3. Căn cước, hộ chiếu\n4. Chứng thực" in out
    # No prompt clutter when stdin is not a terminal.
    assert "> " not in out
    # The answer, with the facet asked first and its buttons as options.
    assert "Cấp, cấp đổi, cấp lại thẻ căn cước\n\nGiấy tờ cần chuẩn bị:" in out
    assert f"1. {texts.BTN_STEPS}\n2. {texts.BTN_FEE_TIME}" in out
    assert "Nộp trực tuyến: https://dichvucong.bocongan.gov.vn" in out
    # "1" pressed step-by-step, "tiếp" the next step, "2" went back to the answer. "Tiếp ›" and
    # "↩ Quay lại" keep the numbers they had at step 1; "‹ Trước", new at step 2, takes 3.
    step1 = out.index("Bước 1/4: Đến cơ quan công an")
    assert f"1. {texts.BTN_NEXT}\n2. {texts.BTN_BACK}" in out[step1:]
    step2 = out.index("Bước 2/4: Cán bộ tra cứu thông tin", step1)
    assert f"1. {texts.BTN_NEXT}\n2. {texts.BTN_BACK}\n3. {texts.BTN_PREV}" in out[step2:]
    assert "Theo Luật Căn cước 2023" in out[step2:]
    assert "không được đọc" not in out


def test_commands_and_option_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(monkeypatch, capsys, "/lienhe", "/menu", "cư trú", "1", "còn lệ phí thì sao?")
    assert "Điện thoại: 0200 000 000" in out
    assert texts.category_intro("Cư trú") in out
    assert "Đăng ký tạm trú\n\nNgười đến ở một nơi" in out
    assert "Lệ phí: Theo mức HĐND cấp tỉnh quy định (thường vài nghìn đến khoảng 15.000" in out


def test_numbers_press_only_the_options_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(monkeypatch, capsys, "cảm ơn", "1", "9", "2")
    thanks = out.index(f"Dạ, không có gì ạ. Chúc anh/chị một ngày tốt lành!\n\n{texts.OPTIONS_HINT}")
    menu = out.index(texts.MENU, thanks)  # "1" pressed the one option: the menu
    # The menu has 5 options: "9" is none of them, and the citizen is told which numbers are.
    missing = out.index(texts.no_such_option(9, "từ 1 đến 5"), menu)
    # The menu is still the list on screen: "2" presses its second option.
    category = out.index(texts.category_intro("Cư trú"), missing)
    assert thanks < menu < missing < category
    assert "Dạ, hiện em chưa có thông tin" not in out


@pytest.mark.parametrize("quit_word", ["thoát", "THOAT", "exit", "quit"])
def test_quit_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quit_word: str
) -> None:
    out = chat(monkeypatch, capsys, quit_word, "làm căn cước cần gì")
    assert "thẻ căn cước" not in out
    assert out.startswith("Dạ, xin chào anh/chị!")


def test_broken_faq_lists_problems_and_returns_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "faq.yaml"
    broken.write_text(
        MINI_FAQ.read_text(encoding="utf-8").replace("    questions:\n", "    quesitons:\n", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("xin chào\n"))
    assert cli.main(["chat", "--faq", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Tệp FAQ có lỗi" in captured.err
    assert f"{broken}:" in captured.err
    assert "quesitons" in captured.err


def test_a_broken_faq_with_a_last_good_copy_is_said_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text(MINI_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq:\n  path: {faq}\nstorage:\n  path: {tmp_path / 'var' / 'faqbot.sqlite3'}\n", encoding="utf-8"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("xin chào\n"))
    assert cli.main(["chat", "--config", str(config)]) == 0  # a good start keeps the copy
    capsys.readouterr()
    broken = MINI_FAQ.read_text(encoding="utf-8").replace("    questions:\n", "    quesitons:\n", 1)
    faq.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("xin chào\n"))
    assert cli.main(["chat", "--config", str(config)]) == 0
    err = capsys.readouterr().err
    assert "bot đang dùng bản hợp lệ gần nhất của tệp" in err and f"{faq}:" in err and "quesitons" in err
    assert "serving its last good copy" not in err


@pytest.mark.parametrize("logged", [pytest.param(True, id="with-log"), pytest.param(False, id="by-default")])
def test_chat_log_records_the_questions_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], logged: bool
) -> None:
    db = tmp_path / "var" / "faqbot.sqlite3"
    config = tmp_path / "config.yaml"
    config.write_text(f"faq:\n  path: {MINI_FAQ}\nstorage:\n  path: {db}\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("con mèo nhà em biết bay không\n"))
    assert cli.main(["chat", "--config", str(config), *(["--log"] if logged else [])]) == 0
    capsys.readouterr()
    assert cli.main(["report", "--config", str(config), "--since", "1d"]) == 0
    out = capsys.readouterr().out
    # A staff member's trial questions reach `report` and `learn` only when they say so.
    assert ("«con mèo nhà em biết bay không» — 1 lượt" in out) is logged
    assert ("Bảng lệnh (thử nghiệm)" in out) is logged


def test_missing_faq_returns_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["chat", "--faq", str(tmp_path / "none.yaml")]) == 1
    assert "không tìm thấy tệp FAQ" in capsys.readouterr().err


def test_bad_config_returns_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("conversation:\n  context_tll: 5\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["chat", "--config", str(config)]) == 2
    assert "conversation.context_tll" in capsys.readouterr().err


def test_terminal_session_has_intro_prompt_and_goodbye() -> None:
    book = load_faq(MINI_FAQ)
    conv = Conversation(StaticKnowledge(Knowledge(book, Matcher(book, MatchSettings()))))
    out = io.StringIO()
    chat = ConsoleChat(conv, stdin=io.StringIO("1\n"), stdout=out, interactive=True)
    assert chat.run() == 0
    text = out.getvalue()
    assert text.startswith(texts.CONSOLE_INTRO)
    assert "\n> \n" + texts.category_intro("Hộ tịch") in text
    assert text.rstrip().endswith("> " + texts.CONSOLE_BYE)


def blocks_after(out: str, marker: str) -> str:
    return out[out.index(marker) :]


def test_pressing_1_repeatedly_walks_the_steps_forward(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(monkeypatch, capsys, "đăng ký kết hôn cần những giấy tờ gì", "1", "1", "1", "1")
    positions = [out.index(f"Bước {n}/4:") for n in (1, 2, 3, 4)]
    assert positions == sorted(positions)
    assert out.count("Bước 1/4:") == 1


def test_an_option_keeps_its_number_after_a_part_is_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(monkeypatch, capsys, "đăng ký khai sinh cho trẻ mới sinh", "4", "5")
    assert f"4. {texts.BTN_POSTAL}\n5. {texts.BTN_RELATED}" in out
    postal = blocks_after(out, "Qua bưu điện:")
    assert f"3. {texts.BTN_FEE_TIME}\n5. {texts.BTN_RELATED}\n6. {texts.BTN_LIKE}" in postal
    # "5" still meant "Thủ tục liên quan", not "👍 Hữu ích".
    assert texts.related_intro("Đăng ký khai sinh") in postal
    assert texts.FEEDBACK_UP not in out


def test_numbers_still_work_after_feedback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(monkeypatch, capsys, "đăng ký khai sinh cho trẻ mới sinh", "6", "2", "7", "3")
    thanks = blocks_after(out, texts.FEEDBACK_UP)
    assert thanks.index(texts.FEEDBACK_UP) < thanks.index("Giấy tờ cần chuẩn bị:\n•")
    down = blocks_after(thanks, "Dạ, em cảm ơn anh/chị đã góp ý. Anh/chị có thể hỏi lại")
    assert f"{texts.OPTIONS_HINT_MORE}\n8. {texts.BTN_MENU}" in down
    # "3" after 👎 is still "Lệ phí và thời gian" of the answer above.
    assert "Lệ phí: Miễn lệ phí khi đăng ký đúng hạn" in down
