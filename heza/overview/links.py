"""Each figure of the City overview as a link to the admin list behind it, filtered accordingly.

A list is filtered through Flask-Admin's own URL arguments (``?flt0_3=12``). Their numbers depend
on each view's ``column_filters``, so they are looked up in the registered views (by model, column
and filter class), never written down here: a filter added to a view later moves nothing. A link
needs its list's organizer filter; the other filters narrow it where the view has them (a figure
whose list cannot be narrowed further links to the organizer's whole list). Without an organizer
filter there is no link: a list of every organizer would be the wrong answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_admin.contrib.sqla import filters as sqla_filters

from heza.conferences.models import Conference, ConferenceStatus, Report, ReportKind, Task
from heza.hotline.admin import OverdueFilter as HotlineOverdue
from heza.hotline.models import HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.overview.queries import Overview, Window
from heza.recommendations.admin import OverdueFilter as RecommendationOverdue
from heza.recommendations.models import Recommendation

ORGANIZER = object()  # stands for the row's organizer id among a link's filter values


@dataclass(frozen=True)
class Want:
    """A filter a link asks for: on ``column``, of class ``kind`` (but none of ``exclude``), with ``value``."""

    column: Any
    kind: type | tuple[type, ...]
    value: Any
    exclude: tuple[type, ...] = ()


def _column(attr: Any) -> Any:
    """The table column behind a mapped attribute (filters hold either)."""
    prop = getattr(attr, "property", None)
    columns = getattr(prop, "columns", None)
    return columns[0] if columns else attr


def _matches(flt: Any, want: Want) -> bool:
    column = getattr(flt, "column", None)
    if column is None or _column(column) is not _column(want.column):
        return False
    return isinstance(flt, want.kind) and not isinstance(flt, want.exclude)


def _view_of(admin: Any, model: Any) -> Any | None:
    for view in getattr(admin, "_views", []):
        if getattr(view, "model", None) is model:
            return view
    return None


def _between(start: date, end: date) -> str:
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


@dataclass(frozen=True)
class ListLink:
    """A resolved link: the list's endpoint and its filter arguments (``ORGANIZER`` filled per row)."""

    endpoint: str
    args: tuple[tuple[str, Any], ...]

    def url(self, organizer_id: int) -> str:
        values = {name: str(organizer_id) if value is ORGANIZER else value for name, value in self.args}
        return url_for(f"{self.endpoint}.index_view", **values)


def _arg(view: Any, want: Want) -> str | None:
    """The URL argument name (without ``fltN_``) of the view's first filter matching ``want``."""
    for index, flt in enumerate(view._filters):
        if _matches(flt, want):
            return str(view.get_filter_arg(index, flt))
    return None


def resolve(admin: Any, model: Any, organizer: Any, wants: Sequence[Want] = ()) -> ListLink | None:
    """The link to ``model``'s list filtered by organizer (``organizer``: the column to filter on) and
    by each of ``wants`` the view offers; None without the view, access to it or its organizer filter."""
    view = _view_of(admin, model)
    if view is None or not view.is_accessible() or not getattr(view, "_filters", None):
        return None
    by_organizer = _arg(view, Want(organizer, sqla_filters.FilterEqual, ORGANIZER))
    if by_organizer is None:
        return None
    args: list[tuple[str, Any]] = [(f"flt0_{by_organizer}", ORGANIZER)]
    for want in wants:
        name = _arg(view, want)
        if name is not None:
            args.append((f"flt{len(args)}_{name}", want.value))
    return ListLink(view.endpoint, tuple(args))


# --------------------------------------------------------------------------- the overview's links


def overview_links(admin: Any, overview: Overview) -> dict[str, ListLink | None]:
    """Every figure's list, resolved once for the page (then :meth:`ListLink.url` per organizer)."""
    today = overview.today
    year = overview.year
    window: Window = overview.window
    equal = sqla_filters.FilterEqual
    between = sqla_filters.DateBetweenFilter
    not_between = (sqla_filters.DateNotBetweenFilter,)
    overdue = (RecommendationOverdue, HotlineOverdue)
    links: dict[str, ListLink | None] = {
        "held": resolve(admin, Conference, Conference.organizer_id, (
            Want(Conference.status, equal, ConferenceStatus.HELD.value),
            Want(Conference.held_on, between, _between(date(year, 1, 1), date(year, 12, 31)), not_between),
        )),
        "recommendations": resolve(admin, Recommendation, Recommendation.organizer_id, (
            Want(Recommendation.due_on, overdue, "1"),
        )),
        "tasks": resolve(admin, Task, Conference.organizer_id, (
            Want(Task.due_on, sqla_filters.DateSmallerFilter, f"{today:%Y-%m-%d}"),
            Want(Task.done_dt, sqla_filters.FilterEmpty, "1"),
        )),
        "hotline": resolve(admin, HotlineItem, HotlineItem.organizer_id, (
            Want(HotlineItem.due_on, overdue, "1"),
        )),
        "articles": resolve(admin, ArticleAssignment, NewsletterIssue.organizer_id, (
            Want(ArticleAssignment.submitted_dt, sqla_filters.FilterEmpty, "1"),
        )),
        # Calling off for lack of quorum is no filter of the list: the organizer's conferences.
        "called_off": resolve(admin, Conference, Conference.organizer_id),
    }
    if window.empty:
        links["reports"] = links["answers"] = None
    else:
        judged = _between(window.start, window.end)
        links["reports"] = resolve(admin, Report, Report.organizer_id, (
            Want(Report.kind, equal, ReportKind.RESULT.value),
            Want(Report.due_on, between, judged, not_between),
        ))
        links["answers"] = resolve(admin, Recommendation, Recommendation.organizer_id, (
            Want(Recommendation.due_on, between, judged, not_between),
        ))
    return links


def row_urls(links: dict[str, ListLink | None], organizer_id: int | None) -> dict[str, str | None]:
    """The addresses of one row's figures (none for the city's total)."""
    if organizer_id is None:
        return dict.fromkeys(links)
    return {key: link.url(organizer_id) if link is not None else None for key, link in links.items()}
