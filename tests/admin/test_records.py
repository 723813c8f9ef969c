"""Creating, editing, deleting and exporting records: Vietnamese messages, nothing half saved, escaped
output, refusals when other records depend on a row, and the audit log of it all."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest

from heza.accounts.models import AuditEvent, Role, User
from heza.conferences.models import Task
from heza.directory.models import Enterprise, Unit, Zone
from heza.extensions import db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _enterprise_form(token: str, world, **over) -> dict:
    data = {"csrf_token": token, "name": "Công ty Cổ phần Cảng Nam Hải", "tax_code": "0200111222",
            "kind": "enterprise", "zone": str(world.zone.id), "ward": "__None", "address": "", "contact_name": "",
            "phone": "", "email": "", "cc_emails": "", "language": "vi", "active": "y"}
    data.update(over)
    return data


def test_create_enterprise_then_see_it_in_vietnamese(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/enterprise/new/", data=_enterprise_form(csrf(), world), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đã tạo bản ghi." in page  # not "Kỷ lục được tạo thành công."
    assert "Kỷ lục" not in page
    ent = db.session.scalar(db.select(Enterprise).where(Enterprise.tax_code == "0200111222"))
    assert ent is not None and ent.zone_id == world.zone.id


def test_bad_tax_code_is_refused_in_vietnamese_and_nothing_saved(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    before = _count(Enterprise)
    response = client.post("/admin/enterprise/new/", data=_enterprise_form(csrf(), world, tax_code="12345"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mã số thuế phải gồm 10 chữ số" in page
    db.session.expire_all()
    assert _count(Enterprise) == before


def test_duplicate_tax_code_is_refused_in_vietnamese(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/enterprise/new/",
                           data=_enterprise_form(csrf(), world, tax_code=world.enterprise.tax_code))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mã số thuế" in page and ("Đã có một bản ghi khác" in page or "không được trùng" in page)
    assert "IntegrityError" not in page and "UNIQUE constraint" not in page
    db.session.expire_all()
    assert _count(Enterprise) == 1


def test_required_fields_get_the_vietnamese_wtforms_message(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/enterprise/new/", data=_enterprise_form(csrf(), world, name=""))
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)


def test_dates_are_typed_and_shown_dd_mm_yyyy(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/task/new/", data={
        "csrf_token": csrf(), "conference": str(world.conference.id), "unit": str(world.unit_a.id),
        "description": "Chuẩn bị phòng họp", "due_on": "13/03/2026", "note": "", "done_dt": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    task = db.session.scalar(db.select(Task).where(Task.description == "Chuẩn bị phòng họp"))
    assert task.due_on == date(2026, 3, 13) and task.due_explicit
    page = client.get("/admin/task/").get_data(as_text=True)
    assert "13/03/2026" in page
    bad = client.post("/admin/task/new/", data={
        "csrf_token": csrf(), "conference": str(world.conference.id), "unit": str(world.unit_a.id),
        "description": "Sai ngày", "due_on": "2026-13-45", "note": "", "done_dt": ""})
    assert "Ngày không hợp lệ (nhập theo dạng dd/mm/yyyy)." in bad.get_data(as_text=True)


def test_enum_columns_show_labels_and_offer_labelled_choices(client, login_as, world):
    login_as(Role.VIEWER)
    page = client.get("/admin/zone/").get_data(as_text=True)
    assert "Khu công nghiệp" in page and ">industrial<" not in page
    login_as(Role.OFFICER)
    form = client.get("/admin/zone/new/").get_data(as_text=True)
    assert '<option value="industrial">Khu công nghiệp</option>' in form
    assert '<option selected value="industrial">' in client.get(
        f"/admin/zone/edit/?id={world.zone.id}").get_data(as_text=True)


def test_xss_payloads_are_escaped_in_list_details_and_export(client, login_as, world):
    world.enterprise.name = XSS
    world.enterprise.contact_name = XSS
    world.task_a.description = XSS
    db.session.commit()
    login_as(Role.OFFICER)
    for url in ("/admin/enterprise/", f"/admin/enterprise/details/?id={world.enterprise.id}",
                f"/admin/enterprise/edit/?id={world.enterprise.id}", "/admin/invitation/", "/admin/task/",
                f"/admin/task/details/?id={world.task_a.id}", "/admin/registration/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
    export = client.get("/admin/enterprise/export/csv/")
    assert export.mimetype == "text/csv"  # never rendered as a page
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == XSS  # the data itself, unchanged, for the spreadsheet


def test_csv_export_has_a_bom_and_neutralises_formulas(client, login_as, world):
    world.enterprise.name = '=HYPERLINK("http://evil.example","Nhấn vào đây")'
    world.enterprise.contact_name = "Trần Thị Bình"
    db.session.commit()
    login_as(Role.VIEWER)
    response = client.get("/admin/enterprise/export/csv/")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tên doanh nghiệp,Mã số thuế")
    assert "'=HYPERLINK" in text
    assert "Trần Thị Bình" in text
    assert "attachment" in response.headers["Content-Disposition"]


def test_xlsx_export_reads_back_in_vietnamese(client, login_as, world):
    login_as(Role.VIEWER)
    response = client.get("/admin/task/export/xlsx/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Nhiệm vụ"
    assert {r[0] for r in rows[1:]} == {"Chuẩn bị báo cáo của phòng A", "Chuẩn bị báo cáo của phòng B"}


def test_delete_of_a_unit_with_dependents_is_refused_with_a_message(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/unit/delete/", data={"id": str(world.unit_a.id), "csrf_token": csrf(),
                                                        "url": "/admin/unit/"}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Không xóa được" in page and "Nhiệm vụ của đơn vị" in page
    db.session.expire_all()
    assert db.session.get(Unit, world.unit_a.id) is not None
    assert db.session.get(Task, world.task_a.id).unit_id == world.unit_a.id


def test_bulk_delete_refuses_rows_with_dependents_and_deletes_the_rest(client, login_as, csrf, world):
    spare = Zone(name="KCN Tràng Duệ", code="TD", kind="industrial")
    db.session.add(spare)
    db.session.commit()
    login_as(Role.OFFICER)
    response = client.post("/admin/zone/action/", data={
        "action": "delete", "rowid": [str(world.zone.id), str(spare.id)], "csrf_token": csrf()},
        follow_redirects=True)
    assert response.status_code == 200
    assert "Không xóa được" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Zone, world.zone.id) is not None
    assert db.session.get(Zone, spare.id) is None


def test_delete_without_dependents_works(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    response = client.post("/admin/digitalpost/delete/", data={"id": str(world.post.id), "csrf_token": csrf()},
                           follow_redirects=True)
    assert "Đã xóa 1 bản ghi." in response.get_data(as_text=True)


@pytest.mark.parametrize("url,data", [
    ("/admin/enterprise/new/", {"name": "X", "tax_code": "0200999888"}),
    ("/admin/enterprise/delete/", {"id": "1"}),
    ("/admin/enterprise/action/", {"action": "delete", "rowid": ["1"]}),
    ("/admin/task/action/", {"action": "mark_done", "rowid": ["1"]}),
])
def test_admin_posts_without_the_csrf_token_are_400(client, login_as, world, url, data):
    login_as(Role.ADMIN)
    assert client.post(url, data=data).status_code == 400
    db.session.expire_all()
    assert _count(Enterprise) == 1


def test_ajax_lookups_follow_write_rights(client, login_as, world):
    login_as(Role.OFFICER)
    response = client.get("/admin/registration/ajax/lookup/?name=enterprise&query=Thép")
    assert response.status_code == 200
    assert [row[0] for row in json.loads(response.get_data(as_text=True))] == [world.enterprise.id]


def test_viewer_cannot_use_ajax_lookups(client, login_as, world):
    login_as(Role.VIEWER)
    assert client.get("/admin/registration/ajax/lookup/?name=enterprise&query=Thép").status_code == 403


def test_filters_offer_todays_units_and_filter_instants_by_local_day(client, login_as, world):
    login_as(Role.OFFICER)
    later = Unit(organizer=world.organizer, name="Phòng mới thành lập", kind="department")
    db.session.add(later)
    db.session.commit()
    options = _filter_groups(client, "/admin/task/")["Đơn vị"][0]["options"]
    assert [str(later.id), "Phòng mới thành lập"] in options  # read at this request, not at start
    # hotline_a was received on 03/03/2026 09:00 Hai Phong time (02:00 UTC).
    idx = _filter_index(client, "/admin/hotline/", "Tiếp nhận lúc", "bằng")
    listed = client.get(f"/admin/hotline/?flt0_{idx}=2026-03-03").get_data(as_text=True)
    assert f"/admin/hotline/details/?id={world.hotline_a.id}&" in listed
    assert f"/admin/hotline/details/?id={world.hotline_b.id}&" not in listed


def _filter_groups(client, url: str) -> dict:
    import re

    page = client.get(url).get_data(as_text=True)
    return json.loads(re.search(r'id="filter-groups-data"[^>]*>(.*?)</', page, re.S).group(1))


def _filter_index(client, url: str, label: str, operation: str) -> int:
    for item in _filter_groups(client, url)[label]:
        if item["operation"] == operation:
            return item["index"]
    raise AssertionError(f"no filter {label} {operation}")


def test_organizer_settings_are_grouped_with_their_labels(client, login_as, world):
    login_as(Role.ADMIN)
    page = client.get(f"/admin/organizer/edit/?id={world.organizer.id}").get_data(as_text=True)
    assert "Thời hạn và ngưỡng của hội nghị" in page
    assert "Đăng thông báo trước hội nghị (ngày làm việc)" in page
    assert "Hạn xử lý khiếu nại (ngày làm việc)" in page


def test_newsletter_shows_planned_words(client, login_as, world):
    login_as(Role.VIEWER)
    page = client.get("/admin/article/").get_data(as_text=True)
    assert "525" in page and "700" in page  # 1.5 and 2 A4 pages at 350 words
    details = client.get(f"/admin/newsletter/details/?id={world.issue.id}").get_data(as_text=True)
    assert "1.225" in details


def test_admin_creates_a_user_whose_password_is_hashed(client, login_as, csrf, world):
    login_as(Role.ADMIN)
    response = client.post("/admin/user/new/", data={
        "csrf_token": csrf(), "email": "Moi@Heza.gov.vn", "name": "Người mới", "role": "unit",
        "unit": str(world.unit_b.id), "language": "vi", "active": "y", "new_password": "mot-mat-khau-dai"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    user = db.session.scalar(db.select(User).where(User.email == "moi@heza.gov.vn"))
    assert user.password_hash.startswith("$argon2") and user.check_password("mot-mat-khau-dai")
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.model == "User",
                                                           AuditEvent.record_id == str(user.id))).one()
    assert event.changes["password_hash"] == [None, "***"]
    assert "mot-mat-khau-dai" not in str(event.changes)


def test_a_unit_user_needs_a_unit_and_a_new_user_a_password(client, login_as, csrf, world):
    login_as(Role.ADMIN)
    base = {"email": "x@heza.gov.vn", "name": "X", "language": "vi", "active": "y"}
    response = client.post("/admin/user/new/", data={**base, "csrf_token": csrf(), "role": "unit",
                                                     "unit": "__None", "new_password": "mot-mat-khau-dai"})
    assert "Cán bộ đơn vị phải được gắn với một đơn vị." in response.get_data(as_text=True)
    response = client.post("/admin/user/new/", data={**base, "csrf_token": csrf(), "role": "viewer",
                                                     "unit": "__None", "new_password": ""})
    assert "Nhập mật khẩu cho tài khoản mới." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "x@heza.gov.vn")) is None


def test_admin_cannot_demote_or_delete_themselves(client, login_as, csrf, world):
    me = login_as(Role.ADMIN)
    response = client.post(f"/admin/user/edit/?id={me.id}", data={
        "csrf_token": csrf(), "email": me.email, "name": me.name, "role": "viewer", "unit": "__None",
        "language": "vi", "active": "y", "new_password": ""})
    assert "Không thể tự bỏ quyền quản trị" in response.get_data(as_text=True)
    client.post("/admin/user/delete/", data={"id": str(me.id), "csrf_token": csrf()})
    db.session.expire_all()
    assert db.session.get(User, me.id).role == Role.ADMIN


def test_audit_log_records_who_changed_what(client, login_as, csrf, world):
    officer = login_as(Role.OFFICER)
    client.post(f"/admin/zone/edit/?id={world.zone.id}", data={
        "csrf_token": csrf(), "code": "DV", "name": "KCN Đình Vũ mở rộng", "kind": "industrial"})
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.model == "Zone", AuditEvent.action == "update")
                               ).one()
    assert event.user_id == officer.id
    assert event.actor == str(officer)
    assert event.changes == {"name": ["KCN Đình Vũ", "KCN Đình Vũ mở rộng"]}
    login_as(Role.ADMIN)
    page = client.get(f"/admin/audit/details/?id={event.id}").get_data(as_text=True)
    assert "KCN Đình Vũ mở rộng" in page
    assert "Tên khu" in page  # the field by its label on the zone screen, not "name"
    listing = client.get("/admin/audit/").get_data(as_text=True)
    assert "Khu công nghiệp, khu kinh tế" in listing  # the screen's name, not the class "Zone"
    assert client.get(f"/admin/audit/edit/?id={event.id}").status_code == 403


def test_audit_log_records_deletes_and_skips_the_outbox(client, login_as, csrf, world):
    from heza.outbox.models import OutboundEmail

    login_as(Role.OFFICER)
    client.post("/admin/digitalpost/delete/", data={"id": str(world.post.id), "csrf_token": csrf()})
    deleted = db.session.scalars(db.select(AuditEvent).where(AuditEvent.model == "DigitalPost",
                                                             AuditEvent.action == "delete")).one()
    assert deleted.changes["title"] == ["Tin doanh nghiệp", None]
    assert deleted.summary == "Tin doanh nghiệp"
    columns = {c.name for c in OutboundEmail.__table__.columns}
    assert "status" in columns
    assert not db.session.scalars(db.select(AuditEvent).where(AuditEvent.model.in_(
        ["OutboundEmail", "JobRun", "AuditEvent", "RateLimitHit"]))).first()


def test_system_changes_are_attributed_to_the_system(db, world):
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.model == "Enterprise")).first()
    assert event.action == "create" and event.actor == "system" and event.user_id is None
    assert event.changes["tax_code"] == [None, world.enterprise.tax_code]
