"""Benchmark: publish a conference to N enterprises (default 15,000) and deliver the invitations.

Not a test (pytest collects only test_*.py). Run it with::

    .venv/bin/python tests/bench/bench_invitations.py [--enterprises N] [--database-url URL] [--deliver]

Prints how long the announcements job takes to render and enqueue every invitation (with its
.ics and personal link), how long a second run takes (it must find nothing to do), and with
``--deliver`` how fast delivery goes into a local aiosmtpd server over one connection per batch.
The database is a fresh SQLite file unless ``--database-url`` names another (its tables are
emptied first).
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from heza import create_app  # noqa: E402
from heza.base import now_utc  # noqa: E402
from heza.conferences.models import Audience, Conference  # noqa: E402
from heza.directory.models import Enterprise, Organizer, OrganizerKind, Zone, ZoneKind  # noqa: E402
from heza.extensions import db  # noqa: E402
from heza.outbox import delivery  # noqa: E402
from heza.outbox.models import OutboundEmail  # noqa: E402
from jobs import announcements  # noqa: E402
from tests.bench.common import Sink  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=15_000)
    parser.add_argument("--database-url")
    parser.add_argument("--deliver", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="heza-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "heza.test"})
    app.instance_path = str(tmp)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        org = Organizer(name="Ban Quản lý KKT Hải Phòng", short_name="HEZA", kind=OrganizerKind.AUTHORITY)
        zone = Zone(name="KCN Đình Vũ", code="DV", kind=ZoneKind.INDUSTRIAL)
        db.session.add_all([org, zone])
        db.session.flush()
        now = now_utc()
        db.session.execute(sa.insert(Enterprise), [
            {"name": f"Công ty {i}", "tax_code": f"{i:010d}", "zone_id": zone.id, "email": f"dn{i}@demo.heza.vn",
             "kind": "enterprise", "language": "vi", "active": True, "created_dt": now, "updated_dt": now,
             "address": "", "contact_name": "", "phone": "", "cc_emails": ""}
            for i in range(1, args.enterprises + 1)
        ])
        db.session.add(Conference(organizer=org, title="Hội nghị đối thoại", held_on=date(2026, 3, 3),
                                  audience=Audience.ALL_ZONES, place="Hội trường"))
        db.session.commit()

        start = time.perf_counter()
        counts = announcements.reconcile(date(2026, 2, 13))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = announcements.reconcile(date(2026, 2, 23))
        second = time.perf_counter() - start
        total = db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail))
        print(f"{db.engine.dialect.name}: {counts.get('invitations', 0)} invitations enqueued in {first:.1f} s "
              f"({total / first:.0f}/s); second run {again or 'nothing'} in {second:.2f} s")

        if args.deliver:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            sink = Sink()
            controller = Controller(sink, hostname="127.0.0.1", port=port)
            controller.start()
            state = app.extensions["mail"]
            state.server, state.port, state.suppress = "127.0.0.1", port, False
            try:
                start = time.perf_counter()
                result = delivery.deliver()
                elapsed = time.perf_counter() - start
            finally:
                controller.stop()
            print(f"delivery: {result} in {elapsed:.1f} s ({sink.count / elapsed:.0f} messages/s)")


if __name__ == "__main__":
    main()
