"""The hotline intake log (seed 002): received on working days, assigned, answered without omission (R11)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heza import references
from heza.accounts.models import User
from heza.base import ExtensionMixin, LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
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


class LegalStage(LabelledEnum):
    """The stages a complaint or a denunciation goes through by law (issue 15); None for the other kinds."""

    RECEIVED = "received", _l("Tiếp nhận, chờ thụ lý")
    ACCEPTED = "accepted", _l("Đã thụ lý")
    REFUSED = "refused", _l("Không thụ lý")
    VERIFIED = "verified", _l("Đã xác minh")
    RESOLVED = "resolved", _l("Đã giải quyết")
    TRANSFERRED = "transferred", _l("Đã chuyển cơ quan có thẩm quyền")


LEGAL_KINDS = (HotlineKind.COMPLAINT, HotlineKind.DENUNCIATION)
LEGAL_OPEN = (LegalStage.RECEIVED, LegalStage.ACCEPTED, LegalStage.VERIFIED)
LEGAL_CLOSED = (LegalStage.REFUSED, LegalStage.RESOLVED, LegalStage.TRANSFERRED)


class HotlineItem(ExtensionMixin, TimestampMixin, Searchable, db.Model):
    """One contact through the hotline, the Facebook page, in person or by email."""

    __tablename__ = "hotline_items"
    # Not the person's name or contact: a search must not reveal who sent a denunciation (issue 15).
    __search_fields__ = ("reference", "content", "response")
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
    # Complaints and denunciations (issue 15): their legal stage, dates and the officer in charge.
    legal_stage: Mapped[LegalStage | None] = mapped_column(
        enum_column(LegalStage, name="hotline_legal_stage"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    accepted_on: Mapped[date | None] = mapped_column(sa.Date)
    complex_case: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    remote_area: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    extensions: Mapped[int] = mapped_column(default=0, server_default="0")
    extended_due_on: Mapped[date | None] = mapped_column(sa.Date)
    stage_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="", nullable=False)
    decision_on: Mapped[date | None] = mapped_column(sa.Date)
    transferred_to: Mapped[str] = mapped_column(sa.String(300), default="", server_default="", nullable=False)
    source_recommendation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="SET NULL"), index=True
    )

    organizer: Mapped[Organizer] = relationship()
    assigned_unit: Mapped[Unit | None] = relationship()
    officer: Mapped[User | None] = relationship()
    events: Mapped[list[HotlineEvent]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="HotlineEvent.id"
    )

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

    @property
    def is_legal(self) -> bool:
        """A complaint or a denunciation: handled by the stages and periods of law."""
        return self.kind in LEGAL_KINDS


class HotlineEvent(db.Model):
    """One step in the life of a hotline item: a stage, an extension, a reclassification, a notice."""

    __tablename__ = "hotline_events"
    __tenant__ = "item"  # see heza/tenancy.py: the item's organizer

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("hotline_items.id", ondelete="CASCADE"), index=True)
    at_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    actor: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    action: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    due_on: Mapped[date | None] = mapped_column(sa.Date)

    item: Mapped[HotlineItem] = relationship(back_populates="events")

    def __str__(self) -> str:
        return f"{self.action} {self.at_dt:%d/%m/%Y %H:%M}"


references.install(HotlineItem, "PA")
