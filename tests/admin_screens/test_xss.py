"""Text people typed (or enterprises sent) is shown escaped on every screen of part B."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from heza.accounts.models import Role
from heza.calendar.models import CalendarOverride
from heza.conferences.models import AgendaItem, Channel, Invitation, Registration, Task
from heza.jobruns.models import JobRun
from heza.outbox.models import EmailStatus, OutboundEmail
from tests import factories as f
from tests.admin_screens.conftest import HELD_ON, XSS, XSS_ESCAPED, text


@pytest.fixture()
def hostile(db):
    """Every free-text field these screens show, filled with a script."""
    org = f.organizer(name=f"Ban {XSS}", short_name=f"B{XSS}"[:50])
    unit = f.unit(org, name=f"Phòng {XSS}")
    conference = f.conference(org, held_on=HELD_ON, title=f"Hội nghị {XSS}", place=XSS, chair=XSS,
                              description=XSS, status_note=XSS)
    enterprise = f.enterprise(name=f"Công ty {XSS}")
    db.session.add(AgendaItem(conference=conference, content=XSS, presenter=XSS, units=[unit]))
    db.session.add(Task(conference=conference, unit=unit, description=XSS, note=XSS))
    db.session.add(Invitation(conference=conference, enterprise=enterprise))
    db.session.add(Registration(conference=conference, enterprise=enterprise, channel=Channel.LINK,
                                received_dt=f.at_local(date(2026, 2, 10))))
    rec = f.recommendation(conference, enterprise=enterprise, responsible_unit=unit, content=XSS, answer=XSS,
                           coordination_note=XSS)
    db.session.add(CalendarOverride(day=date(2026, 3, 5), is_working=False, note=XSS, source=XSS))
    mail = OutboundEmail(key="xss:1", kind="invitation", to_addr="dn@example.vn", to_name=XSS, cc="",
                         subject=XSS, text_body=XSS, html_body=XSS, status=EmailStatus.FAILED, last_error=XSS)
    run = JobRun(job="announcements", today=date(2026, 3, 2), started_dt=datetime(2026, 3, 2, tzinfo=UTC),
                 error=XSS, counts={"note": XSS}, host=XSS)
    db.session.add_all([mail, run])
    db.session.commit()
    return {"conference": conference, "rec": rec, "mail": mail, "run": run}


def test_every_screen_escapes_what_was_typed(client, db, login, hostile):
    login(Role.ADMIN)
    c, rec, mail, run = hostile["conference"], hostile["rec"], hostile["mail"], hostile["run"]
    urls = [
        "/admin/",
        "/admin/conference/",
        f"/admin/conference/details/?id={c.id}",
        f"/admin/conference/edit/?id={c.id}",
        "/admin/recommendation/",
        f"/admin/recommendation/details/?id={rec.id}",
        f"/admin/recommendation/edit/?id={rec.id}",
        "/admin/calendar/?year=2026",
        "/admin/calendaroverride/",
        "/admin/outbox/",
        f"/admin/outbox/details/?id={mail.id}",
        "/admin/jobrun/",
        f"/admin/jobrun/details/?id={run.id}",
    ]
    for url in urls:
        response = client.get(url)
        html = text(response)
        assert response.status_code == 200, url
        assert XSS not in html, url
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html, url
        assert "&lt;script&gt;" in html, url


def test_the_conference_details_show_the_text_escaped_in_full(client, db, login, hostile):
    login(Role.OFFICER)

    html = text(client.get(f"/admin/conference/details/?id={hostile['conference'].id}"))

    assert html.count(XSS_ESCAPED) >= 5  # title, place, status note, agenda, task, invitation…


def test_exports_carry_the_text_as_text(client, db, login, hostile):
    login(Role.OFFICER)

    rows = list(csv.reader(io.StringIO(text(client.get("/admin/recommendation/export/csv/")))))

    # A CSV is not HTML: the text is kept as typed (a spreadsheet reads it as text).
    assert XSS in rows[1]
