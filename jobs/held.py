"""Conferences whose day has passed are recorded as held, which opens their R6 result report.

A conference still announced the day after its date took place (a postponement or cancellation
would have changed its status), so the report and conclusion deadlines (R6, R7) start counting
without anyone having to remember to tick a box. Except one whose quorum (R3) was missed with no
decision recorded: it waits, and the digest and the overdue alerts keep asking for the decision
(postpone, cancel, or go ahead anyway with a reason).
"""

from __future__ import annotations

from datetime import date

from heza.conferences import decisions, operations, states
from heza.conferences.models import Conference
from heza.extensions import db
from jobs._common import count, live_conferences


def reconcile(today: date) -> dict[str, int]:
    """Mark every live conference dated before ``today`` as held."""
    counts: dict[str, int] = {}
    for conference in live_conferences(Conference.held_on < today):
        states.lock(conference)
        if not states.is_scheduled(conference) or conference.held_on >= today:
            continue  # changed by someone else meanwhile
        if decisions.awaiting_decision(conference, today):
            db.session.commit()  # nothing changed: release the row
            count(counts, "awaiting_decision")
            continue
        operations.mark_held(conference, today)
        db.session.commit()
        count(counts, "held")
    return counts
