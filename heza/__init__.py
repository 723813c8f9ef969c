"""heza: dialogue conferences between HEZA, its wards and enterprises, and their deadlines."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from heza import config as config_module
from heza.extensions import csrf, db, login_manager, mail, migrate

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application; ``config`` wins over the environment, which wins over defaults."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.from_mapping(config_module.load())
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'heza.sqlite'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config.get("SESSION_COOKIE_SECURE") is None:  # not set: Secure exactly when the site is https
        app.config["SESSION_COOKIE_SECURE"] = app.config.get("PREFERRED_URL_SCHEME") == "https"
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:  # trust exactly this many proxies' X-Forwarded-* headers; none otherwise
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from heza import observability, security_headers

    observability.init_app(app)  # first: its before-request hook starts the clock and the request id
    security_headers.init_app(app)

    from heza import models  # noqa: F401  (every table known before migrate/admin look)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    mail.init_app(app)
    from heza.directory.contacts import reply_address

    app.jinja_env.globals["reply_address"] = reply_address  # the emails' footer says where answers go
    csrf.init_app(app)
    login_manager.init_app(app)
    from heza import i18n
    from heza.accounts import audit
    from heza.accounts import views as auth_views

    i18n.init_app(app)
    auth_views.init_app(app)  # login, logout, language switch, user loader, error pages
    audit.init_app(app)

    from heza import deadlines, request_guard, sqlite_pragmas, workdays

    request_guard.init_app(app)
    sqlite_pragmas.init_app(app)
    workdays.init_app(app)
    deadlines.init_app(app)

    from heza import health

    health.init_app(app)

    from heza.reports.views import reports_bp

    app.register_blueprint(reports_bp)

    from heza import public

    public.init_app(app)

    from heza.admin import init_admin

    init_admin(app)

    from heza.cli import register as register_cli

    register_cli(app)
    return app


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts without configuration."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
