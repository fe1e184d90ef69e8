"""Profile's first schema: customers (ciphertext only), data keys, consents,
the consent ledger and its checkpoints, interaction events, decisions, the
peer outbox and idempotency keys.

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

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("method", sa.String(128), primary_key=True),
        sa.Column("request_id", sa.String(128), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
        sa.Column("create_time", _TZ, nullable=False),
    )
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("subject_ref", sa.String(64), nullable=False, unique=True),
        sa.Column("external_bidx", sa.String(64), nullable=True, unique=True),
        sa.Column("email_bidx", sa.String(64), nullable=True),
        sa.Column("phone_bidx", sa.String(64), nullable=True),
        sa.Column("preferred_channel", sa.Integer, nullable=False),
        sa.Column("language_code", sa.String(35), nullable=False),
        sa.Column("opted_out", sa.Boolean, nullable=False),
        sa.Column("opt_out_evidence", sa.JSON, nullable=True),
        sa.Column("opt_out_sequence", sa.BigInteger, nullable=False),
        sa.Column("gpc_signal", sa.Boolean, nullable=False),
        sa.Column("gpc_sequence", sa.BigInteger, nullable=False),
        sa.Column("last_ledger_sequence", sa.BigInteger, nullable=False),
        sa.Column("create_time", _TZ, nullable=False),
        sa.Column("update_time", _TZ, nullable=False),
        sa.Column("erase_time", _TZ, nullable=True),
    )
    op.create_index("ix_customers_email_bidx", "customers", ["email_bidx"])
    op.create_index("ix_customers_phone_bidx", "customers", ["phone_bidx"])
    op.create_table(
        "customer_keys",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("wrapped_dek", sa.LargeBinary, nullable=False),
        sa.Column("kek_version", sa.Integer, nullable=False),
        sa.Column("dek_version", sa.Integer, nullable=False),
        sa.Column("create_time", _TZ, nullable=False),
        sa.Column("rewrap_time", _TZ, nullable=True),
    )
    op.create_index("ix_customer_keys_kek_version", "customer_keys", ["kek_version"])
    op.create_table(
        "customer_pii",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        *[sa.Column(name, sa.LargeBinary, nullable=True) for name in (
            "external_id", "email", "phone", "given_name", "family_name", "birth_date", "country_code",
            "attributes")],
    )
    op.create_table(
        "consents",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("purpose", sa.Integer, primary_key=True),
        sa.Column("channel", sa.Integer, primary_key=True),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("source", sa.Integer, nullable=False),
        sa.Column("notice_version", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("capture_time", _TZ, nullable=False),
        sa.Column("expire_time", _TZ, nullable=True),
        sa.Column("ledger_sequence", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("subject_ref", sa.String(64), nullable=False),
        sa.Column("kind", sa.Integer, nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("record_time", _TZ, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_ledger_entries_subject", "ledger_entries", ["subject_ref", "sequence"])
    op.create_index("ix_ledger_entries_time", "ledger_entries", ["record_time"])
    op.create_table(
        "ledger_checkpoints",
        sa.Column("checkpoint_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("create_time", _TZ, nullable=False),
    )
    op.create_table(
        "interaction_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.Integer, nullable=False),
        sa.Column("occur_time", _TZ, nullable=False),
        sa.Column("receive_time", _TZ, nullable=False),
        sa.Column("product_id", sa.String(128), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
    )
    op.create_index("ix_interaction_events_customer", "interaction_events", ["customer_id"])
    op.create_index("ix_interaction_events_occur_time", "interaction_events", ["occur_time"])
    op.create_table(
        "decisions",
        sa.Column("decision_id", sa.String(36), primary_key=True),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("purpose", sa.Integer, nullable=False),
        sa.Column("channel", sa.Integer, nullable=False),
        sa.Column("allowed", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Integer, nullable=False),
        sa.Column("ledger_sequence", sa.BigInteger, nullable=False),
        sa.Column("decide_time", _TZ, nullable=False),
    )
    op.create_index("ix_decisions_customer", "decisions", ["customer_id", "decide_time"])
    op.create_table(
        "outbox",
        sa.Column("outbox_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject_ref", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_time", _TZ, nullable=False),
        sa.Column("last_status", sa.String(32), nullable=False),
        sa.Column("create_time", _TZ, nullable=False),
    )
    op.create_index("ix_outbox_due", "outbox", ["next_attempt_time"])
    op.create_index("ix_outbox_subject", "outbox", ["subject_ref"])


def downgrade() -> None:
    for table in ("outbox", "decisions", "interaction_events", "ledger_checkpoints", "ledger_entries", "consents",
                  "customer_pii", "customer_keys", "customers", "idempotency_keys"):
        op.drop_table(table)
