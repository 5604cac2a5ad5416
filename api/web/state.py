"""The network as the API sees it: loaded once per store revision, shared by requests.

Reads take a snapshot (network, journal) that stays consistent for the whole request;
writes go through the repository (atomic, journaled) under one lock per process, and
the next read sees the new revision. Another process writing the same store (the CLI,
a second worker) changes the revision too, so nobody reads a stale chain for long.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import orjson

from api.web.memory import return_free_memory
from graph.incremental import locate
from graph.journal import AuditEntry, Edit, Journal
from graph.network import Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck, Repository
from lotsen.index import get_index
from lotsen.index_update import index_after
from lotsen.memo import BoundedMemo

__all__ = ["Snapshot", "StoreState"]


@dataclass(frozen=True)
class Snapshot:
    revision: str
    network: Network
    journal: Journal
    cache: dict[str, Any] = field(default_factory=dict)  # answers for this state only

    @property
    def version(self) -> int:
        """The content version of the whole network: the number of the last recorded
        change (every write is journaled), the ETag of ``/network``."""
        return self.journal.next_seq - 1

    def json_answer(self, question: str, key: Hashable, answer: Callable[[], Any],
                    keep: int) -> bytes:
        """The JSON body of an answer that depends only on this state and ``key``: made
        once, then kept with the state (the ``keep`` answers used last per question, at
        most :data:`ANSWER_BYTES` of them)."""
        kept: BoundedMemo = self.cache.setdefault(question,
                                                  BoundedMemo(keep, max_bytes=ANSWER_BYTES))
        body: bytes | None = kept.get(key)
        if body is None:
            body = encode_json(answer())
            kept[key] = body
        return body


ANSWER_BYTES = 32 * 1024 * 1024
"""Bytes of encoded answers kept per question and state (a quarter's findings in a city
network are about 200 KB: 10,000 kept by count alone would be 2 GB)."""


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON, as ``json.dumps(..., ensure_ascii=False)`` writes it, made by
    orjson (a tenth of the time for a quarter's findings); what orjson refuses (a number
    too large for it, a key that is no string) takes the standard library's way.

    >>> encode_json({"Träger": [1, None, "Kita"]})
    b'{"Tr\xc3\xa4ger":[1,null,"Kita"]}'
    """
    try:
        return orjson.dumps(data)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


FREEZE_FROM = 2_000
"""From this many services and transitions on, a loaded state is moved out of the cyclic
garbage collector's reach (``gc.freeze``); below it a full collection on every change
costs more than it saves. At 2,000 services and 3,400 transitions an automatic full
collection walked 200,000 objects for 45 ms, several times a minute while answering
questions – the p99 of the soak benchmark (issue 16) – against one such collection per
change when frozen."""


class StoreState(EditsThroughJournal):
    """The store as the server shares it between requests – a
    :class:`graph.repository.Repository` itself, so that every use case
    (:mod:`api.usecases`) takes it as it takes a backend."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._snapshot: Snapshot | None = None
        self._stale = False
        self._write = threading.RLock()
        self._load = threading.Lock()
        self._writing = False  # a change is being written: readers take the snapshot held
        self._retired: Network | None = None  # the network before the current one

    def snapshot(self) -> Snapshot:
        """The current network and journal (reloaded only when the store changed)."""
        current = self._snapshot
        if self._writing and current is not None:
            return current  # the state before the change being written, until it is there
        revision = self.repo.revision()
        if current is None or self._stale or current.revision != revision:
            # one thread loads, the others wait for it (two questions at the first
            # moment of a fresh server must not build the state twice at once)
            with self._load:
                return self._reload()
        return current

    def _reload(self) -> Snapshot:
        revision = self.repo.revision()
        current = self._snapshot
        if current is None or self._stale or current.revision != revision:
            previous = current
            self._stale = False
            current = Snapshot(revision, self.repo.load(), self.repo.journal())
            get_index(current.network)  # lives as long as the state: built before the freeze
            self._snapshot = current
            if previous is not None and previous.network is not current.network:
                # a network and its analysis index point at each other: without the index
                # the earlier state is freed as soon as no request uses it any more
                previous.network.cache.clear()
            net = current.network
            if len(net.services) + len(net.transitions) >= FREEZE_FROM:
                # a city network and its index are millions of objects that live until
                # the next change: keep the cyclic garbage collector from walking them
                # again and again (the earlier state is thawed and collected first)
                gc.unfreeze()
                gc.collect()
                gc.freeze()
                return_free_memory()  # what reading the store made and dropped
        return current

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        """One change; the state after it is made here, from the state before it (the
        network the store returns and the analysis index updated where the change
        touches it), while readers go on answering from the state before."""
        with self._write:
            previous = self._snapshot
            self._writing = True
            try:
                result = self.repo.apply(edit)
                self._stale = True
                if previous is not None:
                    self._install_after(previous, edit, *result)
            finally:
                self._writing = False
            return result

    def _install_after(self, previous: Snapshot, edit: Edit, network: Network,
                       entry: AuditEntry) -> None:
        """The snapshot after this process's own change, without reloading the store."""
        if entry.seq != previous.version + 1:
            return  # someone else wrote in between: the next read loads the store
        before = locate(previous.network, edit.section, edit.key)
        after = locate(network, edit.section, edit.key)
        with self._load:
            if index_after(previous.network, network, edit.section, before, after) is None:
                get_index(network)  # the whole index, built here and not on the event loop
            current = Snapshot(self.repo.revision(), network, self.repo.journal())
            retired, self._retired = self._retired, previous.network
            self._snapshot = current
            self._stale = False
            if retired is not None and retired is not network:
                # the state before the previous one: no request uses it any more; a network
                # and its index point at each other, without it both are freed
                retired.cache.clear()

    def replace(self, network: Network, actor: str, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network (:meth:`graph.repository.Repository.replace`: ``check``
        is decided inside the store's own write transaction, so that a change another
        process made in between is never overwritten); the next read loads the new state."""
        with self._write:
            try:
                return self.repo.replace(network, actor, note=note, check=check)
            finally:
                self._stale = True

    # -- the rest of the Repository Protocol: use cases take this state like a backend --
    @property
    def backing(self) -> Repository:
        """The backend this state is kept from (backups are made of its file)."""
        return self.repo

    def write_lock(self) -> contextlib.AbstractContextManager[object]:
        """This process's write lock (re-entrant: a use case holds it around a backup and
        the replace after it)."""
        return self._write

    @property
    def location(self) -> str:
        return self.repo.location

    def is_empty(self) -> bool:
        return self.repo.is_empty()

    def load(self) -> Network:
        return self.snapshot().network

    def journal(self) -> Journal:
        return self.snapshot().journal

    def save(self, network: Network) -> None:
        self.replace(network, TOOL_ACTOR)

    def revision(self) -> str:
        return self.repo.revision()
