"""A reminder to invited enterprises that have not registered, before the R2 cutoff.

From :func:`heza.rules.registration_nudge_date` (N working days before the cutoff, default 2)
until the cutoff day itself, while the quorum (R3) is not yet met, each enterprise invited on an
earlier day and not registered gets one reminder for the conference day. Working days only.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from heza import rules
from heza.conferences import invitations, links, states
from heza.conferences.models import Conference, Registration
from heza.extensions import db
from heza.outbox import outbox
from jobs._common import count, live_conferences, office_hours
from jobs.quorum import received_counts


def reconcile(today: date) -> dict[str, int]:
    """Enqueue the reminders due today (once per enterprise and conference day)."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    for conference in live_conferences(Conference.held_on > today):
        settings = conference.settings()
        cutoff = rules.registration_cutoff(conference.held_on, settings).due
        if not rules.registration_nudge_date(conference.held_on, settings).due <= today <= cutoff:
            continue
        if not states.is_published(conference) or received_counts(conference).met:
            continue
        invited = invitations.reached(conference, before_day=today)
        registered = {str(e) for e in db.session.scalars(
            sa.select(Registration.enterprise_id).where(Registration.conference_id == conference.id))}
        recipients = [r for r in invitations.audience(conference)
                      if r.enterprise_id is not None and r.rid in invited and r.rid not in registered]
        if not recipients:
            continue
        subject = _l("Nhắc đăng ký tham dự %(title)s (hạn %(cutoff)s)", title=conference.title,
                     cutoff=f"{cutoff:%d/%m/%Y}")
        drafts = (
            outbox.Draft(
                key=invitations.day_key("nudge", conference, r.rid), to=(r.name, r.address), subject=subject,
                template="registration_nudge", kind=outbox.REGISTRATION_NUDGE, language=r.language,
                context={"conference": conference, "organizer": conference.organizer, "recipient": r,
                         "cutoff": cutoff, "personal_url": links.personal_url(conference.id, r.enterprise_id)},
                conference_id=conference.id,
            )
            for r in recipients
        )
        sent = len(outbox.enqueue_many(drafts))
        db.session.commit()
        count(counts, "emails", sent)
    return counts
