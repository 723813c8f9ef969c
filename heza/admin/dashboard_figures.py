"""The figures of the admin home: upcoming conferences, overdue items per unit, on-time answers, charts.

Every figure comes from stored deadlines (``due_on``, stamped by :mod:`heza.deadlines` from
:mod:`heza.rules`) or from the rules themselves; nothing here counts days on its own. Every query
goes through :func:`heza.tenancy.scope` with the :class:`~heza.tenancy.Viewer` asking: staff of an
organizer see its figures only, admins and supervisors the whole city. Unit staff (``unit_id``)
are further restricted to their unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from heza import rules, tenancy
from heza.admin.charts import BarChart, bar_chart
from heza.conferences import states
from heza.conferences.models import Conference, Report, Task
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.overview.queries import Ratio
from heza.recommendations.models import NOT_COUNTED, OPEN_STATUSES, Field, Recommendation, RecommendationStatus
from heza.reports.timeliness import answered_on_time_sql


def _scoped(query: sa.Select[Any], model: Any, viewer: tenancy.Viewer) -> sa.Select[Any]:
    return tenancy.scope(query, model, viewer)


# --------------------------------------------------------------------------- upcoming conferences


@dataclass(frozen=True)
class Step:
    """A dated step of a conference's life, from the rules."""

    label: str
    due: date
    explanation: str


@dataclass(frozen=True)
class Upcoming:
    conference: Conference
    next_step: Step | None
    steps: tuple[Step, ...]


def conference_steps(conference: Conference) -> list[Step]:
    """The dated steps before and on the conference day (R1, R2, R4), in date order."""
    s = conference.settings()
    held = conference.held_on
    published = states.is_published(conference)
    steps: list[Step] = []
    if not published:
        d = rules.announcement_date(held, s)
        steps.append(Step(_("Đăng thông báo hội nghị (R1)"), d.due, d.explain()))
    d = rules.registration_nudge_date(held, s)
    steps.append(Step(_("Nhắc doanh nghiệp chưa đăng ký"), d.due, d.explain()))
    d = rules.registration_cutoff(held, s)
    steps.append(Step(_("Hạn đăng ký tham dự và gửi kiến nghị (R2), xét điều kiện tổ chức (R3)"), d.due, d.explain()))
    d = rules.unit_task_due(held, s)
    steps.append(Step(_("Các đơn vị hoàn thành nhiệm vụ (R4)"), d.due, d.explain()))
    steps.append(Step(_("Ngày tổ chức hội nghị"), held, ""))
    return sorted(steps, key=lambda st: st.due)


def upcoming_conferences(today: date, viewer: tenancy.Viewer, unit_id: int | None = None,
                         limit: int = 10) -> list[Upcoming]:
    """Scheduled conferences from ``today`` on, each with its next dated step; a unit sees those it has tasks in."""
    query = (
        sa.select(Conference)
        .where(Conference.held_on >= today, states.scheduled_filter())
        .order_by(Conference.held_on, Conference.id)
        .limit(limit)
    )
    query = _scoped(query, Conference, viewer)
    if unit_id is not None:
        query = query.where(Conference.id.in_(sa.select(Task.conference_id).where(Task.unit_id == unit_id)))
    found = []
    for conference in db.session.scalars(query):
        steps = conference_steps(conference)
        nxt = next((st for st in steps if st.due >= today), None)
        found.append(Upcoming(conference, nxt, tuple(steps)))
    return found


# --------------------------------------------------------------------------- overdue items per unit

OVERDUE_KINDS: tuple[tuple[str, Any], ...] = (
    ("recommendations", _l("Kiến nghị")),
    ("hotline", _l("Phản ánh qua đường dây nóng")),
    ("tasks", _l("Nhiệm vụ hội nghị")),
    ("articles", _l("Tin bài Bản tin")),
    ("reports", _l("Báo cáo")),
)


