"""The Report rows that track documents owed for a conference (R3, R6): found, created, marked drafted."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from heza import rules
from heza.base import now_utc
from heza.conferences.models import Conference, Report, ReportKind
from heza.extensions import db

_TITLE_LENGTH = 300


def report_title(conference: Conference, kind: ReportKind) -> str:
    """The Report row's title, for the admin lists."""
    if kind == ReportKind.RESULT:
        text = _("Báo cáo kết quả %(title)s", title=conference.title)
    else:
        text = _("Báo cáo dừng, hoãn %(title)s", title=conference.title)
    return text[:_TITLE_LENGTH]


def find_report(conference: Conference, kind: ReportKind) -> Report | None:
    """The conference's Report row of ``kind``, if there is one."""
    return db.session.scalar(sa.select(Report).where(Report.conference_id == conference.id, Report.kind == kind))


def ensure_report(conference: Conference, kind: ReportKind) -> Report:
    """The conference's Report row of ``kind``, created (not committed) if missing.

    A result report is due by R6 (:func:`heza.rules.report_due`); the postpone/cancel report has
    no rule of its own.
    """
    report = find_report(conference, kind)
    if report is not None:
        return report
    report = Report(
        organizer_id=conference.organizer_id,
        conference=conference,
        kind=kind,
        title=report_title(conference, kind),
        responsible_unit_id=conference.organizer.lead_unit_id if conference.organizer else None,
    )
    if kind == ReportKind.RESULT:
        report.due_on = rules.report_due(conference.held_on, conference.settings()).due
    db.session.add(report)
    return report


def mark_drafted(conference: Conference, kind: ReportKind, at: datetime | None = None) -> Report:
    """Record that a draft of the conference's report was generated (never that it was submitted).

    Call it with no other pending changes: if another process creates the same Report row
    between the look-up and the insert, the session is rolled back and that row is used. The
    caller commits.
    """
    at = at or now_utc()
    conference_id = conference.id
    report = ensure_report(conference, kind)
    report.drafted_dt = at
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        report = db.session.scalar(sa.select(Report).where(Report.conference_id == conference_id,
                                                           Report.kind == kind))
        if report is None:
            raise
        report.drafted_dt = at
        db.session.flush()
    return report
