"""Every dated rule of DOMAIN.md (R1–R12), as small functions of a date and the effective settings.

This is the one place a reader goes to see when something is due; nothing else computes a
deadline. Each rule returns a :class:`Deadline` that can say why it falls where it does: the
rule, the days the count skipped, and the document it rests on. That document is always the
one the :class:`Settings` cite for the rule (:meth:`Settings.cite`): the active plan of the
conference's own organizer that sets it, or the system's default wording when none does, so a
ward's deadline never cites HEZA's plan nor HEZA's a ward's. Whether a rule applies to an
organizer at all is :meth:`Settings.applies`, asked by the jobs and screens that act on it.

The value types live in :mod:`heza.rule_values` and are re-exported here.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _

from heza import workdays
from heza.base import end_of_local_day, local_date_of, to_local

# The value types, re-exported: ``from heza.rules import Settings, Deadline`` is the spelling callers use.
from heza.rule_values import Deadline as Deadline
from heza.rule_values import PublicationPlan as PublicationPlan
from heza.rule_values import Quorum as Quorum
from heza.rule_values import Settings as Settings
from heza.rule_values import YearCheck as YearCheck
from heza.rule_values import default_citation as default_citation

WORDS_PER_A4_PAGE = 350  # seed 003: 1 trang A4 = 350 từ


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _count_back(d: date, n: int, rule: str, summary: Callable[[str], str], s: Settings) -> Deadline:
    """The Nth working day before ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, -n)
    return Deadline(rule, due, summary(_fmt(due)), s.cite(rule), tuple(workdays.days_skipped(due, d)))


def _count_forward(d: date, n: int, rule: str, summary: Callable[[str], str], s: Settings) -> Deadline:
    """The Nth working day after ``d``; ``summary`` is given that day (dd/mm/yyyy) to say it."""
    due = workdays.add_working_days(d, n)
    return Deadline(rule, due, summary(_fmt(due)), s.cite(rule), tuple(workdays.days_skipped(d, due)))


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


# R11 --------------------------------------------------------------------------------------------

_HOTLINE_SETTING = {
    "feedback": "hotline_feedback_working_days",
    "recommendation": "hotline_recommendation_working_days",
    "complaint": "hotline_complaint_working_days",
    "denunciation": "hotline_denunciation_working_days",
}


# Seed 002: "Trong giờ hành chính tất cả các ngày làm việc trong tuần". The seed does not give the
# hours; these are the usual office hours of Hai Phong's administrative bodies, a default taken
# from no text we could read (see the issue 15 report): an item after closing time is counted
# from the next working day, one before opening on a working day from that day.
OFFICE_CLOSES = time(17, 0)


def intake_day(received_dt: datetime) -> date:
    """Seed 002: the working day an item counts as received on (R11, complaints, denunciations).

    Received on a working day before closing time: that day. After closing time, or on a day off
    (a weekend, Tết, a declared day off): the next working day, a make-up Saturday included.
    """
    local = to_local(received_dt)
    day = local.date()
    if workdays.is_working_day(day) and local.time() < OFFICE_CLOSES:
        return day
    return workdays.add_working_days(day, 1)


def intake_moved(received_dt: datetime) -> bool:
    """Whether :func:`intake_day` moved the item off the day it arrived (outside office hours or a day off)."""
    return intake_day(received_dt) != local_date_of(received_dt)


def hotline_response_due(received_dt: datetime, kind: str, s: Settings) -> Deadline:
    """R11: a hotline item is answered within the kind's working days, counted from its receipt.

    Items are received on working days in office hours: one arriving on a day off or after
    closing time is taken as received on the next working day (:func:`intake_day`).
    """
    received_on = local_date_of(received_dt)
    start = intake_day(received_dt)
    n = getattr(s, _HOTLINE_SETTING[str(kind)])
    due = workdays.add_working_days(start, n)
    summary = _("Xử lý, phản hồi thông tin trong %(n)d ngày làm việc kể từ ngày tiếp nhận (%(start)s): "
                "hạn %(due)s.", n=n, start=_fmt(start), due=_fmt(due))
    return Deadline("R11", due, summary, s.cite("R11"), tuple(workdays.days_skipped(received_on, due)))


