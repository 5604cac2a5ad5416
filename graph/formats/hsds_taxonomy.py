"""The lotsensystem's own HSDS taxonomy: what HSDS has no field for, as ``attributes``.

HSDS links a service, organization or service area to a *taxonomy term* with an
``attribute`` (``link_id`` the linked object, ``link_entity`` its table, ``link_type``
what the term describes, ``value`` an optional value). We publish one taxonomy per
concept, named ``lotsensystem:<concept>`` (see :data:`TAXONOMIES`):

- terms from a list: ``lebensphase`` (life stages), ``handlungsfeld`` (fields), ``zugang``
  (low-threshold access), ``traegerart`` and ``ankerstandort`` (provider kind, anchor
  site), and the places of a service area ``quartier``, ``stadtbezirk``, ``kommune`` (the
  term's code is our id, its name ours);
- one term per concept whose ``value`` carries the datum: ``kennung`` (our id),
  ``zielgruppe``, ``kapazitaet``, ``kapazitaetseinheit``, ``sprachbruecke``,
  ``gueltig_ab``, ``gueltig_bis``, and as JSON ``uebergang`` (a transition, on its
  source service), ``vermittlungen`` (referral figures, on the source service) and
  ``vereinbarung`` (an agreement, on its first party's organization).

Every id is a UUID derived from ours (stable across exports).

>>> a = attribute("service", "6f0c2c8e-5b5b-4e55-9a7e-1c2b3a4d5e6f", "lebensphase",
...               "infant", "Säuglingsalter", 0)
>>> a["link_entity"], a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]
('service', 'lotsensystem:lebensphase', 'infant')
>>> own_attributes({"attributes": [a]})
{'lebensphase': ['infant']}
"""

from __future__ import annotations

import functools
import json
import uuid
from typing import Any

__all__ = ["PREFIX", "TAXONOMIES", "attribute", "own_attributes", "taxonomy_objects",
           "uid", "value_attribute"]

NS = uuid.UUID("6f0c2c8e-5b5b-4e55-9a7e-1c2b3a4d5e6f")
PREFIX = "lotsensystem:"

TAXONOMIES: dict[str, str] = {
    "kennung": "Kennung des Objekts im lotsensystem (Wert)",
    "lebensphase": "Lebensphasen der Präventionskette (Schwangerschaft bis Grundschule)",
    "handlungsfeld": "Handlungsfelder (Gesundheit, Bildung, Jugendhilfe …)",
    "zugang": "Niedrigschwelliger Zugang (kostenlos, ohne Termin, aufsuchend)",
    "zielgruppe": "Zielgruppe eines Angebots (Wert, freier Text)",
    "kapazitaet": "Kapazität eines Angebots (Wert, ganze Zahl)",
    "kapazitaetseinheit": "Was die Kapazität zählt: Plätze gleichzeitig oder Aufnahmen pro "
                          "Jahr (Wert)",
    "sprachbruecke": "Sprachbrücke: Familien können ohne Deutschkenntnisse kommen (Wert)",
    "gueltig_ab": "Das Angebot läuft ab diesem Tag (Wert, JJJJ-MM-TT)",
    "gueltig_bis": "Das Angebot läuft bis zu diesem Tag (Wert, JJJJ-MM-TT)",
    "uebergang": "Ein Übergang zum nächsten Angebot (Wert, JSON im Format des "
                 "lotsensystems)",
    "vermittlungen": "Vermittlungszahlen eines Übergangs, zusammengefasst (Wert, JSON)",
    "vereinbarung": "Eine Vereinbarung zwischen Trägern (Wert, JSON)",
    "traegerart": "Art des Trägers (öffentlich, freie Wohlfahrtspflege …)",
    "ankerstandort": "Ankerstandort des Quartiersnetzwerks (Grundschule, Kita …)",
    "quartier": "Quartier / Sozialraum (Code: Kennung im lotsensystem)",
    "stadtbezirk": "Stadtbezirk (Code: Kennung im lotsensystem)",
    "kommune": "Kommune (Code: Kennung im lotsensystem)",
}
"""Our taxonomies: concept -> description (German)."""

