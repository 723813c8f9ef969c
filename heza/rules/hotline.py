"""R11 (hotline response times, intake on working days) and the legal periods of complaints and denunciations.

Read as ``heza.rules.X`` like every other rule (re-exported there).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from heza import workdays
from heza.base import local_date_of, to_local
from heza.rule_values import Deadline, Settings
from heza.rules.counting import fmt as _fmt

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
