"""Organizers as tenants, proved through the test client: every record screen × role × two organizers.

Two organizers (HEZA and a ward) each hold one row of every model. Staff of one (officer, unit,
viewer) must find nothing of the other's — in lists, details, edit forms, exports, organizer filters,
form choices and deletes — and get a 404 for its ids; supervisors and admins see both. Expectations
come from the fixture (which rows each organizer owns), not from the code under test.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import sqlalchemy as sa

from heza.accounts.models import Role
from heza.extensions import db
from heza.outbox.models import EmailStatus, OutboundEmail
from tests import factories as f
from tests.admin.conftest import World, build_world, csrf_from, login, make_user

STAFF = (Role.OFFICER, Role.UNIT, Role.VIEWER)
CITY_WIDE = (Role.SUPERVISOR, Role.ADMIN)
DETAILS_RE = re.compile(r"details/\?id=(\d+)")
# Screens of records that belong to an organizer (shared ones — enterprises, zones, the calendar —
# and admin-only ones are covered by test_access.py).
OWNED = ("organizer", "plan", "unit", "conference", "agendaitem", "task", "invitation", "registration",
         "announcement", "report", "recommendation", "hotline", "newsletter", "article", "digitalpost",
         "topicproposal", "outbox", "standinginvitee")


class Side:
    """One organizer's world, with an email of its own in the outbox."""

    def __init__(self, world: World, email: OutboundEmail) -> None:
        self.world = world
        self.email = email

    @property
    def organizer(self) -> Any:
        return self.world.organizer

    def rows_of(self, model: type) -> list[Any]:
        rows = [getattr(self.world, name) for name in World.__dataclass_fields__]
        rows.append(self.email)
        found = {id(r): r for r in rows if isinstance(r, model)}
        if model.__name__ == "Recommendation":
            found.update({id(r): r for r in self.recommendations})
        return list(found.values())

    recommendations: list[Any] = []


def _email(org: Any, n: int) -> OutboundEmail:
    row = OutboundEmail(key=f"isolation:{n}", kind="invitation", to_addr=f"dn{n}@example.vn", subject=f"Thư {n}",
                        text_body="Kính gửi", status=EmailStatus.FAILED, organizer_id=org.id)
    db.session.add(row)
    return row


@pytest.fixture()
def sides(db: Any) -> tuple[Side, Side]:
    heza = f.first_organizer()
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    a = Side(build_world(heza), _email(heza, 1))
    b = Side(build_world(ward, tag=" B"), _email(ward, 2))
    for side in (a, b):
        side.recommendations = [f.recommendation(side.world.conference, enterprise=side.world.enterprise,
                                                 responsible_unit=side.world.unit_a)]
    db.session.commit()
    return a, b


def _view(app: Any, endpoint: str) -> Any:
    return next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)


def _listed_ids(client: Any, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {int(i) for i in DETAILS_RE.findall(response.get_data(as_text=True))}


def _export_rows(client: Any, endpoint: str) -> int:
    response = client.get(f"/admin/{endpoint}/export/csv/")
    assert response.status_code == 200
    return len(list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))) - 1


def _organizer_filter(view: Any) -> int | None:
    for index, flt in enumerate(view._filters or ()):
        column = getattr(flt, "column", None)
        if getattr(column, "key", None) == "organizer_id":
            return index
    return None


def _log_in(client: Any, role: Role, side: Side) -> None:
    unit = side.world.unit_a if role == Role.UNIT else None
    user = make_user(role, unit=unit, organizer=None if role in CITY_WIDE else side.organizer)
    assert login(client, user.email).status_code == 302


