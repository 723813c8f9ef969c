"""Who a conference's letters go to, and the invitations and change notices they are owed.

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
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from heza import rules, search
from heza.base import end_of_local_day, now_utc
from heza.chunks import chunked
from heza.conferences import ics, links
from heza.conferences.models import Audience, Conference, Invitation, conference_zones
from heza.directory.models import Enterprise, Unit
from heza.extensions import db
from heza.outbox import outbox
from heza.outbox.models import EmailStatus, OutboundEmail

# Emails that count as having reached someone about the conference.
_INVITATION_FAMILY = (outbox.INVITATION, outbox.POSTPONEMENT)
_REACHED_STATUSES = (EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.SENT)


@dataclass(frozen=True)
class Recipient:
    """One address an invitation or notice goes to."""

    rid: str
    address: str
    name: str
    language: str
    enterprise_id: int | None = None
    unit_id: int | None = None


def day_key(prefix: str, conference: Conference, rest: str) -> str:
    """A key for something owed once per conference day: the original day, or each new day it moved to."""
    if conference.postponed_from is None:
        return f"{prefix}:{conference.id}:{rest}"
    return f"{prefix}@{conference.held_on:%Y-%m-%d}:{conference.id}:{rest}"


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
    for chunk in chunked([r["enterprise_id"] for r in rows], 1000):
        texts.update((id_, search.join_fold([name, tax_code])) for id_, name, tax_code in db.session.execute(
            sa.select(Enterprise.id, Enterprise.name, Enterprise.tax_code).where(Enterprise.id.in_(chunk))))
    for r in rows:
        r["search_text"] = texts.get(r["enterprise_id"], "")
    dialect = db.session.get_bind(mapper=sa.inspect(Invitation)).dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(Invitation.__table__).on_conflict_do_nothing(
        index_elements=["conference_id", "enterprise_id"])
    for chunk in chunked(rows, 1000):
        db.session.execute(stmt, chunk)


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


def notify_reached(conference: Conference, family: str, template: str, kind: str, subject: object,
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
