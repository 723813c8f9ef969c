"""The mail viewer at ``/dev/mail/``: lists and shows the sink's messages (registered by ``heza dev`` only,
never by :func:`heza.create_app`).

The blueprint refuses to be registered on an app that ``heza dev`` did not build and mark
(:func:`mark_dev_app`, called by the command on the app it builds itself): no setting, no
environment variable and no WSGI entry point can put ``/dev/mail/`` into a production app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import jinja2
from flask import Blueprint, Flask, Response, abort, url_for
from flask.blueprints import BlueprintSetupState

from heza.base import LOCAL_ZONE, to_local
from heza.devserver.mailsink import header_text, read_headers, read_message

_DEV_APP = object()  # the mark: only this module can make it, only ``heza dev`` asks it to
_MARK_KEY = "heza.devserver"


class NotADevApp(RuntimeError):
    """The mail viewer was about to be registered on an app ``heza dev`` did not build."""


def mark_dev_app(app: Flask) -> Flask:
    """Mark ``app`` as built by ``heza dev`` (the command's own app; never the WSGI one)."""
    app.extensions[_MARK_KEY] = _DEV_APP
    return app


def is_dev_app(app: Flask) -> bool:
    return app.extensions.get(_MARK_KEY) is _DEV_APP


def _only_in_dev(state: BlueprintSetupState) -> None:
    if not is_dev_app(state.app):
        raise NotADevApp("the /dev/mail/ viewer is registered by `heza dev` only, never in a production app")


MESSAGE_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*\.eml$")
LIST_LIMIT = 500

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
    bp.record_once(_only_in_dev)

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

