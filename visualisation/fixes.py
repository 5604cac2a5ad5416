"""Every finding links to what fixes it (issue 27.5): an expired agreement to the
agreement, a transition without owner to its owner field, a stage gap to a new service
prefilled with the quarter and the stage.

>>> from lotsen.findings import Finding, Severity
>>> from seeds import load_seed
>>> net = load_seed("dortmund")
>>> f = Finding(code="STAGE_GAP", severity=Severity.HIGH, ids=("hoerde", "toddler"),
...             quarters=("hoerde",), message="m", next_step="n")
>>> fix_target(net, f, {"hoerde"}, set(), set())
('/bearbeiten/angebote/neu?quartier=hoerde&phase=toddler', 'Angebot anlegen')
>>> f = Finding(code="AGREEMENT_EXPIRED", severity=Severity.HIGH,
...             ids=("kita-bornstrasse-grundschule",), quarters=("brunnenstrasse",),
...             message="m", next_step="n")
>>> fix_target(net, f, set(), set(), set())
('/vereinbarungen/uebergabe-kita-gs-nord', 'Vereinbarung öffnen')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from urllib.parse import quote, urlencode

from graph.network import Network
from lotsen.findings import Finding

__all__ = ["fix_target"]

_GAPS = {"STAGE_GAP", "CHAIN_BREAK", "CAPACITY_GAP", "ANCHOR_MISSING", "LANGUAGE_NOT_COVERED"}
_AGREEMENT = {"AGREEMENT_EXPIRED", "AGREEMENT_EXPIRING"}
_TRANSITION_FIELD = {"NO_OWNER": "owner", "OWNER_NOT_PARTY": "owner",
                     "LANGUAGE_BREAK": "language_mediation", "NO_AGREEMENT": "agreements",
                     "INFORMAL_ONLY": "agreements", "HANDOVER_WITHOUT_BASIS": "agreements",
                     "PERSON_DEPENDENT": "person_dependent"}
_TRANSITION_LABEL = {"owner": "Verantwortlichen eintragen",
                     "language_mediation": "Sprachmittlung eintragen",
                     "agreements": "Vereinbarung zuordnen",
                     "person_dependent": "Übergang bearbeiten"}


def fix_target(net: Network, f: Finding, quarters: Collection[str],
               transitions: Collection[str], services: Collection[str] = ()
               ) -> tuple[str, str] | None:
    """Where ``f`` is fixed, as (address, words), or None. The collections are the ids
    the person may change (quarters: where she may create a service); an agreement's
    page anyone may open."""
    if f.code in _GAPS:
        q = next((x for x in f.quarters if x in quarters), None)
        if q is None:
            return None
        values = {"quartier": q}
        if f.code == "STAGE_GAP" and len(f.ids) > 1:
            values["phase"] = f.ids[1]
        return f"/bearbeiten/angebote/neu?{urlencode(values)}", "Angebot anlegen"
    if f.code in _AGREEMENT:  # the transition's agreement that ends first
        for i in f.ids:
            t = net.transition_index.get(i)
            ends = sorted((a for a in (net.agreement_index.get(x) for x in t.agreements)
                           if a is not None and a.valid_until is not None),
                          key=lambda a: a.valid_until or dt.date.max) if t else []
            if ends:
                return f"/vereinbarungen/{quote(ends[0].id, safe='')}", "Vereinbarung öffnen"
    if f.code in _TRANSITION_FIELD:
        key = next((i for i in f.ids if i in transitions), None)
        if key is not None:
            name = _TRANSITION_FIELD[f.code]
            return (f"/bearbeiten/uebergaenge/{quote(key, safe='')}#feld-{name}",
                    _TRANSITION_LABEL[name])
    for i in f.ids:
        if i in transitions:
            return f"/bearbeiten/uebergaenge/{quote(i, safe='')}", "Übergang bearbeiten"
        if i in net.agreement_index:
            return f"/vereinbarungen/{quote(i, safe='')}", "Vereinbarung öffnen"
        if i in services:
            return f"/bearbeiten/angebote/{quote(i, safe='')}", "Angebot bearbeiten"
    return None
