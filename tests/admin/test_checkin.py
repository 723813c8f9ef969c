"""Check-in at the door: codes typed or scanned, names ticked, walk-ins, the sign-in sheet; scoped by organizer."""

from __future__ import annotations

import io

import docx
import sqlalchemy as sa

from heza.accounts.models import Role
from heza.conferences import checkin
from heza.conferences.models import CHECKIN_ALPHABET, Attendee, Channel, Registration
from heza.extensions import db
from tests import factories as f


def _post(client, csrf, world, path, **data):
    token = csrf(f"/admin/conference/checkin/?id={world.conference.id}")
    return client.post(f"/admin/conference/checkin/{path}/", data={"csrf_token": token, "id": world.conference.id,
                                                                  **data}, follow_redirects=True)


def test_every_attendee_has_a_short_unambiguous_code(world):
    attendee = world.registration.attendees[0]
    assert len(attendee.checkin_code) == 6 and set(attendee.checkin_code) <= set(CHECKIN_ALPHABET)
    codes = {Attendee(name=f"N{i}").checkin_code for i in range(2000)}
    assert len(codes) > 1990  # random, 25**6 of them


def test_an_officer_checks_in_by_code_once(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    attendee = world.registration.attendees[0]
    code = attendee.checkin_code
    page = client.get(f"/admin/conference/checkin/?id={world.conference.id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and code in page
    typed = f" {code[:3].lower()}-{code[3:].lower()} "  # as people type it
    page = _post(client, csrf, world, "code", code=typed).get_data(as_text=True)
    assert "Đã điểm danh: Nguyễn Văn An" in page
    db.session.expire_all()
    first = db.session.get(Attendee, attendee.id).checked_in_dt
    assert first is not None
    page = _post(client, csrf, world, "code", code=code).get_data(as_text=True)
    assert "đã được điểm danh trước đó" in page
    assert db.session.get(Attendee, attendee.id).checked_in_dt == first
    page = _post(client, csrf, world, "code", code="XXXXXX").get_data(as_text=True)
    assert "Không có người tham dự nào" in page
    figures = checkin.attendance(world.conference.id)
    assert (figures.attended_enterprises, figures.attended_attendees, figures.registered_attendees) == (1, 1, 1)


def test_ticks_undo_and_walk_ins(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    attendee = world.registration.attendees[0]
    _post(client, csrf, world, "tick", attendee=attendee.id)
    db.session.expire_all()
    assert db.session.get(Attendee, attendee.id).checked_in_dt is not None
    _post(client, csrf, world, "tick", attendee=attendee.id, undo="1")
    db.session.expire_all()
    assert db.session.get(Attendee, attendee.id).checked_in_dt is None

    other = f.enterprise(world.zone, name="Công ty CP Logistics Hải An")
    db.session.commit()
    page = _post(client, csrf, world, "walkin", tax_code=other.tax_code, name="Phạm Thị Dung",
                 position="Kế toán").get_data(as_text=True)
    assert "Đã thêm và điểm danh người đến trực tiếp: Phạm Thị Dung" in page
    reg = db.session.scalars(sa.select(Registration).where(Registration.enterprise_id == other.id)).one()
    assert reg.channel == Channel.AT_CONFERENCE and reg.attendees[0].walk_in and reg.attendees[0].checked_in_dt
    page = _post(client, csrf, world, "walkin", tax_code="123", name="X").get_data(as_text=True)
    assert "Mã số thuế phải gồm 10 chữ số" in page
    figures = checkin.attendance(world.conference.id)
    assert (figures.registered_enterprises, figures.attended_enterprises, figures.walk_ins) == (1, 1, 1)


def test_another_organizers_conference_is_not_found_and_viewers_only_look(client, login_as, csrf, world):
    other = f.conference(f.organizer(), title="Hội nghị của đơn vị khác")
    db.session.commit()
    login_as(Role.OFFICER)
    assert client.get(f"/admin/conference/checkin/?id={other.id}").status_code == 404
    assert client.get(f"/admin/conference/signin-sheet/?id={other.id}").status_code == 404
    token = csrf(f"/admin/conference/checkin/?id={world.conference.id}")
    response = client.post("/admin/conference/checkin/code/", data={"csrf_token": token, "id": other.id,
                                                                     "code": "ABCDEF"})
    assert response.status_code == 404
    login_as(Role.VIEWER)
    assert client.get(f"/admin/conference/checkin/?id={world.conference.id}").status_code == 200
    token = csrf(f"/admin/conference/checkin/?id={world.conference.id}")
    response = client.post("/admin/conference/checkin/code/", data={
        "csrf_token": token, "id": world.conference.id, "code": world.registration.attendees[0].checkin_code})
    assert response.status_code == 403


def test_sign_in_sheet_groups_enterprises_and_agencies(client, login_as, world):
    from heza.conferences.models import Invitation

    press = f.unit(world.organizer, name="Báo Hải Phòng", short_name="BHP")  # invited, no task
    db.session.add(Invitation(conference=world.conference, unit=press))
    db.session.commit()
    login_as(Role.VIEWER)
    response = client.get(f"/admin/conference/signin-sheet/?id={world.conference.id}")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.get_data()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DANH SÁCH ĐẠI BIỂU THAM DỰ" in text and "I. DOANH NGHIỆP" in text and "II. CƠ QUAN, ĐƠN VỊ" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Nguyễn Văn An" in cells and world.registration.attendees[0].checkin_code in cells
    assert any("Công ty TNHH Thép Đình Vũ" in c for c in cells)
    assert "Phòng Doanh nghiệp A" in cells and "Phòng Quy hoạch B" in cells and "Báo Hải Phòng" in cells
