"""The plans screen: an organizer's officers record its plans with the rules they set and an optional PDF."""

from __future__ import annotations

import io

import sqlalchemy as sa

from heza.accounts.models import Role
from heza.plans.models import Plan
from tests import factories as f
from tests.admin.conftest import csrf_from, login, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _officer(client, organizer):
    user = make_user(Role.OFFICER, organizer=organizer)
    assert login(client, user.email).status_code == 302


def _new_plan(client, **fields):
    token = csrf_from(client.get("/admin/plan/new/").get_data(as_text=True))
    data = {"csrf_token": token, "number": "121/KH-UBND", "issued_on": "12/02/2025", "year": "2025",
            "title": "Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025", "rules": "r1, R2;R3",
            "active": "y", **fields}
    return client.post("/admin/plan/new/", data=data)


def test_an_officer_records_a_plan_with_its_pdf_and_reads_it_back(client, db):
    heza = f.first_organizer()
    db.session.commit()
    _officer(client, heza)

    response = _new_plan(client, pdf_file=(io.BytesIO(PDF), "../../ke hoach 121.pdf"))

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    plan = db.session.scalar(sa.select(Plan))
    assert plan.organizer_id == heza.id and plan.rules == "R1,R2,R3"
    assert plan.pdf_name == "ke hoach 121.pdf"  # no path from the browser's file name
    download = client.get(f"/admin/plan/pdf/?id={plan.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf" and "attachment" in download.headers["Content-Disposition"]
    # The organizer's deadlines now cite it.
    db.session.expire_all()
    assert "121/KH-UBND" in heza.settings().cite("R2")


def test_a_file_that_is_no_pdf_or_unknown_rules_are_refused_and_nothing_is_saved(client, db):
    _officer(client, f.first_organizer())
    db.session.commit()

    not_pdf = _new_plan(client, pdf_file=(io.BytesIO(b"<html><script>alert(1)</script>"), "x.pdf"))
    bad_rules = _new_plan(client, rules="R1, R13, X")

    assert not_pdf.status_code == 200 and "Tệp tải lên không phải PDF." in not_pdf.get_data(as_text=True)
    assert bad_rules.status_code == 200 and "R13, X" in bad_rules.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0


def test_another_organizers_plan_and_pdf_are_not_found(client, db):
    heza, ward = f.first_organizer(), f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    theirs = Plan(organizer=ward, title="Kế hoạch của phường", year=2026, rules="R4,R8,R9", pdf=PDF,
                  pdf_name="phuong.pdf")
    db.session.add(theirs)
    db.session.commit()
    _officer(client, heza)

    assert client.get(f"/admin/plan/pdf/?id={theirs.id}").status_code == 404
    assert client.get(f"/admin/plan/details/?id={theirs.id}").status_code == 404
    assert "phuong.pdf" not in client.get("/admin/plan/").get_data(as_text=True)
