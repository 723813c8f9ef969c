"""Organizers as tenants: whose records a person may see, in one place.

Every model that belongs to an organizer says how, with one class attribute:

* ``__tenant__ = "organizer_id"``: a column holding the organizer's id (``"id"`` on the organizer);
* ``__tenant__ = "conference"``: a many-to-one relationship to a model that itself belongs to one.

``__tenant_shared_if_null__ = True`` makes rows without an organizer readable by everyone (city
agencies, leaders and media are units of no organizer). Models without ``__tenant__`` are shared
(enterprises, zones, the calendar).

Admins and supervisors are city-wide; every other person sees the rows of their own organizer
only, and a person with no organizer sees none. Every admin list, export, filter, look-up, form
choice, dashboard figure and report goes through :func:`scope` (DESIGN.md, "Organizers as tenants").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from heza.accounts.models import CITY_WIDE_ROLES, Role

Q = TypeVar("Q")


@dataclass(frozen=True)
class Viewer:
    """Who is asking: role, organizer and unit (all None for nobody)."""

    role: Role | None = None
    organizer_id: int | None = None
    unit_id: int | None = None

    @property
    def city_wide(self) -> bool:
        return self.role in CITY_WIDE_ROLES

    @property
    def read_only(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.VIEWER, None)


NOBODY = Viewer()
SYSTEM = Viewer(role=Role.ADMIN)  # jobs and the CLI act for the whole city


def current_viewer() -> Viewer:
    """The logged-in, active user of this request as a :class:`Viewer` (:data:`NOBODY` outside one)."""
    from flask import has_request_context
    from flask_login import current_user

    if not has_request_context():
        return NOBODY
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOBODY
    return Viewer(role=user.role, organizer_id=user.organizer_id, unit_id=user.unit_id)


def is_owned(model: Any) -> bool:
    """Whether rows of ``model`` belong to an organizer (as opposed to shared by all)."""
    return getattr(model, "__tenant__", None) is not None


def organizer_column(model: Any) -> Any | None:
    """The column holding the organizer's id directly, or None (shared, or owned through a parent)."""
    spec = getattr(model, "__tenant__", None)
    if spec is None:
        return None
    attr = getattr(model, spec)
    return attr if not hasattr(attr.property, "mapper") else None


def owned_by(model: Any, organizer_id: int) -> ColumnElement[bool] | None:
    """The SQL condition "this row belongs to ``organizer_id``" for ``model`` (None when shared)."""
    spec = getattr(model, "__tenant__", None)
    if spec is None:
        return None
    attr = getattr(model, spec)
    prop = attr.property
    if not hasattr(prop, "mapper"):  # a column
        condition = attr == organizer_id
        if getattr(model, "__tenant_shared_if_null__", False):
            condition = sa.or_(condition, attr.is_(None))
        return condition
    parent = prop.mapper.class_
    inner = owned_by(parent, organizer_id)
    (local, remote), *_ = prop.local_remote_pairs
    if inner is None:
        return None
    return local.in_(sa.select(remote).where(inner))


def visible(model: Any, viewer: Viewer) -> ColumnElement[bool] | None:
    """The condition limiting ``model`` to what ``viewer`` may see; None means no limit."""
    if not is_owned(model) or viewer.city_wide:
        return None
    if viewer.organizer_id is None:  # never "IS NULL": that would show every unowned row
        return sa.false()
    return owned_by(model, viewer.organizer_id)


def scope(query: Q, model: Any, viewer: Viewer) -> Q:
    """``query`` (a legacy Query or a ``select``) limited to the rows of ``model`` ``viewer`` may see."""
    condition = visible(model, viewer)
    if condition is None:
        return query
    if isinstance(query, sa.Select):
        return query.where(condition)
    return query.filter(condition)  # type: ignore[attr-defined]


def organizer_id_of(row: Any) -> int | None:
    """The id of the organizer ``row`` belongs to (None when shared or not yet linked)."""
    model = type(row)
    spec = getattr(model, "__tenant__", None)
    if spec is None:
        return None
    value = getattr(row, spec)
    if value is None or isinstance(value, int):
        return value
    return organizer_id_of(value)


def may_change(row: Any, viewer: Viewer) -> bool:
    """Whether ``viewer``'s organizer owns ``row``: a shared row of no organizer (a city agency) is changed by
    city-wide people only, so a ward cannot move it into its own organizer or rewrite it for everyone."""
    if not is_owned(type(row)) or viewer.city_wide:
        return True
    owner = organizer_id_of(row)
    return owner is not None and owner == viewer.organizer_id


def may_see(row: Any, viewer: Viewer) -> bool:
    """Whether ``viewer`` may see ``row`` (checked in Python, for a row already loaded)."""
    if not is_owned(type(row)) or viewer.city_wide:
        return True
    owner = organizer_id_of(row)
    if owner is None:
        return bool(getattr(type(row), "__tenant_shared_if_null__", False))
    return viewer.organizer_id is not None and owner == viewer.organizer_id
