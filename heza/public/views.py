"""The public pages: an enterprise's personal page, the announcements with their feeds, topic proposals.

Nothing here needs a login. Enterprise data is reached only through a signed personal link
(:mod:`heza.conferences.links`), never through an id in the URL, so one enterprise cannot list
or guess another's. Every POST carries the CSRF token of the global ``CSRFProtect`` and is
rate limited (:mod:`heza.public.ratelimit`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, undefer
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from heza import rules
from heza.base import local_date_of, local_today, now_utc
from heza.conferences.models import (
    Announcement,
    AnnouncementKind,
    Attendee,
    Channel,
    Conference,
    ConferenceStatus,
    Registration,
)
from heza.directory.models import Enterprise
from heza.extensions import db
from heza.outreach.models import Addressee, TopicProposal
from heza.public import bp, emails, feeds, ratelimit
from heza.public.forms import (
    MAX_ATTENDEES,
    RecommendationForm,
    RegistrationForm,
    TopicProposalForm,
    WithdrawForm,
)
from heza.recommendations.models import Field, Recommendation

PER_PAGE = 20
FEED_SIZE = 50
PROPOSAL_SALT = "heza.topic-proposal.confirm"
PROPOSAL_CONFIRM_MAX_AGE = 60 * 60 * 24 * 60  # the confirmation link works for 60 days
FEED_TAG_AUTHORITY = "heza.gov.vn"  # entry ids stay the same whichever host serves the feed


# Refusals ---------------------------------------------------------------------------------------


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


def _refusal_page(refusal: Refusal) -> Response:
    response = current_app.make_response(
        (render_template("public/refusal.html", refusal=refusal), refusal.status)
    )
    response.headers.update(refusal.headers)
    return response


@bp.errorhandler(Refusal)
def _on_refusal(refusal: Refusal) -> Response:
    return _refusal_page(refusal)


@bp.errorhandler(NotFound)
def _on_not_found(_error: NotFound) -> Response:
    return _refusal_page(Refusal(404, _("Không tìm thấy trang"),
                                 _("Trang bạn tìm không tồn tại hoặc đã được gỡ xuống."),
                                 back_url=url_for("public.announcements")))


def _back_target() -> str:
    """Where a refused POST sends people back to: the page holding the form they sent."""
    args = request.view_args or {}
    endpoint = request.endpoint or ""
    if endpoint.startswith("public.enterprise") and "token" in args:
        return url_for("public.enterprise_page", token=args["token"])
    if endpoint in {"public.propose_topic", "public.confirm_proposal"}:
        return request.path
    return url_for("public.announcements")


@bp.errorhandler(RequestEntityTooLarge)
def _on_too_large(_error: RequestEntityTooLarge) -> Response:
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return _refusal_page(Refusal(
        413, _("Tệp gửi lên quá lớn"),
        _("Dữ liệu gửi lên vượt quá %(mb)d MB nên chưa được tiếp nhận. Tệp đính kèm kiến nghị tối đa 5 MB; "
          "vui lòng nén hoặc tách tệp rồi gửi lại.", mb=limit_mb),
        back_url=_back_target(),
    ))


@bp.errorhandler(CSRFError)
def _on_csrf(_error: CSRFError) -> Response:
    return _refusal_page(Refusal(
        400, _("Biểu mẫu đã hết hiệu lực"),
        _("Biểu mẫu không còn hợp lệ (có thể trang đã mở quá lâu hoặc trình duyệt chặn cookie). "
          "Vui lòng tải lại trang rồi gửi lại."),
        back_url=_back_target(),
    ))


def _rate_limited(scope: str, identity: str) -> None:
    verdict = ratelimit.hit(scope, identity)
    if not verdict.allowed:
        minutes = max(1, (verdict.retry_after + 59) // 60)
        raise Refusal(429, _("Quá nhiều yêu cầu"),
                      _("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(m)d phút.",
                        m=minutes),
                      headers={"Retry-After": str(verdict.retry_after)})


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


# The personal page --------------------------------------------------------------------------------


def _ids_from_token(token: str) -> tuple[int, int]:
    """The (conference, enterprise) a link was made for; a friendly refusal if forged or expired."""
    from heza.conferences import links

    try:
        if not _canonical(token):
            raise BadSignature("not as issued")
        conference_id, enterprise_id = links.read_token(token)
        return int(conference_id), int(enterprise_id)
    except SignatureExpired as exc:
        raise _expired() from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise _invalid_link() from exc


def _canonical(token: str) -> bool:
    """Whether each part of the token is exactly as it was issued.

    A base64 text's last character carries spare bits that decoders ignore, so a link with that
    character changed would still verify; any change of the link must be refused.
    """
    try:
        return all(base64_encode(base64_decode(part)).decode("ascii") == part for part in token.split("."))
    except (BadData, UnicodeError, ValueError):
        return False


def _invalid_link() -> Refusal:
    return Refusal(404, _("Đường dẫn không hợp lệ"),
                   _("Đường dẫn này không đúng hoặc đã bị thay đổi. Vui lòng mở lại đường dẫn trong thư mời "
                     "của Ban Quản lý, hoặc liên hệ đơn vị tổ chức để được gửi lại."))


def _expired(conference: Conference | None = None) -> Refusal:
    return Refusal(403, _("Đường dẫn đã hết hạn"),
                   _("Đường dẫn cá nhân chỉ dùng được đến hết thời hạn trả lời kiến nghị của hội nghị. "
                     "Nếu cần tra cứu kiến nghị, vui lòng liên hệ đơn vị tổ chức."),
                   contact=conference.organizer if conference is not None else None)


@dataclass
class Visit:
    """An enterprise on its personal page for one conference, at one instant."""

    token: str
    conference: Conference
    enterprise: Enterprise
    now: datetime = field(default_factory=now_utc)

    @cached_property
    def settings(self) -> rules.Settings:
        return self.conference.settings()

    @cached_property
    def cutoff(self) -> rules.Deadline:
        return rules.registration_cutoff(self.conference.held_on, self.settings)

    @cached_property
    def expires_on(self) -> date:
        # Valid until the longest answer period (with coordination) has run out.
        return rules.answer_due(self.conference.held_on, True, self.settings).due

    @property
    def before_cutoff(self) -> bool:
        return rules.received_in_time(self.now, self.conference.held_on, self.settings)

    @property
    def cancelled(self) -> bool:
        return self.conference.status == ConferenceStatus.CANCELLED

    @property
    def registration_open(self) -> bool:
        return self.before_cutoff and not self.cancelled

    @cached_property
    def registration(self) -> Registration | None:
        return db.session.scalar(select(Registration).where(
            Registration.conference_id == self.conference.id, Registration.enterprise_id == self.enterprise.id))

    @property
    def active_registration(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.withdrawn_dt is None else None

    def in_time(self, received_dt: datetime) -> bool:
        return rules.received_in_time(received_dt, self.conference.held_on, self.settings)

    def recommendations(self) -> list[Recommendation]:
        return list(db.session.scalars(
            select(Recommendation)
            .where(Recommendation.conference_id == self.conference.id,
                   Recommendation.enterprise_id == self.enterprise.id)
            .order_by(Recommendation.received_dt, Recommendation.id)
        ))


def _visit(token: str, ids: tuple[int, int] | None = None) -> Visit:
    conference_id, enterprise_id = ids or _ids_from_token(token)
    conference = db.session.get(Conference, conference_id)
    enterprise = db.session.get(Enterprise, enterprise_id)
    if conference is None or enterprise is None:
        raise _invalid_link()
    visit = Visit(token, conference, enterprise)
    if local_today() > visit.expires_on:
        raise _expired(conference)
    return visit


def _visit_for_post(token: str) -> Visit:
    """Check the signature, count the POST against the link's limit, then load."""
    ids = _ids_from_token(token)
    _rate_limited("enterprise", f"{ids[0]}:{ids[1]}")
    return _visit(token, ids)


