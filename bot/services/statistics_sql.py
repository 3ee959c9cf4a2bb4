"""Portable SQL pieces for reports: the same expression runs on SQLite and PostgreSQL.

Shared on purpose: exports and other reports can filter members by kecamatan and count with
conditions the way the statistics do.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import QueryableAttribute

from models import Region

DesaColumn = ColumnElement[str | None] | QueryableAttribute[str | None]


def in_kecamatan(desa_code: DesaColumn, kecamatan: str) -> ColumnElement[bool]:
    """`desa_code` lies in `kecamatan`: a subquery on the region table, no string matching on
    codes (a desa's code need not start with its kecamatan's)."""
    return desa_code.in_(select(Region.code).where(Region.parent_code == kecamatan))


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """COUNT(*) FILTER (WHERE …) written as SUM(CASE …): every backend and version has it;
    0, not NULL, over no rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
