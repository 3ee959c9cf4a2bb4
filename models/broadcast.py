"""Broadcasts and their durable outbox: one delivery row per recipient, drained by a job.

The database is the truth about every recipient: a delivery is `queued` until a sender process
claims it (`sending`, with that process's `worker_id`), then `sent` (with Telegram's message id),
`failed` (with the reason), `skipped` (the member blocked, stopped or left) or `cancelled`.
Corrections reuse the rows: a sent delivery whose `revision` is behind its broadcast's is edited
(or deleted, once the broadcast is withdrawn) until it catches up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class BroadcastStatus(StrEnum):
    SCHEDULED = "scheduled"  # waiting for `scheduled_at`; no delivery rows yet
    SENDING = "sending"  # rows are written in batches (`prepared_at` is None until all are)
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class MediaKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class ButtonKind(StrEnum):
    LINK = "link"
    JOIN = "join"  # "Saya ikut": enrolls the member in `training_id`


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{item.value}'" for item in enum)


class Broadcast(Base):
    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(BroadcastStatus)})", name="status"),
        CheckConstraint(f"media_kind IN ({_values(MediaKind)})", name="media_kind"),
        CheckConstraint(f"button_kind IN ({_values(ButtonKind)})", name="button_kind"),
        Index("ix_broadcasts_status_scheduled_at", "status", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    """Telegram HTML: the message text, or the caption when there is media."""
    media_kind: Mapped[str | None] = mapped_column(String(8))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    button_kind: Mapped[str | None] = mapped_column(String(8))
    button_url: Mapped[str | None] = mapped_column(String(512))
    button_label: Mapped[str | None] = mapped_column(String(64))
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL")
    )
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=BroadcastStatus.SCHEDULED)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    prepare_cursor: Mapped[int] = mapped_column(default=0)
    """The highest member id already given a delivery row: preparation resumes after it."""
    total: Mapped[int] = mapped_column(default=0)
    revision: Mapped[int] = mapped_column(default=1)
    """Bumped by each correction or the withdrawal; deliveries catch up with it."""
    fixed_revision: Mapped[int] = mapped_column(default=1)
    """The revision whose correction has been applied everywhere and reported to the sender."""
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_finished(self) -> bool:
        return self.status in (BroadcastStatus.DONE, BroadcastStatus.CANCELLED)


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "member_id", name="uq_deliveries_broadcast_member"),
        CheckConstraint(f"status IN ({_values(DeliveryStatus)})", name="status"),
        Index("ix_deliveries_status_id", "status", "id"),
        Index("ix_deliveries_broadcast_status", "broadcast_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    """Failed attempts so far (network errors and 5xx); the third one is final."""
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    worker_id: Mapped[int | None] = mapped_column()
    """The sender process holding the row (while `sending`, or while correcting it)."""
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(default=0)
    """The broadcast revision the member's message shows (0 = nothing sent yet)."""
    fix_attempts: Mapped[int] = mapped_column(default=0)
    fix_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fix_error: Mapped[str | None] = mapped_column(String(200))


class BroadcastWorker(Base):
    """A running sender process. On PostgreSQL it holds an advisory lock on its id while alive,
    so the others can tell at once that it died and take back what it had claimed."""

    __tablename__ = "broadcast_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = [
    "Broadcast",
    "BroadcastStatus",
    "BroadcastWorker",
    "ButtonKind",
    "Delivery",
    "DeliveryStatus",
    "MediaKind",
]
