"""Invitations as mail and calendar programs read them (RFC 6047 iMIP, RFC 5546 iTIP).

A conference's whole life — invited, postponed to a new day, cancelled — is delivered into the
real SMTP sink (aiosmtpd) and read back with readers the project does not build with: the
standard ``email`` parser (``policy.default``) and ``vobject`` for the calendars (the project
writes them with ``icalendar``). Every message must carry its calendar as a UTF-8
``text/calendar`` alternative whose ``method`` parameter agrees with its METHOD, and the same
bytes as an ``.ics`` attachment; name its To address as the one ATTENDEE; keep the event's UID
while SEQUENCE rises; and give the Vietnamese text back byte for byte.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest
import vobject

from heza.conferences import ics, notices, operations
from heza.extensions import db as _db
from heza.outbox import delivery
from tests.jobs.conftest import Received, heza_world
from tests.jobs.test_delivery import decoded_address

R1_HEZA = date(2026, 2, 13)  # WORKDAY(3/3/2026, −7)
LONG_ORGANIZER = ("Ban Quản lý Khu kinh tế Hải Phòng – Văn phòng Ban, Phòng Doanh nghiệp và Giám sát đầu tư, "
                  "Phòng Quản lý đầu tư và xây dựng")
TITLE = ("Hội nghị đối thoại giữa Ban Quản lý Khu kinh tế Hải Phòng với các doanh nghiệp, hợp tác xã trong "
         "khu công nghiệp và Khu kinh tế Đình Vũ – Cát Hải về thủ tục đầu tư, đất đai, môi trường năm 2026")
PLACE = "Trung tâm Hội nghị thành phố, số 18 Hoàng Diệu, phường Hồng Bàng, thành phố Hải Phòng"
NEW_DAY = date(2026, 3, 10)


def _world():
    world = heza_world(title=TITLE, place=PLACE)
    world.organizer.name = LONG_ORGANIZER
    world.enterprises[0].name = 'Công ty TNHH Cảng "Nam Hải" Đình Vũ, chi nhánh Hải Phòng'
    _db.session.commit()
    return world


def _calendar_parts(got: Received) -> tuple[EmailMessage, EmailMessage]:
    """The calendar alternative and the .ics attachment, after checking where they sit."""
    msg = got.message
    assert msg.get_content_type() == "multipart/mixed"
    alternative, *attachments = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_content_disposition() is None  # shown as the invitation, not as a file
    (attachment,) = attachments
    assert attachment.get_content_disposition() == "attachment" and attachment.get_filename() == "hoi-nghi.ics"
    assert [a.get_filename() for a in got.attachments()] == ["hoi-nghi.ics"]
    return calendar, attachment


def _read(got: Received, method: str, sequence: int, day: date) -> tuple[str, vobject.base.Component]:
    """Check one message's calendar with vobject; returns its UID and the parsed event."""
    calendar, attachment = _calendar_parts(got)
    # The part says UTF-8 and the method; the standard parser decodes it with that charset.
    assert calendar.get_param("charset") == "utf-8" and calendar.get_param("method") == method
    data = calendar.get_payload(decode=True)
    assert calendar.get_content() == data.decode("utf-8")
    assert attachment.get_payload(decode=True) == data  # the same calendar as a file
    assert attachment.get_content_type() == "application/ics"

    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.method.value == method  # METHOD inside agrees with the header's parameter
    (event,) = cal.vevent_list
    assert int(event.sequence.value) == sequence
    # The text byte for byte (commas and the dash included, no replacement characters).
    assert event.summary.value.encode("utf-8") == TITLE.encode("utf-8")
    assert event.location.value.encode("utf-8") == PLACE.encode("utf-8")
    # Time zone: Hai Phong's wall clock 8:30, which is 1:30 UTC, with its VTIMEZONE.
    untransformed = vobject.readOne(data.decode("utf-8"), transform=False).vevent.dtstart
    assert untransformed.params["TZID"] == ["Asia/Ho_Chi_Minh"] and untransformed.value == f"{day:%Y%m%d}T083000"
    assert [tz.tzid.value for tz in cal.vtimezone_list] == ["Asia/Ho_Chi_Minh"]
    assert event.dtstart.value.astimezone(UTC) == datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)
    # ORGANIZER: the organizer's contact address (replies reach a person there), its name as CN.
    assert event.organizer.value == "mailto:heza@demo.heza.vn"
    assert event.organizer.params["CN"] == [LONG_ORGANIZER]
    # ATTENDEE: exactly the recipient of this message, named as the message names it.
    (attendee,) = event.attendee_list
    assert attendee.value.lower() == f"mailto:{got.to}"
    assert got.rcpt_tos == [got.to]
    to_name = str(make_header(decode_header(_raw(got, "To").rsplit("<", 1)[0].strip())))
    assert attendee.params["CN"] == [to_name.replace('"', "'")]
    if method == ics.REQUEST:
        assert attendee.params["RSVP"] == ["TRUE"] and attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
        assert event.status.value == "CONFIRMED"
    else:
        assert event.status.value == "CANCELLED"
    return event.uid.value, event


