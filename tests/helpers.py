"""Small helpers shared by tests: stubs on loopback and reading rich errors."""

from __future__ import annotations

import grpc
import pytest

from couponry_runtime.errors import RichError, parse_rpc_error


def channel_to(service) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{service.port}")


def rpc_error(call, *args, **kwargs) -> RichError:
    """Runs a call that must fail and returns its parsed rich status."""
    with pytest.raises(grpc.RpcError) as caught:
        call(*args, **kwargs)
    return parse_rpc_error(caught.value)
