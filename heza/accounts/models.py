"""Users with a role (admin, supervisor, officer, unit, viewer), their organizer, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.directory.models import Language, Organizer, Unit
from heza.extensions import db
from heza.search import Searchable
from heza.validation import clean_email

_hasher = PasswordHasher()


class Role(LabelledEnum):
    ADMIN = "admin", _l("Quản trị hệ thống")
    OFFICER = "officer", _l("Cán bộ nghiệp vụ")
    UNIT = "unit", _l("Cán bộ đơn vị")
    VIEWER = "viewer", _l("Chỉ xem")
    # UBND TP's office or the Department of Finance: reads every organizer's work, changes nothing.
    SUPERVISOR = "supervisor", _l("Giám sát (thành phố)")


# Roles that see every organizer; everyone else belongs to one organizer and sees only its work.
CITY_WIDE_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.SUPERVISOR})


class User(TimestampMixin, Searchable, db.Model):
    """Someone who logs in to the admin; unit users see only their unit's items."""

    __tablename__ = "users"
    __search_fields__ = ("email", "name")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role, name="user_role"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    organizer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True
    )
    language: Mapped[Language] = mapped_column(enum_column(Language, name="user_language"), default=Language.VI)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit | None] = relationship()
    organizer: Mapped[Organizer | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("role <> 'unit' OR unit_id IS NOT NULL", name="unit_user_has_unit"),
        sa.CheckConstraint("role IN ('admin', 'supervisor') OR organizer_id IS NOT NULL",
                           name="staff_has_organizer"),
    )

    def __init__(self, **kwargs: Any) -> None:
        # Unit staff belong to their unit's organizer unless told otherwise.
        unit = kwargs.get("unit")
        if unit is not None and kwargs.get("organizer") is None and kwargs.get("organizer_id") is None:
            kwargs["organizer"] = unit.organizer
        super().__init__(**kwargs)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @validates("email")
    def _check_email(self, _key: str, value: str) -> str:
        return clean_email(value).lower()

    def membership_problem(self) -> str | None:
        """Why this account's organizer and unit do not fit its role, in Vietnamese; None when they do.

        Admins and supervisors are city-wide; everyone else belongs to one organizer, and unit staff
        to one of that organizer's units (a city agency with no organizer fits any).
        """
        from flask_babel import gettext as _

        organizer_id = self.organizer.id if self.organizer is not None else self.organizer_id
        if self.role == Role.UNIT and self.unit is None:
            return _("Cán bộ đơn vị phải được gắn với một đơn vị.")
        if self.role not in CITY_WIDE_ROLES and organizer_id is None:
            return _("Tài khoản vai trò này phải thuộc một đơn vị tổ chức (chỉ quản trị và giám sát thành phố "
                     "không thuộc đơn vị nào).")
        if self.role == Role.UNIT and self.unit is not None and self.unit.organizer_id not in (None, organizer_id):
            return _("Đơn vị được chọn không thuộc đơn vị tổ chức của tài khoản.")
        return None

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class AuditEvent(Searchable, db.Model):
    """Who created, changed or deleted which record, when, and what changed."""

    __tablename__ = "audit_events"
    __search_fields__ = ("summary", "actor", "record_id", "model")

    id: Mapped[int] = mapped_column(primary_key=True)
    at_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    action: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    model: Mapped[str] = mapped_column(sa.String(80), nullable=False, index=True)
    record_id: Mapped[str] = mapped_column(sa.String(40), default="", nullable=False)
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("action IN ('create', 'update', 'delete', 'action')", name="action_known"),
    )
