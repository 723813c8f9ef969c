"""Delivery against a real SMTP server: down then up, 421, 451, 550, a stuck server, a killed deliverer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from heza.base import now_utc
from heza.extensions import db as _db
from heza.outbox import delivery, outbox
from heza.outbox.models import EmailStatus, OutboundEmail
from tests.jobs.conftest import Handler, Smtp, free_port, heza_world

ROOT = Path(__file__).resolve().parents[2]


def _enqueue(n: int, prefix: str = "d") -> list[str]:
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    keys = [f"{prefix}:{i}" for i in range(n)]
    for i, key in enumerate(keys):
        outbox.enqueue(key, (f"Người nhận {i}", f"nguoi{i}@demo.heza.vn"), "Thử gửi", "unit_reminder", context,
                       language="vi", kind="test", attachments=[("hoi-nghi.ics", "text/calendar", b"BEGIN:VCALENDAR")])
    _db.session.commit()
    return keys


def _rows() -> dict[str, OutboundEmail]:
    _db.session.expire_all()
    return {r.key: r for r in _db.session.scalars(sa.select(OutboundEmail))}


def test_delivers_each_message_once_with_its_key_message_id(smtp):
    keys = _enqueue(3)
    assert delivery.deliver() == {"sent": 3}
    assert delivery.deliver() == {}
    got = smtp.take()
    assert sorted(m.message_id for m in got) == sorted(outbox.message_id_for(k) for k in keys)
    m = next(m for m in got if m.to == "nguoi0@demo.heza.vn")
    assert m.message["Subject"] == "Thử gửi" and "Người nhận 0" in str(m.message["To"])
    assert m.message["Auto-Submitted"] == "auto-generated"
    assert m.html().startswith("<!doctype html>") and "Kính gửi" in m.text()
    assert [a.get_filename() for a in m.attachments()] == ["hoi-nghi.ics"]
    rows = _rows()
    assert {r.status for r in rows.values()} == {EmailStatus.SENT}
    assert all(r.attempts == 1 and r.sent_dt is not None for r in rows.values())


def test_smtp_down_then_up_is_retried_later_then_delivered_once(db, mail_to):
    keys = _enqueue(2)
    port = free_port()  # nothing listens there yet
    mail_to(port)
    t0 = now_utc()
    assert delivery.deliver(t0) == {"retried": 2}
    rows = _rows()
    assert {r.status for r in rows.values()} == {EmailStatus.PENDING}
    assert all(r.attempts == 1 and "connection" in r.last_error for r in rows.values())
    assert all(r.next_attempt_dt >= t0 + timedelta(minutes=1) for r in rows.values())
    assert delivery.deliver(t0 + timedelta(seconds=30)) == {}  # backoff: not yet

    server = Smtp(Handler(), port)
    server.start()
    try:
        assert delivery.deliver(t0 + timedelta(minutes=2)) == {"sent": 2}
        assert delivery.deliver(t0 + timedelta(hours=1)) == {}
        assert sorted(m.message_id for m in server.take()) == sorted(outbox.message_id_for(k) for k in keys)
    finally:
        server.stop()
    assert {r.status for r in _rows().values()} == {EmailStatus.SENT}


def test_421_closes_the_batch_and_is_retried_then_sent(smtp):
    _enqueue(3)
    smtp.handler.data_replies = ["421 4.3.0 Service not available, closing channel"]
    t0 = now_utc()
    assert delivery.deliver(t0) == {"retried": 1, "released": 2}
    first = min(_rows().values(), key=lambda r: r.id)
    assert first.status == EmailStatus.PENDING and first.last_error.startswith("421")
    assert delivery.deliver(t0) == {"sent": 2}  # the two never tried go at the next run
    assert delivery.deliver(t0 + timedelta(minutes=2)) == {"sent": 1}  # the refused one after its backoff
    got = smtp.take()
    assert len(got) == 3 and len({m.message_id for m in got}) == 3
    assert {r.status for r in _rows().values()} == {EmailStatus.SENT}
    assert first.id == min(_rows().values(), key=lambda r: r.id).id and _rows()[first.key].attempts == 2


def test_451_is_retried_while_the_rest_of_the_batch_goes_on(smtp):
    _enqueue(3)
    smtp.handler.data_replies = ["250", "451 4.3.0 Temporary local problem"]
    assert delivery.deliver() == {"sent": 2, "retried": 1}
    assert len(smtp.take()) == 2


def test_550_is_recorded_as_failed_and_not_retried(smtp):
    _enqueue(3)
    smtp.handler.refused = {"nguoi1@demo.heza.vn": "550 5.1.1 Mailbox unavailable"}
    assert delivery.deliver() == {"sent": 2, "failed": 1}
    assert delivery.deliver(now_utc() + timedelta(days=2)) == {}
    failed = [r for r in _rows().values() if r.status == EmailStatus.FAILED]
    assert [r.to_addr for r in failed] == ["nguoi1@demo.heza.vn"]
    assert "550" in failed[0].last_error and "Mailbox unavailable" in failed[0].last_error
    assert sorted(m.to for m in smtp.take()) == ["nguoi0@demo.heza.vn", "nguoi2@demo.heza.vn"]


def test_a_stuck_server_times_out_instead_of_hanging(db, mail_to, app):
    _enqueue(1)
    with socket.socket() as listener:  # accepts the TCP connection, never says hello
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        mail_to(listener.getsockname()[1])
        app.config["MAIL_TIMEOUT"] = 1
        assert delivery.deliver() == {"retried": 1}
    [row] = _rows().values()
    assert row.status == EmailStatus.PENDING and "timed out" in row.last_error


def test_backoff_grows_to_six_hours_and_gives_up_after_max_attempts(db, mail_to):
    assert [delivery.retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2),
                                                           timedelta(minutes=4)]
    assert delivery.retry_delay(30) == timedelta(hours=6)
    _enqueue(1)
    mail_to(free_port())
    now = now_utc()
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.deliver(now)
        now += timedelta(hours=7)
    [row] = _rows().values()
    assert row.status == EmailStatus.FAILED and row.attempts == delivery.MAX_ATTEMPTS
    assert row.last_error.startswith(f"gave up after {delivery.MAX_ATTEMPTS} attempts")


def test_a_row_is_claimed_by_one_deliverer(db):
    _enqueue(4)
    now = now_utc()
    first = delivery.claim(now, 3)
    second = delivery.claim(now, 3)
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
    assert delivery.claim(now, 3) == []  # all leased
    assert len(delivery.claim(now + timedelta(hours=2), 10)) == 4  # leases over: a dead deliverer's rows


KILLER = textwrap.dedent("""
    import os, signal, sys
    from heza import create_app
    from heza.outbox import delivery

    url, port, kill_after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret", "SERVER_NAME": "heza.test",
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_SUPPRESS_SEND": False})
    original = delivery.TimedConnection.send
    sent = 0

    def send(self, message, envelope_from=None):
        global sent
        original(self, message, envelope_from)
        sent += 1
        if sent == kill_after:  # accepted by the server, not yet marked sent: the worst moment
            os.kill(os.getpid(), signal.SIGKILL)

    delivery.TimedConnection.send = send
    with app.app_context():
        delivery.deliver()
