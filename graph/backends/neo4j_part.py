"""The part of a stored network that one change touches, read from Neo4j by index.

A change is checked against a **closed part** of the network instead of the whole: the
entity (as stored and as wanted), what it references, what references it where a rule
depends on it (a deletion; a service's life stages for its transitions; a district's
municipality for its quarters), any entity that already holds its id, and – so that the
part is itself a valid network – everything those reference, transitively. The part is
checked by the same code as the whole network (:func:`graph.journal.apply_edit`), so a
change is accepted or refused exactly as on the whole network.

Only the wording of a refusal may need more than the part: "Meinten Sie …?" names close
ids of the whole section. When the part refuses a change, :func:`part_of` is asked again
with ``whole`` (the sections the message draws on), and that larger part gives the
very message the whole network gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from graph.backends.neo4j_schema import LABELS, META, Tx
from graph.journal import Edit
from graph.references import REFERENCES
from graph.references import refs_in as _refs

__all__ = ["REFERENCES", "message_sections", "part_of"]

_ID_SECTIONS = ("municipalities", "districts", "quarters", "providers", "sites", "services",
                "transitions", "agreements")  # ids unique across all of these
_SECTION_OF = {label: section for section, label in LABELS.items()}
# rules that read the content of a referenced entity: a change of these checks the
# entities that reference it as well
_CONTENT_READ_BY = {"services", "districts"}


def message_sections(edit: Edit) -> set[str]:
    """The sections a refusal of ``edit`` may name ids of."""
    return {edit.section, *(t for _, t in REFERENCES.get(edit.section, ()))}


def _read(tx: Tx, gen: int, section: str, ids: Iterable[str] | None
          ) -> list[tuple[str, int, str]]:
    """(id, pos, data) of the stored entities with these ids (None: all of the section)."""
    where = "" if ids is None else " AND x.id IN $ids"
    if section == "transitions":
        match = f"MATCH ()-[x:TRANSITION]->() WHERE x.gen = $gen{where}"
    else:
        match = f"MATCH (x:{LABELS[section]}) WHERE x.gen = $gen{where}"
    return [(r["id"], r["pos"], r["data"]) for r in tx.run(
        f"{match} RETURN x.id AS id, x.pos AS pos, x.data AS data", gen=gen,
        ids=None if ids is None else sorted(ids))]


def _holders(tx: Tx, gen: int, ids: Iterable[str]) -> dict[str, set[str]]:
    """Which sections hold entities with these ids (one round trip, an index seek each)."""
    found: dict[str, set[str]] = {}
    parts = [f"MATCH (x:{LABELS[s]}) WHERE x.id IN $ids AND x.gen = $gen "
             f"RETURN '{s}' AS section, x.id AS id" for s in _ID_SECTIONS if s in LABELS]
    parts.append("MATCH ()-[x:TRANSITION]->() WHERE x.id IN $ids AND x.gen = $gen "
                 "RETURN 'transitions' AS section, x.id AS id")
    for r in tx.run(" UNION ALL ".join(parts), ids=sorted(set(ids)), gen=gen):
        found.setdefault(r["section"], set()).add(r["id"])
    return found


def _referring(tx: Tx, gen: int, section: str, key: str) -> dict[str, set[str]]:
    """The entities that reference ``key`` of ``section``."""
    found: dict[str, set[str]] = {}

    def add(rows: Any, target: str | None = None) -> None:
        for r in rows:
            where = target or _SECTION_OF[r["label"]]
            found.setdefault(where, set()).add(r["id"])

    node = f"(n:{LABELS[section]} {{id: $key, gen: $gen}})" if section in LABELS else ""
    if section in ("municipalities", "districts", "quarters", "providers", "sites"):
        add(tx.run(f"MATCH {node}<-[:IN_MUNICIPALITY|IN_DISTRICT|IN_QUARTER|PROVIDED_BY|"
                   "AT_SITE|FOR_QUARTER]-(x) "
                   "RETURN labels(x)[0] AS label, x.id AS id", key=key, gen=gen))
    if section == "providers":
        add(tx.run(f"MATCH {node}-[:PARTY_TO]->(x) RETURN x.id AS id", key=key, gen=gen),
            "agreements")
        add(tx.run("MATCH ()-[x:TRANSITION]->() WHERE x.gen = $gen AND x.owner = $key "
                   "RETURN x.id AS id", key=key, gen=gen), "transitions")
        add(({"id": i} for i, _, data in _read(tx, gen, "measures", None)
             if json.loads(data).get("responsible") == key), "measures")
    elif section == "services":
        add(tx.run(f"MATCH {node}-[x:TRANSITION]-() RETURN x.id AS id", key=key, gen=gen),
            "transitions")
    elif section == "transitions":
        add(tx.run("MATCH (x:ReferralFlow) WHERE x.gen = $gen AND x.id STARTS WITH $prefix "
                   "RETURN x.id AS id", prefix=key + "@", gen=gen), "referral_flows")
    elif section == "agreements":
        add(tx.run("MATCH ()-[x:TRANSITION]->() WHERE x.gen = $gen AND $key IN x.agreements "
                   "RETURN x.id AS id", key=key, gen=gen), "transitions")
    return found


def part_of(tx: Tx, gen: int, edit: Edit, whole: Iterable[str] = ()) -> dict[str, Any] | None:
    """The closed part of generation ``gen`` that ``edit`` touches, as the rows
    :func:`graph.backends.neo4j._decode` reads (None: the store is empty); ``whole``
    sections are read completely."""
    meta = tx.run(f"MATCH (m:{META} {{gen: $gen}}) RETURN m", gen=gen).single()
    if meta is None:
        return None
    pending: dict[str, set[str]] = {edit.section: {edit.key}}

    def want(more: dict[str, set[str]] | Iterable[tuple[str, str]]) -> None:
        pairs = ((s, k) for s, ks in more.items() for k in ks) if isinstance(more, dict) \
            else more
        for s, k in pairs:
            pending.setdefault(s, set()).add(k)

    whole = set(whole)
    if edit.entity is not None:
        wanted = edit.entity.model_dump(mode="json")
        refs = list(_refs(edit.section, wanted))
        want(refs)
        if edit.section in _ID_SECTIONS:  # who else holds this id
            want(_holders(tx, gen, [edit.key]))
        if whole:  # "('x' ist ein Träger, kein Angebot.)" needs the holder of a wrong id
            want(_holders(tx, gen, [ref for _, ref in refs]))
    if edit.entity is None or edit.section in _CONTENT_READ_BY:
        want(_referring(tx, gen, edit.section, edit.key))
    have: dict[str, dict[str, tuple[int, str]]] = {s: {} for s in LABELS}
    have["transitions"] = {}
    for section in whole:
        rows = _read(tx, gen, section, None)
        have[section].update((i, (pos, data)) for i, pos, data in rows)
        for _, _, data in rows:
            want(_refs(section, json.loads(data)))
    while pending:
        section, ids = pending.popitem()
        new = ids - have[section].keys()
        if not new:
            continue
        for i, pos, data in _read(tx, gen, section, new):
            have[section][i] = (pos, data)
            want(_refs(section, json.loads(data)))
    part: dict[str, Any] = {"meta": dict(meta["m"])}
    for section, held in have.items():
        part[section] = [data for _, data in sorted(held.values())]
    return part
