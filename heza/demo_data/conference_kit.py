"""The pieces every demo conference is built from: the conference with its programme, invitations,
the invitation notice (R1), registrations, recommendations (R5), unit tasks (R4), the result report (R6)
and the conclusion notice (R7). Dates come in; every deadline comes from :mod:`heza.rules`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from heza import rules, workdays
from heza.base import local_date_of
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
from heza.demo_data import directory as D
from heza.demo_data.conference_texts import STYLES, RecommendationRow
from heza.demo_data.dates import at_local, fmt
from heza.directory.models import Enterprise, EnterpriseKind, Organizer
from heza.recommendations.models import AnswerMethod, Field, Recommendation, RecommendationStatus

if TYPE_CHECKING:
    from heza.demo_data.context import Demo


def conference(demo: Demo, organizer_key: str, title: str, held_on: date, status: ConferenceStatus,
               audience: Audience, summary: str, **kw: object) -> Conference:
    """A conference in its organizer's style, its programme's items done if it was held."""
    style = STYLES[organizer_key]
    conf = demo.add(Conference(
        organizer=demo.organizers[organizer_key], title=title, held_on=held_on, status=status, audience=audience,
        start_time=time(8, 0), end_time=time(11, 30), place=style.place, chair=style.chair,
        description=style.description, **kw,
    ))
    demo.result.conferences.append((conf, summary))
    done = at_local(held_on, 11, 30) if status == ConferenceStatus.HELD else None
    for position, (text, presenter, unit_keys) in enumerate(style.agenda, start=1):
        conf.agenda_items.append(AgendaItem(position=position, content=text, presenter=presenter,
                                            units=[demo.units[k] for k in unit_keys], done_dt=done))
    return conf


def invite(demo: Demo, conf: Conference, enterprises: Sequence[Enterprise], unit_keys: Sequence[str]) -> None:
    for ent in enterprises:
        conf.invitations.append(Invitation(enterprise=ent))
    for key in unit_keys:
        conf.invitations.append(Invitation(unit=demo.units[key]))


def invitation_notice(demo: Demo, conf: Conference, organizer_key: str, published_on: date) -> Announcement:
    """The R1 notice, published on ``published_on`` (late if after its R1 day)."""
    s = conf.settings()
    r1 = rules.announcement_date(conf.held_on, s).due
    cutoff = rules.registration_cutoff(conf.held_on, s).due
    body = (
        f"{conf.organizer.name} tổ chức {conf.title} vào hồi 08 giờ 00 ngày {fmt(conf.held_on)} "
        f"({workdays.weekday_name_vi(conf.held_on)}) tại {conf.place}.\n\n"
        f"Kính mời các {STYLES[organizer_key].invitees} đăng ký tham dự và gửi kiến nghị, khó khăn, vướng mắc qua "
        f"đường dẫn trong thư mời, qua email hoặc trực tiếp tại Bộ phận một cửa. Đăng ký và kiến nghị được tiếp nhận "
        f"đến hết ngày {fmt(cutoff)} (trước {s.cutoff_working_days} ngày làm việc diễn ra hội nghị)."
    )
    return demo.add(Announcement(
        conference=conf, kind=AnnouncementKind.INVITATION_NOTICE, title=f"Thông báo tổ chức {conf.title}",
        body=body, scheduled_on=r1, published_dt=at_local(published_on, 8, 30), late=published_on > r1,
    ))


def conclusion_notice(demo: Demo, conf: Conference, published_on: date) -> Announcement:
    """The R7 notice of a held conference, posted ``published_on``."""
    return demo.add(Announcement(
        conference=conf, kind=AnnouncementKind.CONCLUSION_NOTICE, title=f"Thông báo kết luận {conf.title}",
        body=conf.conclusions, scheduled_on=conf.held_on, published_dt=at_local(published_on, 9, 0),
    ))


def register(demo: Demo, conf: Conference, enterprises: Sequence[Enterprise], days: Sequence[date],
             channels: Sequence[Channel]) -> list[Registration]:
    """Registrations spread over ``days``, each with its contact person (and a second attendee now and then)."""
    regs = []
    for i, ent in enumerate(enterprises):
        day = days[i * len(days) // len(enterprises)]
        reg = Registration(conference=conf, enterprise=ent, channel=channels[i % len(channels)],
                           received_dt=at_local(day, 8 + i % 9, (13 * i) % 60))
        position = {EnterpriseKind.HOUSEHOLD: D.HOUSEHOLD_POSITION,
                    EnterpriseKind.COOPERATIVE: D.COOPERATIVE_POSITION}.get(ent.kind, D.POSITIONS[0])
        reg.attendees.append(Attendee(name=ent.contact_name, position=position, phone=ent.phone, email=ent.email))
        if ent.kind == EnterpriseKind.ENTERPRISE and i % 2 == 0:
            name = demo.next_person()
            reg.attendees.append(Attendee(name=name, position=D.POSITIONS[1 + i % (len(D.POSITIONS) - 1)],
                                          email=person_email(name)))
        conf.registrations.append(reg)
        regs.append(reg)
    return regs


def person_email(name: str) -> str:
    """An invented address for an invented person: the name without diacritics, on the demo domain."""
    text = name.replace("đ", "d").replace("Đ", "D")
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return ".".join(folded.lower().split()) + f"@dn.{D.DEMO_DOMAIN}"


def recommendation(demo: Demo, organizer: Organizer, enterprise: Enterprise, row: RecommendationRow,
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
        responsible_unit=demo.units[row.unit] if assign else None, needs_coordination=coordination,
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
    return demo.add(rec)


def extend(demo: Demo, rec: Recommendation, rule_due: date, working_days: int, reason: str, when: datetime) -> None:
    """A reasoned extension of an open recommendation's answer (issue 17), as an officer records it."""
    rec.extended_to = workdays.add_working_days(rule_due, working_days)
    rec.extension_reason = reason
    rec.extended_by = "Phòng Kinh tế, Hạ tầng và Đô thị (dữ liệu mẫu)"
    rec.extended_dt = when
    rec.due_on = rec.extended_to
    basis = rules.answer_due(rec.conference.held_on, rec.needs_coordination, rec.conference.settings())
    rec.due_basis = rules.extended(basis, rec.extended_to, reason, rec.extended_by,
                                   local_date_of(when)).explain()[:500]


