"""The counting every rule shares: N working days before or after a day, each with its explanation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from heza import workdays
from heza.rule_values import Deadline, Settings


def fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def count_back(d: date, n: int, rule: str, summary: Callable[[str], str], s: Settings) -> Deadline:
    """The Nth working day before ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, -n)
    return Deadline(rule, due, summary(fmt(due)), s.cite(rule), tuple(workdays.days_skipped(due, d)))


def count_forward(d: date, n: int, rule: str, summary: Callable[[str], str], s: Settings) -> Deadline:
    """The Nth working day after ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, n)
    return Deadline(rule, due, summary(fmt(due)), s.cite(rule), tuple(workdays.days_skipped(d, due)))

