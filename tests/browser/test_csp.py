"""The Content-Security-Policy in a real browser: what inline handlers did still works, nothing is refused.

Flask-Admin's inline scripts carry the request's nonce; its inline ``onclick`` handlers (row delete,
list actions, filters, inline rows) and heza's own (stop a conference) became ``data-*`` attributes
that ``static/heza-csp.js`` acts on. The ``page`` fixture fails a test on any violation the browser
reports to its console.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from heza.conferences.models import Conference, ConferenceStatus
from heza.directory.models import Organizer
from heza.extensions import db
from tests import factories as f
from tests.browser.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


@pytest.fixture()
def conference(live_server: LiveServer, seeded: dict[str, Any]) -> int:
    with live_server.app.app_context():
        organizer = db.session.get(Organizer, seeded["organizer_id"])
        conf = f.conference(organizer, date(2026, 9, 15), title="Hội nghị thử chính sách bảo mật nội dung")
        db.session.commit()
        return conf.id


def _exists(live_server: LiveServer, cid: int) -> bool:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Conference).where(Conference.id == cid)) == 1


def test_admin_pages_send_a_policy_and_their_scripts_run(page: Any, live_server: LiveServer, conference: int) -> None:
    log_in(page, live_server)
    response = page.goto(live_server("/admin/conference/"))
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]*)", policy).group(1)
    assert response.headers["x-frame-options"] == "DENY"
    # Flask-Admin's scripts ran (select2 and the list's scripts need jQuery and the nonced inline setup).
    assert page.evaluate("typeof window.jQuery") == "function"
    assert page.evaluate("typeof window.faForm") == "object"

    # Filters: "Add Filter", pick one: a filter row appears and the page did not navigate.
    page.click("a.dropdown-toggle:has-text('Thêm bộ lọc'), a.dropdown-toggle:has-text('Add Filter')")
    page.locator(".field-filters a.filter").first.click()
    assert page.locator(".filters tr").count() >= 1
    assert page.url.endswith("/admin/conference/")

    # Row delete asks first; dismissing keeps the record.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row = page.locator(f"form.icon:has(input[name=id][value='{conference}']) button")
    row.first.click()
    page.wait_for_timeout(200)
    assert asked and _exists(live_server, conference)

    # A list action (delete the selected) asks too; dismissing keeps it.
    page.check(f"input.action-checkbox[value='{conference}']")
    page.click("li.dropdown:has(a[data-heza-action]) > a.dropdown-toggle")
    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("a[data-heza-action]").first.click()
    page.wait_for_timeout(200)
    assert asked and _exists(live_server, conference)

    # Inline rows: "add a task" adds a row.
    page.goto(live_server(f"/admin/conference/edit/?id={conference}"))
    page.click("#tasks-button")
    assert page.locator("#tasks-0-description").is_visible()

    # heza's own: stopping a conference asks first.
    page.goto(live_server(f"/admin/conference/details/?id={conference}"))
    page.fill("#cancel-reason", "Thử")
    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("button[data-heza-confirm]").first.click()
    page.wait_for_timeout(200)
    assert asked and "Dừng hội nghị" in asked[0]
    with live_server.app.app_context():
        assert db.session.get(Conference, conference).status != ConferenceStatus.CANCELLED


def test_the_login_and_error_pages_under_the_policy(page: Any, live_server: LiveServer) -> None:
    response = page.goto(live_server("/login"))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert page.goto(live_server("/no-such-page")).status == 404
