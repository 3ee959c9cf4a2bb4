"""Market prices: the commodity catalogue, where prices are taken, the prices, and who follows them.

The catalogue (commodities, their qualities and the price points) is reference data seeded by the
migration; prices arrive from facilitators, members ("laporan warga"), file imports and the
playground's demo loader.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow

MONEY = Numeric(14, 2)


class Level(StrEnum):
    PRODUSEN = "produsen"
    GROSIR = "grosir"
    ECERAN = "eceran"
    PENETAPAN = "penetapan"


class Origin(StrEnum):
    """Who put the price in: it decides how the price is shown (members' reports apart)."""

    STAFF = "staff"
    IMPORT = "import"
    CITIZEN = "citizen"
    DEMO = "demo"


class PriceStatus(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"
    REJECTED = "rejected"


class PlaceKind(StrEnum):
    MARKET = "pasar"
    FARM_GATE = "kebun"
    SET_PRICE = "penetapan"
    REFERENCE = "referensi"


class Direction(StrEnum):
    ABOVE = "above"
    BELOW = "below"


class Commodity(Base):
    __tablename__ = "commodities"
    __table_args__ = (CheckConstraint("unit IN ('kg', 'liter')", name="unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_id: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    words: Mapped[str] = mapped_column(String(500), default="")
    """Comma-separated words farmers and official tables use for it (getah, para, TBS…)."""
    unit: Mapped[str] = mapped_column(String(16), default="kg")
    quality_id: Mapped[str | None] = mapped_column(String(64))
    """What the quality dimension is called (KKK, umur tanaman…); None when there is none."""
    quality_en: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    data_version: Mapped[int] = mapped_column(default=0)
    """Bumped with every change to its prices: charts are cached until it moves."""

    qualities: Mapped[list[CommodityQuality]] = relationship(
        order_by="CommodityQuality.position", lazy="selectin"
    )

    def name(self, language: str) -> str:
        return self.name_id if language == "id" else self.name_en

    def quality(self, code: str) -> CommodityQuality | None:
        return next((q for q in self.qualities if q.code == code), None)


class CommodityQuality(Base):
    """One grade of a commodity: a KKK band, a palm-age band, petik merah…"""

    __tablename__ = "commodity_qualities"
    __table_args__ = (UniqueConstraint("commodity_id", "code", name="uq_commodity_qualities_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodities.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    name_id: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    words: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    def name(self, language: str) -> str:
        return self.name_id if language == "id" else self.name_en


class PricePoint(Base):
    """Where a price is taken: a market, a kecamatan's farm gate, the provincial set price."""

    __tablename__ = "price_points"
    __table_args__ = (
        CheckConstraint("kind IN ('pasar', 'kebun', 'penetapan', 'referensi')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))
    region_code: Mapped[str | None] = mapped_column(String(20), index=True)
    """The kecamatan's Kemendagri code. Not a foreign key: points are seeded by the migration,
    regions afterwards by `berdaya db seed`."""
    position: Mapped[int] = mapped_column(default=0)


class Price(Base):
    __tablename__ = "prices"
    __table_args__ = (
        CheckConstraint("level IN ('produsen', 'grosir', 'eceran', 'penetapan')", name="level"),
        CheckConstraint("origin IN ('staff', 'import', 'citizen', 'demo')", name="origin"),
        CheckConstraint("status IN ('published', 'pending', 'rejected')", name="status"),
        CheckConstraint("value > 0", name="value_positive"),
        Index("ix_prices_commodity_observed", "commodity_id", "observed_on"),
        Index("ix_prices_place_observed", "place_id", "observed_on", "commodity_id"),
        Index(
            "uq_prices_series_day", "commodity_id", "place_id", "level", "quality", "observed_on",
            unique=True, sqlite_where=text("origin != 'citizen'"),
            postgresql_where=text("origin != 'citizen'"),
        ),
        Index("ix_prices_pending", "status", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodities.id"))
    place_id: Mapped[int] = mapped_column(ForeignKey("price_points.id"))
    level: Mapped[str] = mapped_column(String(10))
    quality: Mapped[str] = mapped_column(String(16), default="")
    value: Mapped[Decimal] = mapped_column(MONEY)
    unit: Mapped[str] = mapped_column(String(16))
    observed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    """Set prices hold for a period (Disbun Jambi's TBS price runs one to three weeks)."""
    source: Mapped[str] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(10))
    reported_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=PriceStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PriceAudit(Base):
    """Every replaced, corrected or reviewed price, with the values before and after."""

    __tablename__ = "price_audit"
    __table_args__ = (
        CheckConstraint("action IN ('replaced', 'updated', 'approved', 'rejected')",
                        name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    price_id: Mapped[int | None] = mapped_column(
        ForeignKey("prices.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    old_value: Mapped[Decimal | None] = mapped_column(MONEY)
    new_value: Mapped[Decimal | None] = mapped_column(MONEY)
    old_source: Mapped[str | None] = mapped_column(String(120))
    new_source: Mapped[str | None] = mapped_column(String(120))
    changed_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommodityFollow(Base):
    """A member's own commodities: listed first, in the digest, and a broadcast audience."""

    __tablename__ = "commodity_follows"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    commodity_id: Mapped[int] = mapped_column(
        ForeignKey("commodities.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PriceAlert(Base):
    """"Tell me when karet is above Rp15.000": fires once per crossing of the threshold."""

    __tablename__ = "price_alerts"
    __table_args__ = (
        CheckConstraint("direction IN ('above', 'below')", name="direction"),
        UniqueConstraint("member_id", "commodity_id", "quality", "direction", "threshold",
                         name="uq_price_alerts_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    commodity_id: Mapped[int] = mapped_column(
        ForeignKey("commodities.id", ondelete="CASCADE"), index=True
    )
    quality: Mapped[str] = mapped_column(String(16), default="")
    direction: Mapped[str] = mapped_column(String(5))
    threshold: Mapped[Decimal] = mapped_column(MONEY)
    beyond: Mapped[bool] = mapped_column(default=False)
    """Whether the price was past the threshold at the last check: a crossing flips it."""
    last_value: Mapped[Decimal | None] = mapped_column(MONEY)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PriceDigest(Base):
    """A member who asked for the 06.00 digest of their commodities."""

    __tablename__ = "price_digests"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    last_sent_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = [
    "Commodity",
    "CommodityFollow",
    "CommodityQuality",
    "Direction",
    "Level",
    "Origin",
    "PlaceKind",
    "Price",
    "PriceAlert",
    "PriceAudit",
    "PriceDigest",
    "PricePoint",
    "PriceStatus",
]
