"""Which of the four table shapes a file is, and Berdaya's own long format.

- long: Berdaya's own (date, commodity, place, level, price, unit, source[, quality]);
- PIHPS (Bank Indonesia) grid: one row per commodity, one column per day (`DD/MM/YYYY`),
  values like "43,550", "-" when not reported;
- Bapanas price panel: one row per commodity with its `satuan` (Rp./Kg), yesterday and today,
  0 when there is no data;
- Disbun Jambi TBS table: the set price per palm-age band for a period, written "3.669,78".

The header is looked for below any title rows; the official shapes live in
price_import_official.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from bot.services.price_import_official import read_bapanas, read_disbun, read_pihps
from bot.services.price_import_read import Row, parse_date
from bot.services.price_import_rows import (
    ImportOptions,
    ImportRow,
    Parsed,
    find_column,
    header_names,
    level_named,
)
from bot.services.prices import Catalogue
from bot.services.prices_parse import PriceParseError, checked_price, parse_price, parse_unit
from models.price import Commodity

HEADER_SCAN = 30
LONG_COLUMNS = {
    "date": ("tanggal", "date", "tgl"),
    "commodity": ("komoditas", "commodity", "komoditi"),
    "place": ("tempat", "place", "lokasi", "pasar", "location", "titik harga"),
    "level": ("level", "tingkat", "tingkat harga"),
    "price": ("harga", "price", "nilai"),
    "unit": ("satuan", "unit"),
    "source": ("sumber", "source"),
    "quality": ("kualitas", "quality", "mutu", "kkk", "umur", "grade", "jenis"),
}
REQUIRED = ("date", "commodity", "place", "level", "price", "unit", "source")

Reader = Callable[[list[Row], int, Catalogue, ImportOptions, date], Parsed]


def parse_table(rows: list[Row], catalogue: Catalogue, options: ImportOptions,
                today: date) -> Parsed:
    """Finds the header below any title rows, recognises the format and reads every row."""
    for index, row in enumerate(rows[:HEADER_SCAN]):
        reader = _recognise(row)
        if reader is not None:
            return reader(rows, index, catalogue, options, today)
    parsed = Parsed("unknown")
    parsed.problems.append(
        f"no header row found in the first {HEADER_SCAN} lines: expected the columns "
        "date, commodity, place, level, price, unit, source (or a PIHPS, Bapanas or "
        "Disbun Jambi export)"
    )
    return parsed


def _recognise(row: Row) -> Reader | None:
    header = header_names(row.cells)

    def has(*words: str) -> bool:
        return find_column(header, *words) is not None

    if has("umur") and has("harga"):
        return read_disbun
    if has("komoditas", "komoditi") and has("satuan") and not has("tanggal", "date"):
        return read_bapanas
    if has("komoditas", "komoditi") and any(parse_date(c) for c in row.cells):
        return read_pihps
    if all(_column(header, name) is not None for name in REQUIRED):
        return _read_long
    return None


def _column(header: list[str], name: str) -> int | None:
    aliases = LONG_COLUMNS[name]
    return next((i for i, cell in enumerate(header) if cell in aliases), None)


def _read_long(rows: list[Row], header: int, catalogue: Catalogue, options: ImportOptions,
               today: date) -> Parsed:
    parsed = Parsed("long")
    names = header_names(rows[header].cells)
    columns = {name: _column(names, name) for name in LONG_COLUMNS}
    for row in rows[header + 1:]:
        if row.blank:
            continue
        values = {name: (row.text(i) if i is not None else "") for name, i in columns.items()}
        missing = [name for name in REQUIRED if not values[name]]
        if missing:
            parsed.problem(row.line, f"empty {', '.join(missing)}")
            continue
        _long_row(parsed, row, values, columns, catalogue, today)
    return parsed


def _long_row(parsed: Parsed, row: Row, values: dict[str, str], columns: dict[str, int | None],
              catalogue: Catalogue, today: date) -> None:
    errors: list[str] = []
    date_index = columns["date"]
    day = parse_date(row.cells[date_index]) if date_index is not None else None
    if day is None:
        errors.append(f"cannot read the date {values['date']!r} (use YYYY-MM-DD or DD/MM/YYYY)")
    elif day > today:
        errors.append(f"the date {day.isoformat()} is in the future")
    commodity, quality = _long_commodity(values, catalogue, errors)
    match = catalogue.match_place(values["place"])
    place = catalogue.place(int(match.key)) if match.key is not None else None
    if place is None:
        errors.append(f"unknown place {values['place']!r}" + _did_you_mean(
            [p.name for k in match.suggestions if (p := catalogue.place(int(k)))]))
    level = level_named(values["level"])
    if level is None:
        errors.append(f"unknown level {values['level']!r} "
                      "(use produsen, grosir, eceran or penetapan)")
    value = _long_value(row, values, columns, commodity, errors)
    if errors:
        parsed.problem(row.line, "; ".join(errors))
        return
    assert commodity and place and level and day and value is not None
    parsed.add(ImportRow(row.line, commodity, quality, place, level, value, day, None,
                         values["source"][:120]))


def _long_commodity(values: dict[str, str], catalogue: Catalogue, errors: list[str]
                    ) -> tuple[Commodity | None, str]:
    match = catalogue.match_commodity(values["commodity"], fuzzy=False)
    commodity = catalogue.commodity(int(match.key)) if match.key is not None else None
    if commodity is None:
        errors.append(f"unknown commodity {values['commodity']!r}" + _did_you_mean(
            [c.name_id for k in match.suggestions if (c := catalogue.commodity(int(k)))]))
        return None, ""
    text = values["quality"] or ""
    quality = catalogue.match_quality(commodity, text) if text else None
    if text and quality is None:
        known = ", ".join(q.name_id for q in commodity.qualities) or "none"
        errors.append(f"{text!r} is not a quality of {commodity.name_id} (known: {known})")
    if not text:
        quality = catalogue.match_quality(commodity, values["commodity"])
    return commodity, quality or ""


def _long_value(row: Row, values: dict[str, str], columns: dict[str, int | None],
                commodity: Commodity | None, errors: list[str]) -> Decimal | None:
    price_cell = row.cells[columns["price"]] if columns["price"] is not None else None
    try:
        unit, factor = parse_unit(values["unit"])
        if isinstance(price_cell, int | float):
            parsed = checked_price(Decimal(str(price_cell)))
        else:
            parsed = parse_price(values["price"])
    except PriceParseError as exc:
        errors.append(_price_problem(exc, values))
        return None
    if commodity is not None and unit != commodity.unit:
        errors.append(f"unit {values['unit']!r} does not fit {commodity.name_id}, "
                      f"which is priced per {commodity.unit}")
        return None
    if parsed.unit is not None and parsed.unit != unit:
        errors.append(f"the price {values['price']!r} names another unit than {values['unit']!r}")
        return None
    return (parsed.value / factor).quantize(Decimal("0.01"))


def _price_problem(exc: PriceParseError, values: dict[str, str]) -> str:
    return {
        "zero": f"the price {values['price']!r} is zero",
        "negative": f"the price {values['price']!r} is negative",
        "too_large": f"the price {values['price']!r} is too large",
        "unknown_unit": f"unknown unit {exc.detail!r} (use kg or liter)",
    }.get(exc.problem, f"cannot read the price {values['price']!r}")


def _did_you_mean(names: list[str]) -> str:
    return f" (did you mean {' or '.join(names)}?)" if names else ""


