"""Browser tests: a live server on a free port with its own SQLite file, driven by Debian's chromium.

Playwright drives ``/usr/bin/chromium`` (``executable_path``); it never downloads a browser. The
tests skip when chromium is missing on a developer's machine, and fail on CI (``CI=true``), where
it must be installed. They run on SQLite only: the server thread and the test share one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from heza.accounts.models import Role, User
from heza.extensions import db as _db
from tests import factories as f
from tests.support import chromium_browser, served_app, watch_csp

ADMIN_EMAIL = "quantri@example.vn"
ADMIN_PASSWORD = "mat-khau-quan-tri-123"


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole application served over HTTP from a thread, on its own SQLite database."""
    for application, url in served_app(tmp_path_factory, "heza-browser"):
        yield LiveServer(application, url)


@pytest.fixture(scope="package")
def seeded(live_server: LiveServer) -> dict[str, Any]:
    """An administrator, an organizer and a unit, committed once for the package."""
    with live_server.app.app_context():
        user = User(email=ADMIN_EMAIL, name="Quản trị viên", role=Role.ADMIN)
        user.set_password(ADMIN_PASSWORD)
        _db.session.add(user)
        organizer = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA")
        unit = f.unit(organizer, name="Phòng Doanh nghiệp và Giám sát đầu tư", short_name="DN&GSĐT")
        _db.session.commit()
        return {"organizer_id": organizer.id, "unit_id": unit.id, "unit": str(unit)}


@pytest.fixture(scope="package")
def browser(live_server: LiveServer) -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture()
def page(browser: Any, live_server: LiveServer, seeded: dict[str, Any]) -> Iterator[Any]:
    """A fresh browser context (no cookies), Vietnamese, in Hai Phong's time zone."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True,
                                  viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    violations = watch_csp(context)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
    assert violations == [], "the Content-Security-Policy refused something on a page"


def log_in(page: Any, live_server: LiveServer, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(live_server("/admin/"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_url(live_server("/admin/"))
