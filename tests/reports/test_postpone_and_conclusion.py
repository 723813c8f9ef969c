"""The postpone/cancel report (R3) and the conclusion notice (R7)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document as open_docx

from heza.conferences.models import Announcement, AnnouncementKind, ConferenceStatus, Registration
from heza.extensions import db as _db
from heza.reports.conclusion import CONCLUSIONS_PLACEHOLDER, conclusion_notice, prefill_conclusion_announcement
from heza.reports.postpone_report import QuorumMet, build_postpone_report, postpone_report_bytes
from tests import factories as f
from tests.reports.conftest import AS_OF, HOSTILE_CLEAN, find_table, table_rows


def test_postpone_report_for_a_conference_short_of_quorum(held):
    held.conference.status = ConferenceStatus.ANNOUNCED
    _db.session.commit()
    doc = open_docx(BytesIO(postpone_report_bytes(held.conference, AS_OF)))
    texts = [p.text for p in doc.paragraphs]
    assert "Về việc dừng hoặc hoãn tổ chức Hội nghị đối thoại doanh nghiệp năm 2026" in texts
    assert any("Tính đến hết ngày 24/02/2026" in t and "3 doanh nghiệp đăng ký tham dự và 3 kiến nghị" in t
               and "chưa đủ điều kiện" in t for t in texts)
    rows = table_rows(find_table(doc, "STT", "Tiêu chí"))
    assert rows[1][1:] == ["Doanh nghiệp đăng ký tham dự", "15", "3", "12"]
    assert rows[2][1:] == ["Kiến nghị của các doanh nghiệp đăng ký tham dự", "5", "3", "2"]
    assert not any("chưa đăng ký" in t for t in texts)  # every timely recommendation is a registered one's
    listed = table_rows(find_table(doc, "STT", "Doanh nghiệp", "Lĩnh vực", "Nội dung kiến nghị"))
    assert len(listed) == 1 + 3  # the three recommendations received in time, not the withdrawn one
    assert HOSTILE_CLEAN in [r[3] for r in listed]
    heading = doc.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1].text and "/BC-BQL" in heading[0].text


def test_postpone_report_names_the_recommendations_of_enterprises_not_registered(held):
    conf = held.conference
    conf.status = ConferenceStatus.ANNOUNCED
    outsider = f.enterprise(name="Công ty chưa đăng ký")
    f.recommendation(conf, enterprise=outsider, received_dt=f.at_local(date(2026, 2, 11)))
    f.recommendation(conf, enterprise=outsider, received_dt=f.at_local(date(2026, 2, 12)))
    _db.session.commit()
    doc = open_docx(BytesIO(postpone_report_bytes(conf, AS_OF)))
    texts = [p.text for p in doc.paragraphs]
    rows = table_rows(find_table(doc, "STT", "Tiêu chí"))
    assert rows[2][1:] == ["Kiến nghị của các doanh nghiệp đăng ký tham dự", "5", "3", "2"]
    assert any("2 kiến nghị của doanh nghiệp chưa đăng ký" in t for t in texts)


def test_postponed_conference_is_judged_at_its_original_cutoff(held):
    conf = held.conference
    conf.postponed_from, conf.held_on = conf.held_on, date(2026, 4, 14)
    conf.status, conf.status_note = ConferenceStatus.POSTPONED, "Trùng lịch họp của UBND thành phố"
    _db.session.commit()
    texts = [p.text for p in build_postpone_report(conf, AS_OF).paragraphs]
    assert "Về việc hoãn tổ chức Hội nghị đối thoại doanh nghiệp năm 2026" in texts
    assert any("Tính đến hết ngày 24/02/2026" in t for t in texts)
    assert "Lý do khác: Trùng lịch họp của UBND thành phố" in texts
    assert any("hoãn tổ chức Hội nghị đến ngày 14/04/2026" in t for t in texts)


def test_no_postpone_report_when_the_quorum_is_met(held):
    conf = held.conference
    conf.status = ConferenceStatus.ANNOUNCED
    registered = [f.enterprise() for _ in range(12)]
    for enterprise in registered:
        _db.session.add(Registration(conference=conf, enterprise=enterprise,
                                     received_dt=f.at_local(date(2026, 2, 11)), channel="link"))
    for enterprise in registered[:2]:
        f.recommendation(conf, enterprise=enterprise, received_dt=f.at_local(date(2026, 2, 11)))
    _db.session.commit()
    with pytest.raises(QuorumMet, match="đủ điều kiện"):
        build_postpone_report(conf, AS_OF)
    conf.status = ConferenceStatus.CANCELLED  # cancelled for another reason: the report is still drafted
    _db.session.commit()
    texts = [p.text for p in build_postpone_report(conf, AS_OF).paragraphs]
    assert "Về việc dừng tổ chức Hội nghị đối thoại doanh nghiệp năm 2026" in texts


def test_conclusion_notice_text(held):
    draft = conclusion_notice(held.conference, AS_OF)
    assert draft.title == "Thông báo kết luận Hội nghị đối thoại doanh nghiệp năm 2026"
    body = draft.body
    assert body.startswith("Ngày 03/03/2026, tại Trụ sở Ban Quản lý, số 5 Đinh Tiên Hoàng, Ban Quản lý Khu kinh tế "
                           "Hải Phòng đã tổ chức Hội nghị đối thoại doanh nghiệp năm 2026. Ông Bùi Ngọc Hải, Phó "
                           "Trưởng ban chủ trì Hội nghị.")
    assert "đại diện 3 cơ quan, đơn vị và 4 doanh nghiệp" in body
    assert "tiếp nhận 5 kiến nghị" in body and "1 kiến nghị được trả lời trực tiếp" in body
    assert "chậm nhất ngày 12/03/2026" in body and "chậm nhất ngày 23/03/2026" in body
    assert "Giao các phòng chuyên môn trả lời đúng hạn.\nKết luận về đất đai: " + HOSTILE_CLEAN.strip() in body
    assert "\x0b" not in body and "\ufffe" not in body


def test_conclusion_placeholder_when_empty(held):
    held.conference.conclusions, held.conference.chair = "", ""
    _db.session.commit()
    body = conclusion_notice(held.conference, AS_OF).body
    assert CONCLUSIONS_PLACEHOLDER in body and "Kết luận của …:" in body


def test_prefill_creates_an_unpublished_announcement_and_keeps_the_editors_text(held):
    announcement = prefill_conclusion_announcement(held.conference, AS_OF)
    _db.session.commit()
    assert announcement.kind == AnnouncementKind.CONCLUSION_NOTICE
    assert announcement.published_dt is None and announcement.scheduled_on is None
    assert announcement.on_portal and "Kết luận của Ông Bùi Ngọc Hải" in announcement.body
    announcement.body = "Văn bản do biên tập viên sửa."
    _db.session.commit()
    assert prefill_conclusion_announcement(held.conference, AS_OF).body == "Văn bản do biên tập viên sửa."
    assert prefill_conclusion_announcement(held.conference, AS_OF, overwrite=True).body.startswith("Ngày 03/03")
    announcement.body, announcement.published_dt = "Đã đăng.", f.at_local(date(2026, 3, 6))
    _db.session.commit()
    assert prefill_conclusion_announcement(held.conference, AS_OF, overwrite=True).body == "Đã đăng."
    assert _db.session.query(Announcement).count() == 1
