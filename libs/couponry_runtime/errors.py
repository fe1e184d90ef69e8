"""Domain errors and their mapping to rich gRPC statuses (AIP-193).

Domain code raises a `DomainError` subclass with a stable reason; the server
interceptor turns it into a canonical status code plus `google.rpc.ErrorInfo`
and, for bad input, `google.rpc.BadRequest` field violations. Messages are
written for operators and must never contain personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status


@dataclass(frozen=True)
class FieldViolation:
    """One invalid field: its path in the request and what is wrong with it."""

    field: str
    description: str
    reason: str = ""


class DomainError(Exception):
    """An expected failure with a stable machine-readable reason."""

    code: grpc.StatusCode = grpc.StatusCode.FAILED_PRECONDITION

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        field_violations: Iterable[FieldViolation] = (),
        metadata: Mapping[str, str] | None = None,
        code: grpc.StatusCode | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field_violations = tuple(field_violations)
        self.metadata = dict(metadata or {})
        if code is not None:
            self.code = code


class InvalidArgument(DomainError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(DomainError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(DomainError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(DomainError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class ResourceExhausted(DomainError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class Aborted(DomainError):
    code = grpc.StatusCode.ABORTED


class Unavailable(DomainError):
    code = grpc.StatusCode.UNAVAILABLE


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def to_status(error: DomainError, domain: str) -> grpc.Status:
    """The rich status a client receives for `error`."""
    details = [_pack(error_details_pb2.ErrorInfo(reason=error.reason, domain=domain, metadata=error.metadata))]
    if error.field_violations:
        details.append(
            _pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(
                            field=v.field, description=v.description, reason=v.reason
                        )
                        for v in error.field_violations
                    ]
                )
            )
        )
    return rpc_status.to_status(
        status_pb2.Status(code=error.code.value[0], message=error.message, details=details)
    )


def internal_status(domain: str) -> grpc.Status:
    """What a client sees for an unexpected failure: no internals, no data."""
    return rpc_status.to_status(
        status_pb2.Status(
            code=code_pb2.INTERNAL,
            message="internal error",
            details=[_pack(error_details_pb2.ErrorInfo(reason="INTERNAL", domain=domain))],
        )
    )


@dataclass(frozen=True)
class RichError:
    """The parts of a rich status a client cares about, read off an RpcError."""

    code: grpc.StatusCode
    message: str
    reason: str | None
    domain: str | None
    metadata: dict[str, str]
    field_violations: tuple[FieldViolation, ...]


def parse_rpc_error(error: grpc.RpcError) -> RichError:
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    reason = domain = None
    metadata: dict[str, str] = {}
    violations: list[FieldViolation] = []
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, domain, metadata = info.reason, info.domain, dict(info.metadata)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations += [FieldViolation(v.field, v.description, v.reason) for v in bad.field_violations]
    return RichError(error.code(), error.details() or "", reason, domain, metadata, tuple(violations))
