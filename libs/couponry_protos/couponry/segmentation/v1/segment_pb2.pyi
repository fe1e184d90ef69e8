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

class Feature(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEATURE_UNSPECIFIED: _ClassVar[Feature]
    FEATURE_RECENCY_DAYS: _ClassVar[Feature]
    FEATURE_FREQUENCY_30D: _ClassVar[Feature]
    FEATURE_FREQUENCY_90D: _ClassVar[Feature]
    FEATURE_MONETARY_90D_MINOR: _ClassVar[Feature]
    FEATURE_CATEGORY_AFFINITY: _ClassVar[Feature]
    FEATURE_COUPON_REDEMPTIONS_90D: _ClassVar[Feature]
    FEATURE_CART_VALUE_MINOR: _ClassVar[Feature]
    FEATURE_CART_ABANDONED: _ClassVar[Feature]
    FEATURE_EVENT_COUNT: _ClassVar[Feature]

class ComparisonOperator(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPARISON_OPERATOR_UNSPECIFIED: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_LESS_THAN: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_LESS_THAN_OR_EQUAL: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_GREATER_THAN: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_GREATER_THAN_OR_EQUAL: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_EQUAL: _ClassVar[ComparisonOperator]
    COMPARISON_OPERATOR_NOT_EQUAL: _ClassVar[ComparisonOperator]

class RuleMatch(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RULE_MATCH_UNSPECIFIED: _ClassVar[RuleMatch]
    RULE_MATCH_ALL: _ClassVar[RuleMatch]
    RULE_MATCH_ANY: _ClassVar[RuleMatch]

class SubjectEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_EVENT_TYPE_UNSPECIFIED: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_VIEW: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_SEARCH: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_ADD_TO_CART: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_REMOVE_FROM_CART: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_CHECKOUT_STARTED: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_PURCHASE: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_COUPON_REDEEMED: _ClassVar[SubjectEventType]
    SUBJECT_EVENT_TYPE_LOGIN: _ClassVar[SubjectEventType]
FEATURE_UNSPECIFIED: Feature
FEATURE_RECENCY_DAYS: Feature
FEATURE_FREQUENCY_30D: Feature
FEATURE_FREQUENCY_90D: Feature
FEATURE_MONETARY_90D_MINOR: Feature
FEATURE_CATEGORY_AFFINITY: Feature
FEATURE_COUPON_REDEMPTIONS_90D: Feature
FEATURE_CART_VALUE_MINOR: Feature
FEATURE_CART_ABANDONED: Feature
FEATURE_EVENT_COUNT: Feature
COMPARISON_OPERATOR_UNSPECIFIED: ComparisonOperator
COMPARISON_OPERATOR_LESS_THAN: ComparisonOperator
COMPARISON_OPERATOR_LESS_THAN_OR_EQUAL: ComparisonOperator
COMPARISON_OPERATOR_GREATER_THAN: ComparisonOperator
COMPARISON_OPERATOR_GREATER_THAN_OR_EQUAL: ComparisonOperator
COMPARISON_OPERATOR_EQUAL: ComparisonOperator
COMPARISON_OPERATOR_NOT_EQUAL: ComparisonOperator
RULE_MATCH_UNSPECIFIED: RuleMatch
RULE_MATCH_ALL: RuleMatch
RULE_MATCH_ANY: RuleMatch
SUBJECT_EVENT_TYPE_UNSPECIFIED: SubjectEventType
SUBJECT_EVENT_TYPE_VIEW: SubjectEventType
SUBJECT_EVENT_TYPE_SEARCH: SubjectEventType
SUBJECT_EVENT_TYPE_ADD_TO_CART: SubjectEventType
SUBJECT_EVENT_TYPE_REMOVE_FROM_CART: SubjectEventType
SUBJECT_EVENT_TYPE_CHECKOUT_STARTED: SubjectEventType
SUBJECT_EVENT_TYPE_PURCHASE: SubjectEventType
SUBJECT_EVENT_TYPE_COUPON_REDEEMED: SubjectEventType
SUBJECT_EVENT_TYPE_LOGIN: SubjectEventType

class Condition(_message.Message):
    __slots__ = ("feature", "operator", "value", "category")
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    feature: Feature
    operator: ComparisonOperator
    value: float
    category: str
    def __init__(self, feature: _Optional[_Union[Feature, str]] = ..., operator: _Optional[_Union[ComparisonOperator, str]] = ..., value: _Optional[float] = ..., category: _Optional[str] = ...) -> None: ...

class SegmentRule(_message.Message):
    __slots__ = ("match", "conditions")
    MATCH_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    match: RuleMatch
    conditions: _containers.RepeatedCompositeFieldContainer[Condition]
    def __init__(self, match: _Optional[_Union[RuleMatch, str]] = ..., conditions: _Optional[_Iterable[_Union[Condition, _Mapping]]] = ...) -> None: ...

class Segment(_message.Message):
    __slots__ = ("segment_id", "display_name", "description", "rule", "member_count", "create_time", "update_time")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    display_name: str
    description: str
    rule: SegmentRule
    member_count: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, segment_id: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., rule: _Optional[_Union[SegmentRule, _Mapping]] = ..., member_count: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Membership(_message.Message):
    __slots__ = ("segment_id", "display_name", "join_time")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    JOIN_TIME_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    display_name: str
    join_time: _timestamp_pb2.Timestamp
    def __init__(self, segment_id: _Optional[str] = ..., display_name: _Optional[str] = ..., join_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FeatureSnapshot(_message.Message):
    __slots__ = ("subject_ref", "recency_days", "frequency_30d", "frequency_90d", "monetary_90d", "category_affinity", "coupon_redemptions_90d", "cart_value", "cart_abandoned", "event_count", "last_event_time", "compute_time")
    class CategoryAffinityEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    RECENCY_DAYS_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_30D_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_90D_FIELD_NUMBER: _ClassVar[int]
    MONETARY_90D_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_AFFINITY_FIELD_NUMBER: _ClassVar[int]
    COUPON_REDEMPTIONS_90D_FIELD_NUMBER: _ClassVar[int]
    CART_VALUE_FIELD_NUMBER: _ClassVar[int]
    CART_ABANDONED_FIELD_NUMBER: _ClassVar[int]
    EVENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_TIME_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    recency_days: int
    frequency_30d: int
    frequency_90d: int
    monetary_90d: _money_pb2.Money
    category_affinity: _containers.ScalarMap[str, float]
    coupon_redemptions_90d: int
    cart_value: _money_pb2.Money
    cart_abandoned: bool
    event_count: int
    last_event_time: _timestamp_pb2.Timestamp
    compute_time: _timestamp_pb2.Timestamp
    def __init__(self, subject_ref: _Optional[str] = ..., recency_days: _Optional[int] = ..., frequency_30d: _Optional[int] = ..., frequency_90d: _Optional[int] = ..., monetary_90d: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., category_affinity: _Optional[_Mapping[str, float]] = ..., coupon_redemptions_90d: _Optional[int] = ..., cart_value: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., cart_abandoned: _Optional[bool] = ..., event_count: _Optional[int] = ..., last_event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., compute_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubjectEvent(_message.Message):
    __slots__ = ("event_id", "subject_ref", "type", "occur_time", "product_id", "categories", "amount")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    subject_ref: str
    type: SubjectEventType
    occur_time: _timestamp_pb2.Timestamp
    product_id: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    amount: _money_pb2.Money
    def __init__(self, event_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., type: _Optional[_Union[SubjectEventType, str]] = ..., occur_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., product_id: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...
