"""Overdue alerts (R4–R7, R9–R11): the unit that owes an item is told until it is done.

The first alert goes on the day after the due date (the next working day if that is not one;
for a conference task never later than the last working day before the conference),
then every N working days (the organizer's ``overdue_repeat_working_days``) while the item is
open (:func:`heza.rules.alert_due`). The ladder counts the alerts each item already had
(:class:`~heza.outbox.models.OverdueAlert` rows) and spaces them from the last one, so after days
of downtime one run sends one alert, not one per missed day, and the next follows N working days later.

Each recipient of a unit gets one email a day grouping every item of the unit due for an alert,
with the supervising unit in copy; key ``overdue:<unit>:<address>:<date>``. Working days only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from heza import rules
from heza.base import now_utc
from heza.chunks import chunked
from heza.deadlines import due_state
from heza.directory.models import Unit
from heza.extensions import db
from heza.outbox import outbox
from heza.outbox.models import OverdueAlert
from jobs._common import count, office_hours, unit_addresses
from jobs._items import DueItem, open_items


def alerts_sent(items: list[str]) -> dict[str, tuple[int, date]]:
    """How many alerts each item has had, and the day of the last one."""
    result: dict[str, tuple[int, date]] = {}
    for chunk in chunked(items):
        rows = db.session.execute(
            sa.select(OverdueAlert.item, sa.func.count(), sa.func.max(OverdueAlert.sent_on))
            .where(OverdueAlert.item.in_(chunk)).group_by(OverdueAlert.item)
        )
        result.update({item: (n, last) for item, n, last in rows})
    return result


def reconcile(today: date) -> dict[str, int]:
    """Send today's overdue alerts, one email per recipient grouping the unit's items."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    # Items due today too: a task due the last working day before its conference is alerted that day.
    overdue = open_items(today, until=today)
    sent_before = alerts_sent([i.item for i in overdue])
    by_unit: dict[int, list[tuple[DueItem, int]]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for item in overdue:
        n, last = sent_before.get(item.item, (0, None))
        if not rules.alert_due(item.due, today, n, item.organizer.settings(), last_alert_on=last, before=item.before):
            continue
        if item.unit is None:
            count(counts, "no_unit")
            continue
        units[item.unit.id] = item.unit
        by_unit[item.unit.id].append((item, n))
    for unit_id, entries in by_unit.items():
        unit = units[unit_id]
        inserted = _alert_unit(unit, entries, today)
        if inserted:
            _record(entries, today, inserted[0])
            count(counts, "items", len(entries))
            count(counts, "emails", len(inserted))
        elif not unit.email_list:
            count(counts, "no_address")
        db.session.commit()
    return counts


def _alert_unit(unit: Unit, entries: list[tuple[DueItem, int]], today: date) -> list[str]:
    cc = unit_addresses([unit.supervisor]) if unit.supervisor_id else []
    rows = [
        {"item": item, "alert_number": n + 1, "overdue_days": -(due_state(item.due, today) or 0)}
        for item, n in entries
    ]
    # The alert speaks for the organizer the overdue work belongs to (a shared city agency may owe
    # work to several: then it goes out in no single organizer's name).
    owners = {item.organizer.id: item.organizer for item, _n in entries}
    organizer = next(iter(owners.values())) if len(owners) == 1 else None
    context = {"unit": unit, "rows": rows, "today": today, "organizer": organizer}
    subject = _l("Cảnh báo quá hạn: %(count)d việc của %(unit)s", count=len(rows), unit=unit.name)
    drafts = [
        outbox.Draft(key=f"overdue:{unit.id}:{outbox.address_ref(address)}:{today:%Y-%m-%d}", to=(unit.name, address),
                     subject=subject, template="overdue", context=context, kind=outbox.OVERDUE,
                     language=str(unit.language or "vi"), cc=cc,
                     organizer_id=organizer.id if organizer is not None else None)
        for address in unit.email_list
    ]
    return list(outbox.enqueue_many(drafts))


def _record(entries: list[tuple[DueItem, int]], today: date, email_key: str) -> None:
    """Count the alert for each item (insert-if-absent, so a racing run cannot count twice)."""
    dialect = db.session.get_bind(mapper=sa.inspect(OverdueAlert)).dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(OverdueAlert.__table__).on_conflict_do_nothing(index_elements=["item", "n"])
    now = now_utc()
    db.session.execute(stmt, [{"item": item.item, "n": n, "sent_on": today, "email_key": email_key,
                               "created_dt": now} for item, n in entries])
