"""R1: publish each conference's announcement when due and invite its audience.

On the R1 day (WORKDAY(conference, −7)), or at once for a conference entered later than that
(flagged late), the announcement is published and every enterprise of the audience with an
email, and every invited agency, unit, leader and outlet, gets an invitation. Until the day
before the conference, anyone who joined the audience since (a new enterprise, a unit added to
the invitations) is invited on the next run. A notice revised by a postponement before the new
day's R1 date is posted again on that date.
"""

from __future__ import annotations

from datetime import date

from heza import rules
from heza.conferences import invitations, notices, states
from heza.conferences.models import Conference
from heza.extensions import db
from jobs._common import count, live_conferences, office_hours


def reconcile(today: date) -> dict[str, int]:
    """Publish due announcements and enqueue the invitations not yet sent."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    for conference in live_conferences(Conference.held_on > today):
        published = states.is_published(conference)
        if not published and today < rules.announcement_date(conference.held_on, conference.settings()).due:
            continue
        states.lock(conference)
        if not states.is_scheduled(conference):
            continue
        if states.is_published(conference):
            if notices.republish_due(conference, today):
                count(counts, "republished")
            invited = invitations.invite_missing(conference, today)
        else:
            notice, invited = notices.publish_and_invite(conference, today)
            count(counts, "published")
            if notice.late:
                count(counts, "published_late")
        db.session.commit()
        count(counts, "invitations", invited)
    return counts
