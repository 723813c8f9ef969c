"""Bulk data at city scale for the benchmarks (not a test: pytest collects only test_*.py).

    .venv/bin/python tests/bench/generate.py --scale small|city [--database-url URL]

Rows go in through Core ``executemany`` in chunks (no ORM objects, no per-row events), with explicit
ids so references (KN-2026-000123) are written with the row. Distributions: most items are closed
(answered, with dates), a fixed handful are open and overdue on the benchmark day, so the daily
reconcile has the same work at every scale and its statement count shows whether it grows with rows.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402

from heza.references import format_reference  # noqa: E402
from heza.search import join_fold  # noqa: E402

SCALES = {
    "small": {"organizers": 115, "enterprises": 5_000, "conferences": 115, "recommendations": 12_000,
              "hotline": 5_000, "tasks": 2_500, "outbox": 100_000},
    "city": {"organizers": 115, "enterprises": 100_000, "conferences": 2_300, "recommendations": 250_000,
             "hotline": 100_000, "tasks": 50_000, "outbox": 2_000_000},
}
TODAY = date(2026, 3, 16)  # the benchmark's "today" (a Monday)
OPEN_OVERDUE = 20  # open recommendations and hotline items past due on TODAY, at every scale
CHUNK = 20_000
# What recommendations are about (the free-text search benchmark looks for one of them without diacritics).
TOPICS = ("thủ tục đất đai", "hạ tầng giao thông", "phòng cháy chữa cháy", "thuế nhập khẩu", "lao động nước ngoài",
          "xử lý nước thải", "cấp điện ổn định", "giấy phép xây dựng", "thủ tục hải quan", "đào tạo nghề")
FIELDS = ("investment", "planning", "land", "environment", "labour", "tax", "customs", "infrastructure",
          "fire_safety", "administrative", "other")


def _at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour - 7 if hour >= 7 else 0, tzinfo=UTC)


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i:i + CHUNK])


def generate(engine: sa.Engine, scale: str, seed: int = 2026) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row counts written."""
    from heza.extensions import db

    n = SCALES[scale]
    rng = random.Random(seed)
    t = db.metadata.tables
    now = datetime(2026, 3, 16, 1, tzinfo=UTC)
    stamp = {"created_dt": now, "updated_dt": now}
    start_day = date(2016, 3, 1)
    span = (TODAY - start_day).days
    with engine.begin() as conn:
        _insert(conn, t["organizers"], [
            {"id": i, "name": f"{'Ban Quản lý KKT Hải Phòng' if i == 1 else f'UBND phường {i}'}",
             "short_name": "HEZA" if i == 1 else f"P{i:03d}", "slug": "heza" if i == 1 else f"p{i:03d}",
             "kind": "authority" if i == 1 else "ward", **stamp}
            for i in range(1, n["organizers"] + 1)])
        units = [{"id": i, "organizer_id": (i - 1) // 3 + 1, "name": f"Phòng {i}", "kind": "department",
                  "emails": f"phong{i}@heza.example.vn", **stamp} for i in range(1, 3 * n["organizers"] + 1)]
        _insert(conn, t["units"], units)
        _insert(conn, t["zones"], [{"id": i, "name": f"KCN số {i}", "code": f"Z{i:02d}", "kind": "industrial",
                                    **stamp} for i in range(1, 21)])
        enterprises = [
            {"id": i, "name": f"Công ty TNHH {rng.choice(['Thép', 'Cảng', 'Điện tử', 'Dệt may', 'Logistics'])} {i}",
             "tax_code": f"{200_000_000 + i:010d}", "kind": "enterprise", "zone_id": rng.randint(1, 20),
             "email": f"dn{i}@dn.example.vn", "language": "vi", "active": True, **stamp}
            for i in range(1, n["enterprises"] + 1)]
        _insert(conn, t["enterprises"], enterprises)
        # A recommendation's search text shows its enterprise's name and tax code (heza.search); a
        # Core insert fills only a row's own fields by itself.
        shown = {e["id"]: (e["name"], e["tax_code"]) for e in enterprises}
        del enterprises
        conferences = []
        for i in range(1, n["conferences"] + 1):
            held = start_day + timedelta(days=int(span * i / (n["conferences"] + 1)))
            conferences.append({"id": i, "organizer_id": rng.randint(1, n["organizers"]),
                                "title": f"Hội nghị đối thoại số {i}", "held_on": held, "status": "held",
                                "audience": "invited", "format": "in_person", **stamp})
        # Only conferences well in the past: the reconcile must not invite the whole city.
        _insert(conn, t["conferences"], conferences)
        recs = []
        for i in range(1, n["recommendations"] + 1):
            conf = conferences[rng.randrange(len(conferences))]
            received = conf["held_on"] - timedelta(days=rng.randint(6, 20))
            open_overdue = i <= OPEN_OVERDUE
            due = (TODAY - timedelta(days=3)) if open_overdue else received + timedelta(days=rng.randint(9, 20))
            recs.append({
                "id": i, "reference": format_reference("KN", received.year, i), "organizer_id": conf["organizer_id"],
                "enterprise_id": rng.randint(1, n["enterprises"]), "conference_id": conf["id"],
                "field": rng.choice(FIELDS), "content": f"Kiến nghị số {i} về {TOPICS[i % len(TOPICS)]}",
                "channel": "link",
                "received_dt": _at(received), "responsible_unit_id": rng.randint(1, len(units)),
                "status": "assigned" if open_overdue else "answered",
                "answer": "" if open_overdue else "Đã trả lời bằng văn bản",
                "answered_dt": None if open_overdue else _at(due - timedelta(days=1)),
                "answer_method": None if open_overdue else "in_writing", "due_on": due, "due_basis": "R5",
                "attachment_name": "", **stamp})
            r = recs[-1]
            r["search_text"] = join_fold([r["reference"], r["content"], r["answer"], *shown[r["enterprise_id"]]])
        _insert(conn, t["recommendations"], recs)
        del recs
        items = []
        for i in range(1, n["hotline"] + 1):
            received = start_day + timedelta(days=rng.randint(0, span - 30))
            open_overdue = i <= OPEN_OVERDUE
            due = (TODAY - timedelta(days=2)) if open_overdue else received + timedelta(days=7)
            items.append({
                "id": i, "reference": format_reference("PA", received.year, i),
                "organizer_id": rng.randint(1, n["organizers"]), "channel": "hotline",
                "kind": rng.choice(["feedback", "recommendation", "complaint", "denunciation"]),
                "person_name": f"Người gọi {i}", "contact": "0912 345 678", "content": f"Phản ánh số {i}",
                "received_dt": _at(received), "assigned_unit_id": rng.randint(1, len(units)),
                "status": "assigned" if open_overdue else "closed", "response": "" if open_overdue else "Đã xử lý",
                "responded_dt": None if open_overdue else _at(due), "due_on": due, "due_basis": "R11", **stamp})
        _insert(conn, t["hotline_items"], items)
        del items
        _insert(conn, t["tasks"], [
            {"id": i, "unit_id": rng.randint(1, len(units)), "conference_id": rng.randint(1, n["conferences"]),
             "description": f"Chuẩn bị báo cáo {i}", "due_on": start_day + timedelta(days=rng.randint(0, span - 30)),
             "done_dt": now - timedelta(days=30), "note": "", **stamp}
            for i in range(1, n["tasks"] + 1)])
        kinds = ("invitation", "receipt", "registration_nudge", "overdue", "digest", "unit_reminder")
        for lo in range(1, n["outbox"] + 1, CHUNK):
            rows = []
            for i in range(lo, min(lo + CHUNK, n["outbox"] + 1)):
                created = now - timedelta(minutes=(n["outbox"] - i) * 2)
                failed = i % 97 == 0
                rows.append({
                    "id": i, "key": f"bench:{i}", "kind": kinds[i % len(kinds)],
                    "to_addr": f"dn{i % 100_000}@dn.example.vn",
                    "to_name": f"Công ty {i % 100_000}", "cc": "", "subject": f"Thư mời tham dự hội nghị {i % 2300}",
                    "text_body": "Kính gửi Quý doanh nghiệp,\n" * 10,
                    "html_body": "<p>Kính gửi Quý doanh nghiệp</p>" * 10,
                    "language": "vi", "message_id": f"<bench.{i}@heza.test>", "conference_id": None,
                    "status": "failed" if failed else "sent", "attempts": 1, "next_attempt_dt": created,
                    "last_error": "550 mailbox unavailable" if failed else "", "created_dt": created,
                    "sent_dt": None if failed else created})
            conn.execute(t["outbound_emails"].insert(), rows)
        if conn.dialect.name == "postgresql":
            # Rows were written with explicit ids: move each id sequence past them, or the app's next
            # INSERT would collide with a generated row.
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.primary_key:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)"))
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    from tests.bench.common import make_app  # one way to build and migrate the app

    app = make_app(args.database_url)
    with app.app_context():
        from heza.extensions import db

        started = time.perf_counter()
        counts = generate(db.engine, args.scale)
    print(f"{args.scale}: {counts} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
