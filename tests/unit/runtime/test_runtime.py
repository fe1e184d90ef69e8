"""The shared runtime: page tokens, settings, idempotent writes, error mapping."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf import wrappers_pb2
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from couponry_runtime.db import Database
from couponry_runtime.errors import FailedPrecondition, FieldViolation, InvalidArgument, parse_rpc_error
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.interceptors import PerMethodInterceptors
from couponry_runtime.pagination import decode_token, encode_token, page_size
from couponry_runtime.settings import Settings
from couponry_services.segmentation.repository import idempotency_keys

cursors = st.dictionaries(st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=20), st.booleans()), max_size=4)


@given(cursors)
def test_page_tokens_round_trip(cursor):
    assert decode_token(encode_token(cursor)) == cursor


@given(st.text(max_size=40))
def test_any_garbage_token_is_invalid_argument_never_a_crash(token):
    try:
        decode_token(token)
    except InvalidArgument as error:
        assert error.reason == "INVALID_PAGE_TOKEN"


def test_page_size_defaults_and_caps():
    assert (page_size(0), page_size(10), page_size(10**6)) == (50, 10, 1000)
    with pytest.raises(InvalidArgument):
        page_size(-1)


def test_settings_place_each_service_in_its_own_database(tmp_path):
    sqlite = Settings(data_dir=tmp_path)
    assert sqlite.database_url_for("profile") == (f"sqlite:///{tmp_path.resolve()}/profile.db", None)
    pg = Settings(database_url="postgresql+psycopg://db/couponry", database_schema_prefix="prod_")
    assert pg.database_url_for("redemption") == ("postgresql+psycopg://db/couponry", "prod_redemption")
    own = Settings(database_url="postgresql+psycopg://db/x", campaign_database_url="postgresql+psycopg://other/c")
    assert own.database_url_for("campaign") == ("postgresql+psycopg://other/c", None)
    assert Settings(host="0.0.0.0", campaign_port=7).target("campaign") == "127.0.0.1:7"
    assert Settings(profile_target="dns:///profile:50051").target("profile") == "dns:///profile:50051"


def test_settings_reject_bad_values(monkeypatch):
    monkeypatch.setenv("COUPONRY_PROFILE_PORT", "70000")
    with pytest.raises(ValueError):
        Settings()
    with pytest.raises(ValueError):
        Settings(database_schema_prefix="drop table;")


@pytest.fixture
def writes(database):
    db: Database = database("segmentation")
    metadata = MetaData()
    effects = Table("test_effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("note", String(50)))
    metadata.create_all(db.engine)
    yield db, effects, IdempotentWrites(db, idempotency_keys)
    metadata.drop_all(db.engine)


def _request(request_id: str, note: str = "x"):
    # Any message with a request_id field works; use the health request's
    # shape through a dynamic message with that field.
    from couponry.segmentation.v1 import segmentation_service_pb2 as api
    return api.ForgetSubjectRequest(subject_ref=note, request_id=request_id)


def test_a_retry_returns_the_first_response_and_writes_once(writes):
    db, effects, idem = writes
    calls = []

    def work(session):
        calls.append(1)
        session.execute(insert(effects).values(note="done"))
        return wrappers_pb2.StringValue(value=f"call {len(calls)}")

    first = idem.run("Test", _request("r1"), wrappers_pb2.StringValue, work)
    again = idem.run("Test", _request("r1"), wrappers_pb2.StringValue, work)
    assert first == again == wrappers_pb2.StringValue(value="call 1")
    assert db.run(lambda s: s.scalar(select(func.count()).select_from(effects))) == 1
    with pytest.raises(FailedPrecondition) as caught:
        idem.run("Test", _request("r1", note="different"), wrappers_pb2.StringValue, work)
    assert caught.value.reason == "REQUEST_ID_REUSED"


def test_a_failed_write_leaves_nothing_and_can_be_retried(writes):
    db, effects, idem = writes

    def failing(session):
        session.execute(insert(effects).values(note="half"))
        raise InvalidArgument("NOPE", "rejected")

    with pytest.raises(InvalidArgument):
        idem.run("Test", _request("r2"), wrappers_pb2.StringValue, failing)
    assert db.run(lambda s: s.scalar(select(func.count()).select_from(effects))) == 0
    ok = idem.run("Test", _request("r2"), wrappers_pb2.StringValue, lambda s: wrappers_pb2.StringValue(value="ok"))
    assert ok.value == "ok"


def test_twenty_concurrent_retries_write_once(writes):
    db, effects, idem = writes
    barrier = threading.Barrier(20)

    def work(session):
        session.execute(insert(effects).values(note="once"))
        return wrappers_pb2.StringValue(value="done")

    def attempt(_):
        barrier.wait()
        return idem.run("Test", _request("same"), wrappers_pb2.StringValue, work)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(attempt, range(20)))
    assert all(r.value == "done" for r in results)
    assert db.run(lambda s: s.scalar(select(func.count()).select_from(effects))) == 1


def _exploding_server(telemetry_name: str, error: Exception):
    from couponry_runtime.server import ServiceParts, create_server
    from couponry_runtime.telemetry import Telemetry

    def boom(request, context):
        raise error

    handler = grpc.method_handlers_generic_handler("test.Exploder", {
        "Boom": grpc.unary_unary_rpc_method_handler(boom)})
    parts = ServiceParts(full_name="test.Exploder", register=lambda server: server.add_generic_rpc_handlers((handler,)))
    server, port, _ = create_server("127.0.0.1:0", parts, Telemetry(telemetry_name), "test.couponry")
    server.start()
    return server, grpc.insecure_channel(f"127.0.0.1:{port}").unary_unary("/test.Exploder/Boom")


def test_unexpected_errors_reach_clients_as_bare_internal(caplog):
    secret = "customer-secret-value"
    server, boom = _exploding_server("test", RuntimeError(secret))
    try:
        with pytest.raises(grpc.RpcError) as caught:
            boom(b"", timeout=5)
    finally:
        server.stop(0)
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert secret not in caught.value.details()
    assert parse_rpc_error(caught.value).reason == "INTERNAL"
    assert secret not in caplog.text and "RuntimeError" in caplog.text


def test_domain_errors_become_rich_statuses():
    error = InvalidArgument("BAD_THING", "bad thing", field_violations=[FieldViolation("a.b", "is wrong", "WRONG")],
                            metadata={"k": "v"})
    server, boom = _exploding_server("test", error)
    try:
        with pytest.raises(grpc.RpcError) as caught:
            boom(b"", timeout=5)
    finally:
        server.stop(0)
    rich = parse_rpc_error(caught.value)
    assert (rich.code, rich.reason, rich.domain, rich.metadata) == (
        grpc.StatusCode.INVALID_ARGUMENT, "BAD_THING", "test.couponry", {"k": "v"})
    assert rich.field_violations == (FieldViolation("a.b", "is wrong", "WRONG"),)


def test_reads_proceed_while_a_writer_holds_the_lock(writes):
    db, effects, _ = writes
    with db.transaction() as writer:
        writer.execute(insert(effects).values(note="uncommitted"))
        with db.read() as reader:  # would block until timeout on SQLite if it took the write lock
            assert reader.scalar(select(func.count()).select_from(effects)) == 0
    with db.read() as reader:
        assert reader.scalar(select(func.count()).select_from(effects)) == 1
        reader.execute(insert(effects).values(note="discarded"))
    assert db.run(lambda s: s.scalar(select(func.count()).select_from(effects))) == 1


@pytest.mark.postgres_only
def test_a_lost_database_connection_is_unavailable_then_recovers(start, settings):
    from couponry.segmentation.v1 import segmentation_service_pb2 as api
    from couponry.segmentation.v1 import segmentation_service_pb2_grpc as api_grpc
    from tests.helpers import drop_database_connections

    service = start("segmentation")
    stub = api_grpc.SegmentationServiceStub(grpc.insecure_channel(f"127.0.0.1:{service.port}"))
    stub.ListSegments(api.ListSegmentsRequest(), timeout=5)  # the pool now holds a connection
    assert drop_database_connections(settings, "segmentation") >= 1
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListSegments(api.ListSegmentsRequest(), timeout=5)
    rich = parse_rpc_error(caught.value)
    assert (rich.code, rich.reason) == (grpc.StatusCode.UNAVAILABLE, "DATABASE_UNAVAILABLE")
    assert stub.ListSegments(api.ListSegmentsRequest(), timeout=5).segments == []


def test_stored_responses_expire_after_the_retention(writes):
    from datetime import timedelta

    from couponry_runtime.convert import utcnow

    db, _effects, idem = writes
    for request_id in ("old", "new"):
        idem.run("Test", _request(request_id), wrappers_pb2.StringValue, lambda s: wrappers_pb2.StringValue(value="x"))
    with db.transaction() as session:
        session.execute(idempotency_keys.update().where(idempotency_keys.c.request_id == "old")
                        .values(create_time=utcnow() - timedelta(days=30)))
    assert idem.purge(utcnow() - timedelta(days=7)) == 1
    assert idem.replay("Test", _request("old"), wrappers_pb2.StringValue) is None
    assert idem.replay("Test", _request("new"), wrappers_pb2.StringValue).value == "x"


def test_every_service_hands_its_stored_responses_to_the_purge_job(start):
    for name in ("profile", "segmentation", "campaign", "redemption"):
        assert start(name).parts.idempotency is not None


def test_a_callers_deadline_bounds_the_calls_made_to_serve_it():
    from couponry_runtime.channels import open_channel
    from couponry_runtime.server import ServiceParts, create_server
    from couponry_runtime.telemetry import Telemetry

    seen: list[float] = []

    def inner(request, context):
        seen.append(context.time_remaining())
        return request

    def serve(handlers):
        handler = grpc.method_handlers_generic_handler("test.Hop", handlers)
        parts = ServiceParts(full_name="test.Hop", register=lambda s: s.add_generic_rpc_handlers((handler,)))
        server, port, _ = create_server("127.0.0.1:0", parts, Telemetry("test"), "test.couponry")
        server.start()
        return server, port

    inner_server, inner_port = serve({"Inner": grpc.unary_unary_rpc_method_handler(inner)})
    # the hop's own default deadline is generous: 30 s
    hop_channel = open_channel(f"127.0.0.1:{inner_port}", Telemetry("test"), 30.0)
    forward = hop_channel.unary_unary("/test.Hop/Inner")
    outer_server, outer_port = serve({"Outer": grpc.unary_unary_rpc_method_handler(lambda r, c: forward(r))})
    try:
        outer = grpc.insecure_channel(f"127.0.0.1:{outer_port}").unary_unary("/test.Hop/Outer")
        outer(b"x", timeout=0.5)
        outer(b"x")  # no caller deadline: the hop's default applies
    finally:
        outer_server.stop(0)
        inner_server.stop(0)
    assert 0 < seen[0] <= 0.5
    assert 5 < seen[1] <= 31


def test_money_needs_a_known_currency_and_respects_its_bounds():
    from couponry.type.v1 import money_pb2
    from couponry_runtime.validation import Violations

    checks = Violations()
    assert not checks.money(money_pb2.Money(currency_code="ABC", amount_minor=1), "price")
    assert not checks.money(money_pb2.Money(currency_code="EUR", amount_minor=11), "total", max_minor=10)
    assert not checks.money(money_pb2.Money(currency_code="USD", amount_minor=1), "fee", currency="EUR")
    assert checks.money(money_pb2.Money(currency_code="EUR", amount_minor=10), "ok", max_minor=10, currency="EUR")
    assert [(v.field, v.reason) for v in checks.items] == [
        ("price.currency_code", "INVALID_CURRENCY"), ("total.amount_minor", "AMOUNT_TOO_LARGE"),
        ("fee.currency_code", "CURRENCY_MISMATCH")]


def test_pinned_transactions_commit_whole_or_not_at_all(writes):
    db, effects, _idem = writes
    with db.pinned() as connection:
        connection.execute(effects.insert().values(note="kept"))
    with pytest.raises(RuntimeError), db.pinned() as connection:
        connection.execute(effects.insert().values(note="dropped"))
        raise RuntimeError("refused half-way")
    with db.read() as session:
        assert [row.note for row in session.execute(effects.select())] == ["kept"]


def _backend_pid(db: Database) -> int:
    from sqlalchemy import text

    with db.pinned() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


@pytest.mark.postgres_only
def test_a_thread_keeps_its_pinned_connection_and_threads_never_share_one(writes):
    import threading

    db, _effects, _idem = writes
    first = _backend_pid(db)
    assert _backend_pid(db) == first
    others = []
    worker = threading.Thread(target=lambda: others.extend([_backend_pid(db), _backend_pid(db)]))
    worker.start()
    worker.join()
    assert others[0] == others[1] != first


@pytest.mark.postgres_only
def test_a_broken_pinned_connection_is_replaced_and_close_gives_every_pin_back(writes):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from tests.helpers import POSTGRES_URL

    db, _effects, _idem = writes
    pid = _backend_pid(db)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(DBAPIError) as caught:
        _backend_pid(db)
    assert caught.value.connection_invalidated
    replacement = _backend_pid(db)
    assert replacement != pid
    db.close()
    # A backend leaves pg_stat_activity when its process exits, a moment
    # after the client hung up: wait for it, up to a limit.
    deadline = time.monotonic() + 10
    with admin.connect() as connection:
        while True:
            left = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                      {"pid": replacement}).scalar()
            connection.rollback()  # a fresh snapshot of the statistics on the next read
            if left == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert left == 0
    admin.dispose()


def test_the_standard_sampler_variables_choose_what_is_traced(monkeypatch):
    # Platform teams turn sampling down at checkout volume with the standard
    # OTEL_TRACES_SAMPLER variables; Telemetry must not override them.
    from couponry_runtime.telemetry import Telemetry

    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.1")
    telemetry = Telemetry("redemption")
    try:
        assert "TraceIdRatioBased{0.1}" in telemetry.tracer_provider.sampler.get_description()
    finally:
        telemetry.shutdown()


def _otlp_receiver():
    """A real OTLP/gRPC trace receiver on loopback: (server, port, spans per Export call)."""
    from concurrent import futures

    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    batches: list[int] = []

    def export(request: bytes, context):
        batch = ExportTraceServiceRequest.FromString(request)
        batches.append(sum(len(scope.spans) for resource in batch.resource_spans for scope in resource.scope_spans))
        return b""

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "opentelemetry.proto.collector.trace.v1.TraceService",
        {"Export": grpc.unary_unary_rpc_method_handler(export)}),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port, batches


@pytest.mark.parametrize("variables, spans, largest", [
    ({}, 150, 64),
    ({"OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "200"}, 150, 150),
    # A batch may not exceed the queue: a small queue must still export
    # (fewer spans than it holds, so that none is dropped).
    ({"OTEL_BSP_MAX_QUEUE_SIZE": "32"}, 30, 30),
])
def test_spans_are_exported_in_small_batches_unless_the_standard_variables_say(monkeypatch, variables, spans,
                                                                                largest):
    # A large batch is encoded on the service's own interpreter while
    # checkouts wait (p99 +70% in the benchmark); OTEL_BSP_* still rule.
    from couponry_runtime.telemetry import Telemetry

    server, port, batches = _otlp_receiver()
    for name in ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_SCHEDULE_DELAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "true")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    telemetry = Telemetry("redemption")
    try:
        for _ in range(spans):
            with telemetry.span("step"):
                pass
        assert telemetry.tracer_provider.force_flush(10_000)
        assert sum(batches) == spans
        assert max(batches) == largest
    finally:
        telemetry.shutdown()
        server.stop(0)


def test_the_tracing_filter_follows_the_standard_exclusion_variable(monkeypatch):
    # Shared by the services' interceptors and the typed client's channels.
    from types import SimpleNamespace

    from couponry_runtime.telemetry import tracing_filter

    monkeypatch.setenv("OTEL_PYTHON_GRPC_EXCLUDED_SERVICES", "a.B, c.D")
    traced = tracing_filter()
    assert not traced(SimpleNamespace(method="/a.B/Get"))  # served
    assert not traced(SimpleNamespace(full_method="/c.D/Get"))  # made
    assert not traced(SimpleNamespace(method=b"/grpc.health.v1.Health/Check"))
    assert traced(SimpleNamespace(method="/a.Bc/Get")) and traced(SimpleNamespace(full_method="/x.a.B/Get"))
    monkeypatch.delenv("OTEL_PYTHON_GRPC_EXCLUDED_SERVICES")
    assert tracing_filter()(SimpleNamespace(method="/a.B/Get"))


def test_calls_to_excluded_services_leave_no_client_spans(monkeypatch):
    # The standard exclusion variable covers the calls a service makes too.
    from concurrent import futures

    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from couponry_runtime.channels import open_channel
    from couponry_runtime.telemetry import Telemetry

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(service, {
        "Echo": grpc.unary_unary_rpc_method_handler(lambda request, context: request)})
        for service in ("t.Hot", "t.Cold")])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    monkeypatch.setenv("OTEL_PYTHON_GRPC_EXCLUDED_SERVICES", "t.Hot")
    exported = InMemorySpanExporter()
    telemetry = Telemetry("campaign", [SimpleSpanProcessor(exported)])
    try:
        channel = open_channel(f"127.0.0.1:{port}", telemetry, 5.0)
        for service in ("t.Hot", "t.Cold", "t.Hot"):
            assert channel.unary_unary(f"/{service}/Echo")(b"x", timeout=5) == b"x"
        assert [span.name for span in exported.get_finished_spans()] == ["/t.Cold/Echo"]
    finally:
        telemetry.shutdown()
        server.stop(0)


def test_each_service_has_its_own_worker_default_and_the_setting_overrides_all(tmp_path):
    from couponry_services.registry import definition

    defaults = Settings(data_dir=tmp_path)
    assert definition("redemption").workers(defaults) == 8
    assert {definition(name).workers(defaults) for name in ("profile", "segmentation", "campaign")} == {16}
    assert {definition(name).workers(Settings(data_dir=tmp_path, max_workers=3))
            for name in ("profile", "segmentation", "campaign", "redemption")} == {3}


def test_interceptors_built_once_per_method_still_act_on_every_call():
    """PerMethodInterceptors reuses the handler a chain builds for a method;
    each call must still get its own span (parented by its own caller's
    trace), its own deadline and its own error mapping."""
    from opentelemetry import trace
    from opentelemetry.propagate import inject
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from couponry_runtime.server import ServiceParts, create_server
    from couponry_runtime.telemetry import Telemetry

    exporter = InMemorySpanExporter()
    telemetry = Telemetry("test", [SimpleSpanProcessor(exporter)])
    built = []

    class CountingInterceptor(grpc.ServerInterceptor):
        def intercept_service(self, continuation, details):
            built.append(details.method)
            return continuation(details)

    remaining: list[float | None] = []

    def echo(request, context):
        remaining.append(context.time_remaining())
        if request == b"fail":
            raise FailedPrecondition("NOPE", "refused")
        if request == b"boom":
            raise RuntimeError("a bug")
        return request

    handler = grpc.method_handlers_generic_handler("test.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)})
    parts = ServiceParts(full_name="test.Echo", register=lambda s: s.add_generic_rpc_handlers((handler,)))
    server, port, _ = create_server("127.0.0.1:0", parts, telemetry, "test.couponry")
    server.start()
    callers = TracerProvider().get_tracer("caller")
    call = grpc.insecure_channel(f"127.0.0.1:{port}").unary_unary("/test.Echo/Echo")
    parents = []
    try:
        for payload, timeout in ((b"a", 0.5), (b"b", 20.0), (b"fail", None), (b"boom", None)):
            with callers.start_as_current_span("checkout") as parent:
                parents.append(parent.get_span_context().trace_id)
                carrier: dict[str, str] = {}
                inject(carrier)
                try:
                    assert call(payload, timeout=timeout, metadata=tuple(carrier.items())) == payload
                except grpc.RpcError as error:
                    assert parse_rpc_error(error).reason == {b"fail": "NOPE", b"boom": "INTERNAL"}[payload]
    finally:
        server.stop(0)
    assert 0 < remaining[0] <= 0.6 and 10 < remaining[1] <= 21
    served = [s for s in exporter.get_finished_spans() if s.kind == trace.SpanKind.SERVER]
    assert [s.context.trace_id for s in served] == parents  # a span per call, each in its caller's trace
    codes = [s.attributes["rpc.grpc.status_code"] for s in served]
    assert codes == [0, 0, grpc.StatusCode.FAILED_PRECONDITION.value[0], grpc.StatusCode.INTERNAL.value[0]]
    assert served[3].status.status_code == trace.StatusCode.ERROR  # a server fault, not the caller's
    assert [s.attributes.get("couponry.error.reason") for s in served] == [None, None, "NOPE", "INTERNAL"]

    # The chain runs once per method and registered handler, not per call.
    chain = PerMethodInterceptors([CountingInterceptor()])
    base = grpc.unary_unary_rpc_method_handler(echo)

    class Details:
        method = "/test.Echo/Echo"

    first = chain.intercept_service(lambda _d: base, Details())
    assert chain.intercept_service(lambda _d: base, Details()) is first
    assert built == ["/test.Echo/Echo"]
    replaced = grpc.unary_unary_rpc_method_handler(echo)  # a re-registered method is wrapped afresh
    assert chain.intercept_service(lambda _d: replaced, Details()) is not first
    assert chain.intercept_service(lambda _d: None, Details()) is None


def test_a_tally_reports_exact_cumulative_counts_per_attribute_set():
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    from couponry_runtime.telemetry import Tally

    reader = InMemoryMetricReader()
    tally = Tally(MeterProvider(metric_readers=[reader]).get_meter("test"), "test.tally", unit="{x}",
                  description="test")

    def points():
        return {tuple(sorted(p.attributes.items())): p.value
                for rm in reader.get_metrics_data().resource_metrics for sm in rm.scope_metrics
                for metric in sm.metrics if metric.name == "test.tally" for p in metric.data.data_points}

    def bump(_):
        for _ in range(2_000):
            tally.add(1, {"outcome": "OK", "reason": "OK"})
            tally.add(1, {"reason": "CODE_EXHAUSTED", "outcome": "REFUSED"})  # order does not matter

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump, range(8)))
    ok, refused = (("outcome", "OK"), ("reason", "OK")), (("outcome", "REFUSED"), ("reason", "CODE_EXHAUSTED"))
    assert points() == {ok: 16_000, refused: 16_000}
    tally.add(5, {"outcome": "OK", "reason": "OK"})
    assert points() == {ok: 16_005, refused: 16_000}  # cumulative, like a Counter


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999),
                    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), None])))
def test_timestamps_match_protobufs_own_conversion(value):
    from google.protobuf.timestamp_pb2 import Timestamp

    from couponry_runtime.convert import as_utc, from_timestamp, to_timestamp

    expected = Timestamp()
    expected.FromDatetime(as_utc(value))  # naive values are UTC, as stored
    assert to_timestamp(value) == expected
    if expected.seconds or expected.nanos:
        assert from_timestamp(to_timestamp(value)) == as_utc(value)


@given(currency=st.one_of(st.sampled_from(["EUR", "USD", "JPY"]), st.text(max_size=4)),
       amount=st.integers(min_value=-(2**63), max_value=2**63 - 1), required=st.booleans(),
       expected_currency=st.sampled_from([None, "EUR"]), max_minor=st.sampled_from([None, 0, 10**6]))
def test_money_is_valid_exactly_when_no_violation_is_recorded(currency, amount, required, expected_currency,
                                                              max_minor):
    from couponry.type.v1 import money_pb2
    from couponry_runtime.validation import CURRENCIES, Violations

    violations = Violations()
    ok = violations.money(money_pb2.Money(currency_code=currency, amount_minor=amount), "m", required=required,
                          currency=expected_currency, max_minor=max_minor)
    assert ok == (not violations.items)
    if currency or amount:
        assert ok == (currency in CURRENCIES and amount >= 0 and (max_minor is None or amount <= max_minor)
                      and (expected_currency is None or currency == expected_currency))
