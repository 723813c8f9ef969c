"""The counts every document and summary screen shows, computed in one place.

Three subjects: a conference (attendance, recommendations received and answered, R2 and R5),
the hotline over a period (R11), a newsletter issue (R10). Every date judged here comes from
:mod:`heza.rules` or from the due date stored with the item (see :mod:`heza.deadlines`); nothing
here computes a deadline of its own.

Conventions, so that documents and screens agree:

- a recommendation withdrawn by its enterprise is counted apart and nowhere else;
- "in time" is R2 (:func:`heza.rules.received_in_time`) against the conference day;
- an answer in writing is on time when its local date is on or before the stored ``due_on``
  (an item without a due date cannot be late);
- "open" is judged now (``today``), so a report drafted later shows later answers.
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from heza import rules
from heza.base import LOCAL_ZONE, local_date_of, local_today
from heza.conferences.models import Conference, Invitation, Registration
from heza.directory.models import Unit
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, HotlineChannel, HotlineItem, HotlineKind, HotlineStatus
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.recommendations.models import (
    OPEN_STATUSES,
    AnswerMethod,
    Field,
    Recommendation,
    RecommendationStatus,
)

# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u; tones second.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def _letter(base: str, marks: str) -> str:
    if base == "d" and "đ" in marks:
        return "đ"
    for mark in marks:
        if mark == "\u0306" and base == "a":
            return "ă"
        if mark == "\u0302" and base in "aeo":
            return {"a": "â", "e": "ê", "o": "ô"}[base]
        if mark == "\u031b" and base in "ou":
            return {"o": "ơ", "u": "ư"}[base]
    return base


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key sorting Vietnamese names as a Vietnamese reader expects (Đ after D, tones after letters)."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        if ch == "đ":
            base, marks = "d", "đ"
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            base, marks = decomposed[0], decomposed[1:]
        letter = _letter(base, marks)
        letters.append(_RANK.get(letter, len(_ALPHABET) + ord(letter)) if letter.isalpha() else ord(letter) - 1000)
        tones.append(next((_TONES[m] for m in marks if m in _TONES), 0))
    return tuple(letters), tuple(tones)


# Conferences ------------------------------------------------------------------------------------


class Outcome(str, Enum):
    """Where a recommendation stands for the result report."""

    AT_CONFERENCE = "at_conference"
    WRITTEN_ON_TIME = "written_on_time"
    WRITTEN_LATE = "written_late"
    OPEN = "open"
    WITHDRAWN = "withdrawn"


def answered_on_time(answered_dt: datetime | None, due_on: date | None) -> bool:
    """Whether an answer given at ``answered_dt`` met the stored due date (local calendar day)."""
    if answered_dt is None:
        return False
    return due_on is None or local_date_of(answered_dt) <= due_on


def recommendation_outcome(rec: Recommendation) -> Outcome:
    """Answered at the conference, in writing on time or late, still open, or withdrawn."""
    if rec.status == RecommendationStatus.WITHDRAWN:
        return Outcome.WITHDRAWN
    if rec.status != RecommendationStatus.ANSWERED:
        return Outcome.OPEN
    if rec.answer_method == AnswerMethod.AT_CONFERENCE:
        return Outcome.AT_CONFERENCE
    return Outcome.WRITTEN_ON_TIME if answered_on_time(rec.answered_dt, rec.due_on) else Outcome.WRITTEN_LATE


def is_overdue(due_on: date | None, today: date) -> bool:
    """An open item past its stored due date."""
    return due_on is not None and due_on < today


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
        """R3 from the registrations and recommendations received by the R2 cutoff."""
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
    registered_in_time = sum(1 for r in registrations if rules.received_in_time(r.received_dt, basis, settings))
    attendees = sum(len(r.attendees) for r in registrations)

    recs = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.conference_id == conference.id)
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
    return ConferenceStats(
        conference=conference, today=today, settings=settings, cutoff=cutoff,
        enterprises_invited=enterprises_invited, agencies_invited=agencies,
        enterprises_registered=len(registrations), enterprises_registered_in_time=registered_in_time,
        attendees=attendees, recommendations=list(recs), in_time_ids=in_time_ids,
        by_field=[c for c in counts.values() if c.received], withdrawn=withdrawn, open_items=open_items,
    )


# Periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A month or a quarter of local dates, both ends included."""

    start: date
    end: date
    label: str
    slug: str

    def instants(self) -> tuple[datetime, datetime]:
        """The UTC instants bounding the period: [start of first day, start of the day after)."""
        first = datetime.combine(self.start, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)
        after = date.fromordinal(self.end.toordinal() + 1)
        return first, datetime.combine(after, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A month or quarter written in a way we cannot read."""


def month_period(text: str) -> Period:
    """"2026-05" → May 2026."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(_("Tháng có dạng YYYY-MM, ví dụ 2026-05."))
    year, month = int(match.group(1)), int(match.group(2))
    last = _calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last),
                  _("tháng %(m)02d năm %(y)d", m=month, y=year), f"{year}-{month:02d}")


