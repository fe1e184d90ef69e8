"""Campaign protobuf <-> rows and targeting, and request validation."""

from __future__ import annotations

import base64
import uuid

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry.redemption.v1 import promotion_pb2
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import as_utc, from_timestamp, to_timestamp, utcnow
from couponry_runtime.validation import Violations

from .domain import Arm, Targeting
from .repository import CampaignRow

DEFAULT_ARM = "default"
DEFAULT_CODE_VALIDITY_HOURS = 168


def validate_offer(offer: pb.OfferTemplate, field: str, v: Violations) -> None:
    d = offer.discount
    if not v.enum(money_pb2.DiscountType, d.type, f"{field}.discount.type"):
        return
    currency = offer.currency_code
    v.currency(currency, f"{field}.currency_code")
    if d.type == money_pb2.DISCOUNT_TYPE_PERCENT:
        v.check(1 <= d.percent <= 100, f"{field}.discount.percent", "must be between 1 and 100")
        v.money(d.percent_cap if d.HasField("percent_cap") else None, f"{field}.discount.percent_cap", currency=currency)
    elif d.type == money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT:
        if v.money(d.amount if d.HasField("amount") else None, f"{field}.discount.amount", required=True, currency=currency):
            v.check(d.amount.amount_minor > 0, f"{field}.discount.amount.amount_minor", "must be positive")
    elif d.type == money_pb2.DISCOUNT_TYPE_GIFT_ITEM:
        v.required(d.gift_sku, f"{field}.discount.gift_sku")
    v.money(offer.minimum_order if offer.HasField("minimum_order") else None, f"{field}.minimum_order", currency=currency)
    v.money(offer.budget if offer.HasField("budget") else None, f"{field}.budget", currency=currency)
    v.check(offer.code_validity_hours >= 0, f"{field}.code_validity_hours", "must not be negative")
    v.check(offer.per_customer_limit >= 0, f"{field}.per_customer_limit", "must not be negative")
    v.check(offer.total_redemption_limit >= 0, f"{field}.total_redemption_limit", "must not be negative")
    v.check(len(offer.code_prefix) <= 16 and all(ch.isalnum() or ch in "-_" for ch in offer.code_prefix),
            f"{field}.code_prefix", "at most 16 letters, digits, '-' or '_'")


def validate_campaign(c: pb.Campaign, v: Violations, field: str = "campaign") -> None:
    v.required(c.display_name.strip(), f"{field}.display_name")
    v.check(len(c.display_name) <= 200, f"{field}.display_name", "at most 200 characters")
    for i, channel in enumerate(c.channels):
        v.enum(money_pb2.Channel, channel, f"{field}.channels[{i}]")
    v.check(0 <= c.holdout_percent <= 100, f"{field}.holdout_percent", "must be between 0 and 100")
    v.check(c.frequency_cap.max_offers >= 0 and c.frequency_cap.window_hours >= 0, f"{field}.frequency_cap",
            "must not be negative")
    if c.frequency_cap.max_offers > 0:
        v.check(c.frequency_cap.window_hours > 0, f"{field}.frequency_cap.window_hours", "is required with max_offers")
    if c.HasField("start_time") and c.HasField("end_time"):
        v.check(c.end_time.ToDatetime() > c.start_time.ToDatetime(), f"{field}.end_time", "must be after start_time")
    if c.variants:
        ids = [variant.variant_id for variant in c.variants]
        v.check(len(set(ids)) == len(ids), f"{field}.variants", "variant ids must be unique")
        for i, variant in enumerate(c.variants):
            v.required(variant.variant_id, f"{field}.variants[{i}].variant_id")
            v.check(variant.weight > 0, f"{field}.variants[{i}].weight", "must be positive")
            validate_offer(variant.offer, f"{field}.variants[{i}].offer", v)
    elif v.check(c.HasField("offer"), f"{field}.offer", "is required when there are no variants", "MISSING_FIELD"):
        validate_offer(c.offer, f"{field}.offer", v)


def _arms(c: pb.Campaign) -> list[dict]:
    arms = [(variant.variant_id, variant.weight, variant.offer) for variant in c.variants] or [(DEFAULT_ARM, 1, c.offer)]
    return [{"variant_id": vid, "weight": weight, "offer": base64.b64encode(offer.SerializeToString()).decode()}
            for vid, weight, offer in arms]


