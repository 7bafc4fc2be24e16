"""The staff report over a seeded interaction log: groups, counts, ratios, never reached, volume, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.report import (
    DIGEST_LIMIT,
    EntryFeedback,
    Report,
    build_report,
    format_csv,
    format_digest,
    format_text,
    group_unanswered,
    parse_since,
)
from bot.storage import Interaction, InteractionLog
from faq.loader import load_faq
from faq.normalize import Normalizer
from faq.schema import FaqBook

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
VN = dt.timezone(dt.timedelta(hours=7))
SINCE = dt.datetime(2025, 7, 1, tzinfo=VN).timestamp()
NOW = dt.datetime(2025, 7, 8, tzinfo=VN).timestamp()


def at(day: int, hour: int, minute: int = 0) -> float:
    """Epoch seconds of a moment in July 2025, office time (UTC+7)."""
    return dt.datetime(2025, 7, day, hour, minute, tzinfo=VN).timestamp()


def row(
    when: float,
    kind: str,
    entry_id: str | None = None,
    question: str = "",
    channel: str = "telegram",
    user: str = "u1",
) -> Interaction:
    return Interaction(
        at=when, channel=channel, user_hash=user, question=question, kind=kind, entry_id=entry_id
    )


SEED: list[Interaction] = [
    row(at(1, 9), "start"),
    *(row(at(1, 9, i), "answer", "khai-sinh", "làm khai sinh cho con", user=f"a{i}") for i in range(3)),
    *(row(at(1, 10, i), "suggest", "khai-tu", "đăng ký cái giấy", user=f"s{i}") for i in range(4)),
    *(row(at(1, 10, 30 + i), "suggest:accepted", "ket-hon", user=f"s{i}") for i in range(3)),
    row(at(1, 11), "none", None, "làm sổ đỏ ở đâu ạ"),
    row(at(1, 11, 1), "none", None, "lam so do o dau", channel="zalo_bot", user="z1"),
    row(at(1, 11, 2), "none", None, "Cho em hỏi làm sổ đỏ ở đâu", channel="zalo_oa", user="o1"),
    row(at(1, 11, 3), "none", None, "làm sổ đỏ ở đâu ạ", user="u2"),
    row(at(1, 12), "none", None, "xin giấy phép xây dựng nhà ở"),
    row(at(1, 12, 1), "none", None, "giấy phép xây dựng nhà ở cần gì"),
    row(at(1, 12, 2), "none", None, "đổi bằng lái xe ô tô"),
    row(at(1, 12, 3), "none", None, ""),  # "none of these" pressed with nothing typed
    row(at(1, 13), "feedback:up", "khai-sinh"),
    row(at(1, 13, 1), "feedback:up", "khai-sinh", user="u2"),
    row(at(1, 13, 2), "feedback:down", "khai-sinh", user="u3"),
    row(at(1, 13, 3), "feedback:down", "tam-tru"),
    row(at(1, 13, 4), "feedback:down", "tam-tru", user="u2"),
    row(at(1, 14), "facet", "tam-tru"),
    row(at(1, 14, 1), "step", "can-cuoc"),
    row(at(1, 14, 2), "browse", "ho-chieu"),
    row(at(1, 14, 3), "answer", "chao-hoi", "xin chào"),
    row(at(1, 14, 4), "menu"),
    row(at(1, 14, 5), "related", "thuong-tru"),  # a list of links, not the entry itself
    # 00:30 on 2 July office time is still 1 July in UTC: the day must follow the office clock.
    row(at(2, 0, 30), "answer", "khai-sinh", "giấy khai sinh", channel="zalo_bot", user="z1"),
    row(at(2, 8), "handoff", None, "gặp cán bộ", channel="zalo_bot", user="z2"),
]
NEVER_REACHED = ["khai-tu", "xac-nhan-tinh-trang-hon-nhan", "thuong-tru", "chung-thuc-ban-sao"]


@pytest.fixture(scope="module")
def book() -> FaqBook:
    return load_faq(MINI_FAQ)


@pytest.fixture
def seeded_log(tmp_path: Path) -> InteractionLog:
    log = InteractionLog(tmp_path / "var" / "log.sqlite3", salt="s")
    log.add(row(at(1, 0) - 60, "none", None, "câu hỏi từ tháng trước"))  # before the period
    for r in SEED:
        log.add(r)
    assert log.flush()
    return log


@pytest.fixture
def report(seeded_log: InteractionLog, book: FaqBook) -> Report:
    rows = seeded_log.rows(SINCE)
    seeded_log.close()
    return build_report(rows, book, SINCE, now=NOW, tz=VN)


# -- --since ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("7d", NOW - 7 * 86400, id="days"),
        pytest.param("24h", NOW - 86400, id="hours"),
        pytest.param("30D", NOW - 30 * 86400, id="upper-case"),
        pytest.param(" 2d ", NOW - 2 * 86400, id="spaces"),
        pytest.param("2025-07-01", SINCE, id="date-is-office-midnight"),
        pytest.param("01/07/2025", SINCE, id="vietnamese-date-order"),
        pytest.param("1/7/2025", SINCE, id="vietnamese-date-short"),
    ],
)
def test_parse_since(text: str, expected: float) -> None:
    assert parse_since(text, NOW, VN) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("7w", id="weeks-unsupported"),
        pytest.param("hôm qua", id="words"),
        pytest.param("2025-13-01", id="bad-month"),
        pytest.param("31/02/2025", id="no-such-day"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_since_rejects_with_a_vietnamese_hint(text: str) -> None:
    with pytest.raises(ValueError, match="hãy ghi dạng 7d"):
        parse_since(text, NOW, VN)


# -- grouping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        pytest.param(
            ["làm sổ đỏ ở đâu", "lam so do o dau", "Cho em hỏi làm sổ đỏ ở đâu ạ", "LÀM SỔ ĐỎ Ở ĐÂU"],
            [4],
            id="accents-case-fillers-merge",
        ),
        pytest.param(
            ["làm sổ đỏ ở đâu", "xin giấy phép xây dựng", "đổi bằng lái xe"],
            [1, 1, 1],
            id="different-topics-stay-apart",
        ),
        pytest.param(
            ["sổ đỏ", "làm sổ đỏ cho nhà mới mua ở phường khác", "làm sổ đỏ cho nhà mới mua ở phường khác"],
            [2, 1],
            id="a-two-word-question-does-not-swallow-a-long-one",
        ),
        pytest.param(
            ["cấp lại giấy cho số [số giấy tờ]", "cấp lại giấy cho số [số điện thoại]"],
            [2],
            id="masked-personal-data-does-not-split",
        ),
        pytest.param(
            ["giấy phép xây dựng nhà ở", "xin giấy phép xây dựng nhà ở", "giấy phép xây dựng nhà ở cần gì"],
            [3],
            id="extra-words-join",
        ),
        pytest.param([], [], id="nothing"),
    ],
)
def test_group_unanswered(questions: list[str], expected: list[int]) -> None:
    assert [g.count for g in group_unanswered(questions)] == expected


def test_group_keeps_three_examples_most_frequent_first() -> None:
    questions = ["làm sổ đỏ ở đâu"] * 3 + ["lam so do o dau"] * 2 + ["làm sổ đỏ ở đâu vậy", "sổ đỏ làm ở đâu"]
    (group,) = group_unanswered(questions, Normalizer())
    assert group.count == 7
    assert group.label == "làm sổ đỏ ở đâu"
    assert group.examples[:2] == ("làm sổ đỏ ở đâu", "lam so do o dau")
    assert len(group.examples) == 3


# -- the seeded log ---------------------------------------------------------------------------


def test_report_counts_questions_and_ratios(report: Report) -> None:
    assert report.total == len(SEED)
    assert (report.kinds["answer"], report.kinds["suggest"], report.kinds["none"]) == (5, 4, 8)
    assert report.questions == 17
    assert report.share("none") == pytest.approx(8 / 17)
    assert (report.suggestions_offered, report.suggestions_accepted) == (4, 3)
    assert report.acceptance == pytest.approx(0.75)


def test_report_groups_unanswered_questions(report: Report) -> None:
    groups = [(g.label, g.count, len(g.examples)) for g in report.unanswered]
    assert groups == [
        ("làm sổ đỏ ở đâu ạ", 4, 3),
        ("xin giấy phép xây dựng nhà ở", 2, 2),
        ("đổi bằng lái xe ô tô", 1, 1),
    ]
    assert "câu hỏi từ tháng trước" not in {e for g in report.unanswered for e in g.examples}


def test_report_feedback_per_entry_most_disliked_first(report: Report) -> None:
    assert report.feedback == (
        EntryFeedback("tam-tru", "Đăng ký tạm trú", up=0, down=2),
        EntryFeedback("khai-sinh", "Đăng ký khai sinh", up=2, down=1),
    )


def test_a_procedure_declined_as_another_bodys_was_asked_for(book: FaqBook) -> None:
    rows = [row(at(1, 9), "declined", "khai-tu", "làm giấy báo tử ở đâu")]
    report = build_report(rows, book, SINCE, now=NOW, tz=VN)
    assert [e.entry_id for e in report.declined] == ["khai-tu"]
    assert "khai-tu" not in [e.entry_id for e in report.never_reached], "listed as asked and as never asked"


def test_report_entries_never_reached_skip_small_talk(report: Report, book: FaqBook) -> None:
    assert [e.entry_id for e in report.never_reached] == NEVER_REACHED
    assert not any(book.entry(e.entry_id).is_small_talk for e in report.never_reached)  # type: ignore[union-attr]


def test_report_most_opened_entries(report: Report) -> None:
    assert [(e.entry_id, e.count) for e in report.top_entries] == [
        ("khai-sinh", 4),
        ("ket-hon", 3),
        ("ho-chieu", 1),
    ]


def test_report_volume_per_channel_and_office_day(report: Report) -> None:
    assert report.per_channel == (("telegram", 28), ("zalo_bot", 3), ("zalo_oa", 1))
    assert report.per_day == ((dt.date(2025, 7, 1), 30), (dt.date(2025, 7, 2), 2))
    assert report.users == len({r.user_hash for r in SEED})


def test_csv_parses_into_sections(report: Report) -> None:
    table = list(csv.DictReader(io.StringIO(format_csv(report))))
    by: dict[str, list[dict[str, str]]] = {}
    for r in table:
        by.setdefault(r["phần"], []).append(r)
    summary = {r["mã"]: r["số"] for r in by["tổng quan"]}
    assert summary["số lượt ghi"] == str(len(SEED))
    assert (summary["đưa gợi ý"], summary["lần chọn gợi ý"], summary["tỉ lệ chọn gợi ý"]) == (
        "4",
        "3",
        "0.7500",
    )
    assert [(r["tên"], r["số"]) for r in by["chưa trả lời được"]] == [
        ("làm sổ đỏ ở đâu ạ", "4"),
        ("xin giấy phép xây dựng nhà ở", "2"),
        ("đổi bằng lái xe ô tô", "1"),
    ]
    assert len(by["chưa trả lời được"][0]["ví dụ"].split(" | ")) == 3
    assert [(r["mã"], r["tốt"], r["chưa tốt"]) for r in by["đánh giá"]] == [
        ("tam-tru", "0", "2"),
        ("khai-sinh", "2", "1"),
    ]
    assert [r["mã"] for r in by["chưa ai hỏi"]] == NEVER_REACHED
    assert {r["mã"]: r["số"] for r in by["kênh"]} == {
        "telegram": "28",
        "zalo_bot": "3",
        "zalo_oa": "1",
    }
    assert [(r["mã"], r["số"]) for r in by["ngày"]] == [("2025-07-01", "30"), ("2025-07-02", "2")]


def test_text_is_vietnamese_for_staff(report: Report) -> None:
    text = format_text(report)
    for expected in (
        "BÁO CÁO HỎI ĐÁP từ 00:00 01/07/2025 đến 00:00 08/07/2025",
        "Số câu hỏi người dân gửi: 17",
        "chưa trả lời được: 8 (47,1%)",
        "người dân chọn một gợi ý 3 lần (75,0%)",
        "1. «làm sổ đỏ ở đâu ạ» — 4 lượt",
        "Đăng ký tạm trú (tam-tru): 👍 0, 👎 2",
        "MỤC CHƯA AI HỎI TỚI (4)",
        "- Zalo Bot: 3",
        "- 02/07/2025: 2",
    ):
        assert expected in text
    for internal in ("suggest", "None", "feedback:", "zalo_bot"):
        assert internal not in text


def test_empty_period_says_there_is_no_data(book: FaqBook) -> None:
    report = build_report([], book, SINCE, now=NOW, tz=VN)
    assert "Chưa có dữ liệu" in format_text(report)
    assert "chưa có dữ liệu" in format_digest(report)
    assert [r["phần"] for r in csv.DictReader(io.StringIO(format_csv(report)))].count("chưa ai hỏi") == 9


def test_digest_is_short_and_within_a_telegram_message(report: Report, book: FaqBook) -> None:
    digest = format_digest(report)
    assert digest.startswith("Bản tin tuần từ 00:00 01/07/2025")
    assert "«làm sổ đỏ ở đâu ạ» — 4 lượt" in digest
    assert len(digest) < len(format_text(report))
    flood = [
        row(at(1, 9), "none", None, f"câu hỏi số {i} " + "rất dài " * 60 + f"chủ đề {i * 7919}")
        for i in range(400)
    ]
    assert len(format_digest(build_report(flood, book, SINCE, now=NOW, tz=VN))) <= DIGEST_LIMIT


# -- faqbot report ----------------------------------------------------------------------------


def write_config(tmp_path: Path, db: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"faq:\n  path: {MINI_FAQ}\nstorage:\n  path: {db}\n", encoding="utf-8")
    return config


def test_cli_without_a_log_says_there_is_no_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "var" / "none.sqlite3"
    assert main(["report", "--config", str(write_config(tmp_path, db))]) == 0
    assert capsys.readouterr().out.startswith("Chưa có dữ liệu")
    assert not db.exists()


def test_cli_with_an_empty_period_names_the_log_it_read(
    tmp_path: Path, seeded_log: InteractionLog, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_log.close()
    config = str(write_config(tmp_path, seeded_log.path))
    assert main(["report", "--config", config, "--since", "2099-01-01"]) == 0
    out = capsys.readouterr().out
    # A quiet week and the wrong log look the same otherwise.
    assert "Chưa có dữ liệu" in out
    assert f"Nhật ký đã đọc: {seeded_log.path}" in out and "chưa có --config" not in out


def test_cli_prints_text_and_csv(
    tmp_path: Path, seeded_log: InteractionLog, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_log.close()
    config = str(write_config(tmp_path, seeded_log.path))

    assert main(["report", "--config", config, "--since", "2025-07-01"]) == 0
    text = capsys.readouterr().out
    assert "MỤC CHƯA AI HỎI TỚI (4)" in text
    assert main(["report", "--config", config, "--since", "2025-07-01", "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffphần,")  # the byte-order mark Excel on Windows needs to read UTF-8
    table = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert {r["phần"] for r in table} >= {
        "tổng quan",
        "chưa trả lời được",
        "đánh giá",
        "chưa ai hỏi",
        "kênh",
        "ngày",
    }
    assert any(
        r["phần"] == "tổng quan" and r["mã"] == "số lượt ghi" and r["số"] == str(len(SEED)) for r in table
    )


def test_cli_rejects_a_bad_since(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path, tmp_path / "log.sqlite3"))
    assert main(["report", "--config", config, "--since", "tuần trước"]) == 2
    assert "Không hiểu mốc thời gian" in capsys.readouterr().err


def test_cli_writes_csv_for_excel_to_a_file(
    tmp_path: Path, seeded_log: InteractionLog, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_log.close()
    config = str(write_config(tmp_path, seeded_log.path))
    target = tmp_path / "báo cáo.csv"
    assert main(["report", "--config", config, "--since", "2025-07-01", "--csv", "-o", str(target)]) == 0
    assert f"Đã ghi báo cáo vào {target}" in capsys.readouterr().out
    data = target.read_bytes()
    assert data.startswith("\ufeffphần,".encode())
    assert b"Khai sinh" in data or b"khai-sinh" in data


@pytest.mark.parametrize(
    ("make_db", "fragment"),
    [
        pytest.param(lambda p: (p.mkdir(), p)[1], "là một thư mục", id="storage-path-is-a-folder"),
        pytest.param(
            lambda p: (p.write_bytes(b"not a database" * 100), p)[1], "không đọc được nhật ký", id="junk"
        ),
    ],
)
def test_cli_unusable_log_is_one_vietnamese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_db: Any, fragment: str
) -> None:
    db = make_db(tmp_path / "log.sqlite3")
    assert main(["report", "--config", str(write_config(tmp_path, db))]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("Lỗi: ") and fragment in line


def test_report_shows_what_was_asked_behind_a_declined_topic_a_dislike_and_a_fix(book: FaqBook) -> None:
    rows = [
        row(at(1, 9), "declined", "khai-tu", "đăng ký nuôi chó", user="d1"),
        row(at(1, 9, 1), "declined", "khai-tu", "đăng ký nuôi chó", user="d2"),
        row(at(1, 9, 2), "answer", "tam-tru", "xin giấy phép đào đường", user="f1"),
        row(at(1, 9, 3), "feedback:down", "tam-tru", user="f1"),
        row(at(1, 9, 4), "feedback:down", "tam-tru", user="f2"),  # nothing asked before it: no example
        row(at(1, 10), "none", None, "làm khai sinh cho con ở đâu", user="n1"),
        row(at(1, 10, 1), "none", None, "nuôi chó có phải đăng ký không", user="n2"),
    ]
    titles = {"làm khai sinh cho con ở đâu": "Đăng ký khai sinh"}
    report = build_report(rows, book, SINCE, now=NOW, tz=VN, answers=titles.get)
    assert report.declined[0].examples == ("đăng ký nuôi chó",)
    assert report.feedback[0].disliked == ("xin giấy phép đào đường",)
    text = format_text(report)
    assert "   Người dân hỏi: «đăng ký nuôi chó»" in text
    assert "   Câu hỏi có câu trả lời bị chê: «xin giấy phép đào đường»" in text
    assert "«làm khai sinh cho con ở đâu» — 1 lượt (nay đã được trả lời bằng mục «Đăng ký khai sinh»)" in text
    assert "«nuôi chó có phải đăng ký không» — 1 lượt\n" in text + "\n"
    table = format_csv(report)
    assert "đăng ký nuôi chó" in table and "nay đã trả lời bằng: Đăng ký khai sinh" in table
