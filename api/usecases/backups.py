"""Sicherungen: make one, list them, bring one back. A restore is a change like any
other (one journal entry naming the backup), only while the store is still at the state
the person saw (decided in the store's write transaction), and the state before it is
kept as a backup too. Coordination only. ``lotse backup/backups/restore``, the
Werkstatt's „Sicherungen“ and ``/api/v1/backups`` come here.
"""

from __future__ import annotations

from pathlib import Path

from api.usecases.roles import Principal
from api.usecases.store import backing, writing
from graph.backup import BackupInfo, backup_folder, list_backups, make_backup, restore_backup
from graph.errors import LotsenError, NotFoundError
from graph.journal import AuditEntry
from graph.repository import Repository, at_version

__all__ = ["NoBackups", "backups_of", "find_backup", "new_backup", "restore", "store_file"]


def store_file(repo: Repository) -> Path | None:
    """The store's file, or None for a store without backups (Neo4j, in memory)."""
    path = getattr(backing(repo), "path", None)
    return path if isinstance(path, Path) else None


def backups_of(repo: Repository) -> list[BackupInfo]:
    """The backups of the store, oldest first (none for a store without a file)."""
    path = store_file(repo)
    return list_backups(path) if path is not None else []


def find_backup(repo: Repository, name: str) -> BackupInfo:
    """The backup called ``name`` – a name from the list, never a path from outside."""
    found = backups_of(repo)
    for b in found:
        if b.path.name == name:
            return b
    raise NotFoundError("Sicherung", name, [b.path.name for b in found])


class NoBackups(LotsenError):
    """The store is no file (a database server, or in memory): it has no backups here."""

    status = 409


def _file_only(repo: Repository) -> None:
    if store_file(repo) is None:
        raise NoBackups(f"Sicherungen gibt es für Speicherdateien (SQLite oder JSON), nicht "
                        f"für '{repo.location}'; eine Datenbank auf einem Server sichert ihre "
                        "Betreuung.")


def new_backup(repo: Repository, who: Principal, target: Path | None = None) -> Path:
    """A backup of the stored state (default: a new file in the backup folder)."""
    who.require_coordinator("Eine Sicherung anlegen")
    _file_only(repo)
    return make_backup(backing(repo), target)


def restore(repo: Repository, who: Principal, backup: str | Path,
            expected_version: int | None = None) -> AuditEntry:
    """Bring ``backup`` back: a name from the backup list, or (the command line) a path.
    With ``expected_version`` only while the store is still at that state."""
    who.require_coordinator("Eine Sicherung zurückholen")
    if isinstance(backup, str):
        path = find_backup(repo, backup).path
    else:
        path = backup
        where = store_file(repo)
        if not path.exists() and not path.is_absolute() and where is not None:
            candidate = backup_folder(where) / path
            path = candidate if candidate.exists() else path
    check = at_version(expected_version, lambda current: (
        f"Seit dem Öffnen der Seite hat jemand die Kette geändert (jetzt Stand Nr. "
        f"{current}); nichts wurde zurückgeholt. Bitte die Sicherung noch einmal "
        "auswählen."))
    with writing(repo):
        if check is not None:  # refused before the backup of the state before
            check(None, repo.journal())
        _file_only(repo)
        return restore_backup(backing(repo), path, who.name, check=check,
                              through=repo if repo is not backing(repo) else None)
