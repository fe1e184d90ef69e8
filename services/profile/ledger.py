"""The consent ledger: append-only, hash-chained, with signed checkpoints.

Entry hash
    `entry_hash = SHA-256(previous_hash_bytes || canonical(entry))`, where
    `previous_hash_bytes` is the 32 raw bytes of the previous entry's hash
    (empty for the first entry) and `canonical(entry)` is the canonical JSON
    (below) of `{"sequence", "subject_ref", "kind", "record_time", "payload"}`
    with `kind` as its name (e.g. "CONSENT_CHANGED") and `record_time` as
    RFC 3339 UTC with microseconds.

Canonical JSON
    UTF-8, keys sorted, no insignificant whitespace, no floats (integers,
    strings, booleans, null, lists and objects only), non-ASCII kept as is.

Checkpoints
    Ed25519 over `canonical({"context": CHECKPOINT_CONTEXT, "sequence": n,
    "head_hash": h})`. The public key is stored with each checkpoint so an
    auditor can check it independently, and compared with the keyring's key
    during verification so a forger cannot sign with a key of their own.

Appends are serialized: on PostgreSQL by a transaction-level advisory lock,
on SQLite by the write lock every transaction takes (BEGIN IMMEDIATE). The
lock is held until the surrounding transaction ends, so the state change and
its ledger entry commit together and in ledger order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from couponry_runtime.convert import as_utc, utcnow

from .domain import EntryKind, iso
from .keyring import Secrets
from .repository import LedgerCheckpointRow, LedgerEntryRow

CHECKPOINT_CONTEXT = "couponry.profile.ledger-checkpoint.v1"
# Fixed 64-bit key of the advisory lock that serializes appends on PostgreSQL.
LEDGER_LOCK_KEY = int.from_bytes(hashlib.sha256(b"couponry.profile.ledger").digest()[:8], "big", signed=True)

HASH_MISMATCH = 1
BROKEN_LINK = 2
GAP = 3
CHECKPOINT_MISMATCH = 4
MAX_GAP_REPORT = 1000


class CanonicalError(ValueError):
    """A value that has no canonical encoding (floats, non-string keys, …)."""


def _check(value, path: str = "$") -> None:
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        raise CanonicalError(f"floats are not allowed in the ledger ({path})")
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"object keys must be strings ({path})")
            _check(item, f"{path}.{key}")
        return
    raise CanonicalError(f"{type(value).__name__} is not allowed in the ledger ({path})")


def canonical(value) -> bytes:
    """The canonical JSON encoding of `value` (see the module docstring)."""
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def entry_document(sequence: int, subject_ref: str, kind: int, record_time: datetime, payload: dict) -> dict:
    return {"sequence": int(sequence), "subject_ref": subject_ref, "kind": EntryKind(kind).name,
            "record_time": iso(record_time), "payload": payload}


def chain_hash(previous_hash: str, document: dict) -> str:
    previous = bytes.fromhex(previous_hash) if previous_hash else b""
    return hashlib.sha256(previous + canonical(document)).hexdigest()


def row_hash(row: LedgerEntryRow) -> str:
    """The hash a stored row should have, recomputed from its contents."""
    try:
        payload = json.loads(row.payload_json)
        if canonical(payload).decode("utf-8") != row.payload_json:
            return ""  # stored text must be exactly the canonical encoding
        document = entry_document(row.sequence, row.subject_ref, row.kind, as_utc(row.record_time), payload)
        return chain_hash(row.previous_hash, document)
    except (ValueError, TypeError, KeyError):
        return ""


def checkpoint_message(sequence: int, head_hash: str) -> bytes:
    return canonical({"context": CHECKPOINT_CONTEXT, "sequence": int(sequence), "head_hash": head_hash})


@dataclass
class Verification:
    valid: bool = True
    entries_checked: int = 0
    checkpoints_checked: int = 0
    violations: list[tuple[int, int]] = field(default_factory=list)  # (sequence, kind)
    head_sequence: int = 0
    head_hash: str = ""

    def add(self, sequence: int, kind: int) -> None:
        self.valid = False
        self.violations.append((sequence, kind))


class ConsentLedger:
    """Appends to, checkpoints and verifies the ledger within a caller's session."""

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets
        self.public_key = secrets.public_key
        self.key_id = hashlib.sha256(self.public_key).hexdigest()[:16]

    @staticmethod
    def lock(session: Session) -> None:
        """Serializes ledger writers until the end of the current transaction."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEDGER_LOCK_KEY})

    @staticmethod
    def head(session: Session) -> tuple[int, str]:
        row = session.execute(select(LedgerEntryRow.sequence, LedgerEntryRow.entry_hash)
                              .order_by(LedgerEntryRow.sequence.desc()).limit(1)).first()
        return (row.sequence, row.entry_hash) if row else (0, "")

    def append(self, session: Session, kind: EntryKind, subject_ref: str, payload: dict,
               now: datetime | None = None) -> LedgerEntryRow:
        self.lock(session)
        sequence, previous = self.head(session)
        record_time = now or utcnow()
        document = entry_document(sequence + 1, subject_ref, kind, record_time, payload)
        row = LedgerEntryRow(sequence=sequence + 1, subject_ref=subject_ref, kind=int(kind),
                             payload_json=canonical(payload).decode("utf-8"), record_time=record_time,
                             previous_hash=previous, entry_hash=chain_hash(previous, document))
        session.add(row)
        session.flush()
        return row

    def checkpoint(self, session: Session) -> LedgerCheckpointRow:
        self.lock(session)
        sequence, head_hash = self.head(session)
        row = LedgerCheckpointRow(
            sequence=sequence, head_hash=head_hash,
            signature=self.secrets.signing_key.sign(checkpoint_message(sequence, head_hash)),
            key_id=self.key_id, public_key=self.public_key, create_time=utcnow())
        session.add(row)
        session.flush()
        return row

    def verify(self, session: Session) -> Verification:
        result = Verification()
        checkpoints = list(session.scalars(select(LedgerCheckpointRow).order_by(LedgerCheckpointRow.checkpoint_id)))
        wanted = {c.sequence for c in checkpoints}
        hashes_at: dict[int, str] = {0: ""}
        expected, previous_stored = 1, ""
        rows = session.execute(select(LedgerEntryRow).order_by(LedgerEntryRow.sequence)).scalars()
        for row in rows:
            result.entries_checked += 1
            if row.sequence != expected:
                for missing in range(expected, min(row.sequence, expected + MAX_GAP_REPORT)):
                    result.add(missing, GAP)
            if row.previous_hash != previous_stored:
                result.add(row.sequence, BROKEN_LINK)
            if row_hash(row) != row.entry_hash:
                result.add(row.sequence, HASH_MISMATCH)
            if row.sequence in wanted:
                hashes_at[row.sequence] = row.entry_hash
            previous_stored = row.entry_hash
            expected = row.sequence + 1
            result.head_sequence, result.head_hash = row.sequence, row.entry_hash
        verifier = Ed25519PublicKey.from_public_bytes(self.public_key)
        for checkpoint in checkpoints:
            result.checkpoints_checked += 1
            ok = bytes(checkpoint.public_key) == self.public_key
            if ok:
                try:
                    verifier.verify(bytes(checkpoint.signature),
                                    checkpoint_message(checkpoint.sequence, checkpoint.head_hash))
                except InvalidSignature:
                    ok = False
            if not ok or hashes_at.get(checkpoint.sequence) != checkpoint.head_hash:
                result.add(checkpoint.sequence, CHECKPOINT_MISMATCH)
        result.violations.sort()
        return result


def verify_checkpoint_signature(public_key: bytes, signature: bytes, sequence: int, head_hash: str) -> bool:
    """What an auditor runs with nothing but a checkpoint in hand."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, checkpoint_message(sequence, head_hash))
        return True
    except (InvalidSignature, ValueError):
        return False
