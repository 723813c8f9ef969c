"""The local development runner: ``heza dev`` (what ``make run`` starts) and ``heza mailsink``.

``heza dev`` runs three things on one machine, none of which a production deployment uses:

- a mail sink, an aiosmtpd SMTP server on 127.0.0.1 that keeps every message as an ``.eml``
  file instead of delivering it (in a background thread of this process);
- the scheduler, as its own subprocess ``heza scheduler`` (DESIGN: one scheduler process,
  never inside web workers), told through its environment to deliver to the sink;
- the web app under werkzeug's ``run_simple`` (threaded, no reloader), with a mail viewer at
  ``/dev/mail/`` registered here only, never by :func:`heza.create_app`.

Ctrl-C (or SIGTERM) stops the web server, terminates the scheduler and closes the sink.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import click
import jinja2
from flask import Blueprint, Response, abort, current_app, url_for
from flask.cli import with_appcontext

from heza.base import LOCAL_ZONE, to_local

LOOPBACK = "127.0.0.1"
DEFAULT_SINK_PORT = 8025
SINK_DIRNAME = "mailsink"
MESSAGE_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*\.eml$")
LIST_LIMIT = 500
SCHEDULER_STOP_SECONDS = 10


# --------------------------------------------------------------------------- the mail sink


class MailSinkHandler:
    """aiosmtpd handler: each message becomes ``<directory>/<timestamp>-<n>.eml``, announced in one line."""

    def __init__(self, directory: Path, echo: Callable[[str], None] | None = click.echo) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        self._lock = threading.Lock()
        self._count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        path = self.store(envelope.mail_from or "", list(envelope.rcpt_tos), raw)
        if self.echo is not None:
            self.echo(describe(path))
        return "250 Message accepted for delivery"

    def store(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> Path:
        """Write one message with its envelope prepended; written to a temporary name, then renamed."""
        with self._lock:
            self._count += 1
            stamp = datetime.now(LOCAL_ZONE).strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{self._count:04d}.eml"
        # The envelope shows Bcc recipients, which no header names.
        envelope = f"X-Envelope-From: {mail_from}\r\nX-Envelope-To: {', '.join(rcpt_tos)}\r\n".encode()
        path = self.directory / name
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(envelope + raw)
        tmp.replace(path)
        return path


def read_message(path: Path) -> EmailMessage:
    """A stored message, parsed with the modern policy (``get_body``, ``iter_attachments``, decoded parts)."""
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)  # type: ignore[return-value]


def read_headers(path: Path) -> Message:
    """A stored message's headers as sent (still encoded); show them through :func:`header_text`."""
    with path.open("rb") as fh:
        return BytesParser(policy=policy.compat32).parse(fh, headersonly=True)


def header_text(raw: Any) -> str:
    """A header decoded as RFC 2047 says, so what shows is what a mail client would show.

    The modern parser (``policy.default``) adds a space between some adjacent encoded words
    ("Bắc  Bộ"), which would send a reader hunting a bug the message does not have; a message
    that is really broken (a space inside a word) shows broken.
    """
    if raw is None:
        return ""
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", str(raw))
    try:
        return str(make_header(decode_header(unfolded)))
    except (HeaderParseError, LookupError, UnicodeDecodeError):
        return unfolded


def describe(path: Path) -> str:
    """The sink's one line per message: time, sender, recipients, decoded subject."""
    msg = read_headers(path)
    sender = header_text(msg.get("From") or msg.get("X-Envelope-From"))
    to = header_text(msg.get("X-Envelope-To") or msg.get("To"))
    return f"[thư] {datetime.now(LOCAL_ZONE):%H:%M:%S} {sender} → {to}: {header_text(msg.get('Subject'))}"


def start_mail_sink(directory: Path, port: int = DEFAULT_SINK_PORT, host: str = LOOPBACK,
                    echo: Callable[[str], None] | None = click.echo) -> Any:
    """Start an aiosmtpd server in a background thread; returns its (started) Controller."""
    from aiosmtpd.controller import Controller

    controller = Controller(MailSinkHandler(directory, echo), hostname=host, port=port, enable_SMTPUTF8=True)
    controller.start()
    return controller


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOOPBACK) -> int:
    """A port the system considers free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- the mail viewer


@dataclass(frozen=True)
class StoredMessage:
    """One row of the viewer's list."""

    name: str
    when: str
    sender: str
    to: str
    subject: str


def list_messages(directory: Path, limit: int = LIST_LIMIT) -> list[StoredMessage]:
    """The newest messages first (file names start with their timestamp)."""
    if not directory.is_dir():
        return []
    rows = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:limit]:
        msg = read_headers(path)
        rows.append(StoredMessage(path.name, _when(msg, path), header_text(msg.get("From")),
                                  header_text(msg.get("To") or msg.get("X-Envelope-To")),
                                  header_text(msg.get("Subject"))))
    return rows


