"""The consent ledger: hash chain, tamper detection, signed checkpoints, listing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import delete, update

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.type.v1 import money_pb2
from couponry_services.profile.ledger import canonical, checkpoint_message, verify_checkpoint_signature
from couponry_services.profile.repository import LedgerCheckpointRow, LedgerEntryRow


def seed(profile, changes: int = 4) -> str:
    cid = profile.create().customer_id
    for i in range(changes):
        profile.consent(cid, cpb.PURPOSE_PERSONALIZED_OFFERS, money_pb2.CHANNEL_EMAIL,
                        cpb.CONSENT_STATE_GRANTED if i % 2 == 0 else cpb.CONSENT_STATE_WITHDRAWN)
    return cid


def verify(profile):
    return profile.stub.VerifyLedger(api.VerifyLedgerRequest())


def violations(result):
    return [(v.sequence, v.kind) for v in result.violations]


def test_untouched_ledger_verifies_and_entries_chain(profile):
    seed(profile)
    result = verify(profile)
    assert result.valid and result.entries_checked == 5 and not result.violations
    entries = profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest()).entries
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == ""
    for before, after in zip(entries, entries[1:]):
        assert after.previous_hash == before.entry_hash
    assert result.head_hash == entries[-1].entry_hash
    payload = json.loads(entries[1].payload_json)
    assert payload["evidence"]["source"] == "WEB" and payload["state"] == "GRANTED"
    assert entries[1].payload_json == canonical(payload).decode()


def test_edited_entry_is_reported_with_its_sequence(profile):
    seed(profile)
    with profile.database.transaction() as session:
        row = session.get(LedgerEntryRow, 3)
        session.execute(update(LedgerEntryRow).where(LedgerEntryRow.sequence == 3).values(
            payload_json=row.payload_json.replace("WITHDRAWN", "GRANTED")))
    result = verify(profile)
    assert not result.valid
    assert violations(result) == [(3, cpb.LEDGER_VIOLATION_KIND_HASH_MISMATCH)]


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(profile):
    seed(profile)
    from couponry_services.profile.ledger import row_hash
    with profile.database.transaction() as session:
        row = session.get(LedgerEntryRow, 2)
        row.payload_json = row.payload_json.replace("2026-03", "2020-01")
        row.entry_hash = row_hash(row)
    result = verify(profile)
    assert (3, cpb.LEDGER_VIOLATION_KIND_BROKEN_LINK) in violations(result) and not result.valid


def test_deleted_entry_is_reported_as_a_gap(profile):
    seed(profile)
    with profile.database.transaction() as session:
        session.execute(delete(LedgerEntryRow).where(LedgerEntryRow.sequence == 2))
    result = verify(profile)
    assert (2, cpb.LEDGER_VIOLATION_KIND_GAP) in violations(result)
    assert (3, cpb.LEDGER_VIOLATION_KIND_BROKEN_LINK) in violations(result)


def test_reordered_entries_are_reported(profile):
    seed(profile)
    with profile.database.transaction() as session:
        for source, target in ((2, -2), (3, 2), (-2, 3)):
            session.execute(update(LedgerEntryRow).where(LedgerEntryRow.sequence == source).values(sequence=target))
    found = violations(verify(profile))
    assert (2, cpb.LEDGER_VIOLATION_KIND_HASH_MISMATCH) in found
    assert (3, cpb.LEDGER_VIOLATION_KIND_HASH_MISMATCH) in found


def test_checkpoint_is_signed_and_catches_truncation(profile):
    seed(profile)
    checkpoint = profile.stub.CreateLedgerCheckpoint(api.CreateLedgerCheckpointRequest(request_id="cp-1")).checkpoint
    assert checkpoint.sequence == 5 and len(checkpoint.signature) == 64 and len(checkpoint.public_key) == 32
    # An auditor needs nothing but the checkpoint to check the signature.
    assert verify_checkpoint_signature(checkpoint.public_key, checkpoint.signature, checkpoint.sequence,
                                       checkpoint.head_hash)
    assert not verify_checkpoint_signature(checkpoint.public_key, checkpoint.signature, 4, checkpoint.head_hash)
    assert profile.stub.CreateLedgerCheckpoint(api.CreateLedgerCheckpointRequest(request_id="cp-1")).checkpoint == \
        checkpoint
    result = verify(profile)
    assert result.valid and result.checkpoints_checked == 1
    # Deleting the newest entries leaves a chain that is internally consistent:
    # only the checkpoint notices.
    with profile.database.transaction() as session:
        session.execute(delete(LedgerEntryRow).where(LedgerEntryRow.sequence >= 4))
    assert violations(verify(profile)) == [(5, cpb.LEDGER_VIOLATION_KIND_CHECKPOINT_MISMATCH)]


def test_forged_checkpoint_is_rejected(profile):
    seed(profile)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    forger = Ed25519PrivateKey.generate()
    head = verify(profile)
    with profile.database.transaction() as session:
        session.add(LedgerCheckpointRow(
            sequence=head.head_sequence, head_hash=head.head_hash,
            signature=forger.sign(checkpoint_message(head.head_sequence, head.head_hash)), key_id="forged",
            public_key=forger.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
            create_time=datetime.now(UTC)))
    assert violations(verify(profile)) == [(head.head_sequence, cpb.LEDGER_VIOLATION_KIND_CHECKPOINT_MISMATCH)]


def test_ledger_by_time_range_and_subject_page_by_page(profile):
    cid = seed(profile, 2)
    other = profile.create(external_id="other").customer_id
    subject = profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=other)).customer.subject_ref
    now = datetime.now(UTC)
    start, end = Timestamp(), Timestamp()
    start.FromDatetime(now - timedelta(minutes=1))
    end.FromDatetime(now + timedelta(minutes=1))
    seen, token = [], ""
    while True:
        page = profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest(start_time=start, end_time=end,
                                                                           page_size=2, page_token=token))
        seen += [e.sequence for e in page.entries]
        token = page.next_page_token
        if not token:
            break
    assert seen == [1, 2, 3, 4]
    only = profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest(subject_ref=subject)).entries
    assert [e.sequence for e in only] == [4]
    past = Timestamp()
    past.FromDatetime(now - timedelta(days=1))
    assert not profile.stub.ListLedgerEntries(api.ListLedgerEntriesRequest(end_time=past)).entries
    assert cid
