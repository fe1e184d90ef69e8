from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from couponry_services.segmentation.domain import (
    Condition,
    Event,
    EventType,
    Feature,
    Operator,
    Rule,
    compute_features,
)

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def test_rfm_counts_only_purchases_inside_each_window():
    events = [
        Event(EventType.PURCHASE, ago(days=100), ("shoes",), 9000, "EUR"),
        Event(EventType.PURCHASE, ago(days=40), ("shoes",), 3000, "EUR"),
        Event(EventType.PURCHASE, ago(days=3), ("socks",), 1000, "EUR"),
        Event(EventType.VIEW, ago(days=1), ("shoes",)),
    ]
    f = compute_features(events, NOW)
    assert (f.recency_days, f.frequency_30d, f.frequency_90d, f.monetary_90d_minor) == (3, 1, 2, 4000)
    assert f.event_count == 4
    assert f.category_affinity == {"shoes": 0.75, "socks": 0.25}


def test_cart_left_open_for_a_day_is_abandoned_and_a_purchase_closes_it():
    opened = [Event(EventType.ADD_TO_CART, ago(hours=30), amount_minor=5000)]
    assert compute_features(opened, NOW).cart_abandoned
    assert compute_features(opened, NOW).cart_value_minor == 5000
    bought = opened + [Event(EventType.PURCHASE, ago(hours=2), amount_minor=5000)]
    assert not compute_features(bought, NOW).cart_abandoned
    fresh = [Event(EventType.ADD_TO_CART, ago(hours=2), amount_minor=5000)]
    assert not compute_features(fresh, NOW).cart_abandoned


def test_no_events_means_no_recency():
    assert compute_features([], NOW).recency_days == -1


def test_rules_combine_with_all_or_any():
    f = compute_features([Event(EventType.PURCHASE, ago(days=2), ("shoes",), 2000, "EUR")], NOW)
    recent = Condition(Feature.RECENCY_DAYS, Operator.LESS_THAN_OR_EQUAL, 7)
    big = Condition(Feature.MONETARY_90D_MINOR, Operator.GREATER_THAN, 10000)
    shoes = Condition(Feature.CATEGORY_AFFINITY, Operator.GREATER_THAN_OR_EQUAL, 0.5, "Shoes")
    assert Rule((recent, shoes)).matches(f)
    assert not Rule((recent, big)).matches(f)
    assert Rule((recent, big), match_any=True).matches(f)


conditions = st.builds(
    Condition,
    st.sampled_from(list(Feature)),
    st.sampled_from(list(Operator)),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=10),
)


@given(st.lists(conditions, min_size=1, max_size=6), st.booleans())
def test_rule_survives_its_storage_encoding(conds, match_any):
    rule = Rule(tuple(conds), match_any)
    assert Rule.from_json(rule.to_json()) == rule
