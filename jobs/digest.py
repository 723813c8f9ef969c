"""The daily digest: each organizer's items due today, in the next 7 days, and overdue.

Working days only, one email per address (the organizer's own, else its office's, else its lead
unit's), key ``digest:<organizer>:<address>:<date>``; a day with nothing to say sends nothing.
Conference milestones (announcement day, registration cutoff, conference day) are listed with
the items.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from heza import rules
from heza.conferences.models import Conference
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.outbox import outbox
from jobs._common import count, live_conferences, office_hours, organizer_recipients
from jobs._items import DueItem, open_items

HORIZON_DAYS = 7  # "due this week": the next seven calendar days


def milestones(today: date, until: date) -> list[DueItem]:
    """The live conferences' dated steps from today to ``until``."""
    result = []
    for conference in live_conferences(Conference.held_on >= today):
        settings = conference.settings()
        organizer = conference.organizer
        steps = [
            (rules.announcement_date(conference.held_on, settings).due, _l("Đăng thông báo hội nghị (R1)")),
            (rules.registration_cutoff(conference.held_on, settings).due, _l("Hạn đăng ký, gửi kiến nghị (R2)")),
            (conference.held_on, _l("Ngày tổ chức hội nghị")),
        ]
        for day, label in steps:
            if today <= day <= until:
                result.append(DueItem(f"milestone:{conference.id}:{day}", "milestone", day, organizer, None,
                                      _Titled(label, str(conference))))  # type: ignore[arg-type]
    return result


class _Titled:
    """"<label>: <conference>", the label translated when the email is rendered (in its reader's language)."""

    def __init__(self, label: object, text: str) -> None:
        self.label, self.text = label, text

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


def reconcile(today: date) -> dict[str, int]:
    """Enqueue today's digest for each organizer that has something due."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    until = today + timedelta(days=HORIZON_DAYS)
    items = open_items(today, until=until) + milestones(today, until)
    by_organizer: dict[int, list[DueItem]] = {}
    for item in items:
        by_organizer.setdefault(item.organizer.id, []).append(item)
    organizers = db.session.scalars(
        sa.select(Organizer).where(Organizer.id.in_(list(by_organizer)))
        .options(selectinload(Organizer.office_unit), selectinload(Organizer.lead_unit))
        .order_by(Organizer.id)
    )
    for organizer in organizers:
        mine = sorted(by_organizer[organizer.id], key=lambda i: (i.due, i.kind, i.item))
        sections = {
            "overdue": [i for i in mine if i.due < today],
            "due_today": [i for i in mine if i.due == today],
            "due_week": [i for i in mine if today < i.due <= until],
        }
        recipients = _recipients(organizer)
        if not recipients:
            count(counts, "no_address")
            continue
        subject = _l("Tổng hợp hằng ngày %(day)s: %(overdue)d quá hạn, %(today)d đến hạn hôm nay",
                     day=f"{today:%d/%m/%Y}", overdue=len(sections["overdue"]), today=len(sections["due_today"]))
        context = {"organizer": organizer, "today": today, "until": until, **sections}
        drafts = [
            outbox.Draft(key=f"digest:{organizer.id}:{outbox.address_ref(address)}:{today:%Y-%m-%d}",
                         to=(name, address), subject=subject, template="digest", context=context, kind=outbox.DIGEST,
                         language=language, organizer_id=organizer.id)
            for address, name, language in recipients
        ]
        sent = len(outbox.enqueue_many(drafts))
        db.session.commit()
        count(counts, "emails", sent)
    return counts


def _recipients(organizer: Organizer) -> list[tuple[str, str, str]]:
    """The organizer's own address, else its office's addresses, else its lead unit's."""
    for unit in (None, organizer.office_unit, organizer.lead_unit):
        if unit is None and organizer.email:
            return organizer_recipients(organizer)
        if isinstance(unit, Unit) and unit.active and unit.email_list:
            return [(a, unit.name, str(unit.language or "vi")) for a in unit.email_list]
    return []
