"""The profile service's core path: create, read, consent, opt-out, authorize."""

from __future__ import annotations

import grpc
import pytest

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error


def test_create_then_read_basic_and_full(profile):
    created = profile.create(attributes={"tier": "gold"})
    assert created.customer_id and len(created.subject_ref) == 64
    assert created.email == "" and created.external_id == ""  # BASIC view: nothing decrypted

    basic = profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=created.customer_id)).customer
    assert basic.email == "" and basic.language_code == "de-DE" and basic.preferred_channel == money_pb2.CHANNEL_EMAIL

    full = profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=created.customer_id,
                                                           view=pb.CUSTOMER_VIEW_FULL)).customer
    assert (full.external_id, full.email, full.phone, full.given_name, full.family_name, full.birth_date,
            full.country_code) == ("shop-1", "ada@example.org", "+4915112345678", "Ada", "Lovelace", "1990-12-10", "DE")
    assert dict(full.attributes) == {"tier": "gold"}
    assert full.subject_ref == created.subject_ref


def test_unknown_customer_is_not_found_with_reason(profile):
    for call, request in ((profile.stub.GetCustomer, api.GetCustomerRequest(customer_id="nope")),
                          (profile.stub.AuthorizePersonalization, api.AuthorizePersonalizationRequest(
                              customer_id="nope", purpose=cpb.PURPOSE_PERSONALIZED_OFFERS,
                              channel=money_pb2.CHANNEL_EMAIL))):
        with pytest.raises(grpc.RpcError) as caught:
            call(request)
        error = parse_rpc_error(caught.value)
        assert error.code == grpc.StatusCode.NOT_FOUND
        assert (error.reason, error.domain) == ("CUSTOMER_NOT_FOUND", "profile.couponry")


def test_authorize_denies_without_consent_but_names_the_subject(profile):
    customer = profile.create()
    decision = profile.authorize(customer.customer_id)
    assert not decision.allowed
    assert decision.reason == cpb.DECISION_REASON_NO_CONSENT
    assert decision.subject_ref == customer.subject_ref
    assert decision.decision_id


def test_grant_allows_then_opt_out_overrides(profile):
    customer = profile.create()
    record = profile.consent(customer.customer_id, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL,
                             cpb.CONSENT_STATE_GRANTED)
    assert record.state == cpb.CONSENT_STATE_GRANTED and record.ledger_sequence > 0
    decision = profile.authorize(customer.customer_id)
    assert decision.allowed and decision.reason == cpb.DECISION_REASON_CONSENTED
    assert list(decision.allowed_channels) == [money_pb2.CHANNEL_EMAIL]
    assert decision.ledger_sequence == record.ledger_sequence

    status = profile.opt_out(customer.customer_id)
    assert status.opted_out and status.ledger_sequence > record.ledger_sequence
    decision = profile.authorize(customer.customer_id)
    assert not decision.allowed and decision.reason == cpb.DECISION_REASON_OPTED_OUT
    assert decision.subject_ref == customer.subject_ref

    lifted = profile.opt_out(customer.customer_id, opted_out=False)
    assert not lifted.opted_out
    assert profile.authorize(customer.customer_id).allowed


def test_duplicate_external_id_already_exists(profile):
    profile.create(external_id="dup-1")
    with pytest.raises(grpc.RpcError) as caught:
        profile.create(external_id="dup-1", email="other@example.org")
    error = parse_rpc_error(caught.value)
    assert error.code == grpc.StatusCode.ALREADY_EXISTS and error.reason == "DUPLICATE_EXTERNAL_ID"


def test_create_is_idempotent_by_request_id(profile):
    request = api.CreateCustomerRequest(customer=pb.Customer(external_id="idem-1", email="i@example.org"),
                                        request_id="req-1")
    first = profile.stub.CreateCustomer(request).customer
    second = profile.stub.CreateCustomer(request).customer
    assert first.customer_id == second.customer_id


def test_consent_retry_with_the_same_request_id_writes_once(profile):
    cid = profile.create().customer_id
    request = api.SetConsentRequest(
        customer_id=cid, purpose=cpb.PURPOSE_PERSONALIZED_OFFERS, channel=money_pb2.CHANNEL_EMAIL,
        state=cpb.CONSENT_STATE_GRANTED, request_id="consent-1",
        evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_WEB, notice_version="1", actor="customer"))
    first = profile.stub.SetConsent(request).consent
    second = profile.stub.SetConsent(request).consent
    assert first == second
    assert profile.stub.VerifyLedger(api.VerifyLedgerRequest()).head_sequence == first.ledger_sequence
    changed = api.SetConsentRequest()
    changed.CopyFrom(request)
    changed.state = cpb.CONSENT_STATE_WITHDRAWN
    with pytest.raises(grpc.RpcError) as caught:
        profile.stub.SetConsent(changed)
    assert parse_rpc_error(caught.value).reason == "REQUEST_ID_REUSED"


def test_update_to_a_taken_external_id_already_exists(profile):
    from google.protobuf.field_mask_pb2 import FieldMask
    profile.create(external_id="taken")
    cid = profile.create(external_id="mine", email="mine@example.org").customer_id
    with pytest.raises(grpc.RpcError) as caught:
        profile.stub.UpdateCustomer(api.UpdateCustomerRequest(
            customer=pb.Customer(customer_id=cid, external_id="taken"), update_mask=FieldMask(paths=["external_id"])))
    assert parse_rpc_error(caught.value).reason == "DUPLICATE_EXTERNAL_ID"
    full = profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=cid, view=pb.CUSTOMER_VIEW_FULL)).customer
    assert full.external_id == "mine"  # nothing half written


def test_file_keyring_is_a_key_provider(profile):
    from couponry_services.profile.keyring import KeyProvider
    assert isinstance(profile.core.keys, KeyProvider)


def test_decision_log_never_writes_decisions_of_erased_customers(profile):
    from sqlalchemy import func, select

    from couponry_services.profile.repository import DecisionRow
    keep = profile.create(external_id="keep").customer_id
    gone = profile.create(external_id="gone").customer_id
    profile.authorize(keep)
    profile.authorize(gone)
    profile.stub.DeleteCustomer(api.DeleteCustomerRequest(customer_id=gone))  # flushes, then deletes
    profile.authorize(gone)  # CUSTOMER_ERASED: not recorded
    profile.core.flush_decisions()
    with profile.database.transaction() as session:
        rows = session.execute(select(DecisionRow.customer_id, func.count()).group_by(DecisionRow.customer_id)).all()
    assert [(r[0], r[1]) for r in rows] == [(keep, 1)]
