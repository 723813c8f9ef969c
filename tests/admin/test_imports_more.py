"""Importing units and recommendations: round trip with the export, errors beside cells, audit, isolation."""

from __future__ import annotations

import io
import re
from datetime import date

import sqlalchemy as sa

from heza.accounts.models import AuditEvent, Role
from heza.conferences.models import Channel
from heza.directory.models import Unit, UnitKind
from heza.extensions import db
from heza.recommendations.models import Field, Recommendation, RecommendationStatus
from tests import factories as f
from tests.admin.test_imports import _confirm, _count, _csv


def _upload(client, csrf, kind: str, data: bytes, filename: str = "tep.csv", organizer: int | str = ""):
    return client.post("/admin/import/preview", data={
        "csrf_token": csrf("/admin/import/"), "kind": kind, "organizer": str(organizer),
        "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def _events(model: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.model == model))


def _units() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def _recommendations() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def _cell_error(page: str, line: int, field: str) -> str:
    """The reason shown beside one cell of the preview ("" when there is none)."""
    row = re.search(rf'<tr data-line="{line}".*?</tr>', page, re.S)
    assert row, f"line {line} not in the preview"
    cell = re.search(rf'<td data-field="{field}">(.*?)</td>', row.group(0), re.S)
    assert cell, f"no {field} cell on line {line}"
    found = re.search(r'class="text-danger cell-error">(.*?)</div>', cell.group(1), re.S)
    return found.group(1) if found else ""


# --------------------------------------------------------------------------- units


def test_units_export_then_import_changes_nothing_and_a_bad_email_writes_nothing(client, login_as, csrf, world):
    world.unit_b.supervisor = world.unit_a
    f.unit(None, name="Sở Tài chính", short_name="STC", kind=UnitKind.CITY_AGENCY, emails="a@stc.vn, b@stc.vn")
    f.unit(world.organizer, name='=HYPERLINK("http://evil.example","Nhấn")', active=False)
    other = f.ward(name="Phường Lê Chân", short_name="Lê Chân")
    f.unit(other, name="Phòng Kinh tế Lê Chân")
    db.session.commit()
    for role, seen in ((Role.OFFICER, 4), (Role.ADMIN, 5)):
        login_as(role)
        exported = client.get("/admin/unit/export/csv/").get_data()
        before = _events("Unit")
        page = _upload(client, csrf, "units", exported).get_data(as_text=True)
        assert _count(page, "unchanged") == seen, page[:3000]
        assert _count(page, "create") == _count(page, "update") == _count(page, "error") == 0
        assert _confirm(client, csrf, page).status_code == 302
        assert _events("Unit") == before and _units() == 5
    page = _upload(client, csrf, "units", client.get("/admin/unit/export/xlsx/").get_data(), "dv.xlsx")
    assert _count(page.get_data(as_text=True), "unchanged") == 5

    text = exported.decode("utf-8-sig").replace("a@stc.vn", "khong-phai-email")
    response = _upload(client, csrf, "units", text.encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "khong-phai-email" in row)
    assert "Địa chỉ email không hợp lệ" in _cell_error(page, line, "emails")
    assert 'id="import-confirm"' not in page and _count(page, "error") == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(Unit.emails).where(Unit.short_name == "STC")) == "a@stc.vn, b@stc.vn"


def test_units_file_creates_and_updates_in_the_officers_organizer_audited(client, login_as, csrf, world):
    officer = login_as(Role.OFFICER)
    data = _csv([["Tên đơn vị", "Tên viết tắt", "Loại", "Email nhận thư", "Đơn vị giám sát", "Đang hoạt động"],
                 ["PHÒNG DOANH NGHIỆP A", "PA", "Phòng, đơn vị thuộc Ban", "pa@heza.vn; pa2@heza.vn", "", "Có"],
                 ["Trung tâm Xúc tiến đầu tư", "XTĐT", "department", "xt@heza.vn", "Văn phòng", "Có"],
                 ["Văn phòng", "", "Phòng, đơn vị thuộc Ban", "vp@heza.vn", "", ""]])
    page = _upload(client, csrf, "units", data).get_data(as_text=True)
    assert _count(page, "create") == 2 and _count(page, "update") == 1, page[:3000]
    assert _confirm(client, csrf, page).status_code == 302
    db.session.expire_all()
    assert _units() == 4  # matched by name without case: updated, not duplicated
    unit_a = db.session.get(Unit, world.unit_a.id)
    assert unit_a.emails == "pa@heza.vn, pa2@heza.vn" and unit_a.name == "PHÒNG DOANH NGHIỆP A"
    centre = db.session.scalar(sa.select(Unit).where(Unit.short_name == "XTĐT"))
    assert centre.organizer_id == world.organizer.id and centre.supervisor.name == "Văn phòng"
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.model == "Unit",
                                                            AuditEvent.user_id == officer.id)).all()
    assert sorted(e.action for e in events) == ["create", "create", "update"]


