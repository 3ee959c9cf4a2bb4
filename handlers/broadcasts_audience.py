"""The composer's audience step: one panel edited in place, the count shown after every tap.

Filters of different kinds narrow the audience; several choices in one filter widen it. The
audience lives in the conversation's user_data as the same JSON the broadcast row keeps. A
facilitator limited to one kecamatan only ever sees and gets that kecamatan (and its desa).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import BerdayaContext
from bot.i18n import N_, Translator
from bot.services import broadcasts_audience as audiences
from bot.services import places
from bot.services.broadcasts_audience import Audience, Choice
from bot.services.groups import group_name, list_groups
from bot.services.scope import OutOfScope, scope_of
from handlers import broadcasts_view as view
from handlers.callbacks import pack, unpack

OPEN, PAGE, TOGGLE, DONE = "bs.a", "bs.p", "bs.v", "bs.ad"
PAGE_SIZE = 12
FIELD = {"k": "kecamatan", "d": "desa", "g": "groups", "l": "languages", "t": "trainings",
         "c": "commodities"}
TITLES = {
    "k": N_("📍 Kecamatan"), "d": N_("🏘 Desa"), "g": N_("👥 Groups"), "l": N_("🗣 Language"),
    "t": N_("📅 Training participants"), "c": N_("🌾 Price followers"),
}
INT_KINDS = ("t", "c")


def audience_of(context: BerdayaContext, form: dict[str, object]) -> Audience:
    """The form's audience inside the sender's scope; filters from outside it (the admin limited
    the facilitator while they were composing) are dropped, and the panel shows the result."""
    audience = Audience.from_json(form.get("audience"))  # type: ignore[arg-type]
    scope = scope_of(context.member)
    try:
        return audiences.within(audience, scope)
    except OutOfScope:
        return audiences.within(audience.cleared("kecamatan").cleared("desa"), scope)


def count_line(tr: Translator, count: int) -> str:
    return tr.ngettext("<b>{n} member</b> will receive it.",
                       "<b>{n} members</b> will receive it.", count).format(n=tr.number(count))


async def _head(context: BerdayaContext, audience: Audience) -> str:
    tr, sessionmaker = context.tr, context.runtime.sessionmaker
    labels = await audiences.labels_for(sessionmaker, audience)
    groups = {g.code: g.name for g in await list_groups(sessionmaker)}
    count = await audiences.count_recipients(sessionmaker, audience)
    return "\n".join([
        tr._("👥 <b>Who should receive it?</b>"),
        view.audience_text(tr, audience, labels, groups),
        "",
        count_line(tr, count),
    ])


def _main_keyboard(context: BerdayaContext, audience: Audience) -> InlineKeyboardMarkup:
    tr = context.tr

    def button(kind: str) -> InlineKeyboardButton:
        chosen = len(getattr(audience, FIELD[kind]))
        label = tr._(TITLES[kind]) + (f" ({chosen})" if chosen else "")
        return InlineKeyboardButton(label, callback_data=pack(OPEN, kind))

    rows = [[button("k"), button("d")], [button("g"), button("l")], [button("t"), button("c")]]
    if audience != audiences.within(Audience(), scope_of(context.member)):
        rows.append([InlineKeyboardButton(tr._("↺ All active members"),
                                          callback_data=pack(OPEN, "0"))])
    rows.append([InlineKeyboardButton(tr._("Continue ➡️"), callback_data=pack(DONE))])
    return InlineKeyboardMarkup(rows)


async def send_panel(update: Update, context: BerdayaContext, form: dict[str, object]) -> None:
    """A fresh panel below the conversation (the step starts here)."""
    audience = audience_of(context, form)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, await _head(context, audience),
                                   reply_markup=_main_keyboard(context, audience))


async def _show(update: Update, text: str, keyboard: InlineKeyboardMarkup) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


async def _choices(context: BerdayaContext, kind: str, audience: Audience) -> list[Choice]:
    tr, sessionmaker = context.tr, context.runtime.sessionmaker
    if kind == "k":
        limit = scope_of(context.member).kecamatan
        return [Choice(p.code, p.name) for p in await places.kecamatan_list(sessionmaker)
                if limit in (None, p.code)]
    if kind == "d":
        found = []
        for code in audience.kecamatan:
            for place in await places.desa_list(sessionmaker, code):
                suffix = f" ({place.parent_name})" if len(audience.kecamatan) > 1 else ""
                found.append(Choice(place.code, place.name + suffix))
        return found
    if kind == "g":
        return [Choice(g.code, group_name(tr, g.code, g.name))
                for g in await list_groups(sessionmaker)]
    if kind == "l":
        return [Choice(code, name) for code, name in view.LANGUAGE_NAMES.items()]
    if kind == "t":
        return [Choice(c.value, f"{c.label[:34]} · {tr.short_date(c.when)}")
                for c in await audiences.upcoming_trainings(sessionmaker, context.runtime.now())]
    index = 0 if tr.language == "id" else 1
    return [Choice(cid, names[index])
            for cid, *names in await audiences.commodity_choices(sessionmaker)]


async def _picker(update: Update, context: BerdayaContext, form: dict[str, object], kind: str,
                  page: int) -> None:
    tr = context.tr
    audience = audience_of(context, form)
    choices = await _choices(context, kind, audience)
    head = await _head(context, audience)
    if not choices:
        note = {"d": tr._("Choose one or more kecamatan first, then their desa."),
                "t": tr._("There are no upcoming trainings.")}.get(kind, tr._("Nothing to choose."))
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            tr._("⬅️ Back"), callback_data=pack(OPEN, "m"))]])
        await _show(update, f"{head}\n\n{note}", keyboard)
        return
    pages = (len(choices) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    chosen = set(getattr(audience, FIELD[kind]))
    buttons = [
        InlineKeyboardButton(("✓ " if c.value in chosen else "") + c.label,
                             callback_data=pack(TOGGLE, kind, page, c.value))
        for c in choices[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    ]
    width = 1 if kind == "t" else 2
    rows = [buttons[i:i + width] for i in range(0, len(buttons), width)]
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(InlineKeyboardButton("◀", callback_data=pack(PAGE, kind, page - 1)))
        nav.append(InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=pack(PAGE, kind,
                                                                                  page)))
        if page < pages - 1:
            nav.append(InlineKeyboardButton("▶", callback_data=pack(PAGE, kind, page + 1)))
        rows.append(nav)
    rows.append([InlineKeyboardButton(tr._("⬅️ Back"), callback_data=pack(OPEN, "m"))])
    hint = tr._("Tap to choose or unchoose; several choices add up.")
    await _show(update, f"{head}\n\n<b>{tr._(TITLES[kind])}</b> · {hint}",
                InlineKeyboardMarkup(rows))


async def open_tapped(update: Update, context: BerdayaContext, form: dict[str, object]) -> None:
    """Main panel, a filter's picker, or "everyone" again."""
    fields = unpack(update, str)
    query = update.callback_query
    assert query is not None
    if fields is None or fields[0] not in (*FIELD, "m", "0"):
        await query.answer()
        return
    await query.answer()
    kind = fields[0]
    if kind == "0":
        form["audience"] = {}
    if kind in FIELD:
        await _picker(update, context, form, kind, 0)
        return
    audience = audience_of(context, form)
    await _show(update, await _head(context, audience), _main_keyboard(context, audience))


