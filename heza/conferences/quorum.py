"""R3 counted from the database: what :func:`heza.rules.quorum_of` judges, for one conference or many.

The quorum job, the conference screen, the postpone report and the city overview all count through
here, so they agree: the enterprises registered by the R2 cutoff (registrations not withdrawn), and
the recommendations received by the cutoff from those enterprises (withdrawn ones, and those an officer
reclassified as complaints or denunciations, left out); the
other timely recommendations are reported as excluded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa

from heza import rules
from heza.conferences.models import Conference, Registration
from heza.extensions import db
from heza.recommendations.models import NOT_COUNTED, Recommendation

Received = list[tuple[int | None, datetime]]


def received(conference_ids: Iterable[int] | sa.Select) -> dict[int, tuple[Received, Received]]:
    """``{conference id: (registrations, recommendations)}`` as ``(enterprise id, received)`` pairs."""
    ids = conference_ids if isinstance(conference_ids, sa.Select) else list(conference_ids)
    found: dict[int, tuple[Received, Received]] = defaultdict(lambda: ([], []))
    for conference_id, enterprise_id, received_dt in db.session.execute(
            sa.select(Registration.conference_id, Registration.enterprise_id, Registration.received_dt)
            .where(Registration.conference_id.in_(ids), Registration.withdrawn_dt.is_(None))):
        found[conference_id][0].append((enterprise_id, received_dt))
    for conference_id, enterprise_id, received_dt in db.session.execute(
            sa.select(Recommendation.conference_id, Recommendation.enterprise_id, Recommendation.received_dt)
            .where(Recommendation.conference_id.in_(ids),
                   Recommendation.status.notin_(NOT_COUNTED))):  # withdrawn, or reclassified as a complaint
        found[conference_id][1].append((enterprise_id, received_dt))
    return found


def count(conference: Conference, basis_day: date | None = None) -> rules.Quorum:
    """R3 for ``conference`` at the R2 cutoff of ``basis_day`` (default: its day)."""
    registrations, recommendations = received([conference.id])[conference.id]
    return rules.quorum_of(registrations, recommendations, basis_day or conference.held_on, conference.settings())
