"""The local development runner: ``heza dev`` (what ``make run`` starts) and ``heza mailsink``.

``heza dev`` runs three things on one machine, none of which a production deployment uses:

- a mail sink (:mod:`.mailsink`), an aiosmtpd SMTP server on 127.0.0.1 that keeps every message
  as an ``.eml`` file instead of delivering it (in a background thread of this process);
- the scheduler, as its own subprocess ``heza scheduler`` (:mod:`.commands`), told through its
  environment to deliver to the sink;
- the web app under werkzeug's ``run_simple``, with a mail viewer at ``/dev/mail/``
  (:mod:`.viewer`) registered here only, never by :func:`heza.create_app`.

Once everything runs it prints where things are and the demo logins per organizer (:mod:`.banner`).
"""

from heza.devserver.banner import banner
from heza.devserver.commands import dev_command, mailsink_command, scheduler_available, start_scheduler
from heza.devserver.mailsink import (
    MailSinkHandler,
    describe,
    free_port,
    header_text,
    port_is_free,
    read_headers,
    read_message,
    start_mail_sink,
)
from heza.devserver.viewer import NotADevApp, StoredMessage, is_dev_app, list_messages, mail_viewer, mark_dev_app

__all__ = [
    "MailSinkHandler",
    "NotADevApp",
    "StoredMessage",
    "banner",
    "describe",
    "dev_command",
    "free_port",
    "header_text",
    "is_dev_app",
    "list_messages",
    "mail_viewer",
    "mailsink_command",
    "mark_dev_app",
    "port_is_free",
    "read_headers",
    "read_message",
    "scheduler_available",
    "start_mail_sink",
    "start_scheduler",
]
