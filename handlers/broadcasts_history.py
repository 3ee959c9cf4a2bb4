"""After sending: `/siaran_riwayat`, and the buttons under a broadcast's progress and summary —
cancel, correct ([Ralat]: edit every delivered copy), withdraw ([Tarik]: delete them) and the
per-recipient report."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.jobs import broadcasts_app as delivery
from bot.jobs import broadcasts_render as render
from bot.services import broadcasts, broadcasts_audience, broadcasts_outbox
from bot.services.broadcasts import BroadcastRefused, Problem, Summary
from bot.services.broadcasts_report import write_report
from bot.services.groups import list_groups
from handlers import broadcasts_view as view
from handlers.broadcasts_form import message_html, tap_please
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only, tell
from models.broadcast import MediaKind

FIX_TEXT, FIX_CONFIRM = "fix_text", "fix_confirm"
FIX_FORM = "broadcast_fix"
FIX_SEND, FIX_QUIT = "bc.fs", "bc.fq"
HISTORY_SIZE = 10


async def _summary(update: Update, context: BerdayaContext, broadcast_id: int) -> Summary | None:
    """The broadcast if this member may manage it; otherwise they are told why not."""
    assert context.member is not None
    found = await broadcasts.summary(context.runtime.sessionmaker, broadcast_id)
    if found is None:
        await tell(update, view.explain(context.tr, Problem.NOT_FOUND))
        return None
    if not broadcasts.may_manage(context.member, found.broadcast):
        await tell(update, view.explain(context.tr, Problem.NOT_ALLOWED))
        return None
    return found


def _id(update: Update) -> int | None:
    fields = unpack(update, int)
    return fields[0] if fields else None


async def _tapped(update: Update, context: BerdayaContext) -> Summary | None:
    """The broadcast a button under it names, the tap answered; None when there is nothing to
    do (unreadable data, or the member was told why not)."""
    broadcast_id = _id(update)
    assert update.callback_query is not None
    found = None if broadcast_id is None else await _summary(update, context, broadcast_id)
    if found is not None or broadcast_id is None:  # else the refusal already answered the tap
        await update.callback_query.answer()
    return found


async def _carry_out(update: Update, context: BerdayaContext,
                     act: Callable[..., Awaitable[object]]) -> int | None:
    """Run a confirmed cancel or withdraw (``act``) and wake the delivery engine for it; the
    broadcast's id once it is under way, None when refused (the member was told why)."""
    broadcast_id = _id(update)
    query = update.callback_query
    assert query is not None and context.member is not None
    if broadcast_id is None:
        await query.answer()
        return None
    try:
        await act(context.runtime.sessionmaker, broadcast_id, member_id=context.member.id,
                  now=context.runtime.now())
    except BroadcastRefused as exc:
        await query.answer(view.explain(context.tr, exc.problem), show_alert=True)
        return None
    await query.answer()
    delivery.wake_engine(context.application)
    return broadcast_id


@staff_only
async def history(update: Update, context: BerdayaContext) -> None:
    assert context.member is not None and update.effective_message is not None
    tr = context.tr
    entries = await broadcasts.history(context.runtime.sessionmaker, context.member.id,
                                       HISTORY_SIZE)
    if not entries:
        await update.effective_message.reply_text(tr._("No broadcasts yet. Start one with "
                                                       "/siaran."))
        return
    text = "\n\n".join([tr._("📣 <b>Recent broadcasts</b>"),
                        *(view.history_entry(tr, entry) for entry in entries)])
    buttons = [InlineKeyboardButton(f"#{e.broadcast.id}", callback_data=pack(view.DETAIL,
                                                                             e.broadcast.id))
               for e in entries]
    await update.effective_message.reply_text(
        text, reply_markup=InlineKeyboardMarkup([buttons[i:i + 5]
                                                 for i in range(0, len(buttons), 5)]))


