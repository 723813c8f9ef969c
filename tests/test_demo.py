"""``heza demo``: loads on an empty database, dates everything from the load day through the rules."""

from __future__ import annotations

import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from heza import deadlines, rules, workdays
from heza.accounts.models import Role, User
from heza.base import local_date_of
from heza.conferences.models import (
    Announcement,
    AnnouncementKind,
    Attendee,
    Conference,
    ConferenceStatus,
    Invitation,
    Registration,
    Report,
    ReportKind,
)
from heza.demo import LOGIN_FILE, last_working_day
from heza.directory.models import Enterprise, EnterpriseKind, Language, Organizer, OrganizerKind, Unit, Zone, ZoneKind
from heza.extensions import db as _db
from heza.hotline.models import HOTLINE_OPEN, HotlineChannel, HotlineItem, HotlineKind, HotlineStatus
from heza.newsletter.models import NewsletterIssue
from heza.outreach.models import DigitalPost, TopicProposal
from heza.recommendations.models import AnswerMethod, Recommendation, RecommendationStatus
from heza.validation import clean_tax_code

HOLIDAY = date(2026, 11, 24)  # Tuesday, Vietnam Culture Day (public holiday from 2026)
MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 22)


def _load(runner, *extra: str, today: date = HOLIDAY):
    result = runner.invoke(args=["heza", "demo", "--today", today.isoformat(), *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _all(model, *where):
    return _db.session.scalars(sa.select(model).where(*where)).all()


def _conference(organizer_kind: OrganizerKind, status: ConferenceStatus) -> Conference:
    rows = _db.session.scalars(sa.select(Conference).join(Organizer).where(
        Organizer.kind == organizer_kind, Conference.status == status)).all()
    assert len(rows) == 1, rows
    return rows[0]


def test_loads_on_an_empty_database_with_the_promised_counts(runner, app):
    result = _load(runner)

    assert {o.short_name: o.kind for o in _all(Organizer)} == {"HEZA": OrganizerKind.AUTHORITY,
                                                              "Phù Liễn": OrganizerKind.WARD}
    heza = _db.session.scalar(sa.select(Organizer).where(Organizer.short_name == "HEZA"))
    assert heza.name == "Ban Quản lý Khu kinh tế Hải Phòng"
    assert heza.address == "Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng"
    assert heza.lead_unit.name == "Phòng Doanh nghiệp và Giám sát đầu tư"
    assert heza.office_unit.name == "Văn phòng"
    ward = _db.session.scalar(sa.select(Organizer).where(Organizer.kind == OrganizerKind.WARD))
    assert ward.lead_unit.name == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert ward.office_unit.name == "Văn phòng HĐND-UBND"

    units = {u.name: u for u in _all(Unit)}
    for name in ("Phòng Quản lý Lao động", "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm",
                 "Khu công nghiệp Đình Vũ-Deep C", "Thuế cơ sở 5 thành phố Hải Phòng", "Sở Tài chính",
                 "Trung tâm Báo chí và Truyền thông thành phố"):
        assert name in units
    assert units["Phòng Quản lý Lao động"].supervisor is units["Phòng Doanh nghiệp và Giám sát đầu tư"]
    assert units["Trung tâm dịch vụ Sự nghiệp công"].supervisor is units["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert units["Sở Tài chính"].organizer is None

    zones = _all(Zone)
    assert len(zones) == 11
    assert [z.name for z in zones if z.kind == ZoneKind.ECONOMIC] == ["Khu kinh tế Đình Vũ – Cát Hải"]

    enterprises = _all(Enterprise)
    assert 55 <= len(enterprises) <= 70
    kinds = {e.kind for e in enterprises if e.ward is not None}
    assert kinds == {EnterpriseKind.ENTERPRISE, EnterpriseKind.COOPERATIVE, EnterpriseKind.HOUSEHOLD}
    assert sum(1 for e in enterprises if e.language == Language.EN) >= 3

    assert _count(Conference) == 4
    assert _count(NewsletterIssue) == 2
    assert _count(User) == 4
    assert _count(TopicProposal) >= 3

    hotline = _all(HotlineItem)
    assert {i.kind for i in hotline} == set(HotlineKind)
    assert {i.channel for i in hotline} == set(HotlineChannel)
    today = HOLIDAY
    assert any(i.status in HOTLINE_OPEN and i.due_on < today for i in hotline)
    assert any(i.status == HotlineStatus.ANSWERED for i in hotline)
    for item in hotline:
        assert item.due_on == rules.hotline_response_due(item.received_dt, item.kind, heza.settings()).due
        assert item.reference and item.reference.startswith("PA-")
        # seed 002's duty officers are real officials: the demo must not name them
        assert "Đào Thị Huyền" not in item.duty_officer and "Trần Thanh Ngân" not in item.duty_officer

    assert "Đã nạp dữ liệu mẫu" in result.output
    assert "60 doanh nghiệp" in result.output or f"{len(enterprises)} doanh nghiệp" in result.output


def test_logins_are_printed_and_kept_in_the_instance_folder(runner, app):
    result = _load(runner)
    path = Path(app.instance_path) / LOGIN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    roles = {u.role for u in _all(User)}
    assert roles == set(Role)
    unit_user = _db.session.scalar(sa.select(User).where(User.role == Role.UNIT))
    assert unit_user.unit.short_name == "DN&GSĐT"
    for user in _all(User):
        match = re.search(rf"{re.escape(user.email)} / (\S+)", result.output)
        assert match, user.email
        assert match.group(0) in text
        assert user.check_password(match.group(1))
        assert not user.check_password("admin")
    # personal pages to try: one enterprise registered for the ward conference, one not yet
    from heza.conferences.links import read_token

    ward_conf = _conference(OrganizerKind.WARD, ConferenceStatus.ANNOUNCED)
    tokens = re.findall(r"http://127\.0\.0\.1:5000/doanh-nghiep/(\S+)", text)
    assert len(tokens) == 2 and all(t in result.output for t in tokens)
    pairs = [read_token(t) for t in tokens]
    assert {c for c, _e in pairs} == {ward_conf.id}
    registered = {r.enterprise_id for r in ward_conf.registrations}
    assert [e in registered for _c, e in pairs] == [True, False]


def test_every_address_is_on_the_demo_domain_and_every_tax_code_is_valid(runner):
    _load(runner)
    enterprises = _all(Enterprise)
    for ent in enterprises:
        assert clean_tax_code(ent.tax_code) == ent.tax_code
        assert ent.tax_code.startswith("02")
        assert ent.email.endswith("demo.heza.vn")
        assert (ent.zone is None) != (ent.ward is None)
    branches = [e for e in enterprises if "-" in e.tax_code]
    assert branches and all(re.fullmatch(r"\d{10}-\d{3}", e.tax_code) for e in branches)
    heads = {e.tax_code for e in enterprises}
    assert all(b.tax_code[:10] in heads for b in branches)
    addresses = [a for u in _all(Unit) for a in u.email_list]
    addresses += [u.email for u in _all(User)] + [a.email for a in _all(Attendee) if a.email]
    assert addresses and all(a.endswith("demo.heza.vn") for a in addresses)


@pytest.mark.parametrize(("today", "announce_on"), [
    (MONDAY, MONDAY),  # a working day: the announcement is due today
    (HOLIDAY, MONDAY),  # Vietnam Culture Day: due on the working day before
    (SUNDAY, date(2026, 11, 20)),  # a Sunday: due on Friday
])
def test_the_upcoming_conference_is_announced_on_the_last_working_day(runner, today, announce_on):
    _load(runner, today=today)
    assert last_working_day(today) == announce_on
    conf = _conference(OrganizerKind.AUTHORITY, ConferenceStatus.PLANNED)
    assert workdays.is_working_day(conf.held_on) and conf.held_on > today
    assert rules.announcement_date(conf.held_on, conf.settings()).due == announce_on
    # the first such day: the day before would be announced earlier
    earlier = [d for d in (workdays.add_working_days(conf.held_on, -1),)
               if d >= today and rules.announcement_date(d, conf.settings()).due == announce_on]
    assert earlier == []
    assert not conf.announcements and not conf.registrations


def test_the_held_conference_has_answered_and_open_recommendations_due_by_the_rules(runner):
    _load(runner)
    conf = _conference(OrganizerKind.AUTHORITY, ConferenceStatus.HELD)
    s = conf.settings()
    monday = HOLIDAY - timedelta(days=HOLIDAY.weekday())
    assert monday - timedelta(days=7) <= conf.held_on < monday  # last week
    in_time = [r for r in conf.registrations if rules.received_in_time(r.received_dt, conf.held_on, s)]
    assert len(in_time) >= 15
    assert all(r.attendees for r in conf.registrations)

    recs = _all(Recommendation, Recommendation.conference_id == conf.id)
    assert len(recs) >= 8
    assert all(rules.received_in_time(r.received_dt, conf.held_on, s) for r in recs)
    assert rules.quorum(len(in_time), len(recs), s).met
    methods = {r.answer_method for r in recs if r.status == RecommendationStatus.ANSWERED}
    assert methods == {AnswerMethod.AT_CONFERENCE, AnswerMethod.IN_WRITING}
    open_recs = [r for r in recs if r.is_open]
    assert open_recs and any(r.needs_coordination for r in open_recs)
    assert any(not r.needs_coordination for r in open_recs)
    for rec in recs:
        deadline = rules.answer_due(conf.held_on, rec.needs_coordination, s)
        assert rec.due_on == deadline.due
        assert rec.due_basis.startswith("R5")
        assert rec.reference.startswith("KN-")
        if rec.answered_dt is not None:
            assert local_date_of(rec.answered_dt) < HOLIDAY
    # the open ones fall due after the load day: 7 and 14 working days after the conference
    assert {r.due_on for r in open_recs} == {rules.answer_due(conf.held_on, False, s).due,
                                             rules.answer_due(conf.held_on, True, s).due}
    assert min(r.due_on for r in open_recs) >= HOLIDAY

    report = _db.session.scalar(sa.select(Report).where(Report.conference_id == conf.id))
    assert report.kind == ReportKind.RESULT and report.submitted_dt is None
    assert report.due_on == rules.report_due(conf.held_on, s).due == date(2026, 11, 30)
    assert report.responsible_unit.short_name == "DN&GSĐT"


def test_the_ward_conference_is_collecting_registrations(runner):
    _load(runner)
    conf = _conference(OrganizerKind.WARD, ConferenceStatus.ANNOUNCED)
    s = conf.settings()
    assert rules.registration_cutoff(conf.held_on, s).due > HOLIDAY
    notice = next(a for a in conf.announcements if a.kind == AnnouncementKind.INVITATION_NOTICE)
    published_on = local_date_of(notice.published_dt)
    assert published_on < HOLIDAY and workdays.working_days_between(published_on, HOLIDAY) >= 2
    assert not notice.late
    assert 8 <= len(conf.registrations) <= 12
    assert all(local_date_of(r.received_dt) < HOLIDAY and r.attendees for r in conf.registrations)
    recs = _all(Recommendation, Recommendation.conference_id == conf.id)
    assert len(recs) >= 3 and all(r.is_open for r in recs)
    assert [item.content for item in conf.agenda_items][0] == "Đón tiếp đại biểu"
    assert all(item.units for item in conf.agenda_items if item.position != 4)
    task_due = rules.unit_task_due(conf.held_on, s).due
    assert {t.unit.short_name for t in conf.tasks} == {"KTHT&ĐT", "VP HĐND-UBND", "TT DVSNC", "Thuế cơ sở 5"}
    assert all(t.due_on == task_due for t in conf.tasks)
    assert any(t.done_dt is None for t in conf.tasks) and any(t.done_dt is not None for t in conf.tasks)
    invited = _all(Invitation, Invitation.conference_id == conf.id)
    assert any(i.unit is not None for i in invited) and any(i.enterprise is not None for i in invited)


def test_stored_deadlines_agree_with_the_deadline_module(runner):
    _load(runner)
    assert deadlines.refresh_open_deadlines(_db.session) == 0


def test_ward_has_two_conferences_this_year_and_a_month_without_posts(runner):
    _load(runner)
    ward = _db.session.scalar(sa.select(Organizer).where(Organizer.kind == OrganizerKind.WARD))
    days = [c.held_on for c in _all(Conference, Conference.organizer_id == ward.id)]
    check = rules.ward_conferences_check(2026, days, ward.settings())
    assert check.met and check.first_half == 1 and check.second_half == 1
    posts = [p.posted_on for p in _all(DigitalPost)]
    assert all(p <= HOLIDAY for p in posts)
    missed = [m for m in range(6, 11) if not rules.monthly_posts_met(posts, 2026, m, ward.settings())]
    assert missed == [9]
    # overdue: the first ward conference left a recommendation open
    past = min(_all(Conference, Conference.organizer_id == ward.id), key=lambda c: c.held_on)
    late = [r for r in _all(Recommendation, Recommendation.conference_id == past.id) if r.is_open]
    assert late and all(r.due_on < HOLIDAY for r in late)


def test_newsletter_issue_01_2023_follows_seed_003(runner):
    _load(runner)
    issue = _db.session.scalar(sa.select(NewsletterIssue).where(NewsletterIssue.number == "01.2023"))
    assert issue.deadline == date(2023, 3, 20)
    assert issue.editor_unit.name == "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm"
    assert len(issue.assignments) == 19
    focus = next(a for a in issue.assignments if a.topic == "Tiêu điểm")
    assert (focus.article_count, float(focus.pages), focus.unit.short_name) == (10, 2.0, "TT XTĐT")
    deepc = next(a for a in issue.assignments if a.unit.name == "Khu công nghiệp Đình Vũ-Deep C")
    assert float(deepc.pages) == 3.0
    assert all(a.submitted_dt is not None for a in issue.assignments)
    current = _db.session.scalar(sa.select(NewsletterIssue).where(NewsletterIssue.number == "04.2026"))
    assert current.deadline < HOLIDAY
    late = [a for a in current.assignments if a.submitted_dt is None]
    done = [a for a in current.assignments if a.submitted_dt is not None]
    assert late and done and all(a.word_count for a in done)


def test_if_empty_twice_adds_nothing(runner):
    _load(runner, "--if-empty")
    before = {m: _count(m) for m in (Organizer, Unit, Enterprise, Conference, Registration, Recommendation,
                                      HotlineItem, Announcement, User)}
    login = _db.session.scalar(sa.select(User).where(User.role == Role.ADMIN)).password_hash
    second = _load(runner, "--if-empty")
    assert "không nạp" in second.output
    _db.session.expire_all()
    assert {m: _count(m) for m in before} == before
    assert _db.session.scalar(sa.select(User).where(User.role == Role.ADMIN)).password_hash == login


def test_refuses_when_data_exists_unless_reset(runner):
    _load(runner)
    refused = runner.invoke(args=["heza", "demo", "--today", HOLIDAY.isoformat()])
    assert refused.exit_code != 0 and "--reset" in refused.output
    assert _count(Organizer) == 2
    _load(runner, "--reset", "--yes", today=MONDAY)
    _db.session.expire_all()
    assert _count(Organizer) == 2 and _count(Conference) == 4 and _count(User) == 4
    conf = _conference(OrganizerKind.AUTHORITY, ConferenceStatus.PLANNED)
    assert rules.announcement_date(conf.held_on, conf.settings()).due == MONDAY


def test_a_failure_half_way_leaves_nothing_behind(runner, app, monkeypatch):
    import heza.demo

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(heza.demo.DemoLoader, "outreach", broken)
    (Path(app.instance_path) / LOGIN_FILE).unlink(missing_ok=True)
    result = runner.invoke(args=["heza", "demo", "--today", HOLIDAY.isoformat()])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    _db.session.expire_all()
    assert _count(Organizer) == 0 and _count(Conference) == 0 and _count(Enterprise) == 0
    assert not (Path(app.instance_path) / LOGIN_FILE).exists()
