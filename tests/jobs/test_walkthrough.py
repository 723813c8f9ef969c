"""A HEZA conference and a Phù Liễn ward conference walked through their lives, one day at a time.

Every morning at 07:00 (Hai Phong) ``heza jobs run all --today D`` runs twice (the second run
must enqueue nothing) and the outbox is delivered to a real SMTP server; at 10:00 the day's events
happen (a registration, a postponement, an answer…) and the outbox is delivered again. The test
asserts which emails arrived on which day, to whom, across Tết 2026 (14–22/2 off).

HEZA, conference Tuesday 3/3/2026 (quorum lowered to 2 enterprises and 1 recommendation):
R1 on Friday 13/2, the last working day before Tết; cutoff 24/2; reminder on Monday 23/2, the
first working day after Tết; quorum judged 25/2; answers, result report and conclusion due 12/3.

Phù Liễn, conference Tuesday 24/2/2026: R1 6/2, cutoff 10/2, postponed by the ward on 12/2 to
Tuesday 10/3 (new cutoff 3/3, reminder 27/2, R4 reminder Friday 6/3 because 7/3 is a Saturday);
no post on digital channels in February (R9). The ward's plan sets no quorum (R3 is HEZA's), so
the ward is never sent a quorum alert nor asked for a postpone/cancel report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
import time_machine

from heza import workdays
from heza.base import now_utc
from heza.conferences import operations
from heza.conferences.models import (
    AgendaItem,
    Announcement,
    AnnouncementKind,
    Channel,
    Registration,
    ReportKind,
    Task,
)
from heza.extensions import db as _db
from heza.outbox.models import EmailStatus, OutboundEmail
from heza.outreach.models import DigitalPost, PostChannel
from heza.recommendations.models import AnswerMethod, Field, Recommendation, RecommendationStatus
from heza.reports.records import find_report
from tests.jobs.conftest import heza_world, ward_world
from tests.jobs.walk import at, walk

START = date(2026, 2, 2)
END = date(2026, 3, 20)


def test_two_conferences_across_tet_2026(app, smtp, runner):
    with time_machine.travel(at(date(2026, 1, 20), 9), tick=False) as traveller:
        heza = heza_world(held_on=date(2026, 3, 3), quorum_enterprises=2, quorum_recommendations=1)
        ward = ward_world(held_on=date(2026, 2, 24))
        economic_tasks = [Task(unit=ward.economic, conference=ward.conference, description=d)
                          for d in ("Chuẩn bị hội trường, âm thanh", "Tổng hợp kiến nghị gửi các đơn vị")]
        _db.session.add_all(economic_tasks)
        _db.session.add_all([
            AgendaItem(conference=ward.conference, position=1, content="Báo cáo tình hình thu ngân sách",
                       units=[ward.tax]),
            AgendaItem(conference=ward.conference, position=2, content="Giới thiệu dịch vụ công trực tuyến",
                       units=[ward.service]),
            DigitalPost(organizer=ward.organizer, unit=ward.service, channel=PostChannel.ZALO,
                        title="Tin doanh nghiệp tháng 1", posted_on=date(2026, 1, 15)),
        ])
        _db.session.commit()
        heza_id, ward_id = heza.conference.id, ward.conference.id
        cang1, cang2 = heza.enterprises[0], heza.enterprises[1]

        def register(conference_id: int, enterprise_id: int) -> None:
            _db.session.add(Registration(conference_id=conference_id, enterprise_id=enterprise_id,
                                         channel=Channel.LINK, received_dt=now_utc()))

        def heza_recommendation() -> None:
            _db.session.add(Recommendation(organizer_id=heza.organizer.id, enterprise_id=cang1.id,
                                           conference_id=heza_id, field=Field.LAND, channel=Channel.LINK,
                                           content="Đề nghị hướng dẫn gia hạn thuê đất", received_dt=now_utc(),
                                           responsible_unit_id=heza.lead.id))

        def postpone_ward() -> None:
            conference = _db.session.get(type(ward.conference), ward_id)
            operations.postpone(conference, date(2026, 3, 10), "Chưa đủ số doanh nghiệp đăng ký", date(2026, 2, 12))

        def finish_one_task() -> None:
            _db.session.get(Task, economic_tasks[0].id).done_dt = now_utc()

        def late_february_post() -> None:
            _db.session.add(DigitalPost(organizer_id=ward.organizer.id, unit_id=ward.service.id,
                                        channel=PostChannel.PORTAL, title="Tin tháng 2 (nhập muộn)",
                                        posted_on=date(2026, 2, 27)))

        def publish_heza_conclusion() -> None:
            _db.session.add(Announcement(conference_id=heza_id, kind=AnnouncementKind.CONCLUSION_NOTICE,
                                         title="Thông báo kết luận", published_dt=now_utc()))

        def answer_recommendation() -> None:
            rec = _db.session.scalar(sa.select(Recommendation).where(Recommendation.conference_id == heza_id))
            rec.status, rec.answer = RecommendationStatus.ANSWERED, "Đã hướng dẫn"
            rec.answered_dt, rec.answer_method = now_utc(), AnswerMethod.IN_WRITING

        def submit_heza_report() -> None:
            conference = _db.session.get(type(heza.conference), heza_id)
            find_report(conference, ReportKind.RESULT).submitted_dt = now_utc()

        events: dict[date, list[Callable[[], None]]] = {
            date(2026, 2, 6): [lambda: register(ward_id, ward.enterprises[0].id)],
            date(2026, 2, 12): [postpone_ward],
            date(2026, 2, 13): [lambda: register(heza_id, cang1.id), heza_recommendation],
            date(2026, 2, 23): [lambda: register(heza_id, cang2.id)],
            date(2026, 3, 3): [late_february_post],
            date(2026, 3, 6): [finish_one_task],
            date(2026, 3, 13): [publish_heza_conclusion],
            date(2026, 3, 17): [answer_recommendation],
            date(2026, 3, 19): [submit_heza_report],
        }

        mails = walk(traveller, runner, smtp, START, END, events=events)

    received = [m.message for m in mails]
    log: dict[date, list[tuple[str, str, str]]] = defaultdict(list)
    for m in mails:
        log[m.day].append((m.kind, m.to, m.cc))
    emails = {d: sorted((kind, to) for kind, to, _ in entries if kind != "digest") for d, entries in log.items()}
    emails = {d: v for d, v in emails.items() if v}
    hl = pl = "@demo.heza.vn"  # HEZA's and Phù Liễn's addresses, told apart by their names
    assert emails == {
        date(2026, 2, 6): [("invitation", f"htx{pl}"), ("invitation", f"kienan{pl}"), ("invitation", f"minhan{pl}")],
        date(2026, 2, 9): [("registration_nudge", f"htx{pl}"), ("registration_nudge", f"kienan{pl}")],
        date(2026, 2, 12): [("postponement", f"htx{pl}"), ("postponement", f"kienan{pl}"),
                            ("postponement", f"minhan{pl}")],
        date(2026, 2, 13): sorted([("invitation", f"cang{i}{hl}") for i in (1, 2, 3)]
                                  + [("invitation", f"stc{hl}"), ("invitation", f"stc.vanthu{hl}"),
                                     ("invitation", f"toasoan{hl}")]),
        date(2026, 2, 23): [("registration_nudge", f"cang2{hl}"), ("registration_nudge", f"cang3{hl}")],
        date(2026, 2, 25): [("quorum", f"dngsdt2{hl}"), ("quorum", f"dngsdt{hl}"), ("quorum", f"heza{hl}")],
        date(2026, 2, 27): [("registration_nudge", f"htx{pl}"), ("registration_nudge", f"kienan{pl}")],
        date(2026, 3, 2): [("overdue", f"tthcc.phulien{pl}")],
        date(2026, 3, 6): [("unit_reminder", f"kinhte.phulien{pl}"), ("unit_reminder", f"thue.phulien{pl}"),
                           ("unit_reminder", f"tthcc.phulien{pl}")],
        date(2026, 3, 9): [("overdue", f"kinhte.phulien{pl}")],
        date(2026, 3, 13): [("overdue", f"dngsdt2{hl}"), ("overdue", f"dngsdt{hl}"), ("overdue", f"vanphong{hl}")],
        date(2026, 3, 17): [("overdue", f"dngsdt2{hl}"), ("overdue", f"dngsdt{hl}")],
        date(2026, 3, 19): [("overdue", f"dngsdt2{hl}"), ("overdue", f"dngsdt{hl}")],
        date(2026, 3, 20): [("overdue", f"kinhte.phulien{pl}"), ("overdue", f"vanphong.phulien{pl}")],
    }

    # Nothing at all over Tết, and nothing on any day off.
    for d in log:
        assert workdays.is_working_day(d), f"emails on a day off: {d} {log[d]}"
    assert not any(date(2026, 2, 14) <= d <= date(2026, 2, 22) for d in log)

    # Overdue alerts copy the supervising unit.
    overdue_cc = {(d, to): cc for d, entries in log.items() for kind, to, cc in entries if kind == "overdue"}
    assert overdue_cc[(date(2026, 3, 13), f"dngsdt{hl}")] == f"lanhdao{hl}"
    assert overdue_cc[(date(2026, 3, 2), f"tthcc.phulien{pl}")] == f"chutich.phulien{pl}"

    def find(kind: str, to: str, nth: int = 0):
        return [m for m in received if m.kind == kind and m.to == to][nth]

    # The ladder: the lead unit's items on 13/3 (answer + report), 17/3 (both, 2nd alert), 19/3 (report only).
    first_alert = find("overdue", f"dngsdt{hl}", 0).text()
    assert "Đề nghị hướng dẫn gia hạn thuê đất" in first_alert and "Báo cáo kết quả" in first_alert
    assert "nhắc lần 1" in first_alert
    third = find("overdue", f"dngsdt{hl}", 2).text()
    assert "gia hạn thuê đất" not in third and "nhắc lần 3" in third
    assert "02/2026" in find("overdue", f"tthcc.phulien{pl}").text()  # R9: no post in February

    # The unit reminder lists both open tasks with their R4 due date (Saturday 7/3) and the agenda item.
    reminder = find("unit_reminder", f"kinhte.phulien{pl}").text()
    assert "Chuẩn bị hội trường" in reminder and "Tổng hợp kiến nghị" in reminder and "06/03/2026" in reminder
    assert "Giới thiệu dịch vụ công trực tuyến" in find("unit_reminder", f"tthcc.phulien{pl}").text()
    # ...and the overdue alert of 9/3 only the task still open.
    task_alert = find("overdue", f"kinhte.phulien{pl}", 0).text()
    assert "Tổng hợp kiến nghị" in task_alert and "Chuẩn bị hội trường" not in task_alert

    # The quorum alert: met for HEZA, whose plan sets R3; none for the ward, whose plan does not.
    assert "đủ điều kiện tổ chức theo kế hoạch" in find("quorum", f"heza{hl}").text()
    assert not [m for m in received if m.kind == "quorum" and "phulien" in m.to]
    assert find_report(_db.session.get(type(ward.conference), ward_id), ReportKind.POSTPONE_CANCEL) is None

    # Invitations: personal link for enterprises only, the calendar file for everyone, one recipient each.
    enterprise_invitation = find("invitation", f"cang1{hl}")
    assert "http://heza.test/doanh-nghiep/" in enterprise_invitation.text()
    assert 'href="http://heza.test/doanh-nghiep/' in enterprise_invitation.html()
    agency_invitation = find("invitation", f"stc{hl}")
    assert "/doanh-nghiep/" not in agency_invitation.text()
    for m in received:
        assert len(m.rcpt_tos) == (1 if m.kind != "overdue" else 2)
    ics = agency_invitation.attachments()[0].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:REQUEST" in ics and "SEQUENCE:0" in ics and "20260303T083000" in ics

    # The postponement re-sends the event: same UID, higher SEQUENCE, new day.
    original = find("invitation", f"htx{pl}").attachments()[0].get_content()
    moved = find("postponement", f"htx{pl}").attachments()[0].get_content()
    original, moved = (x.decode() if isinstance(x, bytes) else x for x in (original, moved))
    uid = next(line for line in original.splitlines() if line.startswith("UID:"))
    assert uid in moved and "SEQUENCE:1" in moved and "20260310T080000" in moved
    assert "10/03/2026" in find("postponement", f"htx{pl}").text()

    # The enterprise that chose English has its emails rendered in English (Vietnamese text until the
    # English catalog has those strings).
    assert _db.session.scalar(sa.select(OutboundEmail.language).where(
        OutboundEmail.to_addr == f"kienan{pl}", OutboundEmail.kind == "invitation")) == "en"

    # Digest: to HEZA's own address and to the ward's office, on working days only, never empty.
    digests = {(d, to) for d, entries in log.items() for kind, to, _ in entries if kind == "digest"}
    assert (date(2026, 2, 13), f"heza{hl}") in digests
    assert (date(2026, 3, 13), f"heza{hl}") in digests
    assert (date(2026, 3, 20), f"heza{hl}") not in digests  # nothing left due for HEZA
    assert (date(2026, 3, 20), f"vanphong.phulien{pl}") in digests
    digest_13_3 = find("digest", f"heza{hl}", sorted(d for d, to in digests if to == f"heza{hl}").index(
        date(2026, 3, 13))).text()
    assert "Quá hạn (3):" in digest_13_3

    # Every email was sent once; nothing stayed behind.
    statuses = set(_db.session.scalars(sa.select(OutboundEmail.status)))
    assert statuses == {EmailStatus.SENT}
    assert len({m.message_id for m in received}) == len(received)
