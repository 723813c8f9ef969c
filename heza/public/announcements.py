"""The published notices: the site-wide list, each organizer's list under its slug, permalinks, the A4
print notice, and the Atom / JSON feeds the web portals pull (site-wide and per organizer).

A notice's permanent address does not depend on the list it is reached from
(``/doi-thoai-doanh-nghiep/<id>-<slug>``), and its feed entry id is the same in every feed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from heza import rules
from heza.base import local_date_of, now_utc
from heza.conferences.models import Announcement, AnnouncementKind, Conference
from heza.directory.models import Organizer
from heza.extensions import db
from heza.public import bp, feeds
from heza.public.common import Refusal, all_organizers, organizer_by_slug, site_name

PER_PAGE = 20
FEED_SIZE = 50
FEED_TAG_AUTHORITY = "heza.gov.vn"  # entry ids stay the same whichever host serves the feed


def slugify(text: str) -> str:
    """An ASCII slug of a Vietnamese title ("Thông báo Hội nghị" → "thong-bao-hoi-nghi")."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:80].rstrip("-") or "thong-bao"


def _published(*, portal_only: bool = False, organizer: Organizer | None = None) -> sa.Select:
    query = select(Announcement).where(
        Announcement.published_dt.isnot(None),
        Announcement.published_dt <= now_utc(),
        Announcement.withdrawn_dt.is_(None),
    )
    if portal_only:
        query = query.where(Announcement.on_portal.is_(True))
    if organizer is not None:
        query = query.where(Announcement.conference_id.in_(
            select(Conference.id).where(Conference.organizer_id == organizer.id)))
    return query.options(selectinload(Announcement.conference).selectinload(Conference.organizer))


def _newest_first(query: sa.Select) -> sa.Select:
    return query.order_by(Announcement.published_dt.desc(), Announcement.id.desc())


def permalink(announcement: Announcement, *, external: bool = False) -> str:
    """The public address of one announcement."""
    return url_for("public.announcement", announcement_id=announcement.id, slug=slugify(announcement.title),
                   _external=external)


def _published_one(announcement_id: int) -> Announcement:
    announcement = db.session.scalar(_published().where(Announcement.id == announcement_id))
    if announcement is None:
        raise Refusal(404, _("Không tìm thấy thông báo"),
                      _("Thông báo này không tồn tại hoặc đã được gỡ xuống."),
                      back_url=url_for("public.announcements"))
    return announcement


def notice_subject(title: str) -> str:
    """The line under "THÔNG BÁO" on the printed notice: the title without a repeated "Thông báo"."""
    title = (title or "").strip()
    match = re.match(r"thông báo\s+", title, re.IGNORECASE)
    if not match or match.end() == len(title):
        return title
    rest = title[match.end():]
    return rest[:1].upper() + rest[1:]


def _announcement_context(announcement: Announcement) -> dict[str, Any]:
    conference = announcement.conference
    settings = conference.settings()
    return {
        "announcement": announcement,
        "conference": conference,
        "organizer": conference.organizer,
        "cutoff": rules.registration_cutoff(conference.held_on, settings),
        "is_invitation": announcement.kind == AnnouncementKind.INVITATION_NOTICE,
        "published_on": local_date_of(announcement.published_dt),
        "subject_line": notice_subject(announcement.title),
        "permalink_url": permalink(announcement, external=True),
    }


@bp.app_template_global("announcement_url")
def announcement_url(announcement: Announcement) -> str:
    return permalink(announcement)


@bp.get("/")
def home() -> Any:
    """The site's front door: the public list of announcements (staff log in from its header)."""
    return redirect(url_for("public.announcements"))


def _list_page(organizer: Organizer | None) -> Any:
    page = request.args.get("trang", 1, type=int)
    query = _newest_first(_published(portal_only=True, organizer=organizer))
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    return render_template("public/announcements.html", pagination=pagination, items=pagination.items,
                           organizer=organizer, organizers=all_organizers() if organizer is None else [])


@bp.get("/doi-thoai-doanh-nghiep/")
def announcements() -> Any:
    """Every organizer's published notices, newest first, each with its organizer."""
    return _list_page(None)


@bp.get("/o/<slug>/")
def organizer_announcements(slug: str) -> Any:
    """One organizer's published notices, headed with its name and address."""
    return _list_page(organizer_by_slug(slug))


@bp.get("/o/<slug>")
def organizer_home(slug: str) -> Any:
    """The organizer's address without its trailing slash."""
    return redirect(url_for("public.organizer_announcements", slug=organizer_by_slug(slug).slug), code=301)


