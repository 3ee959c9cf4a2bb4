"""registration: issue 4: registration, profile and personal data

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Tables arrive with their issue; the revision exists now so the chain stays linear."""


def downgrade() -> None:
    """Nothing to undo yet."""
