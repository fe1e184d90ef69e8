"""Server and client interceptors shared by every service."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar

import grpc
from opentelemetry import trace
from sqlalchemy.exc import DataError, DBAPIError

from .errors import DomainError, InvalidArgument, Unavailable, internal_status, to_status

log = logging.getLogger("couponry.rpc")

# Span attribute holding the ErrorInfo reason of a call that failed.
ERROR_REASON_ATTRIBUTE = "couponry.error.reason"

# When the request being served must be answered by (time.monotonic() clock);
# outgoing calls made while serving it never outlive it.
_incoming_deadline: ContextVar[float | None] = ContextVar("couponry_incoming_deadline", default=None)


def _wrap_handler(handler: grpc.RpcMethodHandler, wrap: Callable) -> grpc.RpcMethodHandler:
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(wrap(handler.unary_unary, False),
                                                   handler.request_deserializer, handler.response_serializer)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(wrap(handler.unary_stream, True),
                                                    handler.request_deserializer, handler.response_serializer)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(wrap(handler.stream_unary, False),
                                                    handler.request_deserializer, handler.response_serializer)
    return grpc.stream_stream_rpc_method_handler(wrap(handler.stream_stream, True),
                                                 handler.request_deserializer, handler.response_serializer)


class PerMethodInterceptors(grpc.ServerInterceptor):
    """A chain of server interceptors applied once per method instead of once per call.

    gRPC runs every interceptor's `intercept_service` on every call, and each
    one builds fresh wrapper functions and a fresh handler around the same
    servicer method: on a checkout that is several percent of the server's
    CPU. The handler a chain builds for a method is the same every time, as
    long as each interceptor builds it from the method name alone and reads
    everything else (metadata, peer, deadline) from the servicer context when
    the call runs; the interceptors given here must work that way (ours and
    OpenTelemetry's gRPC instrumentation do). The first of `interceptors` is
    the outermost, as in `grpc.server(interceptors=...)`.
    """

    def __init__(self, interceptors: Sequence[grpc.ServerInterceptor]) -> None:
        self._interceptors = tuple(interceptors)
        self._built: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler | None]] = {}

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        built = self._built.get(handler_call_details.method)
        if built is not None and built[0] is handler:
            return built[1]
        wrapped = handler
        for interceptor in reversed(self._interceptors):
            wrapped = interceptor.intercept_service(lambda _details, inner=wrapped: inner, handler_call_details)
            if wrapped is None:
                break
        # Racing first calls may both build; either result is equivalent.
        self._built[handler_call_details.method] = (handler, wrapped)
        return wrapped


class ErrorInterceptor(grpc.ServerInterceptor):
    """Maps domain errors to rich statuses and hides everything else.

    Servicers raise `DomainError`s; nothing else reaches a client except as a
    bare INTERNAL, and the log line names only the method and the exception
    type, because exception text can carry request values.
    """

    def __init__(self, domain: str) -> None:
        self.domain = domain

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method

        def wrap(behavior, streaming: bool):
            def fail(error: Exception, context: grpc.ServicerContext):
                if _is_data_error(error):
                    # The database refused a value (a NUL character in a
                    # string, a number out of range): bad input, not a bug.
                    error = InvalidArgument("INVALID_REQUEST", "a field holds a value that cannot be stored")
                if isinstance(error, DBAPIError) and error.connection_invalidated:
                    # The database went away under us: retryable, not a bug.
                    log.warning("database connection lost in %s", method)
                    error = Unavailable("DATABASE_UNAVAILABLE", "the database is unavailable; retry")
                if isinstance(error, DomainError):
                    _abort(context, to_status(error, self.domain), error.reason)
                log.error("unhandled %s in %s", type(error).__name__, method)
                _abort(context, internal_status(self.domain), "INTERNAL")

            if streaming:
                def stream_behavior(request, context):
                    try:
                        yield from behavior(request, context)
                    except Exception as error:  # noqa: BLE001 - mapped, never leaked
                        if _is_abort(error, context):
                            raise
                        fail(error, context)
                return stream_behavior

            def unary_behavior(request, context):
                try:
                    return behavior(request, context)
                except Exception as error:  # noqa: BLE001 - mapped, never leaked
                    if _is_abort(error, context):
                        raise
                    fail(error, context)
            return unary_behavior

        return _wrap_handler(handler, wrap)


def _abort(context: grpc.ServicerContext, status: grpc.Status, reason: str) -> None:
    # The tracing wrapper around `context` records a span's status code when
    # the code is set or abort() is called, not on abort_with_status(): set
    # the code first so that refused calls do not show as OK in traces. The
    # reason is a stable ErrorInfo reason (never request data).
    trace.get_current_span().set_attribute(ERROR_REASON_ATTRIBUTE, reason)
    context.set_code(status.code)
    context.abort_with_status(status)


def _is_data_error(error: Exception) -> bool:
    if isinstance(error, DataError):
        return True
    # Hot paths may use the driver directly; its DataError has no common base
    # with SQLAlchemy's, so recognise it by the DB-API name.
    return any(cls.__name__ == "DataError" and cls.__module__.startswith("psycopg") for cls in type(error).__mro__)


def _is_abort(error: Exception, context: grpc.ServicerContext) -> bool:
    # context.abort() raises a bare Exception after setting the status; let it through.
    return type(error) is Exception and context.code() is not None


class DeadlinePropagationInterceptor(grpc.ServerInterceptor):
    """Remembers each incoming call's deadline for the calls it makes in turn."""

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None

        def wrap(behavior, streaming: bool):
            def deadline_of(context) -> float | None:
                remaining = context.time_remaining()
                return None if remaining is None or remaining > 1e8 else time.monotonic() + remaining

            if streaming:
                def stream_behavior(request, context):
                    token = _incoming_deadline.set(deadline_of(context))
                    try:
                        yield from behavior(request, context)
                    finally:
                        _incoming_deadline.reset(token)
                return stream_behavior

            def unary_behavior(request, context):
                token = _incoming_deadline.set(deadline_of(context))
                try:
                    return behavior(request, context)
                finally:
                    _incoming_deadline.reset(token)
            return unary_behavior

        return _wrap_handler(handler, wrap)


class DefaultDeadlineInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                                 grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Gives every outgoing call a deadline: the caller's, else the default,
    and never later than the deadline of the request being served."""

    def __init__(self, timeout_seconds: float) -> None:
        self.timeout = timeout_seconds

    def _details(self, details):
        timeout = self.timeout if details.timeout is None else details.timeout
        incoming = _incoming_deadline.get()
        if incoming is not None:
            timeout = min(timeout, max(incoming - time.monotonic(), 0.0))
        if timeout == details.timeout:
            return details
        return _CallDetails(details.method, timeout, details.metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, method, timeout, metadata, credentials, wait_for_ready, compression):
        self.method = method
        self.timeout = timeout
        self.metadata = metadata
        self.credentials = credentials
        self.wait_for_ready = wait_for_ready
        self.compression = compression
