"""Consent: every decision reason, GPC, expiry, channels, bad input."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error

OFFERS = cpb.PURPOSE_PERSONALIZED_OFFERS
EMAIL, SMS, PUSH, IN_APP, ALL = (money_pb2.CHANNEL_EMAIL, money_pb2.CHANNEL_SMS, money_pb2.CHANNEL_PUSH,
                                 money_pb2.CHANNEL_IN_APP, money_pb2.CHANNEL_ALL)
GRANTED, DENIED, WITHDRAWN = cpb.CONSENT_STATE_GRANTED, cpb.CONSENT_STATE_DENIED, cpb.CONSENT_STATE_WITHDRAWN


def stamp(delta: timedelta) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime.now(UTC) + delta)
    return value


def reason(profile, customer_id, purpose=OFFERS, channel=EMAIL):
    return profile.authorize(customer_id, purpose, channel).reason


def bad(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return parse_rpc_error(caught.value)


def test_every_reason(profile):
    cid = profile.create().customer_id
    assert reason(profile, cid) == cpb.DECISION_REASON_NO_CONSENT
    profile.consent(cid, OFFERS, SMS, GRANTED)
    assert reason(profile, cid) == cpb.DECISION_REASON_CHANNEL_NOT_CONSENTED
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_CONSENTED
    profile.consent(cid, OFFERS, EMAIL, DENIED)
    assert reason(profile, cid) == cpb.DECISION_REASON_CONSENT_DENIED
    profile.consent(cid, OFFERS, EMAIL, GRANTED)
    assert reason(profile, cid) == cpb.DECISION_REASON_CONSENTED
    profile.consent(cid, OFFERS, EMAIL, WITHDRAWN)
    assert reason(profile, cid) == cpb.DECISION_REASON_CONSENT_WITHDRAWN
    profile.opt_out(cid)
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_OPTED_OUT
    profile.opt_out(cid, False)
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_CONSENTED
    profile.opt_out(cid, True, source=cpb.CONSENT_SOURCE_GPC_SIGNAL)
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_GPC_OPT_OUT
    profile.stub.DeleteCustomer(api.DeleteCustomerRequest(customer_id=cid))
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_CUSTOMER_ERASED


def test_expired_consent_is_no_consent(profile):
    cid = profile.create().customer_id
    profile.consent(cid, OFFERS, EMAIL, GRANTED, expire_time=stamp(timedelta(seconds=1)))
    assert profile.authorize(cid).allowed
    time.sleep(1.1)
    decision = profile.authorize(cid)
    assert not decision.allowed and decision.reason == cpb.DECISION_REASON_CONSENT_EXPIRED
    assert list(decision.allowed_channels) == []


def test_gpc_opts_out_of_offers_and_sale_but_not_profiling(profile):
    cid = profile.create().customer_id
    for purpose in (OFFERS, cpb.PURPOSE_PROFILING, cpb.PURPOSE_SALE_SHARING):
        profile.consent(cid, purpose, ALL, GRANTED)
    status = profile.opt_out(cid, True, source=cpb.CONSENT_SOURCE_GPC_SIGNAL)
    assert not status.opted_out  # GPC is not the global objection to direct marketing
    assert reason(profile, cid) == cpb.DECISION_REASON_GPC_OPT_OUT
    assert reason(profile, cid, cpb.PURPOSE_SALE_SHARING, ALL) == cpb.DECISION_REASON_GPC_OPT_OUT
    assert reason(profile, cid, cpb.PURPOSE_PROFILING, ALL) == cpb.DECISION_REASON_CONSENTED
    summary = profile.stub.GetConsent(api.GetConsentRequest(customer_id=cid)).summary
    assert summary.gpc_signal and not summary.opt_out.opted_out
    history = profile.stub.ListConsentHistory(api.ListConsentHistoryRequest(customer_id=cid)).entries
    assert history[-1].kind == cpb.LEDGER_ENTRY_KIND_GPC_RECORDED
    assert '"source":"GPC_SIGNAL"' in history[-1].payload_json


def test_global_opt_out_overrides_every_purpose_and_channel(profile):
    cid = profile.create().customer_id
    for purpose in (OFFERS, cpb.PURPOSE_PROFILING, cpb.PURPOSE_MARKETING):
        profile.consent(cid, purpose, ALL, GRANTED)
    profile.opt_out(cid)
    for purpose in (OFFERS, cpb.PURPOSE_PROFILING, cpb.PURPOSE_MARKETING):
        for channel in (EMAIL, SMS, PUSH, IN_APP, ALL):
            decision = profile.authorize(cid, purpose, channel)
            assert (decision.allowed, decision.reason) == (False, cpb.DECISION_REASON_OPTED_OUT)
            assert list(decision.allowed_channels) == []


def test_channel_all_and_specific_records_last_change_wins(profile):
    cid = profile.create().customer_id
    profile.consent(cid, OFFERS, ALL, GRANTED)
    decision = profile.authorize(cid, OFFERS, PUSH)
    assert decision.allowed and list(decision.allowed_channels) == [EMAIL, SMS, PUSH, IN_APP]
    profile.consent(cid, OFFERS, SMS, WITHDRAWN)
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_CONSENT_WITHDRAWN
    assert list(profile.authorize(cid).allowed_channels) == [EMAIL, PUSH, IN_APP]
    # A change for every channel replaces the channel-specific ones.
    profile.consent(cid, OFFERS, ALL, GRANTED)
    assert reason(profile, cid, channel=SMS) == cpb.DECISION_REASON_CONSENTED
    summary = profile.stub.GetConsent(api.GetConsentRequest(customer_id=cid)).summary
    assert [(c.purpose, c.channel, c.state) for c in summary.consents] == [(OFFERS, ALL, GRANTED)]
    assert summary.consents[0].evidence.notice_version == "2026-03"
    assert summary.consents[0].evidence.source == cpb.CONSENT_SOURCE_WEB


def test_decision_is_tied_to_the_ledger_position(profile):
    cid = profile.create().customer_id
    record = profile.consent(cid, OFFERS, EMAIL, GRANTED)
    first, second = profile.authorize(cid), profile.authorize(cid)
    assert first.decision_id != second.decision_id
    assert first.ledger_sequence == record.ledger_sequence
    assert first.decide_time.seconds > 0 and first.purpose == OFFERS and first.channel == EMAIL


def test_bad_consent_requests_are_invalid_argument_and_write_nothing(profile):
    cid = profile.create().customer_id
    head = profile.stub.VerifyLedger(api.VerifyLedgerRequest()).head_sequence
    evidence = cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_WEB, notice_version="1", actor="customer")
    cases = {
        "UNKNOWN_PURPOSE": dict(purpose=99, channel=EMAIL, state=GRANTED, evidence=evidence),
        "MISSING_FIELD": dict(purpose=OFFERS, channel=0, state=GRANTED, evidence=evidence),
        "UNKNOWN_CHANNEL": dict(purpose=OFFERS, channel=42, state=GRANTED, evidence=evidence),
        "EXPIRY_IN_PAST": dict(purpose=OFFERS, channel=EMAIL, state=GRANTED, evidence=cpb.ConsentEvidence(
            source=cpb.CONSENT_SOURCE_WEB, expire_time=stamp(-timedelta(minutes=1)))),
        "PERSONAL_DATA_IN_ACTOR": dict(purpose=OFFERS, channel=EMAIL, state=GRANTED, evidence=cpb.ConsentEvidence(
            source=cpb.CONSENT_SOURCE_SUPPORT, actor="agent@example.org")),
    }
    for expected, fields in cases.items():
        error = bad(lambda: profile.stub.SetConsent(api.SetConsentRequest(customer_id=cid, **fields)))
        assert error.code == grpc.StatusCode.INVALID_ARGUMENT and error.reason == expected, expected
        assert error.field_violations
    error = bad(lambda: profile.stub.SetConsent(api.SetConsentRequest(customer_id=cid, purpose=OFFERS, channel=EMAIL,
                                                                      state=GRANTED)))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.field_violations] == ["evidence"]
    error = bad(lambda: profile.consent("no-such-customer", OFFERS, EMAIL, GRANTED))
    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
    error = bad(lambda: profile.stub.AuthorizePersonalization(api.AuthorizePersonalizationRequest(
        customer_id=cid, purpose=0, channel=EMAIL)))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert profile.stub.VerifyLedger(api.VerifyLedgerRequest()).head_sequence == head


def test_bad_customer_input_is_invalid_argument(profile):
    cases = {
        "INVALID_EMAIL": dict(email="no-at-sign"),
        "INVALID_PHONE": dict(phone="0151 1234"),
        "INVALID_COUNTRY": dict(country_code="XX"),
        "INVALID_BIRTH_DATE": dict(birth_date="2990-01-01"),
        "INVALID_LANGUAGE": dict(language_code="not a tag"),
    }
    for expected, fields in cases.items():
        error = bad(lambda: profile.create(**fields))
        assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, expected), expected
    error = bad(lambda: profile.create(external_id=""))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert profile.stub.VerifyLedger(api.VerifyLedgerRequest()).head_sequence == 0


def test_update_customer_reencrypts_and_moves_blind_index(profile):
    cid = profile.create().customer_id
    from google.protobuf.field_mask_pb2 import FieldMask
    updated = profile.stub.UpdateCustomer(api.UpdateCustomerRequest(
        customer=pb.Customer(customer_id=cid, email="new@example.org", language_code="en-GB"),
        update_mask=FieldMask(paths=["email", "language_code"]))).customer
    assert updated.language_code == "en-GB" and updated.email == ""
    assert profile.stub.FindCustomer(api.FindCustomerRequest(email="new@example.org")).customer.customer_id == cid
    assert bad(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email="ada@example.org"))).code == \
        grpc.StatusCode.NOT_FOUND
    error = bad(lambda: profile.stub.UpdateCustomer(api.UpdateCustomerRequest(customer=pb.Customer(customer_id=cid))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    error = bad(lambda: profile.stub.UpdateCustomer(api.UpdateCustomerRequest(
        customer=pb.Customer(customer_id=cid), update_mask=FieldMask(paths=["subject_ref"]))))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT


def test_consent_history_pages(profile):
    cid = profile.create().customer_id
    for i in range(5):
        profile.consent(cid, OFFERS, EMAIL, GRANTED if i % 2 == 0 else WITHDRAWN)
    pages, token = [], ""
    while True:
        response = profile.stub.ListConsentHistory(api.ListConsentHistoryRequest(customer_id=cid, page_size=2,
                                                                                 page_token=token))
        pages.append([e.sequence for e in response.entries])
        token = response.next_page_token
        if not token:
            break
    flat = [s for page in pages for s in page]
    assert len(flat) == 6 and flat == sorted(flat)  # created + 5 changes
    assert all(len(page) <= 2 for page in pages)


@pytest.mark.parametrize("actor", [
    "+49 151 1234-5678", "+49 (151) 12345678", "004915112345678", "Ada Lovelace", "ada.lovelace at example.com",
    "agent@example.org", "staff:015112345678"])
def test_personal_data_cannot_reach_the_ledger_through_the_actor(profile, actor):
    # Found in review: only strict E.164 numbers and '@' were refused.
    cid = profile.create().customer_id
    error = bad(lambda: profile.stub.SetConsent(api.SetConsentRequest(
        customer_id=cid, purpose=cpb.PURPOSE_MARKETING, channel=money_pb2.CHANNEL_EMAIL,
        state=cpb.CONSENT_STATE_GRANTED,
        evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_SUPPORT, notice_version="2026-11", actor=actor))))
    assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "PERSONAL_DATA_IN_ACTOR")


def test_identifiers_are_accepted_as_actors_and_notice_versions_are_checked(profile):
    cid = profile.create().customer_id
    for actor in ("customer", "privacy-desk", "agent:7", "system:crm-import"):
        profile.stub.SetConsent(api.SetConsentRequest(
            customer_id=cid, purpose=cpb.PURPOSE_MARKETING, channel=money_pb2.CHANNEL_EMAIL,
            state=cpb.CONSENT_STATE_GRANTED,
            evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_SUPPORT, notice_version="2026-11", actor=actor)))
    error = bad(lambda: profile.stub.SetConsent(api.SetConsentRequest(
        customer_id=cid, purpose=cpb.PURPOSE_MARKETING, channel=money_pb2.CHANNEL_EMAIL,
        state=cpb.CONSENT_STATE_GRANTED,
        evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_WEB, notice_version="v1 for Ada Lovelace"))))
    assert error.reason == "INVALID_NOTICE_VERSION"
