"""Organizers with their rule settings, units, industrial and economic zones, enterprises."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, enum_column
from heza.extensions import db
from heza.search import Searchable
from heza.validation import clean_email, clean_email_list, clean_slug, clean_tax_code, slugify, split_emails

if TYPE_CHECKING:
    from heza.plans.models import Plan
    from heza.rules import Settings


class OrganizerKind(LabelledEnum):
    AUTHORITY = "authority", _l("Ban Quản lý Khu kinh tế")
    WARD = "ward", _l("Phường, xã")
    DEPARTMENT = "department", _l("Sở, ngành thành phố")


class UnitKind(LabelledEnum):
    DEPARTMENT = "department", _l("Phòng, đơn vị thuộc Ban")
    WARD_UNIT = "ward_unit", _l("Đơn vị thuộc phường")
    CITY_AGENCY = "city_agency", _l("Cơ quan thành phố")
    LEADER = "leader", _l("Lãnh đạo")
    MEDIA = "media", _l("Cơ quan báo chí, truyền thông")
    ORGANISATION = "organisation", _l("Tổ chức đoàn thể")


class ZoneKind(LabelledEnum):
    INDUSTRIAL = "industrial", _l("Khu công nghiệp")
    ECONOMIC = "economic", _l("Khu kinh tế")


class EnterpriseKind(LabelledEnum):
    ENTERPRISE = "enterprise", _l("Doanh nghiệp")
    COOPERATIVE = "cooperative", _l("Hợp tác xã")
    HOUSEHOLD = "household", _l("Hộ kinh doanh")


class Language(LabelledEnum):
    VI = "vi", _l("Tiếng Việt")
    EN = "en", _l("Tiếng Anh")


def _positive(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=f"{column}_not_negative")


# The rule settings of DOMAIN.md: name -> (default, label). Organizers hold them,
# conferences may override the conference-level ones (nullable columns of the same name).
SETTING_FIELDS: dict[str, tuple[int, object]] = {
    "announce_working_days": (7, _l("Đăng thông báo trước hội nghị (ngày làm việc)")),
    "cutoff_working_days": (5, _l("Hạn đăng ký, kiến nghị trước hội nghị (ngày làm việc)")),
    "quorum_enterprises": (15, _l("Số doanh nghiệp đăng ký tối thiểu")),
    "quorum_recommendations": (5, _l("Số kiến nghị tối thiểu")),
    "unit_task_days_before": (3, _l("Đơn vị hoàn thành nhiệm vụ trước hội nghị (ngày)")),
    "answer_working_days": (7, _l("Trả lời kiến nghị sau hội nghị (ngày làm việc)")),
    "answer_coordination_working_days": (14, _l("Trả lời kiến nghị cần phối hợp (ngày làm việc)")),
    "report_working_days": (7, _l("Gửi báo cáo kết quả sau hội nghị (ngày làm việc)")),
    "registration_nudge_working_days": (2, _l("Nhắc đăng ký trước hạn (ngày làm việc)")),
}
CONFERENCE_SETTING_FIELDS = tuple(SETTING_FIELDS)

ORGANIZER_ONLY_FIELDS: dict[str, tuple[int, object]] = {
    "min_conferences_per_year": (2, _l("Số hội nghị tối thiểu mỗi năm")),
    "min_posts_per_month": (1, _l("Số tin bài trên nền tảng số tối thiểu mỗi tháng")),
    "overdue_repeat_working_days": (2, _l("Nhắc lại cảnh báo quá hạn sau (ngày làm việc)")),
    "hotline_feedback_working_days": (5, _l("Hạn xử lý phản ánh (ngày làm việc)")),
    "hotline_recommendation_working_days": (7, _l("Hạn xử lý kiến nghị qua đường dây nóng (ngày làm việc)")),
    "hotline_complaint_working_days": (10, _l("Hạn xử lý khiếu nại (ngày làm việc)")),
    "hotline_denunciation_working_days": (10, _l("Hạn xử lý tố cáo (ngày làm việc)")),
    "proposal_rollover_month": (12, _l("Đề xuất nội dung đối thoại nhận từ tháng này thuộc kế hoạch năm sau")),
    "proposal_rollover_day": (1, _l("… từ ngày này của tháng đó")),
}


class Organizer(TimestampMixin, Searchable, db.Model):
    """The tenant: HEZA, a ward or a city department, with its identity, its plans and its settings.

    Every record of its work (conferences, recommendations, hotline items, newsletter, posts,
    reports) carries its id; it speaks to enterprises in its own name (``name``, ``parent_body``,
    address, contacts, signer) and cites its own plans (:class:`heza.plans.models.Plan`).
    """

    __tablename__ = "organizers"
    __search_fields__ = ("name", "short_name", "email", "slug")
    __tenant__ = "id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    short_name: Mapped[str] = mapped_column(sa.String(50), unique=True, nullable=False)
    kind: Mapped[OrganizerKind] = mapped_column(enum_column(OrganizerKind, name="organizer_kind"))
    # In a document header the parent body stands over the organizer's own name, both in capitals:
    # "UBND THÀNH PHỐ HẢI PHÒNG" over "BAN QUẢN LÝ KHU KINH TẾ".
    parent_body: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    header_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    # Part of the public addresses (/o/<slug>/...): lower-case letters, digits and hyphens.
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True, nullable=False)
    # The place of the "Hải Phòng, ngày ..." line and the symbol of document numbers ("Số: .../BC-BQL").
    place_name: Mapped[str] = mapped_column(sa.String(100), default="Hải Phòng", nullable=False)
    document_symbol: Mapped[str] = mapped_column(sa.String(30), default="", nullable=False)
    address: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    phone: Mapped[str] = mapped_column(sa.String(50), default="", nullable=False)
    email: Mapped[str] = mapped_column(sa.String(254), default="", nullable=False)
    # The signature block: "KT. TRƯỞNG BAN" / "PHÓ TRƯỞNG BAN" / the signer's name.
    signer_authority: Mapped[str] = mapped_column(sa.String(120), default="", nullable=False)
    signer_title: Mapped[str] = mapped_column(sa.String(120), default="", nullable=False)
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    # The unit that collects recommendations and drafts reports (DN&GSĐT at HEZA, the
    # economic dept in a ward) and the office that publishes and monitors (Văn phòng).
    lead_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", use_alter=True, ondelete="SET NULL")
    )
    office_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", use_alter=True, ondelete="SET NULL")
    )

    announce_working_days: Mapped[int] = mapped_column(default=7)
    cutoff_working_days: Mapped[int] = mapped_column(default=5)
    quorum_enterprises: Mapped[int] = mapped_column(default=15)
    quorum_recommendations: Mapped[int] = mapped_column(default=5)
    unit_task_days_before: Mapped[int] = mapped_column(default=3)
    answer_working_days: Mapped[int] = mapped_column(default=7)
    answer_coordination_working_days: Mapped[int] = mapped_column(default=14)
    report_working_days: Mapped[int] = mapped_column(default=7)
    registration_nudge_working_days: Mapped[int] = mapped_column(default=2)
    min_conferences_per_year: Mapped[int] = mapped_column(default=2)
    min_posts_per_month: Mapped[int] = mapped_column(default=1)
    overdue_repeat_working_days: Mapped[int] = mapped_column(default=2)
    hotline_feedback_working_days: Mapped[int] = mapped_column(default=5)
    hotline_recommendation_working_days: Mapped[int] = mapped_column(default=7)
    hotline_complaint_working_days: Mapped[int] = mapped_column(default=10)
    hotline_denunciation_working_days: Mapped[int] = mapped_column(default=10)
    proposal_rollover_month: Mapped[int] = mapped_column(default=12)
    proposal_rollover_day: Mapped[int] = mapped_column(default=1)

    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id], post_update=True)
    office_unit: Mapped[Unit | None] = relationship(foreign_keys=[office_unit_id], post_update=True)
    units: Mapped[list[Unit]] = relationship(
        back_populates="organizer", foreign_keys="Unit.organizer_id", order_by="Unit.name"
    )
    # Read once per organizer and session: every deadline asks for the plan it cites.
    plans: Mapped[list[Plan]] = relationship(back_populates="organizer", order_by="Plan.year",
                                             passive_deletes=True)

    __table_args__ = tuple(_positive(name) for name in (*SETTING_FIELDS, *ORGANIZER_ONLY_FIELDS)) + (
        sa.CheckConstraint("overdue_repeat_working_days >= 1", name="overdue_repeat_positive"),
    )

    def __str__(self) -> str:
        return self.short_name or self.name

    @validates("email")
    def _check_email(self, _key: str, value: str | None) -> str:
        return clean_email(value) if value else ""

    @validates("slug")
    def _check_slug(self, _key: str, value: str | None) -> str:
        return clean_slug(value)

    def __init__(self, **kwargs: object) -> None:
        # A slug is derived from the short name unless one is given (admins may change it).
        if not kwargs.get("slug"):
            kwargs["slug"] = slugify(str(kwargs.get("short_name") or kwargs.get("name") or ""))
        super().__init__(**kwargs)

    @property
    def header_lines(self) -> tuple[str, str]:
        """The two lines of a document header: parent body, then the organizer's own name (capitals)."""
        return (self.parent_body.upper(), (self.header_name or self.name).upper())

    @property
    def signature_lines(self) -> tuple[str, ...]:
        """The signature block as it is printed: authority line, title line, name (the empty ones left out)."""
        return tuple(line for line in (self.signer_authority, self.signer_title, self.signer_name) if line)

    def settings(self) -> Settings:
        """The organizer's own rule settings, with the rules its plans set and how to cite them."""
        from heza.rules import Settings

        names = (*SETTING_FIELDS, *ORGANIZER_ONLY_FIELDS)
        values = {n: getattr(self, n) for n in names if getattr(self, n) is not None}
        return Settings(**values, **self.plan_basis())

    def plan_basis(self) -> dict[str, object]:
        """``basis`` and ``rules_applied`` for :class:`heza.rules.Settings`, read from the active plans."""
        from heza.plans.models import basis_of

        return basis_of(self)


