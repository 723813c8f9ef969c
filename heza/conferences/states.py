"""Where a conference stands: expected on its day or not, its R1 notice published or not.

The lowest layer of the conference operations (:mod:`heza.conferences.invitations`,
:mod:`heza.conferences.notices`, :mod:`heza.conferences.operations`, :mod:`heza.conferences.decisions`),
which all ask it.
"""

from __future__ import annotations

import sqlalchemy as sa

from heza.conferences.models import Announcement, AnnouncementKind, Conference, ConferenceStatus
from heza.extensions import db


class ConferenceStateError(ValueError):
    """The operation does not apply to the conference in its present state."""


def is_scheduled(conference: Conference) -> bool:
    """Whether the conference is expected to take place on ``held_on``.

    Planned and announced ones are; a postponed one is when it was moved to a new day
    (``postponed_from`` set), not when it was postponed without one.
    """
    if conference.status in (ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED):
        return True
    return conference.status == ConferenceStatus.POSTPONED and conference.postponed_from is not None


def scheduled_filter() -> sa.ColumnElement[bool]:
    """:func:`is_scheduled` as a SQL condition."""
    return sa.or_(
        Conference.status.in_((ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED)),
        sa.and_(Conference.status == ConferenceStatus.POSTPONED, Conference.postponed_from.isnot(None)),
    )


def invitation_notice(conference: Conference) -> Announcement | None:
    """The conference's R1 announcement, if it exists."""
    return next((a for a in conference.announcements if a.kind == AnnouncementKind.INVITATION_NOTICE), None)


def is_published(conference: Conference) -> bool:
    """Whether the R1 announcement has been published."""
    notice = invitation_notice(conference)
    return notice is not None and notice.published_dt is not None and notice.withdrawn_dt is None


def lock(conference: Conference) -> Conference:
    """Lock the conference's row until the transaction ends (PostgreSQL) and reload it.

    Two schedulers, or a scheduler and an administrator, then act on one conference in turn,
    each seeing what the other did.
    """
    if db.session.get_bind(mapper=sa.inspect(Conference)).dialect.name == "postgresql":
        db.session.execute(sa.select(Conference.id).where(Conference.id == conference.id).with_for_update())
    db.session.refresh(conference)
    return conference
