from couponry.segmentation.v1 import segment_pb2 as _segment_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateSegmentRequest(_message.Message):
    __slots__ = ("segment", "request_id")
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    segment: _segment_pb2.Segment
    request_id: str
    def __init__(self, segment: _Optional[_Union[_segment_pb2.Segment, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateSegmentResponse(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: _segment_pb2.Segment
    def __init__(self, segment: _Optional[_Union[_segment_pb2.Segment, _Mapping]] = ...) -> None: ...

class GetSegmentRequest(_message.Message):
    __slots__ = ("segment_id",)
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    def __init__(self, segment_id: _Optional[str] = ...) -> None: ...

class GetSegmentResponse(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: _segment_pb2.Segment
    def __init__(self, segment: _Optional[_Union[_segment_pb2.Segment, _Mapping]] = ...) -> None: ...

class ListSegmentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSegmentsResponse(_message.Message):
    __slots__ = ("segments", "next_page_token")
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    segments: _containers.RepeatedCompositeFieldContainer[_segment_pb2.Segment]
    next_page_token: str
    def __init__(self, segments: _Optional[_Iterable[_Union[_segment_pb2.Segment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateSegmentRequest(_message.Message):
    __slots__ = ("segment", "update_mask", "request_id")
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    segment: _segment_pb2.Segment
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    def __init__(self, segment: _Optional[_Union[_segment_pb2.Segment, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpdateSegmentResponse(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: _segment_pb2.Segment
    def __init__(self, segment: _Optional[_Union[_segment_pb2.Segment, _Mapping]] = ...) -> None: ...

class DeleteSegmentRequest(_message.Message):
    __slots__ = ("segment_id", "request_id")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    request_id: str
    def __init__(self, segment_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeleteSegmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PreviewSegmentRequest(_message.Message):
    __slots__ = ("rule", "sample_size")
    RULE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_SIZE_FIELD_NUMBER: _ClassVar[int]
    rule: _segment_pb2.SegmentRule
    sample_size: int
    def __init__(self, rule: _Optional[_Union[_segment_pb2.SegmentRule, _Mapping]] = ..., sample_size: _Optional[int] = ...) -> None: ...

class PreviewSegmentResponse(_message.Message):
    __slots__ = ("member_count", "evaluated_count", "sample_subject_refs")
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_COUNT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_SUBJECT_REFS_FIELD_NUMBER: _ClassVar[int]
    member_count: int
    evaluated_count: int
    sample_subject_refs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, member_count: _Optional[int] = ..., evaluated_count: _Optional[int] = ..., sample_subject_refs: _Optional[_Iterable[str]] = ...) -> None: ...

class GetMembershipsRequest(_message.Message):
    __slots__ = ("subject_ref",)
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    def __init__(self, subject_ref: _Optional[str] = ...) -> None: ...

class GetMembershipsResponse(_message.Message):
    __slots__ = ("memberships",)
    MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    memberships: _containers.RepeatedCompositeFieldContainer[_segment_pb2.Membership]
    def __init__(self, memberships: _Optional[_Iterable[_Union[_segment_pb2.Membership, _Mapping]]] = ...) -> None: ...

class GetFeatureSnapshotRequest(_message.Message):
    __slots__ = ("subject_ref",)
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    def __init__(self, subject_ref: _Optional[str] = ...) -> None: ...

class GetFeatureSnapshotResponse(_message.Message):
    __slots__ = ("snapshot",)
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    snapshot: _segment_pb2.FeatureSnapshot
    def __init__(self, snapshot: _Optional[_Union[_segment_pb2.FeatureSnapshot, _Mapping]] = ...) -> None: ...

class ForgetSubjectRequest(_message.Message):
    __slots__ = ("subject_ref", "request_id")
    SUBJECT_REF_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    subject_ref: str
    request_id: str
    def __init__(self, subject_ref: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ForgetSubjectResponse(_message.Message):
    __slots__ = ("deleted_event_count",)
    DELETED_EVENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_event_count: int
    def __init__(self, deleted_event_count: _Optional[int] = ...) -> None: ...

class RecordSubjectEventsRequest(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_segment_pb2.SubjectEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[_segment_pb2.SubjectEvent, _Mapping]]] = ...) -> None: ...

class RecordSubjectEventsResponse(_message.Message):
    __slots__ = ("recorded_count", "duplicate_count")
    RECORDED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    recorded_count: int
    duplicate_count: int
    def __init__(self, recorded_count: _Optional[int] = ..., duplicate_count: _Optional[int] = ...) -> None: ...
