"""`berdaya run` as production runs it: a real process, a token, polling or a webhook."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.playground.botapi import FakeBotApi

TOKEN = "987654321:AAFakeTokenForTestsOnly_abcdefghijkl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def token_api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(token=TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


async def start_bot(config: Path) -> asyncio.subprocess.Process:
    """Logs go to a file: a pipe nobody reads would fill up and stall the bot."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BERDAYA_")}
    with (config.parent / "bot.log").open("wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "run",
            cwd=config.parent, env=env, stdout=log, stderr=log,
        )


async def stop_bot(process: asyncio.subprocess.Process, config: Path) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
    await asyncio.wait_for(process.wait(), timeout=30)
    return (config.parent / "bot.log").read_text()


def write_config(tmp_path: Path, api: FakeBotApi, extra: str = "") -> Path:
    config = tmp_path / "cfg.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "{api.base_url}"\n'
        f'base_file_url = "{api.base_file_url}"\n{extra}'
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "run.db"}"\n'
        '[logging]\nlevel = "DEBUG"\n'
    )
    return config


async def test_run_by_polling_answers_start(token_api: FakeBotApi, tmp_path: Path) -> None:
    config = write_config(tmp_path, token_api)
    process = await start_bot(config)
    try:
        user = token_api.user(user_id=5001, first_name="Budi", language_code="id")
        await token_api.wait_for(
            lambda: any(c.method == "getUpdates" for c in token_api.calls), timeout=60
        )
        await user.send("/start")
        await token_api.wait_for(lambda: any(m.from_bot for m in user.chat), timeout=30)
        assert "Berdaya" in user.last_reply.text
    finally:
        stderr = await stop_bot(process, config)
    assert TOKEN not in stderr
    assert TOKEN.split(":")[1] not in stderr
    assert "update id=" in stderr and "outcome=ok" in stderr
    assert process.returncode == 0, stderr[-2000:]


async def test_webhook_mode_enforces_the_secret(token_api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    extra = (f'mode = "webhook"\n[telegram.webhook]\nlisten = "127.0.0.1"\nport = {port}\n'
             f'path = "hook"\npublic_url = "http://127.0.0.1:{port}"\n'
             'secret_token = "s3cret-token-value"\n')
    config = write_config(tmp_path, token_api, extra)
    process = await start_bot(config)
    try:
        await token_api.wait_for(
            lambda: any(c.method == "setWebhook" and c.ok for c in token_api.calls), timeout=60
        )
        set_call = next(c for c in token_api.calls if c.method == "setWebhook")
        assert set_call.params["url"] == f"http://127.0.0.1:{port}/hook"
        assert set_call.params["secret_token"] == "s3cret-token-value"
        user = token_api.user(user_id=5002, first_name="Ani", language_code="id")
        await user.send("/start")
        await token_api.wait_for(lambda: any(m.from_bot for m in user.chat), timeout=30)
        assert "Berdaya" in user.last_reply.text
        async with aiohttp.ClientSession() as http:
            forged = await http.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 1})
            assert forged.status == 403
    finally:
        stderr = await stop_bot(process, config)
    assert "s3cret-token-value" not in stderr
    assert TOKEN not in stderr
