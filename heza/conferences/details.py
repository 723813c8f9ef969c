"""What the conference's details page shows: every rule date with its reason, quorum progress, invitations.

Every date comes from :mod:`heza.rules` with the conference's effective settings (its organizer's
plan and numbers, with the conference's overrides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from heza import rules
from heza.conferences.models import Conference
from heza.conferences.quorum import received
from heza.i18n import weekday_name

# --------------------------------------------------------------------------- what the screen shows


@dataclass(frozen=True)
class DateRow:
    """One computed date of the conference, with its rule and the reason it falls there."""

    key: str
    label: str
    rule: str
    due: date
    explanation: str

    def state(self, today: date) -> str:
        if self.due < today:
            return "past"
        return "today" if self.due == today else "future"


def conference_dates(conference: Conference, quorum: rules.Quorum | None = None) -> list[DateRow]:
    """R1–R7 for ``conference`` from its effective settings, in the order they happen."""
    s = conference.settings()
    held = conference.held_on

    def row(key: str, label: str, deadline: rules.Deadline) -> DateRow:
        return DateRow(key, label, deadline.rule, deadline.due, deadline.explain())

    cutoff = rules.registration_cutoff(held, s)
    rows = [
        row("announcement", _("Đăng thông báo hội nghị, gửi thư mời"), rules.announcement_date(held, s)),
        row("nudge", _("Nhắc doanh nghiệp chưa đăng ký"), rules.registration_nudge_date(held, s)),
        row("cutoff", _("Hạn đăng ký tham dự và gửi kiến nghị"), cutoff),
        DateRow("quorum", _("Xét điều kiện tổ chức hội nghị"), "R3", cutoff.due,
                (quorum or rules.quorum(0, 0, s)).explain()),
        row("unit_tasks", _("Các đơn vị hoàn thành nhiệm vụ"), rules.unit_task_due(held, s)),
        row("unit_reminder", _("Nhắc các đơn vị"), rules.unit_reminder_date(held, s)),
        DateRow("held", _("Ngày tổ chức hội nghị"), "", held,
                _("Hội nghị diễn ra ngày %(day)s (%(weekday)s).", day=f"{held:%d/%m/%Y}",
                  weekday=weekday_name(held))),
        row("answers", _("Trả lời kiến nghị"), rules.answer_due(held, False, s)),
        row("answers_coordination", _("Trả lời kiến nghị cần phối hợp"), rules.answer_due(held, True, s)),
        row("report", _("Gửi báo cáo kết quả"), rules.report_due(held, s)),
        row("conclusion", _("Đăng thông báo kết luận"), rules.conclusion_due(held, s)),
    ]
    return sorted(rows, key=lambda r: r.due)


@dataclass(frozen=True)
class QuorumProgress:
    """The R3 counts by the R2 cutoff, with what arrived late for context."""

    quorum: rules.Quorum
    registrations_total: int
    recommendations_total: int
    cutoff: date


def quorum_progress(conference: Conference) -> QuorumProgress:
    """R3 by the R2 cutoff (:mod:`heza.conferences.quorum`), with the totals received so far."""
    s = conference.settings()
    registrations, recommendations = received([conference.id])[conference.id]
    return QuorumProgress(rules.quorum_of(registrations, recommendations, conference.held_on, s),
                          len(registrations), len(recommendations),
                          rules.registration_cutoff(conference.held_on, s).due)


@dataclass(frozen=True)
class InvitationRow:
    name: str
    kind: str
    email: str
    registered_dt: datetime | None
    in_time: bool | None
    withdrawn: bool


def invitation_rows(conference: Conference) -> list[InvitationRow]:
    """Who is invited, and for enterprises whether and when they registered."""
    s = conference.settings()
    registrations = {r.enterprise_id: r for r in conference.registrations}
    rows = []
    for inv in conference.invitations:
        if inv.enterprise is not None:
            reg = registrations.get(inv.enterprise_id)
            rows.append(InvitationRow(
                str(inv.enterprise), _("Doanh nghiệp"), inv.enterprise.email,
                reg.received_dt if reg else None,
                rules.received_in_time(reg.received_dt, conference.held_on, s) if reg else None,
                bool(reg and reg.withdrawn_dt),
            ))
        elif inv.unit is not None:
            rows.append(InvitationRow(str(inv.unit), _("Cơ quan, đơn vị"), inv.unit.emails, None, None, False))
    # Enterprises that registered without an invitation (a ward's open audience) are listed too.
    invited = {inv.enterprise_id for inv in conference.invitations}
    for enterprise_id, reg in registrations.items():
        if enterprise_id not in invited:
            rows.append(InvitationRow(
                str(reg.enterprise), _("Doanh nghiệp (tự đăng ký)"), reg.enterprise.email, reg.received_dt,
                rules.received_in_time(reg.received_dt, conference.held_on, s), reg.withdrawn_dt is not None,
            ))
    return sorted(rows, key=lambda r: (r.kind, r.name))
