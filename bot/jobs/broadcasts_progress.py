"""What the sender of a broadcast sees while it goes out: one message edited in place, then a
summary. Sent through the application's own bot, like any reply; a failure here is logged and
never stops the delivery."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.db import SessionMaker
from bot.i18n import Translator
from bot.services import broadcasts_status as status
from handlers import broadcasts_view as view

log = logging.getLogger("berdaya.broadcasts")


class SenderNotices:
    def __init__(self, bot: Bot, sessionmaker: SessionMaker,
                 translator: Callable[[str], Translator]) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.chat_turn: Callable[[int], Awaitable[None]] | None = None
        """Set by the engine: waits until the chat may get a message (the sender is often a
        recipient too) and counts this one, so neither side meets Telegram's 1 msg/s."""

    async def progress(self, report: status.Report, *, seconds_left: float,
                       quiet_until: datetime | None) -> None:
        if report.sender_chat_id is None:
            return
        tr = self.translator(report.sender_language)
        text = view.progress_text(tr, report.summary, seconds_left=seconds_left,
                                  quiet_until=quiet_until)
        broadcast = report.summary.broadcast
        try:
            await self._turn(report.sender_chat_id)
            if broadcast.progress_message_id is None:
                message = await self.bot.send_message(
                    report.sender_chat_id, text, parse_mode=ParseMode.HTML,
                    reply_markup=view.actions(tr, report.summary))
                await status.remember_progress_message(
                    self.sessionmaker, broadcast.id, report.sender_chat_id, message.message_id)
            else:
                await self._edit(report, text, tr)
        except TelegramError as exc:
            log.warning("progress of broadcast %s not shown: %s", broadcast.id, exc)

    async def finished(self, report: status.Report) -> None:
        if report.sender_chat_id is None:
            return
        tr = self.translator(report.sender_language)
        text = view.final_text(tr, report.summary)
        try:
            if report.summary.broadcast.progress_message_id is not None:
                await self._turn(report.sender_chat_id)
                await self._edit(report, text, tr, buttons=False)
            await self._turn(report.sender_chat_id)
            await self.bot.send_message(report.sender_chat_id, text, parse_mode=ParseMode.HTML,
                                        reply_markup=view.actions(tr, report.summary))
        except TelegramError as exc:
            log.warning("summary of broadcast %s not sent: %s", report.summary.broadcast.id, exc)

    async def fixed(self, report: status.Report) -> None:
        if report.sender_chat_id is None:
            return
        tr = self.translator(report.sender_language)
        try:
            await self._turn(report.sender_chat_id)
            await self.bot.send_message(report.sender_chat_id, view.fixed_text(tr, report.summary),
                                        parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("correction report of broadcast %s not sent: %s",
                        report.summary.broadcast.id, exc)

    async def _turn(self, chat_id: int) -> None:
        if self.chat_turn is not None:
            await self.chat_turn(chat_id)

    async def _edit(self, report: status.Report, text: str, tr: Translator,
                    buttons: bool = True) -> None:
        broadcast = report.summary.broadcast
        try:
            await self.bot.edit_message_text(
                text, chat_id=broadcast.progress_chat_id, message_id=broadcast.progress_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=view.actions(tr, report.summary) if buttons else None)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise
