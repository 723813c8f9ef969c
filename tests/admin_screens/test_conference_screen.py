"""The conference screen: R1–R7 from heza.rules with their reasons, quorum by the cutoff, actions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from markupsafe import escape

from heza import rules, workdays
from heza.accounts.models import Role
from heza.base import LOCAL_ZONE
from heza.conferences.models import (
    AnnouncementKind,
    Channel,
    Conference,
    ConferenceStatus,
    Registration,
    Task,
)
from heza.recommendations.models import RecommendationStatus
from tests import factories as f
from tests.admin_screens.conftest import HELD_ON, csrf_token, post, text

# Monday 2/2/2026: before the R1 day (Friday 13/2) of a conference on Tuesday 3/3/2026.
EARLY = datetime(2026, 2, 2, 9, 0, tzinfo=LOCAL_ZONE)

DATE_ROW = re.compile(r'<tr data-key="([^"]+)" data-rule="([^"]*)" data-due="([^"]+)"')


def page_dates(html: str) -> dict[str, tuple[str, date]]:
    """``key -> (rule, date)`` of the computed-dates table."""
    return {key: (rule, date.fromisoformat(due)) for key, rule, due in DATE_ROW.findall(html)}


def details(client, conference_id: int) -> str:
    response = client.get(f"/admin/conference/details/?id={conference_id}")
    assert response.status_code == 200
    return text(response)


@pytest.fixture()
def early():
    with time_machine.travel(EARLY, tick=False):
        yield


def expected(held_on: date, s: rules.Settings) -> dict[str, tuple[str, rules.Deadline]]:
    return {
        "announcement": ("R1", rules.announcement_date(held_on, s)),
        "nudge": ("R2", rules.registration_nudge_date(held_on, s)),
        "cutoff": ("R2", rules.registration_cutoff(held_on, s)),
        "unit_tasks": ("R4", rules.unit_task_due(held_on, s)),
        "unit_reminder": ("R4", rules.unit_reminder_date(held_on, s)),
        "answers": ("R5", rules.answer_due(held_on, False, s)),
        "answers_coordination": ("R5", rules.answer_due(held_on, True, s)),
        "report": ("R6", rules.report_due(held_on, s)),
        "conclusion": ("R7", rules.conclusion_due(held_on, s)),
    }


def test_details_show_every_rule_date_with_its_explanation(client, db, login):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()

    html = details(client, conference.id)
    shown = page_dates(html)

    for key, (rule, deadline) in expected(HELD_ON, conference.settings()).items():
        assert shown[key] == (rule, deadline.due), key
        assert str(escape(deadline.explain())) in html, key
    assert shown["quorum"] == ("R3", rules.registration_cutoff(HELD_ON, conference.settings()).due)
    assert shown["held"] == ("", HELD_ON)
    # The values the source documents give for this day, so a wrong rule cannot pass unseen.
    assert shown["announcement"][1] == date(2026, 2, 13)  # Tết (16–20/2) is skipped
    assert shown["cutoff"][1] == date(2026, 2, 24)
    assert shown["answers"][1] == date(2026, 3, 12)
    assert shown["answers_coordination"][1] == date(2026, 3, 23)
    assert "Tết Nguyên Đán" in html
    assert "13/02/2026" in html


def test_a_conference_setting_override_changes_the_dates_shown(client, db, login):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON, announce_working_days=10, report_working_days=3)
    db.session.commit()

    shown = page_dates(details(client, conference.id))

    s = conference.settings()
    assert s.announce_working_days == 10
    assert shown["announcement"][1] == rules.announcement_date(HELD_ON, s).due == date(2026, 2, 10)
    assert shown["report"][1] == rules.report_due(HELD_ON, s).due == date(2026, 3, 6)


def test_quorum_counts_only_what_arrived_by_the_cutoff(client, db, login):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    in_time, last_minute, late = date(2026, 2, 10), f.at_local(date(2026, 2, 24), 23, 30), date(2026, 2, 25)
    registered = [f.enterprise() for _ in range(4)]
    for enterprise, received in zip(registered, (f.at_local(in_time), f.at_local(in_time), last_minute,
                                                 f.at_local(late)), strict=True):
        db.session.add(Registration(conference=conference, enterprise=enterprise, received_dt=received,
                                    channel=Channel.EMAIL))
    withdrawn = f.enterprise()
    db.session.add(Registration(conference=conference, enterprise=withdrawn, channel=Channel.EMAIL,
                                received_dt=f.at_local(in_time), withdrawn_dt=f.at_local(date(2026, 2, 12))))
    f.recommendation(conference, enterprise=registered[0], received_dt=f.at_local(in_time))
    f.recommendation(conference, enterprise=registered[2], received_dt=last_minute)
    f.recommendation(conference, enterprise=registered[1], received_dt=f.at_local(late))
    f.recommendation(conference, enterprise=registered[1], received_dt=f.at_local(in_time),
                     status=RecommendationStatus.WITHDRAWN)
    # In time, but from enterprises not registered by the cutoff (one registered late, one withdrew).
    f.recommendation(conference, enterprise=registered[3], received_dt=f.at_local(in_time))
    f.recommendation(conference, enterprise=withdrawn, received_dt=f.at_local(in_time))
    db.session.commit()

    html = details(client, conference.id)

    assert re.search(r'id="quorum-enterprises">.*?heza-progress-count">3/15<', html, re.S)
    assert re.search(r'id="quorum-recommendations">.*?heza-progress-count">2/5<', html, re.S)
    expected = rules.Quorum(3, 2, 15, 5, excluded_recommendations=2)
    assert str(escape(expected.explain())) in html
    assert "2 kiến nghị của doanh nghiệp chưa đăng ký" in html
    assert "Chưa đủ điều kiện" in html


def test_quorum_met_is_said_so(client, db, login):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON, quorum_enterprises=1, quorum_recommendations=1)
    enterprise = f.enterprise()
    db.session.add(Registration(conference=conference, enterprise=enterprise, channel=Channel.LINK,
                                received_dt=f.at_local(date(2026, 2, 10))))
    f.recommendation(conference, enterprise=enterprise)
    db.session.commit()

    html = details(client, conference.id)

    assert "Đủ điều kiện tổ chức hội nghị." in html
    assert 'heza-progress-count">1/1<' in html


def test_create_a_conference_in_the_form_and_see_its_dates(client, db, login):
    login(Role.OFFICER)
    organizer = f.first_organizer()  # the officer's own (another organizer's is not offered)
    db.session.commit()

    response = post(client, "/admin/conference/new/", {
        "organizer": str(organizer.id), "title": "Hội nghị đối thoại doanh nghiệp quý I", "held_on": "03/03/2026",
        "start_time": "08:00", "place": "Hội trường Ban", "format": "in_person", "audience": "all_zones",
    }, token_from="/admin/conference/new/")

    assert response.status_code == 302, text(response)
    conference = db.session.scalar(sa.select(Conference).where(Conference.title.like("%quý I")))
    assert conference is not None and conference.held_on == HELD_ON
    assert conference.status == ConferenceStatus.PLANNED
    shown = page_dates(details(client, conference.id))
    assert shown["announcement"][1] == date(2026, 2, 13)


def test_a_day_outside_the_calendar_is_refused_on_the_form(client, db, login):
    login(Role.OFFICER)
    organizer = f.organizer()
    db.session.commit()

    response = post(client, "/admin/conference/new/", {
        "organizer": str(organizer.id), "title": "Quá xa", "held_on": "03/03/2040", "format": "in_person",
        "audience": "all_zones",
    }, token_from="/admin/conference/new/")

    assert response.status_code == 200
    assert f"Ngày tổ chức phải trong các năm {workdays.FIRST_YEAR}–{workdays.LAST_YEAR}" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0


def test_add_a_task_inline_and_it_is_due_by_r4(client, db, login):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    unit = f.unit(conference.organizer, name="Phòng Doanh nghiệp")
    db.session.commit()
    url = f"/admin/conference/edit/?id={conference.id}"
    form_page = text(client.get(url))
    assert 'id="tasks-button"' in form_page or "Thêm Nhiệm vụ" in form_page

    response = post(client, url, {
        "organizer": str(conference.organizer_id), "title": conference.title, "held_on": "03/03/2026",
        "start_time": "08:00", "place": conference.place, "format": "in_person", "audience": "all_zones",
        "tasks-0-unit": str(unit.id), "tasks-0-description": "Chuẩn bị báo cáo tham luận",
    }, token_from=url)

    assert response.status_code == 302, text(response)
    task = db.session.scalar(sa.select(Task).where(Task.conference_id == conference.id))
    assert task is not None and task.unit_id == unit.id
    # 3 days before Tuesday 3/3 is Saturday 28/2: stated as the last working day before, Friday 27/2.
    assert task.due_on == rules.unit_task_due(HELD_ON, conference.settings()).due == date(2026, 2, 27)
    html = details(client, conference.id)
    assert "Chuẩn bị báo cáo tham luận" in html and "27/02/2026" in html

    # Saved again with the task marked done: the same row, the time read as Hai Phong time.
    response = post(client, url, {
        "organizer": str(conference.organizer_id), "title": conference.title, "held_on": "03/03/2026",
        "start_time": "08:00", "place": conference.place, "format": "in_person", "audience": "all_zones",
        "tasks-0-id": str(task.id), "tasks-0-unit": str(unit.id), "tasks-0-description": "Chuẩn bị báo cáo",
        "tasks-0-done_dt": "27/02/2026 16:30",
    }, token_from=url)
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    tasks = db.session.scalars(sa.select(Task).where(Task.conference_id == conference.id)).all()
    assert [(t.id, t.description) for t in tasks] == [(task.id, "Chuẩn bị báo cáo")]
    assert tasks[0].done_dt == datetime(2026, 2, 27, 9, 30, tzinfo=UTC)


def test_changing_the_day_of_an_announced_conference_needs_postpone(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON, status=ConferenceStatus.ANNOUNCED)
    db.session.commit()
    url = f"/admin/conference/edit/?id={conference.id}"

    response = post(client, url, {
        "organizer": str(conference.organizer_id), "title": conference.title, "held_on": "10/03/2026",
        "start_time": "08:00", "place": conference.place, "format": "in_person", "audience": "all_zones",
    }, token_from=url, follow_redirects=True)

    assert "dùng chức năng" in text(response)
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).held_on == HELD_ON


# --------------------------------------------------------------------------- actions


def test_publish_now(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()

    response = post(client, "/admin/conference/publish/", {"id": conference.id},
                    token_from=f"/admin/conference/details/?id={conference.id}", follow_redirects=True)

    assert response.status_code == 200
    assert "Đã đăng thông báo hội nghị" in text(response)
    db.session.expire_all()
    conference = db.session.get(Conference, conference.id)
    assert conference.status == ConferenceStatus.ANNOUNCED
    notice = next(a for a in conference.announcements if a.kind == AnnouncementKind.INVITATION_NOTICE)
    assert notice.published_dt is not None and notice.late is False
    assert 'id="action-publish"' not in text(response)  # published once, the button goes away


def test_postpone_recomputes_every_date(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    rec = f.recommendation(conference)
    db.session.commit()
    assert rec.due_on == date(2026, 3, 12)
    new_day = date(2026, 3, 17)

    response = post(client, "/admin/conference/postpone/",
                    {"id": conference.id, "new_day": "17/03/2026", "reason": "Trùng lịch làm việc của Thành phố"},
                    token_from=f"/admin/conference/details/?id={conference.id}", follow_redirects=True)

    html = text(response)
    assert "Đã hoãn hội nghị sang ngày 17/03/2026" in html
    db.session.expire_all()
    conference = db.session.get(Conference, conference.id)
    assert conference.status == ConferenceStatus.POSTPONED
    assert conference.held_on == new_day and conference.postponed_from == HELD_ON
    shown = page_dates(html)
    for key, (rule, deadline) in expected(new_day, conference.settings()).items():
        assert shown[key] == (rule, deadline.due), key
    assert shown["announcement"][1] == date(2026, 3, 6)
    assert "Trùng lịch làm việc của Thành phố" in html
    # Open items hanging off the conference moved with it.
    assert db.session.get(type(rec), rec.id).due_on == rules.answer_due(new_day, False, conference.settings()).due


def test_postpone_needs_a_reason_and_a_readable_day(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()
    token_from = f"/admin/conference/details/?id={conference.id}"

    no_reason = post(client, "/admin/conference/postpone/", {"id": conference.id, "new_day": "17/03/2026"},
                     token_from=token_from, follow_redirects=True)
    bad_day = post(client, "/admin/conference/postpone/",
                   {"id": conference.id, "new_day": "31/02/2026", "reason": "x"},
                   token_from=token_from, follow_redirects=True)
    past_day = post(client, "/admin/conference/postpone/",
                    {"id": conference.id, "new_day": "01/02/2026", "reason": "x"},
                    token_from=token_from, follow_redirects=True)

    assert "Nhập lý do hoãn hội nghị." in text(no_reason)
    assert "Ngày mới không hợp lệ: 31/02/2026" in text(bad_day)
    assert "Không thực hiện được: Ngày tổ chức mới phải sau ngày hôm nay." in text(past_day)
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).status == ConferenceStatus.PLANNED


def test_cancel_then_every_other_action_is_refused(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()
    token_from = f"/admin/conference/details/?id={conference.id}"

    cancelled = post(client, "/admin/conference/cancel/", {"id": conference.id, "reason": "Không đủ doanh nghiệp"},
                     token_from=token_from, follow_redirects=True)
    assert "Đã dừng hội nghị." in text(cancelled)
    assert 'id="conference-actions"' not in text(cancelled)

    postponed = post(client, "/admin/conference/postpone/",
                     {"id": conference.id, "new_day": "17/03/2026", "reason": "x"},
                     token_from=token_from, follow_redirects=True)
    published = post(client, "/admin/conference/publish/", {"id": conference.id},
                     token_from=token_from, follow_redirects=True)
    held = post(client, "/admin/conference/held/", {"id": conference.id}, token_from=token_from,
                follow_redirects=True)

    assert "Không thực hiện được: Hội nghị đã dừng hoặc đã tổ chức." in text(postponed)
    assert "Không thực hiện được: Hội nghị đã dừng, hoãn chưa có ngày mới" in text(published)
    assert "Không thực hiện được: Hội nghị đã dừng." in text(held)
    db.session.expire_all()
    conference = db.session.get(Conference, conference.id)
    assert conference.status == ConferenceStatus.CANCELLED and conference.held_on == HELD_ON


def test_mark_held_only_from_the_day_on(client, db, login):
    user = login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON, status=ConferenceStatus.ANNOUNCED)
    db.session.commit()
    token_from = f"/admin/conference/details/?id={conference.id}"

    with time_machine.travel(EARLY, tick=False):
        login(user=user)
        too_early = post(client, "/admin/conference/held/", {"id": conference.id}, token_from=token_from,
                         follow_redirects=True)
    assert "Không thực hiện được: Hội nghị chưa đến ngày tổ chức." in text(too_early)

    with time_machine.travel(datetime(2026, 3, 3, 17, 0, tzinfo=LOCAL_ZONE), tick=False):
        login(user=user)
        held = post(client, "/admin/conference/held/", {"id": conference.id}, token_from=token_from,
                    follow_redirects=True)
    assert "Đã ghi nhận hội nghị đã tổ chức" in text(held)
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).status == ConferenceStatus.HELD


def test_actions_need_the_csrf_token(client, db, login, early):
    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()

    for action in ("publish", "postpone", "cancel", "held"):
        response = client.post(f"/admin/conference/{action}/", data={"id": conference.id, "reason": "x"})
        assert response.status_code == 400, action
    response = client.post("/admin/conference/cancel/",
                           data={"id": conference.id, "reason": "x", "csrf_token": "forged"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).status == ConferenceStatus.PLANNED


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNIT])
def test_actions_are_refused_to_who_may_not_write(client, db, login, role, early):
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()
    login(Role.OFFICER)
    token = csrf_token(client, f"/admin/conference/details/?id={conference.id}")
    login(role)

    for action in ("publish", "postpone", "cancel", "held"):
        response = client.post(f"/admin/conference/{action}/",
                               data={"id": conference.id, "reason": "x", "csrf_token": token})
        assert response.status_code == 403, action
    db.session.expire_all()
    assert db.session.get(Conference, conference.id).status == ConferenceStatus.PLANNED


def test_a_viewer_reads_the_dates_without_the_action_buttons(client, db, login):
    login(Role.VIEWER)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()

    html = details(client, conference.id)

    assert page_dates(html)["announcement"][1] == date(2026, 2, 13)
    assert 'id="conference-actions"' not in html


def test_unit_staff_do_not_open_the_conference_screen(client, db, login):
    login(Role.UNIT)
    conference = f.conference(held_on=HELD_ON)
    db.session.commit()

    assert client.get("/admin/conference/").status_code == 403
    assert client.get(f"/admin/conference/details/?id={conference.id}").status_code == 403


def test_the_invitation_list_shows_who_registered_and_when(client, db, login):
    from heza.conferences.models import Invitation

    login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON)
    on_time, late, silent = f.enterprise(name="Công ty Đúng Hạn"), f.enterprise(name="Công ty Muộn"), f.enterprise(
        name="Công ty Im Lặng")
    unit = f.unit(conference.organizer, name="Sở Tài chính")
    for enterprise in (on_time, late, silent):
        db.session.add(Invitation(conference=conference, enterprise=enterprise))
    db.session.add(Invitation(conference=conference, unit=unit))
    db.session.add(Registration(conference=conference, enterprise=on_time, channel=Channel.LINK,
                                received_dt=f.at_local(date(2026, 2, 20))))
    db.session.add(Registration(conference=conference, enterprise=late, channel=Channel.LINK,
                                received_dt=f.at_local(date(2026, 2, 25))))
    db.session.commit()

    html = details(client, conference.id)
    table = html[html.index('id="conference-invitations"'):]
    table = table[: table.index("</table>")]

    assert "Danh sách mời (4)" in html
    assert re.search(r"Công ty Đúng Hạn.*?trong hạn", table, re.S)
    assert re.search(r"Công ty Muộn.*?sau hạn", table, re.S)
    assert "Công ty Im Lặng" in table and "Sở Tài chính" in table


def test_a_missed_quorum_waits_for_a_decision_recorded_with_a_reason(client, db, login):
    from heza.accounts.models import AuditEvent
    from heza.plans.models import Plan

    user = login(Role.OFFICER)
    conference = f.conference(held_on=HELD_ON, status=ConferenceStatus.ANNOUNCED)
    db.session.add(Plan(organizer=conference.organizer, title="Kế hoạch 2026", year=2026, rules="R1,R2,R3"))
    db.session.commit()
    token_from = f"/admin/conference/details/?id={conference.id}"

    with time_machine.travel(datetime(2026, 3, 3, 17, 0, tzinfo=LOCAL_ZONE), tick=False):
        login(user=user)
        page = details(client, conference.id)
        assert 'id="quorum-decision-needed"' in page and 'id="action-go-ahead"' in page
        held = post(client, "/admin/conference/held/", {"id": conference.id}, token_from=token_from,
                    follow_redirects=True)
        assert "chưa có quyết định" in text(held)
        no_reason = post(client, "/admin/conference/go-ahead/", {"id": conference.id, "reason": " "},
                         token_from=token_from, follow_redirects=True)
        assert "Nhập lý do vẫn tổ chức hội nghị." in text(no_reason)
        decided = post(client, "/admin/conference/go-ahead/",
                       {"id": conference.id, "reason": "Thành phố chỉ đạo tổ chức đúng lịch"},
                       token_from=token_from, follow_redirects=True)
        assert "Đã ghi nhận quyết định vẫn tổ chức" in text(decided)
        assert "Thành phố chỉ đạo tổ chức đúng lịch" in text(decided)
        assert 'id="action-go-ahead"' not in text(decided)
        held = post(client, "/admin/conference/held/", {"id": conference.id}, token_from=token_from,
                    follow_redirects=True)
        assert "Đã ghi nhận hội nghị đã tổ chức" in text(held)

    db.session.expire_all()
    conference = db.session.get(Conference, conference.id)
    assert conference.status == ConferenceStatus.HELD and conference.quorum_waived_by == str(user)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.model == "Conference")).all()
    assert any("quorum_waiver_reason" in (e.changes or {}) and e.user_id == user.id for e in events)


def test_a_new_conference_starts_with_the_standing_audience_and_fields_propose_departments(client, db, login):
    from heza.conferences.audiences import InviteeGroup, StandingInvitee
    from heza.conferences.models import Invitation
    from heza.directory.models import UnitKind
    from heza.recommendations.models import Field

    login(Role.OFFICER)
    organizer = f.first_organizer()
    leaders = f.unit(None, name="UBND thành phố", kind=UnitKind.LEADER)
    tax5 = f.unit(None, name="Thuế cơ sở 5 thành phố Hải Phòng", kind=UnitKind.CITY_AGENCY)
    land = f.unit(None, name="Sở Nông nghiệp và Môi trường", kind=UnitKind.CITY_AGENCY)
    db.session.add_all([
        StandingInvitee(organizer=organizer, unit=leaders, group=InviteeGroup.CITY_LEADERS),
        StandingInvitee(organizer=organizer, unit=tax5, group=InviteeGroup.AGENCIES),
        StandingInvitee(organizer=organizer, unit=land, group=InviteeGroup.AGENCIES, field=Field.LAND),
        StandingInvitee(organizer=organizer, unit=land, group=InviteeGroup.AGENCIES, field=Field.ENVIRONMENT),
    ])
    db.session.commit()

    response = post(client, "/admin/conference/new/", {
        "organizer": str(organizer.id), "title": "Hội nghị có thành phần thường xuyên", "held_on": "03/03/2026",
        "start_time": "08:00", "place": "Hội trường Ban", "format": "in_person", "audience": "all_zones",
    }, token_from="/admin/conference/new/")
    assert response.status_code == 302, text(response)
    conference = db.session.scalar(sa.select(Conference).where(Conference.title.like("%thành phần thường xuyên")))

    def invited() -> set[int]:
        db.session.expire_all()
        return set(db.session.scalars(sa.select(Invitation.unit_id).where(Invitation.conference_id == conference.id,
                                                                          Invitation.unit_id.isnot(None))))

    assert invited() == {leaders.id, tax5.id}  # the department of a field waits for a recommendation in it
    assert 'id="proposed-invitees"' not in details(client, conference.id)

    f.recommendation(conference, field=Field.LAND)
    db.session.commit()
    html = details(client, conference.id)
    assert 'id="proposed-invitees"' in html and "Sở Nông nghiệp và Môi trường (Đất đai)" in html
    done = post(client, "/admin/conference/invite-proposed/", {"id": conference.id},
                token_from=f"/admin/conference/details/?id={conference.id}", follow_redirects=True)
    assert "Đã thêm các đơn vị được đề xuất vào danh sách mời" in text(done)
    assert invited() == {leaders.id, tax5.id, land.id}
    assert 'id="proposed-invitees"' not in text(done)
