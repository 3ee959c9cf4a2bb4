"""The composer's last step: the message exactly as members will get it, then [Send]."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BerdayaContext
from bot.jobs import broadcasts_app as delivery
from bot.jobs import broadcasts_render as render
from bot.services import broadcasts, broadcasts_audience, trainings
from bot.services.broadcasts import BroadcastRefused, Button
from bot.services.broadcasts_outbox import Content
from bot.services.broadcasts_quiet import quiet_until
from bot.services.groups import list_groups
from handlers import broadcasts_audience as panel
from handlers import broadcasts_view as view
from handlers.broadcasts_form import FORM, PREVIEW, chat, form_of, keyboard, say
from handlers.callbacks import pack
from models.broadcast import ButtonKind, MediaKind

SEND, CHANGE, QUIT = "bs.k", "bs.u", "bs.q"


def _button(form: dict[str, Any]) -> Button | None:
    data = form.get("button")
    if not data:
        return None
    return Button(ButtonKind(data["kind"]), url=data.get("url"), label=data.get("label"),
                  training_id=data.get("training_id"))


async def _content(context: BerdayaContext, form: dict[str, Any]) -> Content:
    button = _button(form)
    version = None
    if button is not None and button.training_id is not None:
        found = await trainings.get_training(context.runtime.sessionmaker, button.training_id)
        version = found.training.version if found else None
    return Content(0, 1, form["text"], form.get("media"), form.get("file_id"),
                   button.kind if button else None, button.url if button else None,
                   button.label if button else None, button.training_id if button else None,
                   version, withdrawn=False, cancelled=False)


def _when(form: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(form["when"]) if form.get("when") else None


async def show_preview(update: Update, context: BerdayaContext) -> str:
    """The message exactly as members get it, then what, to whom and when, with the choice."""
    tr, runtime = context.tr, context.runtime
    form = form_of(context)
    form.pop("editing", None)
    await render.send(context.bot, chat(update), await _content(context, form), tr)
    audience = panel.audience_of(context, form)
    labels = await broadcasts_audience.labels_for(runtime.sessionmaker, audience)
    groups = {g.code: g.name for g in await list_groups(runtime.sessionmaker)}
    count = await broadcasts_audience.count_recipients(runtime.sessionmaker, audience)
    when = _when(form)
    lines = [
        tr._("👆 This is how members will see it."),
        "",
        tr._("<b>To:</b> {audience}").format(
            audience=view.audience_text(tr, audience, labels, groups)),
        panel.count_line(tr, count),
        tr._("<b>When:</b> {when}").format(
            when=f"{tr.date(when)} {tr.time(when)}" if when else tr._("now")),
    ]
    quiet = quiet_until(when or runtime.now(), runtime.settings.broadcast.quiet_windows,
                        runtime.tz)
    if quiet is not None:
        lines.append(tr._("🌙 That is within quiet hours: sending starts at {time}.").format(
            time=tr.time(quiet)))
    await say(update, context, "\n".join(lines), keyboard(
        [(tr._("📤 Send"), pack(SEND))],
        [(tr._("✏️ Change"), pack(CHANGE)), (tr._("✖️ Cancel"), pack(QUIT))]))
    return PREVIEW


async def send_tapped(update: Update, context: BerdayaContext) -> str | int:
    query = update.callback_query
    assert query is not None and context.member is not None
    tr, runtime = context.tr, context.runtime
    form = form_of(context)
    if "text" not in form:
        await query.answer()
        return ConversationHandler.END
    audience = panel.audience_of(context, form)
    if await broadcasts_audience.count_recipients(runtime.sessionmaker, audience) == 0:
        await query.answer(tr._("No member matches these filters. Change them first."),
                           show_alert=True)
        return PREVIEW
    try:
        broadcast = await broadcasts.create_broadcast(
            runtime.sessionmaker, sender_member_id=context.member.id, text=form["text"],
            audience=audience, button=_button(form), scheduled_at=_when(form),
            photo=form["file_id"] if form.get("media") == MediaKind.PHOTO else None,
            document=form["file_id"] if form.get("media") == MediaKind.DOCUMENT else None,
            now=runtime.now())
    except BroadcastRefused as exc:
        await query.answer(view.explain(tr, exc.problem), show_alert=True)
        return PREVIEW
    await query.answer()
    context.user_data.pop(FORM, None)  # type: ignore[union-attr]
    when = _when(form)
    if when is not None and when > runtime.now() + broadcasts.SCHEDULE_SLACK:
        text = tr._("🗓 Broadcast #{id} is scheduled for {date} {time}. See it in "
                    "/siaran_riwayat.").format(id=broadcast.id, date=tr.date(when),
                                               time=tr.time(when))
    else:
        text = tr._("📤 Broadcast #{id} is on its way. Its progress follows below.").format(
            id=broadcast.id)
    await query.edit_message_text(text)
    delivery.wake_engine(context.application)
    return ConversationHandler.END
