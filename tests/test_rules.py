"""Rules R1–R12: dates worked out by hand from the official calendar, then compared with heza.rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from heza import rules
from heza.base import LOCAL_ZONE

S = rules.Settings()


@pytest.fixture(autouse=True)
def _ctx(db):
    """Rules read the calendar of the current app."""
    yield


def local(y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_ZONE)


# R1 --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("held_on", "announce_on"),
    [
        # Monday after Tết 2026 (16–20/2 off): back over Tết to Thursday 5/2.
        (date(2026, 2, 23), date(2026, 2, 5)),
        # Monday 12/1/2026: the make-up Saturday 10/1 counts, Friday 2/1 and Thursday 1/1 do not.
        (date(2026, 1, 12), date(2025, 12, 31)),
        # An ordinary week: Wednesday 2026-03-11 → Monday 2026-03-02.
        (date(2026, 3, 11), date(2026, 3, 2)),
        # Across 30/4–1/5/2026 (Thursday, Friday) and Hùng Kings' substitute Monday 27/4.
        (date(2026, 5, 8), date(2026, 4, 24)),
    ],
)
def test_announcement_date_counts_seven_working_days_back(held_on, announce_on):
    assert rules.announcement_date(held_on, S).due == announce_on


def test_announcement_explains_rule_source_and_skipped_days():
    text = rules.announcement_date(date(2026, 2, 23), S).explain()
    assert text.startswith("R1:")
    assert "05/02/2026" in text and "23/02/2026" in text
    assert "17/02/2026" in text  # a Tết day named among those skipped
    assert "Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025" in text


def test_conference_entered_after_its_announcement_date_is_published_at_once_and_flagged_late():
    held_on = date(2026, 3, 11)  # R1 date: 2/3
    on_time = rules.announcement_plan(held_on, S, entered_on=date(2026, 2, 25))
    assert (on_time.publish_on, on_time.late) == (date(2026, 3, 2), False)
    late = rules.announcement_plan(held_on, S, entered_on=date(2026, 3, 4))
    assert (late.publish_on, late.late) == (date(2026, 3, 4), True)
    same_day = rules.announcement_plan(held_on, S, entered_on=date(2026, 3, 2))
    assert (same_day.publish_on, same_day.late) == (date(2026, 3, 2), False)


def test_settings_change_the_count():
    assert rules.announcement_date(date(2026, 3, 11), S.replace(announce_working_days=10)).due == date(2026, 2, 25)


# R2, R3 ----------------------------------------------------------------------------------------

def test_cutoff_is_end_of_fifth_working_day_before():
    held_on = date(2026, 2, 23)
    assert rules.registration_cutoff(held_on, S).due == date(2026, 2, 9)
    assert rules.received_in_time(local(2026, 2, 9, 23, 59), held_on, S)
    assert not rules.received_in_time(local(2026, 2, 10, 0, 1), held_on, S)
    # 23:30 in Hai Phong is 16:30 UTC the same day; the cutoff is local.
    assert rules.cutoff_instant(held_on, S) == local(2026, 2, 9, 23, 59).replace(second=59, microsecond=999999)


@pytest.mark.parametrize(
    ("enterprises", "recs", "met"),
    [(15, 5, True), (14, 5, False), (15, 4, False), (40, 12, True), (0, 0, False)],
)
def test_quorum_needs_fifteen_enterprises_and_five_recommendations(enterprises, recs, met):
    q = rules.quorum(enterprises, recs, S)
    assert q.met is met
    assert q.missing_enterprises == max(0, 15 - enterprises)
    assert ("dừng hoặc hoãn" in q.explain()) is (not met)


def test_registration_nudge_two_working_days_before_cutoff():
    # cutoff Monday 9/2/2026 → nudge Thursday 5/2.
    assert rules.registration_nudge_date(date(2026, 2, 23), S).due == date(2026, 2, 5)


# R4 --------------------------------------------------------------------------------------------

def test_unit_tasks_due_three_calendar_days_before():
    assert rules.unit_task_due(date(2026, 3, 12), S).due == date(2026, 3, 9)


def test_reminder_on_a_sunday_moves_to_the_friday_before():
    deadline = rules.unit_reminder_date(date(2026, 3, 11), S)  # 3 days before: Sunday 8/3
    assert deadline.due == date(2026, 3, 6)
    assert "08/03/2026" in deadline.explain()


def test_reminder_moves_back_over_holidays_too():
    # 3 days before Wednesday 6/5/2026 is Sunday 3/5; Friday 1/5 and Thursday 30/4 are holidays.
    assert rules.unit_reminder_date(date(2026, 5, 6), S).due == date(2026, 4, 29)


def test_reminder_on_a_working_day_stays():
    assert rules.unit_reminder_date(date(2026, 3, 13), S).due == date(2026, 3, 10)


# R5, R6, R7 ------------------------------------------------------------------------------------

def test_answer_due_seven_working_days_after_across_tet():
    # Thursday 12/2/2026: Friday 13/2, then Tết until 22/2, then 23/2… → 2/3.
    assert rules.answer_due(date(2026, 2, 12), False, S).due == date(2026, 3, 2)


def test_answer_due_fourteen_when_coordination_is_needed():
    deadline = rules.answer_due(date(2026, 2, 12), True, S)
    assert deadline.due == date(2026, 3, 11)
    assert "phối hợp" in deadline.explain()


def test_report_and_conclusion_due_seven_working_days_after():
    # Friday 24/4/2026; 27/4 (Hùng Kings, substitute), 30/4 and 1/5 are off:
    # 28/4, 29/4, 4/5, 5/5, 6/5, 7/5, 8/5.
    held_on = date(2026, 4, 24)
    assert rules.report_due(held_on, S).due == date(2026, 5, 8)
    assert rules.conclusion_due(held_on, S).due == date(2026, 5, 8)


# R8–R12 ----------------------------------------------------------------------------------------

def test_ward_conferences_per_year():
    check = rules.ward_conferences_check(2026, [date(2026, 5, 20), date(2025, 11, 5)], S)
    assert (check.count, check.met, check.first_half, check.second_half) == (1, False, 1, 0)
    assert rules.ward_conferences_check(2026, [date(2026, 5, 20), date(2026, 11, 5)], S).met


def test_monthly_posts():
    assert rules.monthly_posts_due(2026, 2).due == date(2026, 2, 28)
    assert rules.monthly_posts_met([date(2026, 2, 3)], 2026, 2, S)
    assert not rules.monthly_posts_met([date(2026, 3, 3)], 2026, 2, S)


def test_article_due_and_words():
    assert rules.article_due(date(2023, 3, 20)).due == date(2023, 3, 20)
    assert rules.article_due(date(2023, 3, 20), date(2023, 3, 15)).due == date(2023, 3, 15)
    assert rules.planned_words(0.5) == 175
    assert rules.planned_words(4) == 1400
    assert rules.planned_words(None) is None


def test_hotline_item_received_on_a_day_off_counts_from_the_next_working_day():
    # Received Sunday 8/3/2026 → taken as Monday 9/3; 5 working days → Monday 16/3.
    assert rules.hotline_response_due(local(2026, 3, 8, 10, 0), "feedback", S).due == date(2026, 3, 16)
    # Received Monday 9/3 → 5 working days after → 16/3 as well.
    assert rules.hotline_response_due(local(2026, 3, 9, 10, 0), "feedback", S).due == date(2026, 3, 16)
    # Complaints take 10.
    assert rules.hotline_response_due(local(2026, 3, 9, 10, 0), "complaint", S).due == date(2026, 3, 23)


def test_dialogue_plan_year():
    assert rules.dialogue_plan_year(date(2026, 12, 20)) == 2026


# Overdue alert ladder --------------------------------------------------------------------------

def test_alert_ladder_counts_alerts_sent():
    due = date(2026, 3, 6)  # Friday
    assert rules.first_alert_day(due) == date(2026, 3, 9)  # Monday, not Saturday
    assert not rules.alert_due(due, date(2026, 3, 6), 0, S)
    assert rules.alert_due(due, date(2026, 3, 9), 0, S)
    assert not rules.alert_due(due, date(2026, 3, 10), 1, S)  # next after 2 working days
    assert rules.alert_due(due, date(2026, 3, 11), 1, S)
    # After a week of downtime one alert is due, not one per missed day.
    assert rules.alert_due(due, date(2026, 3, 20), 1, S)
    assert not rules.alert_due(due, date(2026, 3, 14), 1, S)  # Saturday: nobody is written to
