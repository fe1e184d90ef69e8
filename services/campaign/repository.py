"""Campaign's tables: campaigns, the offer decision log and issued offers.

Subjects appear only as subject references; the decision log is append-only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, LargeBinary, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from couponry_runtime.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = MetaData()


idempotency_keys = idempotency_table(Base.metadata)


class CampaignRow(Base):
    __tablename__ = "campaigns"

    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    state: Mapped[int] = mapped_column(Integer, index=True)
    channels: Mapped[list] = mapped_column(JSON, default=list)
    segment_ids: Mapped[list] = mapped_column(JSON, default=list)
    start_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    end_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    holdout_percent: Mapped[int] = mapped_column(Integer, default=0)
    cap_max_offers: Mapped[int] = mapped_column(Integer, default=0)
    cap_window_hours: Mapped[int] = mapped_column(Integer, default=0)
    # Offer templates are value objects handed on to the redemption service;
    # they are kept as serialized protobuf (OfferTemplate) per arm.
    arms: Mapped[list] = mapped_column(JSON, default=list)
    promotion_ids: Mapped[dict] = mapped_column(JSON, default=dict)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OfferDecisionRow(Base):
    __tablename__ = "offer_decisions"
    __table_args__ = (Index("ix_offer_decisions_subject_time", "subject_ref", "decide_time"),)

    sequence: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(64), unique=True)
    subject_ref: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[int] = mapped_column(Integer)
    channel: Mapped[int] = mapped_column(Integer)
    decide_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The whole OfferDecision as logged; never rewritten.
    record: Mapped[bytes] = mapped_column(LargeBinary)


class IssuedOfferRow(Base):
    __tablename__ = "issued_offers"
    __table_args__ = (Index("ix_issued_offers_subject_campaign", "subject_ref", "campaign_id", "issue_time"),)

    offer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(64))
    subject_ref: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency_code: Mapped[str] = mapped_column(String(3), default="")
    voided: Mapped[bool] = mapped_column(default=False)
    issue_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
