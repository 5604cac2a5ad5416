"""Open Referral HSDS 3.0: export organisations and services, import service directories.

**Export** (:func:`to_hsds`): every provider as an HSDS ``organization`` (our id as an
``organization_identifier`` of the scheme ``lotsensystem``), every service as an HSDS
``service`` with its ``organization_id``, ``languages``, its site as a ``location``
(one per provider and site, linked by ``service_at_locations``), its contact role as a
``contact`` with only a ``title`` (a role, never a person), its institutional contact
data as ``url``, ``email``, ``phones`` and ``schedules`` (opening hours as the
schedule's ``description``), and each of its quarters as a ``service_area`` named after
the quarter. What HSDS has no field for is an ``attribute`` of our own taxonomy
(:mod:`graph.formats.hsds_taxonomy`): life stages, fields, access, target groups,
capacity, validity dates, transitions, referral figures, agreements, and quarter,
district and municipality of a service area. Deliberately left empty: ``assured_date``
(the day the data was last *checked* – we do not know it; a service's start is
``gueltig_ab``) and ``minimum_age``/``maximum_age`` (the eligibility of the person
served – a life stage is the child's age, and parents or pregnant women are served).
What is not exported is listed in :attr:`HsdsExport.not_exported`.

Three shapes (:data:`SHAPES`): the document ``{"organizations", "services",
"locations", "taxonomies"}`` (``hsds``), the API's paginated form – one page whose
``contents`` are fully nested services with their organization (``hsds-seiten``) – and
the tabular data package, a folder of CSV files with ``datapackage.json``
(``hsds-csv``, :mod:`graph.formats.hsds_package`).

**Import**: :func:`from_hsds` and :func:`read_hsds` in :mod:`graph.formats.hsds_import`
(re-exported here) recognise every HSDS shape by its content.

Export → import → export gives the same document (a fixed point):

>>> from seeds import load_seed
>>> export = to_hsds(load_seed("unna"))
>>> len(export.document["services"]), export.document["services"][0]["status"]
(10, 'active')
>>> back = from_hsds(export.document)
>>> to_hsds(back.network).document == export.document
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.catalogue import default_catalogue
from graph.errors import FormatError
from graph.formats.hsds_import import HsdsImport, count, from_hsds, read_hsds
from graph.formats.hsds_site import location
from graph.formats.hsds_taxonomy import attribute, taxonomy_objects, uid, value_attribute
from graph.formats.tables import LABELS
from graph.model import AnchorKind, ProviderKind, Service
from graph.network import Network

__all__ = ["NOT_CARRIED", "SHAPES", "HsdsExport", "HsdsImport", "from_hsds", "read_hsds",
           "to_hsds", "to_hsds_page", "write_hsds"]

SHAPES = {"hsds": "HSDS-Dokument (JSON: organizations, services, locations)",
          "hsds-seiten": "HSDS-API-Seite (JSON: contents mit vollständigen Angeboten)",
          "hsds-csv": "HSDS-Tabellenpaket (Ordner mit CSV-Dateien und datapackage.json)"}
"""The HSDS shapes :func:`write_hsds` writes, by name (``lotse export --format``)."""

NOT_CARRIED: dict[str, tuple[str, ...]] = {
    "quarters": ("description", "social_data"),
    "districts": ("description",),
    "municipalities": ("description", "county", "state")}
"""Fields HSDS does not carry, by section (listed in :func:`_not_exported`): a merge of
an HSDS file keeps them from the store (``graph.merge.plan_merge(keep=...)``)."""

STATUS_OUT = {"active": "active", "planned": "inactive", "paused": "temporarily closed",
              "ended": "defunct"}


@dataclass
class HsdsExport:
    document: dict[str, Any]
    not_exported: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, net: Network) -> None:
        self.net = net
        self.concepts: set[str] = set()
        self.stage_names = {s.id: s.name for s in net.catalogue.life_stages}
        self.field_names = {f.id: f.name for f in net.catalogue.fields}
        self.districts = {d.id: d for d in net.districts}
        self.municipalities = {m.id: m for m in net.municipalities}
        self.outgoing: dict[str, list[Any]] = {}
        for t in net.transitions:
            self.outgoing.setdefault(t.source, []).append(t)
        self.flows: dict[str, list[Any]] = {}
        for f in net.referral_flows:
            self.flows.setdefault(f.transition, []).append(f)
        self.locations: dict[str, dict[str, Any]] = {}  # our site id -> its location
        self.headed: dict[str, list[Any]] = {}  # agreements by their first party
        for a in net.agreements:
            self.headed.setdefault(a.parties[0], []).append(a)
        # the quarters HSDS carries: those of services (service areas) and of sites
        self.exported_quarters = {q for s in net.services for q in s.quarters} | {
            x.quarter for x in net.sites if x.quarter is not None}

    def term(self, entity: str, link_id: str, concept: str, code: str, name: str,
             n: int) -> dict[str, Any]:
        self.concepts.add(concept)
        return attribute(entity, link_id, concept, code, name, n)

    def value(self, entity: str, link_id: str, concept: str, value: Any,
              n: int) -> dict[str, Any]:
        self.concepts.add(concept)
        return value_attribute(entity, link_id, concept, value, n)

    def site(self, x: Any) -> dict[str, Any]:
        return location(x, self.value, self.quarter_terms)

    def organization(self, p: Any) -> dict[str, Any]:
        oid = uid("provider", p.id)
        attrs = [self.term("organization", oid, "traegerart", p.kind.value,
                           LABELS[ProviderKind][p.kind.value], 0)]
        if p.anchor is not None:
            attrs.append(self.term("organization", oid, "ankerstandort", p.anchor.value,
                                   LABELS[AnchorKind][p.anchor.value], 1))
        for n, a in enumerate(self.headed.get(p.id, [])):
            # stated quarters HSDS does not carry are left out (and listed)
            kept = [q for q in a.quarters if q in self.exported_quarters]
            agreement = a.model_copy(update={"quarters": kept})
            attrs.append(self.value("organization", oid, "vereinbarung",
                                    agreement.model_dump(mode="json", exclude_defaults=True),
                                    2 + n))
        out: dict[str, Any] = {"id": oid, "name": p.name,
                               "description": p.description or p.name}
        contact = p.contact
        if contact is not None and contact.url:
            out["website"] = contact.url
        if contact is not None and contact.email:
            out["email"] = contact.email
        if contact is not None and contact.phone:
            out["phones"] = [{"id": uid("phone", f"provider:{p.id}"), "organization_id": oid,
                              "number": contact.phone}]
        out["organization_identifiers"] = [{
            "id": uid("identifier", p.id), "organization_id": oid,
            "identifier_scheme": "lotsensystem",
            "identifier_type": "Kennung im lotsensystem", "identifier": p.id}]
        out["attributes"] = attrs
        return out

    def quarter_terms(self, entity: str, link_id: str, quarter_id: str,
                      n: int) -> list[dict[str, Any]]:
        """The attributes naming a quarter, its district (if any) and municipality."""
        q = self.net.quarter_index[quarter_id]
        d = self.districts[q.district] if q.district is not None else None
        m = self.municipalities[d.municipality if d is not None else str(q.municipality)]
        attrs = [self.term(entity, link_id, "quartier", q.id, q.name, n)]
        if d is not None:
            attrs.append(self.term(entity, link_id, "stadtbezirk", d.id, d.name, n + 1))
        attrs.append(self.term(entity, link_id, "kommune", m.id, m.name, n + len(attrs)))
        return attrs

    def area(self, s: Service, quarter_id: str) -> dict[str, Any]:
        q = self.net.quarter_index[quarter_id]
        d = self.districts[q.district] if q.district is not None else None
        m = self.municipalities[d.municipality if d is not None else str(q.municipality)]
        aid = uid("area", f"{s.id}:{q.id}")
        where = f"Stadtbezirk {d.name}, {m.name}" if d is not None else m.name
        attrs = self.quarter_terms("service_area", aid, q.id, 0)
        return {"id": aid, "service_id": uid("service", s.id), "name": q.name,
                "description": f"Quartier {q.name}, {where}", "attributes": attrs}

    def service(self, s: Service, place: dict[str, Any] | None) -> dict[str, Any]:
        sid = uid("service", s.id)
        attrs: list[dict[str, Any]] = [self.value("service", sid, "kennung", s.id, 0)]

        def add_term(concept: str, code: str, name: str) -> None:
            attrs.append(self.term("service", sid, concept, code, name, len(attrs)))

        def add_value(concept: str, value: Any) -> None:
            attrs.append(self.value("service", sid, concept, value, len(attrs)))

        for x in s.life_stages:
            add_term("lebensphase", x, self.stage_names.get(x, x))
        for x in s.fields:
            add_term("handlungsfeld", x, self.field_names.get(x, x))
        for a in s.access:
            add_term("zugang", a.value, LABELS[type(a)][a.value])
        for group in s.target_groups:
            add_value("zielgruppe", group)
        if s.capacity_per_year is not None:
            add_value("kapazitaet", str(s.capacity_per_year))
        if s.capacity_unit is not None:
            add_value("kapazitaetseinheit", s.capacity_unit.value)
        if s.language_bridge:
            add_value("sprachbruecke", "ja")
        if s.valid_from is not None:
            add_value("gueltig_ab", s.valid_from.isoformat())
        if s.valid_until is not None:
            add_value("gueltig_bis", s.valid_until.isoformat())
        for t in self.outgoing.get(s.id, []):
            add_value("uebergang", t.model_dump(mode="json", exclude_defaults=True))
        for t in self.outgoing.get(s.id, []):
            for f in self.flows.get(t.id, []):
                add_value("vermittlungen", f.model_dump(mode="json", exclude_defaults=True))
        out: dict[str, Any] = {
            "id": sid, "organization_id": uid("provider", s.provider), "name": s.name}
        if s.description:
            out["description"] = s.description
        out["status"] = STATUS_OUT[s.status.value]
        contact = s.contact
        if contact is not None and contact.url:
            out["url"] = contact.url
        if contact is not None and contact.email:
            out["email"] = contact.email
        if contact is not None and contact.phone:
            out["phones"] = [{"id": uid("phone", s.id), "service_id": sid,
                              "number": contact.phone}]
        if contact is not None and contact.opening_hours:
            out["schedules"] = [{"id": uid("schedule", s.id), "service_id": sid,
                                 "description": contact.opening_hours}]
        if s.contact_role:
            out["contacts"] = [{"id": uid("contact", s.id), "service_id": sid,
                                "title": s.contact_role}]
        out["languages"] = [{"id": uid("language", f"{s.id}:{code}"), "service_id": sid,
                             "code": code} for code in s.languages]
        out["service_areas"] = [self.area(s, q) for q in s.quarters]
        links = []
        if place is not None:  # the free text ``site``
            links.append({"id": uid("service_at_location", f"{s.id}:{s.site}"),
                          "service_id": sid, "location_id": place["id"], "location": place})
        for site_id in s.sites:  # sites of their own (graph.site)
            site = self.locations[site_id]
            links.append({"id": uid("service_at_location", f"{s.id}:site:{site_id}"),
                          "service_id": sid, "location_id": site["id"], "location": site})
        if links:
            out["service_at_locations"] = links
        out["attributes"] = attrs
        return out


def _not_exported(net: Network) -> list[str]:
    notes = []
    served = {q for s in net.services for q in s.quarters} | {
        x.quarter for x in net.sites if x.quarter is not None}
    lonely = [q.name for q in net.quarters if q.id not in served]
    if lonely:
        notes.append(count(len(lonely), "Quartier", "Quartiere") + " ohne Angebote und "
                     f"Standorte ({', '.join(lonely[:3])}"
                     f"{' …' if len(lonely) > 3 else ''}) – HSDS kennt Gebiete nur als "
                     "Einzugsgebiet eines Angebots.")
    stated = sum(1 for a in net.agreements for q in a.quarters if q not in served)
    if stated:
        notes.append(count(stated, "Quartiersangabe", "Quartiersangaben") + " an "
                     "Vereinbarungen zu diesen Quartieren – HSDS führt die Quartiere nicht.")
    years = sum(len(q.social_data) for q in net.quarters)
    if years:
        notes.append(count(years, "Jahrgang", "Jahrgänge") + " Sozialraumdaten – ohne "
                     "Entsprechung in HSDS.")
    described = sum(1 for x in (*net.quarters, *net.districts, *net.municipalities)
                    if x.description)
    counties = sum(1 for m in net.municipalities if m.county)
    if described or counties:
        notes.append(count(described, "Beschreibung", "Beschreibungen") + " von Quartieren, "
                     "Stadtbezirken und Kommunen und " + count(counties, "Kreisangabe",
                                                               "Kreisangaben")
                     + " – HSDS führt sie nicht.")
    if net.measures or net.accepted_findings or net.meetings:
        notes.append(count(len(net.measures), "Maßnahme", "Maßnahmen") + ", "
                     + count(len(net.accepted_findings), "akzeptierter Befund",
                             "akzeptierte Befunde") + " und "
                     + count(len(net.meetings), "Sitzung", "Sitzungen")
                     + " – sie gehören zur Arbeit des Netzwerks, nicht ins "
                     "Angebotsverzeichnis.")
    if net.description:
        notes.append("Name und Beschreibung des Netzwerks – HSDS hat dafür kein Feld.")
    if net.catalogue != default_catalogue():
        notes.append("Der eigene Katalog der Lebensphasen (nur ihre Kennungen stehen an den "
                     "Angeboten); beim Einlesen gilt der Standard-Katalog.")
    return notes


def to_hsds(net: Network) -> HsdsExport:
    """The network's providers and services as an HSDS 3.0 document."""
    b = _Builder(net)
    organizations = [b.organization(p) for p in net.providers]
    b.locations = {x.id: b.site(x) for x in net.sites}
    locations: dict[tuple[str, str], dict[str, Any]] = {}
    services = []
    for s in net.services:
        place = None
        if s.site:
            place = locations.setdefault((s.provider, s.site), {
                "id": uid("location", f"{s.provider}:{s.site}"), "location_type": "physical",
                "organization_id": uid("provider", s.provider), "name": s.site})
        services.append(b.service(s, place))
    document = {"organizations": organizations, "services": services,
                "locations": [*b.locations.values(), *locations.values()],
                "taxonomies": taxonomy_objects(b.concepts)}
    return HsdsExport(document, _not_exported(net))


