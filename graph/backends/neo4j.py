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

* Uniqueness constraints (and so indexes) on every id are created on connect.
* A save runs in ONE transaction, the rows sent in UNWIND batches: a save or import is
  all or nothing – if the server dies in the middle, the old state stays.
* ``put``/``delete`` lock the network node first, then read, check and write in the
  same transaction: concurrent writers wait for each other, no update is lost.
* Driver errors are translated here into our errors with German messages; the password
  never appears in a message or a log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

import neo4j
from graph.edit import entity_key, find
from graph.errors import (
    FormatError,
    InvalidNetworkError,
    NotFoundError,
    StoreCorruptError,
    StoreEmptyError,
    StoreError,
    StoreUnavailableError,
)
from graph.formats.document import (
    FORMAT_NAME,
    SCHEMA_VERSION,
    SUPPORTED_VERSIONS,
    parse,
    to_data,
)
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import
from graph.model import Transition
from graph.network import ALL_SECTIONS, Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal, ReplaceCheck
from neo4j import exceptions as neo4j_errors

__all__ = ["Neo4jRepository", "Neo4jSettings", "Progress"]

Progress = Callable[[int, int], None]
"""Called with (rows written, rows in all) while a network is saved."""

_LABELS = {
    "municipalities": "Municipality",
    "districts": "District",
    "quarters": "Quarter",
    "providers": "Provider",
    "sites": "Site",
    "services": "Service",
    "agreements": "Agreement",
    "referral_flows": "ReferralFlow",
    "accepted_findings": "AcceptedFinding",
    "measures": "Measure",
}
_BATCH = 10_000


@dataclass(frozen=True)
class _Link:
    """A structural relationship that one entity's fields imply (``owner`` holds them)."""

    owner: str  # section whose entity names the other end
    kind: str  # relationship type
    source: str  # label at the start of the relationship
    target: str  # label at its end
    ends: Callable[[Any], list[str]]  # ids of the other ends, from the owning entity
    outgoing: bool = True  # the owning entity is the start (else the end)

    def rows(self, entity: Any) -> list[dict[str, str]]:
        key = entity.id
        return [{"a": key, "b": end} if self.outgoing else {"a": end, "b": key}
                for end in self.ends(entity) if end]

    @property
    def query(self) -> str:
        return (f"UNWIND $rows AS r MATCH (a:{self.source} {{id: r.a}}) "
                f"MATCH (b:{self.target} {{id: r.b}}) CREATE (a)-[:{self.kind}]->(b)")


_LINKS = {
    "provided_by": _Link("services", "PROVIDED_BY", "Service", "Provider",
                         lambda s: [s.provider]),
    "in_quarter": _Link("services", "IN_QUARTER", "Service", "Quarter", lambda s: s.quarters),
    "in_district": _Link("quarters", "IN_DISTRICT", "Quarter", "District",
                         lambda q: [q.district] if q.district else []),
    "quarter_in_municipality": _Link("quarters", "IN_MUNICIPALITY", "Quarter", "Municipality",
                                     lambda q: [q.municipality] if q.municipality else []),
    "in_municipality": _Link("districts", "IN_MUNICIPALITY", "District", "Municipality",
                             lambda d: [d.municipality]),
    "party_to": _Link("agreements", "PARTY_TO", "Provider", "Agreement",
                      lambda a: a.parties, outgoing=False),
}
_TRANSITION_QUERY = ("UNWIND $rows AS r MATCH (a:Service {id: r.source}) "
                     "MATCH (b:Service {id: r.target}) "
                     "CREATE (a)-[t:TRANSITION]->(b) SET t = r.props")
