"""`/tip_ubah`: facilitators find any tip (drafts too), see its figures, edit, (un)publish.

A tip's card shows it as members see it plus readers, opens and 👍/👎; every change is one
tap and, for words, one message. Unpublishing hides a tip everywhere; nothing is deleted.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BerdayaContext
from bot.i18n import Translator
from bot.services import tips, tips_categories, tips_manage
from bot.services.tips_manage import TipProblem
from handlers import tips_render as render
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only
from handlers.menu import any_menu_button
from handlers.tips_browse import list_view
from handlers.tips_write import category_buttons
from models.tip import TIP_LANGUAGES, Tip

VALUE, PHOTO, CATEGORY = range(20, 23)
END = ConversationHandler.END
FORM = "tip_edit"
FIELDS = ("title", "body", "source", "photo", "cat", "tr")


async def _say(update: Update, context: BerdayaContext, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


async def _edit_or_send(update: Update, context: BerdayaContext, text: str,
                        markup: InlineKeyboardMarkup, mode: str) -> None:
    query = update.callback_query
    if query is not None and mode == render.EDIT and query.message is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await _say(update, context, text, markup)


# Finding a tip -----------------------------------------------------------------------------

@staff_only
async def manage_command(update: Update, context: BerdayaContext) -> None:
    await _topics(update, context, render.NEW)


@staff_only
async def on_topics(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str)
    await _answer(update)
    await _topics(update, context, fields[0] if fields else render.NEW)


async def _topics(update: Update, context: BerdayaContext, mode: str) -> None:
    tr = context.tr
    rows = [[InlineKeyboardButton(render.category_label(tr, c.code, short=True),
                                  callback_data=pack(render.MANAGE_LIST, c.code, 0, render.EDIT))
             for c in tips_categories.CATEGORIES[i:i + 2]]
            for i in range(0, len(tips_categories.CATEGORIES), 2)]
    text = tr._("⚙️ <b>Manage tips</b>\nChoose a topic to see all its tips, drafts (📝) "
                "included. To write a new tip, send /tip_baru.")
    await _edit_or_send(update, context, text, InlineKeyboardMarkup(rows), mode)


@staff_only
async def on_list(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, str, int, str)
    if fields is None or tips_categories.get(fields[0]) is None:
        await _answer(update, context.tr._("That topic does not exist any more."))
        return
    await _answer(update)
    code, page, mode = fields
    tr = context.tr
    found = await tips.list_tips(context.runtime.sessionmaker, code, tr.language, drafts=True)
    text, markup = list_view(tr, code, found, page, prefix=render.MANAGE_LIST)
    await _edit_or_send(update, context, text, markup, mode)


# The card ----------------------------------------------------------------------------------

@staff_only
async def on_card(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    await _answer(update)
    if fields is not None:
        await send_card(update, context, fields[0])


async def send_card(update: Update, context: BerdayaContext, tip_id: int) -> None:
    tr = context.tr
    sessionmaker = context.runtime.sessionmaker
    tip = await tips.get_tip(sessionmaker, tip_id)
    if tip is None:
        await _say(update, context, tr._("Sorry, this tip is no longer available."))
        return
    stats = await tips.tip_stat(sessionmaker, tip_id, tr.language)
    lines = [render.tip_html(tr, tip), ""]
    if tip.photo_file_id:
        lines.append(tr._("🖼 With a photo (tap Preview to see it)."))
    lines.append(tr._("👁 {readers} readers · {opens} opens · 👍 {likes} · 👎 {dislikes} · "
                      "📬 {sent} sent as weekly tip").format(
        readers=stats.readers, opens=stats.opens, likes=stats.likes, dislikes=stats.dislikes,
        sent=stats.weekly_sends))
    await _say(update, context, "\n".join(lines), card_buttons(tr, tip))


def card_buttons(tr: Translator, tip: Tip) -> InlineKeyboardMarkup:
    other = _other_language(tr, tip)
    translation = tr._("🌐 English version") if other == "en" else tr._("🌐 Indonesian version")

    def edit(label: str, field: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=pack(render.EDIT_FIELD, tip.id, field))

    publish = (InlineKeyboardButton(tr._("🚫 Unpublish"), callback_data=pack(render.PUBLISH,
                                                                            tip.id, 0))
               if tip.published else
               InlineKeyboardButton(tr._("✅ Publish"), callback_data=pack(render.PUBLISH,
                                                                         tip.id, 1)))
    return InlineKeyboardMarkup([
        [edit(tr._("✏️ Title"), "title"), edit(tr._("✏️ Text"), "body")],
        [edit(tr._("🗂 Topic"), "cat"), edit(tr._("📚 Source"), "source")],
        [edit(tr._("🖼 Photo"), "photo"), edit(translation, "tr")],
        [InlineKeyboardButton(tr._("👁 Preview"), callback_data=pack(render.PREVIEW, tip.id)),
         publish],
        [InlineKeyboardButton(tr._(render.BACK_TO_TOPICS),
                              callback_data=pack(render.MANAGE_LIST, tip.category, 0,
                                                 render.NEW))],
    ])


def _shown_language(tr: Translator, tip: Tip) -> str:
    return tip.text(tr.language).language


def _other_language(tr: Translator, tip: Tip) -> str:
    shown = _shown_language(tr, tip)
    return next(lang for lang in TIP_LANGUAGES if lang != shown)


@staff_only
async def on_preview(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int)
    await _answer(update)
    if fields is None or update.effective_chat is None:
        return
    tip = await tips.get_tip(context.runtime.sessionmaker, fields[0])
    if tip is not None:
        await render.send_tip(context.bot, update.effective_chat.id, context.tr, tip, None)


@staff_only
async def on_publish(update: Update, context: BerdayaContext) -> None:
    fields = unpack(update, int, int)
    if fields is None or fields[1] not in (0, 1):
        await _answer(update)
        return
    tr = context.tr
    runtime = context.runtime
    try:
        tip = await tips_manage.set_published(runtime.sessionmaker, fields[0], bool(fields[1]),
                                              runtime.now(), actor=context.member)
    except LookupError:
        await _answer(update, tr._("Sorry, this tip is no longer available."))
        return
    await _answer(update, tr._("Published: members can read it now.") if tip.published
                  else tr._("Unpublished: members no longer see this tip."))
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_reply_markup(card_buttons(tr, tip))


# Editing -----------------------------------------------------------------------------------

def _form(context: BerdayaContext) -> dict[str, Any]:
    form: dict[str, Any] = context.user_data.setdefault(FORM, {})  # type: ignore[union-attr]
    return form


@staff_only
async def start_edit(update: Update, context: BerdayaContext) -> int:
    fields = unpack(update, int, str)
    await _answer(update)
    if fields is None or fields[1] not in FIELDS:
        return END
    tip_id, field = fields
    tr = context.tr
    tip = await tips.get_tip(context.runtime.sessionmaker, tip_id)
    if tip is None:
        await _say(update, context, tr._("Sorry, this tip is no longer available."))
        return END
    language = _other_language(tr, tip) if field == "tr" else _shown_language(tr, tip)
    context.user_data[FORM] = {"tip": tip_id, "field": field,  # type: ignore[index]
                               "language": language}
    if field == "cat":
        await _say(update, context, tr._("Choose the new topic."),
                   category_buttons(tr, render.EDIT_CATEGORY))
        return CATEGORY
    if field == "photo":
        await _say(update, context, tr._("Send the new photo, or remove the photo."),
                   _remove(tr, "photo"))
        return PHOTO
    if field == "source":
        await _say(update, context, tr._("Send the source (at most {limit} characters), or "
                                         "remove it.").format(limit=tips_manage.SOURCE_MAX),
                   _remove(tr, "source"))
        return VALUE
    if field == "body":
        await _say(update, context, tr._("Send the new text (at most {limit} characters). "
                                         "The current text is on the card above.").format(
            limit=tips_manage.BODY_MAX))
        return VALUE
    name = tr._("English") if language == "en" else tr._("Indonesian")
    ask = (tr._("Send the title of the {language} version (at most {limit} characters).")
           if field == "tr" else tr._("Send the new title (at most {limit} characters)."))
    await _say(update, context, ask.format(language=name, limit=tips_manage.TITLE_MAX))
    return VALUE


def _remove(tr: Translator, what: str) -> InlineKeyboardMarkup:
    label = tr._("🗑 Remove the photo") if what == "photo" else tr._("🗑 Remove the source")
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        label, callback_data=pack(render.EDIT_REMOVE, what))]])


async def on_value(update: Update, context: BerdayaContext) -> int:
    form = _form(context)
    tr = context.tr
    message = update.effective_message
    typed = (message.text or "") if message is not None else ""
    field = form.get("field")
    try:
        if field in ("title", "tr") and "title" not in form:
            value = tips_manage.clean_title(typed)
        elif field == "source":
            value = tips_manage.clean_source(typed)
        else:
            value = tips_manage.clean_body(typed)
    except TipProblem as problem:
        await _say(update, context, render.problem_text(tr, problem.field, problem.code,
                                                        problem.limit, problem.length))
        return VALUE
    if field == "tr" and "title" not in form:
        form["title"] = value
        await _say(update, context, tr._("Now send the text of that version (at most {limit} "
                                         "characters).").format(limit=tips_manage.BODY_MAX))
        return VALUE
    return await _save(update, context, form, value)


async def on_category(update: Update, context: BerdayaContext) -> int:
    fields = unpack(update, str) if update.callback_query is not None else None
    await _answer(update)
    if update.callback_query is not None:
        code = fields[0] if fields else ""
        typed = code
    else:
        message = update.effective_message
        typed = (message.text or "") if message is not None else ""
        found = tips_categories.find_by_name(typed)
        code = found.code if found else ""
    tr = context.tr
    if tips_categories.get(code) is None:
        await _say(update, context, tr._("I do not know the topic «{topic}». Please tap one of "
                                         "the buttons.").format(topic=html.escape(typed[:80])),
                   category_buttons(tr, render.EDIT_CATEGORY))
        return CATEGORY
    return await _save(update, context, _form(context), code)


async def on_photo(update: Update, context: BerdayaContext) -> int:
    message = update.effective_message
    if message is None or not message.photo:
        await _say(update, context, context.tr._("Please send a photo, or remove the photo."),
                   _remove(context.tr, "photo"))
        return PHOTO
    return await _save(update, context, _form(context), message.photo[-1].file_id)


async def on_remove(update: Update, context: BerdayaContext) -> int:
    fields = unpack(update, str)
    await _answer(update)
    form = _form(context)
    if fields is None or fields[0] != form.get("field"):
        return PHOTO if form.get("field") == "photo" else VALUE
    return await _save(update, context, form, None)


async def _save(update: Update, context: BerdayaContext, form: dict[str, Any],
                value: str | None) -> int:
    runtime = context.runtime
    sessionmaker, now, actor = runtime.sessionmaker, runtime.now(), context.member
    tip_id, field, language = form["tip"], form["field"], form["language"]
    try:
        if field == "title":
            await tips_manage.update_text(sessionmaker, tip_id, language, now, title=value,
                                          actor=actor)
        elif field == "body":
            await tips_manage.update_text(sessionmaker, tip_id, language, now, body=value,
                                          actor=actor)
        elif field == "tr":
            await tips_manage.update_text(sessionmaker, tip_id, language, now,
                                          title=form["title"], body=value, actor=actor)
        elif field == "cat":
            await tips_manage.update_tip(sessionmaker, tip_id, now, actor=actor, category=value)
        elif field == "source":
            await tips_manage.update_tip(sessionmaker, tip_id, now, actor=actor, source=value)
        else:
            await tips_manage.update_tip(sessionmaker, tip_id, now, actor=actor,
                                         photo_file_id=value)
    except LookupError:
        await _say(update, context, context.tr._("Sorry, this tip is no longer available."))
        return END
    finally:
        context.user_data.pop(FORM, None)  # type: ignore[union-attr]
    await _say(update, context, context.tr._("✅ Saved."))
    await send_card(update, context, tip_id)
    return END


async def cancel(update: Update, context: BerdayaContext) -> int:
    context.user_data.pop(FORM, None)  # type: ignore[union-attr]
    await _say(update, context, context.tr._("Cancelled. The tip was not changed."))
    return END


async def text_expected(update: Update, context: BerdayaContext) -> int | None:
    await _say(update, context, context.tr._("Please type your answer as text."))
    return None


def register(application: Application) -> None:  # type: ignore[type-arg]
    typed = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    application.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(start_edit, pattern=pattern(render.EDIT_FIELD))],
        states={
            VALUE: [MessageHandler(typed, on_value),
                    CallbackQueryHandler(on_remove, pattern=pattern(render.EDIT_REMOVE)),
                    MessageHandler(other, text_expected)],
            PHOTO: [MessageHandler(filters.PHOTO | typed | other, on_photo),
                    CallbackQueryHandler(on_remove, pattern=pattern(render.EDIT_REMOVE))],
            CATEGORY: [CallbackQueryHandler(on_category, pattern=pattern(render.EDIT_CATEGORY)),
                       MessageHandler(typed, on_category)],
        },
        fallbacks=[CommandHandler("batal", cancel)],
        name="tips_edit", persistent=True, allow_reentry=True,
    ))
    application.add_handler(CommandHandler("tip_ubah", manage_command))
    for prefix, callback in (
        (render.MANAGE_TOPICS, on_topics), (render.MANAGE_LIST, on_list),
        (render.MANAGE, on_card), (render.PREVIEW, on_preview), (render.PUBLISH, on_publish),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(prefix)))
