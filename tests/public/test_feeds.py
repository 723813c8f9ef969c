"""The Atom and JSON feeds, read by a real feed parser and checked against JSON Feed 1.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from heza.conferences.models import Announcement, AnnouncementKind
from heza.extensions import db as _db
from tests import factories as f


@pytest.fixture()
def notices(conference):
    org = conference.organizer
    second = f.conference(org, held_on=conference.held_on, title="Hội nghị đối thoại phường Phù Liễn")
    t0 = datetime(2026, 2, 20, 1, 30, tzinfo=UTC)
    items = [
        Announcement(conference=conference, kind=AnnouncementKind.INVITATION_NOTICE,
                     title="Thông báo tổ chức Hội nghị đối thoại doanh nghiệp năm 2026",
                     body="Kính mời các doanh nghiệp đăng ký.", published_dt=t0),
        Announcement(conference=second, kind=AnnouncementKind.INVITATION_NOTICE,
                     title='Hội nghị <b>"đặc biệt"</b> & Q&A', body="<script>x</script>",
                     published_dt=t0 + timedelta(days=2)),
        Announcement(conference=conference, kind=AnnouncementKind.CONCLUSION_NOTICE,
                     title="Thông báo kết luận Hội nghị đối thoại doanh nghiệp năm 2026",
                     body="Kết luận của Trưởng ban.", published_dt=t0 + timedelta(days=30)),
        Announcement(conference=second, kind=AnnouncementKind.CONCLUSION_NOTICE, title="Chưa đăng",
                     published_dt=None),
    ]
    _db.session.add_all(items)
    _db.session.commit()
    return items


def test_atom_feed_parses_in_order_with_escaped_titles_and_dates(client, notices):
    response = client.get("/doi-thoai-doanh-nghiep/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title.startswith("Đối thoại doanh nghiệp")
    assert parsed.feed.language == "vi"
    assert [link.rel for link in parsed.feed.links] == ["alternate", "self"]
    titles = [e.title for e in parsed.entries]
    assert titles == [
        "Thông báo kết luận Hội nghị đối thoại doanh nghiệp năm 2026",
        'Hội nghị <b>"đặc biệt"</b> & Q&A',
        "Thông báo tổ chức Hội nghị đối thoại doanh nghiệp năm 2026",
    ]
    assert b"&lt;b&gt;" in response.data  # the title is text, escaped in the XML, not markup
    newest = parsed.entries[0]
    assert newest.published_parsed[:6] == (2026, 3, 22, 1, 30, 0)
    assert newest.link.startswith(f"http://heza.test/doi-thoai-doanh-nghiep/{notices[2].id}-thong-bao-ket-luan")
    assert newest.id.startswith("tag:heza.gov.vn,")
    assert newest.tags[0].term == "conclusion_notice"
    assert "Kết luận của Trưởng ban." in newest.content[0].value
    assert parsed.feed.updated_parsed[:6] == (2026, 3, 22, 1, 30, 0) or parsed.feed.updated_parsed >= \
        newest.published_parsed
    # The script written into a body reaches the feed escaped, never as a tag.
    assert "<script>" not in parsed.entries[1].content[0].value


# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): what a reader may rely on.
def assert_json_feed_1_1(doc: dict) -> None:
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["items"], list)
    for key in ("home_page_url", "feed_url"):
        if key in doc:
            assert doc[key].startswith(("http://", "https://"))
    for author in doc.get("authors", []):
        assert isinstance(author, dict) and ("name" in author or "url" in author or "avatar" in author)
    ids = set()
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        ids.add(item["id"])
        assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
        for key in ("date_published", "date_modified"):
            if key in item:
                datetime.fromisoformat(item[key].replace("Z", "+00:00"))  # RFC 3339
        assert all(not k.startswith("_") or k[1:2].isalpha() for k in item)
        assert isinstance(item.get("tags", []), list)
    assert len(ids) == len(doc["items"])


def test_json_feed_is_valid_1_1_and_matches_the_atom_feed(client, notices):
    response = client.get("/doi-thoai-doanh-nghiep/feed.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/feed+json")
    doc = json.loads(response.data)
    assert_json_feed_1_1(doc)
    assert [i["title"] for i in doc["items"]] == [n.title for n in (notices[2], notices[1], notices[0])]
    assert doc["items"][0]["date_published"] == "2026-03-22T01:30:00Z"
    assert doc["feed_url"] == "http://heza.test/doi-thoai-doanh-nghiep/feed.json"
    atom = feedparser.parse(client.get("/doi-thoai-doanh-nghiep/feed.atom").data)
    assert [i["id"] for i in doc["items"]] == [e.id for e in atom.entries]
    assert "&lt;script&gt;" in doc["items"][1]["content_html"]


def test_empty_feeds_are_still_valid(client, db):
    atom = feedparser.parse(client.get("/doi-thoai-doanh-nghiep/feed.atom").data)
    assert not atom.bozo and atom.entries == [] and atom.feed.updated_parsed
    assert_json_feed_1_1(json.loads(client.get("/doi-thoai-doanh-nghiep/feed.json").data))


def test_feeds_answer_conditional_requests(client, notices):
    first = client.get("/doi-thoai-doanh-nghiep/feed.atom")
    etag = first.headers["ETag"]
    again = client.get("/doi-thoai-doanh-nghiep/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304