def test_unit_rows_with_errors_say_why(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    f.unit(None, name="Công an thành phố", kind=UnitKind.CITY_AGENCY)
    db.session.commit()
    data = _csv([["Tên đơn vị", "Loại", "Email nhận thư", "Đơn vị giám sát", "Đơn vị tổ chức"],
                 ["", "Lãnh đạo", "a@x.vn", "", ""],
                 ["Phòng Mới", "Lãnh đạo", "a@x.vn, sai@", "", world.organizer.short_name],
                 ["Phòng Khác", "Không có loại này", "", "", world.organizer.short_name],
                 ["Phòng Thứ Ba", "Lãnh đạo", "", "Phòng Không Có", world.organizer.short_name],
                 ["phong thu ba", "Lãnh đạo", "", "", world.organizer.short_name],
                 ["Công an thành phố", "Lãnh đạo", "", "", ""],
                 ["Phòng Xa", "Lãnh đạo", "", "", "Phường Không Có"]])
    response = _upload(client, csrf, "units", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Thiếu tên đơn vị" in _cell_error(page, 2, "name")
    assert "Địa chỉ email không hợp lệ" in _cell_error(page, 3, "emails")
    assert "không có trong danh sách" in _cell_error(page, 4, "kind")
    assert "Phòng Không Có" in _cell_error(page, 5, "supervisor")
    assert "Trùng tên đơn vị với dòng 5" in _cell_error(page, 6, "name")
    assert "Chỉ quản trị viên" in _cell_error(page, 7, "organizer")  # a city-wide unit changed by an officer
    assert "Phường Không Có" in _cell_error(page, 8, "organizer")
    assert _units() == 3


# --------------------------------------------------------------------------- recommendations


def _answered(conf, ent):
    return f.recommendation(conf, enterprise=ent, status=RecommendationStatus.ANSWERED, answer="Đã trả lời",
                            answered_dt=f.at_local(date(2026, 3, 20)), answer_method="in_writing")


def test_recommendations_export_then_import_changes_nothing_and_a_bad_field_writes_nothing(
        client, login_as, csrf, world):
    f.recommendation(world.conference, enterprise=world.enterprise, responsible_unit=world.unit_a,
                     content='=cmd|" /C calc"!A0 và đề nghị "gia hạn"')
    _answered(world.conference, world.enterprise)
    f.recommendation(None, content="Kiến nghị ngoài hội nghị", conference=None, organizer=world.organizer)
    db.session.commit()
    login_as(Role.OFFICER)
    exported = client.get("/admin/recommendation/export/csv/").get_data()
    before = _events("Recommendation")
    page = _upload(client, csrf, "recommendations", exported).get_data(as_text=True)
    assert _count(page, "unchanged") == 3, page[:4000]
    assert _count(page, "create") == _count(page, "update") == _count(page, "error") == 0
    assert _confirm(client, csrf, page).status_code == 302
    assert _events("Recommendation") == before and _recommendations() == 3
    book = client.get("/admin/recommendation/export/xlsx/").get_data()
    assert _count(_upload(client, csrf, "recommendations", book, "kn.xlsx").get_data(as_text=True),
                  "unchanged") == 3

    text = exported.decode("utf-8-sig").replace("Đất đai", "Thiên văn", 1)
    response = _upload(client, csrf, "recommendations", text.encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "Thiên văn" in row)
    assert "không có trong danh sách" in _cell_error(page, line, "field")
    assert 'id="import-confirm"' not in page and _count(page, "error") == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation)
                             .where(Recommendation.field == Field.LAND)) == 3


