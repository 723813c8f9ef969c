"""``heza import KIND FILE [--dry-run] [--organizer SLUG]``: the admin's import from the command line.

The command line acts for the whole city (like an admin): ``--organizer`` is the organizer units and
recommendations are imported into, as the admin's choice on the upload page.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from heza.imports.checking import CREATE, ERROR, UNCHANGED, UPDATE, Context, Kind
from heza.imports.reading import ImportRefused, read_table


@click.group("import", help="Nhập danh mục từ tệp .xlsx hoặc .csv (import lists from spreadsheets).")
def import_group() -> None:
    pass


def _run(kind: Kind, path: Path, dry_run: bool, organizer: str | None = None) -> None:
    """Check the file, print every row error, and write it all unless ``dry_run`` or any error."""
    import sqlalchemy as sa

    from heza.directory.models import Organizer
    from heza.extensions import db

    context = Context()
    if organizer:
        found = db.session.scalar(sa.select(Organizer.id).where(Organizer.slug == organizer))
        if found is None:
            raise click.ClickException(f"Không có đơn vị tổ chức có slug {organizer!r} (unknown organizer).")
        context = Context(organizer_id=found)
    try:
        table = read_table(path.read_bytes(), path.name, max_bytes=None)
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    check = kind.check_table(table, context)
    counts = check.counts
    for message in check.file_errors:
        click.echo(f"lỗi tệp: {message}", err=True)
    for row in check.rows:
        for name, message in row.errors.items():
            click.echo(f"dòng {row.line}, cột {name}: {message}", err=True)
    summary = (f"thêm mới {counts[CREATE]}, cập nhật {counts[UPDATE]}, "
               f"không đổi {counts[UNCHANGED]}, lỗi {counts[ERROR]}")
    if not check.ok:
        db.session.rollback()
        raise click.ClickException(f"{summary}: tệp còn lỗi, không ghi dòng nào (nothing written).")
    if dry_run:
        db.session.rollback()
        click.echo(f"{summary} (--dry-run: không ghi).")
        return
    kind.apply(check, db.session)
    click.echo(f"Đã nhập: {summary}.")


FILE = click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
DRY_RUN = click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không ghi (check only, write nothing).")
ORGANIZER = click.option("--organizer", metavar="SLUG",
                         help="Đơn vị tổ chức nhận các dòng (the organizer's slug, e.g. phu-lien).")


@import_group.command("enterprises")
@FILE
@DRY_RUN
@with_appcontext
def enterprises_command(path: Path, dry_run: bool) -> None:
    """Enterprises matched by tax code: new ones created, existing ones updated; any error writes nothing."""
    from heza.imports import enterprises

    _run(enterprises.KIND, path, dry_run)


@import_group.command("units")
@FILE
@DRY_RUN
@ORGANIZER
@with_appcontext
def units_command(path: Path, dry_run: bool, organizer: str | None) -> None:
    """Units matched by name within their organizer (the file's column, else --organizer, else city-wide)."""
    from heza.imports import units

    _run(units.KIND, path, dry_run, organizer)


@import_group.command("recommendations")
@FILE
@DRY_RUN
@ORGANIZER
@with_appcontext
def recommendations_command(path: Path, dry_run: bool, organizer: str | None) -> None:
    """Recommendations matched by reference (updated while open); rows without one are created."""
    from heza.imports import recommendations

    _run(recommendations.KIND, path, dry_run, organizer)
