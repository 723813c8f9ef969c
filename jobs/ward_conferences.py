"""R8: each organizer whose plan sets R8 is alerted when a period of the year passes without its conference.

Seed 004: "Tổ chức hội nghị đối thoại ít nhất 02 lần/năm; lần 1 dự kiến vào tháng 5; lần 2 dự kiến
trong quý 4". On the first working day after 30/6 (and on any later run that year), an organizer
that held no conference in the first half-year is told; on the first working day after 31/12 (and
on any run of the next year), one that held none in Q4 or fewer than its minimum over the year.
The conferences counted are those recorded as held (:func:`heza.overview.queries.year_checks`,
which the dashboard and the city overview show); a period that closed before the organizer was
entered in the system is not judged. One email per address, period and year:
``r8:<organizer>:<year>-<period>:<address>``, to the organizer's own address and its lead unit.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from heza import rules, tenancy
from heza.base import local_date_of
from heza.extensions import db
from heza.outbox import outbox
from heza.overview.queries import year_checks
from jobs._common import count, office_hours, organizer_recipients


def reconcile(today: date) -> dict[str, int]:
    """Alert every R8 organizer for each period of this year or the last that closed short."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    for year in (today.year - 1, today.year):
        checks = year_checks(year, tenancy.SYSTEM)
        for organizer, check in checks.values():
            if check is None:
                continue
            settings = organizer.settings()
            for period in rules.WARD_CONFERENCE_PERIODS:
                deadline = rules.ward_conference_period_due(year, period, settings)
                if today < rules.first_alert_day(deadline.due) or not check.missed(period):
                    continue
                if year < today.year and period == "H1":
                    continue  # last year's first half was told about last year
                if organizer.created_dt and local_date_of(organizer.created_dt) > deadline.due:
                    continue  # not in the system yet when the period closed: nothing to judge
                count(counts, "emails", _alert(organizer, check, period, deadline))
    db.session.commit()
    return counts


def _alert(organizer, check: rules.YearCheck, period: str, deadline: rules.Deadline) -> int:
    recipients = organizer_recipients(organizer, organizer.lead_unit)
    subject = (_l("Chưa tổ chức hội nghị đối thoại lần 1 năm %(y)d (R8)", y=check.year) if period == "H1" else
               _l("Chưa đủ số hội nghị đối thoại năm %(y)d (R8)", y=check.year))
    context = {"organizer": organizer, "check": check, "period": period, "deadline": deadline}
    drafts = [
        outbox.Draft(key=f"r8:{organizer.id}:{check.year}-{period}:{outbox.address_ref(address)}",
                     to=(name, address), subject=subject, template="ward_conferences", context=context,
                     kind=outbox.WARD_CONFERENCES, language=language, organizer_id=organizer.id)
        for address, name, language in recipients
    ]
    return len(outbox.enqueue_many(drafts))
