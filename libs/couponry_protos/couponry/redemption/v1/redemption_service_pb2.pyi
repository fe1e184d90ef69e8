import datetime

from couponry.redemption.v1 import promotion_pb2 as _promotion_pb2
from couponry.redemption.v1 import redemption_pb2 as _redemption_pb2
from couponry.type.v1 import money_pb2 as _money_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreatePromotionRequest(_message.Message):
    __slots__ = ("promotion", "request_id")
    PROMOTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    promotion: _promotion_pb2.Promotion
    request_id: str
    def __init__(self, promotion: _Optional[_Union[_promotion_pb2.Promotion, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreatePromotionResponse(_message.Message):
    __slots__ = ("promotion",)
    PROMOTION_FIELD_NUMBER: _ClassVar[int]
    promotion: _promotion_pb2.Promotion
    def __init__(self, promotion: _Optional[_Union[_promotion_pb2.Promotion, _Mapping]] = ...) -> None: ...

class GetPromotionRequest(_message.Message):
    __slots__ = ("promotion_id",)
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    def __init__(self, promotion_id: _Optional[str] = ...) -> None: ...

class GetPromotionResponse(_message.Message):
    __slots__ = ("promotion",)
    PROMOTION_FIELD_NUMBER: _ClassVar[int]
    promotion: _promotion_pb2.Promotion
    def __init__(self, promotion: _Optional[_Union[_promotion_pb2.Promotion, _Mapping]] = ...) -> None: ...

class ListPromotionsRequest(_message.Message):
    __slots__ = ("campaign_id", "page_size", "page_token")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    page_size: int
    page_token: str
    def __init__(self, campaign_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPromotionsResponse(_message.Message):
    __slots__ = ("promotions", "next_page_token")
    PROMOTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    promotions: _containers.RepeatedCompositeFieldContainer[_promotion_pb2.Promotion]
    next_page_token: str
    def __init__(self, promotions: _Optional[_Iterable[_Union[_promotion_pb2.Promotion, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdatePromotionRequest(_message.Message):
    __slots__ = ("promotion", "update_mask", "request_id")
    PROMOTION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    promotion: _promotion_pb2.Promotion
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    def __init__(self, promotion: _Optional[_Union[_promotion_pb2.Promotion, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpdatePromotionResponse(_message.Message):
    __slots__ = ("promotion",)
    PROMOTION_FIELD_NUMBER: _ClassVar[int]
    promotion: _promotion_pb2.Promotion
    def __init__(self, promotion: _Optional[_Union[_promotion_pb2.Promotion, _Mapping]] = ...) -> None: ...

class MintCodesRequest(_message.Message):
    __slots__ = ("promotion_id", "count", "pattern", "request_id")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    count: int
    pattern: _promotion_pb2.CodePattern
    request_id: str
    def __init__(self, promotion_id: _Optional[str] = ..., count: _Optional[int] = ..., pattern: _Optional[_Union[_promotion_pb2.CodePattern, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class MintCodesResponse(_message.Message):
    __slots__ = ("minted_count", "sample_codes")
    MINTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_CODES_FIELD_NUMBER: _ClassVar[int]
    minted_count: int
    sample_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, minted_count: _Optional[int] = ..., sample_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class PublishCodeRequest(_message.Message):
    __slots__ = ("promotion_id", "code", "subject_ref", "request_id")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    code: str
    subject_ref: str
    request_id: str
    def __init__(self, promotion_id: _Optional[str] = ..., code: _Optional[str] = ..., subject_ref: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class PublishCodeResponse(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: _promotion_pb2.Code
    def __init__(self, code: _Optional[_Union[_promotion_pb2.Code, _Mapping]] = ...) -> None: ...

class IssueCodeRequest(_message.Message):
    __slots__ = ("promotion_id", "subject_ref", "validity_hours", "request_id", "require_available")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_HOURS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    subject_ref: str
    validity_hours: int
    request_id: str
    require_available: bool
    def __init__(self, promotion_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., validity_hours: _Optional[int] = ..., request_id: _Optional[str] = ..., require_available: _Optional[bool] = ...) -> None: ...

class IssueCodeResponse(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: _promotion_pb2.Code
    def __init__(self, code: _Optional[_Union[_promotion_pb2.Code, _Mapping]] = ...) -> None: ...

class GetCodeRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class GetCodeResponse(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: _promotion_pb2.Code
    def __init__(self, code: _Optional[_Union[_promotion_pb2.Code, _Mapping]] = ...) -> None: ...

class ListCodesRequest(_message.Message):
    __slots__ = ("promotion_id", "subject_ref", "page_size", "page_token")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    subject_ref: str
    page_size: int
    page_token: str
    def __init__(self, promotion_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCodesResponse(_message.Message):
    __slots__ = ("codes", "next_page_token")
    CODES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    codes: _containers.RepeatedCompositeFieldContainer[_promotion_pb2.Code]
    next_page_token: str
    def __init__(self, codes: _Optional[_Iterable[_Union[_promotion_pb2.Code, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ValidateCodeRequest(_message.Message):
    __slots__ = ("code", "subject_ref", "order", "source_fingerprint")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    code: str
    subject_ref: str
    order: _redemption_pb2.Order
    source_fingerprint: str
    def __init__(self, code: _Optional[str] = ..., subject_ref: _Optional[str] = ..., order: _Optional[_Union[_redemption_pb2.Order, _Mapping]] = ..., source_fingerprint: _Optional[str] = ...) -> None: ...

class ValidateCodeResponse(_message.Message):
    __slots__ = ("valid", "discount", "failures")
    VALID_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    discount: _money_pb2.Money
    failures: _containers.RepeatedCompositeFieldContainer[_redemption_pb2.RuleFailure]
    def __init__(self, valid: _Optional[bool] = ..., discount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., failures: _Optional[_Iterable[_Union[_redemption_pb2.RuleFailure, _Mapping]]] = ...) -> None: ...

class ReserveCodeRequest(_message.Message):
    __slots__ = ("code", "subject_ref", "order", "hold_seconds", "source_fingerprint", "request_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    HOLD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    subject_ref: str
    order: _redemption_pb2.Order
    hold_seconds: int
    source_fingerprint: str
    request_id: str
    def __init__(self, code: _Optional[str] = ..., subject_ref: _Optional[str] = ..., order: _Optional[_Union[_redemption_pb2.Order, _Mapping]] = ..., hold_seconds: _Optional[int] = ..., source_fingerprint: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReserveCodeResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: _redemption_pb2.Reservation
    def __init__(self, reservation: _Optional[_Union[_redemption_pb2.Reservation, _Mapping]] = ...) -> None: ...

class ConfirmRedemptionRequest(_message.Message):
    __slots__ = ("reservation_id", "request_id")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    request_id: str
    def __init__(self, reservation_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ConfirmRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: _redemption_pb2.Redemption
    def __init__(self, redemption: _Optional[_Union[_redemption_pb2.Redemption, _Mapping]] = ...) -> None: ...

class ReleaseReservationRequest(_message.Message):
    __slots__ = ("reservation_id", "request_id")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    request_id: str
    def __init__(self, reservation_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReleaseReservationResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: _redemption_pb2.Reservation
    def __init__(self, reservation: _Optional[_Union[_redemption_pb2.Reservation, _Mapping]] = ...) -> None: ...

class RedeemCodeRequest(_message.Message):
    __slots__ = ("code", "subject_ref", "order", "source_fingerprint", "request_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    subject_ref: str
    order: _redemption_pb2.Order
    source_fingerprint: str
    request_id: str
    def __init__(self, code: _Optional[str] = ..., subject_ref: _Optional[str] = ..., order: _Optional[_Union[_redemption_pb2.Order, _Mapping]] = ..., source_fingerprint: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RedeemCodeResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: _redemption_pb2.Redemption
    def __init__(self, redemption: _Optional[_Union[_redemption_pb2.Redemption, _Mapping]] = ...) -> None: ...

class RollbackRedemptionRequest(_message.Message):
    __slots__ = ("redemption_id", "reason", "request_id")
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    reason: str
    request_id: str
    def __init__(self, redemption_id: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RollbackRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: _redemption_pb2.Redemption
    def __init__(self, redemption: _Optional[_Union[_redemption_pb2.Redemption, _Mapping]] = ...) -> None: ...

class ListRedemptionsRequest(_message.Message):
    __slots__ = ("promotion_id", "subject_ref", "page_size", "page_token")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    subject_ref: str
    page_size: int
    page_token: str
    def __init__(self, promotion_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRedemptionsResponse(_message.Message):
    __slots__ = ("redemptions", "next_page_token")
    REDEMPTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    redemptions: _containers.RepeatedCompositeFieldContainer[_redemption_pb2.Redemption]
    next_page_token: str
    def __init__(self, redemptions: _Optional[_Iterable[_Union[_redemption_pb2.Redemption, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetPromotionStatsRequest(_message.Message):
    __slots__ = ("promotion_id", "campaign_id", "start_time", "end_time")
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    campaign_id: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, promotion_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetPromotionStatsResponse(_message.Message):
    __slots__ = ("stats",)
    STATS_FIELD_NUMBER: _ClassVar[int]
    stats: _redemption_pb2.PromotionStats
    def __init__(self, stats: _Optional[_Union[_redemption_pb2.PromotionStats, _Mapping]] = ...) -> None: ...

class VoidSubjectCodesRequest(_message.Message):
    __slots__ = ("subject_ref", "request_id")
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    request_id: str
    def __init__(self, subject_ref: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class VoidSubjectCodesResponse(_message.Message):
    __slots__ = ("voided_count",)
    VOIDED_COUNT_FIELD_NUMBER: _ClassVar[int]
    voided_count: int
    def __init__(self, voided_count: _Optional[int] = ...) -> None: ...

class CheckConsistencyRequest(_message.Message):
    __slots__ = ("promotion_id",)
    PROMOTION_ID_FIELD_NUMBER: _ClassVar[int]
    promotion_id: str
    def __init__(self, promotion_id: _Optional[str] = ...) -> None: ...

class CheckConsistencyResponse(_message.Message):
    __slots__ = ("consistent", "counter_redemption_count", "recomputed_redemption_count", "counter_discount_spent", "recomputed_discount_spent", "discrepancies")
    CONSISTENT_FIELD_NUMBER: _ClassVar[int]
    COUNTER_REDEMPTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_REDEMPTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    COUNTER_DISCOUNT_SPENT_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_DISCOUNT_SPENT_FIELD_NUMBER: _ClassVar[int]
    DISCREPANCIES_FIELD_NUMBER: _ClassVar[int]
    consistent: bool
    counter_redemption_count: int
    recomputed_redemption_count: int
    counter_discount_spent: _money_pb2.Money
    recomputed_discount_spent: _money_pb2.Money
    discrepancies: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, consistent: _Optional[bool] = ..., counter_redemption_count: _Optional[int] = ..., recomputed_redemption_count: _Optional[int] = ..., counter_discount_spent: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., recomputed_discount_spent: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., discrepancies: _Optional[_Iterable[str]] = ...) -> None: ...