def _registration_form(visit: Visit) -> RegistrationForm:
    reg = visit.active_registration
    rows = [{"name": a.name, "position": a.position, "phone": a.phone, "email": a.email}
            for a in (reg.attendees if reg else [])]
    form = RegistrationForm(formdata=None, data={"attendees": rows})
    while len(form.attendees) < min(MAX_ATTENDEES, max(len(rows) + 1, 3)):
        form.attendees.append_entry()
    return form


def _page(visit: Visit, *, reg_form: RegistrationForm | None = None, rec_form: RecommendationForm | None = None,
          status: int = 200) -> tuple[str, int]:
    recs = visit.recommendations()
    return render_template(
        "public/enterprise.html",
        visit=visit,
        conference=visit.conference,
        enterprise=visit.enterprise,
        registration=visit.active_registration,
        reg_form=reg_form or _registration_form(visit),
        withdraw_form=WithdrawForm(formdata=None),
        rec_form=rec_form or RecommendationForm(formdata=None),
        recommendations=recs,
        late_ids={r.id for r in recs if not visit.in_time(r.received_dt)},
        max_attendees=MAX_ATTENDEES,
    ), status


def _back(token: str, anchor: str) -> Response:
    return redirect(url_for("public.enterprise_page", token=token, _anchor=anchor), code=303)


