import datetime

from couponry.type.v1 import money_pb2 as _money_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CampaignState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMPAIGN_STATE_UNSPECIFIED: _ClassVar[CampaignState]
    CAMPAIGN_STATE_DRAFT: _ClassVar[CampaignState]
    CAMPAIGN_STATE_ACTIVE: _ClassVar[CampaignState]
    CAMPAIGN_STATE_PAUSED: _ClassVar[CampaignState]
    CAMPAIGN_STATE_ENDED: _ClassVar[CampaignState]

class DecisionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_OUTCOME_UNSPECIFIED: _ClassVar[DecisionOutcome]
    DECISION_OUTCOME_OFFERED: _ClassVar[DecisionOutcome]
    DECISION_OUTCOME_NO_OFFER: _ClassVar[DecisionOutcome]

class NoOfferReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NO_OFFER_REASON_UNSPECIFIED: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_CONSENT_DENIED: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_CONSENT_UNAVAILABLE: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_NO_ELIGIBLE_CAMPAIGN: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_FREQUENCY_CAPPED: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_BUDGET_EXHAUSTED: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_HOLDOUT: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_CODE_ISSUE_FAILED: _ClassVar[NoOfferReason]
    NO_OFFER_REASON_SEGMENTS_UNAVAILABLE: _ClassVar[NoOfferReason]
CAMPAIGN_STATE_UNSPECIFIED: CampaignState
CAMPAIGN_STATE_DRAFT: CampaignState
CAMPAIGN_STATE_ACTIVE: CampaignState
CAMPAIGN_STATE_PAUSED: CampaignState
CAMPAIGN_STATE_ENDED: CampaignState
DECISION_OUTCOME_UNSPECIFIED: DecisionOutcome
DECISION_OUTCOME_OFFERED: DecisionOutcome
DECISION_OUTCOME_NO_OFFER: DecisionOutcome
NO_OFFER_REASON_UNSPECIFIED: NoOfferReason
NO_OFFER_REASON_CONSENT_DENIED: NoOfferReason
NO_OFFER_REASON_CONSENT_UNAVAILABLE: NoOfferReason
NO_OFFER_REASON_NO_ELIGIBLE_CAMPAIGN: NoOfferReason
NO_OFFER_REASON_FREQUENCY_CAPPED: NoOfferReason
NO_OFFER_REASON_BUDGET_EXHAUSTED: NoOfferReason
NO_OFFER_REASON_HOLDOUT: NoOfferReason
NO_OFFER_REASON_CODE_ISSUE_FAILED: NoOfferReason
NO_OFFER_REASON_SEGMENTS_UNAVAILABLE: NoOfferReason

class ProductScope(_message.Message):
    __slots__ = ("include_skus", "exclude_skus", "include_categories", "exclude_categories")
    INCLUDE_SKUS_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_SKUS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    include_skus: _containers.RepeatedScalarFieldContainer[str]
    exclude_skus: _containers.RepeatedScalarFieldContainer[str]
    include_categories: _containers.RepeatedScalarFieldContainer[str]
    exclude_categories: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, include_skus: _Optional[_Iterable[str]] = ..., exclude_skus: _Optional[_Iterable[str]] = ..., include_categories: _Optional[_Iterable[str]] = ..., exclude_categories: _Optional[_Iterable[str]] = ...) -> None: ...

class OfferTemplate(_message.Message):
    __slots__ = ("discount", "minimum_order", "scope", "code_validity_hours", "per_customer_limit", "total_redemption_limit", "budget", "code_prefix", "currency_code")
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_ORDER_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    CODE_VALIDITY_HOURS_FIELD_NUMBER: _ClassVar[int]
    PER_CUSTOMER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REDEMPTION_LIMIT_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    CODE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    discount: _money_pb2.Discount
    minimum_order: _money_pb2.Money
    scope: ProductScope
    code_validity_hours: int
    per_customer_limit: int
    total_redemption_limit: int
    budget: _money_pb2.Money
    code_prefix: str
    currency_code: str
    def __init__(self, discount: _Optional[_Union[_money_pb2.Discount, _Mapping]] = ..., minimum_order: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., scope: _Optional[_Union[ProductScope, _Mapping]] = ..., code_validity_hours: _Optional[int] = ..., per_customer_limit: _Optional[int] = ..., total_redemption_limit: _Optional[int] = ..., budget: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., code_prefix: _Optional[str] = ..., currency_code: _Optional[str] = ...) -> None: ...

