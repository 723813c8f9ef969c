"""The public pages: an enterprise's personal page, the announcements with their feeds, topic proposals.

Nothing here needs a login. Enterprise data is reached only through a signed personal link
(:mod:`heza.conferences.links`), never through an id in the URL, so one enterprise cannot list
or guess another's. Every POST carries the CSRF token of the global ``CSRFProtect`` and is
rate limited (:mod:`heza.public.ratelimit`).

This module holds what the whole blueprint shares (error pages, headers, template filters); the
routes live by concept in :mod:`heza.public.enterprise`, :mod:`heza.public.announcements` and
:mod:`heza.public.proposals`, all attached to the one ``public`` blueprint, so endpoint names
(``public.enterprise_page``, ``public.announcements``…) do not depend on the module.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from heza.public import bp
from heza.public.common import Refusal, not_found, refusal_page, site_name

PROPOSAL_FORMS = {"public.propose_topic", "public.organizer_propose_topic", "public.confirm_proposal"}


@bp.errorhandler(Refusal)
def _on_refusal(refusal: Refusal) -> Response:
    return refusal_page(refusal)


@bp.errorhandler(NotFound)
def _on_not_found(_error: NotFound) -> Response:
    return refusal_page(not_found())


def _back_target() -> str:
    """Where a refused POST sends people back to: the page holding the form they sent."""
    args = request.view_args or {}
    endpoint = request.endpoint or ""
    if endpoint.startswith("public.enterprise") and "token" in args:
        return url_for("public.enterprise_page", token=args["token"])
    if endpoint in PROPOSAL_FORMS:
        return request.path
    return url_for("public.announcements")


@bp.errorhandler(RequestEntityTooLarge)
def _on_too_large(_error: RequestEntityTooLarge) -> Response:
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return refusal_page(Refusal(
        413, _("Tệp gửi lên quá lớn"),
        _("Dữ liệu gửi lên vượt quá %(mb)d MB nên chưa được tiếp nhận. Tệp đính kèm kiến nghị tối đa 5 MB; "
          "vui lòng nén hoặc tách tệp rồi gửi lại.", mb=limit_mb),
        back_url=_back_target(),
    ))


@bp.errorhandler(CSRFError)
def _on_csrf(_error: CSRFError) -> Response:
    return refusal_page(Refusal(
        400, _("Biểu mẫu đã hết hiệu lực"),
        _("Biểu mẫu không còn hợp lệ (có thể trang đã mở quá lâu hoặc trình duyệt chặn cookie). "
          "Vui lòng tải lại trang rồi gửi lại."),
        back_url=_back_target(),
    ))


@bp.after_request
def _privacy_headers(response: Response) -> Response:
    # The personal link is a bearer secret: it must not leak through the Referer header to another
    # site, be kept in a shared cache, or be indexed.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if (request.endpoint or "").startswith("public.enterprise"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def _site() -> dict[str, Any]:
    # Pages tied to one organizer pass ``organizer`` and are headed with it; the others with the site.
    return {"site_name": site_name()}


@bp.app_template_filter("checkin_qr")
def _checkin_qr(code: str) -> str:
    """An attendee's check-in code as an inline QR code (``<img src=...>``)."""
    from heza.conferences.checkin import qr_svg_data_uri

    return qr_svg_data_uri(code)


@bp.app_template_filter("paragraphs")
def paragraphs_filter(text: str | None) -> Markup:
    """Plain text as HTML paragraphs; every piece is escaped first, so it is safe for user text."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


@bp.app_template_filter("hhmm")
def hhmm_filter(value: Any) -> str:
    """A time of day as HH:MM."""
    return value.strftime("%H:%M") if value is not None else ""


# The routes attach to ``bp`` when their modules are imported.
from heza.public import announcements, enterprise, proposals  # noqa: E402,F401
from heza.public.announcements import PER_PAGE, notice_subject, permalink, slugify  # noqa: E402,F401
from heza.public.proposals import proposal_confirm_token  # noqa: E402,F401
