"""Conferences, their agenda, tasks, invitations, registrations, announcements and reports."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column, now_utc
from heza.directory.models import CONFERENCE_SETTING_FIELDS, Enterprise, Organizer, Unit, Zone
from heza.extensions import db
from heza.rules import Settings
from heza.search import Searchable
from heza.validation import clean_email


class ConferenceStatus(LabelledEnum):
    PLANNED = "planned", _l("Dự kiến")
    ANNOUNCED = "announced", _l("Đã thông báo")
    HELD = "held", _l("Đã tổ chức")
    POSTPONED = "postponed", _l("Hoãn")
    CANCELLED = "cancelled", _l("Dừng")


class ConferenceFormat(LabelledEnum):
    IN_PERSON = "in_person", _l("Trực tiếp")
    ONLINE = "online", _l("Trực tuyến")
    HYBRID = "hybrid", _l("Trực tiếp kết hợp trực tuyến")


class Audience(LabelledEnum):
    ALL_ZONES = "all_zones", _l("Doanh nghiệp trong các KCN, KKT")
    ZONES = "zones", _l("Doanh nghiệp trong các khu đã chọn")
    WARD = "ward", _l("Doanh nghiệp, HTX, hộ kinh doanh trên địa bàn phường")
    INVITED = "invited", _l("Chỉ những doanh nghiệp được mời")


class Channel(LabelledEnum):
    LINK = "link", _l("Đường dẫn cá nhân")
    EMAIL = "email", _l("Email")
    PHONE = "phone", _l("Điện thoại")
    PAPER = "paper", _l("Văn bản giấy")
    IN_PERSON = "in_person", _l("Trực tiếp")
    AT_CONFERENCE = "at_conference", _l("Tại hội nghị")


class AnnouncementKind(LabelledEnum):
    INVITATION_NOTICE = "invitation_notice", _l("Thông báo tổ chức hội nghị")
    CONCLUSION_NOTICE = "conclusion_notice", _l("Thông báo kết luận")


class ReportKind(LabelledEnum):
    RESULT = "result", _l("Báo cáo kết quả hội nghị")
    POSTPONE_CANCEL = "postpone_cancel", _l("Báo cáo dừng, hoãn hội nghị")
    HOTLINE_SUMMARY = "hotline_summary", _l("Báo cáo tiếp nhận, xử lý phản ánh")
    OTHER = "other", _l("Báo cáo khác")


conference_zones = sa.Table(
    "conference_zones",
    db.metadata,
    sa.Column("conference_id", sa.ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("zone_id", sa.ForeignKey("zones.id", ondelete="RESTRICT"), primary_key=True),
)

agenda_item_units = sa.Table(
    "agenda_item_units",
    db.metadata,
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True),
)


class Conference(TimestampMixin, Searchable, db.Model):
    """A dialogue conference on a local date; every dated rule hangs off ``held_on``."""

    __tablename__ = "conferences"
    __search_fields__ = ("title", "place", "chair")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    held_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    start_time: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    end_time: Mapped[time | None] = mapped_column(sa.Time)
    place: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    format: Mapped[ConferenceFormat] = mapped_column(
        enum_column(ConferenceFormat, name="conference_format"), default=ConferenceFormat.IN_PERSON
    )
    audience: Mapped[Audience] = mapped_column(
        enum_column(Audience, name="conference_audience"), default=Audience.ALL_ZONES
    )
    status: Mapped[ConferenceStatus] = mapped_column(
        enum_column(ConferenceStatus, name="conference_status"), default=ConferenceStatus.PLANNED, index=True
    )
    status_note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    chair: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    conclusions: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    postponed_from: Mapped[date | None] = mapped_column(sa.Date)
    # iCalendar SEQUENCE: raised on every change of date or status enterprises must hear about.
    sequence: Mapped[int] = mapped_column(default=0)
    # R3 missed and the organizer decided to go ahead anyway (decisions.go_ahead_anyway); cleared
    # when the conference is postponed, since the quorum is judged again for the new day.
    quorum_waived_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quorum_waived_by: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    quorum_waiver_reason: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    # Per-conference overrides of the organizer's settings (NULL = use the organizer's).
    announce_working_days: Mapped[int | None] = mapped_column()
    cutoff_working_days: Mapped[int | None] = mapped_column()
    quorum_enterprises: Mapped[int | None] = mapped_column()
    quorum_recommendations: Mapped[int | None] = mapped_column()
    unit_task_days_before: Mapped[int | None] = mapped_column()
    answer_working_days: Mapped[int | None] = mapped_column()
    answer_coordination_working_days: Mapped[int | None] = mapped_column()
    report_working_days: Mapped[int | None] = mapped_column()
    registration_nudge_working_days: Mapped[int | None] = mapped_column()

    organizer: Mapped[Organizer] = relationship()
    zones: Mapped[list[Zone]] = relationship(secondary=conference_zones)
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    # The database cascades (ondelete CASCADE); the ORM must not null the key first.
    tasks: Mapped[list[Task]] = relationship(back_populates="conference", order_by="Task.due_on", passive_deletes=True)
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )
    announcements: Mapped[list[Announcement]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )

    __table_args__ = tuple(
        sa.CheckConstraint(f"{n} IS NULL OR {n} >= 0", name=f"{n}_not_negative")
        for n in CONFERENCE_SETTING_FIELDS
    ) + (sa.CheckConstraint("end_time IS NULL OR end_time > start_time", name="ends_after_start"),)

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def undated(self) -> bool:
        """Postponed without a new day: ``held_on`` is the day called off, not one to show as current."""
        return self.status == ConferenceStatus.POSTPONED and self.postponed_from is None

    @property
    def is_ward(self) -> bool:
        from heza.directory.models import OrganizerKind

        return self.organizer is not None and self.organizer.kind == OrganizerKind.WARD

    def settings(self) -> Settings:
        """The organizer's settings with this conference's overrides applied."""
        base = self.organizer.settings() if self.organizer else Settings()
        overrides = {n: getattr(self, n) for n in CONFERENCE_SETTING_FIELDS if getattr(self, n) is not None}
        return base.replace(**overrides)


class AgendaItem(TimestampMixin, Searchable, db.Model):
    """One line of the programme, with the units responsible for preparing it."""

    __tablename__ = "agenda_items"
    __search_fields__ = ("content", "presenter", "conference.title")
    __tenant__ = "conference"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    presenter: Mapped[str] = mapped_column(sa.String(250), default="", nullable=False)
    done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conference: Mapped[Conference] = relationship(back_populates="agenda_items")
    units: Mapped[list[Unit]] = relationship(secondary=agenda_item_units)

    __table_args__ = (sa.CheckConstraint("position >= 1", name="position_positive"),)

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:80]}"


class Task(TimestampMixin, Searchable, db.Model):
    """Work a unit owes, usually for a conference (due by R4 unless a date is set)."""

    __tablename__ = "tasks"
    __search_fields__ = ("description", "note")
    __tenant__ = "conference"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    conference_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, nullable=False)
    # Stored with its basis (DESIGN: a deadline is stored with its basis), recomputed while open.
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    due_explicit: Mapped[bool] = mapped_column(default=False)
    done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    unit: Mapped[Unit] = relationship()
    conference: Mapped[Conference | None] = relationship(back_populates="tasks")

    def __str__(self) -> str:
        return self.description[:80]


class Invitation(TimestampMixin, Searchable, db.Model):
    """Someone invited to a conference: an enterprise (personal link) or a unit, leader or outlet."""

    __tablename__ = "invitations"
    __search_fields__ = ("enterprise.name", "enterprise.tax_code", "note")
    __tenant__ = "conference"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)

    conference: Mapped[Conference] = relationship(back_populates="invitations")
    enterprise: Mapped[Enterprise | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(enterprise_id IS NULL) <> (unit_id IS NULL)", name="one_invitee"),
        sa.UniqueConstraint("conference_id", "enterprise_id"),
        sa.UniqueConstraint("conference_id", "unit_id"),
    )

    def __str__(self) -> str:
        return str(self.enterprise or self.unit)


class Registration(TimestampMixin, Searchable, db.Model):
    """An enterprise's registration to attend; counts for the quorum if received by the R2 cutoff."""

    __tablename__ = "registrations"
    __search_fields__ = ("enterprise.name", "enterprise.tax_code", "note")
    __tenant__ = "conference"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True
    )
    received_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, name="registration_channel"))
    withdrawn_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    conference: Mapped[Conference] = relationship(back_populates="registrations")
    enterprise: Mapped[Enterprise] = relationship()
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Attendee.id"
    )

    __table_args__ = (sa.UniqueConstraint("conference_id", "enterprise_id"),)

    def __str__(self) -> str:
        return str(self.enterprise)


