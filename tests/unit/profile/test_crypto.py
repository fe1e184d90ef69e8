"""Envelope encryption, AAD binding, blind indexes, rotation and crypto-shredding."""

from __future__ import annotations

import json
import os
import stat

import grpc
import pytest
from sqlalchemy import select, text, update

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry_runtime.errors import DomainError, parse_rpc_error
from couponry_services.profile import crypto
from couponry_services.profile.keyring import FileKeyring, UnwrapError
from couponry_services.profile.repository import CustomerKeyRow, CustomerPiiRow, CustomerRow, LedgerEntryRow
from couponry_services.profile.service import retire_version, rotate_keys

EVERY_FIELD = dict(external_id="ext-ÄÖü-42", email="grace.hopper@example.com", phone="+14155550123",
                   given_name="Grace ✓", family_name="Hopper-Murray", birth_date="1906-12-09", country_code="US",
                   attributes={"tier": "gold", "loyalty.id": "L-991", "note": "ünïcödé"})


def full(profile, customer_id):
    return profile.stub.GetCustomer(api.GetCustomerRequest(customer_id=customer_id, view=pb.CUSTOMER_VIEW_FULL)).customer


def code_and_reason(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    error = parse_rpc_error(caught.value)
    return error.code, error.reason


def test_every_field_round_trips_and_nothing_is_stored_in_clear(profile):
    created = profile.create(**EVERY_FIELD)
    read = full(profile, created.customer_id)
    for name, value in EVERY_FIELD.items():
        got = dict(getattr(read, name)) if name == "attributes" else getattr(read, name)
        assert got == value, name
    with profile.database.transaction() as session:
        pii = session.get(CustomerPiiRow, created.customer_id)
        stored = b"".join(bytes(getattr(pii, name)) for name in EVERY_FIELD)
        row = session.get(CustomerRow, created.customer_id)
        plain_columns = repr([getattr(row, c.key) for c in CustomerRow.__table__.columns])
    for value in ("grace.hopper", "+14155550123", "Hopper", "1906-12-09", "L-991", "ext-"):
        assert value.encode() not in stored
        assert value not in plain_columns


def test_ciphertext_moved_to_another_field_or_row_fails_to_decrypt(profile):
    a = profile.create(external_id="a-1", email="a@example.org")
    b = profile.create(external_id="b-1", email="b@example.org")
    with profile.database.transaction() as session:
        pii_a = session.get(CustomerPiiRow, a.customer_id)
        email_a, phone_a = bytes(pii_a.email), bytes(pii_a.phone)
        # Same customer, other field.
        session.execute(update(CustomerPiiRow).where(CustomerPiiRow.customer_id == a.customer_id)
                        .values(phone=email_a))
        # Other customer, same field.
        session.execute(update(CustomerPiiRow).where(CustomerPiiRow.customer_id == b.customer_id)
                        .values(email=email_a))
    assert code_and_reason(lambda: full(profile, a.customer_id)) == (grpc.StatusCode.DATA_LOSS, "CIPHERTEXT_INVALID")
    assert code_and_reason(lambda: full(profile, b.customer_id)) == (grpc.StatusCode.DATA_LOSS, "CIPHERTEXT_INVALID")
    # Put it back: the original place still decrypts.
    with profile.database.transaction() as session:
        session.execute(update(CustomerPiiRow).where(CustomerPiiRow.customer_id == a.customer_id)
                        .values(phone=phone_a))
    assert full(profile, a.customer_id).email == "a@example.org"


def test_aad_binds_table_field_customer_and_key_version():
    dek = crypto.new_dek()
    cipher = crypto.FieldCipher("c-1", dek, 1, "customer_pii")
    stored = cipher.encrypt("email", "x@example.org")
    assert cipher.decrypt("email", stored) == "x@example.org"
    for other in (crypto.FieldCipher("c-1", dek, 1, "customer_pii"),):
        with pytest.raises(crypto.DecryptionError):
            other.decrypt("phone", stored)
    for wrong in (crypto.FieldCipher("c-2", dek, 1, "customer_pii"), crypto.FieldCipher("c-1", dek, 2, "customer_pii"),
                  crypto.FieldCipher("c-1", dek, 1, "other_table"), crypto.FieldCipher("c-1", crypto.new_dek(), 1,
                                                                                      "customer_pii")):
        with pytest.raises(crypto.DecryptionError):
            wrong.decrypt("email", stored)
    tampered = stored[:-1] + bytes([stored[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt("email", tampered)


def test_keyring_file_is_owner_only_and_refused_otherwise(tmp_path):
    path = tmp_path / "data" / "keyring.json"
    keyring = FileKeyring.open_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    document = json.loads(path.read_text())
    assert set(document) >= {"keks", "blind_index_key", "pseudonym_key", "signing_key", "current_kek_version"}
    # Independent keys.
    secrets = keyring.secrets
    assert secrets.blind_index_key != secrets.pseudonym_key
    import base64
    keks = {base64.b64decode(entry["key"]) for entry in document["keks"].values()}
    assert secrets.blind_index_key not in keks and secrets.pseudonym_key not in keks
    os.chmod(path, 0o644)
    with pytest.raises(DomainError) as caught:
        FileKeyring(path)
    assert caught.value.reason == "KEYRING_PERMISSIONS"


def test_wrapped_key_is_bound_to_customer_and_version(tmp_path):
    keyring = FileKeyring.open_or_create(tmp_path / "k.json")
    dek = crypto.new_dek()
    wrapped = crypto.wrap_dek(keyring, "c-1", dek, 1)
    assert crypto.unwrap_dek(keyring, "c-1", wrapped, 1) == dek
    with pytest.raises(UnwrapError):
        crypto.unwrap_dek(keyring, "c-2", wrapped, 1)
    version = keyring.add_version()
    with pytest.raises(UnwrapError):
        crypto.unwrap_dek(keyring, "c-1", wrapped, version)


def test_blind_index_lookup_by_email_and_phone(profile):
    created = profile.create(email="Mixed.Case@Example.ORG", phone="+33612345678")
    other = profile.create(external_id="other", email="someone@example.org", phone="+33699999999")
    found = profile.stub.FindCustomer(api.FindCustomerRequest(email="  mixed.case@example.org ")).customer
    assert found.customer_id == created.customer_id and found.email == ""  # BASIC view
    assert profile.stub.FindCustomer(api.FindCustomerRequest(phone="+33612345678")).customer.customer_id == \
        created.customer_id
    assert profile.stub.FindCustomer(api.FindCustomerRequest(phone="+33699999999")).customer.customer_id == \
        other.customer_id
    assert code_and_reason(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email="nobody@example.org"))) == \
        (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
    assert code_and_reason(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email="not-an-email"))) == \
        (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_EMAIL")
    # The index is keyed: the stored digest is not a plain hash of the value.
    with profile.database.transaction() as session:
        digest = session.get(CustomerRow, created.customer_id).email_bidx
    import hashlib
    assert digest not in hashlib.sha256(b"mixed.case@example.org").hexdigest()
    assert len(digest) == 32  # 16 bytes, hex


def test_rotation_rewraps_every_data_key_then_reads_and_lookups_still_work(profile):
    ids = [profile.create(external_id=f"r-{i}", email=f"r{i}@example.org").customer_id for i in range(5)]
    core = profile.core
    old = core.keys.current_version()
    with profile.database.transaction() as session:
        before = {k.customer_id: bytes(k.wrapped_dek) for k in session.scalars(select(CustomerKeyRow))}
        ciphertexts = {p.customer_id: bytes(p.email) for p in session.scalars(select(CustomerPiiRow))}
    version, count = rotate_keys(profile.database, core)
    assert version == old + 1 and count == 5
    with profile.database.transaction() as session:
        keys = list(session.scalars(select(CustomerKeyRow)))
        assert {k.kek_version for k in keys} == {version}
        assert all(bytes(k.wrapped_dek) != before[k.customer_id] for k in keys)
        # No field was touched: ciphertexts are byte-for-byte the same.
        assert {p.customer_id: bytes(p.email) for p in session.scalars(select(CustomerPiiRow))} == ciphertexts
        last = session.scalars(select(LedgerEntryRow).order_by(LedgerEntryRow.sequence.desc())).first()
        assert last.kind == cpb.LEDGER_ENTRY_KIND_KEY_ROTATED and json.loads(last.payload_json)["rewrapped"] == 5
    retire_version(profile.database, core, old)
    for i, customer_id in enumerate(ids):
        assert full(profile, customer_id).email == f"r{i}@example.org"
    assert profile.stub.FindCustomer(api.FindCustomerRequest(email="r3@example.org")).customer.customer_id == ids[3]
    new = profile.create(external_id="after", email="after@example.org")
    assert full(profile, new.customer_id).email == "after@example.org"
    assert profile.stub.VerifyLedger(api.VerifyLedgerRequest()).valid


def test_retire_refuses_a_version_still_in_use(profile):
    profile.create()
    core = profile.core
    old = core.keys.current_version()
    core.keys.add_version()  # added but nothing rewrapped yet
    with pytest.raises(DomainError) as caught:
        retire_version(profile.database, core, old)
    assert caught.value.reason == "KEK_VERSION_IN_USE"


def test_erasure_shreds_and_old_ciphertext_cannot_be_decrypted(profile):
    customer = profile.create(email="shred.me@example.org", phone="+4917000000001")
    keep = profile.create(external_id="keep", email="keep@example.org")
    with profile.database.transaction() as session:
        old_ciphertext = bytes(session.get(CustomerPiiRow, customer.customer_id).email)
    receipt = profile.stub.DeleteCustomer(api.DeleteCustomerRequest(customer_id=customer.customer_id,
                                                                    actor="privacy-desk", request_id="erase-1")).receipt
    assert receipt.subject_ref == customer.subject_ref and receipt.ledger_sequence > 0
    # A retry answers with the same receipt.
    again = profile.stub.DeleteCustomer(api.DeleteCustomerRequest(customer_id=customer.customer_id,
                                                                  actor="privacy-desk", request_id="erase-1")).receipt
    assert again == receipt

    with profile.database.transaction() as session:
        assert session.get(CustomerKeyRow, customer.customer_id) is None
        assert session.get(CustomerPiiRow, customer.customer_id) is None
        tomb = session.get(CustomerRow, customer.customer_id)
        assert tomb.email_bidx is None and tomb.phone_bidx is None and tomb.external_bidx is None
        remaining = list(session.scalars(select(CustomerKeyRow)))
    # Every key left in the system fails on the old ciphertext.
    core = profile.core
    candidates = [core.cipher(k) for k in remaining]
    candidates += [crypto.FieldCipher(customer.customer_id, key, 1, "customer_pii")
                   for key in (core.secrets.blind_index_key, core.secrets.pseudonym_key)]
    for cipher in candidates:
        with pytest.raises(crypto.DecryptionError):
            cipher.decrypt("email", old_ciphertext)

    assert code_and_reason(lambda: full(profile, customer.customer_id)) == (grpc.StatusCode.NOT_FOUND,
                                                                            "CUSTOMER_NOT_FOUND")
    assert code_and_reason(lambda: profile.stub.FindCustomer(api.FindCustomerRequest(email="shred.me@example.org"))) \
        == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
    assert code_and_reason(lambda: profile.stub.DeleteCustomer(api.DeleteCustomerRequest(
        customer_id=customer.customer_id))) == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
    decision = profile.authorize(customer.customer_id)
    assert not decision.allowed and decision.reason == cpb.DECISION_REASON_CUSTOMER_ERASED
    assert decision.subject_ref == ""
    verification = profile.stub.VerifyLedger(api.VerifyLedgerRequest())
    assert verification.valid and verification.head_sequence == receipt.ledger_sequence
    history = profile.stub.ListConsentHistory(api.ListConsentHistoryRequest(customer_id=customer.customer_id)).entries
    assert history[-1].kind == cpb.LEDGER_ENTRY_KIND_CUSTOMER_ERASED
    assert full(profile, keep.customer_id).email == "keep@example.org"
    # The external id is free again.
    profile.create(external_id="shop-1", email="new@example.org")
    with profile.database.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM customer_keys")).scalar() == 2
