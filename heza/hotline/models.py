"""The hotline intake log (seed 002): received on working days, assigned, answered without omission (R11)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heza import references
from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.search import Searchable


class HotlineChannel(LabelledEnum):
    HOTLINE = "hotline", _l("Đường dây nóng")
    FACEBOOK = "facebook", _l("Trang Facebook")
    IN_PERSON = "in_person", _l("Trực tiếp")
    EMAIL = "email", _l("Email")


class HotlineKind(LabelledEnum):
    FEEDBACK = "feedback", _l("Phản ánh")
    RECOMMENDATION = "recommendation", _l("Kiến nghị")
    COMPLAINT = "complaint", _l("Khiếu nại")
    DENUNCIATION = "denunciation", _l("Tố cáo")


class HotlineStatus(LabelledEnum):
    RECEIVED = "received", _l("Mới tiếp nhận")
    ASSIGNED = "assigned", _l("Đã phân công")
    IN_PROGRESS = "in_progress", _l("Đang xử lý")
    ANSWERED = "answered", _l("Đã phản hồi")
    CLOSED = "closed", _l("Đã kết thúc")


HOTLINE_OPEN = (HotlineStatus.RECEIVED, HotlineStatus.ASSIGNED, HotlineStatus.IN_PROGRESS)


class HotlineItem(TimestampMixin, Searchable, db.Model):
    """One contact through the hotline, the Facebook page, in person or by email."""

    __tablename__ = "hotline_items"
    __search_fields__ = ("reference", "person_name", "contact", "content", "response")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    channel: Mapped[HotlineChannel] = mapped_column(enum_column(HotlineChannel, name="hotline_channel"))
    kind: Mapped[HotlineKind] = mapped_column(enum_column(HotlineKind, name="hotline_kind"), index=True)
    person_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    contact: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    received_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False, index=True)
    duty_officer: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    assigned_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[HotlineStatus] = mapped_column(
        enum_column(HotlineStatus, name="hotline_status"), default=HotlineStatus.RECEIVED, index=True
    )
    response: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    responded_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    due_basis: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)

    organizer: Mapped[Organizer] = relationship()
    assigned_unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "status NOT IN ('answered', 'closed') OR responded_dt IS NOT NULL", name="answered_has_date"
        ),
        sa.CheckConstraint("length(content) > 0", name="content_given"),
    )

    def __str__(self) -> str:
        return self.reference or f"#{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in HOTLINE_OPEN


references.install(HotlineItem, "PA")
