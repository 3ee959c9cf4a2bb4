"""The command lists Telegram shows in the "/" menu, per audience and language."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.ext import Application

from bot.i18n import LANGUAGES
from bot.runtime import Runtime
from bot.services import members


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str
    staff_only: bool = False


def _commands(
    runtime: Runtime, commands: list[Command], language: str, staff: bool
) -> list[BotCommand]:
    tr = runtime.translator(language)
    return [BotCommand(c.name, tr._(c.description)) for c in commands if staff or not c.staff_only]


async def publish_commands(
    application: Application, commands: list[Command]  # type: ignore[type-arg]
) -> None:
    """Default scope for members (Indonesian unless the phone is English); staff chats get more."""
    runtime: Runtime = application.bot_data
    bot = application.bot
    default = runtime.settings.program.default_language
    await bot.set_my_commands(_commands(runtime, commands, default, staff=False),
                              BotCommandScopeDefault())
    for language in LANGUAGES:
        await bot.set_my_commands(_commands(runtime, commands, language, staff=False),
                                  BotCommandScopeDefault(), language_code=language)
    for entry in await members.list_staff(runtime.sessionmaker):
        if entry.chat_id is not None:
            await publish_staff_commands(application, commands, entry.chat_id, entry.language)


async def publish_staff_commands(
    application: Application,  # type: ignore[type-arg]
    commands: list[Command], chat_id: int, language: str,
) -> None:
    """One list in the staff member's own language: a chat scope has a single reader."""
    runtime: Runtime = application.bot_data
    await application.bot.set_my_commands(
        _commands(runtime, commands, language, staff=True), BotCommandScopeChat(chat_id)
    )
