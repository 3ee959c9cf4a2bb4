"""The application factory end to end: commands, languages, errors and the per-update log line."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BerdayaContext
from bot.playground.botapi import FakeBotApi
from bot.updates import name_handlers
from models import Role
from tests.support.harness import BotHarness
from tests.support.members import make_member


async def test_command_lists_per_language_and_staff_scope(
    api: FakeBotApi, harness: BotHarness
) -> None:
    indonesian = api.bot_commands(language_code="id")
    english = api.bot_commands(language_code="en")
    assert "bantuan" in {c["command"] for c in indonesian}
    assert api.bot_commands() == indonesian
    start_id = next(c["description"] for c in indonesian if c["command"] == "bantuan")
    start_en = next(c["description"] for c in english if c["command"] == "bantuan")
    assert start_id != start_en

    await make_member(harness.sessionmaker, 4242, "Pak Fasil", role=Role.FACILITATOR,
                      language="en")
    await harness.restart()
    staff = api.bot_commands({"type": "chat", "chat_id": 4242})
    assert len(staff) >= len(english)
    assert {c["description"] for c in english} <= {c["description"] for c in staff}


async def test_failure_is_logged_and_apologised_in_the_members_language(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(update: Update, context: BerdayaContext) -> None:
        raise RuntimeError("disk on fire")

    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    name_handlers(harness.app)
    await make_member(harness.sessionmaker, 3003, "Ani", language="en")
    caplog.set_level(logging.INFO)
    english = harness.user(3003, "Ani", language_code="id")
    await english.send("/boom")
    assert any(m.text.startswith("Sorry, something went wrong") for m in english.chat
               if m.from_bot)
    indonesian = harness.user(3004, "Budi", language_code="id")
    await indonesian.send("/boom")
    assert any(m.text.startswith("Maaf, ada gangguan") for m in indonesian.chat if m.from_bot)

    failures = [r for r in caplog.records if r.name == "berdaya.errors"]
    assert failures and "disk on fire" in failures[0].getMessage()
    lines = [r.getMessage() for r in caplog.records if r.name == "berdaya.updates"]
    assert any("handler=boom outcome=error" in line for line in lines)


async def test_one_log_line_per_update_without_names(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    member = await make_member(harness.sessionmaker, 3100, "Rahmat Hidayat",
                               phone="+6281200000000")
    caplog.set_level(logging.INFO, logger="berdaya.updates")
    user = harness.user(3100, "Rahmat")
    await user.send("/bantuan")
    lines = [r.getMessage() for r in caplog.records if r.name == "berdaya.updates"]
    assert len(lines) == 1
    line = lines[0]
    assert f"member={member.id}" in line and "outcome=ok" in line and " ms=" in line
    assert "update id=" in line and "handler=" in line
    assert "Rahmat" not in line and "6281200000000" not in line
