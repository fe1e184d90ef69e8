"""The benchmark's compiled load generator and the parser of its output.

The redemption benchmark's ratios are only as good as its count of calls:
these tests check that every request is sent exactly once, that refusals are
counted by status and not as successes, and that the output is read back
without loss."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections import Counter
from concurrent import futures

import grpc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .script import bench

_CODES = [code for code in grpc.StatusCode]


@given(st.lists(st.tuples(st.sampled_from(_CODES), st.integers(0, 10**12)), max_size=50),
       st.floats(0.001, 10**4, allow_nan=False))
def test_parser_reads_back_every_call_and_its_status(calls, elapsed):
    lines = [f"{code.value[0]} {nanos}" for code, nanos in calls]
    phase = bench.parse_load_output("p", "\n".join(lines + [f"consumed {len(calls)}", f"elapsed {elapsed:.6f}"]))

    assert phase.consumed == len(calls)
    assert phase.elapsed == pytest.approx(elapsed, abs=1e-6)
    assert phase.latencies == [nanos / 1e9 for code, nanos in calls if code is grpc.StatusCode.OK]
    assert phase.failures == dict(Counter(code.name for code, _ in calls if code is not grpc.StatusCode.OK))


def _toolchain_missing() -> str | None:
    """Why the load generator cannot be built here, or None when it can."""
    if shutil.which("c++") is None or shutil.which("pkg-config") is None:
        return "no C++ compiler or pkg-config"
    if subprocess.run(["pkg-config", "--exists", "grpc++"], capture_output=True).returncode != 0:
        return "no gRPC C++ library (Debian: libgrpc++-dev)"
    return None


@pytest.fixture(scope="module")
def load():
    # Skipped only where the toolchain is missing: with it, a source that no
    # longer builds is a failure, not a skip.
    missing = _toolchain_missing()
    if missing:
        pytest.skip(f"the load generator cannot be built here: {missing}")
    return bench.CompiledLoad.build()


def _serve_recorder(servers: list):
    """A plain gRPC server that records every request it gets and refuses b"no"."""
    seen, lock = [], threading.Lock()

    def answer(request: bytes, context):
        with lock:
            seen.append(request)
        if request == b"no":
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "refused")
        return request

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("t.Recorder", {
        "Call": grpc.unary_unary_rpc_method_handler(answer)}),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    servers.append(server)
    return f"127.0.0.1:{port}", seen


@pytest.fixture
def recorders():
    """Starts recording servers on demand: `recorders()` -> (target, requests seen)."""
    servers: list = []
    yield lambda: _serve_recorder(servers)
    for server in servers:
        server.stop(0)


@pytest.fixture
def recorder(recorders):
    return recorders()


def test_every_request_is_sent_once_and_refusals_are_not_successes(load, recorder):
    target, seen = recorder
    requests = [b"no" if i % 5 == 0 else f"r{i}".encode() for i in range(200)]

    phase = load.run("p", target, "/t.Recorder/Call", requests, clients=4, seconds=60)

    assert phase.consumed == len(requests) == len(seen)
    assert Counter(seen) == Counter(requests)
    assert phase.ok == 160
    assert phase.failures == {"FAILED_PRECONDITION": 40}


def test_the_callers_are_spread_over_several_servers(load, recorders):
    (first, seen_first), (second, seen_second) = recorders(), recorders()
    phase = load.run("p", f"{first},{second}", "/t.Recorder/Call", [b"same"], clients=2, seconds=0.3, repeat=True)
    assert seen_first and seen_second
    assert phase.ok == phase.consumed == len(seen_first) + len(seen_second)


def test_a_cut_short_requests_file_is_refused(load, recorder, tmp_path):
    target, seen = recorder
    path = tmp_path / "requests"
    path.write_bytes((10).to_bytes(4, "little") + b"abc")
    done = subprocess.run([str(load.binary), target, "/t.Recorder/Call", "1", "1", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "cut short" in done.stderr
    assert not seen


def test_repeat_sends_the_first_request_until_time_is_up(load, recorder):
    target, seen = recorder
    phase = load.run("p", target, "/t.Recorder/Call", [b"same"], clients=2, seconds=0.5, repeat=True)
    assert phase.ok == phase.consumed == len(seen) > 1
    assert set(seen) == {b"same"}
    assert phase.elapsed >= 0.5


def test_an_unreachable_server_is_an_error_not_an_empty_phase(load):
    from tests.helpers import free_port

    with pytest.raises(RuntimeError, match="cannot connect"):
        load.run("p", f"127.0.0.1:{free_port()}", "/t.Recorder/Call", [b"a"], clients=1, seconds=1)
