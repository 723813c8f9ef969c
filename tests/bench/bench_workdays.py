"""Benchmark of "add 7 working days" over 100,000 random dates (2020–2031).

Not a test (pytest collects only test_*.py). Run it with::

    .venv/bin/python tests/bench/bench_workdays.py [--calls N] [--seed S]

Every method is checked against ours on the same dates and its disagreements counted:
holidays' get_nth_working_day does not know the declared days (the 2026 New Year swap), and
numpy.busday_offset cannot express make-up Saturdays, so both give some wrong answers.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere without installing

import holidays  # noqa: E402
import numpy as np  # noqa: E402
from flask import Flask  # noqa: E402

from heza import workdays  # noqa: E402
from heza.workdays import WorkCalendar, WorkdaysState  # noqa: E402

N_DAYS = 7


def timed(label: str, run: Callable[[], list[date]], calls: int, reference: list[date] | None) -> list[date]:
    start = time.perf_counter()
    answers = run()
    elapsed = time.perf_counter() - start
    mismatches = ""
    if reference is not None:
        mismatches = f"  differs from ours: {sum(a != b for a, b in zip(answers, reference, strict=True))}"
    print(f"{label:<55} {calls / elapsed:>14,.0f} calls/s{mismatches}")
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    first, last = date(2020, 1, 1).toordinal(), date(2031, 12, 31).toordinal()
    dates = [date.fromordinal(rng.randint(first, last)) for _ in range(args.calls)]

    calendar = WorkCalendar.build()
    print(f"{args.calls:,} × add_working_days(d, {N_DAYS}), dates 2020–2031, holidays {holidays.__version__}")

    ours = timed(
        "heza WorkCalendar.add_working_days (bisect)",
        lambda: [calendar.add_working_days(d, N_DAYS) for d in dates],
        args.calls,
        None,
    )

    # The module-level function, through flask.current_app as the application calls it.
    app = Flask("bench")
    state = WorkdaysState(recheck_seconds=None)
    state.calendar = calendar
    app.extensions[workdays.EXTENSION_KEY] = state
    with app.app_context():
        timed(
            "heza workdays.add_working_days (via current_app)",
            lambda: [workdays.add_working_days(d, N_DAYS) for d in dates],
            args.calls,
            ours,
        )

    def naive(d: date) -> date:
        for _ in range(N_DAYS):
            d += timedelta(days=1)
            while not calendar.is_working_day(d):
                d += timedelta(days=1)
        return d

    timed("naive loop over days", lambda: [naive(d) for d in dates], args.calls, ours)

    package = holidays.country_holidays("VN", years=range(2020, 2033), language="vi")
    if hasattr(package, "get_nth_working_day"):
        timed(
            "holidays get_nth_working_day (no declared days)",
            lambda: [package.get_nth_working_day(d, N_DAYS) for d in dates],
            args.calls,
            ours,
        )
    else:
        print("holidays get_nth_working_day: not in this version of the package")

    # numpy's business days: weekdays minus the weekdays off; no way to add a worked Saturday.
    weekdays_off = [
        date.fromordinal(o)
        for o in range(date(2020, 1, 1).toordinal(), date(2032, 12, 31).toordinal() + 1)
        if date.fromordinal(o).weekday() < 5 and not calendar.is_working_day(date.fromordinal(o))
    ]
    busdays = np.busdaycalendar(weekmask="1111100", holidays=np.array(weekdays_off, dtype="datetime64[D]"))

    def busday(d: date) -> date:
        # roll="backward" makes a day off count from the working day before it, as WORKDAY does.
        return np.busday_offset(np.datetime64(d, "D"), N_DAYS, roll="backward", busdaycal=busdays).item()

    timed("numpy.busday_offset, one call per date", lambda: [busday(d) for d in dates], args.calls, ours)

    working = np.array(calendar.working_ordinals(), dtype=np.int64)
    ordinals = np.fromiter((d.toordinal() for d in dates), dtype=np.int64, count=len(dates))

    def vectorised() -> list[date]:
        found = working[np.searchsorted(working, ordinals, side="right") + N_DAYS - 1]
        return [date.fromordinal(int(o)) for o in found]

    timed("numpy.searchsorted, vectorised (incl. back to date)", vectorised, args.calls, ours)
    start = time.perf_counter()
    working[np.searchsorted(working, ordinals, side="right") + N_DAYS - 1]
    elapsed = time.perf_counter() - start
    print(f"{'numpy.searchsorted, vectorised (ordinals only)':<55} {args.calls / elapsed:>14,.0f} calls/s")


if __name__ == "__main__":
    main()
