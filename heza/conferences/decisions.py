"""A missed quorum waits for the organizer's decision: postpone, cancel, or go ahead anyway with a reason.

Until one is recorded the conference is not marked held (:func:`heza.conferences.operations.mark_held`),
and the digest and the alert ladder keep asking.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from heza import rules
from heza.base import now_utc
from heza.conferences.models import Conference
from heza.conferences.states import ConferenceStateError, is_scheduled
from heza.extensions import db


def quorum_missed(conference: Conference, today: date) -> rules.Quorum | None:
    """The R3 counts when the quorum of the conference's present day was judged and missed, else None.

    Judged only where the organizer's plan sets R3, for a conference still expected to take place,
    from the quorum check day (:func:`heza.rules.quorum_check_date`) on.
    """
    from heza.conferences import quorum

    settings = conference.settings()
    if not settings.applies("R3") or not is_scheduled(conference):
        return None
    if today < rules.quorum_check_date(conference.held_on, settings).due:
        return None
    counted = quorum.count(conference)
    return None if counted.met else counted


def awaiting_decision(conference: Conference, today: date) -> bool:
    """Whether a missed quorum waits for the organizer: postpone, cancel, or go ahead anyway (with a reason)."""
    return conference.quorum_waived_dt is None and quorum_missed(conference, today) is not None


def go_ahead_anyway(conference: Conference, reason: str, today: date) -> None:
    """Record the organizer's decision to hold the conference although the quorum was missed.

    Who and when are kept with the reason (and the change is audited); the conference is then
    marked held after its day like any other, and the postpone/cancel report is no longer chased.
    """
    from heza.accounts.audit import current_actor

    reason = (reason or "").strip()
    if not reason:
        raise ConferenceStateError(_("Nhập lý do vẫn tổ chức hội nghị."))
    if not is_scheduled(conference):
        raise ConferenceStateError(_("Hội nghị đã dừng, hoãn chưa có ngày mới hoặc đã tổ chức."))
    if quorum_missed(conference, today) is None:
        raise ConferenceStateError(_("Chưa đến ngày xét hoặc hội nghị đã đủ điều kiện tổ chức (R3); không cần "
                                     "quyết định."))
    conference.quorum_waived_dt = now_utc()
    conference.quorum_waived_by = current_actor()[1][:200]
    conference.quorum_waiver_reason = reason
    db.session.flush()


def clear_waiver(conference: Conference) -> None:
    """Forget a recorded decision: after a postponement the quorum is judged again at the new cutoff."""
    conference.quorum_waived_dt = None
    conference.quorum_waived_by = ""
    conference.quorum_waiver_reason = ""
