"""Running a scheduled job: one JobRun row per run, one run of a job at a time, the heartbeat.

A run writes its JobRun row (started) before it works and completes it (finished, counts, or
the error) after, so the admin sees what ran, for which ``today``, and what it did.

Two schedulers (or a scheduler and someone typing ``heza jobs run``) must not run the same job
at once. On PostgreSQL each run takes a session-level advisory lock named after the job, on its
own connection, for the run's duration; on SQLite, an exclusive ``flock`` on a file in the
instance folder. A run by hand (``heza jobs run``) that finds the lock taken is skipped: the
other process is doing the work. The scheduler's daily run instead *waits* for the lock and then
runs the job only if no run of it completed for that day (``wait=True, once_per_day=True``): the
spare scheduler is a hot standby that finds the day's work done, or, when the active scheduler
died mid-run (its connection gone, so its lock released), does it. The lock is a courtesy, not
the guarantee: every email has a unique key, so even two runs side by side write each email once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from heza.base import local_today, now_utc
from heza.extensions import db
from heza.jobruns.models import JobRun

log = logging.getLogger(__name__)
job_log = logging.getLogger("heza.jobs")  # one line per run (heza.observability formats it)

# The banner shows when no job completed for this long. Jobs run daily at 07:00; the hour of
# grace keeps the banner from flashing while the day's run is still working.
STALE_AFTER = timedelta(days=1, hours=1)
_ERROR_LENGTH = 4000


@dataclass
class RunOutcome:
    """What one run did: its counts, or its error, or that it was skipped (lock held elsewhere)."""

    job: str
    today: date
    counts: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    skipped: bool = False  # the lock was held elsewhere (and not waited for)
    done_already: bool = False  # a run of this job completed for this day elsewhere: nothing to do
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a job name."""
    digest = hashlib.sha256(f"heza.job:{name}".encode()).digest()[:8]
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def job_lock(name: str, wait: bool = False) -> Iterator[bool]:
    """Hold the job's lock for the block; yields False (and holds nothing) if another process has it.

    With ``wait``, blocks until the lock is free (the holder finished, or died and took its
    connection, and so its lock, with it) and always yields True.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            if wait:
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(name)})
                got = True
            else:
                got = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(name)}).scalar())
            conn.commit()  # the lock is the session's, not the transaction's: nothing stays open
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(name)})
                    conn.commit()
        return
    path = Path(current_app.instance_path) / f"heza-job-{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def run_job(
    name: str,
    func: Callable[[date], dict[str, Any]],
    today: date | None = None,
    *,
    locked: bool = True,
    log_idle: bool = True,
    wait: bool = False,
    once_per_day: bool = False,
) -> RunOutcome:
    """Run ``func(today)`` as job ``name``, logged in a JobRun row; never raises for the job's errors.

    ``today`` defaults to Hai Phong's date. With ``locked``, a run that finds the job's lock
    held elsewhere is skipped. With ``log_idle`` False, a run that did nothing leaves no row
    (the every-minute delivery would otherwise write 1,440 rows a day). With ``wait``, a held
    lock is waited for instead of skipped; with ``once_per_day``, a job that already completed a
    run for ``today`` (in this or another process) is not run again.
    """
    today = today or local_today()
    outcome = RunOutcome(name, today)
    clock = time.perf_counter()
    lock = job_lock(name, wait=wait) if locked else contextlib.nullcontext(True)
    with lock as got:
        if not got:
            outcome.skipped = True
            _log_run(outcome, clock, log_idle)
            return outcome
        if once_per_day and completed_for(name, today):
            outcome.done_already = True
            _log_run(outcome, clock, log_idle)
            return outcome
        run: JobRun | None = None
        if log_idle:
            run = _start(name, today)
            outcome.run_id = run.id
        started = now_utc()
        try:
            outcome.counts = dict(func(today) or {})
            db.session.commit()
        except Exception:  # noqa: BLE001 - recorded in the JobRun row; the scheduler carries on
            db.session.rollback()
            outcome.error = traceback.format_exc()[-_ERROR_LENGTH:]
            log.exception("job %s failed for %s", name, today)
        if run is None and (outcome.error or any(outcome.counts.values())):
            run = _start(name, today, started)
            outcome.run_id = run.id
        if run is not None:
            _finish(outcome)
    _log_run(outcome, clock, log_idle)
    return outcome


def _log_run(outcome: RunOutcome, clock: float, log_idle: bool) -> None:
    """The run's log line; an idle run of a job that keeps no idle rows (delivery) only at DEBUG."""
    result = ("skipped" if outcome.skipped else "done already" if outcome.done_already
              else "error" if outcome.error else "ok")
    idle = not outcome.error and not any(outcome.counts.values())
    level = logging.DEBUG if idle and not log_idle else (logging.ERROR if outcome.error else logging.INFO)
    job_log.log(level, "job run", extra={"fields": {
        "job": outcome.job, "today": outcome.today.isoformat(), "result": result,
        "counts": _jsonable(outcome.counts), "duration_ms": round((time.perf_counter() - clock) * 1000, 1),
        "run_id": outcome.run_id, "host": socket.gethostname(),
    }})


def completed_for(name: str, today: date) -> bool:
    """Whether a run of job ``name`` for ``today`` completed without error (in any process)."""
    found = db.session.scalar(
        sa.select(sa.func.count()).select_from(JobRun)
        .where(JobRun.job == name, JobRun.today == today, JobRun.finished_dt.isnot(None), JobRun.error == "")
    )
    db.session.rollback()  # a fresh snapshot next time: the other process may commit meanwhile
    return bool(found)


def _start(name: str, today: date, started: datetime | None = None) -> JobRun:
    run = JobRun(job=name, today=today, started_dt=started or now_utc(), counts={}, error="",
                 host=socket.gethostname()[:200])
    db.session.add(run)
    db.session.commit()
    return run


def _finish(outcome: RunOutcome) -> None:
    run = db.session.get(JobRun, outcome.run_id)
    if run is None:  # the row vanished (tables emptied under us): nothing to complete
        return
    run.finished_dt = now_utc()
    run.counts = _jsonable(outcome.counts)
    run.error = outcome.error
    db.session.commit()


def _jsonable(counts: dict[str, Any]) -> dict[str, Any]:
    return {str(k): (v if isinstance(v, (int, float, str, bool)) or v is None else str(v)) for k, v in counts.items()}


def last_completed(now: datetime | None = None) -> datetime | None:
    """When a job last completed without error."""
    return db.session.scalar(
        sa.select(sa.func.max(JobRun.finished_dt)).where(JobRun.finished_dt.isnot(None), JobRun.error == "")
    )


def scheduler_stale(now: datetime | None = None) -> bool:
    """True when no job has completed for more than a day: reminders are not going out.

    The admin shows a warning banner then, so nobody believes the scheduler is working when
    it is not (also on a fresh install where it never ran).
    """
    now = now or now_utc()
    last = last_completed()
    return last is None or now - last > STALE_AFTER
