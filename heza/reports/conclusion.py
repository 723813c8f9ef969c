"""The conclusion notice (R7): announcement text prefilled from the conference, for the editor to finish.

The notice is an :class:`~heza.conferences.models.Announcement` of kind ``conclusion_notice``,
published through the same path as the R1 announcement. Prefilling never schedules or publishes
it: the editor reviews the conclusions first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from heza import rules
from heza.conferences.models import Announcement, AnnouncementKind, Conference
from heza.extensions import db
from heza.reports.issuer import CONFERENCE_RULES, organizer_name, plan_citation
from heza.reports.stats import conference_stats
from heza.reports.text import PLACEHOLDER, clean_text, fmt_day

_TITLE_LENGTH = 300
CONCLUSIONS_PLACEHOLDER = "[Nội dung kết luận của chủ trì Hội nghị]"


@dataclass(frozen=True)
class NoticeDraft:
    """The title and plain-text body of a conclusion notice."""

    title: str
    body: str


def conclusion_notice(conference: Conference, today: date | None = None, *, language: str = "vi") -> NoticeDraft:
    """The conclusion notice text: held on, where, chaired by, participation, answers, main conclusions.

    The conclusions come from ``Conference.conclusions``; when empty a bracketed placeholder
    marks where the editor writes them. The notice opens with the organizer's plan ("Căn cứ …")
    when one of its plans sets R7 or another conference rule.
    """
    with force_locale(language):
        stats = conference_stats(conference, today)
        org = conference.organizer
        org_name = organizer_name(org)
        chair = clean_text(conference.chair).strip() or PLACEHOLDER
        total = stats.total
        title = _("Thông báo kết luận %(title)s", title=clean_text(conference.title))[:_TITLE_LENGTH]
        normal = rules.answer_due(conference.held_on, False, stats.settings)
        coordinated = rules.answer_due(conference.held_on, True, stats.settings)
        paragraphs = [
            _("Ngày %(day)s, tại %(place)s, %(org)s đã tổ chức %(title)s. %(chair)s chủ trì Hội nghị.",
              day=fmt_day(conference.held_on), place=clean_text(conference.place).strip() or PLACEHOLDER,
              org=org_name, title=clean_text(conference.title), chair=chair),
            _("Tham dự Hội nghị có đại diện %(agencies)d cơ quan, đơn vị và %(enterprises)d doanh nghiệp "
              "(%(people)d đại biểu doanh nghiệp; %(registered)d doanh nghiệp đã đăng ký tham dự).",
              agencies=len(stats.agencies_invited), enterprises=stats.enterprises_attended,
              people=stats.attendees_attended, registered=stats.enterprises_registered)
            if stats.attendance_recorded else
            _("Tham dự Hội nghị có đại diện %(agencies)d cơ quan, đơn vị và %(enterprises)d doanh nghiệp.",
              agencies=len(stats.agencies_invited), enterprises=stats.enterprises_registered),
            _("Hội nghị đã tiếp nhận %(n)d kiến nghị của doanh nghiệp, trong đó %(at)d kiến nghị được trả lời "
              "trực tiếp tại Hội nghị. Các kiến nghị còn lại được trả lời bằng văn bản chậm nhất ngày %(due)s; "
              "đối với kiến nghị cần phối hợp với các đơn vị liên quan, chậm nhất ngày %(due2)s.",
              n=total.received, at=total.at_conference, due=fmt_day(normal.due), due2=fmt_day(coordinated.due)),
            _("Kết luận của %(chair)s:", chair=chair),
            clean_text(conference.conclusions).strip() or CONCLUSIONS_PLACEHOLDER,
            _("%(org)s thông báo để các doanh nghiệp, cơ quan, đơn vị liên quan biết và thực hiện./.",
              org=org_name),
        ]
        citation = plan_citation(stats.settings.basis, ("R7", *CONFERENCE_RULES))
        if citation:
            paragraphs.insert(0, _("Căn cứ %(plan)s;", plan=clean_text(citation).strip()))
        return NoticeDraft(title=title, body="\n\n".join(paragraphs))


def prefill_conclusion_announcement(conference: Conference, today: date | None = None, *,
                                    overwrite: bool = False) -> Announcement:
    """Create the conference's conclusion-notice announcement with the prefilled text.

    An existing draft keeps the editor's text unless ``overwrite`` is set; a published notice is
    never rewritten (the portal shows it). Nothing is scheduled; the caller commits.
    """
    announcement = db.session.scalar(sa.select(Announcement).where(
        Announcement.conference_id == conference.id, Announcement.kind == AnnouncementKind.CONCLUSION_NOTICE))
    if announcement is not None and (announcement.published_dt is not None or not overwrite):
        return announcement
    draft = conclusion_notice(conference, today)
    if announcement is None:
        announcement = Announcement(conference=conference, kind=AnnouncementKind.CONCLUSION_NOTICE,
                                    title=draft.title, body=draft.body, on_portal=True, at_one_stop_desk=False)
        db.session.add(announcement)
    else:
        announcement.title, announcement.body = draft.title, draft.body
    db.session.flush()
    return announcement
