"""Data subject rights and the promise that personal data never leaks:
export, and a scan of logs, spans, error details and stored rows for seeded
distinctive values."""

from __future__ import annotations

import json
import logging

import grpc
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_runtime.errors import parse_rpc_error
from couponry_services.profile.repository import Base

SEEDS = dict(external_id="ext-Qwyxz-90817", email="zelda.quackenbush-7731@example.org", phone="+4915199887766",
             given_name="Zeldaquack", family_name="Vorpalsnicket", birth_date="1971-03-14", country_code="IS",
             attributes={"secret_note": "Snozzberry-4411"})
# Values that only ever appear in rejected requests.
BAD_SEEDS = dict(email="xylophone-bad-5521@@example", phone="+00-Grumblewick", external_id="ext-Qwyxz-90817")
# (The two-letter country code is too short to be distinctive in a text scan.)
ALL_SEEDS = [v for k, v in SEEDS.items() if isinstance(v, str) and k != "country_code"] + ["Snozzberry-4411", "zelda.quackenbush",
                                                                  "xylophone-bad-5521", "Grumblewick", "Qwyxz",
                                                                  "199887766"]


def exercise(profile, start):
    """Every RPC, good and bad, with the seeded values."""
    segmentation = start("segmentation")
    errors = []

    def attempt(call):
        try:
            return call()
        except grpc.RpcError as error:
            rich = parse_rpc_error(error)
            errors.append(repr(rich))
            errors.append(error.debug_error_string() or "")
            return None

    customer = profile.create(**SEEDS)
    cid = customer.customer_id
    attempt(lambda: profile.create(**SEEDS))  # duplicate external id
    attempt(lambda: profile.create(email=BAD_SEEDS["email"], external_id="other-1"))
    attempt(lambda: profile.create(phone=BAD_SEEDS["phone"], external_id="other-2"))
    attempt(lambda: profile.create(country_code="Grumblewick", external_id="other-3"))
    attempt(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email=SEEDS["email"])))
    attempt(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email=BAD_SEEDS["email"])))
    attempt(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(phone=BAD_SEEDS["phone"])))
    attempt(lambda: profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=cid, view=pb.CUSTOMER_VIEW_FULL)))
    attempt(lambda: profile.stub.UpdateCustomer(api.UpdateCustomerRequest(
        customer=pb.Customer(customer_id=cid, email=BAD_SEEDS["email"]), update_mask=FieldMask(paths=["email"]))))
    attempt(lambda: profile.stub.UpdateCustomer(api.UpdateCustomerRequest(
        customer=pb.Customer(customer_id=cid, given_name=SEEDS["given_name"]),
        update_mask=FieldMask(paths=["given_name"]))))
    attempt(lambda: profile.consent(cid, cpb.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL, cpb.CONSENT_STATE_GRANTED))
    attempt(lambda: profile.consent(cid, cpb.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL, cpb.CONSENT_STATE_GRANTED,
                                    source=cpb.CONSENT_SOURCE_SUPPORT, actor=SEEDS["email"]) if False else
            profile.stub.SetConsent(api.SetConsentRequest(
                customer_id=cid, purpose=cpb.PURPOSE_MARKETING, channel=money_pb2.CHANNEL_EMAIL,
                state=cpb.CONSENT_STATE_GRANTED,
                evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_SUPPORT, actor=SEEDS["email"]))))
    attempt(lambda: profile.stub.RecordInteraction(api.RecordInteractionRequest(event=pb.InteractionEvent(
        event_id="ev-1", customer_id=cid, type=pb.EVENT_TYPE_PURCHASE,
        amount=money_pb2.Money(currency_code="EUR", amount_minor=1200)))))
    attempt(lambda: profile.stub.RecordInteraction(api.RecordInteractionRequest(event=pb.InteractionEvent(
        event_id="ev-2", customer_id=SEEDS["email"], type=pb.EVENT_TYPE_VIEW))))
    profile.dispatcher.run_once()
    attempt(lambda: profile.authorize(cid))
    attempt(lambda: profile.authorize(SEEDS["email"]))
    export = attempt(lambda: profile.stub.ExportSubjectData(api.ExportSubjectDataRequest(customer_id=cid)))
    attempt(lambda: profile.opt_out(cid))
    attempt(lambda: profile.stub.VerifyLedger(api.VerifyLedgerRequest()))
    entries = attempt(lambda: profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest()))
    attempt(lambda: profile.stub.DeleteCustomer(api.DeleteCustomerRequest(customer_id=cid, actor="privacy-desk")))
    attempt(lambda: profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=cid)))
    profile.dispatcher.run_once()
    segmentation.stop(0)
    profile.dispatcher.run_once(ignore_backoff=True)
    return customer, export, entries, errors