@dataclass
class OverdueRow:
    unit_id: int | None
    unit: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def settings_of(organizer_ids: Iterable[int], viewer: tenancy.Viewer) -> dict[int, rules.Settings]:
    """Each organizer's settings (its plans read in one more query), for rules that cite them."""
    ids = list(organizer_ids)
    if not ids:
        return {}
    query = sa.select(Organizer).where(Organizer.id.in_(ids)).options(selectinload(Organizer.plans))
    found = {o.id: o.settings() for o in db.session.scalars(_scoped(query, Organizer, viewer))}
    return {i: found.get(i, rules.Settings()) for i in ids}


def _grouped(query: sa.Select[Any]) -> dict[int | None, int]:
    return {unit: count for unit, count in db.session.execute(query)}


def overdue_by_unit(today: date, viewer: tenancy.Viewer, unit_id: int | None = None) -> list[OverdueRow]:
    """Open items past their stored due date, counted per responsible unit (most overdue first)."""

    def scoped(query: sa.Select[Any], model: Any, column: Any) -> sa.Select[Any]:
        query = _scoped(query, model, viewer)
        return query.where(column == unit_id) if unit_id is not None else query

    per_kind: dict[str, dict[int | None, int]] = {}
    rec = Recommendation.responsible_unit_id
    per_kind["recommendations"] = _grouped(scoped(
        sa.select(rec, sa.func.count()).where(Recommendation.status.in_(OPEN_STATUSES),
                                              Recommendation.due_on < today).group_by(rec), Recommendation, rec))
    hot = HotlineItem.assigned_unit_id
    per_kind["hotline"] = _grouped(scoped(
        sa.select(hot, sa.func.count()).where(HotlineItem.status.in_(HOTLINE_OPEN),
                                              HotlineItem.due_on < today).group_by(hot), HotlineItem, hot))
    per_kind["tasks"] = _grouped(scoped(
        sa.select(Task.unit_id, sa.func.count()).where(Task.done_dt.is_(None), Task.due_on < today)
        .group_by(Task.unit_id), Task, Task.unit_id))
    rep = Report.responsible_unit_id
    per_kind["reports"] = _grouped(scoped(
        sa.select(rep, sa.func.count()).where(Report.submitted_dt.is_(None), Report.due_on < today)
        .group_by(rep), Report, rep))
    # An article's due date is its own or the issue's (R10): asked of the rule, per open assignment.
    articles: Counter[int | None] = Counter()
    open_articles = scoped(
        sa.select(ArticleAssignment.unit_id, ArticleAssignment.due_on, NewsletterIssue.deadline,
                  NewsletterIssue.organizer_id)
        .join(NewsletterIssue, ArticleAssignment.issue_id == NewsletterIssue.id)
        .where(ArticleAssignment.submitted_dt.is_(None)), ArticleAssignment, ArticleAssignment.unit_id)
    open_rows = db.session.execute(open_articles).all()
    settings = settings_of({organizer_id for *_rest, organizer_id in open_rows}, viewer)
    for unit, own_due, issue_deadline, organizer_id in open_rows:
        if rules.article_due(issue_deadline, own_due, settings[organizer_id]).due < today:
            articles[unit] += 1
    per_kind["articles"] = dict(articles)

    unit_ids = {u for counts in per_kind.values() for u in counts}
    names = unit_names((u for u in unit_ids if u is not None), viewer)
    rows = []
    for unit in unit_ids:
        label = names.get(unit, "") if unit is not None else _("Chưa giao đơn vị")
        rows.append(OverdueRow(unit, label, {k: per_kind[k].get(unit, 0) for k, _label in OVERDUE_KINDS}))
    return sorted((r for r in rows if r.total), key=lambda r: (-r.total, r.unit))


def overdue_chart(rows: Sequence[OverdueRow]) -> BarChart:
    return bar_chart(_("Việc quá hạn theo đơn vị"), [(r.unit, r.total) for r in rows])


# --------------------------------------------------------------------------- answers on time


