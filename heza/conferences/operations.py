"""What happens to a conference: published, postponed, cancelled, held — and the emails each change owes.

Used by the scheduled jobs (:mod:`jobs.announcements`, :mod:`jobs.held`) and by the admin
screens alike, so a conference postponed by hand and one published by the scheduler go through
the same code. Nothing here commits: the caller does, so the change and its emails are one
transaction (the outbox rows are written with the change that causes them).

Recipients and keys. An invitation goes to one address each: an enterprise (recipient id
``"<enterprise id>"``) or one address of an invited unit (``"u<unit id>:<address>"``). Keys
are ``<family>:<conference id>:<recipient id>``, the family saying which letter it is:

- ``invite`` — the invitation for the conference's original day; after a postponement to a new
  day, ``invite@<yyyy-mm-dd>`` invites those who had not been reached for the earlier day;
- ``postpone@<sequence>`` — the notice of a postponement (with the moved or cancelled event);
- ``cancel`` — the notice of a cancellation.

Whoever has an invitation or postponement notice still queued, being sent or sent has been
"reached"; only they are told of later changes, and only the others are invited afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from heza import rules, search
from heza.base import end_of_local_day, local_date_of, now_utc
from heza.conferences import ics, links
from heza.conferences.models import (
    Announcement,
    AnnouncementKind,
    Audience,
    Conference,
    ConferenceStatus,
    Invitation,
    ReportKind,
    conference_zones,
)
from heza.directory.models import Enterprise, Unit
from heza.extensions import db
from heza.outbox import outbox
from heza.outbox.models import EmailStatus, OutboundEmail
from heza.reports.records import ensure_report

# Emails that stop making sense once a conference has taken place.
_BEFORE_CONFERENCE_KINDS = (outbox.INVITATION, outbox.POSTPONEMENT, outbox.REGISTRATION_NUDGE,
                            outbox.UNIT_REMINDER, outbox.QUORUM)
# Emails that count as having reached someone about the conference.
_INVITATION_FAMILY = (outbox.INVITATION, outbox.POSTPONEMENT)
_REACHED_STATUSES = (EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.SENT)


class ConferenceStateError(ValueError):
    """The operation does not apply to the conference in its present state."""


@dataclass(frozen=True)
class Recipient:
    """One address an invitation or notice goes to."""

    rid: str
    address: str
    name: str
    language: str
    enterprise_id: int | None = None
    unit_id: int | None = None


# Conference states ------------------------------------------------------------------------------


def is_scheduled(conference: Conference) -> bool:
    """Whether the conference is expected to take place on ``held_on``.

    Planned and announced ones are; a postponed one is when it was moved to a new day
    (``postponed_from`` set), not when it was postponed without one.
    """
    if conference.status in (ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED):
        return True
    return conference.status == ConferenceStatus.POSTPONED and conference.postponed_from is not None


def scheduled_filter() -> sa.ColumnElement[bool]:
    """:func:`is_scheduled` as a SQL condition."""
    return sa.or_(
        Conference.status.in_((ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED)),
        sa.and_(Conference.status == ConferenceStatus.POSTPONED, Conference.postponed_from.isnot(None)),
    )


def day_key(prefix: str, conference: Conference, rest: str) -> str:
    """A key for something owed once per conference day: the original day, or each new day it moved to."""
    if conference.postponed_from is None:
        return f"{prefix}:{conference.id}:{rest}"
    return f"{prefix}@{conference.held_on:%Y-%m-%d}:{conference.id}:{rest}"


def invitation_notice(conference: Conference) -> Announcement | None:
    """The conference's R1 announcement, if it exists."""
    return next((a for a in conference.announcements if a.kind == AnnouncementKind.INVITATION_NOTICE), None)


def is_published(conference: Conference) -> bool:
    """Whether the R1 announcement has been published."""
    notice = invitation_notice(conference)
    return notice is not None and notice.published_dt is not None and notice.withdrawn_dt is None


def lock(conference: Conference) -> Conference:
    """Lock the conference's row until the transaction ends (PostgreSQL) and reload it.

    Two schedulers, or a scheduler and an administrator, then act on one conference in turn,
    each seeing what the other did.
    """
    if db.session.get_bind(mapper=sa.inspect(Conference)).dialect.name == "postgresql":
        db.session.execute(sa.select(Conference.id).where(Conference.id == conference.id).with_for_update())
    db.session.refresh(conference)
    return conference


# Recipients --------------------------------------------------------------------------------------


