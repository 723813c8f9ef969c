"""Organizers as tenants in a real browser: a ward officer sees only the ward's work; a supervisor the city."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from heza.accounts.models import Role, User
from heza.extensions import db
from tests import factories as f
from tests.browser.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-phuong-123"
WARD_TITLE = "Hội nghị đối thoại doanh nghiệp phường Phù Liễn lần 2"
HEZA_TITLE = "Hội nghị đối thoại doanh nghiệp KCN quý IV"


@pytest.fixture(scope="module")
def city(live_server: LiveServer, seeded: dict[str, Any]) -> dict[str, Any]:
    """A ward with its officer and a conference, a HEZA conference, and a supervisor."""
    with live_server.app.app_context():
        from heza.directory.models import Organizer

        heza = db.session.get(Organizer, seeded["organizer_id"])
        ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn", slug="phu-lien-browser",
                      address="Số 9/157 đường Nguyễn Lương Bằng, phường Phù Liễn")
        ward_conf = f.conference(ward, held_on=date(2026, 12, 22), title=WARD_TITLE)
        heza_conf = f.conference(heza, held_on=date(2026, 12, 23), title=HEZA_TITLE)
        people = {}
        for key, role, organizer in (("officer", Role.OFFICER, ward), ("supervisor", Role.SUPERVISOR, None)):
            user = User(email=f"{key}@phulien-browser.example.vn", name=f"Người dùng {key}", role=role,
                        organizer=organizer)
            user.set_password(PASSWORD)
            db.session.add(user)
            people[key] = user.email
        db.session.commit()
        return {"ward_conf": ward_conf.id, "heza_conf": heza_conf.id, "ward": ward.name, **people}


def test_a_ward_officer_sees_only_the_wards_work(page: Any, live_server: LiveServer, city: dict[str, Any]) -> None:
    log_in(page, live_server, city["officer"], PASSWORD)

    page.goto(live_server("/admin/conference/"))
    assert page.locator("td", has_text=WARD_TITLE).first.is_visible()
    assert page.locator("td", has_text=HEZA_TITLE).count() == 0

    # HEZA's conference by its id, typed into the address bar: not found, like a record that does not exist.
    response = page.goto(live_server(f"/admin/conference/details/?id={city['heza_conf']}"))
    assert response is not None and response.status == 404
    assert page.locator("text=Không tìm thấy").first.is_visible()
    assert HEZA_TITLE not in page.content()

    response = page.goto(live_server(f"/admin/conference/details/?id={city['ward_conf']}"))
    assert response is not None and response.status == 200
    assert page.locator("text=" + WARD_TITLE).first.is_visible()


def test_a_supervisor_sees_the_city_overview(page: Any, live_server: LiveServer, city: dict[str, Any]) -> None:
    log_in(page, live_server, city["supervisor"], PASSWORD)

    page.goto(live_server("/admin/overview/?year=2026"))
    table = page.locator("table").first
    assert table.is_visible()
    assert table.locator("text=" + city["ward"]).first.is_visible()
    assert table.locator("text=HEZA").count() + table.locator("text=Ban Quản lý Khu kinh tế").count() > 0

    # Reading everything, changing nothing.
    page.goto(live_server("/admin/conference/"))
    assert page.locator("td", has_text=WARD_TITLE).first.is_visible()
    assert page.locator("td", has_text=HEZA_TITLE).first.is_visible()
    response = page.goto(live_server("/admin/conference/new/"))
    assert response is not None and response.status == 403
