"""The admin home: upcoming conferences, overdue items per unit, on-time answers, charts, scheduler banner."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from heza.accounts.models import Role
from heza.base import LOCAL_ZONE
from heza.conferences.models import ConferenceStatus, Task
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
from heza.recommendations.models import AnswerMethod, Field, RecommendationStatus
from tests import factories as f
from tests.admin_screens.conftest import HELD_ON, text

AS_OF = datetime(2026, 3, 16, 9, 0, tzinfo=LOCAL_ZONE)


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture()
def data(db):
    """Two units with overdue work, answered recommendations (one on time, one late), two conferences."""
    past = f.conference(held_on=HELD_ON, status=ConferenceStatus.HELD)
    org = past.organizer
    planning = f.unit(org, name="Phòng Quy hoạch")
    environment = f.unit(org, name="Phòng Môi trường")
    f.recommendation(past, responsible_unit=planning, field=Field.LAND)  # due 12/03: overdue
    f.recommendation(past, responsible_unit=planning, field=Field.LAND)  # overdue
    f.recommendation(past, responsible_unit=environment, field=Field.ENVIRONMENT, needs_coordination=True)  # 23/03
    on_time = f.recommendation(past, responsible_unit=environment, field=Field.ENVIRONMENT)
    late = f.recommendation(past, responsible_unit=planning, field=Field.TAX)
    db.session.add(Task(unit=planning, conference=past, description="Chuẩn bị hội trường"))  # due 28/02
    db.session.add(HotlineItem(organizer=org, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                               content="Phản ánh về đường vào KCN", received_dt=f.at_local(date(2026, 3, 2)),
                               assigned_unit=environment))  # due 5 working days later: 09/03
    db.session.flush()
    for rec, day in ((on_time, date(2026, 3, 10)), (late, date(2026, 3, 13))):
        rec.status, rec.answer, rec.answer_method = RecommendationStatus.ANSWERED, "Đã trả lời", AnswerMethod.IN_WRITING
        rec.answered_dt = f.at_local(day)
    upcoming = f.conference(org, held_on=date(2026, 4, 14), title="Hội nghị đối thoại quý II")
    db.session.commit()
    return {"planning": planning, "environment": environment, "upcoming": upcoming}


@pytest.fixture()
def as_of():
    with time_machine.travel(AS_OF, tick=False):
        yield


def test_dashboard_renders_with_data(client, db, login, data, as_of):
    login(Role.OFFICER)

    response = client.get("/admin/")
    html = text(response)

    assert response.status_code == 200
    upcoming = section(html, "dashboard-upcoming")
    assert "Hội nghị đối thoại quý II" in upcoming and "14/04/2026" in upcoming
    # The next dated step of a conference on 14/4/2026, seen on 16/3: R1 on 03/04 (7 working days before).
    assert "Đăng thông báo hội nghị (R1)" in upcoming and "03/04/2026" in upcoming

    overdue = section(html, "dashboard-overdue")
    rows = dict(re.findall(r"<tr><td>([^<]+)</td>.*?<strong>(\d+)</strong>", overdue, re.S))
    assert rows == {"Phòng Quy hoạch": "3", "Phòng Môi trường": "1"}  # 2 recommendations + 1 task; 1 hotline item
    assert "<svg" in overdue

    rate = section(html, "dashboard-answer-rate")
    assert 'id="answer-rate-percent">50%<' in rate
    assert "1/2 kiến nghị đã trả lời đúng hạn." in rate
    assert "Đang xử lý, đã quá hạn: 2" in rate

    by_field = section(html, "dashboard-by-field")
    assert "Đất đai" in by_field and "Tài nguyên, môi trường" in by_field and "Thuế, phí" in by_field
    assert "<svg" in by_field
    by_unit = section(html, "dashboard-by-unit")
    assert "Phòng Quy hoạch: 3" in by_unit and "Phòng Môi trường: 2" in by_unit


def test_unit_staff_see_their_unit_only(client, db, login, data, as_of):
    login(Role.UNIT, unit=data["environment"])

    html = text(client.get("/admin/"))

    assert "Phòng Quy hoạch" not in html
    overdue = section(html, "dashboard-overdue")
    assert "Phòng Môi trường" in overdue
    assert 'id="answer-rate-percent">100%<' in html
    assert "Hội nghị đối thoại quý II" not in html  # no task of theirs in it


def test_an_empty_dashboard(client, db, login):
    login(Role.VIEWER)

    html = text(client.get("/admin/"))

    assert "Không có hội nghị nào sắp diễn ra." in html
    assert "Không có việc nào quá hạn." in html
    assert "Chưa có kiến nghị nào được trả lời." in html


def test_the_anonymous_are_sent_to_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_scheduler_banner_on_every_admin_page(client, db, login, monkeypatch):
    import heza.admin.dashboard as dashboard

    login(Role.ADMIN)
    monkeypatch.setattr(dashboard, "scheduler_is_stale", lambda: False)
    assert 'id="scheduler-stale-banner"' not in text(client.get("/admin/"))

    monkeypatch.setattr(dashboard, "scheduler_is_stale", lambda: True)
    for url in ("/admin/", "/admin/conference/", "/admin/calendar/?year=2026", "/admin/outbox/"):
        assert 'id="scheduler-stale-banner"' in text(client.get(url)), url


def test_scheduler_banner_follows_the_job_runs(client, db, login):
    """The runner's own judgement: never run, or last run long ago, is stale; a run an hour ago is not."""
    from heza.jobruns.models import JobRun

    with time_machine.travel(AS_OF, tick=False):
        login(Role.VIEWER)
        assert 'id="scheduler-stale-banner"' in text(client.get("/admin/"))  # never ran

        finished = AS_OF.astimezone(UTC) - timedelta(hours=1)
        db.session.add(JobRun(job="announcements", today=AS_OF.date(), started_dt=finished - timedelta(seconds=3),
                              finished_dt=finished))
        db.session.commit()
        assert 'id="scheduler-stale-banner"' not in text(client.get("/admin/"))

    with time_machine.travel(AS_OF + timedelta(days=3), tick=False):
        login(Role.VIEWER)
        assert 'id="scheduler-stale-banner"' in text(client.get("/admin/"))


