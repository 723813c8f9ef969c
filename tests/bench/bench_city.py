"""Benchmark at city scale, printing one table (not a test: pytest collects only test_*.py).

    .venv/bin/python tests/bench/bench_city.py --scale small|city [--database-url URL [--fresh-database]]
        [--repeat N]

Builds a fresh database (SQLite in a temporary folder unless ``--database-url``; with
``--fresh-database`` a PostgreSQL database is created anew and dropped at the end, never ``test``), fills
it with :mod:`tests.bench.generate`, then measures: the heaviest admin lists through the Flask test client
logged in as an administrator (p50/p95) next to the raw SQL floor of the same page (SELECT … LIMIT 50
plus the count) and their target (p95 <= 3 x floor + 15 ms), free-text searches typed without diacritics
(target p95 <= 150 ms), the whole daily reconcile (time and SQL statements, at this scale and at a tenth of
it), outbox delivery into a loopback aiosmtpd sink next to raw smtplib, add_working_days next to
numpy.busday_offset, and the peak RSS of this (web) process and of a scheduler subprocess.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from flask import Flask  # noqa: E402

from tests.bench import lists  # noqa: E402
from tests.bench.common import (  # noqa: E402
    Sink,
    StatementCounter,
    make_app,
    print_table,
    recreate_database,
    row,
    tenth_url,
)


def bench_reconcile(app: Flask, label: str) -> None:
    import sqlalchemy as sa

    import jobs
    from heza.extensions import db
    from heza.jobruns import runner
    from heza.jobruns.models import JobRun
    from tests.bench.generate import TODAY

    with app.app_context(), StatementCounter(db.engine) as counter:
        started = db.session.scalar(sa.select(sa.func.max(JobRun.id))) or 0
        start = time.perf_counter()
        for spec in jobs.DAILY:
            runner.run_job(spec.id, spec.load(), TODAY, locked=spec.locked, log_idle=True)
        elapsed = time.perf_counter() - start
    with app.app_context():
        # A job that failed would make the figure look fast: name the failures instead of hiding them.
        failed = db.session.scalars(sa.select(JobRun.job).where(JobRun.id > started, JobRun.error != "")).all()
        done = db.session.scalars(sa.select(JobRun.counts).where(JobRun.id > started)).all()
    emails = sum(int(c.get("emails", 0)) + int(c.get("invitations", 0)) for c in done if c)
    note = f"{counter.count} SQL statements; {emails} emails enqueued"
    if failed:
        note += f"; FAILED jobs: {', '.join(failed)}"
    row(f"daily reconcile (jobs run all), {label}", f"{elapsed:.2f} s", note)


def bench_delivery(app: Flask, messages: int) -> None:
    from heza.extensions import db
    from heza.outbox.models import EmailStatus, OutboundEmail

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            from heza.base import now_utc
            from heza.outbox import delivery

            # Only this benchmark's messages are measured: what earlier steps enqueued is set aside.
            db.session.execute(sa.update(OutboundEmail).where(OutboundEmail.status == EmailStatus.PENDING)
                               .values(status=EmailStatus.WITHDRAWN))
            db.session.execute(sa.insert(OutboundEmail), [
                {"key": f"deliver:{i}", "kind": "receipt", "to_addr": f"dn{i}@dn.example.vn", "subject": f"Thư {i}",
                 "text_body": "Kính gửi Quý doanh nghiệp\n" * 10, "html_body": "<p>Kính gửi</p>" * 10,
                 "status": EmailStatus.PENDING, "next_attempt_dt": now_utc()} for i in range(messages)])
            db.session.commit()
            state = app.extensions["mail"]
            state.server, state.port, state.suppress = "127.0.0.1", port, False
            start = time.perf_counter()
            while True:
                before = sink.count
                delivery.deliver()
                if sink.count == before or sink.count >= messages:
                    break
            elapsed = time.perf_counter() - start
            row("outbox delivery into aiosmtpd (one connection per batch)",
                f"{sink.count / elapsed:.0f} msg/s", f"{sink.count} of {messages} messages")
        sent = sink.count
        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for i in range(messages):
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = "heza@heza.test", f"dn{i}@dn.example.vn", f"Thư {i}"
                msg.set_content("Kính gửi Quý doanh nghiệp\n" * 10)
                msg.add_alternative("<p>Kính gửi</p>" * 10, subtype="html")
                smtp.send_message(msg)
        elapsed = time.perf_counter() - start
        row("raw smtplib, one connection, same sink", f"{(sink.count - sent) / elapsed:.0f} msg/s", "floor")
    finally:
        controller.stop()


def bench_workdays(calls: int) -> None:
    import random

    import numpy as np

    from heza.workdays import WorkCalendar

    rng = random.Random(2026)
    first, last = date(2020, 1, 1).toordinal(), date(2031, 12, 31).toordinal()
    dates = [date.fromordinal(rng.randint(first, last)) for _ in range(calls)]
    calendar = WorkCalendar.build()
    start = time.perf_counter()
    for d in dates:
        calendar.add_working_days(d, 7)
    ours = calls / (time.perf_counter() - start)
    weekdays_off = [date.fromordinal(o) for o in range(first, last + 400)
                    if date.fromordinal(o).weekday() < 5 and not calendar.is_working_day(date.fromordinal(o))]
    cal = np.busdaycalendar(weekmask="1111100", holidays=np.array(weekdays_off, dtype="datetime64[D]"))
    start = time.perf_counter()
    for d in dates:
        np.busday_offset(np.datetime64(d, "D"), 7, roll="backward", busdaycal=cal)
    theirs = calls / (time.perf_counter() - start)
    row("add_working_days(d, 7)", f"{ours:,.0f} calls/s", f"numpy.busday_offset per date {theirs:,.0f} calls/s")


def bench_invitations(enterprises: int) -> None:
    script = ROOT / "tests" / "bench" / "bench_invitations.py"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(script), "--enterprises", str(enterprises)], capture_output=True,
                         text=True, check=False)
    elapsed = time.perf_counter() - start
    line = (out.stdout.strip().splitlines() or [out.stderr.strip()[-200:]])[-1]
    first = re.search(r"enqueued in ([\d.]+ s \([\d,]+/s\))", line)
    again = re.search(r"second run nothing in ([\d.]+ s)", line)
    figure = first.group(1) if out.returncode == 0 and first else "error"
    row(f"enqueue {enterprises:,} invitations (bench_invitations)", figure,
        f"second run enqueues nothing in {again.group(1) if again else '?'} (process {elapsed:.0f} s)")


def scheduler_rss(url: str, instance: str) -> None:
    from tests.bench.generate import TODAY

    env = {**os.environ, "HEZA_DATABASE_URL": url, "HEZA_SECRET_KEY": "bench", "FLASK_APP": "wsgi"}
    code = ("import resource, subprocess, sys; p = subprocess.run([sys.argv[1], 'jobs', 'run', 'all', '--today', "
            "sys.argv[2]], capture_output=True, text=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode); print(p.stderr[-300:])")
    heza = str(Path(sys.executable).parent / "heza")
    out = subprocess.run([sys.executable, "-c", code, heza, TODAY.isoformat()], capture_output=True, text=True,
                         env=env, cwd=str(ROOT), check=False)
    first, _, err = out.stdout.partition("\n")
    rss, rc = first.split()
    note = f"exit {rc}" + (f": {err.strip().splitlines()[-1]}" if rc != "0" and err.strip() else "")
    row("peak RSS, scheduler process (heza jobs run all)", f"{int(rss) / 1024:.0f} MB", note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "city"), default="small")
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh-database", action="store_true",
                        help="PostgreSQL: create the URL's database (and <name>_tenth) anew, drop both at the end")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="heza-city-"))
    url = args.database_url or f"sqlite:///{tmp / 'city.sqlite'}"
    fresh = [url, tenth_url(url)] if args.fresh_database and url.startswith("postgresql") else []
    for each in fresh:
        recreate_database(each)
    try:
        run(args, url, tmp, fresh[1] if fresh else f"sqlite:///{tmp / 'tenth.sqlite'}")
    finally:
        for each in fresh:
            recreate_database(each, drop_only=True)


def run(args: argparse.Namespace, url: str, tmp: Path, small_url: str) -> None:
    from tests.bench.generate import SCALES, generate

    lists.DIALECT = sa.make_url(url).get_backend_name()

    app = make_app(url)
    app.instance_path = str(tmp)
    from heza.extensions import db

    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        start = time.perf_counter()
        counts = generate(db.engine, args.scale)
        row(f"generate '{args.scale}' data", f"{time.perf_counter() - start:.1f} s",
            ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    lists.bench_lists(app, args.repeat)
    bench_reconcile(app, f"{args.scale} ({SCALES[args.scale]['recommendations']:,} recommendations)")
    bench_reconcile(app, "same data, second run")
    # The same reconcile on a tenth of the rows: the statement count must not change with them.
    tenth = make_app(small_url)
    with tenth.app_context():
        SCALES["tenth"] = {k: max(1, v // 10) if k != "organizers" else v for k, v in SCALES[args.scale].items()}
        generate(db.engine, "tenth")
    bench_reconcile(tenth, f"a tenth ({SCALES['tenth']['recommendations']:,} recommendations)")
    row("peak RSS, web worker (after the list benchmarks)",
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", "this process")
    bench_delivery(app, 2000)
    bench_workdays(100_000)
    bench_invitations(15_000 if args.scale == "city" else 5_000)
    scheduler_rss(url, str(tmp))

    print_table(f"heza bench, scale {args.scale}, {sa.make_url(url).get_backend_name()}")

if __name__ == "__main__":
    main()
