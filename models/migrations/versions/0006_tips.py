"""tips: issue 7: technology tips

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The order members see; names live in the catalogs (bot/services/tips_categories.py).
CATEGORIES = [
    "kopi", "karet", "sawit", "organik", "hama", "pascapanen",
    "pemasaran", "keuangan", "kerajinan", "digital", "migran", "aksesibilitas",
]


def upgrade() -> None:
    categories = op.create_table(
        "tip_categories",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tip_categories")),
    )
    op.create_table(
        "tip_subscriptions",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category"], ["tip_categories.code"],
            name=op.f("fk_tip_subscriptions_category_tip_categories"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"],
            name=op.f("fk_tip_subscriptions_member_id_members"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "category", name=op.f("pk_tip_subscriptions")),
    )
    op.create_table(
        "tips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("photo_file_id", sa.String(length=255), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("language IN ('id', 'en')", name=op.f("ck_tips_language")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["members.id"], name=op.f("fk_tips_author_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["category"], ["tip_categories.code"], name=op.f("fk_tips_category_tip_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tips")),
        sa.UniqueConstraint("key", name=op.f("uq_tips_key")),
    )
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tips_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_tips_category_published", ["category", "published"], unique=False
        )

    op.create_table(
        "tip_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed')", name=op.f("ck_tip_sends_status")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_tip_sends_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tips.id"], name=op.f("fk_tip_sends_tip_id_tips"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_sends")),
        sa.UniqueConstraint("member_id", "period", name="uq_tip_sends_member_id_period"),
    )
    with op.batch_alter_table("tip_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_sends_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_tip_sends_tip_id"), ["tip_id"], unique=False)

    op.create_table(
        "tip_texts",
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("language IN ('id', 'en')", name=op.f("ck_tip_texts_language")),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tips.id"], name=op.f("fk_tip_texts_tip_id_tips"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tip_id", "language", name=op.f("pk_tip_texts")),
    )
    op.create_table(
        "tip_views",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.Column("first_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("rating IN (-1, 1)", name=op.f("ck_tip_views_rating")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_tip_views_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["tips.id"], name=op.f("fk_tip_views_tip_id_tips"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("member_id", "tip_id", name=op.f("pk_tip_views")),
    )
    with op.batch_alter_table("tip_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_views_tip_id"), ["tip_id"], unique=False)

    op.bulk_insert(
        categories,
        [{"code": code, "position": i} for i, code in enumerate(CATEGORIES)],
    )


def downgrade() -> None:
    with op.batch_alter_table("tip_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_views_tip_id"))
    op.drop_table("tip_views")
    op.drop_table("tip_texts")
    with op.batch_alter_table("tip_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_sends_tip_id"))
        batch_op.drop_index(batch_op.f("ix_tip_sends_status"))
    op.drop_table("tip_sends")
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.drop_index("ix_tips_category_published")
        batch_op.drop_index(batch_op.f("ix_tips_author_id"))
    op.drop_table("tips")
    op.drop_table("tip_subscriptions")
    op.drop_table("tip_categories")
