"""reporting: issue 9: audit log and reporting

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Tables arrive with their issue; the revision exists now so the chain stays linear."""


def downgrade() -> None:
    """Nothing to undo yet."""
