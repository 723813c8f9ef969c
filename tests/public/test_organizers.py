"""Organizers as tenants on the public side: each has its list, feeds and proposal form under its slug,
and every page tied to a conference is headed with that conference's organizer, never with HEZA's."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import feedparser
import pytest
import sqlalchemy as sa
import time_machine

from heza.conferences import links
from heza.conferences.models import AnnouncementKind, Audience
from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from heza.outreach.models import Addressee, TopicProposal
from tests import factories as f
from tests.public.conftest import BEFORE_CUTOFF, HELD_ON
from tests.public.test_announcements import announce

HEZA_ADDRESS = "Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng"
WARD_ADDRESS = "Số 2 Phan Đăng Lưu, phường Phù Liễn, thành phố Hải Phòng"


@pytest.fixture()
def heza(db):
    org = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA", slug="heza",
                      parent_body="Ủy ban nhân dân thành phố Hải Phòng", address=HEZA_ADDRESS,
                      phone="0225 3569170", email="doanhnghiep.heza@example.vn")
    _db.session.commit()
    return org


@pytest.fixture()
def ward(db):
    org = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn", slug="phu-lien",
                 parent_body="Ủy ban nhân dân thành phố Hải Phòng", header_name="Ủy ban nhân dân phường Phù Liễn",
                 place_name="Phù Liễn", address=WARD_ADDRESS, phone="0225 3876 123",
                 email="ubnd.phulien@example.vn", signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
                 signer_name="Nguyễn Văn Phù")
    _db.session.commit()
    return org


@pytest.fixture()
def ward_conference(ward):
    conf = f.conference(ward, held_on=HELD_ON, title="Hội nghị đối thoại doanh nghiệp, HTX, hộ kinh doanh phường",
                        place="Hội trường UBND phường Phù Liễn", audience=Audience.WARD)
    _db.session.commit()
    return conf


@pytest.fixture()
def heza_conference(heza):
    conf = f.conference(heza, held_on=HELD_ON, title="Hội nghị đối thoại doanh nghiệp KCN năm 2026",
                        place="Trụ sở Ban Quản lý")
    _db.session.commit()
    return conf


@pytest.fixture()
def notices(ward_conference, heza_conference):
    return {
        "ward": announce(ward_conference, title="Thông báo tổ chức Hội nghị đối thoại phường Phù Liễn",
                         age=timedelta(hours=2)),
        "heza": announce(heza_conference, title="Thông báo tổ chức Hội nghị đối thoại các KCN",
                         age=timedelta(hours=1)),
    }


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# The enterprise's personal page --------------------------------------------------------------------


def test_an_enterprise_invited_by_a_ward_sees_the_ward_not_heza(client, heza, ward, ward_conference):
    ent = f.enterprise(None, ward=ward, name="Hộ kinh doanh Minh An", email="minhan@example.vn", kind="household")
    _db.session.commit()
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        html = text_of(client.get(f"/doanh-nghiep/{links.make_token(ward_conference.id, ent.id)}"))
    header = html[html.index('<header class="site">'):html.index("</header>")]
    assert "Phường Phù Liễn" in header and WARD_ADDRESS in header
    assert "Ủy ban nhân dân thành phố Hải Phòng" in header
    assert "0225 3876 123" in header and "ubnd.phulien@example.vn" in header
    assert 'href="/o/phu-lien/"' in header
    footer = html[html.index('<footer class="site">'):]
    assert WARD_ADDRESS in footer and "ubnd.phulien@example.vn" in footer
    assert "<title>" in html and "– Phường Phù Liễn</title>" in html
    for heza_text in ("Ban Quản lý Khu kinh tế", "Cù Chính Lan", "0225 3569170", "doanhnghiep.heza"):
        assert heza_text not in html, heza_text


def test_an_expired_link_is_headed_with_its_organizer(client, ward, ward_conference):
    from tests.public.conftest import EXPIRED

    ent = f.enterprise(None, ward=ward, name="HTX Dịch vụ Phù Liễn", email="htx@example.vn")
    _db.session.commit()
    with time_machine.travel(EXPIRED, tick=False):
        response = client.get(f"/doanh-nghiep/{links.make_token(ward_conference.id, ent.id)}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Đường dẫn đã hết hạn" in html and "Phường Phù Liễn" in html and WARD_ADDRESS in html


# Lists ---------------------------------------------------------------------------------------------


def test_an_organizers_list_shows_only_its_notices_under_its_name_and_address(client, heza, ward, notices):
    html = text_of(client.get("/o/phu-lien/"))
    assert notices["ward"].title in html and notices["heza"].title not in html
    assert "<h1>Phường Phù Liễn</h1>" in html and WARD_ADDRESS in html and "0225 3876 123" in html
    assert 'href="/o/phu-lien/feed.atom"' in html and 'href="/o/phu-lien/feed.json"' in html
    assert "Cù Chính Lan" not in html
    heza_html = text_of(client.get("/o/heza/"))
    assert notices["heza"].title in heza_html and notices["ward"].title not in heza_html
    assert HEZA_ADDRESS in heza_html
    # Without the trailing slash: redirected to it.
    moved = client.get("/o/phu-lien")
    assert moved.status_code in {301, 308} and moved.headers["Location"].endswith("/o/phu-lien/")


def test_the_site_wide_list_shows_every_organizers_notices_with_their_names(client, heza, ward, notices):
    html = text_of(client.get("/doi-thoai-doanh-nghiep/"))
    assert notices["ward"].title in html and notices["heza"].title in html
    items = re.findall(r'<article class="card announcement-item">(.*?)</article>', html, re.S)
    by_title = {next(t for t in (n.title for n in notices.values()) if t in item): item for item in items}
    assert 'href="/o/phu-lien/">Phường Phù Liễn</a>' in by_title[notices["ward"].title]
    assert 'href="/o/heza/">Ban Quản lý Khu kinh tế Hải Phòng</a>' in by_title[notices["heza"].title]
    # The site itself is no organizer: its header names neither and gives nobody's address.
    header = html[html.index('<header class="site">'):html.index("</header>")]
    assert "Ban Quản lý" not in header and "Phù Liễn" not in header
    assert WARD_ADDRESS not in html and HEZA_ADDRESS not in html
    assert 'href="/doi-thoai-doanh-nghiep/feed.atom"' in html


def test_an_organizers_list_paginates_within_its_own_address(client, ward, ward_conference, heza_conference):
    from heza.public.announcements import PER_PAGE

    for i in range(PER_PAGE + 2):
        conf = f.conference(ward, held_on=HELD_ON, title=f"Hội nghị phường {i}")
        announce(conf, title=f"Thông báo phường số {i:02d}", age=timedelta(minutes=100 - i))
    announce(heza_conference, title="Thông báo của Ban", age=timedelta(minutes=1))
    first = text_of(client.get("/o/phu-lien/"))
    assert 'href="/o/phu-lien/?trang=2"' in first and "Thông báo của Ban" not in first
    second = text_of(client.get("/o/phu-lien/?trang=2"))
    assert "Thông báo phường số 00" in second and "Thông báo của Ban" not in second


def test_a_notice_and_its_print_are_headed_and_signed_by_its_organizer(client, heza, ward, notices):
    notice = notices["ward"]
    page = text_of(client.get(f"/doi-thoai-doanh-nghiep/{notice.id}", follow_redirects=True))
    assert 'href="/o/phu-lien/"' in page and WARD_ADDRESS in page and "Cù Chính Lan" not in page
    printed = text_of(client.get(f"/doi-thoai-doanh-nghiep/{notice.id}/in"))
    assert '<div class="parent-body">ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG</div>' in printed
    assert '<div class="agency-name">ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN</div>' in printed
    assert re.search(r'<p class="place-date">Phù Liễn, ngày \d\d tháng \d\d năm 20\d\d</p>', printed)
    assert "TM. ỦY BAN NHÂN DÂN" in printed and "CHỦ TỊCH" in printed and "Nguyễn Văn Phù" in printed
    assert WARD_ADDRESS in printed and "0225 3876 123" in printed
    assert "Ban Quản lý" not in printed and "Cù Chính Lan" not in printed


# Feeds ---------------------------------------------------------------------------------------------


def test_each_organizer_has_its_own_feeds(client, heza, ward, notices):
    atom = client.get("/o/phu-lien/feed.atom")
    assert atom.status_code == 200 and atom.headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [notices["ward"].title]
    assert parsed.feed.title == "Đối thoại doanh nghiệp – Phường Phù Liễn"
    assert parsed.feed.author == "Phường Phù Liễn"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "alternate": "http://heza.test/o/phu-lien/", "self": "http://heza.test/o/phu-lien/feed.atom"}
    doc = json.loads(client.get("/o/phu-lien/feed.json").data)
    assert [i["title"] for i in doc["items"]] == [notices["ward"].title]
    assert doc["feed_url"] == "http://heza.test/o/phu-lien/feed.json"
    assert doc["home_page_url"] == "http://heza.test/o/phu-lien/"
    assert doc["authors"] == [{"name": "Phường Phù Liễn"}]
    # The same notice is the same entry in the organizer's feed and in the site-wide one.
    everything = feedparser.parse(client.get("/doi-thoai-doanh-nghiep/feed.atom").data)
    assert {e.title for e in everything.entries} == {n.title for n in notices.values()}
    ward_entry = next(e for e in everything.entries if e.title == notices["ward"].title)
    assert ward_entry.id == parsed.entries[0].id and ward_entry.author == "Phường Phù Liễn"
    heza_doc = json.loads(client.get("/o/heza/feed.json").data)
    assert [i["title"] for i in heza_doc["items"]] == [notices["heza"].title]


@pytest.mark.parametrize("url", ["/o/khong-co/", "/o/khong-co", "/o/khong-co/feed.atom", "/o/khong-co/feed.json",
                                 "/o/khong-co/de-xuat-noi-dung-doi-thoai",
                                 "/o/khong-co/de-xuat-noi-dung-doi-thoai/da-gui",
                                 "/o/" + "x" * 300 + "/", "/o/%3Cscript%3E/"])
def test_an_unknown_slug_is_a_vietnamese_404(client, ward, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy đơn vị tổ chức" in html and 'href="/doi-thoai-doanh-nghiep/"' in html
    assert "<script>" not in html


# Topic proposals -----------------------------------------------------------------------------------


def proposal_form(csrf_token: str, **kw: str) -> dict[str, str]:
    data = {"csrf_token": csrf_token, "proposer_name": "Hộ kinh doanh Minh An", "tax_code": "",
            "email": "minhan@example.vn", "phone": "", "addressee": "heza_head",
            "topic": "Mặt bằng kinh doanh", "content": "Đề nghị hỗ trợ mặt bằng.", "website": ""}
    data.update(kw)
    return data


def stored() -> list[TopicProposal]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(TopicProposal).order_by(TopicProposal.id)))


def test_an_organizers_form_sends_the_proposal_to_it(client, csrf, heza, ward):
    url = "/o/phu-lien/de-xuat-noi-dung-doi-thoai"
    html = text_of(client.get(url))
    assert "Chủ tịch UBND Phường Phù Liễn" in html and "Chủ tịch UBND thành phố" in html
    assert 'name="organizer"' not in html and 'name="csrf_token"' in html
    assert f'action="{url}"' in html
    response = client.post(url, data=proposal_form(csrf(url)))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/o/phu-lien/de-xuat-noi-dung-doi-thoai/da-gui")
    [proposal] = stored()
    assert proposal.organizer_id == ward.id and proposal.addressee == Addressee.HEZA_HEAD
    sent = text_of(client.get(response.headers["Location"]))
    assert "chuyển tới Phường Phù Liễn" in sent
    [mail] = _db.session.scalars(sa.select(OutboundEmail)).all()
    assert mail.organizer_id == ward.id
    assert "Phường Phù Liễn đã nhận đề xuất nội dung đối thoại" in mail.text_body
    assert "Gửi tới: Chủ tịch UBND Phường Phù Liễn" in mail.text_body
    assert WARD_ADDRESS in mail.text_body and "ubnd.phulien@example.vn" in mail.text_body
    assert "Ban Quản lý" not in mail.text_body and "Ban Quản lý" not in mail.html_body
    link = re.search(r"http://heza\.test(/de-xuat-noi-dung-doi-thoai/xac-nhan/\S+)", mail.text_body).group(1)
    confirm = text_of(client.get(link))
    assert "Phường Phù Liễn" in confirm and "Chủ tịch UBND Phường Phù Liễn" in confirm


def test_the_site_wide_form_lets_the_proposer_choose_the_organizer(client, csrf, heza, ward):
    url = "/de-xuat-noi-dung-doi-thoai"
    html = text_of(client.get(url))
    assert f'<option value="{heza.id}">Ban Quản lý Khu kinh tế Hải Phòng</option>' in html
    assert f'<option value="{ward.id}">Phường Phù Liễn</option>' in html
    response = client.post(url, data=proposal_form(csrf(url), organizer=str(ward.id)))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/o/phu-lien/de-xuat-noi-dung-doi-thoai/da-gui")
    assert [p.organizer_id for p in stored()] == [ward.id]


@pytest.mark.parametrize("choice", [None, "", "abc", "999999", "-1", "1.5", "<script>"])
def test_the_site_wide_form_refuses_a_missing_or_unknown_organizer_in_vietnamese(client, csrf, heza, ward, choice):
    url = "/de-xuat-noi-dung-doi-thoai"
    data = proposal_form(csrf(url))
    if choice is not None:
        data["organizer"] = choice
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vui lòng chọn đơn vị tiếp nhận đề xuất." in html and "<script>" not in html
    assert stored() == [] and _db.session.scalars(sa.select(OutboundEmail)).all() == []


def test_the_forms_keep_their_csrf_protection(client, ward):
    for url in ("/de-xuat-noi-dung-doi-thoai", "/o/phu-lien/de-xuat-noi-dung-doi-thoai"):
        response = client.post(url, data=proposal_form("", organizer=str(ward.id)))
        assert response.status_code == 400
        assert "Biểu mẫu đã hết hiệu lực" in response.get_data(as_text=True)
    assert stored() == []


def test_the_site_wide_form_without_any_organizer_refuses_instead_of_failing(client, csrf, db):
    url = "/de-xuat-noi-dung-doi-thoai"
    response = client.post(url, data=proposal_form(csrf(url)))
    assert response.status_code == 422 and stored() == []


# Hostile identity ---------------------------------------------------------------------------------

HOSTILE_NAME = 'Phường <script>alert("x")</script>\r\nBcc: victim@evil.example'


def test_a_hostile_organizer_name_is_escaped_on_every_public_page(client, csrf, db):
    org = f.ward(name=HOSTILE_NAME, short_name="Hostile", slug="hostile", address="<img src=x onerror=alert(1)>",
                 parent_body="<b>cha</b>")
    conf = f.conference(org, held_on=HELD_ON, title="Hội nghị")
    ent = f.enterprise(None, ward=org, email="dn@example.vn")
    _db.session.commit()
    notice = announce(conf, kind=AnnouncementKind.INVITATION_NOTICE, title="Thông báo")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        pages = {f"/doanh-nghiep/{links.make_token(conf.id, ent.id)}":
                 text_of(client.get(f"/doanh-nghiep/{links.make_token(conf.id, ent.id)}"))}
    for url in ("/o/hostile/", "/doi-thoai-doanh-nghiep/", f"/doi-thoai-doanh-nghiep/{notice.id}/in",
                "/o/hostile/de-xuat-noi-dung-doi-thoai", "/de-xuat-noi-dung-doi-thoai"):
        pages[url] = text_of(client.get(url))
    for url, html in pages.items():
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>cha</b>" not in html, url
        assert "&lt;script&gt;" in html, url
    atom = client.get("/o/hostile/feed.atom").get_data(as_text=True)
    assert "<script>alert" not in atom and "&lt;script&gt;" in atom
    doc = json.loads(client.get("/o/hostile/feed.json").data)  # JSON holds the name as data, intact
    assert doc["authors"] == [{"name": HOSTILE_NAME}]
    assert "<script>alert" not in doc["items"][0]["content_html"]
