"""Shared fixtures: every test runs on SQLite by default and on PostgreSQL when
COUPONRY_TEST_DATABASE_URL is set (CI runs the suite both ways)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings as hypothesis_settings
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import create_engine, text

from couponry_runtime.db import Database
from couponry_runtime.server import RunningService, start_service
from couponry_runtime.settings import SERVICE_NAMES, Settings
from couponry_runtime.telemetry import Telemetry
from couponry_services.registry import definition
from tests.helpers import POSTGRES_URL, free_port

# Tests never fail on wall-clock time: Hypothesis' per-example deadline would
# make property tests flaky on a loaded machine.
hypothesis_settings.register_profile("couponry", deadline=None)
hypothesis_settings.load_profile("couponry")


def pytest_report_header(config):
    return f"couponry database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'SQLite (embedded default)'}"


def pytest_collection_modifyitems(config, items):
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set COUPONRY_TEST_DATABASE_URL")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def settings(tmp_path) -> Iterator[Settings]:
    """Settings for one test: its own data dir, its own PostgreSQL schemas, free ports."""
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    values = dict(data_dir=tmp_path / "data", scheduler_enabled=False, shutdown_grace_seconds=0,
                  rpc_timeout_seconds=5.0, database_schema_prefix=prefix)
    values.update({f"{name}_port": free_port() for name in SERVICE_NAMES})
    if POSTGRES_URL:
        values["database_url"] = POSTGRES_URL
    yield Settings(**values)
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:
            for name in SERVICE_NAMES:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}{name}" CASCADE'))
        engine.dispose()


@pytest.fixture
def database(settings) -> Callable[[str], Database]:
    """Opens (and migrates) the database of a named service, for domain-level tests."""
    opened: list[Database] = []

    def open_for(service: str) -> Database:
        url, schema = settings.database_url_for(service)
        db = Database.open(url, schema, definition(service).migrations)
        opened.append(db)
        return db

    yield open_for
    for db in opened:
        db.close()


class _SharedSpanProcessor(SimpleSpanProcessor):
    """Each service's tracer provider shuts down on stop; the shared exporter must not."""

    def shutdown(self) -> None:
        self.force_flush()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def metrics() -> InMemoryMetricReader:
    """Metrics of the first service started by `start` (a reader serves one provider)."""
    return InMemoryMetricReader()


@pytest.fixture
def start(settings, spans, metrics) -> Iterator[Callable[..., RunningService]]:
    """Starts a named service on its loopback port with spans captured in `spans`."""
    running: list[RunningService] = []
    attached: list[InMemoryMetricReader] = []

    def start_named(name: str, **overrides) -> RunningService:
        service_settings = settings.model_copy(update=overrides) if overrides else settings
        readers = [] if any(r is metrics for r in attached) else [metrics]
        attached.extend(readers)
        telemetry = Telemetry(name, [_SharedSpanProcessor(spans)], readers)
        for attempt in range(3):
            try:
                service = start_service(definition(name), service_settings, telemetry)
                break
            except OSError:
                # Another process took the port picked for this test between
                # picking and binding; peers resolve targets lazily, so a new
                # port set here is what they will dial.
                if attempt == 2 or overrides:
                    raise
                setattr(service_settings, f"{name}_port", free_port())
        running.append(service)
        return service

    yield start_named
    for service in reversed(running):
        service.stop(0)


@pytest.fixture
def stack(start) -> dict[str, RunningService]:
    """All four services, as `couponry up` starts them."""
    return {name: start(name) for name in SERVICE_NAMES}


@pytest.fixture
def captured_logs(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog
