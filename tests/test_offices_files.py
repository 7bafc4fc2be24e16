"""Overlay files: checked with file:line against the shared FAQ, reloaded one by one."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import threading
from pathlib import Path

import pytest

from bot.cli import main
from bot.health import Health
from bot.offices import ProvinceReloader, overlay_broken
from bot.reload import LastGood, ReloadResult
from faq.decision import MatchSettings
from faq.loader import DEFAULT_FAQ, FaqError, load_faq
from faq.overlay_loader import check_overlay, parse_overlay
from handlers.store import MemoryStore

OFFICES = Path(__file__).parent / "data" / "offices"
AGENCY = """\
agency:
  name: UBND xã Thử
  address: Số 1 đường Mẫu
  hours: Thứ Hai – Thứ Sáu
  phone: "0200 111 222"
  portal: https://dichvucong.gov.vn
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A shared FAQ and two overlays, copied where the test may edit them."""
    out = {"": tmp_path / "chung.yaml"}
    shutil.copy(DEFAULT_FAQ, out[""])
    for office in ("hoang-liet", "dinh-cong"):
        out[office] = tmp_path / f"{office}.yaml"
        shutil.copy(OFFICES / f"{office}.yaml", out[office])
    return out


def reloader(files: dict[str, Path], console: io.StringIO | None = None) -> ProvinceReloader:
    overlays = {office: str(path) for office, path in files.items() if office}
    return ProvinceReloader(str(files[""]), overlays, MatchSettings(), console=console)


def phone(r: ProvinceReloader, office: str) -> str:
    return r.province().knowledge(office).book.agency.phone


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        pytest.param(
            AGENCY + "replace:\n  - id: ks-cu\n    category: ho-tich\n    title: T\n    questions: [q]\n",
            8, "không có trong tệp hỏi đáp chung", id="replaces-a-missing-id",
        ),
        pytest.param(
            AGENCY + "not_handled:\n  - {id: ho-chieu-x, handled_by: Công an tỉnh}\n",
            8, "có phải ý bạn là 'ho-chieu'", id="excludes-a-missing-id",
        ),
        pytest.param(
            AGENCY + "entries:\n  - id: khai-sinh\n    category: ho-tich\n    title: T\n    questions: [q]\n",
            8, "đã có trong tệp hỏi đáp chung", id="own-entry-with-a-shared-id",
        ),
        pytest.param(
            AGENCY + "not_handled:\n  - {id: ho-chieu}", 8, "thiếu khóa 'handled_by'", id="no-handled-by",
        ),
        pytest.param("entries: []\n", 1, "thiếu phần 'agency'", id="no-agency"),
        pytest.param(AGENCY + "synonyms: {}\n", 7, "khóa 'synonyms' không hợp lệ", id="unknown-section"),
    ],
)  # fmt: skip
def test_overlay_problems_name_file_and_line(body: str, line: int, says: str) -> None:
    report = parse_overlay(body, "xa-thu.yaml", load_faq(None))
    assert not report.ok
    assert any(p.line == line and says in p.message for p in report.errors), report.errors
    assert all(str(p).startswith("xa-thu.yaml") for p in report.errors)


def test_the_test_overlays_are_valid() -> None:
    shared = load_faq(None)
    for name in ("hoang-liet", "dinh-cong"):
        assert check_overlay(OFFICES / f"{name}.yaml", shared).ok


def test_check_validates_the_shared_faq_and_every_overlay(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "xa-sai.yaml"
    bad.write_text(AGENCY + "not_handled:\n  - {id: khong-co, handled_by: Ai đó}\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq: {{path: '{files['']}'}}\noffices:\n"
        f"  - {{id: hoang-liet, unit: '00337', overlay: '{files['hoang-liet']}'}}\n"
        f"  - {{id: xa-sai, unit: '00316', overlay: '{bad}'}}\n",
        encoding="utf-8",
    )
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:8: dòng thứ 1 trong 'not_handled': mục 'khong-co' không có trong tệp hỏi đáp chung" in out
    assert f"Tệp riêng {files['hoang-liet']} hợp lệ: 2 mục riêng hoặc thay thế" in out
    assert f"Tệp riêng {bad}: 1 lỗi" in out


def test_a_good_overlay_edit_changes_only_that_office(files: dict[str, Path]) -> None:
    r = reloader(files)
    before = r.province()
    path = files["hoang-liet"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("024 3641 1111", "024 3641 9999"), encoding="utf-8"
    )
    result = r.reload()
    assert result.changed and not result.failed
    assert phone(r, "hoang-liet") == "024 3641 9999"
    assert phone(r, "dinh-cong") == "024 3664 2222"
    assert before.knowledge("hoang-liet").book.agency.phone == "024 3641 1111"  # old snapshot unchanged


def test_a_broken_overlay_keeps_that_offices_last_good_version_and_says_so(files: dict[str, Path]) -> None:
    console = io.StringIO()
    r = reloader(files, console)
    broken = files["dinh-cong"].read_text(encoding="utf-8").replace("phone:", "phone")
    files["dinh-cong"].write_text(broken, encoding="utf-8")
    files["hoang-liet"].write_text(
        files["hoang-liet"].read_text(encoding="utf-8").replace("024 3641 1111", "024 3641 9999"),
        encoding="utf-8",
    )
    result = r.reload()
    assert result.failed and result.changed
    assert all(str(p).startswith(str(files["dinh-cong"])) for p in result.problems)
    assert phone(r, "dinh-cong") == "024 3664 2222"  # its last good version
    assert phone(r, "hoang-liet") == "024 3641 9999"  # unaffected by the other's mistake
    assert f"Tệp hỏi đáp {files['dinh-cong']} có" in console.getvalue()
    assert "bot vẫn dùng nội dung cũ" in console.getvalue()


def test_a_shared_edit_dropping_a_replaced_entry_is_reported(files: dict[str, Path]) -> None:
    r = reloader(files)
    shared = files[""]
    renamed = re.sub(r"(?<![\w-])khai-sinh(?![\w-])", "khai-sinh-moi", shared.read_text(encoding="utf-8"))
    shared.write_text(renamed, encoding="utf-8")
    result = r.reload()
    assert result.changed  # the shared FAQ itself is fine and served
    assert any(
        str(p).startswith(str(files["hoang-liet"])) and "'khai-sinh'" in p.message for p in result.problems
    )
    k = r.province().knowledge("hoang-liet")
    assert k.book.entry("khai-sinh") is not None  # kept as the office's own entry meanwhile


def test_a_broken_overlay_at_start_serves_that_office_the_shared_faq_until_mended(
    files: dict[str, Path],
) -> None:
    good = files["dinh-cong"].read_text(encoding="utf-8")
    files["dinh-cong"].write_text("agency: [\n", encoding="utf-8")
    console = io.StringIO()
    r = reloader(files, console)  # a hundred communes must not stay down over one typo at a restart
    assert list(r.broken) == ["dinh-cong"]
    assert all(str(p).startswith(str(files["dinh-cong"])) for p in r.broken["dinh-cong"])
    notice = overlay_broken("dinh-cong", r.broken["dinh-cong"])
    assert (
        notice.startswith("Tệp hỏi đáp riêng của đơn vị 'dinh-cong' có") and str(files["dinh-cong"]) in notice
    )
    shared_phone = load_faq(str(files[""])).agency.phone
    assert phone(r, "dinh-cong") == shared_phone
    assert phone(r, "hoang-liet") == "024 3641 1111"
    assert r.reload().changed is False  # the same broken file is not reported again and again
    files["dinh-cong"].write_text(good, encoding="utf-8")
    result = r.reload()
    assert result.changed and not result.failed
    assert phone(r, "dinh-cong") == "024 3664 2222"


class _Told(io.StringIO):
    """A console that lets a test wait until the reloader has told it something."""

    def __init__(self) -> None:
        super().__init__()
        self.told = threading.Event()

    def write(self, text: str) -> int:
        if text.strip():
            self.told.set()
        return super().write(text)


async def test_an_overlay_put_back_as_it_was_served_is_said_to_be_mended(files: dict[str, Path]) -> None:
    console = _Told()
    r = reloader(files, console)
    good = files["dinh-cong"].read_text(encoding="utf-8")
    files["dinh-cong"].write_text(good.replace("phone:", "phone"), encoding="utf-8")
    assert r.reload().failed
    console.told.clear()
    files["dinh-cong"].write_text(good, encoding="utf-8")  # undone: the served version again
    stop = asyncio.Event()
    watching = asyncio.create_task(r.watch(stop, interval=0.05))
    try:
        assert await asyncio.to_thread(console.told.wait, 10)
    finally:
        stop.set()
        await watching
    assert "đã hợp lệ trở lại (giống nội dung bot đang dùng)" in console.getvalue()


async def test_watch_picks_up_an_overlay_edit(files: dict[str, Path]) -> None:
    failures: list[ReloadResult] = []
    failed_once = asyncio.Event()

    async def failed(result: ReloadResult) -> None:
        failures.append(result)
        failed_once.set()

    mended: list[str] = []
    told_mended = asyncio.Event()

    async def fixed(text: str) -> None:
        mended.append(text)
        told_mended.set()

    console = _Told()
    r = ProvinceReloader(
        str(files[""]),
        {o: str(p) for o, p in files.items() if o},
        MatchSettings(),
        on_failure=failed,
        console=console,
        on_mended=fixed,
    )
    console.told.clear()  # only what the watcher tells counts
    stop = asyncio.Event()
    task = asyncio.create_task(r.watch(stop, interval=0.02))
    try:
        path = files["hoang-liet"]
        path.write_text(
            path.read_text(encoding="utf-8").replace("024 3641 1111", "024 3641 7777"), encoding="utf-8"
        )
        assert await asyncio.to_thread(console.told.wait, 20), "the good edit was never reloaded"
        assert phone(r, "hoang-liet") == "024 3641 7777"
        good = files["dinh-cong"].read_text(encoding="utf-8")
        files["dinh-cong"].write_text("agency: [\n", encoding="utf-8")
        async with asyncio.timeout(20):
            await failed_once.wait()
        assert not mended, "the good edit of another office mended nothing"
        files["dinh-cong"].write_text(good.replace("024 3664 2222", "024 3664 3333"), encoding="utf-8")
        async with asyncio.timeout(20):
            await told_mended.wait()  # the staff group that saw the error hears it is fixed
    finally:
        stop.set()
        await task
    assert phone(r, "dinh-cong") == "024 3664 3333"
    assert all(str(p).startswith(str(files["dinh-cong"])) for p in failures[0].problems)
    assert mended == [
        f"Đã nạp lại tệp hỏi đáp {files['dinh-cong']}: {len(r.province().matcher.book.entries)} mục."
    ]


def test_run_refuses_an_office_whose_unit_is_unknown(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"faq: {{path: '{files['']}'}}\nstorage: {{salt: s}}\noffices:\n"
        f"  - {{id: hoang-liet, unit: Phường Không Có Thật, overlay: '{files['hoang-liet']}'}}\n",
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "Lỗi cấu hình: Đơn vị 'hoang-liet': không tìm thấy xã/phường 'Phường Không Có Thật'" in err


async def test_an_admins_reload_reaches_every_office_file(files: dict[str, Path]) -> None:
    from bot.admin import AdminCommands
    from bot.staff import _province_reloader
    from handlers.messages import Incoming, InKind

    r = reloader(files)
    assert _province_reloader(r) is r  # what install_staff_tools gives the admin commands in a province
    admin = AdminCommands(["42"], reloader=_province_reloader(r), log=None, knowledge=r)
    slash = Incoming(channel="telegram", chat_id="42", user_id="42", kind=InKind.COMMAND, text="reload")
    path = files["hoang-liet"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("024 3641 1111", "024 3641 7777"), encoding="utf-8"
    )
    good = await admin.handle(slash)
    assert good is not None and "Đã nạp lại" in good.text
    assert phone(r, "hoang-liet") == "024 3641 7777"
    broken = files["dinh-cong"]
    broken.write_text(broken.read_text(encoding="utf-8").replace("phone:", "phone"), encoding="utf-8")
    bad = await admin.handle(slash)
    assert bad is not None and f"{broken}:" in bad.text and "vẫn dùng nội dung cũ" in bad.text
    assert phone(r, "dinh-cong") == "024 3664 2222"


async def test_health_fingerprint_follows_every_overlay_and_names_offices_on_the_shared_faq(
    files: dict[str, Path],
) -> None:
    good = files["dinh-cong"].read_text(encoding="utf-8")
    files["dinh-cong"].write_text("agency: [\n", encoding="utf-8")
    console = io.StringIO()
    r = reloader(files, console)
    health = Health(r, MemoryStore(), overlays=r.served)
    _, start = await health.check()
    assert start["faq"]["offices"] == 2 and start["faq"]["offices_on_shared_faq"] == ["dinh-cong"]
    files["dinh-cong"].write_text(good, encoding="utf-8")
    assert r.reload().changed
    assert f"Đã nạp lại tệp hỏi đáp {files['dinh-cong']}: " in console.getvalue(), (
        "the message names the file"
    )
    _, mended = await health.check()
    assert mended["faq"]["offices_on_shared_faq"] == []
    assert mended["faq"]["fingerprint"] != start["faq"]["fingerprint"], (
        "an overlay edit changes the fingerprint"
    )
    same = ProvinceReloader(r.paths[""], {k: v for k, v in r.paths.items() if k and v}, MatchSettings())
    _, other_worker = await Health(same, MemoryStore(), overlays=same.served).check()
    assert other_worker["faq"]["fingerprint"] == mended["faq"]["fingerprint"], "same files, same fingerprint"
    assert other_worker["faq"]["entries"] == mended["faq"]["entries"]


def test_a_restart_with_a_broken_shared_faq_serves_its_last_good_copy(
    files: dict[str, Path], tmp_path: Path
) -> None:
    copy = LastGood(tmp_path / "var" / "faq-last-good.yaml")
    overlays = {office: str(path) for office, path in files.items() if office}
    ProvinceReloader(str(files[""]), overlays, MatchSettings(), last_good=copy)  # a good start keeps a copy
    good = files[""].read_text(encoding="utf-8")
    files[""].write_text(good.replace("questions:", "quesitons:", 1), encoding="utf-8")  # then a reboot
    with pytest.raises(FaqError):
        ProvinceReloader(str(files[""]), overlays, MatchSettings())
    r = ProvinceReloader(str(files[""]), overlays, MatchSettings(), last_good=copy)
    assert r.shared_broken_at_start and all(
        str(p).startswith(str(files[""])) for p in r.shared_broken_at_start
    )
    assert phone(r, "hoang-liet") == "024 3641 1111", "every office is served"
    assert r.reload().changed is False  # the same broken file is not loaded or said again
    files[""].write_text(good.replace("questions:", "questions: ", 1), encoding="utf-8")  # mended
    assert r.reload().changed and not r.shared_broken_at_start
    assert copy.path.read_text(encoding="utf-8") == files[""].read_text(encoding="utf-8"), "the new copy"