# --------------------------------------------------------------------------- organizers as tenants


@pytest.fixture()
def two_organizers(db):
    """Organizers A and B, each with an upcoming conference, recommendations, overdue work and units."""
    made = {}
    for key, name in (("a", "Ban Alpha"), ("b", "Phường Beta")):
        org = f.organizer(name=name, short_name=key.upper() + "ORG")
        unit = f.unit(org, name=f"Phòng riêng {key.upper()}")
        past = f.conference(org, held_on=HELD_ON, status=ConferenceStatus.HELD, title=f"Hội nghị đã qua {key.upper()}")
        f.conference(org, held_on=date(2026, 4, 14), title=f"Hội nghị sắp tới {key.upper()}")
        field_ = Field.TAX if key == "a" else Field.CUSTOMS
        overdue = f.recommendation(past, responsible_unit=unit, field=field_)  # due 12/03: overdue on 16/03
        answered = f.recommendation(past, responsible_unit=unit, field=field_)
        db.session.add(Task(unit=unit, conference=past, description=f"Việc của {key.upper()}"))  # due 28/02
        db.session.flush()
        answered.status, answered.answer, answered.answer_method = (RecommendationStatus.ANSWERED, "Đã trả lời",
                                                                    AnswerMethod.IN_WRITING)
        answered.answered_dt = f.at_local(date(2026, 3, 10) if key == "a" else date(2026, 3, 13))  # B's late
        made[key] = {"organizer": org, "unit": unit, "overdue": overdue}
    db.session.commit()
    return made


def _b_absent(html: str) -> None:
    for words in ("Hội nghị sắp tới B", "Phòng riêng B", "Hải quan, xuất nhập khẩu"):
        assert words not in html, words