_META = "LotseNetwork"
_JOURNAL = "LotseJournal"
_AUDIT = "LotseAudit"


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
    """The Repository on a Neo4j server (see the module docstring)."""

    def __init__(self, settings: Neo4jSettings, connect_timeout: float = 5.0) -> None:
        self.settings = settings
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

    @classmethod
    def from_uri(cls, spec: str) -> Neo4jRepository:
        return cls(Neo4jSettings.from_uri(spec))

    def close(self) -> None:
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
            record = session.execute_read(
                lambda tx: tx.run(f"MATCH (m:{_META}) RETURN count(m) AS n").single())
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
            old = self._stored(tx, _lock_journal(tx))  # every writer locks there first
            if old is None:
                raise StoreEmptyError(f"Der Speicher '{location}' ist leer. Laden Sie zuerst ein "
                                 "Netzwerk.")
            new, journal, entry = apply_edit(old, _read_journal(tx, False), edit)
            _write_entity(tx, edit.section, edit.key,
                          None if edit.entity is None else find(new, edit.section, edit.key))
            return new, entry, _write_journal(tx, journal, entry)

        with self._session() as session:
            new, entry, revision = session.execute_write(work)
        self._remember(revision, new)
        return new, entry

    def replace(self, network: Network, actor: str,
                progress: Progress | None = None, *,
                note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> AuditEntry:
        rows = _encode(network)

        def work(tx: neo4j.ManagedTransaction) -> tuple[AuditEntry, int]:
            old = self._stored(tx, _lock_journal(tx))  # writers of the journal wait there
            if check is not None:
                check(old, _read_journal(tx, False))
            journal, entry = apply_import(old, network, _read_journal(tx, False), actor,
                                          note=note)
            _replace_all(tx, rows, progress)
            return entry, _write_journal(tx, journal, entry)

        with self._session() as session:
            entry, revision = session.execute_write(work)
        self._remember(revision, network)
        return entry

    def _read_current(self, tx: neo4j.ManagedTransaction
                      ) -> tuple[int | None, Network | None]:
        """(revision, stored network or None when the store is empty).

        Reads run under read-committed isolation: a write that lands in the middle of the
        reads changes the revision, and the reads are repeated (a torn state is never
        used)."""
        for _ in range(10):
            revision = _read_revision(tx)
            network = self._stored(tx, revision)
            if _read_revision(tx) == revision:
                return revision, network
        raise StoreUnavailableError(f"Der Speicher {self.location} ändert sich gerade ständig; "
                                    "bitte gleich noch einmal versuchen.")

    def _stored(self, tx: neo4j.ManagedTransaction, revision: int | None) -> Network | None:
        """The stored network at ``revision``: the one last read or written here while it
        is still the stored one, else read (None: the store is empty)."""
        cache = self._cache
        if cache is not None and revision is not None and cache[0] == revision:
            return cache[1]
        data = _read_all(tx)
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
                "MATCH ()-[t:TRANSITION {id: $id}]->() RETURN t.owner AS owner",
                id=transition_id).single()
        if record is None:
            raise NotFoundError("Übergang", transition_id)
        owner: str | None = record["owner"]
        return owner

    def clear(self) -> None:
        """Remove the stored network and its journal (for tests)."""
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
                    session.execute_write(_create_constraints)
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


def _create_constraints(tx: neo4j.ManagedTransaction) -> None:
    for label in (*_LABELS.values(), _META):
        key = "id" if label != _META else "format"
        tx.run(f"CREATE CONSTRAINT lotse_{label.lower()}_{key} IF NOT EXISTS "
               f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")
    tx.run("CREATE CONSTRAINT lotse_transition_id IF NOT EXISTS "
           "FOR ()-[t:TRANSITION]-() REQUIRE t.id IS UNIQUE")
    tx.run(f"CREATE CONSTRAINT lotse_audit_seq IF NOT EXISTS FOR (a:{_AUDIT}) "
           "REQUIRE a.seq IS UNIQUE")
    tx.run(f"CREATE INDEX lotse_audit_entity IF NOT EXISTS FOR (a:{_AUDIT}) "
           "ON (a.section, a.entity_id)")


def _read_journal(tx: neo4j.ManagedTransaction, with_entries: bool) -> Journal:
    record = tx.run(f"MATCH (j:{_JOURNAL}) RETURN j.versions AS v, j.last_seq AS s").single()
    versions = json.loads(record["v"] or "{}") if record is not None else {}
    last_seq = (record["s"] or 0) if record is not None else 0
    entries = []
    if with_entries:
        entries = [AuditEntry.model_validate_json(r["data"]) for r in tx.run(
            f"MATCH (a:{_AUDIT}) RETURN a.data AS data ORDER BY a.seq")]
    return Journal(versions=versions, entries=entries, last_seq=last_seq)


def _lock_journal(tx: neo4j.ManagedTransaction) -> int | None:
    """Lock the journal node (every writer does this first) and give the revision."""
    record = tx.run(f"MERGE (j:{_JOURNAL} {{format: 'lotse-journal'}}) "
                    "SET j.locked = timestamp() RETURN j.revision AS r").single()
    return record["r"] if record is not None else None


def _read_revision(tx: neo4j.ManagedTransaction) -> int | None:
    record = tx.run(f"MATCH (j:{_JOURNAL}) RETURN j.revision AS r").single()
    return record["r"] if record is not None else None


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


def _write_entity(tx: neo4j.ManagedTransaction, section: str, key: str,
                  entity: BaseModel | None) -> None:
    """Write one entity as it now is (None: deleted) with the relationships it implies."""
    if section == "transitions":
        old = tx.run("MATCH ()-[t:TRANSITION {id: $id}]->() WITH t, t.pos AS pos DELETE t "
                     "RETURN pos", id=key).single()
        if entity is not None:
            assert isinstance(entity, Transition)
            pos = old["pos"] if old is not None else _next_pos(tx, section)
            tx.run(_TRANSITION_QUERY, rows=[_transition_row(entity, pos)])
        return
    label = _LABELS[section]
    if entity is None:
        tx.run(f"MATCH (n:{label} {{id: $id}}) DETACH DELETE n", id=key)
        return
    data = _dump(entity)
    if tx.run(f"MATCH (n:{label} {{id: $id}}) SET n.data = $data RETURN n.pos AS pos",
              id=key, data=data).single() is None:
        tx.run(f"CREATE (n:{label} {{id: $id, pos: $pos, data: $data}})", id=key,
               data=data, pos=_next_pos(tx, section))
    for link in _LINKS.values():
        if link.owner == section:
            mine = f"(n)-[r:{link.kind}]->()" if link.outgoing else f"()-[r:{link.kind}]->(n)"
            tx.run(f"MATCH (n:{label} {{id: $id}}) MATCH {mine} DELETE r", id=key)
            tx.run(link.query, rows=link.rows(entity))


def _next_pos(tx: neo4j.ManagedTransaction, section: str) -> int:
    """The position of a new entity: after all others (a counter on the network node)."""
    counter = f"next_{section}"
    record = tx.run(f"MATCH (m:{_META}) RETURN m.{counter} AS next").single()
    nxt = record["next"] if record is not None else None
    if nxt is None:  # a store written before the counters: find the end once
        pattern = "()-[n:TRANSITION]->()" if section == "transitions" else \
            f"(n:{_LABELS[section]})"
        nxt = tx.run(f"MATCH {pattern} RETURN coalesce(max(n.pos), -1) + 1 AS next"
                     ).single()["next"]  # type: ignore[index]
    tx.run(f"MATCH (m:{_META}) SET m.{counter} = $n", n=nxt + 1)
    position: int = nxt
    return position


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _BATCH):
        yield list(rows[start:start + _BATCH])


