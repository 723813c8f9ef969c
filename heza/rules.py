"""Every dated rule of DOMAIN.md (R1–R12), as small functions of a date and the effective settings.

This is the one place a reader goes to see when something is due; nothing else computes a
deadline. Each rule returns a :class:`Deadline` that can say why it falls where it does:
the rule, its source document, and the days the count skipped.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _

from heza import workdays
from heza.base import end_of_local_day, local_date_of

# The source documents of ../shared/seeds, as a person would cite them.
SOURCES = {
    "000": "Công văn của Ban Quản lý KKT Hải Phòng (12/2023) triển khai Quy chế đối thoại (QĐ 1155/QĐ-TU)",
    "001": "Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025 của Ban Quản lý KKT Hải Phòng",
    "002": "Thông báo đường dây nóng và trang Facebook của Ban Quản lý KKT Hải Phòng (5/2026)",
    "003": "Công văn 971/BQL-TTXTĐT ngày 10/3/2023 về Bản tin số 01.2023",
    "004": "Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, HTX, hộ kinh doanh phường Phù Liễn năm 2026",
}

WORDS_PER_A4_PAGE = 350  # seed 003: 1 trang A4 = 350 từ


@dataclass(frozen=True)
class Settings:
    """The numbers of DOMAIN.md with their defaults; organizers hold them, conferences override."""

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
    # From the organizer's active plans (heza.plans): rule code -> how its plan is cited, and the
    # rules those plans set. ``rules_applied`` None means "not known" (no organizer): every rule.
    basis: tuple[tuple[str, str], ...] = ()
    rules_applied: frozenset[str] | None = None

    def applies(self, rule: str) -> bool:
        """Whether the organizer's plans set ``rule`` (always true when no plan is known)."""
        return self.rules_applied is None or rule in self.rules_applied

    def replace(self, **changes: int) -> Settings:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


@dataclass(frozen=True)
class Deadline:
    """A computed date with its reason: which rule, from which document, counting what."""

    rule: str
    due: date
    summary: str
    source: str
    skipped: tuple[workdays.DayInfo, ...] = field(default=())

    def explain(self) -> str:
        """One paragraph for a screen or an email: the rule, the count, the days skipped, the source."""
        text = f"{self.rule}: {self.summary}"
        if self.skipped:
            days = "; ".join(f"{d.date:%d/%m/%Y} ({d.reason})" for d in self.skipped)
            text += " " + _("Không tính các ngày nghỉ: %(days)s.", days=days)
        return f"{text} " + _("Căn cứ: %(source)s.", source=SOURCES.get(self.source, self.source))


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _count_back(d: date, n: int, rule: str, summary: Callable[[str], str], source: str) -> Deadline:
    """The Nth working day before ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, -n)
    return Deadline(rule, due, summary(_fmt(due)), source, tuple(workdays.days_skipped(due, d)))


def _count_forward(d: date, n: int, rule: str, summary: Callable[[str], str], source: str) -> Deadline:
    """The Nth working day after ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, n)
    return Deadline(rule, due, summary(_fmt(due)), source, tuple(workdays.days_skipped(d, due)))


# R1 ---------------------------------------------------------------------------------------------


def announcement_date(held_on: date, s: Settings) -> Deadline:
    """R1: the announcement is posted WORKDAY(held_on, −7): 7 working days before the conference."""
    n = s.announce_working_days
    return _count_back(
        held_on, n, "R1",
        lambda due: _("Đăng thông báo trên Cổng thông tin điện tử và tại Bộ phận một cửa trước %(n)d ngày làm "
                      "việc diễn ra hội nghị (%(held)s): ngày %(due)s.", n=n, held=_fmt(held_on), due=due),
        "001",
    )


@dataclass(frozen=True)
class PublicationPlan:
    """When an announcement goes out, and whether it is late because the conference was entered late."""

    publish_on: date
    late: bool
    deadline: Deadline


def announcement_plan(held_on: date, s: Settings, entered_on: date) -> PublicationPlan:
    """R1 applied: publish on the R1 date, or at once (flagged late) if entered after it."""
    deadline = announcement_date(held_on, s)
    if entered_on > deadline.due:
        return PublicationPlan(entered_on, True, deadline)
    return PublicationPlan(deadline.due, False, deadline)


