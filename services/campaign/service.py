"""Campaign use cases: create, read, update, delete and the lifecycle."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry_runtime.convert import utcnow
from couponry_runtime.errors import FailedPrecondition, NotFound

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


def register_promotions(session: Session, campaign_id: str, peers: PeerClients) -> dict[str, str]:
    """Registers one promotion per arm with the redemption service.

    Request ids derive from the campaign and arm, so a retried activation
    finds the promotions it registered before instead of creating more.
    """
    row = get(session, campaign_id)
    check_transition(CampaignState(row.state), CampaignState.ACTIVE)
    promotions = dict(row.promotion_ids or {})
    for arm in row.arms:
        if arm["variant_id"] not in promotions:
            promotions[arm["variant_id"]] = peers.register_promotion(
                mapping.promotion_for(row, arm), f"activate:{row.campaign_id}:{arm['variant_id']}")
    return promotions


def transition(session: Session, campaign_id: str, target: CampaignState,
               promotions: dict[str, str] | None = None) -> CampaignRow:
    row = get(session, campaign_id, for_update=True)
    if row.state == target:
        return row
    check_transition(CampaignState(row.state), target)
    row.state = int(target)
    if promotions is not None:
        row.promotion_ids = promotions
    if target == CampaignState.ACTIVE and row.start_time is None:
        row.start_time = utcnow()
    row.update_time = utcnow()
    return row
