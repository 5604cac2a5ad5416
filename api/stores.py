"""The one place that turns a ``--store`` value into a concrete backend.

A file path opens an embedded store: a SQLite database (the default,
``lotse-speicher.sqlite``; any path but ``*.json``) or, for tests and small offline
copies, the JSON file store (``*.json``).
A ``neo4j://`` or ``bolt://`` URI (path = database) opens the Neo4j backend, with user
and password from ``LOTSE_NEO4J_USER`` / ``LOTSE_NEO4J_PASSWORD``.

When the default store (``lotse-speicher.sqlite`` in the current folder) does not exist
yet but the old default ``lotse-speicher.json`` does, the old one is converted on first
use (:func:`graph.migration.migrate_store`; the old file stays as it is).

>>> open_store("/tmp/beispiel.json").location
'/tmp/beispiel.json'
>>> type(open_store("/tmp/beispiel.sqlite")).__name__
'SqliteRepository'
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.errors import StoreUnavailableError
from graph.repository import Repository

__all__ = ["DEFAULT_STORE", "STORE_ENV", "default_store", "is_server", "open_store"]

STORE_ENV = "LOTSE_STORE"
DEFAULT_STORE = "lotse-speicher.sqlite"
OLD_DEFAULT_STORE = "lotse-speicher.json"
"""The default before issue 19: converted on first use (see the module docstring)."""
_SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                   "bolt+ssc://")


def default_store() -> str:
    """``$LOTSE_STORE`` or ``lotse-speicher.sqlite`` in the current folder."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


def is_server(spec: str) -> bool:
    """Whether ``spec`` names a database server rather than a file."""
    return spec.startswith(_SERVER_SCHEMES)


def open_store(spec: str | None = None) -> Repository:
    """The repository for a path or URI (default: :func:`default_store`)."""
    spec = spec or default_store()
    if spec == DEFAULT_STORE:  # also when lotse serve names the default
        _convert_old_default()
    if spec.startswith(_SERVER_SCHEMES):
        from graph.backends.neo4j import Neo4jRepository

        return Neo4jRepository.from_uri(spec)
    if "://" in spec:
        raise StoreUnavailableError(
            f"Unbekannte Speicheradresse '{spec.split('://')[0]}://…': erlaubt sind ein "
            "Dateipfad oder neo4j://, bolt:// (auch +s, +ssc).")
    return open_file_store(Path(spec))


def open_file_store(path: Path) -> MemoryRepository | SqliteRepository:
    """The embedded store kept in ``path``: JSON for ``*.json``, else SQLite (decided by
    the name only: reading a database file besides SQLite would break its locks)."""
    if path.suffix.lower() == ".json":
        return MemoryRepository(path)
    return SqliteRepository(path)


def _convert_old_default() -> None:
    new, old = Path(DEFAULT_STORE), Path(OLD_DEFAULT_STORE)
    if new.exists() or not old.is_file():
        return
    from graph.migration import migrate_store

    migrate_store(old, new)
    sys.stderr.write(f"Hinweis: Der alte Speicher {old} wurde nach {new} (SQLite) "
                     f"übernommen; {old} bleibt unverändert liegen.\n")
