"""Every open item with a due date, gathered for the overdue alerts and the daily digest.

One grouped query per kind of item (never one per item), each item with the unit that owes it:

- R5 recommendations not answered (responsible unit, else the organizer's lead unit);
- R3 decisions owed: a conference whose quorum was missed, neither postponed, cancelled nor
  recorded as going ahead anyway (the lead unit), due on the quorum check day and chased after it
  until an officer decides, also once the conference day has passed;
- R6 result reports and R3 postpone/cancel reports not submitted (their unit, else the lead unit;
  a postpone/cancel report no longer once the organizer decided to go ahead anyway);
- R7 conclusion notices not published after a held conference (the organizer's office);
- R4 conference tasks not done (their unit);
- R9 months without a post on digital channels, for organizers whose plan sets R9 (the unit that
  posted last, else the organizer's office, else its lead unit);
- R10 newsletter articles not submitted for an unpublished issue (the assigned unit, else the
  issue's editor, else the organizer's office);
- R11 hotline items still open (the assigned unit, else the organizer's office, which monitors).

Every due date is the one stored with the item (:mod:`heza.deadlines`) or one from
:mod:`heza.rules`; nothing here computes a deadline.
"""

from __future__ import annotations

import calendar as _calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from heza import rules
from heza.conferences import decisions, states
from heza.conferences.models import (
    Announcement,
    AnnouncementKind,
    Conference,
    ConferenceStatus,
    Report,
    ReportKind,
    Task,
)
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, LEGAL_KINDS, HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outreach.models import DigitalPost
from heza.recommendations.models import OPEN_STATUSES, Recommendation

KIND_LABELS: dict[str, Any] = {
    "recommendation": _l("Trả lời kiến nghị (R5)"),
    "decision": _l("Quyết định hoãn, dừng hoặc vẫn tổ chức hội nghị chưa đủ điều kiện (R3)"),
    "report": _l("Gửi báo cáo (R3, R6)"),
    "conclusion": _l("Đăng thông báo kết luận hội nghị (R7)"),
    "task": _l("Nhiệm vụ chuẩn bị hội nghị (R4)"),
    "posts": _l("Đăng tin bài trên nền tảng số hằng tháng (R9)"),
    "article": _l("Gửi tin bài cho Bản tin (R10)"),
    "hotline": _l("Xử lý thông tin qua đường dây nóng (R11)"),
    "legal": _l("Giải quyết khiếu nại, tố cáo (thời hạn theo luật)"),
    "milestone": _l("Mốc thời gian hội nghị (R1, R2)"),
}


@dataclass(frozen=True)
class DueItem:
    """One open item with its due date and the unit that owes it."""

    item: str  # stable id, e.g. "recommendation:12" (the overdue ladder counts per item)
    kind: str
    due: date
    organizer: Organizer
    unit: Unit | None
    title: str
    reference: str = ""
    before: date | None = None  # the conference the item prepares: its first alert comes the day before at the latest

    @property
    def kind_label(self) -> Any:
        return KIND_LABELS[self.kind]


def _unit_options() -> tuple[Any, ...]:
    return (selectinload(Unit.supervisor),)


def _organizers() -> dict[int, Organizer]:
    rows = db.session.scalars(
        sa.select(Organizer).options(
            selectinload(Organizer.lead_unit).selectinload(Unit.supervisor),
            selectinload(Organizer.office_unit).selectinload(Unit.supervisor),
            selectinload(Organizer.plans),  # every organizer's settings read its plans
        )
    )
    return {o.id: o for o in rows}


def open_items(today: date, *, until: date, organizer_id: int | None = None) -> list[DueItem]:
    """Open items due on or before ``until`` (including every overdue one), sorted by due date."""
    organizers = _organizers()
    items: list[DueItem] = []
    items += _recommendations(until, organizers)
    items += _decisions(today, until, organizers)
    items += _reports(until, organizers)
    items += _conclusions(until, organizers)
    items += _tasks(until, organizers)
    items += _posts(today, until, organizers)
    items += _articles(until, organizers)
    items += _hotline(until, organizers)
    if organizer_id is not None:
        items = [i for i in items if i.organizer.id == organizer_id]
    return sorted(items, key=lambda i: (i.due, i.kind, i.item))


