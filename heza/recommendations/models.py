"""A recommendation, who answers it, and by when (R5)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heza import references
from heza.base import ExtensionMixin, LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.conferences.models import Channel, Conference
from heza.directory.models import Enterprise, Organizer, Unit
from heza.extensions import db
from heza.search import Searchable


class Field(LabelledEnum):
    INVESTMENT = "investment", _l("Đầu tư")
    PLANNING = "planning", _l("Quy hoạch, xây dựng")
    LAND = "land", _l("Đất đai")
    ENVIRONMENT = "environment", _l("Tài nguyên, môi trường")
    LABOUR = "labour", _l("Lao động, việc làm")
    TAX = "tax", _l("Thuế, phí")
    CUSTOMS = "customs", _l("Hải quan, xuất nhập khẩu")
    INFRASTRUCTURE = "infrastructure", _l("Hạ tầng, giao thông")
    FIRE_SAFETY = "fire_safety", _l("Phòng cháy chữa cháy")
    ADMINISTRATIVE = "administrative", _l("Thủ tục hành chính")
    OTHER = "other", _l("Khác")


class RecommendationStatus(LabelledEnum):
    RECEIVED = "received", _l("Mới tiếp nhận")
    ASSIGNED = "assigned", _l("Đã giao xử lý")
    ANSWERED = "answered", _l("Đã trả lời")
    WITHDRAWN = "withdrawn", _l("Doanh nghiệp rút")
    # In fact a complaint or a denunciation: handled on the hotline screen by law (issue 15),
    # never counted toward the conference's quorum nor in its result report.
    RECLASSIFIED = "reclassified", _l("Chuyển xử lý khiếu nại, tố cáo")


# Not counted toward a conference's quorum nor its result report.
NOT_COUNTED = (RecommendationStatus.WITHDRAWN, RecommendationStatus.RECLASSIFIED)


class AnswerMethod(LabelledEnum):
    AT_CONFERENCE = "at_conference", _l("Trả lời tại hội nghị")
    IN_WRITING = "in_writing", _l("Trả lời bằng văn bản")


OPEN_STATUSES = (RecommendationStatus.RECEIVED, RecommendationStatus.ASSIGNED)


class Recommendation(ExtensionMixin, TimestampMixin, Searchable, db.Model):
    """An enterprise's recommendation or difficulty, answered within 7 (or 14) working days after (R5)."""

    __tablename__ = "recommendations"
    __search_fields__ = ("reference", "content", "answer", "enterprise.name", "enterprise.tax_code")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    enterprise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True
    )
    conference_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="SET NULL"), index=True
    )
    field: Mapped[Field] = mapped_column(enum_column(Field, name="recommendation_field"), index=True)
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    received_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False, index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, name="recommendation_channel"))
    responsible_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    needs_coordination: Mapped[bool] = mapped_column(default=False)
    coordination_note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus, name="recommendation_status"),
        default=RecommendationStatus.RECEIVED,
        index=True,
    )
    answer: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    answered_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_method: Mapped[AnswerMethod | None] = mapped_column(enum_column(AnswerMethod, name="answer_method"))
    # The due date with its basis (rule R5, 7 or 14 working days); recomputed while open.
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    due_basis: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    # An optional PDF sent with the recommendation through the personal link. Kept in the database so
    # every web process on every host reads the same file; deferred so lists never load the bytes.
    attachment_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="", nullable=False)
    attachment_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    organizer: Mapped[Organizer] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    conference: Mapped[Conference | None] = relationship()
    responsible_unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "status <> 'answered' OR (answered_dt IS NOT NULL AND answer_method IS NOT NULL)",
            name="answered_has_date_and_method",
        ),
        sa.CheckConstraint("length(content) > 0", name="content_given"),
        sa.Index("ix_recommendations_status_due", "status", "due_on"),
    )

    def __str__(self) -> str:
        return self.reference or f"#{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


references.install(Recommendation, "KN")
