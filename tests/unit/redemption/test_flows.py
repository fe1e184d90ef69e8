"""Reservations, rollbacks, retries, publication, listing, analytics and the
consistency check."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest
from sqlalchemy import select, update

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry_runtime.convert import to_timestamp, utcnow
from couponry_services.redemption.jobs import run_expiry
from couponry_services.redemption.repository import attempts, promotions

from .conftest import eur, fixed_off, order, reason_of


def reserve(r, code, subject="subj-1", total=10_000, hold_seconds=0, order_id=None):
    return r.stub.ReserveCode(api.ReserveCodeRequest(
        code=code, subject_ref=subject, order=order(total, order_id=order_id), hold_seconds=hold_seconds,
        request_id=r.rid())).reservation


def test_reserve_confirm_redeems_once(redemption):
    promotion = redemption.promotion(total_redemption_limit=1)
    code = redemption.issue(promotion.promotion_id).code
    other = redemption.issue(promotion.promotion_id, "subj-2").code
    held = reserve(redemption, code, order_id="order-9")
    assert held.state == rpb.RESERVATION_STATE_HELD and held.discount == eur(1000)
    # A held use counts against every limit.
    assert redemption.get_promotion(promotion.promotion_id).redemption_count == 1
    assert redemption.redeem_error(other, "subj-2") == (grpc.StatusCode.RESOURCE_EXHAUSTED, "PROMOTION_LIMIT_REACHED")
    first = redemption.stub.ConfirmRedemption(api.ConfirmRedemptionRequest(reservation_id=held.reservation_id))
    second = redemption.stub.ConfirmRedemption(api.ConfirmRedemptionRequest(reservation_id=held.reservation_id))
    assert first.redemption == second.redemption and first.redemption.code == code
    assert first.redemption.order_id == "order-9" and first.redemption.discount == eur(1000)
    listed = redemption.stub.ListRedemptions(api.ListRedemptionsRequest(promotion_id=promotion.promotion_id))
    assert len(listed.redemptions) == 1
    assert redemption.get_promotion(promotion.promotion_id).redemption_count == 1
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.ReleaseReservation(api.ReleaseReservationRequest(reservation_id=held.reservation_id))
    assert reason_of(caught.value) == "RESERVATION_CONFIRMED"
    redemption.consistent(promotion.promotion_id)


def test_release_and_expiry_give_the_use_back(redemption):
    promotion = redemption.promotion(per_customer_limit=1, budget=eur(1000))
    code = redemption.issue(promotion.promotion_id).code
    held = reserve(redemption, code)
    assert redemption.stub.GetCode(api.GetCodeRequest(code=code)).code.uses_remaining == 0
    released = redemption.stub.ReleaseReservation(api.ReleaseReservationRequest(reservation_id=held.reservation_id))
    assert released.reservation.state == rpb.RESERVATION_STATE_RELEASED
    again = redemption.stub.ReleaseReservation(api.ReleaseReservationRequest(reservation_id=held.reservation_id))
    assert again.reservation.state == rpb.RESERVATION_STATE_RELEASED
    promo = redemption.get_promotion(promotion.promotion_id)
    assert promo.redemption_count == 0 and promo.discount_spent.amount_minor == 0
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.ConfirmRedemption(api.ConfirmRedemptionRequest(reservation_id=held.reservation_id))
    assert reason_of(caught.value) == "RESERVATION_RELEASED"

    lapsing = reserve(redemption, code, hold_seconds=60)
    assert run_expiry(redemption.database, utcnow() + timedelta(seconds=30))["reservations"] == 0
    assert run_expiry(redemption.database, utcnow() + timedelta(seconds=61))["reservations"] == 1
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.ConfirmRedemption(api.ConfirmRedemptionRequest(reservation_id=lapsing.reservation_id))
    assert reason_of(caught.value) == "RESERVATION_EXPIRED"
    # The failed payment never used the code up: it still redeems, once.
    redemption.redeem(code)
    redemption.consistent(promotion.promotion_id)


def test_rollback_then_redeem_again_and_double_rollback(redemption):
    promotion = redemption.promotion(discount=fixed_off(700), per_customer_limit=1, budget=eur(700))
    code = redemption.issue(promotion.promotion_id).code
    first = redemption.redeem(code)
    rolled = redemption.rollback(first.redemption_id, request_id="rb-1")
    assert rolled.state == rpb.REDEMPTION_STATE_ROLLED_BACK and rolled.rollback_reason == "order_cancelled"
    assert redemption.rollback(first.redemption_id, request_id="rb-1") == rolled
    assert redemption.rollback(first.redemption_id, request_id="rb-2") == rolled  # a new id: still the first result
    promo = redemption.get_promotion(promotion.promotion_id)
    assert promo.redemption_count == 0 and promo.discount_spent.amount_minor == 0
    second = redemption.redeem(code)
    assert second.redemption_id != first.redemption_id
    assert redemption.get_promotion(promotion.promotion_id).discount_spent == eur(700)
    with pytest.raises(grpc.RpcError) as caught:
        redemption.rollback("red_missing")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    redemption.consistent(promotion.promotion_id)


def test_redeem_retry_returns_the_first_result(redemption):
    promotion = redemption.promotion(code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0)
    [shared] = redemption.mint(promotion.promotion_id, 1)
    request = api.RedeemCodeRequest(code=shared, subject_ref="s", order=order(order_id="o-1"), request_id="pay-1")
    first = redemption.stub.RedeemCode(request).redemption
    assert redemption.stub.RedeemCode(request).redemption == first
    assert redemption.get_promotion(promotion.promotion_id).redemption_count == 1
    request.order.total.amount_minor += 1
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.RedeemCode(request)
    assert reason_of(caught.value) == "REQUEST_ID_REUSED"
    request.request_id = ""
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.RedeemCode(request)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT and reason_of(caught.value) == "MISSING_REQUEST_ID"


@pytest.mark.postgres_only
def test_a_lost_database_connection_fails_unavailable_and_the_retry_redeems_once(redemption, settings):
    # Checkout handlers keep a connection of their own between calls; when the
    # database drops it, the call fails retryably and the retry redeems once.
    from tests.helpers import drop_database_connections

    promotion = redemption.promotion(code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0)
    [shared] = redemption.mint(promotion.promotion_id, 1)
    redemption.redeem(shared, "s-warm")  # the handler thread now holds its connection
    assert drop_database_connections(settings, "redemption") >= 1
    request = api.RedeemCodeRequest(code=shared, subject_ref="s", order=order(order_id="o-lost"), request_id="pay-lost")

    def as_a_client_retries(call):
        # Each dead connection (pinned or pooled) fails one call retryably.
        for _ in range(60):
            try:
                return call()
            except grpc.RpcError as error:
                assert (error.code(), reason_of(error)) == (grpc.StatusCode.UNAVAILABLE, "DATABASE_UNAVAILABLE")
        raise AssertionError("the retries never got through")

    redeem = lambda: redemption.stub.RedeemCode(request, timeout=10).redemption  # noqa: E731
    first = as_a_client_retries(redeem)
    assert as_a_client_retries(redeem) == first
    assert as_a_client_retries(lambda: redemption.get_promotion(promotion.promotion_id)).redemption_count == 2
    as_a_client_retries(lambda: redemption.consistent(promotion.promotion_id))


def test_mint_publish_list_and_case_insensitive_redeem(redemption):
    promotion = redemption.promotion(code_pattern=ppb.CodePattern(prefix="spring-", pattern="####-####"))
    sample = redemption.mint(promotion.promotion_id, 25)
    assert len(set(sample)) == 25 and all(c.startswith("SPRING-") and c[11] == "-" for c in sample)
    published = redemption.stub.PublishCode(api.PublishCodeRequest(
        promotion_id=promotion.promotion_id, subject_ref="zed", request_id="pub-1")).code
    assert published.subject_ref == "zed" and published.HasField("publish_time")
    chosen = next(c for c in sample if c != published.code)
    pinned = redemption.stub.PublishCode(api.PublishCodeRequest(
        promotion_id=promotion.promotion_id, code=chosen.lower(), subject_ref="yan")).code
    assert pinned.code == chosen and pinned.subject_ref == "yan"
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.PublishCode(api.PublishCodeRequest(
            promotion_id=promotion.promotion_id, code=chosen, subject_ref="other"))
    assert reason_of(caught.value) == "CODE_ALREADY_PUBLISHED"
    page = redemption.stub.ListCodes(api.ListCodesRequest(promotion_id=promotion.promotion_id, page_size=10))
    assert len(page.codes) == 10 and page.next_page_token
    rest = redemption.stub.ListCodes(api.ListCodesRequest(promotion_id=promotion.promotion_id, page_size=100,
                                                          page_token=page.next_page_token))
    assert len(rest.codes) == 15 and not rest.next_page_token
    mine = redemption.stub.ListCodes(api.ListCodesRequest(promotion_id=promotion.promotion_id, subject_ref="yan"))
    assert [c.code for c in mine.codes] == [chosen]
    # Typed in lower case with spaces for dashes: the very same code is used up.
    typed = " " + chosen.lower().replace("-", " ") + " "
    redemption.redeem(typed, "yan")
    assert redemption.stub.GetCode(api.GetCodeRequest(code=chosen)).code.state == ppb.CODE_STATE_EXHAUSTED
    assert redemption.redeem_error(chosen, "yan")[1] == "CODE_EXHAUSTED"


def test_failed_attempts_are_logged_and_counted_in_stats(redemption):
    promotion = redemption.promotion(campaign_id="cmp-9", minimum_order=eur(2000))
    codes = [redemption.issue(promotion.promotion_id, f"s{i}").code for i in range(4)]
    redemption.redeem(codes[0], "s0", total=5000)
    redemption.redeem(codes[1], "s1", total=3000)
    assert redemption.redeem_error(codes[2], "s2", total=1000)[1] == "ORDER_BELOW_MINIMUM"
    assert redemption.redeem_error(codes[2], "s9")[1] == "NOT_CODE_OWNER"
    with redemption.database.transaction() as session:
        rows = session.execute(select(attempts.c.action, attempts.c.outcome, attempts.c.reason,
                                      attempts.c.order_total_minor)
                               .where(attempts.c.promotion_id == promotion.promotion_id)
                               .order_by(attempts.c.attempt_id)).all()
    assert [(r.action, r.outcome, r.reason) for r in rows] == [
        ("REDEEM", "SUCCESS", ""), ("REDEEM", "SUCCESS", ""), ("REDEEM", "FAILURE", "ORDER_BELOW_MINIMUM"),
        ("REDEEM", "FAILURE", "NOT_CODE_OWNER")]
    assert rows[2].order_total_minor == 1000
    for query in (api.GetPromotionStatsRequest(promotion_id=promotion.promotion_id),
                  api.GetPromotionStatsRequest(campaign_id="cmp-9")):
        stats = redemption.stub.GetPromotionStats(query).stats
        assert stats.minted_count == 4 and stats.published_count == 4 and stats.redeemed_count == 2
        assert stats.redemption_rate == pytest.approx(0.5)
        assert stats.discount_given == eur(800) and stats.redeemed_order_value == eur(8000)
        assert stats.time_to_redeem_p90_seconds >= stats.time_to_redeem_p50_seconds >= 0
        assert {f.reason: f.count for f in stats.failures} == {"ORDER_BELOW_MINIMUM": 1, "NOT_CODE_OWNER": 1}
    future = redemption.stub.GetPromotionStats(api.GetPromotionStatsRequest(
        promotion_id=promotion.promotion_id, start_time=to_timestamp(utcnow() + timedelta(hours=1)),
        end_time=to_timestamp(utcnow() + timedelta(hours=2)))).stats
    assert future.redeemed_count == 0 and future.minted_count == 0


def test_consistency_check_notices_a_tampered_counter(redemption):
    promotion = redemption.promotion()
    redemption.redeem(redemption.issue(promotion.promotion_id).code)
    redemption.consistent(promotion.promotion_id)
    with redemption.database.transaction() as session:
        session.execute(update(promotions).where(promotions.c.promotion_id == promotion.promotion_id)
                        .values(redemption_count=promotions.c.redemption_count + 1))
    response = redemption.stub.CheckConsistency(api.CheckConsistencyRequest(promotion_id=promotion.promotion_id))
    assert not response.consistent and response.discrepancies
    assert (response.counter_redemption_count, response.recomputed_redemption_count) == (2, 1)


def test_list_promotions_pages_and_filters(redemption):
    for i in range(3):
        redemption.promotion(campaign_id="cmp-a", display_name=f"A{i}")
    redemption.promotion(campaign_id="cmp-b")
    page = redemption.stub.ListPromotions(api.ListPromotionsRequest(campaign_id="cmp-a", page_size=2))
    rest = redemption.stub.ListPromotions(api.ListPromotionsRequest(campaign_id="cmp-a", page_size=2,
                                                                     page_token=page.next_page_token))
    assert [p.display_name for p in page.promotions] + [p.display_name for p in rest.promotions] == ["A0", "A1", "A2"]
    assert not rest.next_page_token


def test_a_voided_code_stays_void_after_its_use_is_given_back(redemption):
    # Found in review: voiding skipped spent codes, and a refund revived them.

    promotion = redemption.promotion(discount=fixed_off(500))
    spent = redemption.issue(promotion.promotion_id, "withdrawn-a").code
    redeemed = redemption.redeem(spent, "withdrawn-a")
    held = redemption.issue(promotion.promotion_id, "withdrawn-b").code
    reservation = redemption.stub.ReserveCode(api.ReserveCodeRequest(
        code=held, subject_ref="withdrawn-b", order=order(), request_id=redemption.rid())).reservation

    for subject in ("withdrawn-a", "withdrawn-b"):
        voided = redemption.stub.VoidSubjectCodes(api.VoidSubjectCodesRequest(
            subject_ref=subject, request_id=redemption.rid())).voided_count
        assert voided == 1
    redemption.rollback(redeemed.redemption_id)
    redemption.stub.ReleaseReservation(api.ReleaseReservationRequest(
        reservation_id=reservation.reservation_id, request_id=redemption.rid()))

    for code, subject in ((spent, "withdrawn-a"), (held, "withdrawn-b")):
        with pytest.raises(grpc.RpcError) as caught:
            redemption.redeem(code, subject)
        assert reason_of(caught.value) == "CODE_VOIDED"


def test_attempts_are_counted_by_operation_outcome_and_reason_never_by_customer(redemption, metrics):
    # `metrics` reads the first service started: this redemption server.
    promotion = redemption.promotion(minimum_order=eur(5_000))
    code = redemption.issue(promotion.promotion_id, subject_ref="subj-metric").code
    redemption.stub.ValidateCode(api.ValidateCodeRequest(code=code, subject_ref="subj-metric", order=order(1_000)))
    reserve(redemption, code, subject="subj-metric", total=10_000)
    assert redemption.redeem_error(code, "subj-metric", total=10_000)[1] == "CODE_EXHAUSTED"  # the hold has it
    points = {tuple(sorted(point.attributes.items())): point.value
              for rm in metrics.get_metrics_data().resource_metrics for sm in rm.scope_metrics
              for metric in sm.metrics if metric.name == "couponry.redemption.attempts"
              for point in metric.data.data_points}
    assert points == {
        (("operation", "VALIDATE"), ("outcome", "REFUSED"), ("reason", "ORDER_BELOW_MINIMUM")): 1,
        (("operation", "RESERVE"), ("outcome", "OK"), ("reason", "OK")): 1,
        (("operation", "REDEEM"), ("outcome", "REFUSED"), ("reason", "CODE_EXHAUSTED")): 1,
    }
    assert "subj-metric" not in str(points) and code not in str(points)
