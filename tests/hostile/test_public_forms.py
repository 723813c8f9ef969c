"""Every public form and personal link, fed hostile values: registration, recommendation (with uploads),
topic proposal, tampered tokens, and the receipts those forms put in the outbox.

The enterprise and its conference carry a script in their names, so every receipt and page also
shows whether stored hostile text comes back escaped.
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from heza.conferences import links
from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from heza.recommendations.models import Field, Recommendation
from tests import factories as f
from tests.hostile.payloads import (
    BAD_CHOICES,
    BAD_EMAILS,
    BAD_TAX_CODES,
    HOSTILE_TEXT,
    IMG,
    SCRIPT,
    VIETNAMESE,
    assert_escaped,
    assert_vietnamese_refusal,
    changed,
    hostile_settings,
    row_counts,
)
from tests.public.conftest import BEFORE_CUTOFF, HELD_ON

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def refusal_status(form: dict) -> int:
    """422 (the form shown again with its errors), or 400 when a NUL reached any value or file name.

    NUL cannot be stored (PostgreSQL) and is never typed: heza.request_guard refuses the request.
    """
    def has_nul(value: object) -> bool:
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, tuple):  # (stream, filename[, content type]) of an upload
            return any(isinstance(part, str) and "\x00" in part for part in value[1:])
        return False

    return 400 if any("\x00" in str(k) or has_nul(v) for k, v in form.items()) else 422


@pytest.fixture()
def hostile_link(db):
    """A conference and an invited enterprise whose names hold scripts, the personal link, frozen before R2."""
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        org = f.organizer(name=f"Ban Quản lý {SCRIPT}", short_name="HEZA", email="dn@heza.example.vn")
        conference = f.conference(org, held_on=HELD_ON, title=f"Hội nghị {SCRIPT}", place=IMG)
        enterprise = f.enterprise(name=f"Công ty {SCRIPT}{IMG}", email="lienhe@dn.example.vn")
        _db.session.commit()
        yield links.make_token(conference.id, enterprise.id)


def csrf_of(client, url: str) -> str:
    match = TOKEN_RE.search(client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_multipart(client, url: str, fields: dict):
    """A multipart POST encoded in memory (the test client spools big bodies to files it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    values = {k: FileStorage(BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in fields.items()}
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def newest_emails(since_id: int) -> list[OutboundEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.id > since_id)))


def last_email_id() -> int:
    return _db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboundEmail.id), 0)))


def assert_emails_escaped(since_id: int, where: str) -> int:
    """Every email enqueued since ``since_id`` has its HTML part escaped; returns how many there were."""
    mails = newest_emails(since_id)
    for mail in mails:
        assert_escaped(mail.html_body, f"html part of {mail.kind} email after {where}")
        assert "&lt;script&gt;" in mail.html_body, f"the hostile name vanished from the {mail.kind} email"
        assert "\n" not in mail.subject and "\r" not in mail.subject, where
    return len(mails)


def assert_public_refusal(html: str, where: str) -> None:
    assert_vietnamese_refusal(html, where)


# --------------------------------------------------------------------------- registration


ATTENDEE_FIELDS = ("name", "position", "phone", "email")


@hostile_settings(60)
@given(data=st.data())
def test_registration_survives_hostile_input(client, hostile_link, data):
    url = f"/doanh-nghiep/{hostile_link}"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        form = {"csrf_token": csrf_of(client, url)}
        rows = data.draw(st.integers(min_value=1, max_value=7), label="rows")
        for i in range(rows):
            form.update({f"attendees-{i}-name": f"Người thứ {i}", f"attendees-{i}-position": "Giám đốc",
                         f"attendees-{i}-phone": "0912 345 678", f"attendees-{i}-email": f"a{i}@dn.example.vn"})
        for key in data.draw(st.lists(st.sampled_from(sorted(form)), min_size=1, max_size=4, unique=True)):
            if key == "csrf_token":
                continue
            form[key] = data.draw(st.one_of(HOSTILE_TEXT, st.sampled_from(BAD_EMAILS + ("",))), label=key)
        before, mail_id = row_counts(), last_email_id()
        response = client.post(f"{url}/dang-ky", data=form)
        where = f"registration {form!r:.300}"
        assert response.status_code < 500, where
        assert_escaped(response.get_data(as_text=True), where)
        delta = changed(before, row_counts())
        if response.status_code == 303:
            page = client.get(url).get_data(as_text=True)
            assert_escaped(page, where)
            if delta:
                # The receipt carries each attendee's check-in code as a QR code (outbound_attachments).
                assert set(delta) <= {"registrations", "attendees", "outbound_emails", "outbound_attachments",
                                      "audit_events"}, delta
                assert assert_emails_escaped(mail_id, where) <= 1, where  # a replay at the same instant: none
            return
        assert response.status_code == refusal_status(form), where
        assert delta == {}, f"half saved {delta} at {where}"
        assert_public_refusal(response.get_data(as_text=True), where)


