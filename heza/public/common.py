"""What every public page shares: refusals as friendly Vietnamese pages, rate limits, organizer look-up.

An organizer's public pages live under its slug (``/o/<slug>/``); a slug that names no organizer is
the same Vietnamese "not found" page as any other missing address.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from heza.directory.models import Organizer
from heza.extensions import db
from heza.public import ratelimit


class Refusal(Exception):
    """A request the public pages turn down with a friendly Vietnamese page instead of an error."""

    def __init__(self, status: int, title: str, message: str, *, headers: dict[str, str] | None = None,
                 back_url: str | None = None, contact: Any = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.headers = headers or {}
        self.back_url = back_url
        self.contact = contact


def refusal_page(refusal: Refusal) -> Response:
    # A refusal about one organizer's record (an expired link) is headed with that organizer.
    organizer = refusal.contact if isinstance(refusal.contact, Organizer) else None
    response = current_app.make_response(
        (render_template("public/refusal.html", refusal=refusal, organizer=organizer), refusal.status)
    )
    response.headers.update(refusal.headers)
    return response


def not_found() -> Refusal:
    return Refusal(404, _("Không tìm thấy trang"), _("Trang bạn tìm không tồn tại hoặc đã được gỡ xuống."),
                   back_url=url_for("public.announcements"))


def rate_limited(scope: str, identity: str) -> None:
    """Count one request of ``identity`` in ``scope``; a 429 refusal when over the limit."""
    verdict = ratelimit.hit(scope, identity)
    if not verdict.allowed:
        minutes = max(1, (verdict.retry_after + 59) // 60)
        raise Refusal(429, _("Quá nhiều yêu cầu"),
                      _("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(m)d phút.",
                        m=minutes),
                      headers={"Retry-After": str(verdict.retry_after)})


def organizer_by_slug(slug: str) -> Organizer:
    """The organizer whose public pages live under ``slug``; the Vietnamese 404 page if none."""
    organizer = db.session.scalar(select(Organizer).where(Organizer.slug == slug)) if len(slug) <= 60 else None
    if organizer is None:
        raise Refusal(404, _("Không tìm thấy đơn vị tổ chức"),
                      _("Không có đơn vị tổ chức hội nghị đối thoại nào ở địa chỉ này."),
                      back_url=url_for("public.announcements"))
    return organizer


def all_organizers() -> list[Organizer]:
    """Every organizer, for the site-wide pages: the authority first, then departments and wards, by name."""
    return list(db.session.scalars(select(Organizer).order_by(Organizer.kind, Organizer.name)))


def site_name() -> str:
    """The name heading the pages tied to no organizer (the site-wide list and form).

    ``PUBLIC_SITE_NAME`` in the config replaces it; the pages of one organizer, of one conference
    or of one enterprise's link are headed with that organizer instead.
    """
    return current_app.config.get("PUBLIC_SITE_NAME") or _("Cổng đối thoại doanh nghiệp thành phố Hải Phòng")
