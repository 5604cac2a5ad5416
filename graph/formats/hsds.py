"""Open Referral HSDS 3.0: export organisations and services, import service directories.

**Export** (:func:`to_hsds`): every provider as an HSDS ``organization``, every service as
an HSDS ``service`` with its ``organization_id``, its ``languages``, its quarters as
``service_areas``, the age range of its life stages (``minimum_age``/``maximum_age`` in
years) and, as ``attributes``, what HSDS has no field for: our ids, life stages, fields,
target groups, low-threshold access, capacity, contact role and every outgoing
transition (target, kind, owner, agreements). Ids are UUIDs derived from ours
(stable). Not exported, and said so in :attr:`HsdsExport.not_exported`: agreements
(dates, parties), referral flows, districts and municipalities, social data. A service's
``site`` becomes an HSDS ``location`` (one per provider and site, named by the site) with
a ``service_at_location``; structured addresses (street, postal code, state) are not
modelled, so no ``address`` objects are written.

**Import** (:func:`from_hsds`, :func:`read_hsds`): HSDS JSON (a list of services, a paged
service list, a single service or organization, or ``{"organizations", "services"}``)
and the tabular data package (a folder of CSV files with ``datapackage.json``). What an
HSDS directory cannot say (life stages, fields) comes from our attributes when the data
was exported by us, otherwise from the age range (no age: every stage; an age range
outside 0–10 years: the nearest end of the chain) and the field ``participation``; the
report says so.

>>> from seeds import load_seed
>>> export = to_hsds(load_seed("unna"))
>>> len(export.document["services"]), export.document["services"][0]["status"]
(10, 'active')
>>> back = from_hsds(export.document)
>>> sorted(s.name for s in back.network.services) == sorted(
...     s.name for s in load_seed("unna").services)
True
"""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.catalogue import default_catalogue
from graph.errors import FormatError
from graph.formats.document import parse
from graph.network import Network

__all__ = ["HsdsExport", "HsdsImport", "from_hsds", "read_hsds", "to_hsds", "write_hsds"]

_NS = uuid.UUID("6f0c2c8e-5b5b-4e55-9a7e-1c2b3a4d5e6f")
_STATUS_OUT = {"active": "active", "planned": "inactive", "paused": "temporarily closed",
               "ended": "defunct"}
_STATUS_IN = {"active": "active", "inactive": "planned", "temporarily closed": "paused",
              "defunct": "ended"}
_LINK = "lotsensystem"  # link_entity of our own attributes


def _uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


@dataclass
class HsdsExport:
    document: dict[str, Any]
    not_exported: list[str] = field(default_factory=list)


@dataclass
class HsdsImport:
    network: Network
    notes: list[str] = field(default_factory=list)


def _attribute(service_uuid: str, link_type: str, value: Any, n: int) -> dict[str, Any]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {"id": _uuid("attribute", f"{service_uuid}:{link_type}:{n}"), "link_id": service_uuid,
            "link_type": link_type, "link_entity": _LINK, "value": text}


