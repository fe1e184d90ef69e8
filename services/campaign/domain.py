"""Campaign targeting rules: plain Python, no gRPC, no database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from couponry_runtime.errors import FailedPrecondition


class CampaignState(IntEnum):
    DRAFT = 1
    ACTIVE = 2
    PAUSED = 3
    ENDED = 4


# Which lifecycle moves are allowed; anything else is FAILED_PRECONDITION.
_TRANSITIONS = {
    CampaignState.DRAFT: {CampaignState.ACTIVE, CampaignState.ENDED},
    CampaignState.ACTIVE: {CampaignState.PAUSED, CampaignState.ENDED},
    CampaignState.PAUSED: {CampaignState.ACTIVE, CampaignState.ENDED},
    CampaignState.ENDED: set(),
}


def check_transition(current: CampaignState, target: CampaignState) -> None:
    if target not in _TRANSITIONS[current]:
        raise FailedPrecondition("INVALID_CAMPAIGN_STATE",
                                 f"a {current.name.lower()} campaign cannot become {target.name.lower()}",
                                 metadata={"state": current.name, "target": target.name})


@dataclass(frozen=True)
class Arm:
    """One A/B arm: its id, its weight and its promotion."""

    variant_id: str
    weight: int


@dataclass(frozen=True)
class Targeting:
    """What decides whether a campaign makes an offer to a subject now."""

    campaign_id: str
    channels: frozenset[int]
    segment_ids: frozenset[str]
    start_time: datetime | None
    end_time: datetime | None
    priority: int
    holdout_percent: int
    cap_max_offers: int
    cap_window_hours: int
    arms: tuple[Arm, ...]

    def live_at(self, now: datetime) -> bool:
        return (self.start_time is None or self.start_time <= now) and (self.end_time is None or now < self.end_time)

    def serves_channel(self, channel: int) -> bool:
        return not self.channels or channel in self.channels

    def targets(self, memberships: set[str]) -> bool:
        return not self.segment_ids or bool(self.segment_ids & memberships)

    def held_out(self, subject_ref: str) -> bool:
        return self.holdout_percent > 0 and bucket(self.campaign_id, "holdout", subject_ref) < self.holdout_percent

    def cap_window_start(self, now: datetime) -> datetime | None:
        if self.cap_max_offers <= 0 or self.cap_window_hours <= 0:
            return None
        return now - timedelta(hours=self.cap_window_hours)

    def choose_arm(self, subject_ref: str) -> Arm:
        """The same subject always lands in the same arm (stable assignment)."""
        total = sum(a.weight for a in self.arms)
        point = bucket(self.campaign_id, "variant", subject_ref, total)
        for arm in self.arms:
            if point < arm.weight:
                return arm
            point -= arm.weight
        return self.arms[-1]


def bucket(campaign_id: str, salt: str, subject_ref: str, buckets: int = 100) -> int:
    """A uniform, deterministic bucket in [0, buckets) for a subject in a campaign."""
    digest = hashlib.sha256(f"{campaign_id}|{salt}|{subject_ref}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % max(buckets, 1)


def rank(campaigns: list[Targeting]) -> list[Targeting]:
    """Highest priority first; ties broken by id so that ranking is stable."""
    return sorted(campaigns, key=lambda c: (-c.priority, c.campaign_id))
