"""Each job on its own: the rules it applies, its recipients, catching up after downtime."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from heza.conferences import notices
from heza.conferences.models import AgendaItem, Channel, Registration, ReportKind, Task
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind, HotlineStatus
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outbox.models import OutboundEmail, OverdueAlert
from heza.outreach.models import DigitalPost, PostChannel
from heza.reports.records import find_report
from jobs import digest, overdue, quorum, registration_nudge, unit_reminders
from tests import factories as f
from tests.jobs.conftest import heza_world, plan, ward_world


def _emails(kind: str) -> list[OutboundEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.kind == kind)
                                    .order_by(OutboundEmail.id)))


def _published_heza(**kw) -> object:
    world = heza_world(**kw)
    notices.publish_announcement(world.conference, date(2026, 2, 13))
    _db.session.commit()
    return world


def test_quorum_is_judged_once_after_the_cutoff_day_has_closed(db):
    world = _published_heza()
    assert quorum.reconcile(date(2026, 2, 24)) == {}  # the cutoff day itself: registrations still open
    counts = quorum.reconcile(date(2026, 2, 25))
    assert counts == {"short": 1, "emails": 3}
    report = find_report(world.conference, ReportKind.POSTPONE_CANCEL)
    assert report.due_on == date(2026, 3, 2) and report.responsible_unit_id == world.lead.id
    assert quorum.reconcile(date(2026, 2, 26)) == {}
    assert sorted(r.to_addr for r in _emails("quorum")) == ["dngsdt2@demo.heza.vn", "dngsdt@demo.heza.vn",
                                                            "heza@demo.heza.vn"]


def test_late_registrations_and_withdrawn_ones_do_not_count(db):
    world = _published_heza(quorum_enterprises=2, quorum_recommendations=0)
    a, b, c = world.enterprises
    _db.session.add_all([
        Registration(conference=world.conference, enterprise=a, channel=Channel.LINK,
                     received_dt=f.at_local(date(2026, 2, 24), 23, 59)),  # last minute of the cutoff day
        Registration(conference=world.conference, enterprise=b, channel=Channel.LINK,
                     received_dt=f.at_local(date(2026, 2, 25), 0, 1)),  # a minute late
        Registration(conference=world.conference, enterprise=c, channel=Channel.LINK,
                     received_dt=f.at_local(date(2026, 2, 20)), withdrawn_dt=f.at_local(date(2026, 2, 23))),
    ])
    _db.session.commit()
    q = quorum.received_counts(world.conference)
    assert (q.enterprises, q.met) == (1, False)


def test_the_nudge_skips_registered_and_stops_when_the_quorum_is_met(db):
    world = _published_heza(quorum_enterprises=2, quorum_recommendations=0)
    _db.session.add(Registration(conference=world.conference, enterprise=world.enterprises[0],
                                 channel=Channel.LINK))
    _db.session.commit()
    # Invited on 13/2 (written "now" in real time, so only a day after now counts as "invited before").
    assert registration_nudge.reconcile(date(2026, 2, 13)) == {}
    _db.session.execute(sa.update(OutboundEmail).values(created_dt=f.at_local(date(2026, 2, 13), 7)))
    _db.session.commit()
    assert registration_nudge.reconcile(date(2026, 2, 23)) == {"emails": 2}
    assert registration_nudge.reconcile(date(2026, 2, 24)) == {}
    assert {r.to_addr for r in _emails("registration_nudge")} == {world.enterprises[1].email,
                                                                  world.enterprises[2].email}
    nudge = _emails("registration_nudge")[0]
    assert "/doanh-nghiep/" in nudge.text_body and "24/02/2026" in nudge.subject

    # A second conference whose quorum is already met: nobody is chased.
    other = f.conference(world.organizer, date(2026, 3, 3), quorum_enterprises=1, quorum_recommendations=0)
    notices.publish_announcement(other, date(2026, 2, 13))
    _db.session.add(Registration(conference=other, enterprise=world.enterprises[0], channel=Channel.LINK,
                                 received_dt=f.at_local(date(2026, 2, 20))))
    _db.session.execute(sa.update(OutboundEmail).values(created_dt=f.at_local(date(2026, 2, 13), 7)))
    _db.session.commit()
    assert registration_nudge.reconcile(date(2026, 2, 24)) == {}


def test_unit_reminders_are_for_conferences_whose_plan_sets_r4(db):
    heza = heza_world()
    _db.session.add(Task(unit=heza.lead, conference=heza.conference, description="Việc của HEZA"))
    ward = ward_world(held_on=date(2026, 3, 10))
    _db.session.add_all([
        Task(unit=ward.economic, conference=ward.conference, description="Chuẩn bị hội trường"),
        Task(unit=ward.economic, conference=ward.conference, description="Đã xong", done_dt=f.at_local(
            date(2026, 3, 1))),
        AgendaItem(conference=ward.conference, position=1, content="Báo cáo thuế", units=[ward.tax, ward.economic]),
    ])
    _db.session.commit()
    assert unit_reminders.reconcile(date(2026, 3, 5)) == {}
    assert unit_reminders.reconcile(date(2026, 3, 6)) == {"emails": 2}  # economic, tax
    assert unit_reminders.reconcile(date(2026, 3, 9)) == {}
    body = {r.to_addr: r.text_body for r in _emails("unit_reminder")}
    assert "Chuẩn bị hội trường" in body["kinhte.phulien@demo.heza.vn"]
    economic = body["kinhte.phulien@demo.heza.vn"]
    assert "Báo cáo thuế" in economic and "Đã xong" not in economic
    assert "Báo cáo thuế" in body["thue.phulien@demo.heza.vn"]


def test_the_plan_not_the_kind_decides_r4_reminders(db):
    """HEZA's plan may set R4 too; a ward whose only plan is inactive is not reminded."""
    heza = heza_world(held_on=date(2026, 3, 10))
    plan(heza.organizer, "R4", title="Kế hoạch phân công chuẩn bị hội nghị")
    ward = ward_world(held_on=date(2026, 3, 10))
    for ward_plan in ward.organizer.plans:
        ward_plan.active = False
    _db.session.add_all([Task(unit=heza.lead, conference=heza.conference, description="Việc của HEZA"),
                         Task(unit=ward.economic, conference=ward.conference, description="Việc của phường")])
    _db.session.commit()
    assert unit_reminders.reconcile(date(2026, 3, 6)) == {"emails": 2}  # both DN&GSĐT addresses
    assert {r.to_addr for r in _emails("unit_reminder")} == {"dngsdt@demo.heza.vn", "dngsdt2@demo.heza.vn"}


