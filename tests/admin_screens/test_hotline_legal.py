"""Complaints and denunciations on the hotline screen (issue 15): stages by law, notices, reclassification,
and a denouncer's identity kept from everyone but the assigned officer and admins."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from heza.accounts.models import AuditEvent, Role
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineEvent, HotlineItem, HotlineKind, LegalStage
from heza.outbox.models import OutboundEmail
from heza.recommendations.models import RecommendationStatus
from tests import factories as f
from tests.admin_screens.conftest import post, text
from tests.support import default_organizer

DENOUNCER = "Nguyễn Văn Bímật"


def _item(kind: HotlineKind = HotlineKind.DENUNCIATION, unit: Any = None, officer: Any = None, **kw: Any
          ) -> HotlineItem:
    item = HotlineItem(organizer=default_organizer(), channel=HotlineChannel.HOTLINE, kind=kind,
                       person_name=DENOUNCER, contact="bimat@example.vn", content="Tố cáo cán bộ nhận tiền",
                       received_dt=f.at_local(date(2026, 2, 12)), assigned_unit=unit, officer=officer, **kw)
    _db.session.add(item)
    _db.session.commit()
    return item


def test_denouncer_hidden_from_unit_viewer_supervisor_and_other_officers(client, login, make_user):
    unit = f.unit(default_organizer())
    assigned = make_user(Role.OFFICER)
    item = _item(unit=unit, officer=assigned)
    urls = ("/admin/hotline/", f"/admin/hotline/details/?id={item.id}", "/admin/hotline/export/csv/")
    for role in (Role.UNIT, Role.VIEWER, Role.SUPERVISOR, Role.OFFICER):
        login(role, unit=unit if role == Role.UNIT else None)
        for url in urls:
            response = client.get(url)
            assert DENUNCIATION_NOT_SHOWN(response), (role, url)
        details = client.get(f"/admin/hotline/details/?id={item.id}")
        assert details.status_code == 200, role  # they may open the item, not see who sent it
        assert "Bảo mật danh tính người tố cáo" in text(details), role
    # The assigned officer and an admin see it; the export never carries it.
    for user in (assigned, None):
        if user is None:
            login(Role.ADMIN)
        else:
            login(user=user)
        assert DENOUNCER in text(client.get(f"/admin/hotline/details/?id={item.id}"))
        assert DENOUNCER not in text(client.get("/admin/hotline/export/csv/"))
    opened = _db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.model == "HotlineItem", AuditEvent.action == "action", AuditEvent.record_id == str(item.id))).all()
    assert {e.user_id for e in opened} >= {assigned.id}  # the audit log records who opened it
    # Overdue (acceptance due 2/3/2026): the alert ladder and the digest run, and no email to anyone
    # else carries the name.
    from jobs import digest, overdue

    overdue.reconcile(date(2026, 3, 10))
    digest.reconcile(date(2026, 3, 10))
    _db.session.commit()
    emails = _db.session.scalars(sa.select(OutboundEmail)).all()
    alerts = [e for e in emails if e.kind == "overdue"]
    assert alerts and any(item.reference in e.text_body for e in alerts)  # the unit was alerted, by reference
    assert all(DENOUNCER not in (e.text_body or "") for e in emails if "bimat@example.vn" not in e.to_addr)


def DENUNCIATION_NOT_SHOWN(response: Any) -> bool:  # noqa: N802
    return response.status_code in (200, 403, 404) and DENOUNCER not in text(response)


def test_denunciation_stages_with_notice_extension_and_history(client, login):
    login(Role.ADMIN)
    item = _item()
    assert item.legal_stage == LegalStage.RECEIVED
    assert item.due_on == date(2026, 3, 2)  # 7 working days across Tết
    response = post(client, "/admin/hotline/action/", {"action": "accept", "rowid": str(item.id)},
                    token_from="/admin/hotline/", follow_redirects=True)
    assert response.status_code == 200
    _db.session.refresh(item)
    assert item.legal_stage == LegalStage.ACCEPTED and item.accepted_on is not None
    notice = _db.session.scalars(sa.select(OutboundEmail).where(
        OutboundEmail.kind == "legal_notice_confidential")).one()
    assert "bimat@example.vn" in notice.to_addr
    # The notice names the denouncer: on the outbox screen only admins see it.
    assert "bimat@example.vn" in text(client.get("/admin/outbox/"))
    login(Role.OFFICER)
    assert "bimat@example.vn" not in text(client.get("/admin/outbox/"))
    # Resolution: 30 days from acceptance (Điều 30 Luật Tố cáo 2018).
    assert "Điều 30 Luật Tố cáo 2018" in item.due_basis

    from heza.hotline import legal

    accepted = item.accepted_on
    limit = legal.rules.denunciation_resolution_due(accepted, 1).due
    legal.extend(item, limit, "Vụ việc phức tạp, phải xác minh tại 2 địa điểm")
    _db.session.commit()
    assert item.due_on == limit and item.extensions == 1
    assert "lý do: Vụ việc phức tạp, phải xác minh tại 2 địa điểm" in item.due_basis
    try:
        legal.extend(item, date(2099, 1, 1), "Quá hạn luật cho phép")
        raise AssertionError("an extension beyond Điều 30 must be refused")
    except legal.StageError:
        _db.session.rollback()
    actions = [e.action for e in _db.session.scalars(sa.select(HotlineEvent).where(HotlineEvent.item_id == item.id))]
    assert actions == ["accepted", "extended"]


def test_refusal_needs_reason_and_resolve_only_after_acceptance(db):
    from heza.hotline import legal

    item = _item(HotlineKind.COMPLAINT)
    assert item.due_on == date(2026, 2, 23)  # Điều 27: 10 days → Friday 20/2 (Tết) → Monday 23/2
    for stage, kw in ((LegalStage.REFUSED, {}), (LegalStage.RESOLVED, {})):
        try:
            legal.change_stage(item, stage, **kw)
            raise AssertionError(stage)
        except legal.StageError:
            pass
    legal.change_stage(item, LegalStage.REFUSED, note="Khiếu nại quá thời hiệu (Điều 11 Luật Khiếu nại 2011)")
    _db.session.commit()
    assert item.status.value == "closed" and item.due_on == date(2026, 2, 23)


def test_reclassified_recommendation_leaves_quorum_and_report(db):
    from heza.hotline import legal
    from heza.reports.stats_conference import conference_stats

    conf = f.conference(default_organizer(), held_on=date(2026, 3, 3))
    rec = f.recommendation(conf)
    _db.session.commit()
    before = conference_stats(conf).received
    item = legal.reclassify_recommendation(rec, HotlineKind.COMPLAINT)
    _db.session.commit()
    assert rec.status == RecommendationStatus.RECLASSIFIED
    assert conference_stats(conf).received == before - 1
    assert item.legal_stage == LegalStage.RECEIVED and item.source_recommendation_id == rec.id
    legal.reclassify_back(item)
    _db.session.commit()
    assert rec.status == RecommendationStatus.RECEIVED
    assert conference_stats(conf).received == before
    assert [e.action for e in item.events] == ["reclassified", "reclassified_back"]


def test_hotline_summary_counts_legal_stages_and_never_names_the_denouncer(db):
    from io import BytesIO

    from openpyxl import load_workbook

    from heza.reports.hotline_summary import hotline_xlsx_bytes
    from heza.reports.periods import quarter_period
    from heza.reports.stats_hotline import hotline_stats

    denunciation = _item()  # received 12/2/2026, acceptance due 2/3/2026
    complaint = _item(HotlineKind.COMPLAINT)
    period = quarter_period("2026-1")
    stats = hotline_stats(period, date(2026, 3, 10), organizer_id=denunciation.organizer_id)
    rows = {(k, st): (n, ok, late) for k, st, n, ok, late in stats.legal_by_stage()}
    assert rows[(HotlineKind.DENUNCIATION, LegalStage.RECEIVED)] == (1, 0, 1)  # overdue since 2/3
    assert rows[(HotlineKind.COMPLAINT, LegalStage.RECEIVED)] == (1, 0, 1)  # due 23/2
    assert complaint.due_on == date(2026, 2, 23)
    wb = load_workbook(BytesIO(hotline_xlsx_bytes(period, date(2026, 3, 10), organizer=denunciation.organizer)))
    assert "Khiếu nại, tố cáo" in wb.sheetnames
    cells = [str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    # The complaint's author is not confidential; the denouncer is (both items use the same name here,
    # so the name appears once: the complaint's row).
    assert sum(DENOUNCER in c for c in cells) == 1


def test_screen_says_an_item_after_hours_counts_from_the_next_working_day(client, login):
    login(Role.OFFICER)
    item = _item(HotlineKind.FEEDBACK)
    item.received_dt = f.at_local(date(2026, 1, 9), 18, 30)  # Friday evening → the make-up Saturday 10/1
    _db.session.commit()
    page = text(client.get(f"/admin/hotline/details/?id={item.id}"))
    assert "ngoài giờ hành chính hoặc ngày nghỉ: tính hạn từ ngày làm việc 10/01/2026" in page
    assert "tính hạn từ ngày làm việc" not in text(client.get(f"/admin/hotline/details/?id={_item().id}"))


def test_a_complaint_cannot_take_a_free_extension_past_the_law(client, login):
    """The free extension of feedback items (any later date) would step over Điều 28: refused on the form, and
    a date left over from before a reclassification does not count."""
    login(Role.OFFICER)
    item = _item(HotlineKind.COMPLAINT)
    due = item.due_on
    response = post(client, f"/admin/hotline/edit/?id={item.id}", {
        "organizer": str(item.organizer_id), "received_dt": "12/02/2026 09:00", "channel": "hotline",
        "kind": "complaint", "content": item.content, "legal_stage": "received",
        "extended_to": "31/12/2026", "extension_reason": "Chờ ý kiến"}, token_from=f"/admin/hotline/edit/?id={item.id}")
    assert response.status_code == 200 and "chỉ được gia hạn theo luật" in text(response)
    _db.session.expire_all()
    assert _db.session.get(HotlineItem, item.id).due_on == due

    from heza import deadlines

    item = _db.session.get(HotlineItem, item.id)
    item.extended_to, item.extension_reason = date(2026, 12, 31), "Còn lại từ trước khi phân loại lại"
    deadlines.stamp(_db.session, item)
    assert item.due_on == due
