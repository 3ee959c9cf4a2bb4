"""The main menu: the reply keyboard a villager returns to, the help text behind ❓, and the
last word on anything no journey understood."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES, N_, Translator
from bot.i18n.catalog import translations
from handlers.commands import Command

TRAININGS = N_("📅 Training schedule")
PRICES = N_("💰 Market prices")
TIPS = N_("💡 Tips")
PROFILE = N_("👤 Profile")
HELP = N_("❓ Help")
LABELS = (TRAININGS, PRICES, TIPS, PROFILE, HELP)

COMMANDS = [
    Command("bantuan", N_("Help: what Berdaya can do")),
    Command("batal", N_("Cancel what you are doing")),
]


def menu_button(label: str) -> filters.BaseFilter:
    """Matches a main-menu button in any language, since the keyboard may predate a switch."""
    return filters.Text([translations(language).gettext(label) for language in LANGUAGES])


def any_menu_button() -> filters.BaseFilter:
    """For steps that read free text: a menu tap is never an answer to their question."""
    return filters.Text([translations(language).gettext(label)
                         for language in LANGUAGES for label in LABELS])


def main_menu(tr: Translator) -> ReplyKeyboardMarkup:
    """Big buttons, two per row, always visible: typing is the slowest path for our members."""
    rows = [[TRAININGS, PRICES], [TIPS, PROFILE], [HELP]]
    return ReplyKeyboardMarkup(
        [[KeyboardButton(tr._(label)) for label in row] for row in rows],
        resize_keyboard=True, is_persistent=True,
        input_field_placeholder=tr._("Choose from the menu"),
    )


def help_text(tr: Translator, role: str | None) -> str:
    """Built from every journey's COMMANDS, so a new command is explained without edits here.

    `role` None: a member or someone not registered yet."""
    import handlers

    seen: set[str] = set()
    members, facilitators, admins = [], [], []
    for command in handlers.COMMANDS:
        if command.name in seen or not command.shown_to(role):
            continue
        seen.add(command.name)
        line = f"/{command.name} — {tr._(command.description)}"
        (admins if command.admin_only else facilitators if command.staff_only
         else members).append(line)
    lines = [
        tr._("<b>Berdaya</b> brings training schedules, market prices and practical tips "
             "to your phone."),
        "",
        tr._("Tap a menu button below, or send one of these commands:"),
        *members,
    ]
    if facilitators:
        lines += ["", tr._("<b>For facilitators</b>"), *facilitators]
    if admins:
        lines += ["", tr._("<b>For admins</b>"), *admins]
    return "\n".join(lines)


async def send_menu(update: Update, context: BerdayaContext, text: str) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text,
                                       reply_markup=main_menu(context.tr))


def _registered(context: BerdayaContext) -> bool:
    return context.member is not None and context.member.is_registered


async def help_command(update: Update, context: BerdayaContext) -> None:
    member = context.member
    role = member.role if member is not None and member.is_registered else None
    if _registered(context):
        await send_menu(update, context, help_text(context.tr, role))
    elif update.effective_message is not None:
        await update.effective_message.reply_text(
            help_text(context.tr, role) + "\n\n" + context.tr._("To begin, send /daftar."))


async def nothing_to_cancel(update: Update, context: BerdayaContext) -> None:
    """/batal outside any form: say so, and hand the menu back."""
    if _registered(context):
        await send_menu(update, context, context.tr._("There is nothing to cancel."))
    elif update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "There is nothing to cancel. To register, send /daftar."))


async def not_understood(update: Update, context: BerdayaContext) -> None:
    """Whatever no journey took: never leave a villager without an answer."""
    if not _registered(context):
        if update.effective_message is not None:
            await update.effective_message.reply_text(context.tr._(
                "Welcome! To use Berdaya, please register first: send /daftar."))
        return
    message = update.effective_message
    if message is not None and message.text and message.text.startswith("/"):
        text = context.tr._("I do not know that command. Send /bantuan to see what I can do.")
    else:
        text = context.tr._("Sorry, I did not understand that. Please choose from the menu "
                            "below.")
    await send_menu(update, context, text)


def register(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(["bantuan", "help"], help_command))
    application.add_handler(MessageHandler(menu_button(HELP), help_command))
    application.add_handler(CommandHandler("batal", nothing_to_cancel))
    application.add_handler(MessageHandler(
        private & ~filters.StatusUpdate.ALL & (filters.TEXT | filters.COMMAND
                                               | filters.ATTACHMENT), not_understood))
