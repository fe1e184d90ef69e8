"""Interaction events (consent-gated) and the withdrawal cascade through the outbox."""

from __future__ import annotations

import time
from concurrent import futures

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import func, select, update

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.segmentation.v1 import segmentation_service_pb2 as seg_api
from couponry.segmentation.v1 import segmentation_service_pb2_grpc as seg_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error
from couponry_services.profile.repository import InteractionEventRow, OutboxRow

PROFILING, ALL = cpb.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL


def event(customer_id: str, event_id: str, kind=pb.EVENT_TYPE_VIEW, **fields) -> pb.InteractionEvent:
    return pb.InteractionEvent(event_id=event_id, customer_id=customer_id, type=kind, product_id="sku-1",
                               categories=["shoes"], **fields)


def purchase(customer_id: str, event_id: str, minor: int = 4999) -> pb.InteractionEvent:
    return event(customer_id, event_id, pb.EVENT_TYPE_PURCHASE,
                 amount=money_pb2.Money(currency_code="EUR", amount_minor=minor))


def record(profile, ev):
    return profile.stub.RecordInteraction(api.RecordInteractionRequest(event=ev)).disposition


def stored_events(profile) -> int:
    with profile.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(InteractionEventRow))


def outbox(profile) -> list[tuple[str, str]]:
    with profile.database.transaction() as session:
        return [(r.peer, r.action) for r in session.scalars(select(OutboxRow).order_by(OutboxRow.outbox_id))]


def snapshot(service, subject_ref):
    channel = grpc.insecure_channel(f"127.0.0.1:{service.port}")
    try:
        return seg_grpc.SegmentationServiceStub(channel).GetFeatureSnapshot(
            seg_api.GetFeatureSnapshotRequest(subject_ref=subject_ref), timeout=5).snapshot
    finally:
        channel.close()


def test_events_without_profiling_consent_are_counted_and_dropped(profile):
    cid = profile.create().customer_id
    assert record(profile, event(cid, "e-1")) == pb.EVENT_DISPOSITION_DROPPED_NO_CONSENT
    profile.consent(cid, cpb.PURPOSE_PERSONALIZED_OFFERS, ALL, cpb.CONSENT_STATE_GRANTED)  # not profiling
    assert record(profile, event(cid, "e-2")) == pb.EVENT_DISPOSITION_DROPPED_NO_CONSENT
    assert stored_events(profile) == 0 and outbox(profile) == []
    assert profile.service.parts.extra["servicer"].counters["dropped"] == 2


def test_accepted_events_are_stored_once_and_queued_under_the_subject_only(profile):
    customer = profile.create()
    cid = customer.customer_id
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    assert record(profile, purchase(cid, "e-1")) == pb.EVENT_DISPOSITION_ACCEPTED
    assert record(profile, purchase(cid, "e-1")) == pb.EVENT_DISPOSITION_DUPLICATE
    assert stored_events(profile) == 1
    with profile.database.transaction() as session:
        rows = list(session.scalars(select(OutboxRow)))
    assert [(r.peer, r.action, r.subject_ref) for r in rows] == [("segmentation", "record_events", customer.subject_ref)]
    assert cid not in repr(rows[0].payload) and "customer_id" not in rows[0].payload


