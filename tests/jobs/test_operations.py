"""Conference operations (publish, postpone, cancel, held), the audience, the calendar file, the links."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from itsdangerous import BadSignature, SignatureExpired

from heza.conferences import ics, invitations, links, notices, operations, states
from heza.conferences.models import (
    Audience,
    ConferenceStatus,
    Invitation,
    Registration,
    ReportKind,
)
from heza.extensions import db as _db
from heza.outbox import delivery
from heza.outbox.models import EmailStatus, OutboundEmail
from heza.reports.records import find_report
from jobs import announcements, registration_nudge
from tests import factories as f
from tests.jobs.conftest import heza_world, ward_world

R1_HEZA = date(2026, 2, 13)  # WORKDAY(3/3/2026, −7): the last working day before Tết


def _emails(**filters: object) -> list[OutboundEmail]:
    _db.session.expire_all()
    stmt = sa.select(OutboundEmail).order_by(OutboundEmail.id)
    for name, value in filters.items():
        stmt = stmt.where(getattr(OutboundEmail, name) == value)
    return list(_db.session.scalars(stmt))


def _ics(row: OutboundEmail) -> Calendar:
    return Calendar.from_ical(row.attachments[0].data)


def test_publish_announces_invites_once_and_creates_invitation_rows(db):
    world = heza_world()
    notice = notices.publish_announcement(world.conference, R1_HEZA)
    _db.session.commit()
    assert notice.published_dt is not None and notice.late is False and notice.scheduled_on == R1_HEZA
    assert notice.on_portal and notice.at_one_stop_desk and "24/02/2026" in notice.body
    assert world.conference.status == ConferenceStatus.ANNOUNCED
    rows = _emails(kind="invitation")
    assert sorted(r.to_addr for r in rows) == sorted(
        [e.email for e in world.enterprises] + ["stc@demo.heza.vn", "stc.vanthu@demo.heza.vn", "toasoan@demo.heza.vn"])
    assert {r.key for r in rows} >= {f"invite:{world.conference.id}:{world.enterprises[0].id}",
                                      f"invite:{world.conference.id}:u{world.finance.id}:stc@demo.heza.vn"}
    invited = set(_db.session.scalars(sa.select(Invitation.enterprise_id).where(
        Invitation.conference_id == world.conference.id, Invitation.enterprise_id.isnot(None))))
    assert invited == {e.id for e in world.enterprises}
    notices.publish_announcement(world.conference, R1_HEZA)  # again: nothing new
    _db.session.commit()
    assert len(_emails(kind="invitation")) == 6


def test_a_conference_entered_late_is_published_at_once_and_flagged(db):
    world = heza_world()
    counts = announcements.reconcile(date(2026, 2, 25))  # long after R1 (13/2), before the day
    assert counts == {"published": 1, "published_late": 1, "invitations": 6}
    assert states.invitation_notice(world.conference).late is True


def test_announcements_wait_for_r1_and_skip_days_off(db):
    heza_world()
    assert announcements.reconcile(date(2026, 2, 12)) == {}
    assert announcements.reconcile(date(2026, 2, 15)) == {}  # Sunday in Tết: nobody is written to
    assert announcements.reconcile(R1_HEZA)["published"] == 1


def test_new_enterprises_are_invited_by_later_runs(db):
    world = heza_world()
    announcements.reconcile(R1_HEZA)
    newcomer = f.enterprise(world.enterprises[0].zone, name="Công ty mới", email="moi@demo.heza.vn")
    _db.session.commit()
    assert announcements.reconcile(date(2026, 2, 23)) == {"invitations": 1}
    assert _emails(to_addr="moi@demo.heza.vn")[0].key == f"invite:{world.conference.id}:{newcomer.id}"


@pytest.mark.parametrize("audience", [Audience.ZONES, Audience.WARD, Audience.INVITED])
def test_audiences(db, audience):
    world = heza_world(audience=audience)
    other_zone = f.zone()
    outsider = f.enterprise(other_zone, email="ngoai@demo.heza.vn")
    ward = f.ward()
    ward_business = f.enterprise(None, ward=ward, email="phuong@demo.heza.vn")
    world.conference.zones = [world.enterprises[0].zone]
    if audience == Audience.WARD:
        world.conference.organizer = ward
    named = f.enterprise(other_zone, email="dich-danh@demo.heza.vn")
    _db.session.add(Invitation(conference=world.conference, enterprise=named))
    _db.session.flush()
    addresses = {r.address for r in invitations.audience(world.conference) if r.enterprise_id}
    expected = {
        Audience.ZONES: {e.email for e in world.enterprises},
        Audience.WARD: {ward_business.email},
        Audience.INVITED: set(),
    }[audience] | {named.email}
    assert addresses == expected and outsider.email not in addresses


def test_postpone_withdraws_queued_tells_the_reached_and_reinvites_the_others(db):
    world = heza_world()
    conf = world.conference
    notices.publish_announcement(conf, R1_HEZA)
    _db.session.commit()
    reached_key = f"invite:{conf.id}:{world.enterprises[0].id}"
    for row in _emails(kind="invitation"):  # only the first enterprise's invitation went out
        if row.key == reached_key:
            row.status = EmailStatus.SENT
    _db.session.commit()

    operations.postpone(conf, date(2026, 3, 10), "Trùng lịch làm việc của lãnh đạo thành phố", date(2026, 2, 23))
    _db.session.commit()
    assert conf.status == ConferenceStatus.POSTPONED and conf.postponed_from == date(2026, 3, 3)
    assert conf.held_on == date(2026, 3, 10) and conf.sequence == 1
    statuses = {r.key: r.status for r in _emails(kind="invitation")}
    assert statuses.pop(reached_key) == EmailStatus.SENT
    assert set(statuses.values()) == {EmailStatus.WITHDRAWN}
    [notice] = _emails(kind="postponement")
    assert notice.to_addr == world.enterprises[0].email
    assert notice.key == f"postpone@1:{conf.id}:{world.enterprises[0].id}"
    assert "10/03/2026" in notice.subject and "Trùng lịch" in notice.text_body
    event = _ics(notice).walk("VEVENT")[0]
    assert str(event["UID"]) == ics.event_uid(conf) and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").date() == date(2026, 3, 10)
    assert str(_ics(notice)["METHOD"]) == "REQUEST"

    # The next run invites, for the new day, everyone whose first invitation was withdrawn.
    assert announcements.reconcile(date(2026, 2, 24)) == {"invitations": 5}
    fresh = [r for r in _emails(kind="invitation") if r.status == EmailStatus.PENDING]
    assert all(r.key.startswith(f"invite@2026-03-10:{conf.id}:") for r in fresh)
    assert world.enterprises[0].email not in {r.to_addr for r in fresh}
    assert announcements.reconcile(date(2026, 2, 25)) == {}


def test_postpone_without_a_day_cancels_the_event_and_stops_the_jobs(db, smtp):
    world = heza_world()
    conf = world.conference
    notices.publish_announcement(conf, R1_HEZA)
    _db.session.commit()
    delivery.deliver()
    operations.postpone(conf, None, "Chờ ý kiến UBND thành phố", date(2026, 2, 23))
    _db.session.commit()
    sent = _emails(kind="postponement")
    assert len(sent) == 6 and str(_ics(sent[0])["METHOD"]) == "CANCEL"
    assert not states.is_scheduled(conf)
    assert announcements.reconcile(date(2026, 2, 24)) == {}
    assert registration_nudge.reconcile(date(2026, 2, 23)) == {}

    operations.postpone(conf, date(2026, 4, 7), "Đã có lịch mới", date(2026, 3, 2))  # a day at last
    _db.session.commit()
    again = [r for r in _emails(kind="postponement") if r.key.startswith("postpone@2:")]
    assert len(again) == 6 and int(_ics(again[0]).walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert states.is_scheduled(conf)


def test_cancel_notifies_with_method_cancel(db, smtp):
    world = heza_world()
    conf = world.conference
    notices.publish_announcement(conf, R1_HEZA)
    _db.session.commit()
    delivery.deliver()
    smtp.take()
    operations.cancel(conf, "Không đủ điều kiện tổ chức", date(2026, 2, 25))
    _db.session.commit()
    delivery.deliver()
    got = smtp.take()
    assert len(got) == 6 and {m.kind for m in got} == {"cancellation"}
    cal = Calendar.from_ical(got[0].attachments()[0].get_content())
    assert str(cal["METHOD"]) == "CANCEL" and str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Ho_Chi_Minh"
    assert conf.status == ConferenceStatus.CANCELLED
    with pytest.raises(states.ConferenceStateError):
        operations.postpone(conf, date(2026, 4, 1), "x", date(2026, 2, 25))


def test_cancel_before_publication_tells_nobody(db):
    world = heza_world()
    operations.cancel(world.conference, "Hủy kế hoạch", date(2026, 1, 20))
    _db.session.commit()
    assert _emails() == []


def test_mark_held_withdraws_reminders_and_opens_the_result_report(db):
    world = ward_world()
    conf = world.conference
    notices.publish_announcement(conf, date(2026, 2, 6))
    _db.session.commit()
    _db.session.add(Registration(conference=conf, enterprise=world.enterprises[0], channel="link"))
    _db.session.commit()
    operations.mark_held(conf, date(2026, 2, 24))
    _db.session.commit()
    assert conf.status == ConferenceStatus.HELD
    assert {r.status for r in _emails(kind="invitation")} == {EmailStatus.WITHDRAWN}
    report = find_report(conf, ReportKind.RESULT)
    assert report is not None and report.due_on == date(2026, 3, 5)  # R6: 7 working days after 24/2
    with pytest.raises(states.ConferenceStateError):
        operations.cancel(conf, "x", date(2026, 2, 25))


def test_ics_event_has_uid_sequence_times_and_timezone(db):
    world = heza_world()
    cal = Calendar.from_ical(ics.conference_ics(world.conference))
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == world.conference.title and str(event["LOCATION"]) == "Trụ sở Ban Quản lý"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.isoformat() == "2026-03-03T08:30:00+07:00" and (end - start).seconds == 4 * 3600
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    # The organizer's own contact address, not the relay's no-reply sender.
    assert str(event["ORGANIZER"]) == "mailto:heza@demo.heza.vn"


def test_personal_links_are_signed_and_absolute(db, app):
    token = links.make_token(12, 345)
    assert links.read_token(token) == (12, 345)
    with pytest.raises(BadSignature):
        links.read_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with pytest.raises(SignatureExpired):
        links.read_token(token, max_age=-1)
    url = links.personal_url(12, 345)
    assert url.startswith("http://heza.test/doanh-nghiep/") and links.read_token(url.rsplit("/", 1)[1]) == (12, 345)
    if links.ENDPOINT not in app.view_functions:  # the public blueprint is not wired yet: built by hand
        assert url == f"http://heza.test/doanh-nghiep/{url.rsplit('/', 1)[1]}"