def audience(conference: Conference) -> list[Recipient]:
    """Everyone the conference's invitation goes to, one address each, in a stable order.

    Enterprises of the audience (all zones, the chosen zones, the ward's) that are active and
    have an email, plus those invited by name (Invitation rows), plus every address of each
    invited unit (agencies, leaders, media).
    """
    invited = sa.select(Invitation.enterprise_id).where(Invitation.conference_id == conference.id,
                                                        Invitation.enterprise_id.isnot(None))
    if conference.audience == Audience.ALL_ZONES:
        in_audience = Enterprise.zone_id.isnot(None)
    elif conference.audience == Audience.ZONES:
        in_audience = Enterprise.zone_id.in_(
            sa.select(conference_zones.c.zone_id).where(conference_zones.c.conference_id == conference.id))
    elif conference.audience == Audience.WARD:
        in_audience = Enterprise.ward_id == conference.organizer_id
    else:
        in_audience = sa.false()
    with db.session.no_autoflush:
        enterprise_rows = db.session.execute(
            sa.select(Enterprise.id, Enterprise.name, Enterprise.email, Enterprise.language)
            .where(Enterprise.active.is_(True), Enterprise.email != "",
                   sa.or_(in_audience, Enterprise.id.in_(invited)))
            .order_by(Enterprise.id)
        ).all()
        units = db.session.scalars(
            sa.select(Unit).join(Invitation, Invitation.unit_id == Unit.id)
            .where(Invitation.conference_id == conference.id, Unit.active.is_(True))
            .order_by(Unit.id)
        ).all()
    recipients = [Recipient(str(id_), email, name, str(language or "vi"), enterprise_id=id_)
                  for id_, name, email, language in enterprise_rows]
    recipients += unit_recipients(units, prefix="u")
    return recipients


def unit_recipients(units: Iterable[Unit], *, prefix: str = "u") -> list[Recipient]:
    """One recipient per address of each unit."""
    return [Recipient(f"{prefix}{u.id}:{outbox.address_ref(address)}", address, u.name, str(u.language or "vi"),
                      unit_id=u.id)
            for u in units for address in u.email_list]


def reached(conference: Conference, *, before_day: date | None = None) -> set[str]:
    """Recipient ids that an invitation or postponement notice of the conference has reached (or will).

    With ``before_day``, only those whose email was written before that (local) day.
    """
    stmt = sa.select(OutboundEmail.key).where(
        OutboundEmail.conference_id == conference.id,
        OutboundEmail.kind.in_(_INVITATION_FAMILY),
        OutboundEmail.status.in_(_REACHED_STATUSES),
    )
    if before_day is not None:
        stmt = stmt.where(OutboundEmail.created_dt <= end_of_local_day(before_day - timedelta(days=1)))
    keys = db.session.scalars(stmt)
    return {key.split(":", 2)[2] for key in keys if key.count(":") >= 2}


def _ensure_invitation_rows(conference: Conference, enterprise_ids: Sequence[int]) -> None:
    """An Invitation row for each enterprise invited, inserted if absent (in bulk)."""
    if not enterprise_ids:
        return
    now = now_utc()
    rows = [{"conference_id": conference.id, "enterprise_id": e, "note": "", "created_dt": now, "updated_dt": now}
            for e in enterprise_ids]
    # The list searches an invitation by its enterprise's name and tax code (heza.search).
    texts: dict[int, str] = {}
    for i in range(0, len(rows), 1000):
        chunk = [r["enterprise_id"] for r in rows[i:i + 1000]]
        texts.update((id_, search.join_fold([name, tax_code])) for id_, name, tax_code in db.session.execute(
            sa.select(Enterprise.id, Enterprise.name, Enterprise.tax_code).where(Enterprise.id.in_(chunk))))
    for r in rows:
        r["search_text"] = texts.get(r["enterprise_id"], "")
    dialect = db.session.get_bind(mapper=sa.inspect(Invitation)).dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(Invitation.__table__).on_conflict_do_nothing(
        index_elements=["conference_id", "enterprise_id"])
    for i in range(0, len(rows), 1000):
        db.session.execute(stmt, rows[i:i + 1000])


# Emails ------------------------------------------------------------------------------------------


def _context(conference: Conference, recipient: Recipient, cutoff: date, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        "conference": conference,
        "organizer": conference.organizer,
        "recipient": recipient,
        "personal_url": (links.personal_url(conference.id, recipient.enterprise_id)
                         if recipient.enterprise_id is not None else None),
        "cutoff": cutoff,
        "is_enterprise": recipient.enterprise_id is not None,
    }
    context.update(extra)
    return context


def _cutoff(conference: Conference) -> date:
    return rules.registration_cutoff(conference.held_on, conference.settings()).due


def _invitation_subject(conference: Conference) -> object:
    return _l("Thư mời tham dự %(title)s ngày %(day)s", title=conference.title, day=f"{conference.held_on:%d/%m/%Y}")


def invite_missing(conference: Conference, today: date) -> int:
    """Enqueue the invitation for everyone of the audience not reached yet; returns how many.

    Enterprises get their personal link; everyone gets the calendar file. Invitation rows are
    created for the enterprises invited.
    """
    already = reached(conference)
    todo = [r for r in audience(conference) if r.rid not in already]
    if not todo:
        return 0
    _ensure_invitation_rows(conference, [r.enterprise_id for r in todo if r.enterprise_id is not None])
    invite = ics.Invite(conference)
    subject = _invitation_subject(conference)
    cutoff = _cutoff(conference)
    drafts = (
        outbox.Draft(
            key=day_key("invite", conference, r.rid),
            to=(r.name, r.address),
            subject=subject,
            template="invitation",
            context=_context(conference, r, cutoff),
            kind=outbox.INVITATION,
            language=r.language,
            attachments=(invite.attachment(r.address, r.name),),
            conference_id=conference.id,
        )
        for r in todo
    )
    return len(outbox.enqueue_many(drafts))


