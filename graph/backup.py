"""Backups of an embedded store: make, list, restore – and one before every full replace.

Backups live in the folder ``sicherungen`` beside the store, named after it and the
moment (``speicher-20261125-101500.sqlite``); a SQLite store is copied with SQLite's
online backup (others may keep reading and writing), a JSON store file as it is.
Automatic backups (before an import or a restore, name ending ``-vor-import`` or
``-vor-wiederherstellung``) are kept up to :data:`AUTO_KEEP`; the oldest go first.

A restore is a change like any other: the backup's network replaces the stored one in
one atomic step, recorded as one journal entry naming the backup (``restored_from``);
the audit trail and the versions go on (nothing of the history is lost), and the state
before the restore is kept as a backup too.

>>> import tempfile, pathlib
>>> from graph.backends.sqlite import SqliteRepository
>>> from graph.network import Network
>>> repo = SqliteRepository(pathlib.Path(tempfile.mkdtemp()) / "speicher.sqlite")
>>> repo.save(Network(name="Erster Stand"))
>>> copy = make_backup(repo)
>>> repo.save(Network(name="Zweiter Stand"))
>>> entry = restore_backup(repo, copy, "lotse")
>>> repo.load().name, entry.after["restored_from"] == copy.name
('Erster Stand', True)
>>> [b.reason for b in list_backups(repo.path)]
['manuell', 'vor Wiederherstellung']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.atomic import atomic_write_bytes
from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.errors import StoreError
from graph.journal import AuditEntry
from graph.repository import ReplaceCheck, Repository

__all__ = ["AUTO_KEEP", "BACKUP_FOLDER", "BackupInfo", "backup_before_replace",
           "backup_folder", "list_backups", "make_backup", "restore_backup"]

BACKUP_FOLDER = "sicherungen"
AUTO_KEEP = 10
"""How many automatic backups of a store are kept."""

_REASONS = {"vor-import": "vor Import", "vor-wiederherstellung": "vor Wiederherstellung"}


@dataclass(frozen=True)
class BackupInfo:
    """One backup of a store, as ``lotse backups`` lists it."""

    path: Path
    created: dt.datetime  # UTC (shown in local time by every door)
    size: int
    revision: int | None  # the store's number of the last recorded change
    name: str | None  # the network's name
    reason: str  # "manuell", "vor Import", "vor Wiederherstellung"


def _file_store(repo: Repository) -> MemoryRepository | SqliteRepository:
    if isinstance(repo, SqliteRepository) or (isinstance(repo, MemoryRepository)
                                              and repo.path is not None):
        return repo
    raise StoreError(f"Sicherungen gibt es für Speicherdateien (SQLite oder JSON), nicht für "
                     f"'{repo.location}'. Eine Neo4j-Datenbank sichern Sie mit 'lotse pull "
                     "--to sicherung.sqlite' oder mit neo4j-admin.")


def _path(repo: MemoryRepository | SqliteRepository) -> Path:
    assert repo.path is not None
    return repo.path


def backup_folder(store: Path) -> Path:
    """Where the backups of ``store`` are kept."""
    return store.parent / BACKUP_FOLDER


def make_backup(repo: Repository, target: Path | None = None, reason: str | None = None
                ) -> Path:
    """A copy of the stored state in ``target`` (default: a new file in the backup
    folder); returns where it is."""
    store = _file_store(repo)
    if store.is_empty():
        raise StoreError(f"Der Speicher '{store.location}' ist leer: es gibt nichts zu sichern.")
    path = _path(store)
    if target is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = f"{path.stem}-{stamp}" + (f"-{reason}" if reason else "")
        target = backup_folder(path) / f"{base}{path.suffix}"
        n = 2
        while target.exists():
            target = backup_folder(path) / f"{base}-{n}{path.suffix}"
            n += 1
    elif target.exists():
        raise StoreError(f"'{target}' gibt es schon; eine Sicherung überschreibt nie eine "
                         "Datei.")
    if target.suffix.lower() != path.suffix.lower():
        raise StoreError(f"Die Sicherung von '{path}' muss wieder auf '{path.suffix}' enden "
                         f"(nicht '{target.name}').")
    if isinstance(store, SqliteRepository):
        store.backup_to(target)
    else:
        atomic_write_bytes(target, path.read_bytes())  # one consistent file (atomic renames)
    return target


def backup_before_replace(repo: Repository) -> Path | None:
    """The automatic backup before a full replace (None: nothing stored yet, or a store
    without backups); the oldest automatic ones beyond :data:`AUTO_KEEP` are removed."""
    if not isinstance(repo, SqliteRepository | MemoryRepository) or \
            getattr(repo, "path", None) is None or repo.is_empty():
        return None
    kept = make_backup(repo, reason="vor-import")
    _prune(_path(repo))
    return kept


def _prune(store: Path) -> None:
    automatic = [b for b in list_backups(store) if b.reason != "manuell"]
    for old in automatic[:-AUTO_KEEP] if len(automatic) > AUTO_KEEP else []:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()


def list_backups(store: Path) -> list[BackupInfo]:
    """The backups of ``store``, oldest first."""
    folder = backup_folder(store)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{store.stem}-*{store.suffix}"):
        stem = path.stem[len(store.stem) + 1:]
        if not stem[:8].isdigit():
            continue
        reason = next((text for tag, text in _REASONS.items() if tag in stem), "manuell")
        revision, name = _describe(path)
        stat = path.stat()
        created = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
        found.append(BackupInfo(path, created, stat.st_size, revision, name, reason))
    return sorted(found, key=lambda b: (b.created, b.path.name))


def _describe(path: Path) -> tuple[int | None, str | None]:
    """(last change number, network name) of a backup file, read cheaply."""
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(path.read_bytes())
            journal = data.get("journal") or {}
            entries = journal.get("entries") or []
            last = entries[-1]["seq"] if entries else journal.get("last_seq")
            return last, (data.get("network") or {}).get("name")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                                     "('last_seq', 'network')").fetchall())
        finally:
            conn.close()
        header = json.loads(rows.get("network") or "{}")
        return int(rows.get("last_seq") or 0), header.get("name")
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None, None


def restore_backup(repo: Repository, backup: Path, actor: str,
                   check: ReplaceCheck | None = None,
                   through: Repository | None = None) -> AuditEntry:
    """Bring the network of ``backup`` back into the store (atomic, one journal entry);
    the state before is kept as an automatic backup first. ``check`` (e.g.
    :func:`graph.repository.at_version`) is decided under the store's lock, in the
    transaction that writes; ``through`` is the repository the replace is written
    through when that is not ``repo`` itself (a server's shared state wrapping it)."""
    store = _file_store(repo)
    if not backup.is_file():
        raise StoreError(f"Die Sicherung '{backup}' gibt es nicht. Vorhandene Sicherungen "
                         "zeigt 'lotse backups'.")
    if backup.resolve() == _path(store).resolve():
        raise StoreError("Das ist der Speicher selbst, keine Sicherung.")
    source: MemoryRepository | SqliteRepository = (
        MemoryRepository(backup) if backup.suffix.lower() == ".json"
        else SqliteRepository(backup))
    try:
        network = source.load()
    finally:
        if isinstance(source, SqliteRepository):
            source.close()
    if not store.is_empty():
        make_backup(store, reason="vor-wiederherstellung")
        _prune(_path(store))
    return (through or store).replace(network, actor, note={"restored_from": backup.name},
                                      check=check)
