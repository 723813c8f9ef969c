"""The files under ``deploy/`` say what the code does, and gunicorn serves the app the way they start it."""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

from heza import config
from tests.deploy.processes import BIN, DEPLOY, Processes, exec_start, http_get
from tests.jobs.conftest import free_port
from tests.support import ROOT


def env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd's EnvironmentFile reads them (comments skipped, quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = " ".join(shlex.split(value))
    return values


def test_the_env_example_holds_only_settings_heza_knows_and_they_parse():
    values = env_file(DEPLOY / "heza.env.example")
    known = {f"HEZA_{name}" for name in config._VARIABLES}
    heza_keys = {k for k in values if k.startswith("HEZA_")}
    assert heza_keys <= known, heza_keys - known
    assert set(values) - heza_keys == {"GUNICORN_CMD_ARGS"}
    parsed = config.from_environ(values)  # a bad value would raise here, as it stops the service
    assert parsed["PREFERRED_URL_SCHEME"] == "https" and parsed["PROXY_HOPS"] == 1 and parsed["MAIL_USE_TLS"] is True
    assert "--workers=" in values["GUNICORN_CMD_ARGS"] and "--bind=" in values["GUNICORN_CMD_ARGS"]


def test_the_units_start_gunicorn_and_the_scheduler_from_the_checkout():
    web, scheduler = (DEPLOY / "heza-web.service").read_text(), (DEPLOY / "heza-scheduler.service").read_text()
    for unit in (web, scheduler):
        assert "EnvironmentFile=/etc/heza/heza.env" in unit and "WorkingDirectory=/opt/heza" in unit
        assert "User=heza" in unit and "Restart=" in unit
    assert exec_start("heza-web.service")[1:] == ["-c", "deploy/gunicorn.conf.py", "wsgi:app"]
    assert exec_start("heza-scheduler.service")[1:] == ["scheduler"]


def test_the_readme_deploy_section_names_every_step():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Deploy"):]
    for step in ("heza init", "gunicorn -c deploy/gunicorn.conf.py", "heza scheduler", "pg_dump -Fc", "pg_restore",
                 "/readyz", "HEZA_PROXY_HOPS", "HEZA_MAIL_USE_TLS", "HEZA_SECRET_KEY", "deploy/heza-web.service"):
        assert step in section, step


def test_gunicorn_serves_the_app_as_the_unit_starts_it(tmp_path):
    """SQLite is enough to see gunicorn's side: no Server software, forwarded headers ignored by default."""
    from flask_migrate import upgrade

    from heza import create_app
    from heza.extensions import db

    url = f"sqlite:///{tmp_path / 'web.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEZA_", "GUNICORN_"))}
    env.update({"PYTHONPATH": str(ROOT), "HEZA_DATABASE_URL": url, "HEZA_SECRET_KEY": "k", "HEZA_LOG_FORMAT": "json",
                "GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{port} --workers=2"})
    procs = Processes(tmp_path)
    procs.start("web", exec_start("heza-web.service"), env)
    try:
        deadline = time.monotonic() + 30
        while http_get(f"http://127.0.0.1:{port}/healthz")[0] != 200:
            assert time.monotonic() < deadline, procs.log("web")
            time.sleep(0.1)
        status, headers, body = http_get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and '"schema":"current"' in body.replace(" ", "")
        assert headers["Server"] == "heza"  # not "gunicorn", no version
        for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                       "X-Request-Id"):
            assert header in headers
        import urllib.request

        forged = urllib.request.Request(f"http://127.0.0.1:{port}/login",
                                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        with urllib.request.urlopen(forged, timeout=10) as response:
            assert "Strict-Transport-Security" not in response.headers  # HEZA_PROXY_HOPS is 0: not believed
            assert "Secure" not in response.headers.get("Set-Cookie", "")
        missing = http_get(f"http://127.0.0.1:{port}/khong-co")
        assert missing[0] == 404 and not re.search(r"gunicorn|werkzeug|python", missing[2], re.IGNORECASE)
    finally:
        procs.stop_all()
    lines = [line for line in procs.log("web").splitlines() if '"heza.request"' in line]
    assert len(lines) >= 4 and all('"duration_ms"' in line and '"request_id"' in line for line in lines)
    assert str(BIN)  # the virtualenv the unit's /opt/heza/.venv stands for
