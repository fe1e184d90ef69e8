"""Features and rules: plain Python, no gRPC, no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum


class EventType(IntEnum):
    VIEW = 1
    SEARCH = 2
    ADD_TO_CART = 3
    REMOVE_FROM_CART = 4
    CHECKOUT_STARTED = 5
    PURCHASE = 6
    COUPON_REDEEMED = 7
    LOGIN = 8


class Feature(IntEnum):
    RECENCY_DAYS = 1
    FREQUENCY_30D = 2
    FREQUENCY_90D = 3
    MONETARY_90D_MINOR = 4
    CATEGORY_AFFINITY = 5
    COUPON_REDEMPTIONS_90D = 6
    CART_VALUE_MINOR = 7
    CART_ABANDONED = 8
    EVENT_COUNT = 9


class Operator(IntEnum):
    LESS_THAN = 1
    LESS_THAN_OR_EQUAL = 2
    GREATER_THAN = 3
    GREATER_THAN_OR_EQUAL = 4
    EQUAL = 5
    NOT_EQUAL = 6


_COMPARE = {
    Operator.LESS_THAN: lambda a, b: a < b,
    Operator.LESS_THAN_OR_EQUAL: lambda a, b: a <= b,
    Operator.GREATER_THAN: lambda a, b: a > b,
    Operator.GREATER_THAN_OR_EQUAL: lambda a, b: a >= b,
    Operator.EQUAL: lambda a, b: a == b,
    Operator.NOT_EQUAL: lambda a, b: a != b,
}

CART_ABANDON_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Event:
    event_type: EventType
    occur_time: datetime
    categories: tuple[str, ...] = ()
    amount_minor: int = 0
    currency_code: str = ""


@dataclass
class Features:
    recency_days: int = -1
    frequency_30d: int = 0
    frequency_90d: int = 0
    monetary_90d_minor: int = 0
    currency_code: str = ""
    category_affinity: dict[str, float] = field(default_factory=dict)
    coupon_redemptions_90d: int = 0
    cart_value_minor: int = 0
    cart_abandoned: bool = False
    event_count: int = 0
    last_event_time: datetime | None = None

    def value(self, feature: Feature, category: str = "") -> float:
        if feature is Feature.CATEGORY_AFFINITY:
            return self.category_affinity.get(category.lower(), 0.0)
        return float({
            Feature.RECENCY_DAYS: self.recency_days,
            Feature.FREQUENCY_30D: self.frequency_30d,
            Feature.FREQUENCY_90D: self.frequency_90d,
            Feature.MONETARY_90D_MINOR: self.monetary_90d_minor,
            Feature.COUPON_REDEMPTIONS_90D: self.coupon_redemptions_90d,
            Feature.CART_VALUE_MINOR: self.cart_value_minor,
            Feature.CART_ABANDONED: int(self.cart_abandoned),
            Feature.EVENT_COUNT: self.event_count,
        }[feature])


def compute_features(events: Iterable[Event], now: datetime) -> Features:
    """RFM, category affinity, coupon habit and cart state from a subject's events."""
    ordered = sorted(events, key=lambda e: e.occur_time)
    features = Features(event_count=len(ordered))
    if not ordered:
        return features
    features.last_event_time = ordered[-1].occur_time
    categories: Counter[str] = Counter()
    cart_open_since: datetime | None = None
    for event in ordered:
        age = now - event.occur_time
        categories.update(c.lower() for c in event.categories)
        if event.event_type is EventType.PURCHASE:
            features.recency_days = max(0, age.days)
            if age <= timedelta(days=30):
                features.frequency_30d += 1
            if age <= timedelta(days=90):
                features.frequency_90d += 1
                features.monetary_90d_minor += event.amount_minor
                features.currency_code = event.currency_code or features.currency_code
            cart_open_since, features.cart_value_minor = None, 0
        elif event.event_type is EventType.COUPON_REDEEMED and age <= timedelta(days=90):
            features.coupon_redemptions_90d += 1
        elif event.event_type is EventType.ADD_TO_CART:
            cart_open_since = cart_open_since or event.occur_time
            features.cart_value_minor = event.amount_minor or features.cart_value_minor
        elif event.event_type is EventType.REMOVE_FROM_CART:
            features.cart_value_minor = event.amount_minor
            if event.amount_minor == 0:
                cart_open_since = None
        elif event.event_type is EventType.CHECKOUT_STARTED:
            cart_open_since = event.occur_time
    total = sum(categories.values())
    features.category_affinity = {c: n / total for c, n in categories.items()} if total else {}
    features.cart_abandoned = cart_open_since is not None and now - cart_open_since >= CART_ABANDON_AFTER
    return features


@dataclass(frozen=True)
class Condition:
    feature: Feature
    operator: Operator
    value: float
    category: str = ""


@dataclass(frozen=True)
class Rule:
    conditions: tuple[Condition, ...]
    match_any: bool = False

    def matches(self, features: Features) -> bool:
        results = (_COMPARE[c.operator](features.value(c.feature, c.category), c.value) for c in self.conditions)
        return any(results) if self.match_any else all(results)

    def to_json(self) -> dict:
        return {"match_any": self.match_any, "conditions": [
            {"feature": c.feature.value, "operator": c.operator.value, "value": c.value, "category": c.category}
            for c in self.conditions]}

    @classmethod
    def from_json(cls, data: dict) -> Rule:
        return cls(tuple(Condition(Feature(c["feature"]), Operator(c["operator"]), float(c["value"]), c.get("category", ""))
                         for c in data["conditions"]), bool(data.get("match_any")))
