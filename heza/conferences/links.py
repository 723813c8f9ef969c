"""An enterprise's personal link to one conference, signed so it cannot be guessed or altered.

The token carries only ``[conference_id, enterprise_id]`` and the time it was made, signed with
the app's ``SECRET_KEY`` (itsdangerous). The public blueprint serves it at
``/doanh-nghiep/<token>``; links in emails are absolute, built from ``SERVER_NAME`` and
``PREFERRED_URL_SCHEME`` because jobs run outside any request.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from itsdangerous import URLSafeTimedSerializer

SALT = "heza.enterprise-link"
ENDPOINT = "public.enterprise_page"
PATH = "/doanh-nghiep/{token}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(conference_id: int, enterprise_id: int) -> str:
    """A signed token naming one conference and one enterprise."""
    return _serializer().dumps([int(conference_id), int(enterprise_id)])


def read_token(token: str, max_age: int | None = None) -> tuple[int, int]:
    """``(conference_id, enterprise_id)`` of a token.

    Raises ``itsdangerous.BadSignature`` for a forged or altered token and its subclass
    ``SignatureExpired`` when ``max_age`` seconds have passed since it was made.
    """
    conference_id, enterprise_id = _serializer().loads(token, max_age=max_age)
    return int(conference_id), int(enterprise_id)


def personal_url(conference: Any, enterprise: Any) -> str:
    """The absolute URL of the enterprise's page for the conference (objects or ids)."""
    token = make_token(_id(conference), _id(enterprise))
    app = current_app
    if ENDPOINT in app.view_functions and app.config.get("SERVER_NAME"):
        return url_for(ENDPOINT, token=token, _external=True)
    scheme = app.config.get("PREFERRED_URL_SCHEME") or "http"
    host = app.config.get("SERVER_NAME") or "localhost"
    root = (app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    return f"{scheme}://{host}{root}{PATH.format(token=token)}"


def _id(value: Any) -> int:
    return int(value if isinstance(value, int) else value.id)
