"""Every dated rule of DOMAIN.md (R1–R12), as small functions of a date and the effective settings.

This is the one place a reader goes to see when something is due; nothing else computes a
deadline. Each rule returns a :class:`Deadline` that can say why it falls where it does: the
rule, the days the count skipped, and the document it rests on. That document is always the
one the :class:`Settings` cite for the rule (:meth:`Settings.cite`): the active plan of the
conference's own organizer that sets it, or the system's default wording when none does, so a
ward's deadline never cites HEZA's plan nor HEZA's a ward's. Whether a rule applies to an
organizer at all is :meth:`Settings.applies`, asked by the jobs and screens that act on it.

The value types live in :mod:`heza.rule_values` and are re-exported here. The conference rules
(R1–R10) are in this module; the hotline's (R11) and the legal periods of complaints and
denunciations in :mod:`heza.rules.hotline`, re-exported here, so ``rules.X`` reads every rule.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _

from heza import workdays
from heza.base import end_of_local_day, local_date_of

# The value types, re-exported: ``from heza.rules import Settings, Deadline`` is the spelling callers use.
from heza.rule_values import Deadline as Deadline
from heza.rule_values import PublicationPlan as PublicationPlan
from heza.rule_values import Quorum as Quorum
from heza.rule_values import Settings as Settings
from heza.rule_values import YearCheck as YearCheck
from heza.rule_values import default_citation as default_citation
from heza.rules.counting import count_back as _count_back
from heza.rules.counting import count_forward as _count_forward
from heza.rules.counting import fmt as _fmt

WORDS_PER_A4_PAGE = 350  # seed 003: 1 trang A4 = 350 từ


# R1 ---------------------------------------------------------------------------------------------


def announcement_date(held_on: date, s: Settings) -> Deadline:
    """R1: the announcement is posted WORKDAY(held_on, −7): 7 working days before the conference."""
    n = s.announce_working_days
    return _count_back(
        held_on, n, "R1",
        lambda due: _("Đăng thông báo trên Cổng thông tin điện tử và tại Bộ phận một cửa trước %(n)d ngày làm "
                      "việc diễn ra hội nghị (%(held)s): ngày %(due)s.", n=n, held=_fmt(held_on), due=due),
        s,
    )


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
        s,
    )


def cutoff_instant(held_on: date, s: Settings) -> datetime:
    """R2 as an instant: the end of the cutoff day in Hai Phong, in UTC."""
    return end_of_local_day(registration_cutoff(held_on, s).due)


def received_in_time(received_dt: datetime, held_on: date, s: Settings) -> bool:
    """R2: whether something received at ``received_dt`` counts for the quorum."""
    return local_date_of(received_dt) <= registration_cutoff(held_on, s).due


def quorum(enterprises: int, recommendations: int, s: Settings) -> Quorum:
    """R3: at least 15 registered enterprises and 5 recommendations by the R2 cutoff."""
    return Quorum(enterprises, recommendations, s.quorum_enterprises, s.quorum_recommendations)


def quorum_of(registrations: Iterable[tuple[int | None, datetime]],
              recommendations: Iterable[tuple[int | None, datetime]], held_on: date, s: Settings) -> Quorum:
    """R3 as plan 001 words it, from ``(enterprise id, received)`` pairs (withdrawn ones left out).

    "tối thiểu 15 doanh nghiệp đăng ký tham gia Hội nghị, trong đó tối thiểu 05 kiến nghị của các
    doanh nghiệp đăng ký tham dự Hội nghị", both received by the R2 cutoff: the enterprises
    registered by the cutoff, and the recommendations received by the cutoff **from those
    enterprises**. The other timely recommendations are counted apart, as excluded.
    """
    cutoff = registration_cutoff(held_on, s).due
    registered = {e for e, received in registrations if local_date_of(received) <= cutoff}
    timely = [e for e, received in recommendations if local_date_of(received) <= cutoff]
    counted = sum(1 for e in timely if e is not None and e in registered)
    return Quorum(len(registered), counted, s.quorum_enterprises, s.quorum_recommendations,
                  excluded_recommendations=len(timely) - counted)


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
        s.cite("R3"), tuple(workdays.days_skipped(cutoff, day)),
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
        s,
    )


def registration_nudge_date(held_on: date, s: Settings) -> Deadline:
    """The day invited enterprises not yet registered are reminded: N working days before the cutoff."""
    cutoff = registration_cutoff(held_on, s).due
    n = s.registration_nudge_working_days
    return _count_back(
        cutoff, n, "R2",
        lambda _due: _("Nhắc doanh nghiệp chưa đăng ký %(n)d ngày làm việc trước hạn đăng ký (%(cutoff)s).",
                       n=n, cutoff=_fmt(cutoff)),
        s,
    )


# R4 ---------------------------------------------------------------------------------------------


def unit_task_due(held_on: date, s: Settings) -> Deadline:
    """R4: every unit's tasks for a conference are done 3 calendar days before it.

    A day off is no deadline: when that day is not a working day, the deadline is stated as the
    last working day before it (the day the units are reminded, :func:`unit_reminder_date`).
    """
    n = s.unit_task_days_before
    day = held_on - timedelta(days=n)
    if workdays.is_working_day(day):
        return Deadline("R4", day,
                        _("Các đơn vị hoàn thành nhiệm vụ trước %(n)d ngày tổ chức hội nghị: ngày %(due)s.",
                          n=n, due=_fmt(day)),
                        s.cite("R4"))
    due = workdays.add_working_days(day, -1)
    return Deadline(
        "R4", due,
        _("Các đơn vị hoàn thành nhiệm vụ trước %(n)d ngày tổ chức hội nghị (%(day)s, ngày nghỉ): hạn là ngày làm "
          "việc liền trước, %(due)s.", n=n, day=_fmt(day), due=_fmt(due)),
        s.cite("R4"), tuple(workdays.days_skipped(due, day + timedelta(days=1))),
    )


def unit_reminder_date(held_on: date, s: Settings) -> Deadline:
    """R4: units are reminded on the task due day, itself the last working day when the 3rd day before is off."""
    task = unit_task_due(held_on, s)
    summary = _("Nhắc các đơn vị vào ngày %(day)s (hạn hoàn thành nhiệm vụ %(due)s).",
                day=_fmt(task.due), due=_fmt(task.due))
    return Deadline("R4", task.due, summary, s.cite("R4"), task.skipped)


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
    return _count_forward(basis_day, n, "R5", lambda due: what + ": " + _("hạn %(due)s.", due=due), s)


def report_due(held_on: date, s: Settings) -> Deadline:
    """R6: the result report goes to the City People's Committee and the Department of Finance."""
    n = s.report_working_days
    return _count_forward(
        held_on, n, "R6",
        lambda due: _("Gửi báo cáo kết quả hội nghị (mẫu Phụ lục I, Kế hoạch 121/KH-UBND) tới UBND thành phố và "
                      "Sở Tài chính chậm nhất %(n)d ngày làm việc sau hội nghị: hạn %(due)s.", n=n, due=due),
        s,
    )


