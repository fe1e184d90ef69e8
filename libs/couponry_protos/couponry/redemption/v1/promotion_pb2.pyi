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

class CodeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CODE_TYPE_UNSPECIFIED: _ClassVar[CodeType]
    CODE_TYPE_PERSONAL: _ClassVar[CodeType]
    CODE_TYPE_SHARED: _ClassVar[CodeType]

class PromotionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROMOTION_STATE_UNSPECIFIED: _ClassVar[PromotionState]
    PROMOTION_STATE_ACTIVE: _ClassVar[PromotionState]
    PROMOTION_STATE_PAUSED: _ClassVar[PromotionState]
    PROMOTION_STATE_ENDED: _ClassVar[PromotionState]

class CodeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CODE_STATE_UNSPECIFIED: _ClassVar[CodeState]
    CODE_STATE_ACTIVE: _ClassVar[CodeState]
    CODE_STATE_EXHAUSTED: _ClassVar[CodeState]
    CODE_STATE_EXPIRED: _ClassVar[CodeState]
    CODE_STATE_VOIDED: _ClassVar[CodeState]
CODE_TYPE_UNSPECIFIED: CodeType
CODE_TYPE_PERSONAL: CodeType
CODE_TYPE_SHARED: CodeType
PROMOTION_STATE_UNSPECIFIED: PromotionState
PROMOTION_STATE_ACTIVE: PromotionState
PROMOTION_STATE_PAUSED: PromotionState
PROMOTION_STATE_ENDED: PromotionState
CODE_STATE_UNSPECIFIED: CodeState
CODE_STATE_ACTIVE: CodeState
CODE_STATE_EXHAUSTED: CodeState
CODE_STATE_EXPIRED: CodeState
CODE_STATE_VOIDED: CodeState

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

class CodePattern(_message.Message):
    __slots__ = ("prefix", "postfix", "pattern", "length")
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    POSTFIX_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    prefix: str
    postfix: str
    pattern: str
    length: int
    def __init__(self, prefix: _Optional[str] = ..., postfix: _Optional[str] = ..., pattern: _Optional[str] = ..., length: _Optional[int] = ...) -> None: ...

class Promotion(_message.Message):
    __slots__ = ("promotion_id", "campaign_id", "display_name", "discount", "currency_code", "minimum_order", "scope", "start_time", "end_time", "per_code_limit", "per_customer_limit", "total_redemption_limit", "budget", "code_type", "code_pattern", "state", "redemption_count", "discount_spent", "create_time", "update_time")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_ORDER_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PER_CODE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PER_CUSTOMER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REDEMPTION_LIMIT_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    CODE_TYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_PATTERN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_SPENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    campaign_id: str
    display_name: str
    discount: _money_pb2.Discount
    currency_code: str
    minimum_order: _money_pb2.Money
    scope: ProductScope
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    per_code_limit: int
    per_customer_limit: int
    total_redemption_limit: int
    budget: _money_pb2.Money
    code_type: CodeType
    code_pattern: CodePattern
    state: PromotionState
    redemption_count: int
    discount_spent: _money_pb2.Money
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, promotion_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., display_name: _Optional[str] = ..., discount: _Optional[_Union[_money_pb2.Discount, _Mapping]] = ..., currency_code: _Optional[str] = ..., minimum_order: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., scope: _Optional[_Union[ProductScope, _Mapping]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., per_code_limit: _Optional[int] = ..., per_customer_limit: _Optional[int] = ..., total_redemption_limit: _Optional[int] = ..., budget: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., code_type: _Optional[_Union[CodeType, str]] = ..., code_pattern: _Optional[_Union[CodePattern, _Mapping]] = ..., state: _Optional[_Union[PromotionState, str]] = ..., redemption_count: _Optional[int] = ..., discount_spent: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Code(_message.Message):
    __slots__ = ("code", "promotion_id", "subject_ref", "state", "uses_remaining", "expire_time", "publish_time", "create_time")
    CODE_FIELD_NUMBER: _ClassVar[int]
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    USES_REMAINING_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    code: str
    promotion_id: str
    subject_ref: str
    state: CodeState
    uses_remaining: int
    expire_time: _timestamp_pb2.Timestamp
    publish_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., promotion_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., state: _Optional[_Union[CodeState, str]] = ..., uses_remaining: _Optional[int] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
