"""The migrations build the schema from nothing, go back down, and match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from heza.extensions import db as _db


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(ctx, _db.metadata)


def test_head_matches_the_models(db):
    # The session's app was built by `upgrade()` from an empty database (see conftest).
    assert _diff(_db.engine) == []


def test_down_to_empty_and_up_again(db):
    downgrade(revision="base")
    names = set(sa.inspect(_db.engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    assert {t.name for t in _db.metadata.sorted_tables} <= set(sa.inspect(_db.engine).get_table_names())
    assert _diff(_db.engine) == []


def test_organizers_as_tenants_carries_existing_data_over(db):
    """Data of the single-organizer schema (7417b5c45fa4) arrives whole: users get an organizer, organizers a
    slug, header and plan, topic proposals and emails their organizer."""
    downgrade(revision="7417b5c45fa4")
    now = "2026-11-20 03:00:00+00:00"
    stamp = {"created_dt": now, "updated_dt": now}
    statements = [
        ("INSERT INTO organizers (id, name, short_name, kind, address, phone, email, announce_working_days, "
         "cutoff_working_days, quorum_enterprises, quorum_recommendations, unit_task_days_before, answer_working_days, "
         "answer_coordination_working_days, report_working_days, registration_nudge_working_days, "
         "min_conferences_per_year, min_posts_per_month, overdue_repeat_working_days, hotline_feedback_working_days, "
         "hotline_recommendation_working_days, hotline_complaint_working_days, hotline_denunciation_working_days, "
         "created_dt, updated_dt) VALUES (:id, :name, :short, :kind, '', '', '', 7, 5, 15, 5, 3, 7, 14, 7, 2, 2, 1, "
         "2, 5, 7, 10, 10, :created_dt, :updated_dt)",
         [{"id": 1, "name": "Ban Quản lý Khu kinh tế Hải Phòng", "short": "HEZA", "kind": "authority", **stamp},
          {"id": 2, "name": "Phường Phù Liễn", "short": "Phù Liễn", "kind": "ward", **stamp}]),
        ("INSERT INTO units (id, organizer_id, name, short_name, kind, emails, language, active, created_dt, "
         "updated_dt) VALUES (10, 2, 'Phòng Kinh tế', 'KT', 'ward_unit', '', 'vi', TRUE, :created_dt, :updated_dt)",
         [stamp]),
        ("INSERT INTO users (id, email, name, password_hash, role, unit_id, language, active, failed_logins, "
         "created_dt, updated_dt) VALUES (:id, :email, 'X', '', :role, :unit, 'vi', TRUE, 0, :created_dt, :updated_dt)",
         [{"id": 1, "email": "admin@x.vn", "role": "admin", "unit": None, **stamp},
          {"id": 2, "email": "officer@x.vn", "role": "officer", "unit": None, **stamp},
          {"id": 3, "email": "unit@x.vn", "role": "unit", "unit": 10, **stamp}]),
        ("INSERT INTO conferences (id, organizer_id, title, held_on, start_time, place, format, audience, status, "
         "status_note, chair, description, conclusions, sequence, created_dt, updated_dt) VALUES (5, 2, 'Hội nghị', "
         "'2026-05-20', '08:00:00', '', 'in_person', 'all_zones', 'planned', '', '', '', '', 0, :created_dt, "
         ":updated_dt)", [stamp]),
        ("INSERT INTO outbound_emails (key, kind, to_addr, to_name, cc, subject, text_body, html_body, language, "
         "message_id, conference_id, status, attempts, next_attempt_dt, last_error, created_dt) VALUES ('k1', "
         "'invitation', 'a@x.vn', '', '', 'S', 'T', '', 'vi', '', 5, 'sent', 1, :created_dt, '', :created_dt)",
         [stamp]),
        ("INSERT INTO topic_proposals (year, addressee, proposer_name, email, phone, topic, content, received_dt, "
         "created_dt, updated_dt) VALUES (2027, 'heza_head', 'Công ty A', '', '', 'Đề tài', 'Nội dung', :created_dt, "
         ":created_dt, :updated_dt)", [stamp]),
    ]
    try:
        with _db.engine.begin() as conn:
            for sql, rows in statements:
                conn.execute(sa.text(sql), rows)
    finally:
        upgrade()  # whatever happened, the session's database goes back to the newest schema

    with _db.engine.connect() as conn:
        query = "SELECT id, slug, parent_body, header_name FROM organizers ORDER BY id"
        organizers = conn.execute(sa.text(query)).all()
        assert organizers == [(1, "heza", "UBND THÀNH PHỐ HẢI PHÒNG", "BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG"),
                              (2, "phu-lien", "", "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN")]
        plans = sorted(conn.execute(sa.text("SELECT organizer_id, rules FROM plans")).tuples().all())
        assert plans == [(1, "R1,R2,R3,R5,R6,R7"), (1, "R10"), (1, "R11"), (1, "R12"), (2, "R4,R8,R9")]
        users = dict(conn.execute(sa.text("SELECT email, organizer_id FROM users")).tuples().all())
        assert users == {"admin@x.vn": None, "officer@x.vn": 1, "unit@x.vn": 2}
        assert conn.execute(sa.text("SELECT organizer_id FROM topic_proposals")).scalar() == 1
        assert conn.execute(sa.text("SELECT organizer_id FROM outbound_emails")).scalar() == 2
    assert _diff(_db.engine) == []
    # Leave the shared test database as the session found it.
    with _db.engine.begin() as conn:
        for table in ("outbound_emails", "topic_proposals", "plans", "users", "conferences", "units", "organizers"):
            conn.execute(sa.text(f"DELETE FROM {table}"))


def test_attendee_checkin_codes_are_back_filled(db):
    """Attendees registered before check-in existed each get a distinct code; nobody is checked in."""
    downgrade(revision="b6d2e4f81a90")
    now = "2026-11-20 03:00:00+00:00"
    stamp = {"created_dt": now, "updated_dt": now}
    with _db.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO organizers (id, name, short_name, kind, slug, parent_body, header_name, place_name, "
            "document_symbol, address, phone, email, signer_authority, signer_title, signer_name, "
            "announce_working_days, cutoff_working_days, quorum_enterprises, quorum_recommendations, "
            "unit_task_days_before, answer_working_days, answer_coordination_working_days, report_working_days, "
            "registration_nudge_working_days, min_conferences_per_year, min_posts_per_month, "
            "overdue_repeat_working_days, hotline_feedback_working_days, hotline_recommendation_working_days, "
            "hotline_complaint_working_days, hotline_denunciation_working_days, created_dt, updated_dt) VALUES "
            "(1, 'Ban Quản lý', 'HEZA', 'authority', 'heza', '', '', 'Hải Phòng', '', '', '', '', '', '', '', "
            "7, 5, 15, 5, 3, 7, 14, 7, 2, 2, 1, 2, 5, 7, 10, 10, :created_dt, :updated_dt)"), stamp)
        conn.execute(sa.text("INSERT INTO zones (id, name, code, kind, created_dt, updated_dt) VALUES "
                             "(1, 'KCN Đình Vũ', 'DV', 'industrial', :created_dt, :updated_dt)"), stamp)
        conn.execute(sa.text(
            "INSERT INTO enterprises (id, name, kind, tax_code, zone_id, address, contact_name, phone, email, "
            "cc_emails, language, active, created_dt, updated_dt) VALUES (1, 'Công ty A', 'enterprise', "
            "'0201234567', 1, '', '', '', 'a@x.vn', '', 'vi', TRUE, :created_dt, :updated_dt)"), stamp)
        conn.execute(sa.text(
            "INSERT INTO conferences (id, organizer_id, title, held_on, start_time, place, format, audience, status, "
            "status_note, chair, description, conclusions, sequence, created_dt, updated_dt) VALUES (5, 1, "
            "'Hội nghị', '2026-05-20', '08:00:00', '', 'in_person', 'all_zones', 'planned', '', '', '', '', 0, "
            ":created_dt, :updated_dt)"), stamp)
        conn.execute(sa.text(
            "INSERT INTO registrations (id, conference_id, enterprise_id, received_dt, channel, note, created_dt, "
            "updated_dt) VALUES (7, 5, 1, :created_dt, 'email', '', :created_dt, :updated_dt)"), stamp)
        for n in range(1, 4):
            conn.execute(sa.text("INSERT INTO attendees (id, registration_id, name, position, phone, email) "
                                 "VALUES (:id, 7, :name, '', '', '')"), {"id": n, "name": f"Người {n}"})
    upgrade()
    with _db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT checkin_code, checked_in_dt, walk_in FROM attendees")).all()
    assert len(rows) == 3 and len({r[0] for r in rows}) == 3
    assert all(len(r[0]) == 6 and r[1] is None and not r[2] for r in rows)
    assert _diff(_db.engine) == []
