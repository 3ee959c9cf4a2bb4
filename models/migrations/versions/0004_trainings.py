"""trainings: issue 5: trainings, enrollments, reminders, attendance, feedback

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Tables arrive with their issue; the revision exists now so the chain stays linear."""


def downgrade() -> None:
    """Nothing to undo yet."""
