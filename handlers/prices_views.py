"""How prices read on a small phone: every price with its date and source, the rest short.

Shared by the price journeys, the alert and digest job, so a price looks the same everywhere.
"""

from __future__ import annotations

import html
from datetime import date
from itertools import groupby

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.prices import LEVEL_NAMES, Catalogue
from bot.services.prices_query import (
    CitizenSummary,
    Observation,
    Overview,
    Reference,
    SeriesSummary,
)
from handlers.callbacks import pack
from models.price import Commodity, Direction, Origin, PriceAlert

MAX_SERIES = 14
MAX_CITIZEN = 4
NO_QUALITY = "-"
"""Stands for "no quality" in callback data, where an empty field would be ambiguous."""

SHOW, LIST, CHART, FOLLOW, ALERT, CHECK = "pc", "pl", "pg", "pf", "pa", "pk"

def quality_field(code: str) -> str:
    return code or NO_QUALITY


def quality_from_field(value: str) -> str:
    return "" if value == NO_QUALITY else value


def commodity_label(tr: Translator, commodity: Commodity, quality: str = "") -> str:
    name = commodity.name(tr.language)
    grade = commodity.quality(quality) if quality else None
    return f"{name} {grade.name(tr.language)}" if grade else name


def day_label(tr: Translator, observation: Observation) -> str:
    """"2 Mar 2026", or the period a set price holds: "13 Mar 2026 – 2 Apr 2026"."""
    if observation.valid_until and observation.valid_until != observation.observed_on:
        return tr._("{start} – {end}").format(start=tr.short_date(observation.observed_on),
                                                end=tr.short_date(observation.valid_until))
    return tr.short_date(observation.observed_on)


def change_label(tr: Translator, series: SeriesSummary) -> str:
    change = series.change
    if change is None:
        return ""
    if change.amount == 0:
        return " ＝"
    arrow = "▲" if change.amount > 0 else "▼"
    return f" {arrow}{tr.number(abs(change.percent))}%"


def series_lines(tr: Translator, commodity: Commodity, series: SeriesSummary) -> list[str]:
    what = tr._(LEVEL_NAMES[series.level])
    grade = commodity.quality(series.quality)
    if grade is not None:
        what = f"{what}, {grade.name(tr.language)}"
    latest = series.latest
    detail = tr._("{date} · {source}").format(date=day_label(tr, latest),
                                              source=html.escape(latest.source))
    if series.low != series.high:
        detail += " · " + tr._("30 days: {low}–{high}").format(
            low=tr.rupiah(series.low), high=tr.rupiah(series.high))
    return [f"• {what}: <b>{tr.rupiah(latest.value)}</b>{change_label(tr, series)}",
            f"   <i>{detail}</i>"]


def price_lines(tr: Translator, commodity: Commodity,
                series: list[SeriesSummary]) -> list[str]:
    """Under each place its prices; grades sharing a date and source (a set price per palm
    age) share one line for them, so ten age bands stay ten short lines."""
    lines: list[str] = []
    place_id = None

    def shared(s: SeriesSummary) -> tuple[int, str, str, str]:
        return (s.place.id, s.level, day_label(tr, s.latest), s.latest.source)

    for (place, level, day, source), grouped in groupby(series, key=shared):
        group = list(grouped)
        if place != place_id:
            place_id = place
            lines += ["", f"<b>{html.escape(group[0].place.name)}</b>"]
        if len(group) == 1:
            lines += series_lines(tr, commodity, group[0])
            continue
        detail = tr._("{date} · {source}").format(date=day, source=html.escape(source))
        lines.append(f"• {tr._(LEVEL_NAMES[level])}: <i>{detail}</i>")
        for item in group:
            grade = commodity.quality(item.quality)
            name = grade.name(tr.language) if grade else commodity.name(tr.language)
            lines.append(f"   {html.escape(name)}: <b>{tr.rupiah(item.latest.value)}</b>"
                         f"{change_label(tr, item)}")
    return lines


def _citizen_line(tr: Translator, summary: CitizenSummary, commodity: Commodity) -> str:
    grade = commodity.quality(summary.quality)
    place = html.escape(summary.place.name)
    if grade is not None:
        place = f"{place}, {grade.name(tr.language)}"
    span = tr.short_date(summary.last) if summary.first == summary.last else tr._(
        "{start} – {end}").format(start=tr.short_date(summary.first),
                                  end=tr.short_date(summary.last))
    count = tr.ngettext("{n} report", "{n} reports", summary.count).format(n=summary.count)
    return tr._("• {place}: median <b>{price}</b> from {count} · {dates}").format(
        place=place, price=tr.rupiah(summary.median), count=count, dates=span)


def overview_text(tr: Translator, view: Overview) -> str:
    commodity = view.commodity
    unit = tr._("per {unit}").format(unit=commodity.unit)
    lines = [f"💰 <b>{html.escape(commodity.name(tr.language))}</b> · {unit}"]
    if view.is_empty:
        lines += ["", tr._("No prices have been recorded for this yet. Facilitators add them "
                           "as they visit the markets.")]
        return "\n".join(lines)
    lines += price_lines(tr, commodity, view.series[:MAX_SERIES])
    hidden = len(view.series) - MAX_SERIES
    if hidden > 0:
        lines.append(tr.ngettext("…and {n} more price", "…and {n} more prices",
                                 hidden).format(n=hidden))
    if view.citizen:
        lines += ["", tr._("🗣 <b>Members' reports</b> (traders' offers, not checked)")]
        lines += [_citizen_line(tr, c, commodity) for c in view.citizen[:MAX_CITIZEN]]
    lines += ["", *notes(tr, view)]
    return "\n".join(lines)


