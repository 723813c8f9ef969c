"""Emails in the organizer's name, read from a real SMTP server: the sender's display name, Reply-To,
the signature, the calendar file's ORGANIZER; and a hostile organizer name that must stay one header."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from icalendar import Calendar

from heza.conferences import invitations, links
from heza.conferences.models import Audience
from heza.extensions import db as _db
from heza.outbox import delivery
from tests import factories as f
from tests.jobs.test_delivery import decoded_address
from tests.public.conftest import BEFORE_CUTOFF, HELD_ON

WARD_ADDRESS = "Số 2 Phan Đăng Lưu, phường Phù Liễn, thành phố Hải Phòng"
RELAY = "no-reply@heza.gov.vn"  # MAIL_DEFAULT_SENDER's address: the only one the relay accepts


def ward_world(**identity):
    values = {"name": "Phường Phù Liễn", "short_name": "Phù Liễn", "slug": "phu-lien", "address": WARD_ADDRESS,
              "phone": "0225 3876 123", "email": "ubnd.phulien@example.vn",
              "parent_body": "Ủy ban nhân dân thành phố Hải Phòng"}
    values.update(identity)
    ward = f.ward(**values)
    conf = f.conference(ward, held_on=HELD_ON, title="Hội nghị đối thoại doanh nghiệp phường Phù Liễn",
                        place="Hội trường UBND phường", audience=Audience.WARD)
    ent = f.enterprise(None, ward=ward, name="Hộ kinh doanh Minh An", email="minhan@example.vn", kind="household")
    # HEZA exists too, with its own identity, which must not leak into the ward's emails.
    f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA", slug="heza",
                address="Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng", email="doanhnghiep.heza@example.vn")
    _db.session.commit()
    return ward, conf, ent


def invite_and_deliver(conf, smtp):
    assert invitations.invite_missing(conf, date(2026, 3, 2)) == 1
    _db.session.commit()
    assert delivery.deliver() == {"sent": 1}
    (got,) = smtp.take()
    return got


def ics_of(got) -> Calendar:
    (attachment,) = [a for a in got.attachments() if a.get_filename() == "hoi-nghi.ics"]
    return Calendar.from_ical(attachment.get_payload(decode=True))


def test_the_invitation_speaks_in_the_wards_name(smtp):
    ward, conf, ent = ward_world()
    got = invite_and_deliver(conf, smtp)
    assert got.to == "minhan@example.vn" and got.mail_from == RELAY  # the envelope keeps the relay's address
    assert decoded_address(got.message, "From") == ("Phường Phù Liễn", RELAY)
    assert decoded_address(got.message, "Reply-To") == ("Phường Phù Liễn", "ubnd.phulien@example.vn")
    text, html = got.text(), got.html()
    signature = ("Phường Phù Liễn\n"
                 f"Địa chỉ: {WARD_ADDRESS}\n"
                 "Điện thoại: 0225 3876 123\n"
                 "Email: ubnd.phulien@example.vn\n")
    assert signature in text.replace("\r\n", "\n")
    assert "Thư trả lời được chuyển tới ubnd.phulien@example.vn." in text
    assert 'class="signature"' in html and WARD_ADDRESS in html and 'href="mailto:ubnd.phulien@example.vn"' in html
    for heza_text in ("Ban Quản lý", "Cù Chính Lan", "doanhnghiep.heza"):
        assert heza_text not in text and heza_text not in html, heza_text
    organizer = ics_of(got).walk("VEVENT")[0]["ORGANIZER"]
    assert str(organizer) == "mailto:ubnd.phulien@example.vn" and str(organizer.params["CN"]) == "Phường Phù Liễn"


def test_an_organizer_without_an_address_is_named_but_replies_are_not_offered(smtp):
    ward, conf, ent = ward_world(email="")
    got = invite_and_deliver(conf, smtp)
    assert decoded_address(got.message, "From") == ("Phường Phù Liễn", RELAY)
    assert got.message["Reply-To"] is None
    assert "Vui lòng không trả lời thư này." in got.text()
    organizer = ics_of(got).walk("VEVENT")[0]["ORGANIZER"]
    assert str(organizer) == f"mailto:{RELAY}" and str(organizer.params["CN"]) == "Phường Phù Liễn"


def test_a_receipt_from_the_personal_page_speaks_in_the_wards_name(smtp, client, csrf):
    ward, conf, ent = ward_world()
    token = links.make_token(conf.id, ent.id)
    url = f"/doanh-nghiep/{token}"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        data = {"csrf_token": csrf(url), "attendees-0-name": "Nguyễn Minh An", "attendees-0-position": "Chủ hộ",
                "attendees-0-phone": "", "attendees-0-email": ""}
        assert client.post(f"{url}/dang-ky", data=data).status_code == 303
    assert delivery.deliver() == {"sent": 1}
    (got,) = smtp.take()
    assert got.kind == "receipt"
    assert decoded_address(got.message, "From") == ("Phường Phù Liễn", RELAY)
    assert decoded_address(got.message, "Reply-To") == ("Phường Phù Liễn", "ubnd.phulien@example.vn")
    assert f"Địa chỉ: {WARD_ADDRESS}" in got.text() and "Ban Quản lý" not in got.text()


@pytest.mark.parametrize("name", [
    'Phường <script>alert("x")</script>\r\nBcc: victim@evil.example\r\nX-Injected: yes',
    'Phường "Ác" <boss@evil.example>, other@evil.example',
    "Phường\nSubject: giả mạo\n\nThân thư giả",
])
def test_a_hostile_organizer_name_stays_inside_the_from_header(smtp, name):
    ward, conf, ent = ward_world(name=name, address="<img src=x onerror=alert(1)>")
    got = invite_and_deliver(conf, smtp)
    assert got.rcpt_tos == ["minhan@example.vn"] and got.mail_from == RELAY
    for header in ("Bcc", "X-Injected"):
        assert got.message[header] is None, header
    assert len(got.message.get_all("Subject")) == 1 and "giả mạo" not in str(got.message["Subject"])
    one_line = " ".join(name.split())
    assert decoded_address(got.message, "From") == (one_line, RELAY)
    assert decoded_address(got.message, "Reply-To") == (one_line, "ubnd.phulien@example.vn")
    html = got.html()
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html
    organizer = ics_of(got).walk("VEVENT")[0]["ORGANIZER"]
    assert "\n" not in str(organizer.params["CN"]) and str(organizer) == "mailto:ubnd.phulien@example.vn"
