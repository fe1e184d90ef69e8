"""The hand-written migration creates exactly the tables the code maps."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from couponry_services.profile.repository import Base


def test_migration_matches_the_models(database):
    db = database("profile")
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