def to_hsds(net: Network) -> HsdsExport:
    """The network's providers and services as HSDS 3.0 objects."""
    stages = net.catalogue.stages
    quarters = net.quarter_index
    organizations = []
    for p in net.providers:
        oid = _uuid("provider", p.id)
        own = [("lotse_id", p.id), ("provider_kind", p.kind.value)]
        if p.anchor is not None:
            own.append(("anchor", p.anchor.value))
        org: dict[str, Any] = {"id": oid, "name": p.name, "description": p.description or p.name,
                               "attributes": [_attribute(oid, k, v, n)
                                              for n, (k, v) in enumerate(own)]}
        organizations.append(org)
    outgoing: dict[str, list[dict[str, Any]]] = {}
    for t in net.transitions:
        outgoing.setdefault(t.source, []).append(
            {"id": t.id, "target": t.target, "kind": t.kind.value, "owner": t.owner,
             "agreements": t.agreements, "person_dependent": t.person_dependent})
    services = []
    locations: dict[tuple[str, str], dict[str, Any]] = {}  # (provider, site) -> location
    for s in net.services:
        sid = _uuid("service", s.id)
        months = [stages[x].from_months for x in s.life_stages] + \
            [stages[x].to_months for x in s.life_stages]
        attrs: list[Any] = [("lotse_id", s.id), ("lotse_provider", s.provider)]
        attrs += [("life_stage", x) for x in s.life_stages]
        attrs += [("field", x) for x in s.fields]
        attrs += [("target_group", x) for x in s.target_groups]
        attrs += [("access", a.value) for a in s.access]
        if s.capacity_per_year is not None:
            attrs.append(("capacity_per_year", str(s.capacity_per_year)))
        if s.contact_role:
            attrs.append(("contact_role", s.contact_role))
        attrs += [("transition", x) for x in outgoing.get(s.id, [])]
        service: dict[str, Any] = {
            "id": sid, "organization_id": _uuid("provider", s.provider), "name": s.name,
            "description": s.description or s.name, "status": _STATUS_OUT[s.status.value],
            "minimum_age": max(0.0, min(months) / 12), "maximum_age": max(months) / 12,
            "languages": [{"id": _uuid("language", f"{s.id}:{code}"), "service_id": sid,
                           "code": code} for code in s.languages],
            "service_areas": [{"id": _uuid("area", f"{s.id}:{q}"), "service_id": sid,
                               "name": quarters[q].name, "description": q}
                              for q in s.quarters],
            "attributes": [_attribute(sid, kind, value, n)
                           for n, (kind, value) in enumerate(attrs)],
        }
        if s.valid_from:
            service["assured_date"] = s.valid_from.isoformat()
        if s.site:
            place = locations.setdefault((s.provider, s.site), {
                "id": _uuid("location", f"{s.provider}:{s.site}"), "location_type": "physical",
                "organization_id": _uuid("provider", s.provider), "name": s.site})
            service["service_at_locations"] = [{
                "id": _uuid("service_at_location", f"{s.id}:{s.site}"), "service_id": sid,
                "location_id": place["id"], "location": place}]
        services.append(service)
    notes = [
        f"{len(net.agreements)} Vereinbarungen (Partner, Laufzeiten) – HSDS kennt keine "
        "Vereinbarungen zwischen Trägern; nur ihre Kennungen stehen an den Übergängen.",
        f"{len(net.referral_flows)} Vermittlungszahlen, Sozialraumdaten, Stadtbezirke und "
        "Kommunen – ohne Entsprechung in HSDS.",
        f"Standorte: {len(locations)} als locations (Name aus 'site'); strukturierte "
        "Anschriften (HSDS address: Straße, PLZ, Ort, Bundesland) führt das lotsensystem "
        "nicht – die Anschrift steht, wenn angegeben, im Namen des Standorts.",
    ]
    return HsdsExport({"organizations": organizations, "services": services,
                       "locations": list(locations.values())}, notes)


def write_hsds(net: Network, path: str | Path) -> list[str]:
    """Write the HSDS export as JSON; returns what could not be exported."""
    from graph.atomic import atomic_write_text

    export = to_hsds(net)
    atomic_write_text(Path(path), json.dumps(export.document, ensure_ascii=False, indent=2))
    return export.not_exported


# -- import ----------------------------------------------------------------------------------


