"""Database access shared by the services: engines from URLs, migrations at
start, and transactions that commit whole or not at all."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

T = TypeVar("T")


def _normalize_url(url: str) -> str:
    # Accept the URLs operators usually have at hand and pick the psycopg 3
    # driver we ship with.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# A connection is given back and replaced after this long (pool and pins alike).
RECYCLE_SECONDS = 1800
# Connections a PostgreSQL pool keeps, and how many more it may open under load.
POOL_SIZE, POOL_OVERFLOW = 10, 20


def connection_budget(pinned: int = 0) -> int:
    """The most connections one engine from make_engine(..., pinned) opens."""
    return POOL_SIZE + POOL_OVERFLOW + pinned


def make_engine(url: str, schema: str | None = None, pinned: int = 0) -> Engine:
    """An engine for `url`; on PostgreSQL every connection works in `schema`.
    `pinned`: how many threads may keep a connection of their own
    (`Database.pinned`); the pool grows by that many so they never starve
    the rest."""
    url = _normalize_url(url)
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        if not in_memory:
            Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if in_memory else None,
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):  # pragma: no cover - driver hook
            # Let SQLAlchemy issue BEGIN itself, and make it BEGIN IMMEDIATE so
            # that two writers queue on the lock instead of deadlocking when a
            # read lock is upgraded.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - driver hook
            # Reads begin deferred so that they never wait for (or hold) the
            # single write lock; WAL gives them a consistent snapshot.
            read_only = conn.get_execution_options().get("couponry_read_only", False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    # application_name lets operators tell the services apart in pg_stat_activity.
    connect_args = {"application_name": f"couponry-{schema or 'service'}"[:63]}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    # hide_parameters keeps bound values (personal data) out of exception text.
    # No pre-ping: it costs a round trip on every checkout of the hot paths.
    # A connection that died is detected when it is used; the pool is then
    # invalidated and the call fails UNAVAILABLE (see interceptors), which
    # clients retry safely because every write carries a request_id.
    return create_engine(url, connect_args=connect_args, pool_pre_ping=False, pool_recycle=RECYCLE_SECONDS,
                         pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW + pinned, hide_parameters=True)


def migrate(engine: Engine, script_location: Path, schema: str | None = None) -> None:
    """Bring the database to the newest migration of `script_location`.

    On PostgreSQL the service's schema is created first and an advisory lock
    keeps replicas that start together from migrating at the same time.
    """
    config = Config()
    config.set_main_option("script_location", str(script_location))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            lock_key = int.from_bytes(hashlib.sha256(str(schema).encode()).digest()[:8], "big", signed=True)
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
            if schema:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                connection.execute(text(f'SET search_path TO "{schema}"'))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def run_migrations(target_metadata) -> None:
    """Body of every service's Alembic env.py: migrate on the handed-in connection."""
    from alembic import context

    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("couponry migrations run through couponry_runtime.db.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    context.run_migrations()


def server_warnings(server: Mapping[str, str], connection_budget: int) -> list[str]:
    """What in a PostgreSQL server's settings (name -> value, as SHOW gives
    them) would hurt a service that may open `connection_budget` connections.
    The messages name settings and counts only."""
    warnings = []
    if server.get("autovacuum") == "off":
        # Hot paths keep their statements prepared, and PostgreSQL keeps a
        # prepared statement's plan until the tables' statistics change. Plans
        # made while a table was nearly empty scan it whole; without
        # autovacuum's ANALYZE they are never made again, and every call
        # slows down as the table grows (seen in the redemption benchmark:
        # four times the database CPU per checkout within minutes).
        warnings.append("PostgreSQL's autovacuum is off: nothing refreshes the planner's statistics, so plans "
                        "prepared while tables were small stay in use as they grow and calls slow down; turn "
                        "autovacuum on, or ANALYZE this service's schema on a schedule")
    allowed = int(server.get("max_connections", 0)) - int(server.get("superuser_reserved_connections", 0))
    if 0 < allowed < connection_budget:
        warnings.append(f"this replica may open up to {connection_budget} connections, and the server accepts "
                        f"{allowed} from non-superusers in all; raise max_connections or put PgBouncer in front")
    return warnings


@dataclass
class Database:
    """A service's database: its engine and a unit of work per transaction."""

    engine: Engine
    # The most connections its engine opens, for the server's connection limit.
    connection_budget: int = field(default_factory=connection_budget)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._pin = threading.local()
        self._pins: set[Connection] = set()
        self._pins_lock = threading.Lock()

    @classmethod
    def open(cls, url: str, schema: str | None, migrations: Path, pinned: int = 0) -> Database:
        engine = make_engine(url, schema, pinned)
        migrate(engine, migrations, schema)
        return cls(engine, connection_budget(pinned))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed if the block returns, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction: a consistent snapshot that takes no write lock.

        Anything written in it is rolled back, never committed. Closing (not
        rolling back) the session ends it, so rows read stay usable after.
        """
        with self._sessions() as session:
            session.connection(execution_options={"couponry_read_only": True})
            yield session

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Connection]:
        """One transaction, as `engine.begin()`, on a PostgreSQL connection
        this thread keeps between calls: for paths that run on every request,
        where checking a connection out of the pool and back in costs about
        as much CPU as a statement. Committed if the block returns, rolled
        back if it raises. A connection that broke or reached its recycle age
        is replaced on the next call. SQLite connections are not pinned."""
        if not self.is_postgresql:
            with self.engine.begin() as connection:
                yield connection
            return
        connection = getattr(self._pin, "connection", None)
        if (connection is None or connection.closed or connection.invalidated
                or time.monotonic() - self._pin.since > RECYCLE_SECONDS):
            connection = self._repin(connection)
        elif connection.in_transaction():  # a commit that failed half-way; start clean
            connection.rollback()
        with connection.begin():
            yield connection

    def _repin(self, old: Connection | None) -> Connection:
        with self._pins_lock:
            if old is not None:
                self._pins.discard(old)
                old.close()
            connection = self.engine.connect()
            self._pins.add(connection)
        self._pin.connection, self._pin.since = connection, time.monotonic()
        return connection

    def warnings(self) -> list[str]:
        """server_warnings for this database's server and pool; none on SQLite."""
        if not self.is_postgresql:
            return []
        names = ("autovacuum", "max_connections", "superuser_reserved_connections")
        with self.engine.connect() as connection:
            server = {name: connection.exec_driver_sql(f"SHOW {name}").scalar_one() for name in names}
        return server_warnings(server, self.connection_budget)

    def run(self, work: Callable[[Session], T]) -> T:
        with self.transaction() as session:
            return work(session)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        """Gives back every pinned connection and closes the pool (at shutdown,
        once no request runs any more)."""
        with self._pins_lock:
            pins, self._pins = self._pins, set()
        for connection in pins:
            with contextlib.suppress(Exception):
                connection.close()
        self.engine.dispose()
