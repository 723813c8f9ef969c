"""Receipts for what enterprises do through their personal link, and the topic-proposal confirmation.

Each is written in the name of the organizer concerned (the conference's, or the one receiving the
proposal): the templates sign with ``organizer``, delivery sends as it (:mod:`heza.outbox.delivery`).

Every email goes through the outbox (:func:`heza.outbox.outbox.enqueue`): a row written in the
same transaction as the change it reports, delivered later. Nothing here talks to SMTP.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from heza import rules
from heza.base import local_date_of
from heza.conferences.checkin import qr_png
from heza.conferences.models import Registration
from heza.directory.models import Enterprise, Organizer
from heza.outbox import outbox
from heza.outreach.models import TopicProposal
from heza.recommendations.models import Recommendation
from heza.references import format_reference

# Email kinds (the outbox's ``kind`` column), beside those of heza.outbox.outbox.
RECEIPT = "receipt"
TOPIC_CONFIRMATION = "topic_confirmation"


def registration_reference(reg: Registration) -> str:
    """A registration's number for receipts and the phone ("DK-2026-000045"), from its id."""
    return format_reference("DK", local_date_of(reg.created_dt or reg.received_dt).year, reg.id)


def proposal_reference(proposal: TopicProposal) -> str:
    """A topic proposal's number ("DX-2026-000012"), from its id."""
    return format_reference("DX", local_date_of(proposal.received_dt).year, proposal.id)


def receipt_address(enterprise: Enterprise, reg: Registration | None = None) -> str:
    """Where an enterprise's receipts go: its address on file, else the first attendee's."""
    if enterprise.email:
        return enterprise.email
    if reg is not None:
        for attendee in reg.attendees:
            if attendee.email:
                return attendee.email
    return ""


def _language(enterprise: Enterprise | None) -> str:
    return str(enterprise.language) if enterprise is not None and enterprise.language else "vi"


def _enqueue(template: str, *, kind: str, key: str, to_addr: str, to_name: str, language: str,
             subject: Any, context: dict[str, Any], organizer: Organizer, conference_id: int | None = None,
             attachments: tuple[tuple[str, str, bytes], ...] = ()) -> int | None:
    """The one call into the outbox; the lazy ``subject`` is translated in the recipient's language.

    Every email here speaks for ``organizer``: its name and contacts sign the body (``organizer`` in
    the context) and, at delivery, name the sender and take the replies (``organizer_id``).
    """
    context = {**context, "organizer": organizer}
    return outbox.enqueue(key, (to_name, to_addr), subject, template, context, language=language, kind=kind,
                          conference_id=conference_id, organizer_id=organizer.id, attachments=attachments)


def registration_receipt(reg: Registration, action: str, at: datetime, *, page_url: str) -> Any:
    """Receipt for a registration created, changed (``"created"``, ``"updated"``) or ``"withdrawn"``."""
    enterprise, conference = reg.enterprise, reg.conference
    to_addr = receipt_address(enterprise, reg)
    if not to_addr:
        return None
    settings = conference.settings()
    reference = registration_reference(reg)
    language = _language(enterprise)
    if action == "withdrawn":
        subject = _l("Xác nhận rút đăng ký tham dự %(title)s (số %(ref)s)", title=conference.title, ref=reference)
    else:
        subject = _l("Xác nhận đăng ký tham dự %(title)s (số %(ref)s)", title=conference.title, ref=reference)
    template = "receipt_withdrawal" if action == "withdrawn" else "receipt_registration"
    context = {
        "enterprise": enterprise, "conference": conference, "registration": reg, "reference": reference,
        "attendees": list(reg.attendees), "action": action, "page_url": page_url,
        "cutoff": rules.registration_cutoff(conference.held_on, settings),
        "in_time": rules.received_in_time(reg.received_dt, conference.held_on, settings),
    }
    # One receipt per action: the instant and the list tell two changes of one registration apart, while
    # the very same request replayed at the same instant stays one email.
    digest = hashlib.sha256(repr([(a.name, a.position, a.phone, a.email) for a in reg.attendees]).encode()
                            ).hexdigest()[:12]
    key = f"receipt:registration:{reg.id}:{action}:{at.timestamp():.6f}:{digest}"
    # Each attendee's check-in code as a QR code to show at the door (the body gives the codes too).
    attachments = () if action == "withdrawn" else tuple(
        (f"ma-diem-danh-{a.checkin_code}.png", "image/png", qr_png(a.checkin_code)) for a in reg.attendees)
    return _enqueue(template, kind=RECEIPT, key=key, to_addr=to_addr, to_name=enterprise.name, language=language,
                    subject=subject, context=context, organizer=conference.organizer, conference_id=conference.id,
                    attachments=attachments)


def recommendation_receipt(rec: Recommendation, in_time: bool, *, page_url: str) -> Any:
    """Receipt for a recommendation, with its reference, and whether it counts (R2)."""
    enterprise, conference = rec.enterprise, rec.conference
    to_addr = receipt_address(enterprise)
    if not to_addr:
        return None
    language = _language(enterprise)
    subject = _l("Xác nhận tiếp nhận kiến nghị số %(ref)s", ref=rec.reference)
    context = {
        "enterprise": enterprise, "conference": conference, "recommendation": rec, "in_time": in_time,
        "page_url": page_url, "cutoff": rules.registration_cutoff(conference.held_on, conference.settings()),
    }
    return _enqueue("receipt_recommendation", kind=RECEIPT, key=f"receipt:recommendation:{rec.id}", to_addr=to_addr,
                    to_name=enterprise.name, language=language, subject=subject, context=context,
                    organizer=conference.organizer, conference_id=conference.id)


def topic_confirmation(proposal: TopicProposal, confirm_url: str, *, addressee: Any = None) -> Any:
    """R12: the proposer's receipt from the organizer receiving it, with the link confirming their address.

    ``addressee`` is who the proposal goes to, in words (default: the addressee's own label).
    """
    reference = proposal_reference(proposal)
    language = "vi"  # the proposer's language is not known: the public form is Vietnamese
    subject = _l("Xác nhận đề xuất nội dung đối thoại (số %(ref)s)", ref=reference)
    context = {"proposal": proposal, "reference": reference, "confirm_url": confirm_url,
               "addressee": addressee if addressee is not None else proposal.addressee.label}
    return _enqueue("topic_confirmation", kind=TOPIC_CONFIRMATION, key=f"topic:{proposal.id}:confirmation",
                    to_addr=proposal.email, to_name=proposal.proposer_name, language=language, subject=subject,
                    context=context, organizer=proposal.organizer)
