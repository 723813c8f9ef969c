"""Benchmark: import N enterprises (default 100,000) from a CSV, as the admin's confirmation does.

Not a test. Run it with::

    .venv/bin/python tests/bench/bench_import.py [--rows N] [--database-url URL]

Prints the time to read the file, check every row (the preview), apply it (ORM inserts with one
audit event each, in one transaction), then the same file again (all unchanged: the round trip),
beside the floor: a bare ``executemany`` INSERT of the same rows with no checks and no audit.
Target: the whole first import of 100,000 rows under 60 s on SQLite.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402

from heza import create_app  # noqa: E402
from heza.base import now_utc  # noqa: E402
from heza.directory.models import Enterprise, Organizer, OrganizerKind, Zone, ZoneKind  # noqa: E402
from heza.extensions import db  # noqa: E402
from heza.imports import enterprises  # noqa: E402
from heza.imports.reading import read_table  # noqa: E402


def make_csv(rows: int, zones: list[str], wards: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Tên doanh nghiệp", "Mã số thuế", "Loại hình", "Khu công nghiệp, khu kinh tế", "Phường, xã",
                     "Địa chỉ", "Người liên hệ", "Điện thoại", "Email nhận thư mời, trả lời",
                     "Email đồng gửi (trả lời kiến nghị)", "Ngôn ngữ nhận thư", "Đang hoạt động"])
    for i in range(1, rows + 1):
        in_zone = i % 5 != 0
        writer.writerow([f"Công ty TNHH Sản xuất Thương mại số {i}", f"02{i:08d}", "Doanh nghiệp",
                         zones[i % len(zones)] if in_zone else "", "" if in_zone else wards[i % len(wards)],
                         f"Lô {i}, đường số {i % 40}", f"Nguyễn Văn {i}", f"0225 38{i % 10000:04d}",
                         f"dn{i}@demo.heza.vn", f"ketoan{i}@demo.heza.vn" if i % 3 == 0 else "", "Tiếng Việt", "Có"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="heza-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "heza.test"})
    app.instance_path = str(tmp)
    with app.app_context(), app.test_request_context():
        from flask_migrate import upgrade

        upgrade()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        zones = [Zone(name=f"KCN Thử {n}", code=f"KCN{n}", kind=ZoneKind.INDUSTRIAL) for n in range(20)]
        wards = [Organizer(name=f"Phường Thử {n}", short_name=f"Thử {n}", kind=OrganizerKind.WARD) for n in range(10)]
        db.session.add_all([*zones, *wards])
        db.session.commit()
        data = make_csv(args.rows, [z.name for z in zones], [w.short_name for w in wards])
        zone_id = zones[0].id

        figures = []
        t0 = time.perf_counter()
        table = read_table(data, "dn.csv", max_bytes=None)
        t1 = time.perf_counter()
        check = enterprises.check_table(table)
        t2 = time.perf_counter()
        assert check.ok, [r.errors for r in check.rows if r.errors][:3]
        done = enterprises.apply(check, db.session)
        t3 = time.perf_counter()
        figures.append(("read CSV", t1 - t0, f"{len(data) / 1e6:.1f} MB, {len(table.rows):,} rows"))
        figures.append(("check (preview)", t2 - t1, f"create {check.counts['create']:,}"))
        figures.append(("apply (ORM + audit, one transaction)", t3 - t2, f"created {done.created:,}"))
        figures.append(("first import, total", t3 - t0, "target < 60 s"))
        events = db.session.scalar(sa.text("SELECT count(*) FROM audit_events WHERE model = 'Enterprise'"))

        db.session.expire_all()
        db.session.close()
        t4 = time.perf_counter()
        again = enterprises.check_table(read_table(data, "dn.csv", max_bytes=None))
        enterprises.apply(again, db.session)
        t5 = time.perf_counter()
        figures.append(("same file again (all unchanged)", t5 - t4, f"unchanged {again.counts['unchanged']:,}"))

        # The floor: the same rows inserted bare, no parsing, checks, ORM or audit.
        rows = [{"name": r[1][0], "tax_code": "03" + r[1][1][2:], "zone_id": zone_id, "ward_id": None,
                 "email": r[1][8], "kind": "enterprise", "language": "vi", "active": True,
                 "created_dt": now_utc(), "updated_dt": now_utc(), "address": r[1][5], "contact_name": r[1][6],
                 "phone": r[1][7], "cc_emails": r[1][9]} for r in table.rows]
        t6 = time.perf_counter()
        db.session.execute(sa.insert(Enterprise.__table__), rows)
        db.session.commit()
        t7 = time.perf_counter()
        figures.append(("floor: bare executemany INSERT", t7 - t6, f"{len(rows):,} rows"))

    print(f"heza bench_import, {args.rows:,} enterprise rows, {url.split(':')[0]}")
    print(f"{'measure':<40} | {'figure':>9} | note")
    print("-" * 41 + "|" + "-" * 11 + "|" + "-" * 40)
    for name, seconds, note in figures:
        print(f"{name:<40} | {seconds:>7.1f} s | {note}")
    print(f"audit events for enterprises: {events:,}")


if __name__ == "__main__":
    main()
