"""Settings read from ``HEZA_*`` environment variables through strict parsers.

A bad value stops the app at start with a message naming the variable, instead of
surfacing later as a surprise (a typo in ``HEZA_MAIL_USE_TLS`` silently meaning "off").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

LOCAL_TZ = "Asia/Ho_Chi_Minh"


class ConfigError(ValueError):
    """A ``HEZA_*`` variable holds a value that cannot be used."""


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def parse_int(raw: str) -> int:
    return int(raw.strip())


def parse_str(raw: str) -> str:
    return raw


def parse_hops(raw: str) -> int:
    value = parse_int(raw)
    if value < 0:
        raise ValueError(f"expected 0 or more proxies in front of the app, got {value}")
    return value


def parse_log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"text", "json"}:
        raise ValueError(f"expected text or json, got {raw!r}")
    return value


# name (without prefix) -> (Flask config key, parser)
_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "SECRET_KEY": ("SECRET_KEY", parse_str),
    "PUBLIC_SITE_NAME": ("PUBLIC_SITE_NAME", parse_str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", parse_str),
    "MAIL_SERVER": ("MAIL_SERVER", parse_str),
    "MAIL_PORT": ("MAIL_PORT", parse_int),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", parse_bool),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", parse_bool),
    "MAIL_USERNAME": ("MAIL_USERNAME", parse_str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", parse_str),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", parse_str),
    "MAIL_TIMEOUT": ("MAIL_TIMEOUT", parse_int),
    "MAIL_CA_FILE": ("MAIL_CA_FILE", parse_str),
    "MAIL_REPLY_TO": ("MAIL_REPLY_TO", parse_str),
    "SERVER_NAME": ("SERVER_NAME", parse_str),
    "PREFERRED_URL_SCHEME": ("PREFERRED_URL_SCHEME", parse_str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", parse_bool),
    "DEFAULT_LOCALE": ("BABEL_DEFAULT_LOCALE", parse_str),
    "PROXY_HOPS": ("PROXY_HOPS", parse_hops),
    "LOG_FORMAT": ("LOG_FORMAT", parse_log_format),
    "DELIVERY_INTERVAL_SECONDS": ("DELIVERY_INTERVAL_SECONDS", parse_int),
}


class Config:
    """Defaults; every one can be replaced through the environment or ``create_app(config)``."""

    SECRET_KEY: str | None = None  # filled from the instance folder when not given
    SQLALCHEMY_DATABASE_URI: str | None = None  # SQLite in the instance folder when not given
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # The relay's address; each organizer's mail goes out under its own name (heza/outbox/delivery.py).
    MAIL_DEFAULT_SENDER = "Đối thoại doanh nghiệp Hải Phòng <no-reply@heza.gov.vn>"
    MAIL_TIMEOUT = 30  # seconds; Flask-Mail has none and a stuck server would hang delivery
    MAIL_CA_FILE: str | None = None  # PEM of a private CA for the relay's certificate (else the system's)
    # Where answers to the system's own mail go, and to an organizer's that has no address of its own
    # (heza/directory/contacts.py): a person's mailbox, never the no-reply sender.
    MAIL_REPLY_TO = ""
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = LOCAL_TZ
    LANGUAGES = ("vi", "en")
    LOCAL_TIMEZONE = LOCAL_TZ
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: Secure exactly when the app's scheme is https (PREFERRED_URL_SCHEME), decided in create_app.
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a long form (an answer to a recommendation) must not expire mid-typing
    PREFERRED_URL_SCHEME = "http"
    # Links in emails are built outside any request, from this host: the address `make run` serves.
    # A real deployment sets HEZA_SERVER_NAME (and HEZA_PREFERRED_URL_SCHEME=https).
    SERVER_NAME = "127.0.0.1:5000"
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (werkzeug's
    # ProxyFix); 0 ignores those headers, which anyone could otherwise send.
    PROXY_HOPS = 0
    LOG_FORMAT = "text"  # or "json": one object per line
    DELIVERY_INTERVAL_SECONDS = 60  # how often each scheduler delivers the outbox


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Parse every known ``HEZA_*`` variable in ``environ``; raise :class:`ConfigError` on a bad one."""
    result: dict[str, Any] = {}
    for name, (key, parser) in _VARIABLES.items():
        raw = environ.get(f"HEZA_{name}")
        if raw is None:
            continue
        try:
            result[key] = parser(raw)
        except ValueError as exc:
            raise ConfigError(f"HEZA_{name}: {exc}") from exc
    return result


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults overlaid with the environment (``os.environ`` unless given)."""
    values = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    values.update(from_environ(os.environ if environ is None else environ))
    return values
