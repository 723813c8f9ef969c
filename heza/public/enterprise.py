"""An enterprise's personal page for one conference, reached only through its signed link.

Registration of attendees until the R2 cutoff, recommendations (late ones kept and marked), the
written answers, the attachment and the calendar file. The page is headed with the conference's
organizer (its name, parent body, address and contacts), never with a fixed authority.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from io import BytesIO
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from itsdangerous import BadData, BadSignature, SignatureExpired
from itsdangerous.encoding import base64_decode, base64_encode
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from heza import rules
from heza.base import local_today, now_utc
from heza.conferences.models import Attendee, Channel, Conference, ConferenceStatus, Registration
from heza.directory.models import Enterprise
from heza.extensions import db
from heza.public import bp, emails
from heza.public.common import Refusal, rate_limited
from heza.public.forms import MAX_ATTENDEES, RecommendationForm, RegistrationForm, WithdrawForm
from heza.recommendations.models import Field, Recommendation


def _ids_from_token(token: str) -> tuple[int, int]:
    """The (conference, enterprise) a link was made for; a friendly refusal if forged or expired."""
    from heza.conferences import links

    try:
        if not _canonical(token):
            raise BadSignature("not as issued")
        conference_id, enterprise_id = links.read_token(token)
        return int(conference_id), int(enterprise_id)
    except SignatureExpired as exc:
        raise _expired() from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise _invalid_link() from exc


def _canonical(token: str) -> bool:
    """Whether each part of the token is exactly as it was issued.

    A base64 text's last character carries spare bits that decoders ignore, so a link with that
    character changed would still verify; any change of the link must be refused.
    """
    try:
        return all(base64_encode(base64_decode(part)).decode("ascii") == part for part in token.split("."))
    except (BadData, UnicodeError, ValueError):
        return False


def _invalid_link() -> Refusal:
    return Refusal(404, _("Đường dẫn không hợp lệ"),
                   _("Đường dẫn này không đúng hoặc đã bị thay đổi. Vui lòng mở lại đường dẫn trong thư mời "
                     "của đơn vị tổ chức, hoặc liên hệ đơn vị tổ chức để được gửi lại."))


def _expired(conference: Conference | None = None) -> Refusal:
    return Refusal(403, _("Đường dẫn đã hết hạn"),
                   _("Đường dẫn cá nhân chỉ dùng được đến hết thời hạn trả lời kiến nghị của hội nghị. "
                     "Nếu cần tra cứu kiến nghị, vui lòng liên hệ đơn vị tổ chức."),
                   contact=conference.organizer if conference is not None else None)


@dataclass
class Visit:
    """An enterprise on its personal page for one conference, at one instant."""

    token: str
    conference: Conference
    enterprise: Enterprise
    now: datetime = field(default_factory=now_utc)

    @cached_property
    def settings(self) -> rules.Settings:
        return self.conference.settings()

    @cached_property
    def cutoff(self) -> rules.Deadline:
        return rules.registration_cutoff(self.conference.held_on, self.settings)

    @cached_property
    def expires_on(self) -> date:
        # Valid until the longest answer period (with coordination) has run out.
        return rules.answer_due(self.conference.held_on, True, self.settings).due

    @property
    def before_cutoff(self) -> bool:
        return rules.received_in_time(self.now, self.conference.held_on, self.settings)

    @property
    def cancelled(self) -> bool:
        return self.conference.status == ConferenceStatus.CANCELLED

    @property
    def registration_open(self) -> bool:
        return self.before_cutoff and not self.cancelled

    @cached_property
    def registration(self) -> Registration | None:
        return db.session.scalar(select(Registration).where(
            Registration.conference_id == self.conference.id, Registration.enterprise_id == self.enterprise.id))

    @property
    def active_registration(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.withdrawn_dt is None else None

    def in_time(self, received_dt: datetime) -> bool:
        return rules.received_in_time(received_dt, self.conference.held_on, self.settings)

    def recommendations(self) -> list[Recommendation]:
        return list(db.session.scalars(
            select(Recommendation)
            .where(Recommendation.conference_id == self.conference.id,
                   Recommendation.enterprise_id == self.enterprise.id)
            .order_by(Recommendation.received_dt, Recommendation.id)
        ))


def _visit(token: str, ids: tuple[int, int] | None = None) -> Visit:
    conference_id, enterprise_id = ids or _ids_from_token(token)
    conference = db.session.get(Conference, conference_id)
    enterprise = db.session.get(Enterprise, enterprise_id)
    if conference is None or enterprise is None:
        raise _invalid_link()
    visit = Visit(token, conference, enterprise)
    if local_today() > visit.expires_on:
        raise _expired(conference)
    return visit


def _visit_for_post(token: str) -> Visit:
    """Check the signature, count the POST against the link's limit, then load."""
    ids = _ids_from_token(token)
    rate_limited("enterprise", f"{ids[0]}:{ids[1]}")
    return _visit(token, ids)


