"""``heza import enterprises FILE [--dry-run]``: the admin's import from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from heza.imports import enterprises
from heza.imports.reading import ImportRefused, read_table


@click.group("import", help="Nhập danh mục từ tệp .xlsx hoặc .csv (import lists from spreadsheets).")
def import_group() -> None:
    pass


@import_group.command("enterprises")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không ghi (check only, write nothing).")
@with_appcontext
def enterprises_command(path: Path, dry_run: bool) -> None:
    """Enterprises matched by tax code: new ones created, existing ones updated; any error writes nothing."""
    from heza.extensions import db

    try:
        table = read_table(path.read_bytes(), path.name, max_bytes=None)
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    check = enterprises.check_table(table)
    counts = check.counts
    for message in check.file_errors:
        click.echo(f"lỗi tệp: {message}", err=True)
    for row in check.rows:
        for name, message in row.errors.items():
            click.echo(f"dòng {row.line}, cột {name}: {message}", err=True)
    summary = (f"thêm mới {counts[enterprises.CREATE]}, cập nhật {counts[enterprises.UPDATE]}, "
               f"không đổi {counts[enterprises.UNCHANGED]}, lỗi {counts[enterprises.ERROR]}")
    if not check.ok:
        db.session.rollback()
        raise click.ClickException(f"{summary}: tệp còn lỗi, không ghi dòng nào (nothing written).")
    if dry_run:
        db.session.rollback()
        click.echo(f"{summary} (--dry-run: không ghi).")
        return
    enterprises.apply(check, db.session)
    click.echo(f"Đã nhập: {summary}.")