@bp.get("/doi-thoai-doanh-nghiep/<int:announcement_id>-<slug>")
@bp.get("/doi-thoai-doanh-nghiep/<int:announcement_id>")
def announcement(announcement_id: int, slug: str | None = None) -> Any:
    """One notice at its permanent address; an old or missing slug redirects to the current one."""
    item = _published_one(announcement_id)
    if slug != slugify(item.title):
        return redirect(permalink(item), code=301)
    return render_template("public/announcement.html", **_announcement_context(item))


@bp.get("/doi-thoai-doanh-nghiep/<int:announcement_id>/in")
def announcement_print(announcement_id: int) -> Any:
    """The notice on one A4 page for the one-stop desk, headed and signed by its organizer."""
    item = _published_one(announcement_id)
    return render_template("public/print_notice.html", **_announcement_context(item))


# Feeds --------------------------------------------------------------------------------------------


def _feed_entries(organizer: Organizer | None) -> list[feeds.FeedEntry]:
    query = _newest_first(_published(portal_only=True, organizer=organizer)).limit(FEED_SIZE)
    entries = []
    for a in db.session.scalars(query).all():
        context = _announcement_context(a)
        published = a.published_dt
        updated = max(published, a.updated_dt) if a.updated_dt else published
        entries.append(feeds.FeedEntry(
            id=f"tag:{FEED_TAG_AUTHORITY},{a.created_dt:%Y-%m-%d}:doi-thoai-doanh-nghiep/{a.id}",
            url=permalink(a, external=True),
            title=a.title,
            published=published,
            updated=updated,
            author=a.conference.organizer.name,
            category_term=a.kind.value,
            category_label=str(a.kind.label),
            summary=_summary(a),
            content_html=render_template("public/_announcement_content.html", **context),
        ))
    return entries


def _summary(a: Announcement) -> str:
    c = a.conference
    if c.undated:
        return _("%(kind)s: %(title)s, hoãn, thời gian mới sẽ được thông báo sau.", kind=str(a.kind.label),
                 title=c.title)
    return _("%(kind)s: %(title)s, ngày %(day)s tại %(place)s.", kind=str(a.kind.label), title=c.title,
             day=f"{c.held_on:%d/%m/%Y}", place=c.place or "—")


def _feed_meta(feed_endpoint: str, organizer: Organizer | None) -> feeds.FeedMeta:
    if organizer is None:
        home_url = url_for("public.announcements", _external=True)
        name = current_app.config.get("HEZA_FEED_AUTHOR") or site_name()
        feed_url = url_for(feed_endpoint, _external=True)
    else:
        home_url = url_for("public.organizer_announcements", slug=organizer.slug, _external=True)
        name = organizer.name
        feed_url = url_for(feed_endpoint, slug=organizer.slug, _external=True)
    return feeds.FeedMeta(
        id=home_url,
        title=_("Đối thoại doanh nghiệp – %(name)s", name=name),
        subtitle=_("Thông báo tổ chức hội nghị đối thoại doanh nghiệp và thông báo kết luận"),
        home_url=home_url,
        feed_url=feed_url,
        author=name,
    )


def _cacheable(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


def _atom(endpoint: str, organizer: Organizer | None) -> Response:
    body = feeds.atom(_feed_meta(endpoint, organizer), _feed_entries(organizer), now_utc())
    return _cacheable(current_app.response_class(body, content_type=feeds.ATOM_MIMETYPE))


def _json(endpoint: str, organizer: Organizer | None) -> Response:
    body = feeds.json_feed(_feed_meta(endpoint, organizer), _feed_entries(organizer))
    return _cacheable(current_app.response_class(body, content_type=feeds.JSON_FEED_MIMETYPE))


@bp.get("/doi-thoai-doanh-nghiep/feed.atom")
def feed_atom() -> Any:
    """The Atom feed of every organizer's notices."""
    return _atom("public.feed_atom", None)


@bp.get("/doi-thoai-doanh-nghiep/feed.json")
def feed_json() -> Any:
    """The same feed as JSON Feed 1.1."""
    return _json("public.feed_json", None)


@bp.get("/o/<slug>/feed.atom")
def organizer_feed_atom(slug: str) -> Any:
    """The Atom feed of one organizer's notices (what its own portal pulls)."""
    return _atom("public.organizer_feed_atom", organizer_by_slug(slug))


@bp.get("/o/<slug>/feed.json")
def organizer_feed_json(slug: str) -> Any:
    """One organizer's notices as JSON Feed 1.1."""
    return _json("public.organizer_feed_json", organizer_by_slug(slug))
