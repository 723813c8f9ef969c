"""The recommendation screen: due dates, days left or overdue, filters, the answer form."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from heza import rules, workdays
from heza.accounts.models import Role
from heza.base import LOCAL_ZONE
from heza.recommendations.admin import OverdueFilter
from heza.recommendations.models import AnswerMethod, Recommendation, RecommendationStatus
from tests import factories as f
from tests.admin_screens.conftest import HELD_ON, filter_arg, post, text

# Monday 16/3/2026: the 7-working-day answers (due Thursday 12/3) are two working days late,
# the 14-day ones (due Monday 23/3) have five left.
AS_OF = datetime(2026, 3, 16, 9, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture()
def as_of():
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture()
def three(db):
    """An overdue open recommendation, one still in time (coordination), one answered; committed."""
    conference = f.conference(held_on=HELD_ON)
    dept = f.unit(conference.organizer, name="Phòng Quy hoạch")
    other = f.unit(conference.organizer, name="Phòng Môi trường")
    overdue = f.recommendation(conference, responsible_unit=dept, content="Kiến nghị quá hạn")
    in_time = f.recommendation(conference, responsible_unit=other, needs_coordination=True,
                               content="Kiến nghị còn hạn")
    answered = f.recommendation(conference, responsible_unit=dept, content="Kiến nghị đã trả lời",
                                status=RecommendationStatus.ANSWERED, answer="Đã hướng dẫn",
                                answered_dt=f.at_local(date(2026, 3, 10)), answer_method=AnswerMethod.IN_WRITING)
    db.session.commit()
    return overdue, in_time, answered, dept, other, conference


def references(html: str) -> set[str]:
    return set(re.findall(r"KN-\d{4}-\d{6}", html))


def test_list_shows_due_dates_and_days_left_or_overdue(client, db, login, three, as_of):
    overdue, in_time, answered, *_ = three
    login(Role.OFFICER)

    html = text(client.get("/admin/recommendation/"))

    assert overdue.due_on == date(2026, 3, 12) and in_time.due_on == date(2026, 3, 23)
    late_by = workdays.working_days_between(overdue.due_on, AS_OF.date())
    left = workdays.working_days_between(AS_OF.date(), in_time.due_on)
    assert (late_by, left) == (2, 5)
    assert f"Quá hạn {late_by} ngày làm việc" in html
    assert f"Còn {left} ngày làm việc" in html
    assert "Trả lời đúng hạn" in html
    assert "12/03/2026" in html and "23/03/2026" in html


def test_overdue_filter(client, db, login, three, as_of):
    overdue, in_time, answered, *_ = three
    login(Role.OFFICER)
    arg = filter_arg(client.application, "recommendation", OverdueFilter)

    only_overdue = references(text(client.get(f"/admin/recommendation/?{arg}=1")))
    not_overdue = references(text(client.get(f"/admin/recommendation/?{arg}=0")))

    assert only_overdue == {overdue.reference}
    assert not_overdue == {in_time.reference, answered.reference}


def test_overdue_filter_follows_the_day(client, db, login, three):
    overdue, in_time, *_ = three
    arg = filter_arg(client.application, "recommendation", OverdueFilter)

    with time_machine.travel(datetime(2026, 3, 12, 16, 0, tzinfo=LOCAL_ZONE), tick=False):
        login(Role.OFFICER)
        response = client.get(f"/admin/recommendation/?{arg}=1")
        assert response.status_code == 200
        on_the_day = references(text(response))
    with time_machine.travel(datetime(2026, 3, 24, 8, 0, tzinfo=LOCAL_ZONE), tick=False):
        login(Role.OFFICER)
        later = references(text(client.get(f"/admin/recommendation/?{arg}=1")))

    assert on_the_day == set()  # due today is not overdue yet
    assert later == {overdue.reference, in_time.reference}


def test_filters_by_unit_status_and_conference(client, db, login, three, as_of):
    overdue, in_time, answered, dept, other, conference = three
    elsewhere = f.recommendation(f.conference(held_on=date(2026, 4, 7)), responsible_unit=other)
    db.session.commit()
    login(Role.OFFICER)
    app = client.application
    unit_arg = filter_arg(app, "recommendation", name="Đơn vị xử lý")
    status_arg = filter_arg(app, "recommendation", name="Trạng thái")
    conference_arg = filter_arg(app, "recommendation", name="Hội nghị")

    by_unit = references(text(client.get(f"/admin/recommendation/?{unit_arg}={dept.id}")))
    by_status = references(text(client.get(f"/admin/recommendation/?{status_arg}=answered")))
    by_conference = references(text(client.get(f"/admin/recommendation/?{conference_arg}={conference.id}")))

    by_tax_code = references(text(client.get(f"/admin/recommendation/?search={overdue.enterprise.tax_code}")))
    sorted_by_unit = text(client.get("/admin/recommendation/?sort=3"))

    assert by_unit == {overdue.reference, answered.reference}
    assert by_tax_code == {overdue.reference}
    assert "Phòng Quy hoạch" in sorted_by_unit
    assert by_status == {answered.reference}
    assert by_conference == {overdue.reference, in_time.reference, answered.reference}
    assert elsewhere.reference not in by_conference
    # The unit list offers the units that exist now, not those of start-up.
    assert f'"{dept.id}"' in text(client.get("/admin/recommendation/")) or str(dept) in text(
        client.get("/admin/recommendation/"))


def test_details_and_edit_show_the_due_date_with_its_basis(client, db, login, three, as_of):
    overdue, *_ = three
    login(Role.OFFICER)
    basis = rules.answer_due(HELD_ON, False, overdue.conference.settings()).explain()

    for url in (f"/admin/recommendation/details/?id={overdue.id}", f"/admin/recommendation/edit/?id={overdue.id}"):
        html = text(client.get(url))
        assert 'id="recommendation-due"' in html, url
        assert "12/03/2026" in html and "Quá hạn 2 ngày làm việc" in html, url
        assert basis[:60] in html, url


def edit(client, rec: Recommendation, **data: str):
    url = f"/admin/recommendation/edit/?id={rec.id}"
    return post(client, url, data, token_from=url)


def test_answering_needs_a_text_and_a_method(client, db, login, three, as_of):
    overdue, *_ = three
    user = login(Role.UNIT, unit=overdue.responsible_unit)
    assert user.unit_id == overdue.responsible_unit_id

    response = edit(client, overdue, status="answered", answer="Đã trả lời bằng văn bản số 12", answered_dt="",
                    answer_method="")

    assert response.status_code == 200
    assert "Chọn hình thức trả lời" in text(response)
    db.session.expire_all()
    assert db.session.get(Recommendation, overdue.id).status == RecommendationStatus.RECEIVED


def test_a_unit_answers_its_recommendation_with_a_local_date(client, db, login, three, as_of):
    overdue, *_ = three
    login(Role.UNIT, unit=overdue.responsible_unit)

    response = edit(client, overdue, status="answered", answer="Đã trả lời bằng văn bản số 12",
                    answered_dt="13/03/2026 10:30", answer_method="in_writing")

    assert response.status_code == 302, text(response)
    db.session.expire_all()
    rec = db.session.get(Recommendation, overdue.id)
    assert rec.status == RecommendationStatus.ANSWERED
    assert rec.answer_method == AnswerMethod.IN_WRITING
    assert rec.answered_dt == datetime(2026, 3, 13, 3, 30, tzinfo=UTC)  # 10:30 in Hai Phong
    assert rec.content == "Kiến nghị quá hạn"  # the unit's form carries only the answer fields
    assert "Trả lời trễ hạn" in text(client.get("/admin/recommendation/"))


def test_answer_date_defaults_to_now(client, db, login, three, as_of):
    overdue, *_ = three
    login(Role.OFFICER)

    response = edit(client, overdue, status="answered", answer="Trả lời tại hội nghị", answered_dt="",
                    answer_method="at_conference", organizer=str(overdue.organizer_id),
                    enterprise=str(overdue.enterprise_id), field="land", content=overdue.content, channel="email",
                    received_dt="10/02/2026 09:00", responsible_unit=str(overdue.responsible_unit_id))

    assert response.status_code == 302, text(response)
    db.session.expire_all()
    rec = db.session.get(Recommendation, overdue.id)
    assert rec.answered_dt == AS_OF.astimezone(UTC)


def test_unit_staff_see_and_edit_only_their_units(client, db, login, three, as_of):
    overdue, in_time, answered, dept, other, _conference = three
    login(Role.UNIT, unit=other)

    listing = references(text(client.get("/admin/recommendation/")))
    assert listing == {in_time.reference}
    assert client.get(f"/admin/recommendation/details/?id={overdue.id}").status_code == 404
    assert client.get(f"/admin/recommendation/edit/?id={overdue.id}").status_code == 404
    response = edit(client, in_time, status="assigned", answer="", answered_dt="", answer_method="")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, in_time.id).status == RecommendationStatus.ASSIGNED


def test_an_officer_extends_an_answer_deadline_with_a_reason(client, db, login, three, as_of):
    overdue, *_ = three
    user = login(Role.OFFICER)
    base = dict(status="received", answer="", answered_dt="", answer_method="", organizer=str(overdue.organizer_id),
                enterprise=str(overdue.enterprise_id), field="land", content=overdue.content, channel="email",
                received_dt="10/02/2026 09:00", responsible_unit=str(overdue.responsible_unit_id))

    no_reason = edit(client, overdue, extended_to="27/03/2026", extension_reason="", **base)
    assert no_reason.status_code == 200 and "Nhập lý do gia hạn." in text(no_reason)
    too_early = edit(client, overdue, extended_to="11/03/2026", extension_reason="x", **base)
    assert "Ngày gia hạn phải sau hạn theo quy định (12/03/2026)." in text(too_early)
    saved = edit(client, overdue, extended_to="27/03/2026", extension_reason="chờ ý kiến Sở Xây dựng", **base)
    assert saved.status_code == 302, text(saved)

    db.session.expire_all()
    rec = db.session.get(Recommendation, overdue.id)
    assert rec.due_on == date(2026, 3, 27) and rec.extended_by == str(user)
    html = text(client.get(f"/admin/recommendation/details/?id={rec.id}"))
    assert "Gia hạn đến 27/03/2026 vì chờ ý kiến Sở Xây dựng" in html
