"""The member's share of the price tables, for the data export and the right to erasure.

Reports a member made stay as anonymous prices (other farmers rely on the medians); what is
only about the member (their commodities, alerts, morning summary) is deleted.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.services import privacy
from models.price import (
    Commodity,
    CommodityFollow,
    Price,
    PriceAlert,
    PriceAudit,
    PriceDigest,
    PricePoint,
)


async def export_reports(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(Price, Commodity.code, PricePoint.name)
        .join(Commodity, Commodity.id == Price.commodity_id)
        .join(PricePoint, PricePoint.id == Price.place_id)
        .where(Price.reported_by == member_id).order_by(Price.observed_on, Price.id))
    return [{"commodity": code, "quality": p.quality, "place": place, "level": p.level,
             "value": p.value, "unit": p.unit, "date": p.observed_on, "origin": p.origin,
             "status": p.status} for p, code, place in rows]


async def anonymize_reports(session: AsyncSession, member_id: int) -> None:
    await session.execute(update(Price).where(Price.reported_by == member_id)
                          .values(reported_by=None))
    await session.execute(update(PriceAudit).where(PriceAudit.changed_by == member_id)
                          .values(changed_by=None))


async def export_follows(session: AsyncSession, member_id: int) -> privacy.Exported:
    return list((await session.scalars(
        select(Commodity.code).join(CommodityFollow, CommodityFollow.commodity_id == Commodity.id)
        .where(CommodityFollow.member_id == member_id).order_by(Commodity.position))).all())


async def export_alerts(session: AsyncSession, member_id: int) -> privacy.Exported:
    rows = await session.execute(
        select(PriceAlert, Commodity.code).join(Commodity, Commodity.id == PriceAlert.commodity_id)
        .where(PriceAlert.member_id == member_id).order_by(PriceAlert.id))
    return [{"commodity": code, "quality": a.quality, "direction": a.direction,
             "threshold": a.threshold, "created_at": a.created_at} for a, code in rows]


async def export_digest(session: AsyncSession, member_id: int) -> privacy.Exported:
    digest = await session.get(PriceDigest, member_id)
    return {} if digest is None else {"since": digest.created_at,
                                      "last_sent_on": digest.last_sent_on}


def _deleter(table: type[CommodityFollow] | type[PriceAlert] | type[PriceDigest]
             ) -> privacy.Eraser:
    async def erase(session: AsyncSession, member_id: int) -> None:
        await session.execute(delete(table).where(table.member_id == member_id))

    return erase


privacy.register_personal_data("price_reports", export_reports, anonymize_reports,
                               label=N_("Prices you reported"))
privacy.register_personal_data("followed_commodities", export_follows,
                               _deleter(CommodityFollow), label=N_("Your commodities"))
privacy.register_personal_data("price_alerts", export_alerts, _deleter(PriceAlert),
                               label=N_("Price alerts"))
privacy.register_personal_data("price_morning_summary", export_digest, _deleter(PriceDigest))
