"""Reference numbers people can read out on the phone: ``KN-2026-000123``.

Built from the row's primary key once it exists (unique without a counter table that
two schedulers or web processes would have to lock) and the local year it was received.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import attributes

from heza import search
from heza.base import local_date_of, now_utc


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def install(model: Any, prefix: str, received_attr: str = "received_dt") -> None:
    """Give every new ``model`` row a reference right after its INSERT, in the same transaction."""

    @event.listens_for(model, "after_insert")
    def _assign(mapper: Any, connection: sa.Connection, target: Any) -> None:
        if target.reference:
            return
        received = getattr(target, received_attr) or now_utc()
        ref = format_reference(prefix, local_date_of(received).year, target.id)
        table = mapper.local_table
        values = {"reference": ref}
        if "search_text" in table.c:  # the reference is searchable: it joins the row's folded text
            values["search_text"] = search.join_fold([getattr(target, "search_text", ""), ref])
        connection.execute(table.update().where(table.c.id == target.id).values(**values))
        attributes.set_committed_value(target, "reference", ref)
        if "search_text" in values:
            attributes.set_committed_value(target, "search_text", values["search_text"])
