"""drop the records (dataset_id, date) index: it halved ingest speed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:47:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_dataset_date")


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.create_index("ix_records_dataset_date", ["dataset_id", "date"])
