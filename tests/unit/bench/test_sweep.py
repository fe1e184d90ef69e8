"""The benchmark's load sweep: `--clients` parsing and each side's peak
against the floor's peak, the figure the redemption goal is read from when
the floor and the service are best at different loads."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .script import bench

_COUNTS = st.integers(1, bench.MAX_CLIENTS)


@given(st.lists(_COUNTS, min_size=1, max_size=8), st.sampled_from(["", " "]))
def test_counts_are_read_back_in_order_each_once(counts, pad):
    parsed = bench.client_counts(",".join(f"{pad}{count}{pad}" for count in counts))

    assert parsed == list(dict.fromkeys(counts))


@given(st.lists(_COUNTS, max_size=4), st.one_of(st.just(0), st.integers(bench.MAX_CLIENTS + 1)),
       st.lists(_COUNTS, max_size=4))
def test_a_count_out_of_range_is_refused(before, bad, after):
    with pytest.raises(argparse.ArgumentTypeError, match="1 to"):
        bench.client_counts(",".join(map(str, [*before, bad, *after])))


@pytest.mark.parametrize("text", ["", "8,", ",8", "eight", "4;8", "4.5", "4,,8", "-1", "+4", "٤", "4,٨"])
def test_what_is_not_a_list_of_counts_is_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        bench.client_counts(text)


def _side(*throughputs: float) -> bench.Result:
    result = bench.Result("side")
    for throughput in throughputs:
        result.add(bench.Phase("side", latencies=[0.001] * int(throughput), elapsed=1.0))
    return result


def test_peak_against_peak_takes_each_sides_best_load_in_each_round():
    # Round 1: the floor is best at 4 clients (1400), the service at 8 (900).
    # Round 2: the floor is best at 8 (1300), the service at 16 (950).
    floors = [_side(1400, 1200), _side(1200, 1300), _side(900, 1000)]
    service = [_side(800, 850), _side(900, 900), _side(880, 950)]

    ratios = bench.peak_ratios(service, floors)

    assert ratios == pytest.approx([900 / 1400, 950 / 1300])


def test_the_best_load_is_the_one_with_the_most_calls_per_second_over_the_run():
    assert bench.best_load({4: _side(1400, 1300), 8: _side(1200, 1250), 16: _side(900, 950)}) == 4
    assert bench.best_load({4: _side(800, 850), 8: _side(900, 880), 16: _side(870, 890)}) == 8


def _costs(*machine_ms: float) -> bench.Result:
    result = bench.Result("side")
    for cost in machine_ms:
        result.add(bench.Phase("side", latencies=[0.001] * 10, elapsed=1.0, machine_ms=cost))
    return result


def test_the_cpu_ratio_sets_each_sides_cheapest_load_against_the_floors():
    # Round 1: the floor is cheapest at 4 clients (3.0 ms), the service at 8 (5.0 ms).
    # Round 2: the floor at 8 (2.8 ms), the service at 16 (4.0 ms).
    floors = [_costs(3.0, 3.2), _costs(3.5, 2.8), _costs(4.0, 4.1)]
    service = [_costs(5.5, 5.6), _costs(5.0, 4.9), _costs(5.2, 4.0)]

    assert bench.cpu_ratios(service, floors) == pytest.approx([3.0 / 5.0, 2.8 / 4.0])


def test_a_round_without_cpu_figures_has_no_cpu_ratio():
    # Off Linux there is no /proc to read: such a phase carries no machine CPU.
    floor, side = _costs(3.0), _costs(5.0)
    floor.add(bench.Phase("floor", latencies=[0.001], elapsed=1.0))
    side.add(bench.Phase("side", latencies=[0.001], elapsed=1.0))

    assert bench.cpu_ratios([side], [floor]) == pytest.approx([3.0 / 5.0])
