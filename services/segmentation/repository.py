"""Segmentation's tables. Subjects appear only as subject references."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from couponry_runtime.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = MetaData()


idempotency_keys = idempotency_table(Base.metadata)


class SubjectEventRow(Base):
    __tablename__ = "subject_events"
    __table_args__ = (Index("ix_subject_events_subject_time", "subject_ref", "occur_time"),)

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    subject_ref: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[int]
    occur_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    product_id: Mapped[str] = mapped_column(String(128), default="")
    categories: Mapped[list] = mapped_column(JSON, default=list)
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency_code: Mapped[str] = mapped_column(String(3), default="")


class SegmentRow(Base):
    __tablename__ = "segments"

    segment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(String(2000), default="")
    rule: Mapped[dict] = mapped_column(JSON)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
