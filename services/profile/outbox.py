"""Delivery of queued peer notifications (the transactional outbox).

Rows are written by the use cases in the same transaction as the change that
causes them; `Dispatcher.run_once` delivers what is due, deletes what a peer
acknowledged and reschedules the rest with exponential backoff. A peer that
is down, times out or answers UNIMPLEMENTED (not built yet) has not
acknowledged: the row stays and is retried until it is. Rows of one subject
are delivered to one peer in the order they were written, so a "forget"
never overtakes events queued before it.

Several replicas may run the job: on PostgreSQL a session-level advisory
lock lets one pass run at a time (order is kept), and rows are claimed with a
lease so a pass that dies leaves them to be retried after it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import grpc
from sqlalchemy import delete, func, select, text, update

from couponry.campaign.v1 import campaign_service_pb2, campaign_service_pb2_grpc
from couponry.redemption.v1 import redemption_service_pb2, redemption_service_pb2_grpc
from couponry.segmentation.v1 import segment_pb2, segmentation_service_pb2, segmentation_service_pb2_grpc
from couponry.type.v1 import money_pb2
from couponry_runtime.channels import Peers
from couponry_runtime.convert import as_utc, to_timestamp, utcnow
from couponry_runtime.db import Database

from .repository import OutboxRow

log = logging.getLogger("couponry.profile.outbox")

MAX_EVENTS_PER_CALL = 1000
LEASE_SECONDS = 60
DISPATCH_LOCK_KEY = int.from_bytes(hashlib.sha256(b"couponry.profile.outbox").digest()[:8], "big", signed=True)
UNREACHABLE = {"UNAVAILABLE", "DEADLINE_EXCEEDED"}


@dataclass
class DispatchResult:
    delivered: int = 0
    failed: int = 0
    pending: int = 0


class Dispatcher:
    """Delivers outbox rows to peers through `peers.channel(name)`."""

    def __init__(self, database: Database, peers: Peers, batch_size: int = 200,
                 max_backoff_seconds: float = 300.0, call_timeout_seconds: float = 2.0) -> None:
        self.call_timeout = call_timeout_seconds
        self.database = database
        self.peers = peers
        self.batch_size = batch_size
        self.max_backoff = max_backoff_seconds
        self._lock = threading.Lock()

    def run_once(self, now: datetime | None = None, ignore_backoff: bool = False) -> DispatchResult:
        """One delivery pass; safe to call from tests, jobs and several replicas.

        Only one pass runs at a time across all replicas (a session-level
        advisory lock on PostgreSQL, the lock below within a process), which
        keeps each subject's notifications in order.
        """
        with self._lock:
            if not self.database.is_postgresql:
                return self._run(now or utcnow(), ignore_backoff)
            with self.database.engine.connect() as connection:
                if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": DISPATCH_LOCK_KEY}).scalar():
                    connection.rollback()
                    return DispatchResult()  # another replica is dispatching
                connection.commit()
                try:
                    return self._run(now or utcnow(), ignore_backoff)
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": DISPATCH_LOCK_KEY})
                    connection.commit()

    def pending(self) -> int:
        with self.database.transaction() as session:
            return session.scalar(select(func.count()).select_from(OutboxRow)) or 0

    def _run(self, now: datetime, ignore_backoff: bool) -> DispatchResult:
        result = DispatchResult()
        # 1. Claim due rows in a short transaction: a lease keeps other
        #    replicas off them while we call peers outside any transaction
        #    (on SQLite an open transaction would hold the write lock).
        with self.database.transaction() as session:
            query = select(OutboxRow).order_by(OutboxRow.outbox_id).limit(self.batch_size)
            if not ignore_backoff:
                query = query.where(OutboxRow.next_attempt_time <= now)
            if self.database.is_postgresql:
                query = query.with_for_update(skip_locked=True)
            rows = list(session.scalars(query))
            due = {row.outbox_id: row.next_attempt_time for row in rows}
            for row in rows:
                row.next_attempt_time = now + timedelta(seconds=LEASE_SECONDS)
        # 2. Deliver, in order, without a transaction.
        blocked: set[tuple[str, str]] = set()  # (peer, subject) with an earlier undelivered row
        done: list[int] = []
        failed: dict[int, str] = {}
        down: set[str] = set()  # peers that did not answer: not tried again in this pass
        i = 0
        while i < len(rows):
            row = rows[i]
            if row.action == "record_events":
                batch = [row]
                while (i + len(batch) < len(rows) and rows[i + len(batch)].action == "record_events"
                       and len(batch) < MAX_EVENTS_PER_CALL):
                    batch.append(rows[i + len(batch)])
                i += len(batch)
                batch = [r for r in batch if (r.peer, r.subject_ref) not in blocked]
            else:
                i += 1
                batch = [] if (row.peer, row.subject_ref) in blocked else [row]
            if batch and batch[0].peer in down:
                for skipped in batch:  # left due, with no attempt counted, for the next pass
                    blocked.add((skipped.peer, skipped.subject_ref))
                continue
            if batch:
                status = self._deliver(batch, blocked, done, failed)
                if status in UNREACHABLE:
                    down.add(batch[0].peer)
        # 3. Record the outcome: acknowledged rows go, the rest wait and retry.
        finished = max(now, utcnow())  # backoff counts from the end of the attempt
        with self.database.transaction() as session:
            if done:
                session.execute(delete(OutboxRow).where(OutboxRow.outbox_id.in_(done)))
            for row in rows:
                if row.outbox_id in done:
                    continue
                if row.outbox_id in failed:
                    attempts = row.attempts + 1
                    delay = min(self.max_backoff, 0.5 * (2 ** min(attempts, 20)))
                    values = dict(attempts=attempts, last_status=failed[row.outbox_id],
                                  next_attempt_time=finished + timedelta(seconds=delay))
                else:  # skipped behind an undelivered row: keep its schedule
                    values = dict(next_attempt_time=due[row.outbox_id])
                session.execute(update(OutboxRow).where(OutboxRow.outbox_id == row.outbox_id).values(**values))
        result.delivered = len(done)
        result.failed = len(failed)
        result.pending = len(rows) - len(done)
        return result

    def _deliver(self, rows: list[OutboxRow], blocked: set, done: list[int], failed: dict[int, str]) -> str:
        status = "OK"
        try:
            self._call(rows)
        except grpc.RpcError as error:
            code = error.code() if hasattr(error, "code") else None
            status = code.name if code is not None else "RPC_ERROR"
        except Exception as error:  # noqa: BLE001 - a bad row must not stop the others
            status = type(error).__name__
        if status == "OK":
            done.extend(r.outbox_id for r in rows)
            return status
        for row in rows:
            failed[row.outbox_id] = status[:32]
            blocked.add((row.peer, row.subject_ref))
        # Names the peer, the action and the status only: never the subject.
        log.warning("outbox delivery to %s (%s) not acknowledged: %s; will retry", rows[0].peer, rows[0].action,
                    status)
        return status

    def _call(self, rows: list[OutboxRow]) -> None:
        row = rows[0]
        channel = self.peers.channel(row.peer)
        if row.action == "forget_subject":
            segmentation_service_pb2_grpc.SegmentationServiceStub(channel).ForgetSubject(
                segmentation_service_pb2.ForgetSubjectRequest(subject_ref=row.subject_ref, request_id=row.request_id),
                wait_for_ready=True, timeout=self.call_timeout)
        elif row.action == "void_subject_offers":
            campaign_service_pb2_grpc.CampaignServiceStub(channel).VoidSubjectOffers(
                campaign_service_pb2.VoidSubjectOffersRequest(subject_ref=row.subject_ref, request_id=row.request_id),
                wait_for_ready=True, timeout=self.call_timeout)
        elif row.action == "void_subject_codes":
            redemption_service_pb2_grpc.RedemptionServiceStub(channel).VoidSubjectCodes(
                redemption_service_pb2.VoidSubjectCodesRequest(subject_ref=row.subject_ref, request_id=row.request_id),
                wait_for_ready=True, timeout=self.call_timeout)
        elif row.action == "record_events":
            segmentation_service_pb2_grpc.SegmentationServiceStub(channel).RecordSubjectEvents(
                segmentation_service_pb2.RecordSubjectEventsRequest(events=[_subject_event(r) for r in rows]),
                wait_for_ready=True, timeout=self.call_timeout)
        else:
            raise ValueError("unknown outbox action")


def _subject_event(row: OutboxRow) -> segment_pb2.SubjectEvent:
    payload = row.payload
    event = segment_pb2.SubjectEvent(
        event_id=payload["event_id"], subject_ref=row.subject_ref, type=payload["type"],
        occur_time=to_timestamp(as_utc(datetime.fromisoformat(payload["occur_time"]))),
        product_id=payload.get("product_id", ""), categories=payload.get("categories", []))
    if payload.get("currency_code"):
        event.amount.CopyFrom(money_pb2.Money(currency_code=payload["currency_code"],
                                              amount_minor=payload.get("amount_minor", 0)))
    return event
