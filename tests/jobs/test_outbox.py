"""The outbox: one row per key whatever the repetition, rendered in the recipient's language."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from heza.extensions import db as _db
from heza.outbox import outbox
from heza.outbox.models import EmailStatus, OutboundEmail
from tests.jobs.conftest import heza_world


def _rows() -> list[OutboundEmail]:
    return list(_db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)))


def test_enqueue_is_insert_if_absent_and_derives_the_message_id(db):
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    first = outbox.enqueue("test:1", ("Phòng <DN>", "a@demo.heza.vn"), _l("Nhắc việc"), "unit_reminder", context,
                           language="vi", kind="test", cc=["b@demo.heza.vn"],
                           attachments=[("x.ics", "text/calendar", b"BEGIN:VCALENDAR")])
    again = outbox.enqueue("test:1", "other@demo.heza.vn", "Khác", "unit_reminder", context, language="vi",
                           kind="test")
    _db.session.commit()
    assert isinstance(first, int) and again is None
    [row] = _rows()
    assert (row.to_addr, row.to_name, row.cc, row.subject) == ("a@demo.heza.vn", "Phòng <DN>", "b@demo.heza.vn",
                                                               "Nhắc việc")
    assert row.message_id == outbox.message_id_for("test:1") and row.message_id.endswith("@heza.gov.vn>")
    assert outbox.message_id_for("test:2") != row.message_id
    assert row.status == EmailStatus.PENDING and [a.filename for a in row.attachments] == ["x.ics"]
    assert "Kính gửi: Phòng Doanh nghiệp và Giám sát đầu tư" in row.text_body


def test_user_text_is_escaped_in_html_not_in_text(db):
    world = heza_world(title='Hội nghị <script>alert("x")</script> & bạn')
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    outbox.enqueue("test:esc", "a@demo.heza.vn", "S", "unit_reminder", context, language="vi", kind="test")
    [row] = _rows()
    assert "<script>" not in row.html_body and "&lt;script&gt;" in row.html_body and "&amp; bạn" in row.html_body
    assert '<script>alert("x")</script> & bạn' in row.text_body


def test_subject_is_one_line(db):
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    outbox.enqueue("test:subj", "a@demo.heza.vn", "Một\r\nBcc: x@evil.test", "unit_reminder", context,
                   language="vi", kind="test")
    assert _rows()[0].subject == "Một Bcc: x@evil.test"


def test_enqueue_many_skips_existing_and_repeated_keys(db):
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}

    def draft(key: str) -> outbox.Draft:
        return outbox.Draft(key=key, to=f"{key.replace(':', '-')}@demo.heza.vn", subject="S",
                            template="unit_reminder", context=context, kind="test")

    assert set(outbox.enqueue_many([draft("k:1"), draft("k:2"), draft("k:1")])) == {"k:1", "k:2"}
    assert set(outbox.enqueue_many([draft("k:2"), draft("k:3")])) == {"k:3"}
    _db.session.commit()
    assert [r.key for r in _rows()] == ["k:1", "k:2", "k:3"]


def test_withdraw_pending_leaves_sent_rows(db):
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    for key in ("w:1", "w:2"):
        outbox.enqueue(key, "a@demo.heza.vn", "S", "unit_reminder", context, language="vi", kind="test",
                       conference_id=world.conference.id)
    _rows()[0].status = EmailStatus.SENT
    assert outbox.withdraw_pending(world.conference.id) == 1
    _db.session.commit()
    assert [r.status for r in _rows()] == [EmailStatus.SENT, EmailStatus.WITHDRAWN]


def test_addresses_in_keys_are_lower_case_and_long_ones_digested(db):
    assert outbox.address_ref(" VanThu@Demo.Heza.vn ") == "vanthu@demo.heza.vn"
    long_ref = outbox.address_ref("a" * 100 + "@demo.heza.vn")
    assert long_ref.startswith("#") and len(long_ref) == 25
    assert long_ref == outbox.address_ref("A" * 100 + "@demo.heza.vn")
