"""The counts of one conference (attendance, recommendations received and answered; R2, R3, R5).

Conventions, so that documents and screens agree:

- a recommendation withdrawn by its enterprise is counted apart and nowhere else;
- "in time" is R2 (:func:`heza.rules.received_in_time`) against the conference day;
- an answer in writing is on time when its local date is on or before the stored ``due_on``
  (an item without a due date cannot be late);
- "open" is judged now (``today``), so a report drafted later shows later answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from heza import rules
from heza.base import local_today
from heza.conferences.models import Conference, Invitation, Registration
from heza.extensions import db
from heza.recommendations.models import AnswerMethod, Field, Recommendation, RecommendationStatus
from heza.reports.collation import vi_sort_key
from heza.reports.timeliness import answered_on_time, is_overdue


class Outcome(str, Enum):
    """Where a recommendation stands for the result report."""

    AT_CONFERENCE = "at_conference"
    WRITTEN_ON_TIME = "written_on_time"
    WRITTEN_LATE = "written_late"
    OPEN = "open"
    WITHDRAWN = "withdrawn"


def recommendation_outcome(rec: Recommendation) -> Outcome:
    """Answered at the conference, in writing on time or late, still open, or withdrawn."""
    if rec.status == RecommendationStatus.WITHDRAWN:
        return Outcome.WITHDRAWN
    if rec.status != RecommendationStatus.ANSWERED:
        return Outcome.OPEN
    if rec.answer_method == AnswerMethod.AT_CONFERENCE:
        return Outcome.AT_CONFERENCE
    return Outcome.WRITTEN_ON_TIME if answered_on_time(rec.answered_dt, rec.due_on) else Outcome.WRITTEN_LATE


@dataclass
class FieldCount:
    """The recommendations of one field (lĩnh vực), received and answered."""

    field: Field
    received: int = 0
    in_time: int = 0
    late: int = 0
    at_conference: int = 0
    written_on_time: int = 0
    written_late: int = 0
    open: int = 0

    def add(self, in_time: bool, outcome: Outcome) -> None:
        """Count one recommendation, received in time or not, with its outcome."""
        self.received += 1
        if in_time:
            self.in_time += 1
        else:
            self.late += 1
        if outcome == Outcome.AT_CONFERENCE:
            self.at_conference += 1
        elif outcome == Outcome.WRITTEN_ON_TIME:
            self.written_on_time += 1
        elif outcome == Outcome.WRITTEN_LATE:
            self.written_late += 1
        else:
            self.open += 1


@dataclass
class ConferenceStats:
    """Attendance and recommendations of one conference, as of ``today``."""

    conference: Conference
    today: date
    settings: rules.Settings
    cutoff: rules.Deadline
    enterprises_invited: int
    agencies_invited: list[str]
    enterprises_registered: int
    enterprises_registered_in_time: int
    attendees: int
    recommendations: list[Recommendation]
    in_time_ids: set[int]
    by_field: list[FieldCount]
    withdrawn: int
    open_items: list[Recommendation]
    quorum_counts: rules.Quorum | None = None
    # Who came (checked in at the door), beside who registered; walk-ins count as attended only.
    enterprises_attended: int = 0
    attendees_attended: int = 0
    walk_ins: int = 0

    @property
    def attendance_recorded(self) -> bool:
        """Whether anyone was checked in (before check-in existed, reports speak of registrations only)."""
        return self.attendees_attended > 0

    @property
    def total(self) -> FieldCount:
        """The sum over fields (the total row of the table)."""
        out = FieldCount(Field.OTHER)
        for row in self.by_field:
            for name in ("received", "in_time", "late", "at_conference", "written_on_time", "written_late", "open"):
                setattr(out, name, getattr(out, name) + getattr(row, name))
        return out

    @property
    def received(self) -> int:
        """Recommendations received, the withdrawn ones excepted."""
        return self.total.received

    @property
    def overdue(self) -> int:
        """Open recommendations past their due date."""
        return sum(1 for r in self.open_items if is_overdue(r.due_on, self.today))

    @property
    def quorum(self) -> rules.Quorum:
        """R3: registrations by the R2 cutoff and, from those enterprises, recommendations by it."""
        if self.quorum_counts is not None:
            return self.quorum_counts
        return rules.quorum(self.enterprises_registered_in_time, len(self.in_time_ids), self.settings)

    def received_in_time(self, rec: Recommendation) -> bool:
        """R2 for one of this conference's recommendations."""
        return rec.id in self.in_time_ids