@bp.get("/doanh-nghiep/<token>")
def enterprise_page(token: str) -> Any:
    """The enterprise's page for one conference: details, registration, recommendations and answers."""
    return _page(_visit(token))


@bp.post("/doanh-nghiep/<token>/dang-ky")
def enterprise_register(token: str) -> Any:
    """Register attendees, or replace the list, until the R2 cutoff."""
    visit = _visit_for_post(token)
    if not visit.registration_open:
        flash(_("Đã hết hạn đăng ký tham dự (hết ngày %(day)s). Đăng ký chưa được ghi nhận; vui lòng liên hệ "
                "đơn vị tổ chức nếu cần.", day=f"{visit.cutoff.due:%d/%m/%Y}"), "error")
        return _back(token, "dang-ky")
    form = RegistrationForm()
    if not form.validate():
        return _page(visit, reg_form=form, status=422)
    reg = visit.registration
    if reg is None:
        reg = Registration(conference=visit.conference, enterprise=visit.enterprise, channel=Channel.LINK,
                           received_dt=visit.now)
        db.session.add(reg)
        action = "created"
    elif reg.withdrawn_dt is not None:
        # Registering again after withdrawing counts from now, not from the first registration.
        reg.withdrawn_dt = None
        reg.received_dt = visit.now
        reg.channel = Channel.LINK
        action = "created"
    else:
        action = "updated"
    reg.attendees = [
        Attendee(name=row.form.name.data.strip(), position=(row.form.position.data or "").strip(),
                 phone=(row.form.phone.data or "").strip(), email=(row.form.email.data or "").strip())
        for row in form.attendees.entries if not row.form.is_blank()
    ]
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same link submitted twice at once: the other request won
        flash(_("Đăng ký vừa được gửi từ một cửa sổ khác. Vui lòng kiểm tra lại danh sách bên dưới."), "error")
        return _back(token, "dang-ky")
    emails.registration_receipt(reg, action, visit.now, page_url=_page_url(token))
    db.session.commit()
    if action == "created":
        flash(_("Đã ghi nhận đăng ký tham dự của doanh nghiệp. Thư xác nhận đã được gửi tới %(email)s.",
                email=emails.receipt_address(visit.enterprise, reg) or "—"), "success")
    else:
        flash(_("Đã cập nhật danh sách người tham dự."), "success")
    return _back(token, "dang-ky")


@bp.post("/doanh-nghiep/<token>/rut-dang-ky")
def enterprise_withdraw(token: str) -> Any:
    """Withdraw the registration, until the R2 cutoff."""
    visit = _visit_for_post(token)
    if not visit.registration_open:
        flash(_("Đã hết hạn đăng ký nên không thể thay đổi hoặc rút đăng ký qua đường dẫn này; vui lòng liên hệ "
                "đơn vị tổ chức."), "error")
        return _back(token, "dang-ky")
    if not WithdrawForm().validate():
        return _back(token, "dang-ky")
    reg = visit.active_registration
    if reg is None:
        flash(_("Doanh nghiệp chưa đăng ký tham dự."), "info")
        return _back(token, "dang-ky")
    reg.withdrawn_dt = visit.now
    db.session.flush()
    emails.registration_receipt(reg, "withdrawn", visit.now, page_url=_page_url(token))
    db.session.commit()
    flash(_("Đã rút đăng ký tham dự. Quý doanh nghiệp có thể đăng ký lại trước hạn."), "success")
    return _back(token, "dang-ky")


