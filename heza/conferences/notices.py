"""The conference's R1 announcement (portal and one-stop desk): published, revised after a postponement,
posted again on the new R1 day.

Publishing also invites the audience (:func:`heza.conferences.invitations.invite_missing`). Nothing here
commits: the caller does.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from heza import rules
from heza.base import local_date_of, now_utc
from heza.conferences.invitations import invite_missing
from heza.conferences.models import Announcement, AnnouncementKind, Conference, ConferenceStatus
from heza.conferences.states import ConferenceStateError, invitation_notice, is_scheduled
from heza.extensions import db


def _default_notice_body(conference: Conference) -> str:
    settings = conference.settings()
    cutoff = rules.registration_cutoff(conference.held_on, settings).due
    return _(
        "%(organizer)s tổ chức %(title)s vào ngày %(day)s tại %(place)s. Doanh nghiệp gửi kiến nghị và đăng ký "
        "tham dự chậm nhất hết ngày %(cutoff)s.",
        organizer=conference.organizer.name if conference.organizer else "", title=conference.title,
        day=f"{conference.held_on:%d/%m/%Y}", place=conference.place or "…", cutoff=f"{cutoff:%d/%m/%Y}",
    )


def publish_announcement(conference: Conference, today: date) -> Announcement:
    """R1: publish the conference's announcement (portal and one-stop desk) and invite its audience.

    Published on the R1 day, or at once when the conference was entered after it, then flagged
    late. Publishing again does nothing new; the invitations of anyone not yet reached are enqueued.
    """
    return publish_and_invite(conference, today)[0]


def publish_and_invite(conference: Conference, today: date) -> tuple[Announcement, int]:
    """:func:`publish_announcement`, also saying how many invitations were enqueued."""
    if not is_scheduled(conference):
        raise ConferenceStateError(_("Hội nghị đã dừng, hoãn chưa có ngày mới hoặc đã tổ chức; không thể đăng "
                                     "thông báo."))
    settings = conference.settings()
    plan = rules.announcement_plan(conference.held_on, settings, entered_on=today)
    notice = invitation_notice(conference)
    if notice is None:
        notice = Announcement(conference=conference, kind=AnnouncementKind.INVITATION_NOTICE,
                              title=_("Thông báo tổ chức %(title)s", title=conference.title)[:300])
        db.session.add(notice)
    if not notice.body:
        notice.body = _default_notice_body(conference)
    notice.scheduled_on = plan.deadline.due
    if notice.published_dt is None or notice.withdrawn_dt is not None:
        notice.published_dt = now_utc()
        notice.withdrawn_dt = None
        notice.late = plan.late
        notice.on_portal = True
        notice.at_one_stop_desk = True
    if conference.status == ConferenceStatus.PLANNED:
        conference.status = ConferenceStatus.ANNOUNCED
    db.session.flush()
    return notice, invite_missing(conference, today)


def _revised_notice_body(conference: Conference, old_day: date, today: date) -> str:
    if not is_scheduled(conference):
        return _("%(organizer)s thông báo hoãn %(title)s; thời gian tổ chức mới sẽ được thông báo sau. Thông báo "
                 "này thay thế thông báo đã đăng trước đây.",
                 organizer=conference.organizer.name if conference.organizer else "", title=conference.title)
    settings = conference.settings()
    r1 = rules.announcement_plan(conference.held_on, settings, entered_on=today).publish_on
    return _("Thông báo điều chỉnh (đăng ngày %(r1)s), thay thế thông báo đã đăng trước đây: hội nghị được hoãn "
             "sang ngày mới.", r1=f"{r1:%d/%m/%Y}") + "\n\n" + _default_notice_body(conference)


def revise_notice(conference: Conference, old_day: date, today: date) -> Announcement | None:
    """After a postponement, rewrite the published R1 notice for the new day (portal, one-stop desk, feeds).

    Nothing of the old day stays on it as current: the title, body, R1 date and cutoff are the new
    ones, and ``revised_dt`` marks the revision (the feeds' "updated"). A notice revised before the
    new R1 day is posted again on that day by the announcements job (:func:`republish_due`); one
    revised later is posted again at once, and flagged late.
    """
    notice = invitation_notice(conference)
    if notice is None or notice.published_dt is None or notice.withdrawn_dt is not None:
        return None
    now = now_utc()
    notice.body = _revised_notice_body(conference, old_day, today)
    notice.revised_dt = now
    if is_scheduled(conference):
        plan = rules.announcement_plan(conference.held_on, conference.settings(), entered_on=today)
        notice.title = _("Thông báo điều chỉnh thời gian tổ chức %(title)s: ngày %(day)s", title=conference.title,
                         day=f"{conference.held_on:%d/%m/%Y}")[:300]
        notice.scheduled_on = plan.deadline.due
        notice.late = plan.late
        if plan.late or plan.publish_on <= today:
            notice.published_dt = now
    else:
        notice.title = _("Thông báo hoãn tổ chức %(title)s", title=conference.title)[:300]
    db.session.flush()
    return notice


def republish_due(conference: Conference, today: date) -> bool:
    """Post a notice revised after a postponement again on the new R1 day; True if it was posted now."""
    notice = invitation_notice(conference)
    if notice is None or notice.revised_dt is None or notice.published_dt is None or notice.scheduled_on is None:
        return False
    if today < notice.scheduled_on or local_date_of(notice.published_dt) >= notice.scheduled_on:
        return False
    notice.published_dt = now_utc()
    db.session.flush()
    return True