def conference_stats(conference: Conference, today: date | None = None, *, basis_day: date | None = None
                     ) -> ConferenceStats:
    """Count a conference's invitations, registrations and recommendations.

    ``basis_day`` is the day the R2 cutoff is counted from; it defaults to the conference day
    (a postponed conference's report uses the original day, the one the quorum failed for).
    """
    today = today or local_today()
    settings = conference.settings()
    basis = basis_day or conference.held_on
    cutoff = rules.registration_cutoff(basis, settings)

    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.conference_id == conference.id)
        .options(selectinload(Invitation.unit))
    ).all()
    enterprises_invited = sum(1 for i in invitations if i.enterprise_id is not None)
    agencies = sorted((str(i.unit) for i in invitations if i.unit is not None), key=vi_sort_key)

    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.conference_id == conference.id,
                                      Registration.withdrawn_dt.is_(None))
        .options(selectinload(Registration.attendees))
    ).all()
    walk_ins = sum(1 for r in registrations for a in r.attendees if a.walk_in)
    # An enterprise that only walked in did not register; its people count as attended, not registered.
    came_only = {r.id for r in registrations if r.attendees and all(a.walk_in for a in r.attendees)}
    registrations_attended = [r for r in registrations if any(a.checked_in_dt for a in r.attendees)]
    attendees_attended = sum(1 for r in registrations for a in r.attendees if a.checked_in_dt)
    registrations = [r for r in registrations if r.id not in came_only]
    registered_in_time = sum(1 for r in registrations if rules.received_in_time(r.received_dt, basis, settings))
    attendees = sum(1 for r in registrations for a in r.attendees if not a.walk_in)

    recs = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.conference_id == conference.id,
                                         # complaints and denunciations entered as recommendations: never counted
                                         Recommendation.status != RecommendationStatus.RECLASSIFIED)
        .options(selectinload(Recommendation.enterprise), selectinload(Recommendation.responsible_unit))
        .order_by(Recommendation.received_dt, Recommendation.id)
    ).all()
    counts = {f: FieldCount(f) for f in Field}
    in_time_ids: set[int] = set()
    withdrawn = 0
    open_items: list[Recommendation] = []
    for rec in recs:
        outcome = recommendation_outcome(rec)
        if outcome == Outcome.WITHDRAWN:
            withdrawn += 1
            continue
        in_time = rules.received_in_time(rec.received_dt, basis, settings)
        if in_time:
            in_time_ids.add(rec.id)
        counts[rec.field].add(in_time, outcome)
        if outcome == Outcome.OPEN:
            open_items.append(rec)
    open_items.sort(key=lambda r: (r.due_on or date.max, r.id))
    quorum = rules.quorum_of([(r.enterprise_id, r.received_dt) for r in registrations],
                             [(r.enterprise_id, r.received_dt) for r in recs
                              if r.status != RecommendationStatus.WITHDRAWN], basis, settings)
    return ConferenceStats(
        conference=conference, today=today, settings=settings, cutoff=cutoff,
        enterprises_invited=enterprises_invited, agencies_invited=agencies,
        enterprises_registered=len(registrations), enterprises_registered_in_time=registered_in_time,
        attendees=attendees, recommendations=list(recs), in_time_ids=in_time_ids,
        by_field=[c for c in counts.values() if c.received], withdrawn=withdrawn, open_items=open_items,
        quorum_counts=quorum,
        enterprises_attended=len(registrations_attended), attendees_attended=attendees_attended, walk_ins=walk_ins,
    )
