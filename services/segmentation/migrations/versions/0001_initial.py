"""Segmentation's first schema: subject events, segments, idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from couponry_runtime import idempotency

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(idempotency.TABLE_NAME, *idempotency.idempotency_columns())
    op.create_table(
        "subject_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("subject_ref", sa.String(64), nullable=False),
        sa.Column("event_type", sa.Integer, nullable=False),
        sa.Column("occur_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("product_id", sa.String(128), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
    )
    op.create_index("ix_subject_events_subject_time", "subject_events", ["subject_ref", "occur_time"])
    op.create_table(
        "segments",
        sa.Column("segment_id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False, unique=True),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("rule", sa.JSON, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("segments")
    op.drop_index("ix_subject_events_subject_time", "subject_events")
    op.drop_table("subject_events")
    op.drop_table(idempotency.TABLE_NAME)
