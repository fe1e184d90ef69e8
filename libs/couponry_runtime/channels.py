"""Client channels to the other services: traced, with deadlines and retries."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import grpc
from opentelemetry.instrumentation.grpc import client_interceptor, grpcext

from .interceptors import DefaultDeadlineInterceptor
from .telemetry import Telemetry, tracing_filter

# Retry only what cannot have reached a handler twice with different effect:
# every mutating RPC carries a request_id, so UNAVAILABLE is safe to retry.
SERVICE_CONFIG = json.dumps({
    "methodConfig": [{
        "name": [{}],
        "retryPolicy": {
            "maxAttempts": 3,
            "initialBackoff": "0.05s",
            "maxBackoff": "0.5s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }]
})


def plain_channel(target: str, credentials: grpc.ChannelCredentials | None = None,
                  options: list[tuple[str, object]] | None = None) -> grpc.Channel:
    """A bare channel: TLS when credentials are given, plaintext otherwise."""
    if credentials is not None:
        return grpc.secure_channel(target, credentials, options=options)
    return grpc.insecure_channel(target, options=options)


def open_channel(target: str, telemetry: Telemetry | None, timeout_seconds: float,
                 credentials: grpc.ChannelCredentials | None = None) -> grpc.Channel:
    """A channel with retries, a default deadline and client spans (under the
    service's tracer provider, or the process's global one without `telemetry`)."""
    channel = plain_channel(target, credentials, options=[
        ("grpc.service_config", SERVICE_CONFIG),
        ("grpc.enable_retries", 1),
        ("grpc.keepalive_time_ms", 30_000),
    ])
    # The deadline is applied first so the client span covers the whole call
    # with its deadline; OpenTelemetry's client interceptor is a grpcext one.
    with_deadline = grpc.intercept_channel(channel, DefaultDeadlineInterceptor(timeout_seconds))
    tracing = telemetry.client_interceptor() if telemetry is not None else client_interceptor(
        filter_=tracing_filter())
    return grpcext.intercept_channel(with_deadline, tracing)


class Peers:
    """Lazily opened channels to the other services, by service name."""

    def __init__(self, targets: Callable[[str], str], telemetry: Telemetry, timeout_seconds: float,
                 credentials: grpc.ChannelCredentials | None = None) -> None:
        self._credentials = credentials
        # Resolved when a channel is first opened, not at construction, so a
        # peer's address may be settled after this service starts.
        self._targets = targets
        self._telemetry = telemetry
        self._timeout = timeout_seconds
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()

    def channel(self, service: str) -> grpc.Channel:
        with self._lock:
            if service not in self._channels:
                self._channels[service] = open_channel(self._targets(service), self._telemetry, self._timeout,
                                                       self._credentials)
            return self._channels[service]

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()
