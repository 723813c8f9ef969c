"""The working-day calendar (heza.workdays): official calendars, WORKDAY arithmetic, overrides.

The expected days below are written from the government's announcements (see
heza/data/declared_days.md), not from the ``holidays`` package, so a package release that
drifts from them fails here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from heza import workdays
from heza.workdays import FIRST_YEAR, LAST_YEAR, DeclaredDay, Override, WorkCalendar

NEW_YEAR_2026_SOURCE = "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"


@lru_cache(maxsize=1)
def cal() -> WorkCalendar:
    """The pure calendar (no Flask, no overrides): built once for the whole module."""
    return WorkCalendar.build()


def d(text: str) -> date:
    """``"dd/mm/yyyy"`` → date, so the tables read like the announcements."""
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


# --------------------------------------------------------------------------- official calendars

# Monday–Friday days off for officials and public employees, from the announcements:
OFFICIAL_WEEKDAYS_OFF = {
    2024: [
        "01/01/2024",  # Tết Dương lịch (Bộ luật Lao động 2019, Điều 112)
        # Tết Giáp Thìn 08/02–14/02 (Công văn 8662/VPCP-KGVX ngày 03/11/2023)
        "08/02/2024", "09/02/2024", "12/02/2024", "13/02/2024", "14/02/2024",
        "18/04/2024",  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
        # 27/04–01/05, 29/04 swapped with Saturday 04/05 (Công văn 2450/VPCP-KGVX ngày 12/4/2024)
        "29/04/2024", "30/04/2024", "01/05/2024",
        "02/09/2024", "03/09/2024",  # Quốc khánh 31/08–03/09 (Công văn 8662/VPCP-KGVX)
    ],
    2025: [
        "01/01/2025",  # Tết Dương lịch
        # Tết Ất Tỵ 25/01–02/02 (Công văn 8726/VPCP-KGVX ngày 26/11/2024; Thông báo 6150/TB-BLĐTBXH)
        "27/01/2025", "28/01/2025", "29/01/2025", "30/01/2025", "31/01/2025",
        "07/04/2025",  # Giỗ Tổ Hùng Vương
        # 30/04–04/05, Friday 02/05 swapped with Saturday 26/04 (Thông báo 6150/TB-BLĐTBXH)
        "30/04/2025", "01/05/2025", "02/05/2025",
        "01/09/2025", "02/09/2025",  # Quốc khánh 30/08–02/09 (Thông báo 6150/TB-BLĐTBXH)
    ],
    2026: [
        # 01/01–04/01, Friday 02/01 swapped with Saturday 10/01 (Công văn 12729/VPCP-KGVX ngày 25/12/2025)
        "01/01/2026", "02/01/2026",
        # Tết Bính Ngọ 14/02–22/02 (Thông báo 9441/TB-BNV ngày 16/10/2025)
        "16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026",
        "27/04/2026",  # Giỗ Tổ Hùng Vương falls on Sunday 26/04: day off in lieu on Monday
        "30/04/2026", "01/05/2026",
        # Quốc khánh 29/08–02/09, Monday 31/08 swapped with Saturday 22/08 (Thông báo 9441/TB-BNV)
        "31/08/2026", "01/09/2026", "02/09/2026",
        "24/11/2026",  # Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW), first year
    ],
}  # fmt: skip

# Saturdays worked in exchange (ngày làm bù):
OFFICIAL_MAKE_UP_DAYS = {
    2024: ["04/05/2024"],
    2025: ["26/04/2025"],
    2026: ["10/01/2026", "22/08/2026"],
}


@pytest.mark.parametrize("year", sorted(OFFICIAL_WEEKDAYS_OFF))
def test_year_calendar_lists_exactly_the_official_exceptions(year: int) -> None:
    listed = cal().year_calendar(year)
    assert [x.date for x in listed if not x.is_working] == [d(s) for s in OFFICIAL_WEEKDAYS_OFF[year]]
    assert [x.date for x in listed if x.is_working] == [d(s) for s in OFFICIAL_MAKE_UP_DAYS[year]]
    assert all(x.date.weekday() < 5 for x in listed if not x.is_working)
    assert all(x.date.weekday() >= 5 for x in listed if x.is_working)


@pytest.mark.parametrize("year", sorted(OFFICIAL_WEEKDAYS_OFF))
def test_every_day_of_the_official_years(year: int) -> None:
    off = {d(s) for s in OFFICIAL_WEEKDAYS_OFF[year]}
    make_up = {d(s) for s in OFFICIAL_MAKE_UP_DAYS[year]}
    day = date(year, 1, 1)
    while day.year == year:
        expected = day in make_up or (day.weekday() < 5 and day not in off)
        assert cal().is_working_day(day) is expected, day
        day += timedelta(days=1)


def test_make_up_saturdays_are_working_days() -> None:
    for days in OFFICIAL_MAKE_UP_DAYS.values():
        for text in days:
            info = cal().explain_day(d(text))
            assert info.is_working and info.date.weekday() == 5
            assert "làm bù" in info.reason
    # The Saturday counts when counting forwards and backwards.
    assert cal().add_working_days(d("03/05/2024"), 1) == d("04/05/2024")
    assert cal().add_working_days(d("06/05/2024"), -1) == d("04/05/2024")
    assert cal().add_working_days(d("25/04/2025"), 1) == d("26/04/2025")
    assert cal().add_working_days(d("21/08/2026"), 1) == d("22/08/2026")
    assert cal().working_days_between(d("21/08/2026"), d("24/08/2026")) == 2  # Sat 22 and Mon 24


# --------------------------------------------------------------------------- holiday arithmetic


def test_tet_2025() -> None:
    c = cal()
    assert c.add_working_days(d("24/01/2025"), 1) == d("03/02/2025")
    assert c.add_working_days(d("03/02/2025"), -1) == d("24/01/2025")
    assert c.working_days_between(d("24/01/2025"), d("03/02/2025")) == 1
    # R2: a conference on Wednesday 05/02/2025 closes registrations at the end of 22/01.
    assert c.add_working_days(d("05/02/2025"), -5) == d("22/01/2025")
    skipped = c.days_skipped(d("24/01/2025"), d("03/02/2025"))
    assert [x.date for x in skipped] == [d("25/01/2025") + timedelta(days=i) for i in range(9)]
    assert skipped[0].reason == "Thứ Bảy" and skipped[0].origin == "weekend"
    assert skipped[4].date == d("29/01/2025") and skipped[4].reason == "Tết Nguyên Đán"
    assert skipped[4].origin == "holiday_package"


def test_tet_2026() -> None:
    c = cal()
    assert c.add_working_days(d("13/02/2026"), 1) == d("23/02/2026")
    assert c.add_working_days(d("23/02/2026"), -1) == d("13/02/2026")
    # R1: a conference on Thursday 26/02/2026 is announced 7 working days before, on 10/02.
    assert c.add_working_days(d("26/02/2026"), -7) == d("10/02/2026")
    # R5: a recommendation answered within 7 working days of a conference on 12/02/2026.
    assert c.add_working_days(d("12/02/2026"), 7) == d("02/03/2026")  # Fri 13, then 23–27/02, 02/03
    assert c.working_days_between(d("13/02/2026"), d("23/02/2026")) == 1
    assert len(c.days_skipped(d("13/02/2026"), d("23/02/2026"))) == 9


def test_reunification_and_labour_day() -> None:
    c = cal()
    assert c.add_working_days(d("26/04/2024"), 1) == d("02/05/2024")  # 27/04–01/05 off
    assert c.add_working_days(d("29/04/2025"), 1) == d("05/05/2025")  # 30/04–04/05 off
    assert c.add_working_days(d("29/04/2026"), 1) == d("04/05/2026")  # 30/04–03/05 off
    assert c.add_working_days(d("24/04/2026"), 1) == d("28/04/2026")  # Giỗ Tổ in lieu on 27/04


def test_national_day() -> None:
    c = cal()
    assert c.add_working_days(d("30/08/2024"), 1) == d("04/09/2024")
    assert c.add_working_days(d("29/08/2025"), 1) == d("03/09/2025")
    assert c.add_working_days(d("28/08/2026"), 1) == d("03/09/2026")
    assert c.working_days_between(d("28/08/2026"), d("03/09/2026")) == 1


def test_new_year_2026_swap() -> None:
    c = cal()
    off, worked = c.explain_day(d("02/01/2026")), c.explain_day(d("10/01/2026"))
    assert not off.is_working and off.origin == "declared" and off.source == NEW_YEAR_2026_SOURCE
    assert worked.is_working and worked.origin == "declared" and worked.source == NEW_YEAR_2026_SOURCE
    assert worked.reason.startswith("Ngày làm bù") and NEW_YEAR_2026_SOURCE in worked.reason
    assert c.add_working_days(d("31/12/2025"), 1) == d("05/01/2026")
    assert c.add_working_days(d("09/01/2026"), 1) == d("10/01/2026")
    assert c.add_working_days(d("12/01/2026"), -2) == d("09/01/2026")
    assert c.working_days_between(d("31/12/2025"), d("10/01/2026")) == 6


def test_vietnam_culture_day_from_2026() -> None:
    assert not cal().is_working_day(d("24/11/2026"))
    assert cal().is_working_day(d("24/11/2025"))  # a Monday, before the holiday existed


# --------------------------------------------------------------------------- WORKDAY semantics


def test_n_zero_returns_the_start_even_on_a_day_off() -> None:
    c = cal()
    assert c.add_working_days(d("17/02/2026"), 0) == d("17/02/2026")  # Tết
    assert c.add_working_days(d("08/03/2026"), 0) == d("08/03/2026")  # a Sunday
    assert c.add_working_days(d("09/03/2026"), 0) == d("09/03/2026")


def test_start_day_is_not_counted() -> None:
    c = cal()
    assert c.add_working_days(d("09/03/2026"), 1) == d("10/03/2026")
    assert c.add_working_days(d("09/03/2026"), -1) == d("06/03/2026")
    assert c.add_working_days(d("09/03/2026"), 5) == d("16/03/2026")


def test_starting_on_a_day_off() -> None:
    c = cal()
    assert c.add_working_days(d("17/02/2026"), 1) == d("23/02/2026")
    assert c.add_working_days(d("17/02/2026"), -1) == d("13/02/2026")
    assert c.add_working_days(d("08/03/2026"), 1) == d("09/03/2026")  # Sunday → Monday
    assert c.add_working_days(d("08/03/2026"), -1) == d("06/03/2026")  # Sunday → Friday


def test_working_days_between_is_half_open() -> None:
    c = cal()
    assert c.working_days_between(d("09/03/2026"), d("09/03/2026")) == 0
    assert c.working_days_between(d("06/03/2026"), d("09/03/2026")) == 1  # (Fri, Mon]: only Monday
    assert c.working_days_between(d("09/03/2026"), d("13/03/2026")) == 4  # Tue–Fri
    assert c.working_days_between(d("13/03/2026"), d("09/03/2026")) == -4
    assert c.working_days_between(d("07/03/2026"), d("08/03/2026")) == 0  # (Sat, Sun]
    assert c.working_days_between(d("06/03/2026"), d("07/03/2026")) == 0


def test_days_skipped_is_ordered_and_symmetric() -> None:
    c = cal()
    forwards = c.days_skipped(d("31/12/2025"), d("05/01/2026"))
    assert [x.date for x in forwards] == [d("01/01/2026"), d("02/01/2026"), d("03/01/2026"), d("04/01/2026")]
    assert [x.origin for x in forwards] == ["holiday_package", "declared", "weekend", "weekend"]
    assert c.days_skipped(d("05/01/2026"), d("31/12/2025")) == forwards
    assert c.days_skipped(d("09/03/2026"), d("10/03/2026")) == []


def test_explain_day() -> None:
    c = cal()
    assert c.explain_day(d("07/03/2026")).reason == "Thứ Bảy"
    assert c.explain_day(d("08/03/2026")).reason == "Chủ nhật"
    monday = c.explain_day(d("09/03/2026"))
    assert monday.is_working and monday.origin == "weekday" and monday.weekday_vi == "Thứ Hai"
    tet = c.explain_day(d("17/02/2026"))
    assert (tet.is_working, tet.reason, tet.origin) == (False, "Tết Nguyên Đán", "holiday_package")


# --------------------------------------------------------------------------- properties

# No example database: the runs stay reproducible and leave no .hypothesis/ folder behind.
PROPERTY = settings(max_examples=300, deadline=None, database=None)
any_day = st.dates(min_value=date(FIRST_YEAR + 1, 1, 1), max_value=date(LAST_YEAR - 1, 12, 31))
steps = st.integers(min_value=-80, max_value=80)


def naive_add(day: date, n: int) -> date:
    """The definition, one day at a time (the reference the fast version must match)."""
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while not cal().is_working_day(day):
            day += timedelta(days=step)
    return day


@PROPERTY
@given(any_day, steps)
def test_add_matches_the_naive_definition(day: date, n: int) -> None:
    assert cal().add_working_days(day, n) == naive_add(day, n)


@PROPERTY
@given(any_day, st.integers(min_value=1, max_value=80))
def test_counting_forwards_inverts_add(day: date, n: int) -> None:
    c = cal()
    assert c.working_days_between(day, c.add_working_days(day, n)) == n
    assert c.is_working_day(c.add_working_days(day, n))


@PROPERTY
@given(any_day, steps)
def test_round_trip(day: date, n: int) -> None:
    c = cal()
    there = c.add_working_days(day, n)
    back = c.add_working_days(there, -n)
    if n == 0 or c.is_working_day(day):
        assert back == day
        assert c.working_days_between(day, there) == n
    elif n > 0:
        assert back == c.add_working_days(day, -1)  # the last working day before ``day``
    else:
        assert back == c.add_working_days(day, 1)  # the first working day after ``day``


@PROPERTY
@given(any_day, any_day, any_day)
def test_between_is_antisymmetric_and_additive(a: date, b: date, c_: date) -> None:
    c = cal()
    assert c.working_days_between(a, b) == -c.working_days_between(b, a)
    assert c.working_days_between(a, b) + c.working_days_between(b, c_) == c.working_days_between(a, c_)


@settings(PROPERTY, max_examples=100)
@given(any_day, st.integers(min_value=0, max_value=120))
def test_between_counts_working_days_and_skipped_the_rest(a: date, span: int) -> None:
    c = cal()
    b = a + timedelta(days=span)
    days = [a + timedelta(days=i) for i in range(1, span + 1)]
    assert c.working_days_between(a, b) == sum(c.is_working_day(x) for x in days)
    assert [x.date for x in c.days_skipped(a, b)] == [x for x in days if not c.is_working_day(x)]


# --------------------------------------------------------------------------- coverage and data


@pytest.mark.parametrize("day", [date(FIRST_YEAR - 1, 12, 31), date(LAST_YEAR + 1, 1, 1), date(1999, 1, 1)])
def test_dates_outside_the_covered_years_raise(day: date) -> None:
    c = cal()
    for call in (
        lambda: c.is_working_day(day),
        lambda: c.add_working_days(day, 1),
        lambda: c.add_working_days(day, 0),
        lambda: c.explain_day(day),
        lambda: c.working_days_between(date(2026, 1, 5), day),
        lambda: c.days_skipped(day, date(2026, 1, 5)),
    ):
        with pytest.raises(ValueError, match="outside"):
            call()


def test_answers_outside_the_covered_years_raise() -> None:
    c = cal()
    with pytest.raises(ValueError, match="outside"):
        c.add_working_days(date(LAST_YEAR, 12, 28), 10)
    with pytest.raises(ValueError, match="outside"):
        c.add_working_days(date(FIRST_YEAR, 1, 3), -5)
    with pytest.raises(ValueError, match="outside"):
        c.year_calendar(LAST_YEAR + 1)
    with pytest.raises(ValueError, match="outside"):
        c.differences(FIRST_YEAR - 1)
    first_monday = next(date(FIRST_YEAR, 1, d) for d in range(2, 9) if date(FIRST_YEAR, 1, d).weekday() == 0)
    assert c.is_working_day(first_monday) and c.first == date(FIRST_YEAR, 1, 1)
    assert c.last == date(LAST_YEAR, 12, 31)


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError, match="local_date_of"):
        cal().add_working_days(datetime(2026, 3, 9, 23, 30), 1)


def test_build_needs_a_contiguous_range() -> None:
    with pytest.raises(ValueError, match="contiguous"):
        WorkCalendar.build(years=[2024, 2026])
    small = WorkCalendar.build(years=range(2026, 2027))
    assert small.is_working_day(date(2026, 1, 10))
    with pytest.raises(ValueError):
        small.is_working_day(date(2025, 12, 31))


def test_shipped_declared_days() -> None:
    rows = workdays.load_declared_days()
    by_day = {row.day: row for row in rows}
    assert by_day[date(2026, 1, 2)] == DeclaredDay(
        date(2026, 1, 2), False, by_day[date(2026, 1, 2)].name, NEW_YEAR_2026_SOURCE
    )
    assert by_day[date(2026, 1, 10)].is_working and by_day[date(2026, 1, 10)].source == NEW_YEAR_2026_SOURCE
    assert all(row.source and row.name for row in rows)


def test_differences_show_where_the_package_disagrees() -> None:
    found = cal().differences(2026)
    assert [(x.date, x.declared_working, x.package_working) for x in found] == [
        (date(2026, 1, 2), False, True),
        (date(2026, 1, 10), True, False),
    ]
    assert NEW_YEAR_2026_SOURCE in found[0].describe()
    assert cal().differences(2025) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("day,working,name_vi,source\n", "header"),
        ("date,working,name_vi,source\n2026-13-01,0,x,y\n", "bad date"),
        ("date,working,name_vi,source\n2026-01-02,2,x,y\n", "0 or 1"),
        ("date,working,name_vi,source\n2026-01-02,0,x,\n", "required"),
        ("date,working,name_vi,source\n2026-01-02,0,x,y\n2026-01-02,1,x,y\n", "twice"),
    ],
)
def test_a_broken_declared_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "declared.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        workdays.load_declared_days(path)


def test_pure_overrides_win_over_everything() -> None:
    c = WorkCalendar.build(
        overrides={
            date(2026, 1, 2): True,  # over the declared day off
            date(2026, 2, 17): Override(
                date(2026, 2, 17), True, "trực Tết", "QĐ 1/QĐ-BQL"
            ),  # over the package
            date(2026, 3, 7): True,  # a Saturday
            date(2026, 3, 9): False,  # a Monday
        }
    )
    assert c.is_working_day(date(2026, 1, 2)) and c.is_working_day(date(2026, 3, 7))
    assert not c.is_working_day(date(2026, 3, 9))
    tet = c.explain_day(date(2026, 2, 17))
    assert (tet.is_working, tet.origin, tet.reason, tet.source) == (
        True,
        "override",
        "Điều chỉnh của quản trị viên: trực Tết",
        "QĐ 1/QĐ-BQL",
    )
    assert c.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 7)
    assert c.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 10)
    assert cal().is_working_day(date(2026, 3, 9))  # the shared calendar is untouched


# --------------------------------------------------------------------------- Flask integration


@pytest.fixture
def wd_app(tmp_path: Path):
    """An app with its own SQLite file and tables (independent of the shared conftest)."""
    import heza
    from heza.extensions import db

    app = heza.create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "t.db")})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _override(day: date, working: bool, note: str = "", source: str = ""):
    from heza.calendar.models import CalendarOverride

    return CalendarOverride(day=day, is_working=working, note=note, source=source)


def test_app_answers_like_the_core_and_caches_the_calendar(wd_app) -> None:
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert workdays.is_working_day(date(2026, 1, 10))
    assert workdays.working_days_between(date(2025, 12, 31), date(2026, 1, 10)) == 6
    assert workdays.explain_day(date(2026, 1, 2)).origin == "declared"
    assert len(workdays.days_skipped(date(2026, 2, 13), date(2026, 2, 23))) == 9
    assert workdays.year_calendar(2026) == cal().year_calendar(2026)
    assert workdays.differences(2026) == cal().differences(2026)
    state = wd_app.extensions["heza_workdays"]
    first = workdays.current_calendar()
    assert state.calendar is first and workdays.current_calendar() is first
    workdays.invalidate()
    assert state.calendar is None and workdays.current_calendar() is not first


def test_an_override_applies_on_commit_and_reverts_on_delete(wd_app) -> None:
    from heza.extensions import db

    monday = date(2026, 3, 2)
    assert workdays.add_working_days(date(2026, 2, 27), 1) == monday
    row = _override(monday, False, "Mất điện toàn khu", "Thông báo 5/TB-BQL")
    db.session.add(row)
    db.session.commit()
    assert not workdays.is_working_day(monday)
    assert workdays.add_working_days(date(2026, 2, 27), 1) == date(2026, 3, 3)
    info = workdays.explain_day(monday)
    assert (info.origin, info.reason, info.source) == (
        "override",
        "Điều chỉnh của quản trị viên: Mất điện toàn khu",
        "Thông báo 5/TB-BQL",
    )
    assert monday in [x.date for x in workdays.year_calendar(2026)]

    db.session.delete(row)
    db.session.commit()
    assert workdays.is_working_day(monday)
    assert workdays.add_working_days(date(2026, 2, 27), 1) == monday


def test_an_override_wins_over_declared_and_package_days(wd_app) -> None:
    from heza.calendar.models import CalendarOverride
    from heza.extensions import db

    db.session.add_all([_override(date(2026, 1, 2), True, "trực"), _override(date(2026, 1, 10), False)])
    db.session.commit()
    assert workdays.is_working_day(date(2026, 1, 2))
    assert not workdays.is_working_day(date(2026, 1, 10))
    assert workdays.explain_day(date(2026, 1, 10)).reason == "Điều chỉnh của quản trị viên"

    row = db.session.scalar(sa.select(CalendarOverride).filter_by(day=date(2026, 1, 2)))
    row.is_working = False  # an update
    db.session.commit()
    assert not workdays.is_working_day(date(2026, 1, 2))


def test_bulk_delete_and_rollback_invalidate(wd_app) -> None:
    from heza.calendar.models import CalendarOverride
    from heza.extensions import db

    saturday = date(2026, 3, 7)
    db.session.add(_override(saturday, True, "làm bù"))
    db.session.commit()
    assert workdays.is_working_day(saturday)
    db.session.execute(sa.delete(CalendarOverride))
    db.session.commit()
    assert not workdays.is_working_day(saturday)

    # Flushed but rolled back: a calendar built in between must not survive the rollback.
    db.session.add(_override(saturday, True))
    db.session.flush()
    workdays.invalidate()
    assert workdays.is_working_day(saturday)  # built from the flushed row
    db.session.rollback()
    assert not workdays.is_working_day(saturday)


def test_changes_behind_the_sessions_back_need_invalidate_or_recheck(wd_app) -> None:
    from heza.extensions import db

    tuesday = date(2026, 3, 10)
    state = wd_app.extensions["heza_workdays"]
    assert state.recheck_seconds == workdays.DEFAULT_RECHECK_SECONDS
    assert workdays.is_working_day(tuesday)
    with db.engine.begin() as conn:  # what another worker process does: no event in this one
        conn.execute(
            sa.text(
                "INSERT INTO calendar_overrides (day, is_working, note, source, created_dt, updated_dt) "
                "VALUES ('2026-03-10', 0, '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    assert workdays.is_working_day(tuesday)  # cached until the recheck is due
    state.next_check = 0.0  # the recheck interval has passed
    assert not workdays.is_working_day(tuesday)

    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM calendar_overrides"))
    assert not workdays.is_working_day(tuesday)
    workdays.invalidate()
    assert workdays.is_working_day(tuesday)


def test_app_dates_outside_the_covered_years_raise(wd_app) -> None:
    with pytest.raises(ValueError, match="outside"):
        workdays.is_working_day(date(LAST_YEAR + 1, 1, 2))
    with pytest.raises(ValueError, match="outside"):
        workdays.add_working_days(date(FIRST_YEAR - 1, 6, 1), 3)


def test_calendar_command(wd_app) -> None:
    from heza.calendar.cli import calendar_command

    result = wd_app.test_cli_runner().invoke(calendar_command, ["2026"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("01/01/2026  Thứ Năm  Tết Dương lịch  [thư viện holidays ")
    assert (
        f"02/01/2026  Thứ Sáu  Nghỉ Tết Dương lịch, hoán đổi với thứ Bảy 10/01/2026  [{NEW_YEAR_2026_SOURCE}]"
        in lines
    )
    assert f"10/01/2026  Thứ Bảy  Ngày làm bù cho thứ Sáu 02/01/2026  [{NEW_YEAR_2026_SOURCE}]" in lines
    listed = [line[:10] for line in lines if line[:2].isdigit()]
    expected = sorted(
        [d(s) for s in OFFICIAL_WEEKDAYS_OFF[2026]] + [d(s) for s in OFFICIAL_MAKE_UP_DAYS[2026]]
    )
    assert listed == [f"{x:%d/%m/%Y}" for x in expected]
    assert "Khác biệt" in result.output and "02/01/2026 Thứ Sáu" in result.output

    bad = wd_app.test_cli_runner().invoke(calendar_command, ["2040"])
    assert bad.exit_code != 0 and "outside" in bad.output
