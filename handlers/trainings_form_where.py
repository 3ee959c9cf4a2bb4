"""Form steps for the place: kecamatan, then one of its desa (tapped or typed), then an optional
map pin. Buttons carry region codes, never names: desa names repeat across kecamatan.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.services import places
from bot.services.places import Place
from bot.services.trainings_rules import check_location
from handlers.callbacks import unpack
from handlers.trainings_form_core import (
    DESA,
    KECAMATAN,
    LOCATION,
    Form,
    ask,
    asks,
    data,
    data_pattern,
    get_form,
    problem,
    proceed,
    send,
    settle_tap,
    with_form,
)
from handlers.trainings_form_steps import (
    NOT_TYPED,
    TYPED,
    reprompt,
    skip_button,
    skip_handler,
    stay,
)
from handlers.trainings_render import grid, keyboard

log = logging.getLogger("berdaya.trainings")

DESA_PER_PAGE = 12
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


async def _typed_place(update: Update, context: BerdayaContext, text: str, found: list[Place],
                       action: str) -> Place | None:
    """The region a typed name means: the only hit, or one named exactly so. Several hits: the
    member is asked which one (buttons of ``action``) and None comes back, as for none."""
    if len(found) == 1 or (found and places.similarity(text, found[0].name) == 1.0):
        return found[0]
    if found:
        await send(update, context, context.tr._("Which one do you mean?"),
                   keyboard([[(p.name, data(action, p.code))] for p in found]))
    return None


@asks(KECAMATAN)
async def ask_kecamatan(update: Update, context: BerdayaContext, form: Form) -> str:
    kecamatan = await places.kecamatan_list(context.runtime.sessionmaker)
    choices = [(k.name, data("k", k.code)) for k in kecamatan]
    await send(update, context, context.tr._(
        "🗺 In which kecamatan is the training? Tap it, or type its name."),
        keyboard(grid(choices, 2)))
    return KECAMATAN


async def _set_kecamatan(update: Update, context: BerdayaContext, place: Place) -> str:
    form = get_form(context)
    assert form is not None
    await settle_tap(update, place.name)
    form["kecamatan"], form["kecamatan_name"] = place.code, place.name
    return await ask(DESA, update, context, form)


@with_form
async def kecamatan_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str)
    place = await places.get_place(context.runtime.sessionmaker, fields[0]) if fields else None
    if place is None or place.level != "kecamatan":
        log.warning("ignored kecamatan button %r", fields)
        return await stay(update, KECAMATAN)
    return await _set_kecamatan(update, context, place)


@with_form
async def kecamatan_typed(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    found = await places.search(context.runtime.sessionmaker, text, desa=False)
    if (place := await _typed_place(update, context, text, found, "k")) is not None:
        return await _set_kecamatan(update, context, place)
    if found:
        return KECAMATAN
    await send(update, context, "⚠️ " + context.tr._(
        "I could not find a kecamatan called “{name}” in the list. Please tap it.").format(
        name=html.escape(text)))
    return await ask(KECAMATAN, update, context, get_form(context) or {})


@asks(DESA)
async def ask_desa(update: Update, context: BerdayaContext, form: Form) -> str:
    text, markup = await _desa_screen(context, form, 0)
    await send(update, context, text, markup)
    return DESA


async def _desa_screen(context: BerdayaContext, form: Form, page: int) -> tuple[str, Any]:
    tr = context.tr
    desa = await places.desa_list(context.runtime.sessionmaker, form["kecamatan"])
    pages = max(1, -(-len(desa) // DESA_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = desa[page * DESA_PER_PAGE:(page + 1) * DESA_PER_PAGE]
    rows = grid([(d.name, data("d", d.code)) for d in shown], 2)
    nav = []
    if page > 0:
        nav.append(("◀", data("p", page - 1)))
    if page < pages - 1:
        nav.append(("▶", data("p", page + 1)))
    if nav:
        rows.append(nav)
    rows.append([(tr._("↩ Another kecamatan"), data("b"))])
    return tr._("Kecamatan {name}. Which desa or kelurahan? Tap it, or type its name.").format(
        name=html.escape(form["kecamatan_name"])), keyboard(rows)


async def _set_desa(update: Update, context: BerdayaContext, place: Place) -> str:
    form = get_form(context)
    assert form is not None
    await settle_tap(update, place.name)
    form["desa"], form["desa_name"] = place.code, place.name
    return await proceed(update, context, form, DESA)


@with_form
async def desa_tapped(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None
    fields = unpack(update, str)
    place = await places.get_place(context.runtime.sessionmaker, fields[0]) if fields else None
    if place is None or not place.is_desa or place.parent_code != form.get("kecamatan"):
        log.warning("ignored desa button %r", fields)
        return await stay(update, DESA)
    return await _set_desa(update, context, place)


@with_form
async def desa_page(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    fields = unpack(update, int)
    query = update.callback_query
    assert form is not None and query is not None
    await query.answer()
    if fields is not None:
        text, markup = await _desa_screen(context, form, fields[0])
        await query.edit_message_text(text, reply_markup=markup)
    return DESA


@with_form
async def other_kecamatan(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None
    await settle_tap(update)
    return await ask(KECAMATAN, update, context, form)


@with_form
async def desa_typed(update: Update, context: BerdayaContext) -> str:
    form = get_form(context)
    assert form is not None and update.effective_message is not None
    text = update.effective_message.text or ""
    found = await places.search(context.runtime.sessionmaker, text, desa=True,
                                within=form["kecamatan"])
    if (place := await _typed_place(update, context, text, found, "d")) is not None:
        return await _set_desa(update, context, place)
    if found:
        return DESA
    await send(update, context, "⚠️ " + context.tr._(
        "There is no desa or kelurahan called “{name}” in Kecamatan {kecamatan}. Please "
        "tap it in the list.").format(name=html.escape(text),
                                      kecamatan=html.escape(form["kecamatan_name"])))
    return await ask(DESA, update, context, form)


@asks(LOCATION)
async def ask_location(update: Update, context: BerdayaContext, form: Form) -> str:
    tr = context.tr
    rows = [skip_button(context, LOCATION)]
    if form.get("lat") is not None:
        rows = [[(tr._("🗑 Remove the map pin"), data("s", LOCATION))]]
    await send(update, context, tr._(
        "📍 To give members a map pin, send the venue's location (📎 → Location), or type its "
        "coordinates such as <i>-2.0833, 102.2833</i>. Or tap Skip."), keyboard(rows))
    return LOCATION


async def _set_location(update: Update, context: BerdayaContext, latitude: float | None,
                        longitude: float | None) -> str:
    form = get_form(context)
    assert form is not None
    if (found := check_location(latitude, longitude)) is not None:
        await problem(update, context, found)
        return LOCATION
    form["lat"], form["lon"] = latitude, longitude
    return await proceed(update, context, form, LOCATION)


@with_form
async def location_shared(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None
    point = message.venue.location if message.venue else message.location
    assert point is not None
    return await _set_location(update, context, point.latitude, point.longitude)


@with_form
async def coordinates_typed(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    match = COORDINATES.match(update.effective_message.text or "")
    if match is None:
        await send(update, context, "⚠️ " + context.tr._(
            "Please send the location with 📎 → Location, type coordinates such as "
            "<i>-2.0833, 102.2833</i>, or tap Skip."))
        return LOCATION
    latitude, longitude = (float(match[i].replace(",", ".")) for i in (1, 2))
    return await _set_location(update, context, latitude, longitude)


@with_form
async def location_skipped(update: Update, context: BerdayaContext) -> str:
    await settle_tap(update, context.tr._("No map pin"))
    return await _set_location(update, context, None, None)


def state_handlers() -> dict[str, list[BaseHandler[Any, Any, Any]]]:
    other = MessageHandler(NOT_TYPED, reprompt)
    return {
        KECAMATAN: [CallbackQueryHandler(kecamatan_tapped, pattern=data_pattern("k")),
                    MessageHandler(TYPED, kecamatan_typed), other],
        DESA: [CallbackQueryHandler(desa_tapped, pattern=data_pattern("d")),
               CallbackQueryHandler(desa_page, pattern=data_pattern("p")),
               CallbackQueryHandler(other_kecamatan, pattern=data_pattern("b")),
               MessageHandler(TYPED, desa_typed), other],
        LOCATION: [MessageHandler(filters.LOCATION | filters.VENUE, location_shared),
                   skip_handler(LOCATION, location_skipped),
                   MessageHandler(TYPED, coordinates_typed), other],
    }
