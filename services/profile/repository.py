"""Profile's tables. Personal data exists here only as ciphertext, blind
indexes and the pseudonymous subject reference.

Names are in columns (not in identifiers) so the associated data of each
ciphertext can name its table and field.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from couponry_runtime.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = MetaData()


idempotency_keys = idempotency_table(Base.metadata)

PII_TABLE = "customer_pii"


class CustomerRow(Base):
    """A customer, without any personal field in clear. Survives erasure as a
    tombstone (customer id, subject reference, erase time) so the ledger's
    subject references stay meaningful and lookups answer NOT_FOUND."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_email_bidx", "email_bidx"),
        Index("ix_customers_phone_bidx", "phone_bidx"),
    )

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_ref: Mapped[str] = mapped_column(String(64), unique=True)
    external_bidx: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    email_bidx: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone_bidx: Mapped[str | None] = mapped_column(String(64), nullable=True)
    preferred_channel: Mapped[int] = mapped_column(Integer, default=0)
    language_code: Mapped[str] = mapped_column(String(35), default="")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opt_out_evidence: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    opt_out_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    gpc_signal: Mapped[bool] = mapped_column(Boolean, default=False)
    gpc_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    last_ledger_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    erase_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CustomerKeyRow(Base):
    """A customer's data key, wrapped by a key-encryption key version.
    Deleting this row is the crypto-shred."""

    __tablename__ = "customer_keys"
    __table_args__ = (Index("ix_customer_keys_kek_version", "kek_version"),)

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    wrapped_dek: Mapped[bytes] = mapped_column(LargeBinary)
    kek_version: Mapped[int] = mapped_column(Integer)
    dek_version: Mapped[int] = mapped_column(Integer, default=1)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rewrap_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CustomerPiiRow(Base):
    """The ciphertexts of one customer's personal fields (nonce || ct+tag)."""

    __tablename__ = PII_TABLE

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    external_id: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    email: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    given_name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    family_name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    birth_date: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    country_code: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    attributes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ConsentRow(Base):
    """Current consent per customer, purpose and channel (the ledger has the history)."""

    __tablename__ = "consents"

    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    purpose: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[int] = mapped_column(Integer)
    source: Mapped[int] = mapped_column(Integer)
    notice_version: Mapped[str] = mapped_column(String(64), default="")
    actor: Mapped[str] = mapped_column(String(128), default="")
    capture_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ledger_sequence: Mapped[int] = mapped_column(BigInteger)


class LedgerEntryRow(Base):
    """One append-only, hash-chained ledger entry. Never updated or deleted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_subject", "subject_ref", "sequence"),
        Index("ix_ledger_entries_time", "record_time"),
    )

    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    subject_ref: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[int] = mapped_column(Integer)
    payload_json: Mapped[str] = mapped_column(Text)
    record_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class LedgerCheckpointRow(Base):
    """A signed statement of the ledger head."""

    __tablename__ = "ledger_checkpoints"

    checkpoint_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InteractionEventRow(Base):
    """An accepted interaction event (only of customers who consented to profiling)."""

    __tablename__ = "interaction_events"
    __table_args__ = (
        Index("ix_interaction_events_customer", "customer_id"),
        Index("ix_interaction_events_occur_time", "occur_time"),
    )

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[int] = mapped_column(Integer)
    occur_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    receive_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    product_id: Mapped[str] = mapped_column(String(128), default="")
    categories: Mapped[list] = mapped_column(JSON, default=list)
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency_code: Mapped[str] = mapped_column(String(3), default="")


class DecisionRow(Base):
    """A personalization decision, for the data subject's export and for audit."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_customer", "customer_id", "decide_time"),)

    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    purpose: Mapped[int] = mapped_column(Integer)
    channel: Mapped[int] = mapped_column(Integer)
    allowed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[int] = mapped_column(Integer)
    ledger_sequence: Mapped[int] = mapped_column(BigInteger)
    decide_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A notification to a peer service, written in the same transaction as
    the change that causes it and deleted once the peer acknowledged it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "next_attempt_time"), Index("ix_outbox_subject", "subject_ref"))

    outbox_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    peer: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    subject_ref: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[str] = mapped_column(String(32), default="")
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
