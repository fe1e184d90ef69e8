"""How the bootstrap builds the profile service."""

from __future__ import annotations

from pathlib import Path

from couponry.profile.v1 import profile_service_pb2, profile_service_pb2_grpc
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.server import ServiceContext, ServiceDefinition, ServiceParts

from .config import ProfileConfig
from .decisions import DecisionLog
from .jobs import ProfileJobs
from .keyring import FileKeyring
from .outbox import Dispatcher
from .repository import idempotency_keys
from .service import ProfileCore
from .servicer import ProfileServicer

FULL_NAME = profile_service_pb2.DESCRIPTOR.services_by_name["ProfileService"].full_name


def build(context: ServiceContext) -> ServiceParts:
    idempotency = IdempotentWrites(context.database, idempotency_keys)
    config = ProfileConfig()
    keyring = FileKeyring.open_or_create(context.settings.resolved_keyring_path())
    decisions = DecisionLog(context.database)
    core = ProfileCore(keys=keyring, secrets=keyring.secrets, config=config, decisions=decisions)
    dispatcher = Dispatcher(context.database, context.peers, config.outbox_batch_size,
                            config.outbox_max_backoff_seconds, config.outbox_call_timeout_seconds)
    jobs = ProfileJobs(context.database, core, dispatcher, config, context.scheduler)
    servicer = ProfileServicer(context.database, idempotency, core,
                               context.telemetry, on_outbox=jobs.wake_outbox)
    return ServiceParts(
        full_name=FULL_NAME,
        idempotency=idempotency,
        register=lambda server: profile_service_pb2_grpc.add_ProfileServiceServicer_to_server(servicer, server),
        stop_jobs=decisions.stop,
        extra={"servicer": servicer, "core": core, "dispatcher": dispatcher, "jobs": jobs, "keyring": keyring},
    )


DEFINITION = ServiceDefinition("profile", Path(__file__).parent / "migrations", build, FULL_NAME)
