"""The shared store: a network in a real Neo4j database (Bolt, official driver).

The network is kept as a native property graph (issue 29,
:mod:`graph.backends.neo4j_native`): one node per entity whose scalars are native
properties (dates as ``DATE``), transitions as ``Transition`` nodes between services
(``HANDS_OVER``/``TO``), every reference as a relationship only, life stages and fields
as nodes – so that Cypher, Neo4j Browser and Bloom see the chain itself. **What lotse
reads is exactly that graph**: an edit made with Cypher is what lotse reads next, checked
by the same rules as a file (a broken edit gives a German message naming the node and
the property). A ``LotseNetwork`` node holds the name, description and schema version.
The journal (:mod:`graph.journal`) is a ``LotseJournal`` node (versions, revision) and
one ``LotseAudit`` node per change, written in the same transaction as the change
itself.

* The current network is exactly the nodes with the real labels – no generation
  condition. A save or import writes the new network under staged labels in batches and
  then switches in one transaction (:mod:`graph.backends.neo4j_generations`): all or
  nothing – if the server dies in the middle, the old state stays. Uniqueness
  constraints (and so indexes) on every key are created on connect.
* A store in the format before issue 29 is migrated on connect
  (:mod:`graph.backends.neo4j_legacy`).
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
    switch,
    write_generation,
)
from graph.backends.neo4j_legacy import is_legacy, read_legacy, upgrade_to_generations
from graph.backends.neo4j_native import KINDS, node_props, ref_rows
from graph.backends.neo4j_part import message_sections, part_of
from graph.backends.neo4j_schema import (
    AUDIT,
    JOURNAL,
    LABELS,
    META,
    Tx,
    create_constraints,
    encode,
    link_query,
    read_catalogue,
    read_entities,
    read_meta,
)
from graph.edit import find
from graph.errors import (
    ConflictError,
    FormatError,
    InvalidNetworkError,
    NotFoundError,
    Problem,
    StoreCorruptError,
    StoreEmptyError,
    StoreError,
    StoreUnavailableError,
)
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, SUPPORTED_VERSIONS, parse
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import
from graph.network import ALL_SECTIONS, KIND_NAMES, Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck
from neo4j import exceptions as neo4j_errors

__all__ = ["Neo4jRepository", "Neo4jSettings", "Progress"]

Progress = Callable[[int, int], None]
"""Called with (rows written, rows in all) while a network is saved."""

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
        # (bookmark, journal revision, network): the network last read or written here,
        # used only while the database's last transaction is still the one it was read
        # at – any commit, also a Cypher edit by someone else, makes lotse read anew
        self._cache: tuple[Any, int | None, Network] | None = None
        self._cleaner: threading.Thread | None = None  # deletes retired nodes

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
                f"MATCH (m:{META}) RETURN count(m) AS n").single())
        return record is None or record["n"] == 0

    def load(self) -> Network:
        with self._session() as session:
            mark, cached = self._cached(session)
            if cached is not None:
                return cached[1]
            revision, network = session.execute_read(self._read_current)
        if network is None:
            raise StoreEmptyError(f"Der Speicher '{self.location}' ist leer. Laden Sie zuerst ein "
                             "Netzwerk, z. B. mit 'lotse push' oder 'lotse load brunnenstrasse "
                             f"--store {self.location}'.")
        self._remember(mark, revision, network)
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
                f"MATCH (a:{AUDIT} {{section: $s, entity_id: $e}}) RETURN a.data AS data "
                "ORDER BY a.seq", s=section, e=entity_id)])
        return [AuditEntry.model_validate_json(x) for x in rows]

    def apply(self, edit: Edit) -> tuple[Network, AuditEntry]:
        """One change, written where it lands: the entity's node and the relationships its
        fields imply – not the whole network again."""
        location = self.location

        with self._session() as session:
            _, cached = self._cached(session)

            def work(tx: neo4j.ManagedTransaction) -> tuple[Network, AuditEntry, int]:
                revision, _, _ = _lock_journal(tx)  # every writer locks there first
                old = self._stored(tx, revision, cached)
                if old is None:
                    raise StoreEmptyError(f"Der Speicher '{location}' ist leer. Laden Sie "
                                          "zuerst ein Netzwerk.")
                new, journal, entry = apply_edit(old, _read_journal(tx, False), edit)
                _write_entity(tx, edit.section, edit.key,
                              None if edit.entity is None else find(new, edit.section,
                                                                    edit.key))
                return new, entry, _write_journal(tx, journal, entry)

            new, entry, revision = session.execute_write(work)
            mark = session.last_bookmarks()
        self._remember(mark, revision, new)
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

        with self._session() as session:
            _, cached = self._cached(session)

            def work(tx: neo4j.ManagedTransaction) -> tuple[Network | None, AuditEntry, int]:
                revision, _, _ = _lock_journal(tx)
                journal = _read_journal(tx, False)
                if cached is not None and revision is not None and cached[0] == revision:
                    new, journal, entry = apply_edit(cached[1], journal, edit)
                    kept: Network | None = new
                else:
                    new, journal, entry = self._apply_to_part(tx, edit, journal)
                    kept = None
                _write_entity(tx, edit.section, edit.key,
                              None if edit.entity is None else find(new, edit.section,
                                                                    edit.key))
                return kept, entry, _write_journal(tx, journal, entry)

            kept, entry, revision = session.execute_write(work)
            mark = session.last_bookmarks()
        if kept is not None:
            self._remember(mark, revision, kept)
        return entry

    def _apply_to_part(self, tx: neo4j.ManagedTransaction, edit: Edit,
                       journal: Journal) -> tuple[Network, Journal, AuditEntry]:
        """:func:`apply_edit` on the part of the network the edit touches; a refusal is
        phrased on a part large enough for the whole network's message."""
        data = part_of(tx, edit)
        if data is None:
            raise StoreEmptyError(f"Der Speicher '{self.location}' ist leer. Laden Sie zuerst "
                                  "ein Netzwerk.")
        try:
            return apply_edit(_decode(data, self.location), journal, edit)
        except (InvalidNetworkError, NotFoundError):
            wider = part_of(tx, edit, whole=message_sections(edit))
            assert wider is not None
            return apply_edit(_decode(wider, self.location), journal, edit)

    def replace(self, network: Network, actor: str,
                progress: Progress | None = None, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        """Replace the whole network through a staged generation (see
        :mod:`graph.backends.neo4j_generations`): ``check`` and the journal entry are
        decided under the journal lock on the stored state; the switch is refused
        (ConflictError, nothing changed) if anyone wrote while the generation was
        written."""

        with self._session() as session:
            _, cached = self._cached(session)

            def prepare(tx: neo4j.ManagedTransaction) -> tuple[int | None, int, Journal,
                                                               AuditEntry]:
                revision, gen, reserved = _lock_journal(tx)  # writers wait there
                old = self._stored(tx, revision, cached)
                journal = _read_journal(tx, False)
                if check is not None:
                    check(old, journal)
                journal, entry = apply_import(old, network, journal, actor, note=note)
                return revision, _reserve(tx, gen, reserved), journal, entry

            revision, new_gen, journal, entry = session.execute_write(prepare)

        def switch_to(tx: neo4j.ManagedTransaction) -> int:
            now, _, _ = _lock_journal(tx)
            if now != revision:
                raise ConflictError(
                    "Während des Imports hat jemand die Kette geändert; der Import wurde nicht "
                    "übernommen, die Datenbank hat den Stand mit dieser Änderung. Bitte den "
                    "Import wiederholen.")
            switch(tx, new_gen)
            tx.run(f"MATCH (j:{JOURNAL}) SET j.generation = $g", g=new_gen).consume()
            return _write_journal(tx, journal, entry)

        new_revision, mark = self._write_staged(network, new_gen, progress, switch_to)
        self._remember(mark, new_revision, network)
        return entry

    def _write_staged(self, network: Network, gen: int, progress: Progress | None,
                      switch_to: Callable[[neo4j.ManagedTransaction], int]) -> tuple[int, Any]:
        """Write ``network`` as staged generation ``gen``, then run ``switch_to`` (which
        makes it current); (new revision, bookmark). The retired nodes are deleted in the
        background; a failure deletes the staged ones."""
        rows = encode(network, gen)
        try:
            write_generation(self._write, rows, progress, workers=self.workers)
            with self._session() as session:
                new_revision = session.execute_write(switch_to)
                mark = session.last_bookmarks()
        except BaseException:
            self._in_background(lambda s: delete_generation(s, gen))
            raise
        self._in_background(lambda s: collect_garbage(s, gen))
        return new_revision, mark

    def _write(self, work: Callable[[Tx], None]) -> None:
        with self._session() as session:
            session.execute_write(work)

    def _in_background(self, work: Callable[[neo4j.Session], None]) -> None:
        """Run ``work`` (deleting retired or staged nodes) in a thread after the one before
        it; its failure only leaves garbage that the next replace deletes."""
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
        """Wait until retired and refused nodes are deleted (``close`` waits too)."""
        if self._cleaner is not None:
            self._cleaner.join()
            self._cleaner = None

    def _read_current(self, tx: neo4j.ManagedTransaction
                      ) -> tuple[int | None, Network | None]:
        """(revision, stored network or None when the store is empty).

        Reads run under read-committed isolation: a write by lotse that lands in the
        middle of the reads changes the revision, and the reads are repeated (a torn
        state is never used)."""
        for _ in range(10):
            revision = _read_revision(tx)
            try:
                network = _read_network(tx, self.location)
            except StoreCorruptError:  # a switch in the middle mixes two networks
                if _read_revision(tx) != revision:
                    continue
                raise
            if _read_revision(tx) == revision:
                return revision, network
        raise StoreUnavailableError(f"Der Speicher {self.location} ändert sich gerade ständig; "
                                    "bitte gleich noch einmal versuchen.")

    def _cached(self, session: neo4j.Session) -> tuple[Any, tuple[int | None, Network] | None]:
        """(the database's bookmark now, (revision, network) remembered here if nothing
        was committed since – else None). One tiny read."""
        session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        mark = session.last_bookmarks()
        cache = self._cache
        if cache is not None and cache[0] == mark:
            return mark, (cache[1], cache[2])
        self._cache = None
        return mark, None

    def _stored(self, tx: neo4j.ManagedTransaction, revision: int | None,
                cached: tuple[int | None, Network] | None) -> Network | None:
        """The stored network at ``revision``: the one remembered while it is still the
        stored one, else read (None: empty)."""
        if cached is not None and revision is not None and cached[0] == revision:
            return cached[1]
        return _read_network(tx, self.location)

    def _remember(self, mark: Any, revision: int | None, network: Network) -> None:
        self._cache = (mark, revision, network) if revision is not None else None

    def revision(self) -> str:
        """Changes with every write by lotse: a cheap way for readers to see whether to
        reload."""
        with self._session() as session:
            record = session.run(f"MATCH (j:{JOURNAL}) RETURN j.revision AS r").single()
        return f"r{record['r']}" if record is not None else "leer"

    # -- extras ------------------------------------------------------------------------
    def owner_of(self, transition_id: str) -> str | None:
        """The owner id of one transition, straight from the graph (one indexed lookup:
        the transition's ``OWNED_BY`` relationship).

        A fresh session per question: measured against a session held per thread, it is
        as fast over bolt:// and faster over neo4j:// (docs/benchmarks.md).
        """
        with self._session() as session:  # one auto-commit round trip, index seek
            record = session.run(
                "MATCH (t:Transition {id: $id}) OPTIONAL MATCH (t)-[:OWNED_BY]->(p) "
                "RETURN collect([p.id, p:Provider]) AS owners", id=transition_id).single()
        if record is None or record["owners"] is None:
            raise NotFoundError("Übergang", transition_id)
        owners = [o for o in record["owners"] if o[0] is not None or o[1] is not None]
        if len(owners) > 1 or (owners and not owners[0][1]):
            raise StoreCorruptError(
                f"Der Speicher {self.location} enthält ein ungültiges Netzwerk: Knoten "
                f"(:Transition {{id: '{transition_id}'}}), Beziehung :OWNED_BY: "
                + ("mehr als ein Verantwortlicher – ein Übergang hat höchstens einen Träger."
                   if len(owners) > 1 else
                   "zeigt nicht auf einen Träger (:Provider)."))
        return owners[0][0] if owners else None

    def clear(self) -> None:
        """Remove the stored network and its journal (for tests)."""
        self.wait_for_cleanup()
        self._cache = None
        with self._session() as session:
            session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())

    # -- internals -----------------------------------------------------------------------
    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        with self._translate():
            if not self._ready:
                self._driver.verify_connectivity()
                with self._driver.session(database=self.settings.database) as session:
                    session.execute_write(lambda tx: create_constraints(tx, current=False))
                self._ready = True
                self._migrate()
                with self._driver.session(database=self.settings.database) as session:
                    session.execute_write(create_constraints)
            with self._driver.session(database=self.settings.database) as session:
                yield session

    def _migrate(self) -> None:
        """A store in the format before issue 29 (JSON in ``data``, generations) is
        written once in the native model; its old nodes are retired in the same switch
        and deleted afterwards. The journal stays as it was (and so every version)."""
        with self._driver.session(database=self.settings.database) as session:
            if not session.execute_read(is_legacy):
                return
            upgrade_to_generations(session)
            _, network = session.execute_read(read_legacy, self.location)

            def reserve(tx: neo4j.ManagedTransaction) -> tuple[int | None, int]:
                revision, gen, reserved = _lock_journal(tx)
                return revision, _reserve(tx, gen, reserved)

            revision, new_gen = session.execute_write(reserve)

        def switch_to(tx: neo4j.ManagedTransaction) -> int:
            now, _, _ = _lock_journal(tx)
            if now != revision:
                raise ConflictError("Während der Umstellung auf das neue Format hat jemand "
                                    "die Kette geändert; bitte erneut verbinden.")
            switch(tx, new_gen)
            record = tx.run(f"MATCH (j:{JOURNAL}) SET j.generation = $g, "
                            "j.revision = coalesce(j.revision, 0) + 1 RETURN j.revision AS r",
                            g=new_gen).single()
            assert record is not None
            # old TRANSITION relationships lie between retired nodes: deleted with them
            result: int = record["r"]
            return result

        self._write_staged(network, new_gen, None, switch_to)
        self.wait_for_cleanup()

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
    record = tx.run(f"MATCH (j:{JOURNAL}) RETURN j.versions AS v, j.last_seq AS s").single()
    versions = json.loads(record["v"] or "{}") if record is not None else {}
    last_seq = (record["s"] or 0) if record is not None else 0
    entries = []
    if with_entries:
        entries = [AuditEntry.model_validate_json(r["data"]) for r in tx.run(
            f"MATCH (a:{AUDIT}) RETURN a.data AS data ORDER BY a.seq")]
    return Journal(versions=versions, entries=entries, last_seq=last_seq)


