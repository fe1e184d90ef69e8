"""A campaign whose promotion is spent makes no more offers."""

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.redemption.v1 import redemption_pb2
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from couponry.type.v1 import money_pb2
from tests.integration.thin_path import Stubs, create_customer, eur, offers_for


def test_offers_stop_once_the_promotion_is_used_up(stack):
    stubs = Stubs(stack)
    campaign = stubs.campaign.CreateCampaign(campaign_api.CreateCampaignRequest(campaign=campaign_pb2.Campaign(
        display_name="one only", channels=[money_pb2.CHANNEL_EMAIL],
        offer=campaign_pb2.OfferTemplate(currency_code="EUR", total_redemption_limit=1, discount=money_pb2.Discount(
            type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(500)))))).campaign
    stubs.campaign.ActivateCampaign(campaign_api.ActivateCampaignRequest(campaign_id=campaign.campaign_id))

    first = offers_for(stubs, create_customer(stubs, consent=True))
    offer = first.offers[0]
    stubs.redemption.RedeemCode(redemption_api.RedeemCodeRequest(
        code=offer.code, subject_ref=first.decision.subject_ref, request_id="pay-1",
        order=redemption_pb2.Order(order_id="order-1", total=eur(4000))))

    second = offers_for(stubs, create_customer(stubs, consent=True))
    assert list(second.offers) == []
    assert second.decision.reason == campaign_pb2.NO_OFFER_REASON_BUDGET_EXHAUSTED
