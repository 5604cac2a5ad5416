"""How a network lies in Neo4j: labels, relationships, generations and the rows of a network.

Every node and ``TRANSITION`` relationship of a network carries the number of its
**generation** (``gen``). The journal node (``LotseJournal``) points at the generation
readers see (``generation``); a replace writes a new generation beside the old one in
many small transactions and then moves the pointer in one small transaction (see
:mod:`graph.backends.neo4j_generations`). Ids are unique per label *and generation*
(composite uniqueness constraints, which are also the indexes every look-up uses).

This module uses no driver type, only a transaction-like ``run`` (:class:`Tx`), so that the
driver stays in :mod:`graph.backends.neo4j`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from graph.edit import entity_key
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, to_data
from graph.model import Transition
from graph.network import ALL_SECTIONS, Network

__all__ = ["AUDIT", "BATCH", "JOURNAL", "LABELS", "LINKS", "META", "TRANSITION_QUERY", "Link",
           "Tx", "create_constraints", "dump", "encode", "node_query", "transition_row",
           "upgrade_to_generations"]

LABELS = {
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
    "meetings": "Meeting",
}
BATCH = 10_000
META = "LotseNetwork"
JOURNAL = "LotseJournal"
AUDIT = "LotseAudit"


class Tx(Protocol):
    """What these helpers need of a transaction or session: ``run``."""

    def run(self, query: str, parameters: dict[str, Any] | None = None,
            **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Link:
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
        """Create the relationships of ``$rows`` between nodes of generation ``$gen``."""
        return (f"UNWIND $rows AS r MATCH (a:{self.source} {{id: r.a, gen: $gen}}) "
                f"MATCH (b:{self.target} {{id: r.b, gen: $gen}}) CREATE (a)-[:{self.kind}]->(b)")


LINKS = {
    "provided_by": Link("services", "PROVIDED_BY", "Service", "Provider",
                        lambda s: [s.provider]),
    "in_quarter": Link("services", "IN_QUARTER", "Service", "Quarter", lambda s: s.quarters),
    "in_district": Link("quarters", "IN_DISTRICT", "Quarter", "District",
                        lambda q: [q.district] if q.district else []),
    "quarter_in_municipality": Link("quarters", "IN_MUNICIPALITY", "Quarter", "Municipality",
                                    lambda q: [q.municipality] if q.municipality else []),
    "in_municipality": Link("districts", "IN_MUNICIPALITY", "District", "Municipality",
                            lambda d: [d.municipality]),
    "party_to": Link("agreements", "PARTY_TO", "Provider", "Agreement",
                     lambda a: a.parties, outgoing=False),
    "site_in_quarter": Link("sites", "IN_QUARTER", "Site", "Quarter",
                            lambda x: [x.quarter] if x.quarter else []),
    "at_site": Link("services", "AT_SITE", "Service", "Site", lambda s: s.sites),
    "for_quarter": Link("agreements", "FOR_QUARTER", "Agreement", "Quarter",
                        lambda a: a.quarters),
}
# the properties as a literal map: ``SET t = r.props`` made the plan eager (all rows held
# before the first is written) and halved the rate (docs/benchmarks.md, issue 18)
TRANSITION_QUERY = ("UNWIND $rows AS r MATCH (a:Service {id: r.source, gen: $gen}) "
                    "MATCH (b:Service {id: r.target, gen: $gen}) "
                    "CREATE (a)-[:TRANSITION {id: r.props.id, gen: $gen, pos: r.props.pos, "
                    "owner: r.props.owner, kind: r.props.kind, agreements: r.props.agreements, "
                    "data: r.props.data}]->(b)")


def node_query(label: str) -> str:
    """Create the nodes of ``$rows`` (each row is the node's properties)."""
    return f"UNWIND $rows AS r CREATE (n:{label}) SET n = r"


def create_constraints(tx: Tx) -> None:
    """Uniqueness per label and generation (and the indexes that come with it)."""
    for label in (*LABELS.values(), META):
        key = "id" if label != META else "format"
        # stores written before generations: one id per label, which two generations break
        tx.run(f"DROP CONSTRAINT lotse_{label.lower()}_{key} IF EXISTS")
        tx.run(f"CREATE CONSTRAINT lotse_{label.lower()}_{key}_gen IF NOT EXISTS "
               f"FOR (n:{label}) REQUIRE (n.{key}, n.gen) IS UNIQUE")
    tx.run("DROP CONSTRAINT lotse_transition_id IF EXISTS")
    tx.run("CREATE CONSTRAINT lotse_transition_id_gen IF NOT EXISTS "
           "FOR ()-[t:TRANSITION]-() REQUIRE (t.id, t.gen) IS UNIQUE")
    tx.run(f"CREATE CONSTRAINT lotse_audit_seq IF NOT EXISTS FOR (a:{AUDIT}) "
           "REQUIRE a.seq IS UNIQUE")
    tx.run(f"CREATE INDEX lotse_audit_entity IF NOT EXISTS FOR (a:{AUDIT}) "
           "ON (a.section, a.entity_id)")


def upgrade_to_generations(session: Tx) -> None:
    """A store written before generations becomes generation 0 (once, in batches; every
    step can be repeated, so an interrupted upgrade just continues next time)."""
    record = session.run(f"MATCH (j:{JOURNAL}) RETURN j.generation AS g").single()
    if record is not None and record["g"] is not None:
        return
    if session.run(f"MATCH (m:{META}) RETURN count(m) AS n").single()["n"] == 0:
        return  # empty: the first save starts the generations
    for label in (*LABELS.values(), META):
        while session.run(f"MATCH (n:{label}) WHERE n.gen IS NULL WITH n LIMIT {BATCH} "
                          "SET n.gen = 0 RETURN count(n) AS n").single()["n"]:
            pass
    while session.run("MATCH ()-[t:TRANSITION]->() WHERE t.gen IS NULL WITH t LIMIT "
                      f"{BATCH} SET t.gen = 0 RETURN count(t) AS n").single()["n"]:
        pass
    session.run(f"MERGE (j:{JOURNAL} {{format: 'lotse-journal'}}) SET j.generation = 0, "
                "j.next_generation = coalesce(j.next_generation, 1)").consume()


# -- rows ----------------------------------------------------------------------------------


def dump(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False,
                      separators=(",", ":"))


def encode(net: Network, gen: int = 0) -> dict[str, Any]:
    """The rows of a network in generation ``gen``: node properties per label,
    relationship rows per kind."""
    head = to_data(net.model_copy(update={s: [] for s in ALL_SECTIONS}))
    meta = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "gen": gen,
            "name": net.name, "description": net.description or "",
            "catalogue": json.dumps(head.get("catalogue"), ensure_ascii=False),
            **{f"next_{section}": len(getattr(net, section)) for section in ALL_SECTIONS}}
    nodes: dict[str, list[dict[str, Any]]] = {}
    for section in LABELS:
        nodes[section] = [{"id": entity_key(entity), "gen": gen, "pos": pos,
                           "data": dump(entity)}
                          for pos, entity in enumerate(getattr(net, section))]
    rels: dict[str, list[dict[str, Any]]] = {
        "transitions": [transition_row(t, pos, gen) for pos, t in enumerate(net.transitions)]}
    for kind, link in LINKS.items():
        rels[kind] = [row for e in getattr(net, link.owner) for row in link.rows(e)]
    count = sum(len(v) for v in nodes.values()) + sum(len(v) for v in rels.values())
    return {"meta": meta, "nodes": nodes, "relationships": rels, "count": count, "gen": gen}


def transition_row(t: Transition, pos: int, gen: int) -> dict[str, Any]:
    return {"source": t.source, "target": t.target, "props": {
        "id": t.id, "gen": gen, "pos": pos, "owner": t.owner, "kind": t.kind.value,
        "agreements": t.agreements, "data": dump(t)}}
