"""Trainings, who holds a seat or waits for one, and the notices each of them is owed.

`Training.seats_taken` counts enrolled and offered seats so that a full training is one row to
lock, not a count to race on; `version` is bumped on every change a member should know about, so
an old button can be recognised as stale.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Category(StrEnum):
    SEWING = "menjahit"
    HANDICRAFT = "kerajinan"
    CULTIVATION = "budidaya"
    ORGANIC = "organik"
    PROCESSING = "olahan"
    MANAGEMENT = "manajemen"
    DIGITAL = "digital"
    FINANCE = "koperasi"
    OTHER = "lainnya"


class OrganizerKind(StrEnum):
    PEMDA = "pemda"
    LSM = "lsm"
    SWASTA = "swasta"


class TrainingStatus(StrEnum):
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EnrollmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed seat is held for this member until `offered_until`
    CANCELLED = "cancelled"  # the member withdrew or declined
    EXPIRED = "expired"  # an offer ran out; the seat went to the next in line


HOLDS_SEAT = (EnrollmentStatus.ENROLLED, EnrollmentStatus.OFFERED)
ACTIVE = (*HOLDS_SEAT, EnrollmentStatus.WAITLISTED)


class NoticeKind(StrEnum):
    REMINDER_EVE = "reminder_eve"
    REMINDER_SOON = "reminder_2h"
    OFFER = "offer"
    OFFER_EXPIRED = "offer_expired"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    FEEDBACK = "feedback"


class NoticeStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"  # no longer true when due (withdrawn, cancelled, answered)
    FAILED = "failed"  # the member blocked the bot or has no chat


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{item.value}'" for item in enum)


MAX_CAPACITY = 10_000


class Training(Base):
    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint(f"category IN ({_values(Category)})", name="category"),
        CheckConstraint(f"organizer_kind IN ({_values(OrganizerKind)})", name="organizer_kind"),
        CheckConstraint(f"status IN ({_values(TrainingStatus)})", name="status"),
        CheckConstraint(f"capacity BETWEEN 1 AND {MAX_CAPACITY}", name="capacity"),
        CheckConstraint("seats_taken BETWEEN 0 AND capacity", name="seats_taken"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_trainings_browse_kecamatan", "status", "kecamatan_code", "starts_at"),
        Index("ix_trainings_browse", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(1000), default="")
    desa_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"))
    kecamatan_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"))
    venue: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    organizer: Mapped[str] = mapped_column(String(120))
    organizer_kind: Mapped[str] = mapped_column(String(8))
    accessibility: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default=TrainingStatus.PUBLISHED)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    attendance_code: Mapped[str | None] = mapped_column(String(4))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    @property
    def is_published(self) -> bool:
        return self.status == TrainingStatus.PUBLISHED

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Enrollment(Base):
    """One row per member and training; withdrawing and coming back reuses it."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("training_id", "member_id", name="uq_enrollments_training_member"),
        CheckConstraint(f"status IN ({_values(EnrollmentStatus)})", name="status"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_enrollments_queue", "training_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the member last asked for a seat: the waitlist is served in this order."""
    offered_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class TrainingNotice(Base):
    """A message a member is owed at `due_at` (reminder, offer, change…), sent at most once."""

    __tablename__ = "training_notices"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(NoticeKind)})", name="kind"),
        CheckConstraint(f"status IN ({_values(NoticeStatus)})", name="status"),
        Index("ix_training_notices_due", "status", "due_at"),
        Index("ix_training_notices_member", "training_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(8), default=NoticeStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = [
    "ACTIVE",
    "HOLDS_SEAT",
    "MAX_CAPACITY",
    "Category",
    "Enrollment",
    "EnrollmentStatus",
    "NoticeKind",
    "NoticeStatus",
    "OrganizerKind",
    "Training",
    "TrainingNotice",
    "TrainingStatus",
]
