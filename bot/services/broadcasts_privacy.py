"""The member's share of the broadcast tables, for the data export and the right to erasure.

Which broadcasts reached a member is only about them, so those rows are deleted (the counts on
the broadcast keep its total). Broadcasts a facilitator sent stay in the programme's history,
without their name on them.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.services import privacy
from bot.services.broadcasts_format import visible_text
from models.broadcast import Broadcast, Delivery


async def export_received(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(Broadcast.text, Delivery).join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Delivery.member_id == member_id).order_by(Delivery.id))
    return [{"broadcast": delivery.broadcast_id, "status": delivery.status,
             "sent_at": delivery.sent_at, "reason": delivery.error, "text": visible_text(text)}
            for text, delivery in rows]


async def erase_received(session: AsyncSession, member_id: int) -> None:
    await session.execute(delete(Delivery).where(Delivery.member_id == member_id))


async def export_sent(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.sender_id == member_id).order_by(Broadcast.id))
    return [{"broadcast": b.id, "created_at": b.created_at, "status": b.status,
             "text": visible_text(b.text)} for b in rows]


async def unsign_sent(session: AsyncSession, member_id: int) -> None:
    await session.execute(
        update(Broadcast).where(Broadcast.sender_id == member_id).values(sender_id=None))


privacy.register_personal_data("broadcasts_received", export_received, erase_received,
                               label=N_("Broadcasts sent to you"))
privacy.register_personal_data("broadcasts_sent", export_sent, unsign_sent,
                               label=N_("Broadcasts you sent"))
