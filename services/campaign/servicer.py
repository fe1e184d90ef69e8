"""gRPC edge of the campaign service: protobuf <-> use cases, nothing more."""

from __future__ import annotations

import time

from sqlalchemy import select

from couponry.campaign.v1 import campaign_pb2 as pb
from couponry.campaign.v1 import campaign_service_pb2 as api
from couponry.campaign.v1 import campaign_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import from_timestamp
from couponry_runtime.errors import NotFound
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.pagination import decode_token, encode_token, page_size
from couponry_runtime.validation import Violations, require_fields

from . import mapping, service
from .domain import CampaignState
from .offers import OfferEngine, load_decision, void_subject_offers
from .peers import PeerClients
from .repository import OfferDecisionRow

MAX_OFFERS = 10
WATCH_POLL_SECONDS = 0.2
WATCH_BATCH = 100


class CampaignServicer(api_grpc.CampaignServiceServicer):
    def __init__(self, database, idempotency: IdempotentWrites, peers: PeerClients, engine: OfferEngine) -> None:
        self.db = database
        self.idempotency = idempotency
        self.peers = peers
        self.engine = engine

    # -- campaigns -----------------------------------------------------------

    def CreateCampaign(self, request, context):
        violations = Violations()
        mapping.validate_campaign(request.campaign, violations)
        violations.raise_if_any()

        def work(session):
            row = service.create(session, request.campaign)
            session.flush()
            return api.CreateCampaignResponse(campaign=mapping.to_proto(row))
        return self.idempotency.run("CreateCampaign", request, api.CreateCampaignResponse, work)

    def GetCampaign(self, request, context):
        require_fields({"campaign_id": request.campaign_id})
        with self.db.read() as session:
            return api.GetCampaignResponse(campaign=mapping.to_proto(service.get(session, request.campaign_id)))

    def ListCampaigns(self, request, context):
        violations = Violations()
        violations.enum(pb.CampaignState, request.state, "state", required=False)
        violations.raise_if_any()
        limit = page_size(request.page_size)
        cursor = decode_token(request.page_token)
        after = (cursor["t"], cursor["id"]) if cursor else None
        with self.db.read() as session:
            rows = service.list_page(session, request.state, after, limit)
        page = rows[:limit]
        token = encode_token({"t": page[-1].create_time.isoformat(), "id": page[-1].campaign_id}) if len(rows) > limit else ""
        return api.ListCampaignsResponse(campaigns=[mapping.to_proto(r) for r in page], next_page_token=token)

    def UpdateCampaign(self, request, context):
        violations = Violations()
        violations.required(request.campaign.campaign_id, "campaign.campaign_id")
        paths = set(request.update_mask.paths)
        violations.check(bool(paths), "update_mask", "must name at least one field", "MISSING_FIELD")
        for path in paths - service.UPDATABLE:
            violations.add("update_mask", f"cannot update {path!r}", "UNKNOWN_FIELD")
        violations.raise_if_any()

        def work(session):
            row = service.update(session, request.campaign, paths)
            check = Violations()
            mapping.validate_campaign(mapping.to_proto(row), check)
            check.raise_if_any()  # the merged campaign must still be valid; rolls back if not
            return api.UpdateCampaignResponse(campaign=mapping.to_proto(row))
        return self.idempotency.run("UpdateCampaign", request, api.UpdateCampaignResponse, work)

    def DeleteCampaign(self, request, context):
        require_fields({"campaign_id": request.campaign_id})

        def work(session):
            service.delete(session, request.campaign_id)
            return api.DeleteCampaignResponse()
        return self.idempotency.run("DeleteCampaign", request, api.DeleteCampaignResponse, work)

    def ActivateCampaign(self, request, context):
        require_fields({"campaign_id": request.campaign_id})
        replayed = self.idempotency.replay("ActivateCampaign", request, api.ActivateCampaignResponse)
        if replayed is not None:
            return replayed
        # Registration calls redemption: read only, so no write lock is held
        # across those calls; `transition` re-checks the terms under a row lock.
        with self.db.read() as session:
            promotions, terms = service.register_promotions(session, request.campaign_id, self.peers)

        def work(session):
            row = service.transition(session, request.campaign_id, CampaignState.ACTIVE, promotions, terms)
            return api.ActivateCampaignResponse(campaign=mapping.to_proto(row))
        return self.idempotency.run("ActivateCampaign", request, api.ActivateCampaignResponse, work)

    def PauseCampaign(self, request, context):
        return self._move(request, CampaignState.PAUSED, "PauseCampaign", api.PauseCampaignResponse)

    def EndCampaign(self, request, context):
        return self._move(request, CampaignState.ENDED, "EndCampaign", api.EndCampaignResponse)

    def _move(self, request, target: CampaignState, method: str, response_type):
        require_fields({"campaign_id": request.campaign_id})

        def work(session):
            row = service.transition(session, request.campaign_id, target)
            return response_type(campaign=mapping.to_proto(row))
        return self.idempotency.run(method, request, response_type, work)

    # -- offers --------------------------------------------------------------

    def GetPersonalizedOffers(self, request, context):
        violations = Violations()
        violations.required(request.customer_id, "customer_id")
        if violations.enum(money_pb2.Channel, request.channel, "channel"):
            violations.check(request.channel != money_pb2.CHANNEL_ALL, "channel", "must be one concrete channel")
        violations.check(0 <= request.max_offers <= MAX_OFFERS, "max_offers", f"must be between 0 and {MAX_OFFERS}")
        if request.context.HasField("cart_value"):
            violations.money(request.context.cart_value, "context.cart_value")
        violations.raise_if_any()
        replayed = self.idempotency.replay("GetPersonalizedOffers", request, api.GetPersonalizedOffersResponse)
        if replayed is not None:
            return replayed
        draft = self.engine.decide(request.customer_id, request.channel, request.max_offers or 1,
                                   request.request_id)

        def work(session):
            decision = self.engine.record(session, draft)
            return api.GetPersonalizedOffersResponse(offers=decision.offers, decision=decision)
        response = self.idempotency.run("GetPersonalizedOffers", request, api.GetPersonalizedOffersResponse, work)
        self.engine.count(response.decision)
        return response

    def GetOfferDecision(self, request, context):
        require_fields({"decision_id": request.decision_id})
        with self.db.read() as session:
            row = session.scalars(select(OfferDecisionRow).where(OfferDecisionRow.decision_id == request.decision_id)).first()
        if row is None:
            raise NotFound("DECISION_NOT_FOUND", "no such offer decision")
        return api.GetOfferDecisionResponse(decision=load_decision(row))

    def ListOfferDecisions(self, request, context):
        limit = page_size(request.page_size)
        after = int(decode_token(request.page_token).get("seq", 0))
        query = select(OfferDecisionRow).where(OfferDecisionRow.sequence > after)
        if request.subject_ref:
            query = query.where(OfferDecisionRow.subject_ref == request.subject_ref)
        if request.HasField("start_time"):
            query = query.where(OfferDecisionRow.decide_time >= from_timestamp(request.start_time))
        if request.HasField("end_time"):
            query = query.where(OfferDecisionRow.decide_time < from_timestamp(request.end_time))
        with self.db.read() as session:
            rows = list(session.scalars(query.order_by(OfferDecisionRow.sequence).limit(limit + 1)))
        page = rows[:limit]
        token = encode_token({"seq": page[-1].sequence}) if len(rows) > limit else ""
        return api.ListOfferDecisionsResponse(decisions=[load_decision(r) for r in page], next_page_token=token)

    def WatchOffers(self, request, context):
        violations = Violations()
        violations.enum(money_pb2.Channel, request.channel, "channel", required=False)
        violations.check(request.after_sequence >= 0, "after_sequence", "must not be negative")
        violations.raise_if_any()
        after = request.after_sequence
        # Polling the log keeps replicas stateless: any replica can serve any
        # watcher, and a watcher resumes with the last sequence it saw.
        while context.is_active():
            query = select(OfferDecisionRow).where(OfferDecisionRow.sequence > after)
            if request.channel:
                query = query.where(OfferDecisionRow.channel == request.channel)
            if request.offered_only:
                query = query.where(OfferDecisionRow.outcome == pb.DECISION_OUTCOME_OFFERED)
            with self.db.read() as session:
                rows = list(session.scalars(query.order_by(OfferDecisionRow.sequence).limit(WATCH_BATCH)))
            for row in rows:
                after = row.sequence
                yield api.WatchOffersResponse(decision=load_decision(row))
            if not rows:
                time.sleep(WATCH_POLL_SECONDS)

    def VoidSubjectOffers(self, request, context):
        require_fields({"subject_ref": request.subject_ref})
        count, value, currency = self.db.run(lambda session: void_subject_offers(session, request.subject_ref))
        response = api.VoidSubjectOffersResponse(voided_count=count)
        if currency:
            response.voided_value.CopyFrom(money_pb2.Money(currency_code=currency, amount_minor=value))
        return response
