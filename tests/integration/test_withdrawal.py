"""Withdrawal across the stack: profile's outbox tells segmentation to forget
and campaign and redemption to void, and new decisions deny at once."""

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.profile.v1 import consent_pb2, customer_pb2
from couponry.profile.v1 import profile_service_pb2 as profile_api
from couponry.redemption.v1 import promotion_pb2
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from couponry.segmentation.v1 import segmentation_service_pb2 as segmentation_api
from couponry.type.v1 import money_pb2
from tests.integration.thin_path import Stubs, active_campaigns, create_customer, eur, evidence, offers_for


def set_consent(stubs, customer_id, purpose, channel, state, request_id):
    stubs.profile.SetConsent(profile_api.SetConsentRequest(
        customer_id=customer_id, purpose=purpose, channel=channel, state=state, evidence=evidence(),
        request_id=request_id))


def test_withdrawing_consent_voids_codes_and_forgets_the_subject_everywhere(stack):
    stubs = Stubs(stack)
    dispatch = stack["profile"].parts.extra["dispatcher"].run_once
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True)
    set_consent(stubs, customer_id, consent_pb2.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL,
                consent_pb2.CONSENT_STATE_GRANTED, "profiling-grant")
    recorded = stubs.profile.RecordInteraction(profile_api.RecordInteractionRequest(event=customer_pb2.InteractionEvent(
        event_id="purchase-1", customer_id=customer_id, type=customer_pb2.EVENT_TYPE_PURCHASE,
        categories=["shoes"], amount=eur(8000))))
    assert recorded.disposition == customer_pb2.EVENT_DISPOSITION_ACCEPTED
    dispatch()

    offer = offers_for(stubs, customer_id).offers[0]
    subject_ref = stubs.redemption.GetCode(redemption_api.GetCodeRequest(code=offer.code)).code.subject_ref
    snapshot = stubs.segmentation.GetFeatureSnapshot(segmentation_api.GetFeatureSnapshotRequest(subject_ref=subject_ref))
    assert snapshot.snapshot.event_count == 1

    set_consent(stubs, customer_id, consent_pb2.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL,
                consent_pb2.CONSENT_STATE_WITHDRAWN, "offers-withdraw")
    # New decisions deny at once, before any peer has heard of it.
    denied = offers_for(stubs, customer_id)
    assert list(denied.offers) == []
    assert denied.decision.reason == campaign_pb2.NO_OFFER_REASON_CONSENT_DENIED
    assert denied.decision.consent_reason == "DECISION_REASON_CONSENT_WITHDRAWN"

    dispatch()
    code = stubs.redemption.GetCode(redemption_api.GetCodeRequest(code=offer.code)).code
    assert code.state == promotion_pb2.CODE_STATE_VOIDED
    again = stubs.campaign.VoidSubjectOffers(campaign_api.VoidSubjectOffersRequest(subject_ref=subject_ref))
    assert again.voided_count == 0  # the outbox already voided the offer

    set_consent(stubs, customer_id, consent_pb2.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL,
                consent_pb2.CONSENT_STATE_WITHDRAWN, "profiling-withdraw")
    dispatch()
    snapshot = stubs.segmentation.GetFeatureSnapshot(segmentation_api.GetFeatureSnapshotRequest(subject_ref=subject_ref))
    assert snapshot.snapshot.event_count == 0
    later = stubs.profile.RecordInteraction(profile_api.RecordInteractionRequest(event=customer_pb2.InteractionEvent(
        event_id="purchase-2", customer_id=customer_id, type=customer_pb2.EVENT_TYPE_PURCHASE, amount=eur(100))))
    assert later.disposition == customer_pb2.EVENT_DISPOSITION_DROPPED_NO_CONSENT
