"""`/siaran`: a facilitator composes a broadcast — content, button, audience, time — sees it
exactly as members will, and sends it. Nothing reaches members before [Send]; the delivery job
takes over from there.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.services import broadcasts, broadcasts_audience, trainings
from bot.services.broadcasts import BroadcastRefused, Problem
from handlers import broadcasts_audience as panel
from handlers import broadcasts_preview as preview
from handlers import broadcasts_view as view
from handlers import broadcasts_when as when
from handlers.broadcasts_form import (
    AUDIENCE,
    BUTTON,
    CONTENT,
    FORM,
    LINK_LABEL,
    LINK_URL,
    PREVIEW,
    TIME,
    TRAINING,
    WHEN,
    answer,
    form_of,
    keyboard,
    message_html,
    say,
    tap_please,
    type_please,
)
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only
from models.broadcast import ButtonKind, MediaKind

BUTTON_KIND, TRAINING_PICK, STEP = "bs.b", "bs.t", "bs.e"


# ------------------------------------------------------------------ content

@staff_only
async def start(update: Update, context: BerdayaContext) -> str:
    assert context.user_data is not None
    context.user_data[FORM] = {}
    tr = context.tr
    await say(update, context, "\n".join([
        tr._("📣 <b>New broadcast</b>"),
        tr._("Send the message: text, or a photo or document with a caption."),
        tr._("Bold, italic and links from Telegram's formatting menu are kept. "
             "Send /batal to stop."),
    ]))
    return CONTENT


async def content_received(update: Update, context: BerdayaContext) -> str:
    message = update.effective_message
    assert message is not None
    media: tuple[MediaKind, str] | None = None
    if message.photo:
        media = (MediaKind.PHOTO, message.photo[-1].file_id)
    elif message.document:
        media = (MediaKind.DOCUMENT, message.document.file_id)
    text = message_html(message)
    try:
        broadcasts.check_content(text, broadcasts.Media(*media) if media else None)
    except BroadcastRefused as exc:
        await say(update, context, view.explain(context.tr, exc.problem))
        return CONTENT
    form = form_of(context)
    form.update(text=text, media=media[0].value if media else None,
                file_id=media[1] if media else None)
    if form.get("editing"):
        return await preview.show_preview(update, context)
    return await _ask_button(update, context)


async def content_wrong(update: Update, context: BerdayaContext) -> str:
    await say(update, context, context.tr._(
        "Please send text, a photo or a document. Stickers, voice notes and other kinds of "
        "message cannot be broadcast."))
    return CONTENT


# ------------------------------------------------------------------ button

async def _ask_button(update: Update, context: BerdayaContext) -> str:
    tr = context.tr
    await say(update, context, tr._("Add a button under the message?"), keyboard(
        [(tr._("🔗 A link"), pack(BUTTON_KIND, "link"))],
        [(tr._("✅ \"I'm in\" for a training"), pack(BUTTON_KIND, "join"))],
        [(tr._("No button"), pack(BUTTON_KIND, "none"))],
    ))
    return BUTTON


async def button_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str)
    await answer(update)
    tr = context.tr
    if fields is None or fields[0] not in ("link", "join", "none"):
        return BUTTON
    if fields[0] == "link":
        await say(update, context, tr._("Send the link, for example https://merangin.go.id"))
        return LINK_URL
    if fields[0] == "join":
        choices = await broadcasts_audience.upcoming_trainings(context.runtime.sessionmaker,
                                                               context.runtime.now())
        if not choices:
            await say(update, context, tr._("There are no upcoming trainings."))
            return await _ask_button(update, context)
        await say(update, context, tr._("Which training?"), keyboard(*[
            [(f"{c.label[:40]} · {tr.short_date(c.when)}" if c.when else c.label,
              pack(TRAINING_PICK, c.value))] for c in choices
        ]))
        return TRAINING
    form_of(context)["button"] = None
    return await _after_button(update, context)


async def link_received(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    try:
        url = broadcasts.check_link(update.effective_message.text or "")
    except BroadcastRefused as exc:
        await say(update, context, view.explain(context.tr, exc.problem))
        return LINK_URL
    form_of(context)["button"] = {"kind": ButtonKind.LINK.value, "url": url}
    await say(update, context, context.tr._(
        "Now the text on the button (up to 40 characters), for example: Daftar di sini"))
    return LINK_LABEL


async def label_received(update: Update, context: BerdayaContext) -> str:
    assert update.effective_message is not None
    try:
        label = broadcasts.check_label(update.effective_message.text or "")
    except BroadcastRefused as exc:
        await say(update, context, view.explain(context.tr, exc.problem))
        return LINK_LABEL
    form_of(context)["button"]["label"] = label
    return await _after_button(update, context)


async def training_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, int)
    await answer(update)
    if fields is None:
        return TRAINING
    found = await trainings.get_training(context.runtime.sessionmaker, fields[0])
    if found is None or not found.training.is_published or \
            found.training.starts_at <= context.runtime.now():
        await say(update, context, view.explain(context.tr, Problem.TRAINING_CLOSED))
        return TRAINING
    form_of(context)["button"] = {"kind": ButtonKind.JOIN.value, "training_id": fields[0]}
    return await _after_button(update, context)


async def _after_button(update: Update, context: BerdayaContext) -> str:
    form = form_of(context)
    if form.get("editing"):
        return await preview.show_preview(update, context)
    await panel.send_panel(update, context, form)
    return AUDIENCE


# ------------------------------------------------------------------ audience

async def audience_open(update: Update, context: BerdayaContext) -> str:
    await panel.open_tapped(update, context, form_of(context))
    return AUDIENCE


async def audience_page(update: Update, context: BerdayaContext) -> str:
    await panel.page_tapped(update, context, form_of(context))
    return AUDIENCE


async def audience_toggle(update: Update, context: BerdayaContext) -> str:
    await panel.toggle_tapped(update, context, form_of(context))
    return AUDIENCE


async def audience_done(update: Update, context: BerdayaContext) -> str:
    form = form_of(context)
    count = await broadcasts_audience.count_recipients(context.runtime.sessionmaker,
                                                       panel.audience_of(context, form))
    query = update.callback_query
    assert query is not None
    if count == 0:
        await query.answer(context.tr._("No member matches these filters. Change them first."),
                           show_alert=True)
        return AUDIENCE
    await query.answer()
    if form.get("editing"):
        return await preview.show_preview(update, context)
    return await when.ask_when(update, context)


# ------------------------------------------------------------------ changing a step

async def change_tapped(update: Update, context: BerdayaContext) -> str:
    await answer(update)
    tr = context.tr
    await say(update, context, tr._("What do you want to change?"), keyboard(
        [(tr._("The message"), pack(STEP, CONTENT)), (tr._("The button"), pack(STEP, BUTTON))],
        [(tr._("Who receives it"), pack(STEP, AUDIENCE)), (tr._("When"), pack(STEP, WHEN))]))
    return PREVIEW


async def step_tapped(update: Update, context: BerdayaContext) -> str:
    fields = unpack(update, str)
    await answer(update)
    form = form_of(context)
    if fields is None or fields[0] not in (CONTENT, BUTTON, AUDIENCE, WHEN) or "text" not in form:
        return PREVIEW
    form["editing"] = True
    step = fields[0]
    if step == CONTENT:
        await say(update, context, context.tr._("Send the new message."))
        return CONTENT
    if step == BUTTON:
        return await _ask_button(update, context)
    if step == AUDIENCE:
        await panel.send_panel(update, context, form)
        return AUDIENCE
    return await when.ask_when(update, context)


async def cancel(update: Update, context: BerdayaContext) -> int:
    await answer(update)
    if context.user_data is not None:
        context.user_data.pop(FORM, None)
    await say(update, context, context.tr._("Broadcast discarded. Nothing was sent."))
    return ConversationHandler.END


def conversation() -> ConversationHandler:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    states = {
        CONTENT: [MessageHandler(text | filters.PHOTO | filters.Document.ALL, content_received),
                  MessageHandler(other, content_wrong)],
        BUTTON: [CallbackQueryHandler(button_tapped, pattern=pattern(BUTTON_KIND))],
        LINK_URL: [MessageHandler(text, link_received)],
        LINK_LABEL: [MessageHandler(text, label_received)],
        TRAINING: [CallbackQueryHandler(training_tapped, pattern=pattern(TRAINING_PICK)),
                   CallbackQueryHandler(button_tapped, pattern=pattern(BUTTON_KIND))],
        AUDIENCE: [CallbackQueryHandler(audience_done, pattern=pattern(panel.DONE)),
                   CallbackQueryHandler(audience_open, pattern=pattern(panel.OPEN)),
                   CallbackQueryHandler(audience_page, pattern=pattern(panel.PAGE)),
                   CallbackQueryHandler(audience_toggle, pattern=pattern(panel.TOGGLE))],
        WHEN: [CallbackQueryHandler(when.now_tapped, pattern=pattern(when.NOW)),
               CallbackQueryHandler(when.later_tapped, pattern=pattern(when.LATER)),
               CallbackQueryHandler(when.day_tapped, pattern=pattern(when.DAY)),
               MessageHandler(text, when.moment_typed)],
        TIME: [CallbackQueryHandler(when.hour_tapped, pattern=pattern(when.HOUR)),
               CallbackQueryHandler(when.day_tapped, pattern=pattern(when.DAY)),
               MessageHandler(text, when.time_typed)],
        PREVIEW: [CallbackQueryHandler(preview.send_tapped, pattern=pattern(preview.SEND)),
                  CallbackQueryHandler(change_tapped, pattern=pattern(preview.CHANGE)),
                  CallbackQueryHandler(step_tapped, pattern=pattern(STEP))],
    }
    for step in (BUTTON, TRAINING, AUDIENCE, PREVIEW):
        states[step].append(MessageHandler(other, tap_please))
    for step in (LINK_URL, LINK_LABEL, WHEN, TIME):
        states[step].append(MessageHandler(other, type_please))
    return ConversationHandler(
        entry_points=[CommandHandler("siaran", start)],
        states=states,  # type: ignore[arg-type]
        fallbacks=[CommandHandler("batal", cancel),
                   CallbackQueryHandler(cancel, pattern=pattern(preview.QUIT))],
        name="broadcasts", persistent=True, allow_reentry=True,
    )


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(conversation())
