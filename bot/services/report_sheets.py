"""Writing the report's sheets with openpyxl's write-only workbook: rows go straight to disk.

Every sheet gets a bold, frozen header row, column widths, a filter, and number formats for
dates (naive WIB: Excel has no time zones), rupiah, percentages and ratings. Text from members
and staff is always written as text: a name or title starting with "=" never becomes a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.services import report_columns as words
from bot.services.report_columns import FORMATS, Column, Kind

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


def _text_cell(sheet: WriteOnlyWorksheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


class SheetWriter:
    def __init__(self, book: Workbook, title: str, columns: list[Column]) -> None:
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.columns = columns
        self.rows = 0
        for number, column in enumerate(columns, 1):
            self.sheet.column_dimensions[get_column_letter(number)].width = column.width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([_text_cell(self.sheet, c.header, BOLD) for c in columns])

    def _cell(self, value: Any, kind: Kind) -> Any:
        """Plain values as they are (openpyxl wraps them); a cell only where it must differ."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            if value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value):
                return _text_cell(self.sheet, value)
            return value
        if kind not in FORMATS:
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = FORMATS[kind]
        return cell

    def append(self, values: list[Any]) -> None:
        self.sheet.append([self._cell(v, c.kind)
                           for v, c in zip(values, self.columns, strict=True)])
        self.rows += 1

    def extend(self, rows: list[list[Any]]) -> None:
        for values in rows:
            self.append(values)

    def finish(self) -> int:
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        return self.rows


def long_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


@dataclass(frozen=True, slots=True)
class Cover:
    """What the guide sheet says about this export."""

    start: date
    end: date
    generated: datetime
    """Naive WIB."""
    kabupaten: str
    scope: str
    limited: bool
    """One kecamatan rather than the whole kabupaten."""
    contacts: bool
    counts: dict[str, int]
    new_members: int


SHEETS = [
    (words.MEMBERS, "Anggota yang sudah mendaftar sampai akhir periode (termasuk yang mendaftar "
                    "sebelumnya). Anggota yang meminta datanya dihapus tidak dicantumkan.",
     words.MEMBER_COLUMNS),
    (words.TRAININGS, "Pelatihan yang dimulai dalam periode ini.", words.TRAINING_COLUMNS),
    (words.ATTENDANCE, "Satu baris per anggota per pelatihan dari lembar Pelatihan: pendaftaran, "
                       "kehadiran dan nilai.", words.ATTENDANCE_COLUMNS),
    (words.PRICES, "Harga yang dicatat untuk hari-hari dalam periode ini. Laporan warga yang "
                   "ditolak fasilitator tidak dicantumkan.", words.PRICE_COLUMNS),
    (words.BROADCASTS, "Siaran (pengumuman) yang dikirim atau dijadwalkan dalam periode ini.",
     words.BROADCAST_COLUMNS),
]
LIMITED = ("Laporan satu kecamatan: lembar Anggota dan Kehadiran hanya memuat anggota yang "
           "tinggal di kecamatan ini (anggota yang datanya sudah dihapus tidak tercantum); "
           "angka di lembar Pelatihan tetap menghitung semua peserta. "
           "Lembar Harga memuat harga di pasar dan kebun kecamatan ini. Lembar Siaran memuat "
           "siaran yang sampai ke anggota di kecamatan ini, dan angkanya dihitung untuk mereka "
           "saja (siaran yang baru dijadwalkan belum tercantum).")


def write_guide(sheet: WriteOnlyWorksheet, cover: Cover, phone: Column | None) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100

    def line(label: str, value: Any = None, font: Font | None = None) -> None:
        right: Any = value
        if isinstance(value, str):
            right = _text_cell(sheet, value)
            right.alignment = WRAP
        elif isinstance(value, datetime):
            right = WriteOnlyCell(sheet, value=value)
            right.number_format = FORMATS[Kind.MOMENT]
            right.alignment = Alignment(horizontal="left")
        sheet.append([_text_cell(sheet, label, font or BOLD), right])

    sheet.append([_text_cell(sheet, f"Laporan Program Berdaya — {cover.kabupaten}", TITLE)])
    sheet.append([])
    line("Periode", f"{long_date(cover.start)} sampai {long_date(cover.end)}")
    line("Cakupan", cover.scope)
    line("Dibuat pada", cover.generated)
    line("Nomor telepon", "Dicantumkan (kolom Telepon di lembar Anggota). Data pribadi: simpan "
                          "dengan aman dan jangan disebarkan." if cover.contacts
         else "Tidak dicantumkan.")
    line("Jumlah baris", "; ".join(f"{name}: {count}" for name, count in cover.counts.items()))
    line("Anggota baru", f"{cover.new_members} anggota mendaftar dalam periode ini.")
    empty = [name for name, count in cover.counts.items() if not count]
    if len(empty) == len(cover.counts):
        line("Catatan", "Tidak ada data untuk periode dan cakupan ini. Lembar-lembar tetap "
                        "disertakan dengan judul kolom saja.")
    elif empty:
        line("Catatan", "Tidak ada data pada lembar: " + ", ".join(empty) + ".")
    if cover.limited:
        line("Satu kecamatan", LIMITED)
    line("Waktu", "Semua tanggal dan jam dalam Waktu Indonesia Barat (WIB).")
    for title, about, columns in SHEETS:
        sheet.append([])
        line(f"Lembar {title}", about, TITLE)
        shown = [*columns, phone] if title == words.MEMBERS and phone else columns
        for column in shown:
            line(column.header, column.explanation, Font())
