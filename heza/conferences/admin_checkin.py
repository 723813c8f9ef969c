"""The door of a conference: ``/admin/conference/checkin/?id=N``.

An officer (phone or laptop) types or scans an attendee's code, or ticks a name; walk-ins are
added with their enterprise's tax code. The conference is found through the screen's scoped
``get_one``: another organizer's conference is a 404. Viewers see the list, only writers change it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from heza.base import now_utc
from heza.conferences import checkin
from heza.conferences.models import Attendee, Channel, Conference, Registration
from heza.directory.models import Enterprise
from heza.extensions import db
from heza.validation import InvalidValue, clean_tax_code


class CheckInMixin:
    """Check-in endpoints of the conference screen (mixed into ``ConferenceView``)."""

    def _door_conference(self, source: Any) -> Conference:
        conference = self.get_one(source.get("id", ""))  # type: ignore[attr-defined]
        if conference is None:
            abort(404)
        return conference

    def _door_back(self, conference: Conference) -> Any:
        return redirect(url_for(".checkin_view", id=conference.id))

    def _door_write(self, conference_source: Any) -> Conference:
        if not self.can_write():  # type: ignore[attr-defined]
            abort(403)
        return self._door_conference(conference_source)

    @expose("/checkin/", methods=("GET",))
    def checkin_view(self) -> Any:
        conference = self._door_conference(request.args)
        registrations = db.session.scalars(
            sa.select(Registration).options(selectinload(Registration.attendees), selectinload(Registration.enterprise))
            .where(Registration.conference_id == conference.id, Registration.withdrawn_dt.is_(None))
        ).all()
        registrations = sorted(registrations, key=lambda r: r.enterprise.name.lower())
        return self.render("admin/conference_checkin.html", conference=conference,  # type: ignore[attr-defined]
                           registrations=registrations, figures=checkin.attendance(conference.id),
                           can_act=self.can_write())  # type: ignore[attr-defined]

    @expose("/signin-sheet/", methods=("GET",))
    def signin_sheet_view(self) -> Any:
        from io import BytesIO

        from flask import send_file

        from heza.reports.docx_layout import DOCX_MIMETYPE
        from heza.reports.signin_sheet import signin_sheet_bytes

        conference = self._door_conference(request.args)
        response = send_file(BytesIO(signin_sheet_bytes(conference)), mimetype=DOCX_MIMETYPE, as_attachment=True,
                             download_name=f"danh-sach-dai-bieu-{conference.id}.docx", max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/checkin/code/", methods=("POST",))
    def checkin_code_view(self) -> Any:
        conference = self._door_write(request.form)
        typed = request.form.get("code", "")
        attendee = checkin.find_attendee(conference.id, typed)
        if attendee is None:
            flash(_("Không có người tham dự nào của hội nghị này với mã %(code)s.", code=typed.strip()[:40]), "error")
        elif checkin.check_in(attendee, now_utc()):
            db.session.commit()
            flash(_("Đã điểm danh: %(name)s (%(enterprise)s).", name=attendee.name,
                    enterprise=attendee.registration.enterprise.name), "success")
        else:
            flash(_("%(name)s đã được điểm danh trước đó.", name=attendee.name), "info")
        return self._door_back(conference)

    @expose("/checkin/tick/", methods=("POST",))
    def checkin_tick_view(self) -> Any:
        conference = self._door_write(request.form)
        attendee_id = request.form.get("attendee", "")
        attendee = db.session.scalars(
            sa.select(Attendee).join(Registration)
            .where(Registration.conference_id == conference.id,
                   Attendee.id == (int(attendee_id) if attendee_id.isdigit() and len(attendee_id) < 10 else -1))
        ).first()
        if attendee is None:
            abort(404)
        if request.form.get("undo"):
            attendee.checked_in_dt = None
            flash(_("Đã bỏ điểm danh: %(name)s.", name=attendee.name), "info")
        elif checkin.check_in(attendee, now_utc()):
            flash(_("Đã điểm danh: %(name)s (%(enterprise)s).", name=attendee.name,
                    enterprise=attendee.registration.enterprise.name), "success")
        db.session.commit()
        return self._door_back(conference)

    @expose("/checkin/walkin/", methods=("POST",))
    def checkin_walkin_view(self) -> Any:
        conference = self._door_write(request.form)
        name = (request.form.get("name") or "").strip()[:200]
        position = (request.form.get("position") or "").strip()[:200]
        try:
            tax_code = clean_tax_code(request.form.get("tax_code", ""))
        except InvalidValue as exc:
            flash(str(exc), "error")
            return self._door_back(conference)
        if not name:
            flash(_("Nhập họ và tên người tham dự."), "error")
            return self._door_back(conference)
        enterprise = db.session.scalars(sa.select(Enterprise).where(Enterprise.tax_code == tax_code)).first()
        if enterprise is None:
            flash(_("Chưa có doanh nghiệp mã số thuế %(code)s trong danh mục: thêm doanh nghiệp trước.",
                    code=tax_code), "error")
            return self._door_back(conference)
        now = now_utc()
        registration = db.session.scalars(sa.select(Registration).where(
            Registration.conference_id == conference.id, Registration.enterprise_id == enterprise.id)).first()
        if registration is None:
            registration = Registration(conference=conference, enterprise=enterprise, channel=Channel.AT_CONFERENCE,
                                        received_dt=now, note=_("Đến trực tiếp tại hội nghị."))
            db.session.add(registration)
        elif registration.withdrawn_dt is not None:
            registration.withdrawn_dt = None
        registration.attendees.append(Attendee(name=name, position=position, walk_in=True, checked_in_dt=now))
        db.session.commit()
        flash(_("Đã thêm và điểm danh người đến trực tiếp: %(name)s (%(enterprise)s).", name=name,
                enterprise=enterprise.name), "success")
        return self._door_back(conference)
