"""The benchmark analyzes its own tables before every round, so that the
servers' long-lived connections do not keep plans PostgreSQL made while the
tables were nearly empty (autovacuum, which would, is off on some machines)."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.helpers import POSTGRES_URL

from .script import bench

pytestmark = pytest.mark.postgres_only


def _reltuples(conn, schema: str, table: str) -> float:
    return conn.execute("SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = %s AND c.relname = %s", (schema, table)).fetchone()[0]


def test_every_table_of_the_schema_and_no_other_is_analyzed():
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    ours, other = f"bench{uuid.uuid4().hex[:8]}_redemption", f"other{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        try:
            for schema in (ours, other):
                conn.execute(f'CREATE SCHEMA "{schema}"')
                for table in ("rate_counters", "Codes"):
                    conn.execute(f'CREATE TABLE "{schema}"."{table}" (k integer PRIMARY KEY)')
                    conn.execute(f'INSERT INTO "{schema}"."{table}" SELECT generate_series(1, 500)')

            analyzed = bench.analyze_schema(dsn, ours)

            assert analyzed == ["Codes", "rate_counters"]
            # -1 is "never analyzed or vacuumed": the planner guesses the row count.
            assert _reltuples(conn, ours, "rate_counters") == _reltuples(conn, ours, "Codes") == 500
            # Autovacuum may analyze a table at any time, but never as a manual ANALYZE.
            assert conn.execute("SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = %s "
                                "AND last_analyze IS NOT NULL", (other,)).fetchone()[0] == 0
        finally:
            for schema in (ours, other):
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