def test_bad_events_and_unknown_customers(profile):
    cid = profile.create().customer_id
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    for ev, code, reason in (
        (event("nobody", "x-1"), grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND"),
        (event(cid, "x-2", kind=0), grpc.StatusCode.INVALID_ARGUMENT, "MISSING_FIELD"),
        (event(cid, "x-3", kind=pb.EVENT_TYPE_PURCHASE), grpc.StatusCode.INVALID_ARGUMENT, "MISSING_FIELD"),
        (purchase(cid, "x-4", minor=-1), grpc.StatusCode.INVALID_ARGUMENT, "NEGATIVE_AMOUNT"),
    ):
        try:
            record(profile, ev)
            raise AssertionError("accepted a bad event")
        except grpc.RpcError as error:
            rich = parse_rpc_error(error)
            assert (rich.code, rich.reason) == (code, reason)
    assert stored_events(profile) == 0


def test_stream_counts_every_disposition(profile):
    yes = profile.create(external_id="yes").customer_id
    no = profile.create(external_id="no").customer_id
    profile.consent(yes, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    events = [event(yes, f"s-{i}") for i in range(250)] + [event(yes, "s-0"), event(no, "n-1"), event(no, "n-2"),
                                                          event("ghost", "g-1"), event(yes, "bad", kind=0)]
    response = profile.stub.StreamInteractions(api.StreamInteractionsRequest(event=e) for e in events)
    assert (response.accepted_count, response.duplicate_count, response.dropped_no_consent_count,
            response.rejected_count) == (250, 1, 2, 2)
    assert stored_events(profile) == 250


def test_events_reach_segmentation_under_the_subject_ref(profile, start):
    segmentation = start("segmentation")
    customer = profile.create()
    profile.consent(customer.customer_id, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    for i in range(3):
        record(profile, purchase(customer.customer_id, f"p-{i}"))
    result = profile.dispatcher.run_once()
    assert result.delivered == 3 and outbox(profile) == []
    assert snapshot(segmentation, customer.subject_ref).event_count == 3


def test_withdrawal_cascade_survives_a_peer_that_is_down(profile, start):
    segmentation = start("segmentation")
    customer = profile.create()
    cid, subject = customer.customer_id, customer.subject_ref
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    record(profile, purchase(cid, "p-1"))
    profile.dispatcher.run_once()
    assert snapshot(segmentation, subject).event_count == 1

    segmentation.stop(0)  # the peer goes down
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_WITHDRAWN)
    # Takes effect at once for new events and decisions, and nothing is held.
    assert record(profile, purchase(cid, "p-2")) == pb.EVENT_DISPOSITION_DROPPED_NO_CONSENT
    assert stored_events(profile) == 0
    assert outbox(profile) == [("segmentation", "forget_subject")]
    result = profile.dispatcher.run_once()
    assert result.delivered == 0 and result.failed == 1
    with profile.database.transaction() as session:
        row = session.scalars(select(OutboxRow)).one()
        assert row.attempts == 1 and row.last_status in ("UNAVAILABLE", "DEADLINE_EXCEEDED")
    # Not due yet: backoff.
    assert profile.dispatcher.run_once().failed == 0

    segmentation = start("segmentation")  # back up, same port and database
    assert snapshot(segmentation, subject).event_count == 1
    # Retried until acknowledged (the channel may still be in reconnect backoff).
    deadline = time.monotonic() + 10
    while profile.dispatcher.run_once(ignore_backoff=True).delivered == 0:
        assert time.monotonic() < deadline, "never delivered"
    assert outbox(profile) == []
    assert snapshot(segmentation, subject).event_count == 0


def test_opt_out_and_offer_withdrawal_notify_campaign_and_redemption(profile):
    customer = profile.create()
    cid = customer.customer_id
    profile.consent(cid, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL, cpb.CONSENT_STATE_GRANTED)
    assert outbox(profile) == []
    profile.consent(cid, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL, cpb.CONSENT_STATE_WITHDRAWN)
    assert outbox(profile) == [("campaign", "void_subject_offers"), ("redemption", "void_subject_codes")]
    profile.opt_out(cid)
    assert outbox(profile)[2:] == [("segmentation", "forget_subject"), ("campaign", "void_subject_offers"),
                                   ("redemption", "void_subject_codes")]
    profile.opt_out(cid)  # already opted out: nothing new to tell
    assert len(outbox(profile)) == 5


def test_unimplemented_peer_is_not_an_acknowledgement(profile, settings):
    # A bare server on campaign's and redemption's ports answers UNIMPLEMENTED,
    # as a peer that does not have the RPC yet would.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    for name in ("campaign", "redemption"):
        server.add_insecure_port(f"127.0.0.1:{settings.port(name)}")
    server.start()
    try:
        cid = profile.create().customer_id
        profile.opt_out(cid, True, source=cpb.CONSENT_SOURCE_GPC_SIGNAL)
        assert outbox(profile) == [("campaign", "void_subject_offers"), ("redemption", "void_subject_codes")]
        result = profile.dispatcher.run_once()
        assert result.failed == 2 and result.delivered == 0
        with profile.database.transaction() as session:
            assert {r.last_status for r in session.scalars(select(OutboxRow))} == {"UNIMPLEMENTED"}
    finally:
        server.stop(0)


def test_retention_purge_removes_old_events_only(profile):
    from datetime import timedelta

    from couponry_runtime.convert import utcnow
    from couponry_services.profile.service import purge_old_events
    cid = profile.create().customer_id
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    record(profile, event(cid, "old"))
    record(profile, event(cid, "new"))
    with profile.database.transaction() as session:
        session.execute(update(InteractionEventRow).where(InteractionEventRow.event_id == "old")
                        .values(occur_time=utcnow() - timedelta(days=400)))
    assert purge_old_events(profile.database, profile.core.config) == 1
    with profile.database.transaction() as session:
        assert list(session.scalars(select(InteractionEventRow.event_id))) == ["new"]


def test_occur_time_defaults_to_receipt(profile):
    cid = profile.create().customer_id
    profile.consent(cid, PROFILING, ALL, cpb.CONSENT_STATE_GRANTED)
    stamp = Timestamp()
    stamp.GetCurrentTime()
    assert record(profile, event(cid, "t-1", occur_time=stamp)) == pb.EVENT_DISPOSITION_ACCEPTED
    assert record(profile, event(cid, "t-2")) == pb.EVENT_DISPOSITION_ACCEPTED