""")


def test_a_deliverer_killed_mid_batch_resends_only_the_message_in_flight(smtp, app):
    keys = _enqueue(6)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    _db.session.remove()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HEZA_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", KILLER, url, str(smtp.port), "3"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    first_run = smtp.take()
    assert len(first_run) == 3
    rows = _rows()
    assert sum(r.status == EmailStatus.SENT for r in rows.values()) == 2
    assert sum(r.status == EmailStatus.SENDING for r in rows.values()) == 4  # the one in flight + 3 untried

    assert delivery.deliver() == {}  # a live deliverer leaves leased rows alone
    assert delivery.deliver(now_utc() + timedelta(hours=2)) == {"sent": 4}  # lease over: taken back
    second_run = smtp.take()
    ids = [m.message_id for m in first_run + second_run]
    assert sorted(set(ids)) == sorted(outbox.message_id_for(k) for k in keys)  # nothing lost
    resent = [i for i in set(ids) if ids.count(i) > 1]
    assert len(resent) == 1 and resent[0] in {m.message_id for m in first_run}  # the in-flight one, same ID
    assert {r.status for r in _rows().values()} == {EmailStatus.SENT}


LONG_SUBJECT = ("Thông báo tổ chức Hội nghị đối thoại doanh nghiệp năm 2026 của Ban Quản lý Khu kinh tế "
                "Hải Phòng – Khu công nghiệp Bắc Bộ, lĩnh vực lao động,việc làm")
LONG_NAME = "Công ty TNHH Thương mại và Dịch vụ Xuất nhập khẩu Trường Sơn Hải Phòng Bắc Bộ"


def _decoded(raw: str) -> str:
    """A header as a mail client shows it: RFC 2047 words joined without the folding whitespace."""
    from email.header import decode_header, make_header

    return str(make_header(decode_header(raw)))


def test_long_vietnamese_subjects_and_names_arrive_intact(smtp):
    world = heza_world()
    context = {"conference": world.conference, "organizer": world.organizer, "unit": world.lead,
               "tasks": [], "agenda": [], "task_due": world.conference.held_on}
    outbox.enqueue("long:1", (LONG_NAME, "truongson@demo.heza.vn"), LONG_SUBJECT, "unit_reminder", context,
                   language="vi", kind="test")
    _db.session.commit()
    assert delivery.deliver() == {"sent": 1}
    (got,) = smtp.take()
    raw = got.message.as_string()
    headers = {k: v for k, v in (line.split(":", 1) for line in raw.split("\n\n", 1)[0].replace("\n ", " ")
                                 .replace("\n\t", " ").splitlines() if ":" in line)}
    assert _decoded(headers["Subject"].strip()) == LONG_SUBJECT
    assert _decoded(headers["To"].strip()).startswith(LONG_NAME)


def test_a_connection_cut_mid_message_is_retried_and_each_message_arrives_once(db, mail_to):
    from dataclasses import dataclass

    @dataclass
    class CutOnce(Handler):
        """Hangs up after receiving the first message's DATA, before answering it."""

        cuts: int = 1

        async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
            if self.cuts:
                self.cuts -= 1
                server.transport.close()
                return "421 4.4.2 Connection dropped"  # never reaches the client
            return await super().handle_DATA(server, session, envelope)

    keys = _enqueue(3)
    server = Smtp(CutOnce(), free_port())
    server.start()
    try:
        mail_to(server.port)
        t0 = now_utc()
        first = delivery.deliver(t0)
        assert first.get("sent", 0) < 3 and first.get("retried", 0) >= 1, first
        for minutes in (0, 2, 10, 30):
            delivery.deliver(t0 + timedelta(minutes=minutes))
        got = server.take()
    finally:
        server.stop()
    assert sorted(m.message_id for m in got) == sorted(outbox.message_id_for(k) for k in keys)
    assert {r.status for r in _rows().values()} == {EmailStatus.SENT}