def _services_and_orgs(doc: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if isinstance(doc, list):
        return [x for x in doc if isinstance(x, dict)], []
    if not isinstance(doc, dict):
        raise FormatError("Kein HSDS-Dokument: erwartet wird ein JSON-Objekt oder eine Liste "
                          "von Angeboten (services).")
    if "contents" in doc and isinstance(doc["contents"], list):  # paged list
        return _services_and_orgs(doc["contents"])
    if "services" in doc or "organizations" in doc:
        services = [x for x in _list(doc.get("services")) if isinstance(x, dict)]
        orgs = [x for x in _list(doc.get("organizations")) if isinstance(x, dict)]
        if "id" in doc and "name" in doc and not orgs:  # a single organization with services
            orgs = [doc]
            for s in services:
                s.setdefault("organization_id", doc["id"])
        return services, orgs
    if "status" in doc or "organization_id" in doc or "organization" in doc:
        return [doc], []
    if isinstance(doc.get("service"), dict):  # a service_at_location
        service = dict(doc["service"])
        if isinstance(doc.get("location"), dict) and not service.get("service_at_locations"):
            service["service_at_locations"] = [{"location": doc["location"]}]
        return [service], []
    raise FormatError("Kein HSDS-Dokument erkannt (weder services noch organizations).")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any, fallback: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else fallback


def from_hsds(doc: Any, source: str = "<HSDS>") -> HsdsImport:
    """Providers and services from HSDS data (see the module docstring)."""
    services, orgs = _services_and_orgs(doc)
    notes: list[str] = []
    cat = default_catalogue()
    providers: dict[str, dict[str, Any]] = {}
    ours_of: dict[str, str] = {}  # HSDS organization id -> our provider id
    for org in orgs:
        oid = _text(org.get("id"), "")
        if not oid:
            continue
        own = {str(a.get("link_type")): str(a.get("value")) for a in _list(org.get("attributes"))
               if isinstance(a, dict) and a.get("link_entity") == _LINK}
        pid = own.get("lotse_id", oid)
        ours_of[oid] = pid
        providers[pid] = {"id": pid, "name": _text(org.get("name"), pid),
                          "kind": own.get("provider_kind", "other")}
        if "anchor" in own:
            providers[pid]["anchor"] = own["anchor"]
    quarters: dict[str, dict[str, Any]] = {}
    ours: list[dict[str, Any]] = []
    transitions: list[dict[str, Any]] = []
    guessed = 0
    for i, s in enumerate(services):
        attrs: dict[str, list[str]] = {}
        for a in _list(s.get("attributes")):
            if isinstance(a, dict) and a.get("link_entity") == _LINK:
                attrs.setdefault(str(a.get("link_type")), []).append(str(a.get("value")))
        sid = (attrs.get("lotse_id") or [_text(s.get("id"), f"angebot-{i + 1}")])[0]
        nested = s.get("organization")
        owner_org: dict[str, Any] = nested if isinstance(nested, dict) else {}
        oid = _text(s.get("organization_id"), _text(owner_org.get("id"), "unbekannter-traeger"))
        provider = (attrs.get("lotse_provider") or [ours_of.get(oid, oid)])[0]
        if provider not in providers:
            providers[provider] = {"id": provider,
                                   "name": _text(owner_org.get("name"), provider),
                                   "kind": "other"}
        areas = []
        for area in _list(s.get("service_areas")):
            if not isinstance(area, dict):
                continue
            qid = _text(area.get("description"), "") if _LINK in json.dumps(attrs) else ""
            qid = qid if qid and " " not in qid else _text(area.get("id"), f"gebiet-{i}")
            quarters.setdefault(qid, {"id": qid, "name": _text(area.get("name"), qid)[:200],
                                      "district": "hsds-bezirk"})
            areas.append(qid)
        if not areas:
            quarters.setdefault("hsds-gebiet", {"id": "hsds-gebiet", "name": "Ganzes Gebiet",
                                                "district": "hsds-bezirk"})
            areas = ["hsds-gebiet"]
        stages = attrs.get("life_stage")
        if not stages:
            guessed += 1
            lo, hi = s.get("minimum_age"), s.get("maximum_age")
            lo_m = float(lo) * 12 if isinstance(lo, int | float) else -1e9
            hi_m = float(hi) * 12 if isinstance(hi, int | float) else 1e9
            stages = [x.id for x in cat.life_stages if x.from_months < hi_m and x.to_months > lo_m]
            if not stages:  # outside 0–10: the nearest end of the chain
                first, last = cat.life_stages[0], cat.life_stages[-1]
                stages = [last.id if lo_m >= last.to_months else first.id]
        languages = [str(x.get("code")).strip().lower() for x in _list(s.get("languages"))
                     if isinstance(x, dict) and isinstance(x.get("code"), str)]
        service: dict[str, Any] = {
            "id": sid, "name": _text(s.get("name"), sid), "provider": provider,
            "quarters": list(dict.fromkeys(areas)), "life_stages": stages,
            "fields": attrs.get("field") or ["participation"],
            "target_groups": attrs.get("target_group", []),
            "languages": languages or ["de"], "access": attrs.get("access", []),
            "status": _STATUS_IN.get(str(s.get("status")), "active")}
        if not isinstance(s.get("status"), str | None):
            notes.append(f"Angebot '{sid}': unlesbarer Status, 'aktiv' angenommen.")
        if isinstance(s.get("description"), str) and s["description"].strip() and \
                s["description"].strip() != service["name"]:
            service["description"] = s["description"].strip()
        if attrs.get("capacity_per_year"):
            service["capacity_per_year"] = attrs["capacity_per_year"][0]
        if attrs.get("contact_role"):
            service["contact_role"] = attrs["contact_role"][0]
        site = _site(s)
        if site:
            service["site"] = site
        if isinstance(s.get("assured_date"), str) and attrs.get("lotse_id"):
            service["valid_from"] = s["assured_date"]
        ours.append(service)
        for raw in attrs.get("transition", []):
            try:
                t = json.loads(raw)
                transitions.append({"id": t["id"], "source": sid, "target": t["target"],
                                    "kind": t["kind"], "owner": t.get("owner"),
                                    "person_dependent": t.get("person_dependent", False)})
            except (ValueError, KeyError, TypeError):
                notes.append(f"Übergang am Angebot '{sid}' ist unlesbar und wurde ausgelassen.")
    known = {s["id"] for s in ours}
    transitions = [t for t in transitions if t["target"] in known]
    if guessed:
        notes.append(f"{guessed} Angebote ohne Lebensphasen aus dem lotsensystem: aus dem "
                     "Altersbereich abgeleitet (ohne Alter: alle Phasen); Handlungsfeld "
                     "'participation' angenommen – bitte prüfen.")
    notes.append("Vereinbarungen sind in HSDS nicht enthalten; importierte Übergänge haben "
                 "keine Vereinbarung.")
    data = {
        "name": "Import aus HSDS", "municipalities": [{"id": "hsds-kommune",
                                                       "name": "Kommune (aus HSDS)"}],
        "districts": [{"id": "hsds-bezirk", "name": "Gebiet (aus HSDS)",
                       "municipality": "hsds-kommune"}],
        "quarters": list(quarters.values()), "providers": list(providers.values()),
        "services": ours,
        "transitions": [{k: v for k, v in t.items() if v is not None} for t in transitions],
    }
    return HsdsImport(parse(data, source=source), notes)


def _site(service: dict[str, Any]) -> str | None:
    """The first location of a service as one line: its name, else its first address."""
    for link in _list(service.get("service_at_locations")):
        place = link.get("location") if isinstance(link, dict) else None
        if not isinstance(place, dict):
            continue
        name = _text(place.get("name"), "")
        if name:
            return name[:200]
        for address in _list(place.get("addresses")):
            if isinstance(address, dict):
                parts = [_text(address.get(k), "") for k in ("address_1", "postal_code", "city")]
                line = ", ".join(p for p in parts if p)
                if line:
                    return line[:200]
    return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: v for k, v in row.items() if k and v not in ("", None)}
                for row in csv.DictReader(handle)]