def conclusion_due(held_on: date, s: Settings) -> Deadline:
    """R7: the conclusion notice is posted on the portal after the conference, due with the R6 report."""
    n = s.report_working_days
    return _count_forward(
        held_on, n, "R7",
        lambda due: _("Đăng thông báo kết luận hội nghị trên Cổng thông tin điện tử, cùng hạn với báo cáo kết quả: "
                      "hạn %(due)s.", due=due),
        s,
    )


# R8, R9 -----------------------------------------------------------------------------------------


def ward_conferences_check(year: int, conference_days: list[date], s: Settings) -> YearCheck:
    """R8: at least N conferences a year (the ward plan: 2, one around May and one in Q4)."""
    days = [d for d in conference_days if d.year == year]
    return YearCheck(year, len(days), s.min_conferences_per_year,
                     sum(1 for d in days if d.month <= 6), sum(1 for d in days if d.month > 6),
                     sum(1 for d in days if d.month >= 10))


WARD_CONFERENCE_PERIODS = ("H1", "Q4")


def ward_conference_period_due(year: int, period: str, s: Settings) -> Deadline:
    """R8 by period (seed 004: "lần 1 dự kiến vào tháng 5; lần 2 dự kiến trong quý 4"): the day it closes.

    The first conference is due by the end of June, the second (and the year's minimum) by the end
    of December; the organizer is alerted on the first working day after (:func:`first_alert_day`).
    """
    if period == "H1":
        due = date(year, 6, 30)
        summary = _("Tổ chức hội nghị đối thoại lần 1 trong năm %(y)d (dự kiến tháng 5): hạn %(due)s.",
                    y=year, due=_fmt(due))
    else:
        due = date(year, 12, 31)
        summary = _("Tổ chức hội nghị đối thoại lần 2 trong quý IV năm %(y)d, đủ ít nhất %(n)d lần trong năm: "
                    "hạn %(due)s.", y=year, n=s.min_conferences_per_year, due=_fmt(due))
    return Deadline("R8", due, summary, s.cite("R8"))


def ward_conferences_due(year: int, s: Settings) -> Deadline:
    """R8: the year's minimum of conferences must be held by the end of the year."""
    due = date(year, 12, 31)
    return Deadline("R8", due,
                    _("Tổ chức hội nghị đối thoại với doanh nghiệp ít nhất %(n)d lần trong năm %(y)d: hạn %(due)s.",
                      n=s.min_conferences_per_year, y=year, due=_fmt(due)),
                    s.cite("R8"))


def monthly_posts_due(year: int, month: int, s: Settings) -> Deadline:
    """R9: at least one post on digital channels in each month; due the month's last day."""
    last = date(year, month, _calendar.monthrange(year, month)[1])
    return Deadline("R9", last,
                    _("Đăng tin bài về doanh nghiệp trên các nền tảng số tối thiểu mỗi tháng 1 lần "
                      "(tháng %(m)02d/%(y)d, hạn %(due)s).", m=month, y=year, due=_fmt(last)),
                    s.cite("R9"))