def _raw(got: Received, name: str) -> str:
    (value,) = [v for k, v in got.message.raw_items() if k.lower() == name.lower()]
    return value.replace("\r\n", "").replace("\n", "").strip()


def _check_headers(got: Received, subject: str) -> None:
    """Headers decode without stray whitespace; long Vietnamese text intact; lines at most 78 columns."""
    assert str(got.message["Subject"]) == subject  # policy.default: no leading space, nothing split
    raw_subject = next(v for k, v in got.message.raw_items() if k == "Subject")
    assert raw_subject.startswith("=?utf-8?b?")  # not a fold right after the name
    # Display names as RFC 2047 §6.2 reads them (mail programs do): Python 3.11's own address parser keeps the
    # folding space between two encoded words of a name ("Hội đ ồng"), CPython gh-128110, fixed in later
    # releases; its addr_spec is right and is checked below.
    assert decoded_address(got.message, "From") == (LONG_ORGANIZER, "no-reply@heza.gov.vn")
    assert decoded_address(got.message, "Reply-To") == (LONG_ORGANIZER, "heza@demo.heza.vn")
    (sender,) = got.message["From"].addresses
    (reply_to,) = got.message["Reply-To"].addresses
    assert sender.addr_spec == "no-reply@heza.gov.vn" and reply_to.addr_spec == "heza@demo.heza.vn"
    assert not any(d for h in ("Subject", "From", "To", "Reply-To") for d in got.message[h].defects)
    for name, value in got.message.raw_items():  # folded: no line over 78 columns
        lines = f"{name}: {value}".replace("\r\n", "\n").split("\n")
        assert max(map(len, lines)) <= 78, (name, value)


def _deliver(smtp, count: int) -> list[Received]:
    assert delivery.deliver() == {"sent": count}
    got = smtp.take()
    assert len(got) == count
    return sorted(got, key=lambda m: m.to)


def test_invite_postpone_cancel_as_mail_and_calendar_programs_read_them(smtp):
    world = _world()
    conf = world.conference
    recipients = sorted([e.email for e in world.enterprises]
                        + ["stc@demo.heza.vn", "stc.vanthu@demo.heza.vn", "toasoan@demo.heza.vn"])

    notices.publish_announcement(conf, R1_HEZA)
    _db.session.commit()
    invitations = _deliver(smtp, 6)
    assert [m.to for m in invitations] == recipients
    subject = f"Thư mời tham dự {TITLE} ngày 03/03/2026"
    assert len(subject) >= 200
    uids = set()
    for got in invitations:
        assert got.kind == "invitation"
        _check_headers(got, subject)
        uid, event = _read(got, ics.REQUEST, 0, date(2026, 3, 3))
        uids.add(uid)
    assert uids == {ics.event_uid(conf)}
    named = next(m for m in invitations if m.to == world.enterprises[0].email)
    attendee = vobject.readOne(_calendar_parts(named)[0].get_content()).vevent.attendee
    assert attendee.params["CN"] == ["Công ty TNHH Cảng 'Nam Hải' Đình Vũ, chi nhánh Hải Phòng"]

    operations.postpone(conf, NEW_DAY, "Trùng lịch làm việc của lãnh đạo thành phố", date(2026, 2, 23))
    _db.session.commit()
    updates = _deliver(smtp, 6)
    assert [m.to for m in updates] == recipients
    for got in updates:
        assert got.kind == "postponement"
        _check_headers(got, f"Thay đổi thời gian {TITLE}: hoãn đến ngày 10/03/2026")
        uid, _event = _read(got, ics.REQUEST, 1, NEW_DAY)
        assert uid == ics.event_uid(conf)

    operations.cancel(conf, "Theo chỉ đạo của UBND thành phố", date(2026, 2, 25))
    _db.session.commit()
    cancellations = _deliver(smtp, 6)
    assert [m.to for m in cancellations] == recipients
    for got in cancellations:
        assert got.kind == "cancellation"
        _check_headers(got, f"Thông báo dừng tổ chức {TITLE}")
        uid, _event = _read(got, ics.CANCEL, 2, NEW_DAY)
        assert uid == ics.event_uid(conf)


