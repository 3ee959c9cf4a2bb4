"""trainings: issue 5: trainings, enrollments, reminders, attendance, feedback

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("menjahit", "kerajinan", "budidaya", "organik", "olahan", "manajemen", "digital",
              "koperasi", "lainnya")
ENROLLMENT_STATUSES = ("enrolled", "waitlisted", "offered", "cancelled", "expired")
NOTICE_KINDS = ("reminder_eve", "reminder_2h", "offer", "offer_expired", "changed", "cancelled",
                "feedback")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("desa_code", sa.String(length=20), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=20), nullable=False),
        sa.Column("venue", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("organizer", sa.String(length=120), nullable=False),
        sa.Column("organizer_kind", sa.String(length=8), nullable=False),
        sa.Column("accessibility", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("attendance_code", sa.String(length=4), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("category", CATEGORIES), name=op.f("ck_trainings_category")),
        sa.CheckConstraint(_in("organizer_kind", ("pemda", "lsm", "swasta")),
                           name=op.f("ck_trainings_organizer_kind")),
        sa.CheckConstraint(_in("status", ("published", "cancelled")),
                           name=op.f("ck_trainings_status")),
        sa.CheckConstraint("capacity BETWEEN 1 AND 10000", name=op.f("ck_trainings_capacity")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_trainings_ends_after_start")),
        sa.CheckConstraint("seats_taken BETWEEN 0 AND capacity",
                           name=op.f("ck_trainings_seats_taken")),
        sa.ForeignKeyConstraint(["created_by"], ["members.id"],
                                name=op.f("fk_trainings_created_by_members"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["desa_code"], ["regions.code"],
                                name=op.f("fk_trainings_desa_code_regions")),
        sa.ForeignKeyConstraint(["kecamatan_code"], ["regions.code"],
                                name=op.f("fk_trainings_kecamatan_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainings")),
    )
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.create_index("ix_trainings_browse", ["status", "starts_at"], unique=False)
        batch_op.create_index("ix_trainings_browse_kecamatan",
                              ["status", "kecamatan_code", "starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainings_created_by"), ["created_by"], unique=False)

    op.create_table(
        "enrollments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("status", ENROLLMENT_STATUSES), name=op.f("ck_enrollments_status")),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5",
                           name=op.f("ck_enrollments_rating")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name=op.f("fk_enrollments_member_id_members"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["training_id"], ["trainings.id"],
                                name=op.f("fk_enrollments_training_id_trainings"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
        sa.UniqueConstraint("training_id", "member_id", name="uq_enrollments_training_member"),
    )
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrollments_member_id"), ["member_id"], unique=False)
        batch_op.create_index("ix_enrollments_queue", ["training_id", "status", "queued_at"],
                              unique=False)

    op.create_table(
        "training_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", NOTICE_KINDS), name=op.f("ck_training_notices_kind")),
        sa.CheckConstraint(_in("status", ("pending", "sent", "skipped", "failed")),
                           name=op.f("ck_training_notices_status")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name=op.f("fk_training_notices_member_id_members"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["training_id"], ["trainings.id"],
                                name=op.f("fk_training_notices_training_id_trainings"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_notices")),
    )
    with op.batch_alter_table("training_notices", schema=None) as batch_op:
        batch_op.create_index("ix_training_notices_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_training_notices_member", ["training_id", "member_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("training_notices")
    op.drop_table("enrollments")
    op.drop_table("trainings")
