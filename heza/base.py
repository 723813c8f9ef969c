"""Shared building blocks of the models: UTC instants, local dates, labelled choices, mixins."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from heza.config import LOCAL_TZ

LOCAL_ZONE = ZoneInfo(LOCAL_TZ)


def now_utc() -> datetime:
    """The current instant, timezone-aware in UTC (what the database stores)."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in Hai Phong (deadlines are local dates)."""
    return datetime.now(LOCAL_ZONE).date()


def to_local(dt: datetime) -> datetime:
    """An instant shown in Hai Phong time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(LOCAL_ZONE)


def local_date_of(dt: datetime) -> date:
    """The Hai Phong calendar date on which an instant fell."""
    return to_local(dt).date()


def end_of_local_day(d: date) -> datetime:
    """The last instant of local day ``d`` as UTC (a cutoff "by the end of d")."""
    return datetime(d.year, d.month, d.day, 23, 59, 59, 999999, tzinfo=LOCAL_ZONE).astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC instant on every backend.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    given back their UTC tzinfo on the way out; naive datetimes are refused
    because their meaning (local or UTC?) is a guess.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use heza.base.now_utc() or an aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LabelledEnum(str, enum.Enum):
    """A stored string choice with a translated label: ``PLANNED = "planned", _l("Dự kiến")``."""

    label: Any

    def __new__(cls, value: str, label: Any = None) -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label if label is not None else value
        return obj

    def __str__(self) -> str:
        return str(self.value)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self.label)))

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        return [(m.value, m.label) for m in cls]


def enum_column(enum_cls: type[LabelledEnum], *, name: str) -> sa.Enum:
    """A portable enum column: a VARCHAR with a CHECK constraint listing the values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class ExtensionMixin:
    """A reasoned extension of an item's counted deadline: the new date, why, who and when.

    Recorded through :func:`heza.deadlines.extend`; the rule's date is still computed (and shown)
    but the item is due on ``extended_to``, and recomputation never overwrites it.
    """

    extended_to: Mapped[date | None] = mapped_column(sa.Date)
    extension_reason: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    extended_by: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    extended_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TimestampMixin:
    """Creation and last-change instants, in UTC."""

    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    updated_dt: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=now_utc, onupdate=now_utc, nullable=False
    )
