"""Moving a JSON store file into a SQLite database, nothing lost.

The network, every entity's version and the whole audit trail (with its numbers) are
written into a new database; the old file is only read and stays where it is. The
database is built under a temporary name and renamed into place when it is complete:
a failed or killed migration leaves no half-filled database behind.

>>> import tempfile, pathlib
>>> from graph.backends.memory import MemoryRepository
>>> from graph.network import Network
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> MemoryRepository(folder / "alt.json").save(Network(name="Alt"))
>>> migrate_store(folder / "alt.json", folder / "neu.sqlite").entries
1
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from graph.atomic import TEMP_PREFIX
from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository, write_database
from graph.errors import StoreError

__all__ = ["Migrated", "migrate_store"]


@dataclass(frozen=True)
class Migrated:
    """What a migration carried over."""

    source: Path
    target: Path
    name: str
    entities: int
    entries: int


def migrate_store(source: str | Path, target: str | Path) -> Migrated:
    """Write the JSON store ``source`` into the new SQLite database ``target``."""
    source, target = Path(source), Path(target)
    if target.exists():
        raise StoreError(f"'{target}' gibt es schon; eine Umwandlung überschreibt nie einen "
                         "Speicher. Bitte einen neuen Dateinamen wählen oder die Datei "
                         "vorher umbenennen.")
    if not source.is_file():
        raise StoreError(f"Die alte Speicherdatei '{source}' gibt es nicht.")
    old = MemoryRepository(source)
    network, journal = old.load(), old.journal()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{TEMP_PREFIX}{target.name}")
    for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    try:
        write_database(temp, network, journal)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    with SqliteRepository(target) as check:  # read back: the same network and journal
        if check.load() != network or len(check.journal().entries) != len(journal.entries):
            raise StoreError(f"Die Umwandlung nach '{target}' ist unvollständig; bitte "
                             "melden. Die alte Datei ist unverändert.")
    entities = sum(len(getattr(network, s)) for s in type(network).model_fields
                   if isinstance(getattr(network, s), list))
    return Migrated(source, target, network.name, entities, len(journal.entries))
