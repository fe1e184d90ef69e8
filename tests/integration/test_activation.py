"""Activation registers promotions with redemption and must activate exactly
the terms it registered (found in review)."""

import grpc
import pytest
from google.protobuf import field_mask_pb2

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.redemption.v1 import redemption_service_pb2 as redemption_api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import Aborted
from couponry_services.campaign import service
from couponry_services.campaign.domain import CampaignState
from couponry_services.campaign.peers import PeerClients
from tests.integration.thin_path import Stubs, eur


def off(amount: int) -> campaign_pb2.OfferTemplate:
    return campaign_pb2.OfferTemplate(currency_code="EUR", discount=money_pb2.Discount(
        type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(amount)))


def draft(stubs: Stubs, **fields) -> str:
    fields.setdefault("offer", off(500))
    return stubs.campaign.CreateCampaign(campaign_api.CreateCampaignRequest(campaign=campaign_pb2.Campaign(
        display_name="activation", channels=[money_pb2.CHANNEL_EMAIL], **fields))).campaign.campaign_id


def edit_offer(stubs: Stubs, campaign_id: str, amount: int) -> None:
    stubs.campaign.UpdateCampaign(campaign_api.UpdateCampaignRequest(
        campaign=campaign_pb2.Campaign(campaign_id=campaign_id, offer=off(amount)),
        update_mask=field_mask_pb2.FieldMask(paths=["offer"])))


def test_an_edit_between_registration_and_activation_aborts_it(stack):
    stubs = Stubs(stack)
    campaign_id = draft(stubs)
    campaign = stack["campaign"].context
    with campaign.database.read() as session:
        promotions, terms = service.register_promotions(session, campaign_id, PeerClients(campaign.peers))

    edit_offer(stubs, campaign_id, 5000)  # lands while activation is under way

    with pytest.raises(Aborted) as caught, campaign.database.transaction() as session:
        service.transition(session, campaign_id, CampaignState.ACTIVE, promotions, terms)
    assert caught.value.reason == "CAMPAIGN_CHANGED"
    # Activating again registers the edited terms, and the offer matches them.
    activated = stubs.campaign.ActivateCampaign(campaign_api.ActivateCampaignRequest(campaign_id=campaign_id)).campaign
    promotion = stubs.redemption.GetPromotion(redemption_api.GetPromotionRequest(
        promotion_id=activated.promotion_id)).promotion
    assert promotion.discount.amount.amount_minor == activated.offer.discount.amount.amount_minor == 5000


def test_an_activation_that_failed_half_way_can_be_retried_after_an_edit(stack):
    stubs = Stubs(stack)
    campaign_id = draft(stubs, offer=None, variants=[
        campaign_pb2.Variant(variant_id="a", weight=1, offer=off(500)),
        campaign_pb2.Variant(variant_id="b", weight=1, offer=off(700))])
    campaign = stack["campaign"].context
    with campaign.database.read() as session:  # registered, then the activation died
        service.register_promotions(session, campaign_id, PeerClients(campaign.peers))

    stubs.campaign.UpdateCampaign(campaign_api.UpdateCampaignRequest(
        campaign=campaign_pb2.Campaign(campaign_id=campaign_id, variants=[
            campaign_pb2.Variant(variant_id="a", weight=1, offer=off(900)),
            campaign_pb2.Variant(variant_id="b", weight=1, offer=off(700))]),
        update_mask=field_mask_pb2.FieldMask(paths=["variants"])))

    activated = stubs.campaign.ActivateCampaign(campaign_api.ActivateCampaignRequest(campaign_id=campaign_id)).campaign
    assert activated.state == campaign_pb2.CAMPAIGN_STATE_ACTIVE


def test_activation_without_a_reachable_redemption_is_unavailable(stack):
    stubs = Stubs(stack)
    campaign_id = draft(stubs)
    stack["redemption"].stop(0)
    with pytest.raises(grpc.RpcError) as caught:
        stubs.campaign.ActivateCampaign(campaign_api.ActivateCampaignRequest(campaign_id=campaign_id))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
