"""Digital-channel posts (R9) and dialogue topic proposals for the annual plan (R12)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.directory.models import Enterprise, Organizer, Unit
from heza.extensions import db
from heza.search import Searchable
from heza.validation import clean_email, clean_tax_code


class PostChannel(LabelledEnum):
    PORTAL = "portal", _l("Cổng thông tin điện tử")
    ZALO = "zalo", _l("Zalo OA")
    FACEBOOK = "facebook", _l("Facebook")
    RADIO = "radio", _l("Hệ thống phát thanh")


class Addressee(LabelledEnum):
    CITY_CHAIRMAN = "city_chairman", _l("Chủ tịch UBND thành phố")
    HEZA_HEAD = "heza_head", _l("Người đứng đầu đơn vị tổ chức")


class DigitalPost(TimestampMixin, Searchable, db.Model):
    """Enterprise news posted on a digital channel; a ward posts at least once a month (R9)."""

    __tablename__ = "digital_posts"
    __search_fields__ = ("title", "url")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    channel: Mapped[PostChannel] = mapped_column(enum_column(PostChannel, name="post_channel"))
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    url: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    posted_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)

    organizer: Mapped[Organizer] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def __str__(self) -> str:
        return self.title


class TopicProposal(TimestampMixin, Searchable, db.Model):
    """A dialogue topic proposed by an enterprise or unit to the chair (R12)."""

    __tablename__ = "topic_proposals"
    __search_fields__ = ("proposer_name", "tax_code", "topic", "content", "email")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organizer whose chair receives the proposal (its annual dialogue plan).
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(nullable=False, index=True)
    addressee: Mapped[Addressee] = mapped_column(enum_column(Addressee, name="proposal_addressee"))
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    proposer_name: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    tax_code: Mapped[str | None] = mapped_column(sa.String(14))
    email: Mapped[str] = mapped_column(sa.String(254), default="", nullable=False)
    phone: Mapped[str] = mapped_column(sa.String(50), default="", nullable=False)
    topic: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    received_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    confirmed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organizer: Mapped[Organizer] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def __str__(self) -> str:
        return self.topic

    @validates("tax_code")
    def _check_tax_code(self, _key: str, value: str | None) -> str | None:
        return clean_tax_code(value) if value else None

    @validates("email")
    def _check_email(self, _key: str, value: str | None) -> str:
        return clean_email(value) if value else ""
