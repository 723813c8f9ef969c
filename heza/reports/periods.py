"""Reporting periods: a month ("2026-05") or a quarter ("2026-2", "2026-Q2") of local dates."""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _

from heza.base import LOCAL_ZONE


@dataclass(frozen=True)
class Period:
    """A month or a quarter of local dates, both ends included."""

    start: date
    end: date
    label: str
    slug: str

    def instants(self) -> tuple[datetime, datetime]:
        """The UTC instants bounding the period: [start of first day, start of the day after)."""
        first = datetime.combine(self.start, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)
        after = date.fromordinal(self.end.toordinal() + 1)
        return first, datetime.combine(after, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A month or quarter written in a way we cannot read."""


def month_period(text: str) -> Period:
    """"2026-05" → May 2026."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(_("Tháng có dạng YYYY-MM, ví dụ 2026-05."))
    year, month = int(match.group(1)), int(match.group(2))
    last = _calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last),
                  _("tháng %(m)02d năm %(y)d", m=month, y=year), f"{year}-{month:02d}")


def quarter_period(text: str) -> Period:
    """"2026-2" or "2026-Q2" → the second quarter of 2026."""
    match = re.fullmatch(r"\s*(\d{4})-[Qq]?([1-4])\s*", text or "")
    if not match:
        raise PeriodError(_("Quý có dạng YYYY-Q, ví dụ 2026-2."))
    year, quarter = int(match.group(1)), int(match.group(2))
    first_month = 3 * quarter - 2
    last = _calendar.monthrange(year, first_month + 2)[1]
    return Period(date(year, first_month, 1), date(year, first_month + 2, last),
                  _("quý %(q)s năm %(y)d", q=_ROMAN[quarter], y=year), f"{year}-Q{quarter}")