# Check-in codes are read aloud, typed on a phone or scanned: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
CHECKIN_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CHECKIN_LENGTH = 6


def new_checkin_code() -> str:
    """A fresh code such as ``K7HQ3M`` (25**6, about 244 million: the unique key catches a repeat)."""
    import secrets

    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))


def normalise_checkin_code(text: str) -> str:
    """What someone typed (``k7hq-3m``, a scanned URL ending in the code) as a stored code."""
    import re

    return re.sub(r"[^0-9A-Za-z]", "", (text or "").rsplit("/", 1)[-1]).upper()[:12]


class Attendee(db.Model):
    """A person an enterprise registers to attend; at the door the check-in code marks them present.

    The code is unique across all conferences (so unique within each) and printed on the
    registration receipt and the enterprise's page, also as a QR code. Walk-ins are added at the
    door with ``walk_in`` set.
    """

    __tablename__ = "attendees"
    __tenant__ = "registration"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    position: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    phone: Mapped[str] = mapped_column(sa.String(50), default="", nullable=False)
    email: Mapped[str] = mapped_column(sa.String(254), default="", nullable=False)
    checkin_code: Mapped[str] = mapped_column(sa.String(12), unique=True, nullable=False,
                                              default=new_checkin_code)
    checked_in_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    walk_in: Mapped[bool] = mapped_column(default=False, nullable=False)

    registration: Mapped[Registration] = relationship(back_populates="attendees")

    __table_args__ = (sa.CheckConstraint("length(name) > 0", name="name_given"),)

    def __init__(self, **kwargs: object) -> None:
        # The code exists from the start, so a receipt rendered before the flush already shows it.
        kwargs.setdefault("checkin_code", new_checkin_code())
        super().__init__(**kwargs)

    def __str__(self) -> str:
        return self.name

    @validates("email")
    def _check_email(self, _key: str, value: str | None) -> str:
        return clean_email(value) if value else ""


