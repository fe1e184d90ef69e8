"""The segmentation servicer alone, driven in-process by grpcio-testing: no
network, no interceptors, just protobuf in and out over a real database."""

import grpc
import grpc_testing
import pytest

from couponry.segmentation.v1 import segment_pb2 as pb
from couponry.segmentation.v1 import segmentation_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import InvalidArgument, NotFound
from couponry_runtime.idempotency import IdempotentWrites
from couponry_services.segmentation.repository import idempotency_keys
from couponry_services.segmentation.servicer import SegmentationServicer

SERVICE = api.DESCRIPTOR.services_by_name["SegmentationService"]


@pytest.fixture
def server(database):
    db = database("segmentation")
    servicer = SegmentationServicer(db, IdempotentWrites(db, idempotency_keys))
    return grpc_testing.server_from_dictionary({SERVICE: servicer}, grpc_testing.strict_real_time())


def call(server, method: str, request):
    rpc = server.invoke_unary_unary(SERVICE.methods_by_name[method], (), request, None)
    response, _metadata, code, _details = rpc.termination()
    assert code == grpc.StatusCode.OK
    return response


def test_events_make_a_subject_a_member(server):
    rule = pb.SegmentRule(conditions=[pb.Condition(
        feature=pb.FEATURE_CATEGORY_AFFINITY, operator=pb.COMPARISON_OPERATOR_GREATER_THAN_OR_EQUAL,
        value=0.5, category="shoes")])
    segment = call(server, "CreateSegment", api.CreateSegmentRequest(
        segment=pb.Segment(display_name="shoe people", rule=rule))).segment
    call(server, "RecordSubjectEvents", api.RecordSubjectEventsRequest(events=[pb.SubjectEvent(
        event_id="e1", subject_ref="s1", type=pb.SUBJECT_EVENT_TYPE_VIEW, categories=["Shoes"],
        amount=money_pb2.Money(currency_code="EUR", amount_minor=0))]))
    memberships = call(server, "GetMemberships", api.GetMembershipsRequest(subject_ref="s1")).memberships
    assert [m.segment_id for m in memberships] == [segment.segment_id]


def test_servicer_raises_domain_errors_for_the_interceptor_to_map(database):
    # Mapping to rich statuses is the server interceptor's job (tested over a
    # real server); the servicer itself only raises typed domain errors.
    db = database("segmentation")
    servicer = SegmentationServicer(db, IdempotentWrites(db, idempotency_keys))
    with pytest.raises(NotFound) as missing:
        servicer.GetSegment(api.GetSegmentRequest(segment_id="nope"), None)
    assert missing.value.reason == "SEGMENT_NOT_FOUND"
    with pytest.raises(InvalidArgument) as invalid:
        servicer.GetMemberships(api.GetMembershipsRequest(), None)
    assert invalid.value.field_violations[0].field == "subject_ref"
