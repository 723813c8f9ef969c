"""Open items carry their due date and its basis; conference, settings and calendar changes move them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from heza import deadlines, rules
from heza.base import now_utc
from heza.calendar.models import CalendarOverride
from heza.conferences.models import Report, ReportKind, Task
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind, LegalStage
from heza.plans.models import Plan
from heza.recommendations.models import AnswerMethod, RecommendationStatus
from tests import factories as f


def test_new_recommendation_gets_r5_due_date_and_basis(db):
    conf = f.conference(held_on=date(2026, 2, 12))
    rec = f.recommendation(conf)
    coord = f.recommendation(conf, needs_coordination=True)
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 2)
    assert coord.due_on == date(2026, 3, 11)
    assert rec.due_basis.startswith("R5:")


def test_recommendation_without_conference_counts_from_receipt(db):
    rec = f.recommendation(conference=None, received_dt=f.at_local(date(2026, 3, 9)))
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 18)
    assert "tiếp nhận" in rec.due_basis


def test_postponing_a_conference_moves_open_items_not_closed_ones(db):
    conf = f.conference(held_on=date(2026, 3, 3))
    open_rec = f.recommendation(conf)
    closed = f.recommendation(conf, status=RecommendationStatus.ANSWERED, answered_dt=now_utc(),
                              answer_method=AnswerMethod.AT_CONFERENCE)
    task = Task(unit=f.unit(conf.organizer), conference=conf, description="Chuẩn bị hội trường")
    report = Report(organizer=conf.organizer, conference=conf, kind=ReportKind.RESULT, title="Báo cáo kết quả")
    _db.session.add_all([task, report])
    _db.session.commit()
    closed_due = closed.due_on
    assert task.due_on == date(2026, 2, 27)  # 28/2 is a Saturday: the Friday before
    conf.held_on = date(2026, 3, 10)
    _db.session.commit()
    settings = conf.settings()
    assert open_rec.due_on == rules.answer_due(date(2026, 3, 10), False, settings).due
    assert task.due_on == date(2026, 3, 6)  # 7/3 is a Saturday
    assert report.due_on == rules.report_due(date(2026, 3, 10), settings).due
    assert closed.due_on == closed_due


def test_explicit_task_dates_are_kept(db):
    conf = f.conference(held_on=date(2026, 3, 3))
    task = Task(unit=f.unit(), conference=conf, description="Gửi giấy mời", due_on=date(2026, 2, 25),
                due_explicit=True)
    _db.session.add(task)
    _db.session.commit()
    assert task.due_on == date(2026, 2, 25)


def test_organizer_setting_change_moves_open_items(db):
    org = f.organizer()
    rec = f.recommendation(f.conference(org, held_on=date(2026, 3, 3)))
    _db.session.commit()
    before = rec.due_on
    org.answer_working_days = 10
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 17) != before


def test_hotline_due_by_kind(db):
    item = HotlineItem(organizer=f.organizer(), channel=HotlineChannel.FACEBOOK, kind=HotlineKind.COMPLAINT,
                       content="Khiếu nại", received_dt=f.at_local(date(2026, 3, 9)))
    feedback = HotlineItem(organizer=item.organizer, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                           content="Phản ánh", received_dt=f.at_local(date(2026, 3, 9)))
    _db.session.add_all([item, feedback])
    _db.session.commit()
    assert feedback.due_on == date(2026, 3, 16)  # R11: 5 working days
    # A complaint follows the law (issue 15), not R11: accepted within 10 days (Điều 27 Luật Khiếu nại 2011).
    assert item.legal_stage == LegalStage.RECEIVED
    assert item.due_on == date(2026, 3, 19)
    assert "Điều 27 Luật Khiếu nại 2011" in item.due_basis


def test_calendar_override_moves_open_deadlines(db):
    conf = f.conference(held_on=date(2026, 3, 3))
    rec = f.recommendation(conf)
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 12)
    # An extra day off on Wednesday 4/3 pushes the answer one working day later.
    _db.session.add(CalendarOverride(day=date(2026, 3, 4), is_working=False, note="Nghỉ đột xuất"))
    _db.session.commit()
    moved = deadlines.refresh_open_deadlines()
    _db.session.commit()
    assert moved == 1
    assert rec.due_on == date(2026, 3, 13)
    assert "04/03/2026" in rec.due_basis


def test_the_stored_basis_cites_the_organizers_own_plan(db):
    heza, ward = f.organizer(), f.ward()
    _db.session.add(Plan(organizer=heza, number="25/KH-BQL", title="Kế hoạch đối thoại", year=2026, rules="R5"))
    rec = f.recommendation(f.conference(heza, held_on=date(2026, 3, 3)))
    ward_rec = f.recommendation(f.conference(ward, held_on=date(2026, 3, 3)))
    _db.session.commit()
    assert "Căn cứ: Kế hoạch đối thoại số 25/KH-BQL" in rec.due_basis
    # The ward's plan does not set R5: the default wording, not HEZA's plan.
    assert rules.default_citation() in ward_rec.due_basis and "25/KH-BQL" not in ward_rec.due_basis


def test_a_plan_added_changed_or_deleted_restamps_the_basis_of_open_items(db):
    org = f.organizer()
    rec = f.recommendation(f.conference(org, held_on=date(2026, 3, 3)))
    item = HotlineItem(organizer=org, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                       content="Đường ngập", received_dt=f.at_local(date(2026, 3, 9)))
    _db.session.add(item)
    _db.session.commit()
    assert rules.default_citation() in rec.due_basis

    # Added by organizer_id alone, as an import would: seen once flushed.
    _db.session.add(Plan(organizer_id=org.id, number="8/KH", title="Kế hoạch năm 2026", year=2026, rules="R5,R11"))
    _db.session.commit()
    assert "8/KH" in rec.due_basis and "8/KH" in item.due_basis
    plan = _db.session.scalar(sa.select(Plan))
    plan.active = False
    _db.session.commit()
    assert "8/KH" not in rec.due_basis and rules.default_citation() in rec.due_basis
    plan.active = True
    _db.session.commit()
    assert "8/KH" in rec.due_basis
    _db.session.delete(plan)
    _db.session.commit()
    assert "8/KH" not in rec.due_basis and "8/KH" not in item.due_basis


def test_due_state_counts_working_days(db):
    assert deadlines.due_state(date(2026, 3, 13), date(2026, 3, 9)) == 4
    assert deadlines.due_state(date(2026, 3, 6), date(2026, 3, 9)) == -1
    assert deadlines.due_state(None, date(2026, 3, 9)) is None


def test_an_extension_needs_a_reason_and_a_later_day_and_survives_every_restamp(db):
    import pytest

    conf = f.conference(held_on=date(2026, 3, 3))
    rec = f.recommendation(conf)
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 12)
    with pytest.raises(deadlines.ExtensionError, match="lý do"):
        deadlines.extend(rec, date(2026, 3, 20), " ")
    with pytest.raises(deadlines.ExtensionError, match="12/03/2026"):
        deadlines.extend(rec, date(2026, 3, 12), "chờ ý kiến")
    deadlines.extend(rec, date(2026, 3, 20), "chờ ý kiến Sở Tài chính")
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 20) and "Gia hạn đến 20/03/2026 vì chờ ý kiến Sở Tài chính" in rec.due_basis
    # Neither a change of the item nor of its conference's settings nor the calendar overwrites it.
    rec.content = "Đề nghị hướng dẫn thủ tục (bổ sung)"
    conf.answer_working_days = 3
    _db.session.commit()
    deadlines.refresh_open_deadlines()
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 20) and "3 ngày làm việc" in rec.due_basis
    # It never shortens: a rule that comes to give a later day (14 working days) prevails.
    rec.needs_coordination = True
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 23) and "Gia hạn" not in rec.due_basis
    rec.needs_coordination = False
    _db.session.commit()
    assert rec.due_on == date(2026, 3, 20)
    # Removing it gives the rule's date back.
    deadlines.extend(rec, None, "")
    _db.session.commit()
    assert rec.due_on == rules.answer_due(date(2026, 3, 3), False, conf.settings()).due
    assert "Gia hạn" not in rec.due_basis
