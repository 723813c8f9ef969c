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
from heza.demo import LOGIN_FILE, last_working_day, read_login_file
from heza.devserver import banner
from heza.directory.models import Enterprise, EnterpriseKind, Language, Organizer, OrganizerKind, Unit, Zone, ZoneKind
from heza.extensions import db as _db
from heza.hotline.models import (
    HOTLINE_OPEN,
    LEGAL_KINDS,
    LEGAL_OPEN,
    HotlineChannel,
    HotlineItem,
    HotlineKind,
    HotlineStatus,
)
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


def _organizer(slug: str) -> Organizer:
    return _db.session.scalar(sa.select(Organizer).where(Organizer.slug == slug))


def _conference(slug: str, status: ConferenceStatus) -> Conference:
    rows = _db.session.scalars(sa.select(Conference).join(Organizer).where(
        Organizer.slug == slug, Conference.status == status)).all()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """The demo hashes fourteen fresh passwords per load; tests need not pay argon2's full cost for each."""
    from argon2 import PasswordHasher

    import heza.accounts.models

    monkeypatch.setattr(heza.accounts.models, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_loads_on_an_empty_database_with_the_promised_counts(runner, app):
    result = _load(runner)

    assert {o.slug: o.kind for o in _all(Organizer)} == {
        "heza": OrganizerKind.AUTHORITY, "phu-lien": OrganizerKind.WARD, "hai-trieu": OrganizerKind.WARD,
        "so-cong-thuong": OrganizerKind.DEPARTMENT}
    heza = _organizer("heza")
    assert heza.name == "Ban Quản lý Khu kinh tế Hải Phòng"
    assert heza.address == "Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng"
    assert heza.lead_unit.name == "Phòng Doanh nghiệp và Giám sát đầu tư"
    assert heza.office_unit.name == "Văn phòng"
    ward = _organizer("phu-lien")
    assert ward.lead_unit.name == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert ward.office_unit.name == "Văn phòng HĐND-UBND"

    units = {u.name: u for u in _all(Unit) if u.organizer in (None, heza, ward)}
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

    assert _count(Conference) == 6
    assert _count(NewsletterIssue) == 2
    assert _count(User) == 14
    assert _count(TopicProposal) >= 3

    hotline = _all(HotlineItem)
    assert {i.kind for i in hotline} == set(HotlineKind)
    assert {i.channel for i in hotline} == set(HotlineChannel)
    today = HOLIDAY
    assert any(i.status in HOTLINE_OPEN and i.due_on < today for i in hotline)
    assert any(i.status == HotlineStatus.ANSWERED for i in hotline)
    for item in hotline:
        if item.kind in LEGAL_KINDS:
            continue  # by law, below
        assert item.due_on == rules.hotline_response_due(item.received_dt, item.kind, heza.settings()).due
        assert item.reference and item.reference.startswith("PA-")
        # seed 002's duty officers are real officials: the demo must not name them
        assert "Đào Thị Huyền" not in item.duty_officer and "Trần Thanh Ngân" not in item.duty_officer

    # Issue 15: one complaint and one denunciation at different legal stages, one of them overdue.
    legal_items = [i for i in hotline if i.kind in LEGAL_KINDS]
    assert {i.kind for i in legal_items} == set(LEGAL_KINDS)
    assert len({i.legal_stage for i in legal_items}) >= 2
    assert any(i.legal_stage in LEGAL_OPEN and i.due_on < today for i in legal_items)
    for item in legal_items:
        if item.legal_stage in LEGAL_OPEN:
            assert item.due_on == deadlines.legal_deadline(item).due
            assert "Điều" in item.due_basis

    assert "Đã nạp dữ liệu mẫu" in result.output
    assert f"{len(enterprises)} doanh nghiệp" in result.output


def test_logins_are_printed_and_kept_in_the_instance_folder(runner, app):
    result = _load(runner)
    path = Path(app.instance_path) / LOGIN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    roles = {u.role for u in _all(User)}
    assert roles == set(Role)
    unit_user = _db.session.scalar(sa.select(User).where(User.email == "donvi@demo.heza.vn"))
    assert unit_user.role == Role.UNIT and unit_user.unit.short_name == "DN&GSĐT"
    for user in _all(User):
        match = re.search(rf"{re.escape(user.email)} / (\S+)", result.output)
        assert match, user.email
        assert match.group(0) in text
        assert user.check_password(match.group(1))
        assert not user.check_password("admin")
    # personal pages to try: one enterprise registered for the ward conference, one not yet
    from heza.conferences.links import read_token

    ward_conf = _conference("phu-lien", ConferenceStatus.ANNOUNCED)
    tokens = re.findall(r"http://127\.0\.0\.1:5000/doanh-nghiep/(\S+)", text)
    assert len(tokens) == 2 and all(t in result.output for t in tokens)
    pairs = [read_token(t) for t in tokens]
    assert {c for c, _e in pairs} == {ward_conf.id}
    registered = {r.enterprise_id for r in ward_conf.registrations}
    assert [e in registered for _c, e in pairs] == [True, False]


def test_four_organizers_speak_in_their_own_name_under_their_own_plans(runner):
    _load(runner)
    heza, ward, other_ward, dept = (_organizer(s) for s in ("heza", "phu-lien", "hai-trieu", "so-cong-thuong"))
    assert heza.header_lines == ("UBND THÀNH PHỐ HẢI PHÒNG", "BAN QUẢN LÝ KHU KINH TẾ")
    assert heza.signature_lines[:2] == ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN") and len(heza.signature_lines) == 3
    # seed 004: the ward's own header, address and signer
    assert ward.header_lines[1] == "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN"
    assert ward.address.startswith("Số 9/157 đường Nguyễn Lương Bằng")
    assert ward.signature_lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Diện")
    assert ward.place_name == "Phù Liễn"
    assert dept.kind == OrganizerKind.DEPARTMENT and dept.header_lines == ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ CÔNG THƯƠNG")
    # what the demo invents says so
    assert "mẫu" in other_ward.signer_name and "mẫu" in other_ward.address and "mẫu" in dept.signer_name
    assert all("mẫu" in p.number for p in other_ward.plans + dept.plans)

    # each rule applies because one of the organizer's plans sets it
    assert heza.settings().rules_applied == {"R1", "R2", "R3", "R5", "R6", "R7", "R10", "R11", "R12"}
    assert "Hội nghị đối thoại doanh nghiệp" in dict(heza.settings().basis)["R1"]
    assert [p.rules for p in ward.plans] == ["R4,R8,R9"] and ward.plans[0].year == 2026
    assert ward.settings().applies("R4") and not ward.settings().applies("R1")
    assert other_ward.settings().applies("R8") and not other_ward.settings().applies("R3")
    assert dept.settings().applies("R1") and not dept.settings().applies("R4")
    assert "121/KH-UBND" in dept.plans[0].title and dept.plans[0].year == HOLIDAY.year

    for org in (heza, ward, other_ward, dept):
        assert org.lead_unit.organizer is org and org.office_unit.organizer is org
        conferences = _all(Conference, Conference.organizer_id == org.id)
        assert conferences, org.slug
        assert _all(Recommendation, Recommendation.organizer_id == org.id), org.slug
    assert {e.ward.slug for e in _all(Enterprise) if e.ward is not None} == {"phu-lien", "hai-trieu"}


def test_the_second_ward_and_the_department_show_their_own_stage(runner):
    _load(runner)
    ward_conf = _conference("hai-trieu", ConferenceStatus.HELD)
    dept_conf = _conference("so-cong-thuong", ConferenceStatus.HELD)
    for conf in (ward_conf, dept_conf):
        s = conf.settings()
        in_time = [r for r in conf.registrations if rules.received_in_time(r.received_dt, conf.held_on, s)]
        recs = _all(Recommendation, Recommendation.conference_id == conf.id)
        assert rules.quorum(len(in_time), len(recs), s).met
        report = _db.session.scalar(sa.select(Report).where(Report.conference_id == conf.id))
        assert report.submitted_dt is not None and local_date_of(report.submitted_dt) <= report.due_on
        assert report.responsible_unit is conf.organizer.lead_unit
        assert {a.kind for a in conf.announcements} == set(AnnouncementKind)
    # the department answered everything in time; the ward has one answer still to give, not yet due
    dept_recs = _all(Recommendation, Recommendation.conference_id == dept_conf.id)
    assert all(r.status == RecommendationStatus.ANSWERED and local_date_of(r.answered_dt) <= r.due_on
               for r in dept_recs)
    open_recs = [r for r in _all(Recommendation, Recommendation.conference_id == ward_conf.id) if r.is_open]
    assert len(open_recs) == 1 and open_recs[0].needs_coordination and open_recs[0].due_on >= HOLIDAY
    # ...extended, with its reason, kept over the rule's date and said in the explanation (issue 17).
    extended = open_recs[0]
    rule_due = rules.answer_due(ward_conf.held_on, True, ward_conf.settings()).due
    assert extended.extended_to == extended.due_on > rule_due and extended.extension_reason
    assert f"Gia hạn đến {extended.due_on:%d/%m/%Y} vì chờ ý kiến" in extended.due_basis
    assert deadlines.refresh_open_deadlines(_db.session) == 0
    # The invented ward has held nothing in the first half-year: behind on R8 (Phù Liễn is not).
    from heza import tenancy
    from heza.overview.queries import year_checks

    checks = {org.short_name: check for org, check in year_checks(HOLIDAY.year, tenancy.SYSTEM).values()}
    assert checks["Hải Triều"].missed("H1") and not checks["Phù Liễn"].missed("H1")
    assert all(t.done_dt is not None for t in ward_conf.tasks)


def test_each_organizer_has_an_officer_a_unit_member_and_a_viewer(runner):
    _load(runner)
    users = _all(User)
    for org in _all(Organizer):
        staff = [u for u in users if u.organizer is org]
        assert sorted(u.role.value for u in staff) == ["officer", "unit", "viewer"], org.slug
        unit_member = next(u for u in staff if u.role == Role.UNIT)
        assert unit_member.unit is org.lead_unit
    city_wide = {u.role: u for u in users if u.organizer is None}
    assert set(city_wide) == {Role.SUPERVISOR, Role.ADMIN}
    assert "Sở Tài chính" in city_wide[Role.SUPERVISOR].name and city_wide[Role.SUPERVISOR].unit is None
    assert all(u.membership_problem() is None and u.active for u in users)
    officer = _db.session.scalar(sa.select(User).where(User.email == "canbo@phulien.demo.heza.vn"))
    assert officer.role == Role.OFFICER and officer.organizer.slug == "phu-lien"


def test_heza_dev_prints_the_logins_per_organizer(runner, app):
    _load(runner)
    text = banner("http://127.0.0.1:5080", 8025, Path("/tmp/mail"), "heza scheduler",
                  read_login_file(Path(app.instance_path)))
    lines = text.splitlines()
    users = _all(User)
    groups = [(o.name, [u for u in users if u.organizer is o]) for o in _all(Organizer)]
    groups.append(("Toàn thành phố", [u for u in users if u.organizer is None]))
    for heading, members in groups:
        start = lines.index(f"  {heading}:")
        block = lines[start + 1:start + 1 + len(members)]
        assert all(line.startswith("    ") and " → " in line for line in block), block
        for user in members:
            line = next(line for line in block if f" → {user.email} / " in line)
            assert user.check_password(line.rsplit(" / ", 1)[1])
    assert lines.index("  Ban Quản lý Khu kinh tế Hải Phòng:") < lines.index("  Toàn thành phố:")
    assert "http://127.0.0.1:5080/doanh-nghiep/" in text and "127.0.0.1:5000" not in text


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
    conf = _conference("heza", ConferenceStatus.PLANNED)
    assert workdays.is_working_day(conf.held_on) and conf.held_on > today
    assert rules.announcement_date(conf.held_on, conf.settings()).due == announce_on
    # the first such day: the day before would be announced earlier
    earlier = [d for d in (workdays.add_working_days(conf.held_on, -1),)
               if d >= today and rules.announcement_date(d, conf.settings()).due == announce_on]
    assert earlier == []
    assert not conf.announcements and not conf.registrations


def test_the_held_conference_has_answered_and_open_recommendations_due_by_the_rules(runner):
    _load(runner)
    conf = _conference("heza", ConferenceStatus.HELD)
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
    conf = _conference("phu-lien", ConferenceStatus.ANNOUNCED)
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
    ward = _organizer("phu-lien")
    days = [c.held_on for c in _all(Conference, Conference.organizer_id == ward.id)]
    check = rules.ward_conferences_check(2026, days, ward.settings())
    assert check.met and check.first_half == 1 and check.second_half == 1
    posts = [p.posted_on for p in _all(DigitalPost, DigitalPost.organizer_id == ward.id)]
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
    assert _count(Organizer) == 4
    _load(runner, "--reset", "--yes", today=MONDAY)
    _db.session.expire_all()
    assert _count(Organizer) == 4 and _count(Conference) == 6 and _count(User) == 14
    conf = _conference("heza", ConferenceStatus.PLANNED)
    assert rules.announcement_date(conf.held_on, conf.settings()).due == MONDAY


def test_a_failure_half_way_leaves_nothing_behind(runner, app, monkeypatch):
    import heza.demo_data.office

    def broken(demo):
        raise RuntimeError("boom")

    monkeypatch.setattr(heza.demo_data.office, "outreach", broken)
    (Path(app.instance_path) / LOGIN_FILE).unlink(missing_ok=True)
    result = runner.invoke(args=["heza", "demo", "--today", HOLIDAY.isoformat()])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    _db.session.expire_all()
    assert _count(Organizer) == 0 and _count(Conference) == 0 and _count(Enterprise) == 0
    assert not (Path(app.instance_path) / LOGIN_FILE).exists()
