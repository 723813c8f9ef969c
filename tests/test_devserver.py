"""The local runner: the mail sink keeps messages, the viewer shows them escaped, ``heza dev`` starts and stops."""

from __future__ import annotations

import os
import re
import signal
import smtplib
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from datetime import date
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from heza.demo import LoadResult, Login, read_login_file, write_login_file
from heza.devserver import (
    MailSinkHandler,
    NotADevApp,
    banner,
    describe,
    free_port,
    list_messages,
    mail_viewer,
    mailsink_command,
    mark_dev_app,
    read_message,
    start_mail_sink,
)

SUBJECT = "Thư mời Hội nghị đối thoại doanh nghiệp – phường Phù Liễn năm 2026"
HOSTILE_HTML = ('<html><head><title>t</title></head><body><p>Kính gửi "Quý doanh nghiệp" &amp; đối tác</p>'
                "<script>alert('xss')</script><img src=x onerror=alert(1)></body></html>")


def _message(to: str = "Công ty TNHH Thử <dn@dn.demo.heza.vn>") -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = SUBJECT
    msg["From"] = "Ban Quản lý Khu kinh tế Hải Phòng <no-reply@heza.gov.vn>"
    msg["To"] = to
    msg.set_content("Kính gửi Quý doanh nghiệp,\nBan Quản lý trân trọng kính mời.")
    msg.add_alternative(HOSTILE_HTML, subtype="html")
    msg.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text", subtype="calendar",
                       filename="hoi-nghi.ics")
    return msg


def test_mail_sink_keeps_each_message_as_a_decodable_eml_file(tmp_path):
    lines: list[str] = []
    port = free_port()
    controller = start_mail_sink(tmp_path, port, echo=lines.append)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(_message(), to_addrs=["dn@dn.demo.heza.vn", "bcc@demo.heza.vn"])
    finally:
        controller.stop()

    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    msg = read_message(files[0])
    assert str(msg["Subject"]) == SUBJECT
    assert msg.get_body(preferencelist=("plain",)).get_content().startswith("Kính gửi Quý doanh nghiệp")
    assert "bcc@demo.heza.vn" in str(msg["X-Envelope-To"])  # Bcc shows in the envelope only
    assert [a.get_filename() for a in msg.iter_attachments()] == ["hoi-nghi.ics"]
    assert len(lines) == 1 and SUBJECT in lines[0] and "dn@dn.demo.heza.vn" in lines[0]
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.fixture()
def viewer(tmp_path):
    """A bare app with only the viewer, over a sink folder holding one message."""
    handler = MailSinkHandler(tmp_path, echo=None)
    path = handler.store("no-reply@heza.gov.vn", ["dn@dn.demo.heza.vn"], _message().as_bytes())
    app = mark_dev_app(Flask(__name__))
    app.register_blueprint(mail_viewer(tmp_path))
    return app.test_client(), path.name


