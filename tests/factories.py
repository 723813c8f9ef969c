"""Small factories for tests: valid records with unique values, overridable by keyword."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from typing import Any

from heza.base import LOCAL_ZONE
from heza.conferences.models import Conference
from heza.directory.models import Enterprise, Organizer, OrganizerKind, Unit, UnitKind, Zone, ZoneKind
from heza.extensions import db
from heza.recommendations.models import Field, Recommendation

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def at_local(d: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware UTC instant for a Hai Phong wall-clock time."""
    return datetime.combine(d, time(hour, minute), tzinfo=LOCAL_ZONE).astimezone(UTC)


def organizer(**kw: Any) -> Organizer:
    n = _n()
    values: dict[str, Any] = {"name": f"Ban tổ chức {n}", "short_name": f"BTC{n}", "kind": OrganizerKind.AUTHORITY}
    values.update(kw)
    obj = Organizer(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def first_organizer() -> Organizer:
    """The first organizer in the database (the one staff of older tests belong to), made if there is none."""
    import sqlalchemy as sa

    found = db.session.scalar(sa.select(Organizer).order_by(Organizer.id).limit(1))
    return found if found is not None else organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA")


def ward(**kw: Any) -> Organizer:
    n = _n()
    kw.setdefault("name", f"Phường Thử {n}")
    kw.setdefault("short_name", f"P{n}")
    return organizer(kind=OrganizerKind.WARD, **kw)


def unit(org: Organizer | None = None, **kw: Any) -> Unit:
    n = _n()
    values: dict[str, Any] = {"name": f"Phòng {n}", "kind": UnitKind.DEPARTMENT, "emails": f"phong{n}@demo.heza.vn",
                              "organizer": org}
    values.update(kw)
    obj = Unit(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def zone(**kw: Any) -> Zone:
    n = _n()
    values: dict[str, Any] = {"name": f"KCN Thử {n}", "code": f"KCN{n}", "kind": ZoneKind.INDUSTRIAL}
    values.update(kw)
    obj = Zone(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def enterprise(zone_: Zone | None = None, **kw: Any) -> Enterprise:
    n = _n()
    if zone_ is None and "ward" not in kw and "ward_id" not in kw:
        zone_ = zone()
    values: dict[str, Any] = {"name": f"Công ty TNHH Thử {n}", "tax_code": f"02{n:08d}", "zone": zone_,
                              "email": f"dn{n}@demo.heza.vn"}
    values.update(kw)
    obj = Enterprise(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def conference(org: Organizer | None = None, held_on: date = date(2026, 3, 3), **kw: Any) -> Conference:
    values: dict[str, Any] = {"organizer": org or first_organizer(), "title": f"Hội nghị đối thoại {_n()}",
                              "held_on": held_on, "place": "Hội trường"}
    values.update(kw)
    obj = Conference(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def recommendation(conf: Conference | None = None, **kw: Any) -> Recommendation:
    conf = conf if conf is not None else conference()
    values: dict[str, Any] = {"organizer": conf.organizer, "conference": conf, "field": Field.LAND,
                              "content": "Đề nghị hướng dẫn thủ tục", "channel": "email",
                              "received_dt": at_local(date(2026, 2, 10))}
    if "enterprise" not in kw:
        values["enterprise"] = enterprise()
    values.update(kw)
    obj = Recommendation(**values)
    db.session.add(obj)
    db.session.flush()
    return obj
