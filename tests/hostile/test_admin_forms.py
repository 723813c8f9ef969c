"""Every admin create form, fed hostile values: no 500, nothing unescaped, nothing half saved, Vietnamese refusals.

The forms are read from the pages themselves (every ``/admin/<view>/new/`` the admin answers),
so a screen added later is covered without touching this file. Each case starts from values a
careful officer could type and replaces one to three fields with something hostile.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heza.accounts.models import Role
from tests.admin.conftest import csrf_from
from tests.hostile.payloads import (
    assert_escaped,
    assert_vietnamese_refusal,
    changed,
    form_fields,
    hostile_for,
    hostile_settings,
    plausible,
    row_counts,
)

EXAMPLES_PER_FORM = 24
# Fields the browser sends on its own (tokens, the "save and …" buttons), never typed.
NOT_TYPED = {"csrf_token", "next", "_add_another", "_continue_editing"}
# Screens of what the system records (emails sent, job runs, the audit trail): read-only by design.
READ_ONLY = {"outbox", "jobrun", "audit"}


def _create_views() -> list[tuple[str, str]]:
    from tests.hostile.conftest import admin_views

    return admin_views()


@pytest.mark.parametrize(("endpoint", "table"), _create_views())
def test_admin_create_form_survives_hostile_input(client, login_as, world, endpoint, table):
    login_as(Role.ADMIN)
    page = client.get(f"/admin/{endpoint}/new/")
    if endpoint in READ_ONLY:
        # Logs written by the system: nobody creates rows there, not even an administrator.
        assert page.status_code == 403, f"{endpoint} should have no create form"
        assert client.post(f"/admin/{endpoint}/new/", data={"x": "<script>alert(1)</script>"}).status_code in (400, 403)
        return
    assert page.status_code == 200, endpoint
    html = page.get_data(as_text=True)
    token = csrf_from(html)
    fields = {name: f for name, f in form_fields(html).items() if name not in NOT_TYPED}
    assert fields, f"no fields found on /admin/{endpoint}/new/"
    names = sorted(fields)
    serial = itertools.count(1)

    @hostile_settings(EXAMPLES_PER_FORM)
    @given(data=st.data())
    def case(data: st.DataObject) -> None:
        n = next(serial)
        form = {name: plausible(f, n) for name, f in fields.items()}
        targets = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="fields")
        for name in targets:
            form[name] = data.draw(hostile_for(fields[name]), label=name)
        form["csrf_token"] = token
        before = row_counts()
        response = client.post(f"/admin/{endpoint}/new/", data=form)
        body = response.get_data(as_text=True)
        where = f"POST /admin/{endpoint}/new/ with {({k: form[k] for k in targets})!r:.300}"
        assert response.status_code < 500, where
        assert_escaped(body, where)
        delta = changed(before, row_counts())
        if response.status_code == 302 and delta.get(table) == 1:
            assert all(v > 0 for v in delta.values()), f"rows removed by a create: {delta} at {where}"
            listing = client.get(f"/admin/{endpoint}/")
            assert listing.status_code == 200, where
            assert_escaped(listing.get_data(as_text=True), f"list of {endpoint} after {where}")
            return
        assert delta == {}, f"half saved {delta} at {where}"
        if response.status_code == 302:  # refused with a flashed message and a redirect
            body = client.get(response.headers["Location"]).get_data(as_text=True)
            assert_escaped(body, where)
        assert_vietnamese_refusal(body, where)

    case()