@pytest.mark.parametrize("mine", [0, 1], ids=["heza-staff", "ward-staff"])
@pytest.mark.parametrize("role", STAFF, ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", OWNED)
def test_staff_find_nothing_of_the_other_organizer(app, client, sides, endpoint, role, mine):
    own, other = sides[mine], sides[1 - mine]
    view = _view(app, endpoint)
    _log_in(client, role, own)
    token = csrf_from(client.get("/admin/").get_data(as_text=True))
    theirs = [r.id for r in other.rows_of(view.model)]
    assert theirs, f"the fixture has no {view.model.__name__} of the other organizer"

    listing = client.get(f"/admin/{endpoint}/")
    if listing.status_code == 403:  # the role does not read this screen at all (test_access.py)
        for row_id in theirs:
            assert client.get(f"/admin/{endpoint}/details/?id={row_id}").status_code == 403
        return

    # Lists and exports: none of theirs; exactly ours (unit staff: a subset of ours).
    ours = {r.id for r in own.rows_of(view.model)}
    listed = _listed_ids(client, f"/admin/{endpoint}/")
    assert not listed & set(theirs)
    if role == Role.UNIT:
        assert listed <= ours
    else:
        assert listed == ours
    assert _export_rows(client, endpoint) == len(listed)

    # A filter naming their organizer finds nothing (and is no error).
    index = _organizer_filter(view)
    if index is not None:
        assert _listed_ids(client, f"/admin/{endpoint}/?flt0_{index}={other.organizer.id}") == set()

    # Their ids: 404 everywhere, nothing changed.
    for row_id in theirs:
        assert client.get(f"/admin/{endpoint}/details/?id={row_id}").status_code == 404
        assert client.get(f"/admin/{endpoint}/edit/?id={row_id}").status_code in {403, 404}
        deleted = client.post(f"/admin/{endpoint}/delete/", data={"id": str(row_id), "csrf_token": token})
        assert deleted.status_code in {403, 404}
        client.post(f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [str(row_id)],
                                                        "csrf_token": token})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(view.model)
                             .where(view.model.id.in_(theirs))) == len(theirs)


@pytest.mark.parametrize("endpoint", ("task", "recommendation", "agendaitem", "invitation", "registration",
                                      "report", "article", "hotline", "unit", "digitalpost"))
def test_form_choices_offer_only_the_own_organizer(app, client, sides, endpoint):
    own, other = sides
    view = _view(app, endpoint)
    _log_in(client, Role.OFFICER, own)
    page = client.get(f"/admin/{endpoint}/new/").get_data(as_text=True)
    relationships = sa.inspect(view.model).relationships
    checked = 0
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        if name not in relationships:
            continue
        target = relationships[name].mapper.class_
        theirs = {str(r.id) for r in other.rows_of(target)}
        offered = set(re.findall(r'<option[^>]*value="(\d+)"', options))
        assert not offered & theirs, (endpoint, name)
        checked += 1
    assert checked, f"no relation select on /admin/{endpoint}/new/"


def test_a_forged_choice_of_the_other_organizer_is_refused(client, sides):
    own, other = sides
    _log_in(client, Role.OFFICER, own)
    token = csrf_from(client.get("/admin/task/new/").get_data(as_text=True))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(type(own.world.task_a)))
    response = client.post("/admin/task/new/", data={
        "csrf_token": token, "conference": str(other.world.conference.id), "unit": str(own.world.unit_a.id),
        "description": "Việc cài vào hội nghị của đơn vị khác"})
    assert response.status_code == 200 and "Lựa chọn không hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(own.world.task_a))) == before


def test_what_staff_create_belongs_to_their_organizer_whatever_is_posted(client, sides):
    from heza.outreach.models import DigitalPost

    own, other = sides
    _log_in(client, Role.OFFICER, own)
    page = client.get("/admin/digitalpost/new/").get_data(as_text=True)
    assert 'name="organizer"' not in page  # nothing to choose: it is theirs
    response = client.post("/admin/digitalpost/new/", data={
        "csrf_token": csrf_from(page), "organizer": str(other.organizer.id), "channel": "portal",
        "title": "Tin gửi kèm mã đơn vị khác", "posted_on": "05/03/2026"})
    assert response.status_code == 302
    post = db.session.scalar(sa.select(DigitalPost).where(DigitalPost.title == "Tin gửi kèm mã đơn vị khác"))
    assert post.organizer_id == own.organizer.id


