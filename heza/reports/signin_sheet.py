"""The sign-in sheet of a conference (danh sách đại biểu), a DOCX printed for the door.

Enterprises first, grouped by enterprise (its registered attendees and walk-ins, each with a
column to sign), then the agencies and units the conference involves (agenda and tasks), each
with an empty line for whoever comes. Headed in the conference organizer's own name.
"""

from __future__ import annotations

import sqlalchemy as sa
from docx.document import Document
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from heza.conferences.models import Conference, Registration
from heza.directory.models import Unit
from heza.extensions import db
from heza.reports import docx_layout as L


def _agencies(conference: Conference) -> list[Unit]:
    """The agencies, leaders and outlets invited, and the units with a part in the programme or a task."""
    units: dict[int, Unit] = {}
    for invitation in conference.invitations:
        if invitation.unit is not None:
            units.setdefault(invitation.unit.id, invitation.unit)
    for item in conference.agenda_items:
        for unit in item.units:
            units.setdefault(unit.id, unit)
    for task in conference.tasks:
        if task.unit is not None:
            units.setdefault(task.unit.id, task.unit)
    return sorted(units.values(), key=lambda u: u.name.lower())


def build_signin_sheet(conference: Conference, *, language: str = "vi") -> Document:
    """The sheet as a python-docx Document."""
    with force_locale(language):
        org = conference.organizer
        registrations = db.session.scalars(
            sa.select(Registration).options(selectinload(Registration.attendees), selectinload(Registration.enterprise))
            .where(Registration.conference_id == conference.id, Registration.withdrawn_dt.is_(None))
        ).all()
        registrations = sorted(registrations, key=lambda r: r.enterprise.name.lower())
        doc = L.new_document()
        doc.core_properties.title = L.clean_text(_("Danh sách đại biểu %(title)s", title=conference.title))
        for line in L.header_lines(org):
            L.centered(doc, line, bold=True)
        L.title_block(doc, _("DANH SÁCH ĐẠI BIỂU THAM DỰ"), conference.title)
        when = L.fmt_day(conference.held_on)
        if conference.start_time:
            when = f"{conference.start_time:%H:%M}, {when}"
        L.centered(doc, _("Thời gian: %(when)s. Địa điểm: %(place)s.", when=when,
                          place=conference.place or L.PLACEHOLDER), italic=True)
        L.section_heading(doc, _("I. DOANH NGHIỆP"))
        headers = [_("STT"), _("Doanh nghiệp"), _("Họ và tên"), _("Chức vụ"), _("Mã điểm danh"), _("Ký tên")]
        rows: list[list[object]] = []
        n = 0
        for reg in registrations:
            for index, attendee in enumerate(reg.attendees):
                n += 1
                enterprise = f"{reg.enterprise.name} ({reg.enterprise.tax_code})" if index == 0 else ""
                name = attendee.name + (" " + _("(đến trực tiếp)") if attendee.walk_in else "")
                rows.append([n, enterprise, name, attendee.position, attendee.checkin_code, ""])
        for _blank in range(3):  # walk-ins written in by hand
            n += 1
            rows.append([n, "", "", "", "", ""])
        L.data_table(doc, headers, rows, [1.0, 5.0, 3.8, 2.8, 2.2, 2.2])
        L.section_heading(doc, _("II. CƠ QUAN, ĐƠN VỊ"))
        headers = [_("STT"), _("Cơ quan, đơn vị"), _("Họ và tên"), _("Chức vụ"), _("Ký tên")]
        rows = [[i, unit.name, "", "", ""] for i, unit in enumerate(_agencies(conference), start=1)]
        rows += [[len(rows) + k, "", "", "", ""] for k in range(1, 4)]
        L.data_table(doc, headers, rows, [1.0, 6.0, 4.0, 3.0, 3.0], spacer=False)
        return doc


def signin_sheet_bytes(conference: Conference, *, language: str = "vi") -> bytes:
    data = L.save(build_signin_sheet(conference, language=language))
    assert data is not None
    return data