def _notify_reached(conference: Conference, family: str, template: str, kind: str, subject: object,
                    invite: ics.Invite, **extra: object) -> int:
    """Tell everyone already reached about a change, each with their copy of ``invite``; returns how many
    emails were enqueued."""
    already = reached(conference)
    recipients = [r for r in audience(conference) if r.rid in already]
    cutoff = _cutoff(conference)
    drafts = (
        outbox.Draft(
            key=f"{family}:{conference.id}:{r.rid}",
            to=(r.name, r.address),
            subject=subject,
            template=template,
            context=_context(conference, r, cutoff, **extra),
            kind=kind,
            language=r.language,
            attachments=(invite.attachment(r.address, r.name),),
            conference_id=conference.id,
        )
        for r in recipients
    )
    return len(outbox.enqueue_many(drafts))


# Operations --------------------------------------------------------------------------------------


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


def _check_open(conference: Conference) -> None:
    if conference.status in (ConferenceStatus.CANCELLED, ConferenceStatus.HELD):
        raise ConferenceStateError(_("Hội nghị đã dừng hoặc đã tổ chức."))


def postpone(conference: Conference, new_day: date | None, reason: str, today: date) -> None:
    """Postpone the conference, to ``new_day`` or until a day is set, and tell everyone reached.

    Queued emails of the conference are withdrawn. Those already reached get a notice with the
    calendar event moved (same UID, higher SEQUENCE) or, without a new day, cancelled; those not
    reached are invited for the new day by the announcements job.
    """
    _check_open(conference)
    if new_day is not None and new_day <= today:
        raise ConferenceStateError(_("Ngày tổ chức mới phải sau ngày hôm nay."))
    was_published = is_published(conference)
    outbox.withdraw_pending(conference.id, reason=_("Hội nghị hoãn"))
    old_day = conference.held_on
    conference.sequence = (conference.sequence or 0) + 1
    conference.status = ConferenceStatus.POSTPONED
    conference.status_note = reason
    from heza.conferences import decisions  # (it builds on this module)

    decisions.clear_waiver(conference)  # the quorum is judged again at the new cutoff
    if new_day is not None:
        conference.postponed_from = old_day
        conference.held_on = new_day
    else:
        conference.postponed_from = None
    db.session.flush()
    if not was_published:
        return
    revise_notice(conference, old_day, today)
    if new_day is not None:
        invite = ics.Invite(conference)
        subject = _l("Thay đổi thời gian %(title)s: hoãn đến ngày %(day)s", title=conference.title,
                     day=f"{new_day:%d/%m/%Y}")
    else:
        invite = ics.Invite(conference, cancel=True, day=old_day)
        subject = _l("Hoãn %(title)s (dự kiến ngày %(day)s)", title=conference.title, day=f"{old_day:%d/%m/%Y}")
    _notify_reached(conference, f"postpone@{conference.sequence}", "postponement", outbox.POSTPONEMENT, subject,
                    invite, old_day=old_day, new_day=new_day, reason=reason)


def cancel(conference: Conference, reason: str, today: date) -> None:
    """Cancel the conference: queued emails withdrawn, everyone reached told, calendar event cancelled."""
    _check_open(conference)
    was_published = is_published(conference)
    outbox.withdraw_pending(conference.id, reason=_("Hội nghị dừng"))
    conference.sequence = (conference.sequence or 0) + 1
    conference.status = ConferenceStatus.CANCELLED
    conference.status_note = reason
    db.session.flush()
    if not was_published:
        return
    invite = ics.Invite(conference, cancel=True)
    subject = _l("Thông báo dừng tổ chức %(title)s", title=conference.title)
    _notify_reached(conference, "cancel", "cancellation", outbox.CANCELLATION, subject, invite, reason=reason)


def mark_held(conference: Conference, today: date) -> None:
    """Record that the conference took place: reminders still queued withdrawn, the R6 report row opened.

    Refused while a missed quorum waits for the organizer's decision
    (:func:`heza.conferences.decisions.awaiting_decision`).
    """
    if conference.status == ConferenceStatus.HELD:
        return
    if conference.status == ConferenceStatus.CANCELLED:
        raise ConferenceStateError(_("Hội nghị đã dừng."))
    from heza.conferences import decisions  # (it builds on this module)

    if decisions.awaiting_decision(conference, today):
        raise ConferenceStateError(_("Hội nghị chưa đủ điều kiện tổ chức (R3) và chưa có quyết định: hoãn, dừng "
                                     "hoặc ghi nhận vẫn tổ chức (kèm lý do) trước."))
    if conference.held_on > today:
        raise ConferenceStateError(_("Hội nghị chưa đến ngày tổ chức."))
    outbox.withdraw_pending(conference.id, _BEFORE_CONFERENCE_KINDS, reason=_("Hội nghị đã tổ chức"))
    conference.status = ConferenceStatus.HELD
    ensure_report(conference, ReportKind.RESULT)
    db.session.flush()
