"""``/healthz`` and ``/readyz`` for a load balancer or an orchestrator: JSON, no login, nothing sensitive.

- ``/healthz`` (liveness): the process answers. It touches nothing else, so a database outage does
  not make every web process look dead and get restarted in a loop.
- ``/readyz`` (readiness): the database answers and its schema is at the newest migration
  (``heza init`` ran after the code was updated); 503 otherwise, so the balancer sends no one to a
  host that would fail them. It also reports, without failing on them, the scheduler's heartbeat
  (the age of the newest job-run row) and the outbox backlog (pending emails and the oldest one's
  age): a stopped scheduler must be seen and fixed, not take the web site down with it.

Neither names the database, its host, a version or an error text: the answer carries states and
numbers only (the error goes to the log).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify

from heza.base import now_utc
from heza.extensions import csrf, db

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


def newest_heads(app: Flask) -> set[str]:
    """The migration heads the code ships (read once per app: the files do not change under it)."""
    heads = app.extensions.get("heza_schema_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        from heza import MIGRATIONS_DIR

        heads = app.extensions["heza_schema_heads"] = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    return heads


def _age(then: datetime | None, now: datetime) -> int | None:
    return None if then is None else max(0, int((now - then).total_seconds()))


@bp.get("/healthz")
def healthz() -> Any:
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> Any:
    from heza.jobruns.models import JobRun
    from heza.outbox.models import EmailStatus, OutboundEmail

    body: dict[str, Any] = {"status": "ready", "database": "ok", "schema": "current"}
    try:
        current = set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        missing_table = isinstance(exc, (sa.exc.ProgrammingError, sa.exc.OperationalError)) and _database_answers()
        log.warning("readyz: %s", "no schema (run `heza init`)" if missing_table else "database unreachable",
                    exc_info=not missing_table)
        if missing_table:
            body.update(status="not ready", schema="missing")
        else:
            body.update(status="not ready", database="unreachable", schema="unknown")
        return _no_store(jsonify(body)), 503
    if current != newest_heads(current_app):
        body.update(status="not ready", schema="behind" if current else "missing")
        return _no_store(jsonify(body)), 503

    now = now_utc()
    newest_run = db.session.execute(sa.select(sa.func.max(JobRun.started_dt), sa.func.max(JobRun.finished_dt))).one()
    heartbeat = max((t for t in newest_run if t is not None), default=None)
    pending = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(OutboundEmail.created_dt))
        .where(OutboundEmail.status.in_([EmailStatus.PENDING, EmailStatus.SENDING]))
    ).one()
    from heza.jobruns.runner import STALE_AFTER

    age = _age(heartbeat, now)
    body["scheduler"] = {"heartbeat_age_seconds": age,
                         "stale": age is None or age > STALE_AFTER.total_seconds()}
    body["outbox"] = {"pending": int(pending[0] or 0), "oldest_pending_age_seconds": _age(pending[1], now)}
    db.session.rollback()  # read-only: end the transaction, hand the connection back
    return _no_store(jsonify(body))


def _database_answers() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        db.session.rollback()


def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