def test_no_quorum_alert_where_the_organizers_plan_sets_no_r3(db):
    ward = ward_world(held_on=date(2026, 3, 3))
    notices.publish_announcement(ward.conference, date(2026, 2, 13))
    _db.session.commit()
    assert quorum.reconcile(date(2026, 2, 25)) == {}  # the Phù Liễn plan sets R4, R8, R9 only
    assert find_report(ward.conference, ReportKind.POSTPONE_CANCEL) is None
    plan(ward.organizer, "R3", title="Kế hoạch bổ sung điều kiện tổ chức hội nghị")
    _db.session.commit()
    assert quorum.reconcile(date(2026, 2, 25)) == {"short": 1, "emails": 1}  # the ward's lead unit
    assert find_report(ward.conference, ReportKind.POSTPONE_CANCEL) is not None


def test_monthly_posts_are_chased_only_where_the_plan_sets_r9(db):
    heza = heza_world(held_on=date(2026, 6, 2))  # HEZA posts nothing; its plan does not ask it to
    ward = ward_world(held_on=date(2026, 6, 3))
    _monthly_posts(ward)  # January to March
    _db.session.commit()
    assert overdue.reconcile(date(2026, 4, 1)) == {}  # the ward's March is met, HEZA is not bound
    # April without a post: due Thursday 30/4, chased on Monday 4/5 (1/5 is a holiday), the ward only.
    assert overdue.reconcile(date(2026, 5, 4)) == {"items": 1, "emails": 1}
    [alert] = _emails("overdue")
    assert alert.to_addr == "tthcc.phulien@demo.heza.vn" and "04/2026" in alert.text_body
    # Once a plan of HEZA's sets R9, HEZA is chased too (its office: nobody of it ever posted).
    plan(heza.organizer, "R9", title="Kế hoạch truyền thông năm 2026")
    _db.session.commit()
    assert overdue.reconcile(date(2026, 5, 5)) == {"items": 1, "emails": 1}
    assert _emails("overdue")[-1].to_addr == "vanphong@demo.heza.vn"


def _monthly_posts(ward) -> None:
    """R9 met for January to March, so only the items under test are overdue."""
    _db.session.add_all([DigitalPost(organizer=ward.organizer, unit=ward.service, channel=PostChannel.PORTAL,
                                     title=f"Tin tháng {m}", posted_on=date(2026, m, 10)) for m in (1, 2, 3)])


def test_a_scheduler_back_after_days_down_sends_one_alert_and_the_ladder_resumes(db):
    """A task due 3/3, the scheduler down until 9/3: one alert then, the next two working days later."""
    ward = ward_world(held_on=date(2026, 3, 10))
    _monthly_posts(ward)
    _db.session.add(Task(unit=ward.tax, conference=ward.conference, description="Số liệu thu ngân sách",
                         due_on=date(2026, 3, 3), due_explicit=True))
    _db.session.commit()
    assert overdue.reconcile(date(2026, 3, 9)) == {"items": 1, "emails": 1}  # overdue since 4/3
    assert overdue.reconcile(date(2026, 3, 9)) == {}
    assert overdue.reconcile(date(2026, 3, 10)) == {}  # 2nd rung long due, but the last alert was yesterday
    assert overdue.reconcile(date(2026, 3, 11)) == {"items": 1, "emails": 1}
    assert [n for (n,) in _db.session.execute(sa.select(OverdueAlert.n).order_by(OverdueAlert.n))] == [0, 1]
    assert "nhắc lần 2" in _emails("overdue")[-1].text_body


