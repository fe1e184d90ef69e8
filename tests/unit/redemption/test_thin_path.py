"""The calls the campaign service and checkout make on the thin path."""

from __future__ import annotations

import grpc
import pytest

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api

from .conftest import eur, fixed_off, order, reason_of


def test_campaign_registers_issues_and_checkout_redeems(redemption):
    request = api.CreatePromotionRequest(promotion=ppb.Promotion(
        campaign_id="cmp-1", display_name="Spring [A]", discount=fixed_off(500), currency_code="EUR",
        minimum_order=eur(2000), per_code_limit=1, per_customer_limit=1, total_redemption_limit=100,
        code_type=ppb.CODE_TYPE_PERSONAL, code_pattern=ppb.CodePattern(prefix="SPRING")),
        request_id="activate-cmp-1")
    promotion = redemption.stub.CreatePromotion(request).promotion
    assert promotion.promotion_id and promotion.state == ppb.PROMOTION_STATE_ACTIVE
    # The activation retried: the same promotion, not a second one.
    assert redemption.stub.CreatePromotion(request).promotion.promotion_id == promotion.promotion_id

    issue = api.IssueCodeRequest(promotion_id=promotion.promotion_id, subject_ref="ref-abc", validity_hours=72,
                                 request_id="offer-1")
    code = redemption.stub.IssueCode(issue).code
    assert code.code.startswith("SPRING") and code.subject_ref == "ref-abc"
    assert code.state == ppb.CODE_STATE_ACTIVE and code.uses_remaining == 1 and code.HasField("expire_time")
    assert redemption.stub.IssueCode(issue).code.code == code.code

    fetched = redemption.stub.GetCode(api.GetCodeRequest(code=f"  {code.code.lower()} ")).code
    assert fetched == code

    result = redemption.stub.RedeemCode(api.RedeemCodeRequest(
        code=code.code.lower(), subject_ref="ref-abc", order=order(5000, order_id="order-1"),
        request_id="checkout-1")).redemption
    assert result.state == rpb.REDEMPTION_STATE_REDEEMED
    assert result.discount == eur(500) and result.order_total == eur(5000)
    assert result.campaign_id == "cmp-1" and result.promotion_id == promotion.promotion_id
    assert result.code == code.code

    used = redemption.stub.GetCode(api.GetCodeRequest(code=code.code)).code
    assert used.state == ppb.CODE_STATE_EXHAUSTED and used.uses_remaining == 0
    with pytest.raises(grpc.RpcError) as again:
        redemption.redeem(code.code, "ref-abc")
    assert again.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert reason_of(again.value) == "CODE_EXHAUSTED"
    assert redemption.get_promotion(promotion.promotion_id).redemption_count == 1
    redemption.consistent(promotion.promotion_id)
