"""Logging in and out, throttling, language switching, CSRF refusals, and ``heza create-user``."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine

from heza.accounts.models import AuditEvent, Role, User
from heza.accounts.views import safe_next
from heza.base import now_utc
from tests.admin.conftest import PASSWORD, csrf_from, login, make_user


def test_login_page_is_vietnamese_and_carries_a_csrf_token(client, db):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Mật khẩu" in page
    assert csrf_from(page)


def test_login_then_back_to_the_page_asked_for(client, db):
    user = make_user(Role.OFFICER)
    first = client.get("/admin/enterprise/?search=abc")
    assert first.status_code == 302
    next_url = first.headers["Location"]
    page = client.get(next_url).get_data(as_text=True)
    response = client.post(next_url, data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page),
                                           "next": "/admin/enterprise/?search=abc"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/enterprise/?search=abc")
    assert client.get("/admin/enterprise/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_dt is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example", " //evil.example"])
def test_next_never_leaves_the_site(client, db, target):
    user = make_user(Role.VIEWER)
    response = login(client, user.email, next=target)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in {"", "heza.test"}
    assert location.path == "/admin/"


def test_safe_next_keeps_paths_inside_the_site():
    assert safe_next("/admin/task/?page=2") == "/admin/task/?page=2"
    for bad in (None, "", "admin", "//x.y", "/\\x.y", "https://x.y/", "/a\\b", "/a\nb"):
        assert safe_next(bad) is None


def test_wrong_password_and_unknown_email_read_the_same(client, db):
    user = make_user(Role.VIEWER)
    wrong = login(client, user.email, password="sai-mat-khau-roi")
    unknown = login(client, "khong-co@heza.gov.vn")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_account_locks_after_repeated_failures_then_unlocks(client, app, db):
    user = make_user(Role.OFFICER)
    limit = app.config.get("LOGIN_MAX_FAILURES", 5)
    for _ in range(limit - 1):
        assert login(client, user.email, password="sai-mat-khau-roi").status_code == 401
    locked = login(client, user.email, password="sai-mat-khau-roi")
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in locked.get_data(as_text=True)
    # While locked, even the right password is refused (guessing cannot go on).
    assert login(client, user.email).status_code == 429
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(now_utc() + timedelta(minutes=16), tick=False):
        assert login(client, user.email).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.failed_logins == 0 and user.locked_until_dt is None


def test_failures_from_one_address_are_throttled_across_accounts(client, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 3)
    user = make_user(Role.OFFICER)
    for n in range(3):
        assert login(client, f"doan{n}@heza.gov.vn").status_code == 401
    refused = login(client, user.email)
    assert refused.status_code == 429
    assert "Quá nhiều lần đăng nhập sai từ máy này" in refused.get_data(as_text=True)
    # Another machine is not affected, and the right password there works.
    other = app.test_client()
    page = other.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_data(as_text=True)
    response = other.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 302


def test_successful_logins_do_not_count_against_the_address(client, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 2)
    users = [make_user(Role.VIEWER) for _ in range(4)]
    for user in users:  # a whole office behind one address logging in at 8:00
        assert login(client, user.email).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/admin/").get_data(as_text=True))})


def test_inactive_users_cannot_log_in_and_are_logged_out(client, db):
    user = make_user(Role.OFFICER)
    assert login(client, user.email).status_code == 302
    user.active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302  # the session no longer counts
    assert login(client, user.email).status_code == 401


def test_logout_needs_a_post_with_the_token(client, login_as, csrf):
    login_as(Role.VIEWER)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    token = csrf()
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_language_switch_is_kept_on_the_user(client, login_as, csrf, db):
    user = login_as(Role.OFFICER)
    page = client.get("/admin/zone/").get_data(as_text=True)
    assert "Thêm mới" in page  # Flask-Admin's "Create", in the corrected Vietnamese
    token = csrf()
    assert client.post("/language/en", data={"next": "/admin/zone/"}).status_code == 400  # no token
    response = client.post("/language/en", data={"csrf_token": token, "next": "/admin/zone/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/zone/")
    page = client.get("/admin/zone/").get_data(as_text=True)
    assert "Create" in page and "Thêm mới" not in page
    db.session.expire_all()
    assert str(db.session.get(User, user.id).language) == "en"
    # Logging in again later keeps English.
    client.post("/logout", data={"csrf_token": csrf()})
    assert login(client, user.email).status_code == 302
    assert "Create" in client.get("/admin/zone/").get_data(as_text=True)
    assert client.post("/language/fr", data={"csrf_token": csrf()}).status_code == 404


def test_language_switch_before_logging_in(client, db):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/language/en", data={"csrf_token": csrf_from(page), "next": "/login"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["lang"] == "en"


def test_login_without_csrf_token_is_400(client, db):
    user = make_user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_create_user_cli_then_login_as_unit(client, runner, db, world):
    result = runner.invoke(args=["heza", "create-user", "can.bo@phuong.gov.vn", "--role", "unit",
                                 "--unit", str(world.unit_a.id), "--name", "Cán bộ phường"],
                           input="mat-khau-rat-dai-123\n")
    assert result.exit_code == 0, result.output
    response = login(client, "can.bo@phuong.gov.vn", password="mat-khau-rat-dai-123")
    assert response.status_code == 302
    assert client.get("/admin/task/").status_code == 200
    assert client.get(f"/admin/task/details/?id={world.task_b.id}").status_code == 404
    assert client.get("/admin/enterprise/").status_code == 403
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.model == "User")).first()
    assert event is not None and event.action == "create" and event.actor.startswith("cli")
    assert event.changes["password_hash"] == [None, "***"]


def test_failed_logins_leave_no_audit_noise(client, db):
    user = make_user(Role.VIEWER)
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    login(client, user.email, password="sai-mat-khau-roi")
    login(client, user.email)
    after = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    assert after == before
