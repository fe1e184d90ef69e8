from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DiscountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISCOUNT_TYPE_UNSPECIFIED: _ClassVar[DiscountType]
    DISCOUNT_TYPE_PERCENT: _ClassVar[DiscountType]
    DISCOUNT_TYPE_FIXED_AMOUNT: _ClassVar[DiscountType]
    DISCOUNT_TYPE_FREE_SHIPPING: _ClassVar[DiscountType]
    DISCOUNT_TYPE_GIFT_ITEM: _ClassVar[DiscountType]

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_EMAIL: _ClassVar[Channel]
    CHANNEL_SMS: _ClassVar[Channel]
    CHANNEL_PUSH: _ClassVar[Channel]
    CHANNEL_IN_APP: _ClassVar[Channel]
    CHANNEL_ALL: _ClassVar[Channel]
DISCOUNT_TYPE_UNSPECIFIED: DiscountType
DISCOUNT_TYPE_PERCENT: DiscountType
DISCOUNT_TYPE_FIXED_AMOUNT: DiscountType
DISCOUNT_TYPE_FREE_SHIPPING: DiscountType
DISCOUNT_TYPE_GIFT_ITEM: DiscountType
CHANNEL_UNSPECIFIED: Channel
CHANNEL_EMAIL: Channel
CHANNEL_SMS: Channel
CHANNEL_PUSH: Channel
CHANNEL_IN_APP: Channel
CHANNEL_ALL: Channel

class Money(_message.Message):
    __slots__ = ("currency_code", "amount_minor")
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    amount_minor: int
    def __init__(self, currency_code: _Optional[str] = ..., amount_minor: _Optional[int] = ...) -> None: ...

class Discount(_message.Message):
    __slots__ = ("type", "percent", "percent_cap", "amount", "gift_sku")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    PERCENT_CAP_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    GIFT_SKU_FIELD_NUMBER: _ClassVar[int]
    type: DiscountType
    percent: int
    percent_cap: Money
    amount: Money
    gift_sku: str
    def __init__(self, type: _Optional[_Union[DiscountType, str]] = ..., percent: _Optional[int] = ..., percent_cap: _Optional[_Union[Money, _Mapping]] = ..., amount: _Optional[_Union[Money, _Mapping]] = ..., gift_sku: _Optional[str] = ...) -> None: ...
