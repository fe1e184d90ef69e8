"""Where each phase's CPU goes: the callers' share (the load generator, or
the Python client threads) and the database's, measured from the processes
themselves. On one machine the callers' CPU is taken from the side they
call; the report also sets each side against the floor without it, as
where callers run on hosts of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import POSTGRES_URL

from .script import bench

linux_only = pytest.mark.skipif(not Path("/proc/stat").exists(), reason="reads CPU times from /proc (Linux)")

_BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def _phase(**figures) -> bench.Phase:
    return bench.Phase("phase", latencies=[0.001] * 10, elapsed=1.0, **figures)


def _rounds(*phases: bench.Phase) -> bench.Result:
    result = bench.Result("side")
    for phase in phases:
        result.add(phase)
    return result


@linux_only
def test_a_load_generator_that_has_exited_is_counted_as_the_phases_callers():
    def phase():
        subprocess.run([sys.executable, "-c", _BURN], check=True)
        return _phase()

    got = bench.measured([], phase, bench.children_cpu_seconds)

    # 0.3 s of CPU over 10 calls, plus the interpreter's start.
    assert 30 <= got.callers_ms < 300
    assert got.database_ms is None


@linux_only
def test_client_threads_in_this_process_are_counted_as_the_phases_callers():
    def phase():
        end = time.process_time() + 0.2
        while time.process_time() < end:
            pass
        return _phase()

    got = bench.measured([os.getpid()], phase, bench.own_cpu_seconds)

    assert got.callers_ms >= 15
    assert got.cpu_ms == pytest.approx(got.callers_ms, rel=0.2)


def test_a_phase_with_no_successful_call_has_no_cpu_per_call():
    got = bench.measured([os.getpid()], lambda: bench.Phase("refused"), bench.own_cpu_seconds)

    assert (got.cpu_ms, got.callers_ms, got.machine_ms) == (None, None, None)


def test_leaving_the_callers_out_sets_the_sides_remaining_cpu_against_the_floors_whole():
    # Round 1: floor 3.0 ms; the side 5.0 ms of which its callers 0.5 ms.
    # Round 2: floor 2.8 ms; the side is cheapest at its second load once its callers are left out.
    floors = [_rounds(_phase(machine_ms=3.0, callers_ms=0.0), _phase(machine_ms=2.8, callers_ms=0.0))]
    side = [_rounds(_phase(machine_ms=5.0, callers_ms=0.5), _phase(machine_ms=4.6, callers_ms=0.2)),
            _rounds(_phase(machine_ms=5.2, callers_ms=0.9), _phase(machine_ms=4.7, callers_ms=0.6))]

    assert bench.cpu_ratios(side, floors, bench.without_callers) == pytest.approx([3.0 / 4.3, 2.8 / 4.1])
    assert bench.cpu_ratios(side, floors) == pytest.approx([3.0 / 5.0, 2.8 / 4.6])


def test_a_round_whose_callers_were_not_measured_has_no_ratio_without_them():
    floors = [_rounds(_phase(machine_ms=3.0, callers_ms=0.0), _phase(machine_ms=2.8, callers_ms=0.0))]
    side = [_rounds(_phase(machine_ms=5.0), _phase(machine_ms=4.0, callers_ms=0.5))]

    assert bench.cpu_ratios(side, floors, bench.without_callers) == pytest.approx([2.8 / 3.5])


_HOSTS = st.sampled_from(["127.0.0.1", "localhost", "::1", "/var/run/postgresql"])
_REMOTE = st.sampled_from(["db.internal", "10.0.0.5", "pg-primary", "::2"])


@given(st.lists(_HOSTS, min_size=1, max_size=3))
def test_a_server_on_loopback_or_a_socket_is_local(hosts):
    assert bench.is_local(f"host={','.join(hosts)} dbname=test")


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@[::1]/test",
                                 "postgresql:///test", "postgresql://postgres@localhost/test?sslmode=disable"])
def test_a_url_naming_this_machine_or_no_host_is_local(url):
    assert bench.is_local(url)


@given(st.lists(_HOSTS, max_size=2), _REMOTE, st.lists(_HOSTS, max_size=2))
def test_a_server_that_may_be_on_another_host_is_not_local(before, remote, after):
    # One remote host among several is enough: the connection may go there.
    assert not bench.is_local(f"host={','.join([*before, remote, *after])} dbname=test")
    assert not bench.is_local(f"postgresql://postgres@{remote if ':' not in remote else f'[{remote}]'}/test")


@pytest.mark.postgres_only
@linux_only
def test_the_database_cpu_includes_backends_that_have_already_exited():
    # The floor's client threads close their connections at the end of a
    # phase: their backends' CPU must still count.
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    before = bench.database_cpu_seconds()
    with psycopg.connect(dsn) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute("SELECT count(*) FROM generate_series(1, 3000000)").fetchone()
        used = bench.process_cpu_seconds(backend)
    assert used >= 0.1
    deadline = time.monotonic() + 10
    while Path(f"/proc/{backend}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the postmaster reaps it

    assert bench.database_cpu_seconds() - before >= used - 0.02
