"""The admin home: upcoming conferences, overdue items per unit, on-time answers, recommendation charts.

Every figure comes from stored deadlines (``due_on``, stamped by :mod:`heza.deadlines` from
:mod:`heza.rules`) or from the rules themselves; nothing here counts days on its own. Unit staff
see the same page restricted to their unit. The page also registers the scheduler warning shown
by ``templates/admin/heza_master.html`` on every admin page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import flask_admin
import sqlalchemy as sa
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import rules
from heza.accounts.models import Role
from heza.admin.base import ProtectedIndexView, current_role, current_unit_id
from heza.base import local_today, now_utc
from heza.conferences import operations
from heza.conferences.models import Conference, Report, Task
from heza.directory.models import Unit
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.recommendations.admin import answered_on_time
from heza.recommendations.models import OPEN_STATUSES, Field, Recommendation, RecommendationStatus

# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal chart: its label, value and length as a share of the longest."""

    label: str
    value: int
    share: float  # 0..1 of the largest value


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn as inline SVG on the server (no script, no CDN)."""

    title: str
    bars: tuple[Bar, ...]
    label_width: int = 230
    bar_width: int = 330
    row_height: int = 26

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 8

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 60

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)


def bar_chart(title: str, rows: Iterable[tuple[str, int]]) -> BarChart:
    """A chart of ``(label, value)`` rows, largest first, zero rows left out."""
    ordered = sorted(((str(label), int(value)) for label, value in rows if value), key=lambda r: (-r[1], r[0]))
    top = max((v for _l, v in ordered), default=0)
    return BarChart(title, tuple(Bar(label, value, value / top if top else 0.0) for label, value in ordered))


# --------------------------------------------------------------------------- who is asking


def viewer_unit_id() -> int | None:
    """The unit a unit user is restricted to; ``None`` for every other role."""
    return current_unit_id() if current_role() == Role.UNIT else None


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
    published = operations.is_published(conference)
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


def upcoming_conferences(today: date, unit_id: int | None = None, limit: int = 10) -> list[Upcoming]:
    """Scheduled conferences from ``today`` on, each with its next dated step; a unit sees those it has tasks in."""
    query = (
        sa.select(Conference)
        .where(Conference.held_on >= today, operations.scheduled_filter())
        .order_by(Conference.held_on, Conference.id)
        .limit(limit)
    )
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


def _grouped(query: sa.Select[Any]) -> dict[int | None, int]:
    return {unit: count for unit, count in db.session.execute(query)}


def overdue_by_unit(today: date, unit_id: int | None = None) -> list[OverdueRow]:
    """Open items past their stored due date, counted per responsible unit (most overdue first)."""

    def scoped(query: sa.Select[Any], column: Any) -> sa.Select[Any]:
        return query.where(column == unit_id) if unit_id is not None else query

    per_kind: dict[str, dict[int | None, int]] = {}
    rec = Recommendation.responsible_unit_id
    per_kind["recommendations"] = _grouped(scoped(
        sa.select(rec, sa.func.count()).where(Recommendation.status.in_(OPEN_STATUSES),
                                              Recommendation.due_on < today).group_by(rec), rec))
    hot = HotlineItem.assigned_unit_id
    per_kind["hotline"] = _grouped(scoped(
        sa.select(hot, sa.func.count()).where(HotlineItem.status.in_(HOTLINE_OPEN),
                                              HotlineItem.due_on < today).group_by(hot), hot))
    per_kind["tasks"] = _grouped(scoped(
        sa.select(Task.unit_id, sa.func.count()).where(Task.done_dt.is_(None), Task.due_on < today)
        .group_by(Task.unit_id), Task.unit_id))
    rep = Report.responsible_unit_id
    per_kind["reports"] = _grouped(scoped(
        sa.select(rep, sa.func.count()).where(Report.submitted_dt.is_(None), Report.due_on < today)
        .group_by(rep), rep))
    # An article's due date is its own or the issue's (R10): asked of the rule, per open assignment.
    articles: Counter[int | None] = Counter()
    open_articles = scoped(
        sa.select(ArticleAssignment.unit_id, ArticleAssignment.due_on, NewsletterIssue.deadline)
        .join(NewsletterIssue, ArticleAssignment.issue_id == NewsletterIssue.id)
        .where(ArticleAssignment.submitted_dt.is_(None)), ArticleAssignment.unit_id)
    for unit, own_due, issue_deadline in db.session.execute(open_articles):
        if rules.article_due(issue_deadline, own_due).due < today:
            articles[unit] += 1
    per_kind["articles"] = dict(articles)

    unit_ids = {u for counts in per_kind.values() for u in counts}
    names = {u.id: str(u) for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(
        [u for u in unit_ids if u is not None])))}
    rows = []
    for unit in unit_ids:
        label = names.get(unit, "") if unit is not None else _("Chưa giao đơn vị")
        rows.append(OverdueRow(unit, label, {k: per_kind[k].get(unit, 0) for k, _label in OVERDUE_KINDS}))
    return sorted((r for r in rows if r.total), key=lambda r: (-r.total, r.unit))


# --------------------------------------------------------------------------- answers on time


@dataclass
class AnswerRate:
    """Answered recommendations judged against the due date stored when they were answered."""

    answered: int = 0
    on_time: int = 0
    open_overdue: int = 0
    open_in_time: int = 0

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return round(self.rate * 100) if self.rate is not None else None


def answer_rates(today: date, unit_id: int | None = None) -> tuple[AnswerRate, list[tuple[str, AnswerRate]]]:
    """The on-time answer rate overall and per responsible unit."""
    query = sa.select(Recommendation.responsible_unit_id, Recommendation.status, Recommendation.answered_dt,
                      Recommendation.due_on).where(Recommendation.status != RecommendationStatus.WITHDRAWN)
    if unit_id is not None:
        query = query.where(Recommendation.responsible_unit_id == unit_id)
    overall = AnswerRate()
    per_unit: dict[int | None, AnswerRate] = defaultdict(AnswerRate)
    for unit, status, answered_dt, due_on in db.session.execute(query):
        for rate in (overall, per_unit[unit]):
            if status == RecommendationStatus.ANSWERED and answered_dt is not None:
                rate.answered += 1
                rate.on_time += answered_on_time(answered_dt, due_on)
            elif due_on is not None and due_on < today:
                rate.open_overdue += 1
            else:
                rate.open_in_time += 1
    names = _unit_names(u for u in per_unit if u is not None)
    rows = [(names.get(u, "") if u is not None else _("Chưa giao đơn vị"), r) for u, r in per_unit.items()]
    return overall, sorted(rows, key=lambda row: row[0])


def _unit_names(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return {u.id: str(u) for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))}


# --------------------------------------------------------------------------- recommendations by field, unit


def recommendations_by_field(unit_id: int | None = None) -> BarChart:
    query = sa.select(Recommendation.field, sa.func.count()).group_by(Recommendation.field)
    if unit_id is not None:
        query = query.where(Recommendation.responsible_unit_id == unit_id)
    labels = {f: str(f.label) for f in Field}
    rows = [(labels.get(Field(value), str(value)), count) for value, count in db.session.execute(query)]
    return bar_chart(_("Kiến nghị theo lĩnh vực"), rows)


def recommendations_by_unit(unit_id: int | None = None) -> BarChart:
    col = Recommendation.responsible_unit_id
    query = sa.select(col, sa.func.count()).group_by(col)
    if unit_id is not None:
        query = query.where(col == unit_id)
    counts = list(db.session.execute(query))
    names = _unit_names(u for u, _n in counts if u is not None)
    rows = [(names.get(u, "") if u is not None else _("Chưa giao đơn vị"), n) for u, n in counts]
    return bar_chart(_("Kiến nghị theo đơn vị xử lý"), rows)


def overdue_chart(rows: Sequence[OverdueRow]) -> BarChart:
    return bar_chart(_("Việc quá hạn theo đơn vị"), [(r.unit, r.total) for r in rows])


# --------------------------------------------------------------------------- the view


class DashboardView(ProtectedIndexView):
    """The admin home page (``/admin/``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("name", _l("Tổng quan"))
        kwargs.setdefault("template", "admin/dashboard.html")
        super().__init__(**kwargs)

    @expose("/")
    def index(self) -> str:
        today = local_today()
        unit_id = viewer_unit_id()
        overdue = overdue_by_unit(today, unit_id)
        overall, per_unit = answer_rates(today, unit_id)
        return self.render(
            self._template,
            today=today,
            unit_id=unit_id,
            upcoming=upcoming_conferences(today, unit_id),
            overdue=overdue,
            overdue_kinds=OVERDUE_KINDS,
            overdue_chart=overdue_chart(overdue),
            answer_rate=overall,
            answer_rates=per_unit,
            by_field=recommendations_by_field(unit_id),
            by_unit=recommendations_by_unit(unit_id),
        )

    def create_blueprint(self, admin: flask_admin.Admin) -> Any:
        blueprint = super().create_blueprint(admin)
        # The index view's blueprint is always registered, so the banner helper reaches every page.
        blueprint.app_context_processor(scheduler_banner_context)
        return blueprint


# --------------------------------------------------------------------------- scheduler banner


def scheduler_is_stale() -> bool:
    """Whether the scheduler has not run recently (the jobs' own judgement)."""
    try:
        from heza.jobruns.runner import scheduler_stale
    except ImportError:  # the jobs package is not installed in this build
        return False
    return bool(scheduler_stale(now_utc()))


def scheduler_banner_context() -> dict[str, Callable[[], bool]]:
    """A lazy helper for templates: the database is asked only by pages that show the banner."""
    return {"heza_scheduler_stale": scheduler_is_stale}
