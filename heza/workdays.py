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

:class:`WorkCalendar` is the pure core (no Flask, no database), for benchmarks and property
tests. The module-level functions answer from the calendar of :data:`flask.current_app`
(an app context is enough, no request needed), built on first use and kept in
``app.extensions["heza_workdays"]`` (a :class:`WorkdaysState`). Committing a change to a
:class:`CalendarOverride` drops it and the next call rebuilds it; other processes notice
within ``HEZA_WORKDAYS_RECHECK_SECONDS``.

Dates only: a ``datetime`` is refused, because which calendar day an instant falls on depends
on the time zone (use :func:`heza.base.local_date_of`).
"""

from __future__ import annotations

import csv
import datetime as dt
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import holidays
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

FIRST_YEAR = 2010  # a city deployment carries ten years of history (conferences since 2016)
LAST_YEAR = 2035
COVERED_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)

DECLARED_DAYS_CSV = Path(__file__).resolve().parent / "data" / "declared_days.csv"

EXTENSION_KEY = "heza_workdays"
# Other worker processes do not see this process's commits: each process re-reads the
# overrides this often (seconds; 0 or None: never) and rebuilds only if they changed.
RECHECK_CONFIG_KEY = "HEZA_WORKDAYS_RECHECK_SECONDS"
DEFAULT_RECHECK_SECONDS = 60.0

Origin = Literal["weekday", "weekend", "holiday_package", "declared", "override"]

WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
ADMIN_LABEL_VI = "Điều chỉnh của quản trị viên"
MAKE_UP_LABEL_VI = "Ngày làm bù"


def weekday_name_vi(d: dt.date) -> str:
    """The Vietnamese name of ``d``'s day of the week ("Thứ Hai" … "Chủ nhật")."""
    return WEEKDAY_NAMES_VI[d.weekday()]


def package_label() -> str:
    """How the ``holidays`` package is cited as a source, with its installed version."""
    return f"thư viện holidays {_package_version()}"


@lru_cache(maxsize=1)
def _package_version() -> str:
    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:  # pragma: no cover - vendored or unusual installs
        return "?"


# --------------------------------------------------------------------------- value types


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Whether one day is worked, and why.

    ``reason`` is the text screens show ("Tết Nguyên Đán", "Thứ Bảy", "Ngày làm bù (Công văn …)",
    "Điều chỉnh của quản trị viên: …"); ``name`` is the same without the source document,
    ``source`` the document (empty for plain weekdays and weekends), ``origin`` which layer
    decided the day.
    """

    date: dt.date
    is_working: bool
    reason: str
    origin: Origin
    name: str = ""
    source: str = ""

    @property
    def weekday_vi(self) -> str:
        """The day of the week in Vietnamese, e.g. "Thứ Bảy"."""
        return weekday_name_vi(self.date)


@dataclass(frozen=True, slots=True)
class DeclaredDay:
    """One row of ``declared_days.csv``: a day the government declared worked or off."""

    day: dt.date
    is_working: bool
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's decision about one day (the pure form of a CalendarOverride row)."""

    day: dt.date
    is_working: bool
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Difference:
    """A day on which the shipped declared list and the ``holidays`` package disagree."""

    date: dt.date
    declared_working: bool
    package_working: bool
    declared_name: str
    package_name: str
    source: str

    def describe(self) -> str:
        """One line in Vietnamese: what each side says about the day."""

        def state(working: bool) -> str:
            return "làm việc" if working else "nghỉ"

        return (
            f"{self.date:%d/%m/%Y} {weekday_name_vi(self.date)}: "
            f"danh sách công bố: {state(self.declared_working)} — {self.declared_name} [{self.source}]; "
            f"{package_label()}: {state(self.package_working)} — {self.package_name}"
        )


# --------------------------------------------------------------------------- data sources


