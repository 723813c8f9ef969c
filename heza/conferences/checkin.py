"""Who came: check-in codes as QR codes, checking attendees in at the door, walk-ins, attendance figures.

Each :class:`~heza.conferences.models.Attendee` has a short code (``K7HQ3M``) printed on the
registration receipt and the enterprise's page, also as a QR code holding just the code; the
officer at the door types or scans it on the conference's check-in screen, or ticks the name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from heza.conferences.models import Attendee, Registration, normalise_checkin_code
from heza.extensions import db


def qr_svg_data_uri(code: str) -> str:
    """The code as a QR code, an inline ``data:image/svg+xml`` URI (``img-src data:`` is allowed)."""
    import segno

    return segno.make(code, error="m", micro=False).svg_data_uri(scale=5, border=2)


def qr_png(code: str) -> bytes:
    """The code as a PNG QR code, attached to the receipt (mail programs do not show data URIs)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(code, error="m", micro=False).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def find_attendee(conference_id: int, typed: str) -> Attendee | None:
    """The conference's attendee with the code someone typed or scanned, or None."""
    code = normalise_checkin_code(typed)
    if not code:
        return None
    return db.session.scalars(
        sa.select(Attendee).join(Registration).where(Registration.conference_id == conference_id,
                                                     Attendee.checkin_code == code)).first()


def check_in(attendee: Attendee, at: datetime) -> bool:
    """Mark ``attendee`` present at ``at``; False if they already were (the first time is kept)."""
    if attendee.checked_in_dt is not None:
        return False
    attendee.checked_in_dt = at
    return True


@dataclass(frozen=True)
class Attendance:
    """A conference's registered and attended enterprises and people (withdrawn registrations left out)."""

    registered_enterprises: int = 0
    registered_attendees: int = 0
    attended_enterprises: int = 0
    attended_attendees: int = 0
    walk_ins: int = 0


def attendance(conference_id: int) -> Attendance:
    """The figures of one conference, in one query."""
    return attendance_by_conference([conference_id]).get(conference_id, Attendance())


def attendance_by_conference(conference_ids: list[int]) -> dict[int, Attendance]:
    """``{conference id: Attendance}`` for many conferences at once (the city figures)."""
    if not conference_ids:
        return {}
    present = Attendee.checked_in_dt.is_not(None)
    registered = sa.not_(Attendee.walk_in)
    rows = db.session.execute(
        sa.select(
            Registration.conference_id,
            sa.func.count(sa.distinct(sa.case((registered, Registration.enterprise_id)))),
            sa.func.count(sa.case((registered, Attendee.id))),
            sa.func.count(sa.distinct(sa.case((present, Registration.enterprise_id)))),
            sa.func.count(sa.case((present, Attendee.id))),
            sa.func.count(sa.case((Attendee.walk_in, Attendee.id))),
        )
        .join(Attendee, Attendee.registration_id == Registration.id)
        .where(Registration.conference_id.in_(conference_ids), Registration.withdrawn_dt.is_(None))
        .group_by(Registration.conference_id)
    ).all()
    return {row[0]: Attendance(*row[1:]) for row in rows}
