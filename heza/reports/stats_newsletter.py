"""The state of a newsletter issue's submissions (R10): per assignment, words against plan, late units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from heza import rules
from heza.base import local_date_of, local_today
from heza.directory.models import Unit
from heza.extensions import db
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.reports.collation import vi_sort_key


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

    unit: Unit | None  # None: the rows no unit was named for
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


def issue_settings(issue: NewsletterIssue) -> rules.Settings:
    """The settings (and plans cited) of the organizer publishing ``issue``."""
    return issue.organizer.settings() if issue.organizer is not None else rules.Settings()


def assignment_status(assignment: ArticleAssignment, issue: NewsletterIssue, today: date,
                      settings: rules.Settings | None = None) -> AssignmentStatus:
    """R10 for one assignment: due by its own date or the issue's deadline; planned words from its pages.

    ``settings`` are the issuing organizer's (read from the issue when not given).
    """
    settings = settings if settings is not None else issue_settings(issue)
    due = rules.article_due(issue.deadline, assignment.due_on, settings).due
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
    settings = issue_settings(issue)
    rows = [assignment_status(a, issue, today, settings) for a in db.session.scalars(query).all()]
    late: dict[int, LateUnit] = {}
    for row in rows:
        if not row.state.late:
            continue
        entry = late.setdefault(row.assignment.unit_id, LateUnit(row.assignment.unit))
        target = entry.overdue if row.state == SubmissionState.OVERDUE else entry.submitted_late
        target.append(row.assignment)
    late_units = sorted(late.values(), key=lambda u: vi_sort_key(str(u.unit or "")))
    return NewsletterStats(issue, today, rows, late_units)
