"""Complaints and denunciations by law (issue 15): stage changes, notices, reclassification, confidentiality.

The periods are computed in :mod:`heza.rules` and stored by :mod:`heza.deadlines`; here are the
steps an officer takes. Every step is a :class:`~heza.hotline.models.HotlineEvent` (the item's
history) and, being a change of the item, an audit event. A notice to the person (acceptance,
refusal with its reason and article, transfer to the competent body) is an email in the outbox,
sent to the person's own address only: never to anyone else, so a denouncer's identity leaves
the office in no email.
"""

from __future__ import annotations

from datetime import date
from email.utils import parseaddr
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import rules
from heza.accounts.audit import current_actor
from heza.accounts.models import AuditEvent, Role
from heza.base import local_today, now_utc
from heza.extensions import db
from heza.hotline.models import (
    LEGAL_CLOSED,
    HotlineEvent,
    HotlineItem,
    HotlineKind,
    HotlineStatus,
    LegalStage,
)
from heza.outbox import outbox
from heza.recommendations.models import Recommendation, RecommendationStatus

LEGAL_NOTICE = "legal_notice"  # the outbox ``kind`` of these notices (template of the same name)
# A notice to a denouncer: hidden from everyone but admins on the outbox screen (heza/outbox/admin.py).
LEGAL_NOTICE_CONFIDENTIAL = "legal_notice_confidential"
CONFIDENTIAL = _l("(Bảo mật danh tính người tố cáo)")

# Which stage may follow which (received → accepted or refused → verified → resolved; transferred
# from received, accepted or verified).
NEXT: dict[LegalStage, tuple[LegalStage, ...]] = {
    LegalStage.RECEIVED: (LegalStage.ACCEPTED, LegalStage.REFUSED, LegalStage.TRANSFERRED),
    LegalStage.ACCEPTED: (LegalStage.VERIFIED, LegalStage.RESOLVED, LegalStage.TRANSFERRED),
    LegalStage.VERIFIED: (LegalStage.RESOLVED, LegalStage.TRANSFERRED),
}


class StageError(ValueError):
    """A stage change the law or the item's state does not allow; the message says why."""


# Confidentiality ---------------------------------------------------------------------------------


def may_see_identity(item: HotlineItem, role: Role | None, user_id: int | None) -> bool:
    """Whether this person may see who sent the item: for a denunciation, admins and the assigned officer only."""
    if item.kind != HotlineKind.DENUNCIATION:
        return True
    if role == Role.ADMIN:
        return True
    return role == Role.OFFICER and user_id is not None and item.officer_id == user_id


def shown_person(item: HotlineItem, role: Role | None = None, user_id: int | None = None) -> str:
    """The person's name as this person may see it (exports and reports pass no one: masked)."""
    return item.person_name if may_see_identity(item, role, user_id) else str(CONFIDENTIAL)


def shown_contact(item: HotlineItem, role: Role | None = None, user_id: int | None = None) -> str:
    return item.contact if may_see_identity(item, role, user_id) else str(CONFIDENTIAL)


def log_identity_opened(item: HotlineItem) -> None:
    """The audit log records who opened a denouncer's identity (committed with the request's session)."""
    user_id, actor = current_actor()
    db.session.add(AuditEvent(user_id=user_id, actor=actor, action="action", model="HotlineItem",
                              record_id=str(item.id), summary=f"{item}: xem danh tính người tố cáo"[:500],
                              changes={}))


# History and notices -----------------------------------------------------------------------------


def record(item: HotlineItem, action: str, note: str = "", due_on: date | None = None) -> HotlineEvent:
    """Add one step to the item's history (who, when, what, and the date it set)."""
    event = HotlineEvent(actor=current_actor()[1], action=action, note=note, due_on=due_on, at_dt=now_utc())
    item.events.append(event)
    return event


def _email_of(item: HotlineItem) -> str | None:
    address = parseaddr(item.contact or "")[1]
    return address if "@" in address and " " not in address else None


