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

class CustomerView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOMER_VIEW_UNSPECIFIED: _ClassVar[CustomerView]
    CUSTOMER_VIEW_BASIC: _ClassVar[CustomerView]
    CUSTOMER_VIEW_FULL: _ClassVar[CustomerView]

class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_TYPE_UNSPECIFIED: _ClassVar[EventType]
    EVENT_TYPE_VIEW: _ClassVar[EventType]
    EVENT_TYPE_SEARCH: _ClassVar[EventType]
    EVENT_TYPE_ADD_TO_CART: _ClassVar[EventType]
    EVENT_TYPE_REMOVE_FROM_CART: _ClassVar[EventType]
    EVENT_TYPE_CHECKOUT_STARTED: _ClassVar[EventType]
    EVENT_TYPE_PURCHASE: _ClassVar[EventType]
    EVENT_TYPE_COUPON_REDEEMED: _ClassVar[EventType]
    EVENT_TYPE_LOGIN: _ClassVar[EventType]

class EventDisposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_DISPOSITION_UNSPECIFIED: _ClassVar[EventDisposition]
    EVENT_DISPOSITION_ACCEPTED: _ClassVar[EventDisposition]
    EVENT_DISPOSITION_DROPPED_NO_CONSENT: _ClassVar[EventDisposition]
    EVENT_DISPOSITION_DUPLICATE: _ClassVar[EventDisposition]
CUSTOMER_VIEW_UNSPECIFIED: CustomerView
CUSTOMER_VIEW_BASIC: CustomerView
CUSTOMER_VIEW_FULL: CustomerView
EVENT_TYPE_UNSPECIFIED: EventType
EVENT_TYPE_VIEW: EventType
EVENT_TYPE_SEARCH: EventType
EVENT_TYPE_ADD_TO_CART: EventType
EVENT_TYPE_REMOVE_FROM_CART: EventType
EVENT_TYPE_CHECKOUT_STARTED: EventType
EVENT_TYPE_PURCHASE: EventType
EVENT_TYPE_COUPON_REDEEMED: EventType
EVENT_TYPE_LOGIN: EventType
EVENT_DISPOSITION_UNSPECIFIED: EventDisposition
EVENT_DISPOSITION_ACCEPTED: EventDisposition
EVENT_DISPOSITION_DROPPED_NO_CONSENT: EventDisposition
EVENT_DISPOSITION_DUPLICATE: EventDisposition

class Customer(_message.Message):
    __slots__ = ("customer_id", "external_id", "email", "phone", "given_name", "family_name", "birth_date", "country_code", "preferred_channel", "language_code", "attributes", "subject_ref", "create_time", "update_time")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    GIVEN_NAME_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    external_id: str
    email: str
    phone: str
    given_name: str
    family_name: str
    birth_date: str
    country_code: str
    preferred_channel: _money_pb2.Channel
    language_code: str
    attributes: _containers.ScalarMap[str, str]
    subject_ref: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., external_id: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., given_name: _Optional[str] = ..., family_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., country_code: _Optional[str] = ..., preferred_channel: _Optional[_Union[_money_pb2.Channel, str]] = ..., language_code: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., subject_ref: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InteractionEvent(_message.Message):
    __slots__ = ("event_id", "customer_id", "type", "occur_time", "product_id", "categories", "amount")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    customer_id: str
    type: EventType
    occur_time: _timestamp_pb2.Timestamp
    product_id: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    amount: _money_pb2.Money
    def __init__(self, event_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., type: _Optional[_Union[EventType, str]] = ..., occur_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., product_id: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...
