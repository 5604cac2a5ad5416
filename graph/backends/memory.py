"""The network in memory (with its networkx graph), optionally kept in one JSON file:
the fake for tests and the store for small offline copies (``*.json``). The embedded
default is the SQLite store (:mod:`graph.backends.sqlite`). No server needed.

* Writes are atomic (temporary file, fsync, rename): after a crash the file holds the
  old or the new state, never a broken one.
* Two processes never write at once: writers take an exclusive lock file
  (``<store>.lock``, released by the OS if a writer dies); read-modify-write
  (``put``/``delete``) re-reads the file under that lock, so no update is lost.
* The file carries a schema version; a newer one is refused with a clear message.
* The journal (versions and audit trail, :mod:`graph.journal`) lives in the same file
  and is written in the same atomic step as the network.
* Without a path the store lives only in memory: the fake for unit tests.

>>> from graph.network import Network
>>> repo = MemoryRepository()
>>> repo.is_empty()
True
>>> repo.save(Network(name="Test"))
>>> repo.load().name
'Test'
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock
from filelock import Timeout as LockTimeout

from graph.atomic import atomic_write_bytes, remove_stale_temp_files
from graph.errors import (
    FormatError,
    InvalidNetworkError,
    StoreCorruptError,
    StoreEmptyError,
    StoreLockedError,
)
from graph.formats.document import iter_json, parse
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import
from graph.network import Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck

if TYPE_CHECKING:  # networkx loads only when the graph is asked for (lotse starts fast)
    import networkx as nx

__all__ = ["STORE_FORMAT", "STORE_SCHEMA_VERSION", "MemoryRepository"]

STORE_FORMAT = "lotsensystem-speicher"
STORE_SCHEMA_VERSION = 1
_EMPTY_HINT = ("Der Speicher '{where}' ist leer. Laden Sie zuerst ein Netzwerk, z. B. "
               "mit 'lotse load brunnenstrasse' oder 'lotse load meine-kette.yaml'.")


class MemoryRepository(EditsThroughJournal):
    """Network in memory, optionally persisted to one file (see module docstring)."""

    def __init__(self, path: str | Path | None = None, lock_timeout: float = 10.0) -> None:
        self.path = Path(path) if path is not None else None
        self.lock_timeout = lock_timeout
        self._network: Network | None = None
        self._journal = Journal()
        self._graph: nx.MultiDiGraph | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._lock = (FileLock(str(self.path) + ".lock", timeout=lock_timeout)
                      if self.path is not None else None)

    # -- Repository ------------------------------------------------------------
    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else "<Arbeitsspeicher>"

    def is_empty(self) -> bool:
        if self.path is None:
            return self._network is None
        return not self.path.exists()

    def load(self) -> Network:
        if self.path is not None:
            self._refresh()
        if self._network is None:
            raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
        return self._network

    def save(self, network: Network) -> None:
        self.replace(network, TOOL_ACTOR)

    def journal(self) -> Journal:
        if self.path is not None:
            self._refresh()
        return self._journal

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        with self._write_lock():
            current = self._current_or_empty()
            new, journal, entry = apply_edit(current, self.journal(), edit)
            self._write(new, journal)
            return new, entry

    def replace(self, network: Network, actor: str, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network (one audit entry; ``note`` is added to its summary,
        e.g. which backup was restored; ``check`` runs under the lock first)."""
        with self._write_lock():
            old = None if self.is_empty() else self.load()
            if check is not None:
                check(old, self.journal())
            journal, entry = apply_import(old, network, self.journal(), actor, note=note)
            self._write(network, journal)
            return entry

    def revision(self) -> str:
        if self.path is None:
            return f"m{len(self._journal.entries)}"
        try:
            return "-".join(map(str, _stamp(self.path)))
        except FileNotFoundError:
            return "leer"

    # -- extras of this backend --------------------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The stored network as a networkx property graph (built once per state)."""
        net = self.load()
        if self._graph is None:
            from graph.property_graph import to_networkx

            self._graph = to_networkx(net)
        return self._graph

    # -- internals ----------------------------------------------------------------
    def _current_or_empty(self) -> Network:
        if self.is_empty():
            raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
        return self.load()

    def _write_lock(self) -> Any:
        if self._lock is None:
            return _NoLock()
        return _Locked(self._lock, self.location)

    def _write(self, network: Network, journal: Journal) -> None:
        if self.path is not None:
            remove_stale_temp_files(self.path)
            atomic_write_bytes(self.path, _encode(network, journal))
            self._stamp = _stamp(self.path)
        self._network = network
        self._journal = journal
        self._graph = None

    def _refresh(self) -> None:
        assert self.path is not None
        try:
            stamp = _stamp(self.path)
        except FileNotFoundError:
            self._network, self._graph, self._stamp = None, None, None
            self._journal = Journal()
            return
        if stamp == self._stamp and self._network is not None:
            return
        self._network, self._journal = _decode(self.path)
        self._graph = None
        self._stamp = stamp


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _Locked:
    def __init__(self, lock: FileLock, where: str) -> None:
        self.lock, self.where = lock, where

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except LockTimeout:
            raise StoreLockedError(
                f"Der Speicher '{self.where}' wird gerade von einem anderen Vorgang "
                f"geschrieben (Sperre {self.lock.lock_file}). Bitte kurz warten und "
                "erneut versuchen.") from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _stamp(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _encode(network: Network, journal: Journal) -> Iterator[bytes]:
    """The store file in pieces: header, the network document streamed, the journal."""
    header = {
        "format": STORE_FORMAT,
        "schema_version": STORE_SCHEMA_VERSION,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    yield json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1].encode("utf-8")
    yield b',"network":'
    yield from iter_json(network)
    yield b',"journal":'
    yield journal.model_dump_json().encode("utf-8")
    yield b"}"


def _decode(path: Path) -> tuple[Network, Journal]:
    where = str(path)
    try:
        document = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreCorruptError(
            f"Die Speicherdatei '{where}' ist beschädigt ({exc}). Sie wurde nicht von "
            "lotse geschrieben oder von Hand verändert. Stellen Sie eine Sicherung wieder "
            "her oder laden Sie das Netzwerk neu mit 'lotse load'.") from None
    if not isinstance(document, dict) or document.get("format") != STORE_FORMAT:
        raise StoreCorruptError(
            f"'{where}' ist keine Speicherdatei von lotse. Netzwerk-Dokumente (YAML/JSON) "
            "werden mit 'lotse load DATEI' in den Speicher geladen.")
    version = document.get("schema_version")
    if version != STORE_SCHEMA_VERSION:
        raise StoreCorruptError(
            f"Die Speicherdatei '{where}' hat Schema-Version {version!r}; diese Version "
            f"von lotse kennt nur {STORE_SCHEMA_VERSION}. Bitte lotsensystem aktualisieren.")
    try:
        network = parse(document.get("network"), source=where)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Die Speicherdatei '{where}' enthält ein ungültiges "
                                f"Netzwerk:\n{exc}") from None
    try:
        journal = Journal.model_validate(document.get("journal") or {})
    except ValueError as exc:
        raise StoreCorruptError(f"Das Änderungsprotokoll in '{where}' ist beschädigt: "
                                f"{exc}") from None
    return network, journal
