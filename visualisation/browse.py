"""The network at hand (issue 27): lists of providers, services, transitions, agreements
and sites to filter, sort and page through, the page of one entry with everything it is
connected to, and where each kind of entry lives in the Werkstatt.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> table = list_table(net, "agreements", dt.date(2026, 11, 22), {"gueltigkeit": "abgelaufen"})
>>> [r["cells"][0] for r in table.rows]
['Übergabeprotokoll Kita → Grundschule Kleine Kielstraße']
>>> entry_url("agreements", "kita-bornstrasse-grundschule")
'/vereinbarungen/kita-bornstrasse-grundschule'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from graph.model import Agreement, Provider, Service, Transition
from graph.network import KIND_NAMES, Network
from graph.vocabulary import ENUM_LABELS

__all__ = ["LIST_PATHS", "PAGE_SIZE", "VALIDITY", "ListTable", "backed_by", "entry_url",
           "list_table", "owned_by", "services_of", "signed_by", "transitions_at", "validity"]

PAGE_SIZE = 50
EXPIRING_DAYS = 180  # „läuft in 180 Tagen aus“

LIST_PATHS = {"providers": "traeger", "services": "angebote", "transitions": "uebergaenge",
              "agreements": "vereinbarungen", "sites": "standorte"}
"""The German address of each list (``/traeger``) and entry page (``/traeger/{id}``)."""

VALIDITY = {"gueltig": "gültig", "laeuft-aus": f"läuft in {EXPIRING_DAYS} Tagen aus",
            "abgelaufen": "abgelaufen", "ohne-ende": "ohne Enddatum"}


def entry_url(section: str, key: str) -> str:
    """Where an entry of ``section`` is shown in the Werkstatt."""
    k = quote(key, safe="")
    if section in LIST_PATHS:
        return f"/{LIST_PATHS[section]}/{k}"
    if section == "quarters":
        return f"/quartiere/{k}"
    if section == "measures":
        return f"/massnahmen#massnahme-{k}"
    if section == "meetings":
        return f"/sitzungen/{k}"
    if section in ("municipalities", "districts"):
        level = "kommune" if section == "municipalities" else "bezirk"
        return f"/jahre?gebiet={level}:{k}"
    return "/"


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "–"


def _label(enum: str, value: Any) -> str:
    return ENUM_LABELS[enum].get(str(value), str(value))


def validity(a: Agreement, day: dt.date) -> str:
    """gueltig, laeuft-aus, abgelaufen or ohne-ende on ``day``."""
    if a.valid_until is None:
        return "ohne-ende"
    if a.valid_until < day:
        return "abgelaufen"
    if a.valid_until <= day + dt.timedelta(days=EXPIRING_DAYS):
        return "laeuft-aus"
    return "gueltig"


# columns of short labels ("Kooperationsvertrag", "abgelaufen", "ohne Enddatum") and dates:
# their words are never broken, so that such a column is never squeezed to a syllable a line
# ("Kooperati-|onsver-|trag") while a column of long names has room
WORD_COLUMNS = frozenset({"art", "status", "stand", "angebote"})
DATE_COLUMNS = frozenset({"bis"})


@dataclass
class ListTable:
    section: str
    title: str
    columns: list[tuple[str, str]]  # (sort key, German heading)
    rows: list[dict[str, Any]]  # cells, url, warn
    total: int = 0
    page: int = 1
    pages: int = 1
    sort: str = ""
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def cell_classes(self) -> list[str]:
        """Per column the class of its cells: ``wort`` (words unbroken), ``datum``
        (never broken) or ``""`` (names: broken at German hyphenation points)."""
        return ["wort" if key in WORD_COLUMNS else "datum" if key in DATE_COLUMNS else ""
                for key, _ in self.columns]


@dataclass(frozen=True)
class _Spec:
    columns: list[tuple[str, str]]
    row: Callable[[Network, Any, dt.date], dict[str, Any]]
    quarters: Callable[[Network, Any], set[str]]
    stages: Callable[[Network, Any], set[str]] = lambda net, e: set()
    fields: Callable[[Network, Any], set[str]] = lambda net, e: set()
    status: Callable[[Any, dt.date], str] = lambda e, day: ""
    name: Callable[[Network, Any], str] = lambda net, e: str(e.name).casefold()


def _names(net: Network, ids: list[str], index: Mapping[str, Any]) -> str:
    return ", ".join(index[i].name if i in index else i for i in ids) or "–"


def _service_quarters(net: Network, ids: list[str]) -> set[str]:
    return {q for i in ids if i in net.service_index for q in net.service_index[i].quarters}


def _kept(net: Network, name: str, build: Callable[[Network], Any]) -> Any:
    """``build(net)`` once per network state (kept in the network's cache)."""
    cache = net.cache
    if name not in cache:
        cache[name] = build(net)
    return cache[name]


def _provider_services(net: Network) -> dict[str, list[Service]]:
    by: dict[str, list[Service]] = {}
    for s in net.services:
        by.setdefault(s.provider, []).append(s)
    return by


def _agreement_transitions(net: Network) -> dict[str, list[Transition]]:
    by: dict[str, list[Transition]] = {}
    for t in net.transitions:
        for a in t.agreements:
            by.setdefault(a, []).append(t)
    return by


def _provider_agreements(net: Network) -> dict[str, list[Agreement]]:
    by: dict[str, list[Agreement]] = {}
    for a in net.agreements:
        for p in dict.fromkeys(a.parties):
            by.setdefault(p, []).append(a)
    return by


def _owner_transitions(net: Network) -> dict[str | None, list[Transition]]:
    by: dict[str | None, list[Transition]] = {}
    for t in net.transitions:
        by.setdefault(t.owner, []).append(t)
    return by


def _ends(net: Network) -> dict[tuple[str, str], list[Transition]]:
    by: dict[tuple[str, str], list[Transition]] = {}
    for t in net.transitions:
        by.setdefault(("from", t.source), []).append(t)
        by.setdefault(("to", t.target), []).append(t)
    return by


def signed_by(net: Network, provider: str) -> list[Agreement]:
    """The agreements ``provider`` signed (looked up once per network state)."""
    found: list[Agreement] = _kept(net, "browse-signed-by", _provider_agreements).get(
        provider, [])
    return found


def owned_by(net: Network, provider: str) -> list[Transition]:
    """The transitions ``provider`` owns (looked up once per network state)."""
    found: list[Transition] = _kept(net, "browse-owned-by", _owner_transitions).get(
        provider, [])
    return found


def transitions_at(net: Network, service: str, end: str) -> list[Transition]:
    """The transitions ``from`` or ``to`` ``service`` (looked up once per network state)."""
    found: list[Transition] = _kept(net, "browse-ends", _ends).get((end, service), [])
    return found


def services_of(net: Network, provider: str) -> list[Service]:
    """The services of ``provider`` (looked up once per network state)."""
    found: list[Service] = _kept(net, "browse-services-of", _provider_services).get(provider, [])
    return found


def backed_by(net: Network, agreement: str) -> list[Transition]:
    """The transitions ``agreement`` backs (looked up once per network state)."""
    found: list[Transition] = _kept(net, "browse-backed-by", _agreement_transitions).get(
        agreement, [])
    return found


def _provider_row(net: Network, p: Provider, day: dt.date) -> dict[str, Any]:
    n = len(services_of(net, p.id))
    return {"cells": [p.name, _label("ProviderKind", p.kind), str(n)],
            "sort": {"name": p.name.casefold(), "art": str(p.kind), "angebote": n}}


def _provider_quarters(net: Network, p: Provider) -> set[str]:
    return {q for s in services_of(net, p.id) for q in s.quarters}


def _service_row(net: Network, s: Service, day: dt.date) -> dict[str, Any]:
    provider = net.provider_index[s.provider].name if s.provider in net.provider_index \
        else s.provider
    quarters = _names(net, list(s.quarters), net.quarter_index)
    stages = ", ".join(net.catalogue.stages[x].name for x in s.life_stages
                       if x in net.catalogue.stages)
    return {"cells": [s.name, provider, quarters, stages, _label("ServiceStatus", s.status)],
            "sort": {"name": s.name.casefold(), "traeger": provider.casefold(),
                     "quartier": quarters.casefold(), "phase": stages,
                     "status": str(s.status)},
            "warn": s.valid_until is not None and s.valid_until < day}


def _transition_name(net: Network, t: Transition) -> str:
    return (t.name or " → ".join(net.service_index[x].name if x in net.service_index else x
                                 for x in (t.source, t.target))).casefold()


def _transition_row(net: Network, t: Transition, day: dt.date) -> dict[str, Any]:
    names = [net.service_index[x].name if x in net.service_index else x
             for x in (t.source, t.target)]
    owner = net.provider_index[t.owner].name if t.owner in net.provider_index else "niemand"
    backed = _names(net, list(t.agreements), net.agreement_index)
    return {"cells": [t.name or " → ".join(names), _label("TransitionKind", t.kind), owner,
                      backed],
            "sort": {"name": (t.name or " → ".join(names)).casefold(), "art": str(t.kind),
                     "verantwortlich": owner.casefold(), "vereinbarung": backed.casefold()},
            "warn": t.owner is None}


def _agreement_row(net: Network, a: Agreement, day: dt.date) -> dict[str, Any]:
    state = validity(a, day)
    parties = _names(net, list(a.parties), net.provider_index)
    return {"cells": [a.name, _label("AgreementKind", a.kind), parties, _date(a.valid_until),
                      VALIDITY[state]],
            "sort": {"name": a.name.casefold(), "art": str(a.kind),
                     "parteien": parties.casefold(),
                     "bis": a.valid_until or dt.date.max, "stand": state},
            "warn": state == "abgelaufen"}


def _agreement_quarters(net: Network, a: Agreement) -> set[str]:
    found = set(a.quarters)
    for t in backed_by(net, a.id):
        found |= _service_quarters(net, [t.source, t.target])
    return found


def _site_row(net: Network, site: Any, day: dt.date) -> dict[str, Any]:
    quarter = net.quarter_index[site.quarter].name if site.quarter in net.quarter_index \
        else "–"
    return {"cells": [site.name, site.address or "–", quarter],
            "sort": {"name": site.name.casefold(), "anschrift": (site.address or "").casefold(),
                     "quartier": quarter.casefold()}}


SPECS: dict[str, _Spec] = {
    "providers": _Spec([("name", "Name"), ("art", "Art"), ("angebote", "Angebote")],
                       _provider_row, _provider_quarters,
                       stages=lambda net, p: {x for s in services_of(net, p.id)
                                              for x in s.life_stages},
                       fields=lambda net, p: {x for s in services_of(net, p.id)
                                              for x in s.fields}),
    "services": _Spec([("name", "Name"), ("traeger", "Träger"), ("quartier", "Quartiere"),
                       ("phase", "Lebensphasen"), ("status", "Status")],
                      _service_row, lambda net, s: set(s.quarters),
                      stages=lambda net, s: set(s.life_stages),
                      fields=lambda net, s: set(s.fields),
                      status=lambda s, day: str(s.status)),
    "transitions": _Spec([("name", "Übergang"), ("art", "Art"),
                          ("verantwortlich", "Verantwortlich"),
                          ("vereinbarung", "Vereinbarungen")],
                         _transition_row,
                         lambda net, t: _service_quarters(net, [t.source, t.target]),
                         stages=lambda net, t: {x for i in (t.source, t.target)
                                                if i in net.service_index
                                                for x in net.service_index[i].life_stages},
                         status=lambda t, day: "ohne-verantwortung" if t.owner is None
                         else str(t.kind), name=_transition_name),
    "agreements": _Spec([("name", "Name"), ("art", "Art"), ("parteien", "Parteien"),
                         ("bis", "gültig bis"), ("stand", "Stand")],
                        _agreement_row, _agreement_quarters,
                        status=lambda a, day: validity(a, day)),
    "sites": _Spec([("name", "Name"), ("anschrift", "Anschrift"), ("quartier", "Quartier")],
                   _site_row, lambda net, s: {s.quarter} if s.quarter else set()),
}


def list_table(net: Network, section: str, day: dt.date, filters: Mapping[str, str],
               area_quarters: set[str] | None = None, matches: set[str] | None = None
               ) -> ListTable:
    """One page of the list of ``section``: filtered (``area_quarters``: the quarters of
    the chosen area; ``matches``: the ids a text search found; ``phase``, ``feld``,
    ``status``/``gueltigkeit`` from ``filters``), sorted by ``filters["sortierung"]``
    (a column key, ``-`` in front: descending) and cut to ``filters["seite"]``."""
    spec = SPECS[section]
    stage, field_, status = (filters.get("phase", ""), filters.get("feld", ""),
                             filters.get("status", "") or filters.get("gueltigkeit", ""))
    keys = [k for k, _ in spec.columns]
    wanted = filters.get("sortierung", "") or keys[0]
    descending = wanted.startswith("-")
    key = wanted.lstrip("-") if wanted.lstrip("-") in keys else keys[0]
    narrowed = matches is not None or area_quarters is not None or stage or field_ or status
    by_name = key == "name" and not descending and not narrowed
    found = []
    for e in (_by_name(net, section) if by_name else getattr(net, section)):
        if matches is not None and e.id not in matches:
            continue
        if area_quarters is not None and not spec.quarters(net, e) & area_quarters:
            continue
        if stage and stage not in spec.stages(net, e):
            continue
        if field_ and field_ not in spec.fields(net, e):
            continue
        if status and spec.status(e, day) != status:
            continue
        found.append(e)
    if key == "name":
        if not by_name:  # all of them ascending: the order kept for the network state
            found.sort(key=lambda e: spec.name(net, e), reverse=descending)
        chosen = found
    else:  # another column: its value is in the row
        made = {e.id: spec.row(net, e, day) for e in found}
        chosen = sorted(found, key=lambda e: (made[e.id]["sort"][key], made[e.id]["sort"]["name"]),
                        reverse=descending)
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    try:
        page = min(max(1, int(filters.get("seite", "1") or 1)), pages)
    except ValueError:
        page = 1
    rows = []
    for e in chosen[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]:  # rows only for the page
        row = spec.row(net, e, day)
        row["url"] = entry_url(section, e.id)
        row["id"] = e.id
        rows.append(row)
    return ListTable(section, KIND_NAMES[section], spec.columns, rows, len(chosen), page,
                     pages, ("-" if descending else "") + key, dict(filters))


def _by_name(net: Network, section: str) -> list[Any]:
    """The entries of ``section`` sorted by name, once per network state (the order of
    every list at first)."""
    spec = SPECS[section]
    ordered: list[Any] = _kept(net, f"browse-by-name-{section}", lambda net: sorted(
        getattr(net, section), key=lambda e: spec.name(net, e)))
    return ordered
