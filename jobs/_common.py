"""Small helpers the jobs share: which conferences are live, who a unit's mail goes to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from heza import workdays
from heza.conferences import states
from heza.conferences.models import Conference
from heza.directory.models import Organizer, Unit
from heza.extensions import db


def office_hours(today: date) -> bool:
    """People are written to on working days only (the morning run); days off send nothing."""
    return workdays.is_working_day(today)


def live_conferences(*conditions: sa.ColumnElement[bool]) -> list[Conference]:
    """Conferences expected to take place, with what the jobs read of them loaded up front."""
    return list(db.session.scalars(
        sa.select(Conference)
        .where(states.scheduled_filter(), *conditions)
        .options(
            selectinload(Conference.organizer).selectinload(Organizer.lead_unit),
            selectinload(Conference.organizer).selectinload(Organizer.office_unit),
            selectinload(Conference.organizer).selectinload(Organizer.plans),  # settings() reads them
            selectinload(Conference.announcements),
        )
        .order_by(Conference.held_on, Conference.id)
    ))


def organizer_recipients(organizer: Organizer, *units: Unit | None) -> list[tuple[str, str, str]]:
    """``(address, name, language)`` for the organizer's own email and each given unit's, without repeats."""
    seen: set[str] = set()
    result: list[tuple[str, str, str]] = []
    if organizer.email:
        seen.add(organizer.email.lower())
        result.append((organizer.email, organizer.name, "vi"))
    for unit in units:
        if unit is None or not unit.active:
            continue
        for address in unit.email_list:
            if address.lower() not in seen:
                seen.add(address.lower())
                result.append((address, unit.name, str(unit.language or "vi")))
    return result


def unit_addresses(units: Iterable[Unit | None]) -> list[str]:
    """Every address of the given units, without repeats (for CC lines)."""
    seen: dict[str, str] = {}
    for unit in units:
        if unit is not None and unit.active:
            for address in unit.email_list:
                seen.setdefault(address.lower(), address)
    return list(seen.values())


def count(counts: dict[str, int], name: str, n: int = 1) -> None:
    """Add ``n`` to ``counts[name]`` (a zero leaves no trace, so an idle run reports ``{}``)."""
    if n:
        counts[name] = counts.get(name, 0) + n