@dataclass
class AnswerRate(Ratio):
    """Answered recommendations judged against the due date stored when they were answered (``judged``),
    beside the open ones."""

    open_overdue: int = 0
    open_in_time: int = 0

    @property
    def answered(self) -> int:
        return self.judged

    def add(self, other: Ratio) -> None:
        super().add(other)
        if isinstance(other, AnswerRate):
            self.open_overdue += other.open_overdue
            self.open_in_time += other.open_in_time


def answer_rates(today: date, viewer: tenancy.Viewer, unit_id: int | None = None
                 ) -> tuple[AnswerRate, list[tuple[str, AnswerRate]]]:
    """The on-time answer rate overall and per responsible unit (counted by the database, one row per unit)."""
    dialect = db.session.get_bind(mapper=sa.inspect(Recommendation)).dialect.name
    answered = sa.and_(Recommendation.status == RecommendationStatus.ANSWERED, Recommendation.answered_dt.isnot(None))
    overdue = sa.and_(sa.not_(answered), Recommendation.due_on.isnot(None), Recommendation.due_on < today)

    def total(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    query = sa.select(Recommendation.responsible_unit_id, sa.func.count(), total(answered),
                      total(sa.and_(answered, answered_on_time_sql(Recommendation.answered_dt, Recommendation.due_on,
                                                                   dialect))),
                      total(overdue)).where(Recommendation.status.notin_(NOT_COUNTED))
    query = _scoped(query, Recommendation, viewer).group_by(Recommendation.responsible_unit_id)
    if unit_id is not None:
        query = query.where(Recommendation.responsible_unit_id == unit_id)
    overall = AnswerRate()
    per_unit: dict[int | None, AnswerRate] = {}
    for unit, rows, answered_n, on_time, overdue_n in db.session.execute(query):
        rate = AnswerRate(on_time=int(on_time), judged=int(answered_n), open_overdue=int(overdue_n),
                          open_in_time=int(rows) - int(answered_n) - int(overdue_n))
        per_unit[unit] = rate
        overall.add(rate)
    names = unit_names((u for u in per_unit if u is not None), viewer)
    rows = [(names.get(u, "") if u is not None else _("Chưa giao đơn vị"), r) for u, r in per_unit.items()]
    return overall, sorted(rows, key=lambda row: row[0])


def unit_names(ids: Iterable[int], viewer: tenancy.Viewer) -> dict[int, str]:
    """Unit id -> its name; city-wide readers also read whose unit it is ("Văn phòng (HEZA)")."""
    ids = list(ids)
    if not ids:
        return {}
    query = _scoped(sa.select(Unit).where(Unit.id.in_(ids)), Unit, viewer)
    if viewer.city_wide:
        query = query.options(selectinload(Unit.organizer))
    names = {}
    for unit in db.session.scalars(query):
        owner = unit.organizer if viewer.city_wide else None
        names[unit.id] = f"{unit} ({owner})" if owner is not None else str(unit)
    return names


# --------------------------------------------------------------------------- recommendations by field, unit


def recommendations_by_field(viewer: tenancy.Viewer, unit_id: int | None = None) -> BarChart:
    query = _scoped(sa.select(Recommendation.field, sa.func.count()).group_by(Recommendation.field),
                    Recommendation, viewer)
    if unit_id is not None:
        query = query.where(Recommendation.responsible_unit_id == unit_id)
    labels = {f: str(f.label) for f in Field}
    rows = [(labels.get(Field(value), str(value)), count) for value, count in db.session.execute(query)]
    return bar_chart(_("Kiến nghị theo lĩnh vực"), rows)


def recommendations_by_unit(viewer: tenancy.Viewer, unit_id: int | None = None) -> BarChart:
    col = Recommendation.responsible_unit_id
    query = _scoped(sa.select(col, sa.func.count()).group_by(col), Recommendation, viewer)
    if unit_id is not None:
        query = query.where(col == unit_id)
    counts = list(db.session.execute(query))
    names = unit_names((u for u, _n in counts if u is not None), viewer)
    rows = [(names.get(u, "") if u is not None else _("Chưa giao đơn vị"), n) for u, n in counts]
    return bar_chart(_("Kiến nghị theo đơn vị xử lý"), rows)
