"""Where the demo's days fall, from the load day ``today``, through the working-day calendar and the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import click

from heza import rules, workdays
from heza.base import LOCAL_ZONE


def at_local(d: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC instant for a Hai Phong wall-clock time on ``d``."""
    return datetime.combine(d, time(hour, minute), tzinfo=LOCAL_ZONE).astimezone(UTC)


def fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def last_working_day(d: date) -> date:
    """``d`` if it is a working day, else the working day before it."""
    return d if workdays.is_working_day(d) else workdays.add_working_days(d, -1)


def working_days(first: date, last: date) -> list[date]:
    """The working days in ``[first, last]``, oldest first."""
    days, d = [], first
    while d <= last:
        if workdays.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def first_working_day_from(start: date, accept: Callable[[date], bool], what: str) -> date:
    d = start
    for _ in range(400):
        if workdays.is_working_day(d) and accept(d):
            return d
        d += timedelta(days=1)
    raise click.ClickException(f"Không tìm được ngày tổ chức cho {what} (no conference day found).")


def announced_today_day(today: date, s: rules.Settings) -> date:
    """The conference day whose R1 announcement day is the last working day on or before ``today``.

    Searching forward from ``today`` for the first working day D with ``announcement_date(D) ==
    that day``: on a working day the announcement is due today; on a Sunday or a holiday it fell
    due on the working day before, so the scheduler's next run publishes it.
    """
    target = last_working_day(today)
    return first_working_day_from(today, lambda d: rules.announcement_date(d, s).due == target,
                                  "hội nghị sắp thông báo")


def collecting_day(today: date, s: rules.Settings) -> date:
    """A ward conference whose R2 cutoff is three working days after the last working day on or before today."""
    wanted = workdays.add_working_days(last_working_day(today), 3)
    return first_working_day_from(today + timedelta(days=1),
                                  lambda d: rules.registration_cutoff(d, s).due >= wanted,
                                  "hội nghị đang nhận đăng ký")


def held_last_week_day(today: date) -> date:
    """About Wednesday of last week: three working days before this week's Monday."""
    monday = today - timedelta(days=today.weekday())
    return workdays.add_working_days(monday, -3)


def ward_past_day(today: date) -> date:
    """The ward's earlier conference (R8): around May, or last year's Q4 if May has not passed."""
    start = date(today.year, 5, 20) if today.month >= 6 else date(today.year - 1, 11, 18)
    return first_working_day_from(start, lambda d: True, "hội nghị của phường đã tổ chức")


def plan_issued_day(today: date) -> date:
    """When an invented plan of the load year was issued: mid-February, or the load day if that is earlier."""
    return last_working_day(min(today, date(today.year, 2, 20)))
