"""How the bootstrap builds the campaign service."""

from __future__ import annotations

from pathlib import Path

from couponry.campaign.v1 import campaign_service_pb2, campaign_service_pb2_grpc
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.server import ServiceContext, ServiceDefinition, ServiceParts

from .offers import OfferEngine
from .peers import PeerClients
from .repository import idempotency_keys
from .servicer import CampaignServicer

FULL_NAME = campaign_service_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name


def build(context: ServiceContext) -> ServiceParts:
    idempotency = IdempotentWrites(context.database, idempotency_keys)
    peers = PeerClients(context.peers)
    engine = OfferEngine(context.database, peers, context.telemetry)
    servicer = CampaignServicer(context.database, idempotency, peers, engine)
    return ServiceParts(
        full_name=FULL_NAME,
        idempotency=idempotency,
        register=lambda server: campaign_service_pb2_grpc.add_CampaignServiceServicer_to_server(servicer, server),
        extra={"servicer": servicer},
    )


DEFINITION = ServiceDefinition("campaign", Path(__file__).parent / "migrations", build, FULL_NAME)
