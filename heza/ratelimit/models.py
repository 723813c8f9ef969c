"""Rate-limit counters shared by every web process (public forms, login throttling)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from heza.base import UTCDateTime
from heza.extensions import db


class RateLimitHit(db.Model):
    """How many requests one key made in one fixed window (see :mod:`heza.public.ratelimit`)."""

    __tablename__ = "rate_limit_hits"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    count: Mapped[int] = mapped_column(nullable=False, default=0)

    __table_args__ = (sa.Index("ix_rate_limit_hits_window_start", "window_start"),)

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
