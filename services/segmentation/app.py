"""How the bootstrap builds the segmentation service."""

from __future__ import annotations

from pathlib import Path

from couponry.segmentation.v1 import segmentation_service_pb2, segmentation_service_pb2_grpc
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.server import ServiceContext, ServiceDefinition, ServiceParts

from .repository import idempotency_keys
from .servicer import SegmentationServicer

FULL_NAME = segmentation_service_pb2.DESCRIPTOR.services_by_name["SegmentationService"].full_name


def build(context: ServiceContext) -> ServiceParts:
    idempotency = IdempotentWrites(context.database, idempotency_keys)
    servicer = SegmentationServicer(context.database, idempotency)
    return ServiceParts(
        full_name=FULL_NAME,
        idempotency=idempotency,
        register=lambda server: segmentation_service_pb2_grpc.add_SegmentationServiceServicer_to_server(servicer, server),
        extra={"servicer": servicer},
    )


DEFINITION = ServiceDefinition("segmentation", Path(__file__).parent / "migrations", build, FULL_NAME)
