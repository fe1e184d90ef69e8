"""Redemption's first schema: promotions, codes, counters, reservations,
redemptions, the attempt log, rate counters and idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("method", sa.String(128), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method", "request_id"),
    )
    op.create_table(
        "promotions",
        sa.Column("promotion_id", sa.String(40), primary_key=True, nullable=False),
        sa.Column("campaign_id", sa.String(128), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("discount_type", sa.Integer, nullable=False),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("percent_cap_minor", sa.BigInteger),
        sa.Column("amount_minor", sa.BigInteger),
        sa.Column("gift_sku", sa.String(128), nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("minimum_order_minor", sa.BigInteger),
        sa.Column("scope", sa.JSON, nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True)),
        sa.Column("per_code_limit", sa.Integer, nullable=False),
        sa.Column("per_customer_limit", sa.Integer, nullable=False),
        sa.Column("total_redemption_limit", sa.BigInteger, nullable=False),
        sa.Column("budget_minor", sa.BigInteger),
        sa.Column("code_type", sa.Integer, nullable=False),
        sa.Column("code_prefix", sa.String(32), nullable=False),
        sa.Column("code_postfix", sa.String(32), nullable=False),
        sa.Column("code_pattern", sa.String(64), nullable=False),
        sa.Column("code_length", sa.Integer, nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("redemption_count", sa.BigInteger, nullable=False),
        sa.Column("discount_spent_minor", sa.BigInteger, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_promotions_campaign", "promotions", ["campaign_id"])
    op.create_table(
        "codes",
        sa.Column("code", sa.String(80), primary_key=True, nullable=False),
        sa.Column("display", sa.String(128), nullable=False),
        sa.Column("promotion_id", sa.String(40), nullable=False),
        sa.Column("subject_ref", sa.String(128)),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("use_limit", sa.Integer),
        sa.Column("uses_remaining", sa.Integer),
        sa.Column("expire_time", sa.DateTime(timezone=True)),
        sa.Column("publish_time", sa.DateTime(timezone=True)),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_codes_expire", "codes", ["expire_time"])
    op.create_index("ix_codes_promotion_subject", "codes", ["promotion_id", "subject_ref"])
    op.create_index("ix_codes_subject", "codes", ["subject_ref"])
    op.create_table(
        "customer_counters",
        sa.Column("promotion_id", sa.String(40), nullable=False),
        sa.Column("subject_ref", sa.String(128), nullable=False),
        sa.Column("redemption_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("promotion_id", "subject_ref"),
    )
    op.create_table(
        "reservations",
        sa.Column("reservation_id", sa.String(40), primary_key=True, nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("promotion_id", sa.String(40), nullable=False),
        sa.Column("subject_ref", sa.String(128), nullable=False),
        sa.Column("order_id", sa.String(128), nullable=False),
        sa.Column("order_total_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("discount_minor", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redemption_id", sa.String(40)),
        sa.Column("issue_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reservations_state_expire", "reservations", ["state", "expire_time"])
    op.create_table(
        "redemptions",
        sa.Column("redemption_id", sa.String(40), primary_key=True, nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("promotion_id", sa.String(40), nullable=False),
        sa.Column("campaign_id", sa.String(128), nullable=False),
        sa.Column("subject_ref", sa.String(128), nullable=False),
        sa.Column("order_id", sa.String(128), nullable=False),
        sa.Column("order_total_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("discount_minor", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("redeem_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rollback_time", sa.DateTime(timezone=True)),
        sa.Column("rollback_reason", sa.String(200), nullable=False),
        sa.Column("issue_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reservation_id", sa.String(40), unique=True),
    )
    op.create_index("ix_redemptions_promotion_time", "redemptions", ["promotion_id", "redeem_time"])
    op.create_index("ix_redemptions_subject", "redemptions", ["subject_ref"])
    op.create_table(
        "attempts",
        sa.Column("attempt_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("attempt_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("promotion_id", sa.String(40)),
        sa.Column("campaign_id", sa.String(128), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("subject_ref", sa.String(128), nullable=False),
        sa.Column("order_id", sa.String(128), nullable=False),
        sa.Column("order_total_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("discount_minor", sa.BigInteger, nullable=False),
        sa.Column("delta_count", sa.Integer, nullable=False),
        sa.Column("delta_discount_minor", sa.BigInteger, nullable=False),
        sa.Column("reference_id", sa.String(40), nullable=False),
    )
    op.create_index("ix_attempts_campaign_time", "attempts", ["campaign_id", "attempt_time"])
    op.create_index("ix_attempts_promotion_time", "attempts", ["promotion_id", "attempt_time"])
    op.create_table(
        "rate_counters",
        sa.Column("counter_key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("counter_key", "window_start"),
    )


def downgrade() -> None:
    op.drop_table("rate_counters")
    op.drop_table("attempts")
    op.drop_table("redemptions")
    op.drop_table("reservations")
    op.drop_table("customer_counters")
    op.drop_table("codes")
    op.drop_table("promotions")
    op.drop_table("idempotency_keys")
