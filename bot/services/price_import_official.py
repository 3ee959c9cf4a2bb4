"""The official exports: Bank Indonesia's PIHPS grid, the Bapanas price panel and Disbun Jambi's
TBS table.

They carry commodities Berdaya does not follow (daging sapi, ikan…): those rows are skipped
and listed, not errors. Title rows above the header say the level, the date or the period.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from bot.services.price_import_read import Row, cell_text, find_date, parse_date, parse_period
from bot.services.price_import_rows import (
    ImportOptions,
    ImportRow,
    Parsed,
    amount,
    find_column,
    found_column,
    header_names,
    in_future,
    level_named,
)
from bot.services.prices import Catalogue
from bot.services.prices_parse import PriceParseError, checked_price, parse_unit
from models.price import Commodity, Level, PricePoint

NOT_PRICE = ("perubahan", "selisih", "het", "acuan", "%", "satuan", "no")


def _title(rows: list[Row], header: int) -> str:
    return " ".join(cell_text(c) for row in rows[:header] for c in row.cells if cell_text(c))


def _place(parsed: Parsed, catalogue: Catalogue, options: ImportOptions, default: str
           ) -> PricePoint | None:
    """Where a whole official export was taken: the --place option, else the usual point."""
    place_text = options.place or default
    match = catalogue.match_place(place_text)
    place = catalogue.place(int(match.key)) if match.key is not None else None
    if place is None:
        parsed.problems.append(f"unknown place {place_text!r}")
    return place


def _export_level(rows: list[Row], header: int, options: ImportOptions) -> str:
    """The --level option, else what the title rows announce (Pedagang Besar…), else retail."""
    chosen = level_named(options.level) if options.level else None
    return chosen or level_named(_title(rows, header)) or Level.ECERAN


def _official_commodity(parsed: Parsed, catalogue: Catalogue, row: Row, name: str
                        ) -> tuple[Commodity, str] | None:
    match = catalogue.match_commodity(name, fuzzy=False)
    commodity = catalogue.commodity(int(match.key)) if match.key is not None else None
    if commodity is None:
        parsed.notices.append(f"line {row.line}: skipped {name!r}, not in the catalogue")
        return None
    quality = catalogue.match_quality(commodity, name)
    if quality is None and commodity.qualities and not catalogue.is_name_of(commodity, name):
        parsed.notices.append(f"line {row.line}: skipped {name!r}, a variety of "
                              f"{commodity.name_id} Berdaya does not follow")
        return None
    return commodity, quality or ""


def _commodity_rows(parsed: Parsed, catalogue: Catalogue, rows: list[Row], header: int,
                    name_col: int) -> Iterator[tuple[Row, str, Commodity, str]]:
    """The rows below the header naming a commodity Berdaya follows, with its name, the
    commodity and quality; the others are skipped (and listed as notices)."""
    for row in rows[header + 1:]:
        name = row.text(name_col)
        if row.blank or not name:
            continue
        found = _official_commodity(parsed, catalogue, row, name)
        if found is not None:
            yield row, name, *found


def read_pihps(rows: list[Row], header: int, catalogue: Catalogue, options: ImportOptions,
               today: date) -> Parsed:
    parsed = Parsed("pihps")
    head = rows[header]
    name_col = found_column(header_names(head.cells), "komoditas", "komoditi")
    days = {i: d for i, c in enumerate(head.cells) if i != name_col and (d := parse_date(c))}
    place = _place(parsed, catalogue, options, "pihps-jambi")
    level = _export_level(rows, header, options)
    future = {i for i, d in days.items() if in_future(parsed, head.line, d, today)}
    if place is None or future:
        return parsed
    source = options.source or "PIHPS Bank Indonesia"
    for row, name, commodity, quality in _commodity_rows(parsed, catalogue, rows, header,
                                                         name_col):
        for index, day in days.items():
            text = row.text(index)
            if text in ("", "-", "–"):
                continue
            try:
                value = checked_price(amount(row.cells[index])).value
            except PriceParseError:
                parsed.problem(row.line, f"{name}, {day.strftime('%d/%m/%Y')}: cannot read "
                                         f"the price {text!r}")
                continue
            parsed.add(ImportRow(row.line, commodity, quality, place, level, value, day, None,
                                 source), first_wins=True)
    return parsed


def read_bapanas(rows: list[Row], header: int, catalogue: Catalogue, options: ImportOptions,
                 today: date) -> Parsed:
    parsed = Parsed("bapanas")
    head = rows[header]
    names = header_names(head.cells)
    name_col = found_column(names, "komoditas", "komoditi")
    unit_col = found_column(names, "satuan")
    title_day = options.day or find_date(_title(rows, header))
    days: dict[int, date] = {}
    for index, name in enumerate(names):
        if index in (name_col, unit_col) or not name or any(w in name.split() or w == name
                                                            for w in NOT_PRICE):
            continue
        day = find_date(cell_text(head.cells[index])) or parse_date(head.cells[index])
        if day is None and title_day is not None and "kemarin" in name:
            day = title_day - timedelta(days=1)
        elif day is None and title_day is not None and ("hari ini" in name or "harga" in name):
            day = title_day
        if day is None:
            parsed.problem(head.line, f"no date for the column {cell_text(head.cells[index])!r};"
                                      " give the export's date with --date")
        elif not in_future(parsed, head.line, day, today):
            days[index] = day
    place = _place(parsed, catalogue, options, "bapanas-merangin")
    level = _export_level(rows, header, options)
    if place is None or parsed.problems:
        return parsed
    source = options.source or "Panel Harga Bapanas"
    for row, name, commodity, quality in _commodity_rows(parsed, catalogue, rows, header,
                                                         name_col):
        try:
            unit, factor = parse_unit(row.text(unit_col))
        except PriceParseError:
            parsed.problem(row.line, f"{name}: unknown unit {row.text(unit_col)!r}")
            continue
        if unit != commodity.unit:
            parsed.problem(row.line, f"{name}: unit {row.text(unit_col)!r} does not fit "
                                     f"{commodity.name_id}, which is priced per {commodity.unit}")
            continue
        for index, day in days.items():
            text = row.text(index)
            try:
                written = amount(row.cells[index]) if text not in ("", "-") else Decimal(0)
            except PriceParseError:
                parsed.problem(row.line, f"{name}: cannot read the price {text!r}")
                continue
            if written == 0:
                continue
            try:
                value = checked_price(written / factor).value
            except PriceParseError:
                parsed.problem(row.line, f"{name}: the price {text!r} is negative or too large")
                continue
            parsed.add(ImportRow(row.line, commodity, quality, place, level, value, day, None,
                                 source), first_wins=True)
    return parsed


def read_disbun(rows: list[Row], header: int, catalogue: Catalogue, options: ImportOptions,
                today: date) -> Parsed:
    parsed = Parsed("disbun")
    names = header_names(rows[header].cells)
    age_col, price_col = found_column(names, "umur"), found_column(names, "harga")
    period_col = find_column(names, "periode")
    title_period = parse_period(_title(rows, header))
    commodity = catalogue.by_code("tbs")
    place = _place(parsed, catalogue, options, "disbun-jambi")
    if commodity is None or place is None:
        parsed.problems.append("the catalogue has no TBS or no Disbun Jambi price point")
        return parsed
    if period_col is None and title_period is None:
        parsed.problems.append(f"line {rows[header].line}: no period found: add a 'Periode' "
                               "column or a title line like 'Periode 13 Maret – 2 April 2026'")
        return parsed
    source = options.source or "Disbun Provinsi Jambi"
    for row in rows[header + 1:]:
        age = row.text(age_col)
        if row.blank or not age:
            continue
        quality = catalogue.match_quality(commodity, age.lower().replace("tahun", ""))
        if quality is None:
            parsed.notices.append(f"line {row.line}: skipped {age!r}, not a palm-age band")
            continue
        period = title_period
        if period_col is not None:
            period = parse_period(row.text(period_col)) or title_period
        if period is None:
            parsed.problem(row.line, f"cannot read the period {row.text(period_col or 0)!r}")
            continue
        if in_future(parsed, row.line, period[0], today):
            continue
        try:
            value = checked_price(amount(row.cells[price_col])).value
        except PriceParseError:
            parsed.problem(row.line, f"cannot read the price {row.text(price_col)!r}")
            continue
        parsed.add(ImportRow(row.line, commodity, quality, place, Level.PENETAPAN, value,
                             period[0], period[1], source))
    return parsed
