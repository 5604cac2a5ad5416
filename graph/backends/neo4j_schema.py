"""How a network lies in Neo4j: labels, constraints, the rows written and the reads.

The **current network** is exactly the nodes with the labels of :data:`LABELS` (plus
``LifeStage``, ``Field``, ``County``, ``State`` and the network node ``LotseNetwork``)
and the relationships between them – no generation number, no JSON copy; what each
entity becomes is :mod:`graph.backends.neo4j_native`. Ids are unique per label
(uniqueness constraints, which are also the indexes every look-up uses).

A replace writes the new network beside it under **staged labels** (``StagedService`` …,
each node with the number ``gen`` of its write) and then, in one transaction, retires
the old nodes (label ``LotseRetired``, deleted afterwards) and gives the staged ones
their real labels (:mod:`graph.backends.neo4j_generations`).

This module uses no driver type, only a transaction-like ``run`` (:class:`Tx`), so that the
driver stays in :mod:`graph.backends.neo4j`.
"""

from __future__ import annotations

from typing import Any, Protocol

from graph.backends.neo4j_native import (
    CATALOGUE_KINDS,
    KINDS,
    NAME_KINDS,
    Kind,
    Ref,
    entity_data,
    native,
    node_props,
    ref_rows,
)
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION
from graph.network import ALL_SECTIONS, Network

__all__ = ["AUDIT", "BATCH", "JOURNAL", "KEYS", "LABELS", "META", "RETIRED", "Tx",
           "create_constraints", "encode", "link_query", "read_catalogue", "read_entities",
           "read_meta", "staged"]

LABELS = {section: kind.label for section, kind in KINDS.items()}
BATCH = 10_000
META = "LotseNetwork"
JOURNAL = "LotseJournal"
AUDIT = "LotseAudit"
RETIRED = "LotseRetired"

KEYS: dict[str, str] = {**{k.label: k.key for k in KINDS.values()},
                        **dict.fromkeys(CATALOGUE_KINDS.values(), "code"),
                        **dict.fromkeys(NAME_KINDS, "name"), META: "format"}
"""Every label of the network and its key property."""


class Tx(Protocol):
    """What these helpers need of a transaction or session: ``run``."""

    def run(self, query: str, parameters: dict[str, Any] | None = None,
            **kwargs: Any) -> Any: ...


def staged(label: str) -> str:
    """The label of a node of ``label`` while its replace is being written."""
    return f"Staged{label}"