def _clean_filename(name: str) -> str:
    """Keep the name people gave their file (Vietnamese included), minus any path and control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "kien-nghi"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-200:]


@bp.post("/doanh-nghiep/<token>/kien-nghi")
def enterprise_recommend(token: str) -> Any:
    """Submit a recommendation; after the cutoff it is still taken, marked late."""
    visit = _visit_for_post(token)
    form = RecommendationForm()
    if not form.validate():
        return _page(visit, rec_form=form, status=422)
    rec = Recommendation(
        organizer_id=visit.conference.organizer_id, enterprise=visit.enterprise, conference=visit.conference,
        field=Field(form.field.data), content=form.content.data.strip(), channel=Channel.LINK,
        received_dt=visit.now,
    )
    upload = form.attachment.data
    if upload:
        rec.attachment_name = _clean_filename(upload.filename)
        rec.attachment_data = upload.read()
    db.session.add(rec)
    db.session.flush()  # the reference (KN-2026-000123) is set right after the INSERT
    in_time = visit.in_time(rec.received_dt)
    emails.recommendation_receipt(rec, in_time, page_url=_page_url(token))
    db.session.commit()
    if in_time:
        flash(_("Đã tiếp nhận kiến nghị số %(ref)s.", ref=rec.reference), "success")
    else:
        flash(_("Đã tiếp nhận kiến nghị số %(ref)s. Kiến nghị được gửi sau hạn nên được ghi nhận là nộp muộn "
                "và không được tính vào điều kiện tổ chức hội nghị.", ref=rec.reference), "warning")
    return _back(token, "kien-nghi")


@bp.get("/doanh-nghiep/<token>/kien-nghi/<reference>/tep-dinh-kem")
def enterprise_attachment(token: str, reference: str) -> Any:
    """The enterprise's own attachment, looked up within its own recommendations only."""
    visit = _visit(token)
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.reference == reference,
                                     Recommendation.conference_id == visit.conference.id,
                                     Recommendation.enterprise_id == visit.enterprise.id)
        .options(undefer(Recommendation.attachment_data))
    )
    if rec is None or not rec.attachment_data:
        raise Refusal(404, _("Không tìm thấy tệp"), _("Kiến nghị này không có tệp đính kèm."),
                      back_url=url_for("public.enterprise_page", token=token))
    return send_file(BytesIO(rec.attachment_data), mimetype="application/pdf", as_attachment=True,
                     download_name=rec.attachment_name or f"{rec.reference}.pdf")


@bp.get("/doanh-nghiep/<token>/hoi-nghi.ics")
def enterprise_ics(token: str) -> Any:
    """The conference as a calendar file (a cancellation once the conference is cancelled)."""
    from heza.conferences import ics

    visit = _visit(token)
    response = current_app.response_class(ics.conference_ics(visit.conference, cancel=visit.cancelled))
    response.headers["Content-Type"] = f"{ics.CONTENT_TYPE}; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={ics.FILENAME}"
    return response


def _page_url(token: str) -> str:
    return url_for("public.enterprise_page", token=token, _external=True)


# Announcements and feeds --------------------------------------------------------------------------


def slugify(text: str) -> str:
    """An ASCII slug of a Vietnamese title ("Thông báo Hội nghị" → "thong-bao-hoi-nghi")."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:80].rstrip("-") or "thong-bao"


def _published(*, portal_only: bool = False) -> sa.Select:
    query = select(Announcement).where(
        Announcement.published_dt.isnot(None),
        Announcement.published_dt <= now_utc(),
        Announcement.withdrawn_dt.is_(None),
    )
    if portal_only:
        query = query.where(Announcement.on_portal.is_(True))
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


@bp.get("/doi-thoai-doanh-nghiep/")
def announcements() -> Any:
    """The list of published notices, newest first."""
    page = request.args.get("trang", 1, type=int)
    pagination = db.paginate(_newest_first(_published(portal_only=True)), page=page, per_page=PER_PAGE,
                             error_out=False)
    return render_template("public/announcements.html", pagination=pagination, items=pagination.items)


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
    """The notice on one A4 page for the one-stop desk."""
    item = _published_one(announcement_id)
    return render_template("public/print_notice.html", **_announcement_context(item))


def _feed_entries() -> list[feeds.FeedEntry]:
    items = db.session.scalars(_newest_first(_published(portal_only=True)).limit(FEED_SIZE)).all()
    entries = []
    for a in items:
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
    return _("%(kind)s: %(title)s, ngày %(day)s tại %(place)s.", kind=str(a.kind.label), title=c.title,
             day=f"{c.held_on:%d/%m/%Y}", place=c.place or "—")


def _feed_meta(feed_endpoint: str) -> feeds.FeedMeta:
    return feeds.FeedMeta(
        id=url_for("public.announcements", _external=True),
        title=_("Đối thoại doanh nghiệp – Ban Quản lý Khu kinh tế Hải Phòng"),
        subtitle=_("Thông báo tổ chức hội nghị đối thoại doanh nghiệp và thông báo kết luận"),
        home_url=url_for("public.announcements", _external=True),
        feed_url=url_for(feed_endpoint, _external=True),
        author=current_app.config.get("HEZA_FEED_AUTHOR", "Ban Quản lý Khu kinh tế Hải Phòng"),
    )


def _cacheable(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/doi-thoai-doanh-nghiep/feed.atom")
def feed_atom() -> Any:
    """The Atom feed the web portal pulls."""
    body = feeds.atom(_feed_meta("public.feed_atom"), _feed_entries(), now_utc())
    return _cacheable(current_app.response_class(body, content_type=feeds.ATOM_MIMETYPE))


@bp.get("/doi-thoai-doanh-nghiep/feed.json")
def feed_json() -> Any:
    """The same feed as JSON Feed 1.1."""
    body = feeds.json_feed(_feed_meta("public.feed_json"), _feed_entries())
    return _cacheable(current_app.response_class(body, content_type=feeds.JSON_FEED_MIMETYPE))


# Topic proposals (R12) ----------------------------------------------------------------------------


def _proposal_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PROPOSAL_SALT)


def proposal_confirm_token(proposal: TopicProposal) -> str:
    """The signed token of a proposal's confirmation link."""
    return _proposal_serializer().dumps(proposal.id)


