"""Builders for the cross-service tests: a customer with or without consent,
and active campaigns, all created through the public gRPC APIs."""

from __future__ import annotations

import uuid

from couponry.campaign.v1 import campaign_pb2, campaign_service_pb2_grpc
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.profile.v1 import consent_pb2, customer_pb2, profile_service_pb2_grpc
from couponry.profile.v1 import profile_service_pb2 as profile_api
from couponry.redemption.v1 import redemption_service_pb2_grpc
from couponry.segmentation.v1 import segment_pb2, segmentation_service_pb2_grpc
from couponry.segmentation.v1 import segmentation_service_pb2 as segmentation_api
from couponry.type.v1 import money_pb2
from tests.helpers import channel_to

SEEDED_EMAIL = "zelda.quackenbush-7731@example.org"
SEEDED_GIVEN_NAME = "Zeldaquack"
SEEDED_PHONE = "+4915199887766"


def eur(minor: int) -> money_pb2.Money:
    return money_pb2.Money(currency_code="EUR", amount_minor=minor)


class Stubs:
    @classmethod
    def of(cls, client) -> Stubs:
        """The stubs of a couponry_client.Couponry, for the same builders."""
        stubs = cls.__new__(cls)
        stubs.profile, stubs.segmentation = client.profile, client.segmentation
        stubs.campaign, stubs.redemption = client.campaign, client.redemption
        return stubs

    def __init__(self, stack) -> None:
        self.profile = profile_service_pb2_grpc.ProfileServiceStub(channel_to(stack["profile"]))
        self.segmentation = segmentation_service_pb2_grpc.SegmentationServiceStub(channel_to(stack["segmentation"]))
        self.campaign = campaign_service_pb2_grpc.CampaignServiceStub(channel_to(stack["campaign"]))
        self.redemption = redemption_service_pb2_grpc.RedemptionServiceStub(channel_to(stack["redemption"]))


def evidence() -> consent_pb2.ConsentEvidence:
    return consent_pb2.ConsentEvidence(source=consent_pb2.CONSENT_SOURCE_WEB, notice_version="2026-11", actor="customer")


def create_customer(stubs: Stubs, *, consent: bool, opted_out: bool = False, email: str | None = None) -> str:
    suffix = uuid.uuid4().hex[:8]
    customer = stubs.profile.CreateCustomer(profile_api.CreateCustomerRequest(
        customer=customer_pb2.Customer(
            external_id=f"shop-{suffix}", email=email or f"c{suffix}@example.com", given_name=SEEDED_GIVEN_NAME,
            phone=SEEDED_PHONE if email else "", country_code="DE", language_code="de-DE"),
        request_id=f"create-{suffix}")).customer
    if consent:
        stubs.profile.SetConsent(profile_api.SetConsentRequest(
            customer_id=customer.customer_id, purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS,
            channel=money_pb2.CHANNEL_EMAIL, state=consent_pb2.CONSENT_STATE_GRANTED, evidence=evidence(),
            request_id=f"consent-{suffix}"))
    if opted_out:
        stubs.profile.SetOptOut(profile_api.SetOptOutRequest(
            customer_id=customer.customer_id, opted_out=True, evidence=evidence(), request_id=f"optout-{suffix}"))
    return customer.customer_id


def active_campaigns(stubs: Stubs) -> tuple[str, str]:
    """An untargeted campaign, and a higher-priority one for a segment nobody is in.

    The targeted one makes campaign ask segmentation for memberships, so the
    thin path crosses all four services; the untargeted one makes the offer.
    """
    segment = stubs.segmentation.CreateSegment(segmentation_api.CreateSegmentRequest(segment=segment_pb2.Segment(
        display_name=f"big spenders {uuid.uuid4().hex[:6]}", rule=segment_pb2.SegmentRule(conditions=[segment_pb2.Condition(
            feature=segment_pb2.FEATURE_MONETARY_90D_MINOR, operator=segment_pb2.COMPARISON_OPERATOR_GREATER_THAN,
            value=1_000_000)])))).segment
    offer = campaign_pb2.OfferTemplate(currency_code="EUR", minimum_order=eur(5000), code_prefix="WB-",
                                       discount=money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(1000)))
    ids = []
    for name, segments, priority in (("welcome back", [], 1), ("vip", [segment.segment_id], 9)):
        campaign = stubs.campaign.CreateCampaign(campaign_api.CreateCampaignRequest(campaign=campaign_pb2.Campaign(
            display_name=name, channels=[money_pb2.CHANNEL_EMAIL], segment_ids=segments, priority=priority,
            offer=offer))).campaign
        stubs.campaign.ActivateCampaign(campaign_api.ActivateCampaignRequest(
            campaign_id=campaign.campaign_id, request_id=f"activate-{campaign.campaign_id}"))
        ids.append(campaign.campaign_id)
    return ids[0], ids[1]


def offers_for(stubs: Stubs, customer_id: str, **kwargs) -> campaign_api.GetPersonalizedOffersResponse:
    return stubs.campaign.GetPersonalizedOffers(campaign_api.GetPersonalizedOffersRequest(
        customer_id=customer_id, channel=money_pb2.CHANNEL_EMAIL, **kwargs))
