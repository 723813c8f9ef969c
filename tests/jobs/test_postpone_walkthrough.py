"""Issue 17: a postponement republishes the notice with the new dates and the quorum is judged again.

HEZA, conference Tuesday 5/5/2026 (R1 21/4, cutoff 23/4), quorum lowered to 2 enterprises and
1 recommendation. One enterprise registers by the cutoff: short on 24/4, and the organizer
postpones the same day to Tuesday 26/5 (new R1 15/5, cutoff 19/5, check 20/5). Everyone invited is
told the new date and the new cutoff; the portal, the notice and both feeds show only the new
dates; the notice is posted again on the new R1 day; a second enterprise registers and recommends
on 12/5 and the quorum, judged again on 20/5, is met.
"""

from __future__ import annotations

from datetime import date

import time_machine

from heza.base import local_date_of, now_utc
from heza.conferences import decisions, operations, states
from heza.conferences.models import Channel, Conference, ConferenceStatus, Registration
from heza.extensions import db as _db
from heza.recommendations.models import Field, Recommendation
from tests.jobs.conftest import heza_world
from tests.jobs.walk import at, walk

OLD_DAY, NEW_DAY = date(2026, 5, 5), date(2026, 5, 26)
OLD = ("05/05/2026", "23/04/2026")  # the old day and cutoff
NEW = ("26/05/2026", "19/05/2026")


def test_postponement_republishes_and_the_quorum_is_judged_again(app, smtp, runner, client):
    with time_machine.travel(at(date(2026, 4, 1), 9), tick=False) as traveller:
        world = heza_world(held_on=OLD_DAY, quorum_enterprises=2, quorum_recommendations=1)
        _db.session.commit()
        conference_id = world.conference.id
        first, second = world.enterprises[0], world.enterprises[1]

        def conference() -> Conference:
            return _db.session.get(Conference, conference_id)

        def register(enterprise) -> None:
            _db.session.add(Registration(conference_id=conference_id, enterprise_id=enterprise.id,
                                         channel=Channel.LINK, received_dt=now_utc()))

        def recommend(enterprise) -> None:
            _db.session.add(Recommendation(organizer_id=world.organizer.id, enterprise_id=enterprise.id,
                                           conference_id=conference_id, field=Field.TAX, channel=Channel.LINK,
                                           content="Đề nghị hướng dẫn hoàn thuế", received_dt=now_utc()))

        def postpone() -> None:
            operations.postpone(conference(), NEW_DAY, "Chưa đủ điều kiện tổ chức", date(2026, 4, 24))

        portal: dict[str, str] = {}

        def look_at_the_portal(label: str):
            def look() -> None:
                notice = states.invitation_notice(conference())
                pages = [client.get("/doi-thoai-doanh-nghiep/"),
                         client.get(f"/doi-thoai-doanh-nghiep/{notice.id}", follow_redirects=True),
                         client.get("/doi-thoai-doanh-nghiep/feed.atom"),
                         client.get(f"/o/{world.organizer.slug}/feed.json")]
                assert all(p.status_code == 200 for p in pages)
                portal[label] = "\n".join(p.get_data(as_text=True) for p in pages)
                portal[label + ":published"] = f"{local_date_of(notice.published_dt):%d/%m/%Y}"
            return look

        mails = walk(traveller, runner, smtp, date(2026, 4, 20), date(2026, 5, 21),
                     events={date(2026, 4, 22): [lambda: register(first)],
                             date(2026, 4, 24): [postpone, look_at_the_portal("after")],
                             date(2026, 5, 12): [lambda: register(second), lambda: recommend(second)]},
                     mornings={date(2026, 4, 21): [look_at_the_portal("before")],
                               date(2026, 5, 15): [look_at_the_portal("r1")]})

    # Before: the old dates. After the postponement: only the new ones, anywhere on the portal.
    assert all(d in portal["before"] for d in OLD)
    for label in ("after", "r1"):
        assert all(d in portal[label] for d in NEW), label
        assert not any(d in portal[label] for d in OLD), label
    assert "Thông báo điều chỉnh" in portal["after"] and "15/05/2026" in portal["after"]  # the new R1 day
    # Posted again on the new R1 day.
    assert portal["before:published"] == "21/04/2026" and portal["r1:published"] == "15/05/2026"

    # Everyone invited on 21/4 gets the update on 24/4, stating the new date and the new cutoff.
    invited = {m.to for m in mails if m.kind == "invitation" and m.day == date(2026, 4, 21)}
    updates = [m for m in mails if m.kind == "postponement"]
    assert {m.to for m in updates} == invited and {m.day for m in updates} == {date(2026, 4, 24)}
    for m in updates:
        assert "26/05/2026" in m.text and "Hạn mới đăng ký tham dự và gửi kiến nghị: hết ngày 19/05/2026" in m.text
    assert not [m for m in mails if m.kind == "invitation" and m.day > date(2026, 4, 21)]  # nobody twice

    # The quorum: short on 24/4, judged again after the new cutoff (20/5) and met.
    quorum = sorted((m.day, "CHƯA đủ" in m.text) for m in mails if m.kind == "quorum"
                    and m.to == "heza@demo.heza.vn")
    assert quorum == [(date(2026, 4, 24), True), (date(2026, 5, 20), False)]
    with app.app_context():
        c = _db.session.get(Conference, conference_id)
        assert c.status == ConferenceStatus.POSTPONED and c.held_on == NEW_DAY
        assert not decisions.awaiting_decision(c, date(2026, 5, 21))


def test_postponed_without_a_new_day_the_portal_shows_no_date_as_current(app, smtp, runner, client):
    with time_machine.travel(at(date(2026, 4, 1), 9), tick=False) as traveller:
        world = heza_world(held_on=OLD_DAY)
        _db.session.commit()
        conference_id = world.conference.id
        seen: dict[str, str] = {}

        def postpone() -> None:
            operations.postpone(_db.session.get(Conference, conference_id), None, "Chờ ý kiến Thành phố",
                                date(2026, 4, 22))

        def look() -> None:
            notice = states.invitation_notice(_db.session.get(Conference, conference_id))
            pages = [client.get("/doi-thoai-doanh-nghiep/"),
                     client.get(f"/doi-thoai-doanh-nghiep/{notice.id}", follow_redirects=True),
                     client.get(f"/doi-thoai-doanh-nghiep/{notice.id}/in"),
                     client.get("/doi-thoai-doanh-nghiep/feed.atom")]
            assert all(p.status_code == 200 for p in pages)
            seen["portal"] = "\n".join(p.get_data(as_text=True) for p in pages)

        mails = walk(traveller, runner, smtp, date(2026, 4, 20), date(2026, 4, 28),
                     events={date(2026, 4, 22): [postpone, look]})

    assert not any(d in seen["portal"] for d in OLD)
    assert "thời gian mới sẽ được thông báo sau" in seen["portal"]
    assert {m.day for m in mails if m.kind == "postponement"} == {date(2026, 4, 22)}
    assert not [m for m in mails if m.kind == "quorum"]  # no day, nothing to judge
