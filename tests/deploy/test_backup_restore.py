"""Backup and restore as the README's Deploy section says: ``pg_dump -Fc``, then ``pg_restore`` into an empty database.

Every file heza keeps lives in PostgreSQL (recommendation attachments, plan PDFs, the outbox's
attachments; reports are generated on request), so the database dump is the whole backup. The
test loads the demo data plus binary attachments into a database of its own, dumps it with the
command-line tools, restores into a fresh empty database, and finds every table with the same
number of rows, the same bytes in every attachment, and the restored database ready (``/readyz``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.deploy.processes import server_url

pytestmark = pytest.mark.postgres

BLOBS = (
    ("recommendations", "attachment_data"),
    ("plans", "pdf"),
    ("outbound_attachments", "data"),
)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: apt-get install -y postgresql-client")
        pytest.skip(f"{name} is missing (apt-get install -y postgresql-client)")
    return found


@pytest.fixture()
def two_databases() -> Iterator[tuple[sa.engine.URL, sa.engine.URL]]:
    base = sa.engine.make_url(server_url())
    names = (f"heza_backup_{os.getpid()}", f"heza_restored_{os.getpid()}")
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=names[0]), base.set(database=names[1])
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _libpq_args(url: sa.engine.URL) -> list[str]:
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return args


def _snapshot(url: sa.engine.URL) -> tuple[dict[str, int], dict[str, dict[int, str]]]:
    """Rows per table (every table, Alembic's included) and the SHA-256 of every stored file."""
    engine = sa.create_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            counts = {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
            blobs = {
                f"{table}.{column}": {row_id: hashlib.sha256(data).hexdigest() for row_id, data in conn.execute(
                    sa.text(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'))}
                for table, column in BLOBS
            }
        return counts, blobs
    finally:
        engine.dispose()


def test_pg_dump_and_pg_restore_bring_back_every_record_and_file(two_databases, tmp_path: Path) -> None:
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    source, target = two_databases
    from flask_migrate import upgrade

    from heza import create_app
    from heza.conferences.models import Conference
    from heza.extensions import db
    from heza.outbox.models import OutboundAttachment, OutboundEmail
    from heza.plans.models import Plan
    from tests import factories as f

    app = create_app({"SQLALCHEMY_DATABASE_URI": source.render_as_string(hide_password=False),
                      "SECRET_KEY": "restore-test", "SERVER_NAME": "heza.test"})
    app.instance_path = str(tmp_path)
    attachment = os.urandom(300_000) + "Hồ sơ thuê đất".encode()
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["heza", "demo"])
        assert result.exit_code == 0, result.output
        conference = db.session.scalars(sa.select(Conference).order_by(Conference.id)).first()
        rec = f.recommendation(conference, attachment_name="Hồ sơ thuê đất.pdf", attachment_data=attachment)
        plan = db.session.scalars(sa.select(Plan).order_by(Plan.id)).first()
        plan.pdf = b"%PDF-1.7\n" + os.urandom(50_000)
        db.session.add(OutboundEmail(
            key="restore:ics", kind="test", to_addr="dn@demo.heza.vn", subject="Thư có tệp đính kèm", text_body="…",
            attachments=[OutboundAttachment(filename="hoi-nghi.ics", content_type="text/calendar",
                                            data=b"BEGIN:VCALENDAR\r\n" + os.urandom(2000))]))
        db.session.commit()
        rec_id = rec.id
        db.session.remove()
        db.engine.dispose()

    before = _snapshot(source)
    assert before[0]["conferences"] and before[0]["recommendations"] and before[0]["users"]
    assert before[1]["recommendations.attachment_data"][rec_id] == hashlib.sha256(attachment).hexdigest()
    assert before[1]["plans.pdf"] and before[1]["outbound_attachments.data"]

    dump = tmp_path / "heza.dump"
    env = {**os.environ, "PGPASSWORD": source.password or ""}
    subprocess.run([pg_dump, "-Fc", "--no-owner", *_libpq_args(source), "-f", str(dump), source.database],
                   check=True, env=env, capture_output=True, timeout=120)
    subprocess.run([pg_restore, "--no-owner", "--exit-on-error", *_libpq_args(target), "-d", target.database,
                    str(dump)], check=True, env=env, capture_output=True, timeout=120)

    after = _snapshot(target)
    assert after[0] == before[0]  # every table, every row count
    assert after[1] == before[1]  # every stored file, byte for byte
    print(f"restored {len(after[0])} tables, {sum(after[0].values())} rows, "
          f"{sum(len(v) for v in after[1].values())} stored files; dump {dump.stat().st_size} bytes")

    restored = create_app({"SQLALCHEMY_DATABASE_URI": target.render_as_string(hide_password=False),
                           "SECRET_KEY": "restore-test", "SERVER_NAME": "heza.test"})
    try:
        ready = restored.test_client().get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["schema"] == "current"
        with restored.app_context():
            from heza.recommendations.models import Recommendation

            assert db.session.get(Recommendation, rec_id).attachment_data == attachment
            # Sequences came back too: a new row does not collide with a restored id.
            f.enterprise(name="Công ty sau khi khôi phục")
            db.session.commit()
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
