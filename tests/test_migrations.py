"""The migrations build the schema from nothing, go back down, and match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from heza.extensions import db as _db


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(ctx, _db.metadata)


def test_head_matches_the_models(db):
    # The session's app was built by `upgrade()` from an empty database (see conftest).
    assert _diff(_db.engine) == []


def test_down_to_empty_and_up_again(db):
    downgrade(revision="base")
    names = set(sa.inspect(_db.engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    assert {t.name for t in _db.metadata.sorted_tables} <= set(sa.inspect(_db.engine).get_table_names())
    assert _diff(_db.engine) == []
