"""Redemption use cases. Each function runs in the transaction (Session) it is
handed; the servicer decides where transactions begin and end.

Concurrency: every limit is enforced by a conditional UPDATE whose row count
is checked, inside the redeeming transaction, always in the same order:
rate counters, the idempotency key, then the subject's counter, the code and
last the promotion's counter row (the hottest, held only until commit).
Under PostgreSQL READ COMMITTED a waiting UPDATE re-evaluates its WHERE
clause against the row the other transaction committed, so no interleaving
can take a limit past its bound; giving uses back (rollback, release,
expiry) takes the rows in the same order, so nothing deadlocks. On SQLite
writers are serialized by BEGIN IMMEDIATE.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from couponry_runtime.convert import as_utc, utcnow
from couponry_runtime.db import Database
from couponry_runtime.errors import (
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
)
from couponry_runtime.idempotency import MAX_REQUEST_ID_LENGTH, IdempotentWrites, fingerprint

from .config import RedemptionSettings
from .domain import (
    CodeState,
    CodeType,
    DiscountType,
    Order,
    Pattern,
    PromotionState,
    RedemptionState,
    ReservationState,
    RuleFailure,
    Scope,
    Terms,
    discount_minor,
    mint,
    order_failures,
    percentile,
)
from .hotpath import DRIVER_INTEGRITY_ERRORS, Hot
from .repository import (
    attempts,
    codes,
    customer_counters,
    idempotency_keys,
    promotions,
    rate_counters,
    redemptions,
    reservations,
)

R = TypeVar("R", bound=Message)

# Every rule's stable reason and the canonical status it is reported with.
REASONS: dict[str, type[DomainError]] = {
    "CODE_NOT_FOUND": NotFound,
    "CODE_MALFORMED": InvalidArgument,
    "CODE_EXPIRED": FailedPrecondition,
    "CODE_NOT_ACTIVE_YET": FailedPrecondition,
    "CODE_EXHAUSTED": ResourceExhausted,
    "CODE_VOIDED": FailedPrecondition,
    "NOT_CODE_OWNER": FailedPrecondition,
    "CUSTOMER_LIMIT_REACHED": ResourceExhausted,
    "PROMOTION_BUDGET_EXHAUSTED": ResourceExhausted,
    "PROMOTION_LIMIT_REACHED": ResourceExhausted,
    "ORDER_BELOW_MINIMUM": FailedPrecondition,
    "PRODUCT_NOT_ELIGIBLE": FailedPrecondition,
    "CURRENCY_MISMATCH": FailedPrecondition,
    "PROMOTION_PAUSED": FailedPrecondition,
    "RATE_LIMITED": ResourceExhausted,
}

_MESSAGES = {
    "CODE_NOT_FOUND": "no such code",
    "CODE_EXPIRED": "the code has expired",
    "CODE_NOT_ACTIVE_YET": "the promotion has not started yet",
    "CODE_EXHAUSTED": "every use of the code is spent",
    "CODE_VOIDED": "the code was voided",
    "NOT_CODE_OWNER": "the code belongs to another subject",
    "CUSTOMER_LIMIT_REACHED": "the subject has used this promotion as often as allowed",
    "PROMOTION_BUDGET_EXHAUSTED": "the promotion's discount budget is spent",
    "PROMOTION_LIMIT_REACHED": "the promotion's redemptions are used up",
    "PROMOTION_PAUSED": "the promotion is paused",
    "RATE_LIMITED": "too many attempts; try again later",
}


def rule_failure(reason: str) -> RuleFailure:
    return RuleFailure(reason, _MESSAGES.get(reason, reason.lower().replace("_", " ")))


def error_for(failure: RuleFailure) -> DomainError:
    metadata = {}
    if failure.shortfall_minor is not None:
        metadata["shortfall_minor"] = str(failure.shortfall_minor)
    return REASONS[failure.reason](failure.reason, failure.message, metadata=metadata)


def refuse(reason: str) -> DomainError:
    return error_for(rule_failure(reason))


def new_id(prefix: str) -> str:
    """Time-ordered opaque id: lists in id order are oldest first."""
    return f"{prefix}_{time.time_ns() // 1000:014x}{secrets.token_hex(6)}"


def _upsert(session: Session, table):
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(table)


# --- promotions ------------------------------------------------------------------


def create_promotion(session: Session, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    row = dict(values)
    row.update(promotion_id=new_id("pro"), redemption_count=0, discount_spent_minor=0,
               create_time=now, update_time=now)
    row.setdefault("start_time", now)
    if row["start_time"] is None:
        row["start_time"] = now
    session.execute(insert(promotions).values(**row))
    return row


def get_promotion(session: Session, promotion_id: str, *, lock: bool = False) -> Mapping[str, Any]:
    query = select(promotions).where(promotions.c.promotion_id == promotion_id)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).mappings().first()
    if row is None:
        raise NotFound("PROMOTION_NOT_FOUND", "no such promotion", metadata={"promotion_id": promotion_id[:64]})
    return row


def list_promotions(session: Session, campaign_id: str, after: str | None, limit: int) -> list[Mapping[str, Any]]:
    query = select(promotions).order_by(promotions.c.promotion_id).limit(limit + 1)
    if campaign_id:
        query = query.where(promotions.c.campaign_id == campaign_id)
    if after:
        query = query.where(promotions.c.promotion_id > after)
    return list(session.execute(query).mappings())


def update_promotion(session: Session, promotion_id: str, changes: dict[str, Any], now: datetime) -> Mapping[str, Any]:
    current = get_promotion(session, promotion_id, lock=True)
    start = changes.get("start_time", current["start_time"])
    end = changes.get("end_time", current["end_time"])
    if start is not None and end is not None and as_utc(end) <= as_utc(start):
        raise InvalidArgument("INVALID_WINDOW", "end_time must be after start_time",
                              field_violations=[FieldViolation("promotion.end_time", "must be after start_time")])
    if changes:
        session.execute(update(promotions).where(promotions.c.promotion_id == promotion_id)
                        .values(**changes, update_time=now))
    return get_promotion(session, promotion_id)


def terms_of(row: Mapping[str, Any]) -> Terms:
    return Terms(
        discount_type=DiscountType(row["discount_type"]), currency_code=row["currency_code"],
        percent=row["percent"], percent_cap_minor=row["percent_cap_minor"], amount_minor=row["amount_minor"],
        gift_sku=row["gift_sku"], minimum_order_minor=row["minimum_order_minor"],
        scope=Scope.from_json(row["scope"]))


def pattern_of(row: Mapping[str, Any]) -> Pattern:
    return Pattern(row["code_prefix"], row["code_postfix"], row["code_pattern"], row["code_length"])


def _use_limit(promotion: Mapping[str, Any]) -> int | None:
    if promotion["code_type"] == CodeType.SHARED:
        return promotion["per_code_limit"] or None
    return promotion["per_code_limit"] or 1


def _ensure_open(promotion: Mapping[str, Any], now: datetime) -> None:
    end = promotion["end_time"]
    if promotion["state"] == PromotionState.ENDED or (end is not None and as_utc(end) <= now):
        raise FailedPrecondition("PROMOTION_ENDED", "the promotion has ended")


# --- codes -----------------------------------------------------------------------


def mint_codes(session: Session, promotion_id: str, count: int, pattern: Pattern | None, now: datetime,
               sample_size: int = 1000) -> tuple[int, list[str]]:
    """Mints `count` unpublished codes; the primary key guarantees uniqueness and
    a collision (with a code of any promotion) is simply minted again.

    Bulk path: on PostgreSQL the codes are COPYed into a temporary table and
    moved with one INSERT … SELECT … ON CONFLICT DO NOTHING; on SQLite one
    executemany of INSERT … ON CONFLICT DO NOTHING. The row count says how
    many were new."""
    promotion = get_promotion(session, promotion_id)
    _ensure_open(promotion, now)
    pattern = pattern or pattern_of(promotion)
    use_limit = _use_limit(promotion)
    hot = Hot(session)
    minted, sample, barren = 0, [], 0
    while minted < count:
        batch: dict[str, str] = {}
        while len(batch) < count - minted:
            display, key = mint(pattern)
            batch[key] = display
        inserted = hot.insert_codes(batch, promotion_id, use_limit, now)
        if len(sample) < sample_size:
            wanted = list(batch)[:sample_size - len(sample)]
            sample += [r.display for r in session.execute(
                select(codes.c.display).where(codes.c.code.in_(wanted), codes.c.promotion_id == promotion_id,
                                              codes.c.create_time == now))]
        minted += inserted
        barren = 0 if inserted else barren + 1
        if barren >= 5:  # pragma: no cover - needs a pattern with almost no free codes
            raise FailedPrecondition("CODE_SPACE_EXHAUSTED", "the pattern has no free codes left")
    return minted, sample[:sample_size]


def issue_code(session: Session, promotion_id: str, subject_ref: str, validity_hours: int,
               now: datetime, require_available: bool = False) -> Mapping[str, Any]:
    """Mints one code and publishes it to `subject_ref`."""
    promotion = get_promotion(session, promotion_id)
    _ensure_open(promotion, now)
    if promotion["code_type"] != CodeType.PERSONAL:
        raise FailedPrecondition("PROMOTION_NOT_PERSONAL", "codes of a shared promotion are not issued to subjects")
    if require_available:
        # An offer should not hand out a code that cannot be redeemed now;
        # rollbacks and lapsed reservations may free the promotion later.
        limit = promotion["total_redemption_limit"]
        if limit and promotion["redemption_count"] >= limit:
            raise error_for(rule_failure("PROMOTION_LIMIT_REACHED"))
        budget = promotion["budget_minor"]
        if budget is not None and promotion["discount_spent_minor"] >= budget:
            raise error_for(rule_failure("PROMOTION_BUDGET_EXHAUSTED"))
    expire = now + timedelta(hours=validity_hours) if validity_hours else None
    if promotion["end_time"] is not None and (expire is None or expire > as_utc(promotion["end_time"])):
        expire = as_utc(promotion["end_time"])
    use_limit = _use_limit(promotion)
    statement = _upsert(session, codes).on_conflict_do_nothing(index_elements=["code"]).returning(codes.c.code)
    for _ in range(10):
        display, key = mint(pattern_of(promotion))
        inserted = session.execute(statement, [dict(
            code=key, display=display, promotion_id=promotion_id, subject_ref=subject_ref, state=CodeState.ACTIVE,
            use_limit=use_limit, uses_remaining=use_limit, expire_time=expire, publish_time=now,
            create_time=now)]).first()
        if inserted is not None:
            return get_code(session, key)
    raise FailedPrecondition("CODE_SPACE_EXHAUSTED", "could not mint a free code")  # pragma: no cover


def publish_code(session: Session, promotion_id: str, key: str | None, subject_ref: str,
                 now: datetime) -> Mapping[str, Any]:
    promotion = get_promotion(session, promotion_id)
    _ensure_open(promotion, now)
    if promotion["code_type"] != CodeType.PERSONAL:
        raise FailedPrecondition("PROMOTION_NOT_PERSONAL", "codes of a shared promotion are not published to subjects")
    free = and_(codes.c.promotion_id == promotion_id, codes.c.subject_ref.is_(None),
                codes.c.state == CodeState.ACTIVE)
    if key:
        done = session.execute(update(codes).where(codes.c.code == key, free)
                               .values(subject_ref=subject_ref, publish_time=now)).rowcount
        if done != 1:
            row = session.execute(select(codes).where(codes.c.code == key)).mappings().first()
            if row is None or row["promotion_id"] != promotion_id:
                raise refuse("CODE_NOT_FOUND")
            if row["subject_ref"] == subject_ref:
                return get_code(session, key)
            raise FailedPrecondition("CODE_ALREADY_PUBLISHED", "the code is published to another subject")
        return get_code(session, key)
    for _ in range(20):
        candidate = session.execute(
            select(codes.c.code).where(free).limit(1).with_for_update(skip_locked=True)).scalar()
        if candidate is None:
            raise FailedPrecondition("NO_FREE_CODES", "every minted code of the promotion is published")
        done = session.execute(update(codes).where(codes.c.code == candidate, free)
                               .values(subject_ref=subject_ref, publish_time=now)).rowcount
        if done == 1:
            return get_code(session, candidate)
    raise FailedPrecondition("NO_FREE_CODES", "no free code could be claimed; retry")  # pragma: no cover


def get_code(session: Session, key: str) -> Mapping[str, Any]:
    row = session.execute(select(codes).where(codes.c.code == key)).mappings().first()
    if row is None:
        raise refuse("CODE_NOT_FOUND")
    return row


def list_codes(session: Session, promotion_id: str, subject_ref: str, after: str | None,
               limit: int) -> list[Mapping[str, Any]]:
    query = select(codes).where(codes.c.promotion_id == promotion_id).order_by(codes.c.code).limit(limit + 1)
    if subject_ref:
        query = query.where(codes.c.subject_ref == subject_ref)
    if after:
        query = query.where(codes.c.code > after)
    return list(session.execute(query).mappings())


def void_subject_codes(session: Session, subject_ref: str) -> int:
    """Voids every personal code of a subject that is not already void (consent
    withdrawn). Spent and held codes too: a later rollback or release gives a
    use back, and it must not bring the code back to life."""
    return session.execute(update(codes).where(
        codes.c.subject_ref == subject_ref, codes.c.state == CodeState.ACTIVE).values(state=CodeState.VOIDED)).rowcount


# --- abuse -----------------------------------------------------------------------------


def _digest(value: str) -> str:
    # Keys in the shared counter table are hashed so a long fingerprint or
    # subject ref cannot overflow the column, and nothing readable is kept.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _not_found_keys(subject_ref: str, source: str) -> tuple[str, str]:
    subject = "nf:s:" + _digest(subject_ref)
    return subject, ("nf:f:" + _digest(source)) if source else subject


def over_velocity(hot: Hot, cfg: RedemptionSettings, subject_ref: str, source: str, now: datetime) -> bool:
    """Counts one attempt against the subject's and the source's per-minute
    limits (in the database, so every replica sees the same counts); True if
    either is now over."""
    minute = int(now.timestamp()) // 60
    over = False
    if cfg.subject_attempts_per_minute:
        count = hot.execute("bump", key="v:s:" + _digest(subject_ref), window=minute).fetchone()[0]
        over |= count > cfg.subject_attempts_per_minute
    if source and cfg.source_attempts_per_minute:
        count = hot.execute("bump", key="v:f:" + _digest(source), window=minute).fetchone()[0]
        over |= count > cfg.source_attempts_per_minute
    return over


def count_not_found(hot: Hot, cfg: RedemptionSettings, subject_ref: str, source: str, now: datetime) -> None:
    if not cfg.not_found_threshold:
        return
    window = int(now.timestamp()) // cfg.not_found_window_seconds
    for key in sorted(set(_not_found_keys(subject_ref, source))):
        hot.execute("bump", key=key, window=window).fetchone()


def locked_view(hot: Hot, cfg: RedemptionSettings, attempt: Attempt,
                now: datetime) -> tuple[bool, dict[str, Any] | None]:
    """(is the attempt's source locked out for guessing, the code with its promotion or None)."""
    window = int(now.timestamp()) // cfg.not_found_window_seconds
    nf_subject, nf_source = _not_found_keys(attempt.subject_ref, attempt.source)
    worst, view = hot.view(dict(key=attempt.key, nf_subject=nf_subject, nf_source=nf_source, nf_window=window,
                                nf_previous=window - 1))
    locked = bool(cfg.not_found_threshold) and worst is not None and worst >= cfg.not_found_threshold
    return locked, view


# --- validate, reserve, redeem ----------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One presentation of a code: who, on which order, from where."""

    key: str
    subject_ref: str
    order: Order
    source: str = ""


def code_failures(view: Mapping[str, Any], subject_ref: str, now: datetime) -> list[RuleFailure]:
    found = []
    expire, end = view["expire_time"], view["end_time"]
    if view["code_state"] == CodeState.VOIDED:
        found.append(rule_failure("CODE_VOIDED"))
    if (view["code_state"] == CodeState.EXPIRED or view["promotion_state"] == PromotionState.ENDED
            or (expire is not None and as_utc(expire) <= now) or (end is not None and as_utc(end) <= now)):
        found.append(rule_failure("CODE_EXPIRED"))
    if as_utc(view["start_time"]) > now:
        found.append(rule_failure("CODE_NOT_ACTIVE_YET"))
    if view["promotion_state"] == PromotionState.PAUSED:
        found.append(rule_failure("PROMOTION_PAUSED"))
    if view["subject_ref"] is not None and view["subject_ref"] != subject_ref:
        found.append(rule_failure("NOT_CODE_OWNER"))
    if view["use_limit"] is not None and view["uses_remaining"] <= 0:
        found.append(rule_failure("CODE_EXHAUSTED"))
    return found


def limit_failures(view: Mapping[str, Any], discount: int, customer_count: int | None) -> list[RuleFailure]:
    found = []
    limit = view["per_customer_limit"]
    if customer_count is not None and limit and customer_count >= limit:
        found.append(rule_failure("CUSTOMER_LIMIT_REACHED"))
    total = view["total_redemption_limit"]
    if total and view["redemption_count"] >= total:
        found.append(rule_failure("PROMOTION_LIMIT_REACHED"))
    budget = view["budget_minor"]
    if budget is not None and view["discount_spent_minor"] + discount > budget:
        found.append(rule_failure("PROMOTION_BUDGET_EXHAUSTED"))
    return found


def _rules(session: Session | Connection, view: Mapping[str, Any], attempt: Attempt, now: datetime, *,
           with_customer: bool) -> tuple[int, list[RuleFailure]]:
    terms = terms_of(view)
    discount = discount_minor(terms, attempt.order) if attempt.order.currency_code == terms.currency_code else 0
    customer = None
    if with_customer:
        customer = session.execute(select(customer_counters.c.redemption_count).where(
            customer_counters.c.promotion_id == view["promotion_id"],
            customer_counters.c.subject_ref == attempt.subject_ref)).scalar() or 0
    failures = code_failures(view, attempt.subject_ref, now) + order_failures(terms, attempt.order) \
        + limit_failures(view, discount, customer)
    return discount, failures


def validate(session: Session | Connection, cfg: RedemptionSettings, attempt: Attempt,
             now: datetime) -> tuple[int, list[RuleFailure]]:
    """Whether a redeem would succeed now; counts against velocity limits.
    Raises nothing for rule failures (they are the answer); the caller raises
    RATE_LIMITED after this transaction commits the attempt."""
    hot = Hot(session)
    over = over_velocity(hot, cfg, attempt.subject_ref, attempt.source, now)
    locked, view = locked_view(hot, cfg, attempt, now)
    discount = 0
    if over or locked:
        failures = [rule_failure("RATE_LIMITED")]
    elif view is None:
        failures = [rule_failure("CODE_NOT_FOUND")]
        count_not_found(hot, cfg, attempt.subject_ref, attempt.source, now)
    else:
        discount, failures = _rules(session, view, attempt, now, with_customer=True)
    log_attempt(hot, "VALIDATE", attempt, view, now, failures[0].reason if failures else "",
                0 if failures else discount)
    return discount, failures


def take(hot: Hot, view: Mapping[str, Any], subject_ref: str, discount: int) -> None:
    """Counts one use against every limit, or raises the limit that refused it.

    Rows are always locked in the same order, coldest first and the
    promotion's counter row (shared by every redeem of the promotion) last,
    right before commit, so it is held as briefly as possible: subject
    counter, then code, then promotion. Each is a conditional UPDATE whose
    row count is checked: under READ COMMITTED a waiting UPDATE re-checks its
    WHERE clause against the committed row, so no interleaving passes a limit."""
    promotion_id = view["promotion_id"]
    if hot.execute("customer", promotion_id=promotion_id, subject_ref=subject_ref,
                   limit=view["per_customer_limit"]).fetchone() is None:
        raise refuse("CUSTOMER_LIMIT_REACHED")
    if view["use_limit"] is not None and hot.execute("code", code=view["code"]).rowcount != 1:
        raise refuse(_code_refusal(hot, view["code"]))
    if hot.execute("promotion", promotion_id=promotion_id, discount=discount).rowcount != 1:
        raise refuse(_promotion_refusal(hot, promotion_id))


def _code_refusal(hot: Hot, key: str) -> str:
    state = hot.execute("code_state", code=key).fetchone()[0]
    return {CodeState.VOIDED: "CODE_VOIDED", CodeState.EXPIRED: "CODE_EXPIRED"}.get(state, "CODE_EXHAUSTED")


def _promotion_refusal(hot: Hot, promotion_id: str) -> str:
    state, total, count = hot.execute("promotion_state", promotion_id=promotion_id).fetchone()
    if state == PromotionState.PAUSED:
        return "PROMOTION_PAUSED"
    if state == PromotionState.ENDED:
        return "CODE_EXPIRED"
    if total and count >= total:
        return "PROMOTION_LIMIT_REACHED"
    return "PROMOTION_BUDGET_EXHAUSTED"


def give_back(session: Session, promotion_id: str, subject_ref: str, key: str, discount: int) -> None:
    """Returns one use to every counter `take` counted it against (same row order)."""
    c = customer_counters.c
    session.execute(update(customer_counters).where(
        c.promotion_id == promotion_id, c.subject_ref == subject_ref, c.redemption_count > 0,
    ).values(redemption_count=c.redemption_count - 1))
    session.execute(update(codes).where(
        codes.c.code == key, codes.c.use_limit.is_not(None), codes.c.uses_remaining < codes.c.use_limit,
    ).values(uses_remaining=codes.c.uses_remaining + 1))
    p = promotions.c
    session.execute(update(promotions).where(p.promotion_id == promotion_id).values(
        redemption_count=p.redemption_count - 1, discount_spent_minor=p.discount_spent_minor - discount))


def _checked(session: Session, cfg: RedemptionSettings, attempt: Attempt,
             now: datetime) -> tuple[Hot, dict[str, Any], int]:
    """Velocity, lock-out and every rule as of the last commit; raises the first that fails."""
    hot = Hot(session)
    over = over_velocity(hot, cfg, attempt.subject_ref, attempt.source, now)
    locked, view = locked_view(hot, cfg, attempt, now)
    if over or locked:
        raise refuse("RATE_LIMITED")
    if view is None:
        raise refuse("CODE_NOT_FOUND")
    discount, failures = _rules(session, view, attempt, now, with_customer=False)
    if failures:
        raise error_for(failures[0])
    return hot, view, discount


def redeem(session: Session, cfg: RedemptionSettings, attempt: Attempt, now: datetime,
           decided: Callable[[Hot, dict[str, Any]], None] = lambda hot, row: None) -> dict[str, Any]:
    """Applies a code to an order: every limit checked and counted, the
    redemption and its log entry written, or nothing at all. `decided` is
    called with the redemption before anything is written (the idempotency
    key goes first, so a concurrent duplicate waits there holding nothing)."""
    hot, view, discount = _checked(session, cfg, attempt, now)
    row = dict(
        redemption_id=new_id("red"), code=view["code"], promotion_id=view["promotion_id"],
        campaign_id=view["campaign_id"], subject_ref=attempt.subject_ref, order_id=attempt.order.order_id,
        order_total_minor=attempt.order.total_minor, currency_code=attempt.order.currency_code,
        discount_minor=discount, state=int(RedemptionState.REDEEMED), redeem_time=now, rollback_time=None,
        rollback_reason="", issue_time=view["publish_time"] or view["code_create_time"], reservation_id=None,
        display=view["display"])
    decided(hot, row)
    hot.execute("redemption", **{k: row[k] for k in (
        "redemption_id", "code", "promotion_id", "campaign_id", "subject_ref", "order_id", "order_total_minor",
        "currency_code", "discount_minor", "state")}, redeem_time=hot.time(now), issue_time=hot.time(row["issue_time"]))
    log_attempt(hot, "REDEEM", attempt, view, now, "", discount, delta=1, reference_id=row["redemption_id"])
    take(hot, view, attempt.subject_ref, discount)
    return row


def reserve(session: Session, cfg: RedemptionSettings, attempt: Attempt, hold_seconds: int,
            now: datetime, decided: Callable[[Hot, dict[str, Any]], None] = lambda hot, row: None) -> dict[str, Any]:
    """Holds one use of a code for an order; it counts against every limit while held."""
    hot, view, discount = _checked(session, cfg, attempt, now)
    row = dict(
        reservation_id=new_id("rsv"), code=view["code"], promotion_id=view["promotion_id"],
        subject_ref=attempt.subject_ref, order_id=attempt.order.order_id,
        order_total_minor=attempt.order.total_minor, currency_code=attempt.order.currency_code,
        discount_minor=discount, state=int(ReservationState.HELD), expire_time=now + timedelta(seconds=hold_seconds),
        redemption_id=None, issue_time=view["publish_time"] or view["code_create_time"], create_time=now,
        display=view["display"])
    decided(hot, row)
    hot.execute("reservation", **{k: row[k] for k in (
        "reservation_id", "code", "promotion_id", "subject_ref", "order_id", "order_total_minor", "currency_code",
        "discount_minor", "state")}, expire_time=hot.time(row["expire_time"]), issue_time=hot.time(row["issue_time"]),
        create_time=hot.time(now))
    log_attempt(hot, "RESERVE", attempt, view, now, "", discount, delta=1, reference_id=row["reservation_id"])
    take(hot, view, attempt.subject_ref, discount)
    return row


def _with_display(table):
    """Rows of `table` with the code's display form alongside its key."""
    return select(table, codes.c.display).join_from(table, codes, codes.c.code == table.c.code)


def get_reservation(session: Session, reservation_id: str) -> Mapping[str, Any]:
    row = session.execute(_with_display(reservations).where(reservations.c.reservation_id == reservation_id)
                          ).mappings().first()
    if row is None:
        raise NotFound("RESERVATION_NOT_FOUND", "no such reservation")
    return row


def get_redemption(session: Session, redemption_id: str) -> Mapping[str, Any]:
    row = session.execute(_with_display(redemptions).where(redemptions.c.redemption_id == redemption_id)
                          ).mappings().first()
    if row is None:
        raise NotFound("REDEMPTION_NOT_FOUND", "no such redemption")
    return row


def _log_row(session: Session, action: str, row: Mapping[str, Any], campaign_id: str, now: datetime,
             delta: int, reference_id: str) -> None:
    session.execute(insert(attempts).values(
        attempt_time=now, action=action, outcome="SUCCESS", reason="", promotion_id=row["promotion_id"],
        campaign_id=campaign_id, code=row["code"], subject_ref=row["subject_ref"], order_id=row["order_id"],
        order_total_minor=row["order_total_minor"], currency_code=row["currency_code"],
        discount_minor=row["discount_minor"], delta_count=delta, delta_discount_minor=delta * row["discount_minor"],
        reference_id=reference_id))


def confirm(session: Session, reservation_id: str, now: datetime) -> Mapping[str, Any]:
    """Turns a held reservation into a redemption; confirming twice redeems once."""
    redemption_id = new_id("red")
    r = reservations.c
    done = session.execute(update(reservations).where(
        r.reservation_id == reservation_id, r.state == ReservationState.HELD, r.expire_time > now,
    ).values(state=ReservationState.CONFIRMED, redemption_id=redemption_id)).rowcount
    reservation = get_reservation(session, reservation_id)
    if done != 1:
        if reservation["state"] == ReservationState.CONFIRMED:
            return get_redemption(session, reservation["redemption_id"])
        if reservation["state"] == ReservationState.RELEASED:
            raise FailedPrecondition("RESERVATION_RELEASED", "the reservation was released")
        raise FailedPrecondition("RESERVATION_EXPIRED", "the reservation's hold ran out")
    campaign_id = session.execute(select(promotions.c.campaign_id).where(
        promotions.c.promotion_id == reservation["promotion_id"])).scalar() or ""
    session.execute(insert(redemptions).values(
        redemption_id=redemption_id, code=reservation["code"], promotion_id=reservation["promotion_id"],
        campaign_id=campaign_id, subject_ref=reservation["subject_ref"], order_id=reservation["order_id"],
        order_total_minor=reservation["order_total_minor"], currency_code=reservation["currency_code"],
        discount_minor=reservation["discount_minor"], state=RedemptionState.REDEEMED, redeem_time=now,
        rollback_time=None, rollback_reason="", issue_time=reservation["issue_time"],
        reservation_id=reservation_id))
    _log_row(session, "CONFIRM", reservation, campaign_id, now, 0, redemption_id)
    return get_redemption(session, redemption_id)


def _end_hold(session: Session, reservation_id: str, state: ReservationState, now: datetime,
              only_if_due: bool) -> bool:
    r = reservations.c
    conditions = [r.reservation_id == reservation_id, r.state == ReservationState.HELD]
    if only_if_due:
        conditions.append(r.expire_time <= now)
    if session.execute(update(reservations).where(*conditions).values(state=state)).rowcount != 1:
        return False
    row = get_reservation(session, reservation_id)
    give_back(session, row["promotion_id"], row["subject_ref"], row["code"], row["discount_minor"])
    campaign_id = session.execute(select(promotions.c.campaign_id).where(
        promotions.c.promotion_id == row["promotion_id"])).scalar() or ""
    _log_row(session, "RELEASE" if state == ReservationState.RELEASED else "EXPIRE", row, campaign_id, now, -1,
             reservation_id)
    return True


def release(session: Session, reservation_id: str, now: datetime) -> Mapping[str, Any]:
    """Gives a held use back; releasing again (or after expiry) changes nothing."""
    if not _end_hold(session, reservation_id, ReservationState.RELEASED, now, only_if_due=False):
        row = get_reservation(session, reservation_id)
        if row["state"] == ReservationState.CONFIRMED:
            raise FailedPrecondition("RESERVATION_CONFIRMED",
                                     "the reservation became a redemption; roll the redemption back instead")
    return get_reservation(session, reservation_id)


def rollback(session: Session, redemption_id: str, reason: str, now: datetime) -> Mapping[str, Any]:
    """Returns a redemption's uses and budget; a second rollback changes nothing."""
    r = redemptions.c
    done = session.execute(update(redemptions).where(
        r.redemption_id == redemption_id, r.state == RedemptionState.REDEEMED,
    ).values(state=RedemptionState.ROLLED_BACK, rollback_time=now, rollback_reason=reason)).rowcount
    row = get_redemption(session, redemption_id)
    if done == 1:
        give_back(session, row["promotion_id"], row["subject_ref"], row["code"], row["discount_minor"])
        _log_row(session, "ROLLBACK", row, row["campaign_id"], now, -1, redemption_id)
    return row


def list_redemptions(session: Session, promotion_id: str, subject_ref: str, after: str | None,
                     limit: int) -> list[Mapping[str, Any]]:
    query = _with_display(redemptions).order_by(redemptions.c.redemption_id).limit(limit + 1)
    if promotion_id:
        query = query.where(redemptions.c.promotion_id == promotion_id)
    if subject_ref:
        query = query.where(redemptions.c.subject_ref == subject_ref)
    if after:
        query = query.where(redemptions.c.redemption_id > after)
    return list(session.execute(query).mappings())


# --- the attempt log -------------------------------------------------------------------


def log_attempt(hot: Hot, action: str, attempt: Attempt, view: Mapping[str, Any] | None, now: datetime,
                reason: str, discount: int, *, delta: int = 0, reference_id: str = "") -> None:
    hot.execute("attempt", attempt_time=hot.time(now), action=action, outcome="FAILURE" if reason else "SUCCESS",
                reason=reason, promotion_id=view["promotion_id"] if view else None,
                campaign_id=view["campaign_id"] if view else "", code=attempt.key[:80],
                subject_ref=attempt.subject_ref, order_id=attempt.order.order_id,
                order_total_minor=attempt.order.total_minor, currency_code=attempt.order.currency_code,
                discount_minor=discount, delta_count=delta, delta_discount_minor=delta * discount,
                reference_id=reference_id)


def record_failure(session: Session, cfg: RedemptionSettings, action: str, attempt: Attempt, reason: str,
                   now: datetime) -> None:
    """After a refused reserve/redeem was rolled back: count the attempt against
    the velocity limits and log it, in a transaction of its own."""
    hot = Hot(session)
    over_velocity(hot, cfg, attempt.subject_ref, attempt.source, now)
    if reason == "CODE_NOT_FOUND":
        count_not_found(hot, cfg, attempt.subject_ref, attempt.source, now)
    _, view = locked_view(hot, cfg, attempt, now)
    log_attempt(hot, action, attempt, view, now, reason, 0)


# --- idempotent attempts ----------------------------------------------------------------


def run_attempt(database: Database, method: str, request: Message, response_type: type[R],
                work: Callable[[Session, Callable[[Hot, R], None]], R], on_refusal: Callable[[DomainError], None]) -> R:
    """Runs a redeem-like write at most once per request_id, in ONE transaction
    on the happy path. `work(session, store)` calls `store(response)` once the
    outcome is decided and before it writes anything else: the response is
    stored under (method, request_id) in the same transaction (as in
    couponry_runtime.idempotency, but without a separate lookup first). A
    retry of a request that already succeeded is caught either by that unique
    key or by the rule it now fails, and answered with the stored response.
    A refusal is rolled back whole and then recorded by `on_refusal`."""
    request_id = request.request_id
    if not request_id:
        raise InvalidArgument("MISSING_REQUEST_ID", "request_id is required for this method",
                              field_violations=[FieldViolation("request_id", "is required", "MISSING_FIELD")])
    if len(request_id) > MAX_REQUEST_ID_LENGTH:
        raise InvalidArgument("INVALID_REQUEST_ID", "request_id is too long",
                              field_violations=[FieldViolation("request_id",
                                                               f"at most {MAX_REQUEST_ID_LENGTH} characters")])
    request_hash = fingerprint(request)
    stored_responses = IdempotentWrites(database, idempotency_keys)
    try:
        # A bare connection rather than an ORM session (these writes are all
        # plain SQL), and the handler thread's own: this runs on every checkout.
        with database.pinned() as session:
            def store(hot: Hot, response: R) -> None:
                hot.execute("idempotency", method=method, request_id=request_id, request_hash=request_hash,
                            response=response.SerializeToString(), create_time=hot.time(utcnow()))
            response = work(session, store)
            # Commit on the driver at once: the promotion's counter row, locked
            # by the last statement of `work`, is released without waiting for
            # the ORM's bookkeeping (its own commit then finds nothing to do).
            session.connection.driver_connection.commit()
            return response
    except (IntegrityError, *DRIVER_INTEGRITY_ERRORS):
        stored = stored_responses.stored(method, request_id, request_hash, response_type)
        if stored is None:
            raise
        return stored
    except DomainError as error:
        stored = stored_responses.stored(method, request_id, request_hash, response_type)
        if stored is not None:
            return stored
        on_refusal(error)
        raise


# --- scheduled expiry -----------------------------------------------------------------


def expire_due(database: Database, now: datetime, batch: int = 500) -> dict[str, int]:
    """Expires held reservations, codes and promotions past their time, and
    drops rate counters too old to matter. Safe to run on every replica at
    once: each change is a conditional UPDATE."""
    counts = {"reservations": 0, "codes": 0, "promotions": 0}
    while True:
        with database.transaction() as session:
            due = list(session.scalars(select(reservations.c.reservation_id).where(
                reservations.c.state == ReservationState.HELD, reservations.c.expire_time <= now,
            ).order_by(reservations.c.expire_time).limit(batch)))
        for reservation_id in due:
            with database.transaction() as session:
                counts["reservations"] += _end_hold(session, reservation_id, ReservationState.EXPIRED, now,
                                                    only_if_due=True)
        if len(due) < batch:
            break
    # Promotions and codes in transactions of their own: a redeem locks its
    # code before its promotion, so one transaction locking a promotion and
    # then its codes could deadlock with it.
    with database.transaction() as session:
        counts["promotions"] = session.execute(update(promotions).where(
            promotions.c.state.in_([PromotionState.ACTIVE, PromotionState.PAUSED]), promotions.c.end_time <= now,
        ).values(state=PromotionState.ENDED, update_time=now)).rowcount
    with database.transaction() as session:
        ended = select(promotions.c.promotion_id).where(
            or_(promotions.c.state == PromotionState.ENDED, promotions.c.end_time <= now))
        counts["codes"] = session.execute(update(codes).where(
            codes.c.state == CodeState.ACTIVE,
            or_(codes.c.expire_time <= now, codes.c.promotion_id.in_(ended)),
        ).values(state=CodeState.EXPIRED)).rowcount
    with database.transaction() as session:
        # Minute windows and not-found windows: keep the last day.
        session.execute(rate_counters.delete().where(
            rate_counters.c.counter_key.like("v:%"),
            rate_counters.c.window_start < int(now.timestamp()) // 60 - 2))
        session.execute(rate_counters.delete().where(
            rate_counters.c.counter_key.like("nf:%"),
            rate_counters.c.window_start < (int(now.timestamp()) - 86_400) // 60))
    return counts


# --- analytics and consistency ------------------------------------------------------------


@dataclass
class Stats:
    minted: int = 0
    published: int = 0
    redeemed: int = 0
    rate: float = 0.0
    p50_seconds: float = 0.0
    p90_seconds: float = 0.0
    discount_minor: int = 0
    order_value_minor: int = 0
    currency_code: str = ""
    failures: dict[str, int] | None = None


def promotion_stats(session: Session, promotion_ids: list[str], start: datetime | None,
                    end: datetime) -> Stats:
    stats = Stats(failures={})
    if not promotion_ids:
        return stats
    stats.currency_code = session.execute(select(promotions.c.currency_code).where(
        promotions.c.promotion_id.in_(promotion_ids)).order_by(promotions.c.promotion_id).limit(1)).scalar() or ""

    def window(column):
        return and_(column >= start, column <= end) if start is not None else column <= end

    c = codes.c
    stats.minted = session.execute(select(func.count()).where(
        c.promotion_id.in_(promotion_ids), window(c.create_time))).scalar_one()
    stats.published = session.execute(select(func.count()).where(
        c.promotion_id.in_(promotion_ids), c.publish_time.is_not(None), window(c.publish_time))).scalar_one()
    r = redemptions.c
    rows = session.execute(select(r.redeem_time, r.issue_time, r.discount_minor, r.order_total_minor).where(
        r.promotion_id.in_(promotion_ids), r.state == RedemptionState.REDEEMED, window(r.redeem_time))).all()
    stats.redeemed = len(rows)
    stats.discount_minor = sum(row.discount_minor for row in rows)
    stats.order_value_minor = sum(row.order_total_minor for row in rows)
    waits = [max(0.0, (as_utc(row.redeem_time) - as_utc(row.issue_time)).total_seconds()) for row in rows]
    stats.p50_seconds, stats.p90_seconds = percentile(waits, 0.5), percentile(waits, 0.9)
    base = stats.published or stats.minted
    stats.rate = stats.redeemed / base if base else 0.0
    a = attempts.c
    for reason, count in session.execute(select(a.reason, func.count()).where(
            a.promotion_id.in_(promotion_ids), a.outcome == "FAILURE", a.action.in_(["REDEEM", "RESERVE"]),
            window(a.attempt_time)).group_by(a.reason)):
        stats.failures[reason] = count
    return stats


def campaign_promotions(session: Session, campaign_id: str) -> list[str]:
    return list(session.scalars(select(promotions.c.promotion_id).where(promotions.c.campaign_id == campaign_id)))


@dataclass
class Consistency:
    counter_count: int
    recomputed_count: int
    counter_discount: int
    recomputed_discount: int
    currency_code: str
    discrepancies: list[str]

    @property
    def consistent(self) -> bool:
        return not self.discrepancies


def check_consistency(session: Session, promotion_id: str) -> Consistency:
    """Recomputes every counter of a promotion from the attempt log (and from
    the redemptions and reservations tables) and lists what disagrees."""
    promotion = get_promotion(session, promotion_id)
    a = attempts.c
    mine = a.promotion_id == promotion_id
    count, discount = session.execute(select(
        func.coalesce(func.sum(a.delta_count), 0), func.coalesce(func.sum(a.delta_discount_minor), 0)).where(mine)
    ).one()
    problems = []
    if (count, discount) != (promotion["redemption_count"], promotion["discount_spent_minor"]):
        problems.append("promotion counters differ from the attempt log")
    held = session.execute(select(func.count(), func.coalesce(func.sum(reservations.c.discount_minor), 0)).where(
        reservations.c.promotion_id == promotion_id, reservations.c.state == ReservationState.HELD)).one()
    done = session.execute(select(func.count(), func.coalesce(func.sum(redemptions.c.discount_minor), 0)).where(
        redemptions.c.promotion_id == promotion_id, redemptions.c.state == RedemptionState.REDEEMED)).one()
    if (held[0] + done[0], held[1] + done[1]) != (promotion["redemption_count"], promotion["discount_spent_minor"]):
        problems.append("promotion counters differ from redemptions plus held reservations")
    per_subject = dict(session.execute(select(a.subject_ref, func.sum(a.delta_count)).where(mine)
                                       .group_by(a.subject_ref)).all())
    for subject, value in session.execute(select(customer_counters.c.subject_ref, customer_counters.c.redemption_count)
                                          .where(customer_counters.c.promotion_id == promotion_id)):
        if per_subject.pop(subject, 0) != value:
            problems.append("a subject counter differs from the attempt log")
    if any(per_subject.values()):
        problems.append("the attempt log counts uses of a subject without a counter")
    per_code = dict(session.execute(select(a.code, func.sum(a.delta_count)).where(mine).group_by(a.code)).all())
    for key, use_limit, remaining in session.execute(select(codes.c.code, codes.c.use_limit, codes.c.uses_remaining)
                                                     .where(codes.c.promotion_id == promotion_id,
                                                            codes.c.use_limit.is_not(None))):
        if use_limit - remaining != per_code.get(key, 0):
            problems.append("a code's remaining uses differ from the attempt log")
    return Consistency(promotion["redemption_count"], int(count), promotion["discount_spent_minor"], int(discount),
                       promotion["currency_code"], sorted(set(problems)))
