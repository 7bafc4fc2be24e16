"""faq.units and bot.units: the commune-level units since 2025, found however a citizen names theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.units import DEFAULT_UNITS, UnitsError, load_units, read_units
from faq.loader import load_faq
from faq.units import FormerUnit, Unit, UnitDirectory, UnitMatch


@pytest.fixture(scope="module")
def country() -> UnitDirectory:
    return load_units(None)


HOANG_LIET = "00337"
BINH_HUNG = "27619"
TAN_THANH_NINH_BINH = "13474"
PHUC_THO_LAM_HA = "24907"
DAI_KIM_SUCCESSORS = ("00316", "00337", "00364")
CON_DAO = "26732"

ONE = [
    # (text, asked, code, former name used)
    pytest.param("phường Hoàng Liệt", False, HOANG_LIET, None, id="type-word-accents"),
    pytest.param("Phường Hoàng Liệt", False, HOANG_LIET, None, id="capitalised"),
    pytest.param("hoang liet", False, HOANG_LIET, None, id="no-accents-no-type"),
    pytest.param("HOANG LIET", False, HOANG_LIET, None, id="upper-case"),
    pytest.param("p. hoang liet", False, HOANG_LIET, None, id="abbreviation-p-dot"),
    pytest.param("p hoàng liệt", False, HOANG_LIET, None, id="abbreviation-p"),
    pytest.param("phuong hoang liet", False, HOANG_LIET, None, id="type-word-no-accents"),
    pytest.param("em ở phường hoàng liệt ạ", False, HOANG_LIET, None, id="polite-answer"),
    pytest.param("dạ nhà em ở p.Hoàng Liệt ạ", False, HOANG_LIET, None, id="abbreviation-glued"),
    pytest.param(
        "em ở phường hoàng liệt, muốn hỏi làm căn cước", False, HOANG_LIET, None, id="in-a-question"
    ),
    pytest.param("hoàng liệt hoàng mai", False, HOANG_LIET, None, id="old-district-after-bare-name"),
    pytest.param("hoang liet, hoang mai, ha noi", False, HOANG_LIET, None, id="district-and-province"),
    pytest.param("xã Bình Hưng", False, BINH_HUNG, None, id="xa-accents"),
    pytest.param("xa binh hung huyen binh chanh", False, BINH_HUNG, None, id="old-district-no-accents"),
    pytest.param("x. bình hưng, h. bình chánh", False, BINH_HUNG, None, id="abbreviated-type-and-district"),
    pytest.param(
        "thị trấn Tân Thanh cũ", False, TAN_THANH_NINH_BINH, "Thị trấn Tân Thanh", id="former-thi-tran-cu"
    ),
    pytest.param(
        "xã tân thanh huyện lâm hà", False, PHUC_THO_LAM_HA, "Xã Tân Thanh", id="former-by-district"
    ),
    pytest.param(
        "xã tân thanh cũ huyện lâm hà", False, PHUC_THO_LAM_HA, "Xã Tân Thanh", id="former-cu-district"
    ),
    pytest.param(
        "xã Tân Thanh cũ nay là xã Phúc Thọ Lâm Hà", False, PHUC_THO_LAM_HA, None, id="nay-la-current"
    ),
    pytest.param("xa phuc tho lam ha", False, PHUC_THO_LAM_HA, None, id="four-word-name"),
    pytest.param("phuong 12 quan go vap", False, "26882", "Phường 12", id="numbered-ward-old-district"),
    pytest.param("p12 q go vap", False, "26882", "Phường 12", id="numbered-ward-glued"),
    pytest.param("côn đảo", False, CON_DAO, None, id="special-zone-bare"),
    pytest.param("con dao", False, CON_DAO, None, id="special-zone-no-accents"),
    pytest.param("đặc khu côn đảo", False, CON_DAO, None, id="dac-khu-type-word"),
    pytest.param("huyện côn đảo", False, CON_DAO, None, id="former-island-district"),
    pytest.param("dac khu phu quoc", False, "31078", None, id="dac-khu-no-accents"),
    pytest.param("ba dinh ha noi", False, "00004", None, id="province-disambiguates"),
    pytest.param("phường ba đình", False, "00004", None, id="type-disambiguates-phuong"),
    pytest.param("xã ba đình", False, "16171", None, id="type-disambiguates-xa"),
    pytest.param("xa tan thanh tinh lam dong", False, "23143", None, id="province-word-disambiguates"),
    pytest.param("tan thanh lam dong", False, "23143", None, id="bare-province-disambiguates"),
    pytest.param("phường hoàng liệc", False, HOANG_LIET, None, id="typo-after-type-word"),
    pytest.param("phuong hoang liec", False, HOANG_LIET, None, id="typo-no-accents"),
    pytest.param("p hoang liec", False, HOANG_LIET, None, id="typo-abbreviated-type"),
    pytest.param("phuong dinh congg", False, "00316", None, id="typo-extra-letter"),
    pytest.param("phương định công", False, "00316", None, id="typo-in-type-word-accent"),
    pytest.param("hoàng liệc", True, HOANG_LIET, None, id="asked-typo-alone"),
    pytest.param("hoangliet", True, HOANG_LIET, None, id="asked-missing-space"),
    pytest.param("hoàng liêt", True, HOANG_LIET, None, id="asked-wrong-tone-mark"),
]


@pytest.mark.parametrize(("text", "asked", "code", "former"), ONE)
def test_one_unit(country: UnitDirectory, text: str, asked: bool, code: str, former: str | None) -> None:
    match = country.resolve(text, asked=asked)
    assert match.unit is not None, match
    assert (match.unit.code, match.former_name, match.candidates) == (code, former, ())


SEVERAL = [
    # (text, the codes offered first, former name used)
    pytest.param("p. dai kim", DAI_KIM_SUCCESSORS, "Phường Đại Kim", id="split-former-ward"),
    pytest.param("Phường Đại Kim", DAI_KIM_SUCCESSORS, "Phường Đại Kim", id="split-former-accents"),
    pytest.param("đại kim", DAI_KIM_SUCCESSORS, "Phường Đại Kim", id="split-former-bare"),
    pytest.param(
        "phuong dai kim quan hoang mai", DAI_KIM_SUCCESSORS, "Phường Đại Kim", id="split-with-district"
    ),
    pytest.param(
        "phuong hoang liet cu", (HOANG_LIET, "00316", "00331"), "Phường Hoàng Liệt", id="cu-whole-first"
    ),
    pytest.param("phường 12", ("24778", "26542", "26882"), "Phường 12", id="numbered-ward-many-districts"),
    pytest.param("Ba Đình", ("00004", "16171"), None, id="same-name-two-provinces"),
    pytest.param("tân thành", ("05923", "06445", "15661"), None, id="many-tan-thanh"),
    pytest.param(
        "xa tan thanh", ("02578", "05923", "06445"), None, id="tan-thanh-without-accents-mixes-thanh"
    ),
    pytest.param(
        "tt tan thanh cu", (TAN_THANH_NINH_BINH, "25906", "27826"), None, id="no-accents-thanh-thanh"
    ),
]


@pytest.mark.parametrize(("text", "codes", "former"), SEVERAL)
def test_candidates(country: UnitDirectory, text: str, codes: tuple[str, ...], former: str | None) -> None:
    match = country.resolve(text)
    assert match.unit is None
    assert tuple(u.code for u in match.candidates) == codes
    assert match.former_name == former


NOTHING = [
    pytest.param("đăng ký kết hôn", False, id="procedure"),
    pytest.param("đăng ký kết hôn", True, id="procedure-when-asked"),
    pytest.param("làm căn cước ở đâu", False, id="question"),
    pytest.param("khai sinh", False, id="two-words"),
    pytest.param("hello", False, id="greeting"),
    pytest.param("cam on", True, id="thanks-near-cam-con"),
    pytest.param("cảm ơn", True, id="thanks-accents"),
    pytest.param("tiền điện", False, id="same-letters-other-accents-tien-dien"),
    pytest.param("tiền điện", True, id="other-accents-when-asked"),
    pytest.param("thường trú", False, id="one-letter-from-thuong-trung"),
    pytest.param("thường trú", True, id="one-letter-when-asked"),
    pytest.param("tạm vắng", True, id="tam-vang-when-asked"),
    pytest.param("hoang liec", False, id="bare-typo-not-asked"),
    pytest.param("lên phường làm những gì ạ", False, id="lam-is-not-lam"),
    pytest.param("photo công chứng căn cước ở phường được không", False, id="generic-phuong"),
    pytest.param("em ở phường ba lần rồi", False, id="one-word-name-of-other-type"),
    pytest.param("bấm biển số xe máy ở công an xã được không", False, id="generic-xa"),
    pytest.param("", False, id="empty"),
    pytest.param("   ", False, id="blank"),
    pytest.param("?!", False, id="punctuation"),
    pytest.param("xã", False, id="type-word-alone"),
    pytest.param("phường nào cũng được", False, id="type-word-in-sentence"),
    pytest.param("ok", True, id="ok-when-asked"),
]


@pytest.mark.parametrize(("text", "asked"), NOTHING)
def test_nothing(country: UnitDirectory, text: str, asked: bool) -> None:
    assert country.resolve(text, asked=asked) == UnitMatch(None, (), None)


def test_no_question_of_the_shipped_faq_names_a_unit(country: UnitDirectory) -> None:
    book = load_faq(None)
    texts = [t for e in book.entries for t in (e.title, *e.questions, *e.keywords)]
    named = {t: country.resolve(t) for t in texts}
    assert len(texts) > 1000
    assert {t: m for t, m in named.items() if m.unit or m.candidates} == {}


def test_restricted_directory_makes_a_common_name_unique(country: UnitDirectory) -> None:
    lam_dong = UnitDirectory(u for u in country if u.province == "Tỉnh Lâm Đồng")
    assert 0 < len(lam_dong) < len(country)
    match = lam_dong.resolve("xã tân thành")
    assert match.unit is not None and match.unit.code == "23143"
    assert country.resolve("xã tân thành").unit is None


def test_directory_from_plain_units() -> None:
    units = [
        Unit("00001", "Phường Một", "Tỉnh A", ("Phường Cũ",)),
        Unit("00002", "Xã Hai", "Tỉnh A", (), (FormerUnit("Xã Cũ", "Huyện Xưa", partial=True),)),
    ]
    directory = UnitDirectory(units)
    assert len(directory) == 2
    assert directory.by_code("00002") is units[1]
    assert directory.by_code("99999") is None
    assert directory.resolve("phuong cu") == UnitMatch(units[0], (), "Phường Cũ")
    assert directory.resolve("xa cu huyen xua") == UnitMatch(units[1], (), "Xã Cũ")


def test_shipped_list(country: UnitDirectory) -> None:
    assert len(country) == 3321
    unit = country.by_code(HOANG_LIET)
    assert unit is not None and unit.province == "Thành phố Hà Nội"
    assert "Phường Đại Kim" in unit.former_names
    assert DEFAULT_UNITS.read_text(encoding="utf-8").startswith("# ")


# --- bot.units: the file ------------------------------------------------------------------

HEADER = "mã,tên,tỉnh,tên cũ\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_comments_quotes_and_former_notes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# chú thích\n" + HEADER + '283,Phường A,Tỉnh B,"Xã C (Huyện D, một phần); Thị trấn E"\n'
        "00284,Xã F,Tỉnh B\n",
    )
    units = read_units(path)
    assert [u.code for u in units] == ["00283", "00284"]  # a spreadsheet drops leading zeros
    assert units[0].former == (FormerUnit("Xã C", "Huyện D", True), FormerUnit("Thị trấn E", "", False))
    assert units[0].former_names == ("Xã C", "Thị trấn E")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("ma,ten\n00001,Xã A,Tỉnh B,\n", 1, "dòng tiêu đề", id="bad-header"),
        pytest.param(HEADER + "12a45,Xã A,Tỉnh B,\n", 2, "không hợp lệ", id="bad-code"),
        pytest.param(
            HEADER + "00001,Xã A,Tỉnh B,\n# x\n00001,Xã C,Tỉnh B,\n", 4, "trùng với dòng 2", id="duplicate"
        ),
        pytest.param(HEADER + "00001,Xã A,Tỉnh B,Xã C,Xã D\n", 2, "cần 4 cột", id="too-many-columns"),
        pytest.param(HEADER + "00001,,Tỉnh B,\n", 2, "thiếu tên đơn vị", id="missing-name"),
        pytest.param(
            HEADER + "00001,Xã A,Tỉnh B,Xã C (Huyện (D))\n", 2, "không đọc được tên cũ", id="bad-former"
        ),
    ],
)
def test_bad_file_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UnitsError) as caught:
        load_units(str(path))
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}:{line}: ")
    assert words in caught.value.problems[0]


def test_every_problem_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,Xã A,Tỉnh B,\n00002,Xã A,,\n")
    with pytest.raises(UnitsError) as caught:
        read_units(path)
    assert [p.split(": ")[0] for p in caught.value.problems] == [f"{path}:2", f"{path}:3"]


def test_empty_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(UnitsError, match="tệp trống"):
        read_units(write(tmp_path, "# chỉ có chú thích\n"))
    with pytest.raises(UnitsError, match="Không tìm thấy tệp danh sách xã/phường"):
        read_units(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode() + "00001,Xã Đông,Tỉnh B,\n".encode("latin-1", errors="replace") + b"\xff\xfe"
    )
    with pytest.raises(UnitsError, match="UTF-8"):
        read_units(latin)


def test_restriction_by_codes(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "00001,Xã Tân Thành,Tỉnh A,\n00002,Xã Tân Thành,Tỉnh A,\n00003,Xã B,Tỉnh A,\n"
    )
    assert len(load_units(str(path))) == 3
    assert load_units(str(path)).resolve("xa tan thanh").unit is None
    mine = load_units(str(path), codes=["00002", "3"])
    assert len(mine) == 2
    match = mine.resolve("xa tan thanh")
    assert match.unit is not None and match.unit.code == "00002"


def test_unknown_code_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "00001,Xã A,Tỉnh B,\n")
    with pytest.raises(UnitsError) as caught:
        load_units(str(path), codes=["00001", "00999", "12345"])
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}: ") and "00999, 12345" in problem


def test_shipped_list_restricted(country: UnitDirectory) -> None:
    hanoi = [u.code for u in country if u.province == "Thành phố Hà Nội"]
    directory = load_units(None, codes=hanoi)
    assert len(directory) == len(hanoi) == 126
    with pytest.raises(UnitsError, match=str(DEFAULT_UNITS)):
        load_units(None, codes=["99999"])
