"""Load benchmark through gunicorn, printing one table (not a test: pytest collects only test_*.py).

    .venv/bin/python tests/bench/bench_load.py [--scale small|city] [--database-url URL [--fresh-database]]
        [--seconds S]

Builds the benchmark data as ``bench_city.py`` does (SQLite in a temporary folder unless
``--database-url``; with ``--fresh-database`` a PostgreSQL database is created anew and dropped at the
end, never ``test``), adds an administrator and an upcoming conference with one enterprise invited,
then starts gunicorn exactly as the README's Deploy section does (``gunicorn -c deploy/gunicorn.conf.py
-w 2 -b 127.0.0.1:PORT wsgi:app`` from the checkout, settings in ``HEZA_*`` variables). It waits for
``/readyz``, logs in through the login form (with its CSRF token) and drives three pages: the
recommendations list, the dashboard and the enterprise's personal page (its signed link), each at 1, 4
and 16 concurrent clients for a few seconds (requests/s, p50/p95/p99, errors). Then it prints each
worker's RSS (VmRSS, VmHWM) against the 200 MB target, and stops gunicorn whatever happened.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from anywhere without installing

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import make_app, pct, print_table, recreate_database, row  # noqa: E402

HOST = "127.0.0.1"
CLIENTS = (1, 4, 16)
WORKERS = 2
RSS_TARGET_MB = 200
ADMIN_EMAIL, ADMIN_PASSWORD = "load@heza.gov.vn", "load-password-123"


@dataclass
class Fixture:
    """What the load needs from the data: the personal page's path."""

    personal_path: str