def test_an_officer_sees_their_organizer_s_figures_only(client, db, login, make_user, two_organizers, as_of):
    login(user=make_user(Role.OFFICER, organizer=two_organizers["a"]["organizer"]))

    html = text(client.get("/admin/"))

    _b_absent(html)
    assert "Hội nghị sắp tới A" in section(html, "dashboard-upcoming")
    assert 'id="dashboard-scope">Ban Alpha<' in html
    overdue = section(html, "dashboard-overdue")
    assert re.findall(r"<tr><td>([^<]+)</td>.*?<strong>(\d+)</strong>", overdue, re.S) == [("Phòng riêng A", "2")]
    rate = section(html, "dashboard-answer-rate")
    assert 'id="answer-rate-percent">100%<' in rate and "1/1 kiến nghị đã trả lời đúng hạn." in rate
    assert "Đang xử lý, đã quá hạn: 1" in rate
    assert "Thuế, phí" in section(html, "dashboard-by-field")
    assert "Phòng riêng A: 2" in section(html, "dashboard-by-unit")
    assert 'id="dashboard-overview-link"' not in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNIT])
def test_viewers_and_unit_staff_see_their_organizer_s_figures_only(client, db, login, make_user, two_organizers,
                                                                     as_of, role):
    a = two_organizers["a"]
    login(user=make_user(role, organizer=a["organizer"], unit=a["unit"] if role == Role.UNIT else None))

    html = text(client.get("/admin/"))

    _b_absent(html)
    assert "Phòng riêng A" in section(html, "dashboard-overdue")


def test_staff_of_the_other_organizer_see_theirs(client, db, login, make_user, two_organizers, as_of):
    login(user=make_user(Role.OFFICER, organizer=two_organizers["b"]["organizer"]))

    html = text(client.get("/admin/"))

    for words in ("Hội nghị sắp tới A", "Phòng riêng A", "Thuế, phí"):
        assert words not in html, words
    assert 'id="answer-rate-percent">0%<' in html  # B's one answer came late


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR])
def test_city_readers_see_every_organizer(client, db, login, make_user, two_organizers, as_of, role):
    login(user=make_user(role))

    html = text(client.get("/admin/"))

    upcoming = section(html, "dashboard-upcoming")
    assert "Hội nghị sắp tới A" in upcoming and "Hội nghị sắp tới B" in upcoming
    assert 'id="dashboard-scope">Toàn thành phố<' in html
    overdue = section(html, "dashboard-overdue")
    assert "Phòng riêng A (AORG)" in overdue and "Phòng riêng B (BORG)" in overdue  # whose unit, said
    assert "1/2 kiến nghị đã trả lời đúng hạn." in section(html, "dashboard-answer-rate")


def test_staff_without_an_organizer_see_nothing(db, two_organizers, as_of):
    """A viewer of no organizer (never "IS NULL": that would match every unowned row) gets empty figures."""
    from heza import tenancy
    from heza.admin import dashboard_figures as figures

    nobody = tenancy.Viewer(role=Role.OFFICER, organizer_id=None)
    today = AS_OF.date()
    assert figures.upcoming_conferences(today, nobody) == []
    assert figures.overdue_by_unit(today, nobody) == []
    assert figures.answer_rates(today, nobody)[0].answered == 0
    assert figures.recommendations_by_field(nobody).bars == ()


def test_the_dashboard_shows_r8_as_the_city_overview_counts_it(client, db, login):
    from heza import tenancy
    from heza.overview.queries import city_overview
    from heza.plans.models import Plan

    ward = f.ward(name="Phường Gamma", short_name="PGAMMA")
    db.session.add(Plan(organizer=ward, title="Kế hoạch đối thoại phường Gamma", year=2026, rules="R4,R8,R9"))
    f.conference(ward, date(2026, 9, 15), title="Gamma tháng 9", status=ConferenceStatus.HELD)
    db.session.commit()
    with time_machine.travel(datetime(2026, 10, 5, 9, 0, tzinfo=LOCAL_ZONE), tick=False):
        login(Role.SUPERVISOR)
        html = text(client.get("/admin/"))
        row = next(r for r in city_overview(2026, date(2026, 10, 5), tenancy.SYSTEM).rows
                   if r.organizer_id == ward.id)
    r8 = section(html, "dashboard-r8")
    assert "Phường Gamma" in r8
    assert (row.held, row.minimum) == (1, 2)
    assert f'heza-r8-count">{row.held}/{row.minimum}<' in r8
    assert "Chưa tổ chức lần 1 (6 tháng đầu năm)" in r8
