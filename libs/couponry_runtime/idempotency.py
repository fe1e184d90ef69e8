"""Idempotent writes by request_id (AIP-155).

The first response to a (method, request_id) pair is stored in the same
transaction as the write it describes, so a retry either finds the whole
effect and its response or neither. A request_id reused with a different
request is refused rather than silently answered with another request's result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from google.protobuf.message import Message
from sqlalchemy import Column, DateTime, LargeBinary, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import Database
from .errors import FailedPrecondition, FieldViolation, InvalidArgument

R = TypeVar("R", bound=Message)

MAX_REQUEST_ID_LENGTH = 128


TABLE_NAME = "idempotency_keys"


def idempotency_columns() -> list[Column]:
    """The columns of the stored-responses table; migrations create it from these."""
    return [
        Column("method", String(128), primary_key=True),
        Column("request_id", String(MAX_REQUEST_ID_LENGTH), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("response", LargeBinary, nullable=False),
        Column("create_time", DateTime(timezone=True), nullable=False),
    ]


def idempotency_table(metadata: MetaData) -> Table:
    """The table each service keeps its stored responses in."""
    return Table(TABLE_NAME, metadata, *idempotency_columns())


def fingerprint(request: Message) -> str:
    """What identifies a request's content: a retry must match it exactly."""
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


class IdempotentWrites:
    """Runs writes at most once per (method, request_id)."""

    def __init__(self, database: Database, table: Table) -> None:
        self.database = database
        self.table = table

    def run(
        self,
        method: str,
        request: Message,
        response_type: type[R],
        work: Callable[[Session], R],
        *,
        required: bool = False,
    ) -> R:
        request_id = getattr(request, "request_id", "")
        if len(request_id) > MAX_REQUEST_ID_LENGTH:
            raise InvalidArgument("INVALID_REQUEST_ID", "request_id is too long",
                                  field_violations=[FieldViolation("request_id", f"at most {MAX_REQUEST_ID_LENGTH} characters")])
        if not request_id:
            if required:
                raise InvalidArgument("MISSING_REQUEST_ID", "request_id is required for this method",
                                      field_violations=[FieldViolation("request_id", "is required", "MISSING_FIELD")])
            return self.database.run(work)
        request_hash = fingerprint(request)
        stored = self.stored(method, request_id, request_hash, response_type)
        if stored is not None:
            return stored
        try:
            with self.database.transaction() as session:
                response = work(session)
                session.execute(self.table.insert().values(
                    method=method, request_id=request_id, request_hash=request_hash,
                    response=response.SerializeToString(), create_time=datetime.now(UTC)))
            return response
        except IntegrityError:
            # A concurrent retry committed first; its effect stands and ours was
            # rolled back whole. Answer with its response.
            stored = self.stored(method, request_id, request_hash, response_type)
            if stored is None:
                raise
            return stored

    def purge(self, older_than: datetime) -> int:
        """Forgets stored responses recorded before `older_than` (AIP-155 lets
        request ids expire); a retry after that is treated as a new request."""
        with self.database.transaction() as session:
            result = session.execute(self.table.delete().where(self.table.c.create_time < older_than))
        return result.rowcount or 0

    def replay(self, method: str, request: Message, response_type: type[R]) -> R | None:
        """The stored response of an earlier identical request, if there was one.

        For writes that call other services before their own transaction:
        check here first, make the calls with request ids derived from this
        one, then `run` the local write.
        """
        request_id = getattr(request, "request_id", "")
        if not request_id:
            return None
        return self.stored(method, request_id, fingerprint(request), response_type)

    def stored(self, method: str, request_id: str, request_hash: str, response_type: type[R]) -> R | None:
        """The response stored for (method, request_id); REQUEST_ID_REUSED if the request differed."""
        with self.database.read() as session:
            row = session.execute(
                select(self.table.c.request_hash, self.table.c.response).where(
                    self.table.c.method == method, self.table.c.request_id == request_id)
            ).first()
        if row is None:
            return None
        if row.request_hash != request_hash:
            raise FailedPrecondition("REQUEST_ID_REUSED", "request_id was already used for a different request",
                                     field_violations=[FieldViolation("request_id", "was used for a different request")])
        response = response_type()
        response.ParseFromString(row.response)
        return response
