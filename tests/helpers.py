"""Small helpers shared by tests: stubs on loopback and reading rich errors."""

from __future__ import annotations

import os
import socket

import grpc
import pytest

from couponry_runtime.errors import RichError, parse_rpc_error

# Set (by CI, or by hand) to run every test against PostgreSQL instead of SQLite.
POSTGRES_URL = os.environ.get("COUPONRY_TEST_DATABASE_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def channel_to(service) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{service.port}")


def rpc_error(call, *args, **kwargs) -> RichError:
    """Runs a call that must fail and returns its parsed rich status."""
    with pytest.raises(grpc.RpcError) as caught:
        call(*args, **kwargs)
    return parse_rpc_error(caught.value)
