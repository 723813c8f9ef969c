"""Rules R1–R12: dates worked out by hand from the official calendar, then compared with heza.rules.

And what each deadline cites: the plan of the conference's own organizer that sets the rule, or
the system's default wording, never another organizer's plan.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from heza import rules
from heza.base import LOCAL_ZONE
from heza.directory.models import Organizer
from heza.extensions import db as _db
from heza.plans.models import Plan
from tests import factories as f

S = rules.Settings()
DEFAULT = "mặc định của hệ thống"  # the start of rules.default_citation() in Vietnamese


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
    # Without an organizer there is no plan to cite: the default wording, no document of anyone.
    assert text.endswith("Căn cứ: " + rules.default_citation() + ".")
    assert DEFAULT in text and "Kế hoạch" not in text


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


def test_a_task_deadline_on_a_day_off_is_stated_as_the_last_working_day_before():
    # Conference Tuesday 24/2/2026: 3 days before is Saturday 21/2, inside Tết (14–22/2 off).
    deadline = rules.unit_task_due(date(2026, 2, 24), S)
    assert deadline.due == date(2026, 2, 13)  # the last working day before Tết
    assert "21/02/2026" in deadline.explain() and "hạn là ngày làm việc liền trước, 13/02/2026" in deadline.explain()
    assert rules.unit_reminder_date(date(2026, 2, 24), S).due == deadline.due
    assert "20/02/2026" not in deadline.summary


def test_the_first_alert_of_a_conference_task_is_never_later_than_the_day_before():
    # Conference Monday 16/3/2026: tasks due Friday 13/3; the day after the due day would be Monday 16/3.
    due = rules.unit_task_due(date(2026, 3, 16), S).due
    assert due == date(2026, 3, 13)
    assert rules.first_alert_day(due) == date(2026, 3, 16)
    assert rules.first_alert_day(due, before=date(2026, 3, 16)) == date(2026, 3, 13)
    assert rules.alert_due(due, date(2026, 3, 13), 0, S, before=date(2026, 3, 16))
    # Conference Wednesday 18/3: due Sunday 15/3 → Friday 13/3; first alert Monday 16/3, the day before 17/3 ok.
    due = rules.unit_task_due(date(2026, 3, 18), S).due
    assert rules.first_alert_day(due, before=date(2026, 3, 18)) == date(2026, 3, 16)


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
    deadline = rules.ward_conferences_due(2026, S.replace(min_conferences_per_year=3))
    assert deadline.due == date(2026, 12, 31) and "3 lần" in deadline.summary


def test_monthly_posts():
    assert rules.monthly_posts_due(2026, 2, S).due == date(2026, 2, 28)
    assert rules.monthly_posts_met([date(2026, 2, 3)], 2026, 2, S)
    assert not rules.monthly_posts_met([date(2026, 3, 3)], 2026, 2, S)


def test_article_due_and_words():
    assert rules.article_due(date(2023, 3, 20), None, S).due == date(2023, 3, 20)
    assert rules.article_due(date(2023, 3, 20), date(2023, 3, 15), S).due == date(2023, 3, 15)
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


def test_dialogue_plan_year_rolls_over_on_1_december_by_default():
    # Seed 000 (12/2023) collects topics for the coming year's plan.
    assert rules.dialogue_plan_year(date(2026, 11, 30)) == 2026
    assert rules.dialogue_plan_year(date(2026, 12, 1)) == 2027
    assert rules.dialogue_plan_year(date(2026, 12, 20), S) == 2027
    assert rules.dialogue_plan_year(date(2026, 1, 5)) == 2026


def test_dialogue_plan_year_rollover_is_a_setting():
    from_november = S.replace(proposal_rollover_month=11, proposal_rollover_day=15)
    assert rules.dialogue_plan_year(date(2026, 11, 14), from_november) == 2026
    assert rules.dialogue_plan_year(date(2026, 11, 15), from_november) == 2027
    never = S.replace(proposal_rollover_month=0)
    assert rules.dialogue_plan_year(date(2026, 12, 31), never) == 2026
    # A day past the month's end is the month's last day.
    assert rules.dialogue_plan_year(date(2026, 2, 28), S.replace(proposal_rollover_month=2,
                                                                 proposal_rollover_day=31)) == 2027


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


# What each deadline cites ----------------------------------------------------------------------

def _plan(organizer: Organizer, rule_codes: str, **kw: Any) -> Plan:
    """An active plan of ``organizer`` setting ``rule_codes``."""
    values: dict[str, Any] = {"organizer": organizer, "title": "Kế hoạch tổ chức Hội nghị đối thoại",
                              "year": 2026, "rules": rule_codes}
    values.update(kw)
    plan = Plan(**values)
    _db.session.add(plan)
    _db.session.flush()
    return plan


def _every_rule(s: rules.Settings) -> dict[str, rules.Deadline]:
    """One deadline of each dated rule, computed with ``s``."""
    held_on = date(2026, 3, 11)
    return {
        "R1": rules.announcement_date(held_on, s),
        "R2": rules.registration_cutoff(held_on, s),
        "R2 nudge": rules.registration_nudge_date(held_on, s),
        "R3": rules.quorum_check_date(held_on, s),
        "R3 report": rules.postpone_report_due(held_on, s),
        "R4": rules.unit_task_due(held_on, s),
        "R4 reminder": rules.unit_reminder_date(held_on, s),
        "R5": rules.answer_due(held_on, True, s),
        "R6": rules.report_due(held_on, s),
        "R7": rules.conclusion_due(held_on, s),
        "R8": rules.ward_conferences_due(2026, s),
        "R9": rules.monthly_posts_due(2026, 3, s),
        "R10": rules.article_due(held_on, None, s),
        "R11": rules.hotline_response_due(local(2026, 3, 9, 10, 0), "feedback", s),
    }


def test_every_rule_cites_what_its_settings_cite_for_it():
    s = rules.Settings(basis=tuple((f"R{n}", f"Văn bản số {n}") for n in range(1, 12)),
                       rules_applied=frozenset(f"R{n}" for n in range(1, 12)))
    for name, deadline in _every_rule(s).items():
        code = name.split()[0]
        assert deadline.rule == code, name
        assert deadline.citation == f"Văn bản số {code[1:]}", name
        assert deadline.explain().endswith(f"Căn cứ: Văn bản số {code[1:]}."), name


def test_without_a_plan_every_rule_cites_the_default_wording():
    for name, deadline in _every_rule(S).items():
        assert deadline.citation == rules.default_citation(), name


def test_settings_say_which_rules_apply_and_cite_them():
    assert S.applies("R3") and S.applies("R9")  # nothing known: every rule applies
    s = rules.Settings(basis=(("R4", "Kế hoạch phường"),), rules_applied=frozenset({"R4"}))
    assert s.applies("R4") and not s.applies("R3")
    assert s.cite("R4") == "Kế hoạch phường" and s.cite("R3") == rules.default_citation()
    # A conference's overrides keep its organizer's basis.
    assert s.replace(cutoff_working_days=3, unknown=1).cite("R4") == "Kế hoạch phường"


def test_a_conference_cites_its_own_organizers_plan_never_the_others():
    heza = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA")
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    _plan(heza, "R1,R2,R3,R5,R6,R7", number="25/KH-BQL", issued_on=date(2025, 3, 4), year=2025,
          title="Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025")
    _plan(ward, "R4,R8,R9", number="12/KH-UBND", issued_on=date(2026, 3, 20),
          title="Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh")
    heza_conf = f.conference(heza, date(2026, 5, 20))
    ward_conf = f.conference(ward, date(2026, 5, 21))

    # A's plan sets R2: A's conference cites A's plan, with its number, date and title.
    r2 = rules.registration_cutoff(heza_conf.held_on, heza_conf.settings())
    assert "25/KH-BQL" in r2.citation and "04/03/2025" in r2.citation
    assert "Hội nghị đối thoại doanh nghiệp năm 2025" in r2.citation and "12/KH-UBND" not in r2.citation
    assert r2.explain().endswith("Căn cứ: " + r2.citation + ".")
    # B's plan sets R4: B's conference cites B's plan.
    r4 = rules.unit_task_due(ward_conf.held_on, ward_conf.settings())
    assert "12/KH-UBND" in r4.citation and "Phù Liễn" in r4.citation and "25/KH-BQL" not in r4.citation

    # A rule no plan of the organizer sets: the default wording, never the other organizer's plan.
    heza_r4 = rules.unit_task_due(heza_conf.held_on, heza_conf.settings())
    ward_r2 = rules.registration_cutoff(ward_conf.held_on, ward_conf.settings())
    assert heza_r4.citation == ward_r2.citation == rules.default_citation()
    assert DEFAULT in heza_r4.explain() and "12/KH-UBND" not in heza_r4.explain()
    assert DEFAULT in ward_r2.explain() and "25/KH-BQL" not in ward_r2.explain()
    # ...and the rule still counts (the workflow needs its date).
    assert ward_r2.due == rules.registration_cutoff(ward_conf.held_on, S).due
    # Which rules apply follows the plans, not the organizer's kind.
    assert heza.settings().applies("R3") and not heza.settings().applies("R4")
    assert ward.settings().applies("R9") and not ward.settings().applies("R3")


def test_an_inactive_plan_is_not_cited_nor_applied():
    org = f.organizer()
    _plan(org, "R2", number="7/KH-CU", active=False)
    s = f.conference(org).settings()
    assert "7/KH-CU" not in rules.registration_cutoff(date(2026, 5, 20), s).citation
    assert rules.registration_cutoff(date(2026, 5, 20), s).citation == rules.default_citation()
    assert not s.applies("R2")


def test_where_two_plans_set_a_rule_the_newer_is_cited():
    org = f.organizer()
    _plan(org, "R2,R5", number="30/KH-MOI", year=2026, issued_on=date(2026, 1, 15))
    _plan(org, "R2", number="9/KH-CU", year=2025, issued_on=date(2025, 2, 1))
    _plan(org, "R2", number="3/KH-DAUNAM", year=2026, issued_on=date(2026, 1, 5))
    s = org.settings()
    cited = rules.registration_cutoff(date(2026, 5, 20), s).citation
    assert "30/KH-MOI" in cited and "9/KH-CU" not in cited and "3/KH-DAUNAM" not in cited
    assert "30/KH-MOI" in rules.answer_due(date(2026, 5, 20), False, s).citation
