"""Consent withdrawn while an offer's codes are being issued (found in review).

The withdrawal is made to happen at that exact moment by wrapping the real
code-issue call; every service involved is the real one."""

from couponry.campaign.v1 import campaign_pb2
from couponry.profile.v1 import consent_pb2
from couponry.profile.v1 import profile_service_pb2 as profile_api
from couponry.redemption.v1 import promotion_pb2
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from couponry.type.v1 import money_pb2
from couponry_services.campaign import peers
from tests.integration.thin_path import Stubs, active_campaigns, create_customer, evidence, offers_for


def test_a_withdrawal_during_code_issue_leaves_no_offer_and_no_usable_code(stack, monkeypatch):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    customer_id = create_customer(stubs, consent=True)
    issued: list[str] = []
    real_issue = peers.PeerClients.issue_code

    def issue_while_withdrawing(self, promotion_id, subject_ref, validity_hours, request_id):
        stubs.profile.SetConsent(profile_api.SetConsentRequest(
            customer_id=customer_id, purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS,
            channel=money_pb2.CHANNEL_EMAIL, state=consent_pb2.CONSENT_STATE_WITHDRAWN, evidence=evidence()))
        stack["profile"].parts.extra["dispatcher"].run_once()  # the cascade's void reaches redemption first
        code = real_issue(self, promotion_id, subject_ref, validity_hours, request_id)
        issued.append(code.code)
        return code

    monkeypatch.setattr(peers.PeerClients, "issue_code", issue_while_withdrawing)
    response = offers_for(stubs, customer_id)

    assert list(response.offers) == []
    assert response.decision.reason == campaign_pb2.NO_OFFER_REASON_CONSENT_DENIED
    assert response.decision.consent_reason == "DECISION_REASON_CONSENT_WITHDRAWN"
    assert issued
    for code in issued:
        state = stubs.redemption.GetCode(redemption_api.GetCodeRequest(code=code)).code.state
        assert state == promotion_pb2.CODE_STATE_VOIDED
