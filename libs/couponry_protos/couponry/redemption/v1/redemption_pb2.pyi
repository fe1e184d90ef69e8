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

class RedemptionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REDEMPTION_STATE_UNSPECIFIED: _ClassVar[RedemptionState]
    REDEMPTION_STATE_REDEEMED: _ClassVar[RedemptionState]
    REDEMPTION_STATE_ROLLED_BACK: _ClassVar[RedemptionState]

class ReservationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESERVATION_STATE_UNSPECIFIED: _ClassVar[ReservationState]
    RESERVATION_STATE_HELD: _ClassVar[ReservationState]
    RESERVATION_STATE_CONFIRMED: _ClassVar[ReservationState]
    RESERVATION_STATE_RELEASED: _ClassVar[ReservationState]
    RESERVATION_STATE_EXPIRED: _ClassVar[ReservationState]
REDEMPTION_STATE_UNSPECIFIED: RedemptionState
REDEMPTION_STATE_REDEEMED: RedemptionState
REDEMPTION_STATE_ROLLED_BACK: RedemptionState
RESERVATION_STATE_UNSPECIFIED: ReservationState
RESERVATION_STATE_HELD: ReservationState
RESERVATION_STATE_CONFIRMED: ReservationState
RESERVATION_STATE_RELEASED: ReservationState
RESERVATION_STATE_EXPIRED: ReservationState

class OrderLine(_message.Message):
    __slots__ = ("sku", "category", "quantity", "unit_price")
    SKU_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    sku: str
    category: str
    quantity: int
    unit_price: _money_pb2.Money
    def __init__(self, sku: _Optional[str] = ..., category: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ("order_id", "total", "lines", "shipping")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    total: _money_pb2.Money
    lines: _containers.RepeatedCompositeFieldContainer[OrderLine]
    shipping: _money_pb2.Money
    def __init__(self, order_id: _Optional[str] = ..., total: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., lines: _Optional[_Iterable[_Union[OrderLine, _Mapping]]] = ..., shipping: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class RuleFailure(_message.Message):
    __slots__ = ("reason", "message", "shortfall")
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    reason: str
    message: str
    shortfall: _money_pb2.Money
    def __init__(self, reason: _Optional[str] = ..., message: _Optional[str] = ..., shortfall: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class Redemption(_message.Message):
    __slots__ = ("redemption_id", "code", "promotion_id", "campaign_id", "subject_ref", "order_id", "order_total", "discount", "state", "redeem_time", "rollback_time", "rollback_reason")
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_TOTAL_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REDEEM_TIME_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_TIME_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_REASON_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    code: str
    promotion_id: str
    campaign_id: str
    subject_ref: str
    order_id: str
    order_total: _money_pb2.Money
    discount: _money_pb2.Money
    state: RedemptionState
    redeem_time: _timestamp_pb2.Timestamp
    rollback_time: _timestamp_pb2.Timestamp
    rollback_reason: str
    def __init__(self, redemption_id: _Optional[str] = ..., code: _Optional[str] = ..., promotion_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., order_id: _Optional[str] = ..., order_total: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., discount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., state: _Optional[_Union[RedemptionState, str]] = ..., redeem_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rollback_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rollback_reason: _Optional[str] = ...) -> None: ...

class Reservation(_message.Message):
    __slots__ = ("reservation_id", "code", "subject_ref", "order_id", "discount", "state", "expire_time", "redemption_id")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    code: str
    subject_ref: str
    order_id: str
    discount: _money_pb2.Money
    state: ReservationState
    expire_time: _timestamp_pb2.Timestamp
    redemption_id: str
    def __init__(self, reservation_id: _Optional[str] = ..., code: _Optional[str] = ..., subject_ref: _Optional[str] = ..., order_id: _Optional[str] = ..., discount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., state: _Optional[_Union[ReservationState, str]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., redemption_id: _Optional[str] = ...) -> None: ...

class FailureCount(_message.Message):
    __slots__ = ("reason", "count")
    REASON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    reason: str
    count: int
    def __init__(self, reason: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class PromotionStats(_message.Message):
    __slots__ = ("minted_count", "published_count", "redeemed_count", "redemption_rate", "time_to_redeem_p50_seconds", "time_to_redeem_p90_seconds", "discount_given", "redeemed_order_value", "failures")
    MINTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REDEEMED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_RATE_FIELD_NUMBER: _ClassVar[int]
    TIME_TO_REDEEM_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TIME_TO_REDEEM_P90_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_GIVEN_FIELD_NUMBER: _ClassVar[int]
    REDEEMED_ORDER_VALUE_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    minted_count: int
    published_count: int
    redeemed_count: int
    redemption_rate: float
    time_to_redeem_p50_seconds: float
    time_to_redeem_p90_seconds: float
    discount_given: _money_pb2.Money
    redeemed_order_value: _money_pb2.Money
    failures: _containers.RepeatedCompositeFieldContainer[FailureCount]
    def __init__(self, minted_count: _Optional[int] = ..., published_count: _Optional[int] = ..., redeemed_count: _Optional[int] = ..., redemption_rate: _Optional[float] = ..., time_to_redeem_p50_seconds: _Optional[float] = ..., time_to_redeem_p90_seconds: _Optional[float] = ..., discount_given: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., redeemed_order_value: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., failures: _Optional[_Iterable[_Union[FailureCount, _Mapping]]] = ...) -> None: ...
