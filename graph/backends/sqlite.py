"""The embedded default store: one SQLite database file (standard library, WAL mode).

The network stays in memory for the algorithms (the pydantic network, its analysis index
and, on request, its networkx graph); the database is where it is kept:

=============  =========================================================================
table          what it holds
=============  =========================================================================
``meta``       format, store schema, the network's name/description/catalogue, the
               revision (a counter every write raises) and the last audit number
``entities``   one row per entity: section, id, position, version, its JSON; a deleted
               entity stays as a row without JSON so that its version lives on
``quarters``   (section, id, quarter) for every entity that belongs to a quarter,
               indexed by quarter: what one quarter's question reads
``refs``       (section, id, ref): the ids an entity refers to (a transition's services,
               owner and agreements, a service's provider, ...), indexed by ``ref``
``audit``      the journal's audit trail, append-only (triggers refuse UPDATE/DELETE)
=============  =========================================================================

* One transaction per change (``BEGIN IMMEDIATE``): the change, its audit entry and the
  new revision are written together or not at all. A writer killed at any moment leaves
  the old or the new state (SQLite's write-ahead log), never a mix.
* Several processes read and write one database: readers never wait (WAL); a writer
  waits up to ``busy_timeout`` seconds for another one, then gets
  :class:`graph.errors.StoreLockedError` (HTTP 423) with a German message.
* A change writes only the rows it touches: its cost does not grow with the history.
* After a local change the network in memory is the changed one (no reload); when
  another process changed the revision, the next read loads the database again.
* ``synchronous=FULL``: a change is on the disk when ``apply`` returns.
* A question about some quarters can read just their part (:meth:`load_quarters`).

The tables and rows are in :mod:`graph.backends.sqlite_rows`, the per-quarter read in
:mod:`graph.backends.sqlite_part`; backups in :mod:`graph.backup`, the conversion of an
old JSON store in :mod:`graph.migration`.

>>> import tempfile, pathlib
>>> from graph.network import Network
>>> repo = SqliteRepository(pathlib.Path(tempfile.mkdtemp()) / "kette.sqlite")
>>> repo.is_empty()
True
>>> repo.save(Network(name="Test"))
>>> repo.load().name, repo.revision()
('Test', 's1')
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from graph.backends.sqlite_part import read_part
from graph.backends.sqlite_rows import (
    CONTENT_SUM,
    SCHEMA,
    SQLITE_FORMAT,
    SQLITE_SCHEMA_VERSION,
    append,
    meta,
    read_network,
    stored_format,
    write_database,
    write_entity,
    write_network,
)
from graph.edit import find
from graph.errors import (
    NotFoundError,
    StoreCorruptError,
    StoreEmptyError,
    StoreError,
    StoreLockedError,
)
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import, journal_key
from graph.network import Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck
from graph.snapshot import read_snapshot, want_snapshot

if TYPE_CHECKING:  # networkx loads only when the graph is asked for (lotse starts fast)
    import networkx as nx

__all__ = ["SQLITE_FORMAT", "SQLITE_SCHEMA_VERSION", "SqliteRepository", "write_database"]

_EMPTY_HINT = ("Der Speicher '{where}' ist leer. Laden Sie zuerst ein Netzwerk, z. B. "
               "mit 'lotse load brunnenstrasse' oder 'lotse load meine-kette.yaml'.")


class SqliteRepository(EditsThroughJournal):
    """A network kept in one SQLite database file (see the module docstring)."""

    def __init__(self, path: str | Path, busy_timeout: float = 10.0,
                 synchronous: str = "FULL") -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.synchronous = synchronous
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()  # one connection, shared by the threads of a server
        self._revision: int | None = None  # of the state held in memory
        self._network: Network | None = None
        self._versions: dict[str, int] = {}
        self._last_seq = 0
        self._entries: list[AuditEntry] = []  # the audit trail read so far (oldest first)
        self._graph: nx.MultiDiGraph | None = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SqliteRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- Repository --------------------------------------------------------------------
    @property
    def location(self) -> str:
        return str(self.path)

    def is_empty(self) -> bool:
        with self._reading() as conn:
            return conn is None or meta(conn, "network") is None

    def load(self) -> Network:
        with self._reading() as conn:
            network = self._current(conn) if conn is not None else None
        if network is None:
            raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
        return network

    def save(self, network: Network) -> None:
        self.replace(network, TOOL_ACTOR)

    def journal(self) -> Journal:
        with self._reading() as conn:
            if conn is None:
                return Journal()
            self._current(conn)
            rows = conn.execute("SELECT data FROM audit WHERE seq > ? ORDER BY seq",
                                (self._entries[-1].seq if self._entries else 0,)).fetchall()
            self._entries.extend(AuditEntry.model_validate_json(r[0]) for r in rows)
            return Journal.model_construct(versions=dict(self._versions),
                                           entries=list(self._entries),
                                           last_seq=self._last_seq)

    def history(self, section: str, entity_id: str) -> list[AuditEntry]:
        """The audit entries of one entity (an index seek, not the whole trail)."""
        with self._reading() as conn:
            if conn is None:
                return []
            rows = conn.execute("SELECT data FROM audit WHERE section = ? AND entity_id = ? "
                                "ORDER BY seq", (section, entity_id)).fetchall()
        return [AuditEntry.model_validate_json(r[0]) for r in rows]

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        with self._lock:  # the state in memory follows the commit before anyone reads
            with self._writing(create=False) as conn:
                current = self._current(conn) if conn is not None else None
                if conn is None or current is None:
                    raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
                journal = Journal.model_construct(versions=self._versions, entries=[],
                                                  last_seq=self._last_seq)
                new, after, entry = apply_edit(current, journal, edit)
                entity = None if edit.entity is None else find(new, edit.section, edit.key)
                write_entity(conn, edit.section, edit.key, entity,
                              after.versions.get(journal_key(edit.section, edit.key)))
                revision = append(conn, entry)
            graph = self._graph
            self._remember(revision, new, after.versions, entry)
            if graph is not None:  # kept current by the change itself
                from graph.graph_sync import update_graph

                update_graph(graph, edit.section, _find_or_none(current, edit), entity)
                self._graph = graph
            return new, entry

    def replace(self, network: Network, actor: str, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network (one audit entry; ``note`` is added to its summary,
        e.g. which backup was restored; ``check`` sees the stored state under the lock
        before anything is written)."""
        with self._lock:
            with self._writing(create=True) as conn:
                assert conn is not None
                old = self._current(conn)
                journal = Journal.model_construct(versions=self._versions, entries=[],
                                                  last_seq=self._last_seq)
                if check is not None:
                    check(old, journal)
                after, entry = apply_import(old, network, journal, actor, note=note)
                conn.execute("DELETE FROM entities")
                conn.execute("DELETE FROM quarters")
                conn.execute("DELETE FROM refs")
                write_network(conn, network, after.versions)
                revision = append(conn, entry)
            self._remember(revision, network, after.versions, entry)
            self._graph = None
            return entry

    def revision(self) -> str:
        with self._reading() as conn:
            if conn is None:
                return "leer"
            value = meta(conn, "revision")
        return f"s{value}" if value is not None else "leer"

    # -- extras of this backend ----------------------------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The stored network as a networkx property graph: built once, then kept current
        by this process's own changes (another process's change builds it again)."""
        with self._lock:
            net = self.load()  # a change by another process drops the graph
            if self._graph is None:
                from graph.property_graph import to_networkx

                self._graph = to_networkx(net)
            return self._graph

    def load_quarters(self, wanted: Sequence[str]) -> Network:
        """The part of the network a question about these quarters needs, read through
        the indexes without the rest of the network.

        The quarters (by id or name) with their districts and municipalities; the
        services serving them; every transition into or out of those services and the
        services at its other end (neighbours across the border) with the quarters they
        serve; the providers, agreements and referral flows all of these refer to; the
        measures of those providers; every accepted finding. Restricted to the quarters,
        it equals the whole network restricted to them.
        """
        with self._reading() as conn:
            header = meta(conn, "network") if conn is not None else None
            if conn is None or header is None:
                raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
            return read_part(conn, json.loads(header), list(wanted), self.location)

    def quarter_entities(self, quarter_id: str) -> dict[str, list[str]]:
        """The ids of the entities that belong to one quarter, by section (an index
        read: services serving it, the quarter itself)."""
        with self._reading() as conn:
            if conn is None:
                return {}
            rows = conn.execute("SELECT section, id FROM quarters WHERE quarter = ? "
                                "ORDER BY section, id", (quarter_id,)).fetchall()
        found: dict[str, list[str]] = {}
        for section, key in rows:
            found.setdefault(section, []).append(key)
        return found

    def integrity(self) -> str:
        """SQLite's own check of the database file ('ok' when it is sound)."""
        with self._reading() as conn:
            if conn is None:
                return "ok"
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the database in ``target`` (SQLite's online backup: other
        processes may go on reading and writing), written under a temporary name and
        renamed into place when complete."""
        temp = target.with_name(f".lotse-tmp-{target.name}")
        with self._lock, self._translate():
            conn = self._connect(create=False)
            if conn is None or meta(conn, "network") is None:
                raise StoreEmptyError(_EMPTY_HINT.format(where=self.location))
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = sqlite3.connect(temp)
            try:
                conn.backup(copy)
            finally:
                copy.close()
            os.replace(temp, target)

    # -- internals ---------------------------------------------------------------------
    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not self.path.exists():
            if not create:
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # never open the file any other way: closing a second descriptor of it would drop
        # SQLite's POSIX locks of this process (see the SQLite docs, "How To Corrupt")
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            stored = stored_format(conn)
            if stored is None:  # a new database: create the tables (a write)
                conn.execute("BEGIN IMMEDIATE")
                for statement in SCHEMA.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                stored = meta(conn, "format")
            else:
                conn.execute("BEGIN")
            if stored is None:
                conn.execute("INSERT INTO meta VALUES ('format', ?), ('store_schema', ?), "
                             "('revision', '0'), ('last_seq', '0')",
                             (SQLITE_FORMAT, str(SQLITE_SCHEMA_VERSION)))
            elif stored != SQLITE_FORMAT:
                raise StoreCorruptError(f"'{self.location}' ist eine SQLite-Datenbank, aber "
                                        "kein Speicher von lotse.")
            version = int(meta(conn, "store_schema") or 0)
            if version > SQLITE_SCHEMA_VERSION:
                raise StoreCorruptError(
                    f"Der Speicher '{self.location}' hat Schema-Version {version}; diese "
                    f"Version von lotse kennt nur {SQLITE_SCHEMA_VERSION}. Bitte "
                    "lotsensystem aktualisieren.")
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.close()
            raise self._translated(exc) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc):
                raise StoreCorruptError(
                    f"'{self.location}' ist keine SQLite-Datenbank von lotse. Eine alte "
                    "Speicherdatei (JSON) wandelt 'lotse migrate ALT.json NEU.sqlite' um; "
                    "Netzwerk-Dokumente lädt 'lotse load DATEI'.") from None
            raise StoreCorruptError(f"Die Datenbank '{self.location}' ist beschädigt ({exc}). "
                                    "Stellen Sie eine Sicherung wieder her ('lotse backups', "
                                    "'lotse restore').") from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A read transaction: everything read inside it is one consistent state."""
        with self._lock, self._translate():
            conn = self._connect(create=False)
            if conn is None:
                yield None
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self, create: bool) -> Iterator[sqlite3.Connection | None]:
        """One write transaction (waits up to ``busy_timeout`` for another writer)."""
        with self._lock, self._translate():
            conn = self._connect(create=create)
            if conn is None:
                yield None
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise self._translated(exc) from None
        except sqlite3.DatabaseError as exc:
            raise StoreCorruptError(f"Die Datenbank '{self.location}' ist beschädigt ({exc}). "
                                    "Stellen Sie eine Sicherung wieder her ('lotse backups', "
                                    "'lotse restore').") from None

    def _translated(self, exc: sqlite3.OperationalError) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreLockedError(
                f"Der Speicher '{self.location}' wird gerade von einem anderen Vorgang "
                f"geschrieben (länger als {self.busy_timeout:g} s). Bitte kurz warten und "
                "erneut versuchen.")
        return StoreError(f"Der Speicher '{self.location}' kann nicht benutzt werden: {text}. "
                          "Prüfen Sie Pfad und Schreibrechte.")

    def _current(self, conn: sqlite3.Connection) -> Network | None:
        """The stored network (None: empty), read again only when the revision changed;
        call inside a transaction."""
        revision = int(meta(conn, "revision") or 0)
        if revision == self._revision:
            return self._network
        header = meta(conn, "network")
        if header is None:
            network = None
            versions: dict[str, int] = {}
        else:
            key = _snapshot_key(conn, revision, header)
            network = read_snapshot(self.path, key) if key is not None else None
            if network is not None:  # the quick-start file of exactly this state
                versions = dict(conn.execute(
                    "SELECT section || '/' || id, version FROM entities "
                    "WHERE version IS NOT NULL"))
            else:
                network, versions = read_network(conn, json.loads(header), self.location)
                if key is not None:
                    want_snapshot(self.path, key, network)
        last_seq = int(meta(conn, "last_seq") or 0)
        if self._entries and (last_seq < self._entries[-1].seq or self._revision is None):
            self._entries = []
        self._revision, self._network, self._versions = revision, network, versions
        self._last_seq = last_seq
        self._graph = None
        return network

    def _remember(self, revision: int, network: Network, versions: dict[str, int],
                  entry: AuditEntry) -> None:
        """The state after this process's own committed write (no reload needed)."""
        complete = self._entries and self._entries[-1].seq == entry.seq - 1
        if complete or (not self._entries and entry.seq == 1):
            self._entries.append(entry)
        else:
            self._entries = []
        self._revision, self._network, self._versions = revision, network, versions
        self._last_seq = entry.seq



def _snapshot_key(conn: sqlite3.Connection, revision: int, header: str) -> dict[str, Any] | None:
    """The state a quick-start file must have been made from (None: a store without the
    checksum, written by an older lotse: it gets none)."""
    content_sum = meta(conn, CONTENT_SUM)
    if content_sum is None:
        return None
    return {"revision": revision, "content_sum": content_sum,
            "last_seq": meta(conn, "last_seq"),
            "header": hashlib.sha256(header.encode()).hexdigest()}


def _find_or_none(net: Network | None, edit: Edit) -> BaseModel | None:
    if net is None:
        return None
    try:
        return find(net, edit.section, edit.key)
    except NotFoundError:
        return None

