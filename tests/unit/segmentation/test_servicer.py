import grpc
import pytest
from google.protobuf import field_mask_pb2

from couponry.segmentation.v1 import segment_pb2 as pb
from couponry.segmentation.v1 import segmentation_service_pb2 as api
from couponry.segmentation.v1 import segmentation_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from tests.helpers import channel_to, rpc_error

RECENT_BUYER = pb.SegmentRule(conditions=[
    pb.Condition(feature=pb.FEATURE_FREQUENCY_30D, operator=pb.COMPARISON_OPERATOR_GREATER_THAN_OR_EQUAL, value=1)])


@pytest.fixture
def stub(start):
    return api_grpc.SegmentationServiceStub(channel_to(start("segmentation")))


def purchase(event_id, subject_ref, amount=2500):
    return pb.SubjectEvent(event_id=event_id, subject_ref=subject_ref, type=pb.SUBJECT_EVENT_TYPE_PURCHASE,
                           categories=["shoes"], amount=money_pb2.Money(currency_code="EUR", amount_minor=amount))


def test_subject_joins_segment_after_a_purchase_and_leaves_when_forgotten(stub):
    segment = stub.CreateSegment(api.CreateSegmentRequest(
        segment=pb.Segment(display_name="recent buyers", rule=RECENT_BUYER))).segment
    assert stub.GetMemberships(api.GetMembershipsRequest(subject_ref="s1")).memberships == []

    recorded = stub.RecordSubjectEvents(api.RecordSubjectEventsRequest(events=[purchase("e1", "s1"), purchase("e1", "s1")]))
    assert (recorded.recorded_count, recorded.duplicate_count) == (1, 1)
    memberships = stub.GetMemberships(api.GetMembershipsRequest(subject_ref="s1")).memberships
    assert [m.segment_id for m in memberships] == [segment.segment_id]
    snapshot = stub.GetFeatureSnapshot(api.GetFeatureSnapshotRequest(subject_ref="s1")).snapshot
    assert snapshot.frequency_30d == 1 and snapshot.monetary_90d.amount_minor == 2500

    assert stub.ForgetSubject(api.ForgetSubjectRequest(subject_ref="s1")).deleted_event_count == 1
    assert stub.GetMemberships(api.GetMembershipsRequest(subject_ref="s1")).memberships == []
    assert stub.GetFeatureSnapshot(api.GetFeatureSnapshotRequest(subject_ref="s1")).snapshot.event_count == 0


def test_segment_crud_and_paging(stub):
    ids = [stub.CreateSegment(api.CreateSegmentRequest(segment=pb.Segment(display_name=f"s{i}", rule=RECENT_BUYER)))
           .segment.segment_id for i in range(3)]
    first = stub.ListSegments(api.ListSegmentsRequest(page_size=2))
    second = stub.ListSegments(api.ListSegmentsRequest(page_size=2, page_token=first.next_page_token))
    listed = [s.segment_id for s in list(first.segments) + list(second.segments)]
    assert len(first.segments) == 2 and sorted(listed) == sorted(ids)
    assert second.next_page_token == ""

    updated = stub.UpdateSegment(api.UpdateSegmentRequest(
        segment=pb.Segment(segment_id=ids[0], description="changed"),
        update_mask=field_mask_pb2.FieldMask(paths=["description"]))).segment
    assert updated.description == "changed" and updated.display_name == "s0"

    stub.DeleteSegment(api.DeleteSegmentRequest(segment_id=ids[0]))
    assert rpc_error(stub.GetSegment, api.GetSegmentRequest(segment_id=ids[0])).reason == "SEGMENT_NOT_FOUND"


def test_create_with_the_same_request_id_creates_once(stub):
    request = api.CreateSegmentRequest(segment=pb.Segment(display_name="once", rule=RECENT_BUYER), request_id="r-1")
    assert stub.CreateSegment(request).segment.segment_id == stub.CreateSegment(request).segment.segment_id
    assert len(stub.ListSegments(api.ListSegmentsRequest()).segments) == 1
    reused = api.CreateSegmentRequest(segment=pb.Segment(display_name="other", rule=RECENT_BUYER), request_id="r-1")
    assert rpc_error(stub.CreateSegment, reused).reason == "REQUEST_ID_REUSED"


def test_duplicate_name_is_already_exists(stub):
    stub.CreateSegment(api.CreateSegmentRequest(segment=pb.Segment(display_name="dup", rule=RECENT_BUYER)))
    error = rpc_error(stub.CreateSegment, api.CreateSegmentRequest(segment=pb.Segment(display_name="dup", rule=RECENT_BUYER)))
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "SEGMENT_NAME_TAKEN")


def test_bad_rules_and_events_are_invalid_argument_with_every_field_named(stub):
    error = rpc_error(stub.CreateSegment, api.CreateSegmentRequest(segment=pb.Segment(rule=pb.SegmentRule(conditions=[
        pb.Condition(feature=42, operator=pb.COMPARISON_OPERATOR_EQUAL),
        pb.Condition(feature=pb.FEATURE_CATEGORY_AFFINITY, operator=pb.COMPARISON_OPERATOR_EQUAL)]))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT and error.reason == "INVALID_REQUEST"
    assert {v.field for v in error.field_violations} == {
        "segment.display_name", "segment.rule.conditions[0].feature", "segment.rule.conditions[1].category"}

    bad_event = purchase("e9", "s9", amount=-5)
    error = rpc_error(stub.RecordSubjectEvents, api.RecordSubjectEventsRequest(events=[bad_event]))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.field_violations[0].field == "events[0].amount.amount_minor"
    # nothing was written
    assert stub.GetFeatureSnapshot(api.GetFeatureSnapshotRequest(subject_ref="s9")).snapshot.event_count == 0


def test_preview_counts_matching_subjects_without_saving(stub):
    stub.RecordSubjectEvents(api.RecordSubjectEventsRequest(events=[purchase("a", "s1"), purchase("b", "s2")]))
    preview = stub.PreviewSegment(api.PreviewSegmentRequest(rule=RECENT_BUYER))
    assert (preview.member_count, preview.evaluated_count) == (2, 2)
    assert sorted(preview.sample_subject_refs) == ["s1", "s2"]
    assert stub.ListSegments(api.ListSegmentsRequest()).segments == []