def build(url: str, scale: str, secret: str) -> Fixture:
    """Migrate and fill the database; add the administrator and an invitation with its personal link."""
    from heza.accounts.models import Role, User
    from heza.conferences import links
    from heza.conferences.models import Conference, ConferenceStatus, Invitation
    from heza.extensions import db
    from tests.bench.generate import generate

    app = make_app(url)
    # The link is signed with the key the server will have (HEZA_SECRET_KEY), not make_app's.
    app.config["SECRET_KEY"] = secret
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        start = time.perf_counter()
        counts = generate(db.engine, scale)
        row(f"generate '{scale}' data", f"{time.perf_counter() - start:.1f} s",
            ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        user = User(email=ADMIN_EMAIL, name="Load", role=Role.ADMIN)
        user.set_password(ADMIN_PASSWORD)
        db.session.add(user)
        # Every generated conference is long past, and a personal link expires once its answers are due:
        # the page is measured on an upcoming conference (the server's real today), as enterprises see it.
        enterprise_id = 1
        conference = Conference(organizer_id=1, title="Hội nghị đối thoại (tải)", held_on=date.today() + timedelta(30),
                                status=ConferenceStatus.ANNOUNCED)
        db.session.add(conference)
        db.session.flush()
        db.session.add(Invitation(conference_id=conference.id, enterprise_id=enterprise_id))
        # The page lists the enterprise's recommendations to this conference: give it a few to show.
        recs = db.metadata.tables["recommendations"]
        ids = db.session.scalars(sa.select(recs.c.id).where(recs.c.enterprise_id == enterprise_id)
                                 .order_by(recs.c.id).limit(5)).all()
        db.session.execute(recs.update().where(recs.c.id.in_(ids)).values(conference_id=conference.id))
        db.session.commit()
        token = links.make_token(conference.id, enterprise_id)
        row("personal page data", f"{len(ids)} recommendations", f"conference {conference.id} held on "
            f"{conference.held_on:%d/%m/%Y}, enterprise {enterprise_id}")
        db.engine.dispose()  # the server opens its own connections; this process stays out of the way
    return Fixture(personal_path=f"/doanh-nghiep/{token}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, secret: str, port: int, log_path: Path) -> subprocess.Popen:
    """gunicorn as the README's Deploy section starts it by hand, from the checkout."""
    env = {**os.environ, "HEZA_DATABASE_URL": url, "HEZA_SECRET_KEY": secret}
    env.pop("GUNICORN_CMD_ARGS", None)  # the command line below is the whole configuration
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with log_path.open("wb") as log:
        return subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "-w", str(WORKERS), "-b", f"{HOST}:{port}",
                                 "wsgi:app"], cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_gunicorn(proc: subprocess.Popen) -> None:
    """SIGTERM is gunicorn's graceful stop; kill only if it does not come down in time."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=35)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request(conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str] | None = None,
            body: str | None = None) -> tuple[int, dict[str, str], bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    if response.will_close:  # gunicorn's sync workers close after each answer; reconnect next time
        conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def wait_ready(proc: subprocess.Popen, port: int, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}):\n{log_path.read_text()[-2000:]}")
        try:
            status, _, _ = request(http.client.HTTPConnection(HOST, port, timeout=5), "GET", "/readyz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"/readyz not ready after {timeout:.0f} s:\n{log_path.read_text()[-2000:]}")


def login(port: int) -> str:
    """The session cookie of the administrator, logged in through the real form and its CSRF token."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    status, headers, body = request(conn, "GET", "/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or token is None:
        raise SystemExit(f"login form: HTTP {status}, CSRF token {'found' if token else 'missing'}")
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    form = urlencode({"csrf_token": token.group(1).decode(), "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                      "next": ""})
    status, headers, _ = request(conn, "POST", "/login", {"Cookie": cookie,
                                                          "Content-Type": "application/x-www-form-urlencoded"}, form)
    session = headers.get("set-cookie", "").split(";", 1)[0]
    if status != 302 or not session:
        raise SystemExit(f"login: HTTP {status} (expected a redirect with a session cookie)")
    return session


@dataclass
class Load:
    """What the clients of one run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def drive(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> tuple[Load, float]:
    """``clients`` threads, each with its own connection, requesting ``path`` until the time is up."""
    load = Load()
    start_line = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        mine: list[float] = []
        start_line.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                status, _, _ = request(conn, "GET", path, headers)
            except (OSError, http.client.HTTPException) as exc:
                load.error(type(exc).__name__)
                conn.close()
                continue
            mine.append(time.perf_counter() - began)
            if not 200 <= status < 300:
                load.error(f"HTTP {status}")
        conn.close()
        with load.lock:
            load.latencies.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    return load, time.perf_counter() - began


def bench_pages(port: int, cookie: str, fixture: Fixture, seconds: float) -> None:
    admin = {"Cookie": cookie}
    pages = [("recommendations list", "/admin/recommendation/", admin), ("dashboard", "/admin/", admin),
             ("personal page", fixture.personal_path, {})]  # an enterprise has no session, only its link
    for label, path, headers in pages:
        for _ in range(2 * WORKERS):  # each worker renders the page once before it is timed
            status, _, _ = request(http.client.HTTPConnection(HOST, port, timeout=60), "GET", path, headers)
            if status != 200:
                raise SystemExit(f"{label} ({path}): HTTP {status} before the load")
        for clients in CLIENTS:
            load, elapsed = drive(port, path, headers, clients, seconds)
            done = len(load.latencies)
            errors = sum(load.errors.values())
            kinds = f" ({', '.join(f'{k} x{v}' for k, v in sorted(load.errors.items()))})" if errors else ""
            figure = f"{done / elapsed:.1f} req/s" if done else "no answer"
            note = (f"p50 {pct(load.latencies, .5):.0f} ms, p95 {pct(load.latencies, .95):.0f} ms, "
                    f"p99 {pct(load.latencies, .99):.0f} ms; {done} requests, errors {errors}{kinds}"
                    if done else f"errors {errors}{kinds}")
            row(f"{label}, {clients} client{'s' if clients > 1 else ''}", figure, note)


def worker_pids(master: int) -> list[int]:
    """The master's children: gunicorn's workers."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return sorted(int(pid) for pid in children.read_text().split())
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(pids)


def memory_mb(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(value.split()[0]) / 1024 for key, value in re.findall(r"^(VmRSS|VmHWM):\s+(.+)$", status, re.M)}


def report_workers(master: int, started: list[int]) -> None:
    for pid in worker_pids(master):
        mem = memory_mb(pid)
        verdict = "met" if mem["VmRSS"] <= RSS_TARGET_MB else "MISSED"
        # max_requests recycles a worker now and then: a fresh one would look smaller than a served one.
        fresh = "" if pid in started else "; started during the run (max_requests recycling)"
        row(f"RSS, web worker pid {pid} (after the load)", f"{mem['VmRSS']:.0f} MB (HWM {mem['VmHWM']:.0f} MB)",
            f"target <= {RSS_TARGET_MB} MB {verdict}{fresh}")
    master_mem = memory_mb(master)
    row("RSS, gunicorn master", f"{master_mem['VmRSS']:.0f} MB", "does not import the app (no preload)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "city"), default="small")
    parser.add_argument("--database-url")
    parser.add_argument("--fresh-database", action="store_true",
                        help="PostgreSQL: create the URL's database anew, drop it at the end")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long each page is driven at each level")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="heza-load-"))
    url = args.database_url or f"sqlite:///{tmp / 'load.sqlite'}"
    if url.startswith("postgresql"):
        name = sa.make_url(url).database or ""
        if name in ("", "test", "postgres", "template0", "template1"):  # shared with other runs, or the server's
            raise SystemExit(f"refusing database {name!r}: give the benchmark a database of its own")
    fresh = args.fresh_database and url.startswith("postgresql")
    if fresh:
        recreate_database(url)
    secret = secrets.token_urlsafe(48)
    proc: subprocess.Popen | None = None
    try:
        fixture = build(url, args.scale, secret)
        port, log_path = free_port(), tmp / "gunicorn.log"
        proc = start_gunicorn(url, secret, port, log_path)
        wait_ready(proc, port, log_path)
        started = worker_pids(proc.pid)
        bench_pages(port, login(port), fixture, args.seconds)
        report_workers(proc.pid, started)
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if fresh:
            recreate_database(url, drop_only=True)
    print_table(f"heza load bench, scale {args.scale}, {sa.make_url(url).get_backend_name()}, "
                f"gunicorn -w {WORKERS}")


if __name__ == "__main__":
    main()