def test_no_personal_data_in_logs_spans_errors_ledger_or_stored_rows(profile, start, spans, captured_logs):
    customer, export, entries, errors = exercise(profile, start)
    assert export is not None and errors  # the bad calls did fail

    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in captured_logs.records)
    span_text = "\n".join(
        f"{s.name} {dict(s.attributes or {})} {s.status.description} "
        f"{[(e.name, dict(e.attributes or {})) for e in s.events]}" for s in spans.get_finished_spans())
    ledger_text = "\n".join(e.payload_json + e.subject_ref for e in entries.entries)
    with profile.database.transaction() as session:
        stored = "\n".join(repr(row) for table in Base.metadata.sorted_tables
                           for row in session.execute(select(table)).all())
    assert spans.get_finished_spans() and captured_logs.records
    for seed in ALL_SEEDS:
        assert seed not in log_text, f"seeded value in logs: {seed[:3]}…"
        assert seed not in span_text, f"seeded value in spans: {seed[:3]}…"
        assert all(seed not in e for e in errors), f"seeded value in an error: {seed[:3]}…"
        assert seed not in ledger_text, f"seeded value in the ledger: {seed[:3]}…"
        assert seed not in stored, f"seeded value stored in clear: {seed[:3]}…"
    assert customer.customer_id not in ledger_text  # the ledger knows subjects by reference only
    decided = [dict(s.attributes) for s in spans.get_finished_spans()
               if "couponry.decision.reason" in (s.attributes or {})]
    assert decided and decided[0]["couponry.purpose"] == "PERSONALIZED_OFFERS"


def test_sqlite_files_hold_no_personal_data(profile, settings):
    if profile.database.is_postgresql:
        return
    customer = profile.create(**SEEDS)
    profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=customer.customer_id, view=pb.CUSTOMER_VIEW_FULL))
    raw = b"".join(path.read_bytes() for path in settings.data_dir.glob("profile.db*"))
    for seed in ALL_SEEDS:
        assert seed.encode() not in raw


def test_export_holds_everything_about_the_customer(profile):
    customer = profile.create(**SEEDS)
    cid = customer.customer_id
    profile.consent(cid, cpb.PURPOSE_PROFILING, money_pb2.CHANNEL_ALL, cpb.CONSENT_STATE_GRANTED)
    profile.consent(cid, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL, cpb.CONSENT_STATE_GRANTED)
    profile.stub.RecordInteraction(api.RecordInteractionRequest(event=pb.InteractionEvent(
        event_id="ev-1", customer_id=cid, type=pb.EVENT_TYPE_PURCHASE, categories=["tea"],
        amount=money_pb2.Money(currency_code="EUR", amount_minor=1200))))
    decision = profile.authorize(cid)
    other = profile.create(external_id="someone-else", email="else@example.org")
    profile.authorize(other.customer_id)

    document = json.loads(profile.stub.ExportSubjectData(api.ExportSubjectDataRequest(customer_id=cid)).document_json)
    person = document["customer"]
    for name, value in SEEDS.items():
        assert person[name] == value, name
    assert person["subject_ref"] == customer.subject_ref and person["preferred_channel"] == "EMAIL"
    assert {(c["purpose"], c["channel"], c["state"]) for c in document["consents"]} == {
        ("PROFILING", "ALL", "GRANTED"), ("PERSONALIZED_OFFERS", "EMAIL", "GRANTED")}
    assert [e["kind"] for e in document["consent_history"]] == ["CUSTOMER_CREATED", "CONSENT_CHANGED",
                                                                "CONSENT_CHANGED"]
    assert document["consent_history"][1]["payload"]["evidence"]["notice_version"] == "2026-03"
    assert [(e["event_id"], e["type"], e["amount_minor"]) for e in document["events"]] == [("ev-1", "PURCHASE", 1200)]
    assert [(d["decision_id"], d["allowed"], d["reason"]) for d in document["decisions"]] == [
        (decision.decision_id, True, "CONSENTED")]
    assert document["opt_out"]["opted_out"] is False and document["gpc_signal"] is False
    assert other.customer_id not in json.dumps(document)


def test_personal_data_repr_is_redacted():
    from couponry_services.profile.domain import PersonalData
    data = PersonalData(email=SEEDS["email"], given_name=SEEDS["given_name"])
    assert SEEDS["email"] not in repr(data) and SEEDS["given_name"] not in str(data)
    logging.getLogger("test").info("data: %s", data)
