"""The database-backed limiter: fixed windows, separate keys, counters shared between connections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from heza.extensions import db as _db
from heza.public import ratelimit
from heza.ratelimit.models import RateLimitHit

T0 = datetime(2026, 3, 2, 2, 0, 30, tzinfo=UTC)


def test_window_start_is_aligned():
    assert ratelimit.window_start(T0, 600) == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert ratelimit.window_start(T0, 3600) == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_limit_within_a_window_then_a_new_window(app, db):
    app.config["HEZA_RATE_LIMITS"] = {"proposal": (3, 600)}
    try:
        verdicts = [ratelimit.hit("proposal", "10.0.0.1", now=T0 + timedelta(seconds=i)) for i in range(4)]
        assert [v.allowed for v in verdicts] == [True, True, True, False]
        assert verdicts[-1].count == 4 and verdicts[-1].limit == 3
        assert 0 < verdicts[-1].retry_after <= 600
        assert ratelimit.hit("proposal", "10.0.0.2", now=T0).allowed  # another client
        assert ratelimit.hit("enterprise", "10.0.0.1", now=T0).allowed  # another scope
        assert ratelimit.hit("proposal", "10.0.0.1", now=T0 + timedelta(minutes=10)).allowed  # next window
    finally:
        app.config.pop("HEZA_RATE_LIMITS")


def test_counts_are_in_the_database_for_every_process(db):
    ratelimit.hit("proposal", "10.0.0.7", now=T0)
    # A second engine stands for another web process: it sees the same count.
    other = sa.create_engine(_db.engine.url)
    try:
        with other.connect() as conn:
            count = conn.execute(sa.select(RateLimitHit.count).where(RateLimitHit.key == "proposal:10.0.0.7")).scalar()
        assert count == 1
    finally:
        other.dispose()
    assert ratelimit.hit("proposal", "10.0.0.7", now=T0).count == 2


def test_old_counters_are_cleared(db):
    ratelimit.hit("proposal", "10.0.0.8", now=T0)
    ratelimit.hit("proposal", "10.0.0.9", now=T0 + timedelta(days=2))
    keys = set(_db.session.scalars(sa.select(RateLimitHit.key)))
    assert keys == {"proposal:10.0.0.9"}
