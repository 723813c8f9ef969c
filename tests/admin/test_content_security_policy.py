"""Every admin screen as served: the policy's nonce on each inline script, no inline event handler at all.

The browser tests click through the screens under the policy; this walks many more of them
without a browser: list, create, edit and details of the record screens an administrator sees.
"""

from __future__ import annotations

import re

import pytest

from heza.accounts.models import Role
from tests import factories as f

SCREENS = ("conference", "recommendation", "enterprise", "organizer", "unit", "zone", "plan", "hotline",
           "newsletter", "article", "digitalpost", "topicproposal", "calendaroverride", "outbox", "jobrun",
           "user", "audit")
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _check(response, path: str) -> int:
    assert response.status_code == 200, path
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    html = response.get_data(as_text=True)
    handler = INLINE_HANDLER.search(html)
    assert handler is None, (path, handler and handler.group(0))
    assert "javascript:" not in re.sub(r"javascript:void\(0\)", "", html), path  # only the no-op links
    inline = 0
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" not in attributes:
            inline += 1
            assert f'nonce="{nonce}"' in attributes, (path, attributes)
    return inline


@pytest.mark.parametrize("screen", SCREENS)
def test_admin_screens_carry_the_nonce_and_no_inline_handler(client, login_as, screen):
    login_as(Role.ADMIN)
    conference = f.conference()
    f.recommendation(conference)
    from heza.extensions import db

    db.session.commit()
    _check(client.get(f"/admin/{screen}/"), f"/admin/{screen}/")
    for view in ("new", "edit", "details"):
        path = f"/admin/{screen}/{view}/" + (f"?id={conference.id}" if view != "new" and screen == "conference" else "")
        response = client.get(path)
        if response.status_code == 200:
            _check(response, path)


def test_the_dashboard_and_the_login_page(client, login_as):
    assert _check(client.get("/login"), "/login") == 0
    login_as(Role.ADMIN)
    _check(client.get("/admin/"), "/admin/")
