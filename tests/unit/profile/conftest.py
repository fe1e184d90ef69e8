"""Fixtures for the profile service tests: a running profile server and its stub."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.profile.v1 import profile_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.server import RunningService


@dataclass
class Profile:
    service: RunningService
    stub: api_grpc.ProfileServiceStub
    channel: grpc.Channel

    @property
    def core(self):
        return self.service.parts.extra["core"]

    @property
    def dispatcher(self):
        return self.service.parts.extra["dispatcher"]

    @property
    def database(self):
        return self.service.context.database

    def create(self, **fields) -> pb.Customer:
        values = dict(external_id="shop-1", email="ada@example.org", phone="+4915112345678", given_name="Ada",
                      family_name="Lovelace", birth_date="1990-12-10", country_code="DE",
                      preferred_channel=money_pb2.CHANNEL_EMAIL, language_code="de-DE")
        values.update(fields)
        return self.stub.CreateCustomer(api.CreateCustomerRequest(customer=pb.Customer(**values))).customer

    def consent(self, customer_id: str, purpose: int, channel: int, state: int, source: int = cpb.CONSENT_SOURCE_WEB,
                **evidence) -> cpb.ConsentRecord:
        return self.stub.SetConsent(api.SetConsentRequest(
            customer_id=customer_id, purpose=purpose, channel=channel, state=state,
            evidence=cpb.ConsentEvidence(source=source, notice_version="2026-03", actor="customer", **evidence),
        )).consent

    def opt_out(self, customer_id: str, opted_out: bool = True, source: int = cpb.CONSENT_SOURCE_WEB):
        return self.stub.SetOptOut(api.SetOptOutRequest(
            customer_id=customer_id, opted_out=opted_out,
            evidence=cpb.ConsentEvidence(source=source, notice_version="2026-03", actor="customer"))).opt_out

    def authorize(self, customer_id: str, purpose: int = cpb.PURPOSE_PERSONALIZED_OFFERS,
                  channel: int = money_pb2.CHANNEL_EMAIL) -> cpb.PersonalizationDecision:
        return self.stub.AuthorizePersonalization(api.AuthorizePersonalizationRequest(
            customer_id=customer_id, purpose=purpose, channel=channel)).decision


@pytest.fixture(autouse=True)
def _fast_outbox(monkeypatch):
    # A peer that is down costs one call deadline per delivery pass.
    monkeypatch.setenv("COUPONRY_PROFILE_OUTBOX_CALL_TIMEOUT_SECONDS", "0.5")


@pytest.fixture
def profile(start) -> Profile:
    service = start("profile")
    channel = grpc.insecure_channel(f"127.0.0.1:{service.port}")
    yield Profile(service, api_grpc.ProfileServiceStub(channel), channel)
    channel.close()
