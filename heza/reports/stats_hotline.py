"""Hotline intake and handling over a period (R11): by channel and kind, on time or late, per unit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from heza.base import local_today
from heza.extensions import db
from heza.hotline.models import LEGAL_KINDS, HotlineChannel, HotlineItem, HotlineKind, HotlineStatus, LegalStage
from heza.reports.collation import vi_sort_key
from heza.reports.periods import Period
from heza.reports.timeliness import answered_on_time, is_overdue


@dataclass
class UnitCount:
    """Hotline items assigned to one unit (or to none yet)."""

    unit_id: int | None
    name: str
    received: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class HotlineStats:
    """Hotline intake and handling for a period (R11), as of ``today``."""

    period: Period
    today: date
    items: list[HotlineItem]
    by_channel_kind: Counter[tuple[HotlineChannel, HotlineKind]]
    on_time: int
    late: int
    open: int
    overdue: int
    units: list[UnitCount]
    organizer_id: int | None = None
    unit_id: int | None = None

    @property
    def total(self) -> int:
        """Items received in the period."""
        return len(self.items)

    def channel_total(self, channel: HotlineChannel) -> int:
        """Items received through one channel."""
        return sum(n for (c, _k), n in self.by_channel_kind.items() if c == channel)

    def kind_total(self, kind: HotlineKind) -> int:
        """Items of one kind."""
        return sum(n for (_c, k), n in self.by_channel_kind.items() if k == kind)

    @property
    def handled(self) -> int:
        """Items answered or closed, on time or late."""
        return self.on_time + self.late

    def legal_by_stage(self) -> list[tuple[HotlineKind, LegalStage, int, int, int]]:
        """Complaints and denunciations by kind and legal stage: ``(kind, stage, count, in time, late)``.

        As the office reports to the inspectorate (issue 15): a closed stage (refused, resolved,
        transferred) is late when its decision came after its due date; an open one when its
        current stage is past due.
        """
        counts: Counter[tuple[HotlineKind, LegalStage]] = Counter()
        late: Counter[tuple[HotlineKind, LegalStage]] = Counter()
        for item in self.items:
            if item.kind not in LEGAL_KINDS:
                continue
            key = (item.kind, item.legal_stage or LegalStage.RECEIVED)
            counts[key] += 1
            verdict = hotline_handled_on_time(item)
            if verdict is False or (verdict is None and is_overdue(item.due_on, self.today)):
                late[key] += 1
        return [(k, st, counts[(k, st)], counts[(k, st)] - late[(k, st)], late[(k, st)])
                for k in LEGAL_KINDS for st in LegalStage if counts[(k, st)]]


HANDLED = (HotlineStatus.ANSWERED, HotlineStatus.CLOSED)


def hotline_handled_on_time(item: HotlineItem) -> bool | None:
    """True/False for an answered item (met its stored due date or not), None while it is open."""
    if item.status not in HANDLED:
        return None
    return answered_on_time(item.responded_dt, item.due_on)


def hotline_stats(period: Period, today: date | None = None, *, organizer_id: int | None = None,
                  unit_id: int | None = None) -> HotlineStats:
    """Count the hotline items received in ``period`` by channel and kind, handling and unit.

    ``unit_id`` limits the count to one unit's items (what a unit user may see).
    """
    today = today or local_today()
    first, after = period.instants()
    query = (sa.select(HotlineItem).where(HotlineItem.received_dt >= first, HotlineItem.received_dt < after)
             .options(selectinload(HotlineItem.assigned_unit))
             .order_by(HotlineItem.received_dt, HotlineItem.id))
    if organizer_id is not None:
        query = query.where(HotlineItem.organizer_id == organizer_id)
    if unit_id is not None:
        query = query.where(HotlineItem.assigned_unit_id == unit_id)
    items = list(db.session.scalars(query).all())
    matrix: Counter[tuple[HotlineChannel, HotlineKind]] = Counter((i.channel, i.kind) for i in items)
    units: dict[int | None, UnitCount] = {}
    on_time = late = still_open = overdue = 0
    for item in items:
        unit = units.get(item.assigned_unit_id)
        if unit is None:
            name = str(item.assigned_unit) if item.assigned_unit else _("Chưa phân công")
            unit = units[item.assigned_unit_id] = UnitCount(item.assigned_unit_id, name)
        unit.received += 1
        verdict = hotline_handled_on_time(item)
        if verdict is True:
            on_time += 1
            unit.on_time += 1
        elif verdict is False:
            late += 1
            unit.late += 1
        else:
            still_open += 1
            unit.open += 1
            if is_overdue(item.due_on, today):
                overdue += 1
                unit.overdue += 1
    ordered = sorted(units.values(), key=lambda u: (u.unit_id is None, vi_sort_key(u.name)))
    return HotlineStats(period, today, items, matrix, on_time, late, still_open, overdue, ordered,
                        organizer_id=organizer_id, unit_id=unit_id)
