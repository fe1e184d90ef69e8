"""Limits under concurrency, on PostgreSQL (READ COMMITTED, many connections):
each client thread has its own channel and stub against a real server."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import grpc
import pytest
from sqlalchemy import func, select

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.redemption.v1 import redemption_service_pb2_grpc as api_grpc
from couponry_runtime.convert import utcnow
from couponry_services.redemption.jobs import run_expiry
from couponry_services.redemption.repository import redemptions

from .conftest import eur, fixed_off, order, percent_off, reason_of

pytestmark = pytest.mark.postgres_only


def race(target: str, calls: list) -> list:
    """Runs each call(stub) on its own thread and channel, all released at once.
    Returns the response or the failure reason of each."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        with grpc.insecure_channel(target) as channel:
            stub = api_grpc.RedemptionServiceStub(channel)
            grpc.channel_ready_future(channel).result(timeout=10)
            barrier.wait(timeout=30)
            try:
                return call(stub)
            except grpc.RpcError as error:
                return reason_of(error) or error.code().name

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def redeem_call(code, subject, total=10_000, request_id=None):
    def call(stub):
        return stub.RedeemCode(api.RedeemCodeRequest(code=code, subject_ref=subject, order=order(total),
                                                     request_id=request_id or uuid.uuid4().hex), timeout=60)
    return call


def successes(results):
    return [r for r in results if not isinstance(r, str)]


def test_64_clients_one_single_use_code(busy_redemption):
    r = busy_redemption
    promotion = r.promotion()
    code = r.issue(promotion.promotion_id, "owner").code
    results = race(r.target, [redeem_call(code, "owner") for _ in range(64)])
    assert len(successes(results)) == 1
    assert set(x for x in results if isinstance(x, str)) == {"CODE_EXHAUSTED"}
    assert r.get_promotion(promotion.promotion_id).redemption_count == 1
    r.consistent(promotion.promotion_id)


def test_total_limit_n_with_4n_concurrent_redeems(busy_redemption):
    r = busy_redemption
    n = 12
    promotion = r.promotion(total_redemption_limit=n)
    codes = [r.issue(promotion.promotion_id, f"s{i}").code for i in range(4 * n)]
    results = race(r.target, [redeem_call(c, f"s{i}") for i, c in enumerate(codes)])
    assert len(successes(results)) == n
    assert set(x for x in results if isinstance(x, str)) == {"PROMOTION_LIMIT_REACHED"}
    assert r.get_promotion(promotion.promotion_id).redemption_count == n
    r.consistent(promotion.promotion_id)


def test_budget_is_never_overspent(busy_redemption):
    r = busy_redemption
    promotion = r.promotion(discount=percent_off(10), budget=eur(5_000),
                            code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0)
    [shared] = r.mint(promotion.promotion_id, 1)
    # Discounts of 1.00 to 9.00 on the one hot code: the budget runs out mid-race.
    results = race(r.target, [redeem_call(shared, f"s{i}", total=1_000 * (1 + i % 9)) for i in range(48)])
    won = successes(results)
    spent = sum(x.redemption.discount.amount_minor for x in won)
    assert 0 < spent <= 5_000
    assert r.get_promotion(promotion.promotion_id).discount_spent.amount_minor == spent
    assert set(x for x in results if isinstance(x, str)) == {"PROMOTION_BUDGET_EXHAUSTED"}
    r.consistent(promotion.promotion_id)


def test_same_request_id_twenty_times_redeems_once(busy_redemption):
    r = busy_redemption
    promotion = r.promotion(code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0)
    [shared] = r.mint(promotion.promotion_id, 1)
    request = api.RedeemCodeRequest(code=shared, subject_ref="s", order=order(order_id="o-1"), request_id="pay-42")
    results = race(r.target, [lambda stub: stub.RedeemCode(request, timeout=60)] * 20)
    assert all(not isinstance(x, str) for x in results), results
    assert len({x.redemption.redemption_id for x in results}) == 1
    assert r.get_promotion(promotion.promotion_id).redemption_count == 1
    r.consistent(promotion.promotion_id)


def test_rollbacks_racing_redemptions_leave_the_budget_exact(busy_redemption):
    r = busy_redemption
    promotion = r.promotion(discount=fixed_off(500), budget=eur(10_000))
    first = [r.issue(promotion.promotion_id, f"a{i}").code for i in range(20)]
    done = [r.redeem(c, f"a{i}") for i, c in enumerate(first)]  # the budget is spent
    fresh = [r.issue(promotion.promotion_id, f"b{i}").code for i in range(30)]

    def rollback_call(redemption_id):
        return lambda stub: stub.RollbackRedemption(api.RollbackRedemptionRequest(
            redemption_id=redemption_id, reason="refund", request_id=uuid.uuid4().hex), timeout=60)
    calls = [rollback_call(d.redemption_id) for d in done[:12]] + \
            [redeem_call(c, f"b{i}") for i, c in enumerate(fresh)]
    results = race(r.target, calls)
    assert all(not isinstance(x, str) for x in results[:12])
    new = successes(results[12:])
    assert len(new) <= 12
    assert set(x for x in results[12:] if isinstance(x, str)) <= {"PROMOTION_BUDGET_EXHAUSTED"}
    with r.database.transaction() as session:
        live = session.execute(select(func.count(), func.sum(redemptions.c.discount_minor)).where(
            redemptions.c.promotion_id == promotion.promotion_id,
            redemptions.c.state == rpb.REDEMPTION_STATE_REDEEMED)).one()
    promo = r.get_promotion(promotion.promotion_id)
    assert live[0] == 20 - 12 + len(new) == promo.redemption_count
    assert live[1] == promo.discount_spent.amount_minor <= 10_000
    r.consistent(promotion.promotion_id)


def test_reservations_expiring_while_others_redeem(busy_redemption):
    r = busy_redemption
    n = 10
    promotion = r.promotion(total_redemption_limit=n, discount=fixed_off(100), budget=eur(100 * n))
    held_codes = [r.issue(promotion.promotion_id, f"h{i}").code for i in range(n)]
    for i, c in enumerate(held_codes):
        r.stub.ReserveCode(api.ReserveCodeRequest(code=c, subject_ref=f"h{i}", order=order(), hold_seconds=1,
                                                  request_id=uuid.uuid4().hex))
    assert r.get_promotion(promotion.promotion_id).redemption_count == n
    fresh = [r.issue(promotion.promotion_id, f"f{i}").code for i in range(3 * n)]
    later = utcnow() + timedelta(seconds=5)
    expiring = [lambda stub: run_expiry(r.database, later)] * 4
    results = race(r.target, expiring + [redeem_call(c, f"f{i}") for i, c in enumerate(fresh)])
    assert sum(x["reservations"] for x in results[:4]) == n  # each hold given back exactly once
    won = successes(results[4:])
    assert len(won) <= n
    # Limit and budget run out together here; a refusal names either.
    assert set(x for x in results[4:] if isinstance(x, str)) <= {"PROMOTION_LIMIT_REACHED",
                                                                 "PROMOTION_BUDGET_EXHAUSTED"}
    promo = r.get_promotion(promotion.promotion_id)
    assert promo.redemption_count == len(won) and promo.discount_spent.amount_minor == 100 * len(won)
    for c in held_codes:
        assert r.stub.GetCode(api.GetCodeRequest(code=c)).code.uses_remaining == 1
    r.consistent(promotion.promotion_id)
