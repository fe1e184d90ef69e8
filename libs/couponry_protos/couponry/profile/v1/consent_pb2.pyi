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

class Purpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PURPOSE_UNSPECIFIED: _ClassVar[Purpose]
    PURPOSE_PERSONALIZED_OFFERS: _ClassVar[Purpose]
    PURPOSE_PROFILING: _ClassVar[Purpose]
    PURPOSE_MARKETING: _ClassVar[Purpose]
    PURPOSE_SALE_SHARING: _ClassVar[Purpose]

class ConsentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_STATE_UNSPECIFIED: _ClassVar[ConsentState]
    CONSENT_STATE_GRANTED: _ClassVar[ConsentState]
    CONSENT_STATE_DENIED: _ClassVar[ConsentState]
    CONSENT_STATE_WITHDRAWN: _ClassVar[ConsentState]

class ConsentSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_SOURCE_UNSPECIFIED: _ClassVar[ConsentSource]
    CONSENT_SOURCE_WEB: _ClassVar[ConsentSource]
    CONSENT_SOURCE_APP: _ClassVar[ConsentSource]
    CONSENT_SOURCE_SUPPORT: _ClassVar[ConsentSource]
    CONSENT_SOURCE_IMPORT: _ClassVar[ConsentSource]
    CONSENT_SOURCE_GPC_SIGNAL: _ClassVar[ConsentSource]

class DecisionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_REASON_UNSPECIFIED: _ClassVar[DecisionReason]
    DECISION_REASON_CONSENTED: _ClassVar[DecisionReason]
    DECISION_REASON_OPTED_OUT: _ClassVar[DecisionReason]
    DECISION_REASON_NO_CONSENT: _ClassVar[DecisionReason]
    DECISION_REASON_CONSENT_EXPIRED: _ClassVar[DecisionReason]
    DECISION_REASON_CONSENT_WITHDRAWN: _ClassVar[DecisionReason]
    DECISION_REASON_CONSENT_DENIED: _ClassVar[DecisionReason]
    DECISION_REASON_CHANNEL_NOT_CONSENTED: _ClassVar[DecisionReason]
    DECISION_REASON_CUSTOMER_ERASED: _ClassVar[DecisionReason]
    DECISION_REASON_GPC_OPT_OUT: _ClassVar[DecisionReason]

class LedgerEntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEDGER_ENTRY_KIND_UNSPECIFIED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_CONSENT_CHANGED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_OPT_OUT_CHANGED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_GPC_RECORDED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_CUSTOMER_ERASED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_KEY_ROTATED: _ClassVar[LedgerEntryKind]
    LEDGER_ENTRY_KIND_CUSTOMER_CREATED: _ClassVar[LedgerEntryKind]

class LedgerViolationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEDGER_VIOLATION_KIND_UNSPECIFIED: _ClassVar[LedgerViolationKind]
    LEDGER_VIOLATION_KIND_HASH_MISMATCH: _ClassVar[LedgerViolationKind]
    LEDGER_VIOLATION_KIND_BROKEN_LINK: _ClassVar[LedgerViolationKind]
    LEDGER_VIOLATION_KIND_GAP: _ClassVar[LedgerViolationKind]
    LEDGER_VIOLATION_KIND_CHECKPOINT_MISMATCH: _ClassVar[LedgerViolationKind]
PURPOSE_UNSPECIFIED: Purpose
PURPOSE_PERSONALIZED_OFFERS: Purpose
PURPOSE_PROFILING: Purpose
PURPOSE_MARKETING: Purpose
PURPOSE_SALE_SHARING: Purpose
CONSENT_STATE_UNSPECIFIED: ConsentState
CONSENT_STATE_GRANTED: ConsentState
CONSENT_STATE_DENIED: ConsentState
CONSENT_STATE_WITHDRAWN: ConsentState
CONSENT_SOURCE_UNSPECIFIED: ConsentSource
CONSENT_SOURCE_WEB: ConsentSource
CONSENT_SOURCE_APP: ConsentSource
CONSENT_SOURCE_SUPPORT: ConsentSource
CONSENT_SOURCE_IMPORT: ConsentSource
CONSENT_SOURCE_GPC_SIGNAL: ConsentSource
DECISION_REASON_UNSPECIFIED: DecisionReason
DECISION_REASON_CONSENTED: DecisionReason
DECISION_REASON_OPTED_OUT: DecisionReason
DECISION_REASON_NO_CONSENT: DecisionReason
DECISION_REASON_CONSENT_EXPIRED: DecisionReason
DECISION_REASON_CONSENT_WITHDRAWN: DecisionReason
DECISION_REASON_CONSENT_DENIED: DecisionReason
DECISION_REASON_CHANNEL_NOT_CONSENTED: DecisionReason
DECISION_REASON_CUSTOMER_ERASED: DecisionReason
DECISION_REASON_GPC_OPT_OUT: DecisionReason
LEDGER_ENTRY_KIND_UNSPECIFIED: LedgerEntryKind
LEDGER_ENTRY_KIND_CONSENT_CHANGED: LedgerEntryKind
LEDGER_ENTRY_KIND_OPT_OUT_CHANGED: LedgerEntryKind
LEDGER_ENTRY_KIND_GPC_RECORDED: LedgerEntryKind
LEDGER_ENTRY_KIND_CUSTOMER_ERASED: LedgerEntryKind
LEDGER_ENTRY_KIND_KEY_ROTATED: LedgerEntryKind
LEDGER_ENTRY_KIND_CUSTOMER_CREATED: LedgerEntryKind
LEDGER_VIOLATION_KIND_UNSPECIFIED: LedgerViolationKind
LEDGER_VIOLATION_KIND_HASH_MISMATCH: LedgerViolationKind
LEDGER_VIOLATION_KIND_BROKEN_LINK: LedgerViolationKind
LEDGER_VIOLATION_KIND_GAP: LedgerViolationKind
LEDGER_VIOLATION_KIND_CHECKPOINT_MISMATCH: LedgerViolationKind

