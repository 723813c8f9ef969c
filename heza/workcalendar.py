"""The pure core of the working-day calendar: no Flask, no database, built from values handed to it.

:class:`WorkCalendar` is built from the years to cover and the administrators' overrides (the
``holidays`` package and the declared days shipped in ``heza/data/declared_days.csv`` are read
here, as data files of the code). :mod:`heza.workdays` loads the overrides from the database,
keeps one calendar per app and answers the module-level questions; benchmarks and property
tests use this module directly.
"""

from __future__ import annotations

import csv
import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Literal

import holidays

FIRST_YEAR = 2010  # a city deployment carries ten years of history (conferences since 2016)
LAST_YEAR = 2035
COVERED_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)

DECLARED_DAYS_CSV = Path(__file__).resolve().parent / "data" / "declared_days.csv"

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