# Reply-To: a person at the organizer --------------------------------------------------------------


def test_an_organizer_without_an_address_is_answered_at_its_office_then_at_the_configured_one(smtp, app):
    world = heza_world()
    org = world.organizer
    org.email = ""
    _db.session.commit()
    notices.publish_announcement(world.conference, R1_HEZA)
    _db.session.commit()
    got = _deliver(smtp, 6)[0]
    assert decoded_address(got.message, "Reply-To")[1] == "vanphong@demo.heza.vn"  # the office's address
    event = vobject.readOne(_calendar_parts(got)[0].get_content()).vevent
    assert event.organizer.value == "mailto:vanphong@demo.heza.vn"
    assert "Thư trả lời được chuyển tới vanphong@demo.heza.vn." in got.text()

    # No address at all, office and lead unit included: the configured MAIL_REPLY_TO.
    org.office_unit.emails = ""
    org.lead_unit.emails = ""
    _db.session.commit()
    app.config["MAIL_REPLY_TO"] = "hotro@heza.gov.vn"
    try:
        operations.postpone(world.conference, NEW_DAY, "Lịch mới", date(2026, 2, 23))
        _db.session.commit()
        got = _deliver(smtp, 6)[0]
    finally:
        app.config["MAIL_REPLY_TO"] = ""
    assert decoded_address(got.message, "Reply-To")[1] == "hotro@heza.gov.vn"
    assert "Thư trả lời được chuyển tới hotro@heza.gov.vn." in got.text()


def test_the_systems_own_mail_is_answered_at_the_configured_address(smtp, app):
    from heza.outbox import outbox

    world = heza_world()
    app.config["MAIL_REPLY_TO"] = "hotro@heza.gov.vn"
    try:
        outbox.enqueue("sys:1", "nguoidung@demo.heza.vn", "Tài khoản", "unit_reminder",
                       {"organizer": None, "unit": world.lead, "tasks": [], "agenda": [],
                        "conference": world.conference, "task_due": world.conference.held_on},
                       language="vi", kind="test")
        _db.session.commit()
        (got,) = _deliver(smtp, 1)
    finally:
        app.config["MAIL_REPLY_TO"] = ""
    (reply_to,) = got.message["Reply-To"].addresses
    assert reply_to.addr_spec == "hotro@heza.gov.vn"


# The calendar on its own ---------------------------------------------------------------------------


def test_a_calendar_nobody_answers_is_published_without_attendee(db):
    world = heza_world()
    invite = ics.Invite(world.conference, method=ics.PUBLISH)
    assert invite.content_type == 'text/calendar; charset="utf-8"; method=PUBLISH'
    cal = vobject.readOne(invite.ics("cang1@demo.heza.vn", "Công ty Cảng 1").decode("utf-8"))
    assert cal.method.value == "PUBLISH" and "attendee" not in cal.vevent.contents


def test_an_address_that_is_not_one_mailbox_gets_no_attendee(db):
    world = heza_world()
    invite = ics.Invite(world.conference)
    for bad in ("a@b.vn, c@d.vn", "a@b.vn\r\nATTENDEE:mailto:x@y.z", "", "Tên <a@b.vn>"):
        assert b"ATTENDEE" not in invite.ics(bad, "X"), bad


def test_imip_method_is_read_from_the_content_type():
    assert ics.imip_method('text/calendar; charset="utf-8"; method=REQUEST') == "REQUEST"
    assert ics.imip_method('text/calendar; method="cancel"; charset=utf-8') == "CANCEL"
    assert ics.imip_method("text/calendar") is None  # a plain calendar file: an attachment only
    assert ics.imip_method("application/pdf; method=REQUEST") is None
    assert ics.imip_method("text/calendar; method=REPLY") is None


