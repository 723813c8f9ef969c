"""Running as a city would: health checks, security headers, proxies, cookies, error pages, logs.

Most tests use the session app; those that need a configuration of their own (a proxy, a size
limit, an old schema, a database that is down) build one with :func:`heza.create_app` on a SQLite
file of their own.
"""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, request, url_for

from heza import create_app
from heza.base import now_utc
from heza.extensions import db as _db
from heza.jobruns import runner
from heza.jobruns.models import JobRun
from heza.observability import JsonFormatter, configure_logging
from tests.support import ROOT, TEST_CONFIG

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def free_port_for_tests() -> int:
    """A loopback port nothing listens on: a database there is "down"."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_app(tmp_path: Path, revision: str | None = "head", **config: Any) -> Flask:
    """An app on a SQLite file of its own, migrated to ``revision`` (None: left empty)."""
    from flask_migrate import upgrade

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.sqlite'}", **config})
    app.instance_path = str(tmp_path)
    if revision:
        with app.app_context():
            upgrade(revision=revision)
    return app


# --------------------------------------------------------------------------- health


def test_healthz_answers_without_login_or_database(tmp_path):
    down = own_app(tmp_path, revision=None,
                   SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody@127.0.0.1:{free_port_for_tests()}/nothing")
    response = down.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reports_schema_scheduler_and_outbox(client, db):
    body = client.get("/readyz")
    assert body.status_code == 200
    data = body.get_json()
    assert data["status"] == "ready" and data["database"] == "ok" and data["schema"] == "current"
    assert data["scheduler"] == {"heartbeat_age_seconds": None, "stale": True}  # never ran
    assert data["outbox"] == {"pending": 0, "oldest_pending_age_seconds": None}

    now = now_utc()
    db.session.add(JobRun(job="digest", today=now.date(), started_dt=now - timedelta(minutes=10),
                          finished_dt=now - timedelta(minutes=9), counts={}, error=""))
    from heza.outbox.models import EmailStatus, OutboundEmail

    for i, age in enumerate((timedelta(hours=2), timedelta(minutes=5), timedelta(0))):
        db.session.add(OutboundEmail(key=f"test:{i}", kind="test", to_addr="dn@example.vn", subject="s", text_body="t",
                                     created_dt=now - age, status=EmailStatus.PENDING))
    db.session.add(OutboundEmail(key="test:sent", kind="test", to_addr="dn@example.vn", subject="s", text_body="t",
                                 created_dt=now - timedelta(days=3), status=EmailStatus.SENT))
    db.session.commit()
    data = client.get("/readyz").get_json()
    assert 9 * 60 - 5 <= data["scheduler"]["heartbeat_age_seconds"] <= 9 * 60 + 60
    assert data["scheduler"]["stale"] is False
    assert data["outbox"]["pending"] == 3
    assert 2 * 3600 - 5 <= data["outbox"]["oldest_pending_age_seconds"] <= 2 * 3600 + 60


def test_readyz_is_503_when_the_schema_is_behind(tmp_path):
    old = own_app(tmp_path, revision="7417b5c45fa4")  # the revision before the newest
    response = old.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "database": "ok", "schema": "behind"}
    from flask_migrate import upgrade

    with old.app_context():
        upgrade()  # what `heza init` does after an update
    assert old.test_client().get("/readyz").status_code == 200


def test_readyz_is_503_on_an_empty_database(tmp_path):
    empty = own_app(tmp_path, revision=None)
    response = empty.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["schema"] == "missing"


def test_readyz_is_503_when_the_database_is_down_and_says_nothing_about_it(tmp_path):
    url = f"postgresql+psycopg://secret_user:secret_pw@127.0.0.1:{free_port_for_tests()}/secret_db"
    down = own_app(tmp_path, revision=None, SQLALCHEMY_DATABASE_URI=url)
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "database": "unreachable", "schema": "unknown"}
    text = response.get_data(as_text=True)
    assert "secret" not in text and "127.0.0.1" not in text and "psycopg" not in text


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/login", "/admin/", "/healthz", "/nowhere", "/doi-thoai-doanh-nghiep/",
                                  "/doi-thoai-doanh-nghiep/feed.atom", "/static/heza-csp.js"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    for header in SECURITY_HEADERS:
        assert header in response.headers, (path, header)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain http
    assert "Server" not in response.headers
    response.close()


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://heza.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_nonce_is_new_per_request_and_matches_the_page(client):
    first, second = client.get("/login"), client.get("/login")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", second.headers["Content-Security-Policy"]).group(1)


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_heza_templates_have_no_inline_script_or_handler():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert not INLINE_HANDLER.search(text), path
        for tag in INLINE_SCRIPT.findall(text):
            assert "nonce" in tag, (path, tag)
        assert "javascript:" not in text.replace("javascript:void(0)", "") or path.parts[-2] == "model", path


# --------------------------------------------------------------------------- cookies


def test_session_cookie_is_secure_exactly_when_the_site_is_https(tmp_path):
    assert create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SESSION_COOKIE_SECURE"] is False
    https = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PREFERRED_URL_SCHEME": "https"})
    assert https.config["SESSION_COOKIE_SECURE"] is True and https.config["REMEMBER_COOKIE_SECURE"] is True
    overridden = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PREFERRED_URL_SCHEME": "https",
                             "SESSION_COOKIE_SECURE": False})
    assert overridden.config["SESSION_COOKIE_SECURE"] is False
    cookie = https.test_client().get("/login", base_url="https://heza.test").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_env_settings_for_proxies_and_logs_are_strict():
    from heza import config

    assert config.load({"HEZA_PROXY_HOPS": "2", "HEZA_LOG_FORMAT": "JSON"})["PROXY_HOPS"] == 2
    assert config.load({"HEZA_LOG_FORMAT": "json"})["LOG_FORMAT"] == "json"
    assert config.load({})["PROXY_HOPS"] == 0
    for bad in ({"HEZA_PROXY_HOPS": "-1"}, {"HEZA_PROXY_HOPS": "one"}, {"HEZA_LOG_FORMAT": "xml"}):
        with pytest.raises(config.ConfigError, match=next(iter(bad))):
            config.load(bad)


# --------------------------------------------------------------------------- proxies


def _echo_app(tmp_path: Path, **config: Any) -> Flask:
    app = own_app(tmp_path, revision=None, SERVER_NAME=None, **config)

    @app.get("/_echo")
    def echo() -> dict[str, str]:
        return {"remote": request.remote_addr or "", "scheme": request.scheme, "host": request.host,
                "link": url_for("health.readyz", _external=True)}

    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "heza.haiphong.gov.vn"}


def test_forwarded_headers_are_ignored_without_proxy_hops(tmp_path):
    data = _echo_app(tmp_path).test_client().get("/_echo", headers=FORWARDED,
                                                environ_base={"REMOTE_ADDR": "10.0.0.5"}).get_json()
    assert data == {"remote": "10.0.0.5", "scheme": "http", "host": "localhost",
                    "link": "http://localhost/readyz"}


def test_proxy_hops_trust_the_proxy_for_address_scheme_and_host(tmp_path):
    client = _echo_app(tmp_path, PROXY_HOPS=1).test_client()
    response = client.get("/_echo", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.get_json() == {"remote": "203.0.113.7", "scheme": "https", "host": "heza.haiphong.gov.vn",
                                   "link": "https://heza.haiphong.gov.vn/readyz"}
    assert response.headers["Strict-Transport-Security"]  # the client's scheme was https
    # One hop trusted: a client-forged address in front of the proxy's is not believed.
    forged = client.get("/_echo", headers={**FORWARDED, "X-Forwarded-For": "1.2.3.4, 203.0.113.7"},
                        environ_base={"REMOTE_ADDR": "10.0.0.5"}).get_json()
    assert forged["remote"] == "203.0.113.7"


# --------------------------------------------------------------------------- error pages


def _failing_app(tmp_path: Path, **config: Any) -> Flask:
    app = own_app(tmp_path, revision="head", **config)

    @app.get("/_boom")
    def boom() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    return app


def test_500_page_shows_the_request_id_and_no_trace(tmp_path, caplog):
    app = _failing_app(tmp_path, TESTING=False, PROPAGATE_EXCEPTIONS=False)
    caplog.set_level(logging.INFO)
    response = app.test_client().get("/_boom", headers={"X-Request-Id": "lb-req-000123"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert response.headers["X-Request-Id"] == "lb-req-000123"
    assert "lb-req-000123" in page and "Đã có lỗi xảy ra" in page
    for leak in ("Traceback", "RuntimeError", "hunter2", "Werkzeug", "Python", "Flask"):
        assert leak not in page
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and all(getattr(r, "request_id", None) == "lb-req-000123" for r in errors)
    assert any(r.exc_info for r in errors)  # the trace is in the log, under that id
    access = [r for r in caplog.records if r.name == "heza.request"]
    assert access[-1].fields["status"] == 500 and access[-1].fields["request_id"] == "lb-req-000123"


def test_a_forged_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-Id": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])


@pytest.mark.parametrize("path,method", [("/nowhere", "get"), ("/login", "put"), ("/login", "post")])
def test_error_pages_carry_no_version(client, path, method):
    page = getattr(client, method)(path).get_data(as_text=True)
    assert not re.search(r"werkzeug|python|flask|gunicorn|traceback|\d+\.\d+\.\d+", page, re.IGNORECASE)


def test_admin_413_is_a_friendly_vietnamese_page(tmp_path):
    app = own_app(tmp_path, MAX_CONTENT_LENGTH=2 * 1024 * 1024, WTF_CSRF_ENABLED=False)
    response = app.test_client().post("/login", data={"email": "x@y.vn", "password": "p" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp gửi lên quá lớn" in page and "2 MB" in page and "Request Entity Too Large" not in page


# --------------------------------------------------------------------------- logs


def test_one_log_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="heza.request")
    response = client.get("/healthz?token=do-not-log")
    lines = [r for r in caplog.records if r.name == "heza.request"]
    assert len(lines) == 1
    fields = lines[0].fields
    assert fields["method"] == "GET" and fields["path"] == "/healthz" and fields["status"] == 200
    assert fields["request_id"] == response.headers["X-Request-Id"] and fields["duration_ms"] >= 0
    assert "do-not-log" not in lines[0].getMessage() + json.dumps(fields)


def test_json_log_lines(client):
    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    try:
        client.get("/healthz")
        with client.application.app_context():
            runner.run_job("demo_job", lambda today: {"emails": 2, "skipped": 0}, locked=False, log_idle=False)
    finally:
        configure_logging("text", stream=__import__("sys").stderr)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = next(x for x in lines if x["logger"] == "heza.request")
    assert {"ts", "level", "method", "path", "status", "duration_ms", "request_id"} <= set(access)
    job = next(x for x in lines if x["logger"] == "heza.jobs")
    assert job["job"] == "demo_job" and job["counts"] == {"emails": 2, "skipped": 0} and job["result"] == "ok"
    assert job["duration_ms"] >= 0
    assert isinstance(handler.formatter, logging.Formatter)
    with client.application.app_context():
        _db.session.execute(sa.delete(JobRun))
        _db.session.commit()


def test_one_log_line_per_job_run(app, db, caplog):
    caplog.set_level(logging.INFO, logger="heza.jobs")
    runner.run_job("demo_job", lambda today: {"invitations": 3})
    runner.run_job("demo_failing", lambda today: 1 / 0)
    runner.run_job("demo_idle", lambda today: {}, locked=False, log_idle=False)  # delivery with nothing to do
    records = [r for r in caplog.records if r.name == "heza.jobs"]
    assert [r.fields["job"] for r in records] == ["demo_job", "demo_failing"]
    ok, failed = records
    assert ok.fields["counts"] == {"invitations": 3} and ok.fields["result"] == "ok" and ok.fields["run_id"]
    assert failed.levelno == logging.ERROR and failed.fields["result"] == "error"


def test_json_formatter_keeps_vietnamese_and_traces():
    record = logging.LogRecord("heza.x", logging.ERROR, __file__, 1, "Lỗi gửi thư", None, None)
    record.fields = {"job": "delivery"}
    data = json.loads(JsonFormatter().format(record))
    assert data["msg"] == "Lỗi gửi thư" and data["job"] == "delivery" and data["level"] == "error"
