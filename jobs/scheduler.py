"""``heza scheduler``: the one process that runs the jobs on time (APScheduler 3, Asia/Ho_Chi_Minh).

The daily jobs run at 07:00 local time as one scheduled run that goes through the registry in
order (a conference marked held before the overdue alerts look at it, invitations before the
reminders that follow them), each job with its own lock and JobRun row; delivery runs every
minute. ``coalesce=True`` and ``misfire_grace_time=None``: a run missed while the machine slept
happens once when it wakes, not once per missed day and not never. A scheduler started after
07:00 that finds no completed run for today runs the daily jobs at once.

Never start this inside the web app (``create_app``) or its workers: each worker would run every
job. Several scheduler processes (one per host) are the way to run it: each daily job waits for
its lock in :mod:`heza.jobruns.runner` and runs only if no run of it completed for the day, so
one scheduler works and the others find the work done; when the working one dies mid-run, its
lock goes with its connection and a standby does the job. Delivery claims rows with
``FOR UPDATE SKIP LOCKED`` and runs everywhere. Unique email keys stand behind both.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, time

import sqlalchemy as sa
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

import jobs
from heza.base import LOCAL_ZONE, local_today
from heza.jobruns import runner
from heza.jobruns.models import JobRun

log = logging.getLogger(__name__)

DAILY_AT = time(7, 0)
DAILY_ID = "daily"
DELIVERY_ID = "delivery"
JOB_OPTIONS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None, "replace_existing": True}

_app: Flask | None = None  # set by build_scheduler: the job functions run in its app context


def run_daily() -> list[runner.RunOutcome]:
    """Run every daily job in registry order, for today (inside the scheduler's app)."""
    with _require_app().app_context():
        today = local_today()
        return [runner.run_job(spec.id, spec.load(), today, locked=spec.locked, log_idle=spec.log_idle,
                               wait=True, once_per_day=True)
                for spec in jobs.DAILY]


def run_delivery() -> runner.RunOutcome:
    """Deliver the outbox (inside the scheduler's app)."""
    spec = jobs.get(DELIVERY_ID)
    with _require_app().app_context():
        return runner.run_job(spec.id, spec.load(), locked=spec.locked, log_idle=spec.log_idle)


def _require_app() -> Flask:
    if _app is None:
        raise RuntimeError("build_scheduler(app) first")
    return _app


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler,
                    run_now: bool = False) -> BaseScheduler:
    """The scheduler with the daily run and the every-minute delivery; not started.

    ``run_now`` runs the daily jobs once at start whatever the hour (each still at most once a day).
    """
    global _app
    _app = app
    timezone = app.config.get("LOCAL_TIMEZONE") or "Asia/Ho_Chi_Minh"
    scheduler = scheduler_class(timezone=timezone)
    scheduler.add_job("jobs.scheduler:run_daily", CronTrigger(hour=DAILY_AT.hour, minute=DAILY_AT.minute,
                                                               timezone=timezone),
                      id=DAILY_ID, name="heza daily jobs", **JOB_OPTIONS)
    every = int(app.config.get("DELIVERY_INTERVAL_SECONDS") or 60)
    scheduler.add_job("jobs.scheduler:run_delivery", IntervalTrigger(seconds=every, timezone=timezone),
                      id=DELIVERY_ID, name="heza outbox delivery", **JOB_OPTIONS)
    with app.app_context():
        if run_now or _missed_today_or_unknown():
            scheduler.add_job("jobs.scheduler:run_daily", "date", id=f"{DAILY_ID}-catch-up",
                              name="heza daily jobs (catch-up at start)", **JOB_OPTIONS)
    return scheduler


def _missed_today_or_unknown() -> bool:
    try:
        return _missed_today()
    except sa.exc.DBAPIError:  # no schema yet (``heza init`` not run): the 07:00 run will say so in its log
        from heza.extensions import db

        db.session.rollback()
        log.warning("cannot read the job log; run `heza init` first")
        return False


def _missed_today(now: datetime | None = None) -> bool:
    """After 07:00, with no completed daily run for today: the day's run was missed."""
    from heza.extensions import db

    now = now or datetime.now(LOCAL_ZONE)
    if now.astimezone(LOCAL_ZONE).time() < DAILY_AT:
        return False
    done = db.session.scalar(
        sa.select(sa.func.count()).select_from(JobRun)
        .where(JobRun.today == now.astimezone(LOCAL_ZONE).date(), JobRun.finished_dt.isnot(None),
               JobRun.job.in_([spec.id for spec in jobs.DAILY]))
    )
    return not done


def run(app: Flask, run_now: bool = False) -> None:
    """Start the blocking scheduler until interrupted."""
    scheduler = build_scheduler(app, run_now=run_now)
    log.info("heza scheduler started (%s)", ", ".join(j.id for j in scheduler.get_jobs()))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
