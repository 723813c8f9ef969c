"""The City overview's figures: per organizer, for a year, how it keeps the rules its plan sets.

Each figure is one query grouped by organizer (never one query per organizer: the city has about
115 of them), read through :func:`heza.tenancy.scope`. Every date judged is a stored due date
(:mod:`heza.deadlines`) or comes from :mod:`heza.rules`; nothing here computes a deadline.

* **Conferences held** (R8): conferences marked held on a day of the year, against the minimum
  (``min_conferences_per_year``) of an organizer whose plan sets R8; no minimum otherwise.
* **Result reports on time** (R6) and **recommendations answered on time** (R5): of the items due
  on a day of the year that has passed (1 January to yesterday, at most 31 December), how many
  were sent or answered on or before their due date. An item not yet due is not judged yet;
  withdrawn recommendations are not judged.
* **Overdue now**: open recommendations, conference tasks, hotline items and newsletter articles
  past their due date today, whatever the year.
* **Postponed or cancelled for lack of quorum** (R3): conferences postponed or cancelled whose day
  (the original day of a postponed one) falls in the year and which had fewer registrations or
  recommendations by the R2 cutoff than the quorum.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from heza import rules, tenancy
from heza.conferences import quorum
from heza.conferences.models import Conference, ConferenceStatus, Registration, Report, ReportKind, Task
from heza.directory.models import Organizer
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.recommendations.models import NOT_COUNTED, OPEN_STATUSES, Recommendation, RecommendationStatus
from heza.reports.timeliness import answered_on_time_sql

# The kinds of open items counted as overdue, in the order of the screen's columns.
OVERDUE_KINDS: tuple[str, ...] = ("recommendations", "tasks", "hotline", "articles")
CALLED_OFF = (ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED)


@dataclass(frozen=True)
class Window:
    """The due dates judged for a year: 1 January to yesterday, at most 31 December (may be empty)."""

    start: date
    end: date

    @property
    def empty(self) -> bool:
        return self.end < self.start


def judged_window(year: int, today: date) -> Window:
    return Window(date(year, 1, 1), min(date(year, 12, 31), today - timedelta(days=1)))


@dataclass
class Ratio:
    """Items judged against their due date, and how many met it."""

    on_time: int = 0
    judged: int = 0

    @property
    def late(self) -> int:
        return self.judged - self.on_time

    @property
    def rate(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    @property
    def percent(self) -> int | None:
        return round(self.rate * 100) if self.rate is not None else None

    def add(self, other: Ratio) -> None:
        self.on_time += other.on_time
        self.judged += other.judged


@dataclass
class OrganizerFigures:
    """One row of the overview (or the city's total, with ``organizer_id`` None)."""

    organizer_id: int | None
    name: str
    kind: str = ""
    held: int = 0
    minimum: int | None = None  # R8's minimum when the organizer's plan sets R8
    first_half: int = 0
    second_half: int = 0
    reports: Ratio = field(default_factory=Ratio)
    answers: Ratio = field(default_factory=Ratio)
    overdue: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OVERDUE_KINDS, 0))
    called_off: int = 0  # postponed or cancelled for lack of quorum (R3)
    # Enterprises at the conferences held in the year: registered, and checked in at the door.
    enterprises_registered: int = 0
    enterprises_attended: int = 0
    attendees_attended: int = 0

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())

    @property
    def shortfall(self) -> int | None:
        """Conferences still missing to reach the R8 minimum (None when the plan does not set R8)."""
        return None if self.minimum is None else max(0, self.minimum - self.held)


@dataclass(frozen=True)
class Overview:
    year: int
    today: date
    window: Window
    rows: list[OrganizerFigures]
    total: OrganizerFigures


def _scoped(query: sa.Select[Any], model: Any, viewer: tenancy.Viewer) -> sa.Select[Any]:
    return tenancy.scope(query, model, viewer)


