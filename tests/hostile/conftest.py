"""Fixtures of the hostile-input suite: the whole app (admin, login, public pages), rate limits lifted.

The app is package-scoped and overrides the session's one; ``db`` and ``client`` from
``tests/conftest.py`` then use it. The admin's ``login_as``, ``world`` and ``csrf`` fixtures are
reused as they are. Rate limits are lifted because hundreds of generated POSTs go through one link.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from flask import Flask

from tests.admin.conftest import csrf, login_as, world  # noqa: F401  (fixtures re-exported for this package)
from tests.support import migrated_app

NO_LIMITS = {"proposal": (1_000_000, 3600), "enterprise": (1_000_000, 600)}


@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with pytest.MonkeyPatch.context() as mp:
        # Production-cost hashing (~150 ms) per logged-in user would dominate hundreds of cases.
        mp.setattr("heza.accounts.models._hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield from migrated_app(tmp_path_factory, "heza-hostile", HEZA_RATE_LIMITS=NO_LIMITS)


def admin_views() -> list[tuple[str, str]]:
    """(endpoint, table) of every model screen of the admin, read from a throwaway app."""
    from heza import create_app
    from heza.admin.base import ProtectedModelView

    application = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    admin = application.extensions["admin"]
    admin = admin[0] if isinstance(admin, list) else admin
    return [(view.endpoint, view.model.__table__.name) for view in admin._views
            if isinstance(view, ProtectedModelView)]