class Unit(TimestampMixin, Searchable, db.Model):
    """A department, ward unit, city agency, leader or media outlet that receives emails."""

    __tablename__ = "units"
    __search_fields__ = ("name", "short_name", "emails")
    __tenant__ = "organizer_id"  # see heza/tenancy.py
    __tenant_shared_if_null__ = True  # city agencies, leaders, media: every organizer invites them

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    short_name: Mapped[str] = mapped_column(sa.String(80), default="", nullable=False)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, name="unit_kind"))
    # Recipients, comma-separated; all receive the unit's reminders and alerts.
    emails: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    # Who is copied on this unit's overdue alerts (the department's supervisor).
    supervisor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    language: Mapped[Language] = mapped_column(enum_column(Language, name="unit_language"), default=Language.VI)
    active: Mapped[bool] = mapped_column(default=True)

    organizer: Mapped[Organizer | None] = relationship(back_populates="units", foreign_keys=[organizer_id])
    supervisor: Mapped[Unit | None] = relationship(remote_side=[id])

    __table_args__ = (sa.UniqueConstraint("organizer_id", "name"),)

    def __str__(self) -> str:
        return self.short_name or self.name

    @validates("emails")
    def _check_emails(self, _key: str, value: str | None) -> str:
        return clean_email_list(value)

    @property
    def email_list(self) -> list[str]:
        return split_emails(self.emails)


