"""The database counts "answered on time" as heza.reports.timeliness.answered_on_time judges one answer:
by the Hai Phong calendar day, whatever the backend (SQLite keeps UTC without an offset)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from heza.base import UTCDateTime
from heza.extensions import db as _db
from heza.reports.timeliness import answered_on_time, answered_on_time_sql

DUE = date(2026, 3, 10)
# Around the end of 10/03 in Hai Phong (17:00 UTC), at the start of it (17:00 UTC the day before), and far off.
INSTANTS = [datetime(2026, 3, 10, 16, 59, 59, 999000, tzinfo=UTC), datetime(2026, 3, 10, 17, 0, tzinfo=UTC),
            datetime(2026, 3, 9, 16, 59, tzinfo=UTC), datetime(2026, 3, 9, 17, 0, 1, tzinfo=UTC),
            datetime(2025, 12, 31, 23, 0, tzinfo=UTC), datetime(2026, 4, 1, 2, 0, tzinfo=UTC)]


@pytest.mark.parametrize("answered", [*INSTANTS, None], ids=lambda d: d.isoformat() if d else "none")
@pytest.mark.parametrize("due", [DUE, DUE - timedelta(days=1), None], ids=lambda d: str(d))
def test_sql_agrees_with_python_at_the_edges_of_the_local_day(db, answered, due):
    dialect = _db.session.get_bind().dialect.name
    condition = answered_on_time_sql(sa.literal(answered, UTCDateTime()), sa.literal(due, sa.Date()), dialect)
    got = _db.session.scalar(sa.select(sa.case((condition, True), else_=False)))
    assert bool(got) == answered_on_time(answered, due)
