"""Whether an item was answered in time or is overdue, judged against the due date stored with it.

Due dates come from :mod:`heza.rules` (stored by :mod:`heza.deadlines`); nothing here computes one.
"""

from __future__ import annotations

from datetime import date, datetime

from heza.base import local_date_of


def answered_on_time(answered_dt: datetime | None, due_on: date | None) -> bool:
    """Whether an answer given at ``answered_dt`` met the stored due date (local calendar day)."""
    if answered_dt is None:
        return False
    return due_on is None or local_date_of(answered_dt) <= due_on


def is_overdue(due_on: date | None, today: date) -> bool:
    """An open item past its stored due date."""
    return due_on is not None and due_on < today
