"""The public "Đối thoại doanh nghiệp" pages: list, permalinks, the A4 print notice."""

from __future__ import annotations

from datetime import timedelta

from heza.base import now_utc
from heza.conferences.models import Announcement, AnnouncementKind
from heza.extensions import db as _db
from heza.public.views import slugify


def announce(conference, *, kind=AnnouncementKind.INVITATION_NOTICE, title="Thông báo tổ chức Hội nghị", body="",
             published=True, age=timedelta(hours=1), **kw):
    a = Announcement(conference=conference, kind=kind, title=title, body=body,
                     published_dt=(now_utc() - age) if published else None, **kw)
    _db.session.add(a)
    _db.session.commit()
    return a


def test_printed_subject_does_not_repeat_thong_bao():
    from heza.public.views import notice_subject

    assert notice_subject("Thông báo tổ chức Hội nghị đối thoại") == "Tổ chức Hội nghị đối thoại"
    assert notice_subject("THÔNG BÁO kết luận Hội nghị") == "Kết luận Hội nghị"
    assert notice_subject("Hội nghị đối thoại") == "Hội nghị đối thoại"
    assert notice_subject("Thông báo") == "Thông báo"


def test_slugify_drops_vietnamese_marks():
    assert slugify("Thông báo Hội nghị đối thoại doanh nghiệp năm 2026") == (
        "thong-bao-hoi-nghi-doi-thoai-doanh-nghiep-nam-2026")
    assert slugify("Đường <script> & \"quotes\"") == "duong-script-quotes"
    assert slugify("!!!") == "thong-bao"


def test_list_shows_published_notices_newest_first(client, conference):
    from tests import factories as f

    other = f.conference(conference.organizer, held_on=conference.held_on, title="Hội nghị phường")
    old = announce(conference, title="Thông báo tổ chức hội nghị", age=timedelta(days=3))
    new = announce(conference, kind=AnnouncementKind.CONCLUSION_NOTICE, title="Thông báo kết luận hội nghị",
                   age=timedelta(hours=2))
    announce(other, title="Bản nháp chưa đăng", published=False)
    announce(other, kind=AnnouncementKind.CONCLUSION_NOTICE, title="Thông báo đã thu hồi", withdrawn_dt=now_utc())
    response = client.get("/doi-thoai-doanh-nghiep/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index(f"/doi-thoai-doanh-nghiep/{new.id}-") < html.index(f"/doi-thoai-doanh-nghiep/{old.id}-")
    assert "Bản nháp chưa đăng" not in html and "Thông báo đã thu hồi" not in html
    assert f'href="/doi-thoai-doanh-nghiep/{new.id}-thong-bao-ket-luan-hoi-nghi"' in html
    assert f'href="/doi-thoai-doanh-nghiep/{old.id}-thong-bao-to-chuc-hoi-nghi"' in html
    assert 'type="application/atom+xml"' in html


def test_permalink_and_slug_redirect(client, conference):
    a = announce(conference, title="Thông báo tổ chức Hội nghị", body="Kính mời doanh nghiệp.\n\nĐăng ký sớm.")
    page = client.get(f"/doi-thoai-doanh-nghiep/{a.id}-thong-bao-to-chuc-hoi-nghi")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<p>Kính mời doanh nghiệp.</p>" in html and "<p>Đăng ký sớm.</p>" in html
    assert "17/03/2026" in html and "10/03/2026" in html  # the day and the R2 cutoff
    for old in (f"/doi-thoai-doanh-nghiep/{a.id}", f"/doi-thoai-doanh-nghiep/{a.id}-ten-cu"):
        moved = client.get(old)
        assert moved.status_code == 301
        assert moved.headers["Location"].endswith(f"/doi-thoai-doanh-nghiep/{a.id}-thong-bao-to-chuc-hoi-nghi")


def test_unpublished_withdrawn_and_future_notices_are_not_found(client, conference):
    draft = announce(conference, title="Nháp", published=False)
    gone = announce(conference, kind=AnnouncementKind.CONCLUSION_NOTICE, title="Thu hồi", withdrawn_dt=now_utc())
    for a in (draft, gone):
        for url in (f"/doi-thoai-doanh-nghiep/{a.id}-x", f"/doi-thoai-doanh-nghiep/{a.id}/in"):
            response = client.get(url)
            assert response.status_code == 404
            assert "Không tìm thấy thông báo" in response.get_data(as_text=True)
    assert client.get("/doi-thoai-doanh-nghiep/99999/in").status_code == 404


def test_user_text_is_escaped_everywhere(client, conference):
    evil = '<script>alert("x")</script> & <b>'
    a = announce(conference, title=evil, body=evil)
    conference.place = evil
    _db.session.commit()
    for url in ("/doi-thoai-doanh-nghiep/", f"/doi-thoai-doanh-nghiep/{a.id}-{slugify(evil)}",
                f"/doi-thoai-doanh-nghiep/{a.id}/in"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_print_notice_is_an_a4_page_with_the_national_heading(client, conference):
    a = announce(conference, title="Thông báo tổ chức Hội nghị đối thoại doanh nghiệp năm 2026",
                 body="Ban Quản lý thông báo tổ chức hội nghị.")
    response = client.get(f"/doi-thoai-doanh-nghiep/{a.id}/in")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "@page { size: A4" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "THÔNG BÁO" in html and "Ban Quản lý thông báo tổ chức hội nghị." in html
    assert '<p class="subject">Tổ chức Hội nghị đối thoại doanh nghiệp năm 2026</p>' in html
    assert "hết ngày 10/03/2026" in html  # cutoff
    assert "@media print" in html
    assert "0225 3569170" in html  # organizer contact


def test_list_paginates(client, conference):
    from heza.public import views

    for i in range(views.PER_PAGE + 3):
        from tests import factories as f

        conf = f.conference(conference.organizer, held_on=conference.held_on, title=f"Hội nghị {i}")
        announce(conf, title=f"Thông báo số {i:02d}", age=timedelta(minutes=100 - i))
    first = client.get("/doi-thoai-doanh-nghiep/").get_data(as_text=True)
    second = client.get("/doi-thoai-doanh-nghiep/?trang=2").get_data(as_text=True)
    assert "Thông báo số 22" in first and "Thông báo số 00" not in first
    assert "Thông báo số 00" in second and "Thông báo số 22" not in second


def test_the_site_root_leads_to_the_public_list(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/doi-thoai-doanh-nghiep/")
