"""The whole stack as `couponry up` starts it: health, reflection, rich errors
for malformed input on every service, and no personal data in telemetry."""

import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.profile.v1 import consent_pb2, customer_pb2
from couponry.profile.v1 import profile_service_pb2 as profile_api
from couponry.redemption.v1 import redemption_pb2
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from couponry.segmentation.v1 import segment_pb2
from couponry.segmentation.v1 import segmentation_service_pb2 as segmentation_api
from couponry.type.v1 import money_pb2
from couponry_runtime.settings import SERVICE_NAMES
from tests.helpers import channel_to, free_port, rpc_error
from tests.integration.thin_path import (
    SEEDED_EMAIL,
    SEEDED_GIVEN_NAME,
    SEEDED_PHONE,
    Stubs,
    active_campaigns,
    create_customer,
    offers_for,
)

FULL_NAMES = {
    "profile": "couponry.profile.v1.ProfileService",
    "segmentation": "couponry.segmentation.v1.SegmentationService",
    "campaign": "couponry.campaign.v1.CampaignService",
    "redemption": "couponry.redemption.v1.RedemptionService",
}


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_service_reports_serving_and_answers_reflection(stack, name):
    channel = channel_to(stack[name])
    health = health_pb2_grpc.HealthStub(channel)
    for service in (FULL_NAMES[name], ""):
        status = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=2).status
        assert status == health_pb2.HealthCheckResponse.SERVING
    assert FULL_NAMES[name] in set(ProtoReflectionDescriptorDatabase(channel).get_services())


def test_health_probes_and_reflection_leave_no_spans_but_calls_do(start, spans):
    from couponry.segmentation.v1 import segmentation_service_pb2_grpc as segmentation_grpc

    service = start("segmentation")
    channel = channel_to(service)
    for _ in range(3):
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
    assert FULL_NAMES["segmentation"] in ProtoReflectionDescriptorDatabase(channel).get_services()
    segmentation_grpc.SegmentationServiceStub(channel).ListSegments(segmentation_api.ListSegmentsRequest(), timeout=5)
    names = [span.name for span in spans.get_finished_spans()]
    assert f"/{FULL_NAMES['segmentation']}/ListSegments" in names
    assert not [name for name in names if "grpc.health" in name or "grpc.reflection" in name], names


def test_services_named_in_the_standard_exclusion_variable_are_not_traced(start, spans, monkeypatch):
    # OTEL_PYTHON_GRPC_EXCLUDED_SERVICES is how platform teams take a hot
    # service out of tracing; the other services stay traced.
    from couponry.segmentation.v1 import segmentation_service_pb2_grpc as segmentation_grpc

    monkeypatch.setenv("OTEL_PYTHON_GRPC_EXCLUDED_SERVICES",
                       f" grpc.testing.Nothing , {FULL_NAMES['segmentation']} ")
    excluded = start("segmentation")
    segmentation_grpc.SegmentationServiceStub(channel_to(excluded)).ListSegments(
        segmentation_api.ListSegmentsRequest(), timeout=5)
    assert not spans.get_finished_spans()

    monkeypatch.setenv("OTEL_PYTHON_GRPC_EXCLUDED_SERVICES", FULL_NAMES["profile"])
    traced = start("segmentation", segmentation_port=free_port())
    segmentation_grpc.SegmentationServiceStub(channel_to(traced)).ListSegments(
        segmentation_api.ListSegmentsRequest(), timeout=5)
    assert [span.name for span in spans.get_finished_spans()] == [f"/{FULL_NAMES['segmentation']}/ListSegments"]


def test_a_stopping_service_reports_not_serving_before_it_goes(start):
    service = start("segmentation")
    health = health_pb2_grpc.HealthStub(channel_to(service))
    service.health.enter_graceful_shutdown()
    status = health.Check(health_pb2.HealthCheckRequest(service=FULL_NAMES["segmentation"]), timeout=2).status
    assert status == health_pb2.HealthCheckResponse.NOT_SERVING


MALFORMED = {
    # missing required field
    "profile": lambda s: s.profile.SetConsent(profile_api.SetConsentRequest(
        purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS, channel=money_pb2.CHANNEL_EMAIL,
        state=consent_pb2.CONSENT_STATE_GRANTED)),
    # bad enum value
    "segmentation": lambda s: s.segmentation.CreateSegment(segmentation_api.CreateSegmentRequest(
        segment=segment_pb2.Segment(display_name="x", rule=segment_pb2.SegmentRule(
            conditions=[segment_pb2.Condition(feature=77, operator=segment_pb2.COMPARISON_OPERATOR_EQUAL)])))),
    "campaign": lambda s: s.campaign.GetPersonalizedOffers(campaign_api.GetPersonalizedOffersRequest(
        customer_id="c", channel=123)),
    # negative amount
    "redemption": lambda s: s.redemption.RedeemCode(redemption_api.RedeemCodeRequest(
        code="ABCD-EFGH", subject_ref="s", request_id="r",
        order=redemption_pb2.Order(order_id="o", total=money_pb2.Money(currency_code="EUR", amount_minor=-100)))),
}


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_malformed_requests_are_invalid_argument_with_a_reason(stack, name):
    error = rpc_error(MALFORMED[name], Stubs(stack))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason and error.domain == f"{name}.couponry"
    assert error.field_violations