class ConsentEvidence(_message.Message):
    __slots__ = ("source", "notice_version", "actor", "capture_time", "expire_time")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    CAPTURE_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    source: ConsentSource
    notice_version: str
    actor: str
    capture_time: _timestamp_pb2.Timestamp
    expire_time: _timestamp_pb2.Timestamp
    def __init__(self, source: _Optional[_Union[ConsentSource, str]] = ..., notice_version: _Optional[str] = ..., actor: _Optional[str] = ..., capture_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConsentRecord(_message.Message):
    __slots__ = ("purpose", "channel", "state", "evidence", "ledger_sequence")
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    purpose: Purpose
    channel: _money_pb2.Channel
    state: ConsentState
    evidence: ConsentEvidence
    ledger_sequence: int
    def __init__(self, purpose: _Optional[_Union[Purpose, str]] = ..., channel: _Optional[_Union[_money_pb2.Channel, str]] = ..., state: _Optional[_Union[ConsentState, str]] = ..., evidence: _Optional[_Union[ConsentEvidence, _Mapping]] = ..., ledger_sequence: _Optional[int] = ...) -> None: ...

class OptOutStatus(_message.Message):
    __slots__ = ("opted_out", "evidence", "ledger_sequence")
    OPTED_OUT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    opted_out: bool
    evidence: ConsentEvidence
    ledger_sequence: int
    def __init__(self, opted_out: _Optional[bool] = ..., evidence: _Optional[_Union[ConsentEvidence, _Mapping]] = ..., ledger_sequence: _Optional[int] = ...) -> None: ...

class ConsentSummary(_message.Message):
    __slots__ = ("customer_id", "subject_ref", "consents", "opt_out", "gpc_signal")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    GPC_SIGNAL_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    subject_ref: str
    consents: _containers.RepeatedCompositeFieldContainer[ConsentRecord]
    opt_out: OptOutStatus
    gpc_signal: bool
    def __init__(self, customer_id: _Optional[str] = ..., subject_ref: _Optional[str] = ..., consents: _Optional[_Iterable[_Union[ConsentRecord, _Mapping]]] = ..., opt_out: _Optional[_Union[OptOutStatus, _Mapping]] = ..., gpc_signal: _Optional[bool] = ...) -> None: ...

class PersonalizationDecision(_message.Message):
    __slots__ = ("decision_id", "allowed", "reason", "subject_ref", "purpose", "channel", "allowed_channels", "ledger_sequence", "decide_time")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DECIDE_TIME_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    allowed: bool
    reason: DecisionReason
    subject_ref: str
    purpose: Purpose
    channel: _money_pb2.Channel
    allowed_channels: _containers.RepeatedScalarFieldContainer[_money_pb2.Channel]
    ledger_sequence: int
    decide_time: _timestamp_pb2.Timestamp
    def __init__(self, decision_id: _Optional[str] = ..., allowed: _Optional[bool] = ..., reason: _Optional[_Union[DecisionReason, str]] = ..., subject_ref: _Optional[str] = ..., purpose: _Optional[_Union[Purpose, str]] = ..., channel: _Optional[_Union[_money_pb2.Channel, str]] = ..., allowed_channels: _Optional[_Iterable[_Union[_money_pb2.Channel, str]]] = ..., ledger_sequence: _Optional[int] = ..., decide_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LedgerEntry(_message.Message):
    __slots__ = ("sequence", "subject_ref", "kind", "payload_json", "record_time", "previous_hash", "entry_hash")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HASH_FIELD_NUMBER: _ClassVar[int]
    ENTRY_HASH_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    subject_ref: str
    kind: LedgerEntryKind
    payload_json: str
    record_time: _timestamp_pb2.Timestamp
    previous_hash: str
    entry_hash: str
    def __init__(self, sequence: _Optional[int] = ..., subject_ref: _Optional[str] = ..., kind: _Optional[_Union[LedgerEntryKind, str]] = ..., payload_json: _Optional[str] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., previous_hash: _Optional[str] = ..., entry_hash: _Optional[str] = ...) -> None: ...

class LedgerCheckpoint(_message.Message):
    __slots__ = ("sequence", "head_hash", "signature", "key_id", "public_key", "create_time")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    head_hash: str
    signature: bytes
    key_id: str
    public_key: bytes
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., head_hash: _Optional[str] = ..., signature: _Optional[bytes] = ..., key_id: _Optional[str] = ..., public_key: _Optional[bytes] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LedgerViolation(_message.Message):
    __slots__ = ("sequence", "kind")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    kind: LedgerViolationKind
    def __init__(self, sequence: _Optional[int] = ..., kind: _Optional[_Union[LedgerViolationKind, str]] = ...) -> None: ...

class ShredReceipt(_message.Message):
    __slots__ = ("subject_ref", "ledger_sequence", "shred_time")
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SHRED_TIME_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    ledger_sequence: int
    shred_time: _timestamp_pb2.Timestamp
    def __init__(self, subject_ref: _Optional[str] = ..., ledger_sequence: _Optional[int] = ..., shred_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
