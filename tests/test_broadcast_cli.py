"""`berdaya broadcasts report ID`: a per-recipient CSV, and one-line errors."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.config import Settings
from bot.db import SessionMaker
from bot.playground.botapi import FakeBotApi
from tests.support.broadcasts import FakeTime, broadcast, crowd, engine, facilitator
from tests.support.clock import Clock
from tests.test_cli import berdaya, one_line_error


async def test_report_writes_one_row_per_recipient(
    api: FakeBotApi, seeded: SessionMaker, settings: Settings, clock: Clock, database_url: str,
    tmp_path: Path,
) -> None:
    sender = await facilitator(api, seeded)
    blocked, reader = await crowd(api, seeded, 2)
    api.user(blocked.chat_id or 0).chat_state.blocked = True
    sent = await broadcast(seeded, sender, clock, "Laporan CLI")
    worker = engine(api, seeded, settings, clock, FakeTime(), notices=False)
    await worker.drain()
    await worker.close()
    env = {"BERDAYA_DATABASE__URL": database_url}
    result = berdaya("broadcasts", "report", f"#{sent.id}", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"siaran-{sent.id}.csv: 3 recipient(s)"
    with (tmp_path / f"siaran-{sent.id}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["member_id"]: row for row in csv.DictReader(handle)}
    assert rows[str(blocked.id)]["status"] == "skipped"
    assert rows[str(blocked.id)]["reason"] == "Forbidden: bot was blocked by the user"
    assert rows[str(reader.id)]["status"] == "sent"
    assert rows[str(reader.id)]["sent_at"].startswith("2026-03-02T08:00:00+07:00")
    assert rows[str(reader.id)]["name"] == "Anggota 1"


def test_report_errors_are_one_line(tmp_path: Path, database_url: str) -> None:
    env = {"BERDAYA_DATABASE__URL": database_url}
    line = one_line_error(berdaya("broadcasts", "report", "dua", cwd=tmp_path, env=env))
    assert "broadcast number" in line and "'dua'" in line
    line = one_line_error(berdaya("broadcasts", "report", "77", cwd=tmp_path, env=env))
    assert "there is no broadcast 77" in line
    assert not (tmp_path / "siaran-77.csv").exists()
