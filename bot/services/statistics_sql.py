"""Portable SQL pieces for reports: the same expression runs on SQLite and PostgreSQL.

Shared on purpose: exports and other reports can filter members by kecamatan and count with
conditions the way the statistics do.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from models import Region, RegionLevel

DesaColumn = ColumnElement[str | None] | QueryableAttribute[str | None]


def in_kecamatan(desa_code: DesaColumn, kecamatan: str) -> ColumnElement[bool]:
    """`desa_code` lies in `kecamatan`: a subquery on the region table, no string matching on
    codes (a desa's code need not start with its kecamatan's)."""
    return desa_code.in_(select(Region.code).where(Region.parent_code == kecamatan))


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """COUNT(*) FILTER (WHERE …) written as SUM(CASE …): every backend and version has it;
    0, not NULL, over no rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class UnknownKecamatan(LookupError):
    """The code is not a kecamatan of the region table (a tampered or outdated button)."""


async def area_names(session: AsyncSession, kecamatan: str | None) -> tuple[str, str | None]:
    """The kabupaten's name, and the kecamatan's when one is asked for (it must be one)."""
    kabupaten = await session.scalar(
        select(Region.name).where(Region.level == RegionLevel.KABUPATEN).limit(1)) or ""
    if kecamatan is None:
        return kabupaten, None
    region = await session.get(Region, kecamatan)
    if region is None or region.level != RegionLevel.KECAMATAN:
        raise UnknownKecamatan(kecamatan)
    return kabupaten, region.name
