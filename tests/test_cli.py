"""The heza command line: init, create-user, calendar."""

from __future__ import annotations

import sqlalchemy as sa

from heza.accounts.models import Role, User
from heza.extensions import db as _db
from tests import factories as f


def test_init_upgrades(runner):
    result = runner.invoke(args=["heza", "init"])
    assert result.exit_code == 0, result.output
    assert "Cơ sở dữ liệu đã được cập nhật" in result.output


def test_create_user_reads_the_password_from_stdin(runner):
    unit = f.unit(f.ward())
    _db.session.commit()
    result = runner.invoke(args=["heza", "create-user", "CanBo@Demo.Heza.vn", "--role", "unit", "--unit",
                                 str(unit.id)], input="mat-khau-rat-dai\n")
    assert result.exit_code == 0, result.output
    user = _db.session.scalar(sa.select(User).where(User.email == "canbo@demo.heza.vn"))
    assert user.role == Role.UNIT and user.unit_id == unit.id
    assert user.organizer_id == unit.organizer_id  # unit staff belong to their unit's organizer
    assert user.check_password("mat-khau-rat-dai")


def test_create_user_places_staff_in_an_organizer_by_slug_and_keeps_supervisors_city_wide(runner):
    org = f.organizer(slug="so-thu")
    _db.session.commit()
    officer = runner.invoke(args=["heza", "create-user", "cb@demo.heza.vn", "--role", "officer", "--organizer",
                                  "so-thu"], input="mat-khau-rat-dai\n")
    assert officer.exit_code == 0, officer.output
    supervisor = runner.invoke(args=["heza", "create-user", "gs@demo.heza.vn", "--role", "supervisor"],
                               input="mat-khau-rat-dai\n")
    assert supervisor.exit_code == 0, supervisor.output
    lonely = runner.invoke(args=["heza", "create-user", "x@demo.heza.vn", "--role", "viewer"],
                           input="mat-khau-rat-dai\n")
    assert lonely.exit_code != 0 and "--organizer" in lonely.output
    users = {u.email: u for u in _db.session.scalars(sa.select(User))}
    assert users["cb@demo.heza.vn"].organizer_id == org.id and users["gs@demo.heza.vn"].organizer_id is None
    assert "x@demo.heza.vn" not in users
    listing = runner.invoke(args=["heza", "organizers"])
    assert f"{org.id}\tso-thu\t" in listing.output


def test_create_user_refuses_unit_role_without_unit_and_short_passwords(runner):
    r1 = runner.invoke(args=["heza", "create-user", "a@demo.heza.vn", "--role", "unit"], input="mat-khau-rat-dai\n")
    assert r1.exit_code != 0 and "--unit" in r1.output
    r2 = runner.invoke(args=["heza", "create-user", "a@demo.heza.vn", "--role", "admin"], input="ngan\n")
    assert r2.exit_code != 0 and "ít nhất" in r2.output
    r3 = runner.invoke(args=["heza", "create-user", "not-an-email", "--role", "admin"], input="mat-khau-rat-dai\n")
    assert r3.exit_code != 0 and "email" in r3.output
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_calendar_lists_days_off_and_make_up_days(runner):
    result = runner.invoke(args=["heza", "calendar", "2026"])
    assert result.exit_code == 0, result.output
    assert "02/01/2026" in result.output  # declared New Year swap, not in the package
    assert "10/01/2026" in result.output  # the make-up Saturday
    assert "17/02/2026" in result.output  # Tết
    assert "12729/VPCP-KGVX" in result.output
