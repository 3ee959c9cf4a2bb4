"""The composer's time step: now, or a day and a time in WIB (tapped or typed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Update

from bot.context import BerdayaContext
from bot.services import broadcasts
from bot.services.broadcasts import Problem
from bot.services.trainings_dates import DateTextError, combine, parse_moment, parse_time
from handlers import broadcasts_view as view
from handlers.broadcasts_form import TIME, WHEN, answer, form_of, keyboard, say
from handlers.broadcasts_preview import show_preview
from handlers.callbacks import pack, unpack

NOW, LATER, DAY, HOUR = "bs.n", "bs.s", "bs.d", "bs.h"
DAYS_OFFERED = 7
HOURS_OFFERED = ("07.00", "09.00", "12.00", "15.00", "19.00")


async def ask_when(update: Update, context: BerdayaContext) -> str:
    tr = context.tr
    await say(update, context, tr._("When should it go out?"), keyboard(
        [(tr._("Now"), pack(NOW)), (tr._("Later"), pack(LATER))]))
    return WHEN


async def now_tapped(update: Update, context: BerdayaContext) -> str:
    await answer(update)
    form_of(context)["when"] = None
    return await show_preview(update, context)


async def later_tapped(update: Update, context: BerdayaContext) -> str:
    await answer(update)
    tr = context.tr
    today = context.runtime.now().astimezone(context.runtime.tz).date()
    days = [today + timedelta(days=i) for i in range(DAYS_OFFERED)]
    rows = [[(tr.date(day), pack(DAY, day.strftime("%Y%m%d")))] for day in days]
    await say(update, context, tr._("Choose the day, or type a date and time such as "
                                     "12/3 09.00"), keyboard(*rows))
    return WHEN


async def day_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str)
    await answer(update)
    try:
        day = datetime.strptime(fields[0], "%Y%m%d").date() if fields else None
    except ValueError:
        day = None
    if day is None:
        return WHEN
    return await _ask_time(update, context, day)


async def _ask_time(update: Update, context: BerdayaContext, day: date) -> str:
    tr = context.tr
    form_of(context)["day"] = day.isoformat()
    await say(update, context, tr._("{day}: at what time? Tap one or type it, such as 09.30")
               .format(day=tr.date(day)),
               keyboard([(hour, pack(HOUR, hour.replace(".", ""))) for hour in HOURS_OFFERED]))
    return TIME


async def moment_typed(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    runtime = context.runtime
    today = runtime.now().astimezone(runtime.tz).date()
    try:
        moment = parse_moment(update.effective_message.text or "", today)
    except DateTextError:
        await say(update, context, context.tr._(
            "I could not read that date. Type it like 12/3 09.00, or tap a day."))
        return WHEN
    if moment.clock is None:
        return await _ask_time(update, context, moment.day)
    return await _schedule(update, context, combine(moment.day, moment.clock, runtime.tz))


async def time_typed(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    try:
        clock = parse_time(update.effective_message.text or "")
    except DateTextError:
        await say(update, context, context.tr._("Type the time like 09.30, or tap one."))
        return TIME
    day = date.fromisoformat(form_of(context)["day"])
    return await _schedule(update, context, combine(day, clock, context.runtime.tz))


async def hour_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str)
    await answer(update)
    form = form_of(context)
    if fields is None or "day" not in form:
        return TIME
    try:
        clock = parse_time(f"{fields[0][:2]}.{fields[0][2:]}")
    except DateTextError:
        return TIME
    return await _schedule(update, context,
                           combine(date.fromisoformat(form["day"]), clock, context.runtime.tz))


async def _schedule(update: Update, context: BerdayaContext, moment: datetime) -> str:
    if moment < context.runtime.now() - broadcasts.SCHEDULE_SLACK:
        await say(update, context, view.explain(context.tr, Problem.IN_THE_PAST))
        return TIME if "day" in form_of(context) else WHEN
    form_of(context)["when"] = moment.isoformat()
    return await show_preview(update, context)
