"""Every record screen under every role, through the test client: who may list, read, export, create,
edit, delete and run actions. Expectations are written out here (not read from the views), so a
view that grants too much fails."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from heza.accounts.models import AuditEvent, Role
from heza.extensions import db
from heza.extensions import db as _db

ADMIN, OFFICER, UNIT, VIEWER, SUPERVISOR = Role.ADMIN, Role.OFFICER, Role.UNIT, Role.VIEWER, Role.SUPERVISOR
READ = {ADMIN, OFFICER, VIEWER, SUPERVISOR}
EVERYONE = {ADMIN, OFFICER, UNIT, VIEWER, SUPERVISOR}
WRITE = {ADMIN, OFFICER}

# endpoint -> (World attribute of a row, roles that read, roles that write, unit staff may edit own rows)
SCREENS: dict[str, tuple[str | None, set[Role], set[Role], bool]] = {
    "organizer": ("organizer", READ, {ADMIN}, False),  # its officers edit its identity: see EDIT_ONLY
    "plan": ("plan", READ, WRITE, False),
    "unit": ("unit_b", READ, WRITE, False),
    "zone": ("zone", READ, WRITE, False),
    "enterprise": ("enterprise", READ, WRITE, False),
    "agendaitem": ("agenda_item", READ, WRITE, False),
    "task": ("task_a", EVERYONE, WRITE, True),
    "invitation": ("invitation", READ, WRITE, False),
    "registration": ("registration", READ, WRITE, False),
    "announcement": ("announcement", READ, WRITE, False),
    "report": ("report", READ, WRITE, False),
    "hotline": ("hotline_a", EVERYONE, WRITE, True),
    "newsletter": ("issue", READ, WRITE, False),
    "article": ("article_a", EVERYONE, WRITE, True),
    "digitalpost": ("post", READ, WRITE, False),
    "topicproposal": ("proposal", READ, WRITE, False),
    "standinginvitee": ("standing", READ, WRITE, False),
    "user": (None, {ADMIN}, {ADMIN}, False),
    "audit": (None, {ADMIN}, set(), False),
}


# Screens where a role edits rows without creating or deleting them.
EDIT_ONLY: dict[str, set[Role]] = {"organizer": {OFFICER}}


def _row_id(endpoint: str, attr: str | None, world: Any) -> int:
    if attr is not None:
        return getattr(world, attr).id
    if endpoint == "user":
        from tests.admin.conftest import make_user

        return make_user(Role.VIEWER).id
    return db.session.scalars(db.select(AuditEvent.id)).first()


@pytest.mark.parametrize("endpoint", sorted(SCREENS))
def test_anonymous_is_sent_to_login(client, world, endpoint):
    attr, *_ = SCREENS[endpoint]
    row = _row_id(endpoint, attr, world)
    for url in (f"/admin/{endpoint}/", f"/admin/{endpoint}/details/?id={row}", f"/admin/{endpoint}/new/",
                f"/admin/{endpoint}/edit/?id={row}", f"/admin/{endpoint}/export/csv/"):
        response = client.get(url)
        assert response.status_code == 302, url
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"][0].startswith(f"/admin/{endpoint}/")
    assert client.post(f"/admin/{endpoint}/delete/", data={"id": row}).status_code in {302, 400}


@pytest.mark.parametrize("role", [ADMIN, OFFICER, UNIT, VIEWER, SUPERVISOR], ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", sorted(SCREENS))
def test_role_matrix(client, login_as, csrf, world, endpoint, role):
    attr, readers, writers, unit_edits = SCREENS[endpoint]
    login_as(role, unit=world.unit_a)
    token = csrf("/admin/")
    row = _row_id(endpoint, attr, world)
    reads = role in readers
    writes = role in writers
    edits = writes or (role == UNIT and unit_edits) or role in EDIT_ONLY.get(endpoint, set())

    def status(url: str) -> int:
        return client.get(url).status_code

    expected_read = 200 if reads else 403
    assert status(f"/admin/{endpoint}/") == expected_read
    assert status(f"/admin/{endpoint}/details/?id={row}") == expected_read
    assert status(f"/admin/{endpoint}/export/csv/") == expected_read
    assert status(f"/admin/{endpoint}/export/xlsx/") == expected_read
    if endpoint != "audit":
        assert status(f"/admin/{endpoint}/new/") == (200 if writes else 403)
        assert status(f"/admin/{endpoint}/edit/?id={row}") == (200 if edits and reads else 403)
    else:
        assert status(f"/admin/{endpoint}/new/") == 403
        assert status(f"/admin/{endpoint}/edit/?id={row}") == 403

    # Writes: refused with 403 for those who may not, whatever the menus show.
    action = client.post(f"/admin/{endpoint}/action/",
                         data={"action": "delete", "rowid": [str(row)], "csrf_token": token})
    deleted = client.post(f"/admin/{endpoint}/delete/", data={"id": str(row), "csrf_token": token})
    if writes and endpoint != "audit":
        assert action.status_code == 302
        view = next(v for v in client.application.extensions["admin"][0]._views if v.endpoint == endpoint)
        gone = _db.session.get(view.model, row) is None
        # Deleted by the action: a missing record is a 404, like another organizer's; refused (still
        # needed elsewhere): back to the list with the reason.
        assert deleted.status_code == (404 if gone else 302)
    else:
        assert action.status_code == 403
        assert deleted.status_code == 403
        if reads:  # and the row is still there
            assert status(f"/admin/{endpoint}/details/?id={row}") == 200


def test_viewer_cannot_post_a_new_record(client, login_as, csrf, world):
    from heza.directory.models import Zone

    login_as(VIEWER)
    token = csrf()
    response = client.post("/admin/zone/new/", data={"code": "XX", "name": "KCN Mới", "kind": "industrial",
                                                     "csrf_token": token})
    assert response.status_code == 403
    response = client.post(f"/admin/zone/edit/?id={world.zone.id}",
                           data={"code": "DV", "name": "Đổi tên", "kind": "industrial", "csrf_token": token})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Zone)) == 1
    assert db.session.get(Zone, world.zone.id).name == "KCN Đình Vũ"


def test_officer_cannot_reach_users_or_change_organizer_settings(client, login_as, csrf, world):
    from heza.directory.models import Organizer

    login_as(OFFICER)
    token = csrf()
    assert client.get("/admin/user/").status_code == 403
    assert client.get("/admin/audit/").status_code == 403
    assert client.get(f"/admin/organizer/details/?id={world.organizer.id}").status_code == 200
    # Its officers name, address and sign for their organizer; its kind, slug and deadline settings
    # stay with admins (the fields are not in their form, so posting them changes nothing).
    response = client.post(f"/admin/organizer/edit/?id={world.organizer.id}", data={
        "name": "Ban Quản lý Khu kinh tế Hải Phòng", "short_name": "HEZA", "address": "Số 1 Đường Mới",
        "signer_name": "Nguyễn Văn Ký", "kind": "ward", "slug": "doi-ten", "answer_working_days": "99",
        "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organizer, world.organizer.id)
    assert (org.address, org.signer_name) == ("Số 1 Đường Mới", "Nguyễn Văn Ký")
    assert (org.kind.value, org.slug, org.answer_working_days) == ("authority", world.organizer.slug, 7)
    assert client.post("/admin/organizer/new/", data={"name": "Y", "short_name": "Y", "kind": "ward",
                                                      "csrf_token": token}).status_code == 403


def test_logged_in_without_the_role_gets_403_not_a_login_loop(client, login_as):
    login_as(UNIT)
    response = client.get("/admin/enterprise/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_error_pages_are_vietnamese(client, login_as, world):
    login_as(UNIT, unit=world.unit_a)
    missing = client.get(f"/admin/task/details/?id={world.task_b.id}")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.get_data(as_text=True)
    refused = client.post("/admin/task/action/", data={"action": "mark_done", "rowid": ["1"]})
    assert refused.status_code == 400 and "Biểu mẫu đã hết hạn" in refused.get_data(as_text=True)


def test_every_registered_screen_refuses_the_anonymous(app, client, db):
    """Including screens added by other modules: nothing in /admin is open without logging in."""
    admin = app.extensions["admin"][0]
    for view in admin._views:
        url = view.url.rstrip("/") + "/"
        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == "/login", url


def test_every_registered_screen_refuses_a_role_it_does_not_list(app, client, login_as):
    """Unit staff see only their screens; everything else answers 403 (menus are not the guard)."""
    admin = app.extensions["admin"][0]
    login_as(UNIT)
    for view in admin._views:
        url = view.url.rstrip("/") + "/"
        expected = 200 if UNIT in getattr(view, "read_roles", ()) else 403
        assert client.get(url).status_code == expected, url


def test_a_screen_opening_to_unit_staff_without_a_unit_column_stays_closed(app, client, login_as, world):
    """The fail-safe: listing the unit role without saying which rows are theirs does not show all rows."""
    from heza.admin.base import ProtectedModelView
    from heza.directory.models import Zone

    class Careless(ProtectedModelView):
        read_roles = (ADMIN, OFFICER, UNIT, VIEWER)

    view = Careless(Zone, db)
    with app.test_request_context("/"):
        from flask_login import login_user

        from tests.admin.conftest import make_user

        login_user(make_user(UNIT, unit=world.unit_a))
        assert not view.is_accessible()
        Careless.unit_sees_all = True
        assert view.is_accessible()