def _registration_form(visit: Visit) -> RegistrationForm:
    reg = visit.active_registration
    rows = [{"name": a.name, "position": a.position, "phone": a.phone, "email": a.email}
            for a in (reg.attendees if reg else [])]
    form = RegistrationForm(formdata=None, data={"attendees": rows})
    while len(form.attendees) < min(MAX_ATTENDEES, max(len(rows) + 1, 3)):
        form.attendees.append_entry()
    return form


def _page(visit: Visit, *, reg_form: RegistrationForm | None = None, rec_form: RecommendationForm | None = None,
          status: int = 200) -> tuple[str, int]:
    recs = visit.recommendations()
    return render_template(
        "public/enterprise.html",
        visit=visit,
        conference=visit.conference,
        enterprise=visit.enterprise,
        organizer=visit.conference.organizer,
        registration=visit.active_registration,
        reg_form=reg_form or _registration_form(visit),
        withdraw_form=WithdrawForm(formdata=None),
        rec_form=rec_form or RecommendationForm(formdata=None),
        recommendations=recs,
        late_ids={r.id for r in recs if not visit.in_time(r.received_dt)},
        max_attendees=MAX_ATTENDEES,
    ), status


def _back(token: str, anchor: str) -> Response:
    return redirect(url_for("public.enterprise_page", token=token, _anchor=anchor), code=303)


@bp.get("/doanh-nghiep/<token>")
def enterprise_page(token: str) -> Any:
    """The enterprise's page for one conference: details, registration, recommendations and answers."""
    return _page(_visit(token))


@bp.post("/doanh-nghiep/<token>/dang-ky")
def enterprise_register(token: str) -> Any:
    """Register attendees, or replace the list, until the R2 cutoff."""
    visit = _visit_for_post(token)
    if not visit.registration_open:
        flash(_("Đã hết hạn đăng ký tham dự (hết ngày %(day)s). Đăng ký chưa được ghi nhận; vui lòng liên hệ "
                "đơn vị tổ chức nếu cần.", day=f"{visit.cutoff.due:%d/%m/%Y}"), "error")
        return _back(token, "dang-ky")
    form = RegistrationForm()
    if not form.validate():
        return _page(visit, reg_form=form, status=422)
    reg = visit.registration
    if reg is None:
        reg = Registration(conference=visit.conference, enterprise=visit.enterprise, channel=Channel.LINK,
                           received_dt=visit.now)
        db.session.add(reg)
        action = "created"
    elif reg.withdrawn_dt is not None:
        # Registering again after withdrawing counts from now, not from the first registration.
        reg.withdrawn_dt = None
        reg.received_dt = visit.now
        reg.channel = Channel.LINK
        action = "created"
    else:
        action = "updated"
    # Saving replaces the list, but a person already on it keeps their row and so their check-in code
    # (the one printed on the earlier receipt); the people left off are removed.
    kept = {a.name.strip().casefold(): a for a in reg.attendees}
    attendees = []
    for row in form.attendees.entries:
        if row.form.is_blank():
            continue
        name = row.form.name.data.strip()
        attendee = kept.pop(name.casefold(), None) or Attendee(name=name)
        attendee.name = name
        attendee.position = (row.form.position.data or "").strip()
        attendee.phone = (row.form.phone.data or "").strip()
        attendee.email = (row.form.email.data or "").strip()
        attendees.append(attendee)
    reg.attendees = attendees
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same link submitted twice at once: the other request won
        flash(_("Đăng ký vừa được gửi từ một cửa sổ khác. Vui lòng kiểm tra lại danh sách bên dưới."), "error")
        return _back(token, "dang-ky")
    emails.registration_receipt(reg, action, visit.now, page_url=_page_url(token))
    db.session.commit()
    if action == "created":
        flash(_("Đã ghi nhận đăng ký tham dự của doanh nghiệp. Thư xác nhận đã được gửi tới %(email)s.",
                email=emails.receipt_address(visit.enterprise, reg) or "—"), "success")
    else:
        flash(_("Đã cập nhật danh sách người tham dự."), "success")
    return _back(token, "dang-ky")


