import grpc
import pytest
from google.protobuf import field_mask_pb2

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry.campaign.v1 import campaign_service_pb2 as api
from couponry.campaign.v1 import campaign_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from tests.helpers import channel_to, rpc_error


def eur(minor):
    return money_pb2.Money(currency_code="EUR", amount_minor=minor)


def ten_off() -> pb.OfferTemplate:
    return pb.OfferTemplate(currency_code="EUR", discount=money_pb2.Discount(
        type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(1000)), minimum_order=eur(5000))


@pytest.fixture
def campaign_service(start):
    return start("campaign")


@pytest.fixture
def stub(campaign_service):
    return api_grpc.CampaignServiceStub(channel_to(campaign_service))


def create(stub, **fields):
    fields.setdefault("display_name", "autumn")
    fields.setdefault("offer", ten_off())
    return stub.CreateCampaign(api.CreateCampaignRequest(campaign=pb.Campaign(**fields))).campaign


def test_create_get_update_list_delete(stub):
    created = create(stub, channels=[money_pb2.CHANNEL_EMAIL], holdout_percent=10)
    assert created.state == pb.CAMPAIGN_STATE_DRAFT and created.offer == ten_off()
    assert stub.GetCampaign(api.GetCampaignRequest(campaign_id=created.campaign_id)).campaign == created

    updated = stub.UpdateCampaign(api.UpdateCampaignRequest(
        campaign=pb.Campaign(campaign_id=created.campaign_id, priority=7, display_name="ignored"),
        update_mask=field_mask_pb2.FieldMask(paths=["priority"]))).campaign
    assert updated.priority == 7 and updated.display_name == "autumn"

    listed = stub.ListCampaigns(api.ListCampaignsRequest(state=pb.CAMPAIGN_STATE_DRAFT)).campaigns
    assert [c.campaign_id for c in listed] == [created.campaign_id]

    stub.DeleteCampaign(api.DeleteCampaignRequest(campaign_id=created.campaign_id))
    assert rpc_error(stub.GetCampaign, api.GetCampaignRequest(campaign_id=created.campaign_id)).reason == "CAMPAIGN_NOT_FOUND"


def test_variants_round_trip(stub):
    variants = [pb.Variant(variant_id="a", weight=1, offer=ten_off()), pb.Variant(variant_id="b", weight=2, offer=ten_off())]
    created = create(stub, offer=None, variants=variants)
    assert [(v.variant_id, v.weight) for v in created.variants] == [("a", 1), ("b", 2)]


def test_invalid_campaign_names_every_bad_field_and_writes_nothing(stub):
    bad = pb.OfferTemplate(currency_code="euro", discount=money_pb2.Discount(
        type=money_pb2.DISCOUNT_TYPE_PERCENT, percent=150, percent_cap=eur(-1)))
    error = rpc_error(stub.CreateCampaign, api.CreateCampaignRequest(campaign=pb.Campaign(
        offer=bad, holdout_percent=101, channels=[99])))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT and error.reason == "INVALID_REQUEST"
    assert {v.field for v in error.field_violations} >= {
        "campaign.display_name", "campaign.channels[0]", "campaign.holdout_percent", "campaign.offer.currency_code",
        "campaign.offer.discount.percent"}
    assert stub.ListCampaigns(api.ListCampaignsRequest()).campaigns == []


def test_update_that_would_make_the_campaign_invalid_changes_nothing(stub):
    created = create(stub)
    error = rpc_error(stub.UpdateCampaign, api.UpdateCampaignRequest(
        campaign=pb.Campaign(campaign_id=created.campaign_id, holdout_percent=500),
        update_mask=field_mask_pb2.FieldMask(paths=["holdout_percent"])))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert stub.GetCampaign(api.GetCampaignRequest(campaign_id=created.campaign_id)).campaign.holdout_percent == 0


def test_lifecycle_rules(stub):
    created = create(stub)
    error = rpc_error(stub.PauseCampaign, api.PauseCampaignRequest(campaign_id=created.campaign_id))
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "INVALID_CAMPAIGN_STATE")
    ended = stub.EndCampaign(api.EndCampaignRequest(campaign_id=created.campaign_id)).campaign
    assert ended.state == pb.CAMPAIGN_STATE_ENDED
    assert rpc_error(stub.DeleteCampaign, api.DeleteCampaignRequest(campaign_id=created.campaign_id)).reason == "CAMPAIGN_NOT_DRAFT"


def test_activation_without_redemption_fails_and_leaves_a_draft(stub):
    created = create(stub)
    error = rpc_error(stub.ActivateCampaign, api.ActivateCampaignRequest(campaign_id=created.campaign_id))
    assert (error.code, error.reason) == (grpc.StatusCode.UNAVAILABLE, "PROMOTION_REGISTRATION_FAILED")
    assert stub.GetCampaign(api.GetCampaignRequest(campaign_id=created.campaign_id)).campaign.state == pb.CAMPAIGN_STATE_DRAFT


def test_offers_fail_closed_when_profile_cannot_be_asked(stub):
    # No profile service is running: there is no consent decision, so no offer.
    response = stub.GetPersonalizedOffers(api.GetPersonalizedOffersRequest(
        customer_id="c-1", channel=money_pb2.CHANNEL_EMAIL))
    assert list(response.offers) == []
    assert response.decision.outcome == pb.DECISION_OUTCOME_NO_OFFER
    assert response.decision.reason == pb.NO_OFFER_REASON_CONSENT_UNAVAILABLE
    logged = stub.GetOfferDecision(api.GetOfferDecisionRequest(decision_id=response.decision.decision_id)).decision
    assert logged == response.decision


def test_decisions_are_counted_by_outcome_and_reason_without_identifiers(stub, metrics):
    stub.GetPersonalizedOffers(api.GetPersonalizedOffersRequest(customer_id="c-9", channel=money_pb2.CHANNEL_SMS))
    points = [point for rm in metrics.get_metrics_data().resource_metrics for sm in rm.scope_metrics
              for metric in sm.metrics if metric.name == "couponry.offer.decisions" for point in metric.data.data_points]
    assert [(dict(p.attributes), p.value) for p in points] == [
        ({"outcome": "DECISION_OUTCOME_NO_OFFER", "reason": "NO_OFFER_REASON_CONSENT_UNAVAILABLE"}, 1)]


def test_offer_requests_are_validated(stub):
    error = rpc_error(stub.GetPersonalizedOffers, api.GetPersonalizedOffersRequest(
        channel=money_pb2.CHANNEL_ALL, max_offers=50))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.field_violations} == {"customer_id", "channel", "max_offers"}


def test_watch_streams_decisions_in_order_and_resumes(stub):
    made = [stub.GetPersonalizedOffers(api.GetPersonalizedOffersRequest(
        customer_id=f"c{i}", channel=money_pb2.CHANNEL_EMAIL)).decision for i in range(3)]
    stream = stub.WatchOffers(api.WatchOffersRequest(), timeout=5)
    seen = [next(stream).decision for _ in range(3)]
    stream.cancel()
    assert [d.decision_id for d in seen] == [d.decision_id for d in made]
    resumed = stub.WatchOffers(api.WatchOffersRequest(after_sequence=seen[1].sequence), timeout=5)
    assert next(resumed).decision.decision_id == made[2].decision_id
    resumed.cancel()


def test_void_subject_offers_is_safe_for_unknown_subjects(stub):
    assert stub.VoidSubjectOffers(api.VoidSubjectOffersRequest(subject_ref="nobody")).voided_count == 0
