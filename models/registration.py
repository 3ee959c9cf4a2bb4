"""Consent history and referrals: what registration records beside the member row itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ConsentEvent(Base):
    """Every consent given or withdrawn, with the text version: UU PDP asks us to prove it.

    Holds no name or phone, so the rows outlive an erasure (pointing at the tombstone).
    """

    __tablename__ = "consent_events"
    __table_args__ = (CheckConstraint("action IN ('given', 'withdrawn')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Referral(Base):
    """How a member found us: the poster's desa and the facilitator who brought them."""

    __tablename__ = "referrals"

    member_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )
    referred_by_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    desa_code: Mapped[str | None] = mapped_column(String(20), ForeignKey("regions.code"))
    training_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = ["ConsentEvent", "Referral"]
