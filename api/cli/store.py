"""``lotse migrate``, ``lotse backup``, ``lotse backups``, ``lotse restore``: the store file
itself – convert an old JSON store, make, list and bring back backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli import texts
from api.cli.common import StoreOption, app, out
from api.stores import default_store, open_store
from api.usecases.backups import new_backup, restore
from api.usecases.roles import command_line
from graph.backup import backup_folder, list_backups
from graph.local_time import local
from graph.migration import migrate_store

__all__: list[str] = []


@app.command("migrate", help=texts.MIGRATE_HELP)
def migrate_command(
    source: Annotated[Path, typer.Argument(metavar="QUELLE",
                                           help=texts.MIGRATE_SOURCE_HELP, show_default=False)],
    target: Annotated[Path, typer.Argument(metavar="ZIEL",
                                           help=texts.MIGRATE_TARGET_HELP, show_default=False)],
) -> None:
    done = migrate_store(source, target)
    out.print(texts.MIGRATED.format(source=done.source, target=done.target, name=done.name,
                                    entities=done.entities, entries=done.entries))


@app.command("backup", help=texts.BACKUP_HELP)
def backup_command(
    target: Annotated[Path | None, typer.Argument(metavar="DATEI", help=texts.BACKUP_TARGET_HELP,
                                                  show_default=False)] = None,
    store: StoreOption = None,
) -> None:
    path = new_backup(open_store(store), command_line(), target)
    out.print(texts.BACKUP_MADE.format(path=path, size=_size(path.stat().st_size)))


@app.command("backups", help=texts.BACKUPS_HELP)
def backups_command(store: StoreOption = None) -> None:
    location = Path(store or default_store())
    found = list_backups(location)
    if not found:
        out.print(texts.NO_BACKUPS.format(folder=backup_folder(location)))
        return
    table = Table(title=texts.BACKUPS_TITLE.format(folder=backup_folder(location)),
                  title_justify="left")
    for column in ("Datei", "Angelegt", "Größe", "Stand (Änderung Nr.)", "Netzwerk", "Anlass"):
        table.add_column(column)
    for b in found:
        table.add_row(b.path.name, f"{local(b.created):%d.%m.%Y %H:%M:%S}", _size(b.size),
                      "–" if b.revision is None else str(b.revision), b.name or "–", b.reason)
    out.print(table)
    out.print(texts.BACKUPS_RESTORE_HINT)


@app.command("restore", help=texts.RESTORE_HELP)
def restore_command(
    backup: Annotated[Path, typer.Argument(metavar="DATEI",
                                           help=texts.RESTORE_SOURCE_HELP, show_default=False)],
    store: StoreOption = None,
) -> None:
    repo = open_store(store)
    entry = restore(repo, command_line(), backup)
    after = entry.after or {}
    out.print(texts.RESTORED.format(backup=backup, where=repo.location, seq=entry.seq,
                                    name=after.get("name", "?"),
                                    changed=after.get("changed", 0)))


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB".replace(".", ",")
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")
