"""Segmentation use cases: each runs in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from couponry_runtime.convert import as_utc, utcnow
from couponry_runtime.errors import AlreadyExists, NotFound

from .domain import Event, EventType, Features, Rule, compute_features
from .repository import SegmentRow, SubjectEventRow


@dataclass(frozen=True)
class NewEvent:
    event_id: str
    subject_ref: str
    event_type: EventType
    occur_time: datetime
    product_id: str
    categories: tuple[str, ...]
    amount_minor: int
    currency_code: str


def record_events(session: Session, events: list[NewEvent]) -> tuple[int, int]:
    """Stores events not seen before; returns (recorded, duplicates)."""
    ids = {e.event_id for e in events}
    known = set(session.scalars(select(SubjectEventRow.event_id).where(SubjectEventRow.event_id.in_(ids))))
    recorded = 0
    for event in events:
        if event.event_id in known:
            continue
        known.add(event.event_id)
        session.add(SubjectEventRow(
            event_id=event.event_id, subject_ref=event.subject_ref, event_type=int(event.event_type),
            occur_time=event.occur_time, product_id=event.product_id, categories=list(event.categories),
            amount_minor=event.amount_minor, currency_code=event.currency_code))
        recorded += 1
    return recorded, len(events) - recorded


def subject_features(session: Session, subject_ref: str, now: datetime | None = None) -> Features:
    rows = session.scalars(select(SubjectEventRow).where(SubjectEventRow.subject_ref == subject_ref))
    events = [Event(EventType(r.event_type), as_utc(r.occur_time), tuple(r.categories or ()), r.amount_minor, r.currency_code)
              for r in rows]
    return compute_features(events, now or utcnow())


def forget_subject(session: Session, subject_ref: str) -> int:
    result = session.execute(delete(SubjectEventRow).where(SubjectEventRow.subject_ref == subject_ref))
    return result.rowcount or 0


def memberships(session: Session, subject_ref: str) -> list[SegmentRow]:
    features = subject_features(session, subject_ref)
    if features.event_count == 0:
        return []
    segments = session.scalars(select(SegmentRow).order_by(SegmentRow.create_time))
    return [s for s in segments if Rule.from_json(s.rule).matches(features)]


def preview(session: Session, rule: Rule, sample_size: int) -> tuple[int, int, list[str]]:
    subjects = list(session.scalars(select(SubjectEventRow.subject_ref).distinct()))
    now = utcnow()
    matching = [s for s in subjects if rule.matches(subject_features(session, s, now))]
    return len(matching), len(subjects), sorted(matching)[:sample_size]


def member_count(session: Session, segment: SegmentRow) -> int:
    return preview(session, Rule.from_json(segment.rule), 0)[0]


def create_segment(session: Session, display_name: str, description: str, rule: Rule) -> SegmentRow:
    now = utcnow()
    row = SegmentRow(segment_id=str(uuid.uuid4()), display_name=display_name, description=description,
                     rule=rule.to_json(), create_time=now, update_time=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise AlreadyExists("SEGMENT_NAME_TAKEN", "a segment with this display_name exists") from None
    return row


def get_segment(session: Session, segment_id: str) -> SegmentRow:
    row = session.get(SegmentRow, segment_id)
    if row is None:
        raise NotFound("SEGMENT_NOT_FOUND", "no such segment", metadata={"segment_id": segment_id})
    return row


def update_segment(session: Session, segment_id: str, changes: dict) -> SegmentRow:
    row = get_segment(session, segment_id)
    for name, value in changes.items():
        setattr(row, name, value.to_json() if isinstance(value, Rule) else value)
    row.update_time = utcnow()
    try:
        session.flush()
    except IntegrityError:
        raise AlreadyExists("SEGMENT_NAME_TAKEN", "a segment with this display_name exists") from None
    return row


def delete_segment(session: Session, segment_id: str) -> None:
    session.delete(get_segment(session, segment_id))


def list_segments(session: Session, after: str | None, limit: int) -> list[SegmentRow]:
    query = select(SegmentRow).order_by(SegmentRow.create_time, SegmentRow.segment_id)
    rows = list(session.scalars(query))
    if after:
        ids = [r.segment_id for r in rows]
        rows = rows[ids.index(after) + 1:] if after in ids else []
    return rows[: limit + 1]


def count_subjects(session: Session) -> int:
    return session.scalar(select(func.count(func.distinct(SubjectEventRow.subject_ref)))) or 0
