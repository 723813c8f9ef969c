"""Issue 17: a reasoned extension of an answer (R5) and of a hotline item (R11) outlives recomputation.

HEZA, conference Tuesday 3/3/2026. A recommendation received 2/3 is due 12/3 (R5, 7 working days);
on 5/3 the officer extends it to 20/3 "vì chờ ý kiến Sở Tài nguyên". A hotline feedback received
2/3 is due 9/3 (R11, 5 working days); on 5/3 it is extended to 16/3. On 9/3 the calendar gains an
extra day off (11/3) and every open deadline is recomputed: the rule's dates move, the extensions do
not. No overdue alert goes out for either before its extended date; the first ones come after it.
"""

from __future__ import annotations

from datetime import date

import time_machine

from heza import deadlines
from heza.base import now_utc
from heza.calendar.models import CalendarOverride
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
from heza.recommendations.models import Field, Recommendation
from tests.jobs.conftest import heza_world
from tests.jobs.walk import at, walk

ANSWER = "Đề nghị hướng dẫn gia hạn thuê đất"
FEEDBACK = "Đường vào KCN Đình Vũ ngập nước"


def test_extensions_survive_a_calendar_override(app, smtp, runner):
    with time_machine.travel(at(date(2026, 2, 20), 9), tick=False) as traveller:
        world = heza_world(held_on=date(2026, 3, 3), quorum_enterprises=0, quorum_recommendations=0)
        _db.session.commit()
        ids: dict[str, int] = {}

        def receive() -> None:
            rec = Recommendation(organizer_id=world.organizer.id, enterprise_id=world.enterprises[0].id,
                                 conference_id=world.conference.id, field=Field.LAND, channel="email",
                                 content=ANSWER, received_dt=now_utc(), responsible_unit_id=world.lead.id)
            item = HotlineItem(organizer_id=world.organizer.id, channel=HotlineChannel.HOTLINE,
                               kind=HotlineKind.FEEDBACK, content=FEEDBACK, received_dt=now_utc())
            _db.session.add_all([rec, item])
            _db.session.flush()
            ids["rec"], ids["hotline"] = rec.id, item.id

        def rec() -> Recommendation:
            return _db.session.get(Recommendation, ids["rec"])

        def hotline() -> HotlineItem:
            return _db.session.get(HotlineItem, ids["hotline"])

        def extend() -> None:
            assert (rec().due_on, hotline().due_on) == (date(2026, 3, 12), date(2026, 3, 9))
            deadlines.extend(rec(), date(2026, 3, 20), "chờ ý kiến Sở Tài nguyên")
            deadlines.extend(hotline(), date(2026, 3, 16), "cần khảo sát hiện trường")

        def day_off() -> None:
            _db.session.add(CalendarOverride(day=date(2026, 3, 11), is_working=False, note="Nghỉ đột xuất"))
            _db.session.commit()
            deadlines.refresh_open_deadlines()

        mails = walk(traveller, runner, smtp, date(2026, 3, 2), date(2026, 3, 24),
                     events={date(2026, 3, 2): [receive], date(2026, 3, 5): [extend], date(2026, 3, 9): [day_off]})

        # Kept through the recomputation, explained with the rule's own (moved) date and the extension.
        r, h = rec(), hotline()
        assert r.due_on == date(2026, 3, 20) and h.due_on == date(2026, 3, 16)
        assert deadlines.rule_deadline(_db.session, r).due == date(2026, 3, 13)  # 11/3 is now off
        assert "hạn 13/03/2026" in r.due_basis and "11/03/2026" in r.due_basis
        assert "Gia hạn đến 20/03/2026 vì chờ ý kiến Sở Tài nguyên" in r.due_basis
        assert "Gia hạn đến 16/03/2026 vì cần khảo sát hiện trường" in h.due_basis
        assert r.extended_by and r.extended_dt is not None

    def alert_days(text: str) -> list[date]:
        return sorted({m.day for m in mails if m.kind == "overdue" and text in m.text})

    assert alert_days(ANSWER)[0] == date(2026, 3, 23)
    assert alert_days(FEEDBACK)[0] == date(2026, 3, 17)
