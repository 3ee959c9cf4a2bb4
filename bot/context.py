"""The callback context every Berdaya handler receives: the member and their translator."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator, pick_language
from bot.runtime import Runtime
from models import Member


class BerdayaContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Runtime]):
    """Filled once per update by `handlers.identity` before any journey handler runs."""

    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None, user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self._tr: Translator | None = None

    @property
    def runtime(self) -> Runtime:
        return self.bot_data

    @property
    def tr(self) -> Translator:
        if self._tr is None:
            self._tr = self.runtime.translator(self.runtime.settings.program.default_language)
        return self._tr

    def use_language(self, stored: str | None, telegram_code: str | None) -> Translator:
        default = self.runtime.settings.program.default_language
        self._tr = self.runtime.translator(pick_language(stored, telegram_code, default))
        return self._tr
