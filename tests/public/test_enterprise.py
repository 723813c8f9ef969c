"""The personal page: registration, recommendations, receipts, the R2 cutoff, refused links."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
import time_machine

from heza import rules
from heza.base import now_utc
from heza.conferences.models import Channel, ConferenceStatus, Registration
from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from heza.recommendations.models import AnswerMethod, Recommendation, RecommendationStatus
from tests import factories as f
from tests.public.conftest import AFTER_CUTOFF, BEFORE_CUTOFF, EXPIRED, HELD_ON, LAST_MINUTE, LAST_VALID_DAY

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def post_multipart(client, url: str, fields: dict):
    """A multipart POST encoded in memory (the test client spools big bodies to files it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    values = {k: FileStorage(BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in fields.items()}
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def page_url(token: str) -> str:
    return f"/doanh-nghiep/{token}"


def quorum_of(conference) -> rules.Quorum:
    """R3 as the quorum job counts it from the database (registrations and recommendations by the cutoff)."""
    from jobs.quorum import received_counts

    _db.session.expire_all()
    return received_counts(conference)


def attendees(csrf_token: str, *rows: tuple[str, str, str, str]) -> dict[str, str]:
    data = {"csrf_token": csrf_token}
    for i, (name, position, phone, email) in enumerate(rows):
        data.update({f"attendees-{i}-name": name, f"attendees-{i}-position": position,
                     f"attendees-{i}-phone": phone, f"attendees-{i}-email": email})
    return data


def outbox(kind: str = "receipt") -> list[OutboundEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.kind == kind)
                                    .order_by(OutboundEmail.id)))


def registration_of(conference, enterprise) -> Registration | None:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Registration).where(Registration.conference_id == conference.id,
                                                            Registration.enterprise_id == enterprise.id))


@pytest.fixture()
def before_cutoff():
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        yield


@pytest.fixture()
def after_cutoff():
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        yield


