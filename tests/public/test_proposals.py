"""R12: the public topic-proposal form, its honeypot, its limit and the confirmation by email."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from heza.outreach.models import Addressee, TopicProposal
from tests import factories as f
from tests.public.conftest import local

URL = "/de-xuat-noi-dung-doi-thoai"


def form(csrf_token: str, **kw: str) -> dict[str, str]:
    data = {"csrf_token": csrf_token, "proposer_name": "Công ty CP Logistics Hải An", "tax_code": "",
            "email": "phaply@haian.example.vn", "phone": "0225 3123456", "addressee": "city_chairman",
            "topic": "Thủ tục cấp phép xây dựng trong KCN", "content": "Đề nghị rút ngắn thời gian thẩm định.",
            "website": ""}
    data.update(kw)
    return data


@pytest.fixture(autouse=True)
def heza(db):
    """The one organizer: the site-wide form sends to it without asking."""
    org = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA", email="heza@example.vn")
    _db.session.commit()
    return org


def proposals() -> list[TopicProposal]:
    return list(_db.session.scalars(sa.select(TopicProposal).order_by(TopicProposal.id)))


def test_form_is_vietnamese_with_csrf_and_hidden_honeypot(client):
    html = client.get(URL).get_data(as_text=True)
    assert "Đề xuất nội dung đối thoại" in html
    assert 'name="csrf_token"' in html
    assert re.search(r'<div class="hp" aria-hidden="true">.*name="website"', html, re.S)
    assert "Chủ tịch UBND thành phố" in html and "Người đứng đầu đơn vị tiếp nhận đề xuất" in html


def test_a_december_proposal_is_stored_for_next_years_plan_and_confirmed_by_email(client, csrf, heza):
    ent = f.enterprise(tax_code="0201234567")
    _db.session.commit()
    with time_machine.travel(local(date(2026, 12, 30)), tick=False):
        response = client.post(URL, data=form(csrf(URL), tax_code=" 0201234567 "))
        assert response.status_code == 303
        [p] = proposals()
        # From 1 December (the organizer's rollover day) proposals feed next year's plan (R12, seed 000).
        assert p.year == 2027 and p.addressee == Addressee.CITY_CHAIRMAN and p.organizer_id == heza.id
        assert p.tax_code == "0201234567" and p.enterprise_id == ent.id
        assert p.confirmed_dt is None
        [mail] = _db.session.scalars(sa.select(OutboundEmail)).all()
        assert mail.kind == "topic_confirmation" and mail.to_addr == "phaply@haian.example.vn"
        assert f"DX-2026-{p.id:06d}" in mail.subject and f"DX-2026-{p.id:06d}" in mail.text_body
        link = re.search(r"http://heza\.test(/de-xuat-noi-dung-doi-thoai/xac-nhan/\S+)", mail.text_body).group(1)
    with time_machine.travel(local(date(2027, 1, 4)), tick=False):
        # Opening the link shows a button; only the POST confirms (mail scanners follow links).
        page = client.get(link)
        assert page.status_code == 200 and "Xác nhận đề xuất" in page.get_data(as_text=True)
        _db.session.refresh(p)
        assert p.confirmed_dt is None
        done = client.post(link, data={"csrf_token": csrf(link)}, follow_redirects=True)
        assert "đã được xác nhận" in done.get_data(as_text=True)
        _db.session.refresh(p)
        assert p.confirmed_dt is not None
        assert p.year == 2027  # confirming it later does not move it
    with time_machine.travel(local(date(2027, 3, 31)), tick=False):
        expired = client.get(link)
        assert expired.status_code == 403 and "hết hạn" in expired.get_data(as_text=True)


def test_tampered_confirmation_link_is_refused(client, csrf):
    client.post(URL, data=form(csrf(URL)))
    mail = _db.session.scalars(sa.select(OutboundEmail)).one()
    link = re.search(r"http://heza\.test(/de-xuat-noi-dung-doi-thoai/xac-nhan/\S+)", mail.text_body).group(1)
    response = client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB"))
    assert response.status_code == 404
    assert "Đường dẫn không hợp lệ" in response.get_data(as_text=True)


def test_invalid_tax_code_and_missing_fields_are_explained_in_vietnamese(client, csrf):
    response = client.post(URL, data=form(csrf(URL), tax_code="12345", email="khong-phai-email", topic=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Mã số thuế phải gồm 10 chữ số" in html
    assert "Địa chỉ email không hợp lệ." in html
    assert "Vui lòng nhập chủ đề." in html
    assert proposals() == []


def test_branch_tax_code_is_accepted(client, csrf):
    assert client.post(URL, data=form(csrf(URL), tax_code="0201234567-001")).status_code == 303
    assert proposals()[0].tax_code == "0201234567-001"


def test_honeypot_pretends_success_and_keeps_nothing(client, csrf):
    response = client.post(URL, data=form(csrf(URL), website="http://spam.example"))
    assert response.status_code == 303
    assert proposals() == []
    assert _db.session.scalars(sa.select(OutboundEmail)).all() == []


def test_post_without_csrf_token_is_refused(client):
    response = client.post(URL, data=form(""))
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hiệu lực" in response.get_data(as_text=True)
    assert proposals() == []


def test_proposals_are_rate_limited(app, client, csrf):
    app.config["HEZA_RATE_LIMITS"] = {"proposal": (2, 3600)}
    try:
        token = csrf(URL)
        assert client.post(URL, data=form(token)).status_code == 303
        assert client.post(URL, data=form(token, topic="Chủ đề 2")).status_code == 303
        refused = client.post(URL, data=form(token, topic="Chủ đề 3"))
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert "Quá nhiều yêu cầu" in refused.get_data(as_text=True)
        assert len(proposals()) == 2
        # Another address is counted apart.
        other = client.post(URL, data=form(token, topic="Chủ đề 4"), environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 303
    finally:
        app.config.pop("HEZA_RATE_LIMITS")


def test_a_november_proposal_stays_in_this_years_plan(client, csrf, heza):
    with time_machine.travel(local(date(2026, 11, 30)), tick=False):
        assert client.post(URL, data=form(csrf(URL))).status_code == 303
    [p] = proposals()
    assert p.year == 2026