def test_create_campaign_with_a_negative_amount_is_invalid_argument(stack):
    stubs = Stubs(stack)
    error = rpc_error(stubs.campaign.CreateCampaign, campaign_api.CreateCampaignRequest(campaign=campaign_pb2.Campaign(
        display_name="neg", offer=campaign_pb2.OfferTemplate(currency_code="EUR", discount=money_pb2.Discount(
            type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=money_pb2.Money(currency_code="EUR", amount_minor=-5))))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "campaign.offer.discount.amount.amount_minor" in {v.field for v in error.field_violations}


def test_no_personal_data_reaches_logs_or_spans(stack, spans, caplog):
    caplog.set_level(logging.DEBUG)
    stubs = Stubs(stack)
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True, email=SEEDED_EMAIL)
    offers_for(stubs, customer_id)
    stubs.profile.GetCustomer(profile_api.GetCustomerRequest(customer_id=customer_id,
                                                             view=customer_pb2.CUSTOMER_VIEW_FULL))
    # a failing lookup by a seeded value must not echo it either
    with pytest.raises(grpc.RpcError) as caught:
        stubs.profile.FindCustomer(profile_api.FindCustomerRequest(email="nobody-" + SEEDED_EMAIL))
    assert SEEDED_EMAIL not in (caught.value.details() or "")

    seeded = [SEEDED_EMAIL, SEEDED_GIVEN_NAME, SEEDED_PHONE, SEEDED_EMAIL.split("@")[0]]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    telemetry = []
    for span in spans.get_finished_spans():
        telemetry += [span.name, *map(str, span.attributes.values())]
        for event in span.events:
            telemetry += map(str, event.attributes.values())
    text = logged + "\n".join(telemetry)
    for value in seeded:
        assert value not in text


def test_consent_decisions_are_counted_by_reason_never_by_customer(stack, metrics):
    # `metrics` reads the first service started: profile.
    stubs = Stubs(stack)
    customer_id = create_customer(stubs, consent=False)
    stubs.profile.AuthorizePersonalization(profile_api.AuthorizePersonalizationRequest(
        customer_id=customer_id, purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS, channel=money_pb2.CHANNEL_EMAIL))
    points = [point for rm in metrics.get_metrics_data().resource_metrics for sm in rm.scope_metrics
              for metric in sm.metrics if metric.name == "couponry.consent.decisions" for point in metric.data.data_points]
    assert [dict(p.attributes) for p in points] == [{
        "couponry.purpose": "PERSONALIZED_OFFERS", "couponry.channel": "EMAIL",
        "couponry.decision.allowed": False, "couponry.decision.reason": "NO_CONSENT"}]
    assert customer_id not in str([dict(p.attributes) for p in points])


def test_a_nul_character_in_an_id_is_bad_input_never_an_internal_error(stack):
    # Found in review: PostgreSQL refuses NUL in text, which surfaced as INTERNAL.
    from couponry.redemption.v1 import redemption_service_pb2 as redemption_api

    stubs = Stubs(stack)
    calls = [
        lambda: stubs.profile.GetCustomer(profile_api.GetCustomerRequest(customer_id="c\x00")),
        lambda: stubs.profile.AuthorizePersonalization(profile_api.AuthorizePersonalizationRequest(
            customer_id="c\x00", purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS, channel=money_pb2.CHANNEL_EMAIL)),
        lambda: stubs.campaign.GetCampaign(campaign_api.GetCampaignRequest(campaign_id="c\x00")),
        lambda: stubs.redemption.GetPromotion(redemption_api.GetPromotionRequest(promotion_id="p\x00")),
        lambda: stubs.redemption.RollbackRedemption(redemption_api.RollbackRedemptionRequest(
            redemption_id="r\x00", request_id="nul-1")),
    ]
    for call in calls:
        error = rpc_error(call)
        assert error.code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND), error
    # and an offer request for such a customer is refused, not "consent unavailable"
    error = rpc_error(stubs.campaign.GetPersonalizedOffers, campaign_api.GetPersonalizedOffersRequest(
        customer_id="c\x00", channel=money_pb2.CHANNEL_EMAIL))
    assert error.code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)
