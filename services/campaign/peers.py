"""The campaign service's view of its peers: consent from profile, memberships
from segmentation, promotions and codes from redemption.

Each call has a deadline (set on the channel) and each failure is turned into
something the offer engine can decide on; consent failures fail closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from couponry.profile.v1 import consent_pb2, profile_service_pb2, profile_service_pb2_grpc
from couponry.redemption.v1 import promotion_pb2, redemption_service_pb2, redemption_service_pb2_grpc
from couponry.segmentation.v1 import segmentation_service_pb2, segmentation_service_pb2_grpc
from couponry_runtime.channels import Peers
from couponry_runtime.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable, parse_rpc_error


@dataclass(frozen=True)
class ConsentDecision:
    allowed: bool
    reason: str
    subject_ref: str
    decision_id: str
    ledger_sequence: int


class ConsentUnavailable(Exception):
    """The profile service gave no decision; the caller must fail closed."""


class CodeIssueFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PeerClients:
    def __init__(self, peers: Peers) -> None:
        self._peers = peers

    def authorize_personalization(self, customer_id: str, channel: int) -> ConsentDecision:
        stub = profile_service_pb2_grpc.ProfileServiceStub(self._peers.channel("profile"))
        try:
            response = stub.AuthorizePersonalization(profile_service_pb2.AuthorizePersonalizationRequest(
                customer_id=customer_id, purpose=consent_pb2.PURPOSE_PERSONALIZED_OFFERS, channel=channel))
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound("CUSTOMER_NOT_FOUND", "no such customer") from None
            if error.code() == grpc.StatusCode.INVALID_ARGUMENT:
                rich = parse_rpc_error(error)
                raise InvalidArgument(rich.reason or "INVALID_REQUEST", "the profile service rejected the request",
                                      field_violations=rich.field_violations) from None
            raise ConsentUnavailable(error.code().name) from None
        decision = response.decision
        return ConsentDecision(decision.allowed, consent_pb2.DecisionReason.Name(decision.reason),
                               decision.subject_ref, decision.decision_id, decision.ledger_sequence)

    def memberships(self, subject_ref: str) -> set[str]:
        """Segment ids of the subject; raises grpc.RpcError if segmentation cannot answer."""
        stub = segmentation_service_pb2_grpc.SegmentationServiceStub(self._peers.channel("segmentation"))
        response = stub.GetMemberships(segmentation_service_pb2.GetMembershipsRequest(subject_ref=subject_ref))
        return {m.segment_id for m in response.memberships}

    def register_promotion(self, promotion: promotion_pb2.Promotion, request_id: str) -> str:
        stub = redemption_service_pb2_grpc.RedemptionServiceStub(self._peers.channel("redemption"))
        try:
            response = stub.CreatePromotion(redemption_service_pb2.CreatePromotionRequest(
                promotion=promotion, request_id=request_id))
        except grpc.RpcError as error:
            rich = parse_rpc_error(error)
            if error.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument(rich.reason or "INVALID_OFFER", "the redemption service rejected the offer terms",
                                      field_violations=rich.field_violations) from None
            if error.code() == grpc.StatusCode.FAILED_PRECONDITION:
                # Not a reason to retry: say what redemption refused.
                raise FailedPrecondition(rich.reason or "PROMOTION_REFUSED",
                                         "the redemption service refused the promotion") from None
            raise Unavailable("PROMOTION_REGISTRATION_FAILED",
                              "the redemption service could not register the promotion; retry activation") from None
        return response.promotion.promotion_id

    def void_subject_codes(self, subject_ref: str, request_id: str) -> None:
        """Best effort: profile's own cascade voids them too, retried until acknowledged."""
        stub = redemption_service_pb2_grpc.RedemptionServiceStub(self._peers.channel("redemption"))
        try:
            stub.VoidSubjectCodes(redemption_service_pb2.VoidSubjectCodesRequest(
                subject_ref=subject_ref, request_id=request_id))
        except grpc.RpcError:
            pass

    def issue_code(self, promotion_id: str, subject_ref: str, validity_hours: int, request_id: str):
        stub = redemption_service_pb2_grpc.RedemptionServiceStub(self._peers.channel("redemption"))
        try:
            return stub.IssueCode(redemption_service_pb2.IssueCodeRequest(
                promotion_id=promotion_id, subject_ref=subject_ref, validity_hours=validity_hours,
                request_id=request_id, require_available=True)).code
        except grpc.RpcError as error:
            raise CodeIssueFailed(parse_rpc_error(error).reason or error.code().name) from None
