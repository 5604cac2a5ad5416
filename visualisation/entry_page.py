"""The page of one entry (issue 27.2): a provider with its offers, agreements, the
transitions it owns, its findings and measures; an agreement with its parties, the
transitions it backs and its validity; a service; a transition. Everything it names is
a link; editing is a button, not the page itself.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> page = entry_page(net, "agreements", "uebergabe-kita-gs-nord", dt.date(2027, 3, 1), [])
>>> page.title
'Übergabeprotokoll Kita → Grundschule Kleine Kielstraße'
>>> [g.heading for g in page.groups]
['Parteien', 'Übergänge, die sie trägt']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.model import Agreement, Provider, Service, Transition
from graph.network import KIND_NAMES, Network
from graph.vocabulary import ENUM_LABELS
from lotsen.findings import Finding
from lotsen.measures import MEASURE_STATUS_LABELS
from visualisation.browse import (
    VALIDITY,
    backed_by,
    entry_url,
    owned_by,
    services_of,
    signed_by,
    transitions_at,
    validity,
)

__all__ = ["EntryPage", "Group", "entry_page", "touches"]


@dataclass
class Group:
    heading: str
    items: list[tuple[str, str | None, str]]  # text, link, note
    empty: str = "keine"


@dataclass
class EntryPage:
    section: str
    key: str
    kind: str
    title: str
    facts: list[tuple[str, str, str | None]] = field(default_factory=list)  # label, value, link
    groups: list[Group] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    measures: list[tuple[str, str, str]] = field(default_factory=list)  # title, state, link
    quarters: list[str] = field(default_factory=list)  # the quarters it concerns


def _label(enum: str, value: Any) -> str:
    return ENUM_LABELS[enum].get(str(value), str(value))


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "–"


def _yes(flag: bool) -> str:
    return "ja" if flag else "nein"


def _provider_link(net: Network, key: str | None) -> tuple[str, str | None]:
    if key and key in net.provider_index:
        return net.provider_index[key].name, entry_url("providers", key)
    return ("niemand", None) if not key else (key, None)


def _service_name(net: Network, key: str) -> str:
    return net.service_index[key].name if key in net.service_index else key


def transition_name(net: Network, t: Transition) -> str:
    return t.name or f"{_service_name(net, t.source)} → {_service_name(net, t.target)}"


def _quarter_items(net: Network, ids: Sequence[str]) -> list[tuple[str, str | None, str]]:
    return [(net.quarter_index[q].name if q in net.quarter_index else q,
             entry_url("quarters", q), "") for q in ids]


def touches(net: Network, section: str, key: str, f: Finding) -> bool:
    """Whether finding ``f`` concerns the entry (directly, or through what it owns:
    a provider's services, transitions and agreements; an agreement's transitions)."""
    ids = set(f.ids)
    if key in ids:
        return True
    if section == "providers":
        for i in ids:
            s = net.service_index.get(i)
            if s is not None and s.provider == key:
                return True
            t = net.transition_index.get(i)
            if t is not None and t.owner == key:
                return True
            a = net.agreement_index.get(i)
            if a is not None and key in a.parties:
                return True
    if section == "agreements":
        return any(t.id in ids for t in backed_by(net, key))
    if section == "services":
        return any(t.source == key or t.target == key
                   for i in ids if (t := net.transition_index.get(i)) is not None)
    return False


def _transition_items(net: Network, ts: Sequence[Transition]
                      ) -> list[tuple[str, str | None, str]]:
    return [(transition_name(net, t), entry_url("transitions", t.id),
             f"verantwortlich: {_provider_link(net, t.owner)[0]}") for t in ts]


def _provider(net: Network, p: Provider, day: dt.date, page: EntryPage) -> None:
    page.facts.append(("Art", _label("ProviderKind", p.kind), None))
    if p.anchor is not None:
        page.facts.append(("Ankerort", _label("AnchorKind", p.anchor), None))
    if p.contact is not None:
        for label, value in (("Web", p.contact.url), ("E-Mail", p.contact.email),
                             ("Telefon", p.contact.phone)):
            if value:
                page.facts.append((label, value, None))
    offers = services_of(net, p.id)
    page.groups.append(Group("Angebote", [
        (s.name, entry_url("services", s.id),
         ", ".join(net.quarter_index[q].name for q in s.quarters if q in net.quarter_index))
        for s in sorted(offers, key=lambda s: s.name.casefold())]))
    sites = sorted({s.site for s in offers if s.site})
    if sites:
        page.groups.append(Group("Standorte der Angebote", [(x, None, "") for x in sites]))
    signed = signed_by(net, p.id)
    page.groups.append(Group("Vereinbarungen, die er unterzeichnet hat", [
        (a.name, entry_url("agreements", a.id), f"gültig bis {_date(a.valid_until)} · "
         f"{VALIDITY[validity(a, day)]}") for a in signed]))
    owned = owned_by(net, p.id)
    page.groups.append(Group("Übergänge, die er verantwortet", _transition_items(net, owned)))
    page.quarters = sorted({q for s in offers for q in s.quarters})


def _agreement(net: Network, a: Agreement, day: dt.date, page: EntryPage) -> None:
    page.facts += [("Art", _label("AgreementKind", a.kind), None),
                   ("verbindlich", _yes(a.binding), None),
                   ("unterzeichnet", _date(a.signed), None),
                   ("gültig ab", _date(a.valid_from), None),
                   ("gültig bis", _date(a.valid_until), None),
                   ("Stand am Stichtag", VALIDITY[validity(a, day)], None),
                   ("Überprüfung", _date(a.review_date), None)]
    page.groups.append(Group("Parteien", [
        (*_provider_link(net, x), "") for x in a.parties]))
    ts = backed_by(net, a.id)
    page.groups.append(Group("Übergänge, die sie trägt", _transition_items(net, ts),
                             empty="keine – die Vereinbarung trägt noch keinen Übergang"))
    if a.quarters:
        page.groups.append(Group("Quartiere", _quarter_items(net, a.quarters)))
    page.quarters = sorted(set(a.quarters) | {
        q for t in ts for x in (t.source, t.target) if x in net.service_index
        for q in net.service_index[x].quarters})


def _service(net: Network, s: Service, day: dt.date, page: EntryPage) -> None:
    name, link = _provider_link(net, s.provider)
    stages = net.catalogue.stages
    page.facts += [("Träger", name, link),
                   ("Status", _label("ServiceStatus", s.status), None),
                   ("Lebensphasen", ", ".join(stages[x].name for x in s.life_stages
                                             if x in stages) or "–", None),
                   ("Handlungsfelder", ", ".join(net.catalogue.field_names.get(x, x)
                                                 for x in s.fields) or "–", None),
                   ("Plätze im Jahr", str(s.capacity_per_year)
                    if s.capacity_per_year is not None else "–", None),
                   ("Sprachbrücke", _yes(s.language_bridge), None),
                   ("gültig bis", _date(s.valid_until), None)]
    if s.site:
        page.facts.append(("Standort", s.site, None))
    page.groups.append(Group("Quartiere", _quarter_items(net, s.quarters)))
    out = transitions_at(net, s.id, "from")
    into = transitions_at(net, s.id, "to")
    page.groups.append(Group("Übergänge von hier", _transition_items(net, out)))
    page.groups.append(Group("Übergänge hierher", _transition_items(net, into)))
    page.quarters = list(s.quarters)


def _transition(net: Network, t: Transition, day: dt.date, page: EntryPage) -> None:
    owner, owner_link = _provider_link(net, t.owner)
    page.facts += [("von", _service_name(net, t.source), entry_url("services", t.source)),
                   ("nach", _service_name(net, t.target), entry_url("services", t.target)),
                   ("Art", _label("TransitionKind", t.kind), None),
                   ("Verantwortlich", owner, owner_link),
                   ("hängt an einer Person", _yes(t.person_dependent), None),
                   ("mit Sprachmittlung", _yes(t.language_mediation), None)]
    if t.cooperation:
        last = max(t.cooperation, key=lambda c: c.on)
        page.facts.append(("Kooperation", f"Stufe {last.level} am {_date(last.on)}", None))
    page.groups.append(Group("Vereinbarungen", [
        (net.agreement_index[a].name, entry_url("agreements", a),
         f"gültig bis {_date(net.agreement_index[a].valid_until)} · "
         f"{VALIDITY[validity(net.agreement_index[a], day)]}")
        for a in t.agreements if a in net.agreement_index],
        empty="keine – der Übergang ist durch keine Vereinbarung abgesichert"))
    for heading, values in (("Übergabe", t.handover), ("Gelingensfaktoren", t.success_factors),
                            ("Stolpersteine", t.pitfalls)):
        if values:
            page.groups.append(Group(heading, [(v, None, "") for v in values]))
    page.quarters = sorted({q for x in (t.source, t.target) if x in net.service_index
                            for q in net.service_index[x].quarters})


_BUILD: dict[str, Any] = {"providers": _provider, "agreements": _agreement, "services": _service,
          "transitions": _transition}


def entry_page(net: Network, section: str, key: str, day: dt.date,
               findings: Sequence[Finding]) -> EntryPage:
    """The page of entry ``key`` of ``section`` on ``day``; ``findings``: the open
    findings of its quarters (those that concern it are shown)."""
    entity = net.get(section, key)
    title = transition_name(net, entity) if isinstance(entity, Transition) \
        else str(entity.name)
    page = EntryPage(section, key, KIND_NAMES[section], title)
    _BUILD[section](net, entity, day, page)
    page.findings = [f for f in findings if touches(net, section, key, f)]
    keys = {f.stable_key for f in page.findings}
    for m in net.measures:
        if (section == "providers" and m.responsible == key) or keys & set(m.findings):
            page.measures.append((m.title, MEASURE_STATUS_LABELS[m.status.value],
                                  entry_url("measures", m.id)))
    return page
