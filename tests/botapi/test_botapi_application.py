"""A real PTB ``Application`` polling the fake: the loop every end-to-end test relies on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.playground.botapi import FakeBotApi


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        f"Halo <b>{update.effective_user.first_name if update.effective_user else ''}</b>!",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("☕ Kopi", callback_data="harga:kopi")]]
        ),
    )


async def _price(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Harga diperbarui")
    await query.edit_message_text("Kopi: Rp 45.000/kg")


@pytest.fixture
async def running_app(api: FakeBotApi) -> AsyncIterator[Application]:
    app = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_price, pattern=r"^harga:"))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_application_answers_commands_and_buttons(
    api: FakeBotApi, running_app: Application
) -> None:
    siti = api.user(1001, "Siti")
    await siti.send("/start")
    greeting = await siti.wait_reply()
    assert (greeting.text, greeting.html) == ("Halo Siti!", "Halo <b>Siti</b>!")
    assert siti.buttons == ["☕ Kopi"]
    await siti.tap("Kopi")
    await api.wait_for(lambda: siti.last_reply.edited)
    assert siti.last_reply.text == "Kopi: Rp 45.000/kg"
    assert [answer.text for answer in siti.callback_answers] == ["Harga diperbarui"]
    assert [item.text for item in siti.chat] == ["/start", "Kopi: Rp 45.000/kg"]