def notes(tr: Translator, view: Overview) -> list[str]:
    """The legend, and the warnings a member must not miss: old or demo prices."""
    found = []
    if any(s.change for s in view.series):
        found.append(tr._("▲▼ compared with a week earlier."))
    newest = view.newest
    if view.stale and newest is not None:
        days = (view.today - newest).days
        found.append(tr.ngettext(
            "⚠️ The newest price is {n} day old ({date}); it may have changed since.",
            "⚠️ The newest price is {n} days old ({date}); it may have changed since.",
            days).format(n=days, date=tr.short_date(newest)))
    if any(s.latest.origin == Origin.DEMO for s in view.series):
        found.append(tr._("🧪 Demo data for trying Berdaya out: not real prices."))
    return found


def overview_markup(tr: Translator, view: Overview, following: bool) -> InlineKeyboardMarkup:
    cid = view.commodity.id
    rows = []
    if view.series:
        rows.append([InlineKeyboardButton(tr._("📈 Chart 30 days"),
                                          callback_data=pack(CHART, cid, 30, "")),
                     InlineKeyboardButton(tr._("📈 90 days"),
                                          callback_data=pack(CHART, cid, 90, ""))])
    rows.append([
        InlineKeyboardButton(tr._("🔔 Alert me"), callback_data=pack(ALERT, cid)),
        InlineKeyboardButton(tr._("✓ My commodity") if following else tr._("⭐ Follow"),
                             callback_data=pack(FOLLOW, cid)),
    ])
    rows.append([InlineKeyboardButton(tr._("⚖️ Check a trader's offer"),
                                      callback_data=pack(CHECK, cid))])
    rows.append([InlineKeyboardButton(tr._("◀ All commodities"), callback_data=pack(LIST))])
    return InlineKeyboardMarkup(rows)


def commodity_buttons(
    tr: Translator, catalogue: Catalogue, ordered: list[int], followed: frozenset[int],
    prefix: str, *fields: object,
) -> list[list[InlineKeyboardButton]]:
    """Two per row, the member's own (⭐) first: the buttons every price journey starts with."""
    buttons = []
    for commodity_id in ordered:
        commodity = catalogue.commodity(commodity_id)
        if commodity is None:
            continue
        star = "⭐ " if commodity_id in followed else ""
        buttons.append(InlineKeyboardButton(star + commodity.name(tr.language),
                                            callback_data=pack(prefix, *fields, commodity_id)))
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


def quality_buttons(
    tr: Translator, commodity: Commodity, prefix: str, *, unknown: str | None = None,
) -> list[list[InlineKeyboardButton]]:
    """One button per grade, and "I don't know" when the answer may be unknown."""
    buttons = [InlineKeyboardButton(q.name(tr.language), callback_data=pack(prefix, q.code))
               for q in commodity.qualities]
    if unknown is not None:
        buttons.append(InlineKeyboardButton(unknown, callback_data=pack(prefix, NO_QUALITY)))
    return [buttons[i:i + 3] for i in range(0, len(buttons), 3)]


def reference_lines(tr: Translator, current: Reference) -> list[str]:
    """The farm-gate median and the set price, each with its date and source."""
    lines = []
    if current.farm_gate is not None and current.farm_gate_on is not None:
        count = tr.ngettext("{n} place", "{n} places",
                            current.farm_gate_count).format(n=current.farm_gate_count)
        lines.append(tr._("• Farm-gate price (median of {count}): <b>{price}</b> · {date} · "
                          "{source}").format(
            count=count, price=tr.rupiah(current.farm_gate),
            date=tr.short_date(current.farm_gate_on),
            source=html.escape(", ".join(current.farm_gate_sources))))
    if current.set_price is not None:
        lines.append(tr._("• Official set price: <b>{price}</b> · {date} · {source}").format(
            price=tr.rupiah(current.set_price.value), date=day_label(tr, current.set_price),
            source=html.escape(current.set_price.source)))
    if current.scaled_from is not None:
        lines.append(tr._("<i>Worked out from the price at KKK {kkk}%, in proportion to the "
                          "dry rubber content.</i>").format(kkk=current.scaled_from))
    return lines


def alert_text(tr: Translator, commodity: Commodity, alert: PriceAlert,
               current: Reference) -> str:
    assert current.value is not None
    name = html.escape(commodity_label(tr, commodity, alert.quality))
    threshold = tr.rupiah(alert.threshold)
    headline = (tr._("🔔 <b>{commodity}</b> is now above {threshold}.")
                if alert.direction == Direction.ABOVE
                else tr._("🔔 <b>{commodity}</b> is now below {threshold}."))
    return "\n".join([headline.format(commodity=name, threshold=threshold), "",
                      *reference_lines(tr, current), "",
                      tr._("I will tell you again only after it has crossed back.")])


DIGEST_SERIES = 3


def digest_text(tr: Translator, views: list[Overview], day: date) -> str:
    """The morning summary: the first prices of each of the member's commodities."""
    lines = [tr._("☀️ <b>Prices this morning</b>, {date}").format(date=tr.date(day))]
    for view in views:
        commodity = view.commodity
        lines += ["", f"<b>{html.escape(commodity.name(tr.language))}</b> · "
                      + tr._("per {unit}").format(unit=commodity.unit)]
        if view.is_empty:
            lines.append(tr._("No prices recorded yet."))
            continue
        lines += price_lines(tr, commodity, view.series[:DIGEST_SERIES])
        if view.citizen:
            lines.append(_citizen_line(tr, view.citizen[0], commodity))
        lines += [note for note in notes(tr, view) if not note.startswith("▲")]
    lines += ["", tr._("To stop this summary: /harga, then ☀️.")]
    return "\n".join(lines)
