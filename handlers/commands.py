"""The command lists Telegram shows in the "/" menu, per audience and language."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.ext import Application

from bot.i18n import LANGUAGES
from bot.runtime import Runtime
from bot.services import members
from models import Role


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str
    staff_only: bool = False
    admin_only: bool = False
    """Only admins see it listed; the handler still checks."""

    def shown_to(self, role: str | None) -> bool:
        """`role` None: a member, or someone not registered yet."""
        if self.admin_only:
            return role == Role.ADMIN
        return not self.staff_only or role in (Role.FACILITATOR, Role.ADMIN)


def _commands(
    runtime: Runtime, commands: list[Command], language: str, role: str | None
) -> list[BotCommand]:
    tr = runtime.translator(language)
    return [BotCommand(c.name, tr._(c.description)) for c in commands if c.shown_to(role)]


async def publish_commands(
    application: Application, commands: list[Command]  # type: ignore[type-arg]
) -> None:
    """Default scope for members (Indonesian unless the phone is English); staff chats get more."""
    runtime: Runtime = application.bot_data
    bot = application.bot
    default = runtime.settings.program.default_language
    await bot.set_my_commands(_commands(runtime, commands, default, None),
                              BotCommandScopeDefault())
    for language in LANGUAGES:
        await bot.set_my_commands(_commands(runtime, commands, language, None),
                                  BotCommandScopeDefault(), language_code=language)
    for entry in await members.list_staff(runtime.sessionmaker):
        if entry.chat_id is not None:
            await publish_staff_commands(application, commands, entry.chat_id, entry.language,
                                         entry.role)


async def publish_staff_commands(
    application: Application,  # type: ignore[type-arg]
    commands: list[Command], chat_id: int, language: str, role: str,
) -> None:
    """One list in the staff member's own language and for their role: a chat scope has a
    single reader."""
    runtime: Runtime = application.bot_data
    await application.bot.set_my_commands(
        _commands(runtime, commands, language, role), BotCommandScopeChat(chat_id)
    )
