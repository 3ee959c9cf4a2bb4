"""Members (villagers, facilitators, admins) and the programme's target groups."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class Role(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


class Status(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    BLOCKED = "blocked"
    DELETED = "deleted"


member_groups = Table(
    "member_groups",
    Base.metadata,
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    """A target group of the programme; `code` is stable, names are translated in the catalogs."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_members_channel_external_id"),
        CheckConstraint("role IN ('member', 'facilitator', 'admin')", name="role"),
        CheckConstraint("status IN ('active', 'stopped', 'blocked', 'deleted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    full_name: Mapped[str | None] = mapped_column(String(64))
    desa_code: Mapped[str | None] = mapped_column(
        String(20), ForeignKey("regions.code"), index=True
    )
    language: Mapped[str] = mapped_column(String(2), default="id")
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER, index=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE, index=True)
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scope_kecamatan: Mapped[str | None] = mapped_column(String(20), ForeignKey("regions.code"))
    """A facilitator limited by an admin to one kecamatan sees and messages only members there."""

    groups: Mapped[list[Group]] = relationship(secondary=member_groups, lazy="raise")

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def is_registered(self) -> bool:
        return self.status != Status.DELETED and self.consent_at is not None
