"""The enterprise's whole journey in a real headless Chromium, from the invitation in a real mail sink.

A live server runs the app in a thread on a free port with its own SQLite file; aiosmtpd on
loopback receives what the outbox delivers; Playwright drives Debian's ``/usr/bin/chromium``
(never a downloaded browser). Skipped only when chromium is missing and ``CI`` is not "true".
"""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from heza import workdays
from heza.base import local_today
from heza.conferences.models import Registration
from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from heza.recommendations.models import Recommendation
from tests import factories as f
from tests.support import chromium_browser, require_chromium, served_app, watch_csp

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "quantri.public@example.vn"
ADMIN_PASSWORD = "mat-khau-quan-tri-456"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Sink:
    """An aiosmtpd server on loopback keeping every message it accepts."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def take(self) -> list[EmailMessage]:
        taken, self.messages[:] = list(self.messages), []
        return taken


def submit(page: Any, selector: str) -> None:
    """Click a button or link and wait for the page it leads to (a click alone does not wait for it)."""
    with page.expect_navigation():
        page.click(selector)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


@dataclass
class Live:
    app: Flask
    url: str
    sink: Sink

    def __call__(self, path: str) -> str:
        return self.url + path

    def deliver(self) -> list[EmailMessage]:
        """Run the outbox delivery (what the every-minute job does) and return what arrived."""
        from heza.outbox import delivery

        with self.app.app_context():
            delivery.deliver()
        return self.sink.take()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    require_chromium()
    from aiosmtpd.controller import Controller

    sink = Sink(_free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        for application, url in served_app(tmp_path_factory, "heza-public-browser", MAIL_SERVER="127.0.0.1",
                                           MAIL_PORT=sink.port, MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=5):
            yield Live(application, url, sink)
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh context (no cookies), Vietnamese, in Hai Phong's time zone."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    context.set_default_timeout(15_000)
    violations = watch_csp(context)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
    assert violations == [], "the Content-Security-Policy refused something on a page"


@dataclass
class World:
    conference_id: int
    enterprise_id: int
    organizer_id: int


def _world(live: Live, *, working_days_ahead: int, email_addr: str, title: str) -> World:
    """An organizer, an enterprise in a zone and a conference ``working_days_ahead`` working days away."""
    with live.app.app_context():
        org = f.organizer(name=f"Ban Quản lý Khu kinh tế Hải Phòng {title}", phone="0225 3569170")
        ent = f.enterprise(name=f"Công ty TNHH Thép Đình Vũ {title}", email=email_addr)
        held_on = workdays.add_working_days(local_today(), working_days_ahead)
        conf = f.conference(org, held_on=held_on, title=f"Hội nghị đối thoại doanh nghiệp {title}",
                            place="Trụ sở Ban Quản lý, 24 Cù Chính Lan")
        _db.session.commit()
        return World(conf.id, ent.id, org.id)


def _token_url(live: Live, world: World) -> str:
    with live.app.app_context():
        from heza.conferences import links

        return live(f"/doanh-nghiep/{links.make_token(world.conference_id, world.enterprise_id)}")


def _received_counts(live: Live, world: World) -> Any:
    with live.app.app_context():
        from heza.conferences.models import Conference
        from jobs.quorum import received_counts

        return received_counts(_db.session.get(Conference, world.conference_id))


def test_enterprise_flow_from_the_invitation_email(live: Live, page: Any) -> None:
    world = _world(live, working_days_ahead=15, email_addr="thep.dinhvu@example.vn", title="quý IV")
    # The Jobs side publishes the notice and invites; delivery puts the invitation in the sink.
    with live.app.app_context():
        from heza.conferences import notices
        from heza.conferences.models import Conference

        notices.publish_and_invite(_db.session.get(Conference, world.conference_id), local_today())
        _db.session.commit()
    [invitation] = [m for m in live.deliver() if m["To"].addresses[0].addr_spec == "thep.dinhvu@example.vn"]
    link = re.search(r"(http://127\.0\.0\.1:\d+/doanh-nghiep/\S+)", text_of(invitation)).group(1)
    assert link.startswith(live.url)

    # The link opens the enterprise's page.
    page.goto(link)
    assert page.locator("h1").inner_text() == "Hội nghị đối thoại doanh nghiệp quý IV"
    assert "Công ty TNHH Thép Đình Vũ quý IV" in page.locator(".enterprise-name").inner_text()
    assert "Hạn cuối: hết ngày" in page.locator("#han").inner_text()
    with page.expect_download() as download_info:
        page.click("#ics-link")
    ics = Path(download_info.value.path()).read_text()
    assert "BEGIN:VEVENT" in ics and "Hội nghị đối thoại doanh nghiệp quý IV" in ics.replace("\r\n ", "")

    # Register two people.
    page.fill("input[name='attendees-0-name']", "Nguyễn Văn An")
    page.fill("input[name='attendees-0-position']", "Giám đốc")
    page.fill("input[name='attendees-0-phone']", "0912 345 678")
    page.fill("input[name='attendees-0-email']", "an@thepdinhvu.example.vn")
    page.fill("input[name='attendees-1-name']", "Trần Thị Bình")
    page.fill("input[name='attendees-1-position']", "Kế toán trưởng")
    submit(page, "#register-submit")
    assert "Đã ghi nhận đăng ký tham dự của doanh nghiệp" in page.locator(".flash-success").inner_text()
    assert "Trần Thị Bình" in page.locator(".attendee-list").inner_text()
    assert _received_counts(live, world).enterprises == 1

    # Change the list: the second person no longer comes.
    page.fill("input[name='attendees-1-name']", "")
    page.fill("input[name='attendees-1-position']", "")
    submit(page, "#register-submit")
    assert "Đã cập nhật danh sách người tham dự." in page.locator(".flash-success").inner_text()
    assert "Trần Thị Bình" not in page.locator(".attendee-list").inner_text()

    # A recommendation with a PDF.
    page.select_option("select[name='field']", label="Đất đai")
    page.fill("textarea[name='content']", "Đề nghị hướng dẫn thủ tục gia hạn thời hạn thuê đất <trong KCN>.")
    page.set_input_files("input[name='attachment']",
                         files=[{"name": "Hồ sơ thuê đất.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page, "#recommend-submit")
    flash = page.locator(".flash-success").inner_text()
    reference = re.search(r"KN-\d{4}-\d{6}", flash).group(0)
    card = page.locator(f"article.recommendation[data-reference='{reference}']")
    assert "Mới tiếp nhận" in card.inner_text() and "<trong KCN>" in card.inner_text()
    assert "Hồ sơ thuê đất.pdf" in card.inner_text()
    counts = _received_counts(live, world)
    assert (counts.enterprises, counts.recommendations) == (1, 1)

    # Every action sent a receipt with its number, delivered to the enterprise.
    receipts = [m for m in live.deliver() if m["To"].addresses[0].addr_spec == "thep.dinhvu@example.vn"]
    subjects = [str(m["Subject"]) for m in receipts]
    assert len(receipts) == 3, subjects
    assert sum("Xác nhận đăng ký tham dự" in s for s in subjects) == 2
    [rec_mail] = [m for m in receipts if reference in str(m["Subject"])]
    assert reference in text_of(rec_mail) and "trong hạn" in text_of(rec_mail)
    with live.app.app_context():
        rec = _db.session.scalars(sa.select(Recommendation).where(Recommendation.reference == reference)).one()
        assert rec.attachment_name == "Hồ sơ thuê đất.pdf"

    # Withdraw (the page asks first).
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "#withdraw-submit")
    assert "Đã rút đăng ký tham dự" in page.locator(".flash-success").inner_text()
    assert page.locator(".not-registered").is_visible()
    assert _received_counts(live, world).enterprises == 0
    assert any("rút đăng ký" in str(m["Subject"]) for m in live.deliver())


def test_registration_and_recommendation_show_in_the_admin_at_once(live: Live, browser: Any, page: Any) -> None:
    if "admin" not in live.app.blueprints or "conference.details_view" not in live.app.view_functions:
        pytest.skip("the admin's conference screen is not wired in this checkout")
    world = _world(live, working_days_ahead=12, email_addr="cang.haian@example.vn", title="cảng")
    with live.app.app_context():
        from heza.accounts.models import Role, User

        if _db.session.scalar(sa.select(User).where(User.email == ADMIN_EMAIL)) is None:
            user = User(email=ADMIN_EMAIL, name="Quản trị viên", role=Role.ADMIN)
            user.set_password(ADMIN_PASSWORD)
            _db.session.add(user)
            _db.session.commit()
    page.goto(_token_url(live, world))
    page.fill("input[name='attendees-0-name']", "Phạm Minh Cảng")
    submit(page, "#register-submit")
    page.select_option("select[name='field']", value="customs")
    page.fill("textarea[name='content']", "Đề nghị rút ngắn thời gian thông quan.")
    submit(page, "#recommend-submit")
    reference = re.search(r"KN-\d{4}-\d{6}", page.locator(".flash-success").inner_text()).group(0)

    admin_context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    admin_violations = watch_csp(admin_context)
    admin = admin_context.new_page()
    try:
        admin.goto(live("/admin/"))
        admin.fill("input[name=email]", ADMIN_EMAIL)
        admin.fill("input[name=password]", ADMIN_PASSWORD)
        admin.click("#login-submit")
        admin.wait_for_url(live("/admin/"))
        admin.goto(live(f"/admin/conference/details/?id={world.conference_id}"))
        quorum = admin.locator("#quorum-explanation").inner_text()
        assert "1/15 doanh nghiệp đăng ký" in quorum and "1/5 kiến nghị" in quorum
        admin.goto(live("/admin/recommendation/"))
        assert reference in admin.content()
    finally:
        admin_context.close()
    assert admin_violations == []


def test_after_the_cutoff_the_page_closes_registration_and_marks_late(live: Live, page: Any) -> None:
    # A conference two working days away: its cutoff (five working days before) has passed.
    world = _world(live, working_days_ahead=2, email_addr="det.may@example.vn", title="muộn")
    page.goto(_token_url(live, world))
    assert page.locator("#registration-form").count() == 0
    assert "Đã quá hạn đăng ký" in page.locator("#after-cutoff").inner_text()
    page.select_option("select[name='field']", value="labour")
    page.fill("textarea[name='content']", "Kiến nghị gửi muộn về tuyển dụng lao động.")
    submit(page, "#recommend-submit")
    warning = page.locator(".flash-warning").inner_text()
    assert "nộp muộn" in warning and "không được tính vào điều kiện tổ chức hội nghị" in warning
    assert "Nộp muộn" in page.locator("article.recommendation").inner_text()
    counts = _received_counts(live, world)
    assert (counts.enterprises, counts.recommendations) == (0, 0)
    with live.app.app_context():
        assert _db.session.scalars(sa.select(Registration).where(
            Registration.conference_id == world.conference_id)).all() == []


def test_tampered_link_gets_the_refusal_page(live: Live, page: Any) -> None:
    world = _world(live, working_days_ahead=10, email_addr="gia.mao@example.vn", title="giả")
    url = _token_url(live, world)
    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    response = page.goto(tampered)
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Đường dẫn không hợp lệ"
    assert "giả" not in page.content()


def test_topic_proposal_in_the_browser(live: Live, page: Any) -> None:
    world = _world(live, working_days_ahead=10, email_addr="de.xuat@example.vn", title="đề xuất")
    page.goto(live("/de-xuat-noi-dung-doi-thoai"))
    page.select_option("select[name='organizer']", str(world.organizer_id))  # the organizer receiving it
    page.fill("input[name='proposer_name']", "Công ty CP Logistics Hải An")
    page.fill("input[name='tax_code']", "0209876543")
    page.fill("input[name='email']", "phaply@haian.example.vn")
    page.check("input[name='addressee'][value='heza_head']")
    page.fill("input[name='topic']", "Hạ tầng giao thông kết nối KCN")
    page.fill("textarea[name='content']", "Đề xuất đối thoại về tiến độ đường trục chính.")
    submit(page, "#proposal-submit")
    assert page.locator("h1").inner_text() == "Cảm ơn quý vị đã gửi đề xuất"
    assert "Ban Quản lý Khu kinh tế Hải Phòng đề xuất" in page.locator("main").inner_text()
    [mail] = [m for m in live.deliver() if m["To"].addresses[0].addr_spec == "phaply@haian.example.vn"]
    confirm = re.search(r"(http://127\.0\.0\.1:\d+/de-xuat-noi-dung-doi-thoai/xac-nhan/\S+)", text_of(mail)).group(1)
    page.goto(confirm)
    submit(page, "#confirm-submit")
    assert "đã được xác nhận" in page.locator("#confirmed").inner_text()


def test_print_notice_fits_one_a4_page(live: Live, page: Any) -> None:
    world = _world(live, working_days_ahead=20, email_addr="in.thong.bao@example.vn", title="bản in")
    with live.app.app_context():
        from heza.conferences import notices
        from heza.conferences.models import Conference

        notice = notices.publish_announcement(_db.session.get(Conference, world.conference_id), local_today())
        _db.session.commit()
        notice_id = notice.id
        _db.session.execute(sa.delete(OutboundEmail))  # the invitations are not this test's subject
        _db.session.commit()
    page.goto(live("/doi-thoai-doanh-nghiep/"))
    submit(page, f"a[href^='/doi-thoai-doanh-nghiep/{notice_id}-']")
    submit(page, "text=Bản in A4")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.locator(".nation").inner_text()
    page.evaluate("window.print = () => { window.__printed = true; }")  # the button prints, without an inline handler
    page.click("button[data-heza-print]")
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 1
    size = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    width, height = float(size.group(1)), float(size.group(2))
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points


def test_check_in_with_the_code_from_the_receipt_then_the_result_report_shows_one_attended(
        live: Live, browser: Any, page: Any, tmp_path: Path) -> None:
    """Register on the personal page, take the code from the receipt that arrived by SMTP, type it at the
    door (the admin's check-in screen), and the result report counts 1 attended enterprise and person."""
    if "conference.checkin_view" not in live.app.view_functions:
        pytest.skip("the admin's conference screen is not wired in this checkout")
    world = _world(live, working_days_ahead=10, email_addr="diemdanh@example.vn", title="điểm danh")
    with live.app.app_context():
        from heza.accounts.models import Role, User

        if _db.session.scalar(sa.select(User).where(User.email == ADMIN_EMAIL)) is None:
            user = User(email=ADMIN_EMAIL, name="Quản trị viên", role=Role.ADMIN)
            user.set_password(ADMIN_PASSWORD)
            _db.session.add(user)
            _db.session.commit()
    live.deliver()  # whatever earlier tests left in the outbox
    page.goto(_token_url(live, world))
    page.fill("input[name='attendees-0-name']", "Đỗ Thị Điểm")
    page.fill("input[name='attendees-0-position']", "Phó Giám đốc")
    page.fill("input[name='attendees-1-name']", "Ngô Văn Vắng")
    submit(page, "#register-submit")
    assert page.locator(".attendee-list img").count() == 2  # the QR codes on the personal page
    [receipt] = [m for m in live.deliver() if m["To"].addresses[0].addr_spec == "diemdanh@example.vn"]
    body = text_of(receipt)
    code = re.search(r"Đỗ Thị Điểm, Phó Giám đốc — mã điểm danh: ([0-9A-Z]{6})", body).group(1)
    attached = [part.get_filename() for part in receipt.iter_attachments()]
    assert f"ma-diem-danh-{code}.png" in attached

    with live.app.app_context():
        from heza.conferences.models import Conference, ConferenceStatus

        _db.session.get(Conference, world.conference_id).status = ConferenceStatus.HELD  # the day has come
        _db.session.commit()

    admin_context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    admin_violations = watch_csp(admin_context)
    admin = admin_context.new_page()
    try:
        admin.goto(live("/admin/"))
        admin.fill("input[name=email]", ADMIN_EMAIL)
        admin.fill("input[name=password]", ADMIN_PASSWORD)
        admin.click("#login-submit")
        admin.wait_for_url(live("/admin/"))
        admin.goto(live(f"/admin/conference/details/?id={world.conference_id}"))
        submit(admin, "#conference-checkin")
        admin.fill("#checkin-code", code.lower())  # typed as it comes
        submit(admin, "#checkin-submit")
        assert "Đã điểm danh: Đỗ Thị Điểm" in admin.locator(".alert-success").inner_text()
        assert admin.locator("[data-checked=yes]").count() == 1
        assert "Đã điểm danh: 1 người" in admin.locator("#checkin-figures").inner_text()

        admin.goto(live(f"/admin/conference/details/?id={world.conference_id}"))
        with admin.expect_download() as download_info:
            admin.click("#conference-result-report")
        from docx import Document as open_docx

        report = open_docx(download_info.value.path())
        text = "\n".join(p.text for p in report.paragraphs)
        assert "- Doanh nghiệp đăng ký tham dự: 1 " in text and "với 2 đại biểu." in text
        assert "- Doanh nghiệp thực tế tham dự (đã điểm danh): 1, với 1 đại biểu" in text
    finally:
        admin_context.close()
    assert admin_violations == []