_LEGACY = {"lotse_id": "kennung", "lotse_provider": "traeger", "life_stage": "lebensphase",
           "field": "handlungsfeld", "target_group": "zielgruppe", "access": "zugang",
           "capacity_per_year": "kapazitaet", "contact_role": "ansprechrolle",
           "transition": "uebergang", "provider_kind": "traegerart", "anchor": "ankerstandort"}
"""Attributes of exports before issue 15 (``link_entity: lotsensystem``)."""


def uid(kind: str, key: str) -> str:
    """A stable UUID for one of our objects."""
    return str(uuid.uuid5(NS, f"{kind}:{key}"))


@functools.lru_cache(maxsize=4096)
def _term_id(concept: str, code: str) -> tuple[str, str]:
    return uid("term", f"{concept}:{code}"), uid("taxonomy", concept)


def _term(concept: str, code: str, name: str) -> dict[str, Any]:
    term_id, taxonomy_id = _term_id(concept, code)  # uuid5 is slow; terms repeat a lot
    return {"id": term_id, "code": code, "name": name, "description": TAXONOMIES[concept],
            "taxonomy": PREFIX + concept, "taxonomy_id": taxonomy_id}


def attribute(entity: str, link_id: str, concept: str, code: str, name: str, n: int,
              value: str | None = None) -> dict[str, Any]:
    """An HSDS attribute linking ``link_id`` (in table ``entity``) to one of our terms."""
    term = _term(concept, code, name)
    out: dict[str, Any] = {"id": uid("attribute", f"{link_id}:{concept}:{n}"),
                           "link_id": link_id, "link_type": concept, "link_entity": entity,
                           "taxonomy_term_id": term["id"], "taxonomy_term": term}
    if value is not None:
        out["value"] = value
    return out


def value_attribute(entity: str, link_id: str, concept: str, value: Any,
                    n: int) -> dict[str, Any]:
    """An attribute whose ``value`` carries the datum (text as is, the rest as JSON)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return attribute(entity, link_id, concept, concept, TAXONOMIES[concept].split(" (")[0],
                     n, text)


def taxonomy_objects(concepts: set[str]) -> list[dict[str, Any]]:
    """The HSDS ``taxonomy`` objects of the concepts used."""
    return [{"id": uid("taxonomy", c), "name": PREFIX + c, "description": TAXONOMIES[c],
             "version": "1"} for c in TAXONOMIES if c in concepts]


def own_attributes(obj: dict[str, Any],
                   terms: dict[str, dict[str, Any]] | None = None) -> dict[str, list[str]]:
    """Our attributes of an HSDS object: concept -> codes (term lists) or values.

    ``terms`` resolves ``taxonomy_term_id`` where the term is not nested (the tabular
    form). Attributes of other taxonomies are not ours and are left out.
    """
    found: dict[str, list[str]] = {}
    raw = obj.get("attributes")
    for a in raw if isinstance(raw, list) else []:
        if not isinstance(a, dict):
            continue
        if a.get("link_entity") == "lotsensystem":  # an export before issue 15
            concept = _LEGACY.get(str(a.get("link_type")))
            if concept and isinstance(a.get("value"), str):
                found.setdefault(concept, []).append(a["value"])
            continue
        term = a.get("taxonomy_term")
        if not isinstance(term, dict) and terms is not None:
            term = terms.get(str(a.get("taxonomy_term_id")))
        if not isinstance(term, dict):
            continue
        taxonomy = term.get("taxonomy")
        if not isinstance(taxonomy, str) or not taxonomy.startswith(PREFIX):
            continue
        concept = taxonomy[len(PREFIX):]
        if concept not in TAXONOMIES:
            continue
        value = a.get("value")
        if isinstance(value, str) and value:
            found.setdefault(concept, []).append(value)
        elif isinstance(term.get("code"), str) and term["code"]:
            found.setdefault(concept, []).append(term["code"])
    return found


def term_names(obj: dict[str, Any], concept: str) -> dict[str, str]:
    """Code -> name of our terms of ``concept`` on ``obj`` (quarters, districts …)."""
    names: dict[str, str] = {}
    raw = obj.get("attributes")
    for a in raw if isinstance(raw, list) else []:
        term = a.get("taxonomy_term") if isinstance(a, dict) else None
        if isinstance(term, dict) and term.get("taxonomy") == PREFIX + concept and \
                isinstance(term.get("code"), str) and isinstance(term.get("name"), str):
            names[term["code"]] = term["name"]
    return names