def quarter_period(text: str) -> Period:
    """"2026-2" or "2026-Q2" → the second quarter of 2026."""
    match = re.fullmatch(r"\s*(\d{4})-[Qq]?([1-4])\s*", text or "")
    if not match:
        raise PeriodError(_("Quý có dạng YYYY-Q, ví dụ 2026-2."))
    year, quarter = int(match.group(1)), int(match.group(2))
    first_month = 3 * quarter - 2
    last = _calendar.monthrange(year, first_month + 2)[1]
    return Period(date(year, first_month, 1), date(year, first_month + 2, last),
                  _("quý %(q)s năm %(y)d", q=_ROMAN[quarter], y=year), f"{year}-Q{quarter}")


# Hotline ------------------------------------------------------------------------------------------


@dataclass
class UnitCount:
    """Hotline items assigned to one unit (or to none yet)."""

    unit_id: int | None
    name: str
    received: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class HotlineStats:
    """Hotline intake and handling for a period (R11), as of ``today``."""

    period: Period
    today: date
    items: list[HotlineItem]
    by_channel_kind: Counter[tuple[HotlineChannel, HotlineKind]]
    on_time: int
    late: int
    open: int
    overdue: int
    units: list[UnitCount]
    organizer_id: int | None = None
    unit_id: int | None = None

    @property
    def total(self) -> int:
        """Items received in the period."""
        return len(self.items)

    def channel_total(self, channel: HotlineChannel) -> int:
        """Items received through one channel."""
        return sum(n for (c, _k), n in self.by_channel_kind.items() if c == channel)

    def kind_total(self, kind: HotlineKind) -> int:
        """Items of one kind."""
        return sum(n for (_c, k), n in self.by_channel_kind.items() if k == kind)

    @property
    def handled(self) -> int:
        """Items answered or closed, on time or late."""
        return self.on_time + self.late


HANDLED = (HotlineStatus.ANSWERED, HotlineStatus.CLOSED)


def hotline_handled_on_time(item: HotlineItem) -> bool | None:
    """True/False for an answered item (met its stored due date or not), None while it is open."""
    if item.status not in HANDLED:
        return None
    return answered_on_time(item.responded_dt, item.due_on)


def hotline_stats(period: Period, today: date | None = None, *, organizer_id: int | None = None,
                  unit_id: int | None = None) -> HotlineStats:
    """Count the hotline items received in ``period`` by channel and kind, handling and unit.

    ``unit_id`` limits the count to one unit's items (what a unit user may see).
    """
    today = today or local_today()
    first, after = period.instants()
    query = (sa.select(HotlineItem).where(HotlineItem.received_dt >= first, HotlineItem.received_dt < after)
             .options(selectinload(HotlineItem.assigned_unit))
             .order_by(HotlineItem.received_dt, HotlineItem.id))
    if organizer_id is not None:
        query = query.where(HotlineItem.organizer_id == organizer_id)
    if unit_id is not None:
        query = query.where(HotlineItem.assigned_unit_id == unit_id)
    items = list(db.session.scalars(query).all())
    matrix: Counter[tuple[HotlineChannel, HotlineKind]] = Counter((i.channel, i.kind) for i in items)
    units: dict[int | None, UnitCount] = {}
    on_time = late = still_open = overdue = 0
    for item in items:
        unit = units.get(item.assigned_unit_id)
        if unit is None:
            name = str(item.assigned_unit) if item.assigned_unit else _("Chưa phân công")
            unit = units[item.assigned_unit_id] = UnitCount(item.assigned_unit_id, name)
        unit.received += 1
        verdict = hotline_handled_on_time(item)
        if verdict is True:
            on_time += 1
            unit.on_time += 1
        elif verdict is False:
            late += 1
            unit.late += 1
        else:
            still_open += 1
            unit.open += 1
            if is_overdue(item.due_on, today):
                overdue += 1
                unit.overdue += 1
    ordered = sorted(units.values(), key=lambda u: (u.unit_id is None, vi_sort_key(u.name)))
    return HotlineStats(period, today, items, matrix, on_time, late, still_open, overdue, ordered,
                        organizer_id=organizer_id, unit_id=unit_id)


# Newsletter ---------------------------------------------------------------------------------------