def create_constraints(tx: Tx, current: bool = True) -> None:
    """Uniqueness of every key: per label, and per label and generation while staged.
    ``current=False``: only the staged ones (a store still to be migrated may hold the
    same id twice under a real label)."""
    for label, key in KEYS.items():
        low = label.lower()
        tx.run(f"CREATE CONSTRAINT lotse_staged_{low}_{key} IF NOT EXISTS "
               f"FOR (n:{staged(label)}) REQUIRE (n.{key}, n.gen) IS UNIQUE")
        if current:
            tx.run(f"DROP CONSTRAINT lotse_{low}_{key}_gen IF EXISTS")  # before issue 29
            tx.run(f"CREATE CONSTRAINT lotse_{low}_{key} IF NOT EXISTS "
                   f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")
    if current:
        tx.run("DROP CONSTRAINT lotse_transition_id_gen IF EXISTS")
    tx.run(f"CREATE CONSTRAINT lotse_audit_seq IF NOT EXISTS FOR (a:{AUDIT}) "
           "REQUIRE a.seq IS UNIQUE")
    tx.run(f"CREATE INDEX lotse_audit_entity IF NOT EXISTS FOR (a:{AUDIT}) "
           "ON (a.section, a.entity_id)")


def _ends(kind: Kind, ref: Ref) -> tuple[tuple[str, str], tuple[str, str]]:
    """(label, key) at the start and at the end of a reference's relationships."""
    mine, other = (kind.label, kind.key), (ref.target, ref.target_key)
    return (mine, other) if ref.outgoing else (other, mine)


def link_query(kind: Kind, ref: Ref, gen: bool) -> str:
    """Create the relationships of ``$rows`` (``a``, ``b``, ``i``): between staged nodes
    of generation ``$gen`` (``gen``) or between current ones."""
    (sl, sk), (el, ek) = _ends(kind, ref)
    props = " {i: r.i}" if ref.many else ""
    if gen:
        return (f"UNWIND $rows AS r MATCH (a:{staged(sl)} {{{sk}: r.a, gen: $gen}}) "
                f"MATCH (b:{staged(el)} {{{ek}: r.b, gen: $gen}}) "
                f"CREATE (a)-[:{ref.kind}{props}]->(b)")
    start = f"MERGE (a:{sl} {{{sk}: r.a}})" if sl in NAME_KINDS else \
        f"MATCH (a:{sl} {{{sk}: r.a}})"
    end = f"MERGE (b:{el} {{{ek}: r.b}})" if el in NAME_KINDS else \
        f"MATCH (b:{el} {{{ek}: r.b}})"
    return f"UNWIND $rows AS r {start} {end} CREATE (a)-[:{ref.kind}{props}]->(b)"


# -- rows ----------------------------------------------------------------------------------


def encode(net: Network, gen: int = 0) -> dict[str, Any]:
    """The rows of a network: node properties per label, relationship rows per
    (section, reference); ``count`` all of them, ``gen`` the generation to write."""
    meta = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "name": net.name,
            **({"description": net.description} if net.description else {}),
            **{f"next_{section}": len(getattr(net, section)) for section in ALL_SECTIONS}}
    nodes: dict[str, list[dict[str, Any]]] = {}
    for part, label in CATALOGUE_KINDS.items():
        items = getattr(net.catalogue, part)
        nodes[label] = [{"code": x.id, **{k: v for k, v in x.model_dump().items()
                                          if k != "id" and v is not None}, "order": i}
                        for i, x in enumerate(items)]
    nodes["County"] = [{"name": n} for n in dict.fromkeys(
        m.county for m in net.municipalities if m.county)]
    nodes["State"] = [{"name": n} for n in dict.fromkeys(
        m.state for m in net.municipalities if m.state)]
    rels: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for section, kind in KINDS.items():
        items = getattr(net, section)
        nodes[kind.label] = [node_props(section, e, pos) for pos, e in enumerate(items)]
        for ref in kind.refs:
            rels[(section, ref.name)] = []
        for e in items:
            for name, rows in ref_rows(section, e).items():
                rels[(section, name)].extend(rows)
    count = sum(len(v) for v in nodes.values()) + sum(len(v) for v in rels.values())
    return {"meta": meta, "nodes": nodes, "relationships": rels, "count": count, "gen": gen}


# -- reads -----------------------------------------------------------------------------


def read_meta(tx: Tx) -> list[dict[str, Any]]:
    """The properties of the network node(s) (none: the store is empty)."""
    return [dict(r["m"]) for r in tx.run(f"MATCH (m:{META}) RETURN properties(m) AS m")]


def read_catalogue(tx: Tx) -> dict[str, Any] | None:
    """The catalogue from its ``LifeStage`` and ``Field`` nodes (None: no such nodes)."""
    out: dict[str, Any] = {}
    for part, label in CATALOGUE_KINDS.items():
        items = []
        for r in tx.run(f"MATCH (n:{label}) RETURN properties(n) AS p "
                        "ORDER BY n.order, n.code"):
            p = {k: native(v) for k, v in r["p"].items() if k not in ("order", "gen")}
            if "code" in p:
                p["id"] = p.pop("code")
            items.append(p)
        if items:
            out[part] = items
    return out or None


def read_entities(tx: Tx, section: str, keys: list[str] | None = None
                  ) -> list[tuple[str, Any, dict[str, Any]]]:
    """(key, pos, plain data) of the current entities of ``section`` (only those with
    these keys), in their order; the data as :func:`neo4j_native.entity_data` gives it."""
    kind = KINDS[section]
    where = "" if keys is None else f" WHERE n.{kind.key} IN $keys"
    collects = "".join(
        f", COLLECT {{ MATCH (n){'-' if ref.outgoing else '<-'}[r:{ref.kind}]"
        f"{'->' if ref.outgoing else '-'}(b) RETURN [r.i, coalesce(b.{ref.target_key}, b.id)] }}"
        f" AS r{i}" for i, ref in enumerate(kind.refs))
    out = []
    for r in tx.run(f"MATCH (n:{kind.label}){where} RETURN properties(n) AS p{collects}",
                    keys=keys):
        p = dict(r["p"])
        ends = {ref.field: [(e[0], e[1]) for e in r[f"r{i}"] if e[1] is not None]
                for i, ref in enumerate(kind.refs)}
        out.append((str(p.get(kind.key)), p.get("pos"), entity_data(kind, p, ends)))
    out.sort(key=lambda x: (not isinstance(x[1], int), x[1] if isinstance(x[1], int) else 0,
                            str(x[0])))
    return out
