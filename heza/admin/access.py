"""Who is asking, and the access rules every admin screen shares (``read_roles``, ``write_roles``).

A supervisor (the city's People's Committee office or Department of Finance) reads every screen a
viewer reads, across all organizers, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Response, abort, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_login import current_user

from heza.accounts.models import Role

READERS: frozenset[Role] = frozenset({Role.ADMIN, Role.OFFICER, Role.VIEWER})
WRITERS: frozenset[Role] = frozenset({Role.ADMIN, Role.OFFICER})




def current_role() -> Role | None:
    """The logged-in, active user's role, or None."""
    # The proxy resolved once: the menu asks every screen's ``is_accessible`` on each page, and each
    # attribute read through ``current_user`` resolves the proxy again.
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user.role


def current_unit_id() -> int | None:
    return getattr(current_user, "unit_id", None) if current_role() is not None else None


def login_redirect() -> Response:
    """To the login page, coming back here afterwards (the path only: never another site)."""
    path = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=path))


class AccessMixin:
    """``is_accessible`` and ``inaccessible_callback`` from ``read_roles``, shared by all views."""

    read_roles: Collection[Role] = READERS
    write_roles: Collection[Role] = WRITERS

    def is_accessible(self) -> bool:
        role = current_role()
        if role == Role.SUPERVISOR:  # reads what a viewer reads, everywhere
            return Role.SUPERVISOR in self.read_roles or Role.VIEWER in self.read_roles
        return role is not None and role in self.read_roles

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if current_role() is None:
            return login_redirect()
        abort(403)

    def can_write(self) -> bool:
        """Whether the current user's role may change things on this screen."""
        role = current_role()
        return role is not None and role in self.write_roles

    def is_unit_user(self) -> bool:
        return current_role() == Role.UNIT


class ProtectedView(AccessMixin, BaseView):
    """A custom admin page (``@expose``) readable by ``read_roles``."""


class ProtectedIndexView(AccessMixin, AdminIndexView):
    """An admin home with the same access rules (the dashboard builds on it)."""

    read_roles = frozenset(Role)

