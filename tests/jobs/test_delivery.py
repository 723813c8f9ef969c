"""Delivery against a real SMTP server: down then up, 421, 451, 550, a stuck server, a killed deliverer."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from heza.base import now_utc
from heza.conferences.models import Conference
from heza.directory.models import Organizer
from heza.extensions import db as _db
from heza.outbox import delivery, outbox
from heza.outbox.models import EmailStatus, OutboundEmail
from tests import factories as f
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


# In the organizer's name -------------------------------------------------------------------------


def _enqueue_for(organizer_id: int | None, key: str, to: str) -> None:
    """An email of ``organizer_id`` (None: of no organizer), rendered from the HEZA world's reminder."""
    conference = _db.session.scalars(sa.select(Conference).order_by(Conference.id)).first() or heza_world().conference
    lead = conference.organizer.lead_unit
    context = {"conference": conference, "organizer": _db.session.get(Organizer, organizer_id) if organizer_id
               else None, "unit": lead, "tasks": [], "agenda": [], "task_due": conference.held_on}
    outbox.enqueue(key, ("Người nhận", to), "Thử gửi", "unit_reminder", context, language="vi", kind="test",
                   organizer_id=organizer_id)


ENCODED_ADDRESS = re.compile(r"^(?:\s*=\?utf-8\?[bq]\?[^?\s]+\?=)+\s*<([^<>\s]+)>$")


def decoded_address(message: Any, header: str) -> tuple[str, str] | None:
    """``(display name, address)`` of a From / Reply-To as a mail client reads it (RFC 2047), or None.

    The raw header must be only encoded words and one ``<address>``: nothing of a typed name may
    reach it unencoded. (Python's own address parser is not used: it keeps the folding space
    between two encoded words of a display name, "Phù Li ễn", which RFC 2047 says to drop.)
    """
    raws = [value for name, value in message.raw_items() if name.lower() == header.lower()]
    if not raws:
        return None
    assert len(raws) == 1, raws
    raw = raws[0].replace("\r\n", "").replace("\n", "").strip()
    match = ENCODED_ADDRESS.match(raw)
    assert match, f"{header} is not encoded words and one address: {raw!r}"
    return _decoded(raw[:raw.rindex("<")].strip()), match.group(1)


def _count_organizer_reads() -> Any:
    """Counts the SELECTs reading the organizers table while the context is open."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        seen: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
            if statement.lstrip().upper().startswith("SELECT") and "FROM organizers" in statement:
                seen.append(statement)

        engine = _db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting()


def test_each_email_is_from_its_organizer_with_replies_to_it_in_one_read_per_batch(smtp):
    world = heza_world()
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn", email="ubnd.phulien@demo.heza.vn")
    silent = f.ward(name="Phường Không Thư", short_name="PKT", email="")
    _db.session.commit()
    _enqueue_for(world.organizer.id, "o:heza", "a@demo.heza.vn")
    _enqueue_for(ward.id, "o:ward", "b@demo.heza.vn")
    _enqueue_for(ward.id, "o:ward2", "c@demo.heza.vn")
    _enqueue_for(silent.id, "o:silent", "d@demo.heza.vn")
    _enqueue_for(None, "o:none", "e@demo.heza.vn")
    _db.session.commit()
    _db.session.expire_all()
    with _count_organizer_reads() as reads:
        assert delivery.deliver() == {"sent": 5}
    assert len(reads) == 1, reads
    got = {m.to: m for m in smtp.take()}

    def sender(m):  # noqa: ANN001, ANN202
        return decoded_address(m.message, "From")

    def reply(m):  # noqa: ANN001, ANN202
        return decoded_address(m.message, "Reply-To")

    assert sender(got["a@demo.heza.vn"]) == ("Ban Quản lý Khu kinh tế Hải Phòng", "no-reply@heza.gov.vn")
    assert reply(got["a@demo.heza.vn"]) == ("Ban Quản lý Khu kinh tế Hải Phòng", "heza@demo.heza.vn")
    assert sender(got["b@demo.heza.vn"]) == ("Phường Phù Liễn", "no-reply@heza.gov.vn")
    assert reply(got["c@demo.heza.vn"]) == ("Phường Phù Liễn", "ubnd.phulien@demo.heza.vn")
    assert sender(got["d@demo.heza.vn"]) == ("Phường Không Thư", "no-reply@heza.gov.vn")
    assert reply(got["d@demo.heza.vn"]) is None
    # No organizer: the configured sender as it is.
    assert got["e@demo.heza.vn"].message["From"].addresses[0].display_name == "Đối thoại doanh nghiệp Hải Phòng"
    assert got["e@demo.heza.vn"].message["From"].addresses[0].addr_spec == "no-reply@heza.gov.vn"
    assert reply(got["e@demo.heza.vn"]) is None
    assert {m.mail_from for m in got.values()} == {"no-reply@heza.gov.vn"}  # the relay's address, always


def test_a_long_vietnamese_organizer_name_arrives_intact_in_from(smtp):
    name = "Ủy ban nhân dân phường Phù Liễn, thành phố Hải Phòng – Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"
    org = f.ward(name=name, short_name="Dài", email="vp@demo.heza.vn")
    _db.session.commit()
    _enqueue_for(org.id, "o:long", "a@demo.heza.vn")
    _db.session.commit()
    assert delivery.deliver() == {"sent": 1}
    (got,) = smtp.take()
    assert decoded_address(got.message, "From") == (name, "no-reply@heza.gov.vn")


def test_a_hostile_organizer_name_cannot_add_headers_or_recipients(smtp):
    # (No NUL: the request guard refuses it before any database sees it, and PostgreSQL cannot store it.)
    name = 'Evil <boss@evil.example>, "x"\r\nBcc: victim@evil.example\r\nX-Injected: 1\x0b\t'
    org = f.ward(name=name, short_name="Evil", email="evil@demo.heza.vn")
    _db.session.commit()
    _enqueue_for(org.id, "o:evil", "a@demo.heza.vn")
    _db.session.commit()
    assert delivery.deliver() == {"sent": 1}
    (got,) = smtp.take()
    assert got.rcpt_tos == ["a@demo.heza.vn"] and got.mail_from == "no-reply@heza.gov.vn"
    assert got.message["Bcc"] is None and got.message["X-Injected"] is None
    one_line = 'Evil <boss@evil.example>, "x" Bcc: victim@evil.example X-Injected: 1'
    assert decoded_address(got.message, "From") == (one_line, "no-reply@heza.gov.vn")
    assert decoded_address(got.message, "Reply-To") == (one_line, "evil@demo.heza.vn")


def test_header_helpers():
    assert delivery.one_line(" A\r\nB\tC\x00 D ") == "A B C D"
    assert delivery.one_line("x" * 500) == "x" * 200
    assert delivery.format_address("", "a@b.vn") == "a@b.vn"
    assert "\n" not in delivery.format_address("Phường\r\nBcc: x@y.z", "a@b.vn").replace("\n ", "")
    for bad in ("a@b.vn\r\nBcc: x@y.z", "a@b.vn, c@d.vn", "Name <a@b.vn>", "a b@c.vn", "", "no-at-sign"):
        assert delivery._safe_address(bad) == "", bad
    assert delivery._safe_address(" ubnd.phulien@demo.heza.vn ") == "ubnd.phulien@demo.heza.vn"
