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
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel

from graph.edit import entity_key, find
from graph.errors import (
    FormatError,
    InvalidNetworkError,
    NotFoundError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
)
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, parse, to_data
from graph.graph_sync import update_graph
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import, journal_key
from graph.network import ALL_SECTIONS, Network
from graph.property_graph import to_networkx
from graph.repository import TOOL_ACTOR, EditsThroughJournal

__all__ = ["SQLITE_FORMAT", "SQLITE_MAGIC", "SQLITE_SCHEMA_VERSION", "SqliteRepository",
           "write_database"]

SQLITE_FORMAT = "lotsensystem-speicher-sqlite"
SQLITE_SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""

_EMPTY_HINT = ("Der Speicher '{where}' ist leer. Laden Sie zuerst ein Netzwerk, z. B. "
               "mit 'lotse load brunnenstrasse' oder 'lotse load meine-kette.yaml'.")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    section TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL,
    version INTEGER, data TEXT,
    PRIMARY KEY (section, id));
CREATE INDEX IF NOT EXISTS entities_pos ON entities (section, pos);
CREATE TABLE IF NOT EXISTS quarters (
    section TEXT NOT NULL, id TEXT NOT NULL, quarter TEXT NOT NULL,
    PRIMARY KEY (section, id, quarter));
CREATE INDEX IF NOT EXISTS quarters_quarter ON quarters (quarter);
CREATE TABLE IF NOT EXISTS refs (
    section TEXT NOT NULL, id TEXT NOT NULL, ref TEXT NOT NULL,
    PRIMARY KEY (section, id, ref));
