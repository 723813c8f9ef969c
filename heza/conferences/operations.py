"""What happens to a conference: postponed, cancelled, held — and the emails each change owes.

Used by the scheduled jobs (:mod:`jobs.held`) and by the admin screens alike, so a conference
postponed by hand and one handled by the scheduler go through the same code. Publishing is in
:mod:`heza.conferences.notices`, the letters in :mod:`heza.conferences.invitations`. Nothing here
commits: the caller does, so the change and its emails are one transaction (the outbox rows are
written with the change that causes them).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza.conferences import decisions, ics
from heza.conferences.invitations import notify_reached
from heza.conferences.models import Conference, ConferenceStatus, ReportKind
from heza.conferences.notices import revise_notice
from heza.conferences.states import ConferenceStateError, is_published
from heza.extensions import db
from heza.outbox import outbox
from heza.reports.records import ensure_report

# Emails that stop making sense once a conference has taken place.
_BEFORE_CONFERENCE_KINDS = (outbox.INVITATION, outbox.POSTPONEMENT, outbox.REGISTRATION_NUDGE,
                            outbox.UNIT_REMINDER, outbox.QUORUM)


def _check_open(conference: Conference) -> None:
    if conference.status in (ConferenceStatus.CANCELLED, ConferenceStatus.HELD):
        raise ConferenceStateError(_("Hội nghị đã dừng hoặc đã tổ chức."))


def postpone(conference: Conference, new_day: date | None, reason: str, today: date) -> None:
    """Postpone the conference, to ``new_day`` or until a day is set, and tell everyone reached.

    Queued emails of the conference are withdrawn. Those already reached get a notice with the
    calendar event moved (same UID, higher SEQUENCE) or, without a new day, cancelled; those not
    reached are invited for the new day by the announcements job.
    """
    _check_open(conference)
    if new_day is not None and new_day <= today:
        raise ConferenceStateError(_("Ngày tổ chức mới phải sau ngày hôm nay."))
    was_published = is_published(conference)
    outbox.withdraw_pending(conference.id, reason=_("Hội nghị hoãn"))
    old_day = conference.held_on
    conference.sequence = (conference.sequence or 0) + 1
    conference.status = ConferenceStatus.POSTPONED
    conference.status_note = reason
    decisions.clear_waiver(conference)  # the quorum is judged again at the new cutoff
    if new_day is not None:
        conference.postponed_from = old_day
        conference.held_on = new_day
    else:
        conference.postponed_from = None
    db.session.flush()
    if not was_published:
        return
    revise_notice(conference, old_day, today)
    if new_day is not None:
        invite = ics.Invite(conference)
        subject = _l("Thay đổi thời gian %(title)s: hoãn đến ngày %(day)s", title=conference.title,
                     day=f"{new_day:%d/%m/%Y}")
    else:
        invite = ics.Invite(conference, cancel=True, day=old_day)
        subject = _l("Hoãn %(title)s (dự kiến ngày %(day)s)", title=conference.title, day=f"{old_day:%d/%m/%Y}")
    notify_reached(conference, f"postpone@{conference.sequence}", "postponement", outbox.POSTPONEMENT, subject,
                    invite, old_day=old_day, new_day=new_day, reason=reason)


def cancel(conference: Conference, reason: str, today: date) -> None:
    """Cancel the conference: queued emails withdrawn, everyone reached told, calendar event cancelled."""
    _check_open(conference)
    was_published = is_published(conference)
    outbox.withdraw_pending(conference.id, reason=_("Hội nghị dừng"))
    conference.sequence = (conference.sequence or 0) + 1
    conference.status = ConferenceStatus.CANCELLED
    conference.status_note = reason
    db.session.flush()
    if not was_published:
        return
    invite = ics.Invite(conference, cancel=True)
    subject = _l("Thông báo dừng tổ chức %(title)s", title=conference.title)
    notify_reached(conference, "cancel", "cancellation", outbox.CANCELLATION, subject, invite, reason=reason)


def mark_held(conference: Conference, today: date) -> None:
    """Record that the conference took place: reminders still queued withdrawn, the R6 report row opened.

    Refused while a missed quorum waits for the organizer's decision
    (:func:`heza.conferences.decisions.awaiting_decision`).
    """
    if conference.status == ConferenceStatus.HELD:
        return
    if conference.status == ConferenceStatus.CANCELLED:
        raise ConferenceStateError(_("Hội nghị đã dừng."))
    if decisions.awaiting_decision(conference, today):
        raise ConferenceStateError(_("Hội nghị chưa đủ điều kiện tổ chức (R3) và chưa có quyết định: hoãn, dừng "
                                     "hoặc ghi nhận vẫn tổ chức (kèm lý do) trước."))
    if conference.held_on > today:
        raise ConferenceStateError(_("Hội nghị chưa đến ngày tổ chức."))
    outbox.withdraw_pending(conference.id, _BEFORE_CONFERENCE_KINDS, reason=_("Hội nghị đã tổ chức"))
    conference.status = ConferenceStatus.HELD
    ensure_report(conference, ReportKind.RESULT)
    db.session.flush()
