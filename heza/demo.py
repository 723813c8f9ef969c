"""``heza demo``: realistic demo data, dated relative to the load day.

Every date is placed from the load day ``today`` through :mod:`heza.workdays` and every deadline
comes from :mod:`heza.rules`, so the demo shows the same thing whichever day it is loaded:

- a HEZA conference whose R1 announcement day is the last working day on or before ``today``
  (the scheduler publishes it on its next run);
- a Phù Liễn ward conference announced a few working days ago, collecting registrations, its
  registration cutoff still ahead, with agenda and unit tasks (R4);
- a HEZA conference held last week, with registrations, recommendations answered at the
  conference, in writing, and still open (R5), and its result report due (R6);
- a ward conference held earlier in the year (R8), one of its recommendations still open and overdue;
- the newsletter issue 01.2023 of seed 003 and a current-quarter issue (R10), the hotline log (R11),
  the ward's monthly posts with one month missing (R9), topic proposals (R12), and four logins.

Everything is added in one transaction and committed once: all or nothing.
"""

from __future__ import annotations

import os
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from heza import rules, workdays
from heza.accounts.models import Role, User
from heza.base import LOCAL_ZONE, local_date_of, local_today
from heza.conferences.models import (
    AgendaItem,
    Announcement,
    AnnouncementKind,
    Attendee,
    Audience,
    Channel,
    Conference,
    ConferenceStatus,
    Invitation,
    Registration,
    Report,
    ReportKind,
    Task,
)
from heza.demo_data import content as C
from heza.demo_data import directory as D
from heza.directory.models import (
    Enterprise,
    EnterpriseKind,
    Language,
    Organizer,
    OrganizerKind,
    Unit,
    UnitKind,
    Zone,
    ZoneKind,
)
from heza.extensions import db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind, HotlineStatus
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outreach.models import Addressee, DigitalPost, PostChannel, TopicProposal
from heza.recommendations.models import AnswerMethod, Field, Recommendation, RecommendationStatus

LOGIN_FILE = "demo-login.txt"
DEV_URL = "http://127.0.0.1:5000"  # where ``make run`` serves the app; ``heza dev`` rewrites it to its own
RANDOM_SEED = 20_261_124  # the same load day gives the same demo (passwords aside)
# Tables ``--reset`` leaves alone: the administrators' calendar decisions are not demo data.
KEEP_ON_RESET = frozenset({"calendar_overrides"})


# --------------------------------------------------------------------------- dates


def at_local(d: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC instant for a Hai Phong wall-clock time on ``d``."""
    return datetime.combine(d, time(hour, minute), tzinfo=LOCAL_ZONE).astimezone(UTC)


def last_working_day(d: date) -> date:
    """``d`` if it is a working day, else the working day before it."""
    return d if workdays.is_working_day(d) else workdays.add_working_days(d, -1)


def working_days(first: date, last: date) -> list[date]:
    """The working days in ``[first, last]``, oldest first."""
    days, d = [], first
    while d <= last:
        if workdays.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def _first_working_day_from(start: date, accept: Any, what: str) -> date:
    d = start
    for _ in range(400):
        if workdays.is_working_day(d) and accept(d):
            return d
        d += timedelta(days=1)
    raise click.ClickException(f"Không tìm được ngày tổ chức cho {what} (no conference day found).")


def announced_today_day(today: date, s: rules.Settings) -> date:
    """The conference day whose R1 announcement day is the last working day on or before ``today``.

    Searching forward from ``today`` for the first working day D with ``announcement_date(D) ==
    that day``: on a working day the announcement is due today; on a Sunday or a holiday it fell
    due on the working day before, so the scheduler's next run publishes it.
    """
    target = last_working_day(today)
    return _first_working_day_from(today, lambda d: rules.announcement_date(d, s).due == target,
                                   "hội nghị sắp thông báo")


def collecting_day(today: date, s: rules.Settings) -> date:
    """A ward conference whose R2 cutoff is three working days after the last working day on or before today."""
    wanted = workdays.add_working_days(last_working_day(today), 3)
    return _first_working_day_from(today + timedelta(days=1),
                                   lambda d: rules.registration_cutoff(d, s).due >= wanted,
                                   "hội nghị đang nhận đăng ký")


def held_last_week_day(today: date) -> date:
    """About Wednesday of last week: three working days before this week's Monday."""
    monday = today - timedelta(days=today.weekday())
    return workdays.add_working_days(monday, -3)


def ward_past_day(today: date) -> date:
    """The ward's earlier conference (R8): around May, or last year's Q4 if May has not passed."""
    start = date(today.year, 5, 20) if today.month >= 6 else date(today.year - 1, 11, 18)
    return _first_working_day_from(start, lambda d: True, "hội nghị của phường đã tổ chức")


# --------------------------------------------------------------------------- small helpers


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics, for invented email addresses."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def person_email(name: str) -> str:
    return ".".join(ascii_fold(name).lower().split()) + f"@dn.{D.DEMO_DOMAIN}"


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


@dataclass
class LoadResult:
    """What was loaded: the conferences' days, the accounts with their passwords, and counts."""

    today: date
    conferences: list[tuple[Conference, str]] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, email, password)
    links: list[tuple[str, str]] = field(default_factory=list)  # (what, URL) of enterprises' personal pages
    counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- the loader


