"""Record ids typed into URLs and forms, read as the primary key's Python type before any query sees them.

PostgreSQL (psycopg 3 binds server-side) refuses ``integer IN ('1')`` and an integer out of the
column's range, and answers a non-numeric id with a DataError: each would be a 500. An id that does
not parse is treated as "not found".
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def single_key(model: Any) -> Any | None:
    """The model's primary-key column, or None when the key has several columns."""
    pk = sa.inspect(model).primary_key
    return pk[0] if len(pk) == 1 else None


def typed(column: Any) -> bool:
    """Whether the column's type knows its Python type (custom types may not: their ids pass as given)."""
    try:
        return column.type.python_type is not None
    except NotImplementedError:
        return False


def as_key(column: Any, value: Any) -> Any | None:
    """``value`` as ``column``'s Python type and within its range, or None when it is no such key."""
    try:
        key = column.type.python_type(value)
    except (TypeError, ValueError, NotImplementedError):
        return None
    return key if _fits(column, key) else None


def _fits(column: Any, value: Any) -> bool:
    """Whether ``value`` is within an integer column's range (any other value is left to the database)."""
    if not isinstance(value, int) or not isinstance(column.type, sa.Integer):
        return True
    bits = 63 if isinstance(column.type, sa.BigInteger) else 31
    return -(2**bits) <= value < 2**bits
