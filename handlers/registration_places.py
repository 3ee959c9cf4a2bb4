"""Where the member lives: kecamatan buttons, then that kecamatan's desa, or a typed name.

Every button carries a region code, never a name: six desa names exist in two kecamatan.
One message is edited in place while the member moves between lists, so the chat stays short.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.services import places
from bot.services.places import Place
from handlers.callbacks import pack, pattern, unpack
from handlers.menu import any_menu_button
from handlers.profile import place_label
from handlers.registration_form import (
    BACK_LABEL,
    NO_LABEL,
    PLACE,
    Draft,
    asks,
    get_draft,
    proceed,
)
from handlers.registration_messages import answer, edit, send

log = logging.getLogger("berdaya.registration")

KECAMATAN, DESA, PAGE, BACK = "r.k", "r.d", "r.p", "r.b"
DESA_PER_PAGE = 10


Row = list[InlineKeyboardButton]


def _grid(buttons: Row, per_row: int = 2) -> list[Row]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


async def _kecamatan_screen(context: BerdayaContext) -> tuple[str, InlineKeyboardMarkup]:
    kecamatan = await places.kecamatan_list(context.runtime.sessionmaker)
    buttons = [InlineKeyboardButton(k.name, callback_data=pack(KECAMATAN, k.code))
               for k in kecamatan]
    return (context.tr._("In which kecamatan do you live? Tap it below, or type its name."),
            InlineKeyboardMarkup(_grid(buttons)))


async def _desa_screen(
    context: BerdayaContext, kecamatan_code: str, page: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    tr = context.tr
    desa = await places.desa_list(context.runtime.sessionmaker, kecamatan_code)
    if not desa:
        return None
    pages = (len(desa) + DESA_PER_PAGE - 1) // DESA_PER_PAGE
    page = min(max(page, 0), pages - 1)
    shown = desa[page * DESA_PER_PAGE:(page + 1) * DESA_PER_PAGE]
    rows = _grid([InlineKeyboardButton(d.name, callback_data=pack(DESA, d.code)) for d in shown])
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=pack(PAGE, kecamatan_code, page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=pack(PAGE, kecamatan_code, page + 1)))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton(tr._(BACK_LABEL), callback_data=pack(BACK))])
    text = tr._("Kecamatan {kecamatan}. Now tap your desa or kelurahan, or type its name.").format(
        kecamatan=html.escape(desa[0].parent_name or ""))
    if pages > 1:
        text += "\n" + tr._("Page {page} of {pages}").format(page=page + 1, pages=pages)
    return text, InlineKeyboardMarkup(rows)


async def _show(update: Update, screen: tuple[str, InlineKeyboardMarkup],
                context: BerdayaContext) -> None:
    """Edit the tapped message in place; a typed message gets a fresh one."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await edit(update, *screen)
    else:
        await send(update, context, *screen)


@asks(PLACE)
async def ask_place(update: Update, context: BerdayaContext, draft: Draft) -> str:
    """A poster's link suggests a desa; the member still confirms it is theirs."""
    suggested = draft.pop("suggested", None)
    place = await places.get_place(context.runtime.sessionmaker, suggested) if suggested else None
    if place is not None and place.is_desa:
        await _offer(update, context, [place])
        return PLACE
    draft["kecamatan"] = None
    await send(update, context, *await _kecamatan_screen(context))
    return PLACE


async def kecamatan_chosen(update: Update, context: BerdayaContext) -> str:
    draft = get_draft(context)
    assert draft is not None
    fields = unpack(update, str)
    screen = await _desa_screen(context, fields[0], 0) if fields else None
    await answer(update)
    if fields is None or screen is None:
        log.warning("ignored kecamatan button %r", update.callback_query and
                    update.callback_query.data)
        return PLACE
    draft["kecamatan"] = fields[0]
    await _show(update, screen, context)
    return PLACE


async def page_turned(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str, int)
    screen = await _desa_screen(context, fields[0], fields[1]) if fields else None
    await answer(update)
    if screen is not None:
        await _show(update, screen, context)
    return PLACE


async def back_to_kecamatan(update: Update, context: BerdayaContext) -> str:
    draft = get_draft(context)
    assert draft is not None
    draft["kecamatan"] = None
    await answer(update)
    await _show(update, await _kecamatan_screen(context), context)
    return PLACE


