"""The working-day calendar: which days count as "ngày làm việc", and arithmetic over them.

Sources of truth, each winning over the one before it:

1. weekends: Saturday and Sunday are off, Monday–Friday are worked;
2. the ``holidays`` package (``country_holidays("VN", language="vi")``): public holidays,
   substitute days off, and its ``weekend_workdays`` (make-up Saturdays, which are worked);
3. the declared days the package does not know (or gets wrong), shipped with their source
   document in ``heza/data/declared_days.csv`` (checked in ``heza/data/declared_days.md``);
4. administrator overrides, the ``calendar_overrides`` table (:class:`CalendarOverride`).

Coverage is fixed: :data:`FIRST_YEAR`–:data:`LAST_YEAR`. A date outside it raises
:class:`ValueError` rather than getting an answer from an incomplete calendar. Years after the
last verified one (see ``declared_days.md``) follow the package's rules; the government
announces each year's swaps late in the year before, so add them to the CSV when it does.

Arithmetic follows Excel's WORKDAY: the start day is never counted, ``n < 0`` counts backwards
and ``n == 0`` returns the start day unchanged. It runs on a sorted list of working-day
ordinals with :mod:`bisect`, so no call loops over days.

:class:`WorkCalendar` is the pure core (no Flask, no database) in :mod:`heza.workcalendar`, for
benchmarks and property tests; its names are re-exported here. The module-level functions answer
from the calendar of :data:`flask.current_app` (an app context is enough, no request needed),
built on first use and kept in
``app.extensions["heza_workdays"]`` (a :class:`WorkdaysState`). Committing a change to a
:class:`CalendarOverride` drops it and the next call rebuilds it; other processes notice
within ``HEZA_WORKDAYS_RECHECK_SECONDS``.

Dates only: a ``datetime`` is refused, because which calendar day an instant falls on depends
on the time zone (use :func:`heza.base.local_date_of`).
"""


from __future__ import annotations