def answered_on(row: RecommendationRow, held_on: date, written_on: date) -> date | None:
    """The day a row is answered: at the conference, in writing on ``written_on``, or not yet."""
    return {"at_conference": held_on, "in_writing": written_on}.get(row.outcome)


def tasks(demo: Demo, conf: Conference, rows: Sequence[tuple[str, str]], done_on: Sequence[date | None]) -> None:
    """The units' tasks, due by R4; ``done_on[i]`` is when row ``i`` was done (None: still open)."""
    due = rules.unit_task_due(conf.held_on, conf.settings()).due
    for (unit_key, text), done in zip(rows, done_on, strict=True):
        conf.tasks.append(Task(unit=demo.units[unit_key], description=text, due_on=due,
                               done_dt=at_local(done, 16, 0) if done else None))


def result_report(demo: Demo, conf: Conference, drafted_on: date, submitted_on: date | None = None) -> Report:
    """The R6 result report, drafted by the organizer's lead unit, submitted or not yet."""
    organizer = conf.organizer
    return demo.add(Report(
        organizer=organizer, conference=conf, kind=ReportKind.RESULT,
        title=f"Báo cáo kết quả tổ chức {conf.title}", responsible_unit=organizer.lead_unit,
        due_on=rules.report_due(conf.held_on, conf.settings()).due, drafted_dt=at_local(drafted_on, 16, 0),
        submitted_dt=at_local(submitted_on, 10, 0) if submitted_on else None,
    ))