def to_hsds_page(net: Network) -> HsdsExport:
    """The services as one page of the HSDS API (``contents``), each fully nested with
    its organization and locations. What hangs on no service – providers without
    services (with the agreements they head) and sites no service names – follows
    beside the page's fields as ``organizations`` and ``locations`` (the page schema
    allows further properties; an HSDS client reads the services, our import all)."""
    export = to_hsds(net)
    orgs = {o["id"]: o for o in export.document["organizations"]}
    contents = [{**s, "organization": orgs[s["organization_id"]]}
                for s in export.document["services"]]
    used = {s["organization_id"] for s in contents}
    linked = {link["location_id"] for s in contents
              for link in s.get("service_at_locations", [])}
    n = len(contents)
    page: dict[str, Any] = {
        "total_items": n, "total_pages": 1, "page_number": 1, "size": n, "first_page": True,
        "last_page": True, "empty": n == 0, "contents": contents}
    lonely = [o for o in orgs.values() if o["id"] not in used]
    if lonely:
        page["organizations"] = lonely
    places = [p for p in export.document["locations"] if p["id"] not in linked]
    if places:
        page["locations"] = places
    return HsdsExport(page, list(export.not_exported))


def write_hsds(net: Network, path: str | Path, shape: str = "hsds") -> list[str]:
    """Write HSDS in ``shape`` (see :data:`SHAPES`); returns what was not exported."""
    from graph.atomic import atomic_write_text

    if shape == "hsds-csv":
        from graph.formats.hsds_package import write_package

        export = to_hsds(net)
        write_package(export.document, Path(path))
        return export.not_exported
    if shape not in SHAPES:
        raise FormatError(f"Unbekannte HSDS-Form '{shape}'; möglich sind: "
                          + ", ".join(SHAPES) + ".", str(path))
    export = to_hsds_page(net) if shape == "hsds-seiten" else to_hsds(net)
    atomic_write_text(Path(path), json.dumps(export.document, ensure_ascii=False, indent=2))
    return export.not_exported
