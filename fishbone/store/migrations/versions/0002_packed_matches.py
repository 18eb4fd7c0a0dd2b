"""matches packed into match_runs (one row per diagram and dataset)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stored matches are a cache: dropping them only means matching runs once more.
    op.execute("DELETE FROM match_runs")
    with op.batch_alter_table("match_runs") as batch:
        batch.add_column(sa.Column("cause_ids", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("record_pks", sa.LargeBinary(), nullable=False, server_default=sa.text("''")))
        batch.add_column(sa.Column("cause_index", sa.LargeBinary(), nullable=False, server_default=sa.text("''")))
    with op.batch_alter_table("matches") as batch:
        batch.drop_index("ix_matches_run")
    op.drop_table("matches")


def downgrade() -> None:
    op.create_table(
        "matches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("diagram_id", sa.String(length=200), nullable=False),
        sa.Column("dataset_id", sa.String(length=200), nullable=False),
        sa.Column("record_pk", sa.BigInteger(), nullable=False),
        sa.Column("cause_id", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_matches_run", "matches", ["diagram_id", "dataset_id"])
    op.execute("DELETE FROM match_runs")
    with op.batch_alter_table("match_runs") as batch:
        batch.drop_column("cause_index")
        batch.drop_column("record_pks")
        batch.drop_column("cause_ids")
