"""Fixtures of the admin screens: an app with the admin and login, users of each role, CSRF tokens.

The app is package-scoped and overrides the session's one, so the admin and the ``auth`` blueprint
are registered before any request even while ``create_app`` does not register them yet; ``db`` and
``client`` from ``tests/conftest.py`` then use it. A test logs in by writing Flask-Login's session
keys (what a successful login leaves behind), so these tests do not depend on the login form.

Time travel: a session cookie signed "later" is refused as from the future, so a test that travels
back in time logs in after starting to travel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from heza.accounts.models import Role, User
from heza.directory.models import Unit
from heza.extensions import db as _db
from tests import factories as f
from tests.support import default_organizer, migrated_app, staff_organizer

# A conference on Tuesday 3/3/2026: R1 is Friday 13/2 (Tết 16–20/2 skipped), the R2 cutoff Tuesday
# 24/2, answers are due Thursday 12/3 (7 working days) or Monday 23/3 (14).
HELD_ON = date(2026, 3, 3)
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"



@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from migrated_app(tmp_path_factory, "heza-admin-screens")


@pytest.fixture()
def make_user(db: Any) -> Callable[..., User]:
    """A committed user of ``role`` (a unit user gets a unit unless one is given)."""

    def make(role: Role = Role.ADMIN, unit: Unit | None = None, **kw: Any) -> User:
        n = f._n()
        if role == Role.UNIT and unit is None:
            unit = f.unit(default_organizer())
        kw["organizer"] = staff_organizer(role, unit, kw.get("organizer"))
        user = User(email=kw.pop("email", f"user{n}@example.vn"), name=kw.pop("name", f"Người dùng {n}"),
                    role=role, unit=unit, **kw)
        user.set_password("mat-khau-dai-123")
        _db.session.add(user)
        _db.session.commit()
        return user

    return make


@pytest.fixture()
def login(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Log ``client`` in as a new user of ``role`` (or as ``user``); returns the user."""

    def log_in(role: Role = Role.ADMIN, unit: Unit | None = None, user: User | None = None) -> User:
        user = user or make_user(role, unit)
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        # The ``db`` fixture keeps an app context open, which requests reuse: forget the user
        # Flask-Login cached in ``g`` for the previous request.
        g.pop("_login_user", None)
        return user

    return log_in


_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str = "/admin/") -> str:
    """A CSRF token of the client's session, read from a page that carries one."""
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    if match is None:
        raise AssertionError(f"no csrf_token on {url}")
    return match.group(1) or match.group(2)


def post(client: FlaskClient, url: str, data: dict[str, Any], token_from: str = "/admin/", **kw: Any) -> Any:
    """POST ``data`` with a valid CSRF token, as the browser does from a page."""
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **data}, **kw)


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def admin_view(app: Flask, endpoint: str) -> Any:
    """The registered admin view of ``endpoint`` (to ask it for a filter's URL argument)."""
    admin = app.extensions["admin"][0] if isinstance(app.extensions["admin"], list) else app.extensions["admin"]
    for view in admin._views:
        if view.endpoint == endpoint:
            return view
    raise LookupError(endpoint)


def filter_arg(app: Flask, endpoint: str, filter_type: type | None = None, name: str | None = None,
               position: int = 0) -> str:
    """The query argument (``flt0_3``) that applies one of a view's filters."""
    view = admin_view(app, endpoint)
    for index, flt in enumerate(view._filters):
        if (filter_type is None or isinstance(flt, filter_type)) and (name is None or str(flt.name) == name):
            return f"flt{position}_{view.get_filter_arg(index, flt)}"
    raise LookupError(f"{endpoint}: no filter {filter_type} {name}")
