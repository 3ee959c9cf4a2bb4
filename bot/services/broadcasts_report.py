"""The per-recipient report of a broadcast as CSV: who got it, who did not, and why.

Rows are streamed from the database, so a 100,000-recipient report never sits in memory.
"""

from __future__ import annotations

import csv
from datetime import datetime, tzinfo
from typing import TextIO

from sqlalchemy import select

from bot.db import SessionMaker
from models import Member, Region
from models.broadcast import Broadcast, Delivery, DeliveryStatus

COLUMNS = ["delivery_id", "member_id", "name", "desa_code", "desa", "language", "status",
           "reason", "attempts", "sent_at", "message_id", "correction"]


class UnknownBroadcast(LookupError):
    pass


def _local(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""


def _correction(broadcast: Broadcast, delivery: Delivery) -> str:
    """Where this copy stands after corrections or the withdrawal ("" when there were none)."""
    if broadcast.revision == 1 or delivery.status != DeliveryStatus.SENT:
        return ""
    if delivery.revision < broadcast.revision:
        return "pending"
    if delivery.fix_error:
        return f"failed: {delivery.fix_error}"
    return "deleted" if broadcast.withdrawn_at else "edited"


async def write_report(sessionmaker: SessionMaker, broadcast_id: int, out: TextIO,
                       tz: tzinfo) -> int:
    """Writes the header and one row per recipient; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    async with sessionmaker() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            raise UnknownBroadcast(broadcast_id)
        rows = await session.stream(
            select(Delivery, Member.full_name, Member.desa_code, Region.name, Member.language)
            .join(Member, Member.id == Delivery.member_id)
            .outerjoin(Region, Region.code == Member.desa_code)
            .where(Delivery.broadcast_id == broadcast_id)
            .order_by(Delivery.id)
            .execution_options(yield_per=1000)
        )
        async for delivery, name, desa_code, desa, language in rows:
            writer.writerow([
                delivery.id, delivery.member_id, name or "", desa_code or "", desa or "",
                language, delivery.status, delivery.error or "", delivery.attempts,
                _local(delivery.sent_at, tz), delivery.message_id or "",
                _correction(broadcast, delivery),
            ])
            count += 1
    return count