# R2, R3 -----------------------------------------------------------------------------------------


def registration_cutoff(held_on: date, s: Settings) -> Deadline:
    """R2: registrations and recommendations count if received by the end of WORKDAY(held_on, −5)."""
    n = s.cutoff_working_days
    return _count_back(
        held_on, n, "R2",
        lambda due: _("Đăng ký tham dự và kiến nghị phải được tiếp nhận trước %(n)d ngày làm việc diễn ra hội "
                      "nghị: hạn cuối hết ngày %(due)s.", n=n, due=due),
        "001",
    )


def cutoff_instant(held_on: date, s: Settings) -> datetime:
    """R2 as an instant: the end of the cutoff day in Hai Phong, in UTC."""
    return end_of_local_day(registration_cutoff(held_on, s).due)


def received_in_time(received_dt: datetime, held_on: date, s: Settings) -> bool:
    """R2: whether something received at ``received_dt`` counts for the quorum."""
    return local_date_of(received_dt) <= registration_cutoff(held_on, s).due


@dataclass(frozen=True)
class Quorum:
    """R3: the counts received by the cutoff against the thresholds."""

    enterprises: int
    recommendations: int
    needed_enterprises: int
    needed_recommendations: int

    @property
    def met(self) -> bool:
        return (self.enterprises >= self.needed_enterprises
                and self.recommendations >= self.needed_recommendations)

    @property
    def missing_enterprises(self) -> int:
        return max(0, self.needed_enterprises - self.enterprises)

    @property
    def missing_recommendations(self) -> int:
        return max(0, self.needed_recommendations - self.recommendations)

    def explain(self) -> str:
        text = _("R3: %(e)d/%(ne)d doanh nghiệp đăng ký, %(r)d/%(nr)d kiến nghị nhận trong hạn.",
                 e=self.enterprises, ne=self.needed_enterprises,
                 r=self.recommendations, nr=self.needed_recommendations)
        if self.met:
            return text + " " + _("Đủ điều kiện tổ chức hội nghị.")
        return text + " " + _("Chưa đủ điều kiện: cần dự thảo báo cáo UBND thành phố và Sở Tài chính "
                              "về việc dừng hoặc hoãn hội nghị.")


def quorum(enterprises: int, recommendations: int, s: Settings) -> Quorum:
    """R3: at least 15 registered enterprises and 5 recommendations by the R2 cutoff."""
    return Quorum(enterprises, recommendations, s.quorum_enterprises, s.quorum_recommendations)


def quorum_check_date(held_on: date, s: Settings) -> Deadline:
    """R3: the quorum is judged on the first working day after the R2 cutoff day has closed.

    The cutoff is the end of its day, so a morning run on the cutoff day would judge too early.
    """
    cutoff = registration_cutoff(held_on, s).due
    day = workdays.add_working_days(cutoff, 1)
    return Deadline(
        "R3", day,
        _("Kiểm tra điều kiện tổ chức hội nghị vào ngày làm việc đầu tiên sau hạn đăng ký (%(cutoff)s): "
          "ngày %(day)s.", cutoff=_fmt(cutoff), day=_fmt(day)),
        "001", tuple(workdays.days_skipped(cutoff, day)),
    )


def postpone_report_due(held_on: date, s: Settings) -> Deadline:
    """R3: the postpone/cancel report reaches the City before the conference would take place.

    The plan sets no date; the last working day before the conference is the latest day the
    City People's Committee and the Department of Finance can still act on it.
    """
    return _count_back(
        held_on, 1, "R3",
        lambda due: _("Gửi báo cáo UBND thành phố và Sở Tài chính về việc dừng, hoãn hội nghị trước ngày dự kiến "
                      "tổ chức (%(held)s): hạn %(due)s.", held=_fmt(held_on), due=due),
        "001",
    )


def registration_nudge_date(held_on: date, s: Settings) -> Deadline:
    """The day invited enterprises not yet registered are reminded: N working days before the cutoff."""
    cutoff = registration_cutoff(held_on, s).due
    n = s.registration_nudge_working_days
    return _count_back(
        cutoff, n, "R2",
        lambda _due: _("Nhắc doanh nghiệp chưa đăng ký %(n)d ngày làm việc trước hạn đăng ký (%(cutoff)s).",
                       n=n, cutoff=_fmt(cutoff)),
        "001",
    )


