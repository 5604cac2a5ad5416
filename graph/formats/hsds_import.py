"""Import HSDS 3.0: every shape recognised by its content, whatever the file is called.

Shapes (:func:`collect`): a service, organization, location or service_at_location
object; a list of them; a page of the API (``contents``); a document with lists
(``organizations``, ``services``, ``locations``, ``service_at_locations``); the tabular
form as JSON (``{"services.csv": [rows …]}``) or as a folder of CSV files. What becomes
what:

- organization(s) → providers (with their nested services and locations), their
  ``website``, ``email`` and first phone → the provider's contact;
- service(s) and service_at_location(s) → services; their locations → sites
  (:class:`graph.site.Site`, see :mod:`graph.formats.hsds_site`) named in the service's
  ``sites`` – only a location our own export wrote for the free text ``site`` of one of
  our services becomes that text again;
- location(s), also alone → sites (a file with only locations imports sites);
- service areas → quarters (our own taxonomy says which quarter, district and
  municipality; foreign areas become one quarter per distinct area name);
- taxonomies, taxonomy terms, the API description (``base``) → a clear refusal: the
  file "enthält keine Angebote"; nothing is stored.

What HSDS cannot say (life stages, fields) comes from our taxonomy when the data was
exported by us; otherwise the eligibility age (``minimum_age``/``maximum_age``, the age
of the person served) gives a first guess of the stages (no age: every stage) and the
field is ``participation`` – the notes say so. Contact persons' names are never read
(roles only). Everything else that is not carried over is counted in the notes
("Nicht übernommen: 1 × Kosten (fees_description) …").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.catalogue import default_catalogue
from graph.contact import Contact, ProviderContact
from graph.errors import FormatError
from graph.formats.document import parse
from graph.formats.hsds_site import address_text
from graph.formats.hsds_taxonomy import own_attributes, term_names
from graph.network import Network
from graph.values import ID_PATTERN

__all__ = ["Collected", "HsdsImport", "collect", "count", "from_hsds", "read_hsds"]

MAX_SITES = 50
"""The most sites one service names (as :class:`graph.model.Service` allows)."""

STATUS_IN = {"active": "active", "inactive": "planned", "temporarily closed": "paused",
             "defunct": "ended"}

_ORG_KEYS = {"website", "tax_status", "tax_id", "legal_status", "year_incorporated", "logo",
             "parent_organization_id", "organization_identifiers", "programs", "services",
             "locations"}
_SERVICE_KEYS = {"status", "organization_id", "service_areas", "service_at_locations",
                 "organization", "eligibility_description", "minimum_age", "maximum_age",
                 "fees_description", "application_process", "program", "cost_options"}
_LOCATION_KEYS = {"location_type", "addresses", "latitude", "longitude", "transportation",
                  "accessibility", "external_identifier"}
_TERM_KEYS = {"taxonomy", "taxonomy_detail", "taxonomy_id", "parent_id", "term_uri"}

LABELS = {  # German names of HSDS fields that are not carried over
    "alternate_name": "Zweitnamen", "phones": "Telefonnummern", "schedules": "Zeitpläne",
    "contacts": "Kontaktpersonen", "fees_description": "Kostenangaben", "fees": "Kosten",
    "cost_options": "Kostenoptionen", "eligibility_description": "Zugangsvoraussetzungen",
    "application_process": "Anmeldewege", "interpretation_services": "Dolmetschangaben",
    "funding": "Finanzierungsangaben", "required_documents": "benötigte Unterlagen",
    "program": "Programme", "programs": "Programme", "accreditations": "Akkreditierungen",
    "licenses": "Lizenzen", "alert": "Hinweise", "wait_time": "Wartezeiten",
    "assured_date": "Prüfdaten", "assurer_email": "Prüfer-E-Mails",
    "last_modified": "Änderungszeitpunkte", "metadata": "Änderungsprotokolle",
    "addresses": "Anschriften", "accessibility": "Barrierefreiheitsangaben",
    "latitude": "Koordinaten", "longitude": "Koordinaten", "transportation": "Anfahrtswege",
    "email": "E-Mail-Adressen", "website": "Webseiten", "url": "Webadressen",
    "logo": "Logos", "legal_status": "Rechtsformen", "tax_status": "Steuerstatus",
    "tax_id": "Steuernummern", "year_incorporated": "Gründungsjahre", "uri": "URIs",
    "parent_organization_id": "Dachorganisationen",
    "organization_identifiers": "fremde Kennungen (z. B. Registernummern)",
    "attributes": "fremde Taxonomie-Zuordnungen", "service_areas": "Gebietsbeschreibungen",
    "external_identifier": "fremde Standortkennungen", "languages": "Sprachangaben",
    "service_at_locations": "weitere Standorte", "description": "Beschreibungen",
    "minimum_age": "Mindestalter", "maximum_age": "Höchstalter",
}
_IGNORED = {"id", "organization_id", "service_id", "location_id", "link_id",
            "external_identifier_type", "location_type", "extension", "type", "code", "name"}


@dataclass
class HsdsImport:
    network: Network
    notes: list[str] = field(default_factory=list)


@dataclass
class Collected:
    """The HSDS objects of one file, by what they are."""

    services: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    other: Counter[str] = field(default_factory=Counter)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in _list(value) if isinstance(x, dict)]


def _kind(obj: dict[str, Any]) -> str:
    keys = set(obj)
    if "openapi_url" in keys or {"version", "profile"} <= keys:
        return "base"
    if isinstance(obj.get("service"), dict) or (
            {"service_id", "location_id"} <= keys and "number" not in keys):
        return "service_at_location"
    if "code" in keys and keys & _TERM_KEYS:
        return "taxonomy_term"
    if keys & _SERVICE_KEYS:
        return "service"
    if keys & _ORG_KEYS:
        return "organization"
    if keys & _LOCATION_KEYS:
        return "location"
    if "version" in keys and "name" in keys:
        return "taxonomy"
    if "name" in keys and "description" in keys:
        return "organization"
    if "name" in keys:
        return "service"
    return "unknown"


def collect(doc: Any) -> Collected:
    """Sort the objects of an HSDS file by what they are (see the module docstring)."""
    found = Collected()
    _collect(doc, found, depth=0)
    return found


def _collect(doc: Any, found: Collected, depth: int) -> None:
    if depth > 3:
        found.other["unknown"] += 1
        return
    if isinstance(doc, list):
        for item in doc:
            _collect(item, found, depth + 1)
        return
    if not isinstance(doc, dict):
        found.other["unknown"] += 1
        return
    if doc and all(isinstance(k, str) and k.endswith(".csv") for k in doc):
        from graph.formats.hsds_package import nest

        tables = {k[:-4]: _dicts(v) for k, v in doc.items()}
        _collect(nest({k: [{c: str(x) for c, x in row.items() if x is not None}
                           for row in rows] for k, rows in tables.items()}), found, depth + 1)
        return
    if isinstance(doc.get("contents"), list):
        _collect(doc["contents"], found, depth + 1)
        # our page carries providers and sites without services beside the page's fields
        for place in _dicts(doc.get("locations")):
            _add_location(found, place)
        _collect(_dicts(doc.get("organizations")), found, depth + 1)
        return
    lists = ("organizations", "services", "locations", "service_at_locations",
             "taxonomies", "taxonomy_terms")
    if "id" not in doc and any(isinstance(doc.get(k), list) for k in lists):
        for place in _dicts(doc.get("locations")):
            _add_location(found, place)
        for key in ("organizations", "services", "service_at_locations"):
            _collect(_dicts(doc.get(key)), found, depth + 1)
        if not found.services and not found.organizations and not found.locations:
            for key in ("taxonomies", "taxonomy_terms"):
                _collect(_dicts(doc.get(key)), found, depth + 1)
        return
    kind = _kind(doc)
    if kind == "service":
        found.services.append(doc)
    elif kind == "organization":
        found.organizations.append(doc)
        for place in _dicts(doc.get("locations")):
            _add_location(found, place)
        for s in _dicts(doc.get("services")):
            found.services.append({"organization_id": doc.get("id"), **s})
    elif kind == "service_at_location":
        service = doc.get("service")
        if isinstance(service, dict):
            link = {k: v for k, v in doc.items() if k != "service"}
            found.services.append({**service, "service_at_locations": [link]})
        else:
            found.other["service_at_location"] += 1
    elif kind == "location":
        _add_location(found, doc)
    else:
        found.other[kind] += 1


def _add_location(found: Collected, place: dict[str, Any]) -> None:
    """A location of the file (by its id; one without id under a key of its own)."""
    key = place.get("id")
    found.locations.setdefault(key if isinstance(key, str) and key
                               else f"#{len(found.locations) + 1}", place)


_WHAT = {"base": ("die Beschreibung einer HSDS-Schnittstelle (base)",) * 2,
         "taxonomy": ("Taxonomie", "Taxonomien"),
         "taxonomy_term": ("Taxonomie-Begriff", "Taxonomie-Begriffe"),
         "service_at_location": ("Verknüpfung Angebot–Standort ohne das Angebot selbst",
                                 "Verknüpfungen Angebot–Standort ohne das Angebot selbst"),
         "unknown": ("Objekt, das nicht nach HSDS aussieht",
                     "Objekte, die nicht nach HSDS aussehen")}


def count(n: int, one: str, many: str) -> str:
    """A number with its noun in the right number.

    >>> count(1, "Angebot", "Angebote"), count(3, "Angebot", "Angebote")
    ('1 Angebot', '3 Angebote')
    """
    return f"{n} {one if n == 1 else many}"


def _what(kind: str, n: int) -> str:
    if kind == "base":
        return _WHAT[kind][0]
    return count(n, *_WHAT[kind])


def _refusal(found: Collected) -> str:
    parts = [_what(k, n) for k, n in found.other.items() if n and k in _WHAT]
    what = "; ".join(parts) if parts else "nichts, was nach HSDS aussieht"
    return (f"Die Datei enthält keine Angebote (HSDS services) und keine Träger "
            f"(organizations), sondern: {what}. Nichts wurde übernommen.")


# -- building our network ----------------------------------------------------------------


def make_id(text: str, fallback: str) -> str:
    """An id of ours from a foreign id or name: ASCII, no spaces (``Straße 1`` →
    ``strasse-1``).

    >>> make_id("Familienbüro Nord", "x"), make_id("ac148810-d857", "x"), make_id("!!", "x")
    ('familienbuero-nord', 'ac148810-d857', 'x')
    """
    if ID_PATTERN.match(text):
        return text
    value = text.casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(a, b)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9_.:-]+", "-", value).strip("-_.:")[:60].strip("-_.:")
    return value if value and ID_PATTERN.match(value) else fallback


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any, limit: int = 300) -> str:
    if not isinstance(value, str):
        return ""
    return _CONTROL.sub("", value).strip()[:limit].strip()


def _key(place: dict[str, Any]) -> Any:
    """What identifies an HSDS location: its id (the same location may stand nested in
    several services and in the file's list), else the object itself."""
    key = place.get("id")
    return key if isinstance(key, str) and key else id(place)


class _Builder:
    def __init__(self, found: Collected) -> None:
        self.found = found
        self.notes: list[str] = []
        self.dropped: Counter[str] = Counter()
        self.providers: dict[str, dict[str, Any]] = {}
        self.ours_of: dict[str, str] = {}  # HSDS organization id -> our provider id
        self.municipalities: dict[str, dict[str, Any]] = {}
        self.districts: dict[str, dict[str, Any]] = {}
        self.quarters: dict[str, dict[str, Any]] = {}
        self.services: list[dict[str, Any]] = []
        self.sites: dict[str, dict[str, Any]] = {}  # our site id -> site data
        self.site_of: dict[Any, str] = {}  # HSDS location (its id) -> our site id
        self.text_sites: set[Any] = set()  # locations read as a free-text site
        self.transitions: list[dict[str, Any]] = []
        self.flows: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.guessed = 0
        self.unknown_provider = 0
        self.persons = 0
        self.used_ids: set[str] = set()

    def unique(self, wanted: str) -> str:
        value, n = wanted, 2
        while value in self.used_ids:
            value = f"{wanted[:90]}-{n}"
            n += 1
        self.used_ids.add(value)
        return value

    def count_unused(self, obj: dict[str, Any], used: set[str]) -> None:
        for key, value in obj.items():
            if key in used or key in _IGNORED or value in (None, "", [], {}):
                continue
            self.dropped[key] += len(value) if isinstance(value, list) else 1

    def organization(self, org: dict[str, Any]) -> str:
        hsds_id = str(org.get("id") or "")
        if hsds_id and hsds_id in self.ours_of:
            return self.ours_of[hsds_id]
        own = own_attributes(org)
        ours = [str(x["identifier"]) for x in _dicts(org.get("organization_identifiers"))
                if x.get("identifier_scheme") == "lotsensystem"
                and isinstance(x.get("identifier"), str)]
        name = _text(org.get("name")) or "Träger ohne Namen"
        pid = ours[0] if ours and ID_PATTERN.match(ours[0]) else make_id(
            hsds_id or name, f"traeger-{len(self.providers) + 1}")
        pid = self.unique(pid) if pid not in self.providers else pid
        if hsds_id:
            self.ours_of[hsds_id] = pid
        provider: dict[str, Any] = {"id": pid, "name": name,
                                    "kind": (own.get("traegerart") or ["other"])[0]}
        description = _text(org.get("description"), 20_000)
        if description and description != name:
            provider["description"] = description
        contact = self.contact({"url": org.get("website"), "email": org.get("email"),
                                "phones": org.get("phones")}, f"Träger '{pid}'",
                               ProviderContact)
        if contact:
            provider["contact"] = contact
        if own.get("ankerstandort"):
            provider["anchor"] = own["ankerstandort"][0]
        self.providers[pid] = provider
        for raw in own.get("vereinbarung", []):
            try:
                self.agreements.append(dict(json.loads(raw)))
            except (ValueError, TypeError):
                self.notes.append(f"Eine Vereinbarung am Träger '{name}' ist unlesbar und "
                                  "wurde ausgelassen.")
        self.count_unused(org, {"name", "description", "attributes", "services", "locations",
                                "website", "email", "phones",
                                "organization_identifiers" if ours else ""})
        return pid

    def area(self, area: dict[str, Any], n: int) -> str:
        quarter = term_names(area, "quartier")
        if quarter:
            qid, qname = next(iter(quarter.items()))
            district = term_names(area, "stadtbezirk")
            municipality = term_names(area, "kommune")
            mid, mname = next(iter(municipality.items()), ("hsds-kommune", "Kommune (aus HSDS)"))
            self.municipalities.setdefault(mid, {"id": mid, "name": mname})
            if municipality and not district:  # a quarter right in its municipality
                self.quarters.setdefault(qid, {"id": qid, "name": qname, "municipality": mid})
                return qid
            did, dname = next(iter(district.items()), ("hsds-bezirk", "Gebiet (aus HSDS)"))
            self.districts.setdefault(did, {"id": did, "name": dname, "municipality": mid})
            self.quarters.setdefault(qid, {"id": qid, "name": qname, "district": did})
            return qid
        name = _text(area.get("name")) or _text(area.get("description")) or f"Gebiet {n}"
        for q in self.quarters.values():
            if q["name"] == name:
                return str(q["id"])
        self._foreign_district()
        qid = self.unique(make_id(name[:40], f"gebiet-{n}"))
        self.quarters[qid] = {"id": qid, "name": name, "district": "hsds-bezirk"}
        return qid

    def _foreign_district(self) -> None:
        self.municipalities.setdefault("hsds-kommune", {"id": "hsds-kommune",
                                                        "name": "Kommune (aus HSDS)"})
        self.districts.setdefault("hsds-bezirk", {"id": "hsds-bezirk",
                                                  "name": "Gebiet (aus HSDS)",
                                                  "municipality": "hsds-kommune"})

    def stages(self, s: dict[str, Any]) -> list[str]:
        self.guessed += 1
        cat = default_catalogue()
        lo, hi = s.get("minimum_age"), s.get("maximum_age")
        lo_m = float(lo) * 12 if isinstance(lo, int | float) and not isinstance(lo, bool) \
            else -1e9
        hi_m = float(hi) * 12 if isinstance(hi, int | float) and not isinstance(hi, bool) \
            else 1e9
        stages = [x.id for x in cat.life_stages if x.from_months < hi_m and x.to_months > lo_m]
        if not stages:  # outside 0–10: the nearest end of the chain
            first, last = cat.life_stages[0], cat.life_stages[-1]
            stages = [last.id if lo_m >= last.to_months else first.id]
        return stages

    def location(self, link: dict[str, Any]) -> dict[str, Any] | None:
        place = link.get("location")
        if not isinstance(place, dict):
            place = self.found.locations.get(str(link.get("location_id")))
        return place if isinstance(place, dict) else None

    def places(self, s: dict[str, Any], ours: bool) -> tuple[str | None, list[str]]:
        """The free-text site and the sites of a service from its service_at_locations:
        a location our export wrote for the text ``site`` of one of our services is that
        text again; every other location is a site of its own."""
        text: str | None = None
        sites: list[str] = []
        for link in _dicts(s.get("service_at_locations")):
            place = self.location(link)
            if place is None:
                continue
            self.count_unused(link, {"location", "location_id"})
            if ours and text is None and "kennung" not in own_attributes(place):
                self.text_sites.add(_key(place))
                self.count_unused(place, {"name", "organization_id"})
                text = _text(place.get("name"), 200) or None
                continue
            site = self.site(place)
            if site not in sites:
                sites.append(site)
        if len(sites) > MAX_SITES:  # the model's limit; the rest stay sites of the network
            self.dropped["service_at_locations"] += len(sites) - MAX_SITES
        return text, sites[:MAX_SITES]

    def site(self, place: dict[str, Any]) -> str:
        """Our site for an HSDS location (made once per location)."""
        if _key(place) in self.site_of:
            return self.site_of[_key(place)]
        n = len(self.sites) + 1
        own = own_attributes(place)
        addresses = _dicts(place.get("addresses"))
        address = address_text(addresses[0])[:300] if addresses else ""
        name = _text(place.get("name")) or address[:300] or f"Standort {n}"
        wanted = own.get("kennung", [""])[0]
        if not ID_PATTERN.match(wanted) or wanted in self.used_ids:
            wanted = make_id(str(place.get("id") or ""), "") or make_id(name, f"standort-{n}")
        sid = self.unique(wanted)
        self.site_of[_key(place)] = sid
        site: dict[str, Any] = {"id": sid, "name": name}
        if address:
            site["address"] = address
        if len(addresses) > 1:
            self.dropped["addresses"] += len(addresses) - 1
        if term_names(place, "quartier"):
            site["quarter"] = self.area(place, len(self.quarters) + 1)
        description = _text(place.get("description"), 20_000)
        if description:
            site["description"] = description
        contacts = _dicts(place.get("contacts"))
        self.persons += sum(1 for c in contacts if _text(c.get("name")))
        # only the e-mail of a contact without a person's name is the institution's
        emails = [c["email"] for c in contacts
                  if isinstance(c.get("email"), str) and not _text(c.get("name"))]
        contact = self.contact({**place, "email": emails[0] if emails else None},
                               f"Standort '{sid}'")
        if contact:
            site["contact"] = contact
        self.count_unused(place, {"name", "description", "addresses", "url", "phones",
                                  "schedules", "contacts", "attributes", "organization_id"})
        self.sites[sid] = site
        return sid

    def contact(self, s: dict[str, Any], what: str,
                model: type[ProviderContact] = Contact) -> dict[str, Any] | None:
        fields: dict[str, Any] = {}
        if isinstance(s.get("url"), str):
            fields["url"] = s["url"]
        if isinstance(s.get("email"), str):
            fields["email"] = s["email"]
        phones = _dicts(s.get("phones"))
        if phones and isinstance(phones[0].get("number"), str):
            fields["phone"] = phones[0]["number"].strip().strip('"')
            self.dropped["phones"] += len(phones) - 1
        schedules = _dicts(s.get("schedules"))
        if schedules and model is Contact:
            first = schedules[0]
            text = _text(first.get("description"), 500)
            if not text and isinstance(first.get("opens_at"), str):
                days = first.get("byday") if isinstance(first.get("byday"), str) else ""
                text = f"{days} {first['opens_at']}–{first.get('closes_at') or ''}".strip()
            if text:
                fields["opening_hours"] = text
            self.dropped["schedules"] += len(schedules) - 1
        kept = {}
        for key, value in fields.items():
            try:
                kept[key] = getattr(model(**{key: value}), key)
            except ValidationError:
                self.notes.append(f"{what}: {key} '{str(value)[:60]}' ist ungültig und "
                                  "wurde nicht übernommen.")
        return kept or None

    def service(self, s: dict[str, Any], i: int) -> None:
        own = own_attributes(s)
        name = _text(s.get("name")) or f"Angebot {i + 1}"
        sid = own.get("kennung", [""])[0]
        if not ID_PATTERN.match(sid) or sid in self.used_ids:
            sid = make_id(str(s.get("id") or ""), "") or make_id(name, f"angebot-{i + 1}")
        sid = self.unique(sid)
        nested = s.get("organization")
        if isinstance(nested, dict):
            provider = self.organization(nested)
        elif str(s.get("organization_id")) in self.ours_of:
            provider = self.ours_of[str(s.get("organization_id"))]
        else:
            provider = self.organization({"id": "unbekannter-traeger",
                                          "name": "Unbekannter Träger (aus HSDS)"})
            self.unknown_provider += 1
        areas = [self.area(a, len(self.quarters) + 1) for a in _dicts(s.get("service_areas"))]
        if not areas:
            self._foreign_district()
            self.quarters.setdefault("hsds-gebiet", {"id": "hsds-gebiet",
                                                     "name": "Ganzes Gebiet",
                                                     "district": "hsds-bezirk"})
            areas = ["hsds-gebiet"]
        status = s.get("status")
        service: dict[str, Any] = {
            "id": sid, "name": name, "provider": provider,
            "quarters": list(dict.fromkeys(areas)),
            "life_stages": own.get("lebensphase") or self.stages(s),
            "fields": own.get("handlungsfeld") or ["participation"],
            "status": STATUS_IN.get(status, "active") if isinstance(status, str) else "active"}
        if status is not None and (not isinstance(status, str) or status not in STATUS_IN):
            self.notes.append(f"Angebot '{sid}': unbekannter Status, 'aktiv' angenommen.")
        if own.get("zielgruppe"):
            service["target_groups"] = [_text(x) for x in own["zielgruppe"] if _text(x)]
        languages = [str(x.get("code")).strip().lower() for x in _dicts(s.get("languages"))
                     if isinstance(x.get("code"), str)
                     and re.fullmatch(r"[a-z]{2,3}", str(x.get("code")).strip().lower())]
        if languages:
            service["languages"] = list(dict.fromkeys(languages))
        for concept, key in (("zugang", "access"), ("kapazitaet", "capacity_per_year"),
                             ("kapazitaetseinheit", "capacity_unit"),
                             ("gueltig_ab", "valid_from"), ("gueltig_bis", "valid_until")):
            if own.get(concept):
                service[key] = own[concept] if key == "access" else own[concept][0]
        if own.get("sprachbruecke"):
            service["language_bridge"] = own["sprachbruecke"][0] == "ja"
        description = _text(s.get("description"), 20_000)
        if description:
            service["description"] = description
        roles = [_text(c.get("title")) or _text(c.get("department"))
                 for c in _dicts(s.get("contacts"))]
        self.persons += sum(1 for c in _dicts(s.get("contacts")) if _text(c.get("name")))
        if roles and roles[0]:
            service["contact_role"] = roles[0]
        text_site, sites = self.places(s, bool(own.get("kennung")))
        if text_site:
            service["site"] = text_site
        if sites:
            service["sites"] = sites
        contact = self.contact(s, f"Angebot '{sid}'")
        if contact:
            service["contact"] = contact
        used = {"name", "description", "status", "organization", "organization_id",
                "service_areas", "service_at_locations", "languages", "attributes",
                "contacts", "url", "email", "phones", "schedules"}
        if "lebensphase" not in own:
            used |= {"minimum_age", "maximum_age"}
        self.count_unused(s, used)
        self.services.append(service)
        for key, target in (("uebergang", self.transitions), ("vermittlungen", self.flows)):
            for raw in own.get(key, []):
                try:
                    item = json.loads(raw)
                    if not isinstance(item, dict):
                        raise TypeError
                    target.append(item)
                except (ValueError, TypeError):
                    self.notes.append(f"Angebot '{sid}': ein Eintrag '{key}' ist unlesbar und "
                                      "wurde ausgelassen.")

    def data(self) -> dict[str, Any]:
        def text(value: Any) -> str | None:
            return value if isinstance(value, str) else None

        known_services = {s["id"] for s in self.services}
        transitions = [t for t in self.transitions
                       if text(t.get("source")) in known_services
                       and text(t.get("target")) in known_services]
        if len(transitions) < len(self.transitions):
            lost = len(self.transitions) - len(transitions)
            self.notes.append(count(lost, "Übergang", "Übergänge") + " zu Angeboten, die die "
                              "Datei nicht enthält, ausgelassen.")
        agreements = [a for a in self.agreements if _list(a.get("parties")) and all(
            text(p) in self.providers for p in _list(a.get("parties")))]
        for a in agreements:  # stated quarters the file does not hold are left out
            if isinstance(a.get("quarters"), list):
                a["quarters"] = [q for q in a["quarters"] if text(q) in self.quarters]
        kept = {text(a.get("id")) for a in agreements}
        for t in transitions:
            if isinstance(t.get("agreements"), list):
                t["agreements"] = [x for x in t["agreements"] if text(x) in kept]
            if t.get("owner") is not None and text(t.get("owner")) not in self.providers:
                t.pop("owner")
        names = {text(t.get("id")) for t in transitions}
        flows = [f for f in self.flows if text(f.get("transition")) in names]
        return {"name": "Import aus HSDS",
                "municipalities": list(self.municipalities.values()),
                "districts": list(self.districts.values()),
                "quarters": list(self.quarters.values()),
                "providers": list(self.providers.values()),
                "sites": list(self.sites.values()), "services": self.services,
                "transitions": transitions, "agreements": agreements,
                "referral_flows": flows}

    def summary(self) -> list[str]:
        notes = list(self.notes)
        if self.guessed:
            notes.append(count(self.guessed, "Angebot", "Angebote") + " ohne Lebensphasen aus "
                         "dem lotsensystem: aus "
                         "dem Alter der Anspruchsberechtigten (minimum_age/maximum_age) "
                         "geschätzt, ohne Alter alle Phasen; Handlungsfeld „"
                         + default_catalogue().field_names["participation"]
                         + "“ angenommen – bitte prüfen.")
        if self.unknown_provider:
            notes.append(count(self.unknown_provider, "Angebot", "Angebote") + " ohne "
                         "bekannten Träger (organization): dem Träger „Unbekannter Träger (aus "
                         "HSDS)“ zugeordnet – bitte prüfen.")
        if self.persons:
            notes.append("Nicht übernommen: " + count(
                self.persons, "Name einer Kontaktperson", "Namen von Kontaktpersonen") + " – das "
                         "lotsensystem führt nur Rollen (Titel bzw. Abteilung), keine Personen.")
        if any(n > 0 for n in self.dropped.values()):
            parts: Counter[str] = Counter()
            for key, n in self.dropped.items():
                if n <= 0:
                    continue
                parts[f"{LABELS.get(key, key)} ({key})"] += n
            notes.append("Nicht übernommen (ohne Entsprechung im lotsensystem): " + ", ".join(
                f"{n} × {label}" for label, n in sorted(parts.items())) + ".")
        return notes


def from_hsds(doc: Any, source: str = "<HSDS>") -> HsdsImport:
    """Providers, sites and services from HSDS data (see the module docstring)."""
    found = collect(doc)
    if not found.services and not found.organizations and not found.locations:
        raise FormatError(_refusal(found), source)
    builder = _Builder(found)
    for org in found.organizations:
        builder.organization(org)
    places = list(found.locations.values())
    for place in places:  # our own sites first, in the file's order
        if "kennung" in own_attributes(place):
            builder.site(place)
    for i, s in enumerate(found.services):
        builder.service(s, i)
    for place in places:  # the other locations: sites, unless read as a service's text
        if _key(place) not in builder.text_sites:
            builder.site(place)
    network = parse(builder.data(), source=source)
    notes = builder.summary()
    if not found.services:
        held = [count(len(builder.providers), "Träger", "Träger")] if builder.providers else []
        if builder.sites:
            held.append(count(len(builder.sites), "Standort", "Standorte"))
        notes.insert(0, f"Die Datei enthält keine Angebote, nur {' und '.join(held)}; "
                        "übernommen.")
    skipped = {k: n for k, n in found.other.items() if n}
    if skipped:
        notes.append("Außerdem enthalten und nicht übernommen: " + "; ".join(
            _what(k, n) for k, n in skipped.items() if k in _WHAT) + ".")
    return HsdsImport(network, notes)


def read_hsds(path: str | Path) -> HsdsImport:
    """Import HSDS from a JSON file or a tabular data package folder."""
    source = Path(path)
    if source.is_dir():
        from graph.formats.hsds_package import read_package

        return from_hsds(read_package(source), str(source))
    try:
        doc = json.loads(source.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise FormatError("Die Datei gibt es nicht.", str(source)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"Kein gültiges JSON: {exc}", str(source)) from None
    except RecursionError:
        raise FormatError("Das JSON ist zu tief verschachtelt.", str(source)) from None
    return from_hsds(doc, str(source))
