"""Search the way Vietnamese users type, on the backend the suite runs on (SQLite, or PostgreSQL with
``HEZA_TEST_DATABASE_URL``): without diacritics and in any case (đ/Đ as d), every list with a search
box, references and tax codes typed whole, and never across organizers."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from heza import search
from heza.accounts.models import Role
from heza.admin.base import ProtectedModelView
from heza.conferences.models import Invitation
from heza.directory.models import Enterprise
from heza.extensions import db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
from heza.outbox import outbox
from heza.recommendations.models import Recommendation
from tests import factories as f

DETAILS_RE = re.compile(r"details/\?id=(\d+)")


def found(client: Any, endpoint: str, words: str) -> set[int]:
    """Ids of the rows the list at ``/admin/<endpoint>/`` shows for the search ``words``."""
    response = client.get(f"/admin/{endpoint}/", query_string={"search": words})
    assert response.status_code == 200, response.status_code
    return {int(i) for i in DETAILS_RE.findall(response.get_data(as_text=True))}


@pytest.fixture()
def two_organizers(db: Any) -> dict[str, Any]:
    heza = f.first_organizer()
    ward = f.ward(name="Phường Đông Hải", short_name="Đông Hải")
    dinh_vu = f.enterprise(name="Công ty TNHH Thép Đình Vũ", tax_code="0201234567")
    other = f.enterprise(name="Công ty Cổ phần Cảng Nam Hải", tax_code="0209876543")
    mine = f.recommendation(f.conference(heza, title="Hội nghị đối thoại về đất đai"), enterprise=dinh_vu,
                            content="Thủ tục đất đai tại KCN Đình Vũ còn kéo dài")
    unrelated = f.recommendation(f.conference(heza), enterprise=other, content="Đề nghị hỗ trợ tuyển dụng lao động")
    theirs = f.recommendation(f.conference(ward), enterprise=other,
                              content="Thủ tục đất đai ở phường Đông Hải")
    db.session.commit()
    return {"heza": heza, "ward": ward, "dinh_vu": dinh_vu, "other": other, "mine": mine,
            "unrelated": unrelated, "theirs": theirs}


def test_fold_reads_vietnamese_as_typed_without_diacritics():
    assert search.fold("Thủ tục ĐẤT ĐAI  đường") == "thu tuc dat dai duong"
    assert search.fold("Ưu đãi Ơn Ý ỹ") == "uu dai on y y"
    assert search.fold("KN-2026-000123") == "kn-2026-000123"
    assert search.like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"


def test_recommendations_found_without_diacritics_in_any_case(client, login_as, two_organizers):
    w = two_organizers
    login_as(Role.ADMIN)
    assert found(client, "recommendation", "thu tuc dat dai") == {w["mine"].id, w["theirs"].id}
    assert found(client, "recommendation", "ĐẤT ĐAI") == {w["mine"].id, w["theirs"].id}
    assert found(client, "recommendation", "Thủ tục đất đai") == {w["mine"].id, w["theirs"].id}
    assert found(client, "recommendation", "dat dai dinh vu") == {w["mine"].id}  # every word, any field
    assert found(client, "recommendation", "thep dinh vu") == {w["mine"].id}  # the enterprise's name
    assert found(client, "recommendation", "dat dai kiev") == set()
    # References and tax codes typed whole, as they are printed.
    assert found(client, "recommendation", w["mine"].reference) == {w["mine"].id}
    assert found(client, "recommendation", w["unrelated"].reference.lower()) == {w["unrelated"].id}
    assert found(client, "recommendation", "0201234567") == {w["mine"].id}
    # Wildcards typed are letters, not patterns.
    assert found(client, "recommendation", "%") == set()
    assert found(client, "recommendation", "_") == set()
    # The patterns are rendered into the statement (heza.search.condition): quotes stay text.
    assert found(client, "recommendation", "đất' OR '1'='1") == set()
    assert found(client, "recommendation", "\\ %% '") == set()


def test_enterprises_and_other_lists_found_without_diacritics(client, login_as, two_organizers):
    w = two_organizers
    login_as(Role.ADMIN)
    assert found(client, "enterprise", "thep dinh vu") == {w["dinh_vu"].id}
    assert found(client, "enterprise", "CANG NAM HAI") == {w["other"].id}
    assert found(client, "enterprise", "0209876543") == {w["other"].id}
    quoted = f.enterprise(name="Công ty TNHH Nhà hàng O'Brien 50%_\\")
    db.session.commit()
    assert found(client, "enterprise", "o'brien 50%_\\") == {quoted.id}
    assert w["mine"].conference_id in found(client, "conference", "hoi nghi doi thoai ve dat dai")
    item = HotlineItem(organizer=w["heza"], channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                       content="Phản ánh về đường vào KCN", person_name="Nguyễn Đức Thắng")
    db.session.add(item)
    db.session.commit()
    assert found(client, "hotline", "duong vao kcn") == {item.id}
    # Never by the person's name: a search must not reveal who sent a denunciation.
    assert found(client, "hotline", "duc thang") == set()
    assert found(client, "hotline", item.reference) == {item.id}
    # The outbox is written by a Core insert (heza/outbox/outbox.py): its search text comes from the
    # column's default, computed from the row's parameters.
    conference = w["mine"].conference
    context = {"conference": conference, "organizer": w["heza"], "unit": f.unit(w["heza"]), "tasks": [],
               "agenda": [], "task_due": conference.held_on}
    email_id = outbox.enqueue("search:1", ("Công ty Thép Đình Vũ", "thep@dn.example.vn"), "Thư mời đối thoại",
                              "unit_reminder", context, language="vi", kind="test", organizer_id=w["heza"].id)
    db.session.commit()
    assert found(client, "outbox", "thu moi doi thoai") == {email_id}


def test_an_organizers_staff_search_only_its_rows(client, login_as, two_organizers):
    w = two_organizers
    login_as(Role.OFFICER, organizer=w["heza"])
    assert found(client, "recommendation", "thu tuc dat dai") == {w["mine"].id}
    assert found(client, "recommendation", "phuong dong hai") == set()
    assert found(client, "recommendation", w["theirs"].reference) == set()
    login_as(Role.OFFICER, organizer=w["ward"])
    assert found(client, "recommendation", "ĐẤT ĐAI") == {w["theirs"].id}
    assert found(client, "recommendation", "dinh vu") == set()


def test_edited_rows_and_a_renamed_enterprise_are_found_by_their_new_text(client, login_as, two_organizers):
    w = two_organizers
    w["dinh_vu"].name = "Công ty TNHH Đóng tàu Bạch Đằng"
    w["unrelated"].answer = "Đã hướng dẫn tuyển dụng qua Trung tâm dịch vụ việc làm"
    db.session.commit()
    login_as(Role.ADMIN)
    assert found(client, "recommendation", "dong tau bach dang") == {w["mine"].id}
    assert found(client, "recommendation", "thep dinh vu") == set()
    assert found(client, "enterprise", "bach dang") == {w["dinh_vu"].id}
    assert found(client, "recommendation", "dich vu viec lam") == {w["unrelated"].id}


def test_bulk_invitations_are_found_by_their_enterprise(client, login_as, two_organizers):
    from heza.conferences.invitations import _ensure_invitation_rows

    w = two_organizers
    conference = w["mine"].conference
    _ensure_invitation_rows(conference, [w["dinh_vu"].id, w["other"].id])
    db.session.commit()
    login_as(Role.ADMIN)
    invitation = db.session.scalar(sa.select(Invitation.id).where(Invitation.enterprise_id == w["dinh_vu"].id))
    assert found(client, "invitation", "thep dinh vu") == {invitation}


def test_every_search_box_searches_the_folded_text(app, client, login_as, db):
    login_as(Role.ADMIN)
    views = [v for v in app.extensions["admin"][0]._views
             if isinstance(v, ProtectedModelView) and v.column_searchable_list]
    assert len(views) >= 20
    for view in views:
        assert issubclass(view.model, search.Searchable), view.endpoint
        assert tuple(view.column_searchable_list) == view.model.__search_fields__, view.endpoint
        response = client.get(f"/admin/{view.endpoint}/", query_string={"search": "Đường ĐI"})
        assert response.status_code == 200, view.endpoint
        assert "search_text" not in response.get_data(as_text=True), view.endpoint


def test_the_migration_fills_the_search_text_of_existing_rows(two_organizers):
    w = two_organizers
    ids = {"mine": w["mine"].id, "dinh_vu": w["dinh_vu"].id}
    db.session.commit()
    db.session.close()
    downgrade(revision="a3c1f0e2b7d4")
    upgrade()
    mine = db.session.get(Recommendation, ids["mine"])
    assert "thu tuc dat dai" in mine.search_text and "thep dinh vu" in mine.search_text
    assert mine.reference.lower() in mine.search_text
    assert db.session.get(Enterprise, ids["dinh_vu"]).search_text.startswith("cong ty tnhh thep dinh vu 0201234567")


def test_a_searched_page_selects_its_rows_before_loading_their_related_rows(client, login_as, two_organizers):
    """The page's rows are chosen (search, sort, LIMIT) without joining what they show: joined, PostgreSQL
    reckoned a handful of matches and nested the joins around every match, 1.8 s for 25,000 of them."""
    login_as(Role.ADMIN)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = client.get("/admin/recommendation/", query_string={"search": "thu tuc dat dai"})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    assert "Đình Vũ" in response.get_data(as_text=True)  # the enterprise's name, loaded after the page
    page = [s for s in statements if s.lstrip().startswith("SELECT recommendations.id")]
    assert len(page) == 1
    assert "JOIN" not in page[0].upper()
    assert any(s.lstrip().startswith("SELECT enterprises.") and " IN " in s for s in statements)


def test_a_search_counts_up_to_its_cap_and_says_more_than(client, login_as, two_organizers, monkeypatch):
    """Past the cap a search reads "hơn …" and pages through the cap; below it the count is exact, and a
    list without a search counts every row."""
    from heza.admin import paging

    login_as(Role.ADMIN)
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 1)
    page = client.get("/admin/recommendation/", query_string={"search": "thu tuc dat dai"}).get_data(as_text=True)
    assert "(hơn 1)" in page
    assert len(set(DETAILS_RE.findall(page))) == 2  # the page still shows every row it holds
    page = client.get("/admin/recommendation/", query_string={"search": "dinh vu"}).get_data(as_text=True)
    assert "(1)" in page and "hơn" not in page
    assert "(3)" in client.get("/admin/recommendation/").get_data(as_text=True)
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 2)
    page = client.get("/admin/recommendation/", query_string={"search": "thu tuc dat dai"}).get_data(as_text=True)
    assert "(2)" in page and "hơn" not in page
