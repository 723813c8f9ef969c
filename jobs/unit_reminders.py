"""R4: before a conference whose organizer's plan sets R4, every unit with open work is reminded of it.

The ward plans set R4 (HEZA's does not): :meth:`heza.rules.Settings.applies` decides, not the
organizer's kind. On :func:`heza.rules.unit_reminder_date` (3 days before the conference, moved
back to the last working day when that is not one), or on the first run after it while the
conference is still ahead, each address of each unit gets one email listing the unit's open
tasks (with their due dates) and agenda items for that conference. Once per conference day,
unit and address.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from heza import rules
from heza.conferences import invitations
from heza.conferences.models import AgendaItem, Conference, Task
from heza.directory.models import Unit
from heza.extensions import db
from heza.outbox import outbox
from jobs._common import count, live_conferences, office_hours


def reconcile(today: date) -> dict[str, int]:
    """Enqueue the reminders of every R4 conference whose reminder day has come."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    conferences = [
        c for c in live_conferences(Conference.held_on > today)
        if (s := c.settings()).applies("R4") and rules.unit_reminder_date(c.held_on, s).due <= today
    ]
    if not conferences:
        return counts
    ids = [c.id for c in conferences]
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id.in_(ids), Task.done_dt.is_(None))
        .options(selectinload(Task.unit)).order_by(Task.due_on, Task.id)
    ).all()
    agenda = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.conference_id.in_(ids), AgendaItem.done_dt.is_(None))
        .options(selectinload(AgendaItem.units)).order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    work: dict[tuple[int, int], dict[str, list]] = defaultdict(lambda: {"tasks": [], "agenda": []})
    units: dict[int, Unit] = {}
    for task in tasks:
        units[task.unit_id] = task.unit
        work[(task.conference_id, task.unit_id)]["tasks"].append(task)
    for item in agenda:
        for unit in item.units:
            units[unit.id] = unit
            work[(item.conference_id, unit.id)]["agenda"].append(item)
    for conference in conferences:
        settings = conference.settings()
        task_due = rules.unit_task_due(conference.held_on, settings).due
        subject = _l("Nhắc việc chuẩn bị %(title)s ngày %(day)s", title=conference.title,
                     day=f"{conference.held_on:%d/%m/%Y}")
        drafts = []
        for (conference_id, unit_id), lists in work.items():
            unit = units[unit_id]
            if conference_id != conference.id or not unit.active:
                continue
            context = {"conference": conference, "organizer": conference.organizer, "unit": unit,
                       "tasks": lists["tasks"], "agenda": lists["agenda"], "task_due": task_due}
            drafts += [
                outbox.Draft(key=invitations.day_key("unit_reminder", conference,
                                                     f"{unit.id}:{outbox.address_ref(address)}"),
                             to=(unit.name, address), subject=subject, template="unit_reminder", context=context,
                             kind=outbox.UNIT_REMINDER, language=str(unit.language or "vi"),
                             conference_id=conference.id)
                for address in unit.email_list
            ]
        sent = len(outbox.enqueue_many(drafts))
        db.session.commit()
        count(counts, "emails", sent)
    return counts
