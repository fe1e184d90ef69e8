"""The scheduled expiry job, running on the service's own scheduler."""

from __future__ import annotations

import time

import grpc
import pytest
from google.protobuf import field_mask_pb2

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.type.v1 import money_pb2

from .conftest import eur, order, reason_of


def test_scheduler_expires_held_reservations(configured):
    r = configured({"expiry_interval_seconds": "1"}, scheduler_enabled=True)
    promotion = r.promotion()
    code = r.issue(promotion.promotion_id).code
    held = r.stub.ReserveCode(api.ReserveCodeRequest(code=code, subject_ref="subj-1", order=order(),
                                                     hold_seconds=1, request_id="hold-1")).reservation
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if r.get_promotion(promotion.promotion_id).redemption_count == 0:
            break
        time.sleep(0.2)
    assert r.get_promotion(promotion.promotion_id).redemption_count == 0
    with pytest.raises(grpc.RpcError) as caught:
        r.stub.ConfirmRedemption(api.ConfirmRedemptionRequest(reservation_id=held.reservation_id))
    assert reason_of(caught.value) == "RESERVATION_EXPIRED"
    assert r.stub.GetCode(api.GetCodeRequest(code=code)).code.uses_remaining == 1
    r.consistent(promotion.promotion_id)


def test_update_budget_and_limits(redemption):
    promotion = redemption.promotion(budget=eur(1000))
    updated = redemption.stub.UpdatePromotion(api.UpdatePromotionRequest(
        promotion=ppb.Promotion(promotion_id=promotion.promotion_id, budget=eur(5000), per_customer_limit=3,
                                display_name="Spring, extended"),
        update_mask=field_mask_pb2.FieldMask(paths=["budget", "per_customer_limit", "display_name"]))).promotion
    assert updated.budget == eur(5000) and updated.per_customer_limit == 3
    assert updated.display_name == "Spring, extended"
    for paths, value in ((["budget"], eur(10, "USD")), (["code_type"], None), ([], None)):
        with pytest.raises(grpc.RpcError) as caught:
            redemption.stub.UpdatePromotion(api.UpdatePromotionRequest(
                promotion=ppb.Promotion(promotion_id=promotion.promotion_id, budget=value),
                update_mask=field_mask_pb2.FieldMask(paths=paths)))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.GetPromotionStats(api.GetPromotionStatsRequest(promotion_id="a", campaign_id="b"))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_gift_item_gives_no_money_off_but_redeems(redemption):
    promotion = redemption.promotion(discount=money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_GIFT_ITEM,
                                                                 gift_sku="tote-bag"))
    result = redemption.redeem(redemption.issue(promotion.promotion_id).code)
    assert result.state == rpb.REDEMPTION_STATE_REDEEMED and result.discount == eur(0)
    assert redemption.get_promotion(promotion.promotion_id).discount.gift_sku == "tote-bag"
