"""Newsletter issues and article assignments (R10: 1 A4 page = 350 words)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.search import Searchable
from heza.validation import InvalidValue

ISSUE_NUMBER_RE = r"^\d{2}\.\d{4}$"


class NewsletterIssue(TimestampMixin, Searchable, db.Model):
    """One quarterly issue, such as "01.2023", with the deadline for articles."""

    __tablename__ = "newsletter_issues"
    __search_fields__ = ("number",)
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="RESTRICT"))
    number: Mapped[str] = mapped_column(sa.String(7), nullable=False)
    year: Mapped[int] = mapped_column(nullable=False)
    quarter: Mapped[int] = mapped_column(nullable=False)
    deadline: Mapped[date] = mapped_column(sa.Date, nullable=False)
    editor_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    published_on: Mapped[date | None] = mapped_column(sa.Date)

    organizer: Mapped[Organizer] = relationship()
    editor_unit: Mapped[Unit | None] = relationship()
    assignments: Mapped[list[ArticleAssignment]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="ArticleAssignment.position"
    )

    __table_args__ = (
        sa.UniqueConstraint("organizer_id", "number"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )

    def __str__(self) -> str:
        return self.number

    @validates("number")
    def _check_number(self, _key: str, value: str) -> str:
        import re

        from flask_babel import gettext as _

        value = (value or "").strip()
        if not re.match(ISSUE_NUMBER_RE, value):
            raise InvalidValue(_("Số bản tin có dạng SS.NNNN, ví dụ 01.2023."))
        return value


class ArticleKind(LabelledEnum):
    """Seed 003's table counts news items and articles apart ("10 tin", "01 bài")."""

    NEWS = "news", _l("Tin")
    ARTICLE = "article", _l("Bài")


class ArticleAssignment(TimestampMixin, Searchable, db.Model):
    """Items a unit owes for an issue: section, topic, count and kind (tin/bài), planned A4 pages, due date.

    The unit may be left open (the seed's table has rows no unit is named for); such a row is
    chased through the issue's editor, else the organizer's office.
    """

    __tablename__ = "article_assignments"
    __search_fields__ = ("topic", "section", "issue.number")
    __tenant__ = "issue"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsletter_issues.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    section: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    topic: Mapped[str] = mapped_column(sa.Text, nullable=False)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    article_count: Mapped[int] = mapped_column(default=1)
    kind: Mapped[ArticleKind] = mapped_column(enum_column(ArticleKind, name="article_kind"),
                                              default=ArticleKind.ARTICLE)
    pages: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    due_on: Mapped[date | None] = mapped_column(sa.Date)  # NULL = the issue's deadline
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    word_count: Mapped[int | None] = mapped_column()

    issue: Mapped[NewsletterIssue] = relationship(back_populates="assignments")
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("article_count >= 1", name="count_positive"),
        sa.CheckConstraint("pages IS NULL OR pages > 0", name="pages_positive"),
        sa.CheckConstraint("word_count IS NULL OR word_count >= 0", name="words_not_negative"),
    )

    def __str__(self) -> str:
        return self.topic[:80]
