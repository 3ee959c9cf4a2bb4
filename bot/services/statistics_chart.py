"""The statistics picture: active members per area as bars, and registered members week by week.

Drawn like the price charts (object API on the Agg canvas, quantised small PNG) in a worker
thread, so drawing never holds up other chats. Not cached: the figures move with every
registration, and a staff member asks for them a few times a day at most.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.i18n import Translator
from bot.i18n.format import number
from bot.services.price_charts import COLOURS, DPI, WIDTH, day_label, small_png
from bot.services.statistics import AreaCount, Statistics, WeekPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_BARS = 30
BAR_INCHES = 0.24
GROWTH_INCHES = 2.6
NAME_LENGTH = 22


@dataclass(frozen=True, slots=True)
class ChartLabels:
    title: str
    bars: str
    empty: str
    growth: str
    footer: str


def chart_labels(stats: Statistics, tr: Translator, today: date) -> ChartLabels:
    if stats.kecamatan is None:
        title, bars = stats.area_name, tr._("Active members per kecamatan")
    else:
        title = tr._("Kecamatan {name}").format(name=stats.area_name)
        bars = tr._("Active members per desa")
    return ChartLabels(
        title=tr._("Berdaya · {area}").format(area=title), bars=bars,
        empty=tr._("No active members yet"),
        growth=tr._("Registered members, last {weeks} weeks").format(
            weeks=len(stats.members.growth)),
        footer=tr._("Made {date}").format(date=tr.short_date(today)),
    )


async def summary_chart(stats: Statistics, tr: Translator) -> bytes:
    labels = chart_labels(stats, tr, stats.since.now.astimezone(tr.tz).date())
    return await asyncio.to_thread(render, stats.members.areas, stats.members.growth, labels,
                                   tr.language)


def render(areas: list[AreaCount], growth: list[WeekPoint], labels: ChartLabels,
           language: str) -> bytes:
    """PNG bytes; matplotlib is imported here so processes that never draw never load it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = areas[:MAX_BARS]
    bars_height = max(1.2, BAR_INCHES * len(shown) + 0.6)
    figure = Figure(figsize=(WIDTH, bars_height + GROWTH_INCHES + 0.8), dpi=DPI,
                    layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, height_ratios=[bars_height, GROWTH_INCHES])
    _bars(top, shown, labels, language)
    _growth(bottom, growth, labels, language)
    figure.suptitle(labels.title, x=0.02, ha="left", fontsize=12, weight="bold")
    figure.supxlabel(labels.footer, x=0.02, ha="left", fontsize=6.5, color="#555555")
    return small_png(figure)


def _bars(axes: Axes, areas: list[AreaCount], labels: ChartLabels, language: str) -> None:
    axes.set_title(labels.bars, fontsize=10, loc="left")
    if not areas:
        axes.text(0.5, 0.5, labels.empty, ha="center", va="center", fontsize=10,
                  color="#555555", transform=axes.transAxes)
        axes.set_axis_off()
        return
    positions = list(range(len(areas)))
    values = [area.members for area in areas]
    bars = axes.barh(positions, values, color=COLOURS[0], height=0.7)
    axes.bar_label(bars, labels=[number(v, language) for v in values], padding=3, fontsize=8)
    axes.set_yticks(positions, [_short(area.name) for area in areas], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max(values) * 1.15)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)


def _growth(axes: Axes, growth: list[WeekPoint], labels: ChartLabels, language: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    xs = list(range(len(growth)))
    ys = [point.members for point in growth]
    axes.plot(xs, ys, color=COLOURS[1], linewidth=1.8, marker="o", markersize=3)
    axes.fill_between(xs, ys, color=COLOURS[1], alpha=0.12, linewidth=0)
    axes.set_title(labels.growth, fontsize=10, loc="left")
    ticks = xs[::-3][::-1]
    axes.set_xticks(ticks, [day_label(growth[i].week, language) for i in ticks])
    axes.set_ylim(bottom=0, top=max([*ys, 1]) * 1.1)
    axes.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: number(int(y), language)))
    axes.tick_params(labelsize=8)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[:NAME_LENGTH - 1] + "…"
