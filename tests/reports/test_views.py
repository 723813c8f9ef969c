"""Downloads under /admin/reports: login, roles, unit scope, the drafted mark, the files themselves."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from docx import Document as open_docx
from openpyxl import load_workbook

from heza.accounts.models import Role
from heza.conferences.models import ConferenceStatus, Report, ReportKind
from heza.extensions import db as _db
from heza.reports.docx_layout import DOCX_MIMETYPE, XLSX_MIMETYPE
from tests.reports.conftest import find_table, make_user, rows_after_header, table_rows


def _report(kind: ReportKind) -> Report | None:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Report).where(Report.kind == kind))


def _paths(held=None, newsletter=None) -> list[str]:
    paths = ["/admin/reports/hotline.docx?month=2026-05", "/admin/reports/hotline.xlsx?quarter=2026-2"]
    if held is not None:
        cid = held.conference.id
        paths += [f"/admin/reports/conferences/{cid}/result.docx", f"/admin/reports/conferences/{cid}/conclusion.txt"]
    if newsletter is not None:
        paths.append(f"/admin/reports/newsletter/{newsletter.issue.id}.xlsx")
    return paths


def test_anonymous_users_are_refused(web, held, newsletter):
    for path in [*_paths(held, newsletter), f"/admin/reports/conferences/{held.conference.id}/postpone.docx"]:
        response = web.get(path)
        assert response.status_code == 401, path
    assert _report(ReportKind.RESULT) is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER])
def test_staff_download_the_result_report_and_it_is_marked_drafted(web, held, role):
    web.login(make_user(role))
    response = web.get(f"/admin/reports/conferences/{held.conference.id}/result.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX_MIMETYPE
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"bao-cao-ket-qua-hoi-nghi-{held.conference.id}.docx" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    doc = open_docx(BytesIO(response.data))
    assert table_rows(find_table(doc, "STT", "Lĩnh vực"))[-1][2] == "5"
    report = _report(ReportKind.RESULT)
    assert report.drafted_dt is not None and report.submitted_dt is None


def test_a_viewer_downloads_without_marking_anything(web, held):
    web.login(make_user(Role.VIEWER))
    response = web.get(f"/admin/reports/conferences/{held.conference.id}/result.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert _report(ReportKind.RESULT) is None


def test_result_report_of_a_conference_not_held_is_a_conflict(web, held):
    held.conference.status = ConferenceStatus.PLANNED
    _db.session.commit()
    web.login(make_user(Role.OFFICER))
    response = web.get(f"/admin/reports/conferences/{held.conference.id}/result.docx")
    assert response.status_code == 409
    assert "chưa được đánh dấu" in response.get_data(as_text=True)
    assert web.get("/admin/reports/conferences/999999/result.docx").status_code == 404


def test_postpone_report_download(web, held):
    web.login(make_user(Role.OFFICER))
    url = f"/admin/reports/conferences/{held.conference.id}/postpone.docx"
    held.conference.status = ConferenceStatus.ANNOUNCED
    _db.session.commit()
    response = web.get(url)
    assert response.status_code == 200 and response.mimetype == DOCX_MIMETYPE
    assert _report(ReportKind.POSTPONE_CANCEL).drafted_dt is not None


def test_conclusion_text_download(web, held):
    web.login(make_user(Role.VIEWER))
    response = web.get(f"/admin/reports/conferences/{held.conference.id}/conclusion.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).startswith("Thông báo kết luận Hội nghị đối thoại doanh nghiệp năm 2026")


def test_unit_users_get_403_for_conference_documents(web, held):
    web.login(make_user(Role.UNIT, held.units["land"]))
    for kind in ("result.docx", "postpone.docx", "conclusion.txt"):
        assert web.get(f"/admin/reports/conferences/{held.conference.id}/{kind}").status_code == 403
    assert _report(ReportKind.RESULT) is None


def test_unit_users_see_only_their_units_hotline_items(web, hotline_may):
    web.login(make_user(Role.UNIT, hotline_may.unit_b))
    response = web.get("/admin/reports/hotline.xlsx?month=2026-05")
    assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
    wb = load_workbook(BytesIO(response.data))
    _, items = rows_after_header(wb["Danh sách"], "STT")
    assert {r[1] for r in items} == {hotline_may.items[k].reference for k in ("cmp1", "late_night")}
    staff = make_user(Role.VIEWER)
    web.login(staff)
    wb = load_workbook(BytesIO(web.get("/admin/reports/hotline.xlsx?month=2026-05").data))
    _, items = rows_after_header(wb["Danh sách"], "STT")
    assert len(items) == 5


def test_unit_users_see_only_their_units_newsletter_rows(web, newsletter):
    web.login(make_user(Role.UNIT, newsletter.units["ld"]))
    response = web.get(f"/admin/reports/newsletter/{newsletter.issue.id}.xlsx")
    assert response.status_code == 200
    _, rows = rows_after_header(load_workbook(BytesIO(response.data))["Tình trạng tin bài"], "STT")
    assert {r[3] for r in rows[:-1]} == {"Phòng Quản lý Lao động"}
    assert web.get("/admin/reports/newsletter/999999.xlsx").status_code == 404


def test_hotline_period_is_validated(web, hotline_may):
    web.login(make_user(Role.ADMIN))
    assert web.get("/admin/reports/hotline.docx").status_code == 400
    assert web.get("/admin/reports/hotline.docx?month=2026-05&quarter=2026-2").status_code == 400
    assert web.get("/admin/reports/hotline.docx?month=2026-13").status_code == 400
    assert web.get("/admin/reports/hotline.pdf?month=2026-05").status_code == 404
    assert web.get("/admin/reports/hotline.docx?month=2026-05&organizer=999999").status_code == 404
    ok = web.get(f"/admin/reports/hotline.docx?quarter=2026-Q2&organizer={hotline_may.organizer.id}")
    assert ok.status_code == 200
    assert "bao-cao-duong-day-nong-2026-Q2.docx" in ok.headers["Content-Disposition"]


# Organizers as tenants: another organizer's documents are not found ------------------------------------


def _member(role: Role, organizer, unit=None):
    """A user of ``organizer`` (make_user assigns the default organizer; these tests need a given one)."""
    from heza.accounts.models import User

    user = User(email=f"{role.value}.{organizer.slug}.{organizer.id}.{unit.id if unit else 0}@demo.heza.vn",
                name=f"Người dùng {role.value}", role=role, unit=unit, organizer=organizer)
    _db.session.add(user)
    _db.session.commit()
    return user


def _conference_paths(conference) -> list[str]:
    return [f"/admin/reports/conferences/{conference.id}/{kind}"
            for kind in ("result.docx", "postpone.docx", "conclusion.txt")]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.UNIT])
def test_another_organizers_documents_are_not_found(web, held, ward_held, newsletter, role):
    ward = ward_held.conference.organizer
    heza = held.conference.organizer
    web.login(_member(role, ward, ward_held.units["lead"] if role == Role.UNIT else None))
    for path in [*_conference_paths(held.conference), f"/admin/reports/newsletter/{newsletter.issue.id}.xlsx",
                 f"/admin/reports/hotline.docx?month=2026-05&organizer={heza.id}",
                 f"/admin/reports/hotline.xlsx?month=2026-05&organizer={heza.id}"]:
        assert web.get(path).status_code == 404, path
    assert _report(ReportKind.RESULT) is None
    own = web.get(f"/admin/reports/conferences/{ward_held.conference.id}/result.docx")
    assert own.status_code == (403 if role == Role.UNIT else 200)


def test_an_officer_of_heza_does_not_find_the_wards_report(web, held, ward_held):
    web.login(_member(Role.OFFICER, held.conference.organizer))
    for path in _conference_paths(ward_held.conference):
        assert web.get(path).status_code == 404, path
    assert web.get(f"/admin/reports/conferences/{held.conference.id}/result.docx").status_code == 200


def test_an_officers_hotline_summary_is_its_own_organizers(web, held, ward_held):
    web.login(_member(Role.OFFICER, ward_held.conference.organizer))
    response = web.get("/admin/reports/hotline.docx?month=2026-05")
    assert response.status_code == 200
    heading = open_docx(BytesIO(response.data)).tables[0].rows[0].cells[0].text
    assert heading.startswith("ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_city_wide_users_see_every_organizers_documents(web, held, ward_held, role):
    web.login(make_user(role))
    for conference in (held.conference, ward_held.conference):
        response = web.get(f"/admin/reports/conferences/{conference.id}/result.docx")
        assert response.status_code == 200 and response.mimetype == DOCX_MIMETYPE
        assert web.get(f"/admin/reports/conferences/{conference.id}/conclusion.txt").status_code == 200
    ward = ward_held.conference.organizer
    assert web.get(f"/admin/reports/hotline.xlsx?month=2026-05&organizer={ward.id}").status_code == 200
    # Two organizers and none named: a city-wide user must say whose hotline.
    assert web.get("/admin/reports/hotline.docx?month=2026-05").status_code == 400
    marked = _report(ReportKind.RESULT) is not None
    assert marked == (role == Role.ADMIN)  # a supervisor reads, never writes
