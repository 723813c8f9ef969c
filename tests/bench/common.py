"""What the benchmarks share: the table of figures, the app on a fresh database, timing helpers, a counting
SMTP sink and a statement counter (not a test: pytest collects only test_*.py)."""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

ROWS: list[tuple[str, str, str]] = []


def row(what: str, figure: str, note: str = "") -> None:
    ROWS.append((what, figure, note))


def make_app(url: str) -> Flask:
    """The real app on ``url``, migrated from empty."""
    from flask_migrate import upgrade

    from heza import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "heza.test",
                      "WTF_CSRF_ENABLED": False, "MAIL_SUPPRESS_SEND": False})
    with app.app_context():
        upgrade()
    return app


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.count += 1
        return "250 OK"


class StatementCounter:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.count = engine, 0

    def __enter__(self) -> StatementCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args: object) -> None:
        self.count += 1


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


def time_calls(fn, repeat: int) -> list[float]:  # noqa: ANN001
    fn()  # warm up
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def tenth_url(url: str) -> str:
    """Where the reconcile on a tenth of the rows runs on PostgreSQL: beside the main database."""
    parsed = sa.make_url(url)
    return parsed.set(database=f"{parsed.database}_tenth").render_as_string(hide_password=False)


def recreate_database(url: str, drop_only: bool = False) -> None:
    """Drop and (unless ``drop_only``) create the PostgreSQL database ``url`` names; never ``test``."""
    parsed = sa.make_url(url)
    name = parsed.database or ""
    if name in ("", "test", "postgres", "template0", "template1") or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing to recreate database {name!r}: give the benchmark a database of its own")
    engine = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop_only:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def print_table(title: str) -> None:
    """The figures gathered so far under a heading naming the machine."""
    width = max(len(r[0]) for r in ROWS)
    fig = max(len(r[1]) for r in ROWS)
    print(f"\n{title}, {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{'measure':<{width}} | {'figure':<{fig}} | note")
    print(f"{'-' * width}-|-{'-' * fig}-|-{'-' * 40}")
    for what, figure, note in ROWS:
        print(f"{what:<{width}} | {figure:<{fig}} | {note}")