def _replace_all(tx: neo4j.ManagedTransaction, rows: dict[str, Any],
                 progress: Progress | None) -> None:
    _delete_all(tx)
    total = rows["count"]
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    tx.run(f"CREATE (m:{_META} $meta)", meta=rows["meta"])
    for section, label in _LABELS.items():
        for batch in _batches(rows["nodes"][section]):
            tx.run(f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", rows=batch)
            step(len(batch))
    for kind, rels in rows["relationships"].items():
        query = _TRANSITION_QUERY if kind == "transitions" else _LINKS[kind].query
        for batch in _batches(rels):
            tx.run(query, rows=batch)
            step(len(batch))


def _read_all(tx: neo4j.ManagedTransaction) -> dict[str, Any] | None:
    meta = tx.run(f"MATCH (m:{_META}) RETURN m").single()
    if meta is None:
        return None
    data: dict[str, Any] = {"meta": dict(meta["m"])}
    for section, label in _LABELS.items():
        data[section] = [r["data"] for r in tx.run(
            f"MATCH (n:{label}) RETURN n.data AS data ORDER BY n.pos")]
    data["transitions"] = [r["data"] for r in tx.run(
        "MATCH ()-[t:TRANSITION]->() RETURN t.data AS data ORDER BY t.pos")]
    return data


# -- rows ----------------------------------------------------------------------------------


def _dump(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False,
                      separators=(",", ":"))


def _encode(net: Network) -> dict[str, Any]:
    """The rows of a network: node properties per label, relationship rows per kind."""
    head = to_data(net.model_copy(update={s: [] for s in ALL_SECTIONS}))
    meta = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
            "name": net.name, "description": net.description or "",
            "catalogue": json.dumps(head.get("catalogue"), ensure_ascii=False),
            **{f"next_{section}": len(getattr(net, section)) for section in ALL_SECTIONS}}
    nodes: dict[str, list[dict[str, Any]]] = {}
    for section in _LABELS:
        rows = []
        for pos, entity in enumerate(getattr(net, section)):
            key = entity_key(entity)
            rows.append({"id": key, "pos": pos, "data": _dump(entity)})
        nodes[section] = rows
    rels: dict[str, list[dict[str, Any]]] = {
        "transitions": [_transition_row(t, pos) for pos, t in enumerate(net.transitions)]}
    for kind, link in _LINKS.items():
        rels[kind] = [row for e in getattr(net, link.owner) for row in link.rows(e)]
    count = sum(len(v) for v in nodes.values()) + sum(len(v) for v in rels.values())
    return {"meta": meta, "nodes": nodes, "relationships": rels, "count": count}


def _transition_row(t: Transition, pos: int) -> dict[str, Any]:
    return {"source": t.source, "target": t.target, "props": {
        "id": t.id, "pos": pos, "owner": t.owner, "kind": t.kind.value,
        "agreements": t.agreements, "data": _dump(t)}}


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
