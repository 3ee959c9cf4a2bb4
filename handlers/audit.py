"""/audit: the latest facilitator and admin actions, for admins, one short line each.

Older entries come a page at a time under an [Older] button; the full trail, with every detail,
is `berdaya audit --since DATE` on the server.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BerdayaContext
from bot.i18n import N_, Translator
from bot.services import audit
from bot.services.audit import CLI, Action, Entry, Page
from handlers.callbacks import pack, pattern, unpack
from handlers.commands import Command
from handlers.guards import admin_only

log = logging.getLogger("berdaya.audit")

COMMANDS = [Command("audit", N_("Recent staff actions (admins)"), admin_only=True)]
PAGE_SIZE = 15
OLDER = "au.o"

ACTIONS: dict[str, str] = {
    Action.ROLE_CHANGED: N_("changed the role of member #{id}"),
    Action.SCOPE_CHANGED: N_("changed the area of facilitator #{id}"),
    Action.TRAINING_CREATED: N_("created training #{id}"),
    Action.TRAINING_CHANGED: N_("changed training #{id}"),
    Action.TRAINING_CANCELLED: N_("cancelled training #{id}"),
    Action.TRAINING_IMPORTED: N_("imported trainings from a file ({count})"),
    Action.ATTENDANCE_MARKED: N_("changed the attendance list of training #{id}"),
    Action.ATTENDANCE_CODE_OPENED: N_("opened the check-in code of training #{id}"),
    Action.PRICE_REPORTED: N_("recorded price #{id}: {price}"),
    Action.PRICE_REVIEWED: N_("reviewed members' price report #{id}"),
    Action.PRICE_OVERRIDDEN: N_("replaced price #{id}: {price}"),
    Action.PRICE_IMPORTED: N_("imported prices from a file ({count})"),
    Action.TIP_CREATED: N_("wrote tip #{id}"),
    Action.TIP_SAVED: N_("changed tip #{id}"),
    Action.TIP_PUBLISHED: N_("published tip #{id}"),
    Action.TIP_UNPUBLISHED: N_("unpublished tip #{id}"),
    Action.BROADCAST_CREATED: N_("created broadcast #{id}"),
    Action.BROADCAST_CANCELLED: N_("cancelled broadcast #{id}"),
    Action.BROADCAST_CORRECTED: N_("corrected broadcast #{id}"),
    Action.BROADCAST_WITHDRAWN: N_("withdrew broadcast #{id}"),
    Action.REPORT_EXPORTED: N_("downloaded the programme report"),
    Action.MEMBER_DATA_EXPORTED: N_("downloaded the data of member #{id}"),
    Action.MEMBER_ERASED: N_("deleted the data of member #{id}"),
}
"""What each action reads like after "who": keyed by Action, translated when shown."""

VARIANTS: dict[tuple[str, str, str], str] = {
    (Action.PRICE_REVIEWED, "decision", "approved"): N_("approved members' price report #{id}"),
    (Action.PRICE_REVIEWED, "decision", "rejected"): N_("rejected members' price report #{id}"),
    (Action.ROLE_CHANGED, "to", "facilitator"): N_("made member #{id} a facilitator"),
    (Action.ROLE_CHANGED, "to", "admin"): N_("made member #{id} an admin"),
    (Action.ROLE_CHANGED, "to", "member"): N_("took the staff role from member #{id}"),
}
"""Where one detail changes the sentence: (action, detail, value)."""


class _Blanks(dict[str, str]):
    """A placeholder without a value reads "?" rather than failing the whole list."""

    def __missing__(self, key: str) -> str:
        return "?"


def _details(entry: Entry) -> dict[str, Any]:
    return entry.details if isinstance(entry.details, dict) else {}


def _params(tr: Translator, entry: Entry) -> Mapping[str, str]:
    details = _details(entry)
    params = _Blanks(id=entry.subject_id or "?")
    counts = [details.get(key) for key in ("count", "added", "updated")]
    if any(isinstance(n, int) for n in counts):
        params["count"] = tr.number(sum(n for n in counts if isinstance(n, int)))
    with suppress(KeyError, InvalidOperation):
        value = Decimal(str(details["value"]))
        if value.is_finite():
            params["price"] = tr.rupiah(value)
    return params


def describe(tr: Translator, entry: Entry) -> str:
    """The action in the admin's language, already HTML-escaped."""
    phrase = ACTIONS.get(entry.action)
    for (action, key, value), variant in VARIANTS.items():
        if entry.action == action and _details(entry).get(key) == value:
            phrase = variant
    if phrase is None:  # an action this version does not know: shown as stored
        return html.escape(" ".join(filter(None, (entry.action, entry.subject))))
    return html.escape(tr._(phrase).format_map(_params(tr, entry)))


def _actor(tr: Translator, entry: Entry) -> str:
    if entry.actor_id is None:
        return tr._("command line") if entry.actor_role == CLI else "—"
    if not entry.actor_name:
        return f"#{entry.actor_id}"
    return f"{html.escape(entry.actor_name)} (#{entry.actor_id})"


def entry_line(tr: Translator, entry: Entry) -> str:
    """`5 Des 14.02 · Siti (#12) · membuat pelatihan #7`."""
    layout = "d MMM HH.mm" if tr.language == "id" else "d MMM HH:mm"
    when = format_datetime(entry.at.astimezone(tr.tz), layout, locale=tr.language)
    return f"{when} · {_actor(tr, entry)} · {describe(tr, entry)}"


async def _send(update: Update, context: BerdayaContext, page: Page, title: str) -> None:
    tr = context.tr
    assert update.effective_chat is not None
    markup = None
    if page.more:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            tr._("⬅️ Older"), callback_data=pack(OLDER, page.entries[-1].id))]])
    text = "\n".join([title, *(entry_line(tr, e) for e in page.entries)])
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


@admin_only
async def show(update: Update, context: BerdayaContext) -> None:
    page = await audit.page(context.runtime.sessionmaker, PAGE_SIZE)
    assert page is not None and update.effective_message is not None
    tr = context.tr
    if not page.entries:
        await update.effective_message.reply_text(tr._("No staff actions recorded yet."))
        return
    await _send(update, context, page, tr._("🗂 <b>Recent staff actions</b> (newest first)"))


@admin_only
async def older(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None
    fields = unpack(update, int)
    page = None
    if fields is not None:
        page = await audit.page(context.runtime.sessionmaker, PAGE_SIZE, before=fields[0])
        if page is None:
            log.warning("ignored an audit page after unknown entry %s", fields[0])
    tr = context.tr
    if page is None or not page.entries:
        await query.answer(tr._("This list is out of date. Send /audit again."),
                           show_alert=True)
        return
    await query.answer()
    if query.message is not None:
        await query.edit_message_reply_markup(None)
    await _send(update, context, page, tr._("🗂 <b>Older staff actions</b>"))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("audit", show))
    application.add_handler(CallbackQueryHandler(older, pattern=pattern(OLDER)))
