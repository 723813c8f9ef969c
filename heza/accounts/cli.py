"""``heza create-user``: accounts are made on the server, the password read from standard input."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from heza.accounts.models import CITY_WIDE_ROLES, Role, User
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.validation import InvalidValue

MIN_PASSWORD_LENGTH = 10


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True,
              help="admin, supervisor, officer, unit, viewer")
@click.option("--organizer", "organizer_ref", default=None,
              help="Organizer id or slug (required except for admin and supervisor; unit staff default to their "
                   "unit's organizer).")
@click.option("--unit", "unit_id", type=int, help="Unit id (required for the unit role).")
@click.option("--name", default="", help="Display name (defaults to the email).")
@click.option("--language", type=click.Choice(["vi", "en"]), default="vi")
@with_appcontext
def create_user_command(email: str, role: str, organizer_ref: str | None, unit_id: int | None, name: str,
                        language: str) -> None:
    """Create a user (or reset an existing user's password); the password is read from standard input."""
    if role == Role.UNIT and unit_id is None:
        raise click.UsageError("Vai trò 'unit' cần --unit ID (the unit role needs --unit ID).")
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        raise click.UsageError(f"Không tìm thấy đơn vị {unit_id} (no unit with id {unit_id}).")
    organizer = find_organizer(organizer_ref) if organizer_ref else None
    if organizer_ref and organizer is None:
        raise click.UsageError(f"Không tìm thấy đơn vị tổ chức '{organizer_ref}' (no organizer with that id or slug).")
    if organizer is None and unit is not None:
        organizer = unit.organizer
    if Role(role) in CITY_WIDE_ROLES:
        organizer = organizer if Role(role) == Role.SUPERVISOR else None
    if sys.stdin.isatty():
        password = click.prompt("Mật khẩu (password)", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự "
                               f"(password needs at least {MIN_PASSWORD_LENGTH} characters).")
    try:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower())) or User(email=email)
        user.name = name or user.name or email
        user.role = Role(role)
        user.unit = unit if Role(role) == Role.UNIT else None
        user.organizer = organizer
        user.language = language
        user.active = True
        user.failed_logins = 0
        user.locked_until_dt = None
        user.set_password(password)
        problem = user.membership_problem()
        if problem:
            raise click.UsageError(problem + " (use --organizer ID_OR_SLUG; see `heza organizers`)")
    except InvalidValue as exc:
        raise click.UsageError(str(exc)) from exc
    db.session.add(user)
    db.session.commit()
    where = f", {user.organizer.short_name}" if user.organizer is not None else ""
    click.echo(f"Đã lưu người dùng {user.email} ({user.role.value}{where}).")


def find_organizer(ref: str) -> Organizer | None:
    """An organizer by id or slug."""
    ref = ref.strip()
    if ref.isdigit():
        return db.session.get(Organizer, int(ref))
    return db.session.scalar(select(Organizer).where(Organizer.slug == ref.lower()))


@click.command("organizers")
@with_appcontext
def organizers_command() -> None:
    """List the organizers (id, slug, kind, name), to pick one for ``create-user --organizer``."""
    for org in db.session.scalars(select(Organizer).order_by(Organizer.id)):
        click.echo(f"{org.id}\t{org.slug}\t{org.kind.value}\t{org.name}")