@bp.post("/doanh-nghiep/<token>/rut-dang-ky")
def enterprise_withdraw(token: str) -> Any:
    """Withdraw the registration, until the R2 cutoff."""
    visit = _visit_for_post(token)
    if not visit.registration_open:
        flash(_("Đã hết hạn đăng ký nên không thể thay đổi hoặc rút đăng ký qua đường dẫn này; vui lòng liên hệ "
                "đơn vị tổ chức."), "error")
        return _back(token, "dang-ky")
    if not WithdrawForm().validate():
        return _back(token, "dang-ky")
    reg = visit.active_registration
    if reg is None:
        flash(_("Doanh nghiệp chưa đăng ký tham dự."), "info")
        return _back(token, "dang-ky")
    reg.withdrawn_dt = visit.now
    db.session.flush()
    emails.registration_receipt(reg, "withdrawn", visit.now, page_url=_page_url(token))
    db.session.commit()
    flash(_("Đã rút đăng ký tham dự. Quý doanh nghiệp có thể đăng ký lại trước hạn."), "success")
    return _back(token, "dang-ky")


def _clean_filename(name: str) -> str:
    """Keep the name people gave their file (Vietnamese included), minus any path and control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "kien-nghi"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-200:]


@bp.post("/doanh-nghiep/<token>/kien-nghi")
def enterprise_recommend(token: str) -> Any:
    """Submit a recommendation; after the cutoff it is still taken, marked late."""
    visit = _visit_for_post(token)
    form = RecommendationForm()
    if not form.validate():
        return _page(visit, rec_form=form, status=422)
    rec = Recommendation(
        organizer_id=visit.conference.organizer_id, enterprise=visit.enterprise, conference=visit.conference,
        field=Field(form.field.data), content=form.content.data.strip(), channel=Channel.LINK,
        received_dt=visit.now,
    )
    upload = form.attachment.data
    if upload:
        rec.attachment_name = _clean_filename(upload.filename)
        rec.attachment_data = upload.read()
    db.session.add(rec)
    db.session.flush()  # the reference (KN-2026-000123) is set right after the INSERT
    in_time = visit.in_time(rec.received_dt)
    emails.recommendation_receipt(rec, in_time, page_url=_page_url(token))
    db.session.commit()
    if in_time:
        flash(_("Đã tiếp nhận kiến nghị số %(ref)s.", ref=rec.reference), "success")
    else:
        flash(_("Đã tiếp nhận kiến nghị số %(ref)s. Kiến nghị được gửi sau hạn nên được ghi nhận là nộp muộn "
                "và không được tính vào điều kiện tổ chức hội nghị.", ref=rec.reference), "warning")
    return _back(token, "kien-nghi")


@bp.get("/doanh-nghiep/<token>/kien-nghi/<reference>/tep-dinh-kem")
def enterprise_attachment(token: str, reference: str) -> Any:
    """The enterprise's own attachment, looked up within its own recommendations only."""
    visit = _visit(token)
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.reference == reference,
                                     Recommendation.conference_id == visit.conference.id,
                                     Recommendation.enterprise_id == visit.enterprise.id)
        .options(undefer(Recommendation.attachment_data))
    )
    if rec is None or not rec.attachment_data:
        raise Refusal(404, _("Không tìm thấy tệp"), _("Kiến nghị này không có tệp đính kèm."),
                      back_url=url_for("public.enterprise_page", token=token))
    return send_file(BytesIO(rec.attachment_data), mimetype="application/pdf", as_attachment=True,
                     download_name=rec.attachment_name or f"{rec.reference}.pdf")


@bp.get("/doanh-nghiep/<token>/hoi-nghi.ics")
def enterprise_ics(token: str) -> Any:
    """The conference as a calendar file to import (cancelled once the conference is cancelled).

    ``METHOD:PUBLISH``: a file from a web page is no scheduling message, and it names no attendee
    (the invitation email is the request to answer).
    """
    from heza.conferences import ics

    visit = _visit(token)
    response = current_app.response_class(ics.conference_ics(visit.conference, cancel=visit.cancelled,
                                                             method=ics.PUBLISH))
    response.headers["Content-Type"] = f"{ics.CONTENT_TYPE}; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={ics.FILENAME}"
    return response


def _page_url(token: str) -> str:
    return url_for("public.enterprise_page", token=token, _external=True)

