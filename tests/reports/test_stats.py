"""The counts behind every document: conference, hotline period, newsletter issue."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from heza.hotline.models import HotlineChannel, HotlineKind
from heza.recommendations.models import Field
from heza.reports import stats
from heza.reports.stats import Outcome, SubmissionState
from tests.reports.conftest import AS_OF


def test_conference_counts(held):
    s = stats.conference_stats(held.conference, AS_OF)
    assert s.enterprises_invited == 4
    assert s.agencies_invited == ["Cục Thuế thành phố", "Sở Nông nghiệp và Môi trường", "Sở Tài chính"]
    assert (s.enterprises_registered, s.enterprises_registered_in_time, s.attendees) == (4, 3, 3)
    total = s.total
    assert (total.received, total.in_time, total.late, s.withdrawn) == (5, 3, 2, 1)
    assert (total.at_conference, total.written_on_time, total.written_late, total.open) == (1, 1, 1, 2)
    assert s.overdue == 1
    assert [r.id for r in s.open_items] == [held.recs["env2"].id, held.recs["lab1"].id]  # by due date
    by_field = {row.field: row for row in s.by_field}
    assert set(by_field) == {Field.LAND, Field.ENVIRONMENT, Field.LABOUR}
    land, env, lab = by_field[Field.LAND], by_field[Field.ENVIRONMENT], by_field[Field.LABOUR]
    assert (land.received, land.in_time, land.at_conference, land.written_on_time) == (2, 2, 1, 1)
    assert (env.received, env.in_time, env.late, env.written_late, env.open) == (2, 1, 1, 1, 1)
    assert (lab.received, lab.late, lab.open) == (1, 1, 1)
    assert s.quorum.enterprises == 3 and s.quorum.recommendations == 3 and not s.quorum.met


def test_outcomes_partition_the_recommendations(held):
    outcomes = {k: stats.recommendation_outcome(r) for k, r in held.recs.items()}
    assert outcomes == {"land1": Outcome.AT_CONFERENCE, "land2": Outcome.WRITTEN_ON_TIME,
                        "env1": Outcome.WRITTEN_LATE, "env2": Outcome.OPEN, "lab1": Outcome.OPEN,
                        "tax1": Outcome.WITHDRAWN}


def test_open_items_are_not_overdue_before_their_due_date(held):
    s = stats.conference_stats(held.conference, date(2026, 3, 12))
    assert s.overdue == 0
    assert stats.conference_stats(held.conference, date(2026, 3, 24)).overdue == 2


def test_an_answer_on_the_due_day_is_on_time():
    from heza.base import end_of_local_day

    due = date(2026, 3, 12)
    assert stats.answered_on_time(end_of_local_day(due), due)
    assert not stats.answered_on_time(end_of_local_day(date(2026, 3, 13)), due)
    assert stats.answered_on_time(end_of_local_day(due), None)
    assert not stats.answered_on_time(None, due)


def test_periods():
    may = stats.month_period("2026-05")
    assert (may.start, may.end, may.slug) == (date(2026, 5, 1), date(2026, 5, 31), "2026-05")
    feb = stats.month_period("2028-2")
    assert feb.end == date(2028, 2, 29)
    q2 = stats.quarter_period("2026-Q2")
    assert (q2.start, q2.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert stats.quarter_period("2026-4").end == date(2026, 12, 31)
    for bad in ("2026-13", "2026", "05/2026", "", "2026-00"):
        with pytest.raises(stats.PeriodError):
            stats.month_period(bad)
    for bad in ("2026-5", "2026-Q0", "Q2-2026"):
        with pytest.raises(stats.PeriodError):
            stats.quarter_period(bad)


def test_period_bounds_are_local_days(db):
    first, after = stats.month_period("2026-05").instants()
    assert first.isoformat() == "2026-04-30T17:00:00+00:00"
    assert after.isoformat() == "2026-05-31T17:00:00+00:00"


def test_hotline_month(hotline_may):
    s = stats.hotline_stats(stats.month_period("2026-05"), date(2026, 6, 10))
    items = hotline_may.items
    assert {i.id for i in s.items} == {items[k].id for k in ("fb1", "rec1", "cmp1", "den1", "late_night")}
    assert s.by_channel_kind[(HotlineChannel.HOTLINE, HotlineKind.FEEDBACK)] == 2
    assert s.channel_total(HotlineChannel.FACEBOOK) == 1 and s.kind_total(HotlineKind.DENUNCIATION) == 1
    assert (s.total, s.on_time, s.late, s.open, s.overdue) == (5, 2, 1, 2, 1)
    units = {u.name: u for u in s.units}
    a, b, none = units["QLĐT"], units["QLLĐ"], units["Chưa phân công"]
    assert (a.received, a.on_time, a.late, a.open) == (2, 1, 1, 0)
    assert (b.received, b.on_time, b.open, b.overdue) == (2, 1, 1, 1)
    assert (none.received, none.open, none.overdue) == (1, 1, 0)
    assert s.units[-1] is none  # the unassigned come last


def test_hotline_quarter_and_unit_scope(hotline_may):
    q2 = stats.quarter_period("2026-2")
    assert stats.hotline_stats(q2, date(2026, 6, 10)).total == 7
    only_a = stats.hotline_stats(q2, date(2026, 6, 10), unit_id=hotline_may.unit_a.id)
    assert only_a.total == 4 and {u.name for u in only_a.units} == {"QLĐT"}
    other = stats.hotline_stats(q2, date(2026, 6, 10), organizer_id=hotline_may.organizer.id + 1000)
    assert other.total == 0


def test_newsletter_issue(newsletter):
    s = stats.newsletter_stats(newsletter.issue, date(2023, 3, 25))
    by_key = {k: next(r for r in s.rows if r.assignment.id == a.id) for k, a in newsletter.assignments.items()}
    assert by_key["focus"].state == SubmissionState.SUBMITTED
    assert by_key["plan"].state == SubmissionState.SUBMITTED_LATE
    assert by_key["labour"].state == SubmissionState.OVERDUE
    assert by_key["youth"].state == SubmissionState.PENDING and by_key["youth"].due == date(2023, 3, 30)
    assert by_key["labour2"].state == SubmissionState.OVERDUE and by_key["labour2"].planned_words is None
    assert [by_key[k].planned_words for k in ("focus", "plan", "labour", "youth")] == [700, 1400, 175, 350]
    assert by_key["focus"].words_ratio == pytest.approx(650 / 700)
    assert (s.submitted, s.not_submitted, s.planned_words, s.words) == (2, 3, 2625, 2150)
    late = {str(u.unit.name): (len(u.overdue), len(u.submitted_late)) for u in s.late_units}
    assert late == {"Phòng Quản lý Lao động": (2, 0), "Phòng Quản lý Quy hoạch và Xây dựng": (0, 1)}


def test_newsletter_before_the_deadline_has_no_late_units(newsletter):
    s = stats.newsletter_stats(newsletter.issue, date(2023, 3, 20))
    assert [u.unit.name for u in s.late_units] == ["Phòng Quản lý Quy hoạch và Xây dựng"]  # submitted on 22/03
    only = stats.newsletter_stats(newsletter.issue, date(2023, 3, 25), unit_id=newsletter.units["ld"].id)
    assert len(only.rows) == 2 and all(r.assignment.unit_id == newsletter.units["ld"].id for r in only.rows)


def test_vietnamese_alphabetical_order():
    names = ["Phòng Quản lý Lao động", "Đoàn Thanh niên", "Ủy ban", "Ban Quản lý", "Dương", "Ăn", "An", "Âu", "Ơn",
             "Ông", "Ô", "Ư", "U", "Zeta", "Á", "Ả", "À", "Ạ", "Ã"]
    ordered = sorted(names, key=stats.vi_sort_key)
    assert ordered == ["À", "Ả", "Ã", "Á", "Ạ", "An", "Ăn", "Âu", "Ban Quản lý", "Dương", "Đoàn Thanh niên", "Ô",
                       "Ông", "Ơn", "Phòng Quản lý Lao động", "U", "Ủy ban", "Ư", "Zeta"]
    assert sorted(["QLLĐ", "QLĐT"], key=stats.vi_sort_key) == ["QLĐT", "QLLĐ"]
    assert stats.vi_sort_key("Đoàn") == stats.vi_sort_key(unicodedata.normalize("NFD", "Đoàn"))
