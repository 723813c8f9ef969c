"""Test helpers shared by several test packages (fixtures stay in the conftest files).

Each test package may build its own package-scoped app (for a config of its own) through
:func:`migrated_app`; all of them are the real ``create_app`` on a database migrated from empty.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
CATALOG_DIRS = (ROOT / "heza" / "translations", ROOT / "heza" / "admin" / "translations")
TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "SERVER_NAME": "heza.test",
    "WTF_CSRF_ENABLED": True,
}


class FreshGlobalsClient(FlaskClient):
    """A test client whose requests each start with an empty ``g``.

    The ``db`` fixture keeps one app context pushed for the whole test, and Flask reuses it for every
    request, so ``g`` would carry the logged-in user (Flask-Login), the locale (Flask-Babel) and the
    CSRF token (Flask-WTF) from one request into the next, which a browser never sees.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g, has_app_context

        if has_app_context():
            for name in list(vars(g._get_current_object())):
                delattr(g, name)
        return super().open(*args, **kwargs)


def compile_catalogs() -> None:
    """What ``make translations`` does (``*.mo`` are not committed), so a bare ``pytest`` works too."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for directory in CATALOG_DIRS:
        for po in directory.glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                with po.open("rb") as src:
                    catalog = read_po(src)
                with mo.open("wb") as out:
                    write_mo(out, catalog)


def database_url(tmp_dir: Path) -> str:
    """``HEZA_TEST_DATABASE_URL`` (stopping the run if it does not answer), else SQLite in ``tmp_dir``."""
    url = os.environ.get("HEZA_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'heza-test.sqlite'}"
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        pytest.exit(f"HEZA_TEST_DATABASE_URL={url} is unreachable: {exc}", returncode=3)
    return url


def reset_schema(url: str) -> None:
    """Start from an empty database so the migrations are exercised from scratch every run."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()


def make_app(url: str, **extra: Any) -> Flask:
    """The real application for tests, on ``url``."""
    from heza import create_app

    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **extra})
    application.test_client_class = FreshGlobalsClient
    return application


def migrated_app(tmp_path_factory: pytest.TempPathFactory, name: str, **extra: Any) -> Iterator[Flask]:
    """A fixture body: an app on an empty database upgraded by the migrations, disposed afterwards."""
    from flask_migrate import upgrade

    from heza.extensions import db

    compile_catalogs()
    tmp = tmp_path_factory.mktemp(name)
    url = database_url(tmp)
    reset_schema(url)
    application = make_app(url, **extra)
    application.instance_path = str(tmp)
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


# --------------------------------------------------------------------------- browser tests
CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    """Skip on a developer machine without chromium; fail on CI (``CI=true``), where it must run."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: on CI the browser tests must run (apt-get install -y chromium)")
    pytest.skip(f"{CHROMIUM} is missing on this machine (apt-get install -y chromium)")


def served_app(tmp_path_factory: pytest.TempPathFactory, name: str, **extra: Any) -> Iterator[tuple[Flask, str]]:
    """A fixture body: the whole app on its own migrated SQLite file, served over HTTP from a thread.

    Yields ``(app, base_url)``; links built outside requests point at the server's real port.
    """
    import threading

    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from heza.extensions import db

    require_chromium()
    tmp = tmp_path_factory.mktemp(name)
    application = make_app(f"sqlite:///{tmp / 'live.sqlite'}", TESTING=False, SERVER_NAME=None, **extra)
    application.instance_path = str(tmp)
    with application.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    host = f"127.0.0.1:{server.server_port}"
    application.config["SERVER_NAME"] = host
    thread = threading.Thread(target=server.serve_forever, name=f"{name}-live", daemon=True)
    thread.start()
    try:
        yield application, f"http://{host}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with application.app_context():
            db.engine.dispose()


def chromium_browser() -> Iterator[Any]:
    """A fixture body: Debian's chromium through Playwright, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def watch_csp(context: Any) -> list[str]:
    """Collect every Content-Security-Policy violation the browser reports on ``context``'s pages.

    Chromium writes each refused inline script, event handler, ``javascript:`` link or foreign
    resource to the console; a page fixture asserts the list is empty when the test ends.
    """
    violations: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            violations.append(f"{message.type}: {text} ({message.location.get('url', '')})")

    context.on("console", on_console)
    context.on("page", lambda tab: tab.on("pageerror", lambda exc: violations.append(f"pageerror: {exc}")))
    return violations


def default_organizer() -> Any:
    """The organizer staff of older tests belong to: the first one in the database, created if none."""
    from tests import factories

    return factories.first_organizer()


def staff_organizer(role: Any, unit: Any = None, organizer: Any = None) -> Any:
    """The organizer a test user of ``role`` gets: the one given, its unit's, or :func:`default_organizer`."""
    from heza.accounts.models import CITY_WIDE_ROLES

    if organizer is not None:
        return organizer
    if role in CITY_WIDE_ROLES:
        return None
    if unit is not None and unit.organizer is not None:
        return unit.organizer
    return default_organizer()