def _year(column: Any, year: int) -> Any:
    return column.between(date(year, 1, 1), date(year, 12, 31))


# --------------------------------------------------------------------------- one query per figure


def organizers(viewer: tenancy.Viewer) -> list[Organizer]:
    """The organizers the viewer may see, with their plans (the rules they set) read in one more query."""
    query = sa.select(Organizer).options(selectinload(Organizer.plans)).order_by(Organizer.name, Organizer.id)
    return list(db.session.scalars(_scoped(query, Organizer, viewer)))


def held_days(year: int, viewer: tenancy.Viewer) -> dict[int, list[date]]:
    """The days of each organizer's conferences held in ``year``."""
    query = _scoped(sa.select(Conference.organizer_id, Conference.held_on)
                    .where(Conference.status == ConferenceStatus.HELD, _year(Conference.held_on, year)),
                    Conference, viewer)
    days: dict[int, list[date]] = defaultdict(list)
    for organizer_id, held_on in db.session.execute(query):
        days[organizer_id].append(held_on)
    return days


def year_checks(year: int, viewer: tenancy.Viewer, orgs: Iterable[Organizer] | None = None
                ) -> dict[int, tuple[Organizer, rules.YearCheck | None]]:
    """R8 for each organizer the viewer sees: its conferences held in ``year`` against its plan's minimum.

    The check is None for an organizer whose plan does not set R8. The city overview, the dashboard
    and the yearly R8 job all read it from here, so they agree.
    """
    orgs = list(orgs) if orgs is not None else organizers(viewer)
    days = held_days(year, viewer)
    result: dict[int, tuple[Organizer, rules.YearCheck | None]] = {}
    for org in orgs:
        s = org.settings()
        result[org.id] = (org, rules.ward_conferences_check(year, days.get(org.id, []), s) if s.applies("R8")
                          else None)
    return result


def attendance(year: int, viewer: tenancy.Viewer) -> dict[int, tuple[int, int, int]]:
    """Per organizer, over its conferences held in ``year``: (enterprises registered, enterprises that
    came, people who came). One query; an enterprise counts once per conference. Walk-ins count as
    came, not as registered; withdrawn registrations not at all."""
    from heza.conferences.models import Attendee

    held = _scoped(sa.select(Conference.id).where(Conference.status == ConferenceStatus.HELD,
                                                  _year(Conference.held_on, year)), Conference, viewer)
    registered = sa.func.max(sa.case((sa.not_(Attendee.walk_in), 1), else_=0))
    came = sa.func.max(sa.case((Attendee.checked_in_dt.is_not(None), 1), else_=0))
    people = sa.func.sum(sa.case((Attendee.checked_in_dt.is_not(None), 1), else_=0))
    per_registration = (
        sa.select(Conference.organizer_id.label("organizer_id"), registered.label("registered"),
                  came.label("came"), people.label("people"))
        .select_from(Registration)
        .join(Conference, Conference.id == Registration.conference_id)
        .outerjoin(Attendee, Attendee.registration_id == Registration.id)
        .where(Registration.conference_id.in_(held), Registration.withdrawn_dt.is_(None))
        .group_by(Registration.id, Conference.organizer_id)
    ).subquery()
    query = (sa.select(per_registration.c.organizer_id, sa.func.sum(sa.func.coalesce(per_registration.c.registered, 1)),
                       sa.func.sum(sa.func.coalesce(per_registration.c.came, 0)),
                       sa.func.sum(sa.func.coalesce(per_registration.c.people, 0)))
             .group_by(per_registration.c.organizer_id))
    return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)) for row in db.session.execute(query)}


def _ratios(query: sa.Select[Any]) -> dict[int, Ratio]:
    """``organizer_id, judged, on_time`` rows (one per organizer) as ratios."""
    found: dict[int, Ratio] = defaultdict(Ratio)
    for organizer_id, judged, on_time in db.session.execute(query):
        found[organizer_id] = Ratio(on_time=int(on_time or 0), judged=int(judged or 0))
    return found


