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

from collections.abc import Iterable, Iterator
from typing import Any

from graph.backends.neo4j_native import KINDS
from graph.backends.neo4j_schema import LABELS, Tx, read_catalogue, read_entities, read_meta
from graph.journal import Edit

__all__ = ["REFERENCES", "message_sections", "part_of"]

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "districts": (("municipality", "municipalities"),),
    "quarters": (("district", "districts"), ("municipality", "municipalities")),
    "sites": (("quarter", "quarters"),),
    "services": (("provider", "providers"), ("quarters", "quarters"), ("sites", "sites")),
    "transitions": (("source", "services"), ("target", "services"), ("owner", "providers"),
                    ("agreements", "agreements")),
    "agreements": (("parties", "providers"), ("quarters", "quarters")),
    "referral_flows": (("transition", "transitions"),),
    "measures": (("responsible", "providers"),),
}
"""Per section: (field, section it names) – the references :mod:`graph.network` checks."""

_ID_SECTIONS = ("municipalities", "districts", "quarters", "providers", "sites", "services",
                "transitions", "agreements")  # ids unique across all of these
_SECTION_OF = {label: section for section, label in LABELS.items()}
# rules that read the content of a referenced entity: a change of these checks the
# entities that reference it as well
_CONTENT_READ_BY = {"services", "districts"}


def _refs(section: str, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for field, target in REFERENCES.get(section, ()):
        value = data.get(field)
        for ref in (value if isinstance(value, list) else [value]):
            if isinstance(ref, str) and ref:
                yield target, ref


def message_sections(edit: Edit) -> set[str]:
    """The sections a refusal of ``edit`` may name ids of."""
    return {edit.section, *(t for _, t in REFERENCES.get(edit.section, ()))}


def _holders(tx: Tx, ids: Iterable[str]) -> dict[str, set[str]]:
    """Which sections hold entities with these ids (one round trip, an index seek each)."""
    found: dict[str, set[str]] = {}
    parts = [f"MATCH (x:{LABELS[s]}) WHERE x.id IN $ids RETURN '{s}' AS section, x.id AS id"
             for s in _ID_SECTIONS]
    for r in tx.run(" UNION ALL ".join(parts), ids=sorted(set(ids))):
        found.setdefault(r["section"], set()).add(r["id"])
    return found


def _referring(tx: Tx, section: str, key: str) -> dict[str, set[str]]:
    """The entities that reference ``key`` of ``section``: the other ends of every
    relationship another section's reference makes to its node."""
    found: dict[str, set[str]] = {}
    label = LABELS[section]
    node = f"(n:{label} {{{KINDS[section].key}: $key}})"
    parts = []
    for other, kind in KINDS.items():
        for ref in kind.refs:
            if ref.target != label:
                continue
            rel = f"(x:{kind.label})-[:{ref.kind}]->(n)" if ref.outgoing else \
                f"(x:{kind.label})<-[:{ref.kind}]-(n)"
            parts.append(f"MATCH {node} MATCH {rel} RETURN '{other}' AS section, "
                         f"x.{kind.key} AS id")
    if parts:
        for r in tx.run(" UNION ".join(parts), key=key):
            if r["id"] is not None:
                found.setdefault(r["section"], set()).add(r["id"])
    return found


def part_of(tx: Tx, edit: Edit, whole: Iterable[str] = ()) -> dict[str, Any] | None:
    """The closed part of the current network that ``edit`` touches, as the data
    :func:`graph.backends.neo4j._decode` reads (None: the store is empty); ``whole``
    sections are read completely."""
    metas = read_meta(tx)
    if not metas:
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
            want(_holders(tx, [edit.key]))
        if whole:  # "('x' ist ein Träger, kein Angebot.)" needs the holder of a wrong id
            want(_holders(tx, [ref for _, ref in refs]))
    if edit.entity is None or edit.section in _CONTENT_READ_BY:
        want(_referring(tx, edit.section, edit.key))
    have: dict[str, dict[str, tuple[Any, dict[str, Any]]]] = {s: {} for s in LABELS}
    for section in whole:
        rows = read_entities(tx, section)
        have[section].update((i, (pos, data)) for i, pos, data in rows)
        for _, _, data in rows:
            want(_refs(section, data))
    while pending:
        section, ids = pending.popitem()
        new = ids - have[section].keys()
        if not new:
            continue
        for i, pos, data in read_entities(tx, section, sorted(new)):
            have[section][i] = (pos, data)
            want(_refs(section, data))
    part: dict[str, Any] = {"meta": metas, "catalogue": read_catalogue(tx)}
    for section, held in have.items():
        part[section] = [data for _, (_, data) in sorted(
            held.items(), key=lambda x: (not isinstance(x[1][0], int),
                                         x[1][0] if isinstance(x[1][0], int) else 0, x[0]))]
    return part
