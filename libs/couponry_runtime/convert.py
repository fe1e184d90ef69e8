"""Small protobuf <-> Python conversions used by every servicer."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Datetimes read back from SQLite are naive; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    # Timestamp.FromDatetime's arithmetic, without its pure-Python detours:
    # responses on the checkout path carry several of these.
    since = as_utc(value) - _EPOCH
    return Timestamp(seconds=since.days * 86_400 + since.seconds, nanos=since.microseconds * 1000)


def from_timestamp(stamp: Timestamp, has: bool = True) -> datetime | None:
    if not has or (stamp.seconds == 0 and stamp.nanos == 0):
        return None
    return stamp.ToDatetime(tzinfo=UTC)
