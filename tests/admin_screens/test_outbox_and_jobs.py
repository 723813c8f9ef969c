"""The outbox screen (status, preview, retry) and the read-only job-run log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from heza.accounts.models import Role
from heza.jobruns.models import JobRun
from heza.outbox.models import EmailStatus, OutboundEmail
from tests import factories as f
from tests.admin_screens.conftest import csrf_token, post, text

NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


def email(db, status: EmailStatus, n: int, **kw) -> OutboundEmail:
    row = OutboundEmail(key=f"test:{n}", kind="invitation", to_addr=f"dn{n}@example.vn", to_name=f"Doanh nghiệp {n}",
                        subject=f"Giấy mời {n}", text_body=f"Kính gửi doanh nghiệp {n}", status=status, attempts=5,
                        last_error="550 5.1.1 mailbox unavailable" if status == EmailStatus.FAILED else "",
                        next_attempt_dt=NOW + timedelta(days=3), organizer_id=f.first_organizer().id, **kw)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture()
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_list_shows_status_attempts_and_last_error(client, db, login):
    login(Role.OFFICER)
    email(db, EmailStatus.FAILED, 1)
    email(db, EmailStatus.SENT, 2, sent_dt=NOW)

    html = text(client.get("/admin/outbox/"))

    assert "Gửi lỗi" in html and "Đã gửi" in html
    assert "550 5.1.1 mailbox unavailable" in html
    assert "dn1@example.vn" in html and "Giấy mời 2" in html
    assert "16/03/2026 09:00" in html  # sent_dt in Hai Phong time


def test_retry_from_the_details_page(client, db, login, now):
    login(Role.OFFICER)
    failed = email(db, EmailStatus.FAILED, 1)
    url = f"/admin/outbox/details/?id={failed.id}"
    assert 'id="outbox-retry-form"' in text(client.get(url))

    response = post(client, "/admin/outbox/retry/", {"id": failed.id}, token_from=url, follow_redirects=True)

    assert "Đã đưa email vào hàng đợi gửi lại." in text(response)
    db.session.expire_all()
    row = db.session.get(OutboundEmail, failed.id)
    assert row.status == EmailStatus.PENDING
    assert row.next_attempt_dt == NOW and row.attempts == 0
    assert row.last_error  # kept until the next attempt replaces it


def test_retry_refuses_an_email_that_did_not_fail(client, db, login, now):
    login(Role.OFFICER)
    sent = email(db, EmailStatus.SENT, 1, sent_dt=NOW)
    url = f"/admin/outbox/details/?id={sent.id}"
    assert 'id="outbox-retry-form"' not in text(client.get(url))

    response = post(client, "/admin/outbox/retry/", {"id": sent.id}, token_from=url, follow_redirects=True)

    assert "Chỉ gửi lại được email gửi lỗi hoặc đã thu hồi" in text(response)
    db.session.expire_all()
    assert db.session.get(OutboundEmail, sent.id).status == EmailStatus.SENT


def test_retry_action_on_the_list(client, db, login, now):
    login(Role.ADMIN)
    failed, withdrawn, sent = (email(db, EmailStatus.FAILED, 1), email(db, EmailStatus.WITHDRAWN, 2),
                               email(db, EmailStatus.SENT, 3, sent_dt=NOW))

    response = post(client, "/admin/outbox/action/",
                    {"action": "retry", "rowid": [failed.id, withdrawn.id, sent.id], "url": "/admin/outbox/"},
                    token_from="/admin/outbox/", follow_redirects=True)

    html = text(response)
    assert "Đã đưa 2 email vào hàng đợi gửi lại." in html
    assert "Bỏ qua 1 email" in html
    db.session.expire_all()
    assert [db.session.get(OutboundEmail, e.id).status for e in (failed, withdrawn, sent)] == [
        EmailStatus.PENDING, EmailStatus.PENDING, EmailStatus.SENT]


def test_preview_is_escaped_into_a_sandboxed_iframe(client, db, login):
    login(Role.OFFICER)
    row = email(db, EmailStatus.PENDING, 1, html_body='<h1>Giấy mời</h1><script>alert("x")</script>"\'&')

    html = text(client.get(f"/admin/outbox/details/?id={row.id}"))

    assert '<script>alert("x")</script>' not in html
    assert 'sandbox=""' in html
    assert ('srcdoc="&lt;h1&gt;Giấy mời&lt;/h1&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#34;&#39;&amp;"'
            in html)
    assert "Kính gửi doanh nghiệp 1" in html  # the text part


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNIT])
def test_outbox_is_closed_to_viewers_and_units(client, db, login, role):
    failed = email(db, EmailStatus.FAILED, 1)
    login(Role.ADMIN)
    token = csrf_token(client, "/admin/outbox/")
    login(role)

    assert client.get("/admin/outbox/").status_code == 403
    assert client.get(f"/admin/outbox/details/?id={failed.id}").status_code == 403
    assert client.post("/admin/outbox/retry/", data={"id": failed.id, "csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboundEmail, failed.id).status == EmailStatus.FAILED


def test_retry_needs_the_csrf_token(client, db, login):
    login(Role.ADMIN)
    failed = email(db, EmailStatus.FAILED, 1)

    assert client.post("/admin/outbox/retry/", data={"id": failed.id}).status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboundEmail, failed.id).status == EmailStatus.FAILED


def test_job_runs_are_listed_and_read_only(client, db, login):
    login(Role.ADMIN)
    started = datetime(2026, 3, 16, 0, 30, tzinfo=UTC)
    db.session.add_all([
        JobRun(job="announcements", today=started.date(), started_dt=started,
               finished_dt=started + timedelta(seconds=2.5), counts={"published": 3}, host="web1"),
        JobRun(job="overdue", today=started.date(), started_dt=started, error="Traceback...\nRuntimeError: SMTP down"),
    ])
    db.session.commit()
    run = db.session.query(JobRun).filter_by(job="overdue").one()

    html = text(client.get("/admin/jobrun/"))

    assert "announcements" in html and "published: 3" in html and "2.5 giây" in html
    assert "RuntimeError: SMTP down" in html and "chưa kết thúc" in html
    assert "16/03/2026 07:30" in html
    assert client.get("/admin/jobrun/new/").status_code == 403
    assert client.get(f"/admin/jobrun/edit/?id={run.id}").status_code == 403
    token = csrf_token(client, "/admin/jobrun/")
    assert client.post("/admin/jobrun/delete/", data={"id": run.id, "csrf_token": token}).status_code == 403
    assert client.get(f"/admin/jobrun/details/?id={run.id}").status_code == 200
