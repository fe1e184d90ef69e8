"""Bad input is INVALID_ARGUMENT with field violations, and writes nothing."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import func, select

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error
from couponry_services.redemption.repository import attempts, rate_counters, redemptions

from .conftest import eur, order


def _rows(r) -> tuple[int, int, int]:
    with r.database.transaction() as session:
        return tuple(session.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (attempts, rate_counters, redemptions))


@pytest.mark.parametrize("code", [
    "", "!!!!", "DROP TABLE codes;", "x" * 500, "SPRING-ÄÖÜ-1234", "🎟️🎟️🎟️🎟️🎟️🎟️🎟️🎟️🎟️", "\u0000\u0001abc",
    "ABCDEFGHJK",  # right alphabet, wrong check character
])
def test_garbage_codes(redemption, code):
    promotion = redemption.promotion()
    redemption.issue(promotion.promotion_id)
    before = _rows(redemption)
    with pytest.raises(grpc.RpcError) as caught:
        redemption.redeem(code)
    rich = parse_rpc_error(caught.value)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert rich.reason in ("CODE_MALFORMED", "INVALID_REQUEST") and rich.domain == "redemption.couponry"
    assert any(v.field == "code" for v in rich.field_violations)
    assert _rows(redemption) == before


@pytest.mark.parametrize("bad_order,field", [
    (order(10**15), "order.total.amount_minor"),
    (order(-5), "order.total.amount_minor"),
    (order(100, currency="ZZZ"), "order.total.currency_code"),
    (order(100, currency="eur"), "order.total.currency_code"),
    (rpb.Order(order_id="o", total=money_pb2.Money(currency_code="EUR", amount_minor=5), lines=[
        rpb.OrderLine(sku="a", quantity=1, unit_price=money_pb2.Money(currency_code="USD", amount_minor=5))]),
     "order.lines[0].unit_price.currency_code"),
    (rpb.Order(order_id="o", total=money_pb2.Money(currency_code="EUR", amount_minor=5), lines=[
        rpb.OrderLine(sku="a", quantity=-1, unit_price=money_pb2.Money(currency_code="EUR", amount_minor=5))]),
     "order.lines[0].quantity"),
    (rpb.Order(order_id="", total=money_pb2.Money(currency_code="EUR", amount_minor=5)), "order.order_id"),
    (rpb.Order(order_id="o"), "order.total"),
])
def test_bad_orders(redemption, bad_order, field):
    promotion = redemption.promotion()
    code = redemption.issue(promotion.promotion_id).code
    before = _rows(redemption)
    for call, request in (
            (redemption.stub.RedeemCode, api.RedeemCodeRequest(code=code, subject_ref="subj-1", order=bad_order,
                                                               request_id="r-1")),
            (redemption.stub.ValidateCode, api.ValidateCodeRequest(code=code, subject_ref="subj-1", order=bad_order)),
            (redemption.stub.ReserveCode, api.ReserveCodeRequest(code=code, subject_ref="subj-1", order=bad_order,
                                                                 request_id="r-2"))):
        with pytest.raises(grpc.RpcError) as caught:
            call(request)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in {v.field for v in parse_rpc_error(caught.value).field_violations}
    assert _rows(redemption) == before
    assert redemption.stub.GetCode(api.GetCodeRequest(code=code)).code.uses_remaining == 1


def test_missing_subject_and_order(redemption):
    with pytest.raises(grpc.RpcError) as caught:
        redemption.stub.RedeemCode(api.RedeemCodeRequest(code="ABCDEFGHJ2", request_id="x"))
    fields = {v.field for v in parse_rpc_error(caught.value).field_violations}
    assert {"subject_ref", "order"} <= fields


@pytest.mark.parametrize("fields,bad", [
    (dict(discount=money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_PERCENT, percent=150)), "promotion.discount.percent"),
    (dict(discount=money_pb2.Discount()), "promotion.discount.type"),
    (dict(currency_code="XYZ"), "promotion.currency_code"),
    (dict(budget=eur(-1)), "promotion.budget.amount_minor"),
    (dict(budget=eur(100, "USD")), "promotion.budget.currency_code"),
    (dict(minimum_order=eur(10**15)), "promotion.minimum_order.amount_minor"),
    (dict(per_customer_limit=-1), "promotion.per_customer_limit"),
    (dict(code_pattern=ppb.CodePattern(prefix="€uro")), "promotion.code_pattern.prefix"),
    (dict(code_pattern=ppb.CodePattern(pattern="##-##")), "promotion.code_pattern.pattern"),
    (dict(code_pattern=ppb.CodePattern(length=4)), "promotion.code_pattern.length"),
    (dict(display_name=""), "promotion.display_name"),
])
def test_bad_promotions(redemption, fields, bad):
    with pytest.raises(grpc.RpcError) as caught:
        redemption.promotion(**fields)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad in {v.field for v in parse_rpc_error(caught.value).field_violations}
    assert not redemption.stub.ListPromotions(api.ListPromotionsRequest()).promotions


def test_bad_mint_and_issue_requests(redemption):
    promotion = redemption.promotion()
    for request, call in ((api.MintCodesRequest(promotion_id=promotion.promotion_id, count=100_001),
                           redemption.stub.MintCodes),
                          (api.MintCodesRequest(promotion_id=promotion.promotion_id, count=0), redemption.stub.MintCodes),
                          (api.IssueCodeRequest(promotion_id=promotion.promotion_id, subject_ref="s",
                                                validity_hours=-1), redemption.stub.IssueCode),
                          (api.IssueCodeRequest(promotion_id=promotion.promotion_id, subject_ref="has space"),
                           redemption.stub.IssueCode)):
        with pytest.raises(grpc.RpcError) as caught:
            call(request)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as caught:
        redemption.issue("pro_missing")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
