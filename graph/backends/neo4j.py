"""The shared store: a network in a real Neo4j database (Bolt, official driver).

The network is kept as a property graph: one node per entity (labels ``Municipality``,
``District``, ``Quarter``, ``Provider``, ``Service``, ``Agreement``, ``ReferralFlow``,
``AcceptedFinding``, ``Measure``),
transitions as ``TRANSITION`` relationships between services, and the structure as
``PROVIDED_BY``, ``IN_QUARTER``, ``IN_DISTRICT``, ``IN_MUNICIPALITY`` and ``PARTY_TO``
relationships, so that Cypher can ask the chain directly. Every node and transition
also carries its entity as JSON (``data``) and its position (``pos``), so that loading
gives back exactly the network that was saved. A ``LotseNetwork`` node holds the name,
description, catalogue and schema version. The journal (:mod:`graph.journal`) is a
``LotseJournal`` node (versions, revision) and one ``LotseAudit`` node per change,
written in the same transaction as the change itself.

* Every network node and transition carries its generation (``gen``); the journal node
  names the current one (:mod:`graph.backends.neo4j_schema`). Uniqueness constraints
  (and so indexes) on every (id, generation) are created on connect.
* A save or import writes a new generation in batches and then switches the pointer in
  one small transaction (:mod:`graph.backends.neo4j_generations`): all or nothing – if
  the server dies in the middle, the old state stays.
* ``put``/``delete``/``apply`` lock the journal node first, then read, check and write in
  the same transaction: concurrent writers wait for each other, no update is lost.
  :meth:`Neo4jRepository.change` reads only the part of the network a change touches
  (:mod:`graph.backends.neo4j_part`).
* Driver errors are translated here into our errors with German messages; the password
  never appears in a message or a log.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

import neo4j
from graph.backends.neo4j_generations import (
    collect_garbage,
    delete_generation,
    write_generation,
)
from graph.backends.neo4j_part import message_sections, part_of
from graph.backends.neo4j_schema import (
    AUDIT,
    JOURNAL,
    LABELS,
    LINKS,
    META,
    TRANSITION_QUERY,
    Tx,
    create_constraints,
    dump,
    encode,
    transition_row,
    upgrade_to_generations,
)
from graph.edit import find
from graph.errors import (
    ConflictError,
    FormatError,
    InvalidNetworkError,
    NotFoundError,
    StoreCorruptError,
    StoreEmptyError,
    StoreError,
    StoreUnavailableError,
)
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, SUPPORTED_VERSIONS, parse
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import
from graph.model import Transition
from graph.network import ALL_SECTIONS, Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck
from neo4j import exceptions as neo4j_errors

__all__ = ["Neo4jRepository", "Neo4jSettings", "Progress"]

Progress = Callable[[int, int], None]
"""Called with (rows written, rows in all) while a network is saved."""

_LABELS, _LINKS, _META, _JOURNAL, _AUDIT = LABELS, LINKS, META, JOURNAL, AUDIT
_encode = encode  # the rows of a network (benchmarks count them)


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach the database: URI, user, password, database (never hard-coded).

    From a URI such as ``neo4j://host:7687/lotse`` (the path names the database) and the
    environment: ``LOTSE_NEO4J_USER`` (default ``neo4j``), ``LOTSE_NEO4J_PASSWORD``,
    ``LOTSE_NEO4J_DATABASE`` (default ``neo4j``).

    >>> s = Neo4jSettings.from_uri("neo4j://db.example:7687/lotse", env={})
    >>> s.uri, s.database, s.location
    ('neo4j://db.example:7687', 'lotse', 'neo4j://db.example:7687/lotse')
    """

    uri: str
    user: str
    password: str
    database: str

    @classmethod
    def from_uri(cls, spec: str, env: dict[str, str] | None = None) -> Neo4jSettings:
        env = dict(os.environ) if env is None else env
        parts = urlsplit(spec)
        host = parts.hostname or "127.0.0.1"
        netloc = f"{host}:{parts.port}" if parts.port else host
        database = parts.path.strip("/") or env.get("LOTSE_NEO4J_DATABASE") or "neo4j"
        return cls(uri=f"{parts.scheme}://{netloc}",
                   user=parts.username or env.get("LOTSE_NEO4J_USER") or "neo4j",
                   password=parts.password or env.get("LOTSE_NEO4J_PASSWORD") or "",
                   database=database)

    @property
    def location(self) -> str:
        """Where the store is, without user or password."""
        return f"{self.uri}/{self.database}"

    def __repr__(self) -> str:  # never show the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