def test_a_paper_list_creates_recommendations_like_the_form_and_updates_by_reference(client, login_as, csrf, world):
    open_one = f.recommendation(world.conference, enterprise=world.enterprise)
    answered = _answered(world.conference, world.enterprise)
    other = f.enterprise(world.zone, name="Công ty CP Cảng Hải Phòng")
    db.session.commit()
    officer = login_as(Role.OFFICER)
    rows = [["Số tham chiếu", "MST", "Hội nghị", "Lĩnh vực", "Nội dung kiến nghị", "Ngày tiếp nhận", "Đơn vị xử lý"],
            [open_one.reference, "", "", "Thuế, phí", "Đề nghị hoàn thuế sớm", "", "PB"],
            [answered.reference, "", "", "", answered.content, "", ""],
            ["", other.tax_code, world.conference.title, "Hạ tầng, giao thông", "Đường vào cảng hay ngập",
             "17/03/2026", "Phòng Quy hoạch B"],
            ["", world.enterprise.tax_code, str(world.conference.id), "", "Thiếu chỗ đỗ xe tải", "", ""]]
    page = _upload(client, csrf, "recommendations", _csv(rows)).get_data(as_text=True)
    assert (_count(page, "create"), _count(page, "update"), _count(page, "unchanged")) == (2, 1, 1), page[:4000]
    assert _confirm(client, csrf, page).status_code == 302
    db.session.expire_all()
    updated = db.session.get(Recommendation, open_one.id)
    assert (updated.content, updated.field, updated.responsible_unit_id) == (
        "Đề nghị hoàn thuế sớm", Field.TAX, world.unit_b.id)
    new = db.session.scalar(sa.select(Recommendation).where(Recommendation.enterprise_id == other.id))
    assert re.fullmatch(r"KN-2026-\d{6}", new.reference)
    assert new.channel == Channel.AT_CONFERENCE and new.organizer_id == world.organizer.id
    assert new.due_on is not None and new.due_basis  # stamped by the same listener as the form's
    assert "duong vao cang" in new.search_text and new.reference.lower() in new.search_text
    assert f.at_local(date(2026, 3, 17), 0) == new.received_dt
    parking = db.session.scalar(sa.select(Recommendation).where(Recommendation.content == "Thiếu chỗ đỗ xe tải"))
    assert parking.field == Field.OTHER and parking.conference_id == world.conference.id
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.model == "Recommendation",
                                                            AuditEvent.user_id == officer.id)).all()
    assert sorted(e.action for e in events) == ["create", "create", "update"]
    # The same paper list again: the new rows are the ones already made, not a second copy.
    rows[1][4], rows[1][3], rows[1][6] = "Đề nghị hoàn thuế sớm", "Thuế, phí", "PB"
    page = _upload(client, csrf, "recommendations", _csv(rows)).get_data(as_text=True)
    assert _count(page, "unchanged") == 4 and _recommendations() == 4