def notify(item: HotlineItem, what: str) -> int | None:
    """Enqueue the notice of ``what`` (accepted, refused, transferred) to the person, if an email is known.

    Sent to the person alone: no copy to a unit or anyone else.
    """
    to = _email_of(item)
    if to is None:
        return None
    subjects = {
        "accepted": _l("Thông báo thụ lý"),
        "refused": _l("Thông báo không thụ lý"),
        "transferred": _l("Thông báo chuyển đơn đến cơ quan có thẩm quyền"),
    }
    return outbox.enqueue(
        f"legal:{item.id}:{what}:{len(item.events)}", (item.person_name, to), subjects[what], LEGAL_NOTICE,
        {"item": item, "what": what, "organizer": item.organizer}, language="vi",
        kind=LEGAL_NOTICE_CONFIDENTIAL if item.kind == HotlineKind.DENUNCIATION else LEGAL_NOTICE,
        organizer_id=item.organizer_id,
    )


# Stage changes -----------------------------------------------------------------------------------


def change_stage(item: HotlineItem, new: LegalStage, *, previous: LegalStage | None = None, note: str = "",
                 on: date | None = None, transferred_to: str = "") -> None:
    """Move a complaint or a denunciation to ``new``, checking the law's order and what each step needs.

    ``previous`` is the stage before the change (an edit form has already set the new one).
    Refusal needs the reason and the article; a decision its date; a transfer the competent body.
    """
    if not item.is_legal:
        raise StageError(_("Chỉ khiếu nại, tố cáo mới có các bước giải quyết theo luật."))
    before = previous if previous is not None else (item.legal_stage or LegalStage.RECEIVED)
    if new == before:
        return
    if new not in NEXT.get(before, ()):
        raise StageError(_("Không thể chuyển từ bước \"%(a)s\" sang \"%(b)s\".", a=before.label, b=new.label))
    today = local_today()
    note = (note or "").strip()
    if new == LegalStage.REFUSED and not note:
        raise StageError(_("Nhập lý do không thụ lý và điều luật áp dụng."))
    if new == LegalStage.TRANSFERRED and not (transferred_to or item.transferred_to).strip():
        raise StageError(_("Nhập cơ quan có thẩm quyền nhận đơn chuyển."))
    item.legal_stage = new
    if new == LegalStage.ACCEPTED:
        item.accepted_on = on or item.accepted_on or today
    if new == LegalStage.RESOLVED:
        item.decision_on = on or item.decision_on or today
    if new == LegalStage.TRANSFERRED and transferred_to:
        item.transferred_to = transferred_to
    if note:
        item.stage_note = note
    if new in LEGAL_CLOSED:
        item.status = HotlineStatus.CLOSED
        item.responded_dt = item.responded_dt or now_utc()
        if not (item.response or "").strip():
            item.response = note or str(new.label)
    elif item.status == HotlineStatus.RECEIVED:
        item.status = HotlineStatus.IN_PROGRESS
    record(item, new.value, note or item.transferred_to, item.accepted_on if new == LegalStage.ACCEPTED
           else item.decision_on if new == LegalStage.RESOLVED else None)
    if new in (LegalStage.ACCEPTED, LegalStage.REFUSED, LegalStage.TRANSFERRED):
        notify(item, new.value)


