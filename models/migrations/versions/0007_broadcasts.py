"""broadcasts: issue 8: broadcasts and deliveries

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BROADCAST_STATUSES = ("scheduled", "sending", "done", "cancelled")
DELIVERY_STATUSES = ("queued", "sending", "sent", "failed", "skipped", "cancelled")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "broadcast_workers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_workers")),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=8), nullable=True),
        sa.Column("media_file_id", sa.String(length=255), nullable=True),
        sa.Column("button_kind", sa.String(length=8), nullable=True),
        sa.Column("button_url", sa.String(length=512), nullable=True),
        sa.Column("button_label", sa.String(length=64), nullable=True),
        sa.Column("training_id", sa.Integer(), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prepare_cursor", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("fixed_revision", sa.Integer(), nullable=False),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("button_kind", ("link", "join")),
                           name=op.f("ck_broadcasts_button_kind")),
        sa.CheckConstraint(_in("media_kind", ("photo", "document")),
                           name=op.f("ck_broadcasts_media_kind")),
        sa.CheckConstraint(_in("status", BROADCAST_STATUSES), name=op.f("ck_broadcasts_status")),
        sa.ForeignKeyConstraint(["sender_id"], ["members.id"],
                                name=op.f("fk_broadcasts_sender_id_members"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["training_id"], ["trainings.id"],
                                name=op.f("fk_broadcasts_training_id_trainings"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcasts_sender_id"), ["sender_id"], unique=False)
        batch_op.create_index("ix_broadcasts_status_scheduled_at", ["status", "scheduled_at"],
                              unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("fix_attempts", sa.Integer(), nullable=False),
        sa.Column("fix_next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fix_error", sa.String(length=200), nullable=True),
        sa.CheckConstraint(_in("status", DELIVERY_STATUSES), name=op.f("ck_deliveries_status")),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcasts.id"],
                                name=op.f("fk_deliveries_broadcast_id_broadcasts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name=op.f("fk_deliveries_member_id_members"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("broadcast_id", "member_id", name="uq_deliveries_broadcast_member"),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_broadcast_status", ["broadcast_id", "status"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_deliveries_member_id"), ["member_id"], unique=False)
        batch_op.create_index("ix_deliveries_status_id", ["status", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_id")
        batch_op.drop_index(batch_op.f("ix_deliveries_member_id"))
        batch_op.drop_index("ix_deliveries_broadcast_status")

    op.drop_table("deliveries")
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_index("ix_broadcasts_status_scheduled_at")
        batch_op.drop_index(batch_op.f("ix_broadcasts_sender_id"))

    op.drop_table("broadcasts")
    op.drop_table("broadcast_workers")