def test_recommendation_rows_with_errors_say_why(client, login_as, csrf, world):
    answered = _answered(world.conference, world.enterprise)
    db.session.commit()
    login_as(Role.OFFICER)
    tax = world.enterprise.tax_code
    rows = [["Số tham chiếu", "Mã số thuế", "Hội nghị", "Lĩnh vực", "Nội dung kiến nghị", "Ngày tiếp nhận"],
            ["", "0209999999", world.conference.title, "", "Nội dung", ""],
            ["", tax, "Hội nghị không có", "", "Nội dung", ""],
            ["", tax, world.conference.title, "Thiên văn", "Nội dung", ""],
            ["", tax, world.conference.title, "", "", ""],
            ["", tax, world.conference.title, "", "Nội dung khác", "31/02/2026"],
            ["", tax, world.conference.title, "", "Nội dung", ""],
            ["", tax, world.conference.title, "", "nội dung", ""],
            [answered.reference, "", "", "", "Sửa câu đã trả lời", ""],
            ["KN-2026-999999", "", "", "", "X", ""]]
    response = _upload(client, csrf, "recommendations", _csv(rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "0209999999" in _cell_error(page, 2, "tax_code")
    assert "Hội nghị không có" in _cell_error(page, 3, "conference")
    assert "không có trong danh sách" in _cell_error(page, 4, "field")
    assert "Thiếu nội dung kiến nghị" in _cell_error(page, 5, "content")
    assert "dd/mm/yyyy" in _cell_error(page, 6, "received_dt")
    assert "Trùng kiến nghị với dòng 7" in _cell_error(page, 8, "content")
    assert "Đã trả lời" in _cell_error(page, 9, "content")
    assert "KN-2026-999999" in _cell_error(page, 10, "reference")
    assert _recommendations() == 1


# --------------------------------------------------------------------------- isolation


def test_an_officer_cannot_import_into_another_organizer(client, login_as, csrf, world):
    ward_a, ward_b = f.ward(name="Phường A", short_name="PA-W"), f.ward(name="Phường B", short_name="PB-W")
    conf_b = f.conference(ward_b, title="Hội nghị của phường B")
    rec_b = f.recommendation(conf_b, enterprise=world.enterprise)
    unit_b = f.unit(ward_b, name="Phòng Kinh tế B", short_name="KTB")
    f.conference(ward_a, title="Hội nghị của phường A")
    db.session.commit()
    login_as(Role.OFFICER, organizer=ward_a)
    tax = world.enterprise.tax_code
    rows = [["Số tham chiếu", "Mã số thuế", "Hội nghị", "Nội dung kiến nghị", "Đơn vị xử lý"],
            ["", tax, conf_b.title, "Theo tên", ""],
            ["", tax, str(conf_b.id), "Theo số hiệu", ""],
            ["", tax, "Hội nghị của phường A", "Đơn vị của phường B", "KTB"],
            [rec_b.reference, "", "", "Sửa kiến nghị của phường B", ""]]
    # The admin's organizer choice is not the officer's to make.
    response = _upload(client, csrf, "recommendations", _csv(rows), organizer=ward_b.id)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _count(page, "error") == 4 and _count(page, "create") == 0
    assert "của đơn vị tổ chức đang nhập" in _cell_error(page, 2, "conference")
    assert _cell_error(page, 3, "conference") and _cell_error(page, 4, "responsible_unit")
    assert _cell_error(page, 5, "reference")
    units = _csv([["Tên đơn vị", "Loại", "Đơn vị tổ chức"], ["Phòng Kinh tế B", "Lãnh đạo", "Phường B"]])
    page = _upload(client, csrf, "units", units).get_data(as_text=True)
    assert "Phường B" in _cell_error(page, 2, "organizer")
    db.session.expire_all()
    assert _recommendations() == 1 and db.session.get(Recommendation, rec_b.id).content == rec_b.content
    assert db.session.get(Unit, unit_b.id).kind == UnitKind.DEPARTMENT


def test_an_admin_chooses_the_organizer_and_viewers_may_not_import(client, login_as, csrf, world):
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    db.session.commit()
    login_as(Role.ADMIN)
    data = _csv([["Tên đơn vị", "Loại"], ["Phòng Kinh tế", "Đơn vị thuộc phường"]])
    page = _upload(client, csrf, "units", data, organizer=ward.id).get_data(as_text=True)
    assert _confirm_with_organizer(client, csrf, page).status_code == 302
    assert db.session.scalar(sa.select(Unit.organizer_id).where(Unit.name == "Phòng Kinh tế")) == ward.id
    login_as(Role.VIEWER)
    assert client.get("/admin/import/").status_code == 403


def _confirm_with_organizer(client, csrf, page: str):
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    organizer = re.search(r'name="organizer" value="([^"]*)"', page).group(1)
    return client.post("/admin/import/confirm", data={"csrf_token": csrf("/admin/import/"), "token": token,
                                                      "organizer": organizer})


def test_cli_imports_units_and_recommendations(runner, world, tmp_path):
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    db.session.commit()
    path = tmp_path / "dv.csv"
    path.write_bytes(_csv([["Tên đơn vị", "Loại", "Email nhận thư"], ["Phòng Kinh tế", "ward_unit", "kt@pl.vn"]]))
    result = runner.invoke(args=["heza", "import", "units", str(path), "--organizer", "phu-lien", "--dry-run"])
    assert result.exit_code == 0 and "thêm mới 1" in result.output, result.output
    assert _units() == 2
    result = runner.invoke(args=["heza", "import", "units", str(path), "--organizer", "phu-lien"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Unit.organizer_id).where(Unit.name == "Phòng Kinh tế")) == ward.id
    assert runner.invoke(args=["heza", "import", "units", str(path), "--organizer", "khong-co"]).exit_code == 1

    path = tmp_path / "kn.csv"
    path.write_bytes(_csv([["MST", "Hội nghị", "Nội dung"], [world.enterprise.tax_code, world.conference.title, "A"]]))
    result = runner.invoke(args=["heza", "import", "recommendations", str(path), "--organizer", "phu-lien"])
    assert result.exit_code == 1 and "Hội nghị đối thoại quý I" in result.output  # not Phù Liễn's conference
    result = runner.invoke(args=["heza", "import", "recommendations", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Recommendation.organizer_id)) == world.organizer.id
