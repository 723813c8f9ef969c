"""The values the rules of :mod:`heza.rules` take and give: settings in, deadlines and verdicts out.

Kept apart so that :mod:`heza.rules` holds only the dated rules themselves; everything here is
re-exported from there (``from heza.rules import Settings`` is the spelling to use). Nothing
here computes a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

from flask_babel import gettext as _

from heza import workdays


def default_citation() -> str:
    """What a deadline cites when no active plan of its organizer sets the rule.

    Never another organizer's document: the count follows the system's default settings, and
    says so. Translated when asked, so it reads in the language of whoever is told.
    """
    return _("mặc định của hệ thống (kế hoạch của đơn vị tổ chức chưa quy định nội dung này)")


@dataclass(frozen=True)
class Settings:
    """The numbers of DOMAIN.md with their defaults; organizers hold them, conferences override.

    ``basis`` and ``rules_applied`` come from the organizer's active plans (:mod:`heza.plans`):
    how each rule is cited, and which rules those plans set. ``rules_applied`` None means "not
    known" (no organizer, e.g. a bare ``Settings()``): every rule applies, none is cited.
    """

    announce_working_days: int = 7  # R1
    cutoff_working_days: int = 5  # R2
    quorum_enterprises: int = 15  # R3
    quorum_recommendations: int = 5  # R3
    unit_task_days_before: int = 3  # R4 (calendar days)
    answer_working_days: int = 7  # R5
    answer_coordination_working_days: int = 14  # R5
    report_working_days: int = 7  # R6, R7
    registration_nudge_working_days: int = 2  # reminder before the R2 cutoff
    min_conferences_per_year: int = 2  # R8
    min_posts_per_month: int = 1  # R9
    overdue_repeat_working_days: int = 2  # overdue alerts repeat every N working days
    hotline_feedback_working_days: int = 5  # R11, per kind
    hotline_recommendation_working_days: int = 7
    hotline_complaint_working_days: int = 10
    hotline_denunciation_working_days: int = 10
    proposal_rollover_month: int = 12  # R12: proposals from this day on go to next year's plan
    proposal_rollover_day: int = 1
    basis: tuple[tuple[str, str], ...] = ()  # (rule code, citation of the plan that sets it)
    rules_applied: frozenset[str] | None = None

    def applies(self, rule: str) -> bool:
        """Whether the organizer's plans set ``rule`` (always true when no plan is known)."""
        return self.rules_applied is None or rule in self.rules_applied

    def cite(self, rule: str) -> str:
        """How a deadline of ``rule`` cites its basis: the organizer's plan that sets it, else the default wording.

        The plan is the newest active one of this organizer (see :func:`heza.plans.models.basis_of`);
        a rule none of them sets cites :func:`default_citation`, never another organizer's plan.
        """
        for code, citation in self.basis:
            if code == rule:
                return citation
        return default_citation()

    def replace(self, **changes: int | None) -> Settings:
        """A copy with the given numbers changed; unknown names and None values are ignored."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


@dataclass(frozen=True)
class Deadline:
    """A computed date with its reason: which rule, counting what, and the document it rests on."""

    rule: str
    due: date
    summary: str
    citation: str  # from Settings.cite: the organizer's plan, or the default wording
    skipped: tuple[workdays.DayInfo, ...] = field(default=())

    def explain(self) -> str:
        """One paragraph for a screen or an email: the rule, the count, the days skipped, the basis."""
        text = f"{self.rule}: {self.summary}"
        if self.skipped:
            days = "; ".join(f"{d.date:%d/%m/%Y} ({d.reason})" for d in self.skipped)
            text += " " + _("Không tính các ngày nghỉ: %(days)s.", days=days)
        return f"{text} " + _("Căn cứ: %(source)s.", source=self.citation)


@dataclass(frozen=True)
class PublicationPlan:
    """R1 applied: when an announcement goes out, and whether it is late because the conference was entered late."""

    publish_on: date
    late: bool
    deadline: Deadline


@dataclass(frozen=True)
class Quorum:
    """R3: the counts received by the cutoff against the thresholds."""

    enterprises: int
    recommendations: int
    needed_enterprises: int
    needed_recommendations: int
    # Received by the cutoff but from enterprises not registered by it: not counted (seed 001).
    excluded_recommendations: int = 0

    @property
    def met(self) -> bool:
        """Both thresholds reached."""
        return (self.enterprises >= self.needed_enterprises
                and self.recommendations >= self.needed_recommendations)

    @property
    def missing_enterprises(self) -> int:
        """Registrations still lacking (0 when reached)."""
        return max(0, self.needed_enterprises - self.enterprises)

    @property
    def missing_recommendations(self) -> int:
        """Recommendations still lacking (0 when reached)."""
        return max(0, self.needed_recommendations - self.recommendations)

    def excluded_text(self) -> str:
        """The recommendations left out because their enterprise had not registered by the cutoff."""
        return _("Không tính %(n)d kiến nghị của doanh nghiệp chưa đăng ký tham dự trong hạn.",
                 n=self.excluded_recommendations)

    def explain(self) -> str:
        """The counts against the thresholds, and what to do when they are not met."""
        text = _("R3: %(e)d/%(ne)d doanh nghiệp đăng ký, %(r)d/%(nr)d kiến nghị nhận trong hạn.",
                 e=self.enterprises, ne=self.needed_enterprises,
                 r=self.recommendations, nr=self.needed_recommendations)
        if self.excluded_recommendations:
            text += " " + self.excluded_text()
        if self.met:
            return text + " " + _("Đủ điều kiện tổ chức hội nghị.")
        return text + " " + _("Chưa đủ điều kiện: cần dự thảo báo cáo UBND thành phố và Sở Tài chính "
                              "về việc dừng hoặc hoãn hội nghị.")


@dataclass(frozen=True)
class YearCheck:
    """R8: an organizer's conferences in a year against the minimum, with the half-year spread."""

    year: int
    count: int
    needed: int
    first_half: int
    second_half: int
    fourth_quarter: int = 0

    @property
    def met(self) -> bool:
        """At least the minimum number held in the year."""
        return self.count >= self.needed

    @property
    def shortfall(self) -> int:
        """Conferences still missing to reach the minimum (0 when reached)."""
        return max(0, self.needed - self.count)

    def missed(self, period: str) -> bool:
        """Whether a period of the ward plan passed without its conference.

        "H1": the first conference ("dự kiến vào tháng 5") was not held in the first half-year;
        "Q4": none was held in the fourth quarter, or the year ended short of the minimum.
        """
        if period == "H1":
            return self.first_half == 0
        return self.fourth_quarter == 0 or not self.met
