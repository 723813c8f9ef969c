"""Shared fixtures: one app per test session on SQLite or PostgreSQL, tables emptied after each test.

The database is real and commits are real (a test may open a second connection, as a second
scheduler would); isolation comes from emptying every table afterwards, not from a rollback.
Set ``HEZA_TEST_DATABASE_URL`` to run against PostgreSQL; if it is set and the server does not
answer, the run stops with an error instead of skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from heza import workdays
from heza.extensions import db as _db
from tests.support import migrated_app

# Named dates for time travel (checked against the government's announcements in test_workdays).
TET_2026_EVE = date(2026, 2, 13)  # Friday, last working day before Tết 2026
AFTER_TET_2026 = date(2026, 2, 23)  # Monday, first working day after Tết 2026


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from migrated_app(tmp_path_factory, "heza")


@pytest.fixture()
def db(app: Flask) -> Iterator[object]:
    """The database inside an app context; every table is emptied afterwards."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_tables()
        workdays.invalidate()


def _empty_tables() -> None:
    # DELETE, not TRUNCATE: TRUNCATE makes new files for all ~30 tables, 170 ms per test on PostgreSQL
    # against 7 ms; the sequences a test used start again at 1, as TRUNCATE … RESTART IDENTITY did.
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            used = conn.scalars(sa.text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                                        "FROM pg_sequences WHERE last_value IS NOT NULL "
                                        "AND schemaname = current_schema()")).all()
            for sequence in used:
                conn.execute(sa.text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture()
def client(app: Flask, db: object) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask, db: object) -> FlaskCliRunner:
    return app.test_cli_runner()
