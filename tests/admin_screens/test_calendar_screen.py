"""The calendar screens: the year view, and overrides that move the deadlines counting on them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from heza import rules, workdays
from heza.accounts.models import Role
from heza.calendar.models import CalendarOverride
from heza.recommendations.models import Recommendation
from tests import factories as f
from tests.admin_screens.conftest import HELD_ON, csrf_token, post, text


def kinds(html: str) -> dict[date, str]:
    return {date.fromisoformat(d): k for d, k in re.findall(r'data-date="([\d-]+)" data-kind="([\w-]+)"', html)}


def test_year_view_marks_working_days_holidays_and_make_up_days(client, db, login):
    login(Role.VIEWER)

    html = text(client.get("/admin/calendar/?year=2026"))
    days = kinds(html)

    assert len(days) == 365
    assert days[date(2026, 1, 5)] == "working"
    assert days[date(2026, 1, 3)] == "weekend"
    assert days[date(2026, 2, 17)] == "holiday"  # Tết Nguyên Đán
    assert days[date(2026, 1, 2)] == "holiday"  # the declared New Year swap the package does not know
    assert days[date(2026, 1, 10)] == "makeup"  # ... and the Saturday worked for it
    assert days[date(2026, 8, 22)] == "makeup"
    assert "Tết Nguyên Đán" in html
    assert 'title="17/02/2026 Thứ Ba: Tết Nguyên Đán"' in html


def test_year_view_lists_where_the_declared_days_and_the_package_disagree(client, db, login):
    login(Role.OFFICER)

    html = text(client.get("/admin/calendar/?year=2026"))
    table = html[html.index('id="calendar-differences"'):]
    table = table[: table.index("</table>")]

    assert "02/01/2026" in table and "10/01/2026" in table
    assert "12729/VPCP-KGVX" in table


def test_year_outside_the_calendar_is_not_found(client, db, login):
    login(Role.ADMIN)

    assert client.get(f"/admin/calendar/?year={workdays.FIRST_YEAR - 1}").status_code == 404
    assert client.get("/admin/calendar/?year=2036").status_code == 404


def test_an_override_moves_open_deadlines_and_the_screens_show_it(client, db, login):
    login(Role.ADMIN)
    conference = f.conference(held_on=HELD_ON)
    rec = f.recommendation(conference)
    db.session.commit()
    assert rec.due_on == date(2026, 3, 12)

    response = post(client, "/admin/calendaroverride/new/",
                    {"day": "05/03/2026", "note": "Nghỉ đột xuất theo chỉ đạo của Thành phố", "source": "CV 1/UBND"},
                    token_from="/admin/calendaroverride/new/", follow_redirects=True)

    html = text(response)
    assert "Đã tính lại hạn của các việc đang mở theo lịch mới: 1 việc được đổi hạn." in html
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    assert rec.due_on == rules.answer_due(HELD_ON, False, conference.settings()).due == date(2026, 3, 13)
    assert "05/03/2026" in rec.due_basis  # the basis names the day skipped
    listing = text(client.get("/admin/recommendation/"))
    assert "13/03/2026" in listing and "12/03/2026" not in listing
    year = text(client.get("/admin/calendar/?year=2026"))
    assert kinds(year)[date(2026, 3, 5)] == "override-off"
    assert "Nghỉ đột xuất theo chỉ đạo của Thành phố" in year

    override = db.session.scalar(sa.select(CalendarOverride))
    deleted = post(client, "/admin/calendaroverride/delete/", {"id": override.id, "url": "/admin/calendaroverride/"},
                   token_from="/admin/calendaroverride/", follow_redirects=True)
    assert "1 việc được đổi hạn" in text(deleted)
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).due_on == date(2026, 3, 12)


def test_a_make_up_saturday_shortens_a_count(client, db, login):
    login(Role.ADMIN)
    conference = f.conference(held_on=HELD_ON)
    rec = f.recommendation(conference)
    db.session.commit()

    post(client, "/admin/calendaroverride/new/", {"day": "07/03/2026", "is_working": "y", "note": "Làm bù"},
         token_from="/admin/calendaroverride/new/")

    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).due_on == date(2026, 3, 11)
    assert kinds(text(client.get("/admin/calendar/?year=2026")))[date(2026, 3, 7)] == "override-working"


def test_the_year_view_links_a_day_to_a_prefilled_override(client, db, login):
    login(Role.ADMIN)

    html = text(client.get("/admin/calendar/?year=2026"))
    form = text(client.get("/admin/calendaroverride/new/?day=2026-05-04"))

    assert "/admin/calendaroverride/new/?day=2026-05-04" in html.replace("&amp;", "&")
    assert 'value="04/05/2026"' in form


def test_a_day_outside_the_calendar_cannot_be_overridden(client, db, login):
    login(Role.ADMIN)

    response = post(client, "/admin/calendaroverride/new/", {"day": "01/01/2040"},
                    token_from="/admin/calendaroverride/new/")

    assert response.status_code == 200
    assert f"Lịch làm việc chỉ có các năm {workdays.FIRST_YEAR}–{workdays.LAST_YEAR}" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarOverride)) == 0


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.UNIT])
def test_only_administrators_change_the_calendar(client, db, login, role):
    login(Role.ADMIN)
    token = csrf_token(client, "/admin/calendaroverride/new/")
    user = login(role)

    assert client.get("/admin/calendar/?year=2026").status_code == 200
    assert 'href="/admin/calendaroverride/new/' not in text(client.get("/admin/calendar/?year=2026"))
    response = client.post("/admin/calendaroverride/new/", data={"day": "05/03/2026", "csrf_token": token})
    assert response.status_code == 403, user.role
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarOverride)) == 0
