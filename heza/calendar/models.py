"""Calendar overrides: what an administrator declares about one day, winning over everything else."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from heza.base import TimestampMixin
from heza.extensions import db
from heza.search import Searchable


class CalendarOverride(TimestampMixin, Searchable, db.Model):
    """A day declared working (make-up Saturday) or not working (extra day off)."""

    __tablename__ = "calendar_overrides"
    __search_fields__ = ("note", "source")

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True, nullable=False, info={"label": _l("Ngày")})
    is_working: Mapped[bool] = mapped_column(nullable=False, info={"label": _l("Là ngày làm việc")})
    note: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="", info={"label": _l("Ghi chú")})
    source: Mapped[str] = mapped_column(
        sa.String(300), nullable=False, default="", info={"label": _l("Văn bản căn cứ")}
    )

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"