class DemoLoader:
    """Adds the demo to ``session`` (flushes, never commits)."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.today = today
        self.base = last_working_day(today)
        self.rng = random.Random(RANDOM_SEED)
        self.units: dict[str, Unit] = {}
        self.zones: dict[str, Zone] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.result = LoadResult(today)
        self._person = 0

    # -- helpers

    def wd(self, n: int, start: date | None = None) -> date:
        """The ``n``-th working day after (``n < 0``: before) ``start`` (default: the base day)."""
        return workdays.add_working_days(start or self.base, n)

    def next_person(self) -> str:
        name = D.PEOPLE[self._person % len(D.PEOPLE)]
        self._person += 1
        return name

    def add(self, obj: Any) -> Any:
        self.session.add(obj)
        return obj

    # -- the whole demo

    def load(self) -> LoadResult:
        self.directory()
        self.upcoming_conference()
        self.collecting_conference()
        self.held_conference()
        self.ward_past_conference()
        self.direct_recommendations()
        self.newsletters()
        self.hotline()
        self.outreach()
        self.session.flush()
        return self.result

    # -- directory

    def directory(self) -> None:
        self.heza = self.add(Organizer(kind=OrganizerKind.AUTHORITY, **D.HEZA))
        self.ward = self.add(Organizer(kind=OrganizerKind.WARD, **D.PHU_LIEN, **D.PHU_LIEN_SETTINGS))
        owners = {"heza": self.heza, "ward": self.ward, None: None}
        for row in D.UNITS:
            self.units[row.key] = self.add(Unit(
                name=row.name, short_name=row.short_name, kind=UnitKind(row.kind), organizer=owners[row.organizer],
                emails=row.email,
            ))
        for row in D.UNITS:
            if row.supervisor:
                self.units[row.key].supervisor = self.units[row.supervisor]
        self.heza.lead_unit, self.heza.office_unit = self.units[D.HEZA_LEAD_UNIT], self.units[D.HEZA_OFFICE_UNIT]
        self.ward.lead_unit, self.ward.office_unit = self.units[D.WARD_LEAD_UNIT], self.units[D.WARD_OFFICE_UNIT]

        for code, name, kind in D.ZONES:
            self.zones[code] = self.add(Zone(code=code, name=name, kind=ZoneKind(kind)))

        codes: dict[str, str] = {}
        lots = iter(range(1, 1000))
        for i, row in enumerate(D.ENTERPRISES):
            if row.branch_of:
                code = f"{codes[row.branch_of]}-001"
            else:
                code = D.tax_code(i)
                codes[row.slug] = code
            if row.zone:
                zone = self.zones[row.zone]
                address = f"Lô {chr(65 + i % 8)}{next(lots)}, {zone.name}, thành phố Hải Phòng"
            else:
                zone = None
                street = D.WARD_STREETS[i % len(D.WARD_STREETS)]
                address = f"Số {12 + 7 * i} {street}, phường Phù Liễn, thành phố Hải Phòng"
            self.enterprises[row.slug] = self.add(Enterprise(
                name=row.name, kind=EnterpriseKind(row.kind), tax_code=code, zone=zone,
                ward=None if zone else self.ward, address=address, contact_name=row.contact,
                phone=f"0120 555 {1000 + i:04d}", email=D.enterprise_email(row), language=Language(row.language),
            ))
        self.session.flush()  # organizers' setting columns get their defaults, so settings() reads them

    def zone_enterprises(self) -> list[Enterprise]:
        return [e for e in self.enterprises.values() if e.zone is not None]

    def ward_enterprises(self) -> list[Enterprise]:
        return [e for e in self.enterprises.values() if e.ward is self.ward]

    # -- pieces of a conference

    def conference(self, organizer: Organizer, title: str, held_on: date, status: ConferenceStatus,
                   audience: Audience, summary: str, **kw: Any) -> Conference:
        ward = organizer is self.ward
        conf = self.add(Conference(
            organizer=organizer, title=title, held_on=held_on, status=status, audience=audience,
            start_time=time(8, 0), end_time=time(11, 30), place=C.WARD_PLACE if ward else C.HEZA_PLACE,
            chair=C.WARD_CHAIR if ward else C.HEZA_CHAIR,
            description=C.WARD_DESCRIPTION if ward else C.HEZA_DESCRIPTION, **kw,
        ))
        self.result.conferences.append((conf, summary))
        agenda = C.WARD_AGENDA if ward else C.HEZA_AGENDA
        done = at_local(held_on, 11, 30) if status == ConferenceStatus.HELD else None
        for position, (text, presenter, unit_keys) in enumerate(agenda, start=1):
            conf.agenda_items.append(AgendaItem(position=position, content=text, presenter=presenter,
                                                units=[self.units[k] for k in unit_keys], done_dt=done))
        return conf

    def invite(self, conf: Conference, enterprises: Sequence[Enterprise], unit_keys: Sequence[str]) -> None:
        for ent in enterprises:
            conf.invitations.append(Invitation(enterprise=ent))
        for key in unit_keys:
            conf.invitations.append(Invitation(unit=self.units[key]))

    def invitation_notice(self, conf: Conference, published_on: date) -> Announcement:
        s = conf.settings()
        r1 = rules.announcement_date(conf.held_on, s).due
        cutoff = rules.registration_cutoff(conf.held_on, s).due
        what = ("doanh nghiệp, hợp tác xã, hộ kinh doanh trên địa bàn phường" if conf.is_ward
                else "doanh nghiệp đang hoạt động tại các khu công nghiệp và Khu kinh tế Đình Vũ – Cát Hải")
        body = (
            f"{conf.organizer.name} tổ chức {conf.title} vào hồi 08 giờ 00 ngày {_fmt(conf.held_on)} "
            f"({workdays.weekday_name_vi(conf.held_on)}) tại {conf.place}.\n\n"
            f"Kính mời các {what} đăng ký tham dự và gửi kiến nghị, khó khăn, vướng mắc qua đường dẫn trong thư mời, "
            f"qua email hoặc trực tiếp tại Bộ phận một cửa. Đăng ký và kiến nghị được tiếp nhận đến hết ngày "
            f"{_fmt(cutoff)} (trước {s.cutoff_working_days} ngày làm việc diễn ra hội nghị)."
        )
        return self.add(Announcement(
            conference=conf, kind=AnnouncementKind.INVITATION_NOTICE, title=f"Thông báo tổ chức {conf.title}",
            body=body, scheduled_on=r1, published_dt=at_local(published_on, 8, 30), late=published_on > r1,
        ))

    def register(self, conf: Conference, enterprises: Sequence[Enterprise], days: Sequence[date],
                 channels: Sequence[Channel]) -> list[Registration]:
        regs = []
        for i, ent in enumerate(enterprises):
            day = days[i * len(days) // len(enterprises)]
            reg = Registration(conference=conf, enterprise=ent, channel=channels[i % len(channels)],
                               received_dt=at_local(day, 8 + i % 9, (13 * i) % 60))
            position = {EnterpriseKind.HOUSEHOLD: D.HOUSEHOLD_POSITION,
                        EnterpriseKind.COOPERATIVE: D.COOPERATIVE_POSITION}.get(ent.kind, D.POSITIONS[0])
            reg.attendees.append(Attendee(name=ent.contact_name, position=position, phone=ent.phone,
                                          email=ent.email))
            if ent.kind == EnterpriseKind.ENTERPRISE and i % 2 == 0:
                name = self.next_person()
                reg.attendees.append(Attendee(name=name, position=D.POSITIONS[1 + i % (len(D.POSITIONS) - 1)],
                                              email=person_email(name)))
            conf.registrations.append(reg)
            regs.append(reg)
        return regs

    def recommendation(self, organizer: Organizer, enterprise: Enterprise, row: C.RecommendationRow,
                       received_dt: datetime, channel: Channel, conf: Conference | None,
                       answered_on: date | None = None, assign: bool = True) -> Recommendation:
        """A recommendation with its R5 due date: after its conference, or after receipt without one."""
        coordination = bool(row.coordination)
        received_on = local_date_of(received_dt)
        if conf is not None and received_on <= conf.held_on:
            deadline = rules.answer_due(conf.held_on, coordination, conf.settings())
        else:
            deadline = rules.answer_due(received_on, coordination, organizer.settings(), after_conference=False)
        rec = Recommendation(
            organizer=organizer, enterprise=enterprise, conference=conf, field=Field(row.field),
            content=row.content, received_dt=received_dt, channel=channel,
            responsible_unit=self.units[row.unit] if assign else None, needs_coordination=coordination,
            coordination_note=row.coordination, due_on=deadline.due, due_basis=deadline.explain()[:500],
            status=RecommendationStatus.ASSIGNED if assign else RecommendationStatus.RECEIVED,
        )
        if row.outcome != "open":
            if answered_on is None:
                raise ValueError(f"an answered recommendation needs its answer day: {row.content[:40]}")
            rec.status = RecommendationStatus.ANSWERED
            rec.answer = row.answer
            if row.outcome == "at_conference":
                rec.answer_method, rec.answered_dt = AnswerMethod.AT_CONFERENCE, at_local(answered_on, 10, 15)
            else:
                rec.answer_method, rec.answered_dt = AnswerMethod.IN_WRITING, at_local(answered_on, 15, 30)
        return self.add(rec)

    # -- (a) announced today

    def upcoming_conference(self) -> None:
        s = self.heza.settings()
        held_on = announced_today_day(self.today, s)
        r1 = rules.announcement_date(held_on, s).due
        conf = self.conference(
            self.heza, f"Hội nghị đối thoại doanh nghiệp chuyên đề lao động, việc làm trong các khu công nghiệp "
                       f"năm {held_on.year}", held_on, ConferenceStatus.PLANNED, Audience.ZONES,
            f"dự kiến; đăng thông báo ngày {_fmt(r1)} (R1)",
        )
        conf.zones.extend(self.zones[c] for c in ("KCN-TD", "KCN-NOMURA", "KCN-AD", "KCN-VSIP"))
        self.invite(conf, [], ("ldb", "ubnd", "stc", "cong", "ttbc"))
        self.upcoming = conf

    # -- (b) the ward collecting registrations

    def collecting_conference(self) -> None:
        s = self.ward.settings()
        held_on = collecting_day(self.today, s)
        cutoff = rules.registration_cutoff(held_on, s).due
        published_on = self.wd(-3)
        conf = self.conference(
            self.ward, f"Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Phù Liễn lần 2 năm "
                       f"{held_on.year}", held_on, ConferenceStatus.ANNOUNCED, Audience.WARD,
            f"đã thông báo ngày {_fmt(published_on)}; nhận đăng ký đến hết ngày {_fmt(cutoff)} (R2)",
        )
        ward_ents = self.ward_enterprises()
        self.invite(conf, ward_ents, ("ubnd", "stc", "sct", "skhcn", "qltt8", "thue5", "cong", "bao", "ttdv"))
        self.invitation_notice(conf, published_on)
        days = [d for d in working_days(published_on, self.today - timedelta(days=1))]
        regs = self.register(conf, ward_ents[:10], days,
                             (Channel.PAPER, Channel.PHONE, Channel.LINK, Channel.IN_PERSON, Channel.EMAIL))
        for i, row in enumerate(C.WARD_OPEN_RECOMMENDATIONS):
            reg = regs[(3 * i + 1) % len(regs)]
            self.recommendation(self.ward, reg.enterprise, row, reg.received_dt + timedelta(minutes=20),
                                reg.channel, conf,
                                assign=i != len(C.WARD_OPEN_RECOMMENDATIONS) - 1)
        due = rules.unit_task_due(held_on, s).due
        for i, (unit_key, text) in enumerate(C.WARD_TASKS):
            done = at_local(days[min(i, len(days) - 1)], 16, 0) if i in (0, 1, 4) else None
            conf.tasks.append(Task(unit=self.units[unit_key], description=text, due_on=due, done_dt=done))
        self.collecting = conf

    # -- (c) HEZA, held last week

    def held_conference(self) -> None:
        s = self.heza.settings()
        held_on = held_last_week_day(self.today)
        r1 = rules.announcement_date(held_on, s).due
        cutoff = rules.registration_cutoff(held_on, s).due
        report = rules.report_due(held_on, s)
        conf = self.conference(
            self.heza, f"Hội nghị đối thoại doanh nghiệp năm {held_on.year} của Ban Quản lý Khu kinh tế Hải Phòng",
            held_on, ConferenceStatus.HELD, Audience.ALL_ZONES,
            f"đã tổ chức; báo cáo kết quả hạn {_fmt(report.due)} (R6)",
            conclusions="Ban Quản lý ghi nhận các kiến nghị; các phòng chuyên môn trả lời bằng văn bản các kiến nghị "
                        "chưa giải đáp tại hội nghị trong thời hạn quy định.",
        )
        zone_ents = self.zone_enterprises()
        attending, late = zone_ents[:18], zone_ents[18]
        self.invite(conf, zone_ents[:30], ("ldb", "ubnd", "stc", "cong", "ttbc", "bao"))
        self.invitation_notice(conf, r1)
        window = working_days(r1, cutoff)
        self.register(conf, attending, window, (Channel.LINK, Channel.LINK, Channel.EMAIL, Channel.PHONE))
        self.register(conf, [late], [self.wd(1, cutoff)], (Channel.EMAIL,))  # after the R2 cutoff
        english = [e for e in attending if e.language == Language.EN]
        vietnamese = [e for e in attending if e.language != Language.EN]
        written_on = self.wd(2, held_on)
        for i, row in enumerate(C.HEZA_HELD_RECOMMENDATIONS):
            ent = english[0] if row.language_en and english else vietnamese[(2 * i) % len(vietnamese)]
            day = window[i % len(window)]
            answered_on = {"at_conference": held_on, "in_writing": written_on}.get(row.outcome)
            self.recommendation(self.heza, ent, row, at_local(day, 9 + i % 7, (17 * i) % 60),
                                (Channel.LINK, Channel.EMAIL, Channel.PAPER)[i % 3], conf, answered_on)
        self.add(Report(
            organizer=self.heza, conference=conf, kind=ReportKind.RESULT,
            title=f"Báo cáo kết quả tổ chức Hội nghị đối thoại doanh nghiệp năm {held_on.year}",
            responsible_unit=self.units["dn"], due_on=report.due, drafted_dt=at_local(written_on, 16, 0),
        ))
        self.held = conf

    # -- the ward's earlier conference (R8)

    def ward_past_conference(self) -> None:
        s = self.ward.settings()
        held_on = ward_past_day(self.today)
        r1 = rules.announcement_date(held_on, s).due
        cutoff = rules.registration_cutoff(held_on, s).due
        conf = self.conference(
            self.ward, f"Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Phù Liễn lần 1 năm "
                       f"{held_on.year}", held_on, ConferenceStatus.HELD, Audience.WARD,
            "đã tổ chức (R8: hội nghị lần 1 của phường)",
            conclusions="UBND phường giao Phòng Kinh tế, Hạ tầng và Đô thị theo dõi, đôn đốc giải quyết kiến nghị.",
        )
        ward_ents = self.ward_enterprises()
        self.invite(conf, ward_ents, ("ubnd", "stc", "thue5", "ttdv"))
        self.invitation_notice(conf, r1)
        window = working_days(r1, cutoff)
        regs = self.register(conf, ward_ents[2:12], window, (Channel.PAPER, Channel.PHONE, Channel.IN_PERSON))
        written_on = self.wd(4, held_on)
        for i, row in enumerate(C.WARD_PAST_RECOMMENDATIONS):
            reg = regs[2 * i]
            answered_on = {"at_conference": held_on, "in_writing": written_on}.get(row.outcome)
            self.recommendation(self.ward, reg.enterprise, row, reg.received_dt + timedelta(minutes=30),
                                Channel.PAPER, conf, answered_on)
        due = rules.unit_task_due(held_on, s).due
        for unit_key, text in C.WARD_TASKS:
            conf.tasks.append(Task(unit=self.units[unit_key], description=text, due_on=due,
                                   done_dt=at_local(due - timedelta(days=1), 16, 0)))
        self.add(Announcement(
            conference=conf, kind=AnnouncementKind.CONCLUSION_NOTICE, title=f"Thông báo kết luận {conf.title}",
            body=conf.conclusions, scheduled_on=held_on, published_dt=at_local(self.wd(3, held_on), 9, 0),
        ))

    # -- outside conferences

    def direct_recommendations(self) -> None:
        """Recommendations sent to HEZA by email or on paper, answered within 7 working days of receipt (R5)."""
        ents = self.zone_enterprises()
        for offset, row, ent, channel in ((-12, C.DIRECT_RECOMMENDATIONS[0], ents[20], Channel.EMAIL),
                                          (-2, C.DIRECT_RECOMMENDATIONS[1], ents[25], Channel.PAPER)):
            self.recommendation(self.heza, ent, row, at_local(self.wd(offset), 14, 10), channel, None)

    def newsletters(self) -> None:
        """Seed 003's issue 01.2023 as it happened, and this quarter's issue with late units (R10)."""
        units = self.units
        old = self.add(NewsletterIssue(organizer=self.heza, number="01.2023", year=2023, quarter=1,
                                       deadline=date(2023, 3, 20), editor_unit=units["ttxt"],
                                       published_on=date(2023, 3, 31)))
        on_time_days = [date(2023, 3, d) for d in (13, 14, 15, 16, 17, 20)]
        for i, row in enumerate(C.ISSUE_01_2023):
            day = date(2023, 3, 22 + i % 2) if i in C.ISSUE_01_2023_LATE else on_time_days[i % len(on_time_days)]
            old.assignments.append(self.article(i + 1, row, at_local(day, 10 + i % 6, 0)))

        quarter = (self.today.month - 1) // 3 + 1
        number = f"{quarter:02d}.{self.today.year}"
        if number == old.number:
            return
        deadline = self.wd(-3)
        issue = self.add(NewsletterIssue(organizer=self.heza, number=number, year=self.today.year, quarter=quarter,
                                         deadline=deadline, editor_unit=units["ttxt"]))
        for i, (row, state) in enumerate(C.current_issue_rows(quarter, self.today.year)):
            submitted = {"on_time": at_local(self.wd(-1 - i % 2, deadline), 15, 0),
                         "late_submitted": at_local(self.wd(2, deadline), 9, 30)}.get(state)
            issue.assignments.append(self.article(i + 1, row, submitted))

    def article(self, position: int, row: C.ArticleRow, submitted_dt: datetime | None) -> ArticleAssignment:
        words = None
        if submitted_dt is not None:
            planned = rules.planned_words(row.pages) or 700
            words = int(planned * self.rng.uniform(0.85, 1.1))
        return ArticleAssignment(position=position, section=row.section, topic=row.topic, unit=self.units[row.unit],
                                 article_count=row.count, pages=row.pages, submitted_dt=submitted_dt,
                                 word_count=words)

    def hotline(self) -> None:
        """The hotline log of seed 002 (fictional callers and duty officers), due by R11."""
        s = self.heza.settings()
        for i, row in enumerate(C.HOTLINE):
            received_on = self.wd(row.received)
            received_dt = at_local(received_on, 8 + i % 8, (11 * i) % 60)
            deadline = rules.hotline_response_due(received_dt, row.kind, s)
            channel = HotlineChannel(row.channel)
            officer = D.DUTY_OFFICERS[i % 2] if channel in (HotlineChannel.HOTLINE, HotlineChannel.IN_PERSON) \
                else "Văn phòng (quản trị trang, hộp thư)"
            item = HotlineItem(
                organizer=self.heza, channel=channel, kind=HotlineKind(row.kind), person_name=row.person,
                contact=row.contact, content=row.content, received_dt=received_dt, duty_officer=officer,
                assigned_unit=self.units[row.unit] if row.unit else None, status=HotlineStatus(row.status),
                due_on=deadline.due, due_basis=deadline.explain()[:500],
            )
            if row.response:
                item.response = row.response
                item.responded_dt = at_local(self.wd(2, received_on), 16, 0)
            self.add(item)

    def outreach(self) -> None:
        """The ward's digital posts for six months with one finished month empty (R9); topic proposals (R12)."""
        ttdv = self.units["ttdv"]
        titles = iter(C.POST_TITLES * 3)
        first_of_month = self.today.replace(day=1)
        for back in range(6):
            if back == 2:
                continue  # a finished month without any post: R9 is not met
            year, month = divmod(first_of_month.year * 12 + first_of_month.month - 1 - back, 12)
            month += 1
            for n, day in enumerate((5, 18)[: 1 + back % 2]):
                posted_on = date(year, month, day)
                if posted_on > self.today:
                    continue
                channel, title = next(titles)
                url = f"https://phulien.{D.DEMO_DOMAIN}/tin-tuc/{year}-{month:02d}-{n + 1}"
                if channel == "radio":
                    url = ""
                self.add(DigitalPost(organizer=self.ward, unit=ttdv, channel=PostChannel(channel), title=title,
                                     url=url, posted_on=posted_on))

        start = min(date(self.today.year, 1, 2), self.today)
        span = max((self.today - start).days, 0)
        for i, (who, addressee, topic, text) in enumerate(C.TOPIC_PROPOSALS):
            received_on = start + timedelta(days=span * (2 * i + 1) // (2 * len(C.TOPIC_PROPOSALS)))
            proposal = TopicProposal(year=rules.dialogue_plan_year(received_on), addressee=Addressee(addressee),
                                     topic=topic, content=text, received_dt=at_local(received_on, 10, 0))
            kind, key = who.split(":", 1)
            if kind == "ent":
                ent = self.enterprises[key]
                proposal.enterprise, proposal.proposer_name, proposal.tax_code = ent, ent.name, ent.tax_code
                proposal.email, proposal.phone = ent.email, ent.phone
                proposal.confirmed_dt = at_local(received_on, 11, 0)
            else:
                unit = self.units[key]
                proposal.unit, proposal.proposer_name, proposal.email = unit, unit.name, unit.email_list[0]
            self.add(proposal)

    # -- accounts

    def users(self, make_password: Any) -> None:
        """The four demo logins, created or reset, each with a fresh random password."""
        labels = {Role.ADMIN: "Quản trị hệ thống", Role.OFFICER: "Cán bộ nghiệp vụ",
                  Role.UNIT: "Cán bộ đơn vị (Phòng DN&GSĐT)", Role.VIEWER: "Chỉ xem"}
        for email, name, role, unit_key in D.DEMO_USERS:
            user = self.session.scalar(sa.select(User).where(User.email == email)) or self.add(User(email=email))
            password = make_password()
            user.name, user.role = name, Role(role)
            user.unit = self.units[unit_key] if unit_key else None
            user.active, user.failed_logins, user.locked_until_dt = True, 0, None
            user.set_password(password)
            self.result.logins.append((labels[Role(role)], email, password))


# --------------------------------------------------------------------------- counting and the command

_COUNTED: tuple[tuple[str, Any], ...] = (
    ("organizers", Organizer), ("units", Unit), ("zones", Zone), ("enterprises", Enterprise),
    ("conferences", Conference), ("registrations", Registration), ("recommendations", Recommendation),
    ("tasks", Task), ("reports", Report), ("announcements", Announcement), ("issues", NewsletterIssue),
    ("articles", ArticleAssignment), ("hotline", HotlineItem), ("posts", DigitalPost),
    ("proposals", TopicProposal), ("users", User),
)


def count_rows(session: Session) -> dict[str, int]:
    """How many rows each demo table holds."""
    return {name: session.scalar(sa.select(sa.func.count()).select_from(model)) or 0 for name, model in _COUNTED}


def has_data(session: Session) -> bool:
    """Whether the directory or conferences hold anything (a demo would collide with it)."""
    return any(session.scalar(sa.select(sa.literal(1)).select_from(model).limit(1)) is not None
               for model in (Organizer, Unit, Zone, Enterprise, Conference))


def wipe(session: Session) -> None:
    """Delete every row except the calendar overrides, inside the caller's transaction."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_ON_RESET]
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            session.execute(table.delete())


def overdue_counts(session: Session, today: date) -> tuple[int, int]:
    """Open recommendations and hotline items already past their due date on ``today``."""
    from heza.hotline.models import HOTLINE_OPEN
    from heza.recommendations.models import OPEN_STATUSES

    recs = session.scalar(sa.select(sa.func.count()).select_from(Recommendation).where(
        Recommendation.status.in_(OPEN_STATUSES), Recommendation.due_on < today)) or 0
    hot = session.scalar(sa.select(sa.func.count()).select_from(HotlineItem).where(
        HotlineItem.status.in_(HOTLINE_OPEN), HotlineItem.due_on < today)) or 0
    return recs, hot


def load_demo(session: Session, today: date, make_password: Any) -> LoadResult:
    """Add the whole demo for the load day ``today`` to ``session`` and flush; the caller commits."""
    loader = DemoLoader(session, today)
    result = loader.load()
    loader.users(make_password)
    session.flush()
    result.counts = count_rows(session)
    result.links = sample_links(loader.collecting)
    return result


def sample_links(conference: Conference) -> list[tuple[str, str]]:
    """Personal pages to try: an enterprise already registered for ``conference`` and one not yet."""
    from heza.conferences.links import make_token

    registered = {r.enterprise_id for r in conference.registrations}
    invited = [i.enterprise for i in conference.invitations if i.enterprise is not None]
    picks = [next((e for e in invited if e.id in registered), None), next((e for e in invited
                                                                          if e.id not in registered), None)]
    return [(f"{e.name} ({'đã' if e.id in registered else 'chưa'} đăng ký)",
             f"{DEV_URL}/doanh-nghiep/{make_token(conference.id, e.id)}") for e in picks if e is not None]


def write_login_file(instance: Path, result: LoadResult) -> Path:
    """``<instance>/demo-login.txt``, readable by its owner only, for ``heza dev`` to print again."""
    path = instance / LOGIN_FILE
    lines = [f"# Tài khoản dữ liệu mẫu heza (nạp ngày {_fmt(result.today)}); mật khẩu ngẫu nhiên, chỉ dùng thử."]
    lines += [f"{label}: {email} / {password}" for label, email, password in result.logins]
    lines += [f"Trang doanh nghiệp (đường dẫn cá nhân) – {what}: {url}" for what, url in result.links]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    path.chmod(0o600)  # the file may have existed with wider rights
    return path


def summary(result: LoadResult, session: Session, login_file: Path) -> str:
    """What was loaded, in Vietnamese, and how to log in."""
    c = result.counts
    late_recs, late_hotline = overdue_counts(session, result.today)
    day = workdays.explain_day(result.today)
    kind = "ngày làm việc" if day.is_working else f"ngày nghỉ: {day.reason}"
    lines = [
        f"Đã nạp dữ liệu mẫu cho ngày {_fmt(result.today)} ({workdays.weekday_name_vi(result.today)}, {kind}):",
        f"  - {c['organizers']} đơn vị tổ chức, {c['units']} cơ quan/đơn vị, {c['zones']} KCN/KKT, "
        f"{c['enterprises']} doanh nghiệp, HTX, hộ kinh doanh",
        f"  - {c['conferences']} hội nghị, {c['registrations']} đăng ký tham dự, {c['tasks']} nhiệm vụ đơn vị, "
        f"{c['reports']} báo cáo:",
    ]
    lines += [f"      · {conf.title} ({conf.organizer.short_name}), ngày {_fmt(conf.held_on)}: {text}"
              for conf, text in result.conferences]
    lines += [
        f"  - {c['recommendations']} kiến nghị ({late_recs} quá hạn), {c['hotline']} phản ánh qua đường dây nóng "
        f"({late_hotline} quá hạn)",
        f"  - {c['issues']} số bản tin với {c['articles']} tin bài được giao, {c['posts']} tin trên nền tảng số, "
        f"{c['proposals']} đề xuất nội dung đối thoại",
        "",
        f"Đăng nhập (make run hoặc heza dev, rồi mở {DEV_URL}/admin/):",
    ]
    lines += [f"  {label}: {email} / {password}" for label, email, password in result.logins]
    lines += [f"  Trang doanh nghiệp (đường dẫn cá nhân) – {what}: {url}" for what, url in result.links]
    lines.append(f"Thông tin đăng nhập đã lưu vào {login_file} (chỉ chủ sở hữu đọc được).")
    return "\n".join(lines)


def _random_password() -> str:
    import secrets

    return secrets.token_urlsafe(12)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Bỏ qua nếu cơ sở dữ liệu đã có dữ liệu (do nothing if data exists).")
@click.option("--reset", is_flag=True,
              help="Xóa toàn bộ dữ liệu (trừ điều chỉnh lịch làm việc) rồi nạp lại (delete all data first).")
@click.option("--yes", is_flag=True, help="Không hỏi xác nhận khi dùng --reset (no confirmation prompt).")
@click.option("--today", "today_", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày nạp YYYY-MM-DD; mọi ngày trong dữ liệu mẫu tính từ ngày này (default: today in Hai Phong).")
@with_appcontext
def demo_command(if_empty: bool, reset: bool, yes: bool, today_: datetime | None) -> None:
    """Nạp dữ liệu mẫu, mọi ngày tính từ ngày nạp (load demo data dated relative to the load day)."""
    if if_empty and reset:
        raise click.UsageError("Không dùng --if-empty cùng --reset (--if-empty and --reset exclude each other).")
    today = today_.date() if today_ else local_today()
    if today.year - 1 < workdays.FIRST_YEAR or today.year + 1 > workdays.LAST_YEAR:
        raise click.UsageError(f"Ngày nạp phải trong các năm {workdays.FIRST_YEAR + 1}–{workdays.LAST_YEAR - 1} "
                               f"của lịch làm việc (the load day must lie inside the working-day calendar).")
    session = db.session
    if has_data(session):
        if if_empty:
            click.echo("Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu (data exists, nothing loaded).")
            return
        if not reset:
            raise click.ClickException(
                "Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống. Dùng --if-empty để bỏ "
                "qua, hoặc --reset để xóa toàn bộ rồi nạp lại (the database is not empty).")
        if not yes:
            click.confirm("Xóa TOÀN BỘ dữ liệu hiện có (trừ điều chỉnh lịch làm việc) rồi nạp dữ liệu mẫu?",
                          abort=True)
    try:
        if reset:
            wipe(session)
        result = load_demo(session, today, _random_password)
        session.commit()
    except Exception:
        session.rollback()
        raise
    login_file = write_login_file(Path(current_app.instance_path), result)
    click.echo(summary(result, session, login_file))


def read_login_file(instance: Path) -> str | None:
    """The demo logins written by ``heza demo``, or None if there are none."""
    path = instance / LOGIN_FILE
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
