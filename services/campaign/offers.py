"""The offer engine: consent first, then targeting, caps, holdouts, variants
and code issue; every decision is logged with the consent decision it rested on."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import grpc
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import to_timestamp, utcnow
from couponry_runtime.telemetry import Telemetry

from . import mapping
from .domain import CampaignState, Targeting, rank
from .peers import CodeIssueFailed, ConsentUnavailable, PeerClients
from .repository import CampaignRow, IssuedOfferRow, OfferDecisionRow

log = logging.getLogger("couponry.campaign.offers")

_SLOT_NAMESPACE = uuid.UUID("6f1d3c1e-2b7a-4c55-9a43-2f9e6d0c8a11")
_BUDGET_REASONS = {"PROMOTION_BUDGET_EXHAUSTED", "PROMOTION_LIMIT_REACHED"}


@dataclass
class Draft:
    """A decision being made, before it is logged."""

    decision_id: str
    channel: int
    subject_ref: str = ""
    consent_decision_id: str = ""
    consent_ledger_sequence: int = 0
    consent_reason: str = ""
    offers: list[pb.Offer] = field(default_factory=list)
    issued: list[tuple[pb.Offer, str]] = field(default_factory=list)
    reason: int = pb.NO_OFFER_REASON_UNSPECIFIED


class OfferEngine:
    def __init__(self, database, peers: PeerClients, telemetry: Telemetry) -> None:
        self.db = database
        self.peers = peers
        self.telemetry = telemetry

    def decide(self, customer_id: str, channel: int, max_offers: int, request_key: str) -> Draft:
        """Makes a decision; calls other services but writes nothing locally."""
        draft = Draft(decision_id=str(uuid.uuid4()), channel=channel)
        with self.telemetry.span("campaign.authorize_personalization"):
            try:
                consent = self.peers.authorize_personalization(customer_id, channel)
            except ConsentUnavailable:
                # Fail closed: without a decision from profile nothing personal happens.
                draft.reason = pb.NO_OFFER_REASON_CONSENT_UNAVAILABLE
                return draft
        draft.subject_ref = consent.subject_ref
        draft.consent_decision_id, draft.consent_ledger_sequence = consent.decision_id, consent.ledger_sequence
        draft.consent_reason = consent.reason
        if not consent.allowed:
            draft.reason = pb.NO_OFFER_REASON_CONSENT_DENIED
            return draft

        now = utcnow()
        with self.db.read() as session:
            rows = list(session.scalars(select(CampaignRow).where(CampaignRow.state == int(CampaignState.ACTIVE))))
            candidates = [(mapping.targeting(r), r) for r in rows]
        candidates = [(t, r) for t, r in candidates if t.live_at(now) and t.serves_channel(channel)]
        if not candidates:
            draft.reason = pb.NO_OFFER_REASON_NO_ELIGIBLE_CAMPAIGN
            return draft

        memberships: set[str] = set()
        segments_unavailable = False
        if any(t.segment_ids for t, _ in candidates):
            with self.telemetry.span("campaign.get_memberships"):
                try:
                    memberships = self.peers.memberships(consent.subject_ref)
                except grpc.RpcError:
                    segments_unavailable = True
        targeted = [(t, r) for t, r in candidates if t.targets(memberships)]
        if not targeted:
            draft.reason = (pb.NO_OFFER_REASON_SEGMENTS_UNAVAILABLE if segments_unavailable
                            else pb.NO_OFFER_REASON_NO_ELIGIBLE_CAMPAIGN)
            return draft

        rows_by_id = {t.campaign_id: r for t, r in targeted}
        skip_reasons: list[int] = []
        for target in rank([t for t, _ in targeted]):
            if len(draft.offers) >= max_offers:
                break
            if target.held_out(consent.subject_ref):
                skip_reasons.append(pb.NO_OFFER_REASON_HOLDOUT)
                continue
            # Retries of one request share one slot (and one code): concurrent
            # duplicates must not each take a place under the cap.
            slot = (str(uuid.uuid5(_SLOT_NAMESPACE, f"{request_key}:{target.campaign_id}")) if request_key
                    else str(uuid.uuid4()))
            if not self._reserve_cap_slot(target, draft, slot, now):
                skip_reasons.append(pb.NO_OFFER_REASON_FREQUENCY_CAPPED)
                continue
            offer = self._issue(target, rows_by_id[target.campaign_id], draft, channel, request_key)
            if isinstance(offer, int):
                self._release_cap_slot(slot)
                skip_reasons.append(offer)
                continue
            offer.offer_id = slot
            offer.rank = len(draft.offers) + 1
            draft.offers.append(offer)
        if not draft.offers:
            draft.reason = skip_reasons[0] if skip_reasons else pb.NO_OFFER_REASON_NO_ELIGIBLE_CAMPAIGN
            return draft
        self._confirm_consent(customer_id, channel, draft)
        return draft

    def _confirm_consent(self, customer_id: str, channel: int, draft: Draft) -> None:
        """Asks profile again once codes exist, before anything is handed out.

        Consent withdrawn while the codes were being issued may have reached
        redemption before the codes did, and its void would have missed them.
        Asking again after issue closes that window: a withdrawal before this
        answer is seen here, one after it finds the codes already minted.
        """
        with self.telemetry.span("campaign.confirm_consent"):
            try:
                consent = self.peers.authorize_personalization(customer_id, channel)
            except ConsentUnavailable:
                consent = None
        if consent is not None and consent.allowed:
            return
        if consent is not None:
            # Withdrawn meanwhile: the codes just minted must not stay usable.
            self.peers.void_subject_codes(draft.subject_ref, f"offers-withdrawn:{draft.decision_id}")
            draft.consent_reason = consent.reason
            draft.consent_decision_id, draft.consent_ledger_sequence = consent.decision_id, consent.ledger_sequence
        for offer in draft.offers:
            self._release_cap_slot(offer.offer_id)
        draft.offers.clear()
        draft.reason = (pb.NO_OFFER_REASON_CONSENT_DENIED if consent is not None
                        else pb.NO_OFFER_REASON_CONSENT_UNAVAILABLE)

    def _reserve_cap_slot(self, target: Targeting, draft: Draft, slot: str, now: datetime) -> bool:
        """Takes one of the subject's offers in the campaign's cap window, or refuses.

        The slot is an issued-offer row written before the code is asked for,
        so concurrent requests for one subject count each other and the cap
        holds under any interleaving. Requests for one subject and campaign
        are serialized by a transaction-scoped advisory lock on PostgreSQL;
        SQLite serializes every writer already.
        """
        window_start = target.cap_window_start(now)
        if window_start is None:
            return True
        with self.db.transaction() as session:
            if self.db.is_postgresql:
                key = int.from_bytes(hashlib.sha256(
                    f"cap|{target.campaign_id}|{draft.subject_ref}".encode()).digest()[:8], "big", signed=True)
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            if session.get(IssuedOfferRow, slot) is not None:
                return True  # taken by an earlier attempt at this same request
            recent = session.scalar(select(func.count()).select_from(IssuedOfferRow).where(
                IssuedOfferRow.subject_ref == draft.subject_ref, IssuedOfferRow.campaign_id == target.campaign_id,
                IssuedOfferRow.issue_time >= window_start))
            if recent >= target.cap_max_offers:
                return False
            session.add(IssuedOfferRow(offer_id=slot, decision_id=draft.decision_id, campaign_id=target.campaign_id,
                                       subject_ref=draft.subject_ref, code="", amount_minor=0, currency_code="",
                                       voided=False, issue_time=now, expire_time=None))
        return True

    def _release_cap_slot(self, slot: str) -> None:
        """No code was issued: the slot goes back."""
        self.db.run(lambda session: session.execute(delete(IssuedOfferRow).where(IssuedOfferRow.offer_id == slot)))

    def _issue(self, target: Targeting, row: CampaignRow, draft: Draft, channel: int, request_key: str):
        arm = target.choose_arm(draft.subject_ref)
        promotion_id = (row.promotion_ids or {}).get(arm.variant_id, "")
        arm_data = next(a for a in row.arms if a["variant_id"] == arm.variant_id)
        template = mapping.arm_offer(arm_data)
        validity = template.code_validity_hours or mapping.DEFAULT_CODE_VALIDITY_HOURS
        with self.telemetry.span("campaign.issue_code"):
            # A caller's request_id makes a retried request get the same codes;
            # without one, codes are keyed on this decision alone.
            key = f"offers:{request_key or draft.decision_id}:{target.campaign_id}"
            try:
                code = self.peers.issue_code(promotion_id, draft.subject_ref, validity, key)
            except CodeIssueFailed as failure:
                log.warning("code issue failed for campaign %s: %s", target.campaign_id, failure.reason)
                return (pb.NO_OFFER_REASON_BUDGET_EXHAUSTED if failure.reason in _BUDGET_REASONS
                        else pb.NO_OFFER_REASON_CODE_ISSUE_FAILED)
        expire = code.expire_time if code.HasField("expire_time") else to_timestamp(utcnow() + timedelta(hours=validity))
        offer = pb.Offer(campaign_id=target.campaign_id,
                         variant_id="" if arm.variant_id == mapping.DEFAULT_ARM else arm.variant_id,
                         code=code.code, discount=template.discount, expire_time=expire, channel=channel,
                         promotion_id=promotion_id)
        if template.HasField("minimum_order"):
            offer.minimum_order.CopyFrom(template.minimum_order)
        return offer

    def count(self, decision: pb.OfferDecision) -> None:
        instruments = self.telemetry.instruments
        instruments.offer_decisions.add(1, {
            "outcome": pb.DecisionOutcome.Name(decision.outcome),
            "reason": pb.NoOfferReason.Name(decision.reason)})
        if decision.offers:
            instruments.offers_issued.add(len(decision.offers), {"channel": money_pb2.Channel.Name(decision.channel)})

    def record(self, session: Session, draft: Draft) -> pb.OfferDecision:
        """Logs the decision and the offers it made, in the caller's transaction."""
        now = utcnow()
        decision = pb.OfferDecision(
            decision_id=draft.decision_id, subject_ref=draft.subject_ref,
            outcome=pb.DECISION_OUTCOME_OFFERED if draft.offers else pb.DECISION_OUTCOME_NO_OFFER,
            reason=pb.NO_OFFER_REASON_UNSPECIFIED if draft.offers else draft.reason,
            consent_decision_id=draft.consent_decision_id, consent_ledger_sequence=draft.consent_ledger_sequence,
            consent_reason=draft.consent_reason, offers=draft.offers, channel=draft.channel,
            decide_time=to_timestamp(now))
        row = OfferDecisionRow(decision_id=draft.decision_id, subject_ref=draft.subject_ref, outcome=decision.outcome,
                               channel=draft.channel, decide_time=now, record=b"")
        session.add(row)
        session.flush()
        decision.sequence = row.sequence
        row.record = decision.SerializeToString()
        for offer in draft.offers:
            amount = offer.discount.amount if offer.discount.type == money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT else None
            # merge: the row exists already where a frequency-cap slot was taken for it.
            session.merge(IssuedOfferRow(
                offer_id=offer.offer_id, decision_id=draft.decision_id, campaign_id=offer.campaign_id,
                subject_ref=draft.subject_ref, code=offer.code, amount_minor=amount.amount_minor if amount else 0,
                currency_code=amount.currency_code if amount else "", voided=False, issue_time=now,
                expire_time=offer.expire_time.ToDatetime() if offer.HasField("expire_time") else None))
        return decision


def load_decision(row: OfferDecisionRow) -> pb.OfferDecision:
    decision = pb.OfferDecision()
    decision.ParseFromString(row.record)
    return decision


def void_subject_offers(session: Session, subject_ref: str) -> tuple[int, int, str]:
    """Marks the subject's outstanding offers void; returns (count, fixed value, currency)."""
    now = utcnow()
    rows = list(session.scalars(select(IssuedOfferRow).where(
        IssuedOfferRow.subject_ref == subject_ref, IssuedOfferRow.voided.is_(False))))
    live = [r for r in rows if r.expire_time is None or r.expire_time.replace(tzinfo=now.tzinfo) > now]
    session.execute(update(IssuedOfferRow).where(IssuedOfferRow.subject_ref == subject_ref).values(voided=True))
    currencies = {r.currency_code for r in live if r.currency_code}
    currency = currencies.pop() if len(currencies) == 1 else ""
    return len(live), sum(r.amount_minor for r in live) if currency else 0, currency
