"""Price charts: one line per place, small PNGs for slow phones, cached until new data arrives.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global state),
in a worker thread so a 100 ms drawing never holds up other chats. The cache key holds the
commodity's `data_version`, which every write bumps: a cached chart is never out of date.
"""

from __future__ import annotations

import asyncio
import io
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.db import SessionMaker
from bot.i18n import Translator
from bot.i18n.format import number, short_date
from bot.services.prices import LEVEL_NAMES, Catalogue
from bot.services.prices_query import ChartLine, chart_lines
from models.price import Commodity

CACHE_SIZE = 64
WIDTH, HEIGHT, DPI = 6.4, 4.0, 100
COLOURS = ["#1b7837", "#2166ac", "#b2182b", "#e08214", "#762a83", "#4d4d4d"]
PALETTE = 32

CacheKey = tuple[int, str, int, date, int, str]
_caches: weakref.WeakKeyDictionary[SessionMaker, OrderedDict[CacheKey, Chart]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class Chart:
    png: bytes
    sources: tuple[str, ...]
    demo: bool
    first: date
    last: date


async def price_chart(
    sessionmaker: SessionMaker, catalogue: Catalogue, commodity_id: int, quality: str,
    days: int, today: date, tr: Translator,
) -> Chart | None:
    """The chart for the last `days` days, or None when there is nothing to draw."""
    commodity = catalogue.commodity(commodity_id)
    if commodity is None:
        return None
    async with sessionmaker() as session:
        version = await session.scalar(
            select(Commodity.data_version).where(Commodity.id == commodity_id))
    cache = _caches.setdefault(sessionmaker, OrderedDict())
    key: CacheKey = (commodity_id, quality, days, today, version or 0, tr.language)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    lines = await chart_lines(sessionmaker, catalogue, commodity_id, quality, days, today)
    if not lines:
        return None
    labels = _labels(commodity, quality, days, today, lines, tr)
    png = await asyncio.to_thread(render, lines, labels, tr.language)
    chart = Chart(png, tuple(dict.fromkeys(s for line in lines for s in line.sources)),
                  any(line.demo for line in lines),
                  min(p[0] for line in lines for p in line.points),
                  max(p[0] for line in lines for p in line.points))
    cache[key] = chart
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return chart


@dataclass(frozen=True, slots=True)
class Labels:
    title: str
    axis: str
    legend: list[str]
    footer: str
    demo: str | None
    start: date
    end: date


def _labels(commodity: Commodity, quality: str, days: int, today: date,
            lines: list[ChartLine], tr: Translator) -> Labels:
    name = commodity.name(tr.language)
    grade = commodity.quality(quality)
    if grade is not None:
        name = f"{name} — {grade.name(tr.language)}"
    sources = "; ".join(dict.fromkeys(s for line in lines for s in line.sources))
    return Labels(
        title=tr._("{commodity}: last {days} days").format(commodity=name, days=days),
        axis=tr._("Rupiah per {unit}").format(unit=commodity.unit),
        legend=[f"{line.place.name} ({tr._(LEVEL_NAMES[line.level])})" for line in lines],
        footer=tr._("Source: {sources} · made {date}").format(
            sources=sources[:110], date=tr.short_date(today)),
        demo=tr._("DEMO DATA") if any(line.demo for line in lines) else None,
        start=today - timedelta(days=days), end=today,
    )


def render(lines: list[ChartLine], labels: Labels, language: str) -> bytes:
    """PNG bytes; matplotlib is imported here so processes that never draw never load it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.13, 0.3, 0.84, 0.6))
    for index, (line, label) in enumerate(zip(lines, labels.legend, strict=True)):
        xs = [(d - labels.start).days for d, _ in line.points]
        ys = [float(v) for _, v in line.points]
        axes.plot(xs, ys, color=COLOURS[index % len(COLOURS)], linewidth=1.8,
                  marker="o" if len(xs) < 20 else None, markersize=3, label=label)
    span = (labels.end - labels.start).days
    axes.set_xlim(0, span)
    axes.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: day_label(labels.start + timedelta(days=int(x)), language)))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: _money(y, language)))
    axes.set_ylabel(labels.axis, fontsize=9)
    axes.tick_params(labelsize=8)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(labels.title, fontsize=11, loc="left")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.12), ncol=2, frameon=False)
    figure.text(0.01, 0.01, labels.footer, fontsize=6.5, color="#555555")
    if labels.demo:
        figure.text(0.97, 0.955, labels.demo, fontsize=10, color="#cc0000", weight="bold",
                    ha="right")
    return small_png(figure)


def small_png(figure: Any) -> bytes:
    """32 colours are plenty for a few lines on white and make the PNG three to five times
    smaller than matplotlib's own (slow phones, slow networks); quicker than PNG optimising."""
    from PIL import Image

    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def day_label(day: date, language: str) -> str:
    return " ".join(short_date(day, language).split()[:2])


def _money(value: float, language: str) -> str:
    return number(Decimal(round(value)), language)