def test_viewer_lists_messages(viewer):
    client, name = viewer
    page = client.get("/dev/mail/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert SUBJECT in body and f"/dev/mail/{name}" in body
    assert "Công ty TNHH Thử &lt;dn@dn.demo.heza.vn&gt;" in body


def test_viewer_shows_html_only_escaped_inside_a_sandboxed_frame(viewer):
    client, name = viewer
    page = client.get(f"/dev/mail/{name}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<script" not in body and "<img src=x" not in body  # the message's markup never is the page's
    frame = re.search(r'<iframe[^>]*sandbox="([^"]*)"[^>]*srcdoc="([^"]*)"', body)
    assert frame, body
    assert "allow-scripts" not in frame.group(1) and "allow-same-origin" not in frame.group(1)
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in frame.group(2)
    assert "&#34;Quý doanh nghiệp&#34; &amp;amp; đối tác" in frame.group(2)
    assert "Ban Quản lý trân trọng kính mời." in body  # the text part, escaped in <pre>
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    attachment = client.get(f"/dev/mail/{name}/attachments/0")
    assert attachment.headers["Content-Type"] == "application/octet-stream"
    assert attachment.headers["Content-Disposition"] == 'attachment; filename="hoi-nghi.ics"'
    raw = client.get(f"/dev/mail/{name}/raw")
    assert raw.mimetype == "text/plain" and b"X-Envelope-To: dn@dn.demo.heza.vn" in raw.data


def test_viewer_shows_long_vietnamese_names_as_a_mail_client_would(tmp_path):
    name = "Công ty TNHH Dược phẩm Thiên Hà Bắc Bộ"  # long enough to be folded into two encoded words
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = "Nhắc đăng ký tham dự"
    msg["From"] = "no-reply@heza.gov.vn"
    msg["To"] = Address(name, addr_spec="thienhaduoc@dn.demo.heza.vn")
    msg.set_content("x")
    handler = MailSinkHandler(tmp_path, echo=None)
    path = handler.store("no-reply@heza.gov.vn", ["thienhaduoc@dn.demo.heza.vn"], msg.as_bytes())
    assert b"=?utf-8?" in path.read_bytes()  # the name really is encoded in the stored message
    rows = list_messages(tmp_path)
    assert [r.to for r in rows] == [f"{name} <thienhaduoc@dn.demo.heza.vn>"]
    assert describe(path).endswith("thienhaduoc@dn.demo.heza.vn: Nhắc đăng ký tham dự")


@pytest.mark.parametrize("bad", ["..%2F..%2Fetc%2Fpasswd", ".hidden.eml", "nope.eml", "x.txt"])
def test_viewer_refuses_anything_but_a_stored_message(viewer, bad):
    client, _name = viewer
    assert client.get(f"/dev/mail/{bad}").status_code == 404


def test_the_normal_app_has_no_mail_viewer(app):
    assert "dev_mail" not in app.blueprints
    assert not [r for r in app.url_map.iter_rules() if r.rule.startswith("/dev/")]


def test_the_mail_viewer_refuses_any_app_heza_dev_did_not_build(tmp_path, monkeypatch):
    """Not the WSGI app (whatever HEZA_* says), not a bare Flask app: only the one ``heza dev`` marks."""
    import importlib

    from heza import create_app

    monkeypatch.setenv("HEZA_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("HEZA_SECRET_KEY", "k")
    for name in ("DEV", "DEV_SERVER", "DEBUG", "DEV_MAIL"):
        monkeypatch.setenv(f"HEZA_{name}", "true")
    import wsgi

    production = importlib.reload(wsgi).app
    assert not [r for r in production.url_map.iter_rules() if r.rule.startswith("/dev/")]
    for app in (production, create_app({"DEBUG": True, "TESTING": True}), Flask(__name__)):
        with pytest.raises(NotADevApp):
            app.register_blueprint(mail_viewer(tmp_path))
        assert not [r for r in app.url_map.iter_rules() if r.rule.startswith("/dev/")]


def test_banner_names_the_urls_and_the_demo_logins_per_organizer(tmp_path):
    logins = [Login("Phường Phù Liễn", "Cán bộ nghiệp vụ", "canbo@phulien.demo.heza.vn", "pl-officer-pass"),
              Login("Toàn thành phố", "Quản trị hệ thống", "admin@demo.heza.vn", "s3cret-pass"),
              Login("Phường Phù Liễn", "Chỉ xem", "xem@phulien.demo.heza.vn", "pl-viewer-pass"),
              Login("Ban Quản lý Khu kinh tế Hải Phòng", "Cán bộ đơn vị (DN&GSĐT)", "donvi@demo.heza.vn", "h-unit"),
              Login("Toàn thành phố", "Giám sát – Sở Tài chính", "giamsat@thanhpho.demo.heza.vn", "sup-pass")]
    result = LoadResult(date(2026, 11, 24), logins=logins,
                        links=[("Hộ kinh doanh Thử", "http://127.0.0.1:5000/doanh-nghiep/tok")])
    write_login_file(tmp_path, result)
    text = banner("http://127.0.0.1:5080", 8025, tmp_path / "mailsink", "heza scheduler", read_login_file(tmp_path))
    for expected in ("http://127.0.0.1:5080/", "http://127.0.0.1:5080/admin/", "http://127.0.0.1:5080/dev/mail/",
                     "admin@demo.heza.vn / s3cret-pass", "Hộ kinh doanh Thử: http://127.0.0.1:5080/doanh-nghiep/tok",
                     "Ctrl-C"):
        assert expected in text
    # each organizer once, its accounts under it; the city-wide accounts last
    lines = text.splitlines()
    start = lines.index("  Phường Phù Liễn:")
    assert lines[start + 1:start + 3] == ["    Cán bộ nghiệp vụ → canbo@phulien.demo.heza.vn / pl-officer-pass",
                                          "    Chỉ xem → xem@phulien.demo.heza.vn / pl-viewer-pass"]
    assert lines[start + 3] == "  Ban Quản lý Khu kinh tế Hải Phòng:"
    city = lines.index("  Toàn thành phố:")
    assert city > start + 3 and lines[city + 1:city + 3] == [
        "    Quản trị hệ thống → admin@demo.heza.vn / s3cret-pass",
        "    Giám sát – Sở Tài chính → giamsat@thanhpho.demo.heza.vn / sup-pass"]
    assert sum(line.strip() == "Phường Phù Liễn:" for line in lines) == 1
    assert "heza demo" in banner("http://h:1", 1, tmp_path, "x", read_login_file(tmp_path / "none"))


def test_the_login_file_is_the_owners_and_reads_back_as_it_was_written(tmp_path):
    from heza.demo_data.logins import parse_logins

    logins = [Login("Sở Công Thương thành phố Hải Phòng", "Cán bộ đơn vị (KH-TC-TH)", "donvi@sct.demo.heza.vn",
                    "a-b_c")]
    path = write_login_file(tmp_path, LoadResult(date(2026, 11, 24), logins=logins))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse_logins(read_login_file(tmp_path)) == (logins, [])
    # a file an older demo wrote (no organizer) still shows, line by line
    path.write_text("# old\nQuản trị hệ thống: admin@demo.heza.vn / pw\n", encoding="utf-8")
    text = banner("http://h:1", 1, tmp_path, "x", read_login_file(tmp_path))
    assert "  Quản trị hệ thống: admin@demo.heza.vn / pw" in text


def test_the_dev_runner_does_not_import_the_command_line_that_registers_it():
    code = ("import sys, heza.devserver as d; assert d.scheduler_available(); "
            "print(sorted(m for m in sys.modules if m == 'heza.cli' or m.startswith('heza.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_mailsink_command_refuses_a_busy_port(runner):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = runner.invoke(mailsink_command, ["--port", str(busy.getsockname()[1])])
    assert result.exit_code != 0 and "đang được dùng" in result.output


def _heza(*args: str) -> list[str]:
    return [sys.executable, "-c", "from heza.cli import main; main()", *args]


def _wait_for(url: str, proc: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"heza dev exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"heza dev did not answer at {url}:\n{log.read_text()}")


# ``heza dev`` in a subprocess, with the scheduler replaced by a stand-in that reports its environment and
# sleeps (the real ``heza scheduler`` would work on the database), or reported missing.
_RUN_DEV = """
import subprocess, sys
import heza.devserver.commands as d
mode = sys.argv.pop(1)
d.scheduler_available = lambda: mode == "fake"
def fake(env):
    code = ("import os, time; print('FAKE-SCHEDULER', os.environ['HEZA_MAIL_SERVER'], os.environ['HEZA_MAIL_PORT'], "
            "os.environ['HEZA_SERVER_NAME'], flush=True); time.sleep(600)")
    return subprocess.Popen([sys.executable, '-c', code], env=env)
d.start_scheduler = fake
d.dev_command()
"""


@pytest.mark.parametrize("scheduler", ["fake", "missing"])
def test_heza_dev_serves_the_viewer_and_stops_everything_on_ctrl_c(tmp_path, scheduler):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEZA_")}
    env.update(HEZA_DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite'}", HEZA_SECRET_KEY="dev-test")
    subprocess.run(_heza("init"), env=env, check=True, capture_output=True, timeout=120)
    web, sink = free_port(), free_port()
    log = tmp_path / "dev.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", _RUN_DEV, scheduler, "--port", str(web), "--mail-port", str(sink),
             "--mail-dir", str(tmp_path / "mail")],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"http://127.0.0.1:{web}/dev/mail/", proc, log)
            with smtplib.SMTP("127.0.0.1", sink, timeout=10) as smtp:
                smtp.send_message(_message())
            listing = _wait_for(f"http://127.0.0.1:{web}/dev/mail/", proc, log)
            assert SUBJECT in listing
        finally:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=60)
    output = log.read_text()
    assert code == 0, output
    for expected in (f"http://127.0.0.1:{web}/admin/", f"http://127.0.0.1:{web}/dev/mail/", "Đã dừng heza dev."):
        assert expected in output
    if scheduler == "fake":
        child = re.search(r"heza scheduler \(tiến trình (\d+)\)", output)
        assert child, output
        assert f"FAKE-SCHEDULER 127.0.0.1 {sink} 127.0.0.1:{web}" in output
        with pytest.raises(ProcessLookupError):  # terminated and reaped with its parent
            os.kill(int(child.group(1)), 0)
    else:
        assert "chưa có lệnh `heza scheduler`" in output


def test_banner_says_when_today_is_a_day_off_and_how_to_look_ahead(app):
    import time_machine

    from heza.devserver import banner

    with app.app_context(), time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        text = banner("http://127.0.0.1:5000", 8025, Path("/tmp"), "heza scheduler", None)
    assert "24/11/2026 là ngày nghỉ (Ngày Văn hóa Việt Nam)" in text
    assert "heza jobs run all --today 2026-11-25" in text
    with app.app_context(), time_machine.travel("2026-11-25 09:00 +0700", tick=False):
        assert "ngày nghỉ" not in banner("http://127.0.0.1:5000", 8025, Path("/tmp"), "heza scheduler", None)
