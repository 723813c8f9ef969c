"""Standing audiences: whom an organizer invites to every conference, and whom a recommendation's field calls for.

Plan 001 II.3 and plan 004 ("Thành phần tham dự") name the same invitees conference after
conference: city leaders, the departments concerned by the recommendations' fields, Thuế cơ sở 5,
Đội QLTT số 8, the media. Each organizer keeps them once, as :class:`StandingInvitee` rows: by group
(``field`` empty: invited to every new conference, :func:`apply_standing_audience`), or by
recommendation field (the department concerned: proposed for a conference once a recommendation in
that field arrives, :func:`proposed_invitees`, and invited on the officer's word, :func:`invite_proposed`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heza.base import LabelledEnum, TimestampMixin, enum_column
from heza.conferences.models import Conference, Invitation
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.recommendations.models import Field, Recommendation, RecommendationStatus


class InviteeGroup(LabelledEnum):
    CITY_LEADERS = "city_leaders", _l("Lãnh đạo thành phố")
    AGENCIES = "agencies", _l("Sở, ban, ngành, địa phương")
    LOCAL = "local", _l("Đại biểu của đơn vị tổ chức")
    MEDIA = "media", _l("Cơ quan báo chí, truyền thông")


class StandingInvitee(TimestampMixin, db.Model):
    """A unit an organizer invites to every conference (``field`` empty) or when ``field`` is raised."""

    __tablename__ = "standing_invitees"
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    group: Mapped[InviteeGroup] = mapped_column(enum_column(InviteeGroup, name="invitee_group"),
                                                default=InviteeGroup.AGENCIES)
    field: Mapped[Field | None] = mapped_column(enum_column(Field, name="standing_invitee_field"))

    organizer: Mapped[Organizer] = relationship()
    unit: Mapped[Unit] = relationship()

    __table_args__ = (sa.UniqueConstraint("organizer_id", "unit_id", "field"),)

    def __str__(self) -> str:
        return str(self.unit)


def _invited_units(conference: Conference) -> set[int]:
    return set(db.session.scalars(sa.select(Invitation.unit_id).where(
        Invitation.conference_id == conference.id, Invitation.unit_id.isnot(None))))


def apply_standing_audience(conference: Conference) -> int:
    """Invite the organizer's standing audience (the rows without a field) to a new conference; how many added."""
    rows = db.session.scalars(sa.select(StandingInvitee).where(
        StandingInvitee.organizer_id == conference.organizer_id, StandingInvitee.field.is_(None))
        .order_by(StandingInvitee.id)).all()
    invited = _invited_units(conference)
    added = 0
    for row in rows:
        if row.unit_id not in invited:
            db.session.add(Invitation(conference_id=conference.id, unit_id=row.unit_id, note=str(row.group.label)))
            invited.add(row.unit_id)
            added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class Proposal:
    """A department to invite because recommendations in its fields arrived."""

    unit: Unit
    fields: tuple[Field, ...]


def proposed_invitees(conference: Conference) -> list[Proposal]:
    """The departments concerned by the fields of the conference's recommendations, not invited yet."""
    fields = set(db.session.scalars(sa.select(Recommendation.field).where(
        Recommendation.conference_id == conference.id,
        Recommendation.status != RecommendationStatus.WITHDRAWN)))
    if not fields:
        return []
    rows = db.session.scalars(sa.select(StandingInvitee).where(
        StandingInvitee.organizer_id == conference.organizer_id, StandingInvitee.field.in_(fields))
        .order_by(StandingInvitee.id)).all()
    invited = _invited_units(conference)
    by_unit: dict[int, tuple[Unit, list[Field]]] = {}
    for row in rows:
        if row.unit_id not in invited:
            by_unit.setdefault(row.unit_id, (row.unit, []))[1].append(row.field)
    return [Proposal(unit, tuple(f)) for unit, f in by_unit.values()]


def invite_proposed(conference: Conference) -> int:
    """Invite every proposed department (the announcements job sends them the invitation); how many added."""
    proposals = proposed_invitees(conference)
    for p in proposals:
        db.session.add(Invitation(conference_id=conference.id, unit_id=p.unit.id,
                                  note=", ".join(str(f.label) for f in p.fields)[:300]))
    db.session.flush()
    return len(proposals)
