"""At start a service warns about PostgreSQL settings that would hurt it:
autovacuum off (its prepared plans would go stale as tables grow) and a
connection limit below what one replica may open."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from couponry_runtime.db import POOL_OVERFLOW, POOL_SIZE, connection_budget, server_warnings


def test_autovacuum_off_is_warned_about_and_on_is_not():
    [warning] = server_warnings({"autovacuum": "off"}, 30)
    assert "autovacuum is off" in warning and "ANALYZE" in warning
    assert server_warnings({"autovacuum": "on"}, 30) == []


@given(st.integers(0, 10_000), st.integers(0, 100), st.integers(1, 10_000))
def test_the_connection_warning_comes_exactly_when_the_budget_exceeds_what_the_server_accepts(
        max_connections, reserved, budget):
    warnings = server_warnings({"autovacuum": "on", "max_connections": str(max_connections),
                                "superuser_reserved_connections": str(reserved)}, budget)

    allowed = max_connections - reserved
    assert bool(warnings) == (0 < allowed < budget)
    if warnings:
        assert f"up to {budget} connections" in warnings[0] and f"accepts {allowed}" in warnings[0]


def test_a_replica_counts_its_pool_and_its_pinned_connections():
    assert connection_budget() == POOL_SIZE + POOL_OVERFLOW
    assert connection_budget(8) == POOL_SIZE + POOL_OVERFLOW + 8


def test_sqlite_has_nothing_to_warn_about(settings, database):
    if settings.database_url_for("redemption")[0].startswith("postgres"):
        pytest.skip("the SQLite case")
    assert database("redemption").warnings() == []


@pytest.mark.postgres_only
def test_the_live_servers_settings_are_read(database):
    db = database("redemption")
    with db.engine.connect() as connection:
        autovacuum = connection.execute(text("SHOW autovacuum")).scalar_one()

    warnings = db.warnings()

    assert any("autovacuum is off" in warning for warning in warnings) == (autovacuum == "off")


@pytest.mark.postgres_only
def test_a_service_logs_the_warnings_when_it_starts(start, database, caplog):
    expected = database("redemption").warnings()
    with caplog.at_level(logging.WARNING, logger="couponry.server"):
        start("redemption")

    assert [r.getMessage() for r in caplog.records if r.name == "couponry.server"] == [
        f"redemption: {warning}" for warning in expected]
