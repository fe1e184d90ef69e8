"""Campaign's first schema: campaigns, offer decision log, issued offers, idempotency keys.

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
        "campaigns",
        sa.Column("campaign_id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("state", sa.Integer, nullable=False, index=True),
        sa.Column("channels", sa.JSON, nullable=False),
        sa.Column("segment_ids", sa.JSON, nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True)),
        sa.Column("end_time", sa.DateTime(timezone=True)),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("holdout_percent", sa.Integer, nullable=False),
        sa.Column("cap_max_offers", sa.Integer, nullable=False),
        sa.Column("cap_window_hours", sa.Integer, nullable=False),
        sa.Column("arms", sa.JSON, nullable=False),
        sa.Column("promotion_ids", sa.JSON, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "offer_decisions",
        sa.Column("sequence", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.String(64), nullable=False, unique=True),
        sa.Column("subject_ref", sa.String(64), nullable=False),
        sa.Column("outcome", sa.Integer, nullable=False),
        sa.Column("channel", sa.Integer, nullable=False),
        sa.Column("decide_time", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("record", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_offer_decisions_subject_time", "offer_decisions", ["subject_ref", "decide_time"])
    op.create_table(
        "issued_offers",
        sa.Column("offer_id", sa.String(64), primary_key=True),
        sa.Column("decision_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("subject_ref", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("issue_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_issued_offers_subject_campaign", "issued_offers", ["subject_ref", "campaign_id", "issue_time"])


def downgrade() -> None:
    op.drop_table("issued_offers")
    op.drop_table("offer_decisions")
    op.drop_table("campaigns")
    op.drop_table(idempotency.TABLE_NAME)
