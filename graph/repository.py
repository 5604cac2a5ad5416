"""The storage seam: one small Protocol, implemented by every backend.

Backends: :class:`graph.backends.sqlite.SqliteRepository` (one SQLite database file: the
embedded default), :class:`graph.backends.memory.MemoryRepository` (in memory, the fake
for tests, or kept in one JSON file for small offline copies) and, for shared use, a
Neo4j backend. Every backend passes the same contract tests
(``tests/test_repository_contract.py``).

Every write is recorded in the journal (versions and audit trail, :mod:`graph.journal`)
in the same atomic step. All writes are all-or-nothing: a network that breaks its rules raises
:class:`graph.errors.InvalidNetworkError` and leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from graph.edit import entity_key, find
from graph.journal import AuditEntry, Edit, Journal
from graph.network import Network

__all__ = ["TOOL_ACTOR", "EditsThroughJournal", "ReplaceCheck", "Repository"]

ReplaceCheck = Callable[[Network | None, Journal], None]
"""Called by ``replace`` under the store's lock (see :meth:`Repository.replace`)."""

TOOL_ACTOR = "lotse"
"""Who changed it, in the audit trail, when the command line or a library call did."""


@runtime_checkable
class Repository(Protocol):
    """Where a network is kept."""

    @property
    def location(self) -> str:
        """Where the store is, for messages (a path or a URI without password)."""
        ...

    def is_empty(self) -> bool:
        """True when nothing has been saved yet."""
        ...

    def load(self) -> Network:
        """The stored network (StoreError with a German hint when the store is empty)."""
        ...

    def save(self, network: Network) -> None:
        """Replace the stored network as a whole, atomically."""
        ...

    def get(self, section: str, entity_id: str) -> BaseModel:
        """One entity of a section ("services", "providers", ...), or NotFoundError."""
        ...

    def put(self, section: str, entity: BaseModel) -> Network:
        """Insert or replace one entity (by id); the whole network is checked first."""
        ...

    def delete(self, section: str, entity_id: str) -> Network:
        """Remove one entity; refused (InvalidNetworkError) while others reference it."""
        ...

    def journal(self) -> Journal:
        """Versions and the whole audit trail."""
        ...

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        """One checked change with its audit entry, atomically; a stale
        ``expected_version`` raises ConflictError and changes nothing."""
        ...

    def replace(self, network: Network, actor: str, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network (an import), recorded as one audit entry (``note`` is
        added to its summary, e.g. which backup was restored). ``check``
        is called with the stored network (None: empty) and journal under the store's
        lock before anything is written; what it raises leaves the store as it was."""
        ...

    def revision(self) -> str:
        """A token that changes with every write (readers use it to reload)."""
        ...


class EditsThroughJournal:
    """``get``, ``put`` and ``delete`` of a backend that reads with ``load`` and changes
    through journaled ``apply`` (the same for every backend)."""

    def load(self) -> Network:
        raise NotImplementedError

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        raise NotImplementedError

    def get(self, section: str, entity_id: str) -> BaseModel:
        return find(self.load(), section, entity_id)

    def put(self, section: str, entity: BaseModel) -> Network:
        return self.apply(Edit(section, entity_key(entity), entity, TOOL_ACTOR))[0]

    def delete(self, section: str, entity_id: str) -> Network:
        return self.apply(Edit(section, entity_id, None, TOOL_ACTOR))[0]

    def change(self, edit: Edit) -> AuditEntry:
        """``apply`` for a caller that does not need the network afterwards: a backend
        may then check the change against the part of the network it touches (Neo4j)."""
        return self.apply(edit)[1]
