"""Tests of the fake Telegram Bot API (bot.playground.botapi)."""
