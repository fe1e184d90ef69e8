"""gRPC edge of the redemption service: protobuf <-> domain, validation,
transaction boundaries. The rules themselves live in service.py/domain.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from couponry.redemption.v1 import promotion_pb2 as ppb
from couponry.redemption.v1 import redemption_pb2 as rpb
from couponry.redemption.v1 import redemption_service_pb2 as api
from couponry.redemption.v1 import redemption_service_pb2_grpc as api_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.convert import as_utc, from_timestamp, to_timestamp, utcnow
from couponry_runtime.db import Database
from couponry_runtime.errors import DomainError, InvalidArgument
from couponry_runtime.idempotency import IdempotentWrites
from couponry_runtime.pagination import decode_token, encode_token, page_size
from couponry_runtime.telemetry import Instruments
from couponry_runtime.validation import Violations, require_fields

from . import service
from .config import RedemptionSettings
from .domain import (
    MAX_RAW_CODE_LENGTH,
    CodeState,
    CodeType,
    Line,
    Order,
    Pattern,
    PromotionState,
    Scope,
    normalize_code,
    normalize_literal,
    well_formed,
)

MAX_ID = 128
MAX_LINES = 500
MAX_QUANTITY = 100_000
MAX_MINT = 100_000
MAX_LIMIT = 10**12
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")

_CODE_STATE = {CodeState.ACTIVE: ppb.CODE_STATE_ACTIVE, CodeState.EXHAUSTED: ppb.CODE_STATE_EXHAUSTED,
               CodeState.EXPIRED: ppb.CODE_STATE_EXPIRED, CodeState.VOIDED: ppb.CODE_STATE_VOIDED}


# --- validation helpers ------------------------------------------------------------------


_ID_RULE = f"must be 1 to {MAX_ID} printable ASCII characters without spaces"
_AT_MOST_ID = f"at most {MAX_ID} characters"
_AT_MOST_LINES = f"at most {MAX_LINES} lines"


def _identifier(violations: Violations, value: str, field: str, *, required: bool = True) -> None:
    """Ids and subject refs: printable ASCII without spaces, at most 128 characters."""
    if not value:
        if required:
            violations.required(value, field)
        return
    violations.check(len(value) <= MAX_ID and bool(_PRINTABLE.match(value)), field, _ID_RULE)


def _money(violations: Violations, money: money_pb2.Money | None, field: str, cfg: RedemptionSettings, *,
           currency: str | None, required: bool = False) -> int | None:
    """The amount of a Money field in `currency`, or None if unset/invalid."""
    ok = violations.money(money, field, required=required, currency=currency, max_minor=cfg.max_amount_minor)
    present = money is not None and bool(money.currency_code or money.amount_minor)
    return money.amount_minor if ok and present else None


def _code_key(violations: Violations, raw: str, field: str = "code") -> str | None:
    if not raw:
        violations.required(raw, field)
        return None
    key = normalize_code(raw[:MAX_RAW_CODE_LENGTH])
    if len(raw) > MAX_RAW_CODE_LENGTH or not well_formed(key):
        violations.add(field, "is not a well-formed code (wrong characters, length or check character)",
                       "CODE_MALFORMED")
        return None
    return key


def _raise(violations: Violations) -> None:
    reasons = {v.reason for v in violations.items}
    violations.raise_if_any("CODE_MALFORMED" if reasons == {"CODE_MALFORMED"} else "INVALID_REQUEST")


def _order(violations: Violations, order: rpb.Order, has: bool, cfg: RedemptionSettings) -> Order | None:
    if not has:
        violations.required(False, "order")
        return None
    _identifier(violations, order.order_id, "order.order_id")
    total = _money(violations, order.total if order.HasField("total") else None, "order.total", cfg,
                   currency=None, required=True)
    currency = order.total.currency_code if total is not None else None
    shipping = _money(violations, order.shipping if order.HasField("shipping") else None, "order.shipping", cfg,
                      currency=currency)
    violations.check(len(order.lines) <= MAX_LINES, "order.lines", _AT_MOST_LINES)
    lines = []
    for i, line in enumerate(order.lines[:MAX_LINES]):
        field = f"order.lines[{i}]"
        violations.check(0 < len(line.sku) <= MAX_ID, f"{field}.sku", f"1 to {MAX_ID} characters")
        violations.check(len(line.category) <= MAX_ID, f"{field}.category", f"at most {MAX_ID} characters")
        violations.check(1 <= line.quantity <= MAX_QUANTITY, f"{field}.quantity", f"must be 1 to {MAX_QUANTITY}")
        price = _money(violations, line.unit_price if line.HasField("unit_price") else None, f"{field}.unit_price",
                       cfg, currency=currency, required=True)
        if price is not None and 1 <= line.quantity <= MAX_QUANTITY:
            lines.append(Line(line.sku, line.category, line.quantity, price))
    if total is None:
        return None
    return Order(order.order_id, total, currency, tuple(lines), shipping or 0)


def _attempt(request, cfg: RedemptionSettings) -> service.Attempt:
    violations = Violations()
    key = _code_key(violations, request.code)
    _identifier(violations, request.subject_ref, "subject_ref")
    order = _order(violations, request.order, request.HasField("order"), cfg)
    violations.check(len(request.source_fingerprint) <= MAX_ID, "source_fingerprint", _AT_MOST_ID)
    _raise(violations)
    return service.Attempt(key, request.subject_ref, order, request.source_fingerprint)


def _pattern(violations: Violations, pattern: ppb.CodePattern, field: str) -> Pattern:
    result = Pattern(normalize_literal(pattern.prefix), normalize_literal(pattern.postfix),
                     normalize_literal(pattern.pattern), pattern.length)
    for name, description in result.problems():
        violations.add(f"{field}.{name}", description)
    return result


def _limit(violations: Violations, value: int, field: str, maximum: int = MAX_LIMIT) -> None:
    violations.check(0 <= value <= maximum, field, f"must be between 0 and {maximum}")


def _strings(violations: Violations, values, field: str) -> frozenset[str]:
    violations.check(len(values) <= 1000, field, "at most 1000 entries")
    for i, value in enumerate(values[:1000]):
        violations.check(0 < len(value) <= MAX_ID, f"{field}[{i}]", f"1 to {MAX_ID} characters")
    return frozenset(values[:1000])


def _promotion_values(promotion: ppb.Promotion, cfg: RedemptionSettings) -> dict[str, Any]:
    """Columns of a new promotion from its proto, or INVALID_ARGUMENT listing every problem."""
    violations = Violations()
    name = promotion.display_name.strip()
    violations.required(name, "promotion.display_name")
    violations.check(len(name) <= 200, "promotion.display_name", "at most 200 characters")
    _identifier(violations, promotion.campaign_id, "promotion.campaign_id", required=False)
    currency = promotion.currency_code
    currency_ok = violations.required(currency, "promotion.currency_code") and \
        violations.currency(currency, "promotion.currency_code")
    cur = currency if currency_ok else None
    d = promotion.discount
    values: dict[str, Any] = dict(percent=0, percent_cap_minor=None, amount_minor=None, gift_sku="")
    if violations.enum(money_pb2.DiscountType, d.type, "promotion.discount.type"):
        if d.type == money_pb2.DISCOUNT_TYPE_PERCENT:
            violations.check(1 <= d.percent <= 100, "promotion.discount.percent", "must be 1 to 100")
            values["percent"] = d.percent
            values["percent_cap_minor"] = _money(violations, d.percent_cap if d.HasField("percent_cap") else None,
                                                 "promotion.discount.percent_cap", cfg, currency=cur)
        elif d.type == money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT:
            amount = _money(violations, d.amount if d.HasField("amount") else None, "promotion.discount.amount",
                            cfg, currency=cur, required=True)
            violations.check(amount is None or amount > 0, "promotion.discount.amount.amount_minor",
                             "must be positive")
            values["amount_minor"] = amount
        elif d.type == money_pb2.DISCOUNT_TYPE_GIFT_ITEM:
            violations.check(0 < len(d.gift_sku) <= MAX_ID, "promotion.discount.gift_sku", f"1 to {MAX_ID} characters")
            values["gift_sku"] = d.gift_sku
    minimum = _money(violations, promotion.minimum_order if promotion.HasField("minimum_order") else None,
                     "promotion.minimum_order", cfg, currency=cur)
    budget = _money(violations, promotion.budget if promotion.HasField("budget") else None,
                    "promotion.budget", cfg, currency=cur)
    s = promotion.scope
    scope = Scope(_strings(violations, s.include_skus, "promotion.scope.include_skus"),
                  _strings(violations, s.exclude_skus, "promotion.scope.exclude_skus"),
                  _strings(violations, s.include_categories, "promotion.scope.include_categories"),
                  _strings(violations, s.exclude_categories, "promotion.scope.exclude_categories"))
    start = from_timestamp(promotion.start_time, promotion.HasField("start_time"))
    end = from_timestamp(promotion.end_time, promotion.HasField("end_time"))
    if start and end:
        violations.check(end > start, "promotion.end_time", "must be after start_time")
    _limit(violations, promotion.per_code_limit, "promotion.per_code_limit", 10**9)
    _limit(violations, promotion.per_customer_limit, "promotion.per_customer_limit", 10**9)
    _limit(violations, promotion.total_redemption_limit, "promotion.total_redemption_limit")
    violations.enum(ppb.CodeType, promotion.code_type, "promotion.code_type", required=False)
    violations.enum(ppb.PromotionState, promotion.state, "promotion.state", required=False)
    violations.check(promotion.state != ppb.PROMOTION_STATE_ENDED, "promotion.state", "cannot create an ended promotion")
    pattern = _pattern(violations, promotion.code_pattern, "promotion.code_pattern")
    violations.raise_if_any()
    values.update(
        campaign_id=promotion.campaign_id, display_name=name, discount_type=d.type, currency_code=currency,
        minimum_order_minor=minimum, scope=scope.to_json(), start_time=start, end_time=end,
        per_code_limit=promotion.per_code_limit, per_customer_limit=promotion.per_customer_limit,
        total_redemption_limit=promotion.total_redemption_limit, budget_minor=budget,
        code_type=CodeType.SHARED if promotion.code_type == ppb.CODE_TYPE_SHARED else CodeType.PERSONAL,
        code_prefix=pattern.prefix, code_postfix=pattern.postfix, code_pattern=pattern.pattern,
        code_length=pattern.length,
        state=PromotionState.PAUSED if promotion.state == ppb.PROMOTION_STATE_PAUSED else PromotionState.ACTIVE)
    return values


# --- domain -> proto -------------------------------------------------------------------------


def _money_pb(currency: str, amount: int | None) -> money_pb2.Money | None:
    return None if amount is None else money_pb2.Money(currency_code=currency, amount_minor=amount)


def promotion_pb(row: Mapping[str, Any]) -> ppb.Promotion:
    cur = row["currency_code"]
    discount = money_pb2.Discount(type=row["discount_type"], percent=row["percent"],
                                  percent_cap=_money_pb(cur, row["percent_cap_minor"]),
                                  amount=_money_pb(cur, row["amount_minor"]), gift_sku=row["gift_sku"])
    scope = Scope.from_json(row["scope"])
    return ppb.Promotion(
        promotion_id=row["promotion_id"], campaign_id=row["campaign_id"], display_name=row["display_name"],
        discount=discount, currency_code=cur, minimum_order=_money_pb(cur, row["minimum_order_minor"]),
        scope=ppb.ProductScope(include_skus=sorted(scope.include_skus), exclude_skus=sorted(scope.exclude_skus),
                               include_categories=sorted(scope.include_categories),
                               exclude_categories=sorted(scope.exclude_categories)),
        start_time=to_timestamp(row["start_time"]), end_time=to_timestamp(row["end_time"]),
        per_code_limit=row["per_code_limit"], per_customer_limit=row["per_customer_limit"],
        total_redemption_limit=row["total_redemption_limit"], budget=_money_pb(cur, row["budget_minor"]),
        code_type=int(row["code_type"]),
        code_pattern=ppb.CodePattern(prefix=row["code_prefix"], postfix=row["code_postfix"],
                                     pattern=row["code_pattern"], length=row["code_length"]),
        state=int(row["state"]), redemption_count=row["redemption_count"],
        discount_spent=_money_pb(cur, row["discount_spent_minor"]),
        create_time=to_timestamp(row["create_time"]), update_time=to_timestamp(row["update_time"]))


def code_pb(row: Mapping[str, Any], now: datetime | None = None) -> ppb.Code:
    state = CodeState(row["state"])
    now = now or utcnow()
    if state == CodeState.ACTIVE:
        if row["expire_time"] is not None and as_utc(row["expire_time"]) <= now:
            state = CodeState.EXPIRED
        elif row["use_limit"] is not None and row["uses_remaining"] <= 0:
            state = CodeState.EXHAUSTED
    return ppb.Code(code=row["display"], promotion_id=row["promotion_id"], subject_ref=row["subject_ref"] or "",
                    state=_CODE_STATE[state], uses_remaining=row["uses_remaining"] or 0,
                    expire_time=to_timestamp(row["expire_time"]), publish_time=to_timestamp(row["publish_time"]),
                    create_time=to_timestamp(row["create_time"]))


def redemption_pb(row: Mapping[str, Any]) -> rpb.Redemption:
    cur = row["currency_code"]
    return rpb.Redemption(
        redemption_id=row["redemption_id"], code=row.get("display") or row["code"], promotion_id=row["promotion_id"],
        campaign_id=row["campaign_id"], subject_ref=row["subject_ref"], order_id=row["order_id"],
        order_total=_money_pb(cur, row["order_total_minor"]), discount=_money_pb(cur, row["discount_minor"]),
        state=int(row["state"]), redeem_time=to_timestamp(row["redeem_time"]),
        rollback_time=to_timestamp(row["rollback_time"]), rollback_reason=row["rollback_reason"])


def reservation_pb(row: Mapping[str, Any]) -> rpb.Reservation:
    return rpb.Reservation(
        reservation_id=row["reservation_id"], code=row.get("display") or row["code"], subject_ref=row["subject_ref"],
        order_id=row["order_id"], discount=_money_pb(row["currency_code"], row["discount_minor"]),
        state=int(row["state"]), expire_time=to_timestamp(row["expire_time"]),
        redemption_id=row["redemption_id"] or "")


def _failure_pb(failure, currency: str) -> rpb.RuleFailure:
    return rpb.RuleFailure(reason=failure.reason, message=failure.message,
                           shortfall=_money_pb(currency, failure.shortfall_minor))


class RedemptionServicer(api_grpc.RedemptionServiceServicer):
    def __init__(self, database: Database, idempotency: IdempotentWrites, cfg: RedemptionSettings,
                 instruments: Instruments | None = None) -> None:
        self.db = database
        self.idempotency = idempotency
        self.cfg = cfg
        self.instruments = instruments

    def _count(self, operation: str, reason: str) -> None:
        if self.instruments is not None:
            self.instruments.redemption_attempts.add(1, {
                "operation": operation, "outcome": "OK" if reason == "OK" else "REFUSED", "reason": reason})

    # --- promotions ---

    def CreatePromotion(self, request, context):
        values = _promotion_values(request.promotion, self.cfg)

        def work(session):
            row = service.create_promotion(session, values, utcnow())
            return api.CreatePromotionResponse(promotion=promotion_pb(service.get_promotion(session, row["promotion_id"])))
        return self.idempotency.run("CreatePromotion", request, api.CreatePromotionResponse, work)

    def GetPromotion(self, request, context):
        require_fields({"promotion_id": request.promotion_id})
        with self.db.transaction() as session:
            return api.GetPromotionResponse(promotion=promotion_pb(service.get_promotion(session, request.promotion_id)))

    def ListPromotions(self, request, context):
        limit = page_size(request.page_size)
        after = decode_token(request.page_token).get("after")
        with self.db.transaction() as session:
            rows = service.list_promotions(session, request.campaign_id, after, limit)
        page = rows[:limit]
        token = encode_token({"after": page[-1]["promotion_id"]}) if len(rows) > limit else ""
        return api.ListPromotionsResponse(promotions=[promotion_pb(r) for r in page], next_page_token=token)

    def UpdatePromotion(self, request, context):
        violations = Violations()
        p = request.promotion
        violations.required(p.promotion_id, "promotion.promotion_id")
        paths = list(request.update_mask.paths)
        violations.check(bool(paths), "update_mask", "must name at least one field", "MISSING_FIELD")
        changes: dict[str, Any] = {}
        money_paths = {"minimum_order": "minimum_order_minor", "budget": "budget_minor"}
        for path in paths:
            if path == "display_name":
                if violations.required(p.display_name.strip(), "promotion.display_name"):
                    changes["display_name"] = p.display_name.strip()[:200]
            elif path == "state":
                if violations.enum(ppb.PromotionState, p.state, "promotion.state"):
                    changes["state"] = int(p.state)
            elif path == "per_customer_limit":
                _limit(violations, p.per_customer_limit, "promotion.per_customer_limit", 10**9)
                changes[path] = p.per_customer_limit
            elif path == "total_redemption_limit":
                _limit(violations, p.total_redemption_limit, "promotion.total_redemption_limit")
                changes[path] = p.total_redemption_limit
            elif path in ("start_time", "end_time"):
                value = from_timestamp(getattr(p, path), p.HasField(path))
                if path == "start_time" and value is None:
                    value = utcnow()
                changes[path] = value
            elif path in money_paths:
                # The currency is checked against the stored promotion below.
                changes[money_paths[path]] = (_money(violations, getattr(p, path), f"promotion.{path}", self.cfg,
                                                     currency=None) if p.HasField(path) else None,
                                              getattr(p, path).currency_code)
            else:
                violations.add("update_mask", f"cannot update {path!r}", "UNKNOWN_FIELD")
        violations.raise_if_any()

        def work(session):
            current = service.get_promotion(session, p.promotion_id)
            problems = Violations()
            for path, column in money_paths.items():
                if column in changes:
                    amount, currency = changes[column]
                    if amount is not None:
                        problems.check(currency == current["currency_code"], f"promotion.{path}.currency_code",
                                       f"must be {current['currency_code']}", "CURRENCY_MISMATCH")
                    changes[column] = amount
            problems.raise_if_any()
            row = service.update_promotion(session, p.promotion_id, changes, utcnow())
            return api.UpdatePromotionResponse(promotion=promotion_pb(row))
        return self.idempotency.run("UpdatePromotion", request, api.UpdatePromotionResponse, work)

    # --- codes ---

    def MintCodes(self, request, context):
        violations = Violations()
        violations.required(request.promotion_id, "promotion_id")
        violations.check(1 <= request.count <= MAX_MINT, "count", f"must be 1 to {MAX_MINT}")
        pattern = _pattern(violations, request.pattern, "pattern") if request.HasField("pattern") else None
        violations.raise_if_any()

        def work(session):
            minted, sample = service.mint_codes(session, request.promotion_id, request.count, pattern, utcnow())
            return api.MintCodesResponse(minted_count=minted, sample_codes=sample)
        return self.idempotency.run("MintCodes", request, api.MintCodesResponse, work)

    def PublishCode(self, request, context):
        violations = Violations()
        violations.required(request.promotion_id, "promotion_id")
        _identifier(violations, request.subject_ref, "subject_ref")
        key = _code_key(violations, request.code) if request.code else None
        _raise(violations)

        def work(session):
            row = service.publish_code(session, request.promotion_id, key, request.subject_ref, utcnow())
            return api.PublishCodeResponse(code=code_pb(row))
        return self.idempotency.run("PublishCode", request, api.PublishCodeResponse, work)

    def IssueCode(self, request, context):
        violations = Violations()
        violations.required(request.promotion_id, "promotion_id")
        _identifier(violations, request.subject_ref, "subject_ref")
        violations.check(0 <= request.validity_hours <= 24 * 366 * 5, "validity_hours", "must be 0 to 43920")
        violations.raise_if_any()

        def work(session):
            row = service.issue_code(session, request.promotion_id, request.subject_ref, request.validity_hours,
                                     utcnow(), require_available=request.require_available)
            return api.IssueCodeResponse(code=code_pb(row))
        return self.idempotency.run("IssueCode", request, api.IssueCodeResponse, work)

    def GetCode(self, request, context):
        violations = Violations()
        key = _code_key(violations, request.code)
        _raise(violations)
        with self.db.transaction() as session:
            return api.GetCodeResponse(code=code_pb(service.get_code(session, key)))

    def ListCodes(self, request, context):
        require_fields({"promotion_id": request.promotion_id})
        limit = page_size(request.page_size)
        after = decode_token(request.page_token).get("after")
        with self.db.transaction() as session:
            service.get_promotion(session, request.promotion_id)
            rows = service.list_codes(session, request.promotion_id, request.subject_ref, after, limit)
        page = rows[:limit]
        token = encode_token({"after": page[-1]["code"]}) if len(rows) > limit else ""
        now = utcnow()
        return api.ListCodesResponse(codes=[code_pb(r, now) for r in page], next_page_token=token)

    def VoidSubjectCodes(self, request, context):
        violations = Violations()
        _identifier(violations, request.subject_ref, "subject_ref")
        violations.raise_if_any()

        def work(session):
            return api.VoidSubjectCodesResponse(voided_count=service.void_subject_codes(session, request.subject_ref))
        return self.idempotency.run("VoidSubjectCodes", request, api.VoidSubjectCodesResponse, work)

    # --- validate, reserve, redeem ---

    def ValidateCode(self, request, context):
        attempt = _attempt(request, self.cfg)
        now = utcnow()
        # Carts validate on every change, more often than anyone redeems: the
        # handler thread's own connection, as for redeem.
        with self.db.pinned() as connection:
            discount, failures = service.validate(connection, self.cfg, attempt, now)
        self._count("VALIDATE", failures[0].reason if failures else "OK")
        if failures and failures[0].reason == "RATE_LIMITED":
            raise service.refuse("RATE_LIMITED")
        return api.ValidateCodeResponse(
            valid=not failures, discount=_money_pb(attempt.order.currency_code, discount),
            failures=[_failure_pb(f, attempt.order.currency_code) for f in failures])

    def _refused(self, action: str, attempt: service.Attempt):
        def record(error: DomainError) -> None:
            self._count(action, error.reason)
            if error.reason in service.REASONS:
                self.db.run(lambda session: service.record_failure(session, self.cfg, action, attempt, error.reason,
                                                                    utcnow()))
        return record

    def RedeemCode(self, request, context):
        attempt = _attempt(request, self.cfg)

        def work(session, store):
            response = api.RedeemCodeResponse()

            def decided(hot, row):
                response.redemption.CopyFrom(redemption_pb(row))
                store(hot, response)
            service.redeem(session, self.cfg, attempt, utcnow(), decided)
            return response
        response = service.run_attempt(self.db, "RedeemCode", request, api.RedeemCodeResponse, work,
                                       self._refused("REDEEM", attempt))
        self._count("REDEEM", "OK")
        return response

    def ReserveCode(self, request, context):
        attempt = _attempt(request, self.cfg)
        hold = request.hold_seconds or self.cfg.hold_seconds
        if not 0 < hold <= self.cfg.max_hold_seconds:
            raise InvalidArgument("INVALID_REQUEST", "hold_seconds is out of range", field_violations=[
                service.FieldViolation("hold_seconds", f"must be 1 to {self.cfg.max_hold_seconds}")])

        def work(session, store):
            response = api.ReserveCodeResponse()

            def decided(hot, row):
                response.reservation.CopyFrom(reservation_pb(row))
                store(hot, response)
            service.reserve(session, self.cfg, attempt, hold, utcnow(), decided)
            return response
        response = service.run_attempt(self.db, "ReserveCode", request, api.ReserveCodeResponse, work,
                                       self._refused("RESERVE", attempt))
        self._count("RESERVE", "OK")
        return response

    def ConfirmRedemption(self, request, context):
        require_fields({"reservation_id": request.reservation_id})

        def work(session):
            return api.ConfirmRedemptionResponse(
                redemption=redemption_pb(service.confirm(session, request.reservation_id, utcnow())))
        return self.idempotency.run("ConfirmRedemption", request, api.ConfirmRedemptionResponse, work)

    def ReleaseReservation(self, request, context):
        require_fields({"reservation_id": request.reservation_id})

        def work(session):
            return api.ReleaseReservationResponse(
                reservation=reservation_pb(service.release(session, request.reservation_id, utcnow())))
        return self.idempotency.run("ReleaseReservation", request, api.ReleaseReservationResponse, work)

    def RollbackRedemption(self, request, context):
        violations = Violations()
        violations.required(request.redemption_id, "redemption_id")
        violations.check(len(request.reason) <= 200, "reason", "at most 200 characters")
        violations.raise_if_any()

        def work(session):
            return api.RollbackRedemptionResponse(redemption=redemption_pb(
                service.rollback(session, request.redemption_id, request.reason, utcnow())))
        return self.idempotency.run("RollbackRedemption", request, api.RollbackRedemptionResponse, work)

    def ListRedemptions(self, request, context):
        limit = page_size(request.page_size)
        after = decode_token(request.page_token).get("after")
        with self.db.transaction() as session:
            rows = service.list_redemptions(session, request.promotion_id, request.subject_ref, after, limit)
        page = rows[:limit]
        token = encode_token({"after": page[-1]["redemption_id"]}) if len(rows) > limit else ""
        return api.ListRedemptionsResponse(redemptions=[redemption_pb(r) for r in page], next_page_token=token)

    # --- analytics and consistency ---

    def GetPromotionStats(self, request, context):
        violations = Violations()
        violations.check(bool(request.promotion_id) != bool(request.campaign_id), "promotion_id",
                         "set exactly one of promotion_id and campaign_id")
        start = from_timestamp(request.start_time, request.HasField("start_time"))
        end = from_timestamp(request.end_time, request.HasField("end_time")) or utcnow()
        violations.check(start is None or start <= end, "end_time", "must not be before start_time")
        violations.raise_if_any()
        with self.db.transaction() as session:
            if request.promotion_id:
                service.get_promotion(session, request.promotion_id)
                ids = [request.promotion_id]
            else:
                ids = service.campaign_promotions(session, request.campaign_id)
            s = service.promotion_stats(session, ids, start, end)
        cur = s.currency_code
        return api.GetPromotionStatsResponse(stats=rpb.PromotionStats(
            minted_count=s.minted, published_count=s.published, redeemed_count=s.redeemed, redemption_rate=s.rate,
            time_to_redeem_p50_seconds=s.p50_seconds, time_to_redeem_p90_seconds=s.p90_seconds,
            discount_given=_money_pb(cur, s.discount_minor), redeemed_order_value=_money_pb(cur, s.order_value_minor),
            failures=[rpb.FailureCount(reason=k, count=v) for k, v in sorted(s.failures.items())]))

    def CheckConsistency(self, request, context):
        require_fields({"promotion_id": request.promotion_id})
        with self.db.transaction() as session:
            c = service.check_consistency(session, request.promotion_id)
        return api.CheckConsistencyResponse(
            consistent=c.consistent, counter_redemption_count=c.counter_count,
            recomputed_redemption_count=c.recomputed_count,
            counter_discount_spent=_money_pb(c.currency_code, c.counter_discount),
            recomputed_discount_spent=_money_pb(c.currency_code, c.recomputed_discount),
            discrepancies=c.discrepancies)
