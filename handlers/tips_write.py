"""`/tip_baru`: a facilitator writes a tip step by step, sees it as members will, publishes.

The answers live in `user_data["tip_form"]` (JSON only) until the tip is saved, so a restart
in the middle continues at the same step.
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
from bot.services import tips_categories, tips_manage
from bot.services.tips_manage import TipProblem
from handlers import tips_render as render
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only
from handlers.menu import any_menu_button
from models.tip import Tip, TipText

TITLE, CATEGORY, BODY, SOURCE, PHOTO, PREVIEW = range(10, 16)
END = ConversationHandler.END
FORM = "tip_form"


def _form(context: BerdayaContext) -> dict[str, Any]:
    form: dict[str, Any] = context.user_data.setdefault(FORM, {})  # type: ignore[union-attr]
    return form


async def _say(update: Update, context: BerdayaContext, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


def category_buttons(tr: Translator, prefix: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(render.category_label(tr, c.code, short=True),
                                    callback_data=pack(prefix, c.code))
               for c in tips_categories.CATEGORIES]
    return InlineKeyboardMarkup([buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def _skip(tr: Translator, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(tr._("⏭ Skip"), callback_data=data)]])


@staff_only
async def start(update: Update, context: BerdayaContext) -> int:
    context.user_data[FORM] = {"language": context.tr.language}  # type: ignore[index]
    await _say(update, context, context.tr._(
        "✏️ <b>New tip</b>\nStep 1 of 5: send the title (at most {limit} characters). "
        "Send /batal to stop at any time.").format(limit=tips_manage.TITLE_MAX))
    return TITLE


async def on_title(update: Update, context: BerdayaContext) -> int:
    tr = context.tr
    try:
        title = tips_manage.clean_title(_text(update))
    except TipProblem as problem:
        await _say(update, context, _problem(tr, problem))
        return TITLE
    _form(context)["title"] = title
    await _say(update, context, tr._("Step 2 of 5: choose the topic."),
               category_buttons(tr, render.WRITE_CATEGORY))
    return CATEGORY


async def on_category_button(update: Update, context: BerdayaContext) -> int:
    fields = unpack(update, str)
    query = update.callback_query
    if query is not None:
        await query.answer()
    if fields is None:
        return CATEGORY
    return await _take_category(update, context, fields[0], fields[0])


async def on_category_text(update: Update, context: BerdayaContext) -> int:
    typed = _text(update)
    category = tips_categories.find_by_name(typed)
    return await _take_category(update, context, category.code if category else "", typed)


async def _take_category(update: Update, context: BerdayaContext, code: str, typed: str) -> int:
    tr = context.tr
    if tips_categories.get(code) is None:
        await _say(update, context, tr._("I do not know the topic «{topic}». Please tap one of "
                                         "the buttons.").format(topic=_escape(typed)),
                   category_buttons(tr, render.WRITE_CATEGORY))
        return CATEGORY
    _form(context)["category"] = code
    await _say(update, context, tr._(
        "Topic: {topic}.\nStep 3 of 5: send the text of the tip (at most {limit} characters). "
        "Short sentences and numbered steps are easiest to read.").format(
        topic=render.category_label(tr, code), limit=tips_manage.BODY_MAX))
    return BODY


async def on_body(update: Update, context: BerdayaContext) -> int:
    tr = context.tr
    try:
        body = tips_manage.clean_body(_text(update))
    except TipProblem as problem:
        await _say(update, context, _problem(tr, problem))
        return BODY
    _form(context)["body"] = body
    await _say(update, context, tr._(
        "Step 4 of 5: where does this advice come from? For example: Dinas Perkebunan, "
        "BPTP Jambi, Puslit Karet, OJK."), _skip(tr, render.WRITE_SKIP_SOURCE))
    return SOURCE


async def on_source(update: Update, context: BerdayaContext) -> int:
    tr = context.tr
    if update.callback_query is not None:
        await update.callback_query.answer()
        _form(context)["source"] = None
    else:
        try:
            _form(context)["source"] = tips_manage.clean_source(_text(update))
        except TipProblem as problem:
            await _say(update, context, _problem(tr, problem))
            return SOURCE
    await _say(update, context, tr._("Step 5 of 5: send a photo for the tip, or tap Skip."),
               _skip(tr, render.WRITE_SKIP_PHOTO))
    return PHOTO


async def on_photo(update: Update, context: BerdayaContext) -> int:
    message = update.effective_message
    if message is not None and message.photo:
        _form(context)["photo"] = message.photo[-1].file_id
    elif update.callback_query is not None:
        await update.callback_query.answer()
        _form(context)["photo"] = None
    return await _preview(update, context)


async def photo_expected(update: Update, context: BerdayaContext) -> int:
    tr = context.tr
    await _say(update, context, tr._("Please send a photo, or tap Skip."),
               _skip(tr, render.WRITE_SKIP_PHOTO))
    return PHOTO


def draft_tip(form: dict[str, Any]) -> Tip:
    """An unsaved tip, to preview exactly what members will get."""
    return Tip(id=0, key="", category=form["category"], language=form["language"],
               source=form.get("source"), photo_file_id=form.get("photo"), published=True,
               texts=[TipText(language=form["language"], title=form["title"],
                              body=form["body"])])


async def _preview(update: Update, context: BerdayaContext) -> int:
    tr = context.tr
    chat = update.effective_chat
    if chat is None:
        return END
    await render.send_tip(context.bot, chat.id, tr, draft_tip(_form(context)), None)
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(tr._("✅ Publish"), callback_data=pack(render.WRITE_FINISH, "pub")),
         InlineKeyboardButton(tr._("📝 Save as draft"),
                              callback_data=pack(render.WRITE_FINISH, "draft"))],
        [InlineKeyboardButton(tr._("❌ Cancel"), callback_data=pack(render.WRITE_FINISH, "no"))],
    ])
    await _say(update, context, tr._("👆 This is how members will see the tip."), markup)
    return PREVIEW


async def on_finish(update: Update, context: BerdayaContext) -> int:
    fields = unpack(update, str)
    query = update.callback_query
    if query is not None:
        await query.answer()
    if fields is None or fields[0] not in ("pub", "draft", "no"):
        return PREVIEW
    tr = context.tr
    form = context.user_data.pop(FORM, {})  # type: ignore[union-attr]
    if fields[0] == "no" or not {"title", "category", "body"} <= form.keys():
        await _say(update, context, tr._("Cancelled. Nothing was saved."))
        return END
    member = context.member
    runtime = context.runtime
    publish = fields[0] == "pub"
    tip = await tips_manage.create_tip(
        runtime.sessionmaker,
        tips_manage.Draft(form["language"], form["category"], form["title"], form["body"],
                          form.get("source"), form.get("photo")),
        author_id=member.id if member else None, now=runtime.now(), publish=publish)
    text = (tr._("✅ Published under {topic}. Members can read it now.") if publish
            else tr._("📝 Saved as a draft under {topic}. Members cannot see it until you "
                      "publish it.")).format(topic=render.category_label(tr, tip.category))
    await _say(update, context, text, InlineKeyboardMarkup([[InlineKeyboardButton(
        tr._("⚙️ Manage this tip"), callback_data=pack(render.MANAGE, tip.id))]]))
    return END


async def cancel(update: Update, context: BerdayaContext) -> int:
    context.user_data.pop(FORM, None)  # type: ignore[union-attr]
    await _say(update, context, context.tr._("Cancelled. Nothing was saved."))
    return END


async def text_expected(update: Update, context: BerdayaContext) -> int | None:
    """A sticker, photo or voice note where words were asked for: ask again, same step."""
    await _say(update, context, context.tr._("Please type your answer as text."))
    return None


def _text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def _escape(text: str) -> str:
    return html.escape(text[:80])


def _problem(tr: Translator, problem: TipProblem) -> str:
    return render.problem_text(tr, problem.field, problem.code, problem.limit, problem.length)


def register(application: Application) -> None:  # type: ignore[type-arg]
    typed = filters.TEXT & ~filters.COMMAND & ~any_menu_button()
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("tip_baru", start)],
        states={
            TITLE: [MessageHandler(typed, on_title), MessageHandler(other, text_expected)],
            CATEGORY: [CallbackQueryHandler(on_category_button,
                                            pattern=pattern(render.WRITE_CATEGORY)),
                       MessageHandler(typed, on_category_text)],
            BODY: [MessageHandler(typed, on_body), MessageHandler(other, text_expected)],
            SOURCE: [MessageHandler(typed, on_source),
                     CallbackQueryHandler(on_source, pattern=pattern(render.WRITE_SKIP_SOURCE)),
                     MessageHandler(other, text_expected)],
            PHOTO: [MessageHandler(filters.PHOTO, on_photo),
                    CallbackQueryHandler(on_photo, pattern=pattern(render.WRITE_SKIP_PHOTO)),
                    MessageHandler(typed | other, photo_expected)],
            PREVIEW: [CallbackQueryHandler(on_finish, pattern=pattern(render.WRITE_FINISH))],
        },
        fallbacks=[CommandHandler("batal", cancel)],
        name="tips_new", persistent=True, allow_reentry=True,
    ))
