"""One log line per request and per job run, and a request id that ties a 500 page to its log line.

- Every request gets an id: the ``X-Request-Id`` the proxy sent (when it is a plain token), else a
  new one. It goes back in the ``X-Request-Id`` response header, into every log line written while
  the request runs, and onto the 500 page, so a person can read it out to the IT desk.
- ``heza.request`` writes one line per request: method, path (without the query string: personal
  links and searches stay out of the log), status, duration in ms, request id.
- ``heza.jobs`` writes one line per job run (:mod:`heza.jobruns.runner`): job, day, counts, duration.
- ``HEZA_LOG_FORMAT=json`` makes each line one JSON object (for a log collector); the default is
  text with ``key=value`` fields.

The handler goes on the ``heza`` and ``jobs`` loggers (stderr: systemd's journal, gunicorn's error
log), once per process however many apps are built.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOGGERS = ("heza", "jobs")

request_log = logging.getLogger("heza.request")


def request_id() -> str | None:
    """This request's id (None outside a request)."""
    if not has_request_context():
        return None
    rid = g.get("request_id")
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = g.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
    return rid


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = dict(getattr(record, "fields", None) or {})
    rid = getattr(record, "request_id", None)
    if rid and "request_id" not in fields:
        fields["request_id"] = rid
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update(_fields(record))
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value …`` (and the traceback on the lines after)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields(record)
        if not fields:
            return line
        first, newline, rest = line.partition("\n")
        pairs = " ".join(f"{k}={_text_value(v)}" for k, v in fields.items())
        return f"{first} {pairs}{newline}{rest}"


def _text_value(value: Any) -> str:
    if isinstance(value, dict):
        value = ",".join(f"{k}:{v}" for k, v in value.items()) or "-"
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (not text or any(c.isspace() for c in text)) else text


class HezaHandler(logging.StreamHandler):
    """The one handler heza installs (recognised so it is installed once)."""


def configure_logging(log_format: str = "text", stream: Any = None) -> HezaHandler:
    """Install (or re-format) heza's handler on the ``heza`` and ``jobs`` loggers, at INFO."""
    formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    handler: HezaHandler | None = None
    for name in LOGGERS:
        logger = logging.getLogger(name)
        found = next((h for h in logger.handlers if isinstance(h, HezaHandler)), None)
        if found is None:
            from flask.logging import default_handler

            logger.removeHandler(default_handler)
            found = handler or HezaHandler(stream or sys.stderr)
            found.addFilter(_RequestIdFilter())
            logger.addHandler(found)
        elif stream is not None:
            found.setStream(stream)
        handler = found
        found.setFormatter(formatter)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    assert handler is not None
    return handler


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    rid = request_id()
    if rid:
        response.headers[REQUEST_ID_HEADER] = rid
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    request_log.info("request", extra={"fields": {
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": duration, "request_id": rid,
    }})
    return response


def init_app(app: Flask) -> None:
    configure_logging(app.config.get("LOG_FORMAT", "text"))
    app.before_request(_start)
    app.after_request(_finish)
