"""Several hosts, proven: two gunicorn servers and two schedulers on one PostgreSQL, the active scheduler killed.

Everything is started the way ``deploy/`` starts it on a server: ``heza init``, then the
``ExecStart`` lines of ``deploy/heza-web.service`` (gunicorn with ``deploy/gunicorn.conf.py``,
``GUNICORN_CMD_ARGS`` giving the loopback port and ``--workers=2``) and of
``deploy/heza-scheduler.service`` (``heza scheduler``, here with ``--run-now`` so the day's run
starts at once whatever the hour), all with ``HEZA_*`` settings in the environment, against a
database of this test's own on the suite's PostgreSQL server, and a real SMTP sink (aiosmtpd).

1. Six enterprises register through their personal links, each reading the form on one server and
   posting it to the other (one secret key, one database: no host keeps state).
2. Both schedulers start their daily run. The test holds a row lock on a conference that the first
   job (``held``) must lock: the scheduler that got the job's advisory lock blocks mid-run; the
   other waits for that lock. The active one is killed (SIGKILL), the row lock released.
3. The standby takes the lock, finds no completed ``held`` run for the day, runs it and every other
   daily job: each job completes once for the day, the conference is marked held once, and every
   email (receipts, and whatever the day's jobs write) reaches the sink exactly once.

Runs when the suite runs on PostgreSQL (``HEZA_TEST_DATABASE_URL``); on CI also in the SQLite pass,
against ``HEZA_TEST_PG_URL`` (default: the Makefile's server), as the two-scheduler test does.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

import jobs
from heza.base import now_utc
from heza.jobruns.runner import lock_key
from tests.deploy import processes
from tests.deploy.processes import BIN, Processes, exec_start, http_get, wait_for
from tests.jobs.conftest import Handler, Smtp, free_port
from tests.support import ROOT

SECRET = "one-secret-for-every-host-" + "x" * 24
ENTERPRISES = 6
DEADLINE_SECONDS = 55
pytestmark = pytest.mark.postgres


@pytest.fixture()
def own_database() -> Iterator[str]:
    yield from processes.own_database()


CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def test_two_web_hosts_and_a_standby_scheduler_taking_over(own_database: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    from heza import create_app
    from heza.base import local_today
    from heza.conferences import links
    from heza.conferences.models import Conference, ConferenceStatus, Registration
    from heza.extensions import db
    from heza.jobruns.models import JobRun
    from heza.outbox.models import EmailStatus, OutboundEmail
    from tests import factories as f
    from tests.jobs.conftest import heza_world

    sink = Smtp(Handler(), free_port())
    sink.start()
    ports = [free_port(), free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEZA_", "GUNICORN_"))}
    env.update({
        "PYTHONPATH": str(ROOT), "HEZA_DATABASE_URL": own_database, "HEZA_SECRET_KEY": SECRET,
        "HEZA_SERVER_NAME": f"127.0.0.1:{ports[0]}", "HEZA_MAIL_SERVER": "127.0.0.1",
        "HEZA_MAIL_PORT": str(sink.port), "HEZA_MAIL_USE_TLS": "false", "HEZA_MAIL_USE_SSL": "false",
        "HEZA_MAIL_TIMEOUT": "5", "HEZA_LOG_FORMAT": "json", "HEZA_DELIVERY_INTERVAL_SECONDS": "1",
    })
    procs = Processes(tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": own_database, "SECRET_KEY": SECRET, "SERVER_NAME": "heza.test"})
    app.instance_path = str(tmp_path)
    holder = sa.create_engine(own_database)
    try:
        subprocess.run([str(BIN / "heza"), "init"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)

        today = local_today()
        with app.app_context():
            from heza import workdays

            world = heza_world(held_on=workdays.add_working_days(today, 25), enterprises=ENTERPRISES)
            past = f.conference(world.organizer, today - timedelta(days=1), title="Hội nghị hôm qua")
            # Short of the quorum, it may be marked held only once the organizer decided it went ahead.
            past.quorum_waived_dt, past.quorum_waived_by = now_utc(), "Văn phòng Ban"
            past.quorum_waiver_reason = "Lãnh đạo Ban quyết định vẫn tổ chức"
            db.session.commit()
            tokens = [links.make_token(world.conference.id, e.id) for e in world.enterprises]
            past_id, conference_id = past.id, world.conference.id
            db.session.remove()
            db.engine.dispose()

        # Two web hosts, started as heza-web.service starts gunicorn.
        for i, port in enumerate(ports):
            procs.start(f"web{i}", exec_start("heza-web.service"),
                        {**env, "GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{port} --workers=2"})
        for port in ports:
            wait_for(f"/readyz on {port}", lambda p=port: http_get(f"http://127.0.0.1:{p}/readyz")[0] == 200, deadline)
        status, headers, body = http_get(f"http://127.0.0.1:{ports[1]}/readyz")
        assert json.loads(body)["schema"] == "current"
        assert headers.get("Server") == "heza" and "X-Request-Id" in headers  # no software name or version
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

        # Registrations through personal links: the form read on one host, posted to the other.
        for i, token in enumerate(tokens):
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            read_on, post_to = ports[i % 2], ports[(i + 1) % 2]
            status, _headers, page = http_get(f"http://127.0.0.1:{read_on}/doanh-nghiep/{token}", opener)
            assert status == 200, page[:300]
            form = {"csrf_token": CSRF.search(page).group(1), "attendees-0-name": f"Người dự {i}",
                    "attendees-0-position": "Giám đốc", "attendees-0-phone": "", "attendees-0-email": ""}
            request = urllib.request.Request(f"http://127.0.0.1:{post_to}/doanh-nghiep/{token}/dang-ky",
                                             data=urllib.parse.urlencode(form).encode(), method="POST")
            with opener.open(request, timeout=10) as response:
                assert response.status == 200 and "/dang-ky" not in response.url  # 303 back to the page

        # The first daily job (held) must lock this conference's row: hold it, so the active scheduler
        # blocks mid-run, with its job lock taken and its run row written.
        blocker = holder.connect()
        blocker.execute(sa.text("SELECT id FROM conferences WHERE id = :id FOR UPDATE"), {"id": past_id})
        schedulers = {}
        for name in ("a", "b"):
            url = f"{own_database}?application_name=heza-scheduler-{name}"
            schedulers[name] = procs.start(f"scheduler-{name}", [*exec_start("heza-scheduler.service"), "--run-now"],
                                           {**env, "HEZA_DATABASE_URL": url})

        # Receipts go out while the daily run is stuck: delivery runs on both schedulers.
        wait_for("the registration receipts", lambda: sum(
            m.kind == "receipt" for m in sink.messages) >= ENTERPRISES, deadline)

        key = lock_key("held")
        classid, objid = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF

        def lock_state() -> tuple[str, str] | None:
            with holder.connect() as conn:
                rows = conn.execute(sa.text(
                    "SELECT a.application_name, l.granted FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.classid = :c AND l.objid = :o"), {"c": classid, "o": objid}
                ).all()
            active = [app_name for app_name, granted in rows if granted]
            waiting = [app_name for app_name, granted in rows if not granted]
            return (active[0], waiting[0]) if active and waiting else None

        active, standby = wait_for("one scheduler in the held job, the other waiting", lock_state, deadline)
        active_name, standby_name = active.rsplit("-", 1)[1], standby.rsplit("-", 1)[1]
        assert {active_name, standby_name} == {"a", "b"}
        with holder.connect() as conn:
            started = conn.execute(sa.text("SELECT count(*) FROM job_runs WHERE job = 'held' AND finished_dt IS NULL"))
            assert started.scalar() == 1  # the active one is mid-run

        os.killpg(schedulers[active_name].pid, signal.SIGKILL)
        schedulers[active_name].wait(timeout=10)
        blocker.rollback()
        blocker.close()

        daily = [spec.id for spec in jobs.DAILY]

        def every_job_done() -> bool:
            with holder.connect() as conn:
                done = conn.execute(sa.text(
                    "SELECT job, count(*) FROM job_runs WHERE today = :t AND finished_dt IS NOT NULL "
                    "AND error = '' GROUP BY job"), {"t": today}).all()
                pending = conn.execute(sa.text(
                    "SELECT count(*) FROM outbound_emails WHERE status IN ('pending', 'sending')")).scalar()
            return {job for job, _n in done} >= set(daily) and pending == 0

        wait_for("the standby to finish the day's jobs and the outbox to drain", every_job_done, deadline, every=0.2)
        time.sleep(1.5)  # one more delivery round on the standby: nothing new may arrive
        assert schedulers[standby_name].poll() is None, procs.log(f"scheduler-{standby_name}")

        with app.app_context():
            runs = list(db.session.scalars(sa.select(JobRun).where(JobRun.today == today)))
            completed = Counter(r.job for r in runs if r.finished_dt is not None and not r.error)
            assert {job: completed[job] for job in daily} == dict.fromkeys(daily, 1)  # each job once for the day
            unfinished = [r.job for r in runs if r.finished_dt is None]
            assert unfinished == ["held"]  # the killed scheduler's run, taken over
            assert db.session.get(Conference, past_id).status == ConferenceStatus.HELD
            registrations = list(db.session.scalars(sa.select(Registration).where(
                Registration.conference_id == conference_id)))
            assert len(registrations) == ENTERPRISES and len({r.enterprise_id for r in registrations}) == ENTERPRISES
            rows = list(db.session.scalars(sa.select(OutboundEmail)))
            assert {r.status for r in rows} <= {EmailStatus.SENT, EmailStatus.WITHDRAWN}
            sent_ids = {r.message_id for r in rows if r.status == EmailStatus.SENT}
            db.session.remove()
            db.engine.dispose()
        received = Counter(m.message_id for m in sink.messages)
        assert max(received.values()) == 1  # every email once
        assert set(received) == sent_ids and len(sent_ids) >= ENTERPRISES  # and every one sent arrived

        # One JSON line per request on the web hosts, per job run on the standby.
        web_lines = [json.loads(x) for i in (0, 1) for x in procs.log(f"web{i}").splitlines() if x.startswith("{")]
        posts = [x for x in web_lines if x.get("logger") == "heza.request" and x.get("method") == "POST"]
        assert len(posts) == ENTERPRISES and all(x["status"] == 303 and x["request_id"] for x in posts)
        job_lines = [json.loads(x) for x in procs.log(f"scheduler-{standby_name}").splitlines()
                     if x.startswith("{") and '"heza.jobs"' in x]
        assert {x["job"] for x in job_lines if x["result"] == "ok"} >= set(daily)
    finally:
        procs.stop_all()
        sink.stop()
        holder.dispose()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
