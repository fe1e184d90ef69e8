"""Concurrent consent changes: the chain never forks, the state equals the
last change. Runs on both databases; the PostgreSQL run is the one that
exercises the advisory lock across connections."""

from __future__ import annotations

import json
import random
import threading

import grpc
import pytest

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.profile.v1 import profile_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_services.profile.domain import Channel, Consent, ConsentState, Purpose, apply_change

THREADS, CHANGES = 6, 8


def hammer(profile, customer_ids):
    errors = []

    def worker(n: int):
        rnd = random.Random(n)
        channel = grpc.insecure_channel(f"127.0.0.1:{profile.service.port}")
        stub = api_grpc.ProfileServiceStub(channel)
        try:
            for i in range(CHANGES):
                stub.SetConsent(api.SetConsentRequest(
                    customer_id=rnd.choice(customer_ids), purpose=cpb.PURPOSE_PERSONALIZED_OFFERS,
                    channel=rnd.choice([money_pb2.CHANNEL_EMAIL, money_pb2.CHANNEL_SMS, money_pb2.CHANNEL_ALL]),
                    state=rnd.choice([cpb.CONSENT_STATE_GRANTED, cpb.CONSENT_STATE_WITHDRAWN]),
                    evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_APP, notice_version="1",
                                                 actor=f"worker-{n}"),
                    request_id=f"w{n}-{i}"), timeout=30)
                if rnd.random() < 0.2:
                    stub.SetOptOut(api.SetOptOutRequest(
                        customer_id=rnd.choice(customer_ids), opted_out=rnd.random() < 0.5,
                        evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_WEB)), timeout=30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            channel.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def replay(profile, customer) -> dict:
    """The consent records a sequential replay of the customer's ledger entries gives."""
    entries = profile.stub.ListConsentHistory(api.ListConsentHistoryRequest(
        customer_id=customer.customer_id, page_size=1000)).entries
    records: dict = {}
    for entry in entries:
        if entry.kind != cpb.LEDGER_ENTRY_KIND_CONSENT_CHANGED:
            continue
        payload = json.loads(entry.payload_json)
        records = apply_change(records, Consent(Purpose[payload["purpose"]], Channel[payload["channel"]],
                                                ConsentState[payload["state"]]))
    return {(int(p), int(c)): int(v.state) for (p, c), v in records.items()}


def check(profile, customers):
    result = profile.stub.VerifyLedger(api.VerifyLedgerRequest())
    assert result.valid, list(result.violations)
    entries = profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest(page_size=1000)).entries
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    assert len(entries) >= len(customers) + THREADS * CHANGES
    for customer in customers:
        summary = profile.stub.GetConsent(api.GetConsentRequest(customer_id=customer.customer_id)).summary
        assert {(c.purpose, c.channel): c.state for c in summary.consents} == replay(profile, customer)


def test_concurrent_changes_to_one_customer(profile):
    customer = profile.create()
    hammer(profile, [customer.customer_id])
    check(profile, [customer])


@pytest.mark.postgres_only
def test_concurrent_changes_across_customers_on_postgresql(profile):
    customers = [profile.create(external_id=f"c-{i}") for i in range(3)]
    hammer(profile, [c.customer_id for c in customers])
    check(profile, customers)