@bp.route("/de-xuat-noi-dung-doi-thoai", methods=["GET", "POST"])
def propose_topic() -> Any:
    """R12: propose a dialogue topic to the chair (City Chairman or HEZA Head)."""
    form = TopicProposalForm()
    if request.method == "POST":
        _rate_limited("proposal", request.remote_addr or "?")
        if (form.website.data or "").strip():
            # A robot filled the hidden field: answer as if it worked, keep nothing.
            return redirect(url_for("public.proposal_sent"), code=303)
        if form.validate():
            proposal = _create_proposal(form)
            flash(_("Đã gửi đề xuất. Vui lòng mở thư gửi tới %(email)s và bấm đường dẫn xác nhận.",
                    email=proposal.email), "success")
            return redirect(url_for("public.proposal_sent"), code=303)
        return render_template("public/propose.html", form=form), 422
    return render_template("public/propose.html", form=form)


def _create_proposal(form: TopicProposalForm) -> TopicProposal:
    tax_code = form.tax_code.data or None
    enterprise_id = None
    if tax_code:
        # Linked for the administrators' list; nothing about the match is shown to the proposer.
        enterprise_id = db.session.scalar(select(Enterprise.id).where(Enterprise.tax_code == tax_code))
    now = now_utc()
    proposal = TopicProposal(
        year=rules.dialogue_plan_year(local_today()), addressee=Addressee(form.addressee.data),
        enterprise_id=enterprise_id, proposer_name=form.proposer_name.data.strip(), tax_code=tax_code,
        email=form.email.data.strip(), phone=(form.phone.data or "").strip(), topic=form.topic.data.strip(),
        content=form.content.data.strip(), received_dt=now,
    )
    db.session.add(proposal)
    db.session.flush()
    confirm_url = url_for("public.confirm_proposal", token=proposal_confirm_token(proposal), _external=True)
    emails.topic_confirmation(proposal, confirm_url)
    db.session.commit()
    return proposal


@bp.get("/de-xuat-noi-dung-doi-thoai/da-gui")
def proposal_sent() -> Any:
    """After sending a proposal."""
    return render_template("public/proposal_sent.html")


@bp.route("/de-xuat-noi-dung-doi-thoai/xac-nhan/<token>", methods=["GET", "POST"])
def confirm_proposal(token: str) -> Any:
    """The proposer confirms their address. GET only shows a button: mail scanners follow links."""
    try:
        proposal_id = _proposal_serializer().loads(token, max_age=PROPOSAL_CONFIRM_MAX_AGE)
    except SignatureExpired as exc:
        raise Refusal(403, _("Đường dẫn xác nhận đã hết hạn"),
                      _("Đường dẫn xác nhận chỉ có hiệu lực trong 60 ngày. Vui lòng gửi lại đề xuất."),
                      back_url=url_for("public.propose_topic")) from exc
    except BadSignature as exc:
        raise Refusal(404, _("Đường dẫn không hợp lệ"), _("Đường dẫn xác nhận không đúng hoặc đã bị thay đổi."),
                      back_url=url_for("public.propose_topic")) from exc
    proposal = db.session.get(TopicProposal, proposal_id)
    if proposal is None:
        raise Refusal(404, _("Không tìm thấy đề xuất"), _("Đề xuất này không còn trong hệ thống."),
                      back_url=url_for("public.propose_topic"))
    form = WithdrawForm()  # only the CSRF token
    if request.method == "POST" and form.validate():
        if proposal.confirmed_dt is None:
            proposal.confirmed_dt = now_utc()
            db.session.commit()
        return redirect(url_for("public.confirm_proposal", token=token), code=303)
    return render_template("public/proposal_confirm.html", proposal=proposal, form=form)