def _lock_journal(tx: neo4j.ManagedTransaction) -> tuple[int | None, int, int | None]:
    """Lock the journal node (every writer does this first): (revision, last generation
    switched to, next free generation)."""
    record = tx.run(f"MERGE (j:{JOURNAL} {{format: 'lotse-journal'}}) "
                    "SET j.locked = timestamp() RETURN j.revision AS r, "
                    "coalesce(j.generation, 0) AS g, j.next_generation AS n").single()
    assert record is not None
    return record["r"], record["g"], record["n"]


def _reserve(tx: neo4j.ManagedTransaction, gen: int, reserved: int | None) -> int:
    """Reserve the number of a new staged generation (under the journal lock)."""
    new_gen = max(reserved or 0, gen + 1)
    tx.run(f"MATCH (j:{JOURNAL}) SET j.next_generation = $n", n=new_gen + 1).consume()
    return new_gen


def _read_revision(tx: neo4j.ManagedTransaction) -> int | None:
    record = tx.run(f"MATCH (j:{JOURNAL}) RETURN j.revision AS r").single()
    return record["r"] if record is not None else None


def _write_journal(tx: neo4j.ManagedTransaction, journal: Journal, entry: AuditEntry) -> int:
    """Write the journal after ``entry``; returns the new revision."""
    record = tx.run(f"MERGE (j:{JOURNAL} {{format: 'lotse-journal'}}) "
                    "SET j.versions = $versions, j.last_seq = $seq, "
                    "j.revision = coalesce(j.revision, 0) + 1 RETURN j.revision AS r",
                    versions=json.dumps(journal.versions, separators=(",", ":")),
                    seq=entry.seq).single()
    assert record is not None
    tx.run(f"CREATE (a:{AUDIT} {{seq: $seq, section: $section, entity_id: $entity, "
           "data: $data})", seq=entry.seq, section=entry.section, entity=entry.entity_id,
           data=entry.model_dump_json())
    revision: int = record["r"]
    return revision