class Zone(TimestampMixin, Searchable, db.Model):
    """An industrial zone (KCN) or the Đình Vũ – Cát Hải economic zone (KKT)."""

    __tablename__ = "zones"
    __search_fields__ = ("code", "name")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True, nullable=False)
    kind: Mapped[ZoneKind] = mapped_column(enum_column(ZoneKind, name="zone_kind"))

    def __str__(self) -> str:
        return self.name


class Enterprise(TimestampMixin, Searchable, db.Model):
    """An enterprise, cooperative or household business, located in a zone or a ward."""

    __tablename__ = "enterprises"
    __search_fields__ = ("name", "tax_code", "email", "contact_name", "phone")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    kind: Mapped[EnterpriseKind] = mapped_column(
        enum_column(EnterpriseKind, name="enterprise_kind"), default=EnterpriseKind.ENTERPRISE
    )
    tax_code: Mapped[str] = mapped_column(sa.String(14), unique=True, nullable=False)
    zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("zones.id", ondelete="RESTRICT"), index=True)
    ward_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="RESTRICT"), index=True
    )
    address: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    phone: Mapped[str] = mapped_column(sa.String(50), default="", nullable=False)
    # The address invitations and answers go to; ``cc_emails`` are copied on answers only.
    email: Mapped[str] = mapped_column(sa.String(254), default="", nullable=False)
    cc_emails: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    language: Mapped[Language] = mapped_column(
        enum_column(Language, name="enterprise_language"), default=Language.VI
    )
    active: Mapped[bool] = mapped_column(default=True)

    zone: Mapped[Zone | None] = relationship()
    ward: Mapped[Organizer | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("zone_id IS NOT NULL OR ward_id IS NOT NULL", name="located"),
        sa.CheckConstraint(
            "length(tax_code) = 10 OR (length(tax_code) = 14 AND substr(tax_code, 11, 1) = '-')",
            name="tax_code_shape",
        ),
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    @validates("tax_code")
    def _check_tax_code(self, _key: str, value: str) -> str:
        return clean_tax_code(value)

    @validates("email")
    def _check_email(self, _key: str, value: str | None) -> str:
        return clean_email(value) if value else ""

    @validates("cc_emails")
    def _check_cc(self, _key: str, value: str | None) -> str:
        return clean_email_list(value)
