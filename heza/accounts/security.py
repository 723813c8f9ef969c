"""Login throttling: a lock per account after repeated failures, and a failure counter per client address.

Two limits, because they stop different attacks:

* **Per account** (``User.failed_logins``, ``User.locked_until_dt``): after
  ``LOGIN_MAX_FAILURES`` wrong passwords in a row the account is locked for ``LOGIN_LOCK_MINUTES``;
  while locked, attempts are refused without looking at the password (so guessing cannot go on)
  and do not extend the lock (so an attacker cannot keep a colleague locked out for ever by
  hammering: the lock ends on time and the owner gets five fresh tries). A success clears the count.
* **Per client address**: at most ``LOGIN_IP_MAX_FAILURES`` failed logins per
  ``LOGIN_IP_WINDOW_SECONDS`` from one address, whichever accounts they name (this stops one
  machine trying one password on many accounts, which the account lock does not see). Only
  failures count: a ward office whose staff all arrive through one NAT address at 8:00 logs in
  normally.

The address counter lives in the database (the ``rate_limit_hits`` table of
:mod:`heza.public.ratelimit`, keys ``login-fail:<address>``), not in process memory: a deployment
runs several web processes on several hosts (DESIGN.md, "Past one machine"), and a counter in
memory would multiply the limit by the number of processes and forget it at every restart.
Behind a reverse proxy, ``request.remote_addr`` must be the client's address (werkzeug's
``ProxyFix``), otherwise every failure counts against the proxy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import current_app, request

from heza.accounts.models import User
from heza.base import now_utc
from heza.extensions import db
from heza.public.ratelimit import window_start
from heza.ratelimit.models import RateLimitHit

DEFAULTS = {
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_IP_MAX_FAILURES": 20,
    "LOGIN_IP_WINDOW_SECONDS": 900,
}


@cache
def _dummy_hash() -> str:
    """A hash to check unknown addresses against: it costs as much as a real one, so a login for an
    unknown address takes as long as one for a known address (no account discovery by timing).

    Made on first need, not at import: an argon2 hash takes 64 MB and about a second, which every web
    worker, CLI command and test run paid at start (it set each worker's peak RSS).
    """
    return PasswordHasher().hash("heza-no-such-user")


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def client_address() -> str:
    return request.remote_addr or "unknown"


@dataclass(frozen=True)
class Outcome:
    """The result of one login attempt."""

    user: User | None
    reason: str  # "ok", "invalid", "locked", "address"
    retry_after: int = 0  # seconds, for "locked" and "address"

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


def _ip_key(address: str) -> str:
    return f"login-fail:{address}"[:200]


def address_failures(address: str, now: datetime) -> tuple[int, int]:
    """``(failures in the current window, seconds until the window ends)`` for ``address``."""
    period = setting("LOGIN_IP_WINDOW_SECONDS")
    start = window_start(now, period)
    count = db.session.scalar(
        sa.select(RateLimitHit.count).where(RateLimitHit.key == _ip_key(address), RateLimitHit.window_start == start)
    )
    retry_after = max(1, int((start + timedelta(seconds=period) - now).total_seconds()))
    return int(count or 0), retry_after


def _count_address_failure(address: str, now: datetime) -> None:
    start = window_start(now, setting("LOGIN_IP_WINDOW_SECONDS"))
    table = RateLimitHit.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(key=_ip_key(address), window_start=start, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key, table.c.window_start], set_={"count": table.c.count + 1}
    )
    db.session.execute(stmt)


def locked_for(user: User, now: datetime) -> int:
    """Seconds left on the account's lock (0 when not locked)."""
    if user.locked_until_dt is None or user.locked_until_dt <= now:
        return 0
    return max(1, int((user.locked_until_dt - now).total_seconds()))


def attempt(email: str, password: str, *, address: str | None = None, now: datetime | None = None) -> Outcome:
    """Check one login attempt, record what it teaches (failures, locks, last login) and commit."""
    now = now or now_utc()
    address = address or client_address()
    email = (email or "").strip().lower()

    failures, window_left = address_failures(address, now)
    if failures >= setting("LOGIN_IP_MAX_FAILURES"):
        return Outcome(None, "address", window_left)

    user = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
    if user is not None:
        left = locked_for(user, now)
        if left:
            return Outcome(user, "locked", left)

    if user is None or not user.active:
        PasswordHasher().verify(_dummy_hash(), "heza-no-such-user")  # same cost as a real check
        _count_address_failure(address, now)
        db.session.commit()
        return Outcome(None, "invalid")

    if not user.check_password(password):
        _count_address_failure(address, now)
        # In SQL, so two wrong passwords at the same instant both count.
        db.session.execute(
            sa.update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        )
        db.session.refresh(user)
        if user.failed_logins >= setting("LOGIN_MAX_FAILURES"):
            user.locked_until_dt = now + timedelta(minutes=setting("LOGIN_LOCK_MINUTES"))
            user.failed_logins = 0
            db.session.commit()
            return Outcome(user, "locked", locked_for(user, now))
        db.session.commit()
        return Outcome(user, "invalid")

    user.failed_logins = 0
    user.locked_until_dt = None
    user.last_login_dt = now
    db.session.commit()
    return Outcome(user, "ok")
