"""gRPC edge of the segmentation service: protobuf <-> domain, nothing more."""

from __future__ import annotations

from couponry.segmentation.v1 import segment_pb2 as pb
from couponry.segmentation.v1 import segmentation_service_pb2 as api
from couponry.segmentation.v1 import segmentation_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import from_timestamp, to_timestamp, utcnow
from couponry_runtime.db import Database
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.pagination import decode_token, encode_token, page_size
from couponry_runtime.validation import Violations, require_fields

from . import service
from .domain import Condition, EventType, Feature, Operator, Rule
from .repository import SegmentRow

MAX_EVENTS_PER_CALL = 1000


def _rule_from_proto(rule: pb.SegmentRule, field: str, violations: Violations) -> Rule | None:
    violations.enum(pb.RuleMatch, rule.match, f"{field}.match", required=False)
    if not violations.check(len(rule.conditions) > 0, f"{field}.conditions", "needs at least one condition", "MISSING_FIELD"):
        return None
    conditions = []
    for i, c in enumerate(rule.conditions):
        ok = violations.enum(pb.Feature, c.feature, f"{field}.conditions[{i}].feature")
        ok &= violations.enum(pb.ComparisonOperator, c.operator, f"{field}.conditions[{i}].operator")
        if c.feature == pb.FEATURE_CATEGORY_AFFINITY:
            ok &= violations.required(c.category.strip(), f"{field}.conditions[{i}].category")
        if ok:
            conditions.append(Condition(Feature(c.feature), Operator(c.operator), c.value, c.category.strip()))
    return Rule(tuple(conditions), rule.match == pb.RULE_MATCH_ANY)


def _rule_to_proto(rule: Rule) -> pb.SegmentRule:
    return pb.SegmentRule(
        match=pb.RULE_MATCH_ANY if rule.match_any else pb.RULE_MATCH_ALL,
        conditions=[pb.Condition(feature=int(c.feature), operator=int(c.operator), value=c.value, category=c.category)
                    for c in rule.conditions])


def _segment_to_proto(row: SegmentRow, members: int | None = None) -> pb.Segment:
    return pb.Segment(segment_id=row.segment_id, display_name=row.display_name, description=row.description,
                      rule=_rule_to_proto(Rule.from_json(row.rule)), member_count=members or 0,
                      create_time=to_timestamp(row.create_time), update_time=to_timestamp(row.update_time))


