from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from couponry_runtime.errors import FailedPrecondition
from couponry_services.campaign.domain import Arm, CampaignState, Targeting, bucket, check_transition, rank

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def targeting(**overrides) -> Targeting:
    values = dict(campaign_id="c1", channels=frozenset(), segment_ids=frozenset(), start_time=None, end_time=None,
                  priority=0, holdout_percent=0, cap_max_offers=0, cap_window_hours=0, arms=(Arm("default", 1),))
    values.update(overrides)
    return Targeting(**values)


def test_window_channel_and_segments_decide_eligibility():
    t = targeting(start_time=NOW, end_time=NOW + timedelta(days=1), channels=frozenset({1}), segment_ids=frozenset({"vip"}))
    assert t.live_at(NOW) and not t.live_at(NOW - timedelta(seconds=1)) and not t.live_at(NOW + timedelta(days=1))
    assert t.serves_channel(1) and not t.serves_channel(2)
    assert t.targets({"vip", "other"}) and not t.targets({"other"})
    assert targeting().targets(set()) and targeting().serves_channel(3)


def test_lifecycle_allows_only_forward_moves():
    check_transition(CampaignState.DRAFT, CampaignState.ACTIVE)
    check_transition(CampaignState.PAUSED, CampaignState.ACTIVE)
    with pytest.raises(FailedPrecondition) as caught:
        check_transition(CampaignState.ENDED, CampaignState.ACTIVE)
    assert caught.value.reason == "INVALID_CAMPAIGN_STATE"


def test_holdout_keeps_about_the_asked_share_of_subjects():
    t = targeting(holdout_percent=20)
    held = sum(t.held_out(f"subject-{i}") for i in range(5000))
    assert 850 <= held <= 1150  # 20% of 5000 with generous sampling slack


def test_variants_split_by_weight_and_stick_to_a_subject():
    t = targeting(arms=(Arm("a", 3), Arm("b", 1)))
    counts = Counter(t.choose_arm(f"s{i}").variant_id for i in range(4000))
    assert 2800 <= counts["a"] <= 3200
    assert all(t.choose_arm("same") == t.choose_arm("same") for _ in range(5))


def test_rank_puts_higher_priority_first_and_is_stable():
    ordered = rank([targeting(campaign_id="b", priority=1), targeting(campaign_id="a", priority=1),
                    targeting(campaign_id="z", priority=5)])
    assert [t.campaign_id for t in ordered] == ["z", "a", "b"]


@given(st.text(), st.text(), st.integers(min_value=1, max_value=1000))
def test_bucket_is_deterministic_and_in_range(campaign, subject, buckets):
    value = bucket(campaign, "x", subject, buckets)
    assert 0 <= value < buckets and value == bucket(campaign, "x", subject, buckets)