# --------------------------------------------------------------------------- recommendation and its upload


UPLOADS = st.one_of(
    st.none(),
    st.sampled_from([
        (PDF, "kien-nghi.pdf"),  # a real one
        (b"%PDF-1.7 but really a zip PK\x03\x04", "gia-mao.pdf"),  # fake PDF with the right first bytes
        (b"MZ\x90\x00 a Windows program", "chuong-trinh.exe"),  # wrong type
        (b"MZ\x90\x00 a Windows program", "tai-lieu.pdf"),  # wrong type behind a .pdf name
        (b"<html><script>alert(1)</script></html>", f"{SCRIPT}.pdf"),
        (b"", "rong.pdf"),  # empty
        (PDF, "../../../etc/passwd.pdf"),
        (PDF, "tep\x00an\u202efdp.exe.pdf"),
        (PDF, "C:\\Windows\\system32\\" + "x" * 400 + ".PDF"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "qua-lon.pdf"),  # just over 5 MB
    ]),
)
HUGE = (b"%PDF-" + b"0" * (13 * 1024 * 1024), "khong-lo.pdf")  # over the request limit (MAX_CONTENT_LENGTH)


@hostile_settings(60)
@given(data=st.data())
def test_recommendation_survives_hostile_input_and_uploads(client, hostile_link, data):
    url = f"/doanh-nghiep/{hostile_link}"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        form: dict = {"csrf_token": csrf_of(client, url),
                      "field": data.draw(st.one_of(st.sampled_from([m.value for m in Field]),
                                                   st.sampled_from(BAD_CHOICES + ("",))), label="field"),
                      "content": data.draw(st.one_of(HOSTILE_TEXT, st.just("Đề nghị giảm thủ tục")), label="content")}
        upload = data.draw(UPLOADS, label="upload")
        if upload is not None:
            form["attachment"] = upload
        before, mail_id = row_counts(), last_email_id()
        response = post_multipart(client, f"{url}/kien-nghi", form)
        where = f"recommendation {({k: (v if not isinstance(v, tuple) else v[1]) for k, v in form.items()})!r:.300}"
        assert response.status_code < 500, where
        body = response.get_data(as_text=True)
        assert_escaped(body, where)
        delta = changed(before, row_counts())
        if response.status_code == 303:
            assert delta.get("recommendations") == 1, f"nothing saved yet 303 at {where}: {delta}"
            rec = _db.session.scalar(sa.select(Recommendation).order_by(Recommendation.id.desc()))
            assert rec.content == form["content"].strip() and rec.reference, where
            if rec.attachment_name:
                assert "/" not in rec.attachment_name and "\\" not in rec.attachment_name, rec.attachment_name
                assert not any(ord(ch) < 32 or 0x202A <= ord(ch) <= 0x202E for ch in rec.attachment_name)
                assert rec.attachment_name.lower().endswith(".pdf") and len(rec.attachment_name) <= 200
            assert assert_emails_escaped(mail_id, where) == 1, where
            assert_escaped(client.get(url).get_data(as_text=True), where)
            return
        assert response.status_code == refusal_status(form), where
        assert delta == {}, f"half saved {delta} at {where}"
        assert_public_refusal(body, where)


def test_a_body_over_the_request_limit_is_refused_in_vietnamese(client, hostile_link):
    url = f"/doanh-nghiep/{hostile_link}"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        before = row_counts()
        response = post_multipart(client, f"{url}/kien-nghi", {"csrf_token": csrf_of(client, url),
                                                                "field": Field.choices()[0][0],
                                                                "content": SCRIPT, "attachment": HUGE})
        assert response.status_code == 413
        assert "Tệp gửi lên quá lớn" in response.get_data(as_text=True)
        assert changed(before, row_counts()) == {}


