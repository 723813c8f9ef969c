"""The outbox table: one row per email, unique by idempotency key."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heza.base import LabelledEnum, UTCDateTime, enum_column, now_utc
from heza.extensions import db
from heza.search import Searchable


class EmailStatus(LabelledEnum):
    PENDING = "pending", _l("Chờ gửi")
    SENDING = "sending", _l("Đang gửi")
    SENT = "sent", _l("Đã gửi")
    FAILED = "failed", _l("Gửi lỗi")
    WITHDRAWN = "withdrawn", _l("Đã thu hồi")


class OutboundEmail(Searchable, db.Model):
    """An email to one recipient (plus copies), rendered when enqueued and delivered later."""

    __tablename__ = "outbound_emails"
    __search_fields__ = ("to_addr", "to_name", "subject", "key")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False, index=True)
    to_addr: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    to_name: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    cc: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    text_body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    html_body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    language: Mapped[str] = mapped_column(sa.String(5), default="vi", nullable=False)
    message_id: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    conference_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="SET NULL"), index=True
    )
    # The organizer it speaks for; NULL for the system's own mail (accounts), which only admins see.
    organizer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus, name="email_status"), default=EmailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    last_error: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False, index=True)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attachments: Mapped[list[OutboundAttachment]] = relationship(
        back_populates="email", cascade="all, delete-orphan", order_by="OutboundAttachment.id"
    )

    __table_args__ = (
        # What delivery scans every minute: pending rows whose time has come.
        sa.Index("ix_outbound_emails_status_next", "status", "next_attempt_dt"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_addr}"


class OutboundAttachment(db.Model):
    """A file sent with an email (the invitation's .ics)."""

    __tablename__ = "outbound_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbound_emails.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)

    email: Mapped[OutboundEmail] = relationship(back_populates="attachments")


class OverdueAlert(db.Model):
    """One overdue alert counted for one item (its ``n``-th), so the ladder counts what was sent.

    An alert email groups every overdue item of a unit, so the email's key cannot say which
    items it covered; this row does. ``item`` names the item, e.g. ``recommendation:12`` or
    ``posts:3:2026-01``.
    """

    __tablename__ = "overdue_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    n: Mapped[int] = mapped_column(nullable=False)
    sent_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    email_key: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)

    __table_args__ = (sa.UniqueConstraint("item", "n"), sa.CheckConstraint("n >= 0", name="n_not_negative"))

    def __str__(self) -> str:
        return f"{self.item} #{self.n + 1}"
