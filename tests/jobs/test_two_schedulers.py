"""Two and four schedulers against one PostgreSQL at the same time: every email is written and sent once.

Both "schedulers" run every daily job for the same days in lockstep, with the job locks switched
off, so only the unique keys, the conference row locks and ``ON CONFLICT DO NOTHING`` stand
between them and a duplicate; then two deliverers drain the outbox at once (``FOR UPDATE SKIP
LOCKED``). Runs when the suite runs on PostgreSQL; on CI (``CI=true``) it also runs in the
SQLite pass, against the PostgreSQL server of ``HEZA_TEST_PG_URL`` (default: the Makefile's),
in a schema of its own — it is never skipped on CI.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

import jobs
from heza import create_app
from heza.conferences.models import Task
from heza.extensions import db as _db
from heza.jobruns import runner
from heza.jobruns.models import JobRun
from heza.outbox import delivery
from heza.outbox.models import EmailStatus, OutboundEmail, OverdueAlert
from tests.jobs.conftest import Handler, Smtp, free_port, heza_world, ward_world

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENTERPRISES = 40


@pytest.fixture()
def pg_app(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The session app when it runs on PostgreSQL; on CI otherwise, an app on a PostgreSQL schema of its own."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        request.getfixturevalue("db")  # tables emptied afterwards
        yield app
        return
    if os.environ.get("CI") != "true":
        pytest.skip("needs PostgreSQL: set HEZA_TEST_DATABASE_URL (always runs on CI)")
    url = os.environ.get("HEZA_TEST_PG_URL", DEFAULT_PG_URL)
    schema = f"heza_two_schedulers_{os.getpid()}"
    admin = sa.create_engine(url, pool_pre_ping=True)  # a test may cut every connection (database restart)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    own = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "heza.test", "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}},
    })
    own.instance_path = str(tmp_path)
    try:
        with own.app_context():
            from flask_migrate import upgrade

            upgrade()
        yield own
    finally:
        with own.app_context():
            _db.session.remove()
            _db.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _in_lockstep(app: Flask, work, n: int = 2) -> list[str]:
    """Run ``work(barrier)`` in ``n`` threads, each in its own app context; the errors they hit."""
    barrier = threading.Barrier(n)
    errors: list[str] = []

    def thread_main() -> None:
        try:
            with app.app_context():
                errors.extend(work(barrier))
                _db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))
            barrier.abort()

    threads = [threading.Thread(target=thread_main) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return errors


@pytest.mark.postgres
@pytest.mark.parametrize("copies", [2, 4])
def test_several_schedulers_and_deliverers_send_each_email_once(pg_app: Flask, copies: int):
    app = pg_app
    with app.app_context():
        heza_world(held_on=date(2026, 3, 3), enterprises=ENTERPRISES)
        ward = ward_world(held_on=date(2026, 2, 24))
        _db.session.add_all([Task(unit=ward.economic, conference=ward.conference, description="Chuẩn bị hội trường"),
                             Task(unit=ward.tax, conference=ward.conference, description="Báo cáo thu ngân sách")])
        _db.session.commit()

    days = [date(2026, 2, 2) + timedelta(days=i) for i in range(47)]  # 2/2 … 20/3, across Tết

    def scheduler(barrier: threading.Barrier) -> list[str]:
        errors = []
        for day in days:
            barrier.wait()
            for spec in jobs.DAILY:  # no job lock: the keys alone must hold
                outcome = runner.run_job(spec.id, spec.load(), day, locked=False)
                if outcome.error:
                    errors.append(f"{spec.id} {day}: {outcome.error}")
        return errors

    assert _in_lockstep(app, scheduler, copies) == []

    with app.app_context():
        rows = list(_db.session.scalars(sa.select(OutboundEmail)))
        kinds = Counter(r.kind for r in rows)
        assert kinds["invitation"] == ENTERPRISES + 3 + 3  # HEZA's enterprises and agency addresses; the ward's three
        assert kinds["quorum"] == 3  # HEZA: its own address and the lead unit's two; the ward's plan sets no R3
        assert kinds["unit_reminder"] == 2
        per_day = Counter((r.kind, r.to_addr, r.key.rsplit(":", 1)[-1])
                          for r in rows if r.kind in ("overdue", "digest"))
        assert max(per_day.values()) == 1  # one alert and one digest per recipient per day
        ladders: dict[str, list[int]] = {}
        for item, n in _db.session.execute(sa.select(OverdueAlert.item, OverdueAlert.n)):
            ladders.setdefault(item, []).append(n)
        assert ladders and all(sorted(ns) == list(range(len(ns))) for ns in ladders.values())
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(JobRun).where(JobRun.error != "")) == 0
        total = len(rows)
        # Nothing was delivered during the walk, so a held conference withdrew its queued invitations.
        to_send = sum(r.status == EmailStatus.PENDING for r in rows)
        assert to_send and {r.status for r in rows} == {EmailStatus.PENDING, EmailStatus.WITHDRAWN}

        # A third run after both, sequential: nothing new.
        for day in days:
            for spec in jobs.DAILY:
                assert runner.run_job(spec.id, spec.load(), day).ok
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == total

    server = Smtp(Handler(), free_port())
    server.start()
    state = app.extensions["mail"]
    saved = (state.server, state.port, state.suppress)
    state.server, state.port, state.suppress = "127.0.0.1", server.port, False
    try:
        def deliverer(barrier: threading.Barrier) -> list[str]:
            barrier.wait()
            delivery.deliver(batch_size=10)
            return []

        assert _in_lockstep(app, deliverer, copies) == []
    finally:
        state.server, state.port, state.suppress = saved
        server.stop()

    received = server.take()
    ids = Counter(m.message_id for m in received)
    assert len(received) == to_send and max(ids.values()) == 1
    with app.app_context():
        assert set(_db.session.scalars(sa.select(OutboundEmail.status))) == {EmailStatus.SENT, EmailStatus.WITHDRAWN}
        assert set(ids) == set(_db.session.scalars(
            sa.select(OutboundEmail.message_id).where(OutboundEmail.status == EmailStatus.SENT)))


@pytest.mark.postgres
def test_the_database_going_away_between_runs_loses_and_doubles_nothing(pg_app: Flask):
    """Every connection to the database is cut between two days' runs, as a server restart does.

    The pool checks connections before use (``pool_pre_ping``), so each run reconnects; the unique
    keys make the repeated walk add nothing.
    """
    app = pg_app
    with app.app_context():
        heza_world(held_on=date(2026, 3, 3), enterprises=5)
        _db.session.commit()
        url = _db.engine.url
    killer = sa.create_engine(url)
    days = [date(2026, 2, 9) + timedelta(days=i) for i in range(24)]  # R1 on 13/2, Tết, cutoff, the day

    def cut_every_connection() -> int:
        """Terminate every other backend and wait until they are gone (termination is asynchronous)."""
        import time

        with killer.connect() as conn:
            pids = [pid for (pid,) in conn.execute(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))]
            for pid in pids:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(100):
                alive = conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                                     {"pids": pids}).scalar()
                conn.commit()  # pg_stat_activity is a snapshot per transaction
                if not alive:
                    break
                time.sleep(0.05)
            return len(pids)

    try:
        cut = 0
        with app.app_context():
            for day in days:
                cut += cut_every_connection()
                for spec in jobs.DAILY:
                    outcome = runner.run_job(spec.id, spec.load(), day)
                    assert outcome.ok, f"{spec.id} {day}: {outcome.error}"
                _db.session.remove()
            assert cut >= len(days)  # the app's own connection was among those cut, every day
            rows = list(_db.session.scalars(sa.select(OutboundEmail)))
            assert Counter(r.kind for r in rows)["invitation"] == 5 + 3
            total = len(rows)
            _db.session.remove()  # as each scheduler run does: no connection held across the cut
            for day in days:  # the whole walk again, after one more cut: nothing new
                cut_every_connection()
                for spec in jobs.DAILY:
                    assert runner.run_job(spec.id, spec.load(), day).ok
                _db.session.remove()
            assert _db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == total
    finally:
        killer.dispose()
