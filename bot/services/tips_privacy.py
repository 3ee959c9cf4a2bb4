"""The member's share of the tip tables, for the data export and the right to erasure (UU PDP).

What is only about the member (topics followed, tips read and rated, weekly tips received)
is deleted; tips they wrote as a facilitator stay in the programme's library, without their
name on them.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.services import privacy
from models.tip import Tip, TipSend, TipSubscription, TipView


async def export_subscriptions(session: AsyncSession, member_id: int) -> privacy.Exported:
    return list((await session.scalars(
        select(TipSubscription.category).where(TipSubscription.member_id == member_id)
        .order_by(TipSubscription.category))).all())


async def export_views(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(Tip.key, TipView).join(Tip, Tip.id == TipView.tip_id)
        .where(TipView.member_id == member_id).order_by(Tip.key))
    return [{"tip": key, "opens": view.opens, "rating": view.rating,
             "first_opened_at": view.first_opened_at, "last_opened_at": view.last_opened_at,
             "rated_at": view.rated_at} for key, view in rows]


async def export_sends(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(Tip.key, TipSend).join(Tip, Tip.id == TipSend.tip_id)
        .where(TipSend.member_id == member_id).order_by(TipSend.period))
    return [{"tip": key, "week": send.period, "status": send.status, "sent_at": send.sent_at}
            for key, send in rows]


async def export_written(session: AsyncSession, member_id: int) -> privacy.Exported:
    return list((await session.scalars(
        select(Tip.key).where(Tip.author_id == member_id).order_by(Tip.key))).all())


async def unsign_written(session: AsyncSession, member_id: int) -> None:
    await session.execute(update(Tip).where(Tip.author_id == member_id).values(author_id=None))


def _deleter(table: type[TipSubscription] | type[TipView] | type[TipSend]) -> privacy.Eraser:
    async def erase(session: AsyncSession, member_id: int) -> None:
        await session.execute(delete(table).where(table.member_id == member_id))

    return erase


privacy.register_personal_data("tip_subscriptions", export_subscriptions,
                               _deleter(TipSubscription), label=N_("Tip topics you follow"))
privacy.register_personal_data("tips_read", export_views, _deleter(TipView),
                               label=N_("Tips you read or rated"))
privacy.register_personal_data("weekly_tips", export_sends, _deleter(TipSend),
                               label=N_("Weekly tips sent to you"))
privacy.register_personal_data("tips_written", export_written, unsign_written,
                               label=N_("Tips you wrote"))