@staff_only
async def detail(update: Update, context: BerdayaContext) -> None:
    if (found := await _tapped(update, context)) is None:
        return
    tr, sessionmaker = context.tr, context.runtime.sessionmaker
    audience = broadcasts_audience.Audience.from_json(found.broadcast.audience)
    labels = await broadcasts_audience.labels_for(sessionmaker, audience)
    groups = {g.code: g.name for g in await list_groups(sessionmaker)}
    text = "\n".join([view.history_entry(tr, found), "",
                      tr._("<b>To:</b> {audience}").format(
                          audience=view.audience_text(tr, audience, labels, groups))])
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text,
                                   reply_markup=view.actions(tr, found))


def _confirm(tr_yes: str, tr_no: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(tr_yes, callback_data=data),
                                  InlineKeyboardButton(tr_no, callback_data=pack(FIX_QUIT))]])


@staff_only
async def cancel_asked(update: Update, context: BerdayaContext) -> None:
    if (found := await _tapped(update, context)) is None:
        return
    broadcast_id = found.broadcast.id
    tr = context.tr
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        tr._("Cancel broadcast #{id}? Members who have not received it yet will not get "
             "it.").format(id=broadcast_id),
        reply_markup=_confirm(tr._("Yes, cancel it"), tr._("No"),
                              pack(view.CANCEL_YES, broadcast_id)))


@staff_only
async def cancel_confirmed(update: Update, context: BerdayaContext) -> None:
    broadcast_id = await _carry_out(update, context, broadcasts.cancel_broadcast)
    if broadcast_id is None:
        return
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(context.tr._(
        "⛔ Broadcast #{id} is cancelled. Nobody else will get it.").format(id=broadcast_id))


@staff_only
async def withdraw_asked(update: Update, context: BerdayaContext) -> None:
    if (found := await _tapped(update, context)) is None:
        return
    broadcast_id = found.broadcast.id
    tr = context.tr
    sent = found.counts.sent
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        tr.ngettext("Delete broadcast #{id} from the {n} chat that received it?",
                    "Delete broadcast #{id} from the {n} chats that received it?", sent)
        .format(id=broadcast_id, n=tr.number(sent)),
        reply_markup=_confirm(tr._("🗑 Yes, withdraw it"), tr._("No"),
                              pack(view.WITHDRAW_YES, broadcast_id)))


@staff_only
async def withdraw_confirmed(update: Update, context: BerdayaContext) -> None:
    broadcast_id = await _carry_out(update, context, broadcasts.withdraw_broadcast)
    if broadcast_id is None:
        return
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(context.tr._(
        "🗑 Broadcast #{id} is being removed from members' chats. You will be told when it is "
        "done.").format(id=broadcast_id))


async def not_now(update: Update, context: BerdayaContext) -> int:
    """[No] under a question, or leaving a correction: nothing changes."""
    if context.user_data is not None:
        context.user_data.pop(FIX_FORM, None)
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text(context.tr._("Alright, nothing was changed."))
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(context.tr._("Alright, nothing was changed."))
    return ConversationHandler.END


@staff_only
async def report(update: Update, context: BerdayaContext) -> None:
    if (found := await _tapped(update, context)) is None:
        return
    broadcast_id = found.broadcast.id
    buffer = io.StringIO()
    await write_report(context.runtime.sessionmaker, broadcast_id, buffer, context.runtime.tz)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(buffer.getvalue().encode("utf-8-sig"), filename=f"siaran-{broadcast_id}.csv"),
        caption=context.tr._("Report of broadcast #{id}: one row per recipient.").format(
            id=broadcast_id))


# ------------------------------------------------------------------ correction ([Ralat])

def _fix_form(context: BerdayaContext) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault(FIX_FORM, {})


