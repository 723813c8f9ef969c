"""Fixtures of the public pages: an app with the public blueprint, personal links, named instants.

The app is package-scoped and overrides the session's one so the blueprint can be registered
before any request even when ``create_app`` does not register it yet; ``db`` and ``client``
from ``tests/conftest.py`` then use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask

from heza import rules
from heza.extensions import db as _db
from tests import factories as f
from tests.jobs.conftest import mail_to, smtp  # noqa: F401  (the real SMTP sink, for the emails' tests)
from tests.support import migrated_app

# A conference on Tuesday 17/3/2026: R2 cutoff is the end of Tuesday 10/3/2026 (five working days
# before), the longest answer period (14 working days) ends on Monday 6/4/2026.
HELD_ON = date(2026, 3, 17)


def local(d: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware instant at a Hai Phong wall-clock time (what time-machine travels to)."""
    return f.at_local(d, hour, minute)


BEFORE_CUTOFF = local(date(2026, 3, 2))
LAST_MINUTE = local(date(2026, 3, 10), 23, 30)
AFTER_CUTOFF = local(date(2026, 3, 11), 8, 0)
LAST_VALID_DAY = local(date(2026, 4, 6), 16, 0)
EXPIRED = local(date(2026, 4, 7), 8, 0)



@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from migrated_app(tmp_path_factory, "heza-public")


@pytest.fixture()
def conference(db):
    """A HEZA conference on :data:`HELD_ON` with an invited enterprise, committed."""
    org = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA", phone="0225 3569170",
                      email="doanhnghiep.heza@example.vn")
    conf = f.conference(org, held_on=HELD_ON, title="Hội nghị đối thoại doanh nghiệp năm 2026",
                        place="Trụ sở Ban Quản lý, 24 Cù Chính Lan")
    _db.session.commit()
    return conf


@pytest.fixture()
def enterprise(db):
    ent = f.enterprise(name="Công ty TNHH Cơ khí Đình Vũ", email="lienhe@codinhvu.example.vn")
    _db.session.commit()
    return ent


@pytest.fixture()
def token(conference, enterprise) -> str:
    from heza.conferences import links

    return links.make_token(conference.id, enterprise.id)


@pytest.fixture()
def csrf(client):
    """A function returning a valid CSRF token for ``client`` (read from a page it renders)."""
    import re

    def get(url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, "no CSRF token on " + url
        return match.group(1)

    return get


def settings_of(conference) -> rules.Settings:
    return conference.settings()
