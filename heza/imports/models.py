"""An uploaded file waiting for its person to confirm the preview (kept in the database, not a web process)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from heza.base import UTCDateTime, now_utc
from heza.extensions import db


class ImportUpload(db.Model):
    """The bytes of one upload, found again by its token and only by the person who sent it.

    Confirming reads and checks the file again (the directory may have changed since the preview)
    and deletes the row; rows older than a day are removed on the next upload.
    """

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(255), default="", nullable=False)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
