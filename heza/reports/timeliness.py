"""Whether an item was answered in time or is overdue, judged against the due date stored with it.

Due dates come from :mod:`heza.rules` (stored by :mod:`heza.deadlines`); nothing here computes one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from heza.base import LOCAL_ZONE, local_date_of
from heza.config import LOCAL_TZ


def answered_on_time(answered_dt: datetime | None, due_on: date | None) -> bool:
    """Whether an answer given at ``answered_dt`` met the stored due date (local calendar day)."""
    if answered_dt is None:
        return False
    return due_on is None or local_date_of(answered_dt) <= due_on


def answered_on_time_sql(answered: Any, due: Any, dialect: str) -> sa.ColumnElement[bool]:
    """:func:`answered_on_time` as a SQL condition, so figures are counted by the database, not row by row."""
    if dialect == "postgresql":
        local_day = sa.cast(sa.func.timezone(LOCAL_TZ, answered), sa.Date)
    else:  # SQLite keeps UTC without an offset; Hai Phong's offset has not changed since 1975 (UTC+7)
        minutes = int(LOCAL_ZONE.utcoffset(datetime(2026, 1, 1)).total_seconds() // 60)
        local_day = sa.func.date(answered, f"{minutes:+d} minutes")
    return sa.and_(answered.isnot(None), sa.or_(due.is_(None), local_day <= due))


def is_overdue(due_on: date | None, today: date) -> bool:
    """An open item past its stored due date."""
    return due_on is not None and due_on < today