class SubmissionState(str, Enum):
    """Where an article assignment stands against its due date (R10)."""

    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    PENDING = "pending"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """The state as shown in the status sheet."""
        return {
            "submitted": _("Đã nộp"),
            "submitted_late": _("Nộp muộn"),
            "pending": _("Chưa nộp (còn hạn)"),
            "overdue": _("Quá hạn, chưa nộp"),
        }[self.value]

    @property
    def late(self) -> bool:
        """Whether the unit is to be chased for it (overdue, or submitted after its due date)."""
        return self in (SubmissionState.SUBMITTED_LATE, SubmissionState.OVERDUE)


@dataclass
class AssignmentStatus:
    """One assignment of an issue with its due date, planned and submitted words, and state."""

    assignment: ArticleAssignment
    due: date
    planned_words: int | None
    submitted_on: date | None
    state: SubmissionState

    @property
    def words(self) -> int | None:
        """Words submitted, if counted."""
        return self.assignment.word_count

    @property
    def words_ratio(self) -> float | None:
        """Submitted words over planned words (1.0 = exactly the planned pages)."""
        if not self.planned_words or self.words is None:
            return None
        return self.words / self.planned_words


@dataclass
class LateUnit:
    """A unit with articles overdue or submitted late."""

    unit: Unit
    overdue: list[ArticleAssignment] = field(default_factory=list)
    submitted_late: list[ArticleAssignment] = field(default_factory=list)


@dataclass
class NewsletterStats:
    """The state of an issue's submissions, as of ``today``."""

    issue: NewsletterIssue
    today: date
    rows: list[AssignmentStatus]
    late_units: list[LateUnit]

    @property
    def submitted(self) -> int:
        """Assignments submitted."""
        return sum(1 for r in self.rows if r.submitted_on is not None)

    @property
    def not_submitted(self) -> int:
        """Assignments not yet submitted."""
        return sum(1 for r in self.rows if r.submitted_on is None)

    @property
    def planned_words(self) -> int:
        """Words planned over all assignments with pages (R10: 350 words per A4 page)."""
        return sum(r.planned_words or 0 for r in self.rows)

    @property
    def words(self) -> int:
        """Words submitted over all assignments."""
        return sum(r.words or 0 for r in self.rows)


def assignment_status(assignment: ArticleAssignment, issue: NewsletterIssue, today: date) -> AssignmentStatus:
    """R10 for one assignment: due by its own date or the issue's deadline; planned words from its pages."""
    due = rules.article_due(issue.deadline, assignment.due_on).due
    submitted_on = local_date_of(assignment.submitted_dt) if assignment.submitted_dt else None
    if submitted_on is not None:
        state = SubmissionState.SUBMITTED if submitted_on <= due else SubmissionState.SUBMITTED_LATE
    else:
        state = SubmissionState.OVERDUE if today > due else SubmissionState.PENDING
    return AssignmentStatus(assignment, due, rules.planned_words(assignment.pages), submitted_on, state)


def newsletter_stats(issue: NewsletterIssue, today: date | None = None, *, unit_id: int | None = None
                     ) -> NewsletterStats:
    """Each assignment of ``issue`` submitted or not, words against plan, and the late units.

    ``unit_id`` limits the rows to one unit's assignments (what a unit user may see).
    """
    today = today or local_today()
    query = (sa.select(ArticleAssignment).where(ArticleAssignment.issue_id == issue.id)
             .options(selectinload(ArticleAssignment.unit))
             .order_by(ArticleAssignment.position, ArticleAssignment.id))
    if unit_id is not None:
        query = query.where(ArticleAssignment.unit_id == unit_id)
    rows = [assignment_status(a, issue, today) for a in db.session.scalars(query).all()]
    late: dict[int, LateUnit] = {}
    for row in rows:
        if not row.state.late:
            continue
        entry = late.setdefault(row.assignment.unit_id, LateUnit(row.assignment.unit))
        target = entry.overdue if row.state == SubmissionState.OVERDUE else entry.submitted_late
        target.append(row.assignment)
    late_units = sorted(late.values(), key=lambda u: vi_sort_key(str(u.unit)))
    return NewsletterStats(issue, today, rows, late_units)


__all__ = [
    "OPEN_STATUSES", "HOTLINE_OPEN", "AssignmentStatus", "ConferenceStats", "FieldCount", "HotlineStats",
    "LateUnit", "NewsletterStats", "Outcome", "Period", "PeriodError", "SubmissionState", "UnitCount",
    "answered_on_time", "assignment_status", "conference_stats", "hotline_handled_on_time", "hotline_stats",
    "is_overdue", "month_period", "newsletter_stats", "quarter_period", "recommendation_outcome", "vi_sort_key",
]