def apply_to_row(row: CampaignRow, c: pb.Campaign, paths: set[str] | None = None) -> None:
    """Copies the campaign's fields (all, or only those in `paths`) onto the row."""
    def wanted(name: str) -> bool:
        return paths is None or name in paths

    if wanted("display_name"):
        row.display_name = c.display_name.strip()
    if wanted("description"):
        row.description = c.description
    if wanted("channels"):
        row.channels = sorted(set(c.channels))
    if wanted("segment_ids"):
        row.segment_ids = sorted(set(c.segment_ids))
    if wanted("start_time"):
        row.start_time = from_timestamp(c.start_time, c.HasField("start_time"))
    if wanted("end_time"):
        row.end_time = from_timestamp(c.end_time, c.HasField("end_time"))
    if wanted("priority"):
        row.priority = c.priority
    if wanted("holdout_percent"):
        row.holdout_percent = c.holdout_percent
    if wanted("frequency_cap"):
        row.cap_max_offers, row.cap_window_hours = c.frequency_cap.max_offers, c.frequency_cap.window_hours
    if wanted("offer") or wanted("variants"):
        row.arms = _arms(c)


def new_row(c: pb.Campaign, state: int) -> CampaignRow:
    now = utcnow()
    row = CampaignRow(campaign_id=str(uuid.uuid4()), state=state, promotion_ids={}, create_time=now, update_time=now)
    apply_to_row(row, c)
    return row


def arm_offer(arm: dict) -> pb.OfferTemplate:
    offer = pb.OfferTemplate()
    offer.ParseFromString(base64.b64decode(arm["offer"]))
    return offer


def to_proto(row: CampaignRow) -> pb.Campaign:
    arms = row.arms or []
    campaign = pb.Campaign(
        campaign_id=row.campaign_id, display_name=row.display_name, description=row.description, state=row.state,
        channels=row.channels, segment_ids=row.segment_ids, start_time=to_timestamp(row.start_time),
        end_time=to_timestamp(row.end_time), priority=row.priority,
        frequency_cap=pb.FrequencyCap(max_offers=row.cap_max_offers, window_hours=row.cap_window_hours),
        holdout_percent=row.holdout_percent, promotion_id=(row.promotion_ids or {}).get(arms[0]["variant_id"], "") if arms else "",
        create_time=to_timestamp(row.create_time), update_time=to_timestamp(row.update_time))
    if len(arms) == 1 and arms[0]["variant_id"] == DEFAULT_ARM:
        campaign.offer.CopyFrom(arm_offer(arms[0]))
    else:
        campaign.variants.extend(pb.Variant(variant_id=a["variant_id"], weight=a["weight"], offer=arm_offer(a)) for a in arms)
    return campaign


def targeting(row: CampaignRow) -> Targeting:
    return Targeting(
        campaign_id=row.campaign_id, channels=frozenset(row.channels), segment_ids=frozenset(row.segment_ids),
        start_time=as_utc(row.start_time) if row.start_time else None,
        end_time=as_utc(row.end_time) if row.end_time else None, priority=row.priority,
        holdout_percent=row.holdout_percent, cap_max_offers=row.cap_max_offers, cap_window_hours=row.cap_window_hours,
        arms=tuple(Arm(a["variant_id"], a["weight"]) for a in row.arms))


def promotion_for(row: CampaignRow, arm: dict) -> promotion_pb2.Promotion:
    """The redemption promotion that carries one arm's offer terms and limits."""
    offer = arm_offer(arm)
    scope = offer.scope
    promotion = promotion_pb2.Promotion(
        campaign_id=row.campaign_id, display_name=f"{row.display_name} [{arm['variant_id']}]",
        discount=offer.discount, currency_code=offer.currency_code,
        scope=promotion_pb2.ProductScope(include_skus=scope.include_skus, exclude_skus=scope.exclude_skus,
                                         include_categories=scope.include_categories,
                                         exclude_categories=scope.exclude_categories),
        start_time=to_timestamp(row.start_time), end_time=to_timestamp(row.end_time), per_code_limit=1,
        per_customer_limit=offer.per_customer_limit, total_redemption_limit=offer.total_redemption_limit,
        code_type=promotion_pb2.CODE_TYPE_PERSONAL, code_pattern=promotion_pb2.CodePattern(prefix=offer.code_prefix))
    if offer.HasField("minimum_order"):
        promotion.minimum_order.CopyFrom(offer.minimum_order)
    if offer.HasField("budget"):
        promotion.budget.CopyFrom(offer.budget)
    return promotion