# R4 ---------------------------------------------------------------------------------------------


def unit_task_due(held_on: date, s: Settings) -> Deadline:
    """R4: every unit's tasks for a ward conference are done 3 calendar days before it."""
    n = s.unit_task_days_before
    due = held_on - timedelta(days=n)
    return Deadline(
        "R4", due,
        _("Các đơn vị hoàn thành nhiệm vụ trước %(n)d ngày tổ chức hội nghị: ngày %(due)s.",
          n=n, due=_fmt(due)),
        "004",
    )


def unit_reminder_date(held_on: date, s: Settings) -> Deadline:
    """R4: units are reminded on the task due day, moved back to the last working day if it is not one."""
    task_due = unit_task_due(held_on, s).due
    day = task_due
    if not workdays.is_working_day(day):
        day = workdays.add_working_days(day, -1)
    summary = _("Nhắc các đơn vị vào ngày %(day)s (hạn hoàn thành nhiệm vụ %(due)s).",
                day=_fmt(day), due=_fmt(task_due))
    skipped = tuple(workdays.days_skipped(day, task_due)) if day != task_due else ()
    return Deadline("R4", day, summary, "004", skipped)


# R5, R6, R7 -------------------------------------------------------------------------------------


def answer_due(basis_day: date, needs_coordination: bool, s: Settings, *, after_conference: bool = True
               ) -> Deadline:
    """R5: answered within 7 working days after the conference, 14 when other agencies coordinate.

    ``basis_day`` is the conference day, or for a recommendation outside a conference the
    day it was received.
    """
    n = s.answer_coordination_working_days if needs_coordination else s.answer_working_days
    if after_conference:
        what = _("Trả lời kiến nghị chậm nhất %(n)d ngày làm việc sau hội nghị (%(day)s)",
                 n=n, day=_fmt(basis_day))
    else:
        what = _("Trả lời kiến nghị chậm nhất %(n)d ngày làm việc sau ngày tiếp nhận (%(day)s)",
                 n=n, day=_fmt(basis_day))
    if needs_coordination:
        what += _(", do cần phối hợp với các đơn vị liên quan")
    return _count_forward(basis_day, n, "R5", lambda due: what + ": " + _("hạn %(due)s.", due=due), "001")


def report_due(held_on: date, s: Settings) -> Deadline:
    """R6: the result report goes to the City People's Committee and the Department of Finance."""
    n = s.report_working_days
    return _count_forward(
        held_on, n, "R6",
        lambda due: _("Gửi báo cáo kết quả hội nghị (mẫu Phụ lục I, Kế hoạch 121/KH-UBND) tới UBND thành phố và "
                      "Sở Tài chính chậm nhất %(n)d ngày làm việc sau hội nghị: hạn %(due)s.", n=n, due=due),
        "001",
    )


def conclusion_due(held_on: date, s: Settings) -> Deadline:
    """R7: the conclusion notice is posted on the portal after the conference, due with the R6 report."""
    n = s.report_working_days
    return _count_forward(
        held_on, n, "R7",
        lambda due: _("Đăng thông báo kết luận hội nghị trên Cổng thông tin điện tử, cùng hạn với báo cáo kết quả: "
                      "hạn %(due)s.", due=due),
        "001",
    )


# R8, R9 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCheck:
    """R8: the ward's conferences in a year against the minimum, with the half-year spread."""

    year: int
    count: int
    needed: int
    first_half: int
    second_half: int

    @property
    def met(self) -> bool:
        return self.count >= self.needed


def ward_conferences_check(year: int, conference_days: list[date], s: Settings) -> YearCheck:
    """R8: a ward holds at least 2 conferences a year, one around May and one in Q4."""
    days = [d for d in conference_days if d.year == year]
    return YearCheck(year, len(days), s.min_conferences_per_year,
                     sum(1 for d in days if d.month <= 6), sum(1 for d in days if d.month > 6))


