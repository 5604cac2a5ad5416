"""The ``Network`` aggregate: a whole chain, checked as one.

A network is valid when ids are unique (across all kinds), every reference
resolves, dates are consistent and no transition runs backwards in the life course
unless it is marked ``backwards: true``. Building an invalid network raises
:class:`graph.errors.InvalidNetworkError` listing every problem at once.

>>> net = Network(
...     name="Mini",
...     municipalities=[Municipality(id="do", name="Dortmund")],
...     districts=[District(id="nord", name="Innenstadt-Nord", municipality="do")],
...     quarters=[Quarter(id="q", name="Brunnenstraßenviertel", district="nord")],
...     providers=[Provider(id="awo", name="AWO", kind="free_welfare")],
...     services=[Service(id="s", name="Babylotsen", provider="axo", quarters=["q"],
...                       life_stages=["birth"], fields=["health"])],
... )
Traceback (most recent call last):
...
graph.errors.InvalidNetworkError: 1 Problem gefunden, nichts wurde gespeichert:
  • Angebot 's', Feld 'provider': Träger 'axo' ist unbekannt. Meinten Sie 'awo' (AWO)?
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, Self, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.catalogue import Catalogue, default_catalogue
from graph.errors import InvalidNetworkError, NotFoundError, Problem, closest
from graph.meeting import Meeting
from graph.model import (
    AcceptedFinding,
    Agreement,
    District,
    Entity,
    Measure,
    Municipality,
    Provider,
    Quarter,
    ReferralFlow,
    Service,
    Transition,
)
from graph.site import Site
from graph.vocabulary import did_you_mean

__all__ = ["ALL_SECTIONS", "KIND_NAMES", "NOTE_SECTIONS", "SECTIONS", "Network",
           "check_network", "hierarchy_problems"]

SECTIONS: dict[str, type[BaseModel]] = {
    "municipalities": Municipality,
    "districts": District,
    "quarters": Quarter,
    "providers": Provider,
    "sites": Site,
    "services": Service,
    "transitions": Transition,
    "agreements": Agreement,
    "referral_flows": ReferralFlow,
}
"""The entity sections of a network document, in the order they are written."""

NOTE_SECTIONS: dict[str, type[BaseModel]] = {
    "accepted_findings": AcceptedFinding,
    "measures": Measure,
    "meetings": Meeting,
}
"""Sections about the analysis and the work on it rather than the chain (schema version 2:
acceptances and measures; 3: Sitzungen): written after the entity sections; every store
keeps them, edits go through the journal like others."""

ALL_SECTIONS: dict[str, type[BaseModel]] = {**SECTIONS, **NOTE_SECTIONS}
"""Every section of a network document, in the order they are written."""

KIND_NAMES: dict[str, str] = {
    "municipalities": "Kommune",
    "districts": "Stadtbezirk",
    "quarters": "Quartier",
    "providers": "Träger",
    "sites": "Standort",
    "services": "Angebot",
    "transitions": "Übergang",
    "agreements": "Vereinbarung",
    "referral_flows": "Vermittlungszahlen",
    "accepted_findings": "Akzeptierter Befund",
    "measures": "Maßnahme",
    "meetings": "Sitzung",
    "catalogue": "Katalog",
    "network": "Netzwerk",
}
"""German names of the entity kinds, as users read them in messages."""


class Network(BaseModel):
    """A whole Präventionskette: every entity of one or more quarters."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    description: str | None = None
    catalogue: Catalogue = Field(default_factory=default_catalogue)
    municipalities: list[Municipality] = Field(default_factory=list)
    districts: list[District] = Field(default_factory=list)
    quarters: list[Quarter] = Field(default_factory=list)
    providers: list[Provider] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    referral_flows: list[ReferralFlow] = Field(default_factory=list)
    accepted_findings: list[AcceptedFinding] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_whole(self) -> Self:
        problems = check_network(self)
        if problems:
            raise InvalidNetworkError(problems)
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy (unvalidated, like pydantic's) without the derived look-ups and cache,
        which belong to the original's content."""
        copy = super().model_copy(update=update, deep=deep)
        for name, member in vars(Network).items():
            if isinstance(member, cached_property):
                copy.__dict__.pop(name, None)
        return copy

    # -- look-ups (built once per network; networks are immutable) ---------------
    @cached_property
    def cache(self) -> dict[str, Any]:
        """A place for data derived from this network (e.g. the analysis index).

        Networks are immutable, so whatever is derived once stays true; a changed
        network is a new object with an empty cache.
        """
        return {}

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        """Every entity with an id, by id."""
        index: dict[str, Entity] = {}
        for section in ("municipalities", "districts", "quarters", "providers", "sites",
                        "services", "transitions", "agreements"):
            for entity in getattr(self, section):
                index[entity.id] = entity
        return index

    @cached_property
    def service_index(self) -> dict[str, Service]:
        return {s.id: s for s in self.services}

    @cached_property
    def provider_index(self) -> dict[str, Provider]:
        return {p.id: p for p in self.providers}

    @cached_property
    def site_index(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @cached_property
    def quarter_index(self) -> dict[str, Quarter]:
        return {q.id: q for q in self.quarters}

    @cached_property
    def agreement_index(self) -> dict[str, Agreement]:
        return {a.id: a for a in self.agreements}

    @cached_property
    def transition_index(self) -> dict[str, Transition]:
        return {t.id: t for t in self.transitions}

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id`` in any section (None: no such id).

        Answered by the tables of the sections (which a Land network has anyway) rather
        than :attr:`by_id`, a table of all half a million ids (20 MB) built on first use.

        >>> from graph.model import Municipality
        >>> net = Network(name="N", municipalities=[Municipality(id="do", name="Dortmund")])
        >>> net.entity("do").name, net.entity("x")
        ('Dortmund', None)
        """
        by_id = self.__dict__.get("by_id")
        if by_id is not None:
            found: Entity | None = by_id.get(entity_id)
            return found
        for table in (self.service_index, self.transition_index, self.provider_index,
                      self.quarter_index, self.agreement_index, self.site_index):
            found = table.get(entity_id)
            if found is not None:
                return found
        for entity in (*self.municipalities, *self.districts):
            if entity.id == entity_id:
                return entity
        return None

    def has_id(self, entity_id: object) -> bool:
        """Whether an entity of any section has this id."""
        return isinstance(entity_id, str) and self.entity(entity_id) is not None

    def get(self, section: str, entity_id: str) -> Entity:
        """The entity of ``section`` with ``entity_id``, or NotFoundError with suggestions."""
        entity = self.entity(entity_id)
        model = SECTIONS[section]
        if entity is None or not isinstance(entity, model):
            known = [e.id for e in getattr(self, section)]
            raise NotFoundError(KIND_NAMES[section], entity_id, known)
        return entity

    def find_quarter(self, wanted: str) -> Quarter:
        """A quarter by id or (case-insensitive) name; NotFoundError names close matches."""
        if wanted in self.quarter_index:
            return self.quarter_index[wanted]
        for q in self.quarters:
            if q.name.casefold() == wanted.casefold():
                return q
        raise NotFoundError("Quartier", wanted, [q.name for q in self.quarters] +
                            [q.id for q in self.quarters])

    def services_in(self, quarter_id: str) -> list[Service]:
        """Services that serve the quarter."""
        return [s for s in self.services if quarter_id in s.quarters]

    def with_sections(self, **sections: Sequence[BaseModel]) -> Network:
        """A new network with some sections replaced (validated as a whole)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in self._fields()}
        data.update({k: list(v) for k, v in sections.items()})
        return Network(**data)

    def restricted_to(self, quarter_ids: Iterable[str], name: str | None = None) -> Network:
        """The part of the network that concerns the given quarters.

        Keeps the quarters, their districts and municipalities, the services that
        serve them, transitions between kept services, the agreements and providers
        those reference, and their referral flows.
        """
        wanted = set(quarter_ids)
        for q in wanted:
            self.get("quarters", q)
        quarters = [q for q in self.quarters if q.id in wanted]
        districts_kept = {q.district for q in quarters}
        districts = [d for d in self.districts if d.id in districts_kept]
        municipalities_kept = {d.municipality for d in districts}
        municipalities_kept |= {q.municipality for q in quarters if q.municipality}
        services = [s for s in self.services if wanted.intersection(s.quarters)]
        services = [s.model_copy(update={"quarters": [q for q in s.quarters if q in wanted]})
                    for s in services]
        kept = {s.id for s in services}
        transitions = [t for t in self.transitions if t.source in kept and t.target in kept]
        agreements_kept = {a for t in transitions for a in t.agreements}
        agreements = [a for a in self.agreements if a.id in agreements_kept]
        providers_kept = {s.provider for s in services}
        providers_kept |= {t.owner for t in transitions if t.owner}
        providers_kept |= {p for a in agreements for p in a.parties}
        transitions_kept = {t.id for t in transitions}
        sites_kept = {x for s in services for x in s.sites}
        return Network(
            name=name or self.name,
            description=self.description,
            catalogue=self.catalogue,
            municipalities=[m for m in self.municipalities if m.id in municipalities_kept],
            districts=districts,
            quarters=quarters,
            providers=[p for p in self.providers if p.id in providers_kept],
            sites=[x.model_copy(update={"quarter": x.quarter if x.quarter in wanted else None})
                   for x in self.sites if x.id in sites_kept or x.quarter in wanted],
            services=services,
            transitions=transitions,
            agreements=agreements,
            referral_flows=[f for f in self.referral_flows if f.transition in transitions_kept],
            accepted_findings=self.accepted_findings,
            measures=[m for m in self.measures if m.responsible in providers_kept],
            meetings=self.meetings,
        )

    @classmethod
    def _fields(cls) -> list[str]:
        return list(cls.model_fields)


# -- the whole-network check ---------------------------------------------------------


def check_network(net: Network, also_known: Iterable[str] = ()) -> list[Problem]:
    """Every rule the network breaks, as problems (empty when it is valid).

    ``also_known`` are ids of entities that exist in the source but failed their own
    validation; references to them are not reported again.
    """
    return list(_Checker(net, set(also_known)).run())


def hierarchy_problems(net: Network, districts: set[str],
                       municipalities: set[str]) -> Iterator[Problem]:
    """Quarters without a place in the hierarchy (:mod:`graph.hierarchy`), or with a
    contradictory one (names field and quarter; references that do not resolve are
    reported by the caller). ``districts`` and ``municipalities`` are the ids there are."""
    district_of = {d.id: d for d in net.districts}
    for q in net.quarters:
        if q.district is None and q.municipality is None:
            yield Problem("Quartier", q.id, "district",
                          "Das Quartier braucht einen Stadtbezirk (Feld 'district') oder, "
                          "wenn die Kommune keine Stadtbezirke hat, eine Kommune "
                          "(Feld 'municipality').")
        elif q.district in districts and q.municipality in municipalities:
            owner = district_of[q.district].municipality
            if owner != q.municipality:
                yield Problem("Quartier", q.id, "municipality",
                              f"Das Quartier liegt im Stadtbezirk '{q.district}' der Kommune "
                              f"'{owner}', nicht in '{q.municipality}'. Bitte nur eines "
                              "angeben oder die Kommune korrigieren.")


class _Checker:
    def __init__(self, net: Network, also_known: set[str]) -> None:
        self.net = net
        self.also_known = also_known
        self.cat: Catalogue = net.catalogue
        self.ids: dict[str, str] = {}

    def run(self) -> Iterator[Problem]:
        yield from self._catalogue()
        yield from self._unique_ids()
        yield from self._references()
        yield from self._dates()
        yield from self._transitions()

    # -- helpers
    def _of(self, section: str) -> set[str]:
        return {e.id for e in getattr(self.net, section)}

    def _missing(self, kind_section: str, entity_id: str, field: str,
                 ref: str, target_section: str, known: set[str]) -> Iterator[Problem]:
        if ref in known or ref in self.also_known:
            return
        target_kind = KIND_NAMES[target_section]
        message = f"{target_kind} '{ref}' ist unbekannt."
        hint = self._suggest(ref, target_section, known)
        if hint:
            message += " Meinten Sie " + " oder ".join(hint) + "?"
        elif ref in self.ids:
            message += f" ('{ref}' ist ein {KIND_NAMES[self.ids[ref]]}, kein {target_kind}.)"
        yield Problem(KIND_NAMES[kind_section], entity_id, field, message)

    # -- rules
    def _catalogue(self) -> Iterator[Problem]:
        for ids, what in (([s.id for s in self.cat.life_stages], "Lebensphase"),
                          ([f.id for f in self.cat.fields], "Handlungsfeld")):
            for dup, n in Counter(ids).items():
                if n > 1:
                    yield Problem("Katalog", dup, "id", f"{what} '{dup}' ist {n}-mal angelegt.")
        for s in self.cat.life_stages:
            if s.from_months >= s.to_months:
                yield Problem("Lebensphase", s.id, "to_months",
                              f"Ende ({s.to_months} Monate) muss nach dem Beginn "
                              f"({s.from_months} Monate) liegen.")

    def _unique_ids(self) -> Iterator[Problem]:
        for section in ("municipalities", "districts", "quarters", "providers", "sites",
                        "services", "transitions", "agreements"):
            for e in getattr(self.net, section):
                if e.id in self.ids:
                    first = KIND_NAMES[self.ids[e.id]]
                    yield Problem(KIND_NAMES[section], e.id, "id",
                                  f"Die Kennung '{e.id}' ist doppelt vergeben (schon als "
                                  f"{first}); Kennungen müssen im ganzen Netzwerk eindeutig sein.")
                else:
                    self.ids[e.id] = section
        measure_ids: set[str] = set()
        for m in self.net.measures:
            if m.id in measure_ids:
                yield Problem(KIND_NAMES["measures"], m.id, "id",
                              f"Die Kennung '{m.id}' ist doppelt vergeben.")
            measure_ids.add(m.id)
        meeting_ids: set[str] = set()
        for meeting in getattr(self.net, "meetings", ()):
            if meeting.id in meeting_ids:
                yield Problem(KIND_NAMES["meetings"], meeting.id, "id",
                              f"Die Kennung '{meeting.id}' ist doppelt vergeben.")
            meeting_ids.add(meeting.id)
        seen: set[str] = set()
        for f in self.net.referral_flows:
            if f.key in seen:
                yield Problem(KIND_NAMES["referral_flows"], f.key, "period_start",
                              "Für diesen Übergang und Zeitraum gibt es schon Zahlen.")
            seen.add(f.key)

    def _references(self) -> Iterator[Problem]:
        net = self.net
        municipalities, districts = self._of("municipalities"), self._of("districts")
        quarters, providers = self._of("quarters"), self._of("providers")
        services, agreements = self._of("services"), self._of("agreements")
        transitions = self._of("transitions")
        stages = set(self.cat.stages)
        fields = set(self.cat.field_names)
        sites = self._of("sites")
        for x in net.sites:
            if x.quarter is not None:
                yield from self._missing("sites", x.id, "quarter", x.quarter, "quarters",
                                         quarters)
        for d in net.districts:
            yield from self._missing("districts", d.id, "municipality", d.municipality,
                                     "municipalities", municipalities)
        for q in net.quarters:
            if q.district is not None:
                yield from self._missing("quarters", q.id, "district", q.district,
                                         "districts", districts)
            if q.municipality is not None:
                yield from self._missing("quarters", q.id, "municipality", q.municipality,
                                         "municipalities", municipalities)
            years = Counter(sd.year for sd in q.social_data)
            for year, n in years.items():
                if n > 1:
                    yield Problem("Quartier", q.id, "social_data",
                                  f"Sozialraumdaten für {year} sind {n}-mal angegeben.")
            for sd in q.social_data:
                for stage in sd.children_by_stage:
                    if stage not in stages:
                        yield self._unknown_stage("Quartier", q.id, "social_data", stage)
        yield from hierarchy_problems(net, districts, municipalities)
        for s in net.services:
            yield from self._missing("services", s.id, "provider", s.provider,
                                     "providers", providers)
            for q_id in s.quarters:
                yield from self._missing("services", s.id, "quarters", q_id,
                                         "quarters", quarters)
            for site_id in s.sites:
                yield from self._missing("services", s.id, "sites", site_id, "sites", sites)
            for stage in s.life_stages:
                if stage not in stages:
                    yield self._unknown_stage("Angebot", s.id, "life_stages", stage)
            for f in s.fields:
                if f not in fields:
                    names = self.cat.field_names
                    message = f"Handlungsfeld '{f}' ist unbekannt." + (did_you_mean(
                        f, [*names.values(), *names]) or " Bekannt sind: " + ", ".join(
                        f"{name} ({key})" for key, name in names.items()) + ".")
                    yield Problem("Angebot", s.id, "fields", message)
        for m in net.measures:
            yield from self._missing("measures", m.id, "responsible", m.responsible,
                                     "providers", providers)
        for t in net.transitions:
            yield from self._missing("transitions", t.id, "source", t.source,
                                     "services", services)
            yield from self._missing("transitions", t.id, "target", t.target,
                                     "services", services)
            if t.owner is not None:
                yield from self._missing("transitions", t.id, "owner", t.owner,
                                         "providers", providers)
            for agreement_id in t.agreements:
                yield from self._missing("transitions", t.id, "agreements", agreement_id,
                                         "agreements", agreements)
        for agreement in net.agreements:
            for party in agreement.parties:
                yield from self._missing("agreements", agreement.id, "parties", party,
                                         "providers", providers)
            for q_id in agreement.quarters:
                yield from self._missing("agreements", agreement.id, "quarters", q_id,
                                         "quarters", quarters)
        for flow in net.referral_flows:
            yield from self._missing("referral_flows", flow.key, "transition", flow.transition,
                                     "transitions", transitions)

    def _all(self, section: str) -> Iterable[Any]:
        """Every entity of ``section`` (the candidates of a suggestion)."""
        return cast(Iterable[Any], getattr(self.net, section))

    def _suggest(self, ref: str, section: str, known: set[str]) -> list[str]:
        """Close ids, and ids whose name is close to ``ref`` (people type names)."""
        names: dict[str, str] = {}
        for entity in self._all(section):
            name = getattr(entity, "name", "")
            if name and entity.id in known:
                names.setdefault(name, entity.id)
        hits = closest(ref, [*sorted(known), *names])
        shown: list[str] = []
        for hit in hits:
            text = f"'{hit}'" if hit in known else f"'{names[hit]}' ({hit})"
            if text not in shown and not (hit not in known and f"'{names[hit]}'" in shown):
                shown.append(text)
        return shown

    def _unknown_stage(self, kind: str, entity_id: str, field: str, stage: str) -> Problem:
        names = [n for s in self.cat.life_stages for n in (s.name.split(" (")[0], s.short)
                 if n]
        message = f"Lebensphase '{stage}' ist unbekannt."
        message += did_you_mean(stage, [*names, *self.cat.stages]) or " Bekannt sind: " + ", ".join(
            f"{s.name} ({s.id})" for s in self.cat.life_stages) + "."
        return Problem(kind, entity_id, field, message)

    def _dates(self) -> Iterator[Problem]:
        def order(kind: str, eid: str, start_field: str, start: dt.date | None,
                  end_field: str, end: dt.date | None) -> Iterator[Problem]:
            if start is not None and end is not None and start > end:
                yield Problem(kind, eid, end_field,
                              f"'{end_field}' ({end:%d.%m.%Y}) liegt vor '{start_field}' "
                              f"({start:%d.%m.%Y}).")

        for s in self.net.services:
            yield from order("Angebot", s.id, "valid_from", s.valid_from,
                             "valid_until", s.valid_until)
        for a in self.net.agreements:
            yield from order("Vereinbarung", a.id, "valid_from", a.valid_from,
                             "valid_until", a.valid_until)
            yield from order("Vereinbarung", a.id, "signed", a.signed,
                             "valid_until", a.valid_until)
        for f in self.net.referral_flows:
            yield from order("Vermittlungszahlen", f.key, "period_start", f.period_start,
                             "period_end", f.period_end)
            if f.arrived > f.referred:
                yield Problem("Vermittlungszahlen", f.key, "arrived",
                              f"Angekommen ({f.arrived}) ist mehr als vermittelt "
                              f"({f.referred}).")

    def _transitions(self) -> Iterator[Problem]:
        services = self.net.service_index
        for t in self.net.transitions:
            if t.source == t.target:
                yield Problem("Übergang", t.id, "target",
                              "Ein Übergang muss zu einem anderen Angebot führen.")
                continue
            src, tgt = services.get(t.source), services.get(t.target)
            if src is None or tgt is None or t.backwards:
                continue
            try:
                src_first = min(self.cat.stage_order(s) for s in src.life_stages)
                tgt_last = max(self.cat.stage_order(s) for s in tgt.life_stages)
            except KeyError:
                continue  # unknown stage, reported above
            if tgt_last < src_first:
                yield Problem("Übergang", t.id, "target",
                              f"Der Übergang von '{src.name}' zu '{tgt.name}' führt im "
                              "Lebenslauf zurück. Ist das so gewollt (z. B. eine "
                              "Rückverweisung), markieren Sie ihn mit 'backwards: true'.")
