"""Redemption's tables. Subjects appear only as subject references.

Counters that enforce limits live on `promotions` (total redemptions and
discount spent), `customer_counters` (per promotion and subject ref) and
`codes` (uses remaining). `attempts` is the append-only log every counter can
be recomputed from: each row carries the change it made to the counters.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table
from sqlalchemy.orm import DeclarativeBase

from couponry_runtime.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = MetaData()


idempotency_keys = idempotency_table(Base.metadata)

_ts = DateTime(timezone=True)
# SQLite only auto-increments an INTEGER PRIMARY KEY.
_serial = BigInteger().with_variant(Integer, "sqlite")

promotions = Table(
    "promotions", Base.metadata,
    Column("promotion_id", String(40), primary_key=True),
    Column("campaign_id", String(128), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("discount_type", Integer, nullable=False),
    Column("percent", Integer, nullable=False),
    Column("percent_cap_minor", BigInteger),
    Column("amount_minor", BigInteger),
    Column("gift_sku", String(128), nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("minimum_order_minor", BigInteger),
    Column("scope", JSON, nullable=False),
    Column("start_time", _ts, nullable=False),
    Column("end_time", _ts),
    Column("per_code_limit", Integer, nullable=False),
    Column("per_customer_limit", Integer, nullable=False),
    Column("total_redemption_limit", BigInteger, nullable=False),
    Column("budget_minor", BigInteger),
    Column("code_type", Integer, nullable=False),
    Column("code_prefix", String(32), nullable=False),
    Column("code_postfix", String(32), nullable=False),
    Column("code_pattern", String(64), nullable=False),
    Column("code_length", Integer, nullable=False),
    Column("state", Integer, nullable=False),
    Column("redemption_count", BigInteger, nullable=False),
    Column("discount_spent_minor", BigInteger, nullable=False),
    Column("create_time", _ts, nullable=False),
    Column("update_time", _ts, nullable=False),
    Index("ix_promotions_campaign", "campaign_id"),
)

codes = Table(
    "codes", Base.metadata,
    Column("code", String(80), primary_key=True),  # normalized key
    Column("display", String(128), nullable=False),
    Column("promotion_id", String(40), nullable=False),
    Column("subject_ref", String(128)),
    Column("state", Integer, nullable=False),
    Column("use_limit", Integer),  # NULL: unlimited (shared codes)
    Column("uses_remaining", Integer),
    Column("expire_time", _ts),
    Column("publish_time", _ts),
    Column("create_time", _ts, nullable=False),
    Index("ix_codes_promotion_subject", "promotion_id", "subject_ref"),
    Index("ix_codes_subject", "subject_ref"),
    Index("ix_codes_expire", "expire_time"),
)

customer_counters = Table(
    "customer_counters", Base.metadata,
    Column("promotion_id", String(40), nullable=False),
    Column("subject_ref", String(128), nullable=False),
    Column("redemption_count", Integer, nullable=False),
    PrimaryKeyConstraint("promotion_id", "subject_ref"),
)

reservations = Table(
    "reservations", Base.metadata,
    Column("reservation_id", String(40), primary_key=True),
    Column("code", String(80), nullable=False),
    Column("promotion_id", String(40), nullable=False),
    Column("subject_ref", String(128), nullable=False),
    Column("order_id", String(128), nullable=False),
    Column("order_total_minor", BigInteger, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("discount_minor", BigInteger, nullable=False),
    Column("state", Integer, nullable=False),
    Column("expire_time", _ts, nullable=False),
    Column("redemption_id", String(40)),
    Column("issue_time", _ts, nullable=False),  # when the code was published (or minted)
    Column("create_time", _ts, nullable=False),
    Index("ix_reservations_state_expire", "state", "expire_time"),
)

redemptions = Table(
    "redemptions", Base.metadata,
    Column("redemption_id", String(40), primary_key=True),
    Column("code", String(80), nullable=False),
    Column("promotion_id", String(40), nullable=False),
    Column("campaign_id", String(128), nullable=False),
    Column("subject_ref", String(128), nullable=False),
    Column("order_id", String(128), nullable=False),
    Column("order_total_minor", BigInteger, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("discount_minor", BigInteger, nullable=False),
    Column("state", Integer, nullable=False),
    Column("redeem_time", _ts, nullable=False),
    Column("rollback_time", _ts),
    Column("rollback_reason", String(200), nullable=False),
    Column("issue_time", _ts, nullable=False),
    Column("reservation_id", String(40), unique=True),
    Index("ix_redemptions_promotion_time", "promotion_id", "redeem_time"),
    Index("ix_redemptions_subject", "subject_ref"),
)

# The append-only attempt log. delta_count / delta_discount_minor are the
# change the attempt made to its promotion's counters (0 for failures).
attempts = Table(
    "attempts", Base.metadata,
    Column("attempt_id", _serial, primary_key=True, autoincrement=True),
    Column("attempt_time", _ts, nullable=False),
    Column("action", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("promotion_id", String(40)),
    Column("campaign_id", String(128), nullable=False),
    Column("code", String(80), nullable=False),
    Column("subject_ref", String(128), nullable=False),
    Column("order_id", String(128), nullable=False),
    Column("order_total_minor", BigInteger, nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("discount_minor", BigInteger, nullable=False),
    Column("delta_count", Integer, nullable=False),
    Column("delta_discount_minor", BigInteger, nullable=False),
    Column("reference_id", String(40), nullable=False),
    Index("ix_attempts_promotion_time", "promotion_id", "attempt_time"),
    Index("ix_attempts_campaign_time", "campaign_id", "attempt_time"),
)

# Fixed-window counters for velocity limits and guessing lock-outs, shared by
# every replica through the database.
rate_counters = Table(
    "rate_counters", Base.metadata,
    Column("counter_key", String(200), nullable=False),
    Column("window_start", BigInteger, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("counter_key", "window_start"),
)