def _when(msg: Message, path: Path) -> str:
    try:
        sent = parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError, IndexError):
        sent = datetime.fromtimestamp(path.stat().st_mtime, LOCAL_ZONE)
    return f"{to_local(sent):%d/%m/%Y %H:%M:%S}"


def _message_path(directory: Path, name: str) -> Path:
    """The file behind ``name``, refusing anything that is not a plain message name inside the sink."""
    if not MESSAGE_NAME.match(name):
        abort(404)
    path = (directory / name).resolve()
    if path.parent != directory.resolve() or not path.is_file():
        abort(404)
    return path


def _sandboxed_document(html: str) -> str:
    """The message HTML for an iframe's srcdoc, with links opening in a new tab (outside the sandbox)."""
    base = '<base target="_blank">'
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if head:
        return html[: head.end()] + base + html[head.end():]
    return base + html


# The pages are escaped by Jinja (autoescape on); the message's HTML is only ever an attribute value
# (srcdoc) of a sandboxed iframe without scripts, never markup of the page. A Jinja environment of its own
# keeps the viewer independent of the app's templates and context processors (current_user, ...).
_JINJA = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ title }} – heza dev</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.muted{color:#666} pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:70vh;border:1px solid #ccc}
</style></head><body>
<p class="muted"><a href="{{ url_for('dev_mail.index') }}">Hộp thư thử nghiệm</a> · chỉ có khi chạy
<code>heza dev</code>: thư ứng dụng gửi đi được giữ lại, không tới người nhận thật.</p>
{% block body %}{% endblock %}
</body></html>"""

_LIST = _PAGE.replace("{% block body %}{% endblock %}", """
<h1>{{ title }}</h1>
<p class="muted">{{ messages|length }} thư trong {{ directory }} ·
<a href="{{ url_for('dev_mail.index') }}">Làm mới</a></p>
{% if messages %}
<table><thead><tr><th>Thời gian</th><th>Người gửi</th><th>Người nhận</th><th>Tiêu đề</th></tr></thead><tbody>
{% for m in messages %}<tr><td>{{ m.when }}</td><td>{{ m.sender }}</td><td>{{ m.to }}</td>
<td><a href="{{ url_for('dev_mail.show', name=m.name) }}">{{ m.subject or '(không có tiêu đề)' }}</a></td></tr>
{% endfor %}</tbody></table>
{% else %}<p>Chưa có thư nào.</p>{% endif %}""")

_SHOW = _PAGE.replace("{% block body %}{% endblock %}", """
<h1>{{ subject or '(không có tiêu đề)' }}</h1>
<table>{% for label, value in headers %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
{% if attachments %}<h2>Tệp đính kèm</h2><ul>{% for a in attachments %}
<li><a href="{{ url_for('dev_mail.attachment', name=name, index=loop.index0) }}">{{ a.filename }}</a>
({{ a.content_type }}, {{ a.size }} byte)</li>{% endfor %}</ul>{% endif %}
{% if html %}<h2>Nội dung HTML</h2>
<iframe title="Nội dung HTML của thư" sandbox="allow-popups allow-popups-to-escape-sandbox"
 referrerpolicy="no-referrer" srcdoc="{{ html }}"></iframe>{% endif %}
{% if text is not none %}<h2>Nội dung văn bản</h2><pre>{{ text }}</pre>{% endif %}
<p><a href="{{ url_for('dev_mail.raw', name=name) }}">Xem thư gốc (.eml)</a></p>""")

# No script anywhere; the srcdoc frame inherits this policy, so remote images and forms stay off too.
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
        "form-action 'none'; frame-ancestors 'self'")


@dataclass(frozen=True)
class _Attachment:
    filename: str
    content_type: str
    size: int
    data: bytes


def _attachments(msg: EmailMessage) -> list[_Attachment]:
    result = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True) or b""
        result.append(_Attachment(part.get_filename() or "tep-dinh-kem", part.get_content_type(), len(data), data))
    return result


_TEMPLATES = {"list": _JINJA.from_string(_LIST), "show": _JINJA.from_string(_SHOW)}


def _render(template: str, **context: Any) -> str:
    return _TEMPLATES[template].render(url_for=url_for, **context)


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def mail_viewer(directory: Path) -> Blueprint:
    """A blueprint listing and showing the sink's messages at ``/dev/mail/`` (registered by ``heza dev`` only)."""
    directory = Path(directory)
    bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")

    @bp.after_request
    def headers(response: Response) -> Response:
        return _secure(response)

    @bp.get("/")
    def index() -> str:
        return _render("list", title="Hộp thư thử nghiệm", messages=list_messages(directory),
                                      directory=directory)

    @bp.get("/<name>")
    def show(name: str) -> str:
        path = _message_path(directory, name)
        msg, raw_headers = read_message(path), read_headers(path)
        text_part = msg.get_body(preferencelist=("plain",))
        html_part = msg.get_body(preferencelist=("html",))
        headers = [(label, header_text(raw_headers[key])) for label, key in (
            ("Thời gian", "Date"), ("Người gửi", "From"), ("Người nhận", "To"), ("Đồng gửi", "Cc"),
            ("Trả lời tới", "Reply-To"), ("Phong bì: người nhận", "X-Envelope-To"), ("Message-ID", "Message-ID"),
        ) if raw_headers.get(key)]
        subject = header_text(raw_headers.get("Subject"))
        return _render(
            "show", title=subject, subject=subject, name=name,
            headers=headers, attachments=_attachments(msg),
            text=text_part.get_content() if text_part is not None else None,
            html=_sandboxed_document(html_part.get_content()) if html_part is not None else None,
        )

    @bp.get("/<name>/raw")
    def raw(name: str) -> Response:
        path = _message_path(directory, name)
        return Response(path.read_bytes(), mimetype="text/plain")

    @bp.get("/<name>/attachments/<int:index>")
    def attachment(name: str, index: int) -> Response:
        found = _attachments(read_message(_message_path(directory, name)))
        if index >= len(found):
            abort(404)
        item = found[index]
        # Always a download: an attached HTML file must not render on this origin.
        safe_name = re.sub(r"[^0-9A-Za-z._-]", "_", item.filename)
        return Response(item.data, mimetype="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{safe_name}"'})

    return bp


# --------------------------------------------------------------------------- the scheduler subprocess


def scheduler_available() -> bool:
    """Whether a ``scheduler`` command is registered in the ``heza`` group."""
    from heza.cli import _collect_commands, heza_group

    _collect_commands()
    return "scheduler" in heza_group.commands


def start_scheduler(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``heza scheduler`` in its own process, with this interpreter (the venv) and ``env``."""
    return subprocess.Popen([sys.executable, "-c", "from heza.cli import main; main()", "scheduler"], env=env)


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = SCHEDULER_STOP_SECONDS) -> None:
    """Terminate a child and wait for it; kill it if it does not stop in time."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _watch(proc: subprocess.Popen[bytes], stopping: threading.Event) -> None:
    code = proc.wait()
    if not stopping.is_set():
        click.echo(f"CẢNH BÁO: tiến trình lập lịch (heza scheduler) đã dừng với mã {code}; email và nhắc việc "
                   f"sẽ không được gửi cho tới khi chạy lại heza dev (the scheduler exited).", err=True)


# --------------------------------------------------------------------------- the commands


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def banner(base_url: str, sink_port: int, sink_dir: Path, scheduler: str, login: str | None) -> str:
    """What ``heza dev`` prints once everything runs."""
    lines = [
        "",
        "heza dev: môi trường chạy thử trên máy này (không dùng cho máy chủ thật).",
        f"  Ứng dụng:              {base_url}/",
        f"  Quản trị:              {base_url}/admin/",
        f"  Hộp thư thử nghiệm:    {base_url}/dev/mail/  (SMTP 127.0.0.1:{sink_port}, lưu tại {sink_dir})",
        f"  Lập lịch:              {scheduler}",
    ]
    if login:
        lines.append("Đăng nhập dữ liệu mẫu:")
        from heza.demo import DEV_URL

        lines += [f"  {line.replace(DEV_URL, base_url)}" for line in login.splitlines()
                  if line.strip() and not line.startswith("#")]
    else:
        lines.append("Chưa có tài khoản dữ liệu mẫu: chạy `heza demo` (hoặc tạo tài khoản bằng `heza create-user`).")
    lines += _day_off_note()
    lines.append("Nhấn Ctrl-C để dừng tất cả.")
    return "\n".join(lines)


def _day_off_note() -> list[str]:
    """On a day off nothing is sent (DESIGN: people are written to on working days); say so, and how to look ahead."""
    from heza import workdays
    from heza.base import local_today

    today = local_today()
    try:
        if workdays.is_working_day(today):
            return []
        info = workdays.explain_day(today)
        next_day = workdays.add_working_days(today, 1)
    except (RuntimeError, ValueError):  # no app context or outside the covered years: nothing to add
        return []
    return [
        f"Hôm nay {today:%d/%m/%Y} là ngày nghỉ ({info.reason}): hệ thống không gửi thư vào ngày nghỉ; "
        f"lần chạy 07:00 ngày {next_day:%d/%m/%Y} sẽ đăng thông báo và gửi giấy mời.",
        f"  Xem trước ngay: heza jobs run all --today {next_day:%Y-%m-%d}  (thư hiện trong hộp thư thử nghiệm).",
    ]


@click.command("mailsink")
@click.option("--port", default=DEFAULT_SINK_PORT, show_default=True, help="Cổng SMTP trên 127.0.0.1.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục lưu thư (mặc định: <instance>/mailsink).")
@with_appcontext
def mailsink_command(port: int, directory: Path | None) -> None:
    """Chạy hộp thư thử nghiệm: máy chủ SMTP cục bộ lưu mọi thư thành tệp .eml (local mail sink)."""
    directory = directory or Path(current_app.instance_path) / SINK_DIRNAME
    if not port_is_free(port):
        raise click.ClickException(f"Cổng {port} đang được dùng (port {port} is in use): chọn --port khác.")
    controller = start_mail_sink(directory, port)
    click.echo(f"Hộp thư thử nghiệm nhận thư tại 127.0.0.1:{port}, lưu vào {directory}. Nhấn Ctrl-C để dừng.")
    previous = signal.signal(signal.SIGTERM, _raise_interrupt), signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
        controller.stop()


@click.command("dev")
@click.option("--host", default=LOOPBACK, show_default=True, help="Địa chỉ web server lắng nghe.")
@click.option("--port", default=5000, show_default=True, help="Cổng web server.")
@click.option("--mail-port", default=DEFAULT_SINK_PORT, show_default=True,
              help="Cổng SMTP của hộp thư thử nghiệm (một cổng trống khác nếu cổng này bận).")
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục lưu thư (mặc định: <instance>/mailsink).")
@click.option("--no-scheduler", is_flag=True, help="Không chạy tiến trình lập lịch.")
def dev_command(host: str, port: int, mail_port: int, mail_dir: Path | None, no_scheduler: bool) -> None:
    """Chạy ứng dụng, bộ lập lịch và hộp thư thử nghiệm trên máy này (run the app, scheduler and mail sink)."""
    from werkzeug.serving import run_simple

    from heza import create_app
    from heza.demo import read_login_file

    if not port_is_free(mail_port):
        busy, mail_port = mail_port, free_port()
        click.echo(f"Cổng {busy} đang bận: hộp thư thử nghiệm dùng cổng {mail_port}.")
    # The app and the scheduler read their mail server from HEZA_* variables like in production.
    mail_env = {"HEZA_MAIL_SERVER": LOOPBACK, "HEZA_MAIL_PORT": str(mail_port),
                "HEZA_MAIL_USE_TLS": "false", "HEZA_MAIL_USE_SSL": "false",
                "HEZA_MAIL_USERNAME": "", "HEZA_MAIL_PASSWORD": ""}
    os.environ.update(mail_env)
    # Links in emails (built outside requests, by the scheduler too) point at this server.
    os.environ.setdefault("HEZA_SERVER_NAME", f"{_display_host(host)}:{port}")
    app = create_app({"MAIL_SUPPRESS_SEND": False})
    sink_dir = (mail_dir or Path(app.instance_path) / SINK_DIRNAME).resolve()
    app.register_blueprint(mail_viewer(sink_dir))
    base_url = f"http://{_display_host(host)}:{port}"

    controller = start_mail_sink(sink_dir, mail_port)
    stopping = threading.Event()
    proc: subprocess.Popen[bytes] | None = None
    # Ctrl-C must stop everything even if the shell started us with SIGINT ignored (a background job).
    previous = signal.signal(signal.SIGTERM, _raise_interrupt), signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if no_scheduler:
            scheduler = "không chạy (--no-scheduler)"
        elif not scheduler_available():
            scheduler = "CHƯA CÓ lệnh `heza scheduler`: email và nhắc việc sẽ không được gửi"
            click.echo("CẢNH BÁO: chưa có lệnh `heza scheduler` (the scheduler command is not registered); "
                       "tiếp tục không có lập lịch.", err=True)
        else:
            # Links in scheduled emails point at this dev server unless a server name is configured.
            env = {**os.environ, **mail_env}
            env.setdefault("HEZA_SERVER_NAME", f"{_display_host(host)}:{port}")
            proc = start_scheduler(env)
            threading.Thread(target=_watch, args=(proc, stopping), daemon=True, name="scheduler-watch").start()
            scheduler = f"heza scheduler (tiến trình {proc.pid})"
        login = read_login_file(Path(app.instance_path))
        with app.app_context():  # the day-off note reads the working-day calendar
            click.echo(banner(base_url, mail_port, sink_dir, scheduler, login))
        run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
        stop_process(proc)
        controller.stop()
        click.echo("Đã dừng heza dev.")
