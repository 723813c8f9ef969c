"""Users with a role (admin, officer, unit, viewer) and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.directory.models import Language, Unit
from heza.extensions import db
from heza.validation import clean_email

_hasher = PasswordHasher()


class Role(LabelledEnum):
    ADMIN = "admin", _l("Quản trị hệ thống")
    OFFICER = "officer", _l("Cán bộ nghiệp vụ")
    UNIT = "unit", _l("Cán bộ đơn vị")
    VIEWER = "viewer", _l("Chỉ xem")


class User(TimestampMixin, db.Model):
    """Someone who logs in to the admin; unit users see only their unit's items."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role, name="user_role"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    language: Mapped[Language] = mapped_column(enum_column(Language, name="user_language"), default=Language.VI)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (sa.CheckConstraint("role <> 'unit' OR unit_id IS NOT NULL", name="unit_user_has_unit"),)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @validates("email")
    def _check_email(self, _key: str, value: str) -> str:
        return clean_email(value).lower()

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


class AuditEvent(db.Model):
    """Who created, changed or deleted which record, when, and what changed."""

    __tablename__ = "audit_events"

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
