"""How a use case holds the store it works on.

A use case takes any :class:`graph.repository.Repository`: the command line passes the
backend itself, the server its shared state (:class:`api.web.state.StoreState`), which
is a repository too and wraps the backend. What a use case needs beyond the Protocol:

* :func:`writing` – its write lock, so that a backup and the replace after it see the
  same state in this process (between processes the store's own transaction decides,
  :func:`graph.repository.at_version`);
* :func:`backing` – the backend itself, for backups of its file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from graph.repository import Repository

__all__ = ["SharedStore", "backing", "writing"]


@runtime_checkable
class SharedStore(Protocol):
    """A repository shared by many requests that wraps a backend."""

    @property
    def backing(self) -> Repository: ...

    def write_lock(self) -> contextlib.AbstractContextManager[object]: ...


def backing(repo: Repository) -> Repository:
    """The backend under ``repo`` (``repo`` itself when it is one)."""
    return repo.backing if isinstance(repo, SharedStore) else repo


@contextlib.contextmanager
def writing(repo: Repository) -> Iterator[None]:
    """Hold ``repo``'s write lock (a backend alone needs none: its transaction decides)."""
    if isinstance(repo, SharedStore):
        with repo.write_lock():
            yield
    else:
        yield