@staff_only
async def fix_start(update: Update, context: BerdayaContext) -> str | int:
    if (found := await _tapped(update, context)) is None:
        return ConversationHandler.END
    broadcast_id = found.broadcast.id
    if found.broadcast.withdrawn_at is not None:
        await tell(update, view.explain(context.tr, Problem.WITHDRAWN))
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[FIX_FORM] = {"id": broadcast_id}
    tr = context.tr
    kind = tr._("caption") if found.broadcast.media_kind else tr._("text")
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "\n".join([
        tr._("✏️ <b>Correct broadcast #{id}</b>").format(id=broadcast_id),
        tr._("Send the corrected {kind}, complete, as members should read it. Every copy "
             "already delivered is edited; Telegram marks it as edited.").format(kind=kind),
        tr._("Send /batal to leave it as it is."),
    ]))
    return FIX_TEXT


async def fix_text(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None
    form = _fix_form(context)
    tr, sessionmaker = context.tr, context.runtime.sessionmaker
    text = message_html(message)
    current = (await broadcasts_outbox.contents(sessionmaker, {form["id"]})).get(form["id"])
    if current is None:
        await message.reply_text(view.explain(tr, Problem.NOT_FOUND))
        return FIX_TEXT
    media = broadcasts.Media(MediaKind(current.media_kind), current.media_file_id or "") \
        if current.media_kind else None
    try:
        broadcasts.check_content(text, media)
    except BroadcastRefused as exc:
        await message.reply_text(view.explain(tr, exc.problem))
        return FIX_TEXT
    form["text"] = text
    await render.send(context.bot, message.chat_id, replace(current, text=text), tr)
    await message.reply_text(
        tr._("👆 This is how the corrected message will read."),
        reply_markup=InlineKeyboardMarkup([[
            InlineKeyboardButton(tr._("✏️ Send the correction"), callback_data=pack(FIX_SEND)),
            InlineKeyboardButton(tr._("✖️ Cancel"), callback_data=pack(FIX_QUIT))]]))
    return FIX_CONFIRM


async def fix_wrong(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.tr._("Please send the corrected text."))
    return FIX_TEXT


async def fix_send(update: Update, context: BerdayaContext) -> int:
    query = update.callback_query
    assert query is not None and context.member is not None
    form = _fix_form(context)
    tr = context.tr
    if "text" not in form:
        await query.answer()
        return ConversationHandler.END
    try:
        await broadcasts.correct_broadcast(context.runtime.sessionmaker, form["id"],
                                           member_id=context.member.id, text=form["text"],
                                           now=context.runtime.now())
    except BroadcastRefused as exc:
        await query.answer(view.explain(tr, exc.problem), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    context.user_data.pop(FIX_FORM, None)  # type: ignore[union-attr]
    delivery.wake_engine(context.application)
    await query.edit_message_text(tr._("✏️ The correction of broadcast #{id} is on its way. You "
                                       "will be told when every copy is edited.").format(
                                           id=form["id"]))
    return ConversationHandler.END


def register(application: Application) -> None:  # type: ignore[type-arg]
    text_or_caption = (filters.TEXT & ~filters.COMMAND)
    application.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(fix_start, pattern=pattern(view.FIX))],
        states={
            FIX_TEXT: [MessageHandler(text_or_caption, fix_text),
                       MessageHandler(~filters.COMMAND, fix_wrong)],
            FIX_CONFIRM: [CallbackQueryHandler(fix_send, pattern=pattern(FIX_SEND)),
                          MessageHandler(~filters.COMMAND, tap_please)],
        },
        fallbacks=[CommandHandler("batal", not_now),
                   CallbackQueryHandler(not_now, pattern=pattern(FIX_QUIT))],
        name="broadcast_fix", persistent=True, allow_reentry=True,
    ))
    application.add_handler(CommandHandler("siaran_riwayat", history))
    for prefix, callback in ((view.DETAIL, detail), (view.CANCEL, cancel_asked),
                             (view.CANCEL_YES, cancel_confirmed), (view.WITHDRAW, withdraw_asked),
                             (view.WITHDRAW_YES, withdraw_confirmed), (view.REPORT, report),
                             (FIX_QUIT, not_now)):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(prefix)))
