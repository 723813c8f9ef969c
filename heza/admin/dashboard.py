"""The admin home (``/admin``): upcoming conferences, overdue items per unit, on-time answers, charts.

The figures (:mod:`heza.admin.dashboard_figures`) are those of the logged-in person's organizer
(officers, unit staff, viewers), of the whole city for admins and supervisors; unit staff see the
same page restricted to their unit. City-wide readers get a link to the City overview
(:mod:`heza.overview`). The page also registers the scheduler warning shown by
``templates/admin/heza_master.html`` on every admin page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_admin
from flask import url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import tenancy
from heza.accounts.models import Role
from heza.admin.base import ProtectedIndexView, current_role, current_unit_id
from heza.admin.charts import Bar, BarChart, bar_chart  # noqa: F401  (re-exported)
from heza.admin.dashboard_figures import (  # noqa: F401  (re-exported)
    OVERDUE_KINDS,
    AnswerRate,
    OverdueRow,
    Step,
    Upcoming,
    answer_rates,
    conference_steps,
    overdue_by_unit,
    overdue_chart,
    recommendations_by_field,
    recommendations_by_unit,
    upcoming_conferences,
)
from heza.base import local_today, now_utc
from heza.overview.queries import year_checks

OVERVIEW_ENDPOINT = "overview"


def viewer_unit_id() -> int | None:
    """The unit a unit user is restricted to; ``None`` for every other role."""
    return current_unit_id() if current_role() == Role.UNIT else None


def scope_label(viewer: tenancy.Viewer) -> str:
    """Whose figures the page shows: the whole city, or the person's organizer."""
    if viewer.city_wide:
        return _("Toàn thành phố")
    if viewer.organizer_id is None:
        return ""
    from heza.directory.models import Organizer
    from heza.extensions import db

    organizer = db.session.get(Organizer, viewer.organizer_id)
    return organizer.name if organizer is not None else ""


class DashboardView(ProtectedIndexView):
    """The admin home page (``/admin/``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("name", _l("Tổng quan"))
        kwargs.setdefault("template", "admin/dashboard.html")
        super().__init__(**kwargs)

    @expose("/")
    def index(self) -> str:
        today = local_today()
        viewer = tenancy.current_viewer()
        unit_id = viewer_unit_id()
        overdue = overdue_by_unit(today, viewer, unit_id)
        overall, per_unit = answer_rates(today, viewer, unit_id)
        return self.render(
            self._template,
            today=today,
            unit_id=unit_id,
            city_wide=viewer.city_wide,
            scope_label=scope_label(viewer),
            overview_url=self.overview_url(),
            upcoming=upcoming_conferences(today, viewer, unit_id),
            overdue=overdue,
            overdue_kinds=OVERDUE_KINDS,
            overdue_chart=overdue_chart(overdue),
            answer_rate=overall,
            answer_rates=per_unit,
            by_field=recommendations_by_field(viewer, unit_id),
            by_unit=recommendations_by_unit(viewer, unit_id),
            r8=[(org, check) for org, check in year_checks(today.year, viewer).values() if check is not None],
        )

    def overview_url(self) -> str | None:
        """The City overview's address when it is registered and this person may open it."""
        for view in getattr(self.admin, "_views", []):
            if getattr(view, "endpoint", None) == OVERVIEW_ENDPOINT and view.is_accessible():
                return url_for(f"{OVERVIEW_ENDPOINT}.index")
        return None

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
