"""Profile use cases. Each function runs inside the caller's transaction
(one `Session`), so a change, its ledger entry and its outbox rows commit
together or not at all.

Nothing here logs, and no exception raised here carries personal data.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import grpc
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from couponry_runtime.convert import as_utc, utcnow
from couponry_runtime.db import Database
from couponry_runtime.errors import AlreadyExists, DomainError, FailedPrecondition, NotFound
from couponry_runtime.validation import Violations

from . import crypto
from .config import ProfileConfig
from .decisions import DecisionLog
from .domain import (
    MAX_ATTRIBUTE_VALUE,
    MAX_ATTRIBUTES,
    MAX_EXTERNAL_ID,
    MAX_NAME,
    PERSONAL_FIELDS,
    Channel,
    Consent,
    ConsentSource,
    ConsentState,
    ConsentView,
    EntryKind,
    EventType,
    Evidence,
    PersonalData,
    Purpose,
    decide,
    normalize_email,
    normalize_phone,
    valid_attribute_key,
    valid_birth_date,
    valid_country,
    valid_email,
    valid_phone,
)
from .keyring import KeyProvider, KeyringError, Secrets
from .ledger import ConsentLedger
from .repository import (
    PII_TABLE,
    ConsentRow,
    CustomerKeyRow,
    CustomerPiiRow,
    CustomerRow,
    DecisionRow,
    InteractionEventRow,
    LedgerEntryRow,
    OutboxRow,
)

PEER_ACTIONS = {
    "segmentation": "forget_subject",
    "campaign": "void_subject_offers",
    "redemption": "void_subject_codes",
}
FORGET = ("segmentation",)
VOID = ("campaign", "redemption")
EVERYONE = ("segmentation", "campaign", "redemption")


def customer_not_found() -> NotFound:
    return NotFound("CUSTOMER_NOT_FOUND", "no such customer")


# -- validation ---------------------------------------------------------------

def validate_personal(data: PersonalData, violations: Violations, prefix: str, fields: Iterable[str],
                      today: date | None = None) -> None:
    """Checks the named personal fields; descriptions never repeat the value."""
    today = today or utcnow().date()
    for name in fields:
        path = f"{prefix}.{name}"
        value = getattr(data, name)
        if name == "external_id":
            if violations.required(value.strip(), path):
                violations.check(len(value) <= MAX_EXTERNAL_ID, path, f"at most {MAX_EXTERNAL_ID} characters")
        elif name == "email" and value:
            violations.check(valid_email(normalize_email(value)), path, "is not a valid e-mail address",
                             "INVALID_EMAIL")
        elif name == "phone" and value:
            violations.check(valid_phone(normalize_phone(value)), path,
                             "must be an E.164 number such as +4915112345678", "INVALID_PHONE")
        elif name in ("given_name", "family_name") and value:
            violations.check(len(value) <= MAX_NAME, path, f"at most {MAX_NAME} characters")
        elif name == "birth_date" and value:
            violations.check(valid_birth_date(value, today), path, "must be a past date as YYYY-MM-DD",
                             "INVALID_BIRTH_DATE")
        elif name == "country_code" and value:
            violations.check(valid_country(value), path, "must be an ISO 3166-1 alpha-2 code such as DE",
                             "INVALID_COUNTRY")
        elif name == "attributes":
            violations.check(len(value) <= MAX_ATTRIBUTES, path, f"at most {MAX_ATTRIBUTES} attributes")
            for key, item in value.items():
                if not valid_attribute_key(key):
                    violations.add(path, "keys are 1-64 letters, digits, '_', '.' or '-'", "INVALID_ATTRIBUTE_KEY")
                    break
                if len(item) > MAX_ATTRIBUTE_VALUE:
                    violations.add(path, f"values are at most {MAX_ATTRIBUTE_VALUE} characters")
                    break


def normalized(data: PersonalData) -> PersonalData:
    return PersonalData(
        external_id=data.external_id.strip(), email=normalize_email(data.email), phone=normalize_phone(data.phone),
        given_name=data.given_name.strip(), family_name=data.family_name.strip(), birth_date=data.birth_date,
        country_code=data.country_code, attributes=dict(data.attributes))


# -- the core -------------------------------------------------------------------

# The two hot-path statements, built once (building a statement costs more
# than running it on SQLite).
_AUTHORIZE = (
    select(CustomerRow.customer_id, CustomerRow.subject_ref, CustomerRow.erase_time, CustomerRow.opted_out,
           CustomerRow.gpc_signal, CustomerRow.last_ledger_sequence,
           ConsentRow.channel, ConsentRow.state, ConsentRow.expire_time)
    .outerjoin(ConsentRow, (ConsentRow.customer_id == CustomerRow.customer_id)
               & (ConsentRow.purpose == bindparam("purpose")))
    .where(CustomerRow.customer_id == bindparam("customer_id")))
_KEY_AND_PII = (
    select(CustomerKeyRow.customer_id, CustomerKeyRow.wrapped_dek, CustomerKeyRow.kek_version,
           CustomerKeyRow.dek_version, *[getattr(CustomerPiiRow, name) for name in PERSONAL_FIELDS])
    .join(CustomerPiiRow, CustomerPiiRow.customer_id == CustomerKeyRow.customer_id)
    .where(CustomerKeyRow.customer_id == bindparam("customer_id")))
_FULL = (
    select(CustomerRow, CustomerKeyRow.customer_id, CustomerKeyRow.wrapped_dek, CustomerKeyRow.kek_version,
           CustomerKeyRow.dek_version,
           *[getattr(CustomerPiiRow, name) for name in PERSONAL_FIELDS])
    .outerjoin(CustomerKeyRow, CustomerKeyRow.customer_id == CustomerRow.customer_id)
    .outerjoin(CustomerPiiRow, CustomerPiiRow.customer_id == CustomerRow.customer_id)
    .where(CustomerRow.customer_id == bindparam("customer_id")))


@dataclass
class ProfileCore:
    """The keys and the ledger every use case needs."""

    keys: KeyProvider
    secrets: Secrets
    config: ProfileConfig

    decisions: DecisionLog | None = None  # batched decision log; None writes in the caller's transaction

    def __post_init__(self) -> None:
        self.ledger = ConsentLedger(self.secrets)

    def flush_decisions(self) -> None:
        if self.decisions is not None:
            self.decisions.flush()

    # keys and pseudonyms

    def subject_ref(self, customer_id: str) -> str:
        return crypto.subject_ref(self.secrets.pseudonym_key, customer_id)

    def bidx(self, kind: str, value: str) -> str:
        return crypto.blind_index(self.secrets.blind_index_key, kind, value, self.config.blind_index_bytes)

    def cipher(self, key) -> crypto.FieldCipher:
        """The field cipher of one customer, from their key row (or any row with its columns)."""
        dek = crypto.unwrap_dek(self.keys, key.customer_id, bytes(key.wrapped_dek), key.kek_version)
        return crypto.FieldCipher(key.customer_id, dek, key.dek_version, PII_TABLE)

    # customers

    def create_customer(self, session: Session, data: PersonalData, preferred_channel: int,
                        language_code: str) -> CustomerRow:
        data = normalized(data)
        external_bidx = self.bidx("external_id", data.external_id)
        if session.scalar(select(CustomerRow.customer_id).where(CustomerRow.external_bidx == external_bidx)):
            raise AlreadyExists("DUPLICATE_EXTERNAL_ID", "a customer with this external_id exists")
        now = utcnow()
        customer_id = str(uuid.uuid4())
        kek_version = self.keys.current_version()
        dek = crypto.new_dek()
        key = CustomerKeyRow(customer_id=customer_id, wrapped_dek=crypto.wrap_dek(self.keys, customer_id, dek, kek_version),
                             kek_version=kek_version, dek_version=1, create_time=now)
        cipher = crypto.FieldCipher(customer_id, dek, 1, PII_TABLE)
        row = CustomerRow(
            customer_id=customer_id, subject_ref=self.subject_ref(customer_id), external_bidx=external_bidx,
            email_bidx=self.bidx("email", data.email) if data.email else None,
            phone_bidx=self.bidx("phone", data.phone) if data.phone else None,
            preferred_channel=preferred_channel, language_code=language_code, opted_out=False,
            opt_out_evidence=None, opt_out_sequence=0, gpc_signal=False, gpc_sequence=0, last_ledger_sequence=0,
            create_time=now, update_time=now, erase_time=None)
        session.add(row)
        session.add(key)
        session.add(self._encrypt_all(cipher, customer_id, data))
        try:
            session.flush()
        except IntegrityError:
            raise AlreadyExists("DUPLICATE_EXTERNAL_ID", "a customer with this external_id exists") from None
        entry = self.ledger.append(session, EntryKind.CUSTOMER_CREATED, row.subject_ref,
                                   {"kek_version": kek_version, "dek_version": 1}, now)
        row.last_ledger_sequence = entry.sequence
        return row

    @staticmethod
    def _encrypt_all(cipher: crypto.FieldCipher, customer_id: str, data: PersonalData) -> CustomerPiiRow:
        pii = CustomerPiiRow(customer_id=customer_id)
        for name in PERSONAL_FIELDS:
            setattr(pii, name, _encrypt_value(cipher, name, getattr(data, name)))
        return pii

    @staticmethod
    def get_customer(session: Session, customer_id: str) -> CustomerRow:
        row = session.get(CustomerRow, customer_id) if customer_id else None
        if row is None or row.erase_time is not None:
            raise customer_not_found()
        return row

    def read_personal(self, session: Session, row: CustomerRow) -> PersonalData:
        found = session.execute(_KEY_AND_PII, {"customer_id": row.customer_id}).first()
        if found is None:
            raise customer_not_found()
        return self._decrypt(found)

    def get_customer_full(self, session: Session, customer_id: str) -> tuple[CustomerRow, PersonalData]:
        """A customer and their decrypted fields, in one round trip."""
        found = session.execute(_FULL, {"customer_id": customer_id}).first() if customer_id else None
        if found is None or found[0].erase_time is not None or found.wrapped_dek is None:
            raise customer_not_found()
        return found[0], self._decrypt(found)

    def _decrypt(self, found) -> PersonalData:
        key = pii = found
        data = PersonalData()
        try:
            cipher = self.cipher(key)
            for name in PERSONAL_FIELDS:
                stored = getattr(pii, name)
                if stored is None:
                    continue
                value = cipher.decrypt(name, bytes(stored))
                setattr(data, name, json.loads(value) if name == "attributes" else value)
        except (crypto.DecryptionError, KeyringError):
            # A ciphertext or data key that does not authenticate was moved,
            # edited or wrapped with a retired key: never return a guess.
            raise DomainError("CIPHERTEXT_INVALID", "stored personal data failed authentication",
                              code=grpc.StatusCode.DATA_LOSS) from None
        return data

    def update_customer(self, session: Session, customer_id: str, data: PersonalData, personal: set[str],
                        plain: dict) -> CustomerRow:
        row = self.get_customer(session, customer_id)
        data = normalized(data)
        if personal:
            key = session.get(CustomerKeyRow, customer_id)
            pii = session.get(CustomerPiiRow, customer_id)
            cipher = self.cipher(key)
            for name in personal:
                value = getattr(data, name)
                setattr(pii, name, _encrypt_value(cipher, name, value))
                if name == "external_id":
                    row.external_bidx = self.bidx("external_id", value)
                elif name == "email":
                    row.email_bidx = self.bidx("email", value) if value else None
                elif name == "phone":
                    row.phone_bidx = self.bidx("phone", value) if value else None
        for name, value in plain.items():
            setattr(row, name, value)
        row.update_time = utcnow()
        try:
            session.flush()
        except IntegrityError:
            raise AlreadyExists("DUPLICATE_EXTERNAL_ID", "a customer with this external_id exists") from None
        return row

    def find_customer(self, session: Session, kind: str, value: str) -> CustomerRow:
        digest = self.bidx(kind, value)
        column = CustomerRow.email_bidx if kind == "email" else CustomerRow.phone_bidx
        row = session.scalars(select(CustomerRow).where(column == digest, CustomerRow.erase_time.is_(None))
                              .order_by(CustomerRow.create_time, CustomerRow.customer_id).limit(1)).first()
        if row is None:
            raise customer_not_found()
        return row

    # consent

    @staticmethod
    def consent_view(session: Session, row: CustomerRow, purpose: Purpose | None = None) -> ConsentView:
        query = select(ConsentRow).where(ConsentRow.customer_id == row.customer_id)
        if purpose is not None:
            query = query.where(ConsentRow.purpose == int(purpose))
        consents = tuple(
            Consent(Purpose(c.purpose), Channel(c.channel), ConsentState(c.state),
                    as_utc(c.expire_time) if c.expire_time else None)
            for c in session.scalars(query))
        return ConsentView(erased=row.erase_time is not None, opted_out=row.opted_out, gpc_signal=row.gpc_signal,
                           consents=consents)

    @staticmethod
    def consents(session: Session, customer_id: str) -> list[ConsentRow]:
        return list(session.scalars(select(ConsentRow).where(ConsentRow.customer_id == customer_id)
                                    .order_by(ConsentRow.purpose, ConsentRow.channel)))

    def set_consent(self, session: Session, customer_id: str, purpose: Purpose, channel: Channel,
                    state: ConsentState, evidence: Evidence) -> ConsentRow:
        self.ledger.lock(session)  # serialize with every other ledger writer first
        row = self.get_customer(session, customer_id)
        previous = session.get(ConsentRow, (customer_id, int(purpose), int(channel)))
        previous_state = ConsentState(previous.state) if previous else None
        replaced = []
        if channel == Channel.ALL:
            replaced = list(session.scalars(select(ConsentRow).where(
                ConsentRow.customer_id == customer_id, ConsentRow.purpose == int(purpose),
                ConsentRow.channel != int(Channel.ALL))))
        entry = self.ledger.append(session, EntryKind.CONSENT_CHANGED, row.subject_ref, {
            "purpose": purpose.name, "channel": channel.name, "state": state.name,
            "previous_state": previous_state.name if previous_state else None,
            "replaces_channels": sorted(Channel(r.channel).name for r in replaced),
            "evidence": evidence.to_payload(),
        })
        for old in replaced:
            session.delete(old)
        consent = previous or ConsentRow(customer_id=customer_id, purpose=int(purpose), channel=int(channel))
        consent.state = int(state)
        consent.source = int(evidence.source)
        consent.notice_version = evidence.notice_version
        consent.actor = evidence.actor
        consent.capture_time = evidence.capture_time
        consent.expire_time = evidence.expire_time
        consent.ledger_sequence = entry.sequence
        if previous is None:
            session.add(consent)
        row.last_ledger_sequence = entry.sequence
        row.update_time = utcnow()
        if state != ConsentState.GRANTED:
            general = session.get(ConsentRow, (customer_id, int(purpose), int(Channel.ALL))) \
                if channel != Channel.ALL else None
            was_granted = (previous_state == ConsentState.GRANTED
                           or any(r.state == ConsentState.GRANTED for r in replaced)
                           or (general is not None and general.state == ConsentState.GRANTED))
            if was_granted or state == ConsentState.WITHDRAWN:
                self._cascade(session, row, FORGET if purpose == Purpose.PROFILING else VOID)
        session.flush()
        return consent

    def set_opt_out(self, session: Session, customer_id: str, opted_out: bool, evidence: Evidence) -> CustomerRow:
        self.ledger.lock(session)
        row = self.get_customer(session, customer_id)
        if evidence.source == ConsentSource.GPC_SIGNAL:
            entry = self.ledger.append(session, EntryKind.GPC_RECORDED, row.subject_ref, {
                "gpc_signal": opted_out, "opts_out_of": ["PERSONALIZED_OFFERS", "SALE_SHARING"],
                "evidence": evidence.to_payload()})
            was = row.gpc_signal
            row.gpc_signal = opted_out
            row.gpc_sequence = entry.sequence
            if opted_out and not was:
                self._cascade(session, row, VOID)
        else:
            entry = self.ledger.append(session, EntryKind.OPT_OUT_CHANGED, row.subject_ref, {
                "opted_out": opted_out, "evidence": evidence.to_payload()})
            was = row.opted_out
            row.opted_out = opted_out
            row.opt_out_evidence = evidence.to_payload()
            row.opt_out_sequence = entry.sequence
            if opted_out and not was:
                self._cascade(session, row, EVERYONE)
        row.last_ledger_sequence = entry.sequence
        row.update_time = utcnow()
        session.flush()
        return row

    def authorize(self, session: Session, customer_id: str, purpose: Purpose, channel: Channel,
                  record: bool = True) -> tuple:
        # One round trip, plain columns: this is on the path of every offer.
        found = session.execute(_AUTHORIZE, {"customer_id": customer_id, "purpose": int(purpose)}).all() \
            if customer_id else []
        if not found:
            raise customer_not_found()
        row = found[0]
        view = ConsentView(
            erased=row.erase_time is not None, opted_out=row.opted_out, gpc_signal=row.gpc_signal,
            consents=tuple(Consent(purpose, Channel(r.channel), ConsentState(r.state),
                                   as_utc(r.expire_time) if r.expire_time else None)
                           for r in found if r.channel is not None))
        now = utcnow()
        decision = decide(view, purpose, channel, now)
        decision_id = str(uuid.uuid4())
        if record and row.erase_time is None:
            values = dict(decision_id=decision_id, customer_id=customer_id, purpose=int(purpose),
                          channel=int(channel), allowed=decision.allowed, reason=int(decision.reason),
                          ledger_sequence=row.last_ledger_sequence, decide_time=now)
            if self.decisions is not None:
                self.decisions.record(**values)
            else:
                session.add(DecisionRow(**values))
        return row, decision, decision_id, now

    # the cascade

    def _cascade(self, session: Session, row: CustomerRow, peers: tuple[str, ...]) -> None:
        """Queues notifications to peers, in this transaction."""
        now = utcnow()
        if "segmentation" in peers:
            # Events not yet passed on must never reach segmentation now, and
            # the events held here are deleted with the consent they needed.
            session.execute(delete(OutboxRow).where(OutboxRow.subject_ref == row.subject_ref,
                                                    OutboxRow.action == "record_events"))
            session.execute(delete(InteractionEventRow).where(InteractionEventRow.customer_id == row.customer_id))
        for peer in peers:
            session.add(OutboxRow(peer=peer, action=PEER_ACTIONS[peer], subject_ref=row.subject_ref,
                                  request_id=f"profile-{uuid.uuid4().hex}", payload={}, attempts=0,
                                  next_attempt_time=now, last_status="", create_time=now))

    # interaction events

    def record_event(self, session: Session, event: NewEvent, cache: dict | None = None) -> str:
        """Returns "accepted", "dropped" or "duplicate"; NotFound for unknown customers."""
        cache = {} if cache is None else cache
        if event.customer_id not in cache:
            row = session.get(CustomerRow, event.customer_id) if event.customer_id else None
            if row is None or row.erase_time is not None:
                raise customer_not_found()
            allowed = decide(self.consent_view(session, row, Purpose.PROFILING), Purpose.PROFILING, Channel.ALL,
                             utcnow()).allowed
            cache[event.customer_id] = (row.subject_ref, allowed)
        subject, allowed = cache[event.customer_id]
        if not allowed:
            return "dropped"
        if session.get(InteractionEventRow, event.event_id) is not None:
            return "duplicate"
        now = utcnow()
        session.add(InteractionEventRow(
            event_id=event.event_id, customer_id=event.customer_id, event_type=int(event.event_type),
            occur_time=event.occur_time, receive_time=now, product_id=event.product_id,
            categories=list(event.categories), amount_minor=event.amount_minor, currency_code=event.currency_code))
        # Only the subject reference travels on: never the customer id.
        session.add(OutboxRow(peer="segmentation", action="record_events", subject_ref=subject,
                              request_id=f"profile-{uuid.uuid4().hex}", payload={
                                  "event_id": event.event_id, "type": int(event.event_type),
                                  "occur_time": event.occur_time.isoformat(), "product_id": event.product_id,
                                  "categories": list(event.categories), "amount_minor": event.amount_minor,
                                  "currency_code": event.currency_code},
                              attempts=0, next_attempt_time=now, last_status="", create_time=now))
        session.flush()
        return "accepted"

    @staticmethod
    def purge_events(session: Session, older_than: datetime) -> int:
        result = session.execute(delete(InteractionEventRow).where(InteractionEventRow.occur_time < older_than))
        return result.rowcount or 0

    # data subject rights

    def export(self, session: Session, customer_id: str) -> dict:
        row = self.get_customer(session, customer_id)
        data = self.read_personal(session, row)
        history = session.scalars(select(LedgerEntryRow).where(LedgerEntryRow.subject_ref == row.subject_ref)
                                  .order_by(LedgerEntryRow.sequence))
        events = session.scalars(select(InteractionEventRow).where(InteractionEventRow.customer_id == customer_id)
                                 .order_by(InteractionEventRow.occur_time, InteractionEventRow.event_id))
        decisions = session.scalars(select(DecisionRow).where(DecisionRow.customer_id == customer_id)
                                    .order_by(DecisionRow.decide_time, DecisionRow.decision_id))
        return {
            "format": "couponry.profile.subject-export.v1",
            "export_time": iso_time(utcnow()),
            "customer": {
                "customer_id": row.customer_id, "subject_ref": row.subject_ref,
                "external_id": data.external_id, "email": data.email, "phone": data.phone,
                "given_name": data.given_name, "family_name": data.family_name, "birth_date": data.birth_date,
                "country_code": data.country_code, "attributes": data.attributes,
                "preferred_channel": Channel(row.preferred_channel).name if row.preferred_channel else None,
                "language_code": row.language_code, "create_time": iso_time(row.create_time),
                "update_time": iso_time(row.update_time),
            },
            "consents": [{
                "purpose": Purpose(c.purpose).name, "channel": Channel(c.channel).name,
                "state": ConsentState(c.state).name, "source": ConsentSource(c.source).name,
                "notice_version": c.notice_version, "actor": c.actor, "capture_time": iso_time(c.capture_time),
                "expire_time": iso_time(c.expire_time) if c.expire_time else None,
                "ledger_sequence": c.ledger_sequence} for c in self.consents(session, customer_id)],
            "opt_out": {"opted_out": row.opted_out, "evidence": row.opt_out_evidence,
                        "ledger_sequence": row.opt_out_sequence},
            "gpc_signal": row.gpc_signal,
            "consent_history": [{
                "sequence": e.sequence, "kind": EntryKind(e.kind).name, "record_time": iso_time(e.record_time),
                "payload": json.loads(e.payload_json), "entry_hash": e.entry_hash} for e in history],
            "events": [{
                "event_id": e.event_id, "type": EventType(e.event_type).name, "occur_time": iso_time(e.occur_time),
                "product_id": e.product_id, "categories": list(e.categories or []),
                "amount_minor": e.amount_minor, "currency_code": e.currency_code} for e in events],
            "decisions": [{
                "decision_id": d.decision_id, "purpose": Purpose(d.purpose).name, "channel": Channel(d.channel).name,
                "allowed": d.allowed, "reason": _reason_name(d.reason), "ledger_sequence": d.ledger_sequence,
                "decide_time": iso_time(d.decide_time)} for d in decisions],
        }

    def erase(self, session: Session, customer_id: str, actor: str) -> tuple[CustomerRow, LedgerEntryRow]:
        self.ledger.lock(session)
        row = self.get_customer(session, customer_id)
        key = session.get(CustomerKeyRow, customer_id)
        kek_version = key.kek_version if key else None
        # The shred: the data key goes, and with it every copy of every ciphertext.
        session.execute(delete(CustomerKeyRow).where(CustomerKeyRow.customer_id == customer_id))
        session.execute(delete(CustomerPiiRow).where(CustomerPiiRow.customer_id == customer_id))
        session.execute(delete(ConsentRow).where(ConsentRow.customer_id == customer_id))
        session.execute(delete(DecisionRow).where(DecisionRow.customer_id == customer_id))
        self._cascade(session, row, EVERYONE)  # also deletes events held and events not yet passed on
        now = utcnow()
        entry = self.ledger.append(session, EntryKind.CUSTOMER_ERASED, row.subject_ref, {
            "shredded": ["data_key", "ciphertexts", "blind_indexes", "consent_state", "events", "decisions"],
            "kek_version": kek_version, "actor": actor, "notified": list(EVERYONE)}, now)
        row.external_bidx = row.email_bidx = row.phone_bidx = None
        row.opt_out_evidence = None
        row.erase_time = now
        row.update_time = now
        row.last_ledger_sequence = entry.sequence
        session.flush()
        return row, entry

    # ledger reading

    @staticmethod
    def ledger_page(session: Session, after: int, limit: int, subject_ref: str | None = None,
                    start: datetime | None = None, end: datetime | None = None) -> list[LedgerEntryRow]:
        query = select(LedgerEntryRow).where(LedgerEntryRow.sequence > after)
        if subject_ref:
            query = query.where(LedgerEntryRow.subject_ref == subject_ref)
        if start:
            query = query.where(LedgerEntryRow.record_time >= start)
        if end:
            query = query.where(LedgerEntryRow.record_time < end)
        return list(session.scalars(query.order_by(LedgerEntryRow.sequence).limit(limit + 1)))


@dataclass(frozen=True)
class NewEvent:
    event_id: str
    customer_id: str
    event_type: EventType
    occur_time: datetime
    product_id: str
    categories: tuple[str, ...]
    amount_minor: int
    currency_code: str


def _encrypt_value(cipher: crypto.FieldCipher, name: str, value) -> bytes | None:
    if name == "attributes":
        return cipher.encrypt(name, json.dumps(value, sort_keys=True, separators=(",", ":"))) if value else None
    return cipher.encrypt(name, value) if value else None


def _reason_name(value: int) -> str:
    from .domain import Reason
    return Reason(value).name


def iso_time(value: datetime) -> str:
    from .domain import iso
    return iso(as_utc(value))


# -- key rotation (used by the CLI) ------------------------------------------

def rewrap_all(database: Database, core: ProfileCore, batch: int = 500) -> int:
    """Rewraps every data key not on the current KEK version; no field is
    decrypted. Safe to run again after an interruption."""
    target = core.keys.current_version()
    done = 0
    while True:
        with database.transaction() as session:
            keys = list(session.scalars(select(CustomerKeyRow).where(CustomerKeyRow.kek_version != target)
                                        .order_by(CustomerKeyRow.customer_id).limit(batch)))
            now = utcnow()
            for key in keys:
                dek = crypto.unwrap_dek(core.keys, key.customer_id, bytes(key.wrapped_dek), key.kek_version)
                key.wrapped_dek = crypto.wrap_dek(core.keys, key.customer_id, dek, target)
                key.kek_version = target
                key.rewrap_time = now
        done += len(keys)
        if len(keys) < batch:
            return done


def rotate_keys(database: Database, core: ProfileCore) -> tuple[int, int]:
    """Adds a KEK version, rewraps every data key under it, and records the
    rotation in the ledger. Returns (new version, data keys rewrapped)."""
    previous = [v.version for v in core.keys.versions() if v.state == "active"]
    version = core.keys.add_version()
    count = rewrap_all(database, core)
    with database.transaction() as session:
        core.ledger.append(session, EntryKind.KEY_ROTATED, "", {
            "kek_version": version, "previous_versions": previous, "rewrapped": count})
    return version, count


def keys_per_version(session: Session) -> dict[int, int]:
    return {v: n for v, n in session.execute(select(CustomerKeyRow.kek_version, func.count())
                                             .group_by(CustomerKeyRow.kek_version))}


def retire_version(database: Database, core: ProfileCore, version: int) -> None:
    with database.transaction() as session:
        remaining = keys_per_version(session).get(version, 0)
    if remaining:
        raise FailedPrecondition("KEK_VERSION_IN_USE", "data keys are still wrapped with this version; rewrap first")
    core.keys.retire(version)


def purge_old_events(database: Database, config: ProfileConfig) -> int:
    cutoff = utcnow() - timedelta(days=config.event_retention_days)
    return database.run(lambda session: ProfileCore.purge_events(session, cutoff))


