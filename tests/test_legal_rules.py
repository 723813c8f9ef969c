"""Complaint and denunciation periods (issue 15): dates worked out by hand across Tết 2026 (14–22/2
off) and the make-up Saturday 10/1/2026, each checked to cite its article.

Calendar-day periods end on their last day, or on the next working day when that is a day off
(Điều 148 khoản 5 Bộ luật Dân sự 2015); the day the period starts from is not counted (Điều 147).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from heza import rules
from heza.base import LOCAL_ZONE


@pytest.fixture(autouse=True)
def _ctx(db):
    """Rules read the calendar of the current app."""
    yield


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_ZONE)


# Intake (seed 002: office hours, working days) ----------------------------------------------------

@pytest.mark.parametrize(
    ("received", "counted_from"),
    [
        (local(2026, 3, 9, 16, 59), date(2026, 3, 9)),   # a Monday, in office hours
        (local(2026, 3, 9, 6, 30), date(2026, 3, 9)),    # before opening: that working day
        (local(2026, 3, 9, 17, 0), date(2026, 3, 10)),   # at closing time: the next working day
        (local(2026, 1, 9, 18, 30), date(2026, 1, 10)),  # Friday evening → the make-up Saturday 10/1
        (local(2026, 1, 2, 9, 0), date(2026, 1, 5)),     # Friday 2/1/2026, declared off → Monday 5/1
        (local(2026, 2, 17, 9, 0), date(2026, 2, 23)),   # during Tết → the first working day after it
    ],
)
def test_intake_day_is_the_next_working_day_outside_office_hours(received, counted_from):
    assert rules.intake_day(received) == counted_from
    assert rules.intake_moved(received) == (received.date() != counted_from)


def test_r11_counts_from_the_intake_day():
    # Monday 9/3/2026 at 18:00: counted from Tuesday 10/3, 5 working days → Tuesday 17/3.
    assert rules.hotline_response_due(local(2026, 3, 9, 18, 0), "feedback", rules.Settings()).due == date(2026, 3, 17)


# Complaints: Điều 27, 28 Luật Khiếu nại 2011 -------------------------------------------------------

@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Tuesday 10/2/2026 + 10 days = Friday 20/2, a Tết day → Monday 23/2 (Điều 148 BLDS).
        (local(2026, 2, 10), date(2026, 2, 23)),
        # Friday 9/1/2026 after hours → counted from the make-up Saturday 10/1 → Tuesday 20/1.
        (local(2026, 1, 9, 18, 30), date(2026, 1, 20)),
        # The same Friday in office hours → Monday 19/1.
        (local(2026, 1, 9, 10, 0), date(2026, 1, 19)),
    ],
)
def test_complaint_acceptance_ten_calendar_days_article_27(received, due):
    deadline = rules.complaint_acceptance_due(received)
    assert deadline.due == due
    assert deadline.citation.startswith("Điều 27 Luật Khiếu nại 2011")
    assert "03/VBHN-VPQH" in deadline.explain()


def test_complaint_acceptance_moved_over_tet_says_why():
    text = rules.complaint_acceptance_due(local(2026, 2, 10)).explain()
    assert "20/02/2026" in text and "23/02/2026" in text
    assert "Điều 148 khoản 5 Bộ luật Dân sự 2015" in text
    assert text.endswith("Căn cứ: Điều 27 Luật Khiếu nại 2011 (hợp nhất tại văn bản 03/VBHN-VPQH năm 2021).")


@pytest.mark.parametrize(
    ("complex_case", "remote_area", "due"),
    [
        (False, False, date(2026, 2, 23)),  # 19/1 + 30 = Wednesday 18/2, Tết → Monday 23/2
        (True, False, date(2026, 3, 5)),    # + 45 = Thursday 5/3
        (False, True, date(2026, 3, 5)),    # remote area: 45
        (True, True, date(2026, 3, 20)),    # remote area, complex: 60 → Friday 20/3
    ],
)
def test_complaint_resolution_article_28(complex_case, remote_area, due):
    deadline = rules.complaint_resolution_due(date(2026, 1, 19), complex_case=complex_case, remote_area=remote_area)
    assert deadline.due == due
    assert deadline.citation.startswith("Điều 28 Luật Khiếu nại 2011")


# Denunciations: acceptance (the 7 working days), Điều 30 Luật Tố cáo 2018 -----------------

@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Thursday 12/2/2026: Friday 13/2, Tết until 22/2, then 23–27/2 and Monday 2/3.
        (local(2026, 2, 12, 9, 0), date(2026, 3, 2)),
        # Friday 2/1/2026 (off) → from Monday 5/1: 6, 7, 8, 9, Saturday 10 (make-up), 12, 13.
        (local(2026, 1, 2, 9, 0), date(2026, 1, 13)),
    ],
)
def test_denunciation_acceptance_seven_working_days(received, due):
    deadline = rules.denunciation_acceptance_due(received)
    assert deadline.due == due
    assert deadline.citation.startswith("Điều 24, Điều 29 Luật Tố cáo 2018")
    assert "chưa đối chiếu" in deadline.citation  # the period is not verified from the article: it says so


@pytest.mark.parametrize(
    ("extensions", "due"),
    [
        (0, date(2026, 2, 23)),  # 19/1 + 30 = 18/2, Tết → 23/2
        (1, date(2026, 3, 20)),  # complex: one extension of at most 30 days → 60 days
        (2, date(2026, 4, 20)),  # especially complex: two → 90 days = Sunday 19/4 → Monday 20/4
    ],
)
def test_denunciation_resolution_article_30(extensions, due):
    deadline = rules.denunciation_resolution_due(date(2026, 1, 19), extensions)
    assert deadline.due == due
    assert deadline.citation == "Điều 30 Luật Tố cáo 2018"


def test_denunciation_at_most_two_extensions_of_thirty_days():
    with pytest.raises(ValueError):
        rules.denunciation_resolution_due(date(2026, 1, 19), 3)
    accepted = date(2026, 1, 19)
    assert rules.denunciation_extension_allowed(accepted, 0, date(2026, 3, 20))
    assert not rules.denunciation_extension_allowed(accepted, 0, date(2026, 3, 23))
    assert rules.denunciation_extension_allowed(accepted, 1, date(2026, 4, 20))
    assert not rules.denunciation_extension_allowed(accepted, 2, date(2026, 4, 20))
