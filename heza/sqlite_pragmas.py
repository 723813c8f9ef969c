"""SQLite needs foreign keys switched on per connection, or the schema's constraints are decoration.

A database in a file also runs in WAL mode with ``synchronous=NORMAL``: the web server and the scheduler
of ``heza dev`` read while the other writes, and a commit no longer waits for the disk (the outbox commits
once per message sent). A power cut may lose the last commits, never the file; SQLite's documentation
calls this combination safe from corruption.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def _on_connect(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not an in-memory database
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def init_app(app: Flask) -> None:
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _on_connect)
        _installed = True
