"""Price files: the long format and the official exports, all or nothing, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services.price_import import ImportFailed, apply_import, plan_import
from bot.services.price_import_rows import ImportOptions
from models.price import Commodity, Price, PriceAudit, PricePoint

TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
LONG_HEADER = "tanggal,komoditas,tempat,tingkat,harga,satuan,sumber,kualitas\n"
GOOD_LONG = LONG_HEADER + (
    "2026-03-02,karet,Kec. Bangko,produsen,14.000,kg,Survei fasilitator,\n"
    "02/03/2026,Getah,Pasar Rakyat Bangko,grosir,Rp 15rb,kg,Survei fasilitator,KKK 50%\n"
    "2026-03-09,kayu manis,Muara Madras,produsen,\"56.000\",kg,Survei fasilitator,\n"
    "2026-03-13,TBS,disbun-jambi,penetapan,\"3.669,78\",kg,Disbun Jambi,10-20 tahun\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def xlsx(tmp_path: Path, name: str, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


async def count(sessionmaker: SessionMaker, model: type = Price) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def load(sessionmaker: SessionMaker, path: Path, **options: Any) -> Any:
    plan = await plan_import(sessionmaker, path, TODAY, ImportOptions(**options))
    return plan, await apply_import(sessionmaker, plan, NOW)


async def failure(sessionmaker: SessionMaker, path: Path, **options: Any) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        await plan_import(sessionmaker, path, TODAY, ImportOptions(**options))
    assert await count(sessionmaker) == 0, "a failed file imports nothing"
    return caught.value.problems


async def test_long_csv_below_title_rows_is_idempotent(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    path = write(tmp_path, "harga.csv", "Harga komoditas Kabupaten Merangin\nMaret 2026\n\n"
                 + GOOD_LONG)
    plan, first = await load(sessionmaker, path)
    assert plan.format == "long"
    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    _, second = await load(sessionmaker, path)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 4)
    assert await count(sessionmaker) == 4
    async with sessionmaker() as session:
        tbs = await session.scalar(select(Price).join(Commodity).where(Commodity.code == "tbs"))
        rubber = await session.scalar(select(Price).where(Price.quality == "50"))
    assert tbs is not None and (tbs.value, tbs.quality, tbs.level) == (
        Decimal("3669.78"), "10-20", "penetapan")
    assert rubber is not None and rubber.value == Decimal(15000)


async def test_a_changed_price_is_updated_with_an_audit_record(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load(sessionmaker, write(tmp_path, "a.csv", GOOD_LONG))
    changed = GOOD_LONG.replace("14.000", "14.250")
    _, result = await load(sessionmaker, write(tmp_path, "b.csv", changed))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 3)
    async with sessionmaker() as session:
        audit = (await session.scalars(select(PriceAudit))).one()
    assert (audit.old_value, audit.new_value, audit.action) == (
        Decimal(14000), Decimal(14250), "updated")


async def test_xlsx_with_date_cells_and_numbers(sessionmaker: SessionMaker,
                                                tmp_path: Path) -> None:
    path = xlsx(tmp_path, "harga.xlsx", [
        ["Laporan harga pasar"], [],
        ["Date", "Commodity", "Place", "Level", "Price", "Unit", "Source"],
        [datetime(2026, 3, 2), "Cabai merah", "pasar-baru-bangko", "eceran", 45000, "kg",
         "Survei"],
        [datetime(2026, 3, 3), "cabe merah", "Pasar Baru Bangko", "retail", 47500.0, "Kg",
         "Survei"],
    ])
    plan, result = await load(sessionmaker, path)
    assert result.added == 2 and [r.line for r in plan.rows] == [4, 5]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026-03-02,karet,Kec. Bangko,produsen,abc,kg,S,", "line 3: cannot read the price 'abc'"),
        ("2026-03-02,karet,Kec. Bangko,produsen,0,kg,S,", "line 3: the price '0' is zero"),
        ("2026-03-02,karet,Kec. Bangko,produsen,-14000,kg,S,",
         "line 3: the price '-14000' is negative"),
        ("2026-03-02,kakao,Kec. Bangko,produsen,14000,kg,S,", "line 3: unknown commodity 'kakao'"),
        ("2026-03-02,karret,Kec. Bangko,produsen,14000,kg,S,",
         "line 3: unknown commodity 'karret' (did you mean Karet?)"),
        ("2026-03-02,karet,Pasar Mars,produsen,14000,kg,S,", "line 3: unknown place 'Pasar Mars'"),
        ("2026-03-02,karet,Kec. Bangko,produsen,14000,liter,S,",
         "line 3: unit 'liter' does not fit Karet, which is priced per kg"),
        ("2026-03-02,karet,Kec. Bangko,produsen,14000,karung,S,",
         "line 3: unknown unit 'karung'"),
        ("2026-03-02,karet,Kec. Bangko,tengkulak,14000,kg,S,", "line 3: unknown level 'tengkulak'"),
        ("2026-03-25,karet,Kec. Bangko,produsen,14000,kg,S,",
         "line 3: the date 2026-03-25 is in the future"),
        ("32/03/2026,karet,Kec. Bangko,produsen,14000,kg,S,",
         "line 3: cannot read the date '32/03/2026'"),
        ("2026-03-02,karet,Kec. Bangko,produsen,14000,kg,S,KKK 45%",
         "line 3: 'KKK 45%' is not a quality of Karet"),
        ("2026-03-02,karet,,produsen,14000,kg,,", "line 3: empty place, source"),
    ],
)
async def test_every_bad_row_is_named_and_nothing_is_imported(
    sessionmaker: SessionMaker, tmp_path: Path, row: str, expected: str
) -> None:
    text = (LONG_HEADER + "2026-03-01,karet,Kec. Bangko,produsen,14.000,kg,S,\n" + row + "\n"
            + "2026-03-03,karet,Kec. Bangko,produsen,14.100,kg,S,\n")
    problems = await failure(sessionmaker, write(tmp_path, "bad.csv", text))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


async def test_all_bad_rows_are_listed(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    text = LONG_HEADER + "".join(f"2026-03-0{d},karet,Kec. Bangko,produsen,x{d},kg,S,\n"
                                 for d in range(1, 6))
    problems = await failure(sessionmaker, write(tmp_path, "bad.csv", text))
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(2, 7)]


async def test_duplicate_rows(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    same = "2026-03-02,karet,Kec. Bangko,produsen,14.000,kg,S,\n"
    plan, result = await load(sessionmaker, write(tmp_path, "dup.csv", LONG_HEADER + same * 2))
    assert result.added == 1 and plan.notices == ["line 3: repeats line 2; counted once"]
    conflict = LONG_HEADER + same + same.replace("14.000", "15.000")
    problems = await failure_after(sessionmaker, write(tmp_path, "conflict.csv", conflict))
    assert problems == ["line 3: conflicts with line 2: same commodity, place, level and date "
                        "but 15000.00 instead of 14000.00"]


async def failure_after(sessionmaker: SessionMaker, path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        await plan_import(sessionmaker, path, TODAY)
    return caught.value.problems


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", "", "no header row found"),
        ("notes.csv", "just,some\nwords,here\n", "no header row found"),
        ("broken.xlsx", "this is not a spreadsheet", "not a readable XLSX file"),
        ("prices.pdf", "%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
async def test_malformed_files(sessionmaker: SessionMaker, tmp_path: Path, name: str,
                               content: str, expected: str) -> None:
    problems = await failure(sessionmaker, write(tmp_path, name, content))
    assert expected in problems[0]


async def test_missing_file(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    problems = await failure(sessionmaker, tmp_path / "nowhere.csv")
    assert "no such file" in problems[0]


async def test_far_off_prices_need_a_confirmation(sessionmaker: SessionMaker,
                                                  tmp_path: Path) -> None:
    await load(sessionmaker, write(tmp_path, "a.csv", GOOD_LONG))
    slip = LONG_HEADER + "2026-03-03,karet,Kec. Bangko,produsen,140.001,kg,S,\n"
    plan = await plan_import(sessionmaker, write(tmp_path, "b.csv", slip), TODAY)
    assert [(row.line, usual) for row, usual in plan.outliers] == [(2, Decimal(14000))]
    own = LONG_HEADER + "".join(f"2026-03-0{d},pinang,Kec. Tabir,produsen,{v},kg,S,\n"
                                for d, v in ((1, "9.000"), (2, "9.100"), (3, "95.000")))
    plan = await plan_import(sessionmaker, write(tmp_path, "c.csv", own), TODAY)
    assert [row.line for row, _ in plan.outliers] == [4], "the file's own median when new"


PIHPS = [
    ["Tabel Harga Berdasarkan Komoditas di Provinsi Jambi"],
    ["Pasar Tradisional"],
    [],
    ["No.", "Komoditas (Rp)", "02/03/2026", "03/03/2026", "04/03/2026"],
    ["I", "Beras", "14,350", "14,350", "-"],
    ["", "Beras Kualitas Bawah I", "13,100", "13,100", "13,150"],
    ["", "Beras Kualitas Medium I", "14,300", "14,350", "14,400"],
    ["", "Beras Kualitas Medium II", "14,500", "14,500", "14,550"],
    ["II", "Daging Sapi", "140,000", "140,000", "140,000"],
    ["III", "Cabai Merah Keriting", "43,550", "-", "45,000"],
    ["IV", "Bawang Merah", "38,250", "38,500", "38,500"],
]


async def test_pihps_grid(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    plan, result = await load(sessionmaker, xlsx(tmp_path, "pihps.xlsx", PIHPS))
    assert plan.format == "pihps"
    assert result.added == 2 + 3 + 2 + 3
    assert plan.notices == [
        "line 6: skipped 'Beras Kualitas Bawah I', a variety of Beras Berdaya does not follow",
        *["line 8: skipped, same commodity and quality as line 7"] * 3,
        "line 9: skipped 'Daging Sapi', not in the catalogue",
    ]
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(Commodity.code, Price.quality, Price.value, Price.level, PricePoint.code)
            .join(Commodity).join(PricePoint).where(Price.observed_on == date(2026, 3, 2))
            .order_by(Commodity.code, Price.quality))).all()
    assert [tuple(r) for r in rows] == [
        ("bawang_merah", "", Decimal(38250), "eceran", "pihps-jambi"),
        ("beras", "", Decimal(14350), "eceran", "pihps-jambi"),
        ("beras", "medium", Decimal(14300), "eceran", "pihps-jambi"),
        ("cabai_merah", "keriting", Decimal(43550), "eceran", "pihps-jambi"),
    ]
    _, again = await load(sessionmaker, xlsx(tmp_path, "pihps.xlsx", PIHPS))
    assert (again.added, again.updated) == (0, 0)


async def test_pihps_bad_cell_and_future_column(sessionmaker: SessionMaker,
                                                tmp_path: Path) -> None:
    broken = [row[:] for row in PIHPS]
    broken[9][3] = "4x,550"
    problems = await failure(sessionmaker, xlsx(tmp_path, "a.xlsx", broken))
    assert problems == ["line 10: Cabai Merah Keriting, 03/03/2026: cannot read the price "
                        "'4x,550'"]
    future = [row[:] for row in PIHPS]
    future[3][4] = "21/03/2026"
    problems = await failure(sessionmaker, xlsx(tmp_path, "b.xlsx", future))
    assert problems == ["line 4: the date 2026-03-21 is in the future"]


BAPANAS = (
    "Panel Harga Pangan - Harga Rata-Rata Tingkat Produsen\n"
    "Kabupaten Merangin, 02 Maret 2026\n"
    "No;Komoditas;Satuan;Harga Kemarin;Harga Hari Ini;Perubahan (%)\n"
    "1;Gabah Kering Panen (GKP);Rp./Kg;6.500;6.550;0,77\n"
    "2;Jagung Tk Peternak;Rp./Kg;5.200;0;0\n"
    "3;Minyak Goreng Curah;Rp./Lt;15.000;15.100;0,67\n"
    "4;Daging Sapi Murni;Rp./Kg;135.000;135.000;0\n"
)


async def test_bapanas_panel(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    plan, result = await load(sessionmaker, write(tmp_path, "bapanas.csv", BAPANAS))
    assert plan.format == "bapanas" and result.added == 5
    async with sessionmaker() as session:
        rows = (await session.execute(
            select(Commodity.code, Price.quality, Price.observed_on, Price.value, Price.level)
            .join(Commodity).order_by(Commodity.code, Price.observed_on))).all()
    assert [tuple(r) for r in rows] == [
        ("gabah", "gkp", date(2026, 3, 1), Decimal(6500), "produsen"),
        ("gabah", "gkp", date(2026, 3, 2), Decimal(6550), "produsen"),
        ("jagung", "", date(2026, 3, 1), Decimal(5200), "produsen"),
        ("minyak_goreng", "curah", date(2026, 3, 1), Decimal(15000), "produsen"),
        ("minyak_goreng", "curah", date(2026, 3, 2), Decimal(15100), "produsen"),
    ]


async def test_bapanas_wrong_unit_and_missing_date(sessionmaker: SessionMaker,
                                                   tmp_path: Path) -> None:
    wrong = BAPANAS.replace("Minyak Goreng Curah;Rp./Lt", "Minyak Goreng Curah;Rp./Kg")
    problems = await failure(sessionmaker, write(tmp_path, "a.csv", wrong))
    assert problems == ["line 6: Minyak Goreng Curah: unit 'Rp./Kg' does not fit Minyak "
                        "goreng, which is priced per liter"]
    undated = BAPANAS.replace("Kabupaten Merangin, 02 Maret 2026", "Kabupaten Merangin")
    problems = await failure(sessionmaker, write(tmp_path, "b.csv", undated))
    assert problems[0].startswith("line 3: no date for the column 'Harga Kemarin'")
    _, result = await load(sessionmaker, write(tmp_path, "b.csv", undated),
                           day=date(2026, 3, 2))
    assert result.added == 5


DISBUN = [
    ["PENETAPAN HARGA TBS PRODUKSI PEKEBUN PROVINSI JAMBI"],
    ["Periode 13 Maret – 2 April 2026"],
    [],
    ["No", "Umur Tanaman (Tahun)", "Harga TBS (Rp/Kg)"],
    [1, "3", "2.533,41"],
    [2, "10 - 20", "3.669,78"],
    [3, "21 - 24", "3.550,12"],
    [4, "25 ke atas", "3.321,00"],
    [None, "Indeks K", "92,45%"],
]


async def test_disbun_tbs_table(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    plan, result = await load(sessionmaker, xlsx(tmp_path, "disbun.xlsx", DISBUN))
    assert plan.format == "disbun" and result.added == 4
    assert plan.notices == ["line 9: skipped 'Indeks K', not a palm-age band"]
    async with sessionmaker() as session:
        prime = await session.scalar(select(Price).where(Price.quality == "10-20"))
        qualities = set((await session.scalars(select(Price.quality))).all())
    assert prime is not None
    assert (prime.value, prime.observed_on, prime.valid_until, prime.level, prime.source) == (
        Decimal("3669.78"), date(2026, 3, 13), date(2026, 4, 2), "penetapan",
        "Disbun Provinsi Jambi")
    assert qualities == {"3", "10-20", "21-24", "25+"}


async def test_disbun_without_period(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    rows = [row for row in DISBUN if row != ["Periode 13 Maret – 2 April 2026"]]
    problems = await failure(sessionmaker, xlsx(tmp_path, "disbun.xlsx", rows))
    assert problems[0].startswith("line 3: no period found")
