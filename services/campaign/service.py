"""Campaign use cases: create, read, update, delete and the lifecycle."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry_runtime.convert import utcnow
from couponry_runtime.errors import Aborted, FailedPrecondition, NotFound

from . import mapping
from .domain import CampaignState, check_transition
from .peers import PeerClients
from .repository import CampaignRow

# Fields an update may name, and the lifecycle states in which it may.
UPDATABLE = {"display_name", "description", "channels", "segment_ids", "start_time", "end_time", "priority",
             "holdout_percent", "frequency_cap", "offer", "variants"}


def get(session: Session, campaign_id: str, *, for_update: bool = False) -> CampaignRow:
    query = select(CampaignRow).where(CampaignRow.campaign_id == campaign_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound("CAMPAIGN_NOT_FOUND", "no such campaign", metadata={"campaign_id": campaign_id})
    return row


def create(session: Session, campaign: pb.Campaign) -> CampaignRow:
    row = mapping.new_row(campaign, CampaignState.DRAFT)
    session.add(row)
    return row


def update(session: Session, campaign: pb.Campaign, paths: set[str]) -> CampaignRow:
    row = get(session, campaign.campaign_id, for_update=True)
    if row.state not in (CampaignState.DRAFT, CampaignState.PAUSED):
        raise FailedPrecondition("CAMPAIGN_NOT_EDITABLE", "only draft or paused campaigns can be edited")
    if row.state == CampaignState.PAUSED and paths & {"offer", "variants"}:
        raise FailedPrecondition("CAMPAIGN_NOT_EDITABLE", "offer terms are fixed once a campaign has been activated")
    mapping.apply_to_row(row, campaign, paths)
    row.update_time = utcnow()
    return row


def delete(session: Session, campaign_id: str) -> None:
    row = get(session, campaign_id, for_update=True)
    if row.state != CampaignState.DRAFT:
        raise FailedPrecondition("CAMPAIGN_NOT_DRAFT", "only draft campaigns can be deleted; end it instead")
    session.delete(row)


def list_page(session: Session, state: int, after: tuple[str, str] | None, limit: int) -> list[CampaignRow]:
    query = select(CampaignRow).order_by(CampaignRow.create_time, CampaignRow.campaign_id)
    if state:
        query = query.where(CampaignRow.state == state)
    rows = list(session.scalars(query))
    if after:
        rows = [r for r in rows if (r.create_time.isoformat(), r.campaign_id) > after]
    return rows[: limit + 1]


def promotion_terms(row: CampaignRow) -> dict[str, object]:
    """The promotion each arm registers with redemption, by arm."""
    return {arm["variant_id"]: mapping.promotion_for(row, arm) for arm in row.arms}


def terms_fingerprint(row: CampaignRow) -> str:
    digest = hashlib.sha256()
    for arm_id, promotion in sorted(promotion_terms(row).items()):
        digest.update(arm_id.encode() + b"\0" + promotion.SerializeToString(deterministic=True) + b"\0")
    return digest.hexdigest()


def register_promotions(session: Session, campaign_id: str, peers: PeerClients) -> tuple[dict[str, str], str]:
    """Registers one promotion per arm with the redemption service.

    Returns the promotion ids and the fingerprint of the terms registered, for
    `transition` to check that nothing changed meanwhile. Request ids derive
    from the campaign, the arm and its terms, so a retried activation finds
    the promotions it registered before, and one retried after an edit
    registers the edited terms instead of colliding with the old ones.
    """
    row = get(session, campaign_id)
    check_transition(CampaignState(row.state), CampaignState.ACTIVE)
    promotions = dict(row.promotion_ids or {})
    for arm_id, promotion in promotion_terms(row).items():
        if arm_id not in promotions:
            terms = hashlib.sha256(promotion.SerializeToString(deterministic=True)).hexdigest()[:16]
            promotions[arm_id] = peers.register_promotion(promotion, f"activate:{row.campaign_id}:{arm_id}:{terms}")
    return promotions, terms_fingerprint(row)


def transition(session: Session, campaign_id: str, target: CampaignState,
               promotions: dict[str, str] | None = None, registered_terms: str | None = None) -> CampaignRow:
    row = get(session, campaign_id, for_update=True)
    if row.state == target:
        return row
    check_transition(CampaignState(row.state), target)
    if registered_terms is not None and terms_fingerprint(row) != registered_terms:
        # Edited while its promotions were being registered: the offer would
        # promise other terms than redemption applies.
        raise Aborted("CAMPAIGN_CHANGED", "the campaign changed during activation; activate it again")
    row.state = int(target)
    if promotions is not None:
        row.promotion_ids = promotions
    if target == CampaignState.ACTIVE and row.start_time is None:
        row.start_time = utcnow()
    row.update_time = utcnow()
    return row