class FrequencyCap(_message.Message):
    __slots__ = ("max_offers", "window_hours")
    MAX_OFFERS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_HOURS_FIELD_NUMBER: _ClassVar[int]
    max_offers: int
    window_hours: int
    def __init__(self, max_offers: _Optional[int] = ..., window_hours: _Optional[int] = ...) -> None: ...

class Variant(_message.Message):
    __slots__ = ("variant_id", "weight", "offer")
    VARIANT_ID_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    OFFER_FIELD_NUMBER: _ClassVar[int]
    variant_id: str
    weight: int
    offer: OfferTemplate
    def __init__(self, variant_id: _Optional[str] = ..., weight: _Optional[int] = ..., offer: _Optional[_Union[OfferTemplate, _Mapping]] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("campaign_id", "display_name", "description", "state", "channels", "segment_ids", "offer", "start_time", "end_time", "priority", "frequency_cap", "variants", "holdout_percent", "promotion_id", "create_time", "update_time")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    OFFER_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_CAP_FIELD_NUMBER: _ClassVar[int]
    VARIANTS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    display_name: str
    description: str
    state: CampaignState
    channels: _containers.RepeatedScalarFieldContainer[_money_pb2.Channel]
    segment_ids: _containers.RepeatedScalarFieldContainer[str]
    offer: OfferTemplate
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    priority: int
    frequency_cap: FrequencyCap
    variants: _containers.RepeatedCompositeFieldContainer[Variant]
    holdout_percent: int
    promotion_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, campaign_id: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., state: _Optional[_Union[CampaignState, str]] = ..., channels: _Optional[_Iterable[_Union[_money_pb2.Channel, str]]] = ..., segment_ids: _Optional[_Iterable[str]] = ..., offer: _Optional[_Union[OfferTemplate, _Mapping]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., priority: _Optional[int] = ..., frequency_cap: _Optional[_Union[FrequencyCap, _Mapping]] = ..., variants: _Optional[_Iterable[_Union[Variant, _Mapping]]] = ..., holdout_percent: _Optional[int] = ..., promotion_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Offer(_message.Message):
    __slots__ = ("offer_id", "campaign_id", "variant_id", "code", "discount", "minimum_order", "expire_time", "channel", "rank", "promotion_id")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    VARIANT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_ORDER_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    campaign_id: str
    variant_id: str
    code: str
    discount: _money_pb2.Discount
    minimum_order: _money_pb2.Money
    expire_time: _timestamp_pb2.Timestamp
    channel: _money_pb2.Channel
    rank: int
    promotion_id: str
    def __init__(self, offer_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., variant_id: _Optional[str] = ..., code: _Optional[str] = ..., discount: _Optional[_Union[_money_pb2.Discount, _Mapping]] = ..., minimum_order: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[_money_pb2.Channel, str]] = ..., rank: _Optional[int] = ..., promotion_id: _Optional[str] = ...) -> None: ...

class OfferDecision(_message.Message):
    __slots__ = ("decision_id", "subject_ref", "outcome", "reason", "consent_decision_id", "consent_ledger_sequence", "consent_reason", "offers", "channel", "decide_time", "sequence")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONSENT_DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_REASON_FIELD_NUMBER: _ClassVar[int]
    OFFERS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DECIDE_TIME_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    subject_ref: str
    outcome: DecisionOutcome
    reason: NoOfferReason
    consent_decision_id: str
    consent_ledger_sequence: int
    consent_reason: str
    offers: _containers.RepeatedCompositeFieldContainer[Offer]
    channel: _money_pb2.Channel
    decide_time: _timestamp_pb2.Timestamp
    sequence: int
    def __init__(self, decision_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., outcome: _Optional[_Union[DecisionOutcome, str]] = ..., reason: _Optional[_Union[NoOfferReason, str]] = ..., consent_decision_id: _Optional[str] = ..., consent_ledger_sequence: _Optional[int] = ..., consent_reason: _Optional[str] = ..., offers: _Optional[_Iterable[_Union[Offer, _Mapping]]] = ..., channel: _Optional[_Union[_money_pb2.Channel, str]] = ..., decide_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sequence: _Optional[int] = ...) -> None: ...

class OfferContext(_message.Message):
    __slots__ = ("cart_value", "categories", "placement")
    CART_VALUE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    cart_value: _money_pb2.Money
    categories: _containers.RepeatedScalarFieldContainer[str]
    placement: str
    def __init__(self, cart_value: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., categories: _Optional[_Iterable[str]] = ..., placement: _Optional[str] = ...) -> None: ...
