"""The `couponry keys` / `couponry audit` tools and the scheduled jobs."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select, update
from typer.testing import CliRunner

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_services.profile.cli import audit_app, keys_app
from couponry_services.profile.repository import LedgerCheckpointRow, LedgerEntryRow, OutboxRow

runner = CliRunner()


def cli_env(monkeypatch, settings):
    monkeypatch.setenv("COUPONRY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("COUPONRY_DATABASE_SCHEMA_PREFIX", settings.database_schema_prefix)
    if settings.database_url:
        monkeypatch.setenv("COUPONRY_DATABASE_URL", settings.database_url)


def test_keys_rotate_against_a_live_service(profile, settings, monkeypatch):
    cli_env(monkeypatch, settings)
    ids = [profile.create(external_id=f"k-{i}", email=f"k{i}@example.org").customer_id for i in range(3)]
    result = runner.invoke(keys_app, ["rotate"])
    assert result.exit_code == 0, result.output
    assert "KEK version 2 is current; 3 data keys rewrapped" in result.output
    assert runner.invoke(keys_app, ["retire", "2"]).exit_code == 1  # the current one
    result = runner.invoke(keys_app, ["retire", "1"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(keys_app, ["list"]).output
    assert "retired" in listing and "active" in listing
    # The running service picks up the new keyring without a restart.
    for i, cid in enumerate(ids):
        full = profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=cid, view=pb.CUSTOMER_VIEW_FULL)).customer
        assert full.email == f"k{i}@example.org"
    created = profile.create(external_id="after-rotation", email="after@example.org")
    assert profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=created.customer_id,
                                                           view=pb.CUSTOMER_VIEW_FULL)).customer.email == \
        "after@example.org"
    assert "k1@example.org" not in listing


def test_audit_verify_checkpoint_entries_and_export(profile, settings, monkeypatch):
    cli_env(monkeypatch, settings)
    customer = profile.create()
    profile.consent(customer.customer_id, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL,
                    cpb.CONSENT_STATE_GRANTED)
    result = runner.invoke(audit_app, ["checkpoint"])
    assert result.exit_code == 0 and '"sequence": 2' in result.output
    result = runner.invoke(audit_app, ["verify"])
    assert result.exit_code == 0 and "ledger verifies" in result.output
    target = f"127.0.0.1:{profile.service.port}"
    assert runner.invoke(audit_app, ["verify", "--target", target]).exit_code == 0
    lines = runner.invoke(audit_app, ["entries", "--json"]).output.strip().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["CUSTOMER_CREATED", "CONSENT_CHANGED"]
    assert "ada@example.org" not in "".join(lines)
    exported = runner.invoke(audit_app, ["export", customer.customer_id])
    assert exported.exit_code == 0 and json.loads(exported.output)["customer"]["email"] == "ada@example.org"
    over_grpc = runner.invoke(audit_app, ["export", customer.customer_id, "--target", target])
    assert json.loads(over_grpc.output)["customer"]["email"] == "ada@example.org"
    assert runner.invoke(audit_app, ["export", "no-such-customer"]).exit_code == 1

    with profile.database.transaction() as session:
        session.execute(update(LedgerEntryRow).where(LedgerEntryRow.sequence == 2)
                        .values(payload_json=LedgerEntryRow.payload_json + " "))
    result = runner.invoke(audit_app, ["verify"])
    assert result.exit_code == 1 and "sequence 2: HASH_MISMATCH" in result.output
    result = runner.invoke(audit_app, ["verify", "--target", target])
    assert result.exit_code == 1 and "sequence 2" in result.output
    for command in (keys_app, audit_app):
        assert runner.invoke(command, ["--help"]).exit_code == 0


def test_scheduled_jobs_checkpoint_and_deliver(start, monkeypatch):
    monkeypatch.setenv("COUPONRY_PROFILE_CHECKPOINT_INTERVAL_SECONDS", "0.3")
    monkeypatch.setenv("COUPONRY_PROFILE_OUTBOX_INTERVAL_SECONDS", "0.3")
    import grpc

    from couponry.profile.v1 import profile_service_pb2_grpc as api_grpc

    start("segmentation")
    service = start("profile", scheduler_enabled=True)
    channel = grpc.insecure_channel(f"127.0.0.1:{service.port}")
    stub = api_grpc.ProfileServiceStub(channel)
    customer = stub.CreateCustomer(api.CreateCustomerRequest(customer=pb.Customer(external_id="j-1"))).customer
    stub.SetConsent(api.SetConsentRequest(customer_id=customer.customer_id, purpose=cpb.PURPOSE_PROFILING,
                                          channel=money_pb2.CHANNEL_ALL, state=cpb.CONSENT_STATE_GRANTED,
                                          evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_APP)))
    stub.RecordInteraction(api.RecordInteractionRequest(event=pb.InteractionEvent(
        event_id="j-e1", customer_id=customer.customer_id, type=pb.EVENT_TYPE_LOGIN)))
    database = service.context.database
    deadline = time.monotonic() + 10
    while True:
        with database.transaction() as session:
            checkpoints = session.scalar(select(func.count()).select_from(LedgerCheckpointRow))
            pending = session.scalar(select(func.count()).select_from(OutboxRow))
        if checkpoints and not pending:
            break
        assert time.monotonic() < deadline, (checkpoints, pending)
        time.sleep(0.1)
    channel.close()
