"""`berdaya audit --since DATE`: tab-separated lines, oldest first, one-line refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db import SessionMaker
from bot.services import audit
from bot.services.audit import Action
from models import Role
from tests.support.members import make_member
from tests.support.trainings import WIB
from tests.test_cli import berdaya, one_line_error

MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08.00 WIB


async def _fill(sessionmaker: SessionMaker) -> int:
    rina = await make_member(sessionmaker, 900, "Rina\tMarlina", role=Role.FACILITATOR)
    async with sessionmaker() as session, session.begin():
        audit.record(session, Action.TRAINING_CREATED, actor=rina, subject="training:7",
                     details={"desa": "15.02.02.2004", "capacity": 20},
                     at=MORNING - timedelta(days=3))
        audit.record(session, Action.BROADCAST_WITHDRAWN, actor=rina, subject="broadcast:3",
                     details={"revision": 2}, at=MORNING + timedelta(hours=2))
        audit.record(session, Action.PRICE_IMPORTED, actor=None,
                     details={"file": "harga.xlsx", "added": 12}, at=MORNING)
        audit.record(session, Action.TRAINING_CANCELLED, actor=rina, subject="training:7",
                     details={"told": 4}, at=MORNING - timedelta(hours=1))  # 07.00 WIB
    return rina.id


async def test_entries_since_a_day_oldest_first(seeded: SessionMaker, database_url: str,
                                                tmp_path: Path) -> None:
    rina = await _fill(seeded)
    env = {"BERDAYA_DATABASE__URL": database_url}
    result = berdaya("audit", "--since", "2026-03-02", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"2026-03-02 07:00 WIB\tRina Marlina #{rina}\tfacilitator\ttraining.cancelled\t"
        'training:7\t{"told":4}',
        '2026-03-02 08:00 WIB\tcli\tcli\tprice.imported\t-\t{"added":12,"file":"harga.xlsx"}',
        f"2026-03-02 10:00 WIB\tRina Marlina #{rina}\tfacilitator\tbroadcast.withdrawn\t"
        'broadcast:3\t{"revision":2}',
    ]
    older = berdaya("audit", "--since", "2026-02-27", "--action", "training", cwd=tmp_path,
                    env=env)
    assert [line.split("\t")[3] for line in older.stdout.splitlines()] == [
        "training.created", "training.cancelled"]
    newest = berdaya("audit", "--since", "2026-02-01", "--limit", "2", cwd=tmp_path, env=env)
    assert [line.split("\t")[3] for line in newest.stdout.splitlines()] == [
        "price.imported", "broadcast.withdrawn"]
    today = datetime.now(WIB).date().isoformat()
    none = berdaya("audit", "--since", today, cwd=tmp_path, env=env)
    assert none.returncode == 0 and none.stdout.strip() == f"no audit entries since {today}"
    none = berdaya("audit", "--since", "2026-02-01", "--action", "tip", cwd=tmp_path, env=env)
    assert none.stdout.strip() == "no audit entries matching 'tip' since 2026-02-01"


def test_bad_and_future_dates_are_refused(database_url: str, tmp_path: Path) -> None:
    env = {"BERDAYA_DATABASE__URL": database_url}
    line = one_line_error(berdaya("audit", "--since", "2-3-2026", cwd=tmp_path, env=env))
    assert "--since must be a date like 2026-03-02, not '2-3-2026'" in line
    line = one_line_error(berdaya("audit", "--since", "2026-02-30", cwd=tmp_path, env=env))
    assert "'2026-02-30'" in line
    tomorrow = (datetime.now(WIB) + timedelta(days=1)).date().isoformat()
    line = one_line_error(berdaya("audit", "--since", tomorrow, cwd=tmp_path, env=env))
    assert f"--since {tomorrow} is in the future" in line
