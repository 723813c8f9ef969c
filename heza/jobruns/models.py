"""One row per run of a scheduled job."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from heza.base import UTCDateTime, now_utc
from heza.extensions import db
from heza.search import Searchable


class JobRun(Searchable, db.Model):
    """A job's run for a ``today``: when it started and finished, what it counted, what went wrong."""

    __tablename__ = "job_runs"
    __search_fields__ = ("job", "error", "host")

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    today: Mapped[date] = mapped_column(sa.Date, nullable=False)
    started_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    host: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)

    __table_args__ = (sa.Index("ix_job_runs_job_started", "job", "started_dt"),)