# --------------------------------------------------------------------------- topic proposal (R12)


PROPOSAL_FIELDS = ("proposer_name", "tax_code", "email", "phone", "addressee", "topic", "content")


@hostile_settings(60)
@given(data=st.data())
def test_topic_proposal_survives_hostile_input(client, db, data):
    url = "/de-xuat-noi-dung-doi-thoai"
    f.first_organizer()  # one organizer receives it (with one, the form does not ask which)
    _db.session.commit()
    n = data.draw(st.integers(0, 10**6), label="n")
    form = {"csrf_token": csrf_of(client, url), "proposer_name": f"Công ty {n}", "tax_code": "",
            "email": f"dx{n}@dn.example.vn", "phone": "0225 3569170", "addressee": "heza_head",
            "topic": "Hạ tầng giao thông", "content": "Đề xuất đối thoại về hạ tầng", "website": ""}
    for key in data.draw(st.lists(st.sampled_from(PROPOSAL_FIELDS), min_size=1, max_size=4, unique=True)):
        pool = {"tax_code": BAD_TAX_CODES, "email": BAD_EMAILS, "addressee": BAD_CHOICES}.get(key, ())
        form[key] = data.draw(st.one_of(HOSTILE_TEXT, st.sampled_from(pool or ("",))), label=key)
    robot = data.draw(st.booleans(), label="robot") and data.draw(st.booleans())
    if robot:
        form["website"] = "http://spam.example"
    before, mail_id = row_counts(), last_email_id()
    response = client.post(url, data=form)
    where = f"proposal {form!r:.300}"
    assert response.status_code < 500, where
    body = response.get_data(as_text=True)
    assert_escaped(body, where)
    delta = changed(before, row_counts())
    if response.status_code == 303:
        if robot:
            assert delta == {}, f"the honeypot kept something: {delta}"
            return
        assert delta.get("topic_proposals") == 1, where
        for mail in newest_emails(mail_id):
            assert_escaped(mail.html_body, where)
        assert_escaped(client.get(response.headers["Location"]).get_data(as_text=True), where)
        return
    assert response.status_code == refusal_status(form), where
    assert delta == {}, f"half saved {delta} at {where}"
    assert_public_refusal(body, where)


# --------------------------------------------------------------------------- tampered personal links


def _tamper(token: str, how: str, at: int, junk: str) -> str:
    at = at % len(token)
    if how == "flip":
        ch = token[at]
        return token[:at] + ("A" if ch != "A" else "B") + token[at + 1:]
    if how == "truncate":
        return token[:at]
    if how == "append":
        return token + junk
    if how == "swap":
        parts = token.split(".")
        return ".".join(reversed(parts))
    if how == "other-key":
        from itsdangerous import URLSafeTimedSerializer

        return URLSafeTimedSerializer("not-the-secret", salt="heza.personal-link").dumps([1, 1])
    if how == "unsigned":
        return token.split(".")[0]
    return junk


@hostile_settings(60)
@given(how=st.sampled_from(["flip", "truncate", "append", "swap", "other-key", "unsigned", "replace"]),
       at=st.integers(0, 200), junk=HOSTILE_TEXT, post=st.booleans())
def test_tampered_links_are_refused_in_vietnamese(client, hostile_link, how, at, junk, post):
    from urllib.parse import quote

    token = _tamper(hostile_link, how, at, junk)
    if token == hostile_link:
        return
    url = f"/doanh-nghiep/{quote(token, safe='')}"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        before = row_counts()
        if post:
            token = csrf_of(client, "/de-xuat-noi-dung-doi-thoai")
            response = client.post(f"{url}/kien-nghi", data={"csrf_token": token, "field": Field.choices()[0][0],
                                                             "content": "Thử"})
        else:
            response = client.get(url)
        where = f"{how} link {token!r:.200} ({'POST' if post else 'GET'})"
        assert response.status_code in {400, 403, 404, 405}, where
        body = response.get_data(as_text=True)
        assert_escaped(body, where)
        assert VIETNAMESE.search(re.sub(r"<[^>]+>", " ", body)), where
        assert changed(before, row_counts()) == {}, where
