"""Form steps for the date and time: a day button or typed date, a start time, then the end.

Typed forms follow `bot.services.trainings_dates` ("12/3 09.00", "12 Maret 2026 09:00"); times
are the programme's local time (WIB) and stored in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot.context import BerdayaContext
from bot.services.trainings_dates import DateTextError, combine, parse_moment, parse_time
from bot.services.trainings_rules import check_end, check_start
from handlers.callbacks import unpack
from handlers.trainings_form_core import (
    END_TIME,
    START_DAY,
    START_TIME,
    Form,
    ask,
    asks,
    data,
    data_pattern,
    get_form,
    moment,
    problem,
    proceed,
    send,
    settle_tap,
    with_form,
)
from handlers.trainings_form_steps import NOT_TYPED, TYPED, reprompt, stay
from handlers.trainings_render import day_button, grid, keyboard, when
from models.training import Training

DAYS_SHOWN = 14
START_HOURS = (7, 8, 9, 10, 13, 14, 15, 16)
DURATIONS = (2, 3, 4, 6, 8)


def _today(context: BerdayaContext) -> date:
    return context.runtime.now().astimezone(context.runtime.tz).date()


def _label(context: BerdayaContext, hour: int, minute: int = 0) -> str:
    return ("{:02d}.{:02d}" if context.tr.language == "id" else "{:02d}:{:02d}").format(
        hour, minute)


def _tapped(update: Update, layout: str) -> datetime | None:
    """The day or time a button carries (``strptime`` layout), None when it is unreadable."""
    fields = unpack(update, str)
    try:
        return datetime.strptime(fields[0], layout) if fields else None
    except ValueError:
        return None


async def _unreadable(update: Update, context: BerdayaContext, error: DateTextError,
                      example: str) -> None:
    tr = context.tr
    if error.reason == "no_such_date":
        text = tr._("That date or time does not exist. Please check the numbers.")
    else:
        text = tr._("Sorry, I could not read that. Please type it like this: {example}").format(
            example=example)
    await send(update, context, "⚠️ " + text)


@asks(START_DAY)
async def ask_start_day(update: Update, context: BerdayaContext, form: Form) -> str:
    today = _today(context)
    days = [today + timedelta(days=n) for n in range(DAYS_SHOWN)]
    choices = [(day_button(context.tr, d), data("y", d.strftime("%Y%m%d"))) for d in days]
    await send(update, context, context.tr._(
        "📅 When does it start? Tap a day, or type the date and time, for example "
        "<i>12/3 09.00</i> or <i>12 Maret 2026 09:00</i>."), keyboard(grid(choices, 3)))
    return START_DAY


async def _set_start(update: Update, context: BerdayaContext, form: Form,
                     starts: datetime) -> str:
    if (found := check_start(starts, context.runtime.now())) is not None:
        await problem(update, context, found)
        return await ask(START_DAY, update, context, form)
    previous = moment(form, "starts")
    form["starts"] = starts.isoformat()
    ends = moment(form, "ends")
    if ends is not None and previous is not None:
        form["ends"] = (starts + (ends - previous)).isoformat()  # keep the length
    return await proceed(update, context, form, START_TIME)


@with_form
async def day_tapped(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None
    tapped = _tapped(update, "%Y%m%d")
    if tapped is None:
        return await stay(update, START_DAY)
    day = tapped.date()
    await settle_tap(update, context.tr.date(day))
    form["day"] = day.isoformat()
    return await ask(START_TIME, update, context, form)


@with_form
async def day_typed(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None and update.effective_message is not None
    try:
        found = parse_moment(update.effective_message.text or "", _today(context))
    except DateTextError as error:
        await _unreadable(update, context, error, "12/3 09.00")
        return START_DAY
    form["day"] = found.day.isoformat()
    if found.clock is None:
        return await ask(START_TIME, update, context, form)
    return await _set_start(update, context, form,
                            combine(found.day, found.clock, context.runtime.tz))


@asks(START_TIME)
async def ask_start_time(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    day = date.fromisoformat(form["day"])
    choices = [(_label(context, h), data("t", f"{h:02d}00")) for h in START_HOURS]
    await send(update, context, tr._(
        "🕘 What time does it start on {day}? Tap, or type it, for example <i>09.30</i>.").format(
        day=tr.date(day)), keyboard(grid(choices, 4)))
    return START_TIME


@with_form
async def time_tapped(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None
    tapped = _tapped(update, "%H%M")
    if tapped is None or "day" not in form:
        return await stay(update, START_TIME)
    clock = tapped.time()
    await settle_tap(update, _label(context, clock.hour, clock.minute))
    return await _set_start(update, context, form, combine(
        date.fromisoformat(form["day"]), clock, context.runtime.tz))


@with_form
async def time_typed(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None and update.effective_message is not None
    text = update.effective_message.text or ""
    day = date.fromisoformat(form["day"])
    try:
        clock: time | None = parse_time(text)
    except DateTextError:
        clock = None
    if clock is None:  # a whole new date and time is fine here too
        try:
            found = parse_moment(text, _today(context))
        except DateTextError as error:
            await _unreadable(update, context, error, "09.30")
            return START_TIME
        if found.clock is None:
            form["day"] = found.day.isoformat()
            return await ask(START_TIME, update, context, form)
        day, clock = found.day, found.clock
    return await _set_start(update, context, form, combine(day, clock, context.runtime.tz))


@asks(END_TIME)
async def ask_end(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    choices = [(tr.ngettext("{n} hour", "{n} hours", n).format(n=n), data("e", n * 60))
               for n in DURATIONS]
    await send(update, context, tr._(
        "⏱ How long does it take? Tap, or type when it ends: a time such as <i>12.00</i>, "
        "or a date and time such as <i>13/3 16.00</i> for a training over several days."),
        keyboard([choices]))
    return END_TIME


async def _set_end(update: Update, context: BerdayaContext, form: Form, ends: datetime) -> str:
    starts = moment(form, "starts")
    assert starts is not None
    if (found := check_end(starts, ends)) is not None:
        await problem(update, context, found)
        return END_TIME
    form["ends"] = ends.isoformat()
    return await proceed(update, context, form, END_TIME)


def _span(context: BerdayaContext, form: Form, ends: datetime) -> str:
    starts = moment(form, "starts")
    assert starts is not None
    return when(context.tr, Training(starts_at=starts, ends_at=ends))


@with_form
async def duration_tapped(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    starts = moment(form, "starts") if form else None
    fields = unpack(update, int)
    if form is None or starts is None or fields is None or not 0 < fields[0] <= 24 * 60:
        return await stay(update, END_TIME)
    ends = starts + timedelta(minutes=fields[0])
    await settle_tap(update, _span(context, form, ends))
    return await _set_end(update, context, form, ends)


@with_form
async def end_typed(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None and update.effective_message is not None
    starts = moment(form, "starts")
    assert starts is not None
    text = update.effective_message.text or ""
    try:
        ends = combine(starts.astimezone(context.runtime.tz).date(), parse_time(text),
                       context.runtime.tz)
    except DateTextError:
        try:
            found = parse_moment(text, _today(context))
        except DateTextError as error:
            await _unreadable(update, context, error, "12.00")
            return END_TIME
        if found.clock is None:
            await send(update, context, "⚠️ " + context.tr._(
                "Please add the time, for example <i>13/3 16.00</i>."))
            return END_TIME
        ends = combine(found.day, found.clock, context.runtime.tz)
    return await _set_end(update, context, form, ends)


def state_handlers() -> dict[str, list[BaseHandler[Any, Any, Any]]]:
    other = MessageHandler(NOT_TYPED, reprompt)
    return {
        START_DAY: [CallbackQueryHandler(day_tapped, pattern=data_pattern("y")),
                    MessageHandler(TYPED, day_typed), other],
        START_TIME: [CallbackQueryHandler(time_tapped, pattern=data_pattern("t")),
                     MessageHandler(TYPED, time_typed), other],
        END_TIME: [CallbackQueryHandler(duration_tapped, pattern=data_pattern("e")),
                   MessageHandler(TYPED, end_typed), other],
    }
