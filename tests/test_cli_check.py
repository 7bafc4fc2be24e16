"""`faqbot check`: exit codes, every problem with file:line, the summary line, --strict, --json."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from faq.loader import DEFAULT_FAQ

RECENT = (dt.date.today() - dt.timedelta(days=100)).isoformat()

CLEAN = f"""\
version: 1
agency:
  name: UBND phường Thử
  address: Số 1 đường Mẫu
  hours: Thứ Hai – Thứ Sáu
  phone: "0200 000 000"
  portal: https://dichvucong.gov.vn
synonyms:
  tạm trú: [kt3]
categories:
  - {{id: ho-tich, title: Hộ tịch}}
  - {{id: cu-tru, title: Cư trú}}
  - {{id: small-talk, title: Trò chuyện}}
  - {{id: out-of-scope, title: Ngoài phạm vi}}
entries:
  - id: khai-sinh
    category: ho-tich
    title: Đăng ký khai sinh
    questions: [làm giấy khai sinh cho con cần gì]
    summary: Cha hoặc mẹ đăng ký khai sinh cho con tại UBND cấp xã.
    steps: [Nộp tờ khai và giấy chứng sinh.]
    documents: [Tờ khai.]
    fee: Miễn phí.
    processing_time: Trong ngày.
    where: UBND cấp xã.
    online: {{url: "https://dichvucong.gov.vn", level: toàn trình}}
    postal: {{submit: Gửi qua bưu điện., receive: Nhận tại nhà.}}
    updated: {RECENT}
  - id: tam-tru
    category: cu-tru
    title: Đăng ký tạm trú
    questions: [đăng ký tạm trú cho người ở trọ]
    summary: Người ở trọ từ 30 ngày phải đăng ký tạm trú tại công an xã.
    steps: [Kê khai mẫu CT01.]
    documents: [Tờ khai.]
    fee: Miễn phí.
    processing_time: Trong ngày.
    where: UBND cấp xã.
    online: {{url: "https://dichvucong.bocongan.gov.vn", level: một phần}}
    postal: {{submit: Không áp dụng., receive: Không áp dụng.}}
    updated: {RECENT}
  - id: chao-hoi
    category: small-talk
    title: Chào hỏi
    questions: [xin chào]
    summary: Dạ, xin chào anh/chị ạ.
  - id: ly-hon
    category: out-of-scope
    title: Ly hôn
    questions: [thủ tục ly hôn]
    summary: Việc ly hôn do Tòa án nhân dân khu vực giải quyết.
"""
TEMPLATE = CLEAN.replace('phone: "0200 000 000"', 'phone: "[0xx xxxx xxxx]"').replace(
    "Cha hoặc mẹ đăng ký khai sinh cho con tại UBND cấp xã.",
    "Cha hoặc mẹ đăng ký tại UBND phường Mẫu (thay bằng tên đơn vị).",
)
NO_POSTAL = CLEAN.replace("    postal: {submit: Không áp dụng., receive: Không áp dụng.}\n", "")
BROKEN = NO_POSTAL.replace("questions: [xin chào]", "quesitons: [xin chào]").replace(
    "category: cu-tru", "category: cu-tr"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "options", "code", "summary", "problems"),
    [
        pytest.param(CLEAN, [], 0, "Tệp FAQ hợp lệ: 4 mục, không có cảnh báo.", 0, id="clean"),
        pytest.param(
            CLEAN, ["--strict"], 0, "Tệp FAQ hợp lệ: 4 mục, không có cảnh báo.", 0, id="clean-strict"
        ),
        pytest.param(NO_POSTAL, [], 0, "Tệp FAQ hợp lệ: 4 mục, 1 cảnh báo.", 1, id="warning"),
        pytest.param(
            NO_POSTAL,
            ["--strict"],
            1,
            "Có 1 cảnh báo; chế độ --strict coi cảnh báo là lỗi, hãy xem lại trước khi dùng.",
            1,
            id="warning-strict",
        ),
        pytest.param(
            BROKEN,
            [],
            1,
            "Có 3 lỗi (và 1 cảnh báo), bot sẽ không dùng tệp này cho đến khi sửa xong.",
            4,
            id="errors",
        ),
        pytest.param(
            CLEAN, ["--max-age-days", "30"], 0, "Tệp FAQ hợp lệ: 4 mục, 2 cảnh báo.", 2, id="max-age"
        ),
        pytest.param(TEMPLATE, [], 0, "Tệp FAQ hợp lệ: 4 mục, 2 cảnh báo.", 2, id="placeholders-left"),
        pytest.param(
            TEMPLATE,
            ["--strict"],
            1,
            "Có 2 cảnh báo; chế độ --strict coi cảnh báo là lỗi, hãy xem lại trước khi dùng.",
            2,
            id="placeholders-left-strict",
        ),
    ],
)
def test_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    options: list[str],
    code: int,
    summary: str,
    problems: int,
) -> None:
    path = write(tmp_path, text)
    assert main(["check", str(path), *options]) == code
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == summary
    assert len(lines) == problems + 1
    assert all(line.startswith(f"{path}:") for line in lines[:-1])


def test_errors_name_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, BROKEN)
    main(["check", str(path)])
    out = capsys.readouterr().out
    line = BROKEN.splitlines().index("    quesitons: [xin chào]") + 1
    assert f"{path}:{line}: khóa 'quesitons' không hợp lệ — có phải ý bạn là 'questions'?" in out
    assert "có phải ý bạn là 'cu-tru'?" in out


def test_lint_runs_only_without_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, BROKEN)
    main(["check", str(path), "--max-age-days", "1"])
    out = capsys.readouterr().out
    assert "rà soát" not in out
    assert "bưu chính (postal)" not in out


def test_warnings_are_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(write(tmp_path, NO_POSTAL))])
    (warning, _) = capsys.readouterr().out.splitlines()
    assert "(cảnh báo) thủ tục 'tam-tru' chưa có thông tin bưu chính (postal)" in warning


def test_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, BROKEN)
    assert main(["check", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"file", "ok", "entries", "errors", "warnings"}
    assert data["file"] == str(path)
    assert data["ok"] is False
    assert data["entries"] is None
    assert len(data["errors"]) == 3
    assert set(data["errors"][0]) == {"file", "line", "message", "severity"}
    assert {e["severity"] for e in data["errors"]} == {"error"}


def test_json_of_a_usable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write(tmp_path, NO_POSTAL)), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ok"], data["entries"], len(data["warnings"])) == (True, 4, 1)
    assert data["warnings"][0]["severity"] == "warning"


def test_default_path_is_the_shipped_faq(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == str(DEFAULT_FAQ)
    assert code == (0 if data["ok"] else 1)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "khong-co.yaml")]) == 1
    out = capsys.readouterr().out
    assert "không tìm thấy tệp FAQ" in out
    assert out.splitlines()[-1] == "Có 1 lỗi, bot sẽ không dùng tệp này cho đến khi sửa xong."


@pytest.mark.parametrize("value", ["0", "-3", "abc"])
def test_bad_max_age(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "--max-age-days", value])
    assert caught.value.code == 2
    assert "cần một số nguyên dương" in capsys.readouterr().err


def test_closed_output_pipe_ends_quietly() -> None:
    """`faqbot check | head`: when the reader is gone, no traceback, just the usual SIGPIPE code."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone when faqbot first writes
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "check", str(DEFAULT_FAQ)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            cwd=Path(__file__).resolve().parents[1],
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert b"Traceback" not in done.stderr


