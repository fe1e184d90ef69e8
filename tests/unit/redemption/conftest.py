"""Fixtures for the redemption service tests: a running server, its stub and
helpers that speak the protos."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

import grpc
import pytest

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.redemption.v1 import redemption_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error
from couponry_runtime.server import RunningService


def eur(amount: int, currency: str = "EUR") -> money_pb2.Money:
    return money_pb2.Money(currency_code=currency, amount_minor=amount)


def order(total: int = 10_000, currency: str = "EUR", order_id: str | None = None, **fields) -> rpb.Order:
    return rpb.Order(order_id=order_id or f"o-{uuid.uuid4().hex[:12]}",
                     total=money_pb2.Money(currency_code=currency, amount_minor=total), **fields)


def percent_off(percent: int = 10, cap: int | None = None) -> money_pb2.Discount:
    d = money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_PERCENT, percent=percent)
    if cap is not None:
        d.percent_cap.CopyFrom(eur(cap))
    return d


def fixed_off(amount: int) -> money_pb2.Discount:
    return money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(amount))


def reason_of(error: grpc.RpcError) -> str | None:
    return parse_rpc_error(error).reason


@dataclass
class Redemption:
    service: RunningService
    stub: api_grpc.RedemptionServiceStub
    channel: grpc.Channel
    _ids: itertools.count = field(default_factory=itertools.count)

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.service.port}"

    @property
    def database(self):
        return self.service.context.database

    def rid(self) -> str:
        return f"req-{uuid.uuid4().hex}"

    def promotion(self, **fields) -> ppb.Promotion:
        values = dict(display_name="Spring", discount=percent_off(10), currency_code="EUR",
                      code_type=ppb.CODE_TYPE_PERSONAL, code_pattern=ppb.CodePattern(prefix="SPRING-"))
        values.update(fields)
        return self.stub.CreatePromotion(api.CreatePromotionRequest(
            promotion=ppb.Promotion(**values), request_id=self.rid())).promotion

    def issue(self, promotion_id: str, subject_ref: str = "subj-1", validity_hours: int = 0) -> ppb.Code:
        return self.stub.IssueCode(api.IssueCodeRequest(promotion_id=promotion_id, subject_ref=subject_ref,
                                                        validity_hours=validity_hours, request_id=self.rid())).code

    def mint(self, promotion_id: str, count: int) -> list[str]:
        response = self.stub.MintCodes(api.MintCodesRequest(promotion_id=promotion_id, count=count,
                                                            request_id=self.rid()))
        assert response.minted_count == count
        return list(response.sample_codes)

    def redeem(self, code: str, subject_ref: str = "subj-1", request_id: str | None = None,
               **order_fields) -> rpb.Redemption:
        return self.stub.RedeemCode(api.RedeemCodeRequest(
            code=code, subject_ref=subject_ref, order=order(**order_fields),
            request_id=request_id or self.rid())).redemption

    def redeem_error(self, code: str, subject_ref: str = "subj-1", **order_fields) -> tuple[grpc.StatusCode, str]:
        with pytest.raises(grpc.RpcError) as caught:
            self.redeem(code, subject_ref, **order_fields)
        return caught.value.code(), reason_of(caught.value)

    def rollback(self, redemption_id: str, request_id: str | None = None) -> rpb.Redemption:
        return self.stub.RollbackRedemption(api.RollbackRedemptionRequest(
            redemption_id=redemption_id, reason="order_cancelled", request_id=request_id or self.rid())).redemption

    def get_promotion(self, promotion_id: str) -> ppb.Promotion:
        return self.stub.GetPromotion(api.GetPromotionRequest(promotion_id=promotion_id)).promotion

    def consistent(self, promotion_id: str) -> api.CheckConsistencyResponse:
        response = self.stub.CheckConsistency(api.CheckConsistencyRequest(promotion_id=promotion_id))
        assert response.consistent, list(response.discrepancies)
        return response


@pytest.fixture
def generous(monkeypatch):
    """Velocity limits high enough that concurrency tests measure only the limits under test."""
    monkeypatch.setenv("COUPONRY_REDEMPTION_SUBJECT_ATTEMPTS_PER_MINUTE", "100000")
    monkeypatch.setenv("COUPONRY_REDEMPTION_SOURCE_ATTEMPTS_PER_MINUTE", "100000")


@pytest.fixture
def redemption(start) -> Redemption:
    service = start("redemption")
    channel = grpc.insecure_channel(f"127.0.0.1:{service.port}")
    yield Redemption(service, api_grpc.RedemptionServiceStub(channel), channel)
    channel.close()


@pytest.fixture
def configured(start, monkeypatch):
    """Starts a redemption server with COUPONRY_REDEMPTION_* settings and server overrides."""
    channels: list[grpc.Channel] = []

    def make(env: dict[str, str], **overrides) -> Redemption:
        for name, value in env.items():
            monkeypatch.setenv(f"COUPONRY_REDEMPTION_{name.upper()}", value)
        service = start("redemption", **overrides)
        channels.append(grpc.insecure_channel(f"127.0.0.1:{service.port}"))
        return Redemption(service, api_grpc.RedemptionServiceStub(channels[-1]), channels[-1])

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def busy_redemption(start, generous) -> Redemption:
    """A server with enough workers for the concurrency tests."""
    service = start("redemption", max_workers=72)
    channel = grpc.insecure_channel(f"127.0.0.1:{service.port}")
    yield Redemption(service, api_grpc.RedemptionServiceStub(channel), channel)
    channel.close()
