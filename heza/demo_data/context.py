"""The state one demo load shares between its steps: the session, the load day, and what was added so far."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from heza import workdays
from heza.demo_data import directory as D
from heza.demo_data.dates import last_working_day
from heza.demo_data.logins import LoadResult
from heza.directory.models import Enterprise, Organizer, Unit, Zone

RANDOM_SEED = 20_261_124  # the same load day gives the same demo (passwords aside)


class Demo:
    """One load of the demo into ``session`` (its steps add and flush, never commit).

    Organizers, units, zones and enterprises are kept by the keys of the tables in
    :mod:`heza.demo_data` ("heza", "phu-lien", "dn", "KCN-DV", "saobien", ...).
    """

    def __init__(self, session: Any, today: date) -> None:
        self.session = session
        self.today = today
        self.base = last_working_day(today)
        self.rng = random.Random(RANDOM_SEED)
        self.organizers: dict[str, Organizer] = {}
        self.units: dict[str, Unit] = {}
        self.zones: dict[str, Zone] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.result = LoadResult(today)
        self.conferences: dict[str, Any] = {}  # by scenario name ("collecting", "held", ...)
        self._person = 0

    def add(self, obj: Any) -> Any:
        self.session.add(obj)
        return obj

    def wd(self, n: int, start: date | None = None) -> date:
        """The ``n``-th working day after (``n < 0``: before) ``start`` (default: the base day)."""
        return workdays.add_working_days(start or self.base, n)

    def next_person(self) -> str:
        name = D.PEOPLE[self._person % len(D.PEOPLE)]
        self._person += 1
        return name

    def zone_enterprises(self) -> list[Enterprise]:
        return [e for e in self.enterprises.values() if e.zone is not None]

    def ward_enterprises(self, ward_key: str) -> list[Enterprise]:
        ward = self.organizers[ward_key]
        return [e for e in self.enterprises.values() if e.ward is ward]
