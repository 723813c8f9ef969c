"""The job log, the lock, the heartbeat, the commands and the scheduler's configuration."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

import jobs
from heza.base import LOCAL_ZONE, now_utc
from heza.extensions import db as _db
from heza.jobruns import runner
from heza.jobruns.models import JobRun
from heza.outbox.models import OutboundEmail
from jobs import scheduler
from jobs.cli import deliver_command, jobs_group
from tests.jobs.conftest import heza_world


def _runs() -> list[JobRun]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(JobRun).order_by(JobRun.id)))


def test_a_run_is_logged_with_its_counts(db):
    outcome = runner.run_job("demo", lambda today: {"emails": 3, "today": today.isoformat()}, date(2026, 3, 3))
    assert outcome.ok and not outcome.skipped and outcome.counts["emails"] == 3
    [run] = _runs()
    assert (run.job, run.today, run.counts, run.error) == ("demo", date(2026, 3, 3),
                                                           {"emails": 3, "today": "2026-03-03"}, "")
    assert run.finished_dt >= run.started_dt


def test_an_error_is_recorded_and_its_work_rolled_back(db):
    heza_world()
    _db.session.commit()

    def broken(today: date) -> dict:
        _db.session.add(OutboundEmail(key="half", kind="t", to_addr="a@demo.heza.vn", subject="s", text_body="b"))
        _db.session.flush()
        raise RuntimeError("hỏng giữa chừng")

    outcome = runner.run_job("broken", broken, date(2026, 3, 3))
    assert not outcome.ok and "hỏng giữa chừng" in outcome.error
    [run] = _runs()
    assert "RuntimeError" in run.error and run.finished_dt is not None
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 0


def test_an_idle_run_of_a_quiet_job_leaves_no_row(db):
    assert runner.run_job("delivery", lambda today: {}, log_idle=False).ok
    runner.run_job("delivery", lambda today: {"sent": 2}, log_idle=False)
    assert [(r.job, r.counts) for r in _runs()] == [("delivery", {"sent": 2})]


def test_a_job_whose_lock_is_held_elsewhere_is_skipped(db):
    calls = []
    with runner.job_lock("quorum") as got:
        assert got
        outcome = runner.run_job("quorum", lambda today: calls.append(today) or {}, date(2026, 3, 3))
        assert outcome.skipped and calls == [] and _runs() == []
        with runner.job_lock("overdue") as other:  # other jobs are not held up
            assert other
    assert runner.run_job("quorum", lambda today: calls.append(today) or {}, date(2026, 3, 3)).ok
    assert calls == [date(2026, 3, 3)]


def test_the_standby_waits_for_the_lock_and_runs_a_job_once_a_day(app, db):
    """What the scheduler's daily run does: wait for the lock, then run only if the day's run is not done."""
    import threading
    import time

    day = date(2026, 3, 3)
    calls: list[str] = []
    released = threading.Event()

    def holder() -> None:  # the active scheduler, in the middle of its run
        with app.app_context(), runner.job_lock("quorum") as got:
            assert got
            holding.set()
            time.sleep(0.3)
        released.set()

    holding = threading.Event()
    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)
    outcome = runner.run_job("quorum", lambda today: calls.append("standby") or {"n": 1}, day,
                             wait=True, once_per_day=True)
    thread.join(5)
    assert released.is_set() and outcome.ok and calls == ["standby"]  # the holder died without finishing
    again = runner.run_job("quorum", lambda today: calls.append("again") or {}, day, wait=True, once_per_day=True)
    assert again.done_already and calls == ["standby"]
    assert runner.run_job("quorum", lambda today: calls.append("next day") or {}, day + timedelta(days=1),
                          wait=True, once_per_day=True).ok
    assert calls == ["standby", "next day"]


def test_scheduler_run_now_and_delivery_interval(app, db):
    app.config["DELIVERY_INTERVAL_SECONDS"] = 5
    try:
        sched = scheduler.build_scheduler(app, BackgroundScheduler, run_now=True)
    finally:
        app.config["DELIVERY_INTERVAL_SECONDS"] = 60
    ids = {j.id: j for j in sched.get_jobs()}
    assert "daily-catch-up" in ids and ids["delivery"].trigger.interval == timedelta(seconds=5)


def test_heartbeat(db):
    assert runner.scheduler_stale() is True  # never ran: reminders are not going out
    runner.run_job("digest", lambda today: {}, date(2026, 3, 3))
    assert runner.scheduler_stale() is False
    assert runner.scheduler_stale(now_utc() + timedelta(hours=24)) is False
    assert runner.scheduler_stale(now_utc() + timedelta(hours=26)) is True
    runner.run_job("broken", lambda today: 1 / 0, date(2026, 3, 4))
    assert runner.scheduler_stale(now_utc() + timedelta(hours=26)) is True  # a failing run is no heartbeat


def test_cli_list_run_and_deliver(runner, smtp):
    listed = runner.invoke(jobs_group, ["list"])
    assert listed.exit_code == 0
    for spec in jobs.JOBS:
        assert spec.id in listed.output

    heza_world()
    _db.session.commit()
    ran = runner.invoke(jobs_group, ["run", "announcements", "--today", "2026-02-13"])
    assert ran.exit_code == 0, ran.output
    assert "announcements (13/02/2026): invitations=6, published=1" in ran.output
    again = runner.invoke(jobs_group, ["run", "all", "--today", "2026-02-13"])
    assert "announcements (13/02/2026): không có việc gì" in again.output

    sent = runner.invoke(deliver_command)
    assert sent.exit_code == 0 and "sent=" in sent.output
    assert len([m for m in smtp.take() if m.kind == "invitation"]) == 6

    unknown = runner.invoke(jobs_group, ["run", "khong-co"])
    assert unknown.exit_code != 0 and "announcements" in unknown.output
    bad_day = runner.invoke(jobs_group, ["run", "all", "--today", "13/02/2026"])
    assert bad_day.exit_code != 0 and "YYYY-MM-DD" in bad_day.output


def test_the_scheduler_runs_daily_at_seven_local_and_delivers_every_minute(app, db):
    sched = scheduler.build_scheduler(app, BackgroundScheduler)
    sched.start(paused=True)
    try:
        daily = sched.get_job(scheduler.DAILY_ID)
        delivery = sched.get_job(scheduler.DELIVERY_ID)
        assert isinstance(daily.trigger, CronTrigger) and isinstance(delivery.trigger, IntervalTrigger)
        assert str(daily.trigger.timezone) == "Asia/Ho_Chi_Minh"
        assert delivery.trigger.interval == timedelta(minutes=1)
        for job in (daily, delivery):
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert daily.func_ref == "jobs.scheduler:run_daily"
        fire = daily.trigger.get_next_fire_time(None, datetime(2026, 3, 3, 8, 0, tzinfo=LOCAL_ZONE))
        assert fire == datetime(2026, 3, 4, 7, 0, tzinfo=LOCAL_ZONE)
        assert fire.utcoffset() == timedelta(hours=7)
    finally:
        sched.shutdown(wait=False)


def test_the_scheduler_catches_up_a_missed_morning(app, db):
    at_nine = datetime.now(LOCAL_ZONE).replace(hour=9, minute=0)
    assert scheduler._missed_today(at_nine) is True
    assert scheduler._missed_today(at_nine.replace(hour=6)) is False
    runner.run_job("held", lambda today: {}, at_nine.date())
    assert scheduler._missed_today(at_nine) is False


@pytest.mark.parametrize("job_id", [j.id for j in jobs.JOBS])
def test_every_registered_job_is_importable_and_idle_on_an_empty_database(db, job_id):
    spec = jobs.get(job_id)
    assert spec.load()(date(2026, 3, 3)) == {}