class Neo4jRepository(EditsThroughJournal):
    """The Repository on a Neo4j server (see the module docstring).

    ``workers``: how many batches of nodes a replace writes at once (each in its own
    session); 1 on a small server.
    """

    def __init__(self, settings: Neo4jSettings, connect_timeout: float = 5.0,
                 workers: int = 1) -> None:
        self.settings = settings
        self.workers = workers
        self._driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password),
            connection_timeout=connect_timeout, max_transaction_retry_time=0,
            connection_acquisition_timeout=connect_timeout,
            notifications_min_severity="OFF")  # hints about unused keys are not for users
        self._ready = False
        # (journal revision, network): every write bumps the revision in its transaction,
        # so a remembered network is used only while it is the stored one – also when
        # other processes write the same database
        self._cache: tuple[int, Network] | None = None
        self._cleaner: threading.Thread | None = None  # deletes replaced generations

    @classmethod
    def from_uri(cls, spec: str) -> Neo4jRepository:
        return cls(Neo4jSettings.from_uri(spec))

    def close(self) -> None:
        self.wait_for_cleanup()
        self._driver.close()

    def __enter__(self) -> Neo4jRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- Repository ------------------------------------------------------------------
    @property
    def location(self) -> str:
        return self.settings.location

    def is_empty(self) -> bool:
        with self._session() as session:
            record = session.execute_read(lambda tx: tx.run(
                f"OPTIONAL MATCH (j:{_JOURNAL}) WITH coalesce(j.generation, 0) AS g "
                f"MATCH (m:{_META} {{gen: g}}) RETURN count(m) AS n").single())
        return record is None or record["n"] == 0

    def load(self) -> Network:
        with self._session() as session:
            revision, network = session.execute_read(self._read_current)
        if network is None:
            raise StoreEmptyError(f"Der Speicher '{self.location}' ist leer. Laden Sie zuerst ein "
                             "Netzwerk, z. B. mit 'lotse push' oder 'lotse load brunnenstrasse "
                             f"--store {self.location}'.")
        self._remember(revision, network)
        return network

    def save(self, network: Network, progress: Progress | None = None) -> None:
        self.replace(network, TOOL_ACTOR, progress)

    def journal(self) -> Journal:
        with self._session() as session:
            return session.execute_read(_read_journal, True)

    def history(self, section: str, entity_id: str) -> list[AuditEntry]:
        """The audit entries of one entity (an index seek, not the whole trail)."""
        with self._session() as session:
            rows = session.execute_read(lambda tx: [r["data"] for r in tx.run(
                f"MATCH (a:{_AUDIT} {{section: $s, entity_id: $e}}) RETURN a.data AS data "
                "ORDER BY a.seq", s=section, e=entity_id)])
        return [AuditEntry.model_validate_json(x) for x in rows]

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        """One change, written where it lands: the entity's node or relationship and the
        relationships its fields imply – not the whole network again."""
        location = self.location

        def work(tx: neo4j.ManagedTransaction) -> tuple[Network, AuditEntry, int]:
            revision, gen, _ = _lock_journal(tx)  # every writer locks there first
            old = self._stored(tx, revision, gen)
            if old is None:
                raise StoreEmptyError(f"Der Speicher '{location}' ist leer. Laden Sie zuerst ein "
                                 "Netzwerk.")
            new, journal, entry = apply_edit(old, _read_journal(tx, False), edit)
            _write_entity(tx, gen, edit.section, edit.key,
                          None if edit.entity is None else find(new, edit.section, edit.key))
            return new, entry, _write_journal(tx, journal, entry)

        with self._session() as session:
            new, entry, revision = session.execute_write(work)
        self._remember(revision, new)
        return new, entry

    def change(self, edit: Edit) -> AuditEntry:
        """One checked change, like :meth:`apply`, without giving back the network: unless
        this connection holds the stored network anyway, the change is checked against
        the part of the network it touches (:mod:`graph.backends.neo4j_part`) – the same
        rules and messages, without reading the whole network. A role check
        (``edit.authorize``) judges the whole network, so such a change goes through
        :meth:`apply`."""
        if edit.authorize is not None:
            return self.apply(edit)[1]
        if edit.section not in ALL_SECTIONS:
            raise NotFoundError("Abschnitt", edit.section, ALL_SECTIONS)

        def work(tx: neo4j.ManagedTransaction) -> tuple[Network | None, AuditEntry, int]:
            revision, gen, _ = _lock_journal(tx)
            cache = self._cache
            if cache is not None and revision is not None and cache[0] == revision:
                new, journal, entry = apply_edit(cache[1], _read_journal(tx, False), edit)
                kept: Network | None = new
            else:
                journal = _read_journal(tx, False)
                new, journal, entry = self._apply_to_part(tx, gen, edit, journal)
                kept = None
            _write_entity(tx, gen, edit.section, edit.key,
                          None if edit.entity is None else find(new, edit.section, edit.key))
            return kept, entry, _write_journal(tx, journal, entry)

        with self._session() as session:
            kept, entry, revision = session.execute_write(work)
        if kept is not None:
            self._remember(revision, kept)
        return entry

    def _apply_to_part(self, tx: neo4j.ManagedTransaction, gen: int, edit: Edit,
                       journal: Journal) -> tuple[Network, Journal, AuditEntry]:
        """:func:`apply_edit` on the part of the network the edit touches; a refusal is
        phrased on a part large enough for the whole network's message."""
        data = part_of(tx, gen, edit)
        if data is None:
            raise StoreEmptyError(f"Der Speicher '{self.location}' ist leer. Laden Sie zuerst "
                                  "ein Netzwerk.")
        try:
            return apply_edit(_decode(data, self.location), journal, edit)
        except (InvalidNetworkError, NotFoundError):
            wider = part_of(tx, gen, edit, whole=message_sections(edit))
            assert wider is not None
            return apply_edit(_decode(wider, self.location), journal, edit)

    def replace(self, network: Network, actor: str,
                progress: Progress | None = None, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network through a new generation (see
        :mod:`graph.backends.neo4j_generations`): ``check`` and the journal entry are
        decided under the journal lock on the stored state; the switch is refused
        (ConflictError, nothing changed) if anyone wrote while the generation was
        written."""

        def prepare(tx: neo4j.ManagedTransaction) -> tuple[int | None, int, Journal,
                                                           AuditEntry]:
            revision, gen, reserved = _lock_journal(tx)  # writers of the journal wait there
            old = self._stored(tx, revision, gen)
            journal = _read_journal(tx, False)
            if check is not None:
                check(old, journal)
            journal, entry = apply_import(old, network, journal, actor, note=note)
            new_gen = max(reserved or 0, gen + 1)
            tx.run(f"MATCH (j:{_JOURNAL}) SET j.next_generation = $n", n=new_gen + 1).consume()
            return revision, new_gen, journal, entry

        with self._session() as session:
            revision, new_gen, journal, entry = session.execute_write(prepare)
        rows = encode(network, new_gen)

        def switch(tx: neo4j.ManagedTransaction) -> int:
            now, _, _ = _lock_journal(tx)
            if now != revision:
                raise ConflictError(
                    "Während des Imports hat jemand die Kette geändert; der Import wurde nicht "
                    "übernommen, die Datenbank hat den Stand mit dieser Änderung. Bitte den "
                    "Import wiederholen.")
            tx.run(f"MATCH (j:{_JOURNAL}) SET j.generation = $g", g=new_gen).consume()
            return _write_journal(tx, journal, entry)

        try:
            write_generation(self._write, rows, progress, workers=self.workers)
            with self._session() as session:
                new_revision = session.execute_write(switch)
        except BaseException:
            self._in_background(lambda s: delete_generation(s, new_gen))
            raise
        self._remember(new_revision, network)
        self._in_background(lambda s: collect_garbage(s, new_gen))
        return entry

    def _write(self, work: Callable[[Tx], None]) -> None:
        with self._session() as session:
            session.execute_write(work)

    def _in_background(self, work: Callable[[neo4j.Session], None]) -> None:
        """Run ``work`` (deleting a generation) in a thread after the one before it; its
        failure only leaves garbage that the next replace deletes."""
        before = self._cleaner

        def run() -> None:
            if before is not None:
                before.join()
            try:
                with self._session() as session:
                    work(session)
            except Exception:  # nothing to tell: the next replace deletes what is left
                pass

        self._cleaner = threading.Thread(target=run, name="lotse-neo4j-cleanup", daemon=True)
        self._cleaner.start()

    def wait_for_cleanup(self) -> None:
        """Wait until replaced generations are deleted (``close`` waits too)."""
        if self._cleaner is not None:
            self._cleaner.join()
            self._cleaner = None

    def _read_current(self, tx: neo4j.ManagedTransaction
                      ) -> tuple[int | None, Network | None]:
        """(revision, stored network or None when the store is empty).

        Reads run under read-committed isolation: a write that lands in the middle of the
        reads changes the revision, and the reads are repeated (a torn state is never
        used)."""
        for _ in range(10):
            revision, gen = _read_pointer(tx)
            network = self._stored(tx, revision, gen)
            if _read_pointer(tx)[0] == revision:
                return revision, network
        raise StoreUnavailableError(f"Der Speicher {self.location} ändert sich gerade ständig; "
                                    "bitte gleich noch einmal versuchen.")

    def _stored(self, tx: neo4j.ManagedTransaction, revision: int | None,
                gen: int) -> Network | None:
        """The stored network at ``revision`` (generation ``gen``): the one last read or
        written here while it is still the stored one, else read (None: empty)."""
        cache = self._cache
        if cache is not None and revision is not None and cache[0] == revision:
            return cache[1]
        data = _read_all(tx, gen)
        return _decode(data, self.location) if data is not None else None

    def _remember(self, revision: int | None, network: Network) -> None:
        self._cache = (revision, network) if revision is not None else None

    def revision(self) -> str:
        """Changes with every write: a cheap way for readers to see whether to reload."""
        with self._session() as session:
            record = session.run(f"MATCH (j:{_JOURNAL}) RETURN j.revision AS r").single()
        return f"r{record['r']}" if record is not None else "leer"

    # -- extras ------------------------------------------------------------------------
    def owner_of(self, transition_id: str) -> str | None:
        """The owner id of one transition, straight from the graph (one indexed lookup).

        A fresh session per question: measured against a session held per thread, it is
        as fast over bolt:// and faster over neo4j:// (docs/benchmarks.md).
        """
        with self._session() as session:  # one auto-commit round trip, index seek
            record = session.run(
                f"OPTIONAL MATCH (j:{_JOURNAL}) WITH coalesce(j.generation, 0) AS g "
                "MATCH ()-[t:TRANSITION {id: $id, gen: g}]->() RETURN t.owner AS owner",
                id=transition_id).single()
        if record is None:
            raise NotFoundError("Übergang", transition_id)
        owner: str | None = record["owner"]
        return owner

    def clear(self) -> None:
        """Remove the stored network and its journal (for tests)."""
        self.wait_for_cleanup()
        self._cache = None
        with self._session() as session:
            session.execute_write(_delete_all)
            session.execute_write(lambda tx: tx.run(
                f"MATCH (n:{_JOURNAL}|{_AUDIT}) DETACH DELETE n").consume())

    # -- internals -----------------------------------------------------------------------
    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        with self._translate():
            if not self._ready:
                self._driver.verify_connectivity()
                with self._driver.session(database=self.settings.database) as session:
                    session.execute_write(create_constraints)
                    upgrade_to_generations(session)
                self._ready = True
            with self._driver.session(database=self.settings.database) as session:
                yield session

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """Driver errors become our errors, with a German message and no password."""
        where = self.location
        try:
            yield
        except (neo4j_errors.AuthError, neo4j_errors.Forbidden):
            raise StoreUnavailableError(
                f"Anmeldung bei der Datenbank {where} abgelehnt: Benutzername oder Passwort "
                "falsch. Bitte LOTSE_NEO4J_USER und LOTSE_NEO4J_PASSWORD prüfen.") from None
        except neo4j_errors.IncompleteCommit:
            raise StoreUnavailableError(
                f"Die Verbindung zu {where} brach beim Abschließen ab; ob die Änderung "
                "übernommen wurde, ist unklar. Bitte den Stand mit 'lotse summary' prüfen "
                "und gegebenenfalls wiederholen.") from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired,
                neo4j_errors.TransientError, neo4j_errors.DriverError, OSError) as exc:
            raise StoreUnavailableError(
                f"Datenbank nicht erreichbar ({where}): {type(exc).__name__}. Läuft der "
                "Neo4j-Server, stimmen Adresse und Port? Eine unterbrochene Änderung wurde "
                "nicht übernommen – die Datenbank hat den alten Stand; bitte erneut "
                "versuchen.") from None
        except neo4j_errors.ClientError as exc:
            if exc.code and "DatabaseNotFound" in exc.code:
                raise StoreUnavailableError(
                    f"Die Datenbank '{self.settings.database}' gibt es auf dem Server "
                    f"{self.settings.uri} nicht. Bitte den Namen prüfen (Neo4j Community "
                    "kennt nur 'neo4j').") from None
            raise StoreError(f"Die Datenbank {where} lehnte die Anfrage ab: "
                             f"{exc.code}.") from None
        except neo4j_errors.Neo4jError as exc:
            raise StoreUnavailableError(
                f"Fehler der Datenbank {where} ({exc.code}); die Änderung wurde nicht "
                "übernommen, die Datenbank hat den alten Stand.") from None


# -- the transactions ------------------------------------------------------------------


def _read_journal(tx: neo4j.ManagedTransaction, with_entries: bool) -> Journal:
    record = tx.run(f"MATCH (j:{_JOURNAL}) RETURN j.versions AS v, j.last_seq AS s").single()
    versions = json.loads(record["v"] or "{}") if record is not None else {}
    last_seq = (record["s"] or 0) if record is not None else 0
    entries = []
    if with_entries:
        entries = [AuditEntry.model_validate_json(r["data"]) for r in tx.run(
            f"MATCH (a:{_AUDIT}) RETURN a.data AS data ORDER BY a.seq")]
    return Journal(versions=versions, entries=entries, last_seq=last_seq)


def _lock_journal(tx: neo4j.ManagedTransaction) -> tuple[int | None, int, int | None]:
    """Lock the journal node (every writer does this first): (revision, current
    generation, next free generation)."""
    record = tx.run(f"MERGE (j:{_JOURNAL} {{format: 'lotse-journal'}}) "
                    "SET j.locked = timestamp() RETURN j.revision AS r, "
                    "coalesce(j.generation, 0) AS g, j.next_generation AS n").single()
    assert record is not None
    return record["r"], record["g"], record["n"]


def _read_pointer(tx: neo4j.ManagedTransaction) -> tuple[int | None, int]:
    """(revision, current generation) without locking."""
    record = tx.run(f"MATCH (j:{_JOURNAL}) RETURN j.revision AS r, "
                    "coalesce(j.generation, 0) AS g").single()
    return (record["r"], record["g"]) if record is not None else (None, 0)


def _write_journal(tx: neo4j.ManagedTransaction, journal: Journal, entry: AuditEntry) -> int:
    """Write the journal after ``entry``; returns the new revision."""
    record = tx.run(f"MERGE (j:{_JOURNAL} {{format: 'lotse-journal'}}) "
                    "SET j.versions = $versions, j.last_seq = $seq, "
                    "j.revision = coalesce(j.revision, 0) + 1 RETURN j.revision AS r",
                    versions=json.dumps(journal.versions, separators=(",", ":")),
                    seq=entry.seq).single()
    assert record is not None
    tx.run(f"CREATE (a:{_AUDIT} {{seq: $seq, section: $section, entity_id: $entity, "
           "data: $data})", seq=entry.seq, section=entry.section, entity=entry.entity_id,
           data=entry.model_dump_json())
    revision: int = record["r"]
    return revision


def _delete_all(tx: neo4j.ManagedTransaction) -> None:
    labels = "|".join((*_LABELS.values(), _META))
    tx.run(f"MATCH (n:{labels}) DETACH DELETE n")


def _write_entity(tx: neo4j.ManagedTransaction, gen: int, section: str, key: str,
                  entity: BaseModel | None) -> None:
    """Write one entity as it now is (None: deleted) with the relationships it implies."""
    if section == "transitions":
        old = tx.run("MATCH ()-[t:TRANSITION {id: $id, gen: $gen}]->() WITH t, t.pos AS pos "
                     "DELETE t RETURN pos", id=key, gen=gen).single()
        if entity is not None:
            assert isinstance(entity, Transition)
            pos = old["pos"] if old is not None else _next_pos(tx, gen, section)
            tx.run(TRANSITION_QUERY, rows=[transition_row(entity, pos, gen)], gen=gen)
        return
    label = _LABELS[section]
    if entity is None:
        tx.run(f"MATCH (n:{label} {{id: $id, gen: $gen}}) DETACH DELETE n", id=key, gen=gen)
        return
    data = dump(entity)
    if tx.run(f"MATCH (n:{label} {{id: $id, gen: $gen}}) SET n.data = $data "
              "RETURN n.pos AS pos", id=key, gen=gen, data=data).single() is None:
        tx.run(f"CREATE (n:{label} {{id: $id, gen: $gen, pos: $pos, data: $data}})", id=key,
               gen=gen, data=data, pos=_next_pos(tx, gen, section))
    for link in _LINKS.values():
        if link.owner == section:
            mine = f"(n)-[r:{link.kind}]->()" if link.outgoing else f"()-[r:{link.kind}]->(n)"
            tx.run(f"MATCH (n:{label} {{id: $id, gen: $gen}}) MATCH {mine} DELETE r", id=key,
                   gen=gen)
            tx.run(link.query, rows=link.rows(entity), gen=gen)


def _next_pos(tx: neo4j.ManagedTransaction, gen: int, section: str) -> int:
    """The position of a new entity: after all others (a counter on the network node)."""
    counter = f"next_{section}"
    record = tx.run(f"MATCH (m:{_META} {{gen: $gen}}) RETURN m.{counter} AS next",
                    gen=gen).single()
    nxt = record["next"] if record is not None else None
    if nxt is None:  # a store written before the counters: find the end once
        pattern = "()-[n:TRANSITION]->()" if section == "transitions" else \
            f"(n:{_LABELS[section]})"
        nxt = tx.run(f"MATCH {pattern} WHERE n.gen = $gen RETURN coalesce(max(n.pos), -1) + 1 "
                     "AS next", gen=gen).single()["next"]  # type: ignore[index]
    tx.run(f"MATCH (m:{_META} {{gen: $gen}}) SET m.{counter} = $n", n=nxt + 1, gen=gen)
    position: int = nxt
    return position


def _read_all(tx: neo4j.ManagedTransaction, gen: int) -> dict[str, Any] | None:
    meta = tx.run(f"MATCH (m:{_META} {{gen: $gen}}) RETURN m", gen=gen).single()
    if meta is None:
        return None
    data: dict[str, Any] = {"meta": dict(meta["m"])}
    for section, label in _LABELS.items():
        data[section] = [r["data"] for r in tx.run(
            f"MATCH (n:{label}) WHERE n.gen = $gen RETURN n.data AS data ORDER BY n.pos",
            gen=gen)]
    data["transitions"] = [r["data"] for r in tx.run(
        "MATCH ()-[t:TRANSITION]->() WHERE t.gen = $gen RETURN t.data AS data ORDER BY t.pos",
        gen=gen)]
    return data


def _decode(data: dict[str, Any], location: str) -> Network:
    meta = data["meta"]
    if meta.get("schema_version") not in SUPPORTED_VERSIONS:  # older ones: migrated by parse
        raise StoreCorruptError(
            f"Der Speicher {location} hat Schema-Version {meta.get('schema_version')!r}; diese "
            f"Version von lotse kennt nur {', '.join(map(str, SUPPORTED_VERSIONS))}. Bitte "
            "lotsensystem aktualisieren.")
    document: dict[str, Any] = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
                                "name": meta["name"]}
    if meta.get("description"):
        document["description"] = meta["description"]
    catalogue = json.loads(meta.get("catalogue") or "null")
    if catalogue is not None:
        document["catalogue"] = catalogue
    for section in ALL_SECTIONS:
        items = data.get(section) or []
        if items:
            document[section] = [json.loads(x) for x in items]
    try:
        return parse(document, source=location)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher {location} enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None