def _write_entity(tx: neo4j.ManagedTransaction, section: str, key: str,
                  entity: BaseModel | None) -> None:
    """Write one entity as it now is (None: deleted) with the relationships it implies."""
    kind = KINDS[section]
    node = f"(n:{kind.label} {{{kind.key}: $key}})"
    if entity is None:
        tx.run(f"MATCH {node} DETACH DELETE n", key=key).consume()
        if section == "municipalities":
            _drop_unused_names(tx)
        return
    record = tx.run(f"MATCH {node} RETURN n.pos AS pos", key=key).single()
    pos = record["pos"] if record is not None and record["pos"] is not None else \
        _next_pos(tx, section)
    tx.run(f"MERGE {node} SET n = $props", key=key,
           props=node_props(section, entity, pos)).consume()
    rows = ref_rows(section, entity)
    for ref in kind.refs:
        mine = f"(n)-[r:{ref.kind}]->()" if ref.outgoing else f"(n)<-[r:{ref.kind}]-()"
        tx.run(f"MATCH {node} MATCH {mine} DELETE r", key=key).consume()
        if rows[ref.name]:
            tx.run(link_query(kind, ref, gen=False), rows=rows[ref.name]).consume()
    if section == "municipalities":
        _drop_unused_names(tx)


def _drop_unused_names(tx: neo4j.ManagedTransaction) -> None:
    """Kreise and Länder no municipality names any more."""
    tx.run("MATCH (n:County|State) WHERE NOT (n)<-[:IN_COUNTY|IN_STATE]-() DELETE n").consume()