class SegmentationServicer(api_grpc.SegmentationServiceServicer):
    def __init__(self, database: Database, idempotency: IdempotentWrites) -> None:
        self.db = database
        self.idempotency = idempotency

    def CreateSegment(self, request, context):
        violations = Violations()
        violations.required(request.segment.display_name.strip(), "segment.display_name")
        rule = _rule_from_proto(request.segment.rule, "segment.rule", violations)
        violations.raise_if_any()

        def work(session):
            row = service.create_segment(session, request.segment.display_name.strip(), request.segment.description, rule)
            return api.CreateSegmentResponse(segment=_segment_to_proto(row, service.member_count(session, row)))
        return self.idempotency.run("CreateSegment", request, api.CreateSegmentResponse, work)

    def GetSegment(self, request, context):
        require_fields({"segment_id": request.segment_id})
        with self.db.read() as session:
            row = service.get_segment(session, request.segment_id)
            return api.GetSegmentResponse(segment=_segment_to_proto(row, service.member_count(session, row)))

    def ListSegments(self, request, context):
        limit = page_size(request.page_size)
        after = decode_token(request.page_token).get("after")
        with self.db.read() as session:
            rows = service.list_segments(session, after, limit)
            page = rows[:limit]
            token = encode_token({"after": page[-1].segment_id}) if len(rows) > limit else ""
            return api.ListSegmentsResponse(
                segments=[_segment_to_proto(r, service.member_count(session, r)) for r in page], next_page_token=token)

    def UpdateSegment(self, request, context):
        violations = Violations()
        violations.required(request.segment.segment_id, "segment.segment_id")
        paths = list(request.update_mask.paths)
        violations.check(bool(paths), "update_mask", "must name at least one field", "MISSING_FIELD")
        changes: dict = {}
        for path in paths:
            if path == "display_name":
                if violations.required(request.segment.display_name.strip(), "segment.display_name"):
                    changes["display_name"] = request.segment.display_name.strip()
            elif path == "description":
                changes["description"] = request.segment.description
            elif path == "rule":
                changes["rule"] = _rule_from_proto(request.segment.rule, "segment.rule", violations)
            else:
                violations.add("update_mask", f"cannot update {path!r}", "UNKNOWN_FIELD")
        violations.raise_if_any()

        def work(session):
            row = service.update_segment(session, request.segment.segment_id, changes)
            return api.UpdateSegmentResponse(segment=_segment_to_proto(row, service.member_count(session, row)))
        return self.idempotency.run("UpdateSegment", request, api.UpdateSegmentResponse, work)

    def DeleteSegment(self, request, context):
        require_fields({"segment_id": request.segment_id})

        def work(session):
            service.delete_segment(session, request.segment_id)
            return api.DeleteSegmentResponse()
        return self.idempotency.run("DeleteSegment", request, api.DeleteSegmentResponse, work)

    def PreviewSegment(self, request, context):
        violations = Violations()
        rule = _rule_from_proto(request.rule, "rule", violations)
        violations.check(0 <= request.sample_size <= 100, "sample_size", "must be between 0 and 100")
        violations.raise_if_any()
        with self.db.read() as session:
            count, evaluated, sample = service.preview(session, rule, request.sample_size or 10)
        return api.PreviewSegmentResponse(member_count=count, evaluated_count=evaluated, sample_subject_refs=sample)

    def GetMemberships(self, request, context):
        require_fields({"subject_ref": request.subject_ref})
        with self.db.read() as session:
            rows = service.memberships(session, request.subject_ref)
        now = to_timestamp(utcnow())
        return api.GetMembershipsResponse(memberships=[
            pb.Membership(segment_id=r.segment_id, display_name=r.display_name, join_time=now) for r in rows])

    def GetFeatureSnapshot(self, request, context):
        require_fields({"subject_ref": request.subject_ref})
        with self.db.read() as session:
            f = service.subject_features(session, request.subject_ref)
        currency = f.currency_code or "XXX"
        return api.GetFeatureSnapshotResponse(snapshot=pb.FeatureSnapshot(
            subject_ref=request.subject_ref, recency_days=f.recency_days, frequency_30d=f.frequency_30d,
            frequency_90d=f.frequency_90d,
            monetary_90d=money_pb2.Money(currency_code=currency, amount_minor=f.monetary_90d_minor),
            category_affinity=f.category_affinity, coupon_redemptions_90d=f.coupon_redemptions_90d,
            cart_value=money_pb2.Money(currency_code=currency, amount_minor=f.cart_value_minor),
            cart_abandoned=f.cart_abandoned, event_count=f.event_count,
            last_event_time=to_timestamp(f.last_event_time), compute_time=to_timestamp(utcnow())))

    def ForgetSubject(self, request, context):
        require_fields({"subject_ref": request.subject_ref})
        # Not through the idempotency table: forgetting again is naturally safe,
        # and a stored response must not outlive the subject's data.
        deleted = self.db.run(lambda session: service.forget_subject(session, request.subject_ref))
        return api.ForgetSubjectResponse(deleted_event_count=deleted)

    def RecordSubjectEvents(self, request, context):
        violations = Violations()
        violations.check(len(request.events) <= MAX_EVENTS_PER_CALL, "events", f"at most {MAX_EVENTS_PER_CALL} per call")
        events = []
        for i, e in enumerate(request.events):
            field = f"events[{i}]"
            ok = violations.required(e.event_id, f"{field}.event_id")
            ok &= violations.required(e.subject_ref, f"{field}.subject_ref")
            ok &= violations.enum(pb.SubjectEventType, e.type, f"{field}.type")
            ok &= violations.money(e.amount if e.HasField("amount") else None, f"{field}.amount")
            if ok:
                events.append(service.NewEvent(
                    e.event_id, e.subject_ref, EventType(e.type),
                    from_timestamp(e.occur_time, e.HasField("occur_time")) or utcnow(), e.product_id,
                    tuple(e.categories), e.amount.amount_minor, e.amount.currency_code))
        violations.raise_if_any()
        recorded, duplicates = self.db.run(lambda session: service.record_events(session, events))
        return api.RecordSubjectEventsResponse(recorded_count=recorded, duplicate_count=duplicates)