def ward_conferences_due(year: int) -> Deadline:
    """R8: the year's conferences must be held by the end of the year."""
    return Deadline("R8", date(year, 12, 31),
                    _("Phường tổ chức hội nghị đối thoại ít nhất 2 lần/năm (lần 1 khoảng tháng 5, lần 2 "
                      "trong quý 4)."), "004")


def monthly_posts_due(year: int, month: int) -> Deadline:
    """R9: at least one post on digital channels in each month; due the month's last day."""
    last = date(year, month, _calendar.monthrange(year, month)[1])
    return Deadline("R9", last,
                    _("Đăng tin bài về doanh nghiệp trên các nền tảng số tối thiểu mỗi tháng 1 lần "
                      "(tháng %(m)02d/%(y)d, hạn %(due)s).", m=month, y=year, due=_fmt(last)), "004")


def monthly_posts_met(post_days: list[date], year: int, month: int, s: Settings) -> bool:
    """R9: whether enough posts were made in the month."""
    return sum(1 for d in post_days if d.year == year and d.month == month) >= s.min_posts_per_month


# R10 --------------------------------------------------------------------------------------------


def article_due(issue_deadline: date, assignment_due: date | None = None) -> Deadline:
    """R10: an article is due by its own date, or the issue's deadline."""
    due = assignment_due or issue_deadline
    return Deadline("R10", due, _("Gửi tin bài cho Bản tin trước ngày %(due)s.", due=_fmt(due)), "003")


def planned_words(pages: Decimal | float | None) -> int | None:
    """R10: the words planned for a number of A4 pages (1 page = 350 words)."""
    if pages is None:
        return None
    return int(Decimal(str(pages)) * WORDS_PER_A4_PAGE)


# R11 --------------------------------------------------------------------------------------------

_HOTLINE_SETTING = {
    "feedback": "hotline_feedback_working_days",
    "recommendation": "hotline_recommendation_working_days",
    "complaint": "hotline_complaint_working_days",
    "denunciation": "hotline_denunciation_working_days",
}


def hotline_response_due(received_dt: datetime, kind: str, s: Settings) -> Deadline:
    """R11: a hotline item is answered within the kind's working days, counted from its receipt.

    Items are received on working days: one arriving on a day off is taken as received on the
    next working day.
    """
    received_on = local_date_of(received_dt)
    start = received_on if workdays.is_working_day(received_on) else workdays.add_working_days(received_on, 1)
    n = getattr(s, _HOTLINE_SETTING[str(kind)])
    due = workdays.add_working_days(start, n)
    summary = _("Xử lý, phản hồi thông tin trong %(n)d ngày làm việc kể từ ngày tiếp nhận (%(start)s): "
                "hạn %(due)s.", n=n, start=_fmt(start), due=_fmt(due))
    return Deadline("R11", due, summary, "002", tuple(workdays.days_skipped(received_on, due)))


# R12 --------------------------------------------------------------------------------------------


def dialogue_plan_year(received_on: date) -> int:
    """R12: a topic proposal feeds the annual dialogue plan of the year it is received in."""
    return received_on.year


# Overdue alerts ---------------------------------------------------------------------------------


def first_alert_day(due: date) -> date:
    """The first overdue alert: the day after the due date, or the next working day after that."""
    day = due + timedelta(days=1)
    return day if workdays.is_working_day(day) else workdays.add_working_days(day, 1)


def nth_alert_day(due: date, k: int, s: Settings) -> date:
    """The day the ``k``-th overdue alert (0-based) is due: the first, then every N working days."""
    return workdays.add_working_days(first_alert_day(due), k * s.overdue_repeat_working_days)


def alert_due(due: date, today: date, alerts_sent: int, s: Settings, last_alert_on: date | None = None) -> bool:
    """Whether another overdue alert is due today, counting those already sent (not matching a day).

    Counting makes a run after days of downtime send one alert, not one per missed day. With
    ``last_alert_on`` (the day of the previous alert), the next one also waits N working days
    after it, so the runs after an outage do not send the missed rungs of the ladder day after day.
    """
    if not workdays.is_working_day(today) or today < nth_alert_day(due, alerts_sent, s):
        return False
    if last_alert_on is not None and alerts_sent > 0:
        return today >= workdays.add_working_days(last_alert_on, s.overdue_repeat_working_days)
    return True
