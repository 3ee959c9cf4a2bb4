"""What every price-file format produces: validated rows, problems and notices by line number,
and the small readers of cells they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.services.price_import_read import Cell, cell_text
from bot.services.prices_parse import normalize, parse_amount
from models.price import Commodity, Level, PricePoint

LEVEL_WORDS = [
    ("pedagang besar", Level.GROSIR), ("grosir", Level.GROSIR), ("wholesale", Level.GROSIR),
    ("penetapan", Level.PENETAPAN), ("set price", Level.PENETAPAN),
    ("tingkat petani", Level.PRODUSEN), ("produsen", Level.PRODUSEN),
    ("producer", Level.PRODUSEN), ("farm gate", Level.PRODUSEN), ("petani", Level.PRODUSEN),
    ("eceran", Level.ECERAN), ("konsumen", Level.ECERAN), ("retail", Level.ECERAN),
    ("pasar tradisional", Level.ECERAN), ("pasar modern", Level.ECERAN),
]


@dataclass(frozen=True)
class ImportOptions:
    place: str | None = None
    level: str | None = None
    day: date | None = None
    """"Today" for a Bapanas export whose columns say only "hari ini"."""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    commodity: Commodity
    quality: str
    place: PricePoint
    level: str
    value: Decimal
    observed_on: date
    valid_until: date | None
    source: str

    @property
    def key(self) -> tuple[int, int, str, str, date]:
        return (self.commodity.id, self.place.id, self.level, self.quality, self.observed_on)


@dataclass
class Parsed:
    format: str
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    _seen: dict[tuple[int, int, str, str, date], ImportRow] = field(default_factory=dict)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"line {line}: {message}")

    def add(self, row: ImportRow, *, first_wins: bool = False) -> None:
        """Keeps one row per commodity, quality, place, level and day.

        A repeated row is counted once; two different prices for the same key are an error,
        except in official grids where a sub-variety (Beras Kualitas Bawah II) falls on the
        same key as its group row and the group row, which comes first, is kept.
        """
        earlier = self._seen.get(row.key)
        if earlier is None:
            self._seen[row.key] = row
            self.rows.append(row)
        elif first_wins:
            self.notices.append(f"line {row.line}: skipped, same commodity and quality as "
                                f"line {earlier.line}")
        elif earlier.value == row.value:
            self.notices.append(f"line {row.line}: repeats line {earlier.line}; counted once")
        else:
            self.problem(row.line, f"conflicts with line {earlier.line}: same commodity, place, "
                                   f"level and date but {row.value} instead of {earlier.value}")


def find_column(names: list[str], *words: str) -> int | None:
    """The first column whose (normalized) header holds one of the words."""
    return next((i for i, cell in enumerate(names) if any(w in cell.split() for w in words)),
                None)


def found_column(names: list[str], *words: str) -> int:
    """A column the format was recognised by, so it is there."""
    index = find_column(names, *words)
    assert index is not None, words
    return index


def header_names(cells: list[Cell]) -> list[str]:
    return [normalize(cell_text(c)) for c in cells]


def level_named(text: str) -> str | None:
    words = f" {normalize(text)} "
    return next((level for word, level in LEVEL_WORDS if f" {word} " in words), None)


def amount(cell: Cell) -> Decimal:
    """A number cell, or text written either way ("43,550", "3.669,78")."""
    if isinstance(cell, int | float):
        return Decimal(str(cell))
    return parse_amount(cell_text(cell))


def in_future(parsed: Parsed, line: int, day: date, today: date) -> bool:
    if day > today:
        parsed.problem(line, f"the date {day.isoformat()} is in the future")
        return True
    return False
