"""Hostile spreadsheets at the import screen: never a 500, never half imported, cells escaped in the preview."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from heza.accounts.models import Role
from heza.directory.models import Enterprise
from heza.extensions import db
from tests.hostile.payloads import HOSTILE_TEXT, hostile_settings

HEADERS = ["Tên doanh nghiệp", "Mã số thuế", "Khu", "Phường, xã", "Email", "Loại hình", "Đang hoạt động"]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise))


@hostile_settings(40)
@given(data=st.data())
def test_hostile_csv_cells(client, login_as, csrf, world, data):
    if not getattr(client, "_heza_logged_in", False):
        login_as(Role.OFFICER)
        client._heza_logged_in = True
    rows = [HEADERS]
    for i in range(data.draw(st.integers(min_value=1, max_value=4), label="rows")):
        row = [f"Công ty {i}", f"02000000{i:02d}", world.zone.name, "", f"dn{i}@x.vn", "Doanh nghiệp", "Có"]
        for col in data.draw(st.lists(st.integers(min_value=0, max_value=6), max_size=3, unique=True)):
            row[col] = data.draw(HOSTILE_TEXT, label=f"cell {i},{col}")
        rows.append(row)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), label="encoding")
    before = _count()
    response = client.post("/admin/import/preview", data={
        "csrf_token": csrf("/admin/import/"), "kind": "enterprises",
        "file": (io.BytesIO(out.getvalue().encode(encoding, "surrogatepass")), "dn.csv")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400, 422), rows
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert _count() == before  # the preview writes nothing


@hostile_settings(40)
@given(blob=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt", "a.exe", "a"]))
def test_random_bytes_are_refused_or_previewed(client, login_as, csrf, world, blob, name):
    if not getattr(client, "_heza_logged_in", False):
        login_as(Role.OFFICER)
        client._heza_logged_in = True
    response = client.post("/admin/import/preview", data={
        "csrf_token": csrf("/admin/import/"), "kind": "enterprises", "file": (io.BytesIO(blob), name)},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400, 422)
    assert _count() == 1