def _next_pos(tx: neo4j.ManagedTransaction, section: str) -> int:
    """The position of a new entity: after all others (a counter on the network node)."""
    counter = f"next_{section}"
    record = tx.run(f"MATCH (m:{META}) RETURN m.{counter} AS next").single()
    nxt = record["next"] if record is not None else None
    if nxt is None:  # no counter: find the end once
        nxt = tx.run(f"MATCH (n:{LABELS[section]}) RETURN coalesce(max(n.pos), -1) + 1 "
                     "AS next").single()["next"]  # type: ignore[index]
    tx.run(f"MATCH (m:{META}) SET m.{counter} = $n", n=nxt + 1).consume()
    position: int = nxt
    return position


def _read_network(tx: Tx, location: str) -> Network | None:
    """The current network, read from its nodes and relationships (None: empty)."""
    metas = read_meta(tx)
    if not metas:
        return None
    data: dict[str, Any] = {"meta": metas, "catalogue": read_catalogue(tx)}
    for section in KINDS:
        data[section] = [d for _, _, d in read_entities(tx, section)]
    return _decode(data, location)


_NODE_OF_KIND = {KIND_NAMES[section]: kind for section, kind in KINDS.items()}


def _where(p: Problem) -> str:
    """Where a problem lies in the graph: node and property or relationship."""
    kind = _NODE_OF_KIND.get(p.kind)
    if kind is None:
        node = "(:LifeStage)/(:Field)" if p.kind == KIND_NAMES["catalogue"] else f"(:{META})"
        return f"Knoten {node}" + (f", Eigenschaft '{p.field}'" if p.field else "")
    node = f"Knoten (:{kind.label} {{{kind.key}: '{p.entity_id}'}})"
    if not p.field:
        return node
    top = p.field.split(".")[0].split("[")[0]
    ref = kind.ref(top)
    if ref is not None:
        arrow = f"-[:{ref.kind}]->(:{ref.target})" if ref.outgoing else \
            f"<-[:{ref.kind}]-(:{ref.target})"
        return f"{node}, Beziehung {arrow} (Feld '{top}')"
    return f"{node}, Eigenschaft '{p.field.replace('.', '_')}'"