def extend(item: HotlineItem, new_due: date, reason: str) -> None:
    """Record an extension of the resolution period with its reason and new date, within the law.

    Denunciations: at most two, each at most 30 days (Điều 30 Luật Tố cáo 2018). Complaints: the
    period may run to the complex-case limit of Điều 28 Luật Khiếu nại 2011 (45 days, 60 in remote
    areas), and the case is then marked complex.
    """
    reason = (reason or "").strip()
    if not reason:
        raise StageError(_("Nhập lý do gia hạn."))
    if item.legal_stage not in (LegalStage.ACCEPTED, LegalStage.VERIFIED) or item.accepted_on is None:
        raise StageError(_("Chỉ gia hạn khi đã thụ lý và đang giải quyết."))
    if item.kind == HotlineKind.DENUNCIATION:
        if not rules.denunciation_extension_allowed(item.accepted_on, item.extensions or 0, new_due):
            limit = (rules.denunciation_resolution_due(item.accepted_on, (item.extensions or 0) + 1).due
                     if (item.extensions or 0) < rules.DENUNCIATION_MAX_EXTENSIONS else None)
            raise StageError(_("Gia hạn vượt quá Điều 30 Luật Tố cáo 2018 (tối đa 2 lần, mỗi lần không quá "
                               "30 ngày; hạn tối đa lần này: %(limit)s).",
                               limit=f"{limit:%d/%m/%Y}" if limit else "—"))
        item.extensions = (item.extensions or 0) + 1
    else:
        limit = rules.complaint_resolution_due(item.accepted_on, complex_case=True,
                                               remote_area=bool(item.remote_area)).due
        if new_due > limit:
            raise StageError(_("Gia hạn vượt quá Điều 28 Luật Khiếu nại 2011 (vụ việc phức tạp: hạn tối đa "
                               "%(limit)s).", limit=f"{limit:%d/%m/%Y}"))
        item.complex_case = True
        item.extensions = (item.extensions or 0) + 1
    item.extended_due_on = new_due
    item.stage_note = reason
    record(item, "extended", reason, new_due)


# Reclassification --------------------------------------------------------------------------------


def reclassify_recommendation(rec: Recommendation, kind: HotlineKind) -> HotlineItem:
    """A conference recommendation that is in fact a complaint or a denunciation goes to the hotline log.

    The recommendation stays, marked reclassified (not counted toward the quorum nor in the result
    report); the new item links back to it and its history says where it came from.
    """
    if kind not in (HotlineKind.COMPLAINT, HotlineKind.DENUNCIATION):
        raise StageError(_("Chỉ chuyển kiến nghị thành khiếu nại hoặc tố cáo."))
    if rec.status == RecommendationStatus.RECLASSIFIED:
        raise StageError(_("Kiến nghị %(ref)s đã được chuyển xử lý khiếu nại, tố cáo.", ref=rec.reference or rec.id))
    from heza.hotline.models import HotlineChannel

    enterprise = rec.enterprise
    item = HotlineItem(
        organizer_id=rec.organizer_id, channel=HotlineChannel.EMAIL, kind=kind,
        person_name=(enterprise.name if enterprise is not None else "")[:200],
        contact=(getattr(enterprise, "email", "") or "")[:200], content=rec.content, received_dt=rec.received_dt,
        source_recommendation_id=rec.id, legal_stage=LegalStage.RECEIVED,
    )
    db.session.add(item)
    rec.status = RecommendationStatus.RECLASSIFIED
    record(item, "reclassified", _("Chuyển từ kiến nghị %(ref)s (%(kind)s).", ref=rec.reference or rec.id,
                                   kind=kind.label))
    return item


def reclassify_back(item: HotlineItem) -> Recommendation:
    """The reverse: an item that came from a conference recommendation goes back to being one."""
    if item.source_recommendation_id is None:
        raise StageError(_("Mục này không được chuyển từ kiến nghị hội nghị."))
    rec = db.session.get(Recommendation, item.source_recommendation_id)
    if rec is None:
        raise StageError(_("Không tìm thấy kiến nghị gốc."))
    rec.status = RecommendationStatus.RECEIVED
    note = _("Trả về kiến nghị hội nghị %(ref)s.", ref=rec.reference or rec.id)
    record(item, "reclassified_back", note)
    item.kind = HotlineKind.RECOMMENDATION
    item.legal_stage = None
    item.status = HotlineStatus.CLOSED
    item.responded_dt = item.responded_dt or now_utc()
    item.response = item.response or note
    return rec


def stage_choices() -> list[tuple[str, Any]]:
    return [(s.value, s.label) for s in LegalStage]