def test_page_shows_the_conference_the_cutoff_and_the_calendar_file(client, token, conference, before_cutoff):
    response = client.get(page_url(token))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hội nghị đối thoại doanh nghiệp năm 2026" in html
    assert "Thứ Ba, 17/03/2026" in html and "08:00" in html and "Trụ sở Ban Quản lý, 24 Cù Chính Lan" in html
    assert "Hạn cuối: hết ngày 10/03/2026." in html
    assert "Công ty TNHH Cơ khí Đình Vũ" in html
    assert 'id="registration-form"' in html and 'id="recommendation-form"' in html
    # Issue 15: the form says plainly that complaints and denunciations go elsewhere, and where.
    assert 'id="complaints-elsewhere"' in html
    assert "không giải quyết khiếu nại, tố cáo" in html and "đường dây nóng" in html
    assert html.count('name="csrf_token"') >= 2
    assert f'href="/doanh-nghiep/{token}/hoi-nghi.ics"' in html
    assert "06/04/2026" in html  # the link's validity: the longest answer period
    # The link is a secret: not cached, not indexed, not sent on as a referrer.
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_calendar_file_download(client, token, before_cutoff):
    response = client.get(f"/doanh-nghiep/{token}/hoi-nghi.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" in body
    # A file to import, not a scheduling message: PUBLISH, and no attendee (RFC 5546).
    assert "METHOD:PUBLISH" in body and "ATTENDEE" not in body
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_registration_raises_the_quorum_and_sends_a_receipt(client, csrf, token, conference, enterprise,
                                                           before_cutoff):
    assert quorum_of(conference).enterprises == 0
    data = attendees(csrf(page_url(token)), ("Nguyễn Văn An", "Giám đốc", "0912 345 678", "an@codinhvu.example.vn"),
                     ("Trần Thị Bình", "Kế toán trưởng", "", ""))
    response = client.post(f"/doanh-nghiep/{token}/dang-ky", data=data)
    assert response.status_code == 303
    reg = registration_of(conference, enterprise)
    assert reg.channel == Channel.LINK and reg.withdrawn_dt is None
    assert [(a.name, a.position) for a in reg.attendees] == [("Nguyễn Văn An", "Giám đốc"),
                                                              ("Trần Thị Bình", "Kế toán trưởng")]
    assert quorum_of(conference).enterprises == 1
    [mail] = outbox()
    assert mail.to_addr == "lienhe@codinhvu.example.vn" and mail.conference_id == conference.id
    assert f"DK-2026-{reg.id:06d}" in mail.subject and f"DK-2026-{reg.id:06d}" in mail.text_body
    assert "Nguyễn Văn An" in mail.text_body and "trong hạn" in mail.text_body
    assert f"http://heza.test/doanh-nghiep/{token}" in mail.text_body
    html = client.get(page_url(token)).get_data(as_text=True)
    assert "Đã ghi nhận đăng ký tham dự" in html and "Trần Thị Bình" in html
    # Each attendee's check-in code: in the receipt (text, HTML, a QR code attached) and on the page.
    for attendee in reg.attendees:
        assert f"mã điểm danh: {attendee.checkin_code}" in mail.text_body
        assert attendee.checkin_code in mail.html_body and attendee.checkin_code in html
    assert sorted(a.filename for a in mail.attachments) == sorted(
        f"ma-diem-danh-{a.checkin_code}.png" for a in reg.attendees)
    assert all(a.data.startswith(b"\x89PNG") for a in mail.attachments)
    assert html.count('src="data:image/svg+xml') == 2


def test_change_then_withdraw_then_register_again(client, csrf, token, conference, enterprise, before_cutoff):
    url = f"/doanh-nghiep/{token}/dang-ky"
    client.post(url, data=attendees(csrf(page_url(token)), ("Nguyễn Văn An", "Giám đốc", "", "")))
    first = registration_of(conference, enterprise).received_dt
    # The form is prefilled with the list; saving replaces it.
    html = client.get(page_url(token)).get_data(as_text=True)
    assert 'value="Nguyễn Văn An"' in html
    client.post(url, data=attendees(csrf(page_url(token)), ("Lê Văn Cường", "Phó Giám đốc", "", "")))
    reg = registration_of(conference, enterprise)
    assert [a.name for a in reg.attendees] == ["Lê Văn Cường"] and reg.received_dt == first
    code = reg.attendees[0].checkin_code
    client.post(url, data=attendees(csrf(page_url(token)), ("Lê Văn Cường", "Giám đốc", "", ""),
                                    ("Hoàng Thị Mai", "", "", "")))
    reg = registration_of(conference, enterprise)
    assert [(a.name, a.position) for a in reg.attendees] == [("Lê Văn Cường", "Giám đốc"), ("Hoàng Thị Mai", "")]
    assert reg.attendees[0].checkin_code == code  # the person on the earlier receipt keeps their code
    client.post(url, data=attendees(csrf(page_url(token)), ("Lê Văn Cường", "Phó Giám đốc", "", "")))
    withdrawn = client.post(f"/doanh-nghiep/{token}/rut-dang-ky", data={"csrf_token": csrf(page_url(token))},
                            follow_redirects=True)
    assert "Đã rút đăng ký tham dự" in withdrawn.get_data(as_text=True)
    assert registration_of(conference, enterprise).withdrawn_dt is not None
    assert quorum_of(conference).enterprises == 0
    client.post(url, data=attendees(csrf(page_url(token)), ("Lê Văn Cường", "Phó Giám đốc", "", "")))
    assert registration_of(conference, enterprise).withdrawn_dt is None
    assert quorum_of(conference).enterprises == 1
    subjects = [m.subject for m in outbox()]
    assert len(subjects) == 5 and "rút đăng ký" in subjects[3]  # the same list at the same instant: one email


def test_attendee_rows_are_validated_in_vietnamese(client, csrf, token, conference, enterprise, before_cutoff):
    url = f"/doanh-nghiep/{token}/dang-ky"
    empty = client.post(url, data=attendees(csrf(page_url(token)), ("", "", "", "")))
    assert empty.status_code == 422
    assert "Vui lòng nhập ít nhất một người tham dự." in empty.get_data(as_text=True)
    bad = client.post(url, data=attendees(csrf(page_url(token)), ("", "Giám đốc", "abc", "khong-hop-le")))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Vui lòng nhập họ và tên người tham dự." in html
    assert "Địa chỉ email không hợp lệ." in html and "Số điện thoại chỉ gồm chữ số" in html
    assert registration_of(conference, enterprise) is None and outbox() == []


def test_recommendation_with_pdf_gets_a_reference_and_a_receipt(client, csrf, token, conference, enterprise,
                                                                before_cutoff):
    data = {"csrf_token": csrf(page_url(token)), "field": "land", "content": "Đề nghị hướng dẫn gia hạn thuê đất.",
            "attachment": (PDF, "Hồ sơ đất đai.pdf")}
    response = post_multipart(client, f"/doanh-nghiep/{token}/kien-nghi", data)
    assert response.status_code == 303
    rec = _db.session.scalars(sa.select(Recommendation)).one()
    assert re.fullmatch(r"KN-2026-\d{6}", rec.reference)
    assert rec.channel == Channel.LINK and rec.enterprise_id == enterprise.id and rec.conference_id == conference.id
    assert rec.attachment_name == "Hồ sơ đất đai.pdf" and rec.attachment_data == PDF
    assert rec.due_on == rules.answer_due(HELD_ON, False, conference.settings()).due
    q = quorum_of(conference)  # in time, but the enterprise has not registered: counted apart (plan 001)
    assert (q.recommendations, q.excluded_recommendations) == (0, 1)
    [mail] = outbox()
    assert rec.reference in mail.subject and rec.reference in mail.text_body
    assert "trong hạn" in mail.text_body and "Hồ sơ đất đai.pdf" in mail.text_body
    html = client.get(page_url(token)).get_data(as_text=True)
    assert f"Đã tiếp nhận kiến nghị số {rec.reference}." in html
    assert "Mới tiếp nhận" in html and "Đất đai" in html
    download = client.get(f"/doanh-nghiep/{token}/kien-nghi/{rec.reference}/tep-dinh-kem")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"


@pytest.mark.parametrize(("payload", "name", "message"), [
    (b"MZ\x90\x00 not a pdf", "ho-so.pdf", "không phải là tệp PDF hợp lệ"),
    (PDF, "ho-so.exe", "Chỉ nhận tệp PDF"),
    (b"%PDF-" + b"0" * (5 * 1024 * 1024), "lon.pdf", "vượt quá 5 MB"),
    (b"", "rong.pdf", "Tệp đính kèm rỗng"),
])
def test_attachment_type_and_size_are_checked(client, csrf, token, payload, name, message, before_cutoff):
    data = {"csrf_token": csrf(page_url(token)), "field": "tax", "content": "Nội dung",
            "attachment": (payload, name)}
    response = post_multipart(client, f"/doanh-nghiep/{token}/kien-nghi", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _db.session.scalars(sa.select(Recommendation)).all() == []


def test_a_body_over_the_app_limit_gets_a_friendly_page(client, csrf, token, before_cutoff):
    data = {"csrf_token": csrf(page_url(token)), "field": "tax", "content": "Nội dung",
            "attachment": (b"%PDF-" + b"0" * (13 * 1024 * 1024), "rat-lon.pdf")}
    response = post_multipart(client, f"/doanh-nghiep/{token}/kien-nghi", data)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Tệp gửi lên quá lớn" in html and f"/doanh-nghiep/{token}" in html


def test_after_the_cutoff_registration_closes_and_recommendations_are_late(client, csrf, token, conference,
                                                                          enterprise, after_cutoff):
    html = client.get(page_url(token)).get_data(as_text=True)
    assert 'id="registration-form"' not in html
    assert "Đã hết hạn đăng ký tham dự (hết ngày 10/03/2026)." in html
    assert "không được tính vào điều kiện tổ chức hội nghị" in html
    refused = client.post(f"/doanh-nghiep/{token}/dang-ky",
                          data=attendees(csrf(page_url(token)), ("Nguyễn Văn An", "", "", "")), follow_redirects=True)
    assert "Đăng ký chưa được ghi nhận" in refused.get_data(as_text=True)
    assert registration_of(conference, enterprise) is None
    response = client.post(f"/doanh-nghiep/{token}/kien-nghi", follow_redirects=True,
                           data={"csrf_token": csrf(page_url(token)), "field": "labour", "content": "Gửi muộn"})
    html = response.get_data(as_text=True)
    rec = _db.session.scalars(sa.select(Recommendation)).one()
    assert f"Đã tiếp nhận kiến nghị số {rec.reference}. Kiến nghị được gửi sau hạn" in html
    assert "Nộp muộn – không tính vào điều kiện tổ chức hội nghị" in html
    assert quorum_of(conference).recommendations == 0
    [mail] = outbox()
    assert "nộp muộn" in mail.text_body


def test_the_last_minute_of_the_cutoff_day_still_counts(client, csrf, token, conference, enterprise):
    with time_machine.travel(LAST_MINUTE, tick=False):
        client.post(f"/doanh-nghiep/{token}/dang-ky", data=attendees(csrf(page_url(token)), ("An", "", "", "")))
        client.post(f"/doanh-nghiep/{token}/kien-nghi",
                    data={"csrf_token": csrf(page_url(token)), "field": "tax", "content": "Kịp giờ"})
    assert registration_of(conference, enterprise) is not None
    assert quorum_of(conference).enterprises == 1 and quorum_of(conference).recommendations == 1


def test_after_the_cutoff_withdrawing_is_refused_too(client, csrf, token, conference, enterprise):
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        client.post(f"/doanh-nghiep/{token}/dang-ky", data=attendees(csrf(page_url(token)), ("An", "", "", "")))
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        client.post(f"/doanh-nghiep/{token}/rut-dang-ky", data={"csrf_token": csrf(page_url(token))})
    assert registration_of(conference, enterprise).withdrawn_dt is None


def test_cancelled_conference_takes_no_registration(client, csrf, token, conference, enterprise, before_cutoff):
    conference.status = ConferenceStatus.CANCELLED
    conference.status_note = "Không đủ số doanh nghiệp đăng ký."
    _db.session.commit()
    html = client.get(page_url(token)).get_data(as_text=True)
    assert "Hội nghị đã dừng tổ chức." in html and 'id="registration-form"' not in html
    client.post(f"/doanh-nghiep/{token}/dang-ky", data=attendees(csrf(page_url(token)), ("An", "", "", "")))
    assert registration_of(conference, enterprise) is None


def test_the_written_answer_appears_once_given(client, token, conference, enterprise, before_cutoff):
    rec = f.recommendation(conference, enterprise=enterprise, content="Kiến nghị về thuế",
                           received_dt=now_utc())
    _db.session.commit()
    html = client.get(page_url(token)).get_data(as_text=True)
    assert rec.reference in html and "Mới tiếp nhận" in html and "Hạn trả lời" in html
    rec.status = RecommendationStatus.ANSWERED
    rec.answer = "Doanh nghiệp thực hiện theo Thông tư 80/2021/TT-BTC.\n\nTrân trọng."
    rec.answered_dt = now_utc()
    rec.answer_method = AnswerMethod.IN_WRITING
    _db.session.commit()
    html = client.get(page_url(token)).get_data(as_text=True)
    assert "Đã trả lời" in html and "<p>Doanh nghiệp thực hiện theo Thông tư 80/2021/TT-BTC.</p>" in html
    assert "Trả lời bằng văn bản" in html


def test_only_the_enterprises_own_recommendations_are_shown(client, token, conference, enterprise, before_cutoff):
    mine = f.recommendation(conference, enterprise=enterprise, content="Của tôi", received_dt=now_utc())
    theirs = f.recommendation(conference, content="Của doanh nghiệp khác", received_dt=now_utc(),
                              attachment_name="x.pdf", attachment_data=PDF)
    _db.session.commit()
    html = client.get(page_url(token)).get_data(as_text=True)
    assert mine.reference in html and theirs.reference not in html and "Của doanh nghiệp khác" not in html
    # Another enterprise's reference under this link finds nothing.
    response = client.get(f"/doanh-nghiep/{token}/kien-nghi/{theirs.reference}/tep-dinh-kem")
    assert response.status_code == 404


def test_the_field_must_be_chosen(client, csrf, token, before_cutoff):
    for field, message in (("", "Vui lòng chọn lĩnh vực."), ("khong-co", "Lĩnh vực không hợp lệ.")):
        response = client.post(f"/doanh-nghiep/{token}/kien-nghi",
                               data={"csrf_token": csrf(page_url(token)), "field": field, "content": "Nội dung"})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _db.session.scalars(sa.select(Recommendation)).all() == []


def test_enterprise_text_is_escaped(client, csrf, token, before_cutoff):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(f"/doanh-nghiep/{token}/kien-nghi", data={"csrf_token": csrf(page_url(token)), "field": "tax",
                                                         "content": evil})
    client.post(f"/doanh-nghiep/{token}/dang-ky", data=attendees(csrf(page_url(token)), (evil, evil, "", "")))
    html = client.get(page_url(token)).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    for mail in outbox():
        assert "<script>alert" not in mail.html_body


def test_posts_need_the_csrf_token(client, token, conference, enterprise, before_cutoff):
    response = client.post(f"/doanh-nghiep/{token}/dang-ky", data=attendees("", ("An", "", "", "")))
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hiệu lực" in response.get_data(as_text=True)
    assert registration_of(conference, enterprise) is None


def test_posts_through_one_link_are_rate_limited(app, client, csrf, token, before_cutoff):
    app.config["HEZA_RATE_LIMITS"] = {"enterprise": (2, 600)}
    try:
        data = {"csrf_token": csrf(page_url(token)), "field": "tax", "content": "Một"}
        assert client.post(f"/doanh-nghiep/{token}/kien-nghi", data=data).status_code == 303
        assert client.post(f"/doanh-nghiep/{token}/kien-nghi", data=data).status_code == 303
        refused = client.post(f"/doanh-nghiep/{token}/kien-nghi", data=data)
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert len(_db.session.scalars(sa.select(Recommendation)).all()) == 2
    finally:
        app.config.pop("HEZA_RATE_LIMITS")


# Refused links -------------------------------------------------------------------------------------


def _flip(token: str, index: int) -> str:
    ch = token[index]
    return token[:index] + ("A" if ch != "A" else "B") + token[index + 1:]


@pytest.mark.parametrize("mangle", [
    lambda t: _flip(t, -1),  # signature altered
    lambda t: _flip(t, 2),  # payload altered
    lambda t: t[:-6],  # truncated
    lambda t: "khong-phai-token",
    lambda t: "1.2.3",
])
def test_forged_or_altered_links_get_a_friendly_refusal(client, token, mangle, before_cutoff):
    bad = mangle(token)
    for url in (page_url(bad), f"/doanh-nghiep/{bad}/hoi-nghi.ics"):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.get_data(as_text=True)
        assert "Đường dẫn không hợp lệ" in html and "Công ty TNHH Cơ khí Đình Vũ" not in html


def test_every_change_of_the_last_character_is_refused(client, token, before_cutoff):
    # base64 leaves spare bits in the last character: some changes decode to the same signature.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for ch in alphabet.replace(token[-1], ""):
        assert client.get(page_url(token[:-1] + ch)).status_code == 404, ch
    assert client.get(page_url(token)).status_code == 200


def test_forged_link_cannot_post(client, csrf, token, conference, enterprise, before_cutoff):
    bad = _flip(token, -1)
    data = attendees(csrf(page_url(token)), ("An", "", "", ""))
    assert client.post(f"/doanh-nghiep/{bad}/dang-ky", data=data).status_code == 404
    assert registration_of(conference, enterprise) is None


def test_a_link_signed_with_another_key_is_refused(app, client, conference, enterprise, before_cutoff):
    from heza.conferences import links

    key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-secret"
    try:
        foreign = links.make_token(conference.id, enterprise.id)
    finally:
        app.config["SECRET_KEY"] = key
    assert client.get(page_url(foreign)).status_code == 404


def test_link_to_a_deleted_enterprise_or_conference_is_refused(client, conference, before_cutoff):
    from heza.conferences import links

    assert client.get(page_url(links.make_token(conference.id, 987654))).status_code == 404
    assert client.get(page_url(links.make_token(987654, 1))).status_code == 404


def test_the_link_works_until_the_answer_period_ends_then_expires(client, token):
    with time_machine.travel(LAST_VALID_DAY, tick=False):
        assert client.get(page_url(token)).status_code == 200
    with time_machine.travel(EXPIRED, tick=False):
        response = client.get(page_url(token))
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert "Đường dẫn đã hết hạn" in html and "0225 3569170" in html
        assert client.get(f"/doanh-nghiep/{token}/hoi-nghi.ics").status_code == 403


def test_expiry_follows_the_working_day_calendar(client, token, conference):
    # 14 working days after Tuesday 17/3/2026, skipping weekends and Giỗ Tổ Hùng Vương? (not in range)
    assert rules.answer_due(HELD_ON, True, conference.settings()).due == date(2026, 4, 6)
