"""Small hand-made chains for the analysis tests.

``clean_chain()`` is a quarter without any finding: two parallel paths A and B through
all seven life stages (A run by providers p1/p2, B by p3/p4, one anchor kind each),
every transition owned by its source's provider and backed by a valid binding
contract of its path. Tests change one thing and look for exactly that finding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.catalogue import default_catalogue
from graph.formats.document import parse
from graph.network import Network

STAGES = [s.id for s in default_catalogue().life_stages]
AS_OF = dt.date(2026, 11, 22)


def chain_data() -> dict[str, Any]:
    """The clean chain as plain data (change it, then ``build(data)``)."""
    providers = [
        {"id": "p1", "name": "Grundschule", "kind": "school", "anchor": "primary_school"},
        {"id": "p2", "name": "Kita-Träger", "kind": "free_welfare", "anchor": "kita"},
        {"id": "p3", "name": "Familienbüro", "kind": "public", "anchor": "family_office"},
        {"id": "p4", "name": "Jugendhilfedienst", "kind": "public",
         "anchor": "youth_welfare_service"},
    ]
    services, transitions = [], []
    for path, owners, contract in (("A", ("p1", "p2"), "vertrag-a"),
                                   ("B", ("p3", "p4"), "vertrag-b")):
        for k, stage in enumerate(STAGES):
            services.append({
                "id": f"{path}{k}", "name": f"Angebot {path}{k}", "provider": owners[k % 2],
                "quarters": ["q"], "life_stages": [stage], "fields": ["education"]})
            if k:
                transitions.append({
                    "id": f"{path}{k - 1}-{path}{k}", "source": f"{path}{k - 1}",
                    "target": f"{path}{k}", "kind": "warm_handoff",
                    "owner": owners[(k - 1) % 2], "agreements": [contract]})
    agreements = [
        {"id": "vertrag-a", "name": "Vertrag A", "kind": "cooperation_contract",
         "parties": ["p1", "p2"], "valid_from": "2020-01-01"},
        {"id": "vertrag-b", "name": "Vertrag B", "kind": "cooperation_contract",
         "parties": ["p3", "p4"], "valid_from": "2020-01-01"},
    ]
    return {
        "name": "Saubere Kette",
        "municipalities": [{"id": "m", "name": "Musterstadt"}],
        "districts": [{"id": "d", "name": "Mitte", "municipality": "m"}],
        "quarters": [{"id": "q", "name": "Musterviertel", "district": "d"}],
        "providers": providers, "services": services, "transitions": transitions,
        "agreements": agreements,
    }


def build(data: dict[str, Any]) -> Network:
    return parse(data)


def clean_chain() -> Network:
    return build(chain_data())


def service(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["services"] if s["id"] == sid)


def transition(data: dict[str, Any], tid: str) -> dict[str, Any]:
    return next(t for t in data["transitions"] if t["id"] == tid)


def drop_transition(data: dict[str, Any], tid: str) -> None:
    data["transitions"] = [t for t in data["transitions"] if t["id"] != tid]


def own_agreement(data: dict[str, Any], tid: str, **fields: Any) -> None:
    """Give transition ``tid`` an agreement of its own (binding contract by default)."""
    t = transition(data, tid)
    agreement = {"id": f"{tid}-v", "name": f"Vereinbarung {tid}",
                 "kind": "cooperation_contract", "parties": [t["owner"]],
                 "valid_from": "2020-01-01"}
    agreement.update(fields)
    data["agreements"].append(agreement)
    t["agreements"] = [agreement["id"]]
