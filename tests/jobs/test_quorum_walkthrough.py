"""Issue 17: the quorum counts only registered enterprises' recommendations, and a missed quorum waits.

HEZA, conference Tuesday 5/5/2026 (R1 21/4, cutoff 23/4, quorum judged 24/4), with the plan's
15 enterprises and 5 recommendations. Fifteen enterprises register in time and five recommendations
arrive in time, two of them from enterprises that never registered: not met (plan 001: "tối thiểu
05 kiến nghị của các doanh nghiệp đăng ký tham dự"). Nobody decides; the conference is not marked
held when its day passes, and the digest and overdue alerts keep asking until an officer records,
on 7/5, that it went ahead anyway (with a reason); then it is recorded as held the next morning.
"""

from __future__ import annotations

from datetime import date

import time_machine

from heza.base import local_today, now_utc
from heza.conferences import decisions
from heza.conferences.models import Channel, Conference, ConferenceStatus, Registration, ReportKind
from heza.extensions import db as _db
from heza.recommendations.models import Field, Recommendation
from heza.reports.records import find_report
from tests.jobs.conftest import heza_world
from tests.jobs.walk import at, walk

HELD_ON = date(2026, 5, 5)
DECISION = "Quyết định hoãn, dừng hoặc vẫn tổ chức hội nghị chưa đủ điều kiện (R3)"


def test_outsiders_do_not_make_the_quorum_and_the_missed_quorum_waits_for_a_decision(app, smtp, runner):
    with time_machine.travel(at(date(2026, 4, 1), 9), tick=False) as traveller:
        world = heza_world(held_on=HELD_ON, enterprises=17)
        _db.session.commit()
        conference_id = world.conference.id
        registered, outsiders = world.enterprises[:15], world.enterprises[15:]

        def conference() -> Conference:
            _db.session.expire_all()
            return _db.session.get(Conference, conference_id)

        def registrations_and_recommendations() -> None:
            for e in registered:
                _db.session.add(Registration(conference_id=conference_id, enterprise_id=e.id, channel=Channel.LINK,
                                             received_dt=now_utc()))
            for e in (*registered[:3], *outsiders):
                _db.session.add(Recommendation(organizer_id=world.organizer.id, enterprise_id=e.id,
                                               conference_id=conference_id, field=Field.LAND, channel=Channel.LINK,
                                               content=f"Kiến nghị của {e.name}", received_dt=now_utc()))

        def not_held() -> None:
            c = conference()
            assert c.status == ConferenceStatus.ANNOUNCED
            assert find_report(c, ReportKind.RESULT) is None
            assert decisions.awaiting_decision(c, local_today())

        def go_ahead() -> None:
            decisions.go_ahead_anyway(conference(), "Lãnh đạo Ban chỉ đạo vẫn tổ chức để trả lời 3 kiến nghị",
                                       date(2026, 5, 7))

        mails = walk(traveller, runner, smtp, date(2026, 4, 20), date(2026, 5, 12),
                     events={date(2026, 4, 22): [registrations_and_recommendations],
                             date(2026, 5, 7): [go_ahead]},
                     mornings={date(2026, 5, 6): [not_held], date(2026, 5, 7): [not_held]})

    # The quorum alert of 24/4 gives both counts and the excluded recommendations.
    quorum = [m for m in mails if m.kind == "quorum" and m.to == "heza@demo.heza.vn"]
    assert [m.day for m in quorum] == [date(2026, 4, 24)]
    text = quorum[0].text
    assert "Doanh nghiệp đăng ký tham dự: 15 / tối thiểu 15" in text
    assert "Kiến nghị của các doanh nghiệp đăng ký: 3 / tối thiểu 5" in text
    assert "2 kiến nghị của doanh nghiệp chưa đăng ký" in text
    assert "CHƯA đủ điều kiện" in text

    # The digest asks for the decision every working day from the check day until it is taken.
    digests = [m for m in mails if m.kind == "digest" and m.to == "heza@demo.heza.vn"]
    asking = sorted(m.day for m in digests if DECISION in m.text)
    assert asking[0] == date(2026, 4, 24) and asking[-1] == date(2026, 5, 7)
    assert date(2026, 5, 6) in asking  # the conference day has passed: still asking
    assert not [m for m in digests if m.day > date(2026, 5, 7) and DECISION in m.text]

    # The overdue ladder asks the lead unit (DN&GSĐT) too, also after the conference day, then stops.
    alerts = sorted(m.day for m in mails if m.kind == "overdue" and m.to == "dngsdt@demo.heza.vn"
                    and DECISION in m.text)
    assert alerts and alerts[0] > date(2026, 4, 24)
    assert any(d > HELD_ON for d in alerts) and max(alerts) <= date(2026, 5, 7)
    after = [m for m in mails if m.kind == "overdue" and m.day > date(2026, 5, 7)]
    assert not [m for m in after if DECISION in m.text or "dừng, hoãn" in m.text]

    # Decided on 7/5: held the next morning, with the decision kept (who, when, why).
    with app.app_context():
        c = _db.session.get(Conference, conference_id)
        assert c.status == ConferenceStatus.HELD
        assert c.quorum_waiver_reason.startswith("Lãnh đạo Ban chỉ đạo vẫn tổ chức")
        assert c.quorum_waived_dt is not None and c.quorum_waived_by
        assert find_report(c, ReportKind.RESULT) is not None
