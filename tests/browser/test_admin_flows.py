"""Key admin flows in a real headless Chromium: log in, create a conference, add a task, export, language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from heza import rules
from heza.conferences.models import Conference, Task
from heza.extensions import db
from tests.browser.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

TITLE = "Hội nghị đối thoại doanh nghiệp quý I/2026"


def conference_id(live_server: LiveServer, title: str) -> int:
    with live_server.app.app_context():
        found = db.session.scalar(sa.select(Conference.id).where(Conference.title == title))
        assert found is not None, title
        return found


def choose(page: Any, select: str, value: str) -> None:
    """Pick an option of a select2-styled <select> (the widget hides the real element)."""
    page.select_option(select, value, force=True)


def test_log_in_and_reach_the_dashboard(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/admin/conference/"))
    assert "/login" in page.url  # the anonymous are sent to the login page, and back afterwards
    page.fill("input[name=email]", "quantri@example.vn")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("#login-submit")
    assert page.locator("text=Email hoặc mật khẩu không đúng.").is_visible()

    log_in(page, live_server)

    assert page.locator("#dashboard").is_visible()
    assert page.locator("h4", has_text="Tổng quan").first.is_visible()


def test_create_a_conference_see_its_dates_and_add_a_task(page: Any, live_server: LiveServer,
                                                           seeded: dict[str, Any]) -> None:
    log_in(page, live_server)
    page.goto(live_server("/admin/conference/new/"))
    choose(page, "#organizer", str(seeded["organizer_id"]))
    page.fill("#title", TITLE)
    page.fill("#held_on", "03/03/2026")
    page.keyboard.press("Escape")
    page.fill("#place", "Hội trường Ban Quản lý")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url(re.compile(r"/admin/conference/(\?.*)?$"))
    assert page.locator("td", has_text=TITLE).first.is_visible()

    cid = conference_id(live_server, TITLE)
    page.goto(live_server(f"/admin/conference/details/?id={cid}"))
    with live_server.app.app_context():
        settings = db.session.get(Conference, cid).settings()
        r1 = rules.announcement_date(date(2026, 3, 3), settings)
        r2 = rules.registration_cutoff(date(2026, 3, 3), settings)
    row = page.locator("#conference-dates tr[data-key=announcement]")
    assert row.locator(".heza-date").inner_text().startswith("13/02/2026") and r1.due == date(2026, 2, 13)
    assert "Tết Nguyên Đán" in row.locator(".heza-explanation").inner_text()
    assert page.locator("#conference-dates tr[data-key=cutoff] .heza-date").inner_text().startswith(
        f"{r2.due:%d/%m/%Y}")

    # Add a task in the edit form's inline list.
    page.goto(live_server(f"/admin/conference/edit/?id={cid}"))
    page.click("#tasks-button")
    choose(page, "#tasks-0-unit", str(seeded["unit_id"]))
    page.fill("#tasks-0-description", "Chuẩn bị báo cáo tham luận về thủ tục đầu tư")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url(re.compile(r"/admin/conference/(\?.*)?$"))

    page.goto(live_server(f"/admin/conference/details/?id={cid}"))
    tasks = page.locator("#conference-tasks")
    assert "Chuẩn bị báo cáo tham luận về thủ tục đầu tư" in tasks.inner_text()
    assert "27/02/2026" in tasks.inner_text()  # R4: three days before is Saturday 28/2: the Friday before
    with live_server.app.app_context():
        task = db.session.scalar(sa.select(Task).where(Task.conference_id == cid))
        assert task is not None and task.unit_id == seeded["unit_id"]


def test_export_a_list(page: Any, live_server: LiveServer, tmp_path: Any) -> None:
    log_in(page, live_server)
    page.goto(live_server("/admin/conference/"))
    page.click("li.dropdown:has(a[href*='/export/csv/']) > a.dropdown-toggle")
    with page.expect_download() as info:
        page.click("a.dropdown-item[href*='/export/csv/']")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()

    assert target.suffix == ".csv"
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Vietnamese right
    assert "Tên hội nghị".encode() in data and "Ngày tổ chức".encode() in data


def test_switch_language(page: Any, live_server: LiveServer) -> None:
    log_in(page, live_server)
    page.goto(live_server("/admin/conference/"))
    assert page.locator(".nav-tabs .nav-link.active").first.inner_text().startswith("Danh sách")

    page.click("#heza-user-menu")
    page.click("button[data-lang=en]")
    page.wait_for_load_state()

    assert page.url.endswith("/admin/conference/")
    assert page.locator(".nav-tabs .nav-link.active").first.inner_text().startswith("List")

    page.click("#heza-user-menu")
    page.click("button[data-lang=vi]")
    page.wait_for_load_state()
    assert page.locator(".nav-tabs .nav-link.active").first.inner_text().startswith("Danh sách")