def _recommendations(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    rows = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.status.in_(OPEN_STATUSES), Recommendation.due_on.isnot(None),
               Recommendation.due_on <= until)
        .options(selectinload(Recommendation.responsible_unit).selectinload(Unit.supervisor),
                 selectinload(Recommendation.enterprise))
    )
    result = []
    for rec in rows:
        organizer = organizers[rec.organizer_id]
        title = f"{rec.enterprise.name}: {rec.content}" if rec.enterprise else rec.content
        result.append(DueItem(f"recommendation:{rec.id}", "recommendation", rec.due_on, organizer,
                              rec.responsible_unit or organizer.lead_unit, _short(title), rec.reference or ""))
    return result


def _reports(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    rows = db.session.scalars(
        sa.select(Report)
        .outerjoin(Conference, Report.conference_id == Conference.id)
        .where(Report.submitted_dt.is_(None), Report.due_on.isnot(None), Report.due_on <= until,
               # a result report once the conference was held; a postpone/cancel report while it still matters
               sa.or_(Report.kind != ReportKind.RESULT, Conference.status == ConferenceStatus.HELD),
               sa.or_(Report.kind != ReportKind.POSTPONE_CANCEL,
                      sa.and_(Conference.status != ConferenceStatus.HELD, Conference.quorum_waived_dt.is_(None))))
        .options(selectinload(Report.responsible_unit).selectinload(Unit.supervisor))
    )
    return [DueItem(f"report:{r.id}", "report", r.due_on, organizers[r.organizer_id],
                    r.responsible_unit or organizers[r.organizer_id].lead_unit, _short(r.title))
            for r in rows]


def _decisions(today: date, until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    """R3: the conferences whose missed quorum waits for the organizer's decision."""
    rows = db.session.scalars(
        sa.select(Conference).where(states.scheduled_filter(), Conference.quorum_waived_dt.is_(None))
        .order_by(Conference.held_on, Conference.id)
    )
    result = []
    for conference in rows:
        organizer = organizers[conference.organizer_id]
        settings = conference.settings()
        if not settings.applies("R3"):
            continue
        due = rules.quorum_check_date(conference.held_on, settings).due
        if due > min(today, until) or decisions.quorum_missed(conference, today) is None:
            continue
        result.append(DueItem(f"decision:{conference.id}:{conference.held_on:%Y-%m-%d}", "decision", due,
                              organizer, organizer.lead_unit, _short(str(conference))))
    return result


def _conclusions(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    published = sa.select(Announcement.conference_id).where(
        Announcement.kind == AnnouncementKind.CONCLUSION_NOTICE, Announcement.published_dt.isnot(None))
    rows = db.session.scalars(
        sa.select(Conference).where(Conference.status == ConferenceStatus.HELD, Conference.id.not_in(published))
        .options(selectinload(Conference.organizer))
    )
    result = []
    for conference in rows:
        organizer = organizers[conference.organizer_id]
        due = rules.conclusion_due(conference.held_on, conference.settings()).due
        if due <= until:
            result.append(DueItem(f"conclusion:{conference.id}", "conclusion", due, organizer,
                                  organizer.office_unit or organizer.lead_unit, _short(str(conference))))
    return result


def _tasks(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    rows = db.session.scalars(
        sa.select(Task)
        .outerjoin(Conference, Task.conference_id == Conference.id)
        .where(Task.done_dt.is_(None), Task.due_on.isnot(None), Task.due_on <= until,
               # a conference task matters until the conference (then the held job closes the chapter)
               sa.or_(Task.conference_id.is_(None), states.scheduled_filter()))
        .options(selectinload(Task.unit).selectinload(Unit.supervisor), selectinload(Task.conference))
    )
    result = []
    for task in rows:
        organizer_id = task.conference.organizer_id if task.conference else task.unit.organizer_id
        if organizer_id is None:
            continue
        result.append(DueItem(f"task:{task.id}", "task", task.due_on, organizers[organizer_id], task.unit,
                              _short(task.description),
                              before=task.conference.held_on if task.conference is not None else None))
    return result


def _months(today: date, until: date) -> list[tuple[int, int]]:
    """The month before ``today``'s and every month ending by ``until`` (R9 is judged per month)."""
    first = date(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1, 1)
    months = []
    y, m = first.year, first.month
    while date(y, m, _calendar.monthrange(y, m)[1]) <= until:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _posts(today: date, until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    # R9 binds the organizers whose plan sets it (the wards' plans do), whatever their kind.
    bound = {o.id: s for o in organizers.values() if (s := o.settings()).applies("R9")}
    months = _months(today, until)
    if not bound or not months:
        return []
    start = date(*months[0], 1)
    end = max(rules.monthly_posts_due(*months[-1], s).due for s in bound.values())
    posts = db.session.execute(
        sa.select(DigitalPost.organizer_id, DigitalPost.posted_on, DigitalPost.unit_id)
        .where(DigitalPost.organizer_id.in_(list(bound)), DigitalPost.posted_on <= end)
        .order_by(DigitalPost.posted_on)
    ).all()
    days: dict[int, list[date]] = defaultdict(list)
    last_unit: dict[int, int] = {}
    for organizer_id, posted_on, unit_id in posts:
        if posted_on >= start:
            days[organizer_id].append(posted_on)
        if unit_id is not None:
            last_unit[organizer_id] = unit_id
    units = {u.id: u for u in db.session.scalars(
        sa.select(Unit).where(Unit.id.in_(set(last_unit.values()))).options(*_unit_options()))}
    result = []
    for organizer_id, settings in bound.items():
        organizer = organizers[organizer_id]
        unit = units.get(last_unit.get(organizer_id, -1)) or organizer.office_unit or organizer.lead_unit
        for y, m in months:
            if not rules.monthly_posts_met(days[organizer_id], y, m, settings):
                due = rules.monthly_posts_due(y, m, settings).due
                result.append(DueItem(f"posts:{organizer_id}:{y:04d}-{m:02d}", "posts", due, organizer, unit,
                                      f"{m:02d}/{y}"))
    return result


def _articles(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    rows = db.session.scalars(
        sa.select(ArticleAssignment)
        .join(NewsletterIssue, ArticleAssignment.issue_id == NewsletterIssue.id)
        .where(ArticleAssignment.submitted_dt.is_(None), NewsletterIssue.published_on.is_(None))
        .options(selectinload(ArticleAssignment.issue).selectinload(NewsletterIssue.editor_unit),
                 selectinload(ArticleAssignment.unit).selectinload(Unit.supervisor))
    )
    settings: dict[int, rules.Settings] = {}  # read once per organizer: each read walks its plans
    result = []
    for a in rows:
        organizer = organizers[a.issue.organizer_id]
        if organizer.id not in settings:
            settings[organizer.id] = organizer.settings()
        due = rules.article_due(a.issue.deadline, a.due_on, settings[organizer.id]).due
        if due <= until:
            unit = a.unit or a.issue.editor_unit or organizer.office_unit  # a row with no unit: its editor chases
            result.append(DueItem(f"article:{a.id}", "article", due, organizer, unit, _short(a.topic),
                                  a.issue.number))
    return result


def _hotline(until: date, organizers: dict[int, Organizer]) -> list[DueItem]:
    rows = db.session.scalars(
        sa.select(HotlineItem)
        .where(HotlineItem.status.in_(HOTLINE_OPEN), HotlineItem.due_on.isnot(None), HotlineItem.due_on <= until)
        .options(selectinload(HotlineItem.assigned_unit).selectinload(Unit.supervisor))
    )
    result = []
    for item in rows:
        organizer = organizers[item.organizer_id]
        # A complaint's or a denunciation's stage is due by law (issue 15): the content only, never the sender.
        kind = "legal" if item.kind in LEGAL_KINDS else "hotline"
        result.append(DueItem(f"hotline:{item.id}", kind, item.due_on, organizer,
                              item.assigned_unit or organizer.office_unit, _short(item.content),
                              item.reference or ""))
    return result


def _short(text: str, length: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"
