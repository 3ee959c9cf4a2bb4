"""The command lists Telegram shows in the "/" menu, per audience and language."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.ext import Application

from bot.i18n import LANGUAGES, N_
from bot.runtime import Runtime
from bot.services import members


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str
    staff_only: bool = False


COMMANDS: list[Command] = [
    Command("start", N_("Start or show the main menu")),
    Command("bantuan", N_("Help: what Berdaya can do")),
]


def _commands(runtime: Runtime, language: str, staff: bool) -> list[BotCommand]:
    tr = runtime.translator(language)
    return [BotCommand(c.name, tr._(c.description)) for c in COMMANDS if staff or not c.staff_only]


async def publish_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Default scope for members (Indonesian unless the phone is English); staff chats get more."""
    runtime: Runtime = application.bot_data
    bot = application.bot
    default = runtime.settings.program.default_language
    await bot.set_my_commands(_commands(runtime, default, staff=False), BotCommandScopeDefault())
    for language in LANGUAGES:
        await bot.set_my_commands(_commands(runtime, language, staff=False),
                                  BotCommandScopeDefault(), language_code=language)
    for entry in await members.list_staff(runtime.sessionmaker):
        if entry.chat_id is not None:
            await publish_staff_commands(application, entry.chat_id, entry.language)


async def publish_staff_commands(
    application: Application, chat_id: int, language: str  # type: ignore[type-arg]
) -> None:
    """One list in the staff member's own language: a chat scope has a single reader."""
    runtime: Runtime = application.bot_data
    await application.bot.set_my_commands(
        _commands(runtime, language, staff=True), BotCommandScopeChat(chat_id)
    )