def test_a_typed_encoded_word_in_a_subject_stays_text(smtp):
    from heza.outbox import outbox

    world = heza_world()
    context = {"organizer": world.organizer, "unit": world.lead, "tasks": [], "agenda": [],
               "conference": world.conference, "task_due": world.conference.held_on}
    subjects = {"a@demo.heza.vn": "Notice =?utf-8?b?QQ==?= test", "b@demo.heza.vn": "Thông báo =?utf-8?b?QQ==?= thử",
                "c@demo.heza.vn": "Short"}
    for address, subject in subjects.items():
        outbox.enqueue(f"t:{address}", address, subject, "unit_reminder", context, language="vi", kind="test")
    _db.session.commit()
    for got in _deliver(smtp, 3):
        assert str(got.message["Subject"]) == subjects[got.to]


# A real calendar program ---------------------------------------------------------------------------

_EDS = ("/usr/libexec/evolution-calendar-factory", "/usr/libexec/evolution-source-registry",
        "/usr/bin/dbus-run-session", "/usr/bin/python3")


def _eds_missing() -> bool:
    import os
    import subprocess

    if not all(os.path.exists(p) for p in _EDS):
        return True
    probe = "import gi; gi.require_version('ECal', '2.0'); gi.require_version('ICalGLib', '3.0')"
    return subprocess.run(["/usr/bin/python3", "-c", probe], capture_output=True).returncode != 0


@pytest.mark.skipif(_eds_missing(), reason="needs evolution-data-server and its GObject bindings: apt-get install "
                    "evolution-data-server gir1.2-ecal-2.0 gir1.2-edataserver-1.2 python3-gi dbus")
def test_evolutions_calendar_adds_moves_and_removes_the_event(smtp, tmp_path):
    """The three calendars of a recipient, as Evolution's backend receives them: added, moved, removed."""
    import json
    import os
    import subprocess
    from pathlib import Path

    world = _world()
    conf = world.conference
    files = []

    def save(name: str, count: int) -> None:
        got = next(m for m in _deliver(smtp, count) if m.to == world.enterprises[0].email)
        path = tmp_path / f"{name}.ics"
        path.write_bytes(_calendar_parts(got)[0].get_payload(decode=True))
        files.append(str(path))

    notices.publish_announcement(conf, R1_HEZA)
    _db.session.commit()
    save("1-request", 6)
    operations.postpone(conf, NEW_DAY, "Trùng lịch", date(2026, 2, 23))
    _db.session.commit()
    save("2-update", 6)
    operations.cancel(conf, "Dừng", date(2026, 2, 25))
    _db.session.commit()
    save("3-cancel", 6)

    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_RUNTIME_DIR": str(home)}
    os.chmod(home, 0o700)
    script = Path(__file__).with_name("eds_itip.py")
    result = subprocess.run(["/usr/bin/dbus-run-session", "--", "/usr/bin/python3", str(script), *files],
                            capture_output=True, text=True, timeout=120, env=env)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 3, result.stdout + result.stderr
    (invited,), (moved,), removed = (line["events"] for line in lines)
    uid = ics.event_uid(conf)
    assert invited["uid"] == moved["uid"] == uid
    assert (invited["sequence"], moved["sequence"]) == (0, 1)
    assert invited["start"] == "20260303T083000" and moved["start"] == "20260310T083000"
    assert invited["tzid"] == moved["tzid"] == "Asia/Ho_Chi_Minh"
    assert invited["summary"] == moved["summary"] == TITLE and invited["location"] == PLACE
    assert invited["attendee"] == f"mailto:{world.enterprises[0].email}"
    assert removed == []  # the cancellation removed it


def test_an_announcement_only_mail_carries_a_published_calendar(smtp):
    from heza.outbox import outbox

    world = heza_world()
    invite = ics.Invite(world.conference, method=ics.PUBLISH)
    context = {"organizer": world.organizer, "unit": world.lead, "tasks": [], "agenda": [],
               "conference": world.conference, "task_due": world.conference.held_on}
    outbox.enqueue("announce:1", ("Báo Hải Phòng", "toasoan@demo.heza.vn"), "Thông báo", "unit_reminder", context,
                   language="vi", kind="test", attachments=[invite.attachment("toasoan@demo.heza.vn", "Báo")])
    _db.session.commit()
    (got,) = _deliver(smtp, 1)
    calendar, attachment = _calendar_parts(got)
    assert calendar.get_param("method") == "PUBLISH"
    cal = vobject.readOne(calendar.get_content())
    assert cal.method.value == "PUBLISH" and "attendee" not in cal.vevent.contents