CREATE INDEX IF NOT EXISTS refs_ref ON refs (ref, section);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    section TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_entity ON audit (section, entity_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
"""


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
            return conn is None or _meta(conn, "network") is None

    def load(self) -> Network:
        with self._reading() as conn:
            network = self._current(conn) if conn is not None else None
        if network is None:
            raise StoreError(_EMPTY_HINT.format(where=self.location))
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
                    raise StoreError(_EMPTY_HINT.format(where=self.location))
                journal = Journal.model_construct(versions=self._versions, entries=[],
                                                  last_seq=self._last_seq)
                new, after, entry = apply_edit(current, journal, edit)
                entity = None if edit.entity is None else find(new, edit.section, edit.key)
                _write_entity(conn, edit.section, edit.key, entity,
                              after.versions.get(journal_key(edit.section, edit.key)))
                revision = _append(conn, entry)
            graph = self._graph
            self._remember(revision, new, after.versions, entry)
            if graph is not None:  # kept current by the change itself
                update_graph(graph, edit.section, _find_or_none(current, edit), entity)
                self._graph = graph
            return new, entry

    def replace(self, network: Network, actor: str,
                note: dict[str, Any] | None = None) -> AuditEntry:
        """Replace the whole network (one audit entry; ``note`` is added to its summary,
        e.g. which backup was restored)."""
        with self._lock:
            with self._writing(create=True) as conn:
                assert conn is not None
                old = self._current(conn)
                journal = Journal.model_construct(versions=self._versions, entries=[],
                                                  last_seq=self._last_seq)
                after, entry = apply_import(old, network, journal, actor, note=note)
                conn.execute("DELETE FROM entities")
                conn.execute("DELETE FROM quarters")
                conn.execute("DELETE FROM refs")
                _write_network(conn, network, after.versions)
                revision = _append(conn, entry)
            self._remember(revision, network, after.versions, entry)
            self._graph = None
            return entry

    def revision(self) -> str:
        with self._reading() as conn:
            if conn is None:
                return "leer"
            value = _meta(conn, "revision")
        return f"s{value}" if value is not None else "leer"

    # -- extras of this backend ----------------------------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The stored network as a networkx property graph: built once, then kept current
        by this process's own changes (another process's change builds it again)."""
        with self._lock:
            net = self.load()  # a change by another process drops the graph
            if self._graph is None:
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
            header = _meta(conn, "network") if conn is not None else None
            if conn is None or header is None:
                raise StoreError(_EMPTY_HINT.format(where=self.location))
            return _read_part(conn, json.loads(header), list(wanted), self.location)

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
            if conn is None or _meta(conn, "network") is None:
                raise StoreError(_EMPTY_HINT.format(where=self.location))
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
            stored = _stored_format(conn)
            if stored is None:  # a new database: create the tables (a write)
                conn.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                stored = _meta(conn, "format")
            else:
                conn.execute("BEGIN")
            if stored is None:
                conn.execute("INSERT INTO meta VALUES ('format', ?), ('store_schema', ?), "
                             "('revision', '0'), ('last_seq', '0')",
                             (SQLITE_FORMAT, str(SQLITE_SCHEMA_VERSION)))
            elif stored != SQLITE_FORMAT:
                raise StoreCorruptError(f"'{self.location}' ist eine SQLite-Datenbank, aber "
                                        "kein Speicher von lotse.")
            version = int(_meta(conn, "store_schema") or 0)
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
        revision = int(_meta(conn, "revision") or 0)
        if revision == self._revision:
            return self._network
        header = _meta(conn, "network")
        if header is None:
            network = None
            versions: dict[str, int] = {}
        else:
            network, versions = _read_network(conn, json.loads(header), self.location)
        last_seq = int(_meta(conn, "last_seq") or 0)
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


# -- rows ------------------------------------------------------------------------------


def _stored_format(conn: sqlite3.Connection) -> str | None:
    """The format row, read without taking the write lock (None: no tables yet)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
        return None
    return _meta(conn, "format")


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                 "value = excluded.value", (key, value))


def _dump(entity: BaseModel) -> str:
    return json.dumps(entity.model_dump(mode="json", exclude_defaults=True),
                      ensure_ascii=False, separators=(",", ":"))


def _quarters_of(section: str, entity: BaseModel) -> Iterable[str]:
    if section == "quarters":
        return [entity_key(entity)]
    if section == "services":
        return list(getattr(entity, "quarters", []))
    return []


def _refs_of(section: str, entity: Any) -> list[str]:
    """The ids ``entity`` refers to (what :meth:`SqliteRepository.load_quarters` follows)."""
    if section == "services":
        return [entity.provider]
    if section == "transitions":
        return [entity.source, entity.target, *([entity.owner] if entity.owner else []),
                *entity.agreements]
    if section == "agreements":
        return list(entity.parties)
    if section == "referral_flows":
        return [entity.transition]
    if section == "measures":
        return [entity.responsible]
    if section == "quarters":
        return [entity.district]
    if section == "districts":
        return [entity.municipality]
    return []


def _find_or_none(net: Network | None, edit: Edit) -> BaseModel | None:
    if net is None:
        return None
    try:
        return find(net, edit.section, edit.key)
    except NotFoundError:
        return None


def _write_entity(conn: sqlite3.Connection, section: str, key: str,
                  entity: BaseModel | None, version: int | None) -> None:
    """One entity as it now is (None: deleted, its version kept)."""
    conn.execute("DELETE FROM quarters WHERE section = ? AND id = ?", (section, key))
    conn.execute("DELETE FROM refs WHERE section = ? AND id = ?", (section, key))
    if entity is None:
        conn.execute("UPDATE entities SET data = NULL, version = ? WHERE section = ? AND "
                     "id = ?", (version, section, key))
        return
    row = conn.execute("SELECT data FROM entities WHERE section = ? AND id = ?",
                       (section, key)).fetchone()
    if row is not None and row[0] is not None:  # a change keeps its place
        conn.execute("UPDATE entities SET data = ?, version = ? WHERE section = ? AND id = ?",
                     (_dump(entity), version, section, key))
    else:  # new (or back after a delete): at the end, as in the network
        pos = conn.execute("SELECT coalesce(max(pos), -1) + 1 FROM entities WHERE "
                           "section = ?", (section,)).fetchone()[0]
        conn.execute("INSERT INTO entities VALUES (?, ?, ?, ?, ?) ON CONFLICT(section, id) "
                     "DO UPDATE SET pos = excluded.pos, version = excluded.version, "
                     "data = excluded.data", (section, key, pos, version, _dump(entity)))
    conn.executemany("INSERT OR IGNORE INTO quarters VALUES (?, ?, ?)",
                     [(section, key, q) for q in _quarters_of(section, entity)])
    conn.executemany("INSERT OR IGNORE INTO refs VALUES (?, ?, ?)",
                     [(section, key, r) for r in _refs_of(section, entity)])


def _write_network(conn: sqlite3.Connection, network: Network,
                   versions: dict[str, int]) -> None:
    """Every entity of ``network`` (the tables are empty), tombstones for the versions of
    entities it no longer has, and its header."""
    head = to_data(network.model_copy(update={s: [] for s in ALL_SECTIONS}))
    header = {"name": network.name, "description": network.description,
              "catalogue": head.get("catalogue"), "schema_version": SCHEMA_VERSION}
    _set_meta(conn, "network", json.dumps(header, ensure_ascii=False))
    present: set[str] = set()
    for section in ALL_SECTIONS:
        rows = []
        places: list[tuple[str, str, str]] = []
        refs: list[tuple[str, str, str]] = []
        for pos, entity in enumerate(getattr(network, section)):
            key = entity_key(entity)
            jkey = journal_key(section, key)
            present.add(jkey)
            rows.append((section, key, pos, versions.get(jkey), _dump(entity)))
            places.extend((section, key, q) for q in _quarters_of(section, entity))
            refs.extend((section, key, r) for r in _refs_of(section, entity))
        conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT OR IGNORE INTO quarters VALUES (?, ?, ?)", places)
        conn.executemany("INSERT OR IGNORE INTO refs VALUES (?, ?, ?)", refs)
    gone = []
    for jkey, version in versions.items():
        section, _, key = jkey.partition("/")
        if jkey not in present and section in ALL_SECTIONS:
            gone.append((section, key, -1, version))
    conn.executemany("INSERT INTO entities (section, id, pos, version) VALUES (?, ?, ?, ?)",
                     gone)


def _append(conn: sqlite3.Connection, entry: AuditEntry) -> int:
    """Append the audit entry and raise the revision; returns the new revision."""
    conn.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (entry.seq, entry.at.isoformat(), entry.actor, entry.action, entry.section,
                  entry.entity_id, entry.model_dump_json()))
    revision = int(_meta(conn, "revision") or 0) + 1
    _set_meta(conn, "revision", str(revision))
    _set_meta(conn, "last_seq", str(entry.seq))
    return revision


def _read_network(conn: sqlite3.Connection, header: dict[str, Any],
                  where: str) -> tuple[Network, dict[str, int]]:
    document: dict[str, Any] = {"format": FORMAT_NAME,
                                "schema_version": header.get("schema_version", SCHEMA_VERSION),
                                "name": header.get("name")}
    if header.get("description"):
        document["description"] = header["description"]
    if header.get("catalogue") is not None:
        document["catalogue"] = header["catalogue"]
    versions: dict[str, int] = {}
    for section, key, version, data in conn.execute(
            "SELECT section, id, version, data FROM entities ORDER BY section, pos"):
        if version is not None:
            versions[journal_key(section, key)] = version
        if data is not None:
            document.setdefault(section, []).append(json.loads(data))
    ordered = {k: v for k, v in document.items() if k not in ALL_SECTIONS}
    ordered.update({s: document[s] for s in ALL_SECTIONS if s in document})
    try:
        return parse(ordered, source=where), versions
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher '{where}' enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None


def _rows(conn: sqlite3.Connection, section: str, keys: Iterable[str]) -> list[Any]:
    """The stored entities of ``section`` with these ids, as data, in network order."""
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM entities WHERE section = ? AND data IS NOT NULL AND id IN "
        "(SELECT value FROM json_each(?)) ORDER BY pos", (section, json.dumps(sorted(keys))))]


def _referring(conn: sqlite3.Connection, section: str, refs: Iterable[str]) -> set[str]:
    """Ids of the entities of ``section`` that refer to any of ``refs``."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT id FROM refs WHERE section = ? AND ref IN "
        "(SELECT value FROM json_each(?))", (section, json.dumps(sorted(refs))))}


