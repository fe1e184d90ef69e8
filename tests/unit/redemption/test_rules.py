"""Every failure reason reached through the API, with its canonical status."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest
from google.protobuf import field_mask_pb2

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import to_timestamp, utcnow
from couponry_services.redemption.domain import check_character, normalize_code
from couponry_services.redemption.jobs import run_expiry

from .conftest import eur, fixed_off, order, percent_off, reason_of


def well_formed_but_unknown(body: str) -> str:
    key = normalize_code(body)
    return key + check_character(key)

RE = grpc.StatusCode.RESOURCE_EXHAUSTED
FP = grpc.StatusCode.FAILED_PRECONDITION


def test_code_not_found_and_malformed(redemption):
    unknown = well_formed_but_unknown("SPRING" + "ABCDEFGH")
    assert redemption.redeem_error(unknown) == (grpc.StatusCode.NOT_FOUND, "CODE_NOT_FOUND")
    # One character changed: caught by the check character before any lookup.
    typo = unknown[:-2] + ("J" if unknown[-2] != "J" else "K") + unknown[-1]
    assert redemption.redeem_error(typo) == (grpc.StatusCode.INVALID_ARGUMENT, "CODE_MALFORMED")


def test_code_expired_by_validity_and_by_job(redemption):
    promotion = redemption.promotion()
    code = redemption.issue(promotion.promotion_id, validity_hours=1)
    counts = run_expiry(redemption.database, utcnow() + timedelta(hours=2))
    assert counts["codes"] == 1
    assert redemption.redeem_error(code.code) == (FP, "CODE_EXPIRED")
    fetched = redemption.stub.GetCode(api.GetCodeRequest(code=code.code)).code
    assert fetched.state == ppb.CODE_STATE_EXPIRED


def test_promotion_past_its_window_is_expired_at_redeem_time_and_by_job(redemption):
    promotion = redemption.promotion(end_time=to_timestamp(utcnow() + timedelta(hours=1)))
    code = redemption.issue(promotion.promotion_id)
    assert code.HasField("expire_time")
    later = utcnow() + timedelta(hours=3)
    counts = run_expiry(redemption.database, later)
    assert counts["promotions"] == 1 and counts["codes"] == 1
    assert redemption.get_promotion(promotion.promotion_id).state == ppb.PROMOTION_STATE_ENDED
    assert redemption.redeem_error(code.code) == (FP, "CODE_EXPIRED")


def test_not_active_yet(redemption):
    promotion = redemption.promotion(start_time=to_timestamp(utcnow() + timedelta(days=1)))
    code = redemption.issue(promotion.promotion_id)
    assert redemption.redeem_error(code.code) == (FP, "CODE_NOT_ACTIVE_YET")


def test_exhausted_voided_and_not_owner(redemption):
    promotion = redemption.promotion()
    code = redemption.issue(promotion.promotion_id, "alice")
    assert redemption.redeem_error(code.code, "mallory") == (FP, "NOT_CODE_OWNER")
    redemption.redeem(code.code, "alice")
    assert redemption.redeem_error(code.code, "alice") == (RE, "CODE_EXHAUSTED")
    other = redemption.issue(promotion.promotion_id, "alice")
    voided = redemption.stub.VoidSubjectCodes(api.VoidSubjectCodesRequest(subject_ref="alice", request_id="w-1"))
    assert voided.voided_count == 2  # the spent code too: a refund must not revive it
    assert redemption.redeem_error(other.code, "alice") == (FP, "CODE_VOIDED")
    assert redemption.stub.GetCode(api.GetCodeRequest(code=other.code)).code.state == ppb.CODE_STATE_VOIDED


def test_customer_limit_is_keyed_on_subject_ref(redemption):
    promotion = redemption.promotion(code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0, per_customer_limit=2)
    [shared] = redemption.mint(promotion.promotion_id, 1)
    redemption.redeem(shared, "bob")
    redemption.redeem(shared, "bob")
    assert redemption.redeem_error(shared, "bob") == (RE, "CUSTOMER_LIMIT_REACHED")
    redemption.redeem(shared, "carol")
    redemption.consistent(promotion.promotion_id)


def test_promotion_limit_and_budget(redemption):
    limited = redemption.promotion(total_redemption_limit=2)
    codes = [redemption.issue(limited.promotion_id, f"s{i}").code for i in range(3)]
    redemption.redeem(codes[0], "s0")
    redemption.redeem(codes[1], "s1")
    assert redemption.redeem_error(codes[2], "s2") == (RE, "PROMOTION_LIMIT_REACHED")

    budgeted = redemption.promotion(discount=fixed_off(400), budget=eur(1000))
    codes = [redemption.issue(budgeted.promotion_id, f"s{i}").code for i in range(3)]
    redemption.redeem(codes[0], "s0")
    redemption.redeem(codes[1], "s1")
    assert redemption.redeem_error(codes[2], "s2") == (RE, "PROMOTION_BUDGET_EXHAUSTED")
    assert redemption.get_promotion(budgeted.promotion_id).discount_spent == eur(800)
    redemption.consistent(budgeted.promotion_id)


def test_order_rules(redemption):
    promotion = redemption.promotion(minimum_order=eur(5000),
                                     scope=ppb.ProductScope(include_categories=["shoes"]))
    code = redemption.issue(promotion.promotion_id).code
    assert redemption.redeem_error(code, total=3800) == (FP, "ORDER_BELOW_MINIMUM")
    assert redemption.redeem_error(code, total=6000, currency="USD") == (FP, "CURRENCY_MISMATCH")
    lines = [rpb.OrderLine(sku="hat-1", category="hats", quantity=1, unit_price=eur(6000))]
    assert redemption.redeem_error(code, total=6000, lines=lines) == (FP, "PRODUCT_NOT_ELIGIBLE")
    lines.append(rpb.OrderLine(sku="shoe-1", category="shoes", quantity=2, unit_price=eur(2500)))
    result = redemption.redeem(code, total=11000, lines=lines)
    assert result.discount == eur(500)  # 10 % of the shoes only


def test_paused_promotion(redemption):
    promotion = redemption.promotion()
    code = redemption.issue(promotion.promotion_id).code
    paused = redemption.stub.UpdatePromotion(api.UpdatePromotionRequest(
        promotion=ppb.Promotion(promotion_id=promotion.promotion_id, state=ppb.PROMOTION_STATE_PAUSED),
        update_mask=field_mask_pb2.FieldMask(paths=["state"]))).promotion
    assert paused.state == ppb.PROMOTION_STATE_PAUSED
    assert redemption.redeem_error(code) == (FP, "PROMOTION_PAUSED")
    redemption.stub.UpdatePromotion(api.UpdatePromotionRequest(
        promotion=ppb.Promotion(promotion_id=promotion.promotion_id, state=ppb.PROMOTION_STATE_ACTIVE),
        update_mask=field_mask_pb2.FieldMask(paths=["state"])))
    redemption.redeem(code)


def test_rate_limited_by_subject_velocity(configured):
    r = configured({"subject_attempts_per_minute": "3"})
    promotion = r.promotion()
    code = r.issue(promotion.promotion_id, "dave").code
    assert r.redeem_error(code, "eve") == (FP, "NOT_CODE_OWNER")
    assert r.redeem_error(code, "eve") == (FP, "NOT_CODE_OWNER")
    assert r.redeem_error(code, "eve") == (FP, "NOT_CODE_OWNER")
    assert r.redeem_error(code, "eve") == (RE, "RATE_LIMITED")
    with pytest.raises(grpc.RpcError) as caught:
        r.stub.ValidateCode(api.ValidateCodeRequest(code=code, subject_ref="eve", order=order()))
    assert reason_of(caught.value) == "RATE_LIMITED"
    r.redeem(code, "dave")  # another subject is unaffected


def test_guessing_locks_the_source_out(configured):
    r = configured({"not_found_threshold": "3"})
    promotion = r.promotion(code_type=ppb.CODE_TYPE_SHARED, per_code_limit=0)
    [real] = r.mint(promotion.promotion_id, 1)

    def attempt(code, subject):
        return r.stub.RedeemCode(api.RedeemCodeRequest(code=code, subject_ref=subject, order=order(),
                                                       source_fingerprint="device-hash-1", request_id=r.rid()))
    for i in range(3):
        with pytest.raises(grpc.RpcError) as caught:
            attempt(well_formed_but_unknown(f"GUESS{i}ABCDEFG"), f"guesser-{i}")  # a new subject every time
        assert reason_of(caught.value) == "CODE_NOT_FOUND"
    with pytest.raises(grpc.RpcError) as caught:
        attempt(real, "guesser-9")  # even a real code is refused while locked out
    assert caught.value.code() == RE and reason_of(caught.value) == "RATE_LIMITED"
    # Another source, with a real code, is not locked out.
    r.stub.RedeemCode(api.RedeemCodeRequest(code=real, subject_ref="honest", order=order(),
                                            source_fingerprint="device-hash-2", request_id=r.rid()))


def test_validate_lists_every_failed_rule_with_the_gap(redemption):
    promotion = redemption.promotion(minimum_order=eur(5000), scope=ppb.ProductScope(include_skus=["sku-1"]))
    code = redemption.issue(promotion.promotion_id, "alice").code
    response = redemption.stub.ValidateCode(api.ValidateCodeRequest(
        code=code, subject_ref="mallory", order=order(3800, lines=[
            rpb.OrderLine(sku="sku-2", category="x", quantity=1, unit_price=eur(3800))])))
    assert not response.valid
    reasons = [f.reason for f in response.failures]
    assert reasons == ["NOT_CODE_OWNER", "ORDER_BELOW_MINIMUM", "PRODUCT_NOT_ELIGIBLE"]
    assert response.failures[1].shortfall == eur(1200)
    ok = redemption.stub.ValidateCode(api.ValidateCodeRequest(code=code, subject_ref="alice", order=order(8000)))
    assert ok.valid and ok.discount == eur(800) and not ok.failures
    # Validation never uses the code up.
    assert redemption.stub.GetCode(api.GetCodeRequest(code=code)).code.uses_remaining == 1
    missing = redemption.stub.ValidateCode(api.ValidateCodeRequest(
        code=well_formed_but_unknown("NOPE" + "ABCDEFGH"), subject_ref="alice", order=order()))
    assert [f.reason for f in missing.failures] == ["CODE_NOT_FOUND"]


def test_discount_kinds(redemption):
    capped = redemption.promotion(discount=percent_off(50, cap=1500))
    assert redemption.redeem(redemption.issue(capped.promotion_id).code, total=10000).discount == eur(1500)
    fixed = redemption.promotion(discount=fixed_off(2500))
    assert redemption.redeem(redemption.issue(fixed.promotion_id).code, total=1000).discount == eur(1000)
    shipping = redemption.promotion(discount=money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_FREE_SHIPPING))
    result = redemption.redeem(redemption.issue(shipping.promotion_id).code, total=5000, shipping=eur(495))
    assert result.discount == eur(495)


@pytest.mark.parametrize("reason,code", [
    ("CODE_NOT_FOUND", grpc.StatusCode.NOT_FOUND), ("CODE_MALFORMED", grpc.StatusCode.INVALID_ARGUMENT),
    ("CODE_EXPIRED", FP), ("CODE_NOT_ACTIVE_YET", FP), ("CODE_EXHAUSTED", RE), ("CODE_VOIDED", FP),
    ("NOT_CODE_OWNER", FP), ("CUSTOMER_LIMIT_REACHED", RE), ("PROMOTION_BUDGET_EXHAUSTED", RE),
    ("PROMOTION_LIMIT_REACHED", RE), ("ORDER_BELOW_MINIMUM", FP), ("PRODUCT_NOT_ELIGIBLE", FP),
    ("CURRENCY_MISMATCH", FP), ("PROMOTION_PAUSED", FP), ("RATE_LIMITED", RE),
])
def test_every_reason_has_its_canonical_code(reason, code):
    from couponry_services.redemption.service import REASONS, refuse
    assert set(REASONS) >= {reason} and refuse(reason).code == code and refuse(reason).reason == reason
