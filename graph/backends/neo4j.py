"""The shared store: a network in a real Neo4j database (Bolt, official driver).

The network is kept as a property graph: one node per entity (labels ``Municipality``,
``District``, ``Quarter``, ``Provider``, ``Service``, ``Agreement``, ``ReferralFlow``),
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
from graph.errors import (
    FormatError,
    InvalidNetworkError,
    NotFoundError,
    StoreCorruptError,
    StoreError,
    StoreUnavailableError,
)
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, parse, to_data
from graph.journal import AuditEntry, Edit, Journal, apply_edit, apply_import
from graph.network import SECTIONS, Network
from graph.repository import TOOL_ACTOR, EditsThroughJournal
from neo4j import exceptions as neo4j_errors

__all__ = ["Neo4jRepository", "Neo4jSettings", "Progress"]

Progress = Callable[[int, int], None]
"""Called with (rows written, rows in all) while a network is saved."""

_LABELS = {
    "municipalities": "Municipality",
    "districts": "District",
    "quarters": "Quarter",
    "providers": "Provider",
    "services": "Service",
    "agreements": "Agreement",
    "referral_flows": "ReferralFlow",
}
_BATCH = 10_000
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
            data = session.execute_read(_read_all)
        if data is None:
            raise StoreError(f"Der Speicher '{self.location}' ist leer. Laden Sie zuerst ein "
                             "Netzwerk, z. B. mit 'lotse push' oder 'lotse load brunnenstrasse "
                             f"--store {self.location}'.")
        return _decode(data, self.location)

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
        location = self.location

        def work(tx: neo4j.ManagedTransaction) -> tuple[Network, AuditEntry]:
            locked = tx.run(f"MATCH (m:{_META}) SET m.locked = timestamp() RETURN m").single()
            if locked is None:
                raise StoreError(f"Der Speicher '{location}' ist leer. Laden Sie zuerst ein "
                                 "Netzwerk.")
            data = _read_all(tx)
            assert data is not None
            new, journal, entry = apply_edit(_decode(data, location), _read_journal(tx, False),
                                             edit)
            _replace_all(tx, _encode(new), None)
            _write_journal(tx, journal, entry)
            return new, entry

        with self._session() as session:
            result: tuple[Network, AuditEntry] = session.execute_write(work)
        return result

    def replace(self, network: Network, actor: str,
                progress: Progress | None = None) -> AuditEntry:
        rows = _encode(network)
        location = self.location

        def work(tx: neo4j.ManagedTransaction) -> AuditEntry:
            tx.run(f"MERGE (j:{_JOURNAL} {{format: 'lotse-journal'}}) "
                   "SET j.locked = timestamp()")  # writers of the journal wait here
            data = _read_all(tx)
            old = _decode(data, location) if data is not None else None
            journal, entry = apply_import(old, network, _read_journal(tx, False), actor)
            _replace_all(tx, rows, progress)
            _write_journal(tx, journal, entry)
            return entry

        with self._session() as session:
            result: AuditEntry = session.execute_write(work)
        return result

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


def _write_journal(tx: neo4j.ManagedTransaction, journal: Journal, entry: AuditEntry) -> None:
    tx.run(f"MERGE (j:{_JOURNAL} {{format: 'lotse-journal'}}) "
           "SET j.versions = $versions, j.last_seq = $seq, "
           "j.revision = coalesce(j.revision, 0) + 1",
           versions=json.dumps(journal.versions, separators=(",", ":")), seq=entry.seq)
    tx.run(f"CREATE (a:{_AUDIT} {{seq: $seq, section: $section, entity_id: $entity, "
           "data: $data})", seq=entry.seq, section=entry.section, entity=entry.entity_id,
           data=entry.model_dump_json())


def _delete_all(tx: neo4j.ManagedTransaction) -> None:
    labels = "|".join((*_LABELS.values(), _META))
    tx.run(f"MATCH (n:{labels}) DETACH DELETE n")


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
    for kind, query in _RELATIONSHIPS.items():
        for batch in _batches(rows["relationships"][kind]):
            tx.run(query, rows=batch)
            step(len(batch))


_RELATIONSHIPS = {
    "transitions": "UNWIND $rows AS r MATCH (a:Service {id: r.source}) "
                   "MATCH (b:Service {id: r.target}) "
                   "CREATE (a)-[t:TRANSITION]->(b) SET t = r.props",
    "provided_by": "UNWIND $rows AS r MATCH (a:Service {id: r.a}) MATCH (b:Provider {id: r.b}) "
                   "CREATE (a)-[:PROVIDED_BY]->(b)",
    "in_quarter": "UNWIND $rows AS r MATCH (a:Service {id: r.a}) MATCH (b:Quarter {id: r.b}) "
                  "CREATE (a)-[:IN_QUARTER]->(b)",
    "in_district": "UNWIND $rows AS r MATCH (a:Quarter {id: r.a}) MATCH (b:District {id: r.b}) "
                   "CREATE (a)-[:IN_DISTRICT]->(b)",
    "in_municipality": "UNWIND $rows AS r MATCH (a:District {id: r.a}) "
                       "MATCH (b:Municipality {id: r.b}) CREATE (a)-[:IN_MUNICIPALITY]->(b)",
    "party_to": "UNWIND $rows AS r MATCH (a:Provider {id: r.a}) MATCH (b:Agreement {id: r.b}) "
                "CREATE (a)-[:PARTY_TO]->(b)",
}


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
    head = to_data(net.model_copy(update={s: [] for s in SECTIONS}))
    meta = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
            "name": net.name, "description": net.description or "",
            "catalogue": json.dumps(head.get("catalogue"), ensure_ascii=False)}
    nodes: dict[str, list[dict[str, Any]]] = {}
    for section in _LABELS:
        rows = []
        for pos, entity in enumerate(getattr(net, section)):
            key = entity.key if section == "referral_flows" else entity.id
            rows.append({"id": key, "pos": pos, "data": _dump(entity)})
        nodes[section] = rows
    rels: dict[str, list[dict[str, Any]]] = {
        "transitions": [{"source": t.source, "target": t.target, "props": {
            "id": t.id, "pos": pos, "owner": t.owner, "kind": t.kind.value,
            "agreements": t.agreements, "data": _dump(t)}}
            for pos, t in enumerate(net.transitions)],
        "provided_by": [{"a": s.id, "b": s.provider} for s in net.services],
        "in_quarter": [{"a": s.id, "b": q} for s in net.services for q in s.quarters],
        "in_district": [{"a": q.id, "b": q.district} for q in net.quarters],
        "in_municipality": [{"a": d.id, "b": d.municipality} for d in net.districts],
        "party_to": [{"a": p, "b": a.id} for a in net.agreements for p in a.parties],
    }
    count = sum(len(v) for v in nodes.values()) + sum(len(v) for v in rels.values())
    return {"meta": meta, "nodes": nodes, "relationships": rels, "count": count}


def _decode(data: dict[str, Any], location: str) -> Network:
    meta = data["meta"]
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise StoreCorruptError(
            f"Der Speicher {location} hat Schema-Version {meta.get('schema_version')!r}; diese "
            f"Version von lotse kennt nur {SCHEMA_VERSION}. Bitte lotsensystem aktualisieren.")
    document: dict[str, Any] = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
                                "name": meta["name"]}
    if meta.get("description"):
        document["description"] = meta["description"]
    catalogue = json.loads(meta.get("catalogue") or "null")
    if catalogue is not None:
        document["catalogue"] = catalogue
    for section in SECTIONS:
        items = data.get(section) or []
        if items:
            document[section] = [json.loads(x) for x in items]
    try:
        return parse(document, source=location)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher {location} enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None
