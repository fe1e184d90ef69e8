"""The typed client callers use: deadlines on every call and readable errors."""

import grpc
import pytest

from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.segmentation.v1 import segmentation_service_pb2 as segmentation_api
from couponry_client import Couponry, CouponryError
from couponry_runtime.settings import SERVICE_NAMES


@pytest.fixture
def client(start, settings):
    start("segmentation")
    start("campaign")
    with Couponry({name: settings.target(name) for name in SERVICE_NAMES}, timeout_seconds=0.5) as couponry:
        yield couponry


def test_errors_carry_the_stable_reason(client):
    with pytest.raises(grpc.RpcError) as caught:
        client.segmentation.GetSegment(segmentation_api.GetSegmentRequest(segment_id="missing"))
    error = CouponryError.of(caught.value)
    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "SEGMENT_NOT_FOUND")
    assert "SEGMENT_NOT_FOUND" in str(error)


def test_every_call_gets_the_default_deadline(client):
    # WatchOffers never ends by itself; the client's default deadline ends it.
    stream = client.campaign.WatchOffers(campaign_api.WatchOffersRequest())
    with pytest.raises(grpc.RpcError) as caught:
        list(stream)
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_targets_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("COUPONRY_PROFILE_TARGET", "profile.internal:50051")
    with Couponry.from_env() as couponry:
        assert couponry.profile is not None
    with pytest.raises(ValueError):
        Couponry({"profile": "x:1"})