import datetime as dt
import threading
import time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from heza.workcalendar import (  # noqa: F401  (re-exported: the calendar's values and its pure core)
    ADMIN_LABEL_VI,
    COVERED_YEARS,
    DECLARED_DAYS_CSV,
    FIRST_YEAR,
    LAST_YEAR,
    MAKE_UP_LABEL_VI,
    WEEKDAY_NAMES_VI,
    DayInfo,
    DeclaredDay,
    Difference,
    Override,
    WorkCalendar,
    load_declared_days,
    package_label,
    weekday_name_vi,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

EXTENSION_KEY = "heza_workdays"
# Other worker processes do not see this process's commits: each process re-reads the
# overrides this often (seconds; 0 or None: never) and rebuilds only if they changed.
RECHECK_CONFIG_KEY = "HEZA_WORKDAYS_RECHECK_SECONDS"
DEFAULT_RECHECK_SECONDS = 60.0

# --------------------------------------------------------------------------- Flask integration


class WorkdaysState:
    """What ``app.extensions["heza_workdays"]`` holds: the app's calendar, built lazily."""

    def __init__(self, recheck_seconds: float | None) -> None:
        self.calendar: WorkCalendar | None = None
        self.recheck_seconds = recheck_seconds or None
        self.next_check = 0.0
        self.generation = 0  # bumped by invalidate(), so a build that raced it is not kept
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Drop the calendar; the next query rebuilds it from the database."""
        with self._lock:
            self.generation += 1
            self.calendar = None

    def get(self) -> WorkCalendar:
        """The calendar, (re)built if it was dropped or its recheck time has come."""
        calendar = self.calendar
        if calendar is not None and (self.recheck_seconds is None or time.monotonic() < self.next_check):
            return calendar
        return self._refresh(calendar)

    def _refresh(self, previous: WorkCalendar | None) -> WorkCalendar:
        generation = self.generation
        overrides = _load_overrides()
        if previous is not None and overrides is not None and overrides == previous.overrides:
            calendar = previous  # a recheck that found nothing new
        else:
            calendar = WorkCalendar.build(COVERED_YEARS, overrides or {})
        with self._lock:
            # Not kept when the table does not exist yet (before migrations): try again next call.
            if overrides is not None and generation == self.generation:
                self.calendar = calendar
                if self.recheck_seconds is not None:
                    self.next_check = time.monotonic() + self.recheck_seconds
        return calendar


def _load_overrides() -> dict[dt.date, Override] | None:
    """The administrator overrides, or ``None`` if their table does not exist yet."""
    from heza.calendar.models import CalendarOverride
    from heza.extensions import db

    session = db.session
    # no_autoflush: reading the calendar must not flush the caller's half-built objects.
    with session.no_autoflush:
        if not sa.inspect(session.connection()).has_table(CalendarOverride.__tablename__):
            return None
        rows = session.execute(
            sa.select(
                CalendarOverride.day,
                CalendarOverride.is_working,
                CalendarOverride.note,
                CalendarOverride.source,
            )
        ).all()
    return {
        day: Override(day, bool(working), note or "", source or "") for day, working, note, source in rows
    }


_CHANGED = "heza_workdays_overrides_changed"  # key in Session.info


def _note_flushed_changes(session: Session, flush_context: Any, instances: Any) -> None:
    from heza.calendar.models import CalendarOverride

    if any(isinstance(obj, CalendarOverride) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _note_bulk_changes(state: ORMExecuteState) -> None:
    # session.execute(update(CalendarOverride)…) / delete(…) bypass the flush.
    if state.is_select:
        return
    from heza.calendar.models import CalendarOverride

    if any(mapper.class_ is CalendarOverride for mapper in state.all_mappers):
        state.session.info[_CHANGED] = True


def _invalidate_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        invalidate()


def _invalidate_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # The calendar may have been built from flushed rows that are now gone.
    if session.info.get(_CHANGED) and has_app_context():
        invalidate()
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)


def _install_session_listeners() -> None:
    from heza.extensions import db

    # The class of db.session, so sessions a test builds with db._make_scoped_session are seen too.
    session_class = db.session.session_factory.class_
    for name, listener in (
        ("before_flush", _note_flushed_changes),
        ("do_orm_execute", _note_bulk_changes),
        ("after_commit", _invalidate_after_commit),
        ("after_soft_rollback", _invalidate_after_rollback),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def init_app(app: Flask) -> None:
    """Attach the calendar to ``app`` (built on first use) and invalidate it on override commits.

    The shipped declared days are parsed here, so a broken CSV stops the app at start.
    """
    load_declared_days()
    recheck = app.config.get(RECHECK_CONFIG_KEY, DEFAULT_RECHECK_SECONDS)
    app.extensions[EXTENSION_KEY] = WorkdaysState(float(recheck) if recheck else None)
    _install_session_listeners()


def _state() -> WorkdaysState:
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is None:
        raise RuntimeError("heza.workdays.init_app(app) has not been called for this app")
    return state


def current_calendar() -> WorkCalendar:
    """The calendar of the current app (needs an app context, not a request)."""
    return _state().get()


def invalidate() -> None:
    """Drop the current app's cached calendar; the next query rebuilds it with the overrides."""
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is not None:
        state.invalidate()


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day. Raises ValueError outside the covered years."""
    return _state().get().is_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """Excel ``WORKDAY(d, n)``: the ``n``-th working day after ``d``, or before it if ``n < 0``.

    ``d`` is not counted and need not be a working day; ``n == 0`` returns ``d`` unchanged.
    Raises ValueError if ``d`` or the answer lies outside the covered years.
    """
    return _state().get().add_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in the half-open range ``(a, b]``; ``-(working days in (b, a])`` when ``b < a``."""
    return _state().get().working_days_between(a, b)


def explain_day(d: dt.date) -> DayInfo:
    """Whether ``d`` is worked and why ("Tết Nguyên Đán", "Thứ Bảy", "Ngày làm bù (…)", …)."""
    return _state().get().explain_day(d)


def days_skipped(a: dt.date, b: dt.date) -> list[DayInfo]:
    """The non-working days in ``(min(a, b), max(a, b)]``, oldest first, each explained."""
    return _state().get().days_skipped(a, b)


def year_calendar(year: int) -> list[DayInfo]:
    """The weekdays off and the weekend days worked in ``year``, by date."""
    return _state().get().year_calendar(year)


def differences(year: int) -> list[Difference]:
    """The days of ``year`` on which the shipped declared list and the ``holidays`` package disagree."""
    return _state().get().differences(year)
