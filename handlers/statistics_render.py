"""The statistics as a short message for a small phone: bold headings, one figure per line."""

from __future__ import annotations

import html

from bot.i18n import Translator
from bot.services.groups import group_name
from bot.services.statistics import TRAINING_DAYS, Statistics

MAX_AREAS = 25
"""More lines than this scroll off a phone screen; the chart shows them all anyway."""


def area_title(tr: Translator, stats: Statistics) -> str:
    if stats.kecamatan is None:
        return html.escape(stats.area_name)
    return tr._("Kecamatan {name}").format(name=html.escape(stats.area_name))


def percent(tr: Translator, share: float) -> str:
    return f"{tr.number(round(share * 100))}%"


def caption(tr: Translator, stats: Statistics) -> str:
    return tr._("📊 {area}: active members per area and growth week by week.").format(
        area=area_title(tr, stats))


def summary_text(tr: Translator, stats: Statistics) -> str:
    sections = [
        "\n".join([tr._("📊 <b>Berdaya statistics</b> · {area}").format(
                       area=area_title(tr, stats)),
                   tr._("As of {date}, {time}").format(date=tr.short_date(stats.since.now),
                                                       time=tr.time(stats.since.now))]),
        _members(tr, stats), _areas(tr, stats), _groups(tr, stats), _trainings(tr, stats),
        _prices(tr, stats), _broadcasts(tr, stats), _tips(tr, stats),
    ]
    return "\n\n".join(sections)


def _members(tr: Translator, stats: Statistics) -> str:
    figures = stats.members
    return "\n".join([
        tr._("👥 <b>Members</b>"),
        tr._("Active: {active} (registered: {registered})").format(
            active=tr.number(figures.active), registered=tr.number(figures.registered)),
        tr._("New this week (since {week}): {new_week}").format(
            week=tr.short_date(stats.week_start), new_week=tr.number(figures.new_this_week)),
        tr._("New this month (since {month}): {new_month}").format(
            month=tr.short_date(stats.month_start), new_month=tr.number(figures.new_this_month)),
    ])


def _areas(tr: Translator, stats: Statistics) -> str:
    heading = (tr._("📍 <b>Active members per kecamatan</b>") if stats.kecamatan is None
               else tr._("📍 <b>Active members per desa</b>"))
    areas = stats.members.areas
    if not areas:
        return "\n".join([heading, tr._("No active members yet.")])
    lines = [f"{html.escape(a.name)}: {tr.number(a.members)}" for a in areas[:MAX_AREAS]]
    if len(areas) > MAX_AREAS:
        rest = len(areas) - MAX_AREAS
        lines.append(tr._("… and {count} more").format(count=tr.number(rest)))
    return "\n".join([heading, *lines])


def _groups(tr: Translator, stats: Statistics) -> str:
    lines = [f"{html.escape(group_name(tr, g.code, g.name))}: {tr.number(g.members)}"
             for g in stats.members.groups]
    return "\n".join([tr._("🏷 <b>Active members per target group</b>"), *lines])


def _trainings(tr: Translator, stats: Statistics) -> str:
    figures = stats.trainings
    heading = tr._("🎓 <b>Trainings held in the last {days} days</b>").format(days=TRAINING_DAYS)
    if not figures.held:
        return "\n".join([heading, tr._("None held.")])
    lines = [
        heading,
        tr._("Held: {held} · seats filled: {enrolled} of {seats}").format(
            held=tr.number(figures.held), enrolled=tr.number(figures.enrolled),
            seats=tr.number(figures.seats)),
    ]
    if figures.attendance is not None:
        lines.append(tr._("Attendance: {rate} ({attended} of {enrolled} enrolled)").format(
            rate=percent(tr, figures.attendance), attended=tr.number(figures.attended),
            enrolled=tr.number(figures.enrolled)))
    if figures.average_rating is not None:
        lines.append(tr.ngettext("Average rating: {average} ★ ({count} rating)",
                                 "Average rating: {average} ★ ({count} ratings)",
                                 figures.ratings).format(
            average=tr.number(round(figures.average_rating, 1)),
            count=tr.number(figures.ratings)))
    else:
        lines.append(tr._("No ratings yet."))
    return "\n".join(lines)


def _prices(tr: Translator, stats: Statistics) -> str:
    figures = stats.prices
    return "\n".join([
        tr._("💰 <b>Price reports this week</b>: {count}").format(
            count=tr.number(figures.reports)),
        tr._("By facilitators: {staff} · by members: {members} · waiting for review: "
             "{pending}").format(staff=tr.number(figures.by_staff),
                                 members=tr.number(figures.by_members),
                                 pending=tr.number(figures.pending)),
    ])


def _broadcasts(tr: Translator, stats: Statistics) -> str:
    figures = stats.broadcasts
    heading = tr._("📣 <b>Broadcasts this month</b>: {count}").format(
        count=tr.number(figures.broadcasts))
    if figures.reach is None:
        return heading
    return "\n".join([heading, tr._("Delivered to {delivered} of {recipients} recipients "
                                    "({rate})").format(
        delivered=tr.number(figures.delivered), recipients=tr.number(figures.recipients),
        rate=percent(tr, figures.reach))])


def _tips(tr: Translator, stats: Statistics) -> str:
    heading = tr._("💡 <b>Most-read tips</b>")
    if not stats.tips:
        return "\n".join([heading, tr._("No tip has been read yet.")])
    lines = [tr.ngettext("{rank}. {title} — {count} reader", "{rank}. {title} — {count} readers",
                         tip.readers).format(rank=rank, title=html.escape(tip.title),
                                             count=tr.number(tip.readers))
             for rank, tip in enumerate(stats.tips, 1)]
    return "\n".join([heading, *lines])
