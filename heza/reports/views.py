"""Downloads of the generated documents under ``/admin/reports/…`` (blueprint ``reports``).

Whose: every record is looked up through :func:`heza.tenancy.scope`, so a conference, newsletter
issue or organizer of another organizer is not found (404); admins and supervisors see every
organizer's. What: admin, officer, viewer and supervisor users get every document of what they
see; a unit user gets the hotline summary and newsletter status limited to its own unit's items,
and 403 for conference documents. Only admin and officer downloads mark a result or postpone
report as drafted (viewers and supervisors read, never write).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request, send_file
from flask_babel import gettext as _
from flask_login import login_required

from heza import tenancy
from heza.accounts.models import Role
from heza.conferences.models import Conference, ReportKind
from heza.directory.models import Organizer
from heza.extensions import db
from heza.newsletter.models import NewsletterIssue
from heza.reports.formats import DOCX_MIMETYPE, XLSX_MIMETYPE

reports_bp = Blueprint("reports", __name__, url_prefix="/admin/reports")

STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.SUPERVISOR})
WRITE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


def _role() -> Role | None:
    return tenancy.current_viewer().role


def visible_or_404(model: Any, row_id: int) -> Any:
    """The row of ``model`` with ``row_id`` if the current user may see it, else 404 (never 403)."""
    query = tenancy.scope(sa.select(model).where(model.id == row_id), model, tenancy.current_viewer())
    row = db.session.scalar(query)
    if row is None:
        abort(404)
    return row


def require_staff() -> Role:
    """The current user's role if it may read conference documents (of what it sees), else 403."""
    role = _role()
    if role not in STAFF_ROLES:
        abort(403)
    return role


def unit_scope() -> int | None:
    """None for staff (everything), the user's unit for a unit user, else 403."""
    viewer = tenancy.current_viewer()
    if viewer.role in STAFF_ROLES:
        return None
    if viewer.role == Role.UNIT and viewer.unit_id is not None:
        return int(viewer.unit_id)
    abort(403)


def _send(data: bytes, mimetype: str, filename: str) -> Response:
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _conference_docx(conference_id: int, build: Any, refusal: type[Exception], kind: ReportKind,
                     filename: str) -> Response:
    """Build a conference's report draft (409 when the conference cannot have it), marking it drafted
    when the downloader may write."""
    from heza.reports.records import mark_drafted

    conference = visible_or_404(Conference, conference_id)
    role = require_staff()
    try:
        data = build(conference)
    except refusal as exc:
        abort(409, description=str(exc))
    if role in WRITE_ROLES:
        mark_drafted(conference, kind)
        db.session.commit()
    return _send(data, DOCX_MIMETYPE, filename.format(id=conference.id))


@reports_bp.get("/conferences/<int:conference_id>/result.docx")
@login_required
def result_docx(conference_id: int) -> Response:
    """The result report draft of a held conference; marks it drafted for admin and officer users."""
    from heza.reports.result_report import NotHeld, result_report_bytes

    return _conference_docx(conference_id, result_report_bytes, NotHeld, ReportKind.RESULT,
                            "bao-cao-ket-qua-hoi-nghi-{id}.docx")


@reports_bp.get("/conferences/<int:conference_id>/postpone.docx")
@login_required
def postpone_docx(conference_id: int) -> Response:
    """The postpone/cancel report draft of a conference short of the quorum (R3)."""
    from heza.reports.postpone_report import QuorumMet, postpone_report_bytes

    return _conference_docx(conference_id, postpone_report_bytes, QuorumMet, ReportKind.POSTPONE_CANCEL,
                            "bao-cao-dung-hoan-hoi-nghi-{id}.docx")


@reports_bp.get("/conferences/<int:conference_id>/conclusion.txt")
@login_required
def conclusion_txt(conference_id: int) -> Response:
    """The prefilled conclusion notice as plain text (nothing is saved)."""
    from heza.reports.conclusion import conclusion_notice

    conference = visible_or_404(Conference, conference_id)
    require_staff()
    draft = conclusion_notice(conference)
    data = f"{draft.title}\n\n{draft.body}\n".encode()
    return _send(data, "text/plain; charset=utf-8", f"thong-bao-ket-luan-hoi-nghi-{conference.id}.txt")


@reports_bp.get("/hotline.<any(docx, xlsx):fmt>")
@login_required
def hotline_summary(fmt: str) -> Response:
    """The hotline summary for ``?month=YYYY-MM`` or ``?quarter=YYYY-Q`` of ``&organizer=ID``.

    Without ``organizer``: the user's own organizer, or for a city-wide user the only one there is
    (400 when there are several to choose from).
    """
    from heza.reports.hotline_summary import hotline_docx_bytes, hotline_xlsx_bytes
    from heza.reports.stats import PeriodError, month_period, quarter_period

    unit_id = unit_scope()
    month, quarter = request.args.get("month", ""), request.args.get("quarter", "")
    if bool(month) == bool(quarter):
        abort(400, description=_("Chọn một tháng (month=YYYY-MM) hoặc một quý (quarter=YYYY-Q)."))
    try:
        period = month_period(month) if month else quarter_period(quarter)
    except PeriodError as exc:
        abort(400, description=str(exc))
    organizer = _hotline_organizer()
    if fmt == "docx":
        data = hotline_docx_bytes(period, organizer=organizer, unit_id=unit_id)
        return _send(data, DOCX_MIMETYPE, f"bao-cao-duong-day-nong-{period.slug}.docx")
    data = hotline_xlsx_bytes(period, organizer=organizer, unit_id=unit_id)
    return _send(data, XLSX_MIMETYPE, f"tong-hop-duong-day-nong-{period.slug}.xlsx")


def _hotline_organizer() -> Organizer:
    """The organizer whose hotline is summarised: the one asked for (if visible), else the user's own."""
    from heza.reports.hotline_summary import sole_organizer

    viewer = tenancy.current_viewer()
    organizer_id = request.args.get("organizer", type=int)
    if organizer_id is None:
        organizer_id = viewer.organizer_id
    if organizer_id is not None:
        organizer: Organizer = visible_or_404(Organizer, organizer_id)
        return organizer
    only = sole_organizer(viewer)
    if only is None:
        abort(400, description=_("Chọn ban tổ chức (organizer=ID)."))
    return only


@reports_bp.get("/newsletter/<int:issue_id>.xlsx")
@login_required
def newsletter_xlsx(issue_id: int) -> Response:
    """The state of a newsletter issue's submissions (a unit user sees its own assignments only)."""
    from heza.reports.newsletter_status import newsletter_xlsx_bytes

    issue = visible_or_404(NewsletterIssue, issue_id)
    unit_id = unit_scope()
    data = newsletter_xlsx_bytes(issue, unit_id=unit_id)
    return _send(data, XLSX_MIMETYPE, f"tinh-trang-ban-tin-{issue.number}.xlsx")