async def page_tapped(update: Update, context: BerdayaContext, form: dict[str, object]) -> None:
    fields = unpack(update, str, int)
    assert update.callback_query is not None
    await update.callback_query.answer()
    if fields is None or fields[0] not in FIELD:
        return
    await _picker(update, context, form, fields[0], fields[1])


async def toggle_tapped(update: Update, context: BerdayaContext,
                        form: dict[str, object]) -> None:
    fields = unpack(update, str, int, str)
    query = update.callback_query
    assert query is not None
    if fields is None or fields[0] not in FIELD:
        await query.answer()
        return
    kind, page, raw = fields
    try:
        value: str | int = int(raw) if kind in INT_KINDS else raw
    except ValueError:
        await query.answer()
        return
    valid = {c.value for c in await _choices(context, kind, audience_of(context, form))}
    if value not in valid:
        await query.answer(context.tr._("That choice is no longer available."), show_alert=True)
    else:
        await query.answer()
        audience = audience_of(context, form).toggled(FIELD[kind], value)
        if kind == "k":
            audience = await _keep_desa_inside(context, audience)
        form["audience"] = audience.to_json()
    await _picker(update, context, form, kind, page)


async def _keep_desa_inside(context: BerdayaContext, audience: Audience) -> Audience:
    """Unchoosing a kecamatan also unchooses its desa, so no filter silently matches nobody."""
    if not audience.desa:
        return audience
    inside = {c.value for c in await _choices(context, "d", audience)}
    kept = tuple(code for code in audience.desa if code in inside)
    return Audience.from_json({**audience.to_json(), "desa": list(kept)})
