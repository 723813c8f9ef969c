"""Bugs the hostile-input suite found, each pinned by the smallest case that showed it."""

from __future__ import annotations

from heza.accounts.models import Role
from heza.conferences.models import Conference
from heza.extensions import db as _db
from tests.admin.conftest import csrf_from
from tests.hostile.payloads import assert_vietnamese_refusal


def test_a_forged_relation_id_is_refused_in_vietnamese(client, login_as, world):
    # Flask-Admin's relation selects ask WTForms' catalog for "Not a valid choice" (no full stop),
    # which heza's catalog lacked: the officer read English.
    login_as(Role.ADMIN)  # (staff of an organizer have no organizer to choose: it is theirs)
    token = csrf_from(client.get("/admin/conference/new/").get_data(as_text=True))
    before = _db.session.scalar(_db.select(_db.func.count()).select_from(Conference))
    response = client.post("/admin/conference/new/", data={"csrf_token": token, "organizer": "999999",
                                                           "title": "Hội nghị", "held_on": "17/03/2026"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not a valid choice" not in page and "Lựa chọn không hợp lệ" in page
    assert_vietnamese_refusal(page, "forged organizer id")
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Conference)) == before


def test_a_post_on_a_page_that_only_shows_is_refused_in_vietnamese(client, db):
    # A personal link truncated to nothing makes ".../kien-nghi" hit the page route, GET only:
    # werkzeug's English "405 Method Not Allowed" page was shown.
    response = client.post("/doanh-nghiep//kien-nghi", data={"content": "x"})
    assert response.status_code == 405
    page = response.get_data(as_text=True)
    assert "Method Not Allowed" not in page and "Thao tác không hợp lệ" in page
    assert "GET" in response.headers.get("Allow", "")


def test_a_status_typed_into_the_outbox_filter_url_is_no_server_error(client, login_as):
    # Flask-Admin's enum filter looked "failed" up by member name: a KeyError, a 500.
    login_as(Role.ADMIN)
    for value in ("failed", "FAILED", "bogus", "<script>alert(1)</script>"):
        response = client.get("/admin/outbox/", query_string={"flt0_0": value})
        assert response.status_code == 200, value
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_typed_values_in_every_recommendation_and_conference_filter_are_no_server_error(client, login_as):
    # The status and field filters looked values up as enum members: "failed" (an outbox status) was a 500.
    login_as(Role.ADMIN)
    for url in ("/admin/recommendation/", "/admin/conference/"):
        for slot in range(6):
            for value in ("failed", "bogus", "<script>alert(1)</script>", "1' OR 1=1 --"):
                response = client.get(url, query_string={f"flt{slot}_{slot}": value})
                assert response.status_code < 500, (url, slot, value)
                assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_a_nul_character_is_refused_clearly_before_any_database_sees_it(client, login_as):
    # PostgreSQL text cannot hold NUL: a NUL typed into any field was a 500 there (SQLite stored it).
    login_as(Role.OFFICER)
    token = csrf_from(client.get("/admin/zone/new/").get_data(as_text=True))
    response = client.post("/admin/zone/new/", data={"csrf_token": token, "name": "KCN\x00X", "code": "X1",
                                                     "kind": "industrial"})
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/admin/enterprise/", query_string={"search": "a\x00b"}).status_code == 400
    assert client.get("/doi-thoai-doanh-nghiep/", query_string={"trang": "\x00"}).status_code == 400