def monthly_posts_met(post_days: list[date], year: int, month: int, s: Settings) -> bool:
    """R9: whether enough posts were made in the month."""
    return sum(1 for d in post_days if d.year == year and d.month == month) >= s.min_posts_per_month


# R10 --------------------------------------------------------------------------------------------


def article_due(issue_deadline: date, assignment_due: date | None, s: Settings) -> Deadline:
    """R10: an article is due by its own date, or the issue's deadline.

    ``s`` are the settings of the issue's organizer, whose plan (or the default wording) is cited.
    """
    due = assignment_due or issue_deadline
    return Deadline("R10", due, _("Gửi tin bài cho Bản tin trước ngày %(due)s.", due=_fmt(due)), s.cite("R10"))


def planned_words(pages: Decimal | float | None) -> int | None:
    """R10: the words planned for a number of A4 pages (1 page = 350 words)."""
    if pages is None:
        return None
    return int(Decimal(str(pages)) * WORDS_PER_A4_PAGE)


# R12 --------------------------------------------------------------------------------------------


def dialogue_plan_year(received_on: date, s: Settings | None = None) -> int:
    """R12: which year's dialogue plan a topic proposal feeds.

    The year it is received in, until the organizer's rollover day (default 1 December: seed 000,
    dated 12/2023, collects topics for the coming year's plan); from that day on, next year's.
    A month outside 1–12 turns the rollover off.
    """
    s = s or Settings()
    month, day = s.proposal_rollover_month, s.proposal_rollover_day
    if not 1 <= month <= 12:
        return received_on.year
    rollover = date(received_on.year, month, min(max(day, 1), _calendar.monthrange(received_on.year, month)[1]))
    return received_on.year + 1 if received_on >= rollover else received_on.year


# Extensions -------------------------------------------------------------------------------------


def extended(deadline: Deadline, to: date, reason: str, by: str = "", on: date | None = None) -> Deadline:
    """A counted deadline extended to ``to`` for ``reason`` (R5 answers, R11 hotline items).

    The rule's own count stays in the explanation; the extension is said after it ("gia hạn đến …
    vì …"), with who recorded it and when.
    """
    text = _("Gia hạn đến %(to)s vì %(reason)s", to=_fmt(to), reason=(reason or "").strip().rstrip("."))
    if by or on:
        text += " (" + ", ".join(x for x in (by, _fmt(on) if on else "") if x) + ")"
    return Deadline(deadline.rule, to, f"{deadline.summary} {text}.", deadline.citation, deadline.skipped)


# Overdue alerts ---------------------------------------------------------------------------------


def first_alert_day(due: date, before: date | None = None) -> date:
    """The first overdue alert: the day after the due date, or the next working day after that.

    With ``before`` (the conference a task prepares), never later than the last working day before
    it, though never before the due day itself: an alert on the conference day is too late to act on.
    """
    day = due + timedelta(days=1)
    day = day if workdays.is_working_day(day) else workdays.add_working_days(day, 1)
    if before is not None:
        latest = workdays.add_working_days(before, -1)
        if day > latest:
            day = max(latest, due)
    return day


def nth_alert_day(due: date, k: int, s: Settings, before: date | None = None) -> date:
    """The day the ``k``-th overdue alert (0-based) is due: the first, then every N working days."""
    return workdays.add_working_days(first_alert_day(due, before), k * s.overdue_repeat_working_days)


def alert_due(due: date, today: date, alerts_sent: int, s: Settings, last_alert_on: date | None = None,
              before: date | None = None) -> bool:
    """Whether another overdue alert is due today, counting those already sent (not matching a day).

    Counting makes a run after days of downtime send one alert, not one per missed day. With
    ``last_alert_on`` (the day of the previous alert), the next one also waits N working days
    after it, so the runs after an outage do not send the missed rungs of the ladder day after day.
    """
    if not workdays.is_working_day(today) or today < nth_alert_day(due, alerts_sent, s, before):
        return False
    if last_alert_on is not None and alerts_sent > 0:
        return today >= workdays.add_working_days(last_alert_on, s.overdue_repeat_working_days)
    return True


# R11 and the legal periods of complaints and denunciations live beside; every rule reads as ``rules.X``.
from heza.rules.hotline import (  # noqa: E402,F401  (re-exported)
    CIVIL_CODE_END,
    COMPLAINT_ACCEPT_DAYS,
    COMPLAINT_LAW,
    COMPLAINT_RESOLVE_COMPLEX_DAYS,
    COMPLAINT_RESOLVE_DAYS,
    COMPLAINT_RESOLVE_REMOTE_COMPLEX_DAYS,
    COMPLAINT_RESOLVE_REMOTE_DAYS,
    DENUNCIATION_ACCEPT_WORKING_DAYS,
    DENUNCIATION_EXTENSION_DAYS,
    DENUNCIATION_LAW,
    DENUNCIATION_MAX_EXTENSIONS,
    DENUNCIATION_RESOLVE_DAYS,
    OFFICE_CLOSES,
    complaint_acceptance_due,
    complaint_resolution_due,
    denunciation_acceptance_due,
    denunciation_extension_allowed,
    denunciation_resolution_due,
    hotline_response_due,
    intake_day,
    intake_moved,
)
