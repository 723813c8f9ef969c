"""Stored deadlines: open items keep their due date and its basis, computed by :mod:`heza.rules`.

DESIGN: "A deadline is stored with its basis". Open items are (re)stamped whenever they, their
conference or their organizer's settings change in a flush, and again after a flush that changed
one of their organizer's plans (the basis cites the plan that sets the rule, or the default
wording when none does); all open items are recomputed by :func:`refresh_open_deadlines` after
the calendar changes. Closed items keep the date they were judged by, so past statistics do not
move.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from heza import rules
from heza.base import local_date_of, now_utc
from heza.conferences.models import Conference, Report, ReportKind, Task
from heza.directory.models import CONFERENCE_SETTING_FIELDS, ORGANIZER_ONLY_FIELDS, SETTING_FIELDS, Organizer
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, LEGAL_KINDS, LEGAL_OPEN, HotlineItem, HotlineKind, LegalStage
from heza.plans.models import Plan
from heza.recommendations.models import OPEN_STATUSES, Recommendation

_BASIS_LENGTH = 500


class ExtensionError(ValueError):
    """An extension that cannot be recorded (no reason, not later than the rule's date, item closed)."""


def with_extension(obj: Any, deadline: rules.Deadline | None) -> rules.Deadline | None:
    """The rule's deadline, or the extension recorded on ``obj`` (which recomputation never overwrites).

    An extension never shortens: should the rule come to give a later day (coordination needed,
    a setting raised), the rule's day prevails.
    """
    if deadline is None or getattr(obj, "extended_to", None) is None or deadline.due >= obj.extended_to:
        return deadline
    if _is_legal(obj):  # the law's own extensions only (heza.hotline.legal.extend), never a free date
        return deadline
    on = local_date_of(obj.extended_dt) if obj.extended_dt else None
    return rules.extended(deadline, obj.extended_to, obj.extension_reason, obj.extended_by, on)


def _set(obj: Any, deadline: rules.Deadline | None) -> bool:
    """Store a deadline on ``obj`` (its recorded extension, if any, prevailing); True if the date moved."""
    deadline = with_extension(obj, deadline)
    if deadline is None:
        return False
    moved = obj.due_on != deadline.due
    obj.due_on = deadline.due
    if hasattr(obj, "due_basis"):
        obj.due_basis = deadline.explain()[:_BASIS_LENGTH]
    return moved


def recommendation_deadline(rec: Recommendation, conference: Conference | None,
                            organizer: Organizer | None) -> rules.Deadline | None:
    """R5 for one recommendation: after its conference, or after receipt if it came later or without one."""
    received_on = local_date_of(rec.received_dt) if rec.received_dt else None
    if conference is not None and (received_on is None or received_on <= conference.held_on):
        return rules.answer_due(conference.held_on, rec.needs_coordination, conference.settings())
    if received_on is None:
        return None
    settings = organizer.settings() if organizer is not None else rules.Settings()
    return rules.answer_due(received_on, rec.needs_coordination, settings, after_conference=False)


def legal_deadline(item: HotlineItem) -> rules.Deadline | None:
    """The due date of a complaint's or a denunciation's current stage (issue 15), by law.

    Received: acceptance (Điều 27 Luật Khiếu nại 2011; denunciations 7 working days). Accepted or
    verified: resolution counted from the acceptance day (Điều 28 Luật Khiếu nại 2011, Điều 30
    Luật Tố cáo 2018), or the date of the last recorded extension. Closed stages: none.
    """
    complaint = item.kind == HotlineKind.COMPLAINT
    stage = item.legal_stage or LegalStage.RECEIVED
    if stage == LegalStage.RECEIVED:
        if complaint:
            return rules.complaint_acceptance_due(item.received_dt)
        return rules.denunciation_acceptance_due(item.received_dt)
    if stage not in LEGAL_OPEN:
        return None
    accepted_on = item.accepted_on or rules.intake_day(item.received_dt)
    if complaint:
        deadline = rules.complaint_resolution_due(accepted_on, complex_case=bool(item.complex_case),
                                                  remote_area=bool(item.remote_area))
    else:
        extensions = min(max(item.extensions or 0, 0), rules.DENUNCIATION_MAX_EXTENSIONS)
        deadline = rules.denunciation_resolution_due(accepted_on, extensions)
    if item.extended_due_on is not None:
        # The reason as it was recorded with the extension (the stage note moves on with later stages).
        reason = next((e.note for e in sorted(item.events, key=lambda e: (e.at_dt is None, e.at_dt, e.id or 0),
                                               reverse=True) if e.action == "extended"), "")
        summary = _("Gia hạn giải quyết đến ngày %(due)s (%(n)d lần).", due=f"{item.extended_due_on:%d/%m/%Y}",
                    n=item.extensions or 0)
        if reason.strip():
            summary = _("Gia hạn giải quyết đến ngày %(due)s (%(n)d lần), lý do: %(reason)s.",
                        due=f"{item.extended_due_on:%d/%m/%Y}", n=item.extensions or 0,
                        reason=reason.strip().rstrip("."))
        deadline = rules.Deadline(deadline.rule, item.extended_due_on, summary, deadline.citation)
    return deadline


def hotline_deadline(item: HotlineItem, organizer: Organizer | None) -> rules.Deadline | None:
    """R11 for one hotline item; a complaint or a denunciation follows its legal stage instead."""
    if item.received_dt is None or item.kind is None:
        return None
    if item.kind in LEGAL_KINDS:
        return legal_deadline(item)
    settings = organizer.settings() if organizer is not None else rules.Settings()
    return rules.hotline_response_due(item.received_dt, item.kind, settings)


def task_deadline(task: Task, conference: Conference | None) -> rules.Deadline | None:
    """R4 for a conference task without a date of its own."""
    if conference is None or task.due_explicit:
        return None
    return rules.unit_task_due(conference.held_on, conference.settings())


def report_deadline(report: Report, conference: Conference | None) -> rules.Deadline | None:
    """R6 for a result report."""
    if conference is None or report.kind != ReportKind.RESULT:
        return None
    return rules.report_due(conference.held_on, conference.settings())


def rule_deadline(session: Session, obj: Recommendation | HotlineItem) -> rules.Deadline | None:
    """The date the rule gives an item (R5, R11), before any extension."""
    with session.no_autoflush:
        organizer = obj.organizer or _load(session, Organizer, obj.organizer_id)
        if isinstance(obj, Recommendation):
            conference = obj.conference or _load(session, Conference, obj.conference_id)
            return recommendation_deadline(obj, conference, organizer)
        return hotline_deadline(obj, organizer)


def extend(obj: Recommendation | HotlineItem, to: date | None, reason: str, session: Session | None = None) -> None:
    """Record (or, with ``to`` None, remove) a reasoned extension of an open item's deadline.

    The new date must be later than the rule's; who and when are recorded with the reason (and the
    change is audited). The item's due date and basis are restamped at once.
    """
    from heza.accounts.audit import current_actor

    session = session or db.session
    if to is None:
        obj.extended_to, obj.extension_reason, obj.extended_by, obj.extended_dt = None, "", "", None
        stamp(session, obj)
        return
    if _is_legal(obj):
        raise ExtensionError(_("Khiếu nại, tố cáo chỉ được gia hạn theo luật (Điều 28 Luật Khiếu nại 2011, Điều 30 "
                               "Luật Tố cáo 2018): nhập ngày ở ô “Gia hạn bước giải quyết đến ngày” sau khi thụ lý."))
    reason = (reason or "").strip()
    if not reason:
        raise ExtensionError(_("Nhập lý do gia hạn."))
    if not _is_open(obj):
        raise ExtensionError(_("Việc đã xử lý xong; không gia hạn được."))
    base = rule_deadline(session, obj)
    if base is not None and to <= base.due:
        raise ExtensionError(_("Ngày gia hạn phải sau hạn theo quy định (%(due)s).", due=f"{base.due:%d/%m/%Y}"))
    obj.extended_to, obj.extension_reason = to, reason
    obj.extended_by, obj.extended_dt = current_actor()[1][:200], now_utc()
    stamp(session, obj)


def note_extension(obj: Recommendation | HotlineItem, session: Session | None = None) -> None:
    """After a form changed ``extended_to`` or ``extension_reason``: record it through :func:`extend`."""
    state = sa.inspect(obj)
    if not any(state.attrs[n].history.has_changes() for n in ("extended_to", "extension_reason")):
        return
    extend(obj, obj.extended_to, obj.extension_reason, session)


def _is_legal(obj: Any) -> bool:
    return isinstance(obj, HotlineItem) and obj.kind in LEGAL_KINDS


def _is_open(obj: Any) -> bool:
    if isinstance(obj, Recommendation):
        return obj.status in OPEN_STATUSES or obj.status is None
    if isinstance(obj, HotlineItem):
        if obj.kind in LEGAL_KINDS and obj.legal_stage is not None:
            return obj.legal_stage in LEGAL_OPEN
        return obj.status in HOTLINE_OPEN or obj.status is None
    if isinstance(obj, Task):
        return obj.done_dt is None
    if isinstance(obj, Report):
        return obj.submitted_dt is None
    return False


def _load(session: Session, model: type, obj_id: int | None) -> Any:
    return session.get(model, obj_id) if obj_id is not None else None


def stamp(session: Session, obj: Any) -> bool:
    """Compute and store the due date of one open item; returns True if it moved."""
    if isinstance(obj, HotlineItem):
        # A complaint or a denunciation starts its legal life at "received"; other kinds have none.
        if obj.kind in LEGAL_KINDS and obj.legal_stage is None:
            obj.legal_stage = LegalStage.RECEIVED
        elif obj.kind is not None and obj.kind not in LEGAL_KINDS and obj.legal_stage is not None:
            obj.legal_stage = None
    if not _is_open(obj):
        return False
    if isinstance(obj, (Recommendation, HotlineItem)) and obj.received_dt is None:
        obj.received_dt = now_utc()  # the column default, applied now because the date depends on it
    with session.no_autoflush:
        if isinstance(obj, Recommendation):
            conference = obj.conference or _load(session, Conference, obj.conference_id)
            organizer = obj.organizer or _load(session, Organizer, obj.organizer_id)
            return _set(obj, recommendation_deadline(obj, conference, organizer))
        if isinstance(obj, HotlineItem):
            organizer = obj.organizer or _load(session, Organizer, obj.organizer_id)
            return _set(obj, hotline_deadline(obj, organizer))
        if isinstance(obj, Task):
            if obj.due_explicit:
                return False
            conference = obj.conference or _load(session, Conference, obj.conference_id)
            return _set(obj, task_deadline(obj, conference))
        if isinstance(obj, Report):
            conference = obj.conference or _load(session, Conference, obj.conference_id)
            return _set(obj, report_deadline(obj, conference))
    return False


def _open_items_of(session: Session, conference_ids: Iterable[int] = (), organizer_ids: Iterable[int] = ()
                   ) -> list[Any]:
    """Open items hanging off the given conferences or organizers."""
    conference_ids, organizer_ids = list(conference_ids), list(organizer_ids)
    items: list[Any] = []
    if not conference_ids and not organizer_ids:
        return items
    rec_filter = sa.or_(Recommendation.conference_id.in_(conference_ids),
                        Recommendation.organizer_id.in_(organizer_ids))
    items += session.scalars(select(Recommendation).where(rec_filter, Recommendation.status.in_(OPEN_STATUSES))
                             .options(selectinload(Recommendation.conference))).all()
    conf_of_org = select(Conference.id).where(Conference.organizer_id.in_(organizer_ids))
    conf_filter = sa.or_(Task.conference_id.in_(conference_ids), Task.conference_id.in_(conf_of_org))
    items += session.scalars(select(Task).where(conf_filter, Task.done_dt.is_(None),
                                                Task.due_explicit.is_(False))).all()
    report_filter = sa.or_(Report.conference_id.in_(conference_ids), Report.conference_id.in_(conf_of_org))
    items += session.scalars(select(Report).where(report_filter, Report.submitted_dt.is_(None))).all()
    if organizer_ids:
        items += session.scalars(select(HotlineItem).where(HotlineItem.organizer_id.in_(organizer_ids),
                                                           HotlineItem.status.in_(HOTLINE_OPEN))).all()
    return items


_CONFERENCE_DATE_FIELDS = ("held_on", *CONFERENCE_SETTING_FIELDS)
_ORGANIZER_FIELDS = (*SETTING_FIELDS, *ORGANIZER_ONLY_FIELDS)
# What of a plan a citation or the rules applied read (the PDF does not matter to a deadline).
_PLAN_FIELDS = ("organizer_id", "number", "issued_on", "title", "year", "rules", "active")
_PLAN_ORGANIZERS = "heza_plan_organizers"  # session.info: organizers whose plans this flush changes


def _changed(session_obj: Any, names: Iterable[str]) -> bool:
    state = sa.inspect(session_obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.info.get("heza_deadlines", True):
        return
    tracked = (Recommendation, HotlineItem, Task, Report)
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, tracked):
            stamp(session, obj)
    conferences = [c.id for c in session.dirty
                   if isinstance(c, Conference) and c.id is not None and _changed(c, _CONFERENCE_DATE_FIELDS)]
    organizers = [o.id for o in session.dirty
                  if isinstance(o, Organizer) and o.id is not None and _changed(o, _ORGANIZER_FIELDS)]
    if conferences or organizers:
        with session.no_autoflush:
            for obj in _open_items_of(session, conferences, organizers):
                stamp(session, obj)
    _note_plan_changes(session)


def _note_plan_changes(session: Session) -> None:
    """Remember the organizers whose plans this flush adds, changes or deletes.

    Their items are stamped after the flush (:func:`_after_flush`): only then does reading the
    organizer's plans see a deleted plan gone and a plan added by ``organizer_id`` alone.
    """
    touched: set[int] = session.info.setdefault(_PLAN_ORGANIZERS, set())
    for plan in session.new:
        if isinstance(plan, Plan):
            organizer_id = plan.organizer_id if plan.organizer_id is not None else getattr(plan.organizer, "id", None)
            if organizer_id is not None:  # an organizer flushed in the same go has no items yet
                touched.add(organizer_id)
    for plan in session.dirty:
        if isinstance(plan, Plan) and _changed(plan, _PLAN_FIELDS):
            moved_from = sa.inspect(plan).attrs["organizer_id"].history.deleted or ()
            touched.update(i for i in (*moved_from, plan.organizer_id) if i is not None)
    for plan in session.deleted:
        if isinstance(plan, Plan) and plan.organizer_id is not None:
            touched.add(plan.organizer_id)


def _after_flush(session: Session, _context: Any) -> None:
    """Restamp the open items of the organizers whose plans the flush changed (flushed on commit)."""
    organizer_ids = session.info.pop(_PLAN_ORGANIZERS, None)
    if not organizer_ids or not session.info.get("heza_deadlines", True):
        return
    with session.no_autoflush:
        for organizer_id in organizer_ids:
            organizer = session.get(Organizer, organizer_id)
            if organizer is not None:
                session.expire(organizer, ["plans"])  # read them again, as flushed
        for obj in _open_items_of(session, (), organizer_ids):
            stamp(session, obj)


def refresh_open_deadlines(session: Session | None = None) -> int:
    """Recompute every open item's due date (after the calendar changed); returns how many moved.

    The caller commits. Closed items are left alone.
    """
    session = session or db.session
    moved = 0
    with session.no_autoflush:
        for model, open_filter in (
            (Recommendation, Recommendation.status.in_(OPEN_STATUSES)),
            (HotlineItem, HotlineItem.status.in_(HOTLINE_OPEN)),
            (Task, sa.and_(Task.done_dt.is_(None), Task.due_explicit.is_(False), Task.conference_id.isnot(None))),
            (Report, sa.and_(Report.submitted_dt.is_(None), Report.kind == ReportKind.RESULT)),
        ):
            for obj in session.scalars(select(model).where(open_filter)).all():
                moved += stamp(session, obj)
    return moved


def due_state(due_on: date | None, today: date) -> int | None:
    """Working days left until ``due_on`` (negative: overdue by that many), for screens."""
    from heza import workdays

    if due_on is None:
        return None
    if due_on >= today:
        return workdays.working_days_between(today, due_on)
    return -workdays.working_days_between(due_on, today)


_installed = False


def init_app(app: Flask) -> None:
    """Listen to every session's flushes (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush_postexec", _after_flush)
        _installed = True
