"""Reading price tables from CSV or XLSX into numbered rows, and the dates written in them.

Line numbers are the spreadsheet's own row numbers (or the CSV's line numbers), so an operator
can go straight to the cell that was rejected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from bot.services.prices_parse import normalize

Cell = str | int | float | date | datetime | None

MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "pebruari": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6,
    "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8,
    "agt": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10,
    "okt": 10, "oct": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "december": 12, "des": 12, "dec": 12,
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_WORD_DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})")
_PERIOD = re.compile(
    r"(\d{1,2})(?:\s+([a-z]+))?(?:\s+(\d{4}))?\s*(?:-|–|—|s/d|sd|sampai|hingga|to|until)\s*"
    r"(\d{1,2})\s+([a-z]+)\s+(\d{4})"
)


class TableError(ValueError):
    """The file itself could not be read (not a row problem)."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: list[Cell]

    def text(self, index: int) -> str:
        return cell_text(self.cells[index]) if index < len(self.cells) else ""

    @property
    def blank(self) -> bool:
        return all(cell_text(c) == "" for c in self.cells)


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_table(path: Path) -> list[Row]:
    """Every row of the first sheet (XLSX) or of the file (CSV, with `,` `;` or tab)."""
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(_read_xlsx(path))
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise TableError(f"{path}: unsupported file type {path.suffix!r}; use .csv or .xlsx")


def _read_xlsx(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise TableError(f"{path}: not a readable XLSX file ({exc})") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield Row(number, [_xlsx_cell(v) for v in values])
    finally:
        book.close()


def _xlsx_cell(value: Any) -> Cell:
    return value if isinstance(value, str | int | float | date | datetime) else None


def _read_csv(path: Path) -> list[Row]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise TableError(f"{path}: cannot decode the file")
    if "\x00" in text:
        raise TableError(f"{path}: this is not a text CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    try:
        for cells in reader:
            rows.append(Row(reader.line_num, list(cells)))
    except csv.Error as exc:
        raise TableError(f"{path}: line {reader.line_num}: {exc}") from None
    return rows


def _delimiter(text: str) -> str:
    """The separator that splits most of the first lines into three or more columns.

    csv.Sniffer is misled by title rows ("Kabupaten Merangin, 02 Maret 2026") above a
    semicolon table; counting wide rows is not.
    """
    sample = "\n".join(text.splitlines()[:40])

    def wide_rows(delimiter: str) -> int:
        try:
            return sum(1 for cells in csv.reader(io.StringIO(sample), delimiter=delimiter)
                       if len(cells) >= 3)
        except csv.Error:
            return 0

    return max((",", ";", "\t"), key=wide_rows)


def parse_date(cell: Cell) -> date | None:
    """"2026-03-02", "02/03/2026" (day first), "2 Maret 2026", or a spreadsheet date."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    match = _NUMERIC_DATE.match(text)
    try:
        if match:
            a, b, c = (int(g) for g in match.groups())
            return date(a, b, c) if len(match.group(1)) == 4 else date(c, b, a)
        words = _WORD_DATE.fullmatch(normalize(text))
        if words and words.group(2) in MONTHS:
            return date(int(words.group(3)), MONTHS[words.group(2)], int(words.group(1)))
    except ValueError:
        return None
    return None


def find_date(text: str) -> date | None:
    """The first date written anywhere in a title line."""
    for token in re.findall(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text):
        found = parse_date(token)
        if found:
            return found
    for words in _WORD_DATE.finditer(normalize(text)):
        found = parse_date(words.group(0))
        if found:
            return found
    return None


def parse_period(text: str) -> tuple[date, date] | None:
    """"13 Maret – 2 April 2026", "13-19 Maret 2026", "13/03/2026 s/d 02/04/2026"."""
    numeric = re.findall(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text)
    if len(numeric) == 2:
        start, end = parse_date(numeric[0]), parse_date(numeric[1])
        return (start, end) if start and end and start <= end else None
    flat = text.lower().replace("–", "-").replace("—", "-")
    flat = re.sub(r"[^0-9a-z/ -]+", " ", flat)
    match = _PERIOD.search(" ".join(flat.split()))
    if match is None:
        return None
    day1, month1, year1, day2, month2, year2 = match.groups()
    if month2 not in MONTHS or (month1 and month1 not in MONTHS):
        return None
    try:
        end = date(int(year2), MONTHS[month2], int(day2))
        start_month = MONTHS[month1] if month1 else end.month
        start_year = int(year1) if year1 else end.year - (start_month > end.month)
        start = date(start_year, start_month, int(day1))
    except ValueError:
        return None
    return (start, end) if start <= end else None
