"""The ``heza`` command line: the same commands as ``flask --app wsgi heza``."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

heza_group = AppGroup("heza", help="Quản lý hệ thống heza (heza management commands).")


@heza_group.command("init")
def init_command() -> None:
    """Create the database or upgrade it to the newest schema."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Cơ sở dữ liệu đã được cập nhật (database is at the newest schema).")


def register(app: Flask) -> None:
    """Attach the ``heza`` group to ``flask --app wsgi``."""
    _collect_commands()
    app.cli.add_command(heza_group)


def _collect_commands() -> None:
    """Commands each package defines next to its code, gathered into the one group."""
    from heza import demo
    from heza.accounts.cli import create_user_command, organizers_command
    from heza.calendar.cli import calendar_command
    from heza.devserver import dev_command, mailsink_command
    from heza.imports.cli import import_group
    from heza.reports.cli import report_group
    from jobs.cli import deliver_command, jobs_group, scheduler_command

    commands = (calendar_command, demo.demo_command, create_user_command, organizers_command, report_group, dev_command,
                mailsink_command, scheduler_command, jobs_group, deliver_command, import_group)
    for command in commands:
        if command.name not in heza_group.commands:
            heza_group.add_command(command)


def main() -> None:
    """Entry point of the ``heza`` console script."""
    from heza import create_app

    _collect_commands()
    cli = FlaskGroup(create_app=lambda: create_app(), help="heza: hội nghị đối thoại doanh nghiệp.")
    for name, command in heza_group.commands.items():
        cli.add_command(command, name)
    cli.add_command(heza_group)
    sys.exit(cli.main(prog_name="heza"))