# Complaints and denunciations (issue 15) ------------------------------------------------------
#
# Their periods are set by law, not by an organizer's plan, so they do not read Settings and
# always cite the article. What was read (public reproductions of the texts, found with the
# project's search tool, December 2026):
#
# * Luật Khiếu nại 2011 (consolidated in 03/VBHN-VPQH 2021), Điều 27: "Trong thời hạn 10 ngày, kể
#   từ ngày nhận được khiếu nại thuộc thẩm quyền … người có thẩm quyền giải quyết khiếu nại lần
#   đầu phải thụ lý giải quyết; thông báo bằng văn bản … trường hợp không thụ lý giải quyết thì
#   phải nêu rõ lý do." 10 days, not "working days": calendar days.
# * Same law, Điều 28: first-instance resolution "không quá 30 ngày, kể từ ngày thụ lý"; complex
#   cases "không quá 45 ngày"; "vùng sâu, vùng xa đi lại khó khăn" 45, complex 60. Calendar days.
# * Luật Tố cáo 2018, Điều 30: resolution "không quá 30 ngày kể từ ngày thụ lý tố cáo"; complex
#   cases may be extended once by at most 30 days, especially complex ones twice, each at most
#   30 days; the extension is decided in writing and notified. Calendar days.
# * Bộ luật Dân sự 2015, Điều 147 (the day a period starts from is not counted) and Điều 148
#   khoản 5 (a period whose last day is a weekend or holiday ends at the end of the next working
#   day): applied to every calendar-day period here.
#
# NOT verified from a text: the denunciation acceptance period. The issue and DOMAIN.md say
# "within 7 working days" (our reading: Điều 24 khoản 1 Luật Tố cáo 2018, 7 working days to
# register, classify and check the conditions, up to 10 working days when checks must be made in
# several places, and Điều 29 for the acceptance decision); no reproduction of that article was
# found by the search, so the 7 working days are kept as the issue states them, the citation says
# so, and the longer 10-working-day case is not computed (an officer records it as an extension).
# Decree 124/2020/NĐ-CP and Decree 31/2019/NĐ-CP were not found either: nothing here rests on them.

COMPLAINT_LAW = "Luật Khiếu nại 2011 (hợp nhất tại văn bản 03/VBHN-VPQH năm 2021)"
DENUNCIATION_LAW = "Luật Tố cáo 2018"
CIVIL_CODE_END = "Điều 148 khoản 5 Bộ luật Dân sự 2015"
COMPLAINT_ACCEPT_DAYS = 10  # Điều 27 Luật Khiếu nại 2011
COMPLAINT_RESOLVE_DAYS = 30  # Điều 28
COMPLAINT_RESOLVE_COMPLEX_DAYS = 45
COMPLAINT_RESOLVE_REMOTE_DAYS = 45
COMPLAINT_RESOLVE_REMOTE_COMPLEX_DAYS = 60
DENUNCIATION_ACCEPT_WORKING_DAYS = 7  # as the issue states it: not verified from the article
DENUNCIATION_RESOLVE_DAYS = 30  # Điều 30 khoản 1 Luật Tố cáo 2018
DENUNCIATION_EXTENSION_DAYS = 30  # Điều 30 khoản 2, 3: each extension at most 30 days
DENUNCIATION_MAX_EXTENSIONS = 2  # once for complex cases, twice for especially complex ones


def _calendar_days(start: date, n: int) -> tuple[date, date, tuple[workdays.DayInfo, ...]]:
    """``n`` calendar days after ``start`` (Điều 147 BLDS: ``start`` not counted), and the due day.

    The due day is the last day of the period, or, when that is a day off, the next working day
    (Điều 148 khoản 5 BLDS 2015). Returns ``(last day, due day, days off it was moved over)``.
    """
    last = start + timedelta(days=n)
    if workdays.is_working_day(last):
        return last, last, ()
    due = workdays.add_working_days(last, 1)
    return last, due, (workdays.explain_day(last), *workdays.days_skipped(last, due))


def _moved(last: date, due: date) -> str:
    if last == due:
        return ""
    return " " + _("Ngày cuối của thời hạn (%(last)s) là ngày nghỉ nên thời hạn kết thúc vào ngày làm việc tiếp "
                   "theo (%(rule)s).", last=_fmt(last), rule=CIVIL_CODE_END)


def complaint_acceptance_due(received_dt: datetime) -> Deadline:
    """Điều 27 Luật Khiếu nại 2011: accept (thụ lý) or refuse with reasons within 10 days of receipt."""
    start = intake_day(received_dt)
    last, due, skipped = _calendar_days(start, COMPLAINT_ACCEPT_DAYS)
    summary = _("Thụ lý hoặc thông báo không thụ lý (nêu rõ lý do) trong %(n)d ngày kể từ ngày nhận được khiếu nại "
                "(%(start)s): hạn %(due)s.", n=COMPLAINT_ACCEPT_DAYS, start=_fmt(start), due=_fmt(due))
    return Deadline("KN-TL", due, summary + _moved(last, due), _("Điều 27 %(law)s", law=COMPLAINT_LAW), skipped)


