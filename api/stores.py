"""The one place that turns a ``--store`` value into a concrete backend.

A file path (the default, ``lotse-speicher.json``) opens the embedded store; a
``neo4j://`` or ``bolt://`` URI (path = database) opens the Neo4j backend, with user and
password from ``LOTSE_NEO4J_USER`` / ``LOTSE_NEO4J_PASSWORD``.

>>> open_store("/tmp/beispiel.json").location
'/tmp/beispiel.json'
"""

from __future__ import annotations

import os

from graph.backends.memory import MemoryRepository
from graph.errors import StoreUnavailableError
from graph.repository import Repository

__all__ = ["DEFAULT_STORE", "STORE_ENV", "default_store", "is_server", "open_store"]

STORE_ENV = "LOTSE_STORE"
DEFAULT_STORE = "lotse-speicher.json"
_SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                   "bolt+ssc://")


def default_store() -> str:
    """``$LOTSE_STORE`` or ``lotse-speicher.json`` in the current folder."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


def is_server(spec: str) -> bool:
    """Whether ``spec`` names a database server rather than a file."""
    return spec.startswith(_SERVER_SCHEMES)


def open_store(spec: str | None = None) -> Repository:
    """The repository for a path or URI (default: :func:`default_store`)."""
    spec = spec or default_store()
    if spec.startswith(_SERVER_SCHEMES):
        from graph.backends.neo4j import Neo4jRepository

        return Neo4jRepository.from_uri(spec)
    if "://" in spec:
        raise StoreUnavailableError(
            f"Unbekannte Speicheradresse '{spec.split('://')[0]}://…': erlaubt sind ein "
            "Dateipfad oder neo4j://, bolt:// (auch +s, +ssc).")
    return MemoryRepository(spec)
