"""R8: a ward whose plan sets two conferences a year is alerted when a period passes without one.

Phù Liễn's only conference of 2026 is on Tuesday 14/7 (postponed from May): nothing held in the
first half-year, so on Wednesday 1/7 its lead unit is told; after the year ends with no conference
in Q4 and one short of the minimum, it is told again on Monday 4/1/2027 (1/1 is New Year's Day).
HEZA's plan does not set R8: never alerted. Walked day by day through ``heza jobs run all``.
"""

from __future__ import annotations

from datetime import date

import time_machine

from heza import rules, tenancy
from heza.conferences.models import ConferenceStatus
from heza.extensions import db as _db
from heza.overview.queries import city_overview, year_checks
from tests.jobs.conftest import heza_world, ward_world
from tests.jobs.walk import at, walk


def test_a_ward_behind_on_its_yearly_conferences_is_alerted_per_period(app, smtp, runner):
    with time_machine.travel(at(date(2026, 6, 1), 9), tick=False) as traveller:
        ward = ward_world(held_on=date(2026, 7, 14))
        heza = heza_world(held_on=date(2026, 3, 3), quorum_enterprises=0, quorum_recommendations=0,
                          status=ConferenceStatus.HELD)
        _db.session.commit()
        summer = walk(traveller, runner, smtp, date(2026, 6, 29), date(2026, 7, 3))
        winter = walk(traveller, runner, smtp, date(2026, 12, 30), date(2027, 1, 5))

        # The dashboard's figures and the city overview's come from the same check, and agree.
        check = year_checks(2026, tenancy.SYSTEM)[ward.organizer.id][1]
        assert (check.count, check.needed, check.first_half, check.fourth_quarter) == (1, 2, 0, 0)
        assert year_checks(2026, tenancy.SYSTEM)[heza.organizer.id][1] is None  # its plan sets no R8
        row = next(r for r in city_overview(2026, date(2027, 1, 5), tenancy.SYSTEM).rows
                   if r.organizer_id == ward.organizer.id)
        assert (row.held, row.minimum, row.shortfall) == (check.count, check.needed, check.shortfall)

    r8 = [m for m in summer + winter if m.kind == "ward_conferences"]
    assert sorted((m.day, m.to) for m in r8) == [(date(2026, 7, 1), "kinhte.phulien@demo.heza.vn"),
                                                 (date(2027, 1, 4), "kinhte.phulien@demo.heza.vn")]
    first, second = r8
    assert "chưa tổ chức hội nghị đối thoại lần 1 của năm 2026" in first.text
    assert "Hội nghị đã tổ chức trong năm: 0 / tối thiểu 2" in first.text
    assert "chưa tổ chức đủ hội nghị đối thoại của năm 2026" in second.text
    assert "Hội nghị đã tổ chức trong năm: 1 / tối thiểu 2" in second.text
    assert rules.ward_conference_period_due(2026, "Q4", rules.Settings()).due == date(2026, 12, 31)
