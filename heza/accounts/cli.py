"""``heza create-user``: accounts are made on the server, the password read from standard input."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from heza.accounts.models import Role, User
from heza.directory.models import Unit
from heza.extensions import db
from heza.validation import InvalidValue

MIN_PASSWORD_LENGTH = 10


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="admin, officer, unit, viewer")
@click.option("--unit", "unit_id", type=int, help="Unit id (required for the unit role).")
@click.option("--name", default="", help="Display name (defaults to the email).")
@click.option("--language", type=click.Choice(["vi", "en"]), default="vi")
@with_appcontext
def create_user_command(email: str, role: str, unit_id: int | None, name: str, language: str) -> None:
    """Create a user (or reset an existing user's password); the password is read from standard input."""
    if role == Role.UNIT and unit_id is None:
        raise click.UsageError("Vai trò 'unit' cần --unit ID (the unit role needs --unit ID).")
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        raise click.UsageError(f"Không tìm thấy đơn vị {unit_id} (no unit with id {unit_id}).")
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
        user.unit = unit
        user.language = language
        user.active = True
        user.failed_logins = 0
        user.locked_until_dt = None
        user.set_password(password)
    except InvalidValue as exc:
        raise click.UsageError(str(exc)) from exc
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã lưu người dùng {user.email} ({user.role.value}).")
