"""Technology tips: the library, what each member opened and liked, subscriptions, weekly sends.

A tip is one piece of advice; its words live in `TipText`, one row per language, so the English
version of an Indonesian tip shares its views, likes and category. Category names are translated
in the catalogs; the tables hold stable codes only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow

TIP_LANGUAGES = ("id", "en")
SEND_STATUSES = ("queued", "sent", "failed")


class TipCategory(Base):
    """Reference data seeded by the migration; `position` is the order members see."""

    __tablename__ = "tip_categories"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Tip(Base):
    __tablename__ = "tips"
    __table_args__ = (
        CheckConstraint("language IN ('id', 'en')", name="language"),
        Index("ix_tips_category_published", "category", "published"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    """Stable name (`karet-bokar-bersih`): import and export match tips by it."""
    category: Mapped[str] = mapped_column(
        String(24), ForeignKey("tip_categories.code", ondelete="RESTRICT")
    )
    language: Mapped[str] = mapped_column(String(2), default="id")
    """The language the tip was written in, shown when the member's own is missing."""
    source: Mapped[str | None] = mapped_column(String(200))
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    texts: Mapped[list[TipText]] = relationship(
        back_populates="tip", cascade="all, delete-orphan", lazy="selectin",
        order_by="TipText.language",
    )

    def text(self, language: str) -> TipText:
        """The member's language, else the original, else whatever exists."""
        by_language = {t.language: t for t in self.texts}
        return by_language.get(language) or by_language.get(self.language) or self.texts[0]


class TipText(Base):
    __tablename__ = "tip_texts"
    __table_args__ = (CheckConstraint("language IN ('id', 'en')", name="language"),)

    tip_id: Mapped[int] = mapped_column(
        ForeignKey("tips.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)

    tip: Mapped[Tip] = relationship(back_populates="texts", lazy="raise")


class TipView(Base):
    """One row per member and tip: how often they opened it and their 👍/👎."""

    __tablename__ = "tip_views"
    __table_args__ = (CheckConstraint("rating IN (-1, 1)", name="rating"),)

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tip_id: Mapped[int] = mapped_column(
        ForeignKey("tips.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    opens: Mapped[int] = mapped_column(Integer, default=0)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TipSubscription(Base):
    __tablename__ = "tip_subscriptions"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(
        ForeignKey("tip_categories.code", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TipSend(Base):
    """The weekly tip's outbox: one row per member and week, so nobody gets two in a week."""

    __tablename__ = "tip_sends"
    __table_args__ = (
        UniqueConstraint("member_id", "period", name="uq_tip_sends_member_id_period"),
        CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    """The local date the week's send started (`2026-03-02`)."""
    status: Mapped[str] = mapped_column(String(8), default="queued", index=True)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


__all__ = [
    "SEND_STATUSES",
    "TIP_LANGUAGES",
    "Tip",
    "TipCategory",
    "TipSend",
    "TipSubscription",
    "TipText",
    "TipView",
]
