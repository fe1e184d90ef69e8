"""Small helpers shared by tests: stubs on loopback and reading rich errors."""

from __future__ import annotations

import os
import random
import socket

import grpc
import pytest

from couponry_runtime.errors import RichError, parse_rpc_error

# Set (by CI, or by hand) to run every test against PostgreSQL instead of SQLite.
POSTGRES_URL = os.environ.get("COUPONRY_TEST_DATABASE_URL")


def _ephemeral_floor() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
            return int(ports.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A free port below the ephemeral range.

    A port the kernel handed out as ephemeral can be taken by any outgoing
    connection (to PostgreSQL, between services) between picking it and
    binding it; ports below that range are never handed to clients.
    """
    floor = _ephemeral_floor()
    low = max(1024, floor - 12000)
    for _ in range(200):
        port = random.randrange(low, floor)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def drop_database_connections(settings, service: str) -> int:
    """Terminates every PostgreSQL backend a service holds (as a failover or a
    restart of the database would); returns how many there were."""
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            return connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": f"couponry-{settings.database_schema_prefix}{service}"}).scalar()
    finally:
        admin.dispose()


def channel_to(service) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{service.port}")


def rpc_error(call, *args, **kwargs) -> RichError:
    """Runs a call that must fail and returns its parsed rich status."""
    with pytest.raises(grpc.RpcError) as caught:
        call(*args, **kwargs)
    return parse_rpc_error(caught.value)