async def desa_chosen(update: Update, context: BerdayaContext) -> str:
    draft, query = get_draft(context), update.callback_query
    assert draft is not None and query is not None
    fields = unpack(update, str)
    place = await places.get_place(context.runtime.sessionmaker, fields[0]) if fields else None
    await answer(update)
    if place is None or not place.is_desa:
        log.warning("ignored desa button %r", query.data)
        return PLACE
    draft["desa"] = place.code
    draft["kecamatan"] = place.parent_code
    await edit(update, f"🏠 {_label(context, place)} ✓")
    return await proceed(update, context, draft, PLACE)


async def place_typed(update: Update, context: BerdayaContext) -> str:
    """Names typed from memory: "bangko barat", "Bgko", "desa rejo sari".

    A desa of the chosen kecamatan first; else a kecamatan (the member is correcting it);
    else any desa, since people know their desa better than its kecamatan.
    """
    draft, message = get_draft(context), update.effective_message
    assert draft is not None and message is not None and message.text is not None
    sessionmaker = context.runtime.sessionmaker
    within = draft.get("kecamatan")
    found: list[Place] = []
    if within:
        found = await places.search(sessionmaker, message.text, desa=True, within=within)
    if not found:
        found = await places.search(sessionmaker, message.text, desa=False)
    if not found:
        found = await places.search(sessionmaker, message.text, desa=True)
    if found:
        await _offer(update, context, found)
        return PLACE
    await message.reply_text(context.tr._(
        "I could not find “{text}”. Please check the spelling, or tap a button in the list."
    ).format(text=html.escape(message.text[:100])))
    screen = await _desa_screen(context, within, 0) if within else None
    await send(update, context, *(screen or await _kecamatan_screen(context)))
    return PLACE


def _label(context: BerdayaContext, place: Place, markup: bool = True) -> str:
    if place.is_desa:
        return place_label(context.tr, place, markup)
    name = html.escape(place.name) if markup else place.name
    return context.tr._("Kecamatan {kecamatan}").format(kecamatan=name)


async def _offer(update: Update, context: BerdayaContext, found: list[Place]) -> None:
    """Ask to confirm a guess; several guesses (same name, close spellings) become buttons."""
    tr = context.tr
    draft = get_draft(context) or {}
    back = (pack(PAGE, draft["kecamatan"], 0) if draft.get("kecamatan") and found[0].is_desa
            else pack(BACK))
    chosen = [pack(DESA if p.is_desa else KECAMATAN, p.code) for p in found]
    if len(found) == 1:
        text = tr._("Is this right?\n<b>{place}</b>").format(place=_label(context, found[0]))
        rows = [[InlineKeyboardButton(tr._("✅ Yes, that's right"), callback_data=chosen[0]),
                 InlineKeyboardButton(tr._(NO_LABEL), callback_data=back)]]
    else:
        text = tr._("Which one do you mean?")
        rows = [[InlineKeyboardButton(_label(context, p, markup=False), callback_data=data)]
                for p, data in zip(found, chosen, strict=True)]
        rows.append([InlineKeyboardButton(tr._("❌ None of these"), callback_data=back)])
    await send(update, context, text, InlineKeyboardMarkup(rows))


async def place_not_text(update: Update, context: BerdayaContext) -> str:
    draft = get_draft(context) or {}
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._(
        "Please tap your kecamatan and desa in the list, or type the name."))
    within = draft.get("kecamatan")
    screen = await _desa_screen(context, within, 0) if within else None
    await send(update, context, *(screen or await _kecamatan_screen(context)))
    return PLACE


def state_handlers() -> dict[str, list[BaseHandler]]:  # type: ignore[type-arg]
    typed = ~filters.COMMAND & ~any_menu_button()
    return {PLACE: [
        CallbackQueryHandler(kecamatan_chosen, pattern=pattern(KECAMATAN)),
        CallbackQueryHandler(desa_chosen, pattern=pattern(DESA)),
        CallbackQueryHandler(page_turned, pattern=pattern(PAGE)),
        CallbackQueryHandler(back_to_kecamatan, pattern=pattern(BACK)),
        MessageHandler(filters.TEXT & typed, place_typed),
        MessageHandler(typed, place_not_text),
    ]}