def _decode(data: dict[str, Any], location: str) -> Network:
    """The network of the plain data read (meta, catalogue, sections), checked by the
    format's own parser; a problem names the node and the property in Neo4j."""
    metas = data["meta"]
    if len(metas) > 1:
        raise StoreCorruptError(f"Der Speicher {location} enthält {len(metas)} Netzwerk-Knoten "
                                f"(:{META}); erlaubt ist genau einer.")
    meta = metas[0]
    if meta.get("schema_version") not in SUPPORTED_VERSIONS:
        raise StoreCorruptError(
            f"Der Speicher {location} hat Schema-Version {meta.get('schema_version')!r}; diese "
            f"Version von lotse kennt nur {', '.join(map(str, SUPPORTED_VERSIONS))}. Bitte "
            "lotsensystem aktualisieren.")
    document: dict[str, Any] = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
                                "name": meta.get("name")}
    if meta.get("description"):
        document["description"] = meta["description"]
    if data.get("catalogue") is not None:
        document["catalogue"] = data["catalogue"]
    for section in ALL_SECTIONS:
        items = data.get(section) or []
        if items:
            document[section] = items
    try:
        return parse(document, source=location)
    except InvalidNetworkError as exc:
        lines = [f"  • {_where(p)}: {p.message}" for p in exc.problems]
        raise StoreCorruptError(
            f"Der Speicher {location} enthält ein ungültiges Netzwerk ({len(lines)} "
            f"{'Problem' if len(lines) == 1 else 'Probleme'}); bitte in Neo4j berichtigen "
            "oder mit 'lotse push' einen gültigen Stand schreiben:\n"
            + "\n".join(lines)) from None
    except FormatError as exc:
        raise StoreCorruptError(f"Der Speicher {location} enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None
