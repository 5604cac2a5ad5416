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
from graph.errors import ConflictError
from graph.journal import AuditEntry, Edit, Journal
from graph.network import Network

__all__ = ["TOOL_ACTOR", "EditsThroughJournal", "ReplaceCheck", "Repository", "all_checks",
           "at_version"]

ReplaceCheck = Callable[[Network | None, Journal], None]
"""Called by ``replace`` under the store's lock (see :meth:`Repository.replace`)."""



def at_version(expected: int | None, message: Callable[[int], str]) -> ReplaceCheck | None:
    """A ``check`` for :meth:`Repository.replace`: the store is still at change number
    ``expected`` (the ETag of ``/network``, what a person saw when she decided), decided
    under the store's own lock – in SQLite's ``BEGIN IMMEDIATE``, in Neo4j's journal
    lock – so that no other process can write in between (ConflictError with
    ``message(current)`` otherwise). None: no condition.

    >>> from graph.journal import Journal
    >>> check = at_version(3, lambda now: f"jetzt Stand {now}")
    >>> check(None, Journal(last_seq=3))
    >>> check(None, Journal(last_seq=4))
    Traceback (most recent call last):
    graph.errors.ConflictError: jetzt Stand 4
    """
    if expected is None:
        return None

    def still_at(_stored: Network | None, journal: Journal) -> None:
        current = journal.next_seq - 1
        if current != expected:
            raise ConflictError(message(current))

    return still_at


def all_checks(*checks: ReplaceCheck | None) -> ReplaceCheck | None:
    """One ``check`` that runs each given one in turn (None: none given)."""
    given = [c for c in checks if c is not None]
    if not given:
        return None

    def every(stored: Network | None, journal: Journal) -> None:
        for one in given:
            one(stored, journal)

    return every


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
