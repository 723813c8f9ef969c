"""An organizer's plans (kế hoạch) and other basis documents, with the rules each sets.

A rule applies to an organizer because one of its active plans sets it, and every deadline it
computes cites that plan ("Căn cứ: Kế hoạch số 121/KH-UBND ngày ... của ..."): HEZA's 2025 plan
sets R1–R3 and R5–R7, the Phù Liễn ward plan R4, R8 and R9. A rule no active plan sets still
counts with the organizer's settings (the workflow needs its dates) and says that it is the
system's default, never another organizer's plan.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from heza.base import TimestampMixin
from heza.extensions import db
from heza.search import Searchable
from heza.validation import InvalidValue

if TYPE_CHECKING:
    from heza.directory.models import Organizer

# Every rule code of DOMAIN.md a plan may set.
RULE_CODES: tuple[str, ...] = tuple(f"R{n}" for n in range(1, 13))
_RULE_RE = re.compile(r"^R(?:[1-9]|1[0-2])$")


def clean_rules(value: str | None) -> str:
    """``"r1, R2;R3"`` → ``"R1,R2,R3"`` (known codes, in order, once each); an unknown code is refused."""
    codes = [p.strip().upper() for p in re.split(r"[,;\s]+", value or "") if p.strip()]
    unknown = [c for c in codes if not _RULE_RE.match(c)]
    if unknown:
        raise InvalidValue(_("Mã quy định không hợp lệ: %(codes)s. Dùng R1 đến R12, cách nhau bởi dấu phẩy.",
                             codes=", ".join(unknown)))
    return ",".join(c for c in RULE_CODES if c in codes)


class Plan(TimestampMixin, Searchable, db.Model):
    """A plan or other document an organizer acts under (number, date, title, year, PDF) and the rules it sets."""

    __tablename__ = "plans"
    __search_fields__ = ("number", "title")
    __tenant__ = "organizer_id"  # see heza/tenancy.py

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id", ondelete="CASCADE"), index=True)
    # "121/KH-UBND"; empty while the document has no number yet (the ward plan reads "Số: /KH-UBND").
    number: Mapped[str] = mapped_column(sa.String(60), default="", nullable=False)
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    title: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    year: Mapped[int] = mapped_column(nullable=False)
    rules: Mapped[str] = mapped_column(sa.String(100), default="", nullable=False)
    active: Mapped[bool] = mapped_column(default=True)
    pdf_name: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    organizer: Mapped[Organizer] = relationship(back_populates="plans")

    __table_args__ = (sa.CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),)

    def __str__(self) -> str:
        return self.citation()

    @validates("rules")
    def _check_rules(self, _key: str, value: str | None) -> str:
        return clean_rules(value)

    @property
    def rule_codes(self) -> tuple[str, ...]:
        return tuple(c for c in self.rules.split(",") if c)

    def citation(self) -> str:
        """How a person cites it: "Kế hoạch số 121/KH-UBND ngày 12/02/2025 của ...: <title>"."""
        head = self.title.strip()
        if self.number:
            head = _("%(title)s số %(number)s", title=head, number=self.number)
        if self.issued_on:
            head = _("%(head)s ngày %(day)s", head=head, day=f"{self.issued_on:%d/%m/%Y}")
        organizer = self.organizer
        if organizer is not None and organizer.name.lower() not in head.lower():
            head = _("%(head)s của %(organizer)s", head=head, organizer=organizer.name)
        return head


def basis_of(organizer: Organizer) -> dict[str, object]:
    """The ``basis`` (rule → citation) and ``rules_applied`` of ``organizer``'s active plans.

    Where two active plans set one rule, the newer (year, then date) is cited.
    """
    plans = sorted((p for p in organizer.plans if p.active),
                   key=lambda p: (p.year, p.issued_on or date.min, p.id or 0))
    basis: dict[str, str] = {}
    for plan in plans:  # oldest first, so the newest wins
        citation = plan.citation()
        for code in plan.rule_codes:
            basis[code] = citation
    return {"basis": tuple(sorted(basis.items())), "rules_applied": frozenset(basis)}