def _read_part(conn: sqlite3.Connection, header: dict[str, Any], wanted: list[str],
               where: str) -> Network:
    """See :meth:`SqliteRepository.load_quarters` (inside a read transaction)."""
    all_quarters = {r[0]: json.loads(r[1]) for r in conn.execute(
        "SELECT id, data FROM entities WHERE section = 'quarters' AND data IS NOT NULL")}
    chosen: set[str] = set()
    for name in wanted:
        if name in all_quarters:
            chosen.add(name)
            continue
        match = [k for k, q in all_quarters.items()
                 if str(q.get("name", "")).casefold() == name.casefold()]
        if not match:
            known = [str(q.get("name")) for q in all_quarters.values()] + list(all_quarters)
            raise NotFoundError("Quartier", name, known)
        chosen.add(match[0])
    inside = {r[0] for r in conn.execute(
        "SELECT id FROM quarters WHERE section = 'services' AND quarter IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted(chosen)),))}
    transitions = _rows(conn, "transitions", _referring(conn, "transitions", inside))
    services = _rows(conn, "services", inside | {t["source"] for t in transitions}
                     | {t["target"] for t in transitions})
    quarter_ids = chosen | {q for s in services for q in s.get("quarters", [])}
    quarters = _rows(conn, "quarters", quarter_ids)
    districts = _rows(conn, "districts", {q["district"] for q in quarters})
    municipalities = _rows(conn, "municipalities", {d["municipality"] for d in districts})
    agreements = _rows(conn, "agreements", {a for t in transitions
                                            for a in t.get("agreements", [])})
    providers = ({s["provider"] for s in services} | {t["owner"] for t in transitions
                                                       if t.get("owner")}
                 | {p for a in agreements for p in a.get("parties", [])})
    flows = _referring(conn, "referral_flows", {t["id"] for t in transitions})
    measures = _referring(conn, "measures", providers)
    document: dict[str, Any] = {
        "format": FORMAT_NAME, "schema_version": header.get("schema_version", SCHEMA_VERSION),
        "name": header.get("name")}
    if header.get("description"):
        document["description"] = header["description"]
    if header.get("catalogue") is not None:
        document["catalogue"] = header["catalogue"]
    document.update({
        "municipalities": municipalities, "districts": districts, "quarters": quarters,
        "providers": _rows(conn, "providers", providers), "services": services,
        "transitions": transitions, "agreements": agreements,
        "referral_flows": _rows(conn, "referral_flows", flows),
        "accepted_findings": [json.loads(r[0]) for r in conn.execute(
            "SELECT data FROM entities WHERE section = 'accepted_findings' AND data IS NOT "
            "NULL ORDER BY pos")],
        "measures": _rows(conn, "measures", measures)})
    try:
        return parse(document, source=where)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher '{where}' enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None


def write_database(path: Path, network: Network, journal: Journal) -> None:
    """A new database at ``path`` holding ``network`` with its whole journal (versions
    and every audit entry, numbers kept): what a migration writes. ``path`` must not
    exist yet."""
    conn = sqlite3.connect(path, isolation_level=None)  # rollback journal: one file when
    try:                                                 # closed (WAL is set on first use)
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        last_seq = journal.entries[-1].seq if journal.entries else journal.last_seq
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("format", SQLITE_FORMAT), ("store_schema", str(SQLITE_SCHEMA_VERSION)),
            ("revision", "1"), ("last_seq", str(max(last_seq, journal.last_seq)))])
        _write_network(conn, network, journal.versions)
        conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (e.seq, e.at.isoformat(), e.actor, e.action, e.section, e.entity_id,
             e.model_dump_json()) for e in journal.entries])
        conn.execute("COMMIT")
    finally:
        conn.close()