@lru_cache(maxsize=4)
def load_declared_days(path: Path = DECLARED_DAYS_CSV) -> tuple[DeclaredDay, ...]:
    """The declared days shipped with the code, checked row by row (a bad row stops the app)."""
    rows: list[DeclaredDay] = []
    seen: set[dt.date] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = ["date", "working", "name_vi", "source"]
        if reader.fieldnames != expected:
            raise ValueError(f"{path}: header must be {','.join(expected)}, got {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            try:
                day = dt.date.fromisoformat(row["date"].strip())
            except (ValueError, AttributeError) as exc:
                raise ValueError(f"{path}:{line}: bad date {row['date']!r}") from exc
            working = (row["working"] or "").strip()
            if working not in {"0", "1"}:
                raise ValueError(f"{path}:{line}: working must be 0 or 1, got {working!r}")
            name, source = (row["name_vi"] or "").strip(), (row["source"] or "").strip()
            if not name or not source:
                raise ValueError(f"{path}:{line}: name_vi and source are required")
            if day in seen:
                raise ValueError(f"{path}:{line}: {day} is declared twice")
            seen.add(day)
            rows.append(DeclaredDay(day, working == "1", name, source))
    return tuple(sorted(rows, key=lambda r: r.day))


@lru_cache(maxsize=8)
def _package_days(first_year: int, last_year: int) -> dict[int, DayInfo]:
    """What the package says about every day it knows, by ordinal (computed once per process)."""
    pkg = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    label = package_label()
    days: dict[int, DayInfo] = {}
    for day, name in pkg.items():
        days[day.toordinal()] = DayInfo(day, False, name, "holiday_package", name, label)
    # The package names only the day off of a swap ("Ngày nghỉ (thay cho ngày 04/05/2024)"),
    # so the worked Saturday is named after the day off whose label mentions it.
    for workday in pkg.weekend_workdays:
        if not first_year <= workday.year <= last_year:
            continue  # the package keeps swaps of neighbouring years in the same set
        stamp = workday.strftime("%d/%m/%Y")
        day_off = next((d for d, n in sorted(pkg.items()) if stamp in n and d != workday), None)
        name = f"{MAKE_UP_LABEL_VI} (cho ngày nghỉ {day_off:%d/%m/%Y})" if day_off else MAKE_UP_LABEL_VI
        days[workday.toordinal()] = DayInfo(workday, True, name, "holiday_package", name, label)
    return days


def _default_info(d: dt.date) -> DayInfo:
    """A day no source mentions: worked from Monday to Friday, off at the weekend."""
    name = weekday_name_vi(d)
    if d.weekday() < 5:
        return DayInfo(d, True, f"Ngày làm việc ({name})", "weekday", name)
    return DayInfo(d, False, name, "weekend", name)


def _declared_info(row: DeclaredDay) -> DayInfo:
    return DayInfo(row.day, row.is_working, f"{row.name} ({row.source})", "declared", row.name, row.source)


def _override_info(o: Override) -> DayInfo:
    name = f"{ADMIN_LABEL_VI}: {o.note}" if o.note else ADMIN_LABEL_VI
    return DayInfo(o.day, o.is_working, name, "override", name, o.source or ADMIN_LABEL_VI)


# --------------------------------------------------------------------------- the pure core


class WorkCalendar:
    """An immutable working-day calendar for a fixed, contiguous range of years.

    Build it with :meth:`build`; every query is O(log n) over a sorted list of working-day
    ordinals (or O(1) for membership), with no loop over days.
    """

    __slots__ = (
        "first",
        "last",
        "overrides",
        "_declared",
        "_exceptions",
        "_first_ord",
        "_info",
        "_last_ord",
        "_package",
        "_working",
        "_working_set",
    )

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        info: dict[int, DayInfo],
        package: Mapping[int, DayInfo],
        declared: tuple[DeclaredDay, ...],
        overrides: Mapping[dt.date, Override],
    ) -> None:
        self.first = first
        self.last = last
        self.overrides = dict(overrides)
        self._first_ord = first.toordinal()
        self._last_ord = last.toordinal()
        self._info = info
        self._package = package
        self._declared = declared
        working: list[int] = []
        exceptions: list[int] = []
        for o in range(self._first_ord, self._last_ord + 1):
            weekday_working = (o + 6) % 7 < 5  # ordinal 1 (0001-01-01) was a Monday
            day = info.get(o)
            is_working = day.is_working if day is not None else weekday_working
            if is_working:
                working.append(o)
            if is_working != weekday_working:
                exceptions.append(o)
        self._working = working
        self._working_set = frozenset(working)
        self._exceptions = exceptions

    @classmethod
    def build(
        cls,
        years: Iterable[int] = COVERED_YEARS,
        overrides: Mapping[dt.date, bool | Override] | None = None,
        declared: Iterable[DeclaredDay] | None = None,
    ) -> WorkCalendar:
        """Build the calendar for a contiguous run of ``years``.

        ``overrides`` maps a date to working (``True``) or not (``False``), or to an
        :class:`Override` carrying a note and source; ``declared`` defaults to the shipped
        ``declared_days.csv``. Overrides and declared days outside ``years`` are ignored.
        """
        span = sorted(set(years))
        if not span or span != list(range(span[0], span[-1] + 1)):
            raise ValueError(f"years must be a non-empty contiguous range, got {span!r}")
        first, last = dt.date(span[0], 1, 1), dt.date(span[-1], 12, 31)
        declared_rows = tuple(load_declared_days() if declared is None else declared)
        package = _package_days(span[0], span[-1])
        clean: dict[dt.date, Override] = {}
        for day, value in (overrides or {}).items():
            clean[day] = value if isinstance(value, Override) else Override(day, bool(value))
        info = dict(package)
        for row in declared_rows:
            if first <= row.day <= last:
                info[row.day.toordinal()] = _declared_info(row)
        for day, override in clean.items():
            if first <= day <= last:
                info[day.toordinal()] = _override_info(override)
        return cls(first, last, info, package, declared_rows, clean)

    # -- checks

    def _ordinal(self, d: dt.date) -> int:
        if isinstance(d, dt.datetime):
            raise TypeError(f"a date is needed, not the datetime {d!r}; see heza.base.local_date_of")
        o = d.toordinal()
        if not self._first_ord <= o <= self._last_ord:
            raise ValueError(self._outside(d))
        return o

    def _outside(self, d: dt.date) -> str:
        return (
            f"{d:%d/%m/%Y} is outside the working-day calendar "
            f"({self.first:%d/%m/%Y}–{self.last:%d/%m/%Y}); extend heza.workdays.LAST_YEAR/FIRST_YEAR"
        )

    def _check_year(self, year: int) -> None:
        if not self.first.year <= year <= self.last.year:
            raise ValueError(
                f"year {year} is outside the working-day calendar ({self.first.year}–{self.last.year})"
            )

    # -- queries

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day."""
        return self._ordinal(d) in self._working_set

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """Excel ``WORKDAY(d, n)``: the ``n``-th working day after ``d`` (before it if ``n < 0``).

        ``d`` itself is never counted and need not be a working day; ``n == 0`` returns ``d``.
        """
        o = self._ordinal(d)
        if n == 0:
            return d
        working = self._working
        if n > 0:
            i = bisect_right(working, o) + n - 1  # bisect_right: first working day after d
            if i >= len(working):
                raise ValueError(f"{n} working days after {d:%d/%m/%Y}: " + self._outside(self.last))
        else:
            i = bisect_left(working, o) + n  # bisect_left: how many working days come before d
            if i < 0:
                raise ValueError(f"{-n} working days before {d:%d/%m/%Y}: " + self._outside(self.first))
        return dt.date.fromordinal(working[i])

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in the half-open range ``(a, b]``; ``-(working days in (b, a])`` if ``b < a``.

        So ``working_days_between(a, a) == 0``, the measure is antisymmetric, additive
        (``between(a, b) + between(b, c) == between(a, c)``), and for ``n > 0``
        ``working_days_between(d, add_working_days(d, n)) == n``.
        """
        oa, ob = self._ordinal(a), self._ordinal(b)
        # The same formula is right for b < a: it counts (b, a] with a minus sign.
        return bisect_right(self._working, ob) - bisect_right(self._working, oa)

    def explain_day(self, d: dt.date) -> DayInfo:
        """Whether ``d`` is worked and which source decided it, with a reason to show."""
        info = self._info.get(self._ordinal(d))
        return info if info is not None else _default_info(d)

    def days_skipped(self, a: dt.date, b: dt.date) -> list[DayInfo]:
        """The non-working days in ``(min(a, b), max(a, b)]``, oldest first, explained."""
        lo, hi = sorted((self._ordinal(a), self._ordinal(b)))
        working = self._working_set
        return [self.explain_day(dt.date.fromordinal(o)) for o in range(lo + 1, hi + 1) if o not in working]

    def year_calendar(self, year: int) -> list[DayInfo]:
        """The exceptions of ``year``: weekdays off and weekend days worked, by date."""
        self._check_year(year)
        lo = bisect_left(self._exceptions, dt.date(year, 1, 1).toordinal())
        hi = bisect_right(self._exceptions, dt.date(year, 12, 31).toordinal())
        return [self.explain_day(dt.date.fromordinal(o)) for o in self._exceptions[lo:hi]]

    def differences(self, year: int) -> list[Difference]:
        """The declared days of ``year`` on which the ``holidays`` package says otherwise."""
        self._check_year(year)
        found = []
        for row in self._declared:
            if row.day.year != year:
                continue
            package = self._package.get(row.day.toordinal()) or _default_info(row.day)
            if package.is_working != row.is_working:
                found.append(
                    Difference(
                        row.day, row.is_working, package.is_working, row.name, package.reason, row.source
                    )
                )
        return found

    def working_ordinals(self) -> list[int]:
        """A copy of the sorted working-day ordinals (for vectorised use, e.g. ``numpy.searchsorted``)."""
        return list(self._working)


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