@pytest.mark.parametrize("role", CITY_WIDE, ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", OWNED)
def test_supervisors_and_admins_see_every_organizer(app, client, sides, endpoint, role):
    a, b = sides
    view = _view(app, endpoint)
    _log_in(client, role, a)
    if role == Role.SUPERVISOR and Role.VIEWER not in view.read_roles:  # e.g. the outbox: staff only
        assert client.get(f"/admin/{endpoint}/").status_code == 403
        return
    listed = _listed_ids(client, f"/admin/{endpoint}/?page_size=100")
    for side in (a, b):
        assert {r.id for r in side.rows_of(view.model)} <= listed
    for row in b.rows_of(view.model):
        assert client.get(f"/admin/{endpoint}/details/?id={row.id}").status_code == 200


@pytest.mark.parametrize("endpoint", OWNED)
def test_a_supervisor_changes_nothing(app, client, sides, endpoint):
    a, b = sides
    view = _view(app, endpoint)
    _log_in(client, Role.SUPERVISOR, a)
    token = csrf_from(client.get("/admin/").get_data(as_text=True))
    row = b.rows_of(view.model)[0]
    assert client.get(f"/admin/{endpoint}/new/").status_code == 403
    assert client.get(f"/admin/{endpoint}/edit/?id={row.id}").status_code == 403
    assert client.post(f"/admin/{endpoint}/delete/", data={"id": str(row.id), "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [str(row.id)],
                                                           "csrf_token": token}).status_code == 403


def test_every_screen_of_an_organizers_records_is_in_the_matrix(app):
    """A new screen over rows that belong to an organizer joins OWNED (the standing audience once slipped past);
    only admin-only screens (users) are left to test_access.py."""
    from heza.accounts.models import Role

    missing = [v.endpoint for v in app.extensions["admin"][0]._views
               if getattr(getattr(v, "model", None), "__tenant__", None) and v.endpoint not in OWNED
               and set(v.read_roles) != {Role.ADMIN}]
    assert missing == []



def test_a_city_wide_unit_is_changed_by_admins_only(client, sides):
    """A city agency belongs to no organizer: a ward officer may invite it but not rewrite or take it."""
    from heza.directory.models import Unit

    own, _other = sides
    agency = f.unit(None, name="Sở Tài chính thành phố", short_name="STC")
    db.session.commit()
    _log_in(client, Role.OFFICER, own)
    page = client.get(f"/admin/unit/edit/?id={agency.id}").get_data(as_text=True)
    response = client.post(f"/admin/unit/edit/?id={agency.id}", data={
        "csrf_token": csrf_from(page), "name": "Sở Tài chính (đã sửa)", "short_name": "STC", "kind": agency.kind.value,
        "emails": "stc@haiphong.gov.vn", "language": "vi", "active": "y"}, follow_redirects=True)
    assert "chỉ quản trị viên được sửa" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(Unit, agency.id)
    assert kept.organizer_id is None and kept.name == "Sở Tài chính thành phố"
    response = client.post("/admin/unit/delete/", data={"csrf_token": csrf_from(page), "id": str(agency.id)},
                           follow_redirects=True)
    assert db.session.get(Unit, agency.id) is not None

    _log_in(client, Role.ADMIN, own)
    page = client.get(f"/admin/unit/edit/?id={agency.id}").get_data(as_text=True)
    response = client.post(f"/admin/unit/edit/?id={agency.id}", data={
        "csrf_token": csrf_from(page), "name": "Sở Tài chính Hải Phòng", "short_name": "STC",
        "kind": agency.kind.value, "emails": "stc@haiphong.gov.vn", "language": "vi", "active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, agency.id).name == "Sở Tài chính Hải Phòng"
