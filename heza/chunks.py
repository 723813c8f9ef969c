"""Long lists taken in pieces: an ``IN (...)`` look-up or a multi-row INSERT of 100,000 values is cut into
statements of a few hundred (database parameter limits, and one huge statement's memory)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LIST = 500  # values per IN (...) look-up


def chunked(values: Sequence[T], size: int = IN_LIST) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size`` (Python 3.11 has no ``itertools.batched``)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]
