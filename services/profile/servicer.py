"""gRPC edge of the profile service: protobuf <-> domain, nothing more.

Validation messages name fields, never values; personal data leaves this
module only inside response messages, and only where a view asks for it.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timedelta

from opentelemetry import trace

from couponry.profile.v1 import consent_pb2 as cpb
from couponry.profile.v1 import customer_pb2 as pb
from couponry.profile.v1 import profile_service_pb2 as api
from couponry.profile.v1 import profile_service_pb2_grpc as api_grpc
from couponry_runtime.convert import from_timestamp, to_timestamp, utcnow
from couponry_runtime.db import Database
from couponry_runtime.errors import DomainError, FieldViolation, InvalidArgument
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.pagination import decode_token, encode_token, page_size
from couponry_runtime.telemetry import Telemetry
from couponry_runtime.validation import Violations, require_fields

from .domain import (
    PERSONAL_FIELDS,
    Channel,
    ConsentSource,
    ConsentState,
    EventType,
    Evidence,
    PersonalData,
    Purpose,
    normalize_email,
    normalize_phone,
    valid_email,
    valid_language,
    valid_phone,
)
from .repository import ConsentRow, CustomerRow, LedgerCheckpointRow, LedgerEntryRow
from .service import NewEvent, ProfileCore, customer_not_found, validate_personal

MAX_ID = 128
MAX_EVIDENCE_TEXT = 64
MAX_ACTOR = 128
MAX_CATEGORIES = 20
MAX_CATEGORY = 64
STREAM_BATCH = 200
UPDATABLE = set(PERSONAL_FIELDS) | {"preferred_channel", "language_code"}


# -- conversions ----------------------------------------------------------------

def customer_to_proto(row: CustomerRow, data: PersonalData | None = None) -> pb.Customer:
    customer = pb.Customer(customer_id=row.customer_id, subject_ref=row.subject_ref,
                           preferred_channel=row.preferred_channel, language_code=row.language_code,
                           create_time=to_timestamp(row.create_time), update_time=to_timestamp(row.update_time))
    if data is not None:
        customer.external_id = data.external_id
        customer.email = data.email
        customer.phone = data.phone
        customer.given_name = data.given_name
        customer.family_name = data.family_name
        customer.birth_date = data.birth_date
        customer.country_code = data.country_code
        customer.attributes.update(data.attributes)
    return customer


def personal_from_proto(customer: pb.Customer) -> PersonalData:
    return PersonalData(external_id=customer.external_id, email=customer.email, phone=customer.phone,
                        given_name=customer.given_name, family_name=customer.family_name,
                        birth_date=customer.birth_date, country_code=customer.country_code,
                        attributes=dict(customer.attributes))


def evidence_to_proto(source: int, notice_version: str, actor: str, capture_time, expire_time) -> cpb.ConsentEvidence:
    return cpb.ConsentEvidence(source=source, notice_version=notice_version, actor=actor,
                               capture_time=to_timestamp(capture_time), expire_time=to_timestamp(expire_time))


def consent_to_proto(row: ConsentRow) -> cpb.ConsentRecord:
    return cpb.ConsentRecord(purpose=row.purpose, channel=row.channel, state=row.state,
                             evidence=evidence_to_proto(row.source, row.notice_version, row.actor, row.capture_time,
                                                        row.expire_time),
                             ledger_sequence=row.ledger_sequence)


def opt_out_to_proto(row: CustomerRow) -> cpb.OptOutStatus:
    status = cpb.OptOutStatus(opted_out=row.opted_out, ledger_sequence=row.opt_out_sequence)
    evidence = row.opt_out_evidence
    if evidence:
        status.evidence.CopyFrom(evidence_to_proto(
            ConsentSource[evidence["source"]].value, evidence["notice_version"], evidence["actor"],
            datetime.fromisoformat(evidence["capture_time"].replace("Z", "+00:00")),
            datetime.fromisoformat(evidence["expire_time"].replace("Z", "+00:00")) if evidence.get("expire_time")
            else None))
    return status


def entry_to_proto(row: LedgerEntryRow) -> cpb.LedgerEntry:
    return cpb.LedgerEntry(sequence=row.sequence, subject_ref=row.subject_ref, kind=row.kind,
                           payload_json=row.payload_json, record_time=to_timestamp(row.record_time),
                           previous_hash=row.previous_hash, entry_hash=row.entry_hash)


def checkpoint_to_proto(row: LedgerCheckpointRow) -> cpb.LedgerCheckpoint:
    return cpb.LedgerCheckpoint(sequence=row.sequence, head_hash=row.head_hash, signature=bytes(row.signature),
                                key_id=row.key_id, public_key=bytes(row.public_key),
                                create_time=to_timestamp(row.create_time))


# The actor and notice version are written to the ledger, which is never
# edited and survives erasure, so they must not be able to carry personal data:
# an identifier such as "customer", "privacy-desk" or "agent:7" passes; names
# with spaces, e-mail addresses and anything holding a phone-length run of
# digits do not.
ACTOR = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,127}")  # MAX_ACTOR characters
NOTICE_VERSION = re.compile(r"[A-Za-z0-9._-]{0,64}")
PHONE_LIKE = re.compile(r"\d{7,}")


def is_actor_identifier(actor: str) -> bool:
    return bool(ACTOR.fullmatch(actor)) and not PHONE_LIKE.search(actor)


def evidence_from_proto(message: cpb.ConsentEvidence, field: str, violations: Violations, has: bool) -> Evidence | None:
    now = utcnow()
    if not violations.check(has, field, "is required", "MISSING_FIELD"):
        return None
    ok = violations.enum(cpb.ConsentSource, message.source, f"{field}.source")
    ok &= violations.check(bool(NOTICE_VERSION.fullmatch(message.notice_version)), f"{field}.notice_version",
                           "letters, digits, '.', '_' or '-', at most 64", "INVALID_NOTICE_VERSION")
    actor = message.actor.strip()
    ok &= violations.check(not actor or is_actor_identifier(actor), f"{field}.actor",
                           "must be a role or system identifier, not personal data", "PERSONAL_DATA_IN_ACTOR")
    capture = from_timestamp(message.capture_time, message.HasField("capture_time")) or now
    ok &= violations.check(capture <= now + timedelta(minutes=5), f"{field}.capture_time",
                           "must not be in the future", "CAPTURE_TIME_IN_FUTURE")
    expire = from_timestamp(message.expire_time, message.HasField("expire_time"))
    if expire is not None:
        ok &= violations.check(expire > now, f"{field}.expire_time", "must be in the future", "EXPIRY_IN_PAST")
    if not ok:
        return None
    return Evidence(ConsentSource(message.source), message.notice_version, actor or "unspecified", capture, expire)


def _purpose(value: int, field: str, violations: Violations) -> Purpose | None:
    if value == 0:
        violations.add(field, "is required", "MISSING_FIELD")
        return None
    if value not in cpb.Purpose.values():
        violations.add(field, "is not a known purpose", "UNKNOWN_PURPOSE")
        return None
    return Purpose(value)


def _channel(value: int, field: str, violations: Violations) -> Channel | None:
    if value == 0:
        violations.add(field, "is required", "MISSING_FIELD")
        return None
    if value not in [int(c) for c in Channel]:
        violations.add(field, "is not a known channel", "UNKNOWN_CHANNEL")
        return None
    return Channel(value)


def _first_reason(violations: Violations) -> str:
    """The ErrorInfo reason of a bad request: the first specific field reason."""
    for item in violations.items:
        if item.reason not in ("", "INVALID_FIELD", "MISSING_FIELD"):
            return item.reason
    if any(item.reason == "MISSING_FIELD" for item in violations.items):
        return "MISSING_FIELD"
    return "INVALID_REQUEST"


def _raise(violations: Violations) -> None:
    if violations.items:
        violations.raise_if_any(_first_reason(violations))


class ProfileServicer(api_grpc.ProfileServiceServicer):
    def __init__(self, database: Database, idempotency: IdempotentWrites, core: ProfileCore,
                 telemetry: Telemetry | None = None, on_outbox=lambda: None) -> None:
        self.db = database
        self.idempotency = idempotency
        self.core = core
        self.telemetry = telemetry
        self.on_outbox = on_outbox
        self.counters = {"accepted": 0, "dropped": 0, "duplicate": 0, "rejected": 0}
        self._counter_lock = threading.Lock()

    def _count(self, **increments: int) -> None:
        with self._counter_lock:
            for name, value in increments.items():
                self.counters[name] += value
        if self.telemetry is not None:
            for name, value in increments.items():
                if value:
                    self.telemetry.instruments.interaction_events.add(value, {"disposition": name})

    # -- customers ------------------------------------------------------------

    def CreateCustomer(self, request, context):
        violations = Violations()
        data = personal_from_proto(request.customer)
        validate_personal(data, violations, "customer", PERSONAL_FIELDS)
        self._check_preferences(request.customer, violations, "customer", {"preferred_channel", "language_code"})
        _raise(violations)

        def work(session):
            row = self.core.create_customer(session, data, request.customer.preferred_channel,
                                            request.customer.language_code)
            return api.CreateCustomerResponse(customer=customer_to_proto(row))
        return self.idempotency.run("CreateCustomer", request, api.CreateCustomerResponse, work)

    @staticmethod
    def _check_preferences(customer: pb.Customer, violations: Violations, prefix: str, names: set[str]) -> None:
        from couponry.type.v1.money_pb2 import Channel as ChannelEnum
        if "preferred_channel" in names and violations.enum(ChannelEnum, customer.preferred_channel,
                                                            f"{prefix}.preferred_channel", required=False):
            violations.check(customer.preferred_channel != int(Channel.ALL), f"{prefix}.preferred_channel",
                             "must be one channel, not CHANNEL_ALL")
        if "language_code" in names and customer.language_code:
            violations.check(valid_language(customer.language_code), f"{prefix}.language_code",
                             "must be a BCP 47 tag such as de-DE", "INVALID_LANGUAGE")

    def GetCustomer(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        violations.enum(pb.CustomerView, request.view, "view", required=False)
        _raise(violations)
        with self.db.read() as session:
            if request.view == pb.CUSTOMER_VIEW_FULL:
                row, data = self.core.get_customer_full(session, request.customer_id)
            else:
                row, data = self.core.get_customer(session, request.customer_id), None
            return api.GetCustomerResponse(customer=customer_to_proto(row, data))

    def UpdateCustomer(self, request, context):
        violations = Violations()
        violations.required(request.customer.customer_id, "customer.customer_id")
        paths = set(request.update_mask.paths)
        violations.check(bool(paths), "update_mask", "must name at least one field", "MISSING_FIELD")
        # The offending paths are not echoed: in this service nothing a caller
        # sent is repeated back in an error.
        for _path in sorted(paths - UPDATABLE):
            violations.add("update_mask", "names a field that cannot be updated", "UNKNOWN_FIELD")
        personal = paths & set(PERSONAL_FIELDS)
        data = personal_from_proto(request.customer)
        validate_personal(data, violations, "customer", personal)
        self._check_preferences(request.customer, violations, "customer", paths)
        _raise(violations)
        plain = {name: getattr(request.customer, name) for name in paths - personal}

        def work(session):
            row = self.core.update_customer(session, request.customer.customer_id, data, personal, plain)
            return api.UpdateCustomerResponse(customer=customer_to_proto(row))
        return self.idempotency.run("UpdateCustomer", request, api.UpdateCustomerResponse, work)

    def DeleteCustomer(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        violations.check(not request.actor.strip() or is_actor_identifier(request.actor.strip()), "actor",
                         "must be a role or system identifier, not personal data", "PERSONAL_DATA_IN_ACTOR")
        _raise(violations)

        self.core.flush_decisions()

        def work(session):
            row, entry = self.core.erase(session, request.customer_id, request.actor.strip() or "unspecified")
            return api.DeleteCustomerResponse(receipt=cpb.ShredReceipt(
                subject_ref=row.subject_ref, ledger_sequence=entry.sequence, shred_time=to_timestamp(row.erase_time)))
        response = self.idempotency.run("DeleteCustomer", request, api.DeleteCustomerResponse, work)
        self.on_outbox()
        return response

    def FindCustomer(self, request, context):
        violations = Violations()
        which = request.WhichOneof("lookup")
        if which == "email":
            value = normalize_email(request.email)
            violations.check(valid_email(value), "email", "is not a valid e-mail address", "INVALID_EMAIL")
        elif which == "phone":
            value = normalize_phone(request.phone)
            violations.check(valid_phone(value), "phone", "must be an E.164 number", "INVALID_PHONE")
        else:
            violations.add("lookup", "set email or phone", "MISSING_FIELD")
        _raise(violations)
        with self.db.read() as session:
            return api.FindCustomerResponse(customer=customer_to_proto(self.core.find_customer(session, which, value)))

    # -- consent ----------------------------------------------------------------

    def SetConsent(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        purpose = _purpose(request.purpose, "purpose", violations)
        channel = _channel(request.channel, "channel", violations)
        ok_state = violations.enum(cpb.ConsentState, request.state, "state")
        evidence = evidence_from_proto(request.evidence, "evidence", violations, request.HasField("evidence"))
        _raise(violations)
        state = ConsentState(request.state) if ok_state else None

        def work(session):
            row = self.core.set_consent(session, request.customer_id, purpose, channel, state, evidence)
            return api.SetConsentResponse(consent=consent_to_proto(row))
        response = self.idempotency.run("SetConsent", request, api.SetConsentResponse, work)
        self.on_outbox()
        return response

    def GetConsent(self, request, context):
        require_fields({"customer_id": request.customer_id})
        with self.db.read() as session:
            row = self.core.get_customer(session, request.customer_id)
            return api.GetConsentResponse(summary=cpb.ConsentSummary(
                customer_id=row.customer_id, subject_ref=row.subject_ref,
                consents=[consent_to_proto(c) for c in self.core.consents(session, row.customer_id)],
                opt_out=opt_out_to_proto(row), gpc_signal=row.gpc_signal))

    def ListConsentHistory(self, request, context):
        require_fields({"customer_id": request.customer_id})
        limit = page_size(request.page_size)
        after = int(decode_token(request.page_token).get("after", 0))
        with self.db.read() as session:
            row = session.get(CustomerRow, request.customer_id)
            if row is None:
                raise customer_not_found()
            rows = self.core.ledger_page(session, after, limit, subject_ref=row.subject_ref)
        page = rows[:limit]
        token = encode_token({"after": page[-1].sequence}) if len(rows) > limit else ""
        return api.ListConsentHistoryResponse(entries=[entry_to_proto(r) for r in page], next_page_token=token)

    def SetOptOut(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        evidence = evidence_from_proto(request.evidence, "evidence", violations, request.HasField("evidence"))
        _raise(violations)

        def work(session):
            row = self.core.set_opt_out(session, request.customer_id, request.opted_out, evidence)
            return api.SetOptOutResponse(opt_out=opt_out_to_proto(row))
        response = self.idempotency.run("SetOptOut", request, api.SetOptOutResponse, work)
        self.on_outbox()
        return response

    def AuthorizePersonalization(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        purpose = _purpose(request.purpose, "purpose", violations)
        channel = _channel(request.channel, "channel", violations)
        _raise(violations)
        # With the batched decision log nothing is written here, so the check
        # reads a snapshot and never queues behind SQLite's write lock.
        with (self.db.read() if self.core.decisions is not None else self.db.transaction()) as session:
            row, decision, decision_id, now = self.core.authorize(session, request.customer_id, purpose, channel)
            erased = row.erase_time is not None
            response = api.AuthorizePersonalizationResponse(decision=cpb.PersonalizationDecision(
                decision_id=decision_id, allowed=decision.allowed, reason=int(decision.reason),
                subject_ref="" if erased else row.subject_ref, purpose=int(purpose), channel=int(channel),
                allowed_channels=[int(c) for c in decision.allowed_channels],
                ledger_sequence=row.last_ledger_sequence, decide_time=to_timestamp(now)))
        # On the RPC's own span and in metrics: why, never who.
        attributes = {"couponry.purpose": purpose.name, "couponry.channel": channel.name,
                      "couponry.decision.allowed": decision.allowed, "couponry.decision.reason": decision.reason.name}
        trace.get_current_span().set_attributes(attributes)
        if self.telemetry is not None:
            self.telemetry.instruments.consent_decisions.add(1, attributes)
        return response

    # -- interaction events -----------------------------------------------------------

    @staticmethod
    def _event(event: pb.InteractionEvent, field: str, violations: Violations) -> NewEvent | None:
        ok = violations.required(event.event_id, f"{field}.event_id")
        ok &= violations.check(len(event.event_id) <= MAX_ID, f"{field}.event_id", f"at most {MAX_ID} characters")
        ok &= violations.required(event.customer_id, f"{field}.customer_id")
        ok &= violations.enum(pb.EventType, event.type, f"{field}.type")
        has_amount = event.HasField("amount")
        ok &= violations.money(event.amount if has_amount else None, f"{field}.amount",
                               required=event.type == pb.EVENT_TYPE_PURCHASE)
        ok &= violations.check(len(event.product_id) <= MAX_ID, f"{field}.product_id", f"at most {MAX_ID} characters")
        ok &= violations.check(len(event.categories) <= MAX_CATEGORIES and
                               all(0 < len(c) <= MAX_CATEGORY for c in event.categories),
                               f"{field}.categories", f"at most {MAX_CATEGORIES} non-empty categories of at most "
                               f"{MAX_CATEGORY} characters")
        now = utcnow()
        occur = from_timestamp(event.occur_time, event.HasField("occur_time")) or now
        ok &= violations.check(occur <= now + timedelta(hours=1), f"{field}.occur_time", "must not be in the future",
                               "OCCUR_TIME_IN_FUTURE")
        if not ok:
            return None
        return NewEvent(event.event_id, event.customer_id, EventType(event.type), occur, event.product_id,
                        tuple(event.categories), event.amount.amount_minor if has_amount else 0,
                        event.amount.currency_code if has_amount else "")

    def RecordInteraction(self, request, context):
        violations = Violations()
        event = self._event(request.event, "event", violations)
        if violations.items:
            self._count(rejected=1)
        _raise(violations)
        disposition = self.db.run(lambda session: self.core.record_event(session, event))
        self._count(**{disposition: 1})
        if disposition == "accepted":
            self.on_outbox()
        return api.RecordInteractionResponse(disposition={
            "accepted": pb.EVENT_DISPOSITION_ACCEPTED, "dropped": pb.EVENT_DISPOSITION_DROPPED_NO_CONSENT,
            "duplicate": pb.EVENT_DISPOSITION_DUPLICATE}[disposition])

    def StreamInteractions(self, request_iterator, context):
        counts = {"accepted": 0, "dropped": 0, "duplicate": 0, "rejected": 0}
        batch: list[NewEvent] = []

        def flush():
            if not batch:
                return

            def work(session):
                cache: dict = {}
                local = {"accepted": 0, "dropped": 0, "duplicate": 0, "rejected": 0}
                for item in batch:
                    try:
                        local[self.core.record_event(session, item, cache)] += 1
                    except DomainError:
                        local["rejected"] += 1
                return local
            for name, value in self.db.run(work).items():
                counts[name] += value
            batch.clear()

        for message in request_iterator:
            violations = Violations()
            event = self._event(message.event, "event", violations)
            if event is None:
                counts["rejected"] += 1
                continue
            batch.append(event)
            if len(batch) >= STREAM_BATCH:
                flush()
        flush()
        self._count(**counts)
        if counts["accepted"]:
            self.on_outbox()
        return api.StreamInteractionsResponse(accepted_count=counts["accepted"],
                                              dropped_no_consent_count=counts["dropped"],
                                              duplicate_count=counts["duplicate"],
                                              rejected_count=counts["rejected"])

    # -- data subject rights ------------------------------------------------------------

    def ExportSubjectData(self, request, context):
        require_fields({"customer_id": request.customer_id})
        self.core.flush_decisions()
        with self.db.read() as session:
            document = self.core.export(session, request.customer_id)
        return api.ExportSubjectDataResponse(
            document_json=json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True),
            export_time=to_timestamp(utcnow()))

    # -- the ledger ---------------------------------------------------------------------

    def ListLedgerEntries(self, request, context):
        limit = page_size(request.page_size)
        start = from_timestamp(request.start_time, request.HasField("start_time"))
        end = from_timestamp(request.end_time, request.HasField("end_time"))
        if start and end and end < start:
            raise InvalidArgument("INVALID_TIME_RANGE", "end_time is before start_time",
                                  field_violations=[FieldViolation("end_time", "must not be before start_time")])
        after = int(decode_token(request.page_token).get("after", 0))
        with self.db.read() as session:
            rows = self.core.ledger_page(session, after, limit, subject_ref=request.subject_ref or None,
                                         start=start, end=end)
        page = rows[:limit]
        token = encode_token({"after": page[-1].sequence}) if len(rows) > limit else ""
        return api.ListLedgerEntriesResponse(entries=[entry_to_proto(r) for r in page], next_page_token=token)

    def VerifyLedger(self, request, context):
        with self.db.read() as session:
            result = self.core.ledger.verify(session)
        return api.VerifyLedgerResponse(
            valid=result.valid, entries_checked=result.entries_checked,
            checkpoints_checked=result.checkpoints_checked, head_sequence=result.head_sequence,
            head_hash=result.head_hash,
            violations=[cpb.LedgerViolation(sequence=s, kind=k) for s, k in result.violations])

    def CreateLedgerCheckpoint(self, request, context):
        def work(session):
            return api.CreateLedgerCheckpointResponse(checkpoint=checkpoint_to_proto(self.core.ledger.checkpoint(session)))
        return self.idempotency.run("CreateLedgerCheckpoint", request, api.CreateLedgerCheckpointResponse, work)


