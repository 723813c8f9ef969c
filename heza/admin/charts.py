"""Horizontal bar charts drawn as inline SVG on the server (``templates/admin/dashboard_charts.html``).

No script and no CDN: the office network may have no internet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal chart: its label, value and length as a share of the longest."""

    label: str
    value: int
    share: float  # 0..1 of the largest value


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: a title and its bars, largest first."""

    title: str
    bars: tuple[Bar, ...]
    label_width: int = 230
    bar_width: int = 330
    row_height: int = 26

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 8

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 60

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)


def bar_chart(title: str, rows: Iterable[tuple[str, int]]) -> BarChart:
    """A chart of ``(label, value)`` rows, largest first, zero rows left out."""
    ordered = sorted(((str(label), int(value)) for label, value in rows if value), key=lambda r: (-r[1], r[0]))
    top = max((v for _l, v in ordered), default=0)
    return BarChart(title, tuple(Bar(label, value, value / top if top else 0.0) for label, value in ordered))
