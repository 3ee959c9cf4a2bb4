"""Sender processes: who is alive, and taking back what a dead one had claimed.

PostgreSQL: each sender holds a session advisory lock on its worker id over a connection of its
own for as long as it lives. The server drops the lock the moment the process dies (even by
SIGKILL), so another sender that can take the lock knows for certain the owner is gone and
returns its `sending` rows to the queue. SQLite supports one sender process: at start-up every
other worker row is stale by definition; later, only one silent for `SILENT_AFTER`.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import SessionMaker
from bot.services.broadcasts_outbox import release_claims
from models.broadcast import BroadcastWorker

log = logging.getLogger("berdaya.broadcasts")

LOCK_SPACE = 0x42524443
"""First key of our advisory locks ("BRDC"), so they never collide with anyone else's."""
SILENT_AFTER = timedelta(minutes=1)
"""SQLite only: a worker that has not checked in for this long is dead (they do every 10 s)."""


class WorkerLease:
    """This process's registration as a sender; `id` marks the rows it claims."""

    def __init__(self, sessionmaker: SessionMaker, worker_id: int,
                 lock: AsyncConnection | None) -> None:
        self.sessionmaker = sessionmaker
        self.id = worker_id
        self._lock = lock

    @classmethod
    async def acquire(cls, sessionmaker: SessionMaker, now: datetime) -> WorkerLease:
        name = f"{socket.gethostname()}:{os.getpid()}"[:100]
        async with sessionmaker() as session, session.begin():
            worker_id = await session.scalar(
                insert(BroadcastWorker).values(name=name, started_at=now, seen_at=now)
                .returning(BroadcastWorker.id)
            )
        assert worker_id is not None
        engine: AsyncEngine = sessionmaker.kw["bind"]
        lock = None
        if engine.dialect.name == "postgresql":
            lock = await engine.connect()
            await lock.execute(select(func.pg_advisory_lock(LOCK_SPACE, worker_id)))
            await lock.commit()
        lease = cls(sessionmaker, worker_id, lock)
        log.info("broadcast sender %s started as worker %s", name, worker_id)
        return lease

    async def reclaim(self, now: datetime, *, startup: bool = False) -> int:
        """Takes back the rows of dead senders; returns how many senders are alive (≥ 1)."""
        async with self.sessionmaker() as session:
            others = (await session.execute(
                select(BroadcastWorker.id, BroadcastWorker.seen_at)
                .where(BroadcastWorker.id != self.id))).all()
        dead = [worker for worker, seen_at in others
                if await self._is_dead(worker, seen_at, now, startup)]
        async with self.sessionmaker() as session, session.begin():
            await session.execute(update(BroadcastWorker).where(BroadcastWorker.id == self.id)
                                  .values(seen_at=now))
            if dead:
                await release_claims(session, dead)
                await session.execute(delete(BroadcastWorker).where(BroadcastWorker.id.in_(dead)))
        if dead:
            log.warning("broadcast workers %s are gone; their claimed rows are queued again",
                        dead)
        return 1 + len(others) - len(dead)

    async def _is_dead(self, worker_id: int, seen_at: datetime, now: datetime,
                       startup: bool) -> bool:
        if self._lock is None:
            return startup or seen_at < now - SILENT_AFTER
        taken = await self._lock.scalar(select(func.pg_try_advisory_lock(LOCK_SPACE, worker_id)))
        if taken:
            await self._lock.scalar(select(func.pg_advisory_unlock(LOCK_SPACE, worker_id)))
        await self._lock.commit()
        return bool(taken)

    async def release(self) -> None:
        """A clean stop: unclaimed rows back to the queue, this worker forgotten."""
        async with self.sessionmaker() as session, session.begin():
            await release_claims(session, [self.id])
            await session.execute(delete(BroadcastWorker).where(BroadcastWorker.id == self.id))
        if self._lock is not None:
            await self._lock.close()
            self._lock = None
