"""A fixed-window rate limiter whose counters live in the database.

Why the database and not process memory: a city-wide deployment runs several web processes
on several hosts behind a load balancer (DESIGN, "Past one machine": no state lives in a
web process). A counter in memory would let a client make N times the limit by landing on
N processes, and would forget everything at each restart or deploy. One small upsert per
limited POST costs little next to the POST itself, and both SQLite and PostgreSQL make it
atomic (``INSERT … ON CONFLICT DO UPDATE … RETURNING``), so two processes counting the same
key at the same instant never lose a hit. Only POSTs are counted; reading a page writes nothing.

The limiter commits its counter at once (a refused or failing request must still count), so
call :func:`hit` at the start of a view, before the view changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from heza.base import now_utc
from heza.extensions import db
from heza.ratelimit.models import RateLimitHit

# scope -> (requests allowed, window in seconds); ``HEZA_RATE_LIMITS`` in the config overrides.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "proposal": (5, 3600),  # public topic proposals, per client address
    "enterprise": (30, 600),  # actions through one personal link
}
# Counters older than this are deleted as new hits arrive.
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one hit: allowed or not, and when to come back."""

    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def limit_for(scope: str) -> tuple[int, int]:
    """The (limit, period) of ``scope``, from the config or the defaults."""
    configured = current_app.config.get("HEZA_RATE_LIMITS") or {}
    limit, period = configured.get(scope, DEFAULT_LIMITS[scope])
    return int(limit), int(period)


def window_start(now: datetime, period: int) -> datetime:
    """The start of the fixed window of ``period`` seconds containing ``now``."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % period, UTC)


def _increment(key: str, start: datetime) -> int:
    table = RateLimitHit.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect in {"postgresql", "sqlite"}:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table).values(key=key, window_start=start, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key, table.c.window_start], set_={"count": table.c.count + 1}
        ).returning(table.c.count)
        return int(db.session.execute(stmt).scalar_one())
    # Other databases: update, else insert (a lost race only under-counts by one).
    where = sa.and_(table.c.key == key, table.c.window_start == start)
    if db.session.execute(table.update().where(where).values(count=table.c.count + 1)).rowcount == 0:
        db.session.execute(table.insert().values(key=key, window_start=start, count=1))
    return int(db.session.execute(sa.select(table.c.count).where(where)).scalar_one())


def hit(scope: str, identity: str, *, now: datetime | None = None) -> Verdict:
    """Count one request of ``identity`` in ``scope`` and say whether it is within the limit.

    Commits the counter (see the module docstring).
    """
    now = now or now_utc()
    limit, period = limit_for(scope)
    start = window_start(now, period)
    key = f"{scope}:{identity}"[:200]
    count = _increment(key, start)
    db.session.execute(sa.delete(RateLimitHit).where(RateLimitHit.window_start < now - KEEP))
    db.session.commit()
    retry_after = max(1, int((start + timedelta(seconds=period) - now).total_seconds()))
    return Verdict(count <= limit, count, limit, retry_after)
