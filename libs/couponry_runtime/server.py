"""The one way a couponry service starts: database migrated, servicer
registered behind the telemetry and error interceptors, health and reflection
answering, graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent import futures
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from . import tls
from .channels import Peers
from .convert import utcnow
from .db import Database
from .idempotency import IdempotentWrites
from .interceptors import DeadlinePropagationInterceptor, ErrorInterceptor, PerMethodInterceptors
from .jobs import Scheduler
from .settings import Settings
from .telemetry import Telemetry

log = logging.getLogger("couponry.server")


@dataclass
class ServiceContext:
    """What a service gets to build itself from."""

    name: str
    settings: Settings
    telemetry: Telemetry
    database: Database
    peers: Peers
    scheduler: Scheduler


@dataclass
class ServiceParts:
    """What a service hands back: its gRPC registration and its lifecycle hooks."""

    full_name: str
    register: Callable[[grpc.Server], None]
    stop_jobs: Callable[[], None] = lambda: None  # background work of its own to end on shutdown
    extra: dict = field(default_factory=dict)
    idempotency: IdempotentWrites | None = None  # its stored responses are purged on a schedule


@dataclass(frozen=True)
class ServiceDefinition:
    """A service as the bootstrap knows it: its name, migrations and builder."""

    name: str
    migrations: Path
    build: Callable[[ServiceContext], ServiceParts]
    full_name: str = ""
    # Handler threads unless COUPONRY_MAX_WORKERS says otherwise. One
    # interpreter lock serves them all: a service needs about 1 + (time a
    # call waits) / (CPU it takes) threads to keep it busy, and every thread
    # beyond that only adds lock hand-overs and context switches.
    max_workers: int = 16

    def workers(self, settings: Settings) -> int:
        """The handler threads this service runs with under `settings`."""
        return settings.max_workers or self.max_workers


@dataclass
class RunningService:
    """A started service."""

    name: str
    server: grpc.Server
    port: int
    health: health.HealthServicer
    context: ServiceContext
    parts: ServiceParts
    _stopped: bool = False

    @property
    def address(self) -> str:
        return f"{self.context.settings.host}:{self.port}"

    def stop(self, grace: float | None = None) -> None:
        """Graceful shutdown: report NOT_SERVING, drain in-flight RPCs, close. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        grace = self.context.settings.shutdown_grace_seconds if grace is None else grace
        self.health.enter_graceful_shutdown()
        self.context.scheduler.stop()
        self.parts.stop_jobs()
        self.server.stop(grace).wait()
        self.context.peers.close()
        self.context.database.close()
        self.context.telemetry.shutdown()


def create_server(
    address: str,
    parts: ServiceParts,
    telemetry: Telemetry,
    domain: str,
    max_workers: int = 16,
    credentials: grpc.ServerCredentials | None = None,
) -> tuple[grpc.Server, int, health.HealthServicer]:
    """A gRPC server for one service bound to `address` (port 0 picks a free one)."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=domain.split(".")[0]),
        interceptors=[PerMethodInterceptors(
            [telemetry.server_interceptor(), ErrorInterceptor(domain), DeadlinePropagationInterceptor()])],
        options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", 16 * 1024 * 1024)],
    )
    parts.register(server)
    health_servicer = health.HealthServicer(
        experimental_non_blocking=True,
        experimental_thread_pool=futures.ThreadPoolExecutor(max_workers=1),
    )
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (parts.full_name, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    try:
        port = server.add_secure_port(address, credentials) if credentials else server.add_insecure_port(address)
    except RuntimeError as error:  # grpc reports a failed bind as RuntimeError
        raise OSError(f"cannot bind {address}") from error
    if port == 0:
        raise OSError(f"cannot bind {address}")
    return server, port, health_servicer


def start_service(
    definition: ServiceDefinition,
    settings: Settings,
    telemetry: Telemetry | None = None,
    port: int | None = None,
) -> RunningService:
    """Migrate, build, bind and start one service; reports SERVING when ready."""
    telemetry = telemetry or Telemetry(definition.name)
    url, schema = settings.database_url_for(definition.name)
    # A handler thread may pin a connection of its own (Database.pinned).
    workers = definition.workers(settings)
    database = Database.open(url, schema, definition.migrations, pinned=workers)
    for warning in database.warnings():
        log.warning("%s: %s", definition.name, warning)
    peers = Peers(settings.target, telemetry, settings.rpc_timeout_seconds, tls.channel_credentials(settings))
    context = ServiceContext(definition.name, settings, telemetry, database, peers, Scheduler(definition.name))
    try:
        parts = definition.build(context)
        bind_port = settings.port(definition.name) if port is None else port
        server, bound, health_servicer = create_server(
            f"{settings.host}:{bind_port}", parts, telemetry, f"{definition.name}.couponry", workers,
            tls.server_credentials(settings))
    except BaseException:
        peers.close()
        database.close()
        raise
    _schedule_runtime_jobs(context, parts)
    server.start()
    if settings.scheduler_enabled:
        context.scheduler.start()
    for name in (parts.full_name, ""):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("%s service ready on %s:%d", definition.name, settings.host, bound)
    return RunningService(definition.name, server, bound, health_servicer, context, parts)


def _schedule_runtime_jobs(context: ServiceContext, parts: ServiceParts) -> None:
    """Jobs every service has: today, expiring stored idempotent responses."""
    if parts.idempotency is None:
        return
    idempotency, retention = parts.idempotency, timedelta(hours=context.settings.idempotency_retention_hours)

    def purge() -> None:
        purged = idempotency.purge(utcnow() - retention)
        if purged:
            log.info("purged %d expired idempotency keys", purged)

    context.scheduler.every("idempotency-purge", 3600, purge, first_run=utcnow() + timedelta(minutes=1))


def wait_for_shutdown(services: Iterable[RunningService]) -> None:
    """Block until SIGTERM or SIGINT, then stop every service gracefully."""
    services = list(services)
    stop = threading.Event()

    def _on_signal(signum, _frame):
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    stop.wait()
    for service in reversed(services):
        service.stop()
    log.info("stopped")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The scheduler logs every run of every job at INFO; jobs log what they did.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
