"""The counts every document and summary screen shows, computed in one place.

Three subjects, one module each: a conference (:mod:`heza.reports.stats_conference`: attendance,
recommendations received and answered, R2, R3 and R5), the hotline over a period
(:mod:`heza.reports.stats_hotline`, R11; periods in :mod:`heza.reports.periods`) and a newsletter
issue (:mod:`heza.reports.stats_newsletter`, R10). Every date judged comes from :mod:`heza.rules`
or from the due date stored with the item (see :mod:`heza.deadlines` and
:mod:`heza.reports.timeliness`); nothing computes a deadline of its own. This module keeps the
names importable from one place.
"""

from __future__ import annotations

from heza.hotline.models import HOTLINE_OPEN
from heza.recommendations.models import OPEN_STATUSES
from heza.reports.collation import vi_sort_key
from heza.reports.periods import Period, PeriodError, month_period, quarter_period
from heza.reports.stats_conference import (
    ConferenceStats,
    FieldCount,
    Outcome,
    conference_stats,
    recommendation_outcome,
)
from heza.reports.stats_hotline import HANDLED, HotlineStats, UnitCount, hotline_handled_on_time, hotline_stats
from heza.reports.stats_newsletter import (
    AssignmentStatus,
    LateUnit,
    NewsletterStats,
    SubmissionState,
    assignment_status,
    newsletter_stats,
)
from heza.reports.timeliness import answered_on_time, is_overdue

__all__ = [
    "HANDLED", "OPEN_STATUSES", "HOTLINE_OPEN", "AssignmentStatus", "ConferenceStats", "FieldCount", "HotlineStats",
    "LateUnit", "NewsletterStats", "Outcome", "Period", "PeriodError", "SubmissionState", "UnitCount",
    "answered_on_time", "assignment_status", "conference_stats", "hotline_handled_on_time", "hotline_stats",
    "is_overdue", "month_period", "newsletter_stats", "quarter_period", "recommendation_outcome", "vi_sort_key",
]
