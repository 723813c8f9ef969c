"""The every-minute job: deliver what the outbox holds (``today`` is not used: sending is now)."""

from __future__ import annotations

from datetime import date
from typing import Any

from heza.outbox import delivery


def reconcile(today: date) -> dict[str, Any]:
    """Send every email whose time has come."""
    return delivery.deliver()
