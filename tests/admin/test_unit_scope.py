"""Unit staff see and change only their unit's tasks, hotline items and article assignments,
whatever URL they type: other units' rows are 404 in details and edit, absent from lists, searches,
filters and exports, and untouched by actions."""

from __future__ import annotations

import pytest

from heza.accounts.models import Role
from heza.conferences.models import Task
from heza.extensions import db
from heza.hotline.models import HotlineItem, HotlineStatus
from heza.newsletter.models import ArticleAssignment

# endpoint -> (own row, other unit's row, text only the own row shows, text only the other shows)
SCOPED = {
    "task": ("task_a", "task_b", "phòng A", "phòng B"),
    "hotline": ("hotline_a", "hotline_b", "Phản ánh về đường vào KCN", "Khiếu nại về thủ tục"),
    "article": ("article_a", "article_b", "Tin về KCN A", "Tin về KCN B"),
}


@pytest.fixture()
def unit_user(login_as, world):
    return login_as(Role.UNIT, unit=world.unit_a)


@pytest.mark.parametrize("endpoint", sorted(SCOPED))
def test_lists_and_exports_hold_only_the_units_rows(client, unit_user, world, endpoint):
    own, other, own_text, other_text = SCOPED[endpoint]
    page = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert own_text in page
    assert other_text not in page
    csv = client.get(f"/admin/{endpoint}/export/csv/").get_data(as_text=True)
    assert own_text in csv
    assert other_text not in csv
    # Searching for the other unit's row finds nothing (the page echoes the search, so look for the row).
    other_id, own_id = getattr(world, other).id, getattr(world, own).id
    found = client.get(f"/admin/{endpoint}/?search={other_text}").get_data(as_text=True)
    assert f"/admin/{endpoint}/details/?id={other_id}&" not in found
    listed = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert f"/admin/{endpoint}/details/?id={own_id}&" in listed


@pytest.mark.parametrize("endpoint", sorted(SCOPED))
def test_other_units_rows_are_404_whatever_the_url(client, unit_user, csrf, world, endpoint):
    own, other, *_ = SCOPED[endpoint]
    other_id, own_id = getattr(world, other).id, getattr(world, own).id
    token = csrf()
    assert client.get(f"/admin/{endpoint}/details/?id={other_id}").status_code == 404
    assert client.get(f"/admin/{endpoint}/edit/?id={other_id}").status_code == 404
    assert client.post(f"/admin/{endpoint}/edit/?id={other_id}", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/admin/{endpoint}/details/?id={own_id}").status_code == 200
    assert client.get(f"/admin/{endpoint}/edit/?id={own_id}").status_code == 200
    # Never create or delete, not even their own rows.
    assert client.get(f"/admin/{endpoint}/new/").status_code == 403
    assert client.post(f"/admin/{endpoint}/delete/", data={"id": own_id, "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [own_id],
                                                           "csrf_token": token}).status_code == 403


def test_an_action_on_another_units_task_changes_nothing(client, unit_user, csrf, world):
    token = csrf()
    response = client.post("/admin/task/action/", data={
        "action": "mark_done", "rowid": [str(world.task_a.id), str(world.task_b.id)], "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, world.task_a.id).done_dt is not None
    assert db.session.get(Task, world.task_b.id).done_dt is None


def test_unit_edits_only_the_columns_it_owns(client, unit_user, csrf, world):
    token = csrf()
    response = client.post(f"/admin/task/edit/?id={world.task_a.id}", data={
        "csrf_token": token,
        "note": "Đã gửi báo cáo",
        "done_dt": "05/03/2026 10:30",
        # Fields unit staff may not touch: ignored, not stored.
        "description": "Đổi nội dung",
        "unit": str(world.unit_b.id),
    })
    assert response.status_code == 302
    db.session.expire_all()
    task = db.session.get(Task, world.task_a.id)
    assert task.note == "Đã gửi báo cáo"
    assert task.done_dt is not None and f"{task.done_dt:%Y-%m-%d %H:%M}" == "2026-03-05 03:30"  # 10:30 in Hai Phong
    assert task.description == "Chuẩn bị báo cáo của phòng A"
    assert task.unit_id == world.unit_a.id


def test_unit_answers_its_hotline_item(client, unit_user, csrf, world):
    token = csrf()
    response = client.post(f"/admin/hotline/edit/?id={world.hotline_a.id}", data={
        "csrf_token": token, "status": "answered", "response": "Đã làm việc với chủ đầu tư hạ tầng.",
        "responded_dt": "", "content": "Sửa nội dung phản ánh",
    })
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(HotlineItem, world.hotline_a.id)
    assert item.status == HotlineStatus.ANSWERED
    assert item.responded_dt is not None
    assert item.content == "Phản ánh về đường vào KCN"


def test_answering_without_a_response_is_refused_in_vietnamese(client, unit_user, csrf, world):
    token = csrf()
    response = client.post(f"/admin/hotline/edit/?id={world.hotline_a.id}", data={
        "csrf_token": token, "status": "answered", "response": ""}, follow_redirects=True)
    assert "Nhập nội dung phản hồi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HotlineItem, world.hotline_a.id).status != HotlineStatus.ANSWERED


def test_unit_records_an_article_sent(client, unit_user, csrf, world):
    token = csrf()
    response = client.post(f"/admin/article/edit/?id={world.article_a.id}", data={
        "csrf_token": token, "submitted_dt": "10/03/2026 08:00", "word_count": "600", "topic": "Đổi chủ đề"})
    assert response.status_code == 302
    db.session.expire_all()
    article = db.session.get(ArticleAssignment, world.article_a.id)
    assert article.word_count == 600
    assert article.topic == "Tin về KCN A"


def test_unit_cannot_use_lookups_or_inline_edits(client, unit_user, world):
    assert client.get("/admin/task/ajax/lookup/?name=unit&query=P").status_code == 403
    assert client.get("/admin/registration/ajax/lookup/?name=enterprise&query=C").status_code == 403
    assert client.get("/admin/registration/").status_code == 403


def test_filter_on_another_unit_shows_nothing(client, unit_user, world):
    # The unit filter is the first filter of the task screen (flt0_0 = equals).
    page = client.get(f"/admin/task/?flt0_0={world.unit_b.id}").get_data(as_text=True)
    assert f"/admin/task/details/?id={world.task_b.id}&" not in page
    assert "phòng B" not in page
