"""The enterprise-facing pages: personal links, public announcements and feeds, topic proposals.

Registered by :func:`heza.create_app` with ``app.register_blueprint(heza.public.bp)``;
:func:`init_app` does the same and is safe to call twice.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("public", __name__)

from heza.public import views  # noqa: E402,F401  (routes attach to bp)


def init_app(app: Flask) -> None:
    """Register the blueprint once."""
    if "public" not in app.blueprints:
        app.register_blueprint(bp)
