"""The path of a personalized offer through all four services, on real
servers on loopback ports and the test's database (SQLite or PostgreSQL)."""

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from tests.integration.thin_path import Stubs, active_campaigns, create_customer, offers_for


def test_a_consenting_customer_gets_an_offer_with_a_real_code(stack):
    stubs = Stubs(stack)
    untargeted, _ = active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True)

    response = offers_for(stubs, customer_id)

    assert len(response.offers) == 1
    offer = response.offers[0]
    assert offer.campaign_id == untargeted and offer.code.startswith("WB")
    decision = response.decision
    assert decision.outcome == campaign_pb2.DECISION_OUTCOME_OFFERED
    assert decision.consent_decision_id and decision.consent_reason == "DECISION_REASON_CONSENTED"
    assert decision.subject_ref and decision.subject_ref != customer_id
    # The code exists at redemption, published to the subject and nobody else.
    code = stubs.redemption.GetCode(redemption_api.GetCodeRequest(code=offer.code)).code
    assert code.subject_ref == decision.subject_ref and code.promotion_id == offer.promotion_id


def test_an_opted_out_customer_gets_no_offer_and_the_reason(stack):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True, opted_out=True)

    response = offers_for(stubs, customer_id)

    assert list(response.offers) == []
    assert response.decision.outcome == campaign_pb2.DECISION_OUTCOME_NO_OFFER
    assert response.decision.reason == campaign_pb2.NO_OFFER_REASON_CONSENT_DENIED
    assert response.decision.consent_reason == "DECISION_REASON_OPTED_OUT"


def test_a_customer_who_never_consented_gets_no_offer(stack):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    response = offers_for(stubs, create_customer(stubs, consent=False))
    assert list(response.offers) == []
    assert response.decision.consent_reason == "DECISION_REASON_NO_CONSENT"


def test_a_retried_request_returns_the_same_offer_and_issues_no_second_code(stack):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True)
    first = offers_for(stubs, customer_id, request_id="offer-req-1")
    again = offers_for(stubs, customer_id, request_id="offer-req-1")
    assert first == again
    listed = stubs.campaign.ListOfferDecisions(
        campaign_api.ListOfferDecisionsRequest(subject_ref=first.decision.subject_ref)).decisions
    assert len(listed) == 1


def test_one_trace_covers_all_four_services(stack, spans):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True)
    spans.clear()

    offers_for(stubs, customer_id)

    root = next(s for s in spans.get_finished_spans()
                if s.name.endswith("CampaignService/GetPersonalizedOffers") and s.kind.name == "SERVER")
    in_trace = [s for s in spans.get_finished_spans() if s.context.trace_id == root.context.trace_id]
    services = {s.resource.attributes["service.name"] for s in in_trace if s.kind.name == "SERVER"}
    assert services == {"couponry-campaign", "couponry-profile", "couponry-segmentation", "couponry-redemption"}
