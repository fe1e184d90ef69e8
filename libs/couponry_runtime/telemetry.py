"""OpenTelemetry wiring: one tracer and meter provider per service, gRPC server and
client interceptors, and an OTLP exporter when the standard OTEL_* variables
ask for one.

Spans carry only what the gRPC instrumentation records (method, status,
peer address) plus attributes we add by hand, which are never personal data.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping

from opentelemetry import trace
from opentelemetry.instrumentation.grpc import client_interceptor, server_interceptor
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

log = logging.getLogger(__name__)

# Health probes and reflection would drown the traces platform teams read.
_UNTRACED_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")

# The instrumentation's standard variable: full gRPC service names, comma
# separated, whose calls are not traced. The instrumentation reads it only in
# its global instrumentors, which couponry does not use, so it is read here.
EXCLUDED_SERVICES_VARIABLE = "OTEL_PYTHON_GRPC_EXCLUDED_SERVICES"


def _excluded_services() -> tuple[str, ...]:
    raw = os.environ.get(EXCLUDED_SERVICES_VARIABLE, "")
    return tuple(f"/{name.strip()}/" for name in raw.split(",") if name.strip())


def tracing_filter():
    """The instrumentation's filter for this process: False for health and
    reflection calls and for calls to the services named in
    OTEL_PYTHON_GRPC_EXCLUDED_SERVICES (read now).

    A plain prefix test on the method name: the instrumentation's own filter
    combinators resolve the name through a runtime Protocol check that cost
    several percent of a checkout's CPU. Servers pass HandlerCallDetails
    (`method`), sync clients an info object with `full_method`."""
    untraced = _UNTRACED_PREFIXES + _excluded_services()

    def traced(details) -> bool:
        method = getattr(details, "method", None) or getattr(details, "full_method", "") or ""
        if isinstance(method, bytes):
            method = method.decode()
        return not method.startswith(untraced)

    return traced


# Spans per OTLP export unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE says otherwise.
# A batch is encoded in the service's own interpreter, and the calls running
# meanwhile wait for it: with the SDK's 512, exporting raised the redemption
# benchmark's p99 from 15.5 to 26.5 ms (p99.9 from 19 to 50); batches of 64
# kept it at 16.5 for ~2% more CPU per call (docs/redemption.md).
EXPORT_BATCH_SIZE = 64


def _otlp_processor() -> SpanProcessor | None:
    if not (os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")):
        return None
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    return BatchSpanProcessor(OTLPSpanExporter(), max_export_batch_size=_export_batch_size())


def _export_batch_size() -> int | None:
    """EXPORT_BATCH_SIZE, or less if OTEL_BSP_MAX_QUEUE_SIZE holds fewer
    spans (a batch may not exceed the queue); None, for the SDK to read,
    when OTEL_BSP_MAX_EXPORT_BATCH_SIZE is set."""
    if os.environ.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"):
        return None
    try:
        queue = int(os.environ.get("OTEL_BSP_MAX_QUEUE_SIZE", ""))
    except ValueError:  # unset, or not a number: the SDK keeps its queue of 2048
        return EXPORT_BATCH_SIZE
    return min(EXPORT_BATCH_SIZE, queue) if queue > 0 else EXPORT_BATCH_SIZE


def _otlp_metric_reader() -> MetricReader | None:
    if not (os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")):
        return None
    from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

    return PeriodicExportingMetricReader(OTLPMetricExporter())


class Instruments:
    """Every metric couponry emits, defined in one place.

    Attribute values are small closed sets (outcomes, stable reasons, enum
    names): never identifiers, never personal data, so label cardinality
    stays bounded.
    """

    def __init__(self, meter) -> None:
        self.offer_decisions = meter.create_counter(
            "couponry.offer.decisions", unit="{decision}",
            description="Personalized offer decisions by outcome and no-offer reason")
        self.offers_issued = meter.create_counter(
            "couponry.offer.issued", unit="{offer}", description="Offers made, by channel")
        self.consent_decisions = meter.create_counter(
            "couponry.consent.decisions", unit="{decision}",
            description="Personalization decisions by purpose, outcome and reason")
        self.interaction_events = meter.create_counter(
            "couponry.profile.interaction_events", unit="{event}",
            description="Interaction events by disposition (accepted, dropped for no consent, duplicate, rejected)")
        # Bumped on every checkout: tallied in process, read at collection.
        self.redemption_attempts = Tally(
            meter, "couponry.redemption.attempts", unit="{attempt}",
            description="Validate, reserve and redeem attempts by operation, outcome and reason")


class Tally:
    """A monotonic counter kept in the process and reported to OpenTelemetry
    as an ObservableCounter, whose callback hands the metric reader the
    running totals when it collects.

    Same data as a Counter (a cumulative monotonic sum per attribute set),
    but `add` is a dictionary update under a lock instead of a trip through
    the SDK's measurement pipeline on the calling thread: for counters
    bumped on every checkout. Attribute values must come from small closed
    sets, as for any metric label."""

    def __init__(self, meter, name: str, *, unit: str, description: str) -> None:
        self._totals: dict[frozenset, int] = {}
        self._lock = threading.Lock()
        meter.create_observable_counter(name, callbacks=[self._observe], unit=unit, description=description)

    def add(self, amount: int, attributes: Mapping[str, str]) -> None:
        key = frozenset(attributes.items())
        with self._lock:
            self._totals[key] = self._totals.get(key, 0) + amount

    def _observe(self, _options: CallbackOptions) -> Iterable[Observation]:
        with self._lock:
            totals = list(self._totals.items())
        return [Observation(total, dict(key)) for key, total in totals]


class Telemetry:
    """Tracing and metrics for one service: its own resource, shared processors."""

    def __init__(self, service: str, span_processors: Iterable[SpanProcessor] = (),
                 metric_readers: Iterable[MetricReader] = ()) -> None:
        self.service = service
        resource = Resource.create({
            "service.name": f"couponry-{service}",
            "service.namespace": "couponry",
        })
        self.tracer_provider = TracerProvider(resource=resource)
        for processor in span_processors:
            self.tracer_provider.add_span_processor(processor)
        otlp = _otlp_processor()
        if otlp is not None:
            self.tracer_provider.add_span_processor(otlp)
        self.tracer = self.tracer_provider.get_tracer(f"couponry.{service}")
        readers = list(metric_readers)
        otlp_metrics = _otlp_metric_reader()
        if otlp_metrics is not None:
            readers.append(otlp_metrics)
        self.meter_provider = MeterProvider(resource=resource, metric_readers=readers)
        self.instruments = Instruments(self.meter_provider.get_meter(f"couponry.{service}"))
        self._traced = tracing_filter()

    def server_interceptor(self):
        return server_interceptor(tracer_provider=self.tracer_provider, filter_=self._traced)

    def client_interceptor(self):
        return client_interceptor(tracer_provider=self.tracer_provider, filter_=self._traced)

    def span(self, name: str, **attributes):
        """A child span for a step inside a request; attributes must not be personal data."""
        return self.tracer.start_as_current_span(name, attributes=attributes or None)

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def current_trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""