class Announcement(TimestampMixin, Searchable, db.Model):
    """A notice posted on the portal and at the one-stop desk: the invitation notice (R1) or conclusion (R7)."""

    __tablename__ = "announcements"
    __search_fields__ = ("title", "body", "conference.title")
    __tenant__ = "conference"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"))
    kind: Mapped[AnnouncementKind] = mapped_column(enum_column(AnnouncementKind, name="announcement_kind"))
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    on_portal: Mapped[bool] = mapped_column(default=True)
    at_one_stop_desk: Mapped[bool] = mapped_column(default=True)
    scheduled_on: Mapped[date | None] = mapped_column(sa.Date)
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    late: Mapped[bool] = mapped_column(default=False)
    withdrawn_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a postponement rewrote the notice for the new day (the feed's "updated").
    revised_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conference: Mapped[Conference] = relationship(back_populates="announcements")

    __table_args__ = (sa.UniqueConstraint("conference_id", "kind"),)

    def __str__(self) -> str:
        return self.title


class Report(TimestampMixin, Searchable, db.Model):
    """A report owed to the City People's Committee and the Department of Finance (R3, R6) or the Office."""

    __tablename__ = "reports"
    __search_fields__ = ("title", "document_number", "recipients")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True)
    conference_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind, name="report_kind"))
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    recipients: Mapped[str] = mapped_column(
        sa.String(500), default="UBND thành phố; Sở Tài chính", nullable=False
    )
    responsible_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    document_number: Mapped[str] = mapped_column(sa.String(80), default="", nullable=False)
    drafted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organizer: Mapped[Organizer] = relationship()
    conference: Mapped[Conference | None] = relationship()
    responsible_unit: Mapped[Unit | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("conference_id", "kind"),)

    def __str__(self) -> str:
        return self.title
