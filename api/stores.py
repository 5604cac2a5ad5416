"""The one place that turns a ``--store`` value into a concrete backend.

A file path (the default, ``lotse-speicher.json``) opens the embedded store;
``neo4j://`` and ``bolt://`` URIs are reserved for the Neo4j backend.

>>> open_store("/tmp/beispiel.json").location
'/tmp/beispiel.json'
"""

from __future__ import annotations

import os

from graph.backends.memory import MemoryRepository
from graph.errors import StoreUnavailableError
from graph.repository import Repository

__all__ = ["DEFAULT_STORE", "STORE_ENV", "default_store", "open_store"]

STORE_ENV = "LOTSE_STORE"
DEFAULT_STORE = "lotse-speicher.json"
_SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                   "bolt+ssc://")


def default_store() -> str:
    """``$LOTSE_STORE`` or ``lotse-speicher.json`` in the current folder."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(spec: str | None = None) -> Repository:
    """The repository for a path or URI (default: :func:`default_store`)."""
    spec = spec or default_store()
    if spec.startswith(_SERVER_SCHEMES):
        raise StoreUnavailableError(
            "Die Neo4j-Anbindung ist in dieser Version noch nicht enthalten. Bitte einen "
            "Dateipfad als Speicher angeben (z. B. --store lotse-speicher.json).")
    return MemoryRepository(spec)
