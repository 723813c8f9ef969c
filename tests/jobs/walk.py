"""Walk the jobs day by day, as the walkthrough tests do: ``heza jobs run all --today D`` at 07:00 (twice:
the second run must enqueue nothing), delivery, the day's events at 10:00, delivery again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from heza.base import LOCAL_ZONE
from heza.extensions import db as _db
from heza.outbox.models import OutboundEmail
from jobs.cli import jobs_group
from tests.jobs.conftest import Received, deliver_all


def at(d: date, hour: int) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=LOCAL_ZONE)


@dataclass(frozen=True)
class Mail:
    """One message as received, with the day it arrived."""

    day: date
    message: Received

    @property
    def kind(self) -> str:
        return self.message.kind

    @property
    def to(self) -> str:
        return self.message.to

    @property
    def cc(self) -> str:
        return str(self.message.message["Cc"] or "")

    @property
    def text(self) -> str:
        return self.message.text()


def _outbox_size() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail))


def walk(traveller, runner, smtp, start: date, end: date,
         events: dict[date, list[Callable[[], None]]] | None = None,
         mornings: dict[date, list[Callable[[], None]]] | None = None) -> list[Mail]:
    """Run every day from ``start`` to ``end``; ``mornings`` run right after the jobs (checks), ``events`` at 10:00."""
    received: list[Mail] = []

    def take() -> None:
        message: Received
        for message in smtp.take():
            received.append(Mail(day, message))

    day = start
    while day <= end:
        traveller.move_to(at(day, 7))
        first = runner.invoke(jobs_group, ["run", "all", "--today", day.isoformat()])
        assert first.exit_code == 0, first.output
        size = _outbox_size()
        second = runner.invoke(jobs_group, ["run", "all", "--today", day.isoformat()])
        assert second.exit_code == 0, second.output
        assert _outbox_size() == size, f"second run on {day} enqueued more"
        deliver_all()
        take()
        for check in (mornings or {}).get(day, []):
            check()
        traveller.move_to(at(day, 10))
        for event in (events or {}).get(day, []):
            event()
        _db.session.commit()
        deliver_all()
        take()
        day += timedelta(days=1)
    return received