def complaint_resolution_due(accepted_on: date, *, complex_case: bool = False, remote_area: bool = False
                             ) -> Deadline:
    """Điều 28 Luật Khiếu nại 2011: first-instance resolution within 30 days of acceptance.

    45 for a complex case; in remote areas hard to travel (vùng sâu, vùng xa) 45, complex 60.
    """
    if remote_area:
        n = COMPLAINT_RESOLVE_REMOTE_COMPLEX_DAYS if complex_case else COMPLAINT_RESOLVE_REMOTE_DAYS
    else:
        n = COMPLAINT_RESOLVE_COMPLEX_DAYS if complex_case else COMPLAINT_RESOLVE_DAYS
    last, due, skipped = _calendar_days(accepted_on, n)
    summary = _("Giải quyết khiếu nại lần đầu không quá %(n)d ngày kể từ ngày thụ lý (%(start)s)",
                n=n, start=_fmt(accepted_on))
    if complex_case:
        summary += _(", vụ việc phức tạp")
    if remote_area:
        summary += _(", ở vùng sâu, vùng xa đi lại khó khăn")
    summary += ": " + _("hạn %(due)s.", due=_fmt(due))
    return Deadline("KN-GQ", due, summary + _moved(last, due), _("Điều 28 %(law)s", law=COMPLAINT_LAW), skipped)


def denunciation_acceptance_due(received_dt: datetime) -> Deadline:
    """Denunciations: accept or refuse within 7 working days of receipt (the issue's period, not verified)."""
    start = intake_day(received_dt)
    n = DENUNCIATION_ACCEPT_WORKING_DAYS
    due = workdays.add_working_days(start, n)
    summary = _("Vào sổ, kiểm tra điều kiện và quyết định thụ lý hoặc không thụ lý tố cáo trong %(n)d ngày làm việc "
                "kể từ ngày nhận được tố cáo (%(start)s): hạn %(due)s.", n=n, start=_fmt(start), due=_fmt(due))
    citation = _("Điều 24, Điều 29 %(law)s (thời hạn theo yêu cầu nghiệp vụ, chưa đối chiếu được với văn bản gốc)",
                 law=DENUNCIATION_LAW)
    return Deadline("TC-TL", due, summary, citation, tuple(workdays.days_skipped(start, due)))


def denunciation_resolution_due(accepted_on: date, extensions: int = 0) -> Deadline:
    """Điều 30 Luật Tố cáo 2018: resolved within 30 days of acceptance, plus at most 30 days per extension.

    Once for a complex case, twice for an especially complex one: ``extensions`` above 2 is refused.
    The longest the law allows; an officer's extension may set an earlier date
    (:func:`denunciation_extension_allowed`).
    """
    if not 0 <= extensions <= DENUNCIATION_MAX_EXTENSIONS:
        raise ValueError(f"at most {DENUNCIATION_MAX_EXTENSIONS} extensions (Điều 30 Luật Tố cáo 2018)")
    n = DENUNCIATION_RESOLVE_DAYS + extensions * DENUNCIATION_EXTENSION_DAYS
    last, due, skipped = _calendar_days(accepted_on, n)
    summary = _("Giải quyết tố cáo không quá %(n)d ngày kể từ ngày thụ lý (%(start)s)",
                n=DENUNCIATION_RESOLVE_DAYS, start=_fmt(accepted_on))
    if extensions:
        summary += _(", gia hạn %(k)d lần, mỗi lần không quá %(m)d ngày", k=extensions, m=DENUNCIATION_EXTENSION_DAYS)
    summary += ": " + _("hạn %(due)s.", due=_fmt(due))
    return Deadline("TC-GQ", due, summary + _moved(last, due), _("Điều 30 %(law)s", law=DENUNCIATION_LAW), skipped)


def denunciation_extension_allowed(accepted_on: date, extensions_before: int, new_due: date) -> bool:
    """Whether one more extension to ``new_due`` stays within Điều 30 Luật Tố cáo 2018."""
    if extensions_before >= DENUNCIATION_MAX_EXTENSIONS:
        return False
    return new_due <= denunciation_resolution_due(accepted_on, extensions_before + 1).due


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
