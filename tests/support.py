"""Test helpers shared by several test packages (fixtures stay in the conftest files)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


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
