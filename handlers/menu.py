"""The main menu: the reply keyboard a villager returns to, and the help text behind ❓."""

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

COMMANDS = [
    Command("start", N_("Start or show the main menu")),
    Command("bantuan", N_("Help: what Berdaya can do")),
]


def menu_button(label: str) -> filters.BaseFilter:
    """Matches a main-menu button in any language, since the keyboard may predate a switch."""
    return filters.Text([translations(language).gettext(label) for language in LANGUAGES])


def main_menu(tr: Translator) -> ReplyKeyboardMarkup:
    """Big buttons, two per row, always visible: typing is the slowest path for our members."""
    rows = [[TRAININGS, PRICES], [TIPS, PROFILE], [HELP]]
    return ReplyKeyboardMarkup(
        [[KeyboardButton(tr._(label)) for label in row] for row in rows],
        resize_keyboard=True, is_persistent=True,
        input_field_placeholder=tr._("Choose from the menu"),
    )


def help_text(tr: Translator) -> str:
    return "\n".join([
        tr._("<b>Berdaya</b> brings training schedules, market prices and farming tips "
             "to your phone."),
        "",
        tr._("Tap a menu button below, or send one of these commands:"),
        tr._("/start — main menu"),
        tr._("/bantuan — this help"),
    ])


async def start(update: Update, context: BerdayaContext) -> None:
    tr = context.tr
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        tr._("Welcome to <b>Berdaya</b>! What would you like to see?"), reply_markup=main_menu(tr)
    )


async def help_command(update: Update, context: BerdayaContext) -> None:
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(help_text(context.tr),
                                              reply_markup=main_menu(context.tr))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler(["bantuan", "help"], help_command))
    application.add_handler(MessageHandler(menu_button(HELP), help_command))