def test_overdue_covers_articles_and_hotline_with_the_supervisor_in_copy(db):
    heza = heza_world(quorum_enterprises=0, quorum_recommendations=0)  # no R3 decision owed
    issue = NewsletterIssue(organizer=heza.organizer, number="01.2026", year=2026, quarter=1,
                            deadline=date(2026, 3, 10), editor_unit=heza.office)
    _db.session.add(issue)
    _db.session.add_all([
        ArticleAssignment(issue=issue, topic="Thu hút đầu tư quý I", unit=heza.lead, pages=Decimal("1.5")),
        ArticleAssignment(issue=issue, topic="Đã nộp", unit=heza.lead, submitted_dt=f.at_local(date(2026, 3, 9))),
        HotlineItem(organizer=heza.organizer, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                    content="Đường vào KCN ngập nước", received_dt=f.at_local(date(2026, 3, 2)),
                    status=HotlineStatus.RECEIVED),
    ])
    _db.session.commit()
    hotline = _db.session.scalar(sa.select(HotlineItem))
    assert hotline.due_on == date(2026, 3, 9)  # R11: 5 working days
    assert overdue.reconcile(date(2026, 3, 10)) == {"items": 1, "emails": 1}  # hotline → the office
    assert overdue.reconcile(date(2026, 3, 11)) == {"items": 1, "emails": 2}  # the article → both DN&GSĐT addresses
    rows = _emails("overdue")
    assert [(r.to_addr, r.cc) for r in rows] == [("vanphong@demo.heza.vn", "lanhdao@demo.heza.vn"),
                                                 ("dngsdt@demo.heza.vn", "lanhdao@demo.heza.vn"),
                                                 ("dngsdt2@demo.heza.vn", "lanhdao@demo.heza.vn")]
    assert "Đường vào KCN ngập nước" in rows[0].text_body and "PA-2026-" in rows[0].text_body
    assert "Thu hút đầu tư quý I" in rows[1].text_body and "Đã nộp" not in rows[1].text_body
    assert overdue.reconcile(date(2026, 3, 14)) == {}  # Saturday


def test_digest_groups_overdue_today_and_the_week_and_falls_back_to_the_office(db):
    ward = ward_world(held_on=date(2026, 3, 10))
    _monthly_posts(ward)
    _db.session.add(Task(unit=ward.tax, conference=ward.conference, description="Số liệu thu ngân sách",
                         due_on=date(2026, 3, 3), due_explicit=True))
    _db.session.commit()
    assert digest.reconcile(date(2026, 3, 7)) == {}  # Saturday
    assert digest.reconcile(date(2026, 3, 3)) == {"emails": 1}
    [row] = _emails("digest")
    assert row.to_addr == "vanphong.phulien@demo.heza.vn"  # the ward has no address of its own
    text = row.text_body
    assert "Quá hạn (0):" in text and "Đến hạn hôm nay (2):" in text and "Số liệu thu ngân sách" in text
    assert "03/03/2026 [Mốc thời gian hội nghị (R1, R2)] Hạn đăng ký, gửi kiến nghị (R2)" in text  # the cutoff is today
    assert "Ngày tổ chức hội nghị" in text
    assert digest.reconcile(date(2026, 3, 3)) == {}


def test_newsletter_rows_carry_a_kind_and_may_have_no_unit(db):
    from heza.newsletter.admin import count_text
    from heza.newsletter.models import ArticleKind

    heza = heza_world(quorum_enterprises=0, quorum_recommendations=0)
    issue = NewsletterIssue(organizer=heza.organizer, number="02.2026", year=2026, quarter=2,
                            deadline=date(2026, 3, 10), editor_unit=heza.office)
    news = ArticleAssignment(issue=issue, topic="Tin hoạt động các KCN", article_count=10, kind=ArticleKind.NEWS)
    article = ArticleAssignment(issue=issue, topic="Bài về thu hút đầu tư", unit=heza.lead, position=2)
    _db.session.add_all([issue, news, article])
    _db.session.commit()
    assert (count_text(news), count_text(article)) == ("10 tin", "01 bài")
    assert news.unit_id is None and article.kind == ArticleKind.ARTICLE
    # The row no unit was named for is chased through the issue's editor (the office).
    assert overdue.reconcile(date(2026, 3, 11)) == {"items": 2, "emails": 3}
    office = [r for r in _emails("overdue") if r.to_addr == "vanphong@demo.heza.vn"]
    assert len(office) == 1 and "Tin hoạt động các KCN" in office[0].text_body