def test_placeholders_are_warned_at_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, TEMPLATE)
    main(["check", str(path)])
    first, second, _ = capsys.readouterr().out.splitlines()
    phone = TEMPLATE.splitlines().index('  phone: "[0xx xxxx xxxx]"') + 1
    summary = next(n for n, line in enumerate(TEMPLATE.splitlines(), 1) if "(thay bằng tên đơn vị)" in line)
    assert first.startswith(f"{path}:{phone}: (cảnh báo) phần 'agency', số điện thoại (phone): còn chỗ mẫu")
    assert second.startswith(f"{path}:{summary}: (cảnh báo) mục 'khai-sinh', phần tóm tắt (summary)")


@pytest.mark.parametrize(
    ("faq_text", "sparse"),
    [
        pytest.param(CLEAN, True, id="two-phrasings-per-procedure"),
        pytest.param(None, False, id="shipped-faq"),
    ],
)
def test_lexical_only_says_when_its_thresholds_are_lowered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faq_text: str | None, sparse: bool
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("semantic:\n  backend: none\n", encoding="utf-8")
    path = write(tmp_path, faq_text) if faq_text is not None else DEFAULT_FAQ
    assert main(["check", str(path), "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    notes = [line for line in lines if line.startswith("Lưu ý: ")]
    off = "Lưu ý: bộ hiểu ngữ nghĩa đang tắt (semantic.backend: none); bot chỉ so khớp theo từ ngữ."
    assert notes[0] == off
    if sparse:
        assert notes[1:] == [
            "Lưu ý: mỗi thủ tục trong tệp này có khoảng 2 cách hỏi (kể cả tiêu đề), nên khi chỉ so khớp theo "
            "từ ngữ, bot tự hạ ngưỡng trả lời từ 63 xuống 56 điểm và ngưỡng gợi ý từ 56 xuống 46 điểm. Thêm "
            "những câu người dân thật sự đã hỏi vào các mục (faqbot learn) thì bot trả lời chắc hơn."
        ]
    else:
        assert notes[1:] == []


def test_a_config_file_given_as_the_faq_is_checked_as_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"faq:\n  path: {DEFAULT_FAQ}\ntelegram:\n  enabled: false\n", encoding="utf-8")
    assert main(["check", str(config)]) == 0  # --config forgotten
    lines = capsys.readouterr().out.splitlines()
    # It listed a dozen "missing 'entries'", "key 'telegram' not valid in a FAQ file" lines.
    assert lines[0] == (
        f"Tệp {config} là tệp cấu hình của bot, không phải tệp hỏi đáp — kiểm tra theo --config {config}:"
    )
    assert lines[-1].startswith("Tệp FAQ hợp lệ:")
    assert not any("không hợp lệ trong tệp" in line or "thiếu phần" in line for line in lines)


def test_the_shipped_faq_with_its_agency_filled_in_passes_check_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What an office does first: fill in the agency block. `faqbot check --strict` must then pass.
    text = DEFAULT_FAQ.read_text(encoding="utf-8")
    for old, new in (
        ("Ủy ban nhân dân phường Mẫu (thay bằng tên đơn vị)", "Ủy ban nhân dân phường An Phú"),
        ('"[Số nhà, đường…] — thay bằng địa chỉ Bộ phận Một cửa"', '"Số 1 đường Lê Lợi"'),
        ('"[0xx xxxx xxxx]"', '"028 3899 1234"'),
        ('"motcua@[ten-don-vi].gov.vn"', '"motcua@anphu.gov.vn"'),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--strict", str(path)]) == 0, capsys.readouterr()
    assert "không có cảnh báo" in capsys.readouterr().out


def test_a_missing_relative_path_names_the_folder_it_was_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "faq/khong-co.yaml"]) == 1
    assert f"tính từ thư mục đang chạy lệnh: {tmp_path}" in capsys.readouterr().out