def _on_time_total(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def result_reports(window: Window, viewer: tenancy.Viewer) -> dict[int, Ratio]:
    """R6: result reports due in the window, and those submitted on or before their due date."""
    if window.empty:
        return defaultdict(Ratio)
    dialect = db.session.get_bind(mapper=sa.inspect(Report)).dialect.name
    on_time = answered_on_time_sql(Report.submitted_dt, Report.due_on, dialect)
    query = _scoped(sa.select(Report.organizer_id, sa.func.count(), _on_time_total(on_time))
                    .where(Report.kind == ReportKind.RESULT, Report.due_on.between(window.start, window.end)),
                    Report, viewer)
    return _ratios(query.group_by(Report.organizer_id))


def answers(window: Window, viewer: tenancy.Viewer) -> dict[int, Ratio]:
    """R5: recommendations (not withdrawn) due in the window, and those answered by their due date."""
    if window.empty:
        return defaultdict(Ratio)
    dialect = db.session.get_bind(mapper=sa.inspect(Recommendation)).dialect.name
    on_time = sa.and_(Recommendation.status == RecommendationStatus.ANSWERED,
                      answered_on_time_sql(Recommendation.answered_dt, Recommendation.due_on, dialect))
    query = _scoped(sa.select(Recommendation.organizer_id, sa.func.count(), _on_time_total(on_time))
                    .where(Recommendation.status.notin_(NOT_COUNTED),
                           Recommendation.due_on.between(window.start, window.end)),
                    Recommendation, viewer)
    return _ratios(query.group_by(Recommendation.organizer_id))


def _counts(query: sa.Select[Any]) -> dict[int, int]:
    return {organizer_id: count for organizer_id, count in db.session.execute(query)}


def overdue_recommendations(today: date, viewer: tenancy.Viewer) -> dict[int, int]:
    organizer = Recommendation.organizer_id
    return _counts(_scoped(sa.select(organizer, sa.func.count())
                           .where(Recommendation.status.in_(OPEN_STATUSES), Recommendation.due_on < today)
                           .group_by(organizer), Recommendation, viewer))


def overdue_tasks(today: date, viewer: tenancy.Viewer) -> dict[int, int]:
    """Open conference tasks past their due date, counted for the conference's organizer."""
    organizer = Conference.organizer_id
    return _counts(_scoped(sa.select(organizer, sa.func.count())
                           .select_from(Task).join(Conference, Task.conference_id == Conference.id)
                           .where(Task.done_dt.is_(None), Task.due_on < today)
                           .group_by(organizer), Task, viewer))


def overdue_hotline(today: date, viewer: tenancy.Viewer) -> dict[int, int]:
    organizer = HotlineItem.organizer_id
    return _counts(_scoped(sa.select(organizer, sa.func.count())
                           .where(HotlineItem.status.in_(HOTLINE_OPEN), HotlineItem.due_on < today)
                           .group_by(organizer), HotlineItem, viewer))


def overdue_articles(today: date, viewer: tenancy.Viewer, settings: dict[int, rules.Settings]) -> dict[int, int]:
    """Articles not sent past their due date (R10: the assignment's own date, else the issue's deadline)."""
    query = _scoped(sa.select(NewsletterIssue.organizer_id, ArticleAssignment.due_on, NewsletterIssue.deadline)
                    .join(NewsletterIssue, ArticleAssignment.issue_id == NewsletterIssue.id)
                    .where(ArticleAssignment.submitted_dt.is_(None)), ArticleAssignment, viewer)
    found: Counter[int] = Counter()
    for organizer_id, own_due, issue_deadline in db.session.execute(query):
        s = settings.get(organizer_id) or rules.Settings()
        if rules.article_due(issue_deadline, own_due, s).due < today:
            found[organizer_id] += 1
    return dict(found)


def called_off_for_quorum(year: int, viewer: tenancy.Viewer) -> dict[int, list[int]]:
    """R3: the ids of each organizer's conferences postponed or cancelled short of the quorum.

    Three queries for the whole city: the conferences called off whose day (the original day of a
    postponed one) is in ``year``, then their registrations and recommendations (withdrawn ones
    left out), each counted if received by the R2 cutoff of that day.
    """
    basis_day = sa.func.coalesce(Conference.postponed_from, Conference.held_on)
    selected = _scoped(sa.select(Conference).where(Conference.status.in_(CALLED_OFF), _year(basis_day, year)),
                       Conference, viewer)
    conferences = list(db.session.scalars(selected))
    if not conferences:
        return {}
    ids = _scoped(sa.select(Conference.id).where(Conference.status.in_(CALLED_OFF), _year(basis_day, year)),
                  Conference, viewer)
    got = quorum.received(ids)
    found: dict[int, list[int]] = defaultdict(list)
    for conference in conferences:
        s = conference.settings()  # the organizer and its plans are already in the session: no query
        registrations, recommendations = got[conference.id]
        if not rules.quorum_of(registrations, recommendations, conference.postponed_from or conference.held_on,
                               s).met:
            found[conference.organizer_id].append(conference.id)
    return found


# --------------------------------------------------------------------------- the table


def city_overview(year: int, today: date, viewer: tenancy.Viewer) -> Overview:
    """Every organizer the viewer may see, with its figures for ``year`` as of ``today``."""
    window = judged_window(year, today)
    orgs = organizers(viewer)
    settings = {o.id: o.settings() for o in orgs}
    days = held_days(year, viewer)
    checks = year_checks(year, viewer, orgs)
    reports = result_reports(window, viewer)
    answered = answers(window, viewer)
    overdue = {
        "recommendations": overdue_recommendations(today, viewer),
        "tasks": overdue_tasks(today, viewer),
        "hotline": overdue_hotline(today, viewer),
        "articles": overdue_articles(today, viewer, settings),
    }
    called_off = called_off_for_quorum(year, viewer)
    came = attendance(year, viewer)

    rows = []
    for org in orgs:
        r8 = checks[org.id][1]
        check = r8 or rules.ward_conferences_check(year, days.get(org.id, []), settings[org.id])
        rows.append(OrganizerFigures(
            organizer_id=org.id,
            name=org.name,
            kind=str(org.kind.label) if org.kind is not None else "",
            held=check.count,
            minimum=r8.needed if r8 is not None else None,
            first_half=check.first_half,
            second_half=check.second_half,
            reports=reports.get(org.id, Ratio()),
            answers=answered.get(org.id, Ratio()),
            overdue={kind: overdue[kind].get(org.id, 0) for kind in OVERDUE_KINDS},
            called_off=len(called_off.get(org.id, ())),
            enterprises_registered=came.get(org.id, (0, 0, 0))[0],
            enterprises_attended=came.get(org.id, (0, 0, 0))[1],
            attendees_attended=came.get(org.id, (0, 0, 0))[2],
        ))
    return Overview(year, today, window, rows, totals(rows))


def totals(rows: Iterable[OrganizerFigures]) -> OrganizerFigures:
    """The city's total of every column (no minimum: R8 is each organizer's own)."""
    from flask_babel import gettext as _

    total = OrganizerFigures(None, _("Toàn thành phố"))
    for row in rows:
        total.held += row.held
        total.first_half += row.first_half
        total.second_half += row.second_half
        total.reports.add(row.reports)
        total.answers.add(row.answers)
        for kind in OVERDUE_KINDS:
            total.overdue[kind] += row.overdue[kind]
        total.called_off += row.called_off
        total.enterprises_registered += row.enterprises_registered
        total.enterprises_attended += row.enterprises_attended
        total.attendees_attended += row.attendees_attended
    return total