def _from_package(folder: Path) -> dict[str, Any]:
    """The tabular data package (CSV files) as nested HSDS objects."""
    services = _read_csv(folder / "services.csv")
    by_service: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in ("languages", "service_areas", "attributes"):
        for row in _read_csv(folder / f"{name}.csv"):
            key = row.get("service_id") or row.get("link_id")
            if key:
                by_service.setdefault(key, {}).setdefault(name, []).append(row)
    places: dict[str, dict[str, Any]] = {
        row["id"]: dict(row) for row in _read_csv(folder / "locations.csv") if row.get("id")}
    for row in _read_csv(folder / "addresses.csv"):
        if row.get("location_id") in places:
            places[row["location_id"]].setdefault("addresses", []).append(row)
    for row in _read_csv(folder / "service_at_location.csv"):
        if row.get("service_id") and row.get("location_id") in places:
            by_service.setdefault(row["service_id"], {}).setdefault(
                "service_at_locations", []).append({"location": places[row["location_id"]]})
    for s in services:
        for k in ("minimum_age", "maximum_age"):
            if k in s:
                try:
                    s[k] = float(s[k])  # type: ignore[assignment]
                except ValueError:
                    s.pop(k)
        s.update(by_service.get(s.get("id", ""), {}))  # type: ignore[arg-type]
    return {"organizations": _read_csv(folder / "organizations.csv"), "services": services}


def read_hsds(path: str | Path) -> HsdsImport:
    """Import HSDS from a JSON file or a tabular data package folder."""
    source = Path(path)
    if source.is_dir():
        if not (source / "services.csv").exists():
            raise FormatError("Im Ordner fehlt services.csv (HSDS-Tabellenpaket).", str(source))
        return from_hsds(_from_package(source), str(source))
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormatError("Die Datei gibt es nicht.", str(source)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"Kein gültiges JSON: {exc}", str(source)) from None
    return from_hsds(doc, str(source))


